//! The client without async, for scripts and build tools (the `blocking`
//! feature).
//!
//! A [`BlockingClient`] owns a single-threaded async runtime and drives the
//! async [`Client`] on it, so every operation method and pager works the
//! same way — same requests, retries, timeouts and errors — from ordinary
//! synchronous code:
//!
//! ```ignore
//! let client = BlockingClient::new(Client::from_env()?)?;
//! let page = client.call(|c| async move { c.some_operation(/* … */).await })?;
//! for item in client.iter(client.client().some_operation_stream(/* … */)) {
//!     println!("{:?}", item?);
//! }
//! ```

use std::future::Future;

use futures_util::StreamExt;

use super::client::Client;
use super::error::Error;
use super::pager::BoxStream;

/// A [`Client`] with a runtime of its own, for calls from synchronous code.
///
/// Its methods fail with [`Error::InvalidRequest`] when called from inside
/// an async runtime (blocking there would stall it): use the [`Client`]
/// itself in async code.
#[derive(Debug)]
pub struct BlockingClient {
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl BlockingClient {
    /// Wraps `client`, starting a single-threaded runtime for it.
    pub fn new(client: Client) -> Result<BlockingClient, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::InvalidRequest {
                message: format!("cannot start the blocking client's runtime: {e}"),
            })?;
        Ok(BlockingClient { client, runtime })
    }

    /// The async client it drives (for building streams, options and views).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs one call of the async client to completion.
    pub fn call<T, F, Fut>(&self, call: F) -> Result<T, Error>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        outside_async()?;
        self.runtime.block_on(call(self.client.clone()))
    }

    /// The items of a stream (a pager's pages or items), one blocking step
    /// at a time. Inside an async runtime the iterator yields that error
    /// once and ends.
    pub fn iter<'a, T: 'a>(
        &'a self,
        stream: BoxStream<'a, Result<T, Error>>,
    ) -> impl Iterator<Item = Result<T, Error>> + 'a {
        let mut stream = Some(stream);
        std::iter::from_fn(move || {
            let current = stream.as_mut()?;
            if let Err(e) = outside_async() {
                stream = None;
                return Some(Err(e));
            }
            let next = self.runtime.block_on(current.next());
            if next.is_none() {
                stream = None;
            }
            next
        })
    }
}

/// An error when the calling thread is inside an async runtime, where
/// blocking on another one is not allowed.
fn outside_async() -> Result<(), Error> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => Err(Error::InvalidRequest {
            message:
                "the blocking client was used inside an async runtime; use the async Client there"
                    .to_string(),
        }),
        Err(_) => Ok(()),
    }
}
