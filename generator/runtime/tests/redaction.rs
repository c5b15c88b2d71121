//! Secrets a server echoes never reach an error, however short they are,
//! in whatever form they are echoed, and wherever the 64 KiB cut of an
//! error body falls; server text is printed with terminal controls escaped.

mod support;

use runtime::error::MAX_ERROR_BODY;
use runtime::{Client, Credentials, Error, Request, RetryPolicy};
use support::{Reply, TestServer};

fn client(server: &TestServer, token: &str) -> Client {
    Client::builder(&server.url())
        .credentials(Credentials::api_token(token))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

/// The error a 400 reply with `body` becomes, and the error's body.
async fn api_error(token: &str, body: String) -> (Error, String) {
    let server = TestServer::start().await;
    server.push(Reply::text(400, "text/plain", body));
    let err = client(&server, token)
        .send_empty(&Request::get("/zones"))
        .await
        .unwrap_err();
    let Error::Api { body, .. } = &err else {
        panic!("{err:?}")
    };
    let body = body.clone();
    (err, body)
}

#[tokio::test]
async fn a_short_secret_is_scrubbed() {
    let (err, body) = api_error("s3c", "you sent s3c".to_string()).await;
    assert_eq!(body, "you sent [redacted]");
    assert!(!format!("{err} {err:?}").contains("s3c"));
}

#[tokio::test]
async fn a_secret_cut_by_the_body_limit_leaves_no_prefix() {
    let token = "tok-SECRET-0123456789";
    // Every place the cut can fall inside the echoed token.
    for before in [
        MAX_ERROR_BODY - token.len() + 1,
        MAX_ERROR_BODY - 5,
        MAX_ERROR_BODY - 1,
    ] {
        let text = format!("{}{token} and after", "x".repeat(before));
        let (_, body) = api_error(token, text).await;
        assert_eq!(body.len(), MAX_ERROR_BODY);
        assert!(!body.contains("tok-"), "{}", &body[before - 5..]);
        assert!(
            "[redacted] and after".starts_with(&body[before..]),
            "{}",
            &body[before..]
        );
    }
    // A secret starting right at the cut, and one past it, are gone too.
    for before in [MAX_ERROR_BODY, MAX_ERROR_BODY + 3] {
        let text = format!("{}{token}", "x".repeat(before));
        let (_, body) = api_error(token, text).await;
        assert_eq!(body, "x".repeat(MAX_ERROR_BODY));
    }
}

#[tokio::test]
async fn json_escaped_and_percent_encoded_echoes_are_scrubbed() {
    let token = "tok/SECRET\"+ok";
    let json = serde_json::to_string(&serde_json::json!({"errors": [
        {"code": 9, "message": format!("bad token {token}")}
    ]}))
    .unwrap();
    assert!(json.contains("tok/SECRET\\\"+ok"), "{json}");
    let (err, body) = api_error(token, json).await;
    assert!(!body.contains("SECRET"), "{body}");
    assert_eq!(
        err.to_string(),
        "API error (HTTP 400): [9] bad token [redacted]"
    );

    let (err, body) = api_error(
        token,
        "GET /x?t=tok%2FSECRET%22%2Bok&t=tok%2fSECRET%22%2bok".to_string(),
    )
    .await;
    assert_eq!(body, "GET /x?t=[redacted]&t=[redacted]");
    assert!(!err.to_string().contains("SECRET"));
}

#[tokio::test]
async fn server_text_is_printed_with_controls_and_bidi_escaped() {
    let (err, _) = api_error("tok-1", "oops \u{1b}[2J\u{202e}txt\r\nnext".to_string()).await;
    assert_eq!(
        err.to_string(),
        "API error (HTTP 400): oops \\u{1b}[2J\\u{202e}txt\\r\\nnext"
    );
    let server = TestServer::start().await;
    server.push(Reply::json(
        403,
        r#"{"errors":[{"code":1,"message":"no\u001b]8;;x\u0007 \u2066here"}]}"#,
    ));
    let err = client(&server, "tok-1")
        .send_empty(&Request::get("/zones"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "API error (HTTP 403): [1] no\\u{1b}]8;;x\\u{7} \\u{2066}here"
    );
    assert!(matches!(&err, Error::Api { errors, .. } if errors[0].message.contains('\u{1b}')));
}
