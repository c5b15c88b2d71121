//! Response bodies read as they arrive: bytes (large downloads),
//! server-sent events (`text/event-stream`) and JSON lines
//! (`application/x-ndjson`, `application/jsonl`, `application/json-seq`).
//!
//! A stream is opened like any call: retries, the status check and the
//! error body happen before the first item. Then the body is read chunk
//! by chunk, under the same rules as a whole one: the client's timeout
//! covers the request until the body ends (raise it for one call with
//! [`RequestOptions::timeout`](super::options::RequestOptions::timeout)),
//! and more than the body cap
//! ([`max_response_bytes`](super::client::ClientBuilder::max_response_bytes))
//! in all ends the stream with [`Error::BodyTooLarge`]. A failure while
//! reading is the stream's last item; it is never retried, since part of
//! the body was already handed out.

use std::collections::VecDeque;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::client::{transport_error, Client};
use super::error::Error;
use super::pager::BoxStream;
use super::request::Request;

/// A body's bytes, chunk by chunk as they arrive.
pub type ByteStream = BoxStream<'static, Result<Bytes, Error>>;

/// One server-sent event. `data` is the event's data lines joined by
/// `\n`, as text or, where the spec types it, decoded from JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<T = String> {
    /// The `event:` field; `None` for the default type (`message`).
    pub event: Option<String>,
    pub data: T,
    /// The last event ID the stream set (`id:`), this event's or an
    /// earlier one's.
    pub id: Option<String>,
    /// A reconnection time (`retry:`, in milliseconds) sent since the
    /// previous event.
    pub retry: Option<Duration>,
}

impl<T> Event<T> {
    /// The same event with its data converted.
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Event<U>, E> {
        Ok(Event {
            event: self.event,
            data: f(self.data)?,
            id: self.id,
            retry: self.retry,
        })
    }
}

impl Client {
    /// Sends `req` and returns the 2xx body as a stream of chunks.
    pub async fn send_byte_stream(&self, req: &Request) -> Result<ByteStream, Error> {
        Ok(self.open_stream(req).await?.1)
    }

    /// The status and the byte stream of a 2xx response.
    async fn open_stream(&self, req: &Request) -> Result<(u16, ByteStream), Error> {
        let (status, _, body) = self.send_open(req).await?;
        let limit = self.max_response_bytes();
        if body.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::BodyTooLarge { limit });
        }
        let state = Some((body, 0usize));
        let chunks = futures_util::stream::unfold(state, move |state| async move {
            let (mut body, read) = state?;
            match body.chunk().await {
                Ok(None) => None,
                Ok(Some(chunk)) if chunk.len() > limit.saturating_sub(read) => {
                    Some((Err(Error::BodyTooLarge { limit }), None))
                }
                Ok(Some(chunk)) => {
                    let read = read + chunk.len();
                    Some((Ok(chunk), Some((body, read))))
                }
                Err(e) => Some((Err(transport_error(e)), None)),
            }
        });
        Ok((status, Box::pin(chunks)))
    }

    /// Sends `req` and returns the server-sent events of the 2xx body,
    /// their data as text.
    pub async fn send_events(
        &self,
        req: &Request,
    ) -> Result<BoxStream<'static, Result<Event, Error>>, Error> {
        Ok(self.open_events(req).await?.1)
    }

    async fn open_events(
        &self,
        req: &Request,
    ) -> Result<(u16, BoxStream<'static, Result<Event, Error>>), Error> {
        let (status, bytes) = self.open_stream(req).await?;
        Ok((status, decoded(bytes, EventParser::default())))
    }

    /// [`Client::send_events`] with each event's data decoded as JSON.
    pub async fn send_events_json<T: DeserializeOwned + Send + 'static>(
        &self,
        req: &Request,
    ) -> Result<BoxStream<'static, Result<Event<T>, Error>>, Error> {
        let client = self.clone();
        let (status, events) = self.open_events(req).await?;
        Ok(Box::pin(events.map(move |event| {
            event?.try_map(|data| client.decode_json(status, data.as_bytes()))
        })))
    }

    /// Sends `req` and returns the 2xx body's JSON values, one a line (a
    /// leading record separator, as `application/json-seq` writes, is
    /// skipped; blank lines are).
    pub async fn send_json_lines<T: DeserializeOwned + Send + 'static>(
        &self,
        req: &Request,
    ) -> Result<BoxStream<'static, Result<T, Error>>, Error> {
        let client = self.clone();
        let (status, bytes) = self.open_stream(req).await?;
        let lines = decoded(bytes, LineSplitter::default());
        Ok(Box::pin(
            lines.map(move |line| client.decode_json(status, &line?)),
        ))
    }
}

