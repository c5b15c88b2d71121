//! The HTTP client the generated operations call: URL building,
//! authentication, retries, timeouts and a cap on response sizes.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, COOKIE, USER_AGENT};
use serde::de::DeserializeOwned;

use super::auth::AUTH;
pub use super::auth::ENV_BASE_URL;
use super::credentials::{Credentials, Parts};
use super::error::{Error, MAX_ERROR_BODY};
use super::options::{Capture, Raw, RequestOptions};
use super::pager::PagerConfig;
pub use super::request::{encode_path_segment, path_param, Body, Method, Request, Response};
use super::retry::{self, Failure, RetryPolicy};

/// `<crate name>/<crate version>` of the crate this runtime is compiled in.
pub const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

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
    http: Option<reqwest::Client>,
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
            http: None,
        }
    }

    /// A builder with credentials from the environment (see
    /// [`Credentials::from_env`]) and the base URL from [`ENV_BASE_URL`]
    /// when set. Missing credentials surface in [`ClientBuilder::build`].
    pub fn from_env(default_base_url: &str) -> Self {
        Self::from_lookup(default_base_url, |name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] with the variables read through `lookup`.
    pub fn from_lookup(default_base_url: &str, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut builder = ClientBuilder::new(default_base_url);
        builder.credentials = Credentials::from_lookup(&lookup).ok();
        if let Some(url) = lookup(ENV_BASE_URL)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
        {
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

    /// Sends requests through `http`, a `reqwest::Client` of your own
    /// (proxies, custom TLS roots, a shared connection pool). The builder's
    /// [`timeout`](ClientBuilder::timeout) still applies to every request;
    /// its connect timeout does not (set it on `http`). Build `http` with
    /// `redirect(reqwest::redirect::Policy::none())`: a redirect to another
    /// host would carry API keys in headers other than `Authorization`
    /// along.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The most pages a pager fetches (default 10 000).
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.pager.max_pages = max_pages;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        if self.credentials.is_none() && AUTH.required() {
            return Err(Error::MissingCredentials);
        }
        let auth = match &self.credentials {
            Some(credentials) => credentials.parts()?,
            None => Parts::default(),
        };
        let base_url = normalize_base_url(&self.base_url)?;
        let user_agent =
            HeaderValue::try_from(self.user_agent.as_str()).map_err(|_| Error::InvalidRequest {
                message: "the user agent contains characters not allowed in an HTTP header"
                    .to_string(),
            })?;
        // No redirects: a redirect to another host would carry X-Auth-Key
        // along (reqwest strips only `Authorization`).
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                credentials: self.credentials,
                user_agent,
                retry: self.retry,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                max_response_bytes: self.max_response_bytes,
                pager: self.pager,
            }),
            options: Arc::new(RequestOptions::default()),
            capture: None,
        })
    }
}

