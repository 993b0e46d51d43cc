//! Security: hardcoded secrets and insecure calls (TLS verification off,
//! unsafe deserialisation, shell commands, weak randomness for secrets,
//! outbound HTTP calls without a timeout).

mod hardcoded_secret;
mod insecure_transport_or_parsing;
mod outbound_call_without_timeout;

use aireview_core::parse::KindName;
use aireview_core::rule::{FileRule, ProjectRule};
use aireview_core::tree_sitter::Node;
use std::borrow::Cow;

pub fn file_rules() -> Vec<Box<dyn FileRule>> {
    vec![
        Box::new(hardcoded_secret::HardcodedSecret),
        Box::new(insecure_transport_or_parsing::InsecureTransportOrParsing),
    ]
}

pub fn project_rules() -> Vec<Box<dyn ProjectRule>> {
    vec![Box::new(outbound_call_without_timeout::OutboundCallWithoutTimeout)]
}

/// The lower-case word parts of an identifier or key: `apiKey`,
/// `API_KEY`, `api-key` and `x.api_key` all give `["api", "key"]` at the end.
pub(crate) fn name_parts(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // camelCase boundary: a capital after a lower-case letter or digit,
        // or the last capital of an acronym before a lower-case letter.
        let boundary = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars[i - 1].is_ascii_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
        if boundary && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// A string literal's content and its byte range (without quotes), when it
/// has no interpolation. Borrowed from the source when the literal is one
/// piece (most are): this runs on every string of every file.
pub(crate) fn literal_content<'s>(node: Node<'_>, source: &'s str) -> Option<(Cow<'s, str>, std::ops::Range<usize>)> {
    let mut out = Cow::Borrowed("");
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind_name() {
            "string_content" | "string_fragment" | "escape_sequence" => {
                let piece = &source[child.byte_range()];
                if out.is_empty() {
                    out = Cow::Borrowed(piece);
                } else {
                    out.to_mut().push_str(piece);
                }
            }
            "interpolation" | "template_substitution" => return None,
            _ => {}
        }
    }
    let count = node.child_count();
    let range = if count >= 2 {
        let first = node.child(0)?;
        let last = node.child(count - 1)?;
        first.end_byte()..last.start_byte()
    } else {
        node.byte_range()
    };
    if range.start > range.end {
        return None;
    }
    Some((out, range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_into_words() {
        assert_eq!(name_parts("apiKey"), ["api", "key"]);
        assert_eq!(name_parts("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
        assert_eq!(name_parts("self.db-password"), ["self", "db", "password"]);
        assert_eq!(name_parts("JWTSecret"), ["jwt", "secret"]);
    }
}
