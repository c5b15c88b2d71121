//! The HTTP client the generated operations call: URL building,
//! authentication, retries, timeouts and a cap on response sizes.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use reqwest::Method;

use super::credentials::Credentials;
use super::error::{Error, MAX_ERROR_BODY};
use super::pager::PagerConfig;
use super::retry::{self, RetryPolicy};
use super::validation::{Constraint, Violation};

/// The environment variable that overrides the base URL in
/// [`ClientBuilder::from_env`].
pub const ENV_BASE_URL: &str = "CLOUDFLARE_BASE_URL";
/// `<crate name>/<crate version>` of the crate this runtime is compiled in.
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

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
            .map_err(|e| Error::InvalidRequest { message: format!("the JSON body does not serialize: {e}") })
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
            Body::Bytes { content_type, data } => write!(f, "Bytes({content_type}, {} bytes)", data.len()),
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
    pub body: Option<Body>,
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request { method, path: path.into(), query: Vec::new(), headers: Vec::new(), body: None }
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

    pub fn query_opt<T: ToString>(self, name: impl Into<Cow<'static, str>>, value: Option<T>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    pub fn header(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets a JSON body serialized from `value`.
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> Result<Self, Error> {
        Ok(self.body(Body::json(value)?))
    }
}

impl fmt::Debug for Request {
    /// Header values are left out: they may be sensitive.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_ref()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
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

/// Configures a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    user_agent: String,
    pager: PagerConfig,
}

impl ClientBuilder {
    pub fn new(default_base_url: &str) -> Self {
        ClientBuilder {
            base_url: default_base_url.to_string(),
            credentials: None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            pager: PagerConfig::default(),
        }
    }

    /// A builder with credentials from the environment (see
    /// [`Credentials::from_env`]) and the base URL from `CLOUDFLARE_BASE_URL`
    /// when set. Missing credentials surface in [`ClientBuilder::build`].
    pub fn from_env(default_base_url: &str) -> Self {
        Self::from_lookup(default_base_url, |name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] with the variables read through `lookup`.
    pub fn from_lookup(default_base_url: &str, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut builder = ClientBuilder::new(default_base_url);
        builder.credentials = Credentials::from_lookup(&lookup).ok();
        if let Some(url) = lookup(ENV_BASE_URL).map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
            builder.base_url = url;
        }
        builder
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The limit on a whole request, body included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit on connecting (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest successful response body accepted (default 32 MiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The most pages a pager fetches (default 10 000).
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.pager.max_pages = max_pages;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or(Error::MissingCredentials)?;
        let auth = credentials.headers()?;
        let base_url = normalize_base_url(&self.base_url)?;
        let user_agent = HeaderValue::try_from(self.user_agent.as_str()).map_err(|_| Error::InvalidRequest {
            message: "the user agent contains characters not allowed in an HTTP header".to_string(),
        })?;
        // No redirects: a redirect to another host would carry X-Auth-Key
        // along (reqwest strips only `Authorization`).
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(Error::Transport)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                credentials,
                user_agent,
                retry: self.retry,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                max_response_bytes: self.max_response_bytes,
                pager: self.pager,
            }),
        })
    }
}

/// Checks a base URL and returns it without a trailing `/`.
fn normalize_base_url(raw: &str) -> Result<String, Error> {
    let invalid = |url: String, reason: &str| Error::InvalidBaseUrl { url, reason: reason.to_string() };
    let mut url = reqwest::Url::parse(raw.trim())
        .map_err(|e| Error::InvalidBaseUrl { url: raw.to_string(), reason: e.to_string() })?;
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
        return Err(invalid(url.to_string(), "must not contain user info (credentials go in headers)"));
    }
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(invalid(url.to_string(), "the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid(url.to_string(), "must be an absolute URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(url.to_string(), "must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The API client: cheap to clone (clones share one connection pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: HeaderMap,
    credentials: Credentials,
    user_agent: HeaderValue,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    pager: PagerConfig,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials.to_string())
            .field("user_agent", &inner.user_agent)
            .field("retry", &inner.retry)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("max_response_bytes", &inner.max_response_bytes)
            .field("pager", &inner.pager)
            .finish()
    }
}

enum Outcome {
    Done(Response),
    Failed { error: Error, retryable: bool, wait: Option<Duration> },
}

enum ReadError {
    TooLarge,
    Http(reqwest::Error),
}

