//! JavaScript / TypeScript facts: ESM and CommonJS imports and exports,
//! module-level declarations, classes and interfaces, functions.

use super::abstraction::{
    add_call, add_construction, add_mention, callee_name, chained_method, forwarded_call, is_type_name, record_return,
    ForwardGrammar,
};
use super::walk_state::{string_literal_value, FactsExtractor, Frame};
use super::{
    DefKind, Definition, Forward, FunctionFact, Import, ImportKind, ImportedName, RegistryFact, StubFact, StubKind,
    TypeDecl, TypeKind,
};
use crate::parse::FieldByName;
use crate::parse::KindName;
use regex::Regex;
use std::sync::OnceLock;
use tree_sitter::Node;

/// The node kinds `enter` handles (see `python::KINDS`).
pub(crate) const KINDS: &[&str] = &[
    "import_statement",
    "export_statement",
    "call_expression",
    "assignment_expression",
    "function_declaration",
    "generator_function_declaration",
    "function_signature",
    "method_definition",
    "function_expression",
    "arrow_function",
    "generator_function",
    "class_declaration",
    "abstract_class_declaration",
    "class",
    "interface_declaration",
    "lexical_declaration",
    "variable_declaration",
    "type_alias_declaration",
    "enum_declaration",
    "internal_module",
    "module",
    "if_statement",
    "for_statement",
    "for_in_statement",
    "while_statement",
    "do_statement",
    "switch_statement",
    "ternary_expression",
    "try_statement",
    "catch_clause",
    "return_statement",
    "new_expression",
    "identifier",
    "type_identifier",
    "object",
    "await_expression",
];

pub(crate) fn enter(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    match node.kind_name() {
        "import_statement" => import_statement(x, node),
        "export_statement" => export_statement(x, node),
        "call_expression" => {
            call(x, node, anc);
            call_site(x, node);
            record_callee(x, node);
            super::http_calls::js_call(x, node, anc);
        }
        "await_expression" => {
            if let Some(keyword) = node.child(0) {
                x.record_call("await", keyword);
            }
        }
        "assignment_expression" => {
            commonjs_export(x, node);
            super::http_calls::js_assignment(x, node);
        }
        "function_declaration" | "generator_function_declaration" | "function_signature" => {
            declaration(x, node, anc, DefKind::Function);
            function(x, node, anc, name_of(x, node));
        }
        "method_definition" => {
            let name = name_of(x, node);
            function(x, node, anc, name);
        }
        "function_expression" | "arrow_function" | "generator_function" => {
            // Named by what it is bound to: `const f = () => ...`, `{ f: () => ... }`.
            let name = anc.last().and_then(|p| match p.kind_name() {
                "variable_declarator" => p.field("name").map(|n| x.text(n).to_string()),
                "pair" => p.field("key").map(|n| x.text(n).to_string()),
                "assignment_expression" => p
                    .field("left")
                    .map(|l| x.text(l).rsplit('.').next().unwrap_or("").to_string()),
                _ => None,
            });
            function(x, node, anc, name);
        }
        "class_declaration" | "abstract_class_declaration" | "class" => class(x, node, anc),
        "interface_declaration" => interface(x, node, anc),
        "lexical_declaration" | "variable_declaration" if x.scope.at_module_level() => variables(x, node, anc),
        "type_alias_declaration" => declaration(x, node, anc, DefKind::TypeAlias),
        "enum_declaration" => declaration(x, node, anc, DefKind::Enum),
        "internal_module" | "module" => {
            declaration(x, node, anc, DefKind::Module);
            x.scope.push(node, Frame::InlineModule);
        }
        "if_statement" | "for_statement" | "for_in_statement" | "while_statement" | "do_statement"
        | "switch_statement" | "ternary_expression" => x.scope.push(node, Frame::Conditional),
        "try_statement" => {
            x.scope.push(node, Frame::Conditional);
            if node.field("handler").is_some() {
                if let Some(body) = node.field("body") {
                    x.scope.push(body, Frame::GuardedTry);
                }
            }
        }
        "catch_clause" => x.scope.push(node, Frame::Handler),
        "return_statement" => {
            let product = node
                .named_child(0)
                .filter(|v| v.kind_name() == "new_expression")
                .and_then(|v| constructed_name(x, v));
            record_return(x, product);
        }
        "new_expression" => construction(x, node, anc),
        "object" => typed_object(x, node, anc),
        // A capitalised name, unless it is a declaration's own name or in an import / export list.
        "identifier" | "type_identifier" => {
            if !x.facts.uses_browser_globals && matches!(x.text(node), "window" | "document") {
                super::http_calls::js_browser_global(x, node, anc);
            }
            add_mention(
                x,
                node,
                anc,
                &[
                    "class_declaration",
                    "abstract_class_declaration",
                    "class",
                    "interface_declaration",
                    "type_alias_declaration",
                    "enum_declaration",
                    "function_declaration",
                ],
                &[
                    "import_statement",
                    "import_specifier",
                    "import_clause",
                    "export_specifier",
                    "namespace_import",
                ],
            )
        }
        _ => {}
    }
}

