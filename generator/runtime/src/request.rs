//! What the generated operation code hands to the client: a [`Request`]
//! (method, encoded path, query, headers, body), and the [`Response`] a
//! successful call returns.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use reqwest::Method;

use super::error::Error;
use super::validation::{Constraint, Violation};

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
pub(super) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path parameter: everything but unreserved characters,
/// so `/`, `?`, `#`, `%` and spaces cannot change the URL's shape.
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// [`encode_path_segment`] for the path parameter `name`, rejecting values
/// that would change which resource the path names: the empty string
/// (`/zones//dns_records`), `.` and `..` (which URL normalisation removes).
pub fn path_param(name: &'static str, value: &str) -> Result<String, Error> {
    let violation = match value {
        "" => Violation {
            path: name.to_string(),
            constraint: Constraint::MinLength(1),
            actual: "\"\" (0 characters)".to_string(),
        },
        "." | ".." => Violation {
            path: name.to_string(),
            constraint: Constraint::Pattern(r"^(?!\.\.?$)"),
            actual: format!("{value:?}"),
        },
        _ => return Ok(encode_path_segment(value)),
    };
    Err(Error::InvalidParameters(vec![violation]))
}

/// A request body.
#[derive(Clone, PartialEq, Eq)]
pub enum Body {
    /// Serialized JSON, sent as `application/json`.
    Json(Vec<u8>),
    /// Raw bytes with their content type.
    Bytes { content_type: String, data: Vec<u8> },
    /// Fields sent as `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

impl Body {
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_json::to_vec(value)
            .map(Body::Json)
            .map_err(|e| Error::InvalidRequest {
                message: format!("the JSON body does not serialize: {e}"),
            })
    }

    /// The `Content-Type` the body is sent with.
    pub fn content_type(&self) -> &str {
        match self {
            Body::Json(_) => "application/json",
            Body::Bytes { content_type, .. } => content_type,
            Body::Form(_) => "application/x-www-form-urlencoded",
        }
    }

    /// The bytes sent on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Json(data) | Body::Bytes { data, .. } => data.clone(),
            Body::Form(fields) => {
                let mut out = String::new();
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push('&');
                    }
                    out.extend(utf8_percent_encode(k, COMPONENT));
                    out.push('=');
                    out.extend(utf8_percent_encode(v, COMPONENT));
                }
                out.into_bytes()
            }
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(data) => write!(f, "Json({} bytes)", data.len()),
            Body::Bytes { content_type, data } => {
                write!(f, "Bytes({content_type}, {} bytes)", data.len())
            }
            Body::Form(fields) => write!(f, "Form({} fields)", fields.len()),
        }
    }
}

/// One API call, as the generated operation code describes it.
#[derive(Clone)]
pub struct Request {
    pub method: Method,
    /// The path after the base URL, starting with `/`, with parameters
    /// already encoded by [`path_param`] or [`encode_path_segment`].
    pub path: String,
    /// Query parameters, unencoded, in order (repeat a name for arrays).
    pub query: Vec<(Cow<'static, str>, String)>,
    /// Extra headers. Authentication headers here are ignored.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Cookies (`in: cookie` parameters), unencoded, in order: sent in
    /// one `Cookie` header, before any credentials cookie.
    pub cookies: Vec<(Cow<'static, str>, String)>,
    /// Whether the client's credentials go with the request (`false` for
    /// an operation whose spec says `security: []`).
    pub authenticated: bool,
    pub body: Option<Body>,
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            authenticated: true,
            body: None,
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Request::new(Method::GET, path)
    }

    pub fn post(path: impl Into<String>) -> Self {
        Request::new(Method::POST, path)
    }

    pub fn put(path: impl Into<String>) -> Self {
        Request::new(Method::PUT, path)
    }

    pub fn patch(path: impl Into<String>) -> Self {
        Request::new(Method::PATCH, path)
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Request::new(Method::DELETE, path)
    }

    pub fn query(mut self, name: impl Into<Cow<'static, str>>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    pub fn query_opt<T: ToString>(
        self,
        name: impl Into<Cow<'static, str>>,
        value: Option<T>,
    ) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Adds a `name=value` pair for each of `values`, in order, each
    /// encoded as [`super::encode::text`] does: an absent parameter
    /// (`None`) adds nothing, an array repeats the name (`form`, exploded).
    pub fn query_each<I>(mut self, name: &'static str, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Serialize,
    {
        for value in values {
            self = self.query(name, super::encode::text(&value));
        }
        self
    }

    pub fn header(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds the cookie `name=value` (the value is percent-encoded).
    pub fn cookie(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.cookies.push((name.into(), value.into()));
        self
    }

    /// Sends the request without the client's credentials.
    pub fn without_credentials(mut self) -> Self {
        self.authenticated = false;
        self
    }

    /// The `Cookie` header's value for the request's cookies, each value
    /// percent-encoded (so `;`, `,`, spaces and quotes cannot split it);
    /// `None` without cookies.
    pub fn cookie_header(&self) -> Option<String> {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={}", encode_path_segment(value)))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets a JSON body serialized from `value`.
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> Result<Self, Error> {
        Ok(self.body(Body::json(value)?))
    }

    /// The full URL: `base_url` (without a trailing `/`), the path, and
    /// the query with names and values percent-encoded.
    pub fn url(&self, base_url: &str) -> Result<reqwest::Url, Error> {
        self.url_with(base_url, &[])
    }

    /// [`Request::url`] with `extra` pairs after the request's own query
    /// (the credentials of a scheme that sends its key in the query).
    pub fn url_with(&self, base_url: &str, extra: &[(&str, &str)]) -> Result<reqwest::Url, Error> {
        let bad = |message: String| Error::InvalidRequest { message };
        if !self.path.starts_with('/') || self.path.contains(['?', '#']) {
            return Err(bad(format!(
                "the path {:?} must start with '/' and have no '?' or '#'",
                self.path
            )));
        }
        if self.path.split('/').any(is_dot_segment) {
            return Err(bad(format!(
                "the path {:?} has a '.' or '..' segment",
                self.path
            )));
        }
        let mut url = String::with_capacity(base_url.len() + self.path.len() + 64);
        url.push_str(base_url);
        url.push_str(&self.path);
        let own = self.query.iter().map(|(n, v)| (n.as_ref(), v.as_str()));
        for (i, (name, value)) in own.chain(extra.iter().copied()).enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(name, COMPONENT));
            url.push('=');
            url.extend(utf8_percent_encode(value, COMPONENT));
        }
        reqwest::Url::parse(&url).map_err(|e| bad(format!("the URL does not parse: {e}")))
    }
}

impl fmt::Debug for Request {
    /// Header and cookie values are left out: they may be sensitive.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_ref()).collect();
        let cookies: Vec<&str> = self.cookies.iter().map(|(k, _)| k.as_ref()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("cookies", &cookies)
            .field("authenticated", &self.authenticated)
            .field("body", &self.body)
            .finish()
    }
}

/// A successful (2xx) response with its whole body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    /// Decodes the body as JSON; failures carry an excerpt of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| Error::decode(self.status, &self.body, &e))
    }
}

/// `.`, `..` or a percent-encoded spelling of them (which URL parsing
/// also treats as dot segments).
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase().replace("%2e", ".");
    lower == "." || lower == ".."
}
