//! Pagination against a local server that serves a list page by page.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use runtime::pager::{self, BoxStream};
use runtime::{Client, Credentials, Error, Page, PageInfo, PageSpec, Request, RetryPolicy, V4Page};
use serde::Deserialize;
use support::{Action, Recorded, Reply, TestServer};

#[derive(Debug, Deserialize)]
struct ListEnvelope {
    result: Option<Vec<u64>>,
    result_info: Option<PageInfo>,
}

impl V4Page for ListEnvelope {
    type Item = u64;
    fn into_parts(self) -> (Vec<u64>, Option<PageInfo>) {
        (self.result.unwrap_or_default(), self.result_info)
    }
}

/// How the fake list endpoint behaves.
#[derive(Clone, Copy)]
struct Listing {
    total: u64,
    /// `per_page` when the request has none.
    default_per_page: u64,
    /// The largest `per_page` honoured.
    max_per_page: u64,
    result_info: bool,
    total_pages: bool,
}

impl Listing {
    fn new(total: u64) -> Self {
        Listing {
            total,
            default_per_page: 20,
            max_per_page: 50,
            result_info: true,
            total_pages: true,
        }
    }

    fn respond(self, req: &Recorded) -> Action {
        let page: u64 = req
            .query_param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let per_page = req
            .query_param("per_page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(self.default_per_page)
            .min(self.max_per_page);
        let start = (page.saturating_sub(1) * per_page).min(self.total);
        let end = (start + per_page).min(self.total);
        let items: Vec<u64> = (start..end).collect();
        let mut body =
            serde_json::json!({"success": true, "errors": [], "messages": [], "result": items});
        if self.result_info {
            let mut info = serde_json::json!({
                "page": page, "per_page": per_page, "count": items.len(), "total_count": self.total,
            });
            if self.total_pages {
                info["total_pages"] = self.total.div_ceil(per_page).into();
            }
            body["result_info"] = info;
        }
        Reply::json(200, body.to_string()).into()
    }
}

async fn serve(listing: Listing) -> (TestServer, Client) {
    let server = TestServer::start().await;
    server.handler(move |req| listing.respond(req));
    let client = client_for(&server, 10_000);
    (server, client)
}

fn client_for(server: &TestServer, max_pages: u64) -> Client {
    Client::builder(&server.url())
        .credentials(Credentials::api_token("t"))
        .retry_policy(RetryPolicy::none())
        .max_pages(max_pages)
        .build()
        .unwrap()
}

/// What the generated code does: a closure fetching page `n` of the
/// operation with its other parameters fixed.
fn list_pages(
    client: &Client,
    per_page: Option<u64>,
    default_per_page: Option<u64>,
) -> BoxStream<'static, Result<Page<u64>, Error>> {
    let c = client.clone();
    let spec = PageSpec::new(None, per_page, default_per_page);
    pager::pages(spec, client.pager_config(), move |page| {
        let c = c.clone();
        async move {
            let req = Request::get("/items")
                .query("page", page)
                .query_opt("per_page", per_page);
            c.send_json::<ListEnvelope>(&req).await
        }
    })
}

fn list_items(
    client: &Client,
    per_page: Option<u64>,
    default_per_page: Option<u64>,
) -> BoxStream<'static, Result<u64, Error>> {
    pager::flatten(list_pages(client, per_page, default_per_page))
}

async fn collect<T>(mut s: BoxStream<'_, Result<T, Error>>) -> (Vec<T>, Option<Error>) {
    let mut items = Vec::new();
    while let Some(next) = s.next().await {
        match next {
            Ok(item) => items.push(item),
            Err(e) => {
                assert!(s.next().await.is_none(), "an error is the last item");
                return (items, Some(e));
            }
        }
    }
    (items, None)
}

fn pages_requested(server: &TestServer) -> Vec<(Option<String>, Option<String>)> {
    server
        .requests()
        .iter()
        .map(|r| {
            (
                r.query_param("page").map(String::from),
                r.query_param("per_page").map(String::from),
            )
        })
        .collect()
}

fn p(page: &str, per_page: Option<&str>) -> (Option<String>, Option<String>) {
    (Some(page.to_string()), per_page.map(String::from))
}

