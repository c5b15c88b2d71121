//! The runtime's unit tests: a file per module of `src/`, kept out of the
//! files a generated crate carries.

mod client;
mod credentials;
mod de;
mod encode;
mod error;
mod multipart;
mod pager;
mod pattern;
mod redact;
mod request;
mod retry;
mod stream;
mod validation;
