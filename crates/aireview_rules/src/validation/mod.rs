//! Validation: request handlers that use raw input, and SQL built from
//! strings. Handler recognition and taint live in `taint`; each rule asks
//! for function nodes and reads the analysis of that function.

mod sql_built_from_strings;
mod taint;
mod unvalidated_request_input;

use aireview_core::facts::FileRole;
use aireview_core::rule::{FileContext, FileRule};

pub fn file_rules() -> Vec<Box<dyn FileRule>> {
    vec![
        Box::new(unvalidated_request_input::UnvalidatedRequestInput),
        Box::new(sql_built_from_strings::SqlBuiltFromStrings),
    ]
}

/// Application code and examples (docs teach the pattern), not tests,
/// stubs or generated code.
fn reviewed(cx: &FileContext<'_, '_>) -> bool {
    matches!(cx.role(), FileRole::Source | FileRole::Example) && !cx.in_test_code()
}
