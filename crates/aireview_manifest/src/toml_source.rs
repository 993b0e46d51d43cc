//! TOML documents parsed with their spans, so declarations keep their line and column.

use crate::position::line_col;
use crate::ManifestProblem;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub type Value<'i> = Spanned<DeValue<'i>>;

/// Parses a TOML document; a syntax error becomes a problem naming its position.
pub fn parse<'i>(text: &'i str, rel: &str) -> Result<DeTable<'i>, ManifestProblem> {
    DeTable::parse(text).map(Spanned::into_inner).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
        let at = if line > 0 {
            format!("line {line}, column {column}: ")
        } else {
            String::new()
        };
        ManifestProblem {
            path: rel.to_string(),
            message: format!("invalid TOML at {at}{}", first_line(e.message())),
            line,
            column,
        }
    })
}

fn first_line(message: &str) -> &str {
    message.trim().lines().next().unwrap_or("")
}

/// The value at a dotted key path (`["tool", "poetry", "dependencies"]`).
pub fn at<'a, 'i>(table: &'a DeTable<'i>, path: &[&str]) -> Option<&'a Value<'i>> {
    let (first, rest) = path.split_first()?;
    let value = table.get(*first)?;
    if rest.is_empty() {
        return Some(value);
    }
    at(value.get_ref().as_table()?, rest)
}

/// The table at a dotted key path.
pub fn table_at<'a, 'i>(table: &'a DeTable<'i>, path: &[&str]) -> Option<&'a DeTable<'i>> {
    at(table, path)?.get_ref().as_table()
}

/// The string at a dotted key path.
pub fn str_at<'a>(table: &'a DeTable<'_>, path: &[&str]) -> Option<&'a str> {
    at(table, path)?.get_ref().as_str()
}

/// The strings of an array value, each with its byte offset (of the opening quote).
pub fn strings<'a>(value: &'a Value<'_>) -> Vec<(&'a str, usize)> {
    value
        .get_ref()
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.get_ref().as_str().map(|s| (s, v.span().start)))
                .collect()
        })
        .unwrap_or_default()
}

/// The key entries of a table in source order.
pub fn entries<'a, 'i>(table: &'a DeTable<'i>) -> Vec<(&'a Spanned<std::borrow::Cow<'i, str>>, &'a Value<'i>)> {
    let mut out: Vec<_> = table.iter().collect();
    out.sort_by_key(|(k, _)| k.span().start);
    out
}

/// Line and column of a character inside a string literal: `offset_in_content`
/// bytes past the opening quote (triple quotes count as three).
pub fn string_position(text: &str, quote_offset: usize, offset_in_content: usize) -> (u32, u32) {
    let rest = text.get(quote_offset..).unwrap_or("");
    let quotes = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        3
    } else {
        usize::from(rest.starts_with('"') || rest.starts_with('\''))
    };
    line_col(text, quote_offset + quotes + offset_in_content)
}

/// Line and column of a key's name (inside its quotes when quoted).
pub fn key_position(text: &str, key_offset: usize) -> (u32, u32) {
    let quoted = text.get(key_offset..).is_some_and(|r| r.starts_with(['"', '\'']));
    line_col(text, key_offset + usize::from(quoted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse("a = 1\nb = [\n", "x.toml").unwrap_err();
        assert_eq!(e.path, "x.toml");
        assert!(e.message.starts_with("invalid TOML at line 2") || e.message.starts_with("invalid TOML at line 3"));
        assert!(e.line >= 2);
    }

    #[test]
    fn walks_paths_and_keeps_offsets() {
        let text = "[tool.x]\nlist = ['a', \"b\"]\n";
        let doc = parse(text, "x.toml").unwrap();
        let list = at(&doc, &["tool", "x", "list"]).unwrap();
        let items = strings(list);
        assert_eq!(items.iter().map(|(s, _)| *s).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(string_position(text, items[1].1, 0), (2, 15));
        assert_eq!(key_position(text, 9), (2, 1));
        assert!(str_at(&doc, &["tool", "x"]).is_none());
        assert!(table_at(&doc, &["tool"]).is_some());
    }
}