fn name_of(x: &FactsExtractor<'_>, node: Node<'_>) -> Option<String> {
    node.field("name").map(|n| x.text(n).to_string())
}

fn new_import(x: &FactsExtractor<'_>, node: Node<'_>, kind: ImportKind, module: String, source: Node<'_>) -> Import {
    Import {
        kind,
        module,
        level: 0,
        alias: None,
        names: Vec::new(),
        star: false,
        span: x.span(node),
        module_span: x.span(source),
        type_only: has_type_keyword(node),
        conditional: x.scope.conditional(),
        guarded: x.scope.guarded(),
        type_checking: false,
        in_function: x.scope.in_function(),
        in_test: x.in_test(),
        cfg_feature: None,
    }
}

/// `import type ...` / `export type ...`: a `type` token directly in the statement.
fn has_type_keyword(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| c.kind_name() == "type" && !c.is_named());
    found
}

fn import_statement(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let mut cursor = node.walk();
    // `import x = require("y")`
    if let Some(req) = node
        .named_children(&mut cursor)
        .find(|c| c.kind_name() == "import_require_clause")
    {
        if let Some(source) = req.field("source") {
            let Some(module) = string_literal_value(source, x.source) else {
                return;
            };
            let mut import = new_import(x, node, ImportKind::ImportEquals, module, source);
            import.alias = req.named_child(0).map(|n| x.text(n).to_string());
            x.facts.imports.push(import);
        }
        return;
    }
    let Some(source) = node.field("source") else {
        return;
    };
    let Some(module) = string_literal_value(source, x.source) else {
        return;
    };
    let mut import = new_import(x, node, ImportKind::Esm, module, source);
    let mut cursor = node.walk();
    let clause = node
        .named_children(&mut cursor)
        .find(|c| c.kind_name() == "import_clause");
    if let Some(clause) = clause {
        let mut cursor = clause.walk();
        for part in clause.named_children(&mut cursor) {
            match part.kind_name() {
                "identifier" => import.names.push(ImportedName {
                    name: "default".into(),
                    alias: Some(x.text(part).to_string()),
                    span: x.span(part),
                }),
                "namespace_import" => {
                    import.alias = part.named_child(0).map(|n| x.text(n).to_string());
                }
                "named_imports" => {
                    let mut all_types = true;
                    let mut cursor = part.walk();
                    for spec in part.named_children(&mut cursor) {
                        if spec.kind_name() != "import_specifier" {
                            continue;
                        }
                        all_types &= has_type_keyword(spec);
                        if let Some(name) = spec.field("name") {
                            import.names.push(ImportedName {
                                name: x.text(name).trim_matches(['"', '\'']).to_string(),
                                alias: spec.field("alias").map(|a| x.text(a).to_string()),
                                span: x.span(spec),
                            });
                        }
                    }
                    if all_types && !import.names.is_empty() && clause.named_child_count() == 1 {
                        import.type_only = true;
                    }
                }
                _ => {}
            }
        }
    }
    x.facts.imports.push(import);
}

