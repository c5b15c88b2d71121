//! Unit tests of `src/pager.rs`.

use crate::runtime::error::Error;
use crate::runtime::pager::*;
use futures_util::FutureExt;
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};

struct Fake(Vec<u32>, Option<PageInfo>);

impl V4Page for Fake {
    type Item = u32;
    fn into_parts(self) -> (Vec<u32>, Option<PageInfo>) {
        (self.0, self.1)
    }
}

fn info(per_page: Option<u64>, total_pages: Option<u64>) -> PageInfo {
    PageInfo {
        per_page,
        total_pages,
        ..PageInfo::default()
    }
}

#[test]
fn stop_rules() {
    let spec = PageSpec::new(None, Some(10), Some(20));
    assert_eq!(spec.start_page, 1);
    // Empty page.
    assert_eq!(next_page(&spec, 1, 0, Some(&info(None, Some(5)))), None);
    // Known total pages.
    assert_eq!(next_page(&spec, 4, 10, Some(&info(None, Some(5)))), Some(5));
    assert_eq!(next_page(&spec, 5, 10, Some(&info(None, Some(5)))), None);
    assert_eq!(next_page(&spec, 7, 10, Some(&info(None, Some(5)))), None);
    // Short page against result_info's per_page, then the requested one,
    // then the API default.
    assert_eq!(next_page(&spec, 1, 10, Some(&info(Some(25), None))), None);
    assert_eq!(next_page(&spec, 1, 9, None), None);
    assert_eq!(next_page(&spec, 1, 10, None), Some(2));
    let default_only = PageSpec::new(Some(3), None, Some(20));
    assert_eq!(next_page(&default_only, 3, 19, None), None);
    assert_eq!(next_page(&default_only, 3, 20, None), Some(4));
    // Nothing known: only an empty page stops.
    let unknown = PageSpec::new(None, None, None);
    assert_eq!(next_page(&unknown, 1, 1, None), Some(2));
    assert_eq!(next_page(&unknown, u64::MAX, 1, None), None);
}

#[test]
fn page_info_decodes_leniently() {
    let i: PageInfo = serde_json::from_str(
        r#"{"page":1,"per_page":"20","count":2.0,"total_count":-1,"total_pages":null,"cursors":{}}"#,
    )
    .unwrap();
    assert_eq!(
        i,
        PageInfo {
            page: Some(1),
            per_page: Some(20),
            count: Some(2),
            total_count: None,
            total_pages: None
        }
    );
    assert_eq!(
        serde_json::from_str::<PageInfo>("{}").unwrap(),
        PageInfo::default()
    );
}

#[test]
fn streams_follow_the_rules_and_the_cap() {
    let requested = Arc::new(Mutex::new(Vec::new()));
    let log = requested.clone();
    let fetch = move |n: u64| {
        log.lock().unwrap().push(n);
        let items = if n < 3 { vec![1, 2] } else { vec![3] };
        std::future::ready(Ok::<_, Error>(Fake(items, None)))
    };
    let mut s = items(
        PageSpec::new(None, Some(2), None),
        PagerConfig::default(),
        fetch,
    );
    let mut got = Vec::new();
    while let Some(item) = s.next().now_or_never().flatten() {
        got.push(item.unwrap());
    }
    assert_eq!(got, vec![1, 2, 1, 2, 3]);
    assert_eq!(*requested.lock().unwrap(), vec![1, 2, 3]);

    let fetch = |_n: u64| std::future::ready(Ok::<_, Error>(Fake(vec![1], None)));
    let mut s = pages(
        PageSpec::new(None, None, None),
        PagerConfig { max_pages: 3 },
        fetch,
    );
    let mut results = Vec::new();
    while let Some(page) = s.next().now_or_never().flatten() {
        results.push(page.map(|p| p.number));
    }
    assert_eq!(results.len(), 4);
    assert_eq!(results[2].as_ref().ok(), Some(&3));
    assert!(matches!(results[3], Err(Error::TooManyPages { limit: 3 })));
}
