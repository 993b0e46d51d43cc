//! Rust facts: `use` trees, items, traits and impls, the `mod` tree, test regions.

use super::abstraction::{is_type_name, record_return};
use super::walk_state::{string_literal_value, FactsExtractor, Frame};
use super::{
    DefKind, Definition, FunctionFact, ImplFact, Import, ImportKind, ImportedName, ModDecl, StubFact, StubKind,
    TypeDecl, TypeKind,
};
use crate::parse::FieldByName;
use crate::parse::KindName;
use tree_sitter::Node;

/// The node kinds `enter` handles (see `python::KINDS`).
pub(crate) const KINDS: &[&str] = &[
    "attribute_item",
    "use_declaration",
    "extern_crate_declaration",
    "function_item",
    "function_signature_item",
    "struct_item",
    "enum_item",
    "union_item",
    "trait_item",
    "impl_item",
    "mod_item",
    "const_item",
    "static_item",
    "type_item",
    "macro_definition",
    "macro_invocation",
    "if_expression",
    "match_expression",
    "while_expression",
    "loop_expression",
    "for_expression",
    "scoped_identifier",
    "scoped_type_identifier",
    "call_expression",
    "identifier",
    "closure_expression",
    "try_expression",
];

pub(crate) fn enter(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    match node.kind_name() {
        "attribute_item" => record_attribute(x, node, anc),
        "use_declaration" => {
            item_frames(x, node, anc);
            use_declaration(x, node);
        }
        "extern_crate_declaration" => {
            item_frames(x, node, anc);
            extern_crate(x, node);
        }
        "function_item" | "function_signature_item" => {
            item_frames(x, node, anc);
            function(x, node, anc);
        }
        "struct_item" | "enum_item" | "union_item" | "trait_item" => {
            item_frames(x, node, anc);
            type_decl(x, node, anc);
        }
        "impl_item" => {
            item_frames(x, node, anc);
            impl_item(x, node);
        }
        "mod_item" => {
            item_frames(x, node, anc);
            mod_item(x, node, anc);
        }
        "const_item" | "static_item" => {
            item_frames(x, node, anc);
            definition(x, node, DefKind::Constant);
        }
        "type_item" => {
            item_frames(x, node, anc);
            definition(x, node, DefKind::TypeAlias);
        }
        "macro_definition" => {
            item_frames(x, node, anc);
            definition(x, node, DefKind::Macro);
        }
        "macro_invocation" => macro_invocation(x, node, anc),
        "scoped_identifier" | "scoped_type_identifier" => path_root(x, node),
        "call_expression" => {
            boxed_construction(x, node);
            unwrap_call(x, node);
            super::http_calls::rust_call(x, node, anc);
        }
        "identifier" if anc.last().is_some_and(|p| p.kind_name() == "token_tree") => {
            let name = x.text(node);
            if is_type_name(name) {
                x.facts.macro_mentions.push(name.to_string());
            }
        }
        // A closure's `?` and `.unwrap()` are its own, not the function's.
        "closure_expression" => x.scope.push(node, Frame::Function(None)),
        "try_expression" => {
            if let Some(idx) = x.scope.enclosing_function() {
                x.facts.functions[idx].error_flow.question_marks += 1;
            }
        }
        "if_expression" | "match_expression" | "while_expression" | "loop_expression" | "for_expression" => {
            x.scope.push(node, Frame::Conditional)
        }
        _ => {}
    }
}

/// Remembers an `#[...]` attribute for the item that follows it.
fn record_attribute(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let parent = anc.last().map_or(0, |p| p.id());
    let text = node.named_child(0).map(|a| x.text(a).to_string()).unwrap_or_default();
    let continues = x.pending_attributes.parent == parent && blank_gap(x, x.pending_attributes.end, node.start_byte());
    if !continues {
        x.pending_attributes.texts.clear();
    }
    x.pending_attributes.parent = parent;
    x.pending_attributes.end = node.end_byte();
    x.pending_attributes.texts.push(text);
}

