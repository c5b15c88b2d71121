//! Unit tests of `src/client.rs`.

use crate::runtime::client::*;
use crate::runtime::credentials::Credentials;
use crate::runtime::error::Error;
use reqwest::header::{CONTENT_TYPE, USER_AGENT};

#[test]
fn base_urls_are_checked() {
    assert_eq!(
        normalize_base_url(" https://h/v4// ").unwrap(),
        "https://h/v4"
    );
    for bad in [
        "h/v4",
        "ftp://h",
        "https://u:p@h",
        "https://h/?x",
        "https://h/#x",
        "data:text/plain,x",
    ] {
        assert!(
            matches!(normalize_base_url(bad), Err(Error::InvalidBaseUrl { .. })),
            "{bad}"
        );
    }
    let Err(e) = normalize_base_url("https://u:hunter2@h") else {
        panic!()
    };
    assert!(!e.to_string().contains("hunter2"), "{e}");
    let c = Client::builder("https://api.example.com/client/v4/")
        .credentials(Credentials::api_token("t"))
        .build()
        .unwrap();
    assert_eq!(c.base_url(), "https://api.example.com/client/v4");
}

#[test]
fn headers_never_mix_schemes() {
    let c = Client::builder("https://h")
        .credentials(Credentials::email_key("e@x", "k"))
        .user_agent("ua/1")
        .build()
        .unwrap();
    let req = Request::post("/")
        .header("Authorization", "Bearer other")
        .header("X-Auth-Key", "other")
        .header("x-a", "1")
        .header("x-a", "2")
        .body(Body::Form(vec![("a".into(), "1 2".into())]));
    let h = c.headers(&req).unwrap();
    assert!(!h.contains_key("authorization"));
    assert_eq!(h["x-auth-key"], "k");
    assert_eq!(h.get_all("x-a").iter().count(), 2);
    assert_eq!(h[USER_AGENT], "ua/1");
    assert_eq!(h[CONTENT_TYPE], "application/x-www-form-urlencoded");
    assert!(c
        .headers(&Request::get("/").header("bad name", "v"))
        .is_err());
}
