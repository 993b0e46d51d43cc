//! aireview's engine: discovery, parsing, facts, the project model, the rule
//! engine and the runner. See `shared/DESIGN.md` for the architecture.

pub mod baseline;
pub mod cache;
pub mod catalogue;
pub mod config;
pub mod conventions;
pub mod deps;
pub mod diagnostic;
pub mod discover;
pub mod external;
pub mod facts;
pub mod filter;
pub mod git;
pub mod lang;
pub mod model;
pub mod online;
pub mod parse;
pub mod query_rule;
pub mod registry;
pub mod resolve;
pub mod review;
pub mod root;
pub mod rule;
pub mod source;
pub mod span;
pub mod template;
pub mod walk_cache;

pub use diagnostic::{Diagnostic, Related, Severity, Warning};
pub use facts::Scope;
pub use lang::{Ecosystem, Language};
pub use span::Span;
pub use tree_sitter;