/// Only whitespace and line comments between two offsets.
fn blank_gap(x: &FactsExtractor<'_>, from: usize, to: usize) -> bool {
    from <= to
        && x.source[from..to].lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with("//")
        })
}

/// The attributes (`#[...]` contents) directly preceding an item.
fn attributes(x: &FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) -> Vec<String> {
    let p = &x.pending_attributes;
    let parent = anc.last().map_or(0, |p| p.id());
    if p.texts.is_empty() || p.parent != parent || !blank_gap(x, p.end, node.start_byte()) {
        return Vec::new();
    }
    p.texts.clone()
}

/// Pushes the frames an item's attributes imply: test code, feature gates.
fn item_frames(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    for attr in attributes(x, node, anc) {
        let compact: String = attr.chars().filter(|c| !c.is_whitespace()).collect();
        if cfg_requires_test(&compact)
            || compact == "test"
            || compact.ends_with("::test")
            || compact.starts_with("test(")
        {
            x.scope.push(node, Frame::Test);
        } else if let Some(feature) = cfg_feature(&compact) {
            x.scope.push(node, Frame::CfgFeature(feature));
        }
    }
}

/// `cfg(test)`, or `cfg(all(test, ...))`: compiled only for tests.
fn cfg_requires_test(compact: &str) -> bool {
    let Some(expr) = compact.strip_prefix("cfg(").and_then(|e| e.strip_suffix(')')) else {
        return false;
    };
    if expr == "test" {
        return true;
    }
    let Some(args) = expr.strip_prefix("all(").and_then(|a| a.strip_suffix(')')) else {
        return false;
    };
    // Top-level arguments of `all(...)`.
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in args.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                if &args[start..i] == "test" {
                    return true;
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    &args[start..] == "test"
}

/// `cfg(feature="x")`, `cfg(all(feature="x",...))` -> `x`.
fn cfg_feature(attr: &str) -> Option<String> {
    if !attr.starts_with("cfg(") && !attr.starts_with("cfg_attr(") {
        return None;
    }
    let start = attr.find("feature=\"")? + "feature=\"".len();
    let end = attr[start..].find('"')? + start;
    Some(attr[start..end].to_string())
}

fn is_pub(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| c.kind_name() == "visibility_modifier");
    found
}

