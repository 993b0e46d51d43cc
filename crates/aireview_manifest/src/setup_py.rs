//! `setup.py`, read with tree-sitter and never executed: the literal lists
//! and dicts passed to `setup(...)` as `install_requires`, `extras_require`,
//! `tests_require` and `setup_requires` (directly, through a module-level
//! variable, or concatenated with `+`), and `name`/`python_requires`.

use crate::paths::dir_of;
use crate::position::line_col;
use crate::ProblemSink;
use crate::{pep508, python::is_dev_group, requirements, DepKind, DepSource, Dependency, Manifest, ManifestKind};
use std::collections::HashMap;
use tree_sitter::{Node, Parser};

/// How deep variable references and `+` chains are followed.
const MAX_DEPTH: u32 = 8;

/// Reads a `setup.py`. A file tree-sitter cannot parse at all is a problem;
/// syntax errors elsewhere in the file do not hide a readable `setup(...)`.
pub fn read(text: &str, rel: &str, problems: &mut ProblemSink) -> Result<Manifest, crate::ManifestProblem> {
    let mut parser = Parser::new();
    let tree = parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .ok()
        .and_then(|()| parser.parse(text, None))
        .ok_or_else(|| crate::ManifestProblem {
            path: rel.to_string(),
            message: "cannot parse as Python".to_string(),
            ..crate::ManifestProblem::default()
        })?;
    let root = tree.root_node();
    let src = text.as_bytes();
    let mut module_vars: HashMap<&str, Node<'_>> = HashMap::new();
    let mut cursor = root.walk();
    for statement in root.named_children(&mut cursor) {
        if statement.kind() != "expression_statement" {
            continue;
        }
        let Some(assign) = statement.named_child(0).filter(|n| n.kind() == "assignment") else {
            continue;
        };
        if let (Some(left), Some(right)) = (assign.child_by_field_name("left"), assign.child_by_field_name("right")) {
            if left.kind() == "identifier" {
                if let Ok(name) = left.utf8_text(src) {
                    module_vars.insert(name, right);
                }
            }
        }
    }
    let reader = Reader {
        text,
        src,
        vars: module_vars,
        dir: dir_of(rel),
    };
    let mut m = Manifest {
        kind: Some(ManifestKind::SetupPy),
        path: rel.to_string(),
        ..Manifest::default()
    };
    let mut calls = Vec::new();
    find_setup_calls(root, src, &mut calls);
    for call in calls {
        let Some(args) = call.child_by_field_name("arguments") else {
            continue;
        };
        let mut cursor = args.walk();
        for arg in args
            .named_children(&mut cursor)
            .filter(|a| a.kind() == "keyword_argument")
        {
            let (Some(key), Some(value)) = (arg.child_by_field_name("name"), arg.child_by_field_name("value")) else {
                continue;
            };
            match key.utf8_text(src).unwrap_or("") {
                "name" => m.name = reader.string(value, 0).map(|(s, _)| s.to_string()),
                "python_requires" => m.requires_python = reader.string(value, 0).map(|(s, _)| s.to_string()),
                "install_requires" => reader.requirements(value, DepKind::Normal, None, rel, &mut m, problems),
                "tests_require" => reader.requirements(value, DepKind::Dev, None, rel, &mut m, problems),
                "setup_requires" => reader.requirements(value, DepKind::Build, None, rel, &mut m, problems),
                "extras_require" => {
                    for (extra, list) in reader.dict(value, 0) {
                        let kind = if is_dev_group(extra) {
                            DepKind::Dev
                        } else {
                            DepKind::Normal
                        };
                        reader.requirements(list, kind, Some(extra), rel, &mut m, problems);
                    }
                }
                _ => {}
            }
        }
    }
    m.dependencies.sort_by_key(|d| (d.line, d.column));
    Ok(m)
}