fn export_statement(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let at_module = x.scope.at_module_level();
    if let Some(source) = node.field("source") {
        let Some(module) = string_literal_value(source, x.source) else {
            return;
        };
        let mut import = new_import(x, node, ImportKind::ReExport, module.clone(), source);
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind_name() {
                "*" => {
                    import.star = true;
                    if at_module {
                        x.facts.exports.star_from.push(module.clone());
                    }
                }
                "namespace_export" => {
                    if let Some(name) = child.named_child(0) {
                        if at_module {
                            x.facts.exports.names.push(x.text(name).to_string());
                        }
                    }
                }
                "export_clause" => {
                    let mut cursor = child.walk();
                    for spec in child.named_children(&mut cursor) {
                        let Some(name) = spec.field("name") else {
                            continue;
                        };
                        let alias = spec.field("alias").map(|a| x.text(a).to_string());
                        if at_module {
                            x.facts
                                .exports
                                .names
                                .push(alias.clone().unwrap_or_else(|| x.text(name).to_string()));
                        }
                        import.names.push(ImportedName {
                            name: x.text(name).to_string(),
                            alias,
                            span: x.span(spec),
                        });
                    }
                }
                _ => {}
            }
        }
        x.facts.imports.push(import);
        return;
    }
    if !at_module {
        return;
    }
    let mut cursor = node.walk();
    let mut is_default = false;
    for child in node.children(&mut cursor) {
        match child.kind_name() {
            "default" => is_default = true,
            // `export = foo;` (TS CommonJS interop): the names are foo's members.
            "=" => x.facts.exports.dynamic = true,
            "export_clause" => {
                let mut cursor = child.walk();
                for spec in child.named_children(&mut cursor) {
                    let name = spec
                        .field("alias")
                        .or_else(|| spec.field("name"))
                        .map(|n| x.text(n).to_string());
                    if let Some(name) = name {
                        x.facts.exports.names.push(name);
                    }
                }
            }
            _ => {}
        }
    }
    if is_default {
        x.facts.exports.names.push("default".into());
    }
    // `export const/function/class ...`: the declaration's own visit records
    // the definition; it checks for an `export_statement` parent to mark it public.
}

/// Whether a declaration is exported (`export <decl>` or `export declare <decl>`).
fn exported(anc: &[Node<'_>]) -> bool {
    let mut up = anc.iter().rev();
    let mut parent = up.next().copied();
    while let Some(p) = parent {
        match p.kind_name() {
            "export_statement" => return true,
            "ambient_declaration" => parent = up.next().copied(),
            _ => return false,
        }
    }
    false
}

fn declaration(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>], kind: DefKind) {
    if !x.scope.at_module_level() {
        return;
    }
    let Some(name_node) = node.field("name") else {
        return;
    };
    let name = x.text(name_node).trim_matches(['"', '\'']).to_string();
    let public = exported(anc);
    if public && !is_default_export(anc) {
        x.facts.exports.names.push(name.clone());
    }
    // Overload signatures repeat the name: record it once.
    if x.facts
        .definitions
        .last()
        .is_some_and(|d| d.name == name && d.kind == kind)
    {
        return;
    }
    x.facts.definitions.push(Definition {
        name,
        kind,
        span: x.span(name_node),
        public,
        conditional: x.scope.conditional(),
    });
}

fn is_default_export(anc: &[Node<'_>]) -> bool {
    anc.last().is_some_and(|p| {
        let mut cursor = p.walk();
        let found = p.kind_name() == "export_statement" && p.children(&mut cursor).any(|c| c.kind_name() == "default");
        found
    })
}

fn variables(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let public = exported(anc);
    let constant = node.field("kind").is_some_and(|k| x.text(k) == "const");
    let mut cursor = node.walk();
    for declarator in node.named_children(&mut cursor) {
        if declarator.kind_name() != "variable_declarator" {
            continue;
        }
        let Some(target) = declarator.field("name") else {
            continue;
        };
        if let Some(value) = declarator.field("value").filter(|_| target.kind_name() == "identifier") {
            registry(x, target, value);
        }
        let mut names = Vec::new();
        pattern_names(x, target, &mut names);
        for (name, n) in names {
            if public {
                x.facts.exports.names.push(name.clone());
            }
            x.facts.definitions.push(Definition {
                name,
                kind: if constant { DefKind::Constant } else { DefKind::Variable },
                span: x.span(n),
                public,
                conditional: x.scope.conditional(),
            });
        }
    }
}

fn pattern_names<'t>(x: &FactsExtractor<'_>, node: Node<'t>, out: &mut Vec<(String, Node<'t>)>) {
    match node.kind_name() {
        "identifier" | "shorthand_property_identifier_pattern" => out.push((x.text(node).to_string(), node)),
        "object_pattern" | "array_pattern" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                pattern_names(x, child, out);
            }
        }
        "pair_pattern" => {
            if let Some(v) = node.field("value") {
                pattern_names(x, v, out);
            }
        }
        "assignment_pattern" | "object_assignment_pattern" => {
            if let Some(l) = node.field("left") {
                pattern_names(x, l, out);
            }
        }
        "rest_pattern" => {
            if let Some(inner) = node.named_child(0) {
                pattern_names(x, inner, out);
            }
        }
        _ => {}
    }
}