#[tokio::test]
async fn total_pages_bounds_the_requests() {
    let (server, client) = serve(Listing::new(45)).await;
    let (items, err) = collect(list_items(&client, Some(20), None)).await;
    assert!(err.is_none());
    assert_eq!(items, (0..45).collect::<Vec<_>>());
    assert_eq!(
        pages_requested(&server),
        vec![p("1", Some("20")), p("2", Some("20")), p("3", Some("20"))]
    );

    // An exact multiple: the last page is full, and no page past
    // total_pages is requested.
    let (server, client) = serve(Listing::new(40)).await;
    let (pages, _) = collect(list_pages(&client, Some(20), None)).await;
    assert_eq!(
        pages.iter().map(|p| p.number).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(pages[1].info.and_then(|i| i.total_pages), Some(2));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn without_result_info_a_short_or_empty_page_ends_the_list() {
    let listing = Listing {
        result_info: false,
        ..Listing::new(45)
    };
    let (server, client) = serve(listing).await;
    let (items, _) = collect(list_items(&client, Some(20), None)).await;
    assert_eq!(items.len(), 45);
    assert_eq!(server.request_count(), 3);

    let listing = Listing {
        result_info: false,
        ..Listing::new(40)
    };
    let (server, client) = serve(listing).await;
    let (items, _) = collect(list_items(&client, Some(20), None)).await;
    assert_eq!(items.len(), 40);
    assert_eq!(
        pages_requested(&server),
        vec![p("1", Some("20")), p("2", Some("20")), p("3", Some("20"))]
    );
}

#[tokio::test]
async fn the_api_default_per_page_applies_when_none_is_requested() {
    let listing = Listing {
        result_info: false,
        ..Listing::new(25)
    };
    let (server, client) = serve(listing).await;
    let (items, _) = collect(list_items(&client, None, Some(20))).await;
    assert_eq!(items.len(), 25);
    assert_eq!(pages_requested(&server), vec![p("1", None), p("2", None)]);
}

#[tokio::test]
async fn result_info_per_page_wins_over_the_requested_one() {
    // The server caps per_page at 10 although 50 were asked for: full pages
    // of 10 must not be mistaken for short pages.
    let listing = Listing {
        max_per_page: 10,
        total_pages: false,
        ..Listing::new(25)
    };
    let (server, client) = serve(listing).await;
    let (items, _) = collect(list_items(&client, Some(50), None)).await;
    assert_eq!(items.len(), 25);
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn an_empty_list_is_one_request() {
    let (server, client) = serve(Listing::new(0)).await;
    let (items, err) = collect(list_items(&client, None, None)).await;
    assert!(items.is_empty() && err.is_none());
    assert_eq!(server.request_count(), 1);

    // Without result_info or any per_page, only the empty page stops.
    let listing = Listing {
        result_info: false,
        ..Listing::new(30)
    };
    let (server, client) = serve(listing).await;
    let (items, _) = collect(list_items(&client, None, None)).await;
    assert_eq!(items.len(), 30);
    assert_eq!(server.request_count(), 3, "20, 10, then an empty page");
}

#[tokio::test]
async fn paging_starts_where_asked() {
    let (server, client) = serve(Listing::new(45)).await;
    let c = client.clone();
    let stream = pager::items(
        PageSpec::new(Some(2), Some(20), None),
        client.pager_config(),
        move |page| {
            let c = c.clone();
            async move {
                c.send_json::<ListEnvelope>(
                    &Request::get("/items")
                        .query("page", page)
                        .query("per_page", 20),
                )
                .await
            }
        },
    );
    let (items, _) = collect(stream).await;
    assert_eq!(items, (20..45).collect::<Vec<_>>());
    assert_eq!(
        pages_requested(&server),
        vec![p("2", Some("20")), p("3", Some("20"))]
    );
}

#[tokio::test]
async fn the_page_cap_ends_an_endless_list_with_an_error() {
    let server = TestServer::start().await;
    server
        .handler(|_| Reply::json(200, r#"{"result":[1,2,3],"result_info":{"per_page":3}}"#).into());
    let client = client_for(&server, 4);
    let (items, err) = collect(list_items(&client, Some(3), None)).await;
    assert_eq!(items.len(), 12);
    assert!(
        matches!(err, Some(Error::TooManyPages { limit: 4 })),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let server = TestServer::start().await;
    let listing = Listing::new(100);
    server.handler(move |req| {
        if req.query_param("page") == Some("2") {
            Reply::json(500, r#"{"errors":[{"code":1,"message":"boom"}]}"#).into()
        } else {
            listing.respond(req)
        }
    });
    let client = client_for(&server, 100);
    let start = std::time::Instant::now();
    let (items, err) = collect(list_items(&client, Some(20), None)).await;
    assert_eq!(items.len(), 20);
    assert!(
        matches!(err, Some(Error::Api { status: 500, .. })),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 2);
    assert!(start.elapsed() < Duration::from_secs(2));
}
