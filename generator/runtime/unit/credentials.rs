//! Unit tests of `src/credentials.rs`.

use crate::runtime::auth::AUTH;
use crate::runtime::credentials::*;
use crate::runtime::error::Error;
use reqwest::header::AUTHORIZATION;

const ENV_API_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
const ENV_EMAIL: &str = "CLOUDFLARE_EMAIL";
const ENV_API_KEY: &str = "CLOUDFLARE_API_KEY";

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn token_wins_over_email_and_key() {
    let c = Credentials::from_lookup(env(&[
        (ENV_API_TOKEN, "tok-123"),
        (ENV_EMAIL, "a@example.com"),
        (ENV_API_KEY, "key-456"),
    ]))
    .unwrap();
    assert_eq!(c, Credentials::api_token("tok-123"));
    let h = c.parts().unwrap().headers;
    assert_eq!(h.len(), 1);
    assert_eq!(h[AUTHORIZATION], "Bearer tok-123");
    assert!(h[AUTHORIZATION].is_sensitive());
}

#[test]
fn email_and_key_need_both() {
    let c = Credentials::from_lookup(env(&[(ENV_EMAIL, " a@example.com\n"), (ENV_API_KEY, "k")]))
        .unwrap();
    assert_eq!(c, Credentials::email_key("a@example.com", "k"));
    let h = c.parts().unwrap().headers;
    assert_eq!(h.len(), 2);
    assert_eq!(h["x-auth-email"], "a@example.com");
    assert!(h["x-auth-key"].is_sensitive());
    assert!(!h.contains_key(AUTHORIZATION));

    for vars in [
        &[(ENV_EMAIL, "a@example.com")][..],
        &[(ENV_API_KEY, "k")],
        &[(ENV_API_TOKEN, "  ")],
        &[],
    ] {
        let err = Credentials::from_lookup(env(vars)).unwrap_err();
        assert!(matches!(err, Error::MissingCredentials));
        let msg = err.to_string();
        assert!(
            msg.contains(ENV_API_TOKEN) && msg.contains(ENV_EMAIL) && msg.contains(ENV_API_KEY)
        );
    }
    assert_eq!(
        AUTH.hint(),
        "CLOUDFLARE_API_TOKEN (preferred), or both CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY"
    );
}

#[test]
fn scrub_removes_every_copy_of_the_secret() {
    let c = Credentials::api_token("tok-12345678");
    assert_eq!(
        c.scrub_str("a tok-12345678 b tok-12345678tok-12345678"),
        "a [redacted] b [redacted][redacted]"
    );
    let k = Credentials::email_key("me@example.com", "key-abcdefgh");
    assert_eq!(
        k.scrub_str("me@example.com key-abcdefgh"),
        "[redacted] [redacted]"
    );
    // However short: a leak costs more than a mangled message.
    assert_eq!(
        Credentials::api_token("t").scrub_str("text"),
        "[redacted]ex[redacted]"
    );
}

#[test]
fn secrets_never_format() {
    let all = [
        Credentials::api_token("tok-SECRET"),
        Credentials::email_key("a@example.com", "key-SECRET"),
    ];
    for c in all {
        for text in [format!("{c:?}"), format!("{c:#?}"), c.to_string()] {
            assert!(!text.contains("SECRET"), "{text}");
        }
        let parts = c.parts().unwrap();
        assert!(!format!("{parts:?}").contains("SECRET"));
    }
    assert_eq!(
        Credentials::email_key("e", "k").to_string(),
        "api_email + api_key"
    );
    assert_eq!(
        format!("{:?} {}", Secret::new("x"), Secret::new("x")),
        "[redacted] [redacted]"
    );
}

#[test]
fn unsendable_secrets_are_rejected_without_echoing_them() {
    let err = Credentials::api_token("tok\nSECRET").parts().unwrap_err();
    assert!(matches!(err, Error::InvalidCredentials { .. }));
    assert!(!err.to_string().contains("SECRET"));
    assert!(Credentials::email_key("a@b", "k\r\n").parts().is_err());
    // Values that do not fit the alternative.
    assert!(Credentials::new(0, Vec::new()).parts().is_err());
    assert!(Credentials::new(9, vec![Secret::new("t")]).parts().is_err());
}

#[test]
fn base64_is_rfc_4648() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
    ] {
        assert_eq!(base64(plain.as_bytes()), encoded);
    }
}
