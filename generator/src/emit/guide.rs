//! The crate's guide, from the API description: what the API is, how to
//! authenticate, a first call and a paged call with real operations,
//! errors, retries and timeouts. The crate docs (`lib.rs`) hold it whole,
//! its examples compiled as `no_run` doctests; `README.md` holds it short.
//!
//! Spec text (title, description, server) reaches the guide as Markdown
//! through [`super::types::doc_lines`]; the examples hold only names the
//! generator made (the crate's, the methods', the parameters').

use super::types::{doc_lines, inline_text};
use crate::ir::{Api, Kind, Operation};
use crate::Settings;

/// The operations the examples call: the first (by name) that needs no
/// body and only string arguments, and the first such paged one.
struct Examples<'a> {
    first: Option<&'a Operation>,
    paged: Option<&'a Operation>,
}

impl<'a> Examples<'a> {
    fn of(api: &'a Api) -> Self {
        let callable = |op: &&Operation| {
            op.body.is_none()
                && !op.deprecated
                && op
                    .params
                    .iter()
                    .filter(|p| p.required)
                    .all(|p| p.shape.kind == Kind::String && !p.shape.nullable)
        };
        let mut ops = api.operations.iter().filter(callable);
        Examples {
            first: ops.next(),
            paged: api
                .operations
                .iter()
                .filter(callable)
                .find(|op| op.pagination.is_some()),
        }
    }
}

/// The Rust name of the crate, as examples `use` it.
fn crate_ident(settings: &Settings) -> String {
    settings.package_name.replace('-', "_")
}

/// How the generated client authenticates, from the spec's security
/// schemes.
pub fn authentication(api: &Api) -> Vec<String> {
    let mut lines = vec!["## Authentication".to_string(), String::new()];
    lines.extend(
        super::client::credentials_text(&api.auth)
            .lines()
            .map(str::to_string),
    );
    if !api.auth.alternatives.is_empty() {
        lines.extend([
            String::new(),
            "Without credentials [`Client::from_env`] fails before any request; \
             [`Client::new`] takes them from elsewhere. Secrets never appear in `Debug`, \
             `Display` or errors."
                .to_string(),
        ]);
    }
    lines
}

/// `client.op("…", &Default::default())`: the call of an example
/// operation on `receiver` (`method` may be a pager's: `…_stream`).
fn call_on(receiver: &str, op: &Operation, method: &str) -> String {
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("\"your-{}\"", p.ident.name.trim_start_matches("r#")))
        .collect();
    if op.params.iter().any(|p| !p.required) {
        args.push("&Default::default()".into());
    }
    format!("{receiver}.{method}({})", args.join(", "))
}

/// [`call_on`] the client, as most examples name it.
fn call(op: &Operation, method: &str) -> String {
    call_on("client", op, method)
}

/// The method that streams a paged operation's items, as the IR named it.
fn items_method(op: &Operation) -> &str {
    op.pagination
        .as_ref()
        .map_or(op.fn_name.name.as_str(), |p| p.stream_fn.name.as_str())
}

/// What the API is: title, version, description and server.
fn about(api: &Api) -> Vec<String> {
    let mut lines = vec![
        format!(
            "# {}",
            doc_lines(&api.title)
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ")
        ),
        String::new(),
    ];
    if let Some(d) = &api.description {
        lines.extend(
            doc_lines(d)
                .into_iter()
                .map(|l| l.strip_prefix(' ').unwrap_or(&l).to_string()),
        );
        lines.push(String::new());
    }
    lines.push(format!(
        "Version `{}` of the API, at `{}` by default.",
        inline_text(&api.version).replace('`', "'"),
        inline_text(&api.base_url).replace('`', "'")
    ));
    lines
}

