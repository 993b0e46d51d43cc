//! Jinja and Django templates: which files are templates, and a light
//! textual scan (no grammar) for the variables a template outputs without
//! escaping: `{{ x|safe }}`, and every `{{ x }}` inside
//! `{% autoescape false %}` (Jinja) / `{% autoescape off %}` (Django).
//!
//! Templates are not parsed as code: they are read once, scanned, and only
//! what the scan finds reaches the project model.

use crate::span::Span;
use std::collections::{HashMap, HashSet};

/// File endings of template files, when they sit under a `templates` folder.
const TEMPLATE_ENDINGS: &[&str] = &[".html", ".htm", ".jinja", ".jinja2", ".j2"];

/// A template file by its project-relative path: an HTML or Jinja file
/// with a folder named `templates` above it.
pub fn is_template_path(rel: &str) -> bool {
    let Some((dirs, name)) = rel.rsplit_once('/') else {
        return false;
    };
    TEMPLATE_ENDINGS.iter().any(|e| name.ends_with(e)) && dirs.split('/').any(|d| d == "templates")
}

/// Why an output is not escaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawHow {
    /// The `safe` filter.
    SafeFilter,
    /// Inside an autoescape-off block, or a template rendered without autoescaping.
    Unescaped,
}

/// A variable a template outputs without escaping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawOutput {
    /// The context variable the output starts from (`comment` in `{{ comment.body|safe }}`).
    pub name: String,
    /// The output tag as written, on one line (`{{ comment.body|safe }}`).
    pub tag: String,
    pub how: RawHow,
    pub span: Span,
}

/// Filters that keep a value's HTML as it is (or add to it): one of these
/// before `safe` still outputs the input raw. Any other filter (`escape`,
/// `e`, `striptags`, `tojson`, `urlize`, `length`, a project's own filter
/// that may sanitise) is taken to make the value safe.
const PASS_THROUGH_FILTERS: &[&str] = &[
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "replace",
    "default",
    "d",
    "default_if_none",
    "truncate",
    "truncatechars",
    "truncatewords",
    "truncatechars_html",
    "truncatewords_html",
    "wordwrap",
    "center",
    "join",
    "first",
    "last",
    "string",
    "format",
    "markdown",
    "safe",
    "cut",
    "add",
];

/// What a scan of one template found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateScan {
    pub raw: Vec<RawOutput>,
    /// Templates rendered with this one's context: `{% include "x" %}`,
    /// `{% extends "x" %}` (not `only` / `without context`).
    pub includes: Vec<Include>,
}

/// An included or extended template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Include {
    /// The template name as written.
    pub name: String,
    /// Names that do not hold the context's value there (a `for` variable
    /// around the include, `with x=..` on it).
    pub shadowed: Vec<String>,
}

/// The variables `text` outputs without escaping (see `scan`).
pub fn raw_outputs(text: &str, autoescape: bool) -> Vec<RawOutput> {
    scan(text, autoescape).raw
}

