//! Source spans: byte offsets plus 1-based line and column (columns count
//! characters, as editors do), so every consumer gets both without the source.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub start_line: u32,
    pub start_col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Span {
    /// The span of a tree-sitter node. `source` is the text the tree was parsed from.
    pub fn of_node(node: tree_sitter::Node<'_>, source: &str) -> Span {
        let (sp, ep) = (node.start_position(), node.end_position());
        Span {
            start: node.start_byte() as u32,
            end: node.end_byte() as u32,
            start_line: sp.row as u32 + 1,
            start_col: char_column(source, node.start_byte(), sp.column),
            end_line: ep.row as u32 + 1,
            end_col: char_column(source, node.end_byte(), ep.column),
        }
    }

    /// The span of a byte range, computing lines by scanning `source`. Use
    /// [`Span::of_node`] when a node is at hand; this is for sub-node ranges.
    pub fn of_range(source: &str, start: usize, end: usize) -> Span {
        Span::at(start, end, line_col(source, start), line_col(source, end))
    }

    /// A byte range with its (1-based line, column) ends already known.
    pub fn at(start: usize, end: usize, (start_line, start_col): (u32, u32), (end_line, end_col): (u32, u32)) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
            start_line,
            start_col,
            end_line,
            end_col,
        }
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn lines(&self) -> std::ops::RangeInclusive<u32> {
        self.start_line..=self.end_line
    }
}

/// 1-based character column of `byte`, given its byte column on its line.
fn char_column(source: &str, byte: usize, byte_col: usize) -> u32 {
    let line_start = byte.saturating_sub(byte_col);
    match source.get(line_start..byte) {
        Some(prefix) => prefix.chars().count() as u32 + 1,
        None => byte_col as u32 + 1,
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(source: &str, byte: usize) -> (u32, u32) {
    let byte = byte.min(source.len());
    let before = &source.as_bytes()[..byte];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    (line, char_column(source, byte, byte - line_start))
}

/// 64-bit FNV-1a: a stable hash (unlike `std`'s, it never changes between
/// releases), used for fingerprints and content keys that are written to disk.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Hash of a line with its whitespace normalised, so re-indenting or moving
/// a line does not change the fingerprint of a finding on it.
pub fn normalized_line_hash(line: &str) -> u64 {
    // FNV-1a over the words joined by single spaces, without building the string.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (i, word) in line.split_whitespace().enumerate() {
        if i > 0 {
            feed(b" ");
        }
        feed(word.as_bytes());
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let src = "é = 1\nab";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (1, 3)); // after "é " (é is 2 bytes)
        assert_eq!(line_col(src, src.len()), (2, 3));
    }

    #[test]
    fn node_span_matches_range_span() {
        let src = "x = 1\nfoo(\"é\", bar)\n";
        let mut p = tree_sitter::Parser::new();
        p.set_language(crate::Language::Python.grammar()).unwrap();
        let tree = p.parse(src, None).unwrap();
        let call = tree.root_node().named_child(1).unwrap().named_child(0).unwrap();
        let bar = call.child_by_field_name("arguments").unwrap().named_child(1).unwrap();
        let a = Span::of_node(bar, src);
        let b = Span::of_range(src, bar.start_byte(), bar.end_byte());
        assert_eq!(a, b);
        assert_eq!((a.start_line, a.start_col, a.end_col), (2, 10, 13));
    }

    #[test]
    fn line_hash_ignores_whitespace() {
        assert_eq!(normalized_line_hash("  a  =\tb "), fnv1a(b"a = b"));
        assert_eq!(normalized_line_hash("  a  =  b "), normalized_line_hash("a = b"));
        assert_ne!(normalized_line_hash("a = b"), normalized_line_hash("a = c"));
    }
}