/// The whole guide, for the crate docs: Markdown lines.
pub fn crate_docs(api: &Api, settings: &Settings) -> Vec<String> {
    let krate = crate_ident(settings);
    let ex = Examples::of(api);
    let mut lines = about(api);
    lines.extend([
        String::new(),
        "Generated from the API's OpenAPI description: [`models`] holds a type per schema, \
         [`Client`] a method per operation (in [`client`])."
            .to_string(),
        String::new(),
    ]);
    lines.extend(authentication(api));
    if let Some(op) = ex.first {
        lines.extend([
            String::new(),
            "## A first call".into(),
            String::new(),
            format!(
                "Required parameters are arguments, optional ones a `…Params` struct; \
                 parameters are checked before any request. This calls [`Client::{}`]:",
                op.fn_name.name
            ),
            String::new(),
            "```rust,no_run".into(),
            format!("# async fn run() -> Result<(), {krate}::Error> {{"),
            format!("use {krate}::Validate;"),
            String::new(),
            format!("let client = {krate}::Client::from_env()?;"),
            format!("let response = {}.await?;", call(op, &op.fn_name.name)),
            "// What the server sent and the spec does not allow, if anything.".into(),
            "let _ = response.validate();".into(),
            "# Ok(())".into(),
            "# }".into(),
            "```".into(),
        ]);
    }
    if let Some(op) = ex.paged {
        lines.extend(pages(op, &krate));
    }
    lines.extend([
        String::new(),
        "## Errors".into(),
        String::new(),
        "[`Error`] tells API errors (the status, the envelope's `errors`, the raw body) \
         from transport failures, timeouts, undecodable bodies, invalid parameters, \
         missing credentials, oversized bodies and the page cap."
            .into(),
    ]);
    if let Some(op) = ex.first {
        lines.extend([
            String::new(),
            "```rust,no_run".into(),
            format!("# async fn run(client: {krate}::Client) {{"),
            format!("match {}.await {{", call(op, &op.fn_name.name)),
            "    Ok(_) => {}".into(),
            format!("    Err({krate}::Error::Api {{ status, errors, .. }}) => {{"),
            "        for e in errors {".into(),
            "            eprintln!(\"{status}: {}\", e.message);".into(),
            "        }".into(),
            "    }".into(),
            "    Err(other) => eprintln!(\"{other}\"),".into(),
            "}".into(),
            "# }".into(),
            "```".into(),
        ]);
    }
    lines.extend(retries(&krate));
    if let Some(op) = ex.first {
        lines.extend(options(op, &krate));
        lines.extend(blocking(op, ex.paged, &krate));
    }
    lines.extend(tracing(&settings.package_name));
    lines
}

/// A paged call, with an example.
fn pages(op: &Operation, krate: &str) -> Vec<String> {
    [
        String::new(),
        "## Pages".into(),
        String::new(),
        format!(
            "A paged list has a stream of its items (and one of its pages, `…_pages`); \
                 paging stops at the last page or at [`ClientBuilder::max_pages`]. \
                 [`Client::{}`]:",
            items_method(op)
        ),
        String::new(),
        "```rust,no_run".into(),
        format!("# async fn run(client: {krate}::Client) -> Result<(), {krate}::Error> {{"),
        "use futures_util::StreamExt;".into(),
        String::new(),
        format!("let mut items = {};", call(op, items_method(op))),
        "while let Some(item) = items.next().await {".into(),
        "    let _item = item?;".into(),
        "}".into(),
        "# Ok(())".into(),
        "# }".into(),
        "```".into(),
    ]
    .into()
}

/// Retries and timeouts, with an example.
fn retries(krate: &str) -> Vec<String> {
    vec![
        String::new(),
        "## Retries and timeouts".into(),
        String::new(),
        "Failed calls are retried twice by default, with exponential backoff and \
         `Retry-After`; POST and PATCH only when the request was never sent or the \
         server asked for the wait. Requests time out after 60 s (connecting after \
         10 s); [`RequestOptions`] changes any of it for one call."
            .into(),
        String::new(),
        "```rust,no_run".into(),
        format!("# fn run() -> Result<(), {krate}::Error> {{"),
        "use std::time::Duration;".into(),
        format!("use {krate}::{{ClientBuilder, RetryPolicy}};"),
        String::new(),
        format!("let client = ClientBuilder::from_env({krate}::client::DEFAULT_BASE_URL)"),
        "    .retry_policy(RetryPolicy { max_retries: 4, ..RetryPolicy::default() })".into(),
        "    .timeout(Duration::from_secs(30))".into(),
        "    .build()?;".into(),
        "# let _ = client;".into(),
        "# Ok(())".into(),
        "# }".into(),
        "```".into(),
    ]
}

/// Per-call options and the raw response, with an example.
fn options(op: &Operation, krate: &str) -> Vec<String> {
    vec![
        String::new(),
        "## Per-call options and raw responses".into(),
        String::new(),
        "[`Client::with_options`] is a view of the client (the same connections and \
         credentials) whose calls use [`RequestOptions`]: a timeout, extra headers, a retry \
         policy, a cap on the response body. Extra headers never carry or replace the \
         credentials. [`Client::raw`] runs a call and returns the response's status and \
         headers beside its decoded body ([`Raw`]), from the one request."
            .into(),
        String::new(),
        "```rust,no_run".into(),
        format!("# async fn run(client: {krate}::Client) -> Result<(), {krate}::Error> {{"),
        "use std::time::Duration;".into(),
        format!("use {krate}::{{RequestOptions, RetryPolicy}};"),
        String::new(),
        "let patient = client.with_options(".into(),
        "    RequestOptions::new()".into(),
        "        .timeout(Duration::from_secs(300))".into(),
        "        .header(\"x-request-source\", \"nightly-report\")".into(),
        "        .retry_policy(RetryPolicy::none()),".into(),
        ");".into(),
        "let raw = patient".into(),
        format!(
            "    .raw(|c| async move {{ {}.await }})",
            call_on("c", op, &op.fn_name.name)
        ),
        "    .await?;".into(),
        "println!(\"{} {:?}\", raw.status, raw.headers.get(\"content-type\"));".into(),
        "let _response = raw.body;".into(),
        "# Ok(())".into(),
        "# }".into(),
        "```".into(),
    ]
}

