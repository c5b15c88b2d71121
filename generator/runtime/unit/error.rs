//! Unit tests of `src/error.rs`.

use crate::runtime::error::*;

#[test]
fn envelope_errors_are_decoded_leniently() {
    let body = br#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"},{"code":"7003","message":"No route"},"plain",{"x":1}],"messages":[],"result":null}"#;
    assert_eq!(
        ApiMessage::parse_envelope(body),
        vec![
            ApiMessage {
                code: Some(10000),
                message: "Authentication error".into()
            },
            ApiMessage {
                code: Some(7003),
                message: "No route".into()
            },
            ApiMessage {
                code: None,
                message: "plain".into()
            },
        ]
    );
    assert_eq!(
        ApiMessage::parse_envelope(br#"{"error":"nope"}"#)[0].message,
        "nope"
    );
    assert!(ApiMessage::parse_envelope(b"<html>502</html>").is_empty());
    assert!(ApiMessage::parse_envelope(br#"{"errors":null}"#).is_empty());
    assert!(ApiMessage::parse_envelope(b"[1,2]").is_empty());
}

#[test]
fn api_error_display_prefers_envelope_messages() {
    let e = Error::api(
        403,
        br#"{"errors":[{"code":9109,"message":"Unauthorized"}]}"#,
    );
    assert_eq!(e.to_string(), "API error (HTTP 403): [9109] Unauthorized");
    assert_eq!(e.status(), Some(403));
    let e = Error::api(502, b"<html>Bad gateway</html>");
    assert_eq!(
        e.to_string(),
        "API error (HTTP 502): <html>Bad gateway</html>"
    );
}

#[test]
fn api_error_body_is_truncated() {
    let body = vec![b'x'; MAX_ERROR_BODY + 10];
    let Error::Api { body, .. } = Error::api(500, &body) else {
        unreachable!()
    };
    assert_eq!(body.len(), MAX_ERROR_BODY);
}

#[test]
fn excerpts_are_short_and_cut_on_char_boundaries() {
    let body = "é".repeat(1000);
    let text = excerpt(body.as_bytes(), 1001); // in the middle of a char
    assert!(text.chars().count() <= MAX_EXCERPT_CHARS);
    assert!(text.chars().all(|c| c == 'é' || c == '\u{fffd}'));
    assert_eq!(excerpt(b"short", 0), "short");
    assert_eq!(excerpt(b"", 0), "");
    assert_eq!(excerpt(b"abc", 99), "abc");
}

#[test]
fn decode_excerpt_points_at_the_failure() {
    let mut body = format!("{{\"pad\":\"{}\",\n\"n\":", "a".repeat(500)).into_bytes();
    body.extend_from_slice(b"\"oops\"}");
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct T {
        pad: String,
        n: u64,
    }
    let err = serde_json::from_slice::<T>(&body).unwrap_err();
    let Error::Decode {
        status,
        excerpt,
        message,
    } = Error::decode(200, &body, &err)
    else {
        unreachable!()
    };
    assert_eq!(status, 200);
    assert!(excerpt.contains("oops"), "{excerpt}");
    assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS);
    assert!(message.contains("invalid type"), "{message}");
}

#[test]
fn byte_offsets_follow_lines() {
    assert_eq!(byte_offset(b"ab\ncd", 2, 2), 4);
    assert_eq!(byte_offset(b"ab\ncd", 9, 2), 5);
    assert_eq!(byte_offset(b"ab", 1, 0), 0);
}
