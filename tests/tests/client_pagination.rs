//! The generated client's V4 pager against the fault-injecting server:
//! where it stops, what it requests, and its bounds.

mod client_common;

use client_common::*;

// -------------------------------------------------------------- pagination

/// Serves pages from `pages` (page n = `pages[n-1]`, an empty page beyond),
/// with `result_info` from `info(n, len)` when given.
fn serve_pages(server: &TestServer, pages: Vec<usize>, info: Option<fn(u64, usize) -> Value>) {
    server.handler(move |r| {
        let page: u64 = r
            .query_param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let len = pages.get(page as usize - 1).copied().unwrap_or(0);
        let items = ids(&format!("p{page}"), len);
        Reply::json(200, envelope(&items, info.map(|f| f(page, len)))).into()
    });
}

async fn walk(c: &Client, p: &AigConfigListGatewayParams) -> (Vec<String>, Option<Error>) {
    let mut ids = Vec::new();
    let mut stream = c.aig_config_list_gateway_stream(ACCOUNT, p);
    while let Some(item) = stream.next().await {
        match item {
            Ok(g) => ids.push(g.id),
            Err(e) => {
                // The error ends the stream.
                assert!(stream.next().await.is_none());
                return (ids, Some(e));
            }
        }
    }
    (ids, None)
}

#[tokio::test]
async fn without_result_info_a_short_page_ends_the_list() {
    let server = TestServer::start().await;
    serve_pages(&server, vec![3, 3, 1, 3], None);
    let (ids, err) = walk(&client(&server), &params().per_page(3)).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids.len(), 7);
    assert_eq!(ids[0], "p1-0");
    assert_eq!(ids[6], "p3-0");
    let seen = server.requests();
    assert_eq!(pages_requested(&seen), some(&["1", "2", "3"]));
    assert_eq!(per_pages_requested(&seen), some(&["3", "3", "3"]));
    seen.iter().for_each(assert_client_request);
}

#[tokio::test]
async fn without_result_info_or_per_page_the_spec_default_of_20_applies() {
    let server = TestServer::start().await;
    serve_pages(&server, vec![20, 20, 5], None);
    let (ids, err) = walk(&client(&server), &params()).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids.len(), 45);
    let seen = server.requests();
    assert_eq!(pages_requested(&seen), some(&["1", "2", "3"]));
    assert_eq!(per_pages_requested(&seen), vec![None, None, None]);
}

#[tokio::test]
async fn full_pages_without_result_info_continue_until_an_empty_page() {
    let server = TestServer::start().await;
    serve_pages(&server, vec![2, 2], None);
    let (ids, err) = walk(&client(&server), &params().per_page(2)).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids.len(), 4);
    assert_eq!(pages_requested(&server.requests()), some(&["1", "2", "3"]));
}

#[tokio::test]
async fn the_pager_never_requests_past_total_pages() {
    let server = TestServer::start().await;
    // Every page is full, even past the end: only total_pages can stop it.
    serve_pages(
        &server,
        vec![2; 10],
        Some(
            |page, len| json!({"page": page, "per_page": 2, "count": len, "total_count": 20, "total_pages": 3}),
        ),
    );
    let (ids, err) = walk(&client(&server), &params().per_page(2)).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids.len(), 6);
    let seen = server.requests();
    assert_eq!(pages_requested(&seen), some(&["1", "2", "3"]));
    seen.iter().for_each(assert_client_request);
}

#[tokio::test]
async fn a_short_last_page_with_result_info_ends_the_list() {
    let server = TestServer::start().await;
    serve_pages(
        &server,
        vec![4, 4, 2, 4],
        Some(|page, len| json!({"page": page, "per_page": 4, "count": len})),
    );
    let (ids, err) = walk(&client(&server), &params()).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids.len(), 10);
    // per_page from result_info (4) wins over the spec default (20).
    assert_eq!(pages_requested(&server.requests()), some(&["1", "2", "3"]));
}

#[tokio::test]
async fn paging_starts_at_the_requested_page() {
    let server = TestServer::start().await;
    serve_pages(
        &server,
        vec![5, 5, 5, 5],
        Some(|page, len| json!({"page": page, "per_page": 5, "count": len, "total_pages": 4})),
    );
    let (ids, _) = walk(&client(&server), &params().page(3).per_page(5)).await;
    assert_eq!(ids.first().map(String::as_str), Some("p3-0"));
    assert_eq!(ids.len(), 10);
    let seen = server.requests();
    assert_eq!(pages_requested(&seen), some(&["3", "4"]));
    assert_eq!(per_pages_requested(&seen), some(&["5", "5"]));
}

#[tokio::test]
async fn an_error_mid_list_ends_the_stream_after_the_items_so_far() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, envelope(&ids("p1", 2), None)));
    server.push(Reply::json(
        404,
        r#"{"success":false,"errors":[{"code":7003,"message":"No route for the URI"}],"result":null}"#,
    ));
    let (ids, err) = walk(&client(&server), &params().per_page(2)).await;
    assert_eq!(ids, ["p1-0", "p1-1"]);
    let err = err.expect("the 404 is the stream's last item");
    assert_eq!(err.status(), Some(404));
    assert_eq!(pages_requested(&server.requests()), some(&["1", "2"]));
}

/// The pager checks the parameters it was given, like the single call: an
/// invalid `page` is an error, not silently replaced by page 1.
#[tokio::test]
async fn the_pager_rejects_an_invalid_start_page_unsent() {
    let server = TestServer::start().await;
    serve_pages(&server, vec![2], None);
    let c = client(&server);
    for page in [0, -3, i64::MIN] {
        let p = params().page(page);
        let single = list(&c, &p).await.unwrap_err();
        assert!(matches!(single, Error::InvalidParameters(_)), "{single:?}");
        let pages: Vec<_> = c.aig_config_list_gateway_pages(ACCOUNT, &p).collect().await;
        assert!(
            matches!(pages.as_slice(), [Err(Error::InvalidParameters(v))] if v[0].path == "page"),
            "page {page}: {pages:?}"
        );
    }
    assert_eq!(
        server.request_count(),
        0,
        "{:?}",
        pages_requested(&server.requests())
    );
}

#[tokio::test]
async fn the_page_cap_stops_an_endless_list() {
    let server = TestServer::start().await;
    serve_pages(&server, vec![1; 100], None);
    let c = builder(&server).max_pages(3).build().unwrap();
    let (ids, err) = walk(&c, &params().per_page(1)).await;
    assert_eq!(ids.len(), 3);
    assert!(
        matches!(err, Some(Error::TooManyPages { limit: 3 })),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn pages_carry_their_number_and_result_info() {
    let server = TestServer::start().await;
    serve_pages(
        &server,
        vec![2, 1],
        Some(
            |page, len| json!({"page": page, "per_page": 2, "count": len, "total_count": 3, "total_pages": 2}),
        ),
    );
    let pages: Vec<_> = client(&server)
        .aig_config_list_gateway_pages(ACCOUNT, &params().per_page(2))
        .collect()
        .await;
    let pages: Vec<_> = pages.into_iter().map(Result::unwrap).collect();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].number, 1);
    assert_eq!(pages[1].number, 2);
    assert_eq!(pages[1].items.len(), 1);
    assert_eq!(pages[1].info.unwrap().total_count, Some(3));
    assert_eq!(server.request_count(), 2);
}
