//! `placeholder-comment`: comments that stand in for work an assistant did
//! not do ("in a real implementation...", "add error handling here").

use crate::patterns::{check_prose, PhraseSet};
use aireview_core::rule::{FileContext, FileRule, Prepared};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct PlaceholderComment;

pub(crate) const PHRASES: &[&str] = &[
    r"\bin an? (real|actual|real-world) (implementation|application|app|system|scenario|project|codebase|world)\b",
    r"\bin (a )?production( environment| setting| system| app| deployment| code)?,? (you|we|this|it|one) ?('d|would|should|might|will need)\b",
    r"\b(replace|swap) (this|these|it|the following) with (a |an |the |your )?(real|actual|proper)\b",
    r"\byour (own )?(code|logic|implementation|business logic) (goes )?here\b",
    r"\b(add|insert|implement|put|handle) (your |the |proper |actual |real |more |additional |appropriate )*(error handling|validation|logic|implementation|code|authentication|authorization|checks?|sanitization) here\b",
    r"\btodo:?\s*(implement|add|write|fill in)( (this|me|it|here|later|the (actual|real|rest|logic)[\w ]*|(actual|real|proper) [\w ]+))?\s*$",
    r"^\s*(this is )?(a |an )?(placeholder|simplified|mock|dummy|stub|fake) (implementation|version|logic|response)\b",
    r"\b(placeholder|dummy|mock|fake) (implementation|logic|data|response|value)s? (for now|until)\b",
    r"\bfor (demonstration|demo|illustration|illustrative) purposes\b",
    r"\bsimplified (for|version of) (this |the )?(example|demo|brevity|illustration)\b",
];

impl FileRule for PlaceholderComment {
    fn id(&self) -> &'static str {
        "placeholder-comment"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        language.comment_kinds()
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        PhraseSet::prepared(PHRASES, options)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        // Docstrings are documentation; their examples and caveats read like
        // placeholders ("for illustrative purposes"), so only comments count.
        check_prose(node, cx, false, false, &|quote| {
            format!("placeholder comment stands in for missing work: \"{quote}\"")
        });
    }
}
