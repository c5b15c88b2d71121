//! The README's multipart and streaming examples, compiled with the
//! runtime's tests (`cargo test -p runtime` builds examples). Run it
//! against a server of your own: `cargo run -p runtime --example bodies --
//! http://127.0.0.1:8080`.

use std::time::Duration;

use futures_util::StreamExt;
use runtime::{Client, Error, FilePart, Multipart, Request, RequestOptions};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Row {
    n: u32,
}

async fn examples(client: &Client) -> Result<(), Error> {
    // A multipart body: a Worker module (its file name is the one
    // `main_module` names) and the metadata as a JSON part.
    let module = FilePart::new("export default { fetch() { return new Response('hi') } }")
        .file_name("worker.js")
        .content_type("application/javascript+module");
    let body = Multipart::new()
        .file("files", &module, None)
        .json(
            "metadata",
            &serde_json::json!({"main_module": "worker.js"}),
            None,
        )?
        .into_body()?;
    client
        .send_empty(&Request::put("/workers/scripts/hello").body(body))
        .await?;

    // Server-sent events, their data decoded as JSON; a long-lived stream
    // needs a longer timeout than the client's default 60 s.
    let patient = client.with_options(RequestOptions::new().timeout(Duration::from_secs(3600)));
    let mut events = patient
        .send_events_json::<Row>(&Request::get("/metrics"))
        .await?;
    while let Some(event) = events.next().await {
        let event = event?;
        println!("{:?} {:?} {}", event.event, event.id, event.data.n);
    }

    // JSON lines, one typed item a line.
    let mut rows = client
        .send_json_lines::<Row>(&Request::get("/export"))
        .await?;
    while let Some(row) = rows.next().await {
        println!("{}", row?.n);
    }

    // A large download, chunk by chunk, under a cap raised for this call.
    let big = client.with_options(RequestOptions::new().max_response_bytes(4 << 30));
    let mut chunks = big
        .send_byte_stream(&Request::get("/objects/backup"))
        .await?;
    let mut total = 0;
    while let Some(chunk) = chunks.next().await {
        total += chunk?.len();
    }
    println!("{total} bytes");
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let client = Client::builder(&url)
        .credentials(runtime::Credentials::api_token("token"))
        .build()?;
    examples(&client).await
}