/// `require("x")` and `import("x")`.
/// `fetch(..)`, `console.log(..)`, `<anything>.then(..)` for the convention families.
fn record_callee(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(func) = node.field("function") else {
        return;
    };
    match func.kind_name() {
        "identifier" => x.record_call(x.text(func), func),
        "member_expression" => {
            let (Some(object), Some(property)) = (func.field("object"), func.field("property")) else {
                return;
            };
            let prop = x.text(property);
            let callee = if object.kind_name() == "identifier" {
                format!("{}.{prop}", x.text(object))
            } else {
                format!("<expr>.{prop}")
            };
            x.record_call(&callee, property);
        }
        _ => {}
    }
}

fn call(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let Some(func) = node.field("function") else {
        return;
    };
    let kind = match func.kind_name() {
        "identifier" if x.text(func) == "require" => ImportKind::Require,
        "import" => ImportKind::Dynamic,
        _ => return,
    };
    let Some(arg) = node.field("arguments").and_then(|a| a.named_child(0)) else {
        return;
    };
    if !matches!(arg.kind_name(), "string" | "template_string") {
        return;
    }
    let Some(module) = string_literal_value(arg, x.source) else {
        return;
    };
    let mut import = new_import(x, node, kind, module, arg);
    // `const { a, b: c } = require("x")` names what is used from the module.
    if let Some(decl) = anc.last().filter(|p| p.kind_name() == "variable_declarator") {
        if let Some(pattern) = decl.field("name") {
            if pattern.kind_name() == "object_pattern" {
                let mut cursor = pattern.walk();
                for prop in pattern.named_children(&mut cursor) {
                    let key = match prop.kind_name() {
                        "shorthand_property_identifier_pattern" => Some(prop),
                        "pair_pattern" => prop.field("key"),
                        _ => None,
                    };
                    if let Some(key) = key {
                        import.names.push(ImportedName {
                            name: x.text(key).to_string(),
                            alias: None,
                            span: x.span(prop),
                        });
                    }
                }
            } else {
                import.alias = Some(x.text(pattern).to_string());
            }
        }
    }
    x.facts.imports.push(import);
}

/// `module.exports = {...}`, `module.exports.x = ...`, `exports.x = ...`.
fn commonjs_export(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(left) = node.field("left") else {
        return;
    };
    let target = x.text(left);
    if target == "module.exports" {
        match node.field("right") {
            Some(obj) if obj.kind_name() == "object" => {
                let mut cursor = obj.walk();
                for prop in obj.named_children(&mut cursor) {
                    let key = match prop.kind_name() {
                        "shorthand_property_identifier" => Some(prop),
                        "pair" | "method_definition" => prop.field("key").or_else(|| prop.field("name")),
                        _ => None,
                    };
                    match key {
                        Some(k) => x
                            .facts
                            .exports
                            .names
                            .push(x.text(k).trim_matches(['"', '\'']).to_string()),
                        // A spread or computed key: the names are not all known.
                        None if prop.kind_name() != "comment" => x.facts.exports.dynamic = true,
                        None => {}
                    }
                }
            }
            _ => x.facts.exports.dynamic = true,
        }
    } else if let Some(name) = target
        .strip_prefix("module.exports.")
        .or_else(|| target.strip_prefix("exports."))
    {
        if !name.contains('.') {
            x.facts.exports.names.push(name.to_string());
        }
    }
}

fn not_implemented_message() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\bnot\s+(yet\s+)?implemented\b|^todo\b|\bimplement\s+me\b|^unimplemented\b")
            .expect("valid regex")
    })
}

