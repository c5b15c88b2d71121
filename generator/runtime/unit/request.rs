//! Unit tests of `src/request.rs`.

use crate::runtime::error::Error;
use crate::runtime::request::*;
use crate::runtime::validation::Constraint;

#[test]
fn path_segments_keep_only_unreserved_characters() {
    assert_eq!(encode_path_segment("abc-DEF_1.2~"), "abc-DEF_1.2~");
    assert_eq!(encode_path_segment("a/b?c#d e%f"), "a%2Fb%3Fc%23d%20e%25f");
    assert_eq!(encode_path_segment("é+&="), "%C3%A9%2B%26%3D");
    assert_eq!(path_param("id", "x/y").unwrap(), "x%2Fy");
    let Err(Error::InvalidParameters(v)) = path_param("id", "") else {
        panic!()
    };
    assert_eq!(
        (v[0].path.as_str(), &v[0].constraint),
        ("id", &Constraint::MinLength(1))
    );
    assert!(path_param("id", "..").is_err() && path_param("id", "...").is_ok());
}

#[test]
fn query_each_adds_a_pair_per_value_and_none_for_absent_ones() {
    let absent: Option<i64> = None;
    let tags: Option<Vec<String>> = Some(vec!["a".into(), "b c".into()]);
    let nested: Option<Option<bool>> = Some(None);
    let req = Request::get("/x")
        .query_each("page", Some(2))
        .query_each("absent", absent.iter())
        .query_each("tag", tags.iter().flatten())
        .query_each("null", nested.iter().flatten())
        .query_each("ids", [1.5, 2.0]);
    assert_eq!(
        req.url("https://h").unwrap().as_str(),
        "https://h/x?page=2&tag=a&tag=b%20c&ids=1.5&ids=2"
    );
}

#[test]
fn urls_join_base_path_and_query() {
    let base = "https://api.example.com/client/v4";
    let req = Request::get("/zones/z%2F1")
        .query("match", "a b")
        .query("tag", "x")
        .query("tag", "é");
    assert_eq!(
        req.url(base).unwrap().as_str(),
        "https://api.example.com/client/v4/zones/z%2F1?match=a%20b&tag=x&tag=%C3%A9"
    );
    assert_eq!(
        Request::get("/").url("http://h:8080").unwrap().as_str(),
        "http://h:8080/"
    );
    for bad in ["/a/../b", "/a/%2e%2E", "/./x", "x", "/a#b", "/a?b"] {
        assert!(
            matches!(
                Request::get(bad).url(base),
                Err(Error::InvalidRequest { .. })
            ),
            "{bad}"
        );
    }
    assert!(Request::get("/a/.../b").url(base).is_ok());
}

#[test]
fn bodies_encode() {
    let req = Request::put("/")
        .json(&serde_json::json!({"a": [1]}))
        .unwrap();
    assert_eq!(req.body, Some(Body::Json(br#"{"a":[1]}"#.to_vec())));
    assert_eq!(format!("{:?}", req.body.unwrap()), "Json(9 bytes)");
    let form = Body::Form(vec![
        ("a b".into(), "1&2=3".into()),
        ("c".into(), String::new()),
    ]);
    assert_eq!(form.to_bytes(), b"a%20b=1%262%3D3&c=");
    assert_eq!(form.content_type(), "application/x-www-form-urlencoded");
}
