//! Options for some calls rather than for the whole client, and the status
//! and headers of a response beside its decoded body.
//!
//! Both work through [`Client`](super::Client) views: `with_options` and
//! `raw` hand out a client that shares the connection pool, credentials and
//! settings of the one they come from, so every operation method takes
//! them without a variant of its own.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::retry::RetryPolicy;

/// Settings for the calls made through [`Client::with_options`]: each one
/// set here replaces the client's own; extra headers are added to every
/// request.
///
/// Extra headers can never carry or replace credentials: a header that a
/// credentials scheme uses (`Authorization`, `X-Auth-Key`, …) is dropped,
/// and the client's credentials are sent as configured.
///
/// [`Client::with_options`]: super::Client::with_options
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) retry: Option<RetryPolicy>,
    pub(super) max_response_bytes: Option<usize>,
}

impl RequestOptions {
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The limit on each attempt of a request, body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A header added to every request (repeat for several values).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The largest successful response body accepted.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// `self`, with what `later` sets taking precedence and its headers
    /// added after these.
    pub(super) fn merged(&self, later: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(later.headers);
        RequestOptions {
            timeout: later.timeout.or(self.timeout),
            headers,
            retry: later.retry.or(self.retry),
            max_response_bytes: later.max_response_bytes.or(self.max_response_bytes),
        }
    }
}

/// Header values are left out: a caller may put a secret of its own there.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("headers", &names)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// A decoded response body with the status and headers it came with
/// (from [`Client::raw`](super::Client::raw)).
#[derive(Debug, Clone)]
pub struct Raw<T> {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: T,
}

impl<T> Raw<T> {
    /// The same response with its body mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Raw<U> {
        Raw {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

/// Where a [`Client::raw`](super::Client::raw) view records the status and
/// headers of the last successful response it received.
#[derive(Debug, Clone, Default)]
pub(super) struct Capture(Arc<Mutex<Option<(u16, HeaderMap)>>>);

impl Capture {
    pub(super) fn record(&self, status: u16, headers: &HeaderMap) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *slot = Some((status, headers.clone()));
    }

    pub(super) fn take(&self) -> Option<(u16, HeaderMap)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}
