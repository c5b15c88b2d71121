//! Unit tests of `src/redact.rs`.

use crate::runtime::redact::*;

fn scrubbed(text: &str, secret: &str, cut: bool) -> String {
    String::from_utf8_lossy(&scrub(text.as_bytes(), secret.as_bytes(), cut)).into_owned()
}

#[test]
fn every_non_empty_secret_is_scrubbed_however_short() {
    assert_eq!(
        scrubbed("a x b xx", "x", false),
        "a [redacted] b [redacted][redacted]"
    );
    assert_eq!(scrubbed("tok: abc!", "abc", false), "tok: [redacted]!");
    assert_eq!(scrubbed("text", "", false), "text");
}

#[test]
fn json_escaped_and_percent_encoded_echoes_are_scrubbed() {
    let secret = "a\"b/c d\\e+f";
    let json = serde_json::to_string(secret).unwrap();
    assert_eq!(
        scrubbed(&format!("{{\"t\":{json}}}"), secret, false),
        "{\"t\":\"[redacted]\"}"
    );
    assert_eq!(
        scrubbed("GET /x?t=a%22b%2Fc%20d%5Ce%2Bf", secret, false),
        "GET /x?t=[redacted]"
    );
    assert_eq!(
        scrubbed("t=a%22b%2fc%20d%5ce%2bf&", secret, false),
        "t=[redacted]&"
    );
    assert_eq!(
        scrubbed(&format!("raw {secret} end"), secret, false),
        "raw [redacted] end"
    );
}

#[test]
fn a_secret_cut_at_the_end_leaves_no_prefix() {
    let secret = "tok-12345678";
    assert_eq!(scrubbed("echo: tok-123", secret, true), "echo: [redacted]");
    assert_eq!(
        scrubbed("echo: tok%2D1", "tok-1x", true),
        "echo: [redacted]"
    );
    // A text that was not cut keeps its tail: it is not a secret.
    assert_eq!(scrubbed("echo: tok-123", secret, false), "echo: tok-123");
    assert_eq!(scrubbed("echo: nothing", secret, true), "echo: nothing");
}

#[test]
fn printable_escapes_terminal_controls_and_bidi() {
    assert_eq!(printable("plain ü"), "plain ü");
    assert_eq!(printable("a\u{1b}[31mred\r\n"), "a\\u{1b}[31mred\\r\\n");
    assert_eq!(printable("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
}