fn use_declaration(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(arg) = node.field("argument") else {
        return;
    };
    let public = is_pub(node);
    let mut leaves = Vec::new();
    flatten_use(x, arg, String::new(), &mut leaves);
    // Group the leaves by module path, in order of first appearance.
    let mut groups: Vec<Import> = Vec::new();
    for leaf in leaves {
        if public && x.scope.at_module_level() {
            match (&leaf.name, leaf.star) {
                (_, true) => x.facts.exports.star_from.push(leaf.module.clone()),
                (Some(name), _) => {
                    let bound = leaf.alias.clone().unwrap_or_else(|| name.clone());
                    if bound != "self" && bound != "_" {
                        x.facts.exports.names.push(bound);
                    }
                }
                (None, _) => {
                    let last = leaf.module.rsplit("::").next().unwrap_or("").to_string();
                    x.facts.exports.names.push(leaf.alias.clone().unwrap_or(last));
                }
            }
        }
        if x.scope.at_module_level() {
            let bound = match (&leaf.name, &leaf.alias) {
                (_, Some(alias)) => Some(alias.clone()),
                (Some(name), None) if name != "self" => Some(name.clone()),
                (_, None) if !leaf.star => leaf.module.rsplit("::").next().map(str::to_string),
                _ => None,
            };
            if let Some(bound) = bound.filter(|b| b != "_") {
                x.facts.definitions.push(Definition {
                    name: bound,
                    kind: DefKind::ImportBinding,
                    span: leaf.span,
                    public,
                    conditional: x.scope.cfg_feature().is_some(),
                });
            }
        }
        let idx = match groups.iter().position(|g| g.module == leaf.module) {
            Some(i) => i,
            None => {
                groups.push(Import {
                    kind: ImportKind::Use,
                    module: leaf.module.clone(),
                    level: 0,
                    alias: None,
                    names: Vec::new(),
                    star: false,
                    span: x.span(node),
                    module_span: leaf.module_span,
                    type_only: false,
                    conditional: x.scope.conditional(),
                    guarded: false,
                    type_checking: false,
                    in_function: x.scope.in_function(),
                    in_test: x.in_test(),
                    cfg_feature: x.scope.cfg_feature().map(str::to_string),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[idx];
        group.star |= leaf.star;
        match leaf.name {
            Some(name) => group.names.push(ImportedName {
                name,
                alias: leaf.alias,
                span: leaf.span,
            }),
            None if leaf.alias.is_some() => group.alias = leaf.alias,
            None => {}
        }
    }
    x.facts.imports.extend(groups);
}

struct UseLeaf {
    module: String,
    name: Option<String>,
    alias: Option<String>,
    star: bool,
    span: crate::Span,
    module_span: crate::Span,
}

fn join(prefix: &str, seg: &str) -> String {
    if prefix.is_empty() {
        seg.to_string()
    } else {
        format!("{prefix}::{seg}")
    }
}

/// Flattens a use tree into (module, name) leaves: `use a::b::{c, d::e}`
/// gives (a::b, c) and (a::b::d, e); `use a;` gives (a, none).
fn flatten_use(x: &FactsExtractor<'_>, node: Node<'_>, prefix: String, out: &mut Vec<UseLeaf>) {
    let path_text = |n: Node<'_>| x.text(n).trim_start_matches("::").replace(char::is_whitespace, "");
    match node.kind_name() {
        "identifier" | "crate" | "self" | "super" | "scoped_identifier" => {
            let full = join(&prefix, &path_text(node));
            let (module, name) = match full.rsplit_once("::") {
                Some((m, n)) => (m.to_string(), Some(n.to_string())),
                None => (full.clone(), None),
            };
            out.push(UseLeaf {
                module,
                name,
                alias: None,
                star: false,
                span: x.span(node),
                module_span: x.span(node),
            });
        }
        "use_as_clause" => {
            let (Some(path), Some(alias)) = (node.field("path"), node.field("alias")) else {
                return;
            };
            let before = out.len();
            flatten_use(x, path, prefix, out);
            for leaf in &mut out[before..] {
                leaf.alias = Some(x.text(alias).to_string());
                leaf.span = x.span(node);
            }
        }
        "use_wildcard" => {
            let module = node
                .named_child(0)
                .map(|p| join(&prefix, &path_text(p)))
                .unwrap_or(prefix);
            out.push(UseLeaf {
                module,
                name: None,
                alias: None,
                star: true,
                span: x.span(node),
                module_span: x.span(node),
            });
        }
        "scoped_use_list" => {
            let new_prefix = match node.field("path") {
                Some(p) => join(&prefix, &path_text(p)),
                None => prefix,
            };
            if let Some(list) = node.field("list") {
                flatten_use(x, list, new_prefix, out);
            }
        }
        "use_list" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind_name() == "self" {
                    let (module, name) = (prefix.clone(), Some("self".to_string()));
                    out.push(UseLeaf {
                        module,
                        name,
                        alias: None,
                        star: false,
                        span: x.span(child),
                        module_span: x.span(child),
                    });
                } else {
                    flatten_use(x, child, prefix.clone(), out);
                }
            }
        }
        _ => {}
    }
}

fn extern_crate(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(name) = node.field("name") else {
        return;
    };
    let alias = node.field("alias").map(|a| x.text(a).to_string());
    x.facts.imports.push(Import {
        kind: ImportKind::ExternCrate,
        module: x.text(name).to_string(),
        level: 0,
        alias,
        names: Vec::new(),
        star: false,
        span: x.span(node),
        module_span: x.span(name),
        type_only: false,
        conditional: x.scope.conditional(),
        guarded: false,
        type_checking: false,
        in_function: x.scope.in_function(),
        in_test: x.in_test(),
        cfg_feature: x.scope.cfg_feature().map(str::to_string),
    });
}

fn definition(x: &mut FactsExtractor<'_>, node: Node<'_>, kind: DefKind) {
    if !x.scope.at_module_level() {
        return;
    }
    let Some(name) = node.field("name") else {
        return;
    };
    x.facts.definitions.push(Definition {
        name: x.text(name).to_string(),
        kind,
        span: x.span(name),
        public: is_pub(node) || kind == DefKind::Macro,
        conditional: x.scope.cfg_feature().is_some(),
    });
}

fn function(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    definition(x, node, DefKind::Function);
    let Some(name_node) = node.field("name") else {
        return;
    };
    let name = x.text(name_node).to_string();
    let enclosing = x.scope.enclosing_type().map(|(n, t)| (n.to_string(), t));
    let decorators = attributes(x, node, anc);
    let mut is_async = false;
    let mut cursor = node.walk();
    for c in node.children(&mut cursor) {
        if c.kind_name() == "function_modifiers" && x.text(c).contains("async") {
            is_async = true;
        }
    }
    let nested = x.scope.in_function();
    let fact = FunctionFact {
        container_is_trait: enclosing.as_ref().is_some_and(|(_, t)| *t),
        container: enclosing.map(|(n, _)| n),
        span: x.span(node),
        name_span: x.span(name_node),
        is_async,
        nested,
        conditional: x.scope.cfg_feature().is_some(),
        is_abstract: node.kind_name() == "function_signature_item",
        in_test: x.in_test(),
        public: is_pub(node),
        param_count: node.field("parameters").map_or(0, |p| p.named_child_count() as u32),
        stub: unimplemented_body(x, node),
        decorators,
        name,
        forward: None,
        returns: 0,
        products: Vec::new(),
        return_type: node.field("return_type").map(|t| return_head(x.text(t))),
        fingerprint: 0,
        size: 0,
        error_flow: super::ErrorFlow {
            returns_fallible: node.field("return_type").is_some_and(|r| fallible_type(x.text(r))),
            ..super::ErrorFlow::default()
        },
    };
    // `Result<_, Box<dyn Error>>` reports errors without a library; a trait's
    // signature and `main` are not the project's choice.
    let boxed_error = node
        .field("return_type")
        .filter(|r| fact.name != "main" && !fact.container_is_trait && returns_boxed_error(x.text(*r)));
    x.facts.functions.push(fact);
    if let Some(r) = boxed_error {
        x.record_call(BOXED_ERROR_RETURN, r);
    }
    let idx = x.facts.functions.len() - 1;
    x.scope.push(node, Frame::Function(Some(idx)));
}

/// The callee recorded for a function returning `Result<_, Box<dyn Error>>`.
pub const BOXED_ERROR_RETURN: &str = "-> Box<dyn Error>";

/// `Result<T, Box<dyn Error>>`, `std::result::Result<(), Box<dyn std::error::Error + Send + Sync>>`.
fn returns_boxed_error(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let Some((head, args)) = compact.split_once('<') else {
        return false;
    };
    if head.rsplit("::").next() != Some("Result") {
        return false;
    }
    let Some(at) = args.find("Box<dyn") else {
        return false;
    };
    let rest = &args[at + "Box<dyn".len()..];
    // The error argument is the last one: only bounds and `>`s follow the box.
    let tail_ok = rest
        .split_once('>')
        .is_some_and(|(_, after)| after.chars().all(|c| c == '>'));
    let trait_path = rest.split(['+', '>']).next().unwrap_or(rest);
    tail_ok && args[..at].ends_with(',') && trait_path.rsplit("::").next() == Some("Error")
}

/// `.unwrap()`, except on a lock, a join handle, a `RefCell` or an `Option` the
/// function's own state gives (`take()`, `next()`, `get()`).
fn unwrap_call(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(idx) = x.scope.enclosing_function() else {
        return;
    };
    let Some(func) = node.field("function").filter(|f| f.kind_name() == "field_expression") else {
        return;
    };
    let Some(field) = func.field("field").filter(|f| x.text(*f) == "unwrap") else {
        return;
    };
    let receiver_method = func
        .field("value")
        .filter(|v| v.kind_name() == "call_expression")
        .and_then(|v| v.field("function"))
        .and_then(|f| f.field("field"))
        .map(|f| x.text(f));
    // Locks and joins: unwrapping is the idiom. Options of the function's
    // own state (`self.io.take().unwrap()`, `iter.next().unwrap()`): an
    // invariant, not an error to propagate.
    if matches!(
        receiver_method,
        Some(
            "lock"
                | "read"
                | "write"
                | "join"
                | "borrow"
                | "borrow_mut"
                | "try_lock"
                | "take"
                | "as_ref"
                | "as_mut"
                | "as_deref"
                | "as_deref_mut"
                | "get"
                | "get_mut"
                | "first"
                | "last"
                | "next"
                | "next_back"
                | "pop"
                | "peek"
                | "find"
                | "position"
                | "max"
                | "min"
        )
    ) {
        return;
    }
    let span = x.span(field);
    x.facts.functions[idx].error_flow.unwraps.push(span);
}

/// Whether a return type is `Result` or `Option` (`io::Result<()>`, `Option<&T>`).
fn fallible_type(text: &str) -> bool {
    let head = text.split('<').next().unwrap_or(text).trim();
    matches!(head.rsplit("::").next(), Some("Result" | "Option"))
}

/// `unimplemented!()` as the whole body.
fn unimplemented_body(x: &FactsExtractor<'_>, node: Node<'_>) -> Option<StubFact> {
    let body = node.field("body")?;
    let mut has_comment = false;
    let mut statements = Vec::new();
    let mut cursor = body.walk();
    for child in body.named_children(&mut cursor) {
        match child.kind_name() {
            "line_comment" | "block_comment" => has_comment = true,
            _ => statements.push(child),
        }
    }
    let [only] = statements.as_slice() else {
        return None;
    };
    let mac = if only.kind_name() == "expression_statement" {
        only.named_child(0)?
    } else {
        *only
    };
    if mac.kind_name() != "macro_invocation" || macro_name(x, mac) != "unimplemented" {
        return None;
    }
    Some(StubFact {
        kind: StubKind::Unimplemented {
            message: macro_message(x, mac),
        },
        span: x.span(mac),
        has_docstring: false,
        has_comment,
    })
}

fn macro_name<'s>(x: &FactsExtractor<'s>, mac: Node<'_>) -> &'s str {
    mac.field("macro").map_or("", |m| {
        let t = x.text(m);
        t.rsplit("::").next().unwrap_or(t)
    })
}

fn macro_message(x: &FactsExtractor<'_>, mac: Node<'_>) -> Option<String> {
    let tokens = mac
        .named_children(&mut mac.walk())
        .find(|c| c.kind_name() == "token_tree")?;
    let first = tokens.named_child(0)?;
    string_literal_value(first, x.source)
}

/// Records the first segment of a qualified path (`serde_json` in
/// `serde_json::to_string(..)`, `tokio` in `#[tokio::main]`): crates used
/// without a `use`.
fn path_root(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(path) = node.field("path") else {
        return;
    };
    if path.kind_name() != "identifier" {
        return;
    }
    let root = x.text(path);
    if !x.facts.path_roots.iter().any(|r| r == root) {
        x.facts.path_roots.push(root.to_string());
    }
    // `ureq::post(..)`: a crate used without `use`.
    x.record_call(x.text(node), path);
}

fn macro_invocation(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    if let Some(path) = node.field("macro") {
        x.record_call(&format!("{}!", x.text(path)), path);
    }
    let name = macro_name(x, node);
    if name == "todo" {
        if let Some(idx) = x.scope.enclosing_function() {
            let span = x.span(node);
            let f = &mut x.facts.functions[idx];
            if f.stub.is_none() {
                f.stub = Some(StubFact {
                    kind: StubKind::Todo,
                    span,
                    has_docstring: false,
                    has_comment: false,
                });
            }
        }
    } else if x.scope.at_module_level() && item_position(anc) {
        // Items generated by a macro (`lazy_static!`, `thread_local!`, custom
        // item macros) are invisible to a syntax-level index.
        x.facts.exports.dynamic = true;
        // `cfg_x! { #[path = "a.rs"] mod imp; }`: `use imp::X` is local.
        let body = x.text(node);
        let mut rest = body;
        while let Some(i) = rest.find("mod ") {
            let before_ok = i == 0 || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            rest = &rest[i + 4..];
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if before_ok && !name.is_empty() && !x.facts.definitions.iter().any(|d| d.name == name) {
                x.facts.definitions.push(Definition {
                    name,
                    kind: DefKind::Module,
                    span: x.span(node),
                    public: false,
                    conditional: true,
                });
            }
        }
    }
}

/// A macro invocation where an item may stand: directly in the file, or
/// as `name!(...);` (an expression statement) there.
fn item_position(anc: &[Node<'_>]) -> bool {
    match anc.last().map(|p| p.kind_name()) {
        Some("source_file") => true,
        Some("expression_statement") => anc.len() >= 2 && anc[anc.len() - 2].kind_name() == "source_file",
        _ => false,
    }
}

fn type_decl(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let Some(name_node) = node.field("name") else {
        return;
    };
    let name = x.text(name_node).to_string();
    let (kind, def_kind) = match node.kind_name() {
        "trait_item" => (TypeKind::Trait, DefKind::Trait),
        "enum_item" => (TypeKind::Enum, DefKind::Enum),
        _ => (TypeKind::Struct, DefKind::Struct),
    };
    definition(x, node, def_kind);
    let mut bases = Vec::new();
    if let Some(bounds) = node.field("bounds") {
        let mut cursor = bounds.walk();
        for b in bounds.named_children(&mut cursor) {
            bases.push(x.text(b).to_string());
        }
    }
    let (mut methods, mut abstract_methods) = (Vec::new(), Vec::new());
    if let Some(body) = node.field("body").filter(|_| kind == TypeKind::Trait) {
        let mut cursor = body.walk();
        for item in body.named_children(&mut cursor) {
            let Some(m) = item.field("name").map(|n| x.text(n).to_string()) else {
                continue;
            };
            match item.kind_name() {
                "function_signature_item" => {
                    abstract_methods.push(m.clone());
                    methods.push(m);
                }
                "function_item" => methods.push(m),
                _ => {}
            }
        }
    }
    let derives = attributes(x, node, anc)
        .iter()
        .filter_map(|a| a.strip_prefix("derive("))
        .flat_map(|d| d.trim_end_matches(')').split(','))
        .map(|d| d.trim().rsplit("::").next().unwrap_or("").to_string())
        .filter(|d| !d.is_empty())
        .collect();
    x.facts.types.push(TypeDecl {
        span: x.span(name_node),
        full_span: x.span(node),
        public: is_pub(node),
        top_level: x.scope.at_module_level(),
        decorators: derives,
        name: name.clone(),
        kind,
        bases,
        implements: Vec::new(),
        methods,
        abstract_methods,
        restricted: is_pub(node) && !is_plain_pub(x, node),
        constant_fields: Vec::new(),
    });
    if kind == TypeKind::Trait {
        x.scope.push(node, Frame::Type { name, is_trait: true });
    }
}

/// `Vec<T>` -> `Vec`, `&'a mut Foo` -> `Foo`, `crate::a::Foo` stays qualified.
fn type_head(text: &str) -> String {
    let t = text.trim_start_matches('&').trim();
    let t = t.strip_prefix("mut ").unwrap_or(t);
    let t = if t.starts_with('\'') {
        t.split_once(' ').map_or(t, |(_, rest)| rest)
    } else {
        t
    };
    t.split('<').next().unwrap_or(t).trim().to_string()
}

fn impl_item(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(ty) = node.field("type") else {
        return;
    };
    let self_type = type_head(x.text(ty));
    let trait_name = node.field("trait").map(|t| type_head(x.text(t)));
    let mut methods = Vec::new();
    if let Some(body) = node.field("body") {
        let mut cursor = body.walk();
        for item in body.named_children(&mut cursor) {
            if item.kind_name() == "function_item" {
                if let Some(n) = item.field("name") {
                    methods.push(x.text(n).to_string());
                }
            }
        }
    }
    x.facts.impls.push(ImplFact {
        trait_name: trait_name.clone(),
        self_type: self_type.clone(),
        span: x.span(node),
        methods,
        in_test: x.in_test(),
        blanket: is_blanket(x, node, &self_type),
    });
    x.scope.push(
        node,
        Frame::Type {
            name: self_type,
            is_trait: trait_name.is_some(),
        },
    );
}

fn mod_item(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let Some(name) = node.field("name") else {
        return;
    };
    let inline = node.field("body").is_some();
    let path_attr = attributes(x, node, anc).iter().find_map(|a| {
        let rest = a.strip_prefix("path")?.trim_start().strip_prefix('=')?.trim();
        Some(rest.trim_matches('"').to_string())
    });
    if x.scope.at_module_level() {
        x.facts.modules.push(ModDecl {
            name: x.text(name).to_string(),
            inline,
            path_attr,
            public: is_pub(node),
            span: x.span(name),
            test: x.scope.in_test(),
        });
    }
    definition(x, node, DefKind::Module);
    if inline {
        x.scope.push(node, Frame::InlineModule);
    }
}

/// `pub`, not `pub(crate)` / `pub(super)` / `pub(in path)`.
fn is_plain_pub(x: &FactsExtractor<'_>, node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| c.kind_name() == "visibility_modifier" && x.text(c).trim() == "pub");
    found
}

/// `impl<T: Bound> Trait for T` (also `&T`, `Box<T>`... count as many types).
fn is_blanket(x: &FactsExtractor<'_>, node: Node<'_>, self_type: &str) -> bool {
    let Some(params) = node.field("type_parameters") else {
        return false;
    };
    let mut cursor = params.walk();
    let found = params.named_children(&mut cursor).any(|p| {
        let name = match p.kind_name() {
            "type_identifier" => Some(p),
            _ => p.field("left").or_else(|| p.field("name")),
        };
        name.is_some_and(|n| x.text(n) == self_type)
    });
    found
}

/// `Box<dyn Storage + Send>` -> `Storage`; `Result<Foo, E>` -> `Result`.
fn return_head(text: &str) -> String {
    let t = text.trim();
    for wrapper in ["Box<", "Arc<", "Rc<"] {
        let inner = t
            .strip_prefix(wrapper)
            .or_else(|| t.rsplit_once("::").and_then(|(_, last)| last.strip_prefix(wrapper)));
        if let Some(inner) = inner {
            if let Some(dyn_ty) = inner.trim_start().strip_prefix("dyn ") {
                let head = dyn_ty.split(['+', '>', '<']).next().unwrap_or(dyn_ty).trim();
                return head.rsplit("::").next().unwrap_or(head).to_string();
            }
        }
    }
    let head = type_head(t);
    head.rsplit("::").next().unwrap_or(&head).to_string()
}

/// `Box::new(Foo { .. })`, `Arc::new(Foo::new(..))`, `Rc::new(Foo)`: counted
/// as a return path of the enclosing function that builds `Foo`.
fn boxed_construction(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(func) = node.field("function") else {
        return;
    };
    let callee = x.text(func);
    let callee = callee.strip_prefix("std::boxed::").unwrap_or(callee);
    let callee = callee
        .strip_prefix("std::sync::")
        .or_else(|| callee.strip_prefix("std::rc::"))
        .unwrap_or(callee);
    if !matches!(callee, "Box::new" | "Arc::new" | "Rc::new") {
        return;
    }
    let arg = node.field("arguments").and_then(|a| a.named_child(0));
    let product = arg.and_then(|a| match a.kind_name() {
        "struct_expression" => a.field("name").map(|n| type_head(x.text(n))),
        "identifier" => Some(x.text(a).to_string()),
        "call_expression" => a
            .field("function")
            .filter(|f| f.kind_name() == "scoped_identifier")
            .and_then(|f| f.field("path"))
            .map(|p| type_head(x.text(p))),
        _ => None,
    });
    let product = product
        .map(|p| p.rsplit("::").next().unwrap_or(&p).to_string())
        .filter(|p| is_type_name(p));
    record_return(x, product.as_deref());
}
