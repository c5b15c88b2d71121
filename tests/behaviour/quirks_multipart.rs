//! quirks/multipart.yaml: a form is sent as real multipart (file parts with
//! their name and type, text parts), its text and JSON parts are checked
//! against their schemas before anything is sent, and a form whose parts
//! are all optional has `Default`.

use behaviour::{serve_once, Reply};
use quirks_multipart_api::client::{UpdateAvatarForm, UploadImageForm};
use quirks_multipart_api::models::UploadImageFormKind;
use quirks_multipart_api::runtime::FilePart;
use quirks_multipart_api::{Client, Error, Validate};

fn image(id: &str, count: i64) -> UploadImageForm {
    UploadImageForm {
        file: FilePart::new(b"PNGDATA".to_vec())
            .file_name("cat.png")
            .content_type("image/png"),
        thumbnail: None,
        require_signed_urls: Some(true),
        id: Some(id.into()),
        count: Some(count),
        kind: Some(UploadImageFormKind::Photo),
        metadata: None,
    }
}

#[tokio::test]
async fn a_form_is_sent_as_multipart_parts() {
    let (url, server) = serve_once(Reply::no_content()).await;
    let c = Client::builder(&url).build().expect("client");
    c.upload_image(Some(image("cat-1", 2))).await.expect("204");
    let seen = server.await.expect("server");
    let ct = seen.header_values("content-type").join(",");
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = seen.body_text();
    for part in [
        "name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n",
        "name=\"id\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ncat-1\r\n",
        "name=\"count\"\r\n\r\n2\r\n",
        "name=\"kind\"\r\n\r\nphoto\r\n",
        "name=\"requireSignedURLs\"\r\n\r\ntrue\r\n",
    ] {
        assert!(body.contains(part), "{part:?} not in {body:?}");
    }
    assert!(!body.contains("name=\"thumbnail\""), "{body}");
}

#[tokio::test]
async fn a_form_part_that_breaks_its_schema_is_refused_before_sending() {
    // Nothing listens on port 9: a request would fail as a transport error.
    let c = Client::builder("http://127.0.0.1:9")
        .build()
        .expect("client");
    let form = image(&"x".repeat(65), 0);
    let errors = form.validate().expect_err("two violations");
    let paths: Vec<&str> = errors.0.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["id", "count"]);
    match c.upload_image(Some(form)).await {
        Err(Error::InvalidParameters(v)) => {
            let paths: Vec<&str> = v.iter().map(|v| v.path.as_str()).collect();
            assert_eq!(paths, ["body.id", "body.count"]);
        }
        other => panic!("expected invalid parameters, got {other:?}"),
    }
    let mut unknown = image("ok", 1);
    unknown.kind = Some(UploadImageFormKind::Other("sculpture".into()));
    match c.upload_image(Some(unknown)).await {
        Err(Error::InvalidParameters(v)) => assert_eq!(v[0].path, "body.kind"),
        other => panic!("expected invalid parameters, got {other:?}"),
    }
}

#[tokio::test]
async fn an_all_optional_form_starts_from_default() {
    let (url, server) = serve_once(Reply::no_content()).await;
    let c = Client::builder(&url).build().expect("client");
    let form = UpdateAvatarForm {
        caption: Some("hello".into()),
        ..Default::default()
    };
    c.update_avatar(Some(form)).await.expect("204");
    let body = server.await.expect("server").body_text();
    assert!(body.contains("name=\"caption\"\r\n\r\nhello\r\n"), "{body}");
    assert!(!body.contains("name=\"avatar\""), "{body}");
    let long = UpdateAvatarForm {
        caption: Some("far too long".into()),
        ..Default::default()
    };
    assert!(matches!(
        Client::builder("http://127.0.0.1:9").build().expect("client").update_avatar(Some(long)).await,
        Err(Error::InvalidParameters(_))
    ));
}

/// README "Multipart bodies": its example, as written there (the module
/// read from a file there, bytes here), and what it puts on the wire.
#[tokio::test]
async fn the_readme_upload_example_sends_its_parts() {
    use quirks_multipart_api::client::UploadScriptForm;
    use quirks_multipart_api::models::Metadata;

    let (url, server) = serve_once(Reply::json(r#"{"id": "s-1"}"#)).await;
    let client = Client::builder(&url).build().expect("client");
    let source = b"export default {}".to_vec();

    let module = FilePart::new(source)
        .file_name("worker.js") // the name `main_module` gives
        .content_type("application/javascript+module");
    let form = UploadScriptForm {
        files: vec![module],
        metadata: Metadata { main_module: Some("worker.js".into()), ..Default::default() },
        tags: None,
    };
    let uploaded = client.upload_script("hello", form).await.expect("200");

    assert_eq!(uploaded.id.as_deref(), Some("s-1"));
    let seen = server.await.expect("server");
    assert_eq!(seen.target(), "/scripts/hello");
    let body = seen.body_text();
    for part in [
        "name=\"files\"; filename=\"worker.js\"\r\nContent-Type: application/javascript+module\r\n\r\nexport default {}\r\n",
        "name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"main_module\":\"worker.js\"}\r\n",
    ] {
        assert!(body.contains(part), "{part:?} not in {body:?}");
    }
    assert!(!body.contains("name=\"tags\""), "{body}");
}
