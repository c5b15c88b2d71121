//! API credentials: the values of one of the API's ways to authenticate,
//! and where each goes on a request. Which ways there are, their order and
//! their environment variables come from the spec, in [`super::auth`].

use std::fmt;

use percent_encoding::utf8_percent_encode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::auth::AUTH;
use super::error::Error;

/// Where a security scheme puts its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`; takes two values.
    Basic,
    /// An API key in the named header.
    Header(&'static str),
    /// An API key in the named query parameter.
    Query(&'static str),
    /// An API key in the named cookie.
    Cookie(&'static str),
}

/// One security scheme of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// Its key under `components/securitySchemes`.
    pub name: &'static str,
    pub placement: Placement,
    /// The environment variables holding its values: two for
    /// [`Placement::Basic`] (user, password), one otherwise.
    pub env: &'static [&'static str],
}

impl Scheme {
    fn values(&self) -> usize {
        match self.placement {
            Placement::Basic => 2,
            _ => 1,
        }
    }
}

/// One way to authenticate (a security requirement of the spec): schemes
/// that are sent together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alternative {
    pub schemes: &'static [Scheme],
}

impl Alternative {
    fn env(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.schemes.iter().flat_map(|s| s.env.iter().copied())
    }
}

/// The API's ways to authenticate, in precedence order: from the
/// environment, the first whose variables are all set is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth {
    pub alternatives: &'static [Alternative],
}

impl Auth {
    /// Whether the API declares any way to authenticate (without one, a
    /// client needs no credentials).
    pub fn required(&self) -> bool {
        !self.alternatives.is_empty()
    }

    /// What to set, for [`Error::MissingCredentials`]: each alternative's
    /// variables, the preferred first.
    pub fn hint(&self) -> String {
        let mut out = String::new();
        for (i, alternative) in self.alternatives.iter().enumerate() {
            let vars: Vec<&str> = alternative.env().collect();
            if i > 0 {
                out.push_str(", or ");
            }
            match vars.as_slice() {
                [one] => out.push_str(one),
                [a, b] => out.push_str(&format!("both {a} and {b}")),
                many => out.push_str(&format!("all of {}", many.join(", "))),
            }
            if i == 0 && self.alternatives.len() > 1 {
                out.push_str(" (preferred)");
            }
        }
        out
    }
}

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

/// How requests authenticate: the values of one alternative of
/// [`AUTH`], so exactly one way is ever sent and ways never mix. The
/// generated constructors (one per alternative) build these.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    alternative: usize,
    values: Vec<Secret>,
}

/// Where credentials go on a request: headers, query pairs and cookies.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub headers: HeaderMap,
    /// Secret: never format them.
    pub query: Vec<(&'static str, Secret)>,
    /// `name=value` pairs for the `Cookie` header; secret.
    pub cookies: Vec<Secret>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("schemes", &self.to_string())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(alternative) = self.alternative() else {
            return f.write_str("unknown credentials");
        };
        for (i, scheme) in alternative.schemes.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            f.write_str(scheme.name)?;
        }
        Ok(())
    }
}

impl Credentials {
    /// Credentials for the alternative at `alternative` in [`AUTH`], with
    /// the values its schemes take, in order (a basic scheme takes the
    /// user, then the password). The generated constructors call this.
    pub fn new(alternative: usize, values: Vec<Secret>) -> Self {
        Credentials {
            alternative,
            values,
        }
    }

