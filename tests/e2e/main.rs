//! End-to-end tests: the built `aireview` binary on the fixture projects and
//! on projects built in temporary folders. One module per area.

mod abstraction;
mod cache;
mod ci;
mod common;
mod core;
mod drift;
mod imports;
mod security;
mod validation;
