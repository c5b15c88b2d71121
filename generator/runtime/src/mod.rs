//! The hand-written runtime carried verbatim into every generated crate.
//!
//! The generator copies every file of this folder, as it is, into
//! `src/runtime/` of the generated crate; the runtime crate (`crate.rs`,
//! beside this folder) compiles and tests the same files as its module
//! `runtime`. Modules refer to each other only through `super::`, never
//! `crate::`, so the same text works in both places.

/// A `tracing` event when the `tracing` feature is on; nothing otherwise
/// (the arguments are not even evaluated). Defined before the modules, so
/// they all see it, here and as a module of a generated crate.
macro_rules! trace_event {
    ($level:ident, $($arg:tt)*) => {
        #[cfg(feature = "tracing")]
        {
            tracing::$level!($($arg)*);
        }
    };
}

// Generated from the spec (the generator's own formatting, kept as is).
#[rustfmt::skip]
pub mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod call;
pub mod client;
pub mod credentials;
pub mod de;
pub mod encode;
pub mod error;
pub mod multipart;
pub mod number;
pub mod options;
pub mod pager;
pub mod pattern;
pub mod redact;
pub mod request;
pub mod retry;
pub mod stream;
pub mod validation;

#[cfg(feature = "blocking")]
pub use blocking::BlockingClient;
pub use call::Call;
pub use client::{Client, ClientBuilder};
pub use credentials::{Credentials, Secret};
pub use error::{ApiMessage, Error};
pub use multipart::{FilePart, Multipart};
pub use options::{Raw, RequestOptions};
pub use pager::{Page, PageInfo, PageSpec, PagerConfig, V4Page};
pub use request::{encode_path_segment, path_param, Body, Method, Request, Response};
pub use retry::RetryPolicy;
pub use stream::{ByteStream, Event};
pub use validation::{Validate, ValidationErrors, Violation};
