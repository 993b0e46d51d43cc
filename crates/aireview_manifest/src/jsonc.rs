//! JSON with comments and trailing commas (tsconfig's JSONC), and the
//! positions of object keys, which serde_json does not keep.

use crate::position::line_col;
use crate::ManifestProblem;

/// Blanks out `//` and `/* */` comments and trailing commas with spaces,
/// keeping every other byte (and so every line and column) where it was.
pub fn strip(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    // Offset of the last comma outside strings whose fate is undecided.
    let mut pending_comma: Option<usize> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                pending_comma = None;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(bytes.len(), |e| i + 2 + e + 2);
                for b in &mut out[i..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
            }
            b',' => {
                pending_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(c) = pending_comma.take() {
                    out[c] = b' ';
                }
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                pending_comma = None;
                i += 1;
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces, outside multi-byte sequences.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Parses JSON (after [`strip`] when `jsonc`); a syntax error names its position.
pub fn parse(text: &str, rel: &str, jsonc: bool) -> Result<serde_json::Value, ManifestProblem> {
    let stripped;
    let source = if jsonc {
        stripped = strip(text);
        stripped.as_str()
    } else {
        text
    };
    serde_json::from_str(source).map_err(|e| {
        let (line, column) = (
            u32::try_from(e.line()).unwrap_or(0),
            u32::try_from(e.column()).unwrap_or(0),
        );
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or(&what);
        ManifestProblem {
            path: rel.to_string(),
            message: format!("invalid JSON at line {line}, column {column}: {what}"),
            line,
            column,
        }
    })
}

/// Line and column of every object key up to `max_depth` levels deep, by key
/// path (`["dependencies", "react"]`); the column is the key's first character
/// after its opening quote. Scans text that [`parse`] accepted.
pub fn key_positions(text: &str, max_depth: usize) -> Vec<(Vec<String>, u32, u32)> {
    enum Frame {
        Object { expect_key: bool, key: String },
        Array,
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => stack.push(Frame::Object {
                expect_key: true,
                key: String::new(),
            }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            b':' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let raw = text.get(start..i.min(text.len())).unwrap_or("");
                let is_key = matches!(stack.last(), Some(Frame::Object { expect_key: true, .. }));
                if is_key {
                    let key = serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string());
                    if stack.len() <= max_depth {
                        let mut path: Vec<String> = stack
                            .iter()
                            .take(stack.len() - 1)
                            .filter_map(|f| match f {
                                Frame::Object { key, .. } => Some(key.clone()),
                                Frame::Array => None,
                            })
                            .collect();
                        path.push(key.clone());
                        let (line, column) = line_col(text, start);
                        out.push((path, line, column));
                    }
                    if let Some(Frame::Object { key: current, .. }) = stack.last_mut() {
                        *current = key;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_comments_and_trailing_commas_in_place() {
        let text = "{\n  // note\n  \"a\": \"x // not a comment\", /* b */\n  \"b\": [1, 2,],\n}";
        let stripped = strip(text);
        assert_eq!(stripped.len(), text.len());
        assert_eq!(stripped.lines().count(), text.lines().count());
        let v: serde_json::Value = serde_json::from_str(&stripped).unwrap();
        assert_eq!(v["a"], "x // not a comment");
        assert_eq!(v["b"], serde_json::json!([1, 2]));
        assert!(parse(text, "t.json", false).is_err());
        assert!(parse(text, "t.json", true).is_ok());
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse("{\n  \"a\": ,\n}", "p.json", false).unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        assert!(
            e.message.starts_with("invalid JSON at line 2, column 8: "),
            "{}",
            e.message
        );
    }

    #[test]
    fn finds_key_positions_by_path() {
        let text = "{\"name\": \"x\", \"scripts\": {\"dependencies\": \"no\"},\n \"dependencies\": {\"react\": \"1\", \"a\": [\"react\"]}}";
        let keys = key_positions(text, 2);
        let find = |p: &[&str]| keys.iter().find(|(k, _, _)| k == p).map(|(_, l, c)| (*l, *c));
        assert_eq!(find(&["dependencies", "react"]), Some((2, 20)));
        assert_eq!(find(&["scripts", "dependencies"]), Some((1, 28)));
        assert_eq!(find(&["dependencies"]), Some((2, 3)));
        assert_eq!(
            keys.iter()
                .filter(|(k, _, _)| k.last().is_some_and(|l| l == "react"))
                .count(),
            1
        );
    }
}
