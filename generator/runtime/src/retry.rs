//! When to retry a request and how long to wait first.
//!
//! Everything here is a pure function of its inputs (the jitter is passed
//! in), so the policy is tested without a network or a clock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::Method;

/// How many times, and how patiently, a failed request is retried.
///
/// An idempotent request (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`,
/// `TRACE`, `QUERY`) is retried after connection errors, timeouts, broken
/// responses, 408, 409, 429 and 5xx. Any other request (`POST`, `PATCH`)
/// is retried only when the server cannot have acted on it: the connection
/// was never made, 429, or 503 with a `Retry-After` — unless
/// `retry_non_idempotent` is set. Waits grow exponentially with jitter,
/// unless the server asks for a wait (`retry-after-ms`, `Retry-After`),
/// which is honoured up to `max_retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` requests at most).
    pub max_retries: u32,
    /// The wait before the first retry; doubles for each further retry.
    pub initial_backoff: Duration,
    /// The longest computed backoff.
    pub max_backoff: Duration,
    /// The longest wait a server can ask for; longer requests are capped.
    pub max_retry_after: Duration,
    /// Also retry `POST`, `PATCH` and other non-idempotent requests after
    /// failures that may have reached the server (a timeout after sending,
    /// a 500): only when repeating them is harmless (default `false`).
    pub retry_non_idempotent: bool,
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No connection was made (refused, unreachable, DNS, TLS handshake):
    /// the server never saw the request.
    Connect,
    /// The request may have been sent: a timeout, a connection closed or
    /// reset before the response was complete.
    AfterSend,
    /// The server answered with a status that is not a success.
    Status {
        status: u16,
        /// The server asked for a wait (`Retry-After`, `retry-after-ms`).
        retry_after: bool,
    },
}

/// Whether repeating a request with this method has the same effect as
/// sending it once (RFC 9110, section 9.2.2; `QUERY` is safe).
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        method.as_str(),
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE" | "QUERY"
    )
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// This policy, also retrying non-idempotent requests after failures
    /// that may have reached the server.
    pub fn retrying_non_idempotent(self) -> Self {
        RetryPolicy {
            retry_non_idempotent: true,
            ..self
        }
    }

    /// Whether a response with this status is worth retrying (for an
    /// idempotent request).
    pub fn is_retryable_status(status: u16) -> bool {
        matches!(status, 408 | 409 | 429 | 500..=599)
    }

    /// Whether a request with `method` that failed this way may be sent
    /// again (the number of retries left aside).
    pub fn may_retry(&self, method: &Method, failure: Failure) -> bool {
        if self.retry_non_idempotent || is_idempotent(method) {
            return match failure {
                Failure::Connect | Failure::AfterSend => true,
                Failure::Status { status, .. } => Self::is_retryable_status(status),
            };
        }
        match failure {
            Failure::Connect => true,
            Failure::AfterSend => false,
            Failure::Status {
                status,
                retry_after,
            } => status == 429 || (status == 503 && retry_after),
        }
    }

    /// The computed wait before retry number `retry` (0 for the first
    /// retry): `initial_backoff * 2^retry`, at most `max_backoff`, reduced by
    /// up to 25% according to `jitter` in `[0, 1)`.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        let base = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let jitter = if (0.0..=1.0).contains(&jitter) {
            jitter
        } else {
            0.0
        };
        // Integer arithmetic: `Duration::mul_f64` panics on overflow.
        let keep_permille = 1000 - (jitter * 250.0) as u128;
        let nanos = base.as_nanos().saturating_mul(keep_permille) / 1000;
        Duration::new(
            (nanos / 1_000_000_000).min(u64::MAX as u128) as u64,
            (nanos % 1_000_000_000) as u32,
        )
    }

    /// The wait before retry number `retry`: the server's requested wait
    /// (capped at `max_retry_after`) when there is one, else [`Self::backoff`].
    pub fn delay(&self, retry: u32, server_wait: Option<Duration>, jitter: f64) -> Duration {
        match server_wait {
            Some(wait) => wait.min(self.max_retry_after),
            None => self.backoff(retry, jitter),
        }
    }
}

/// The wait a response asks for: `retry-after-ms` (milliseconds), else
/// `Retry-After` (seconds, or an HTTP date relative to `now`; a past date
/// means no wait). Unparseable values are ignored.
pub fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(parse_non_negative) {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let value = text("retry-after")?;
    if let Some(secs) = parse_non_negative(value) {
        return Some(Duration::from_secs_f64(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A finite, non-negative number of at most a year's seconds (larger values
/// are clamped there, so conversions to `Duration` cannot overflow).
fn parse_non_negative(text: &str) -> Option<f64> {
    let n: f64 = text.parse().ok()?;
    if n.is_finite() && n >= 0.0 {
        Some(n.min(365.0 * 24.0 * 3600.0 * 1000.0))
    } else {
        None
    }
}

/// A number in `[0, 1)` from a tiny PRNG (splitmix64 over a global counter
/// mixed with the clock). Good enough to spread retries; not cryptographic.
pub fn jitter() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ clock;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
