//! Unit tests of `src/stream.rs`.

use crate::runtime::stream::*;
use std::collections::VecDeque;
use std::time::Duration;

fn events(chunks: &[&[u8]]) -> Vec<Event> {
    let (mut parser, mut out) = (EventParser::default(), VecDeque::new());
    for chunk in chunks {
        parser.feed(chunk, &mut out);
    }
    parser.finish(&mut out);
    out.into()
}

fn data(chunks: &[&[u8]]) -> Vec<String> {
    events(chunks).into_iter().map(|e| e.data).collect()
}

#[test]
fn lines_end_with_crlf_lf_or_cr_even_across_chunks() {
    assert_eq!(
        data(&[b"data: a\r\n\r\ndata: b\n\ndata: c\r\r"]),
        ["a", "b", "c"]
    );
    // A CRLF split between chunks is one line end, not two.
    assert_eq!(
        data(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]),
        ["a\nb"]
    );
}

#[test]
fn data_lines_join_and_one_leading_space_goes() {
    assert_eq!(data(&[b"data:x\ndata:  y\ndata\n\n"]), ["x\n y\n"]);
    assert_eq!(data(&[b"data:\n\n"]), [""]);
    assert_eq!(data(&[b"\xEF\xBB\xBFdata: \xE2\x82", b"\xAC\n\n"]), ["€"]);
}

#[test]
fn comments_empty_events_and_an_unended_event_dispatch_nothing() {
    assert!(data(&[b": keep-alive\n\nevent: x\n\n:\n\n"]).is_empty());
    assert_eq!(data(&[b"data: a\n\ndata: cut"]), ["a"]);
}

#[test]
fn event_id_and_retry_fields() {
    let got = events(&[
        b"retry: 1500\nevent: add\nid: 7\ndata: a\n\n",
        b"data: b\nretry: 1x\nfoo: bar\n\n",
        b"id\nevent: \ndata: c\n\nid: a\0b\ndata: d\n\n",
    ]);
    let fields: Vec<_> = got
        .iter()
        .map(|e| (e.event.as_deref(), e.id.as_deref(), e.retry))
        .collect();
    assert_eq!(
        fields,
        [
            (Some("add"), Some("7"), Some(Duration::from_millis(1500))),
            (None, Some("7"), None),
            (None, None, None),
            (None, None, None),
        ]
    );
}

#[test]
fn json_lines_skip_blanks_and_record_separators() {
    let (mut s, mut out) = (LineSplitter::default(), VecDeque::new());
    s.feed(b"{\"a\":1}\r\n\n  \n\x1e{\"a\"", &mut out);
    s.feed(b":2}\n\x1e[3]", &mut out);
    s.finish(&mut out);
    let lines: Vec<&[u8]> = out.iter().map(Vec::as_slice).collect();
    assert_eq!(lines, [&b"{\"a\":1}"[..], b"{\"a\":2}", b"[3]"]);
}