/// Calls to `setup(...)` or `<module>.setup(...)`, anywhere (often under `if __name__ == "__main__":`).
fn find_setup_calls<'t>(node: Node<'t>, src: &[u8], out: &mut Vec<Node<'t>>) {
    if node.kind() == "call" {
        let callee = node.child_by_field_name("function");
        let name = match callee {
            Some(f) if f.kind() == "identifier" => f.utf8_text(src).ok(),
            Some(f) if f.kind() == "attribute" => {
                f.child_by_field_name("attribute").and_then(|a| a.utf8_text(src).ok())
            }
            _ => None,
        };
        if name == Some("setup") {
            out.push(node);
        }
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        find_setup_calls(child, src, out);
    }
}

struct Reader<'a, 't> {
    text: &'a str,
    src: &'a [u8],
    vars: HashMap<&'a str, Node<'t>>,
    dir: &'a str,
}

impl<'a, 't> Reader<'a, 't> {
    /// Follows a module-level variable name to its assigned value.
    fn resolve(&self, node: Node<'t>, depth: u32) -> Option<Node<'t>> {
        match node.kind() {
            "identifier" if depth < MAX_DEPTH => {
                let value = *self.vars.get(node.utf8_text(self.src).ok()?)?;
                self.resolve(value, depth + 1)
            }
            "parenthesized_expression" => self.resolve(node.named_child(0)?, depth + 1),
            _ => Some(node),
        }
    }

    /// A plain string literal (no f-string interpolation) and its content's byte offset.
    fn string(&self, node: Node<'t>, depth: u32) -> Option<(&'a str, usize)> {
        let node = self.resolve(node, depth)?;
        if node.kind() != "string" {
            return None;
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        if children.iter().any(|c| c.kind() == "interpolation") {
            return None;
        }
        let start = children.iter().find(|c| c.kind() == "string_start")?.end_byte();
        let end = children.iter().find(|c| c.kind() == "string_end")?.start_byte();
        Some((self.text.get(start..end)?, start))
    }

    /// The string literals of a list/tuple/set literal, a variable holding one, or `a + b` of those.
    fn strings(&self, node: Node<'t>, depth: u32, out: &mut Vec<(&'a str, usize)>) {
        let Some(node) = self.resolve(node, depth) else { return };
        match node.kind() {
            "list" | "tuple" | "set" => {
                let mut cursor = node.walk();
                for item in node.named_children(&mut cursor) {
                    out.extend(self.string(item, depth + 1));
                }
            }
            "binary_operator" if depth < MAX_DEPTH => {
                if let (Some(l), Some(r)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) {
                    self.strings(l, depth + 1, out);
                    self.strings(r, depth + 1, out);
                }
            }
            _ => {}
        }
    }

    /// The string-keyed entries of a dict literal, `dict(k=...)` call, or a variable holding one.
    fn dict(&self, node: Node<'t>, depth: u32) -> Vec<(&'a str, Node<'t>)> {
        let Some(node) = self.resolve(node, depth) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut cursor = node.walk();
        match node.kind() {
            "dictionary" => {
                for pair in node.named_children(&mut cursor).filter(|p| p.kind() == "pair") {
                    if let (Some(k), Some(v)) = (pair.child_by_field_name("key"), pair.child_by_field_name("value")) {
                        if let Some((key, _)) = self.string(k, depth + 1) {
                            out.push((key, v));
                        }
                    }
                }
            }
            "call"
                if node
                    .child_by_field_name("function")
                    .and_then(|f| f.utf8_text(self.src).ok())
                    == Some("dict") =>
            {
                if let Some(args) = node.child_by_field_name("arguments") {
                    let mut c = args.walk();
                    for arg in args.named_children(&mut c).filter(|a| a.kind() == "keyword_argument") {
                        if let (Some(k), Some(v)) = (arg.child_by_field_name("name"), arg.child_by_field_name("value"))
                        {
                            if let Ok(key) = k.utf8_text(self.src) {
                                out.push((key, v));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        out
    }

    fn requirements(
        &self,
        node: Node<'t>,
        kind: DepKind,
        extra: Option<&str>,
        rel: &str,
        m: &mut Manifest,
        problems: &mut ProblemSink,
    ) {
        let mut found = Vec::new();
        self.strings(node, 0, &mut found);
        if let Some(single) = self.string(node, 0) {
            // setuptools also accepts one newline-separated string.
            let mut offset = single.1;
            for piece in single.0.split_inclusive('\n') {
                found.push((piece.trim_end(), offset));
                offset += piece.len();
            }
        }
        for (s, offset) in found {
            if s.trim().is_empty() || s.trim_start().starts_with('#') {
                continue;
            }
            match pep508::parse(s) {
                Ok(r) => {
                    let (line, column) = line_col(self.text, offset + r.name_offset);
                    m.dependencies.push(Dependency {
                        package: r.name.clone(),
                        name: r.name,
                        kind,
                        optional: extra.is_some(),
                        group: extra.map(str::to_string),
                        source: r
                            .url
                            .map_or(DepSource::Registry, |u| requirements::url_source(&u, self.dir)),
                        line,
                        column,
                        version: r.version,
                        markers: r.markers,
                        ..Dependency::default()
                    });
                }
                Err(e) => {
                    let (line, column) = line_col(self.text, offset);
                    problems.push(rel, line, column, &e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETUP: &str = r#"import setuptools
from setuptools import setup

NAME = "demo-pkg"
REQUIRES = [
    "requests>=2",
    'click',
]
EXTRA = ["rich"]
TESTS = ("pytest",)

if __name__ == "__main__":
    setup(
        name=NAME,
        python_requires=">=3.8",
        install_requires=REQUIRES + EXTRA + [f"{NAME}-plugin", "numpy; python_version>'3'"],
        extras_require={"test": TESTS, "yaml": ["PyYAML"]},
        setup_requires=["wheel"],
    )
"#;

    #[test]
    fn reads_literal_arguments_without_running_the_file() {
        let mut sink = ProblemSink::default();
        let m = read(SETUP, "setup.py", &mut sink).unwrap();
        assert!(sink.0.is_empty(), "{:?}", sink.0);
        assert_eq!(m.name.as_deref(), Some("demo-pkg"));
        assert_eq!(m.requires_python.as_deref(), Some(">=3.8"));
        let got: Vec<(&str, DepKind, Option<&str>, u32, u32)> = m
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.kind, d.group.as_deref(), d.line, d.column))
            .collect();
        assert_eq!(
            got,
            [
                ("requests", DepKind::Normal, None, 6, 6),
                ("click", DepKind::Normal, None, 7, 6),
                ("rich", DepKind::Normal, None, 9, 11),
                ("pytest", DepKind::Dev, Some("test"), 10, 11),
                ("numpy", DepKind::Normal, None, 16, 65),
                ("PyYAML", DepKind::Normal, Some("yaml"), 17, 50),
                ("wheel", DepKind::Build, None, 18, 26),
            ]
        );
    }

    #[test]
    fn dict_calls_and_attribute_setup() {
        let mut sink = ProblemSink::default();
        let m = read(
            "import setuptools\nsetuptools.setup(name='x', extras_require=dict(docs=['sphinx']), install_requires=\"\"\"a\n  b>=1\n\"\"\")\n",
            "pkg/setup.py",
            &mut sink,
        )
        .unwrap();
        let names: Vec<&str> = m.dependencies.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["sphinx", "a", "b"]);
        assert_eq!(m.dependencies[0].kind, DepKind::Dev);
    }

    #[test]
    fn broken_python_still_reads_the_call() {
        let mut sink = ProblemSink::default();
        let m = read(
            "def broken(:\n    pass\nsetup(install_requires=['ok', '!!'])\n",
            "setup.py",
            &mut sink,
        )
        .unwrap();
        assert_eq!(m.dependencies.len(), 1);
        assert_eq!(sink.0.len(), 1);
    }
}
