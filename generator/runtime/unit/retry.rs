//! Unit tests of `src/retry.rs`.

use crate::runtime::retry::*;
use reqwest::header::HeaderMap;
use reqwest::header::HeaderValue;
use reqwest::Method;
use std::time::{Duration, SystemTime};

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

#[test]
fn retryable_statuses() {
    for s in [408, 409, 429, 500, 502, 503, 504, 599] {
        assert!(RetryPolicy::is_retryable_status(s), "{s}");
    }
    for s in [200, 204, 301, 400, 401, 403, 404, 422, 600] {
        assert!(!RetryPolicy::is_retryable_status(s), "{s}");
    }
}

#[test]
fn non_idempotent_requests_are_retried_only_when_the_server_cannot_have_acted() {
    let p = RetryPolicy::default();
    let status = |status, retry_after| Failure::Status {
        status,
        retry_after,
    };
    let failures = [
        (Failure::Connect, true, true),
        (Failure::AfterSend, true, false),
        (status(500, false), true, false),
        (status(502, true), true, false),
        (status(503, false), true, false),
        (status(503, true), true, true),
        (status(429, false), true, true),
        (status(408, false), true, false),
        (status(409, false), true, false),
        (status(400, false), false, false),
        (status(404, true), false, false),
    ];
    for method in [
        "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "QUERY", "POST", "PATCH",
    ] {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let idempotent = !matches!(method, "POST" | "PATCH");
        assert_eq!(is_idempotent(&m), idempotent, "{method}");
        for (failure, when_idempotent, otherwise) in failures {
            let expected = if idempotent {
                when_idempotent
            } else {
                otherwise
            };
            assert_eq!(p.may_retry(&m, failure), expected, "{method} {failure:?}");
            assert_eq!(
                p.retrying_non_idempotent().may_retry(&m, failure),
                when_idempotent,
                "{method} {failure:?} opted in"
            );
        }
    }
}

#[test]
fn backoff_doubles_caps_and_jitters_down() {
    let p = RetryPolicy::default();
    assert_eq!(p.backoff(0, 0.0), Duration::from_millis(500));
    assert_eq!(p.backoff(1, 0.0), Duration::from_secs(1));
    assert_eq!(p.backoff(3, 0.0), Duration::from_secs(4));
    assert_eq!(p.backoff(4, 0.0), Duration::from_secs(8));
    assert_eq!(p.backoff(200, 0.0), Duration::from_secs(8));
    assert_eq!(p.backoff(0, 0.999_999), Duration::from_micros(375_500));
    assert_eq!(p.backoff(0, f64::NAN), Duration::from_millis(500));
    let huge = RetryPolicy {
        initial_backoff: Duration::MAX,
        max_backoff: Duration::MAX,
        ..p
    };
    assert!(huge.backoff(5, 0.5) > Duration::from_secs(1 << 40));
}

#[test]
fn server_waits_are_parsed_in_order() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let wait = |pairs: &[(&'static str, &str)]| server_wait(&headers(pairs), now);
    assert_eq!(
        wait(&[("retry-after-ms", "1500"), ("retry-after", "9")]),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(wait(&[("retry-after", "1")]), Some(Duration::from_secs(1)));
    assert_eq!(
        wait(&[("retry-after", " 2.5 ")]),
        Some(Duration::from_millis(2500))
    );
    assert_eq!(
        wait(&[("retry-after-ms", "junk"), ("retry-after", "3")]),
        Some(Duration::from_secs(3))
    );
    let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
    assert_eq!(
        wait(&[("retry-after", &later)]),
        Some(Duration::from_secs(30))
    );
    let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
    assert_eq!(wait(&[("retry-after", &earlier)]), Some(Duration::ZERO));
    assert_eq!(wait(&[("retry-after", "-1")]), None);
    assert_eq!(wait(&[("retry-after", "NaN")]), None);
    assert_eq!(wait(&[("retry-after", "soon")]), None);
    assert_eq!(wait(&[]), None);
    assert!(wait(&[("retry-after", "1e300")]).is_some());
}

#[test]
fn server_waits_are_capped() {
    let p = RetryPolicy::default();
    let asked = server_wait(&headers(&[("retry-after", "99999")]), SystemTime::now());
    assert_eq!(p.delay(0, asked, 0.5), Duration::from_secs(60));
    assert_eq!(
        p.delay(0, Some(Duration::from_secs(2)), 0.5),
        Duration::from_secs(2)
    );
    assert_eq!(p.delay(1, None, 0.0), Duration::from_secs(1));
}

#[test]
fn jitter_stays_in_range_and_varies() {
    let values: Vec<f64> = (0..100).map(|_| jitter()).collect();
    assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
    assert!(values.windows(2).any(|w| w[0] != w[1]));
}
