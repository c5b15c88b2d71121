//! Unit tests of `src/multipart.rs`.

use crate::runtime::error::Error;
use crate::runtime::multipart::*;
use crate::runtime::request::Body;

fn encoded(form: Multipart) -> (String, String) {
    let Body::Bytes { content_type, data } = form.into_body().unwrap() else {
        panic!("multipart is sent as bytes")
    };
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap()
        .to_string();
    (
        boundary.clone(),
        String::from_utf8(data).unwrap().replace(&boundary, "B"),
    )
}

#[test]
fn parts_are_framed_with_disposition_and_type() {
    let file = FilePart::new("export default {}").file_name("worker.js");
    let form = Multipart::new()
        .text("name", "w")
        .file("files", &file, Some("application/javascript+module"))
        .json(
            "metadata",
            &serde_json::json!({"main_module": "worker.js"}),
            None,
        )
        .unwrap();
    let (_, text) = encoded(form);
    assert_eq!(
        text,
        "--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nw\r\n\
         --B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"worker.js\"\r\n\
         Content-Type: application/javascript+module\r\n\r\nexport default {}\r\n\
         --B\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\
         Content-Type: application/json\r\n\r\n{\"main_module\":\"worker.js\"}\r\n--B--\r\n"
    );
}

#[test]
fn names_cannot_break_the_header_and_types_cannot_hold_line_breaks() {
    let file = FilePart::new("x").file_name("a\"\r\nX: y.js");
    let (_, text) = encoded(Multipart::new().file("f\"", &file, None));
    assert!(text.contains(
        "name=\"f%22\"; filename=\"a%22%0D%0AX: y.js\"\r\nContent-Type: application/octet-stream"
    ));
    let bad = Multipart::new().text_as("a", "1", "text/plain\r\nX: y");
    assert!(matches!(bad.into_body(), Err(Error::InvalidRequest { .. })));
}

#[test]
fn the_boundary_is_in_no_part() {
    let (boundary, _) = encoded(Multipart::new().text("a", "1"));
    // A part holding the first boundary seen: the next body picks another.
    let (other, text) = encoded(Multipart::new().text("a", format!("--{boundary}")));
    assert_ne!(boundary, other);
    assert!(text.contains(&boundary));
    let file = FilePart::new(vec![0u8, 255]);
    let Body::Bytes { data, .. } = Multipart::new().file("f", &file, None).into_body().unwrap()
    else {
        panic!()
    };
    assert!(data.windows(2).any(|w| w == [0, 255]));
}