fn function(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>], name: Option<String>) {
    let container = x.scope.enclosing_type().map(|(n, _)| n.to_string());
    let nested = x.scope.in_function();
    let name = match name {
        Some(n) => n,
        None => {
            x.scope.push(node, Frame::Function(None));
            return;
        }
    };
    let mut is_abstract = false;
    let mut is_async = false;
    let mut cursor = node.walk();
    for c in node.children(&mut cursor) {
        match c.kind_name() {
            "abstract" => is_abstract = true,
            "async" => is_async = true,
            _ => {}
        }
    }
    let public = if container.is_some() {
        !name.starts_with('#') && !has_accessibility(x, node, "private")
    } else {
        exported(anc)
    };
    let fact = FunctionFact {
        container,
        container_is_trait: false,
        span: x.span(node),
        name_span: node.field("name").map_or_else(|| x.span(node), |n| x.span(n)),
        decorators: Vec::new(),
        is_async,
        nested,
        conditional: !nested && x.scope.conditional(),
        is_abstract,
        in_test: x.in_test(),
        public,
        param_count: node.field("parameters").map_or(0, |p| p.named_child_count() as u32),
        stub: stub_of(x, node),
        forward: forward_of(x, node, &name),
        returns: 0,
        products: Vec::new(),
        return_type: node.field("return_type").map(|t| {
            let text = x.text(t).trim_start_matches(':').trim();
            text.split('<').next().unwrap_or(text).trim().to_string()
        }),
        name,
        fingerprint: 0,
        size: 0,
        error_flow: super::ErrorFlow::default(),
    };
    x.facts.functions.push(fact);
    let idx = x.facts.functions.len() - 1;
    x.scope.push(node, Frame::Function(Some(idx)));
}

fn has_accessibility(x: &FactsExtractor<'_>, node: Node<'_>, which: &str) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| c.kind_name() == "accessibility_modifier" && x.text(c) == which);
    found
}

/// `{ throw new Error("Not implemented"); }` as the whole body.
fn stub_of(x: &FactsExtractor<'_>, node: Node<'_>) -> Option<StubFact> {
    let body = node.field("body")?;
    if body.kind_name() != "statement_block" {
        return None;
    }
    let mut statements = Vec::new();
    let mut has_comment = false;
    let mut cursor = body.walk();
    for child in body.named_children(&mut cursor) {
        if child.kind_name() == "comment" {
            has_comment = true;
        } else {
            statements.push(child);
        }
    }
    let [only] = statements.as_slice() else {
        return None;
    };
    if only.kind_name() != "throw_statement" {
        return None;
    }
    let thrown = only.named_child(0)?;
    if thrown.kind_name() != "new_expression" {
        return None;
    }
    let ctor = x.text(thrown.field("constructor")?);
    let message = thrown
        .field("arguments")
        .and_then(|a| a.named_child(0))
        .and_then(|m| string_literal_value(m, x.source))
        .unwrap_or_default();
    let is_stub = (ctor.ends_with("Error") && not_implemented_message().is_match(message.trim()))
        || ctor == "NotImplementedError";
    is_stub.then(|| StubFact {
        kind: StubKind::ThrowNotImplemented { message },
        span: x.span(*only),
        has_docstring: false,
        has_comment,
    })
}

fn heritage(x: &FactsExtractor<'_>, node: Node<'_>) -> (Vec<String>, Vec<String>) {
    let (mut bases, mut implements) = (Vec::new(), Vec::new());
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind_name() {
            "class_heritage" => {
                let mut cursor = child.walk();
                for clause in child.named_children(&mut cursor) {
                    let target = if clause.kind_name() == "implements_clause" {
                        &mut implements
                    } else {
                        &mut bases
                    };
                    let mut cursor = clause.walk();
                    for t in clause.named_children(&mut cursor) {
                        if t.kind_name() != "type_arguments" {
                            target.push(type_name(x, t));
                        }
                    }
                }
            }
            "extends_type_clause" => {
                let mut cursor = child.walk();
                for t in child.named_children(&mut cursor) {
                    bases.push(type_name(x, t));
                }
            }
            _ => {}
        }
    }
    (bases, implements)
}

/// `Base<T>` -> `Base`; `ns.Base` stays qualified.
fn type_name(x: &FactsExtractor<'_>, node: Node<'_>) -> String {
    let text = x.text(node);
    text.split('<').next().unwrap_or(text).trim().to_string()
}