impl Client {
    /// A builder for a client of the API at `default_base_url`.
    pub fn builder(default_base_url: &str) -> ClientBuilder {
        ClientBuilder::new(default_base_url)
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    pub fn pager_config(&self) -> PagerConfig {
        self.inner.pager
    }

    /// Sends `req` and decodes the 2xx body as JSON.
    pub async fn send_json<T: DeserializeOwned>(&self, req: &Request) -> Result<T, Error> {
        self.send(req).await?.json()
    }

    /// Sends `req` and returns the 2xx body as it came.
    pub async fn send_bytes(&self, req: &Request) -> Result<Vec<u8>, Error> {
        Ok(self.send(req).await?.body)
    }

    /// Sends `req` and ignores the 2xx body.
    pub async fn send_empty(&self, req: &Request) -> Result<(), Error> {
        self.send(req).await.map(|_| ())
    }

    /// Sends `req`, retrying as the policy allows, and returns the 2xx
    /// response; any other status is an [`Error::Api`].
    pub async fn send(&self, req: &Request) -> Result<Response, Error> {
        let url = self.url(req)?;
        let headers = self.headers(req)?;
        let body = req.body.as_ref().map(Body::to_bytes);
        let policy = self.inner.retry;
        let mut retry = 0;
        loop {
            match self.attempt(&req.method, &url, &headers, body.as_ref()).await {
                Outcome::Done(response) => return Ok(response),
                Outcome::Failed { error, retryable, wait } => {
                    if !retryable || retry >= policy.max_retries {
                        return Err(error);
                    }
                    tokio::time::sleep(policy.delay(retry, wait, retry::jitter())).await;
                    retry += 1;
                }
            }
        }
    }

    fn url(&self, req: &Request) -> Result<reqwest::Url, Error> {
        let bad = |message: String| Error::InvalidRequest { message };
        if !req.path.starts_with('/') || req.path.contains(['?', '#']) {
            return Err(bad(format!("the path {:?} must start with '/' and have no '?' or '#'", req.path)));
        }
        if req.path.split('/').any(is_dot_segment) {
            return Err(bad(format!("the path {:?} has a '.' or '..' segment", req.path)));
        }
        let mut url = String::with_capacity(self.inner.base_url.len() + req.path.len() + 64);
        url.push_str(&self.inner.base_url);
        url.push_str(&req.path);
        for (i, (name, value)) in req.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(name, COMPONENT));
            url.push('=');
            url.extend(utf8_percent_encode(value, COMPONENT));
        }
        reqwest::Url::parse(&url).map_err(|e| bad(format!("the URL does not parse: {e}")))
    }

    fn headers(&self, req: &Request) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        for (name, value) in &req.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest { message: format!("invalid header name {name:?}") })?;
            if Credentials::is_auth_header(&name) {
                continue;
            }
            let value = HeaderValue::try_from(value.as_str()).map_err(|_| Error::InvalidRequest {
                message: format!("the value of header {name} contains characters not allowed in a header"),
            })?;
            headers.append(name, value);
        }
        if let Some(body) = &req.body {
            let content_type = HeaderValue::try_from(body.content_type()).map_err(|_| {
                Error::InvalidRequest { message: "the body's content type is not a valid header value".to_string() }
            })?;
            headers.insert(CONTENT_TYPE, content_type);
        }
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        for (name, value) in &self.inner.auth {
            headers.insert(name.clone(), value.clone());
        }
        Ok(headers)
    }

    async fn attempt(&self, method: &Method, url: &reqwest::Url, headers: &HeaderMap, body: Option<&Vec<u8>>) -> Outcome {
        let mut builder = self.inner.http.request(method.clone(), url.clone()).headers(headers.clone());
        if let Some(body) = body {
            builder = builder.body(body.clone());
        }
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return transport_failure(e),
        };
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        if response.status().is_success() {
            match read_body(&mut response, self.inner.max_response_bytes, false).await {
                Ok(body) => Outcome::Done(Response { status, headers, body }),
                Err(ReadError::TooLarge) => Outcome::Failed {
                    error: Error::BodyTooLarge { limit: self.inner.max_response_bytes },
                    retryable: false,
                    wait: None,
                },
                Err(ReadError::Http(e)) => transport_failure(e),
            }
        } else {
            // Error bodies are kept (truncated) for the message; a failure
            // while reading one leaves what was read.
            let body = read_body(&mut response, MAX_ERROR_BODY, true).await.unwrap_or_default();
            Outcome::Failed {
                error: Error::api(status, &body),
                retryable: RetryPolicy::is_retryable_status(status),
                wait: retry::server_wait(&headers, SystemTime::now()),
            }
        }
    }
}

/// `.`, `..` or a percent-encoded spelling of them (which URL parsing
/// also treats as dot segments).
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase().replace("%2e", ".");
    lower == "." || lower == ".."
}

fn transport_failure(e: reqwest::Error) -> Outcome {
    if e.is_builder() {
        return Outcome::Failed {
            error: Error::InvalidRequest { message: e.to_string() },
            retryable: false,
            wait: None,
        };
    }
    let error = if e.is_timeout() { Error::Timeout } else { Error::Transport(e) };
    Outcome::Failed { error, retryable: true, wait: None }
}

/// Reads the body, never holding more than `limit` bytes: beyond it the
/// read fails (or, with `truncate`, stops and returns the first `limit`;
/// a broken connection then also returns what was read).
async fn read_body(response: &mut reqwest::Response, limit: usize, truncate: bool) -> Result<Vec<u8>, ReadError> {
    let declared = response.content_length();
    if !truncate && declared.is_some_and(|n| n > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(limit as u64).min(1 << 20) as usize);
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(body),
            Err(_) if truncate => return Ok(body),
            Err(e) => return Err(ReadError::Http(e)),
        };
        let room = limit.saturating_sub(body.len());
        if chunk.len() > room {
            if truncate {
                body.extend(chunk.iter().take(room));
                return Ok(body);
            }
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
}