    fn alternative(&self) -> Option<&'static Alternative> {
        AUTH.alternatives.get(self.alternative)
    }

    /// The first alternative of [`AUTH`] (the precedence order) whose
    /// environment variables are all set.
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
        for (index, alternative) in AUTH.alternatives.iter().enumerate() {
            let values: Option<Vec<Secret>> =
                alternative.env().map(|v| get(v).map(Secret)).collect();
            if let Some(values) = values {
                return Ok(Credentials::new(index, values));
            }
        }
        Err(Error::MissingCredentials)
    }

    /// Where the credentials go, secrets marked sensitive.
    pub fn parts(&self) -> Result<Parts, Error> {
        let invalid = |reason| Error::InvalidCredentials { reason };
        let alternative = self.alternative().ok_or(invalid(
            "these credentials are for no way this API authenticates",
        ))?;
        let wanted: usize = alternative.schemes.iter().map(Scheme::values).sum();
        if wanted != self.values.len() {
            return Err(invalid("the credentials have the wrong number of values"));
        }
        let header = |value: &str| {
            let mut value = HeaderValue::try_from(value).map_err(|_| {
                invalid("a credential contains characters not allowed in an HTTP header")
            })?;
            value.set_sensitive(true);
            Ok::<_, Error>(value)
        };
        let mut parts = Parts::default();
        let mut values = self.values.iter().map(Secret::expose_secret);
        for scheme in alternative.schemes {
            let value = values.next().unwrap_or_default();
            match scheme.placement {
                Placement::Bearer => {
                    parts
                        .headers
                        .insert(AUTHORIZATION, header(&format!("Bearer {value}"))?);
                }
                Placement::Basic => {
                    let password = values.next().unwrap_or_default();
                    let encoded = base64(format!("{value}:{password}").as_bytes());
                    parts
                        .headers
                        .insert(AUTHORIZATION, header(&format!("Basic {encoded}"))?);
                }
                Placement::Header(name) => {
                    let name = HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| invalid("an API key's header name is not valid"))?;
                    parts.headers.insert(name, header(value)?);
                }
                Placement::Query(name) => parts.query.push((name, Secret::new(value))),
                Placement::Cookie(name) => parts.cookies.push(Secret(format!(
                    "{name}={}",
                    utf8_percent_encode(value, super::request::COMPONENT)
                ))),
            }
        }
        Ok(parts)
    }

    /// `text` from a server with every occurrence of a secret (every
    /// value of these credentials), as sent, JSON-escaped or
    /// percent-encoded, replaced by `[redacted]`: a server or proxy that
    /// echoes the request's credentials must not get them into errors and
    /// logs. Any non-empty secret is scrubbed (see `redact` for the false
    /// positives a short one brings).
    pub fn scrub(&self, text: &[u8]) -> Vec<u8> {
        self.scrub_each(text, false)
    }

    /// [`Credentials::scrub`] for the start of a longer text, cut after
    /// `text`: a tail that begins a secret is scrubbed too.
    pub fn scrub_cut(&self, text: &[u8]) -> Vec<u8> {
        self.scrub_each(text, true)
    }

    fn scrub_each(&self, text: &[u8], cut: bool) -> Vec<u8> {
        let mut out = text.to_vec();
        for secret in &self.values {
            out = super::redact::scrub(&out, secret.expose_secret().as_bytes(), cut);
        }
        out
    }

    /// How many bytes past a cut to read so a secret crossing it is seen
    /// whole ([`Credentials::scrub`] then finds it).
    pub fn scrub_overlap(&self) -> usize {
        self.values
            .iter()
            .map(|s| super::redact::longest_form(s.expose_secret().as_bytes()))
            .max()
            .unwrap_or(0)
    }

    /// [`Credentials::scrub`] for text already decoded.
    pub fn scrub_str(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.scrub(text.as_bytes())).into_owned()
    }

    /// Whether `name` is a header any of the API's schemes sets (or
    /// `Authorization`, or `Cookie` when a scheme uses cookies): such
    /// headers are never taken from a request, so schemes cannot mix.
    pub fn is_auth_header(name: &HeaderName) -> bool {
        *name == AUTHORIZATION
            || AUTH
                .alternatives
                .iter()
                .flat_map(|a| a.schemes)
                .any(|s| match s.placement {
                    Placement::Header(h) => name.as_str().eq_ignore_ascii_case(h),
                    Placement::Cookie(_) => *name == COOKIE,
                    _ => false,
                })
    }
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
