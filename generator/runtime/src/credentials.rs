//! API credentials: an API token, or the legacy email + global API key.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};

use super::error::Error;

/// The environment variable holding an API token (preferred).
pub const ENV_API_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
/// The environment variable holding the account email (with [`ENV_API_KEY`]).
pub const ENV_EMAIL: &str = "CLOUDFLARE_EMAIL";
/// The environment variable holding the global API key (with [`ENV_EMAIL`]).
pub const ENV_API_KEY: &str = "CLOUDFLARE_API_KEY";

/// The header carrying the account email of email/key authentication.
pub const HEADER_AUTH_EMAIL: &str = "x-auth-email";
/// The header carrying the global API key of email/key authentication.
pub const HEADER_AUTH_KEY: &str = "x-auth-key";

/// A secret string. Its `Debug` and `Display` print `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself; never format it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How requests authenticate. Exactly one scheme is ever sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Bearer <token>`.
    ApiToken(Secret),
    /// `X-Auth-Email` + `X-Auth-Key`.
    EmailKey { email: String, key: Secret },
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiToken(_) => f.write_str("API token"),
            Credentials::EmailKey { email, .. } => write!(f, "API key of {email}"),
        }
    }
}

impl Credentials {
    pub fn api_token(token: impl Into<String>) -> Self {
        Credentials::ApiToken(Secret::new(token))
    }

    pub fn email_key(email: impl Into<String>, key: impl Into<String>) -> Self {
        Credentials::EmailKey {
            email: email.into(),
            key: Secret::new(key),
        }
    }

    /// Reads `CLOUDFLARE_API_TOKEN`, else `CLOUDFLARE_EMAIL` and
    /// `CLOUDFLARE_API_KEY`. A token wins over an email/key pair.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Credentials::from_env`] with the variables read through `lookup`.
    /// Values are trimmed; empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        if let Some(token) = get(ENV_API_TOKEN) {
            return Ok(Credentials::api_token(token));
        }
        match (get(ENV_EMAIL), get(ENV_API_KEY)) {
            (Some(email), Some(key)) => Ok(Credentials::email_key(email, key)),
            _ => Err(Error::MissingCredentials),
        }
    }

    /// The headers that authenticate a request, secrets marked sensitive.
    pub fn headers(&self) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        match self {
            Credentials::ApiToken(token) => {
                let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
                    .map_err(|_| Error::InvalidCredentials {
                        reason: "the API token contains characters not allowed in an HTTP header",
                    })?;
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
            }
            Credentials::EmailKey { email, key } => {
                let email = HeaderValue::try_from(email.as_str()).map_err(|_| {
                    Error::InvalidCredentials {
                        reason: "the email contains characters not allowed in an HTTP header",
                    }
                })?;
                let mut key = HeaderValue::try_from(key.expose_secret()).map_err(|_| {
                    Error::InvalidCredentials {
                        reason: "the API key contains characters not allowed in an HTTP header",
                    }
                })?;
                key.set_sensitive(true);
                headers.insert(HeaderName::from_static(HEADER_AUTH_EMAIL), email);
                headers.insert(HeaderName::from_static(HEADER_AUTH_KEY), key);
            }
        }
        Ok(headers)
    }

    /// `text` from a server with every occurrence of the secret (the token
    /// or the key), as sent, JSON-escaped or percent-encoded, replaced by
    /// `[redacted]`: a server or proxy that echoes the request's
    /// credentials must not get them into errors and logs. Any non-empty
    /// secret is scrubbed (see `redact` for the false positives a short one
    /// brings).
    pub fn scrub(&self, text: &[u8]) -> Vec<u8> {
        super::redact::scrub(text, self.secret().as_bytes(), false)
    }

    /// [`Credentials::scrub`] for the start of a longer text, cut after
    /// `text`: a tail that begins the secret is scrubbed too.
    pub fn scrub_cut(&self, text: &[u8]) -> Vec<u8> {
        super::redact::scrub(text, self.secret().as_bytes(), true)
    }

    /// How many bytes past a cut to read so a secret crossing it is seen
    /// whole ([`Credentials::scrub`] then finds it).
    pub fn scrub_overlap(&self) -> usize {
        super::redact::longest_form(self.secret().as_bytes())
    }

    /// [`Credentials::scrub`] for text already decoded.
    pub fn scrub_str(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.scrub(text.as_bytes())).into_owned()
    }

    fn secret(&self) -> &str {
        match self {
            Credentials::ApiToken(token) => token.expose_secret(),
            Credentials::EmailKey { key, .. } => key.expose_secret(),
        }
    }

    /// Whether `name` is a header any credentials scheme sets; such headers
    /// are never taken from a request, so schemes cannot mix.
    pub fn is_auth_header(name: &HeaderName) -> bool {
        name == AUTHORIZATION
            || name.as_str() == HEADER_AUTH_EMAIL
            || name.as_str() == HEADER_AUTH_KEY
            || name.as_str() == "x-auth-user-service-key"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let h = c.headers().unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[AUTHORIZATION], "Bearer tok-123");
        assert!(h[AUTHORIZATION].is_sensitive());
    }

    #[test]
    fn email_and_key_need_both() {
        let c =
            Credentials::from_lookup(env(&[(ENV_EMAIL, " a@example.com\n"), (ENV_API_KEY, "k")]))
                .unwrap();
        assert_eq!(c, Credentials::email_key("a@example.com", "k"));
        let h = c.headers().unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[HEADER_AUTH_EMAIL], "a@example.com");
        assert!(h[HEADER_AUTH_KEY].is_sensitive());
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
            "me@example.com [redacted]"
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
            let headers = c.headers().unwrap();
            assert!(!format!("{headers:?}").contains("SECRET"));
        }
        assert_eq!(
            format!("{:?} {}", Secret::new("x"), Secret::new("x")),
            "[redacted] [redacted]"
        );
    }

    #[test]
    fn unsendable_secrets_are_rejected_without_echoing_them() {
        let err = Credentials::api_token("tok\nSECRET").headers().unwrap_err();
        assert!(matches!(err, Error::InvalidCredentials { .. }));
        assert!(!err.to_string().contains("SECRET"));
        assert!(Credentials::email_key("a@b", "k\r\n").headers().is_err());
    }
}