fn class(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let name = name_of(x, node).or_else(|| {
        anc.last()
            .filter(|p| p.kind_name() == "variable_declarator")
            .and_then(|p| p.field("name"))
            .map(|n| x.text(n).to_string())
    });
    let Some(name) = name else {
        x.scope.push(
            node,
            Frame::Type {
                name: String::new(),
                is_trait: false,
            },
        );
        return;
    };
    if node.kind_name() != "class" {
        declaration(x, node, anc, DefKind::Class);
    }
    let (bases, implements) = heritage(x, node);
    let mut methods = Vec::new();
    let mut abstract_methods = Vec::new();
    let mut constant_fields = Vec::new();
    if let Some(body) = node.field("body") {
        let mut cursor = body.walk();
        for member in body.named_children(&mut cursor) {
            let Some(mname) = name_of(x, member) else {
                continue;
            };
            match member.kind_name() {
                "abstract_method_signature" => {
                    abstract_methods.push(mname.clone());
                    methods.push(mname);
                }
                "method_definition" | "method_signature" => methods.push(mname),
                "public_field_definition" | "field_definition" => {
                    let is_static = {
                        let mut c = member.walk();
                        let found = member.children(&mut c).any(|k| k.kind_name() == "static");
                        found
                    };
                    let value = member.field("value");
                    if !is_static && value.is_some_and(|v| is_literal(x, v)) {
                        constant_fields.push(mname);
                    }
                }
                _ => {}
            }
        }
    }
    let kind = if node.kind_name() == "abstract_class_declaration" {
        TypeKind::AbstractClass
    } else {
        TypeKind::Class
    };
    x.facts.types.push(TypeDecl {
        span: node.field("name").map_or_else(|| x.span(node), |n| x.span(n)),
        full_span: x.span(node),
        public: exported(anc),
        top_level: x.scope.at_module_level(),
        decorators: Vec::new(),
        name: name.clone(),
        kind,
        bases,
        implements,
        methods,
        abstract_methods,
        restricted: false,
        constant_fields,
    });
    x.scope.push(node, Frame::Type { name, is_trait: false });
}

fn interface(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let Some(name) = name_of(x, node) else { return };
    declaration(x, node, anc, DefKind::Interface);
    let (bases, _) = heritage(x, node);
    let mut methods = Vec::new();
    if let Some(body) = node.field("body") {
        let mut cursor = body.walk();
        for member in body.named_children(&mut cursor) {
            let is_method = member.kind_name() == "method_signature"
                || (member.kind_name() == "property_signature"
                    && member
                        .field("type")
                        .and_then(|t| t.named_child(0))
                        .is_some_and(|t| t.kind_name() == "function_type"));
            if is_method {
                if let Some(m) = name_of(x, member) {
                    methods.push(m);
                }
            }
        }
    }
    x.facts.types.push(TypeDecl {
        span: node.field("name").map_or_else(|| x.span(node), |n| x.span(n)),
        full_span: x.span(node),
        public: exported(anc),
        top_level: x.scope.at_module_level(),
        decorators: Vec::new(),
        name: name.clone(),
        kind: TypeKind::Interface,
        bases,
        implements: Vec::new(),
        abstract_methods: methods.clone(),
        methods,
        restricted: false,
        constant_fields: Vec::new(),
    });
    x.scope.push(node, Frame::Type { name, is_trait: true });
}

/// A literal constant: string without substitutions, number, boolean,
/// `null`, `undefined`, or an array / object of those.
fn is_literal(x: &FactsExtractor<'_>, node: Node<'_>) -> bool {
    match node.kind_name() {
        "number" | "true" | "false" | "null" | "undefined" => true,
        "string" => true,
        "template_string" => {
            let mut cursor = node.walk();
            let plain = !node
                .named_children(&mut cursor)
                .any(|c| c.kind_name() == "template_substitution");
            plain
        }
        "unary_expression" => node.field("argument").is_some_and(|a| is_literal(x, a)),
        "array" => {
            let mut cursor = node.walk();
            let all = node.named_children(&mut cursor).all(|c| is_literal(x, c));
            all
        }
        "object" => {
            let mut cursor = node.walk();
            let all = node
                .named_children(&mut cursor)
                .all(|c| c.kind_name() == "pair" && c.field("value").is_some_and(|v| is_literal(x, v)));
            all
        }
        "identifier" => x.text(node) == "undefined",
        _ => false,
    }
}

/// The simple name `new Foo(...)` / `new ns.Foo(...)` builds.
fn constructed_name<'s>(x: &FactsExtractor<'s>, new: Node<'_>) -> Option<&'s str> {
    let name = callee_name(x, new.field("constructor")?, "member_expression", "property")?;
    is_type_name(name).then_some(name)
}

fn construction(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let Some(name) = constructed_name(x, node) else {
        return;
    };
    let constant_args = node.field("arguments").is_none_or(|args| {
        let mut cursor = args.walk();
        let all = args
            .named_children(&mut cursor)
            .all(|a| a.kind_name() == "comment" || is_literal(x, a));
        all
    });
    add_construction(x, name, node, constant_args, |x| {
        chained_method(x, node, anc, "member_expression", "property", "call_expression")
    });
}

