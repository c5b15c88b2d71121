//! v32/methods.yaml: 3.2's `query` method and `additionalOperations` are
//! client methods sending exactly that method, with their path, query and
//! body as any other operation's.

use behaviour::{serve_once, Reply};
use v32_methods_api::models::{Filter, Item};
use v32_methods_api::{Client, Error};

async fn client(reply: Reply) -> (Client, tokio::task::JoinHandle<behaviour::Captured>) {
    let (url, server) = serve_once(reply).await;
    (Client::builder(&url).build().expect("client"), server)
}

#[tokio::test]
async fn query_sends_the_query_method_with_its_body() {
    let (c, server) = client(Reply::json(r#"[{"id": 1, "name": "a"}]"#)).await;
    let filter = Filter {
        name: Some("a".into()),
    };
    let items = c.query_items(&filter).await.expect("200");
    assert_eq!(
        items,
        vec![Item {
            id: 1,
            name: Some("a".into())
        }]
    );
    let seen = server.await.expect("server");
    assert_eq!(seen.request_line, "QUERY /items HTTP/1.1");
    assert_eq!(seen.body_text(), r#"{"name":"a"}"#);
}

#[tokio::test]
async fn additional_operations_send_their_own_method() {
    let (c, server) = client(Reply::no_content()).await;
    c.link_items("other").await.expect("204");
    let seen = server.await.expect("server");
    assert_eq!(seen.request_line, "LINK /items?target=other HTTP/1.1");

    let (c, server) = client(Reply::no_content()).await;
    c.purge_items().await.expect("204");
    assert_eq!(server.await.expect("server").request_line, "PURGE /items HTTP/1.1");

    let (c, server) = client(Reply::json(r#"{"id": 8}"#)).await;
    let copy = c.copy_items_id(7).await.expect("201");
    assert_eq!(copy.id, 8);
    assert_eq!(server.await.expect("server").request_line, "COPY /items/7 HTTP/1.1");
}

#[tokio::test]
async fn their_parameters_are_checked_before_sending() {
    let c = Client::builder("http://127.0.0.1:9").build().expect("client");
    match c.link_items("").await {
        Err(Error::InvalidParameters(v)) => assert_eq!(v[0].path, "target"),
        other => panic!("expected invalid parameters, got {other:?}"),
    }
}
