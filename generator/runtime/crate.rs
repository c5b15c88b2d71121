//! The runtime as a crate of its own, so that it is built and tested apart
//! from any generated crate. Its module `runtime` is `src/`, the files every
//! generated crate carries under `src/runtime/`; the unit tests (`unit/`)
//! and the integration tests (`tests/`) stay here.

#[path = "src/mod.rs"]
mod runtime;

pub use runtime::*;

#[cfg(test)]
#[path = "unit/mod.rs"]
mod unit;