/// Scans a template for the variables it outputs without escaping and the
/// templates it includes. `autoescape` is whether the template is rendered
/// with autoescaping on (Flask `.html`, Django): when it is off every
/// output is raw unless a filter escapes it.
pub fn scan(text: &str, autoescape: bool) -> TemplateScan {
    let mut out = Vec::new();
    let mut includes = Vec::new();
    // Autoescape state per open `{% autoescape %}` block.
    let mut escape_stack: Vec<bool> = Vec::new();
    // Names bound by the template itself (`for`, `with`, `macro`, `set`), per open block.
    let mut scopes: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut top_level_sets: Vec<String> = Vec::new();
    let mut pos = 0;
    let bytes = text.as_bytes();
    let mut lines = LineCursor::new(text);
    while let Some(found) = text[pos..].find('{') {
        let start = pos + found;
        let Some(&next) = bytes.get(start + 1) else { break };
        let close = match next {
            b'{' => "}}",
            b'%' => "%}",
            b'#' => "#}",
            _ => {
                pos = start + 1;
                continue;
            }
        };
        let Some(len) = text[start + 2..].find(close) else {
            break;
        };
        let end = start + 2 + len + 2;
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        pos = end;
        match next {
            b'{' => {
                let escaping = escape_stack.last().copied().unwrap_or(autoescape);
                let Some((name, how)) = raw_output(inner, escaping) else {
                    continue;
                };
                let shadowed = scopes.iter().any(|(_, names)| names.iter().any(|n| n == name))
                    || top_level_sets.iter().any(|n| n == name);
                if shadowed {
                    continue;
                }
                out.push(RawOutput {
                    name: name.to_string(),
                    tag: format!("{{{{ {} }}}}", inner.split_whitespace().collect::<Vec<_>>().join(" ")),
                    how,
                    span: lines.span(start, end),
                });
            }
            b'%' => {
                let mut words = inner.split_whitespace();
                let keyword = words.next().unwrap_or("");
                match keyword {
                    "autoescape" => {
                        let on = !matches!(words.next(), Some("false" | "off" | "False"));
                        escape_stack.push(on);
                    }
                    "endautoescape" => {
                        escape_stack.pop();
                    }
                    // Text that is not template code.
                    "raw" | "verbatim" | "comment" => {
                        let end_tag = format!("end{keyword}");
                        match find_tag(text, pos, &end_tag) {
                            Some(after) => pos = after,
                            None => break,
                        }
                    }
                    "for" => {
                        let targets = inner[3..].split(" in ").next().unwrap_or("");
                        scopes.push(("endfor", names_in(targets)));
                    }
                    "with" => {
                        // Jinja `with a = x, b = y`, Django `with a=x b=y` / `with x as a`.
                        let bound = match inner.split_once(" as ") {
                            Some((_, name)) => names_in(name),
                            None => inner[4..]
                                .replace(" =", "=")
                                .split([' ', ','])
                                .filter_map(|w| w.split_once('=').map(|(n, _)| n.trim().to_string()))
                                .filter(|n| is_identifier(n))
                                .collect(),
                        };
                        scopes.push(("endwith", bound));
                    }
                    "macro" | "call" => {
                        let params = inner.split_once('(').map_or("", |(_, p)| p);
                        let end = if keyword == "macro" { "endmacro" } else { "endcall" };
                        scopes.push((end, names_in(params)));
                    }
                    "set" => {
                        let target = inner[3..].split('=').next().unwrap_or("");
                        let names = names_in(target);
                        match scopes.last_mut() {
                            Some((_, bound)) => bound.extend(names),
                            None => top_level_sets.extend(names),
                        }
                    }
                    "include" | "extends" => {
                        let rest = inner[keyword.len()..].trim();
                        let isolated = rest.contains(" only") || rest.contains("without context");
                        let Some(name) = quoted_prefix(rest).filter(|_| !isolated) else {
                            continue;
                        };
                        let mut shadowed: Vec<String> = scopes
                            .iter()
                            .flat_map(|(_, names)| names.iter().cloned())
                            .chain(top_level_sets.iter().cloned())
                            .collect();
                        if let Some((_, with)) = rest.split_once(" with ") {
                            shadowed.extend(
                                with.split_whitespace()
                                    .filter_map(|w| w.split_once('=').map(|(n, _)| n.to_string())),
                            );
                        }
                        includes.push(Include { name, shadowed });
                    }
                    "endfor" | "endwith" | "endmacro" | "endcall" => {
                        if let Some(i) = scopes.iter().rposition(|(end, _)| *end == keyword) {
                            scopes.truncate(i);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    TemplateScan { raw: out, includes }
}

/// The text of a quoted string at the start of `s` (`"a.html" with x=1`).
fn quoted_prefix(s: &str) -> Option<String> {
    let quote = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &s[1..];
    rest.find(quote).map(|end| rest[..end].to_string())
}

/// Spans of increasing offsets, counting lines once over the whole text
/// (a template with many raw outputs is not rescanned from the start for each).
struct LineCursor<'a> {
    text: &'a str,
    /// Offset counted up to, its 1-based line, and where that line starts.
    at: usize,
    line: u32,
    line_start: usize,
}

impl<'a> LineCursor<'a> {
    fn new(text: &'a str) -> Self {
        LineCursor {
            text,
            at: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// Line and 1-based character column of `offset` (not before the last one asked for).
    fn position(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.max(self.at);
        for (i, b) in self.text.as_bytes()[self.at..offset].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.at + i + 1;
            }
        }
        self.at = offset;
        let col = self.text.get(self.line_start..offset).map_or(0, |s| s.chars().count());
        (self.line, col as u32 + 1)
    }

    fn span(&mut self, start: usize, end: usize) -> Span {
        let from = self.position(start);
        let to = self.position(end);
        Span::at(start, end, from, to)
    }
}

/// The end of the next `{% end_tag %}` at or after `from`.
fn find_tag(text: &str, from: usize, end_tag: &str) -> Option<usize> {
    let mut pos = from;
    while let Some(found) = text[pos..].find("{%") {
        let start = pos + found;
        let close = text[start..].find("%}")? + start + 2;
        let inner = text[start + 2..close - 2].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        if inner.split_whitespace().next() == Some(end_tag) {
            return Some(close);
        }
        pos = close;
    }
    None
}

/// Identifiers in a comma-separated list (`key, value`, `a=1, b`).
fn names_in(list: &str) -> Vec<String> {
    list.split([',', '(', ')'])
        .filter_map(|p| p.split('=').next())
        .map(str::trim)
        .filter(|p| is_identifier(p))
        .map(str::to_string)
        .collect()
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The context variable an output tag's expression outputs raw, if it does:
/// a plain path (`x`, `x.y`, `x["k"]`) followed by filters.
fn raw_output(expr: &str, escaping: bool) -> Option<(&str, RawHow)> {
    let mut parts = split_filters(expr).into_iter();
    let path = parts.next()?.trim();
    let root_end = path
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(path.len());
    let root = &path[..root_end];
    let rest = &path[root_end..];
    // Only plain paths: an operator, a call or a literal is not followed.
    let plain_rest = rest
        .split(['.', '[', ']'])
        .all(|seg| seg.is_empty() || is_identifier(seg) || is_quoted(seg) || seg.chars().all(|c| c.is_ascii_digit()));
    if !is_identifier(root) || !plain_rest || matches!(root, "true" | "false" | "none" | "True" | "False" | "None") {
        return None;
    }
    let mut safe = false;
    for filter in parts {
        let name = filter.trim();
        let name = name.split(['(', ':', ' ']).next().unwrap_or(name);
        // Django's `safeseq` marks each item of a sequence safe.
        if name == "safe" || name == "safeseq" {
            safe = true;
        } else if !PASS_THROUGH_FILTERS.contains(&name) {
            // `|escape|safe`, `|tojson`, `|length`, a filter of the project's own.
            return None;
        }
    }
    match (safe, escaping) {
        (true, _) => Some((root, RawHow::SafeFilter)),
        (false, false) => Some((root, RawHow::Unescaped)),
        (false, true) => None,
    }
}

fn is_quoted(s: &str) -> bool {
    s.len() >= 2 && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')))
}

/// `a.b|f(1, "|")|g` -> [`a.b`, `f(1, "|")`, `g`]: splits on `|` outside
/// quotes and brackets; `||` is not a filter.
fn split_filters(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut last) = (0i32, None, 0);
    for (i, c) in expr.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, '|') if depth == 0 => {
                parts.push(&expr[last..i]);
                last = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expr[last..]);
    parts
}

/// The project's template files and what the scanned ones output raw.
#[derive(Debug, Default)]
pub struct TemplateIndex {
    /// Every template file the walk found, sorted.
    paths: Vec<String>,
    /// Scans of the templates that were read (those some handler renders,
    /// and what they include).
    scanned: HashMap<String, TemplateScan>,
}

impl TemplateIndex {
    pub fn new(mut paths: Vec<String>, scanned: HashMap<String, TemplateScan>) -> TemplateIndex {
        paths.sort();
        TemplateIndex { paths, scanned }
    }

    /// The template files a template name may be (`templates/<name>` anywhere).
    pub fn candidates<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let name = name.trim_start_matches('/');
        self.paths.iter().map(String::as_str).filter(move |p| {
            p.strip_suffix(name)
                .and_then(|dir| dir.strip_suffix("templates/"))
                .is_some_and(|prefix| prefix.is_empty() || prefix.ends_with('/'))
                && !name.is_empty()
        })
    }

    /// The template file `name` names when rendered from `from` (a source
    /// file's or a template's path): the `templates/` folder nearest above
    /// `from` (a Flask app's or blueprint's, a Django app's own), else the
    /// only candidate.
    pub fn resolve<'a>(&'a self, from: &str, name: &'a str) -> Option<&'a str> {
        let all: Vec<&str> = self.candidates(name).collect();
        let prefix_len = |p: &str| p.len() - name.trim_start_matches('/').len() - "templates/".len();
        let above = all
            .iter()
            .filter(|p| from.starts_with(&p[..prefix_len(p)]))
            .max_by_key(|p| prefix_len(p));
        match (above, all.as_slice()) {
            (Some(p), _) => Some(*p),
            (None, [only]) => Some(*only),
            _ => None,
        }
    }

    /// The templates `path` includes or extends, resolved.
    pub fn includes<'a>(&'a self, path: &'a str, scan: &'a TemplateScan) -> impl Iterator<Item = &'a str> + 'a {
        scan.includes.iter().filter_map(move |i| self.resolve(path, &i.name))
    }

    /// Where the template at `path`, and the templates it includes or
    /// extends (transitively), output the context variable `name` raw:
    /// (template path, output), the rendered template's own first.
    pub fn raw_outputs_of<'a>(&'a self, path: &'a str, name: &str) -> Vec<(&'a str, &'a RawOutput)> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![path];
        while let Some(p) = stack.pop() {
            if !seen.insert(p) || seen.len() > MAX_INCLUDED {
                continue;
            }
            let Some(scan) = self.scanned.get(p) else {
                continue;
            };
            out.extend(scan.raw.iter().filter(|o| o.name == name).map(|o| (p, o)));
            for include in scan.includes.iter().rev() {
                if include.shadowed.iter().any(|s| s == name) {
                    continue;
                }
                stack.extend(self.resolve(p, &include.name));
            }
        }
        out
    }
}

/// How many templates one render follows through includes at the most.
pub const MAX_INCLUDED: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, autoescape: bool) -> Vec<String> {
        raw_outputs(text, autoescape).into_iter().map(|o| o.name).collect()
    }

    #[test]
    fn finds_safe_outputs() {
        let t = "<p>{{ comment|safe }}</p>\n<p>{{ post.body | safe }}</p>{{- x['k']|trim|safe -}}{{ tags|safeseq|join:', ' }}";
        assert_eq!(names(t, true), ["comment", "post", "x", "tags"]);
        let all = raw_outputs(t, true);
        for out in &all {
            let expected = Span::of_range(t, out.span.start as usize, out.span.end as usize);
            assert_eq!(out.span, expected);
        }
        let first = &all[0];
        assert_eq!((first.span.start_line, first.span.start_col), (1, 4));
        assert_eq!(first.tag, "{{ comment|safe }}");
    }

    /// Lines are counted once: a large template with many raw outputs is quick.
    #[test]
    fn many_outputs_in_a_large_template() {
        let t = "<p>{{ x|safe }}</p>\n".repeat(100_000);
        let all = raw_outputs(&t, true);
        assert_eq!(all.len(), 100_000);
        assert_eq!((all[99_999].span.start_line, all[99_999].span.start_col), (100_000, 4));
    }

    #[test]
    fn escaping_filters_and_plain_outputs_are_not_raw() {
        let t = "{{ a }} {{ b|e|safe }} {{ c|escape|safe }} {{ d|tojson }} {{ e|striptags|safe }} {{ f ~ g|safe }} {{ 'x'|safe }} {{ h(x)|safe }}";
        assert!(names(t, true).is_empty());
    }

    #[test]
    fn autoescape_blocks() {
        let t = "{% autoescape false %}{{ a }}{{ b|e }}{% autoescape true %}{{ c }}{% endautoescape %}{{ d }}{% endautoescape %}{{ e }}";
        assert_eq!(names(t, true), ["a", "d"]);
        assert_eq!(names("{% autoescape off %}{{ x }}{% endautoescape %}", true), ["x"]);
        assert_eq!(names("{{ x }} {{ y|e }}", false), ["x"]);
    }

    #[test]
    fn bound_names_and_raw_blocks_are_skipped() {
        let t = "{% for comment in comments %}{{ comment|safe }}{% endfor %}{{ comment|safe }}\
                 {% raw %}{{ r|safe }}{% endraw %}{# {{ c|safe }} #}{% comment %}{{ k|safe }}{% endcomment %}\
                 {% with w=x %}{{ w|safe }}{% endwith %}{% set s = 1 %}{{ s|safe }}";
        assert_eq!(names(t, true), ["comment"]);
    }

    #[test]
    fn includes_and_extends() {
        let t = "{% extends \"base.html\" %}{% include 'part.html' %}{% include \"iso.html\" only %}\
                 {% for c in cs %}{% include \"row.html\" %}{% endfor %}{% include \"x.html\" with c=1 %}";
        let found: Vec<(String, Vec<String>)> = scan(t, true)
            .includes
            .into_iter()
            .map(|i| (i.name, i.shadowed))
            .collect();
        assert_eq!(
            found,
            [
                ("base.html".to_string(), vec![]),
                ("part.html".to_string(), vec![]),
                ("row.html".to_string(), vec!["c".to_string()]),
                ("x.html".to_string(), vec!["c".to_string()]),
            ]
        );
        let page = scan(
            "{% include 'part.html' %}{% for c in cs %}{% include 'part.html' %}{% endfor %}",
            true,
        );
        let part = scan("{{ c|safe }}{% include 'page.html' %}", true);
        let index = TemplateIndex::new(
            vec!["templates/page.html".into(), "templates/part.html".into()],
            [
                ("templates/page.html".to_string(), page),
                ("templates/part.html".to_string(), part),
            ]
            .into(),
        );
        let found = index.raw_outputs_of("templates/page.html", "c");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "templates/part.html");
    }

    #[test]
    fn template_paths_and_resolution() {
        assert!(is_template_path("app/templates/page.html"));
        assert!(is_template_path("templates/a/b.jinja2"));
        assert!(!is_template_path("app/static/page.html"));
        assert!(!is_template_path("templates/x.py"));
        let index = TemplateIndex::new(
            vec![
                "blog/templates/page.html".into(),
                "shop/templates/page.html".into(),
                "templates/only.html".into(),
            ],
            HashMap::new(),
        );
        assert_eq!(
            index.resolve("blog/views.py", "page.html"),
            Some("blog/templates/page.html")
        );
        assert_eq!(index.resolve("other/views.py", "page.html"), None);
        assert_eq!(index.resolve("x/views.py", "only.html"), Some("templates/only.html"));
        assert_eq!(index.resolve("x/views.py", "nope.html"), None);
    }
}
