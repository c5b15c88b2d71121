//! What an operation's method returns: the request is built (and its
//! arguments checked) when the method is called, and sent when the
//! returned [`Call`] is awaited.
//!
//! The methods are plain functions returning one named future type, not
//! `async fn`s: an `async fn` per operation would make the compiler build
//! and check a state machine for each of thousands of operations, which is
//! most of what a large API's client costs to compile. Here there is one
//! state machine per way of reading a response, in this file.

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use super::client::Client;
use super::error::Error;
use super::pager::BoxStream;
use super::request::Request;
use super::stream::{ByteStream, Event};

/// The future an operation's method returns. It borrows the client only,
/// not the arguments, and is `Send`, so it can be spawned.
pub type Call<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// A `Client` method per way of reading a response: each builds the
/// request with `build` now and returns the [`Call`] that sends it with
/// the named `send_…` method. An error from `build` is the call's result,
/// without any I/O.
macro_rules! call_methods {
    ($($(#[$doc:meta])* $name:ident $(<$t:ident>)? => $send:ident -> $out:ty;)*) => {
        impl Client {
            $(
                $(#[$doc])*
                pub fn $name<$($t: DeserializeOwned + Send + 'static)?>(
                    &self,
                    build: impl FnOnce() -> Result<Request, Error>,
                ) -> Call<'_, $out> {
                    let request = build();
                    Box::pin(async move { self.$send(&request?).await })
                }
            )*
        }
    };
}

call_methods! {
    /// The body decoded as JSON ([`Client::send_json`]).
    call_json<T> => send_json -> T;
    /// The body as text ([`Client::send_text`]).
    call_text => send_text -> String;
    /// The body as it came ([`Client::send_bytes`]).
    call_bytes => send_bytes -> Vec<u8>;
    /// No body ([`Client::send_empty`]).
    call_empty => send_empty -> ();
    /// The body as a stream of chunks ([`Client::send_byte_stream`]).
    call_byte_stream => send_byte_stream -> ByteStream;
    /// Server-sent events ([`Client::send_events`]).
    call_events => send_events -> BoxStream<'static, Result<Event, Error>>;
    /// Server-sent events with JSON data ([`Client::send_events_json`]).
    call_events_json<T> => send_events_json -> BoxStream<'static, Result<Event<T>, Error>>;
    /// JSON values, one a line ([`Client::send_json_lines`]).
    call_json_lines<T> => send_json_lines -> BoxStream<'static, Result<T, Error>>;
}
