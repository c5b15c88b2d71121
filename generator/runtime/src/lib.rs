//! The hand-written runtime carried verbatim into every generated crate.
//!
//! This crate compiles and is tested on its own; the generator copies these
//! files into `src/runtime/` of the generated crate. Modules refer to each
//! other only through `super::`, never `crate::`, so the same text works both
//! as this crate's root and as a module of a generated crate.

pub mod validation;
