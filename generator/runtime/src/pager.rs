//! Cloudflare V4 page-style pagination (`?page=N&per_page=M`, with
//! `result_info` in the response envelope).
//!
//! The generated code supplies a closure fetching page `n` of an operation
//! (its parameters with `page` overridden); [`pages`] and [`items`] turn it
//! into a stream that stops by the rules of [`next_page`].

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Deserializer};

use super::error::Error;

/// A boxed, sendable stream.
pub type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;

/// The pagination part of a V4 envelope's `result_info`. Decoding is
/// lenient: a field that is missing, null or not a non-negative integer
/// (integral floats and numeric strings are accepted) is `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct PageInfo {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub page: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub per_page: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub count: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub total_count: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub total_pages: Option<u64>,
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match value {
        Some(serde_json::Value::Number(n)) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1.8e19)
                .map(|f| f as u64)
        }),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A decoded list response: its items and its `result_info`, if any.
/// The generated envelope types of paginated operations implement this.
pub trait V4Page {
    type Item;
    fn into_parts(self) -> (Vec<Self::Item>, Option<PageInfo>);
}

/// One fetched page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page number that was requested.
    pub number: u64,
    pub items: Vec<T>,
    pub info: Option<PageInfo>,
}

/// Limits on a pager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagerConfig {
    /// The most pages fetched; reaching it ends the stream with
    /// [`Error::TooManyPages`] if more pages were due.
    pub max_pages: u64,
}

impl Default for PagerConfig {
    fn default() -> Self {
        PagerConfig { max_pages: 10_000 }
    }
}

/// Where paging starts and how large pages are expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSpec {
    /// The first page fetched (Cloudflare pages start at 1).
    pub start_page: u64,
    /// The `per_page` the caller asked for, if any.
    pub per_page: Option<u64>,
    /// The API's default `per_page` (from the spec), if known.
    pub default_per_page: Option<u64>,
}

impl PageSpec {
    /// A spec starting at `start_page` (1 when `None`).
    pub fn new(
        start_page: Option<u64>,
        per_page: Option<u64>,
        default_per_page: Option<u64>,
    ) -> Self {
        PageSpec {
            start_page: start_page.unwrap_or(1),
            per_page,
            default_per_page,
        }
    }
}

/// The page to fetch after page `number` returned `len` items with `info`,
/// or `None` when paging is over: the page was empty; or `total_pages` is
/// known and `number >= total_pages`; or the page has fewer items than
/// `per_page` (from `info`, else the requested one, else the API default).
pub fn next_page(spec: &PageSpec, number: u64, len: usize, info: Option<&PageInfo>) -> Option<u64> {
    if len == 0 {
        return None;
    }
    if let Some(total) = info.and_then(|i| i.total_pages) {
        if number >= total {
            return None;
        }
    }
    let per_page = info
        .and_then(|i| i.per_page)
        .or(spec.per_page)
        .or(spec.default_per_page);
    if let Some(per_page) = per_page {
        if (len as u64) < per_page {
            return None;
        }
    }
    number.checked_add(1)
}

/// A stream of pages: `fetch(n)` for `n` from `spec.start_page` until
/// [`next_page`] says stop. An error (from `fetch`, or
/// [`Error::TooManyPages`] when `config.max_pages` pages were fetched and
/// more are due) is the stream's last item.
pub fn pages<'a, P, F, Fut>(
    spec: PageSpec,
    config: PagerConfig,
    fetch: F,
) -> BoxStream<'a, Result<Page<P::Item>, Error>>
where
    P: V4Page + Send + 'a,
    P::Item: Send + 'a,
    F: FnMut(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
{
    struct State<F> {
        fetch: F,
        next: Option<u64>,
        fetched: u64,
    }
    let state = State {
        fetch,
        next: Some(spec.start_page),
        fetched: 0,
    };
    Box::pin(stream::unfold(state, move |mut state| async move {
        let number = state.next.take()?;
        if state.fetched >= config.max_pages {
            return Some((
                Err(Error::TooManyPages {
                    limit: config.max_pages,
                }),
                state,
            ));
        }
        state.fetched += 1;
        trace_event!(debug, page = number, "fetching page");
        match (state.fetch)(number).await {
            Ok(page) => {
                let (items, info) = page.into_parts();
                state.next = next_page(&spec, number, items.len(), info.as_ref());
                Some((
                    Ok(Page {
                        number,
                        items,
                        info,
                    }),
                    state,
                ))
            }
            Err(e) => Some((Err(e), state)),
        }
    }))
}

/// The items of [`pages`], one by one.
pub fn items<'a, P, F, Fut>(
    spec: PageSpec,
    config: PagerConfig,
    fetch: F,
) -> BoxStream<'a, Result<P::Item, Error>>
where
    P: V4Page + Send + 'a,
    P::Item: Send + 'a,
    F: FnMut(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
{
    flatten(pages(spec, config, fetch))
}

/// Turns a stream of pages into a stream of their items.
pub fn flatten<'a, T: Send + 'a>(
    pages: BoxStream<'a, Result<Page<T>, Error>>,
) -> BoxStream<'a, Result<T, Error>> {
    let state = (pages, Vec::new().into_iter());
    Box::pin(stream::unfold(
        state,
        |(mut pages, mut current)| async move {
            loop {
                if let Some(item) = current.next() {
                    return Some((Ok(item), (pages, current)));
                }
                match pages.next().await {
                    Some(Ok(page)) => current = page.items.into_iter(),
                    Some(Err(e)) => return Some((Err(e), (pages, current))),
                    None => return None,
                }
            }
        },
    ))
}