/// `const NAME = { key: SomeClass, ... }` at module level.
fn registry(x: &mut FactsExtractor<'_>, target: Node<'_>, value: Node<'_>) {
    let value = if value.kind_name() == "as_expression" || value.kind_name() == "satisfies_expression" {
        match value.named_child(0) {
            Some(v) => v,
            None => return,
        }
    } else {
        value
    };
    if value.kind_name() != "object" {
        return;
    }
    let mut entries = Vec::new();
    let mut cursor = value.walk();
    for member in value.named_children(&mut cursor) {
        let class = match member.kind_name() {
            "pair" => member.field("value").filter(|v| v.kind_name() == "identifier"),
            "shorthand_property_identifier" => Some(member),
            "comment" => continue,
            _ => return,
        };
        let Some(class) = class.map(|c| x.text(c)).filter(|c| is_type_name(c)) else {
            return;
        };
        entries.push(class.to_string());
    }
    if !entries.is_empty() {
        x.facts.registries.push(RegistryFact {
            name: x.text(target).to_string(),
            span: x.span(target),
            entries,
        });
    }
}

/// A method whose body is one `[return] [await] this.<attr>.<same name>(<same params>)`.
fn forward_of(x: &FactsExtractor<'_>, node: Node<'_>, name: &str) -> Option<Forward> {
    if node.kind_name() != "method_definition" {
        return None;
    }
    let grammar = ForwardGrammar {
        await_kind: "await_expression",
        call_kind: "call_expression",
        member_kind: "member_expression",
        member_field: "property",
        receiver: "this",
    };
    let (expr, target) = forwarded_call(x, node.field("body")?, name, &grammar, |_| false)?;
    let mut params = Vec::new();
    let parameters = node.field("parameters")?;
    let mut cursor = parameters.walk();
    for p in parameters.named_children(&mut cursor) {
        let pattern = match p.kind_name() {
            "required_parameter" | "optional_parameter" => p.field("pattern")?,
            "identifier" | "rest_pattern" => p,
            "comment" => continue,
            _ => return None,
        };
        let text = match pattern.kind_name() {
            "identifier" => x.text(pattern).to_string(),
            "rest_pattern" => format!("...{}", x.text(pattern.named_child(0)?)),
            _ => return None,
        };
        params.push(text);
    }
    let mut args = Vec::new();
    let arguments = expr.field("arguments")?;
    let mut cursor = arguments.walk();
    for a in arguments.named_children(&mut cursor) {
        let text = match a.kind_name() {
            "identifier" => x.text(a).to_string(),
            "spread_element" => format!("...{}", x.text(a.named_child(0)?)),
            "comment" => continue,
            _ => return None,
        };
        args.push(text);
    }
    (args == params).then_some(Forward { target })
}

/// A call of a function or method by simple name, with its literal arguments.
fn call_site(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(name) = node
        .field("function")
        .and_then(|f| callee_name(x, f, "member_expression", "property"))
    else {
        return;
    };
    if is_type_name(name) || name == "require" {
        return;
    }
    let mut args = Vec::new();
    if let Some(arguments) = node.field("arguments") {
        let mut cursor = arguments.walk();
        for (position, a) in arguments
            .named_children(&mut cursor)
            .filter(|a| a.kind_name() != "comment")
            .enumerate()
        {
            if a.kind_name() == "spread_element" {
                return;
            }
            let value = is_literal(x, a).then(|| x.text(a).to_string());
            args.push((position.to_string(), value));
        }
    }
    add_call(x, name, x.span(node), args);
}

/// `const s: Storage = {..}`, `{..} satisfies Storage`, `{..} as Storage`.
fn typed_object(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let Some(parent) = anc.last() else {
        return;
    };
    let annotation = match parent.kind_name() {
        "variable_declarator" if parent.field("value").map(|v| v.id()) == Some(node.id()) => {
            parent.field("type").and_then(|t| t.named_child(0))
        }
        "satisfies_expression" | "as_expression" => parent.named_child(1),
        _ => None,
    };
    let Some(annotation) = annotation else {
        return;
    };
    let name = type_name(x, annotation);
    let name = name.rsplit('.').next().unwrap_or(&name).to_string();
    if is_type_name(&name) {
        x.facts.typed_objects.push(name);
    }
}