/// Checks a base URL and returns it without a trailing `/`.
pub(crate) fn normalize_base_url(raw: &str) -> Result<String, Error> {
    let invalid = |url: String, reason: &str| Error::InvalidBaseUrl {
        url,
        reason: reason.to_string(),
    };
    let mut url = reqwest::Url::parse(raw.trim()).map_err(|e| Error::InvalidBaseUrl {
        url: raw.to_string(),
        reason: e.to_string(),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
        return Err(invalid(
            url.to_string(),
            "must not contain user info (credentials go in headers)",
        ));
    }
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(invalid(url.to_string(), "the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid(
            url.to_string(),
            "must be an absolute URL with a host",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            url.to_string(),
            "must not have a query or fragment",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The API client: cheap to clone (clones share one connection pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// What [`Client::with_options`] set for this view.
    options: Arc<RequestOptions>,
    /// Set on the view [`Client::raw`] hands out.
    capture: Option<Capture>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: Parts,
    credentials: Option<Credentials>,
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
            .field(
                "credentials",
                &inner.credentials.as_ref().map(ToString::to_string),
            )
            .field("user_agent", &inner.user_agent)
            .field("retry", &inner.retry)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("max_response_bytes", &inner.max_response_bytes)
            .field("pager", &inner.pager)
            .field("options", &self.options)
            .finish()
    }
}

enum Outcome {
    Done(Response),
    /// A 2xx response whose body is left unread (for a stream).
    Open(reqwest::Response),
    Failed {
        error: Error,
        /// Why, when a retry could help; `None` when it never can.
        failure: Option<Failure>,
        wait: Option<Duration>,
    },
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

    /// The retry policy calls through this client use.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.options.retry.unwrap_or(self.inner.retry)
    }

    /// A client for some calls with other settings: the same connection
    /// pool, credentials and base URL, with what `options` sets replacing
    /// this client's timeout, retry policy or body cap, and its headers
    /// added to every request. Cheap: nothing is rebuilt.
    ///
    /// ```ignore
    /// let patient = client.with_options(RequestOptions::new().timeout(Duration::from_secs(300)));
    /// patient.some_operation(/* … */).await?;
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            inner: self.inner.clone(),
            options: Arc::new(self.options.merged(options)),
            capture: self.capture.clone(),
        }
    }

    /// Runs `call` with a view of this client and returns its result with
    /// the status and headers of the last successful response the call
    /// received (for one operation, its response), without a second
    /// request.
    ///
    /// ```ignore
    /// let raw = client.raw(|c| async move { c.some_operation(/* … */).await }).await?;
    /// println!("{} {:?}", raw.status, raw.headers.get("cf-ray"));
    /// let body = raw.body;
    /// ```
    ///
    /// A call that succeeds without receiving a response (one that sends
    /// nothing) is an [`Error::InvalidRequest`].
    pub async fn raw<T, F, Fut>(&self, call: F) -> Result<Raw<T>, Error>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let capture = Capture::default();
        let view = Client {
            inner: self.inner.clone(),
            options: self.options.clone(),
            capture: Some(capture.clone()),
        };
        let body = call(view).await?;
        let (status, headers) = capture.take().ok_or_else(|| Error::InvalidRequest {
            message: "the call made no request, so there is no response to show".to_string(),
        })?;
        Ok(Raw {
            status,
            headers,
            body,
        })
    }

    /// `text` without the client's secrets (see [`Credentials::scrub`]).
    fn scrub(&self, text: &[u8]) -> Vec<u8> {
        match &self.inner.credentials {
            Some(credentials) => credentials.scrub(text),
            None => text.to_vec(),
        }
    }

    pub(super) fn max_response_bytes(&self) -> usize {
        self.options
            .max_response_bytes
            .unwrap_or(self.inner.max_response_bytes)
    }

    pub fn pager_config(&self) -> PagerConfig {
        self.inner.pager
    }

    /// Sends `req` and decodes the 2xx body as JSON.
    pub async fn send_json<T: DeserializeOwned>(&self, req: &Request) -> Result<T, Error> {
        let response = self.send(req).await?;
        self.decode_json(response.status, &response.body)
    }

    /// Decodes a 2xx body (or one item of a streamed one) as JSON.
    pub(super) fn decode_json<T: DeserializeOwned>(
        &self,
        status: u16,
        body: &[u8],
    ) -> Result<T, Error> {
        serde_json::from_slice(body).map_err(|e| {
            // The excerpt comes from the scrubbed body, and serde's message
            // may quote a value: neither may show echoed credentials.
            match Error::decode(status, &self.scrub(body), &e) {
                Error::Decode {
                    status,
                    message,
                    excerpt,
                } => Error::Decode {
                    status,
                    message: String::from_utf8_lossy(&self.scrub(message.as_bytes())).into_owned(),
                    excerpt,
                },
                other => other,
            }
        })
    }

    /// Sends `req` and returns the 2xx body as it came.
    pub async fn send_bytes(&self, req: &Request) -> Result<Vec<u8>, Error> {
        Ok(self.send(req).await?.body)
    }

    /// Sends `req` and returns the 2xx body as text; bytes that are not
    /// UTF-8 become U+FFFD.
    pub async fn send_text(&self, req: &Request) -> Result<String, Error> {
        let body = self.send(req).await?.body;
        Ok(String::from_utf8(body)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Sends `req` and ignores the 2xx body.
    pub async fn send_empty(&self, req: &Request) -> Result<(), Error> {
        self.send(req).await.map(|_| ())
    }

    /// Sends `req`, retrying as the policy allows, and returns the 2xx
    /// response; any other status is an [`Error::Api`].
    ///
    /// With the `tracing` feature, each call is a `request` span (method
    /// and path, never the query, headers or body) holding an event per
    /// attempt and per retry (its delay and why).
    pub async fn send(&self, req: &Request) -> Result<Response, Error> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::info_span!("request", method = %req.method, path = %req.path);
            self.send_with_retries(req, false)
                .instrument(span)
                .await
                .map(|(r, _)| r)
        }
        #[cfg(not(feature = "tracing"))]
        self.send_with_retries(req, false).await.map(|(r, _)| r)
    }

    /// [`Client::send`] leaving a 2xx body unread, for reading as a stream
    /// (`stream.rs`). Retries happen before the body is read, never after.
    pub(super) async fn send_open(
        &self,
        req: &Request,
    ) -> Result<(u16, HeaderMap, reqwest::Response), Error> {
        let (head, open) = self.send_with_retries(req, true).await?;
        match open {
            Some(body) => Ok((head.status, head.headers, body)),
            None => Err(Error::InvalidRequest {
                message: "the response was read whole where a stream was asked for".to_string(),
            }),
        }
    }

    /// The response (its body empty when `open`), and with `open` the
    /// response whose body is still to be read.
    async fn send_with_retries(
        &self,
        req: &Request,
        open: bool,
    ) -> Result<(Response, Option<reqwest::Response>), Error> {
        let url = if req.authenticated {
            let extra: Vec<(&str, &str)> = self
                .inner
                .auth
                .query
                .iter()
                .map(|(name, value)| (*name, value.expose_secret()))
                .collect();
            req.url_with(&self.inner.base_url, &extra)?
        } else {
            req.url(&self.inner.base_url)?
        };
        let headers = self.headers(req)?;
        let body = req.body.as_ref().map(Body::to_bytes);
        let policy = self.retry_policy();
        let mut retry = 0;
        loop {
            match self
                .attempt(&req.method, &url, &headers, body.as_ref(), open)
                .await
            {
                Outcome::Open(body) => {
                    let response = Response {
                        status: body.status().as_u16(),
                        headers: body.headers().clone(),
                        body: Vec::new(),
                    };
                    trace_event!(
                        debug,
                        attempt = retry + 1,
                        status = response.status,
                        "streamed response"
                    );
                    if let Some(capture) = &self.capture {
                        capture.record(response.status, &response.headers);
                    }
                    return Ok((response, Some(body)));
                }
                Outcome::Done(response) => {
                    trace_event!(
                        debug,
                        attempt = retry + 1,
                        status = response.status,
                        "response"
                    );
                    if let Some(capture) = &self.capture {
                        capture.record(response.status, &response.headers);
                    }
                    return Ok((response, None));
                }
                Outcome::Failed {
                    error,
                    failure,
                    wait,
                } => {
                    let again = failure.is_some_and(|f| policy.may_retry(&req.method, f));
                    if !again || retry >= policy.max_retries {
                        trace_event!(warn, attempts = retry + 1, error = %error, "request failed");
                        return Err(error);
                    }
                    let delay = policy.delay(retry, wait, retry::jitter());
                    trace_event!(
                        info,
                        retry = retry + 1,
                        delay_ms = delay.as_millis() as u64,
                        reason = ?failure,
                        server_asked = wait.is_some(),
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    retry += 1;
                }
            }
        }
    }

    /// The request's headers, then the extra headers of the options, then
    /// the body's content type, the user agent and the credentials (which
    /// neither of the first two can set).
    pub(crate) fn headers(&self, req: &Request) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        let extra = self.options.headers.iter().map(|(n, v)| (n.as_str(), v));
        for (name, value) in req
            .headers
            .iter()
            .map(|(n, v)| (n.as_ref(), v))
            .chain(extra)
        {
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidRequest {
                    message: format!("invalid header name {name:?}"),
                })?;
            if Credentials::is_auth_header(&name) {
                continue;
            }
            let value =
                HeaderValue::try_from(value.as_str()).map_err(|_| Error::InvalidRequest {
                    message: format!(
                        "the value of header {name} contains characters not allowed in a header"
                    ),
                })?;
            headers.append(name, value);
        }
        if let Some(body) = &req.body {
            let content_type =
                HeaderValue::try_from(body.content_type()).map_err(|_| Error::InvalidRequest {
                    message: "the body's content type is not a valid header value".to_string(),
                })?;
            headers.insert(CONTENT_TYPE, content_type);
        }
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        let auth = req.authenticated.then_some(&self.inner.auth);
        if let Some(auth) = auth {
            for (name, value) in &auth.headers {
                headers.insert(name.clone(), value.clone());
            }
        }
        // One `Cookie` header: the request's cookies, then the credentials'.
        let own = req.cookie_header();
        let cookies: Vec<&str> = own
            .iter()
            .map(String::as_str)
            .chain(
                auth.iter()
                    .flat_map(|a| a.cookies.iter().map(|c| c.expose_secret())),
            )
            .collect();
        if !cookies.is_empty() {
            let mut value =
                HeaderValue::try_from(cookies.join("; ")).map_err(|_| Error::InvalidRequest {
                    message: "a cookie contains characters not allowed in a header".to_string(),
                })?;
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        Ok(headers)
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &reqwest::Url,
        headers: &HeaderMap,
        body: Option<&Vec<u8>>,
        open: bool,
    ) -> Outcome {
        let mut builder = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .headers(headers.clone());
        if let Some(body) = body {
            builder = builder.body(body.clone());
        }
        // Per request, so that a client of the caller's own
        // (`ClientBuilder::http_client`) keeps to it too.
        builder = builder.timeout(self.options.timeout.unwrap_or(self.inner.timeout));
        let limit = self.max_response_bytes();
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return transport_failure(e),
        };
        if open && response.status().is_success() {
            return Outcome::Open(response);
        }
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        if response.status().is_success() {
            match read_body(&mut response, limit, false).await {
                Ok(body) => Outcome::Done(Response {
                    status,
                    headers,
                    body,
                }),
                Err(ReadError::TooLarge) => Outcome::Failed {
                    error: Error::BodyTooLarge { limit },
                    failure: None,
                    wait: None,
                },
                Err(ReadError::Http(e)) => transport_failure(e),
            }
        } else {
            // Error bodies are kept (truncated) for the message; a failure
            // while reading one leaves what was read. They are scrubbed
            // before `Error::api` cuts them, with enough read past the cut
            // that a secret crossing it is seen whole.
            let credentials = self.inner.credentials.as_ref();
            let limit = MAX_ERROR_BODY + credentials.map_or(0, Credentials::scrub_overlap);
            let body = read_body(&mut response, limit, true)
                .await
                .unwrap_or_default();
            let body = match credentials {
                Some(c) if body.len() >= limit => c.scrub_cut(&body),
                Some(c) => c.scrub(&body),
                None => body,
            };
            let wait = retry::server_wait(&headers, SystemTime::now());
            Outcome::Failed {
                error: Error::api(status, &body),
                failure: Some(Failure::Status {
                    status,
                    retry_after: wait.is_some(),
                }),
                wait,
            }
        }
    }
}

fn transport_failure(e: reqwest::Error) -> Outcome {
    if e.is_builder() {
        return Outcome::Failed {
            error: Error::InvalidRequest {
                message: e.to_string(),
            },
            failure: None,
            wait: None,
        };
    }
    // A connect timeout is a connect error too: the request was not sent.
    let failure = if e.is_connect() {
        Failure::Connect
    } else {
        Failure::AfterSend
    };
    Outcome::Failed {
        error: transport_error(e),
        failure: Some(failure),
        wait: None,
    }
}

/// A failure of the connection as an [`Error`]: a timeout or the transport's.
pub(super) fn transport_error(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport(e)
    }
}

/// Reads the body, never holding more than `limit` bytes: beyond it the
/// read fails (or, with `truncate`, stops and returns the first `limit`;
/// a broken connection then also returns what was read).
async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
    truncate: bool,
) -> Result<Vec<u8>, ReadError> {
    let declared = response.content_length();
    if !truncate && declared.is_some_and(|n| n > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut body =
        Vec::with_capacity(declared.unwrap_or(0).min(limit as u64).min(1 << 20) as usize);
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
