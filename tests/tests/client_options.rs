//! The generated client's per-call options, raw responses and blocking
//! client: every operation method and pager takes them through
//! `Client::with_options`, `Client::raw` and `BlockingClient`, with nothing
//! generated per operation.

mod client_common;

use client_common::*;
use cloudflare_ai_gateway::RequestOptions;

#[tokio::test]
async fn an_operation_through_raw_gives_status_headers_and_the_typed_body() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()).header("cf-ray", "8f00ba11-LHR"));
    let c = client(&server);
    let raw = c
        .raw(|c| async move { c.aig_config_list_gateway(ACCOUNT, &params()).await })
        .await
        .unwrap();
    assert_eq!(raw.status, 200);
    assert_eq!(raw.headers["cf-ray"], "8f00ba11-LHR");
    assert_eq!(raw.body.result[1].id, "gw-1");
    assert_eq!(server.request_count(), 1, "no second request");
}

#[tokio::test]
async fn options_reach_every_page_a_pager_asks_for() {
    let server = TestServer::start().await;
    let info = |page: u64| json!({"page": page, "per_page": 2, "total_pages": 2, "count": 2});
    server.push(Reply::json(200, envelope(&ids("a", 2), Some(info(1)))));
    server.push(Reply::json(200, envelope(&ids("b", 2), Some(info(2)))));
    let view = client(&server).with_options(
        RequestOptions::new()
            .header("x-request-source", "nightly-report")
            .header("authorization", "Bearer not-the-token"),
    );
    let items: Vec<_> = view
        .aig_config_list_gateway_stream(ACCOUNT, &params().per_page(2))
        .collect()
        .await;
    assert_eq!(items.len(), 4);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    for request in &seen {
        assert_client_request(request);
        assert_eq!(request.header("x-request-source"), Some("nightly-report"));
    }
}

#[tokio::test]
async fn a_per_call_timeout_and_body_cap_apply_to_an_operation() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()).delay(Duration::from_secs(3)));
    let c = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let hasty = c.with_options(RequestOptions::new().timeout(Duration::from_millis(100)));
    let err = list(&hasty, &params()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");

    let server = TestServer::start().await;
    server.push(Reply::json(200, ok_body()));
    let capped = client(&server).with_options(RequestOptions::new().max_response_bytes(16));
    let err = list(&capped, &params()).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { limit: 16 }), "{err:?}");
}

#[test]
fn the_blocking_client_calls_operations_and_walks_pagers_from_synchronous_code() {
    let info = |page: u64| json!({"page": page, "per_page": 2, "total_pages": 2, "count": 2});
    let server = ThreadServer::start(move |s| {
        s.push(Reply::new(503));
        s.push(Reply::json(200, ok_body()));
        s.push(Reply::json(200, envelope(&ids("a", 2), Some(info(1)))));
        s.push(Reply::json(200, envelope(&ids("b", 2), Some(info(2)))));
    });
    let client = Client::builder(&server.url)
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let client = cloudflare_ai_gateway::BlockingClient::new(client).unwrap();
    let page = client
        .call(|c| async move { c.aig_config_list_gateway(ACCOUNT, &params()).await })
        .unwrap();
    assert_eq!(page.result.len(), 2);
    assert_eq!(server.request_count(), 2, "the 503 was retried");
    let stream = client
        .client()
        .aig_config_list_gateway_stream(ACCOUNT, &params().per_page(2));
    let ids: Vec<String> = client
        .iter(stream)
        .map(|gateway| gateway.map(|g| g.id))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, ["a-0", "a-1", "b-0", "b-1"]);
    assert_eq!(server.request_count(), 4);
}
