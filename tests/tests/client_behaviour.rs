//! The generated client (`cloudflare-ai-gateway`) against a scripted,
//! fault-injecting local server: retries, broken and odd responses,
//! timeouts, pagination and credential hygiene. Every test checks what the
//! server saw, not only what the client returned.

mod client_common;

use client_common::*;

// ---------------------------------------------------------------- requests

#[tokio::test]
async fn a_plain_call_sends_the_documented_request() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()));
    let response = list(&client(&server), &params()).await.unwrap();
    assert_eq!(response.result.len(), 2);
    assert!(response.result_info.is_none());
    response.validate().unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_client_request(&seen[0]);
    assert_eq!(
        seen[0].target, PATH,
        "no query parameters when none are set"
    );
    assert!(seen[0].body.is_empty());
}

#[tokio::test]
async fn query_parameters_and_the_account_id_are_encoded() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()));
    server.push(Reply::json(200, ok_body()));
    let c = client(&server);
    list(&c, &params().page(3).per_page(100).search("a b&c=d/é"))
        .await
        .unwrap();
    c.aig_config_list_gateway("acc/../x y", &params())
        .await
        .unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_client_request(&seen[0]);
    assert_eq!(
        seen[0].target,
        format!("{PATH}?page=3&per_page=100&search=a%20b%26c%3Dd%2F%C3%A9")
    );
    assert_eq!(seen[0].query_param("search"), Some("a b&c=d/é"));
    assert_eq!(
        seen[1].target,
        "/accounts/acc%2F..%2Fx%20y/ai-gateway/gateways"
    );
    // Path parameters that would change the path are refused unsent.
    for bad in ["", ".", ".."] {
        let err = c.aig_config_list_gateway(bad, &params()).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidParameters(v) if v[0].path == "account_id"),
            "{bad:?}: {err:?}"
        );
    }
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn email_and_key_send_only_the_two_x_auth_headers() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()));
    let c = builder(&server)
        .credentials(Credentials::email_key(EMAIL, KEY))
        .build()
        .unwrap();
    list(&c, &params()).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("x-auth-email"), Some(EMAIL));
    assert_eq!(seen[0].header("x-auth-key"), Some(KEY));
    assert!(!seen[0].has_header("authorization"));
    assert_eq!(seen[0].header("user-agent"), Some(USER_AGENT));
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_is_kept() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()));
    let c = Client::builder(&format!("{}/client/v4/", server.url()))
        .credentials(Credentials::api_token(TOKEN))
        .build()
        .unwrap();
    list(&c, &params()).await.unwrap();
    assert_eq!(server.requests()[0].path, format!("/client/v4{PATH}"));
}

// ----------------------------------------------------------------- retries

#[tokio::test]
async fn a_429_is_retried_after_the_time_the_server_asks_for() {
    let server = TestServer::start().await;
    server.push(
        Reply::json(
            429,
            r#"{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}]}"#,
        )
        .header("retry-after-ms", "150"),
    );
    server.push(Reply::json(200, ok_body()));
    let started = Instant::now();
    let response = list(&client(&server), &params().per_page(5)).await.unwrap();
    assert_eq!(response.result.len(), 2);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_client_request(r);
        assert_eq!(r.query_param("per_page"), Some("5"));
    }
    // The backoff is 1-5 ms: only the header explains the wait.
    let waited = seen[1].received_at - seen[0].received_at;
    assert!(waited >= Duration::from_millis(150), "{waited:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_retry_after_in_seconds_is_honoured_too() {
    let server = TestServer::start().await;
    server.push(Reply::json(429, "{}").header("retry-after", "1"));
    server.push(Reply::json(200, ok_body()));
    list(&client(&server), &params()).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].received_at - seen[0].received_at >= Duration::from_millis(950));
}

#[tokio::test]
async fn a_500_then_success_succeeds_with_one_retry() {
    let server = TestServer::start().await;
    server.push(Reply::json(
        500,
        r#"{"success":false,"errors":[{"code":10001,"message":"oops"}]}"#,
    ));
    server.push(Reply::json(200, ok_body()));
    let response = list(&client(&server), &params().page(2)).await.unwrap();
    assert_eq!(response.result[0].id, "gw-0");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_client_request(r);
        assert_eq!(r.target, format!("{PATH}?page=2"));
    }
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error() {
    let server = TestServer::start().await;
    server.push_n(
        3,
        Reply::json(
            503,
            r#"{"success":false,"errors":[{"code":10000,"message":"try later"}],"messages":[],"result":null}"#,
        ),
    );
    server.push(Reply::json(200, ok_body()));
    let err = list(&client(&server), &params()).await.unwrap_err();
    match &err {
        Error::Api { status, errors, .. } => {
            assert_eq!(*status, 503);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, Some(10000));
            assert_eq!(errors[0].message, "try later");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(err.to_string(), "API error (HTTP 503): [10000] try later");
    // One try and two retries; the success stays unused.
    assert_eq!(server.request_count(), 3);
    assert_eq!(server.remaining(), 1);
    server.requests().iter().for_each(assert_client_request);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = TestServer::start().await;
    server.push(Reply::json(
        403,
        r#"{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"messages":[],"result":null}"#,
    ));
    server.push(Reply::json(200, ok_body()));
    let err = list(&client(&server), &params()).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.api_errors()[0].code, Some(9109));
    assert_eq!(server.request_count(), 1);
}