/// The blocking client, with an example that compiles with the feature.
fn blocking(op: &Operation, paged: Option<&Operation>, krate: &str) -> Vec<String> {
    let mut lines = vec![
        String::new(),
        "## Blocking calls".into(),
        String::new(),
        "The `blocking` feature (off by default) adds `BlockingClient`, which drives the \
         async client on a runtime of its own: every operation and pager from synchronous \
         code, with the same requests, retries and errors."
            .into(),
        String::new(),
        "```rust,no_run".into(),
        "# #[cfg(feature = \"blocking\")]".into(),
        format!("# fn run() -> Result<(), {krate}::Error> {{"),
        format!("let client = {krate}::BlockingClient::new({krate}::Client::from_env()?)?;"),
        format!(
            "let _response = client.call(|c| async move {{ {}.await }})?;",
            call_on("c", op, &op.fn_name.name)
        ),
    ];
    if let Some(paged) = paged {
        lines.extend([
            format!(
                "for item in client.iter({}) {{",
                call_on("client.client()", paged, items_method(paged))
            ),
            "    let _item = item?;".into(),
            "}".into(),
        ]);
    }
    lines.extend(["# Ok(())".into(), "# }".into(), "```".into()]);
    lines
}

/// The tracing feature, with the dependency line that turns it on.
fn tracing(package: &str) -> Vec<String> {
    vec![
        String::new(),
        "## Tracing".into(),
        String::new(),
        "The `tracing` feature (off by default) makes every call a `request` span, with \
         events for each response, retry (its delay and why), give-up and page. Query \
         strings, headers and bodies are never recorded, and secrets are scrubbed from the \
         errors it records."
            .into(),
        String::new(),
        "```toml".into(),
        format!("{package} = {{ path = \"vendor/{package}\", features = [\"tracing\"] }}"),
        "```".into(),
    ]
}

/// `README.md`: the guide in short, where the crate came from and how to
/// regenerate it.
pub fn readme(api: &Api, settings: &Settings, header: &str) -> String {
    let krate = crate_ident(settings);
    let ex = Examples::of(api);
    let mut lines = vec![header.to_string()];
    lines.extend(about(api));
    lines.extend([
        String::new(),
        format!(
            "The Rust client and models of this API, generated from `{}`. Regenerate with:",
            inline_text(&settings.spec_name).replace('`', "'")
        ),
        String::new(),
        "```sh".into(),
        inline_text(&settings.command),
        "```".into(),
        String::new(),
        "The crate docs (`cargo doc --open`) hold the whole guide.".into(),
        String::new(),
    ]);
    let mut auth = authentication(api);
    for line in &mut auth {
        *line = strip_links(line);
    }
    lines.extend(auth);
    if let Some(op) = ex.first {
        lines.extend([
            String::new(),
            "## A first call".into(),
            String::new(),
            "```rust".into(),
            format!("let client = {krate}::Client::from_env()?;"),
            format!("let response = {}.await?;", call(op, &op.fn_name.name)),
        ]);
        if let Some(paged) = ex.paged {
            lines.push(format!(
                "let mut items = {}; // a Stream",
                call(paged, items_method(paged))
            ));
        }
        lines.push("```".into());
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// `` [`X`] `` → `` `X` ``: outside rustdoc intra-doc links are plain code.
fn strip_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find("[`") {
        let Some(close) = rest[open..].find("`]").map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close + 1]);
        rest = &rest[close + 2..];
        // An explicit target, `[…](crate::X)`, goes with the link.
        if rest.starts_with('(') {
            if let Some(end) = rest.find(')') {
                rest = &rest[end + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::strip_links;

    #[test]
    fn readme_links_become_code() {
        assert_eq!(
            strip_links("a [`X::y`](crate::X::y) b [`Z`] c [d]"),
            "a `X::y` b `Z` c [d]"
        );
    }
}
