//! The one error type every client call returns.
//!
//! Messages never contain credentials: they are sent only in headers, header
//! values are never formatted, and base URLs carrying user info are rejected.

use std::fmt;

use super::redact::printable;
use super::validation::Violation;

/// The most of an error response body kept in [`Error::Api`].
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// The most characters of a body quoted in [`Error::Decode`].
pub const MAX_EXCERPT_CHARS: usize = 200;

/// Everything that can go wrong talking to the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// No credentials were given (or found in the environment).
    MissingCredentials,
    /// The credentials cannot be sent (e.g. a token with a line break).
    InvalidCredentials { reason: &'static str },
    /// The base URL does not parse or is not usable.
    InvalidBaseUrl { url: String, reason: String },
    /// Request parameters break their schema's constraints; each
    /// violation's `path` is the parameter name.
    InvalidParameters(Vec<Violation>),
    /// The request could not be built (a header value with a line break, a
    /// body that does not serialize, a `..` path segment).
    InvalidRequest { message: String },
    /// The server answered with a non-2xx status.
    Api {
        status: u16,
        /// The `errors` of a Cloudflare envelope, when the body has one.
        errors: Vec<ApiMessage>,
        /// The raw body (lossily decoded, at most [`MAX_ERROR_BODY`] bytes).
        body: String,
    },
    /// The connection failed or broke (refused, reset, closed early).
    Transport(reqwest::Error),
    /// The request (including reading the body) took longer than the timeout.
    Timeout,
    /// A 2xx body that does not decode into the expected type.
    Decode {
        status: u16,
        message: String,
        /// At most [`MAX_EXCERPT_CHARS`] characters of the body around the
        /// place decoding failed.
        excerpt: String,
    },
    /// The response body is larger than the client's cap.
    BodyTooLarge { limit: usize },
    /// A pager reached its cap on pages.
    TooManyPages { limit: u64 },
}