/// Turns chunks into items as they complete.
pub trait Decoder {
    type Item;
    /// Reads `chunk`, adding the items it completes to `out`.
    fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<Self::Item>);
    /// The end of the body: adds what the last chunk left complete.
    fn finish(&mut self, out: &mut VecDeque<Self::Item>);
}

struct Decoding<D: Decoder> {
    bytes: Option<ByteStream>,
    decoder: D,
    ready: VecDeque<D::Item>,
}

/// The items `decoder` makes of `bytes`; a read failure is the last item.
pub fn decoded<D>(bytes: ByteStream, decoder: D) -> BoxStream<'static, Result<D::Item, Error>>
where
    D: Decoder + Send + 'static,
    D::Item: Send,
{
    let state = Decoding {
        bytes: Some(bytes),
        decoder,
        ready: VecDeque::new(),
    };
    Box::pin(futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.ready.pop_front() {
                return Some((Ok(item), st));
            }
            let bytes = st.bytes.as_mut()?;
            match bytes.next().await {
                Some(Ok(chunk)) => st.decoder.feed(&chunk, &mut st.ready),
                Some(Err(e)) => {
                    st.bytes = None;
                    return Some((Err(e), st));
                }
                None => {
                    st.bytes = None;
                    st.decoder.finish(&mut st.ready);
                }
            }
        }
    }))
}

/// Splits bytes into lines ended by CRLF, LF or CR, across chunks.
#[derive(Debug, Default)]
struct Lines {
    line: Vec<u8>,
    /// The last byte seen was a CR (so an LF next ends nothing).
    after_cr: bool,
}

impl Lines {
    fn feed(&mut self, chunk: &[u8], mut on_line: impl FnMut(&[u8])) {
        for &b in chunk {
            let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
            match b {
                b'\n' if after_cr => {}
                b'\r' | b'\n' => {
                    on_line(&self.line);
                    self.line.clear();
                }
                _ => self.line.push(b),
            }
        }
    }
}

/// The JSON-lines splitter: one item per line that is not blank.
#[derive(Debug, Default)]
pub struct LineSplitter {
    lines: Lines,
}

impl LineSplitter {
    /// Adds `line` without the blanks and record separators (0x1E)
    /// around it, unless nothing is left.
    fn push(line: &[u8], out: &mut VecDeque<Vec<u8>>) {
        let blank = |b: &u8| b.is_ascii_whitespace() || *b == 0x1e;
        let Some(start) = line.iter().position(|b| !blank(b)) else {
            return;
        };
        let end = line
            .iter()
            .rposition(|b| !blank(b))
            .map_or(start, |e| e + 1);
        out.push_back(line[start..end].to_vec());
    }
}

impl Decoder for LineSplitter {
    type Item = Vec<u8>;

    fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<Vec<u8>>) {
        self.lines.feed(chunk, |line| Self::push(line, out));
    }

    fn finish(&mut self, out: &mut VecDeque<Vec<u8>>) {
        Self::push(&std::mem::take(&mut self.lines.line), out);
    }
}

/// The `text/event-stream` parser of the WHATWG HTML standard (9.2.6):
/// a leading BOM dropped, `:` lines are comments, a blank line dispatches
/// the event when it has data, an event not ended by a blank line is
/// dropped at the end of the body.
#[derive(Debug, Default)]
pub struct EventParser {
    lines: Lines,
    started: bool,
    data: String,
    event: String,
    id: Option<String>,
    retry: Option<Duration>,
}

impl EventParser {
    fn line(&mut self, line: &[u8], out: &mut VecDeque<Event>) {
        if line.is_empty() {
            return self.dispatch(out);
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return,
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"event" => self.event = value.into_owned(),
            b"data" => {
                self.data.push_str(&value);
                self.data.push('\n');
            }
            b"id" if !value.contains('\0') => {
                self.id = Some(value.into_owned()).filter(|v| !v.is_empty());
            }
            b"retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Digits only, so only an overflow fails: then it is ignored.
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<Event>) {
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        out.push_back(Event {
            event: Some(event).filter(|e| !e.is_empty()),
            data,
            id: self.id.clone(),
            retry: self.retry.take(),
        });
    }
}

impl Decoder for EventParser {
    type Item = Event;

    fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<Event>) {
        if !self.started && !chunk.is_empty() {
            // The BOM could be split across chunks; bodies start with it
            // whole in practice, and a split one is read as text.
            self.started = true;
            chunk = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
        }
        let mut lines = std::mem::take(&mut self.lines);
        lines.feed(chunk, |line| self.line(line, out));
        self.lines = lines;
    }

    fn finish(&mut self, _out: &mut VecDeque<Event>) {}
}
