//! AI slop: stubs, placeholder comments and values, elided code, assistant
//! chat residue, swallowed errors.

mod assistant_residue;
mod elided_code;
mod placeholder_comment;
mod placeholder_value;
mod stub_body;
mod swallowed_error;

use aireview_core::rule::{FileRule, ProjectRule};

pub fn file_rules() -> Vec<Box<dyn FileRule>> {
    vec![
        Box::new(assistant_residue::AssistantResidue),
        Box::new(elided_code::ElidedCode),
        Box::new(placeholder_comment::PlaceholderComment),
        Box::new(placeholder_value::PlaceholderValue),
        Box::new(swallowed_error::SwallowedError),
    ]
}

pub fn project_rules() -> Vec<Box<dyn ProjectRule>> {
    vec![Box::new(stub_body::StubBody)]
}

/// The built-in phrase lists, for tests that check them all.
#[cfg(test)]
pub(crate) const PHRASE_SETS: [&[&str]; 3] = [
    assistant_residue::PHRASES,
    elided_code::PHRASES,
    placeholder_comment::PHRASES,
];

#[cfg(test)]
mod tests {
    /// Built-in phrases are compiled on first use, where a broken one would
    /// be skipped: they must all compile.
    #[test]
    fn builtin_phrases_compile() {
        let all = super::assistant_residue::PHRASES
            .iter()
            .chain(super::elided_code::PHRASES)
            .chain(super::placeholder_comment::PHRASES);
        for p in all {
            assert!(crate::patterns::phrase_regex(p).is_ok(), "{p}");
        }
    }
}