impl Error {
    /// The HTTP status, for errors that came with a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The Cloudflare error messages of an [`Error::Api`] (empty otherwise).
    pub fn api_errors(&self) -> &[ApiMessage] {
        match self {
            Error::Api { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Builds an [`Error::Api`] from a status and a (possibly truncated) body.
    pub fn api(status: u16, body: &[u8]) -> Error {
        let errors = ApiMessage::parse_envelope(body);
        let cut = &body[..char_floor(body, MAX_ERROR_BODY)];
        Error::Api {
            status,
            errors,
            body: String::from_utf8_lossy(cut).into_owned(),
        }
    }

    /// Builds an [`Error::Decode`] for a 2xx body that failed to decode.
    pub fn decode(status: u16, body: &[u8], err: &serde_json::Error) -> Error {
        let at = byte_offset(body, err.line(), err.column());
        Error::Decode {
            status,
            message: err.to_string(),
            excerpt: excerpt(body, at),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MissingCredentials => {
                write!(f, "no credentials: set {}", super::auth::AUTH.hint())
            }
            Error::InvalidCredentials { reason } => write!(f, "invalid credentials: {reason}"),
            Error::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            Error::InvalidParameters(violations) => {
                f.write_str("invalid parameters: ")?;
                for (i, v) in violations.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            Error::Api {
                status,
                errors,
                body,
            } => {
                write!(f, "API error (HTTP {status})")?;
                if errors.is_empty() {
                    let text = excerpt(body.as_bytes(), 0);
                    if !text.trim().is_empty() {
                        write!(f, ": {}", printable(text.trim()))?;
                    }
                } else {
                    for (i, e) in errors.iter().enumerate() {
                        f.write_str(if i == 0 { ": " } else { "; " })?;
                        write!(f, "{e}")?;
                    }
                }
                Ok(())
            }
            Error::Transport(e) => {
                write!(f, "transport error: {e}")?;
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    write!(f, ": {s}")?;
                    source = s.source();
                }
                Ok(())
            }
            Error::Timeout => f.write_str("request timed out"),
            Error::Decode {
                status,
                message,
                excerpt,
            } => {
                write!(
                    f,
                    "could not decode the HTTP {status} response body: {} (near {excerpt:?})",
                    printable(message)
                )
            }
            Error::BodyTooLarge { limit } => {
                write!(f, "response body larger than the limit of {limit} bytes")
            }
            Error::TooManyPages { limit } => {
                write!(
                    f,
                    "stopped paginating after {limit} pages (the pager's limit)"
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// One entry of a Cloudflare envelope's `errors` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiMessage {
    pub code: Option<i64>,
    pub message: String,
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Server text: shown with terminal controls and bidi escaped.
        let message = printable(&self.message);
        match self.code {
            Some(code) => write!(f, "[{code}] {message}"),
            None => f.write_str(&message),
        }
    }
}

impl ApiMessage {
    /// Reads `{"errors":[{"code":..,"message":..}], ...}` leniently: codes
    /// may be numbers or numeric strings, entries may be bare strings, and a
    /// body without `errors` but with a string `error` or `message` yields
    /// that one message. Anything else yields nothing.
    pub fn parse_envelope(body: &[u8]) -> Vec<ApiMessage> {
        let Ok(serde_json::Value::Object(top)) = serde_json::from_slice::<serde_json::Value>(body)
        else {
            return Vec::new();
        };
        if let Some(serde_json::Value::Array(items)) = top.get("errors") {
            let found: Vec<ApiMessage> = items.iter().filter_map(ApiMessage::from_value).collect();
            if !found.is_empty() {
                return found;
            }
        }
        for key in ["error", "message"] {
            if let Some(serde_json::Value::String(message)) = top.get(key) {
                return vec![ApiMessage {
                    code: None,
                    message: message.clone(),
                }];
            }
        }
        Vec::new()
    }

    fn from_value(value: &serde_json::Value) -> Option<ApiMessage> {
        match value {
            serde_json::Value::String(s) => Some(ApiMessage {
                code: None,
                message: s.clone(),
            }),
            serde_json::Value::Object(o) => {
                let code = match o.get("code") {
                    Some(serde_json::Value::Number(n)) => n.as_i64(),
                    Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
                    _ => None,
                };
                let message = match o.get("message") {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                if code.is_none() && message.is_empty() {
                    None
                } else {
                    Some(ApiMessage { code, message })
                }
            }
            _ => None,
        }
    }
}

/// The byte offset of a 1-based line and column (as serde_json reports
/// them; column 0 means "before the first character"), clamped to the body.
pub(crate) fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut start = 0;
    let mut remaining = line - 1;
    while remaining > 0 {
        match body[start..].iter().position(|&b| b == b'\n') {
            Some(p) => start += p + 1,
            None => return body.len(),
        }
        remaining -= 1;
    }
    start
        .saturating_add(column.saturating_sub(1))
        .min(body.len())
}

/// `i` clamped to the body and moved back to the start of a UTF-8 sequence
/// (at most three steps, so invalid UTF-8 cannot make it walk far).
pub(super) fn char_floor(body: &[u8], i: usize) -> usize {
    let mut i = i.min(body.len());
    for _ in 0..3 {
        match body.get(i) {
            Some(b) if i > 0 && b & 0xC0 == 0x80 => i -= 1,
            _ => break,
        }
    }
    i
}

/// At most [`MAX_EXCERPT_CHARS`] characters of `body` around byte `at`
/// (starting a little before it), cut on character boundaries.
pub(crate) fn excerpt(body: &[u8], at: usize) -> String {
    // Decode a bounded window only: a 4-byte-per-char worst case around `at`.
    let from = char_floor(body, at.saturating_sub(MAX_EXCERPT_CHARS * 2));
    let to = char_floor(body, at.saturating_add(MAX_EXCERPT_CHARS * 4));
    let window = String::from_utf8_lossy(&body[from..to]);
    let chars: Vec<char> = window.chars().collect();
    // Where `at` falls in the window, counted in characters (approximately,
    // when invalid UTF-8 was replaced).
    let before = String::from_utf8_lossy(&body[from..at.clamp(from, to)])
        .chars()
        .count();
    let start = before.saturating_sub(MAX_EXCERPT_CHARS / 2);
    let end = (start + MAX_EXCERPT_CHARS).min(chars.len());
    let start = end.saturating_sub(MAX_EXCERPT_CHARS).min(start);
    chars[start..end].iter().collect()
}