// ------------------------------------------------------- broken responses

#[tokio::test]
async fn truncated_json_in_a_complete_response_is_a_decode_error() {
    let server = TestServer::start().await;
    let body = ok_body();
    let cut = &body[..body.len() / 2];
    server.push(Reply::json(200, cut));
    server.push(Reply::json(200, ok_body()));
    let err = list(&client(&server), &params()).await.unwrap_err();
    let Error::Decode {
        status, excerpt, ..
    } = &err
    else {
        panic!("expected Decode, got {err:?}");
    };
    assert_eq!(*status, 200);
    assert!(!excerpt.is_empty() && excerpt.len() <= 800, "{excerpt:?}");
    assert!(err
        .to_string()
        .contains("could not decode the HTTP 200 response body"));
    // A 2xx that does not decode is not retried.
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_retried() {
    let server = TestServer::start().await;
    let full = Reply::json(200, ok_body());
    server.push(Action::Truncated {
        reply: full.clone(),
        send: 20,
    });
    server.push(full);
    let response = list(&client(&server), &params()).await.unwrap();
    assert_eq!(response.result.len(), 2);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_ne!(seen[0].connection, seen[1].connection);
    seen.iter().for_each(assert_client_request);
}

#[tokio::test]
async fn a_body_cut_short_every_time_ends_in_a_transport_error() {
    let server = TestServer::start().await;
    server.push_n(
        3,
        Action::Truncated {
            reply: Reply::json(200, ok_body()),
            send: 10,
        },
    );
    let err = list(&client(&server), &params()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_quoting_the_body() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, "this is { not json"));
    let err = list(&client(&server), &params()).await.unwrap_err();
    match &err {
        Error::Decode { excerpt, .. } => assert!(excerpt.contains("this is"), "{excerpt:?}"),
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error_naming_it() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, r#"{"result":[]}"#));
    let mut broken = gateway("g");
    broken.as_object_mut().unwrap().remove("created_at");
    server.push(Reply::json(
        200,
        json!({"result": [broken], "success": true}).to_string(),
    ));
    let c = client(&server);
    let err = list(&c, &params()).await.unwrap_err();
    assert!(err.to_string().contains("missing field `success`"), "{err}");
    let err = list(&c, &params()).await.unwrap_err();
    assert!(
        err.to_string().contains("missing field `created_at`"),
        "{err}"
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn an_html_502_page_is_an_api_error_with_a_readable_message() {
    let server = TestServer::start().await;
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>cloudflare</p>".repeat(500)
    );
    server.push_n(
        3,
        Reply::text(502, "text/html; charset=UTF-8", page.clone()),
    );
    let err = list(&client(&server), &params()).await.unwrap_err();
    match &err {
        Error::Api {
            status,
            errors,
            body,
        } => {
            assert_eq!(*status, 502);
            assert!(errors.is_empty());
            assert_eq!(body, &page);
        }
        other => panic!("expected Api, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.starts_with("API error (HTTP 502): <!DOCTYPE html>"),
        "{text}"
    );
    assert!(
        text.len() < 400,
        "the message quotes the whole page: {text}"
    );
    // 502 is retried like any 5xx.
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_slow_response_hits_the_timeout_and_is_retried() {
    let server = TestServer::start().await;
    server.push_n(2, Reply::json(200, ok_body()).delay(Duration::from_secs(5)));
    let c = builder(&server)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = list(&c, &params()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert_eq!(err.to_string(), "request timed out");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_slow_response_followed_by_a_fast_one_succeeds() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()).delay(Duration::from_secs(5)));
    server.push(Reply::json(200, ok_body()));
    let c = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    list(&c, &params()).await.unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let server = TestServer::start().await;
    server.push(Action::Reset);
    server.push(Reply::json(200, ok_body()));
    let response = list(&client(&server), &params()).await.unwrap();
    assert_eq!(response.result.len(), 2);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    seen.iter().for_each(assert_client_request);
}

#[tokio::test]
async fn resets_on_every_try_end_in_a_transport_error() {
    let server = TestServer::start().await;
    server.push_n(3, Action::Reset);
    let err = list(&client(&server), &params()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.to_string().starts_with("transport error: "), "{err}");
    assert_eq!(server.request_count(), 3);
}

// ----------------------------------------------------------- odd payloads

#[tokio::test]
async fn unknown_enum_values_decode_and_validate_reports_them() {
    let server = TestServer::start().await;
    let mut g = gateway("odd");
    g["log_management_strategy"] = json!("ARCHIVE_OLDEST");
    g["rate_limiting_technique"] = json!("token_bucket");
    g["dlp"] = json!({"action": "REDACT", "enabled": true, "profiles": []});
    g["otel"] = json!([{"authorization": "a", "headers": {}, "url": "u", "content_type": "xml"}]);
    let mut known = gateway("known");
    known["log_management_strategy"] = json!("DELETE_OLDEST");
    let mut shapeless = gateway("shapeless");
    shapeless["dlp"] = json!({"mode": "new"});
    server.push(Reply::json(
        200,
        json!({"result": [g, known, shapeless], "success": true}).to_string(),
    ));
    let response = list(&client(&server), &params()).await.unwrap();
    let [odd, known, shapeless] = &response.result[..] else {
        panic!("{:?}", response.result);
    };
    assert_eq!(
        odd.log_management_strategy,
        Some(GatewayLogManagementStrategy::Other("ARCHIVE_OLDEST".into()))
    );
    assert_eq!(
        odd.rate_limiting_technique,
        Some(GatewayRateLimitingTechnique::Other("token_bucket".into()))
    );
    match &odd.dlp {
        Some(GatewayDlp::Variant0(dlp)) => {
            assert_eq!(dlp.action, GatewayDlpVariant0Action::Other("REDACT".into()))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        odd.otel.as_ref().unwrap()[0].content_type,
        Some(GatewayOtelItemContentType::Other("xml".into()))
    );
    assert_eq!(
        known.log_management_strategy,
        Some(GatewayLogManagementStrategy::DeleteOldest)
    );
    assert!(matches!(shapeless.dlp, Some(GatewayDlp::Other(_))));

    let violations = response.validate().unwrap_err().0;
    let found: Vec<(&str, &str)> = violations
        .iter()
        .map(|v| (v.path.as_str(), v.actual.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("result[0].dlp.action", "\"REDACT\""),
            ("result[0].log_management_strategy", "\"ARCHIVE_OLDEST\""),
            ("result[0].otel[0].content_type", "\"xml\""),
            ("result[0].rate_limiting_technique", "\"token_bucket\""),
            ("result[2].dlp", "{\"mode\":\"new\"}"),
        ]
    );
    assert!(matches!(
        violations[0].constraint,
        Constraint::Enum(["BLOCK", "FLAG"])
    ));
    assert!(matches!(violations[4].constraint, Constraint::AnyOf));
    // Unknown values survive a round trip unchanged.
    let again = serde_json::to_value(odd).unwrap();
    assert_eq!(again["log_management_strategy"], "ARCHIVE_OLDEST");
    assert_eq!(again["dlp"]["action"], "REDACT");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn extra_fields_are_ignored() {
    let server = TestServer::start().await;
    let mut g = gateway("extra");
    g["brand_new_setting"] = json!({"nested": [1, 2, 3]});
    g["dlp"] = json!({"action": "FLAG", "enabled": true, "profiles": ["p"], "future": true});
    g["stripe"] =
        json!({"authorization": "x", "usage_events": [{"payload": "p", "more": 1}], "z": null});
    let body = json!({
        "result": [g],
        "result_info": {"page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1, "cursor": "abc"},
        "success": true,
        "errors": [],
        "messages": [{"code": 1000, "message": "hello"}],
        "something_else": 42
    });
    server.push(Reply::json(200, body.to_string()));
    let response = list(&client(&server), &params()).await.unwrap();
    response.validate().unwrap();
    let g = &response.result[0];
    assert!(
        matches!(&g.dlp, Some(GatewayDlp::Variant0(d)) if d.action == GatewayDlpVariant0Action::Flag)
    );
    assert_eq!(g.stripe.as_ref().unwrap().usage_events[0].payload, "p");
    assert_eq!(response.result_info.unwrap().total_pages, Some(1));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn missing_optional_fields_and_nulls_decode_as_none() {
    let server = TestServer::start().await;
    let mut g = gateway("bare");
    g["cache_ttl"] = Value::Null;
    g["rate_limiting_limit"] = Value::Null;
    server.push(Reply::json(
        200,
        json!({"result": [g], "success": false}).to_string(),
    ));
    let response = list(&client(&server), &params()).await.unwrap();
    response.validate().unwrap();
    assert!(!response.success);
    assert!(response.result_info.is_none());
    let g = &response.result[0];
    assert_eq!(g.cache_ttl, None);
    assert_eq!(g.rate_limiting_interval, None);
    assert_eq!(g.rate_limiting_limit, None);
    assert!(g.dlp.is_none() && g.otel.is_none() && g.stripe.is_none());
    assert!(g.log_management.is_none() && g.log_management_strategy.is_none());
    // Absent optional fields stay absent when serialized.
    let out = serde_json::to_value(g).unwrap();
    assert!(out.get("dlp").is_none() && out.get("zdr").is_none());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn values_breaking_constraints_decode_and_are_reported_together() {
    let server = TestServer::start().await;
    let mut g = gateway("");
    g["retry_delay"] = json!(9000);
    g["retry_max_attempts"] = json!(0);
    g["log_management"] = json!(5);
    g["logpush_public_key"] = json!("short");
    g["cache_ttl"] = json!(-1);
    server.push(Reply::json(
        200,
        json!({"result": [gateway("fine"), g], "success": true}).to_string(),
    ));
    let response = list(&client(&server), &params()).await.unwrap();
    let text = response.validate().unwrap_err().to_string();
    for part in [
        "result[1].id: violates minLength 1, actual",
        "result[1].cache_ttl: violates minimum 0, actual -1",
        "result[1].log_management: violates minimum 10000, actual 5",
        "result[1].logpush_public_key: violates minLength 16",
        "result[1].retry_delay: violates maximum 5000, actual 9000",
        "result[1].retry_max_attempts: violates minimum 1, actual 0",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
    assert!(!text.contains("result[0]"), "{text}");
}

// ----------------------------------------------------------- credentials

/// Every formatting of `value` that could end up in a log.
fn renderings(value: &(impl std::fmt::Debug + ?Sized)) -> String {
    format!("{value:?}\n{value:#?}")
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [TOKEN, KEY, "SECRET"] {
        assert!(!text.contains(secret), "{what} shows a credential: {text}");
    }
}

#[tokio::test]
async fn credentials_never_appear_in_debug_or_display_output() {
    let server = TestServer::start().await;
    server.handler(|_| {
        Reply::json(
            401,
            r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}"#,
        )
        .into()
    });
    let token_client = client(&server);
    let key_client = builder(&server)
        .credentials(Credentials::email_key(EMAIL, KEY))
        .build()
        .unwrap();
    let mut texts: Vec<(String, String)> = vec![
        ("token client".into(), renderings(&token_client)),
        ("email/key client".into(), renderings(&key_client)),
        ("builder".into(), renderings(&builder(&server))),
        ("token".into(), renderings(&Credentials::api_token(TOKEN))),
        (
            "token display".into(),
            Credentials::api_token(TOKEN).to_string(),
        ),
        (
            "email/key".into(),
            renderings(&Credentials::email_key(EMAIL, KEY)),
        ),
    ];
    // The Debug output is still useful.
    assert!(texts[0].1.contains(&server.url()), "{}", texts[0].1);
    // It names the schemes; the email is an API key like any other, so a
    // secret too (the generated runtime cannot tell it from the key).
    assert!(texts[1].1.contains("api_email + api_key"), "{}", texts[1].1);

    let mut errors: Vec<Error> = Vec::new();
    errors.push(list(&token_client, &params()).await.unwrap_err());
    errors.push(list(&key_client, &params()).await.unwrap_err());
    errors.push(
        list(&token_client, &params().per_page(0))
            .await
            .unwrap_err(),
    );
    errors.push(Client::builder(&server.url()).build().unwrap_err());
    errors.push(
        Client::builder(&format!("http://user:{TOKEN}@127.0.0.1:1"))
            .credentials(Credentials::api_token(TOKEN))
            .build()
            .unwrap_err(),
    );
    errors.push(
        Client::builder(&server.url())
            .credentials(Credentials::api_token(format!("{TOKEN}\n")))
            .build()
            .unwrap_err(),
    );
    // A refused connection (nothing listens on the port any more).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let refused = Client::builder(&format!("http://{closed}"))
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(list(&refused, &params()).await.unwrap_err());
    assert!(matches!(errors.last(), Some(Error::Transport(_))));

    for (i, e) in errors.iter().enumerate() {
        texts.push((format!("error {i} debug"), renderings(e)));
        texts.push((format!("error {i} display"), e.to_string()));
    }
    for (what, text) in &texts {
        assert_no_secret(what, text);
    }
    // The server got the credentials, so they were there to leak.
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(seen[1].header("x-auth-key"), Some(KEY));
}
