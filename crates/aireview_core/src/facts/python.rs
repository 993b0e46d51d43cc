//! Python facts: imports, module-level definitions, `__all__`, classes and functions.

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
use tree_sitter::Node;

/// The node kinds `enter` handles; the extractor skips every other node
/// without asking its kind name (which costs a C string conversion).
pub(crate) const KINDS: &[&str] = &[
    "import_statement",
    "import_from_statement",
    "future_import_statement",
    "function_definition",
    "class_definition",
    "if_statement",
    "for_statement",
    "while_statement",
    "with_statement",
    "match_statement",
    "try_statement",
    "except_clause",
    "else_clause",
    "expression_statement",
    "call",
    "return_statement",
    "identifier",
];

pub(crate) fn enter(x: &mut FactsExtractor<'_>, node: Node<'_>, ancestors: &[Node<'_>]) {
    // A definition's decorators live on its `decorated_definition` parent.
    let decorated = || {
        ancestors
            .last()
            .copied()
            .filter(|p| p.kind_name() == "decorated_definition")
    };
    match node.kind_name() {
        "import_statement" => import_statement(x, node),
        "import_from_statement" | "future_import_statement" => from_import(x, node),
        "function_definition" => function(x, node, decorated()),
        "class_definition" => class(x, node, decorated()),
        "if_statement" => {
            x.scope.push(node, Frame::Conditional);
            let cond = node.field("condition").map(|c| x.text(c));
            if matches!(cond, Some("TYPE_CHECKING" | "typing.TYPE_CHECKING" | "t.TYPE_CHECKING")) {
                if let Some(body) = node.field("consequence") {
                    x.scope.push(body, Frame::TypeChecking);
                }
            }
        }
        "for_statement" | "while_statement" | "match_statement" => x.scope.push(node, Frame::Conditional),
        "with_statement" => {
            x.scope.push(node, Frame::Conditional);
            // `with raises(ImportError):` / `self.assertRaises(ImportError)`:
            // the test expects the import to fail.
            let items = node.named_child(0).map(|c| x.text(c)).unwrap_or("");
            if items.contains("aises(") && (items.contains("ImportError") || items.contains("ModuleNotFoundError")) {
                if let Some(body) = node.field("body") {
                    x.scope.push(body, Frame::GuardedTry);
                }
            }
        }
        "try_statement" => {
            x.scope.push(node, Frame::Conditional);
            if handles_import_error(x, node) {
                if let Some(body) = node.field("body") {
                    x.scope.push(body, Frame::GuardedTry);
                }
            }
        }
        "except_clause" => {
            x.scope.push(node, Frame::Handler);
            // The fallback of `try: import x / except ImportError: import y`
            // runs only when the first import failed: it is optional too.
            if ancestors
                .last()
                .is_some_and(|t| t.kind_name() == "try_statement" && handles_import_error(x, *t))
            {
                x.scope.push(node, Frame::GuardedTry);
            }
        }
        // `try: import x / except ImportError: ... / else: import y`: `y`
        // is imported only when the optional `x` is there.
        "else_clause"
            if ancestors
                .last()
                .is_some_and(|t| t.kind_name() == "try_statement" && handles_import_error(x, *t)) =>
        {
            x.scope.push(node, Frame::GuardedTry)
        }
        "expression_statement" if x.scope.at_module_level() => module_assignment(x, node),
        "call" => {
            dynamic_import(x, node);
            if let Some(func) = node
                .field("function")
                .filter(|f| matches!(f.kind_name(), "identifier" | "attribute"))
            {
                x.record_call(x.text(func), func);
            }
            construction(x, node, ancestors);
            call_site(x, node);
            super::http_calls::python_call(x, node, ancestors);
        }
        "return_statement" => return_statement(x, node),
        // A capitalised name, unless it is a declaration's own name or imported.
        "identifier" => add_mention(
            x,
            node,
            ancestors,
            &["class_definition", "function_definition"],
            &["import_statement", "import_from_statement"],
        ),
        _ => {}
    }
}

fn import_statement(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (module_node, alias) = match name.kind_name() {
            "aliased_import" => (name.field("name"), name.field("alias").map(|a| x.text(a).to_string())),
            _ => (Some(name), None),
        };
        let Some(module_node) = module_node else {
            continue;
        };
        let module = x.text(module_node).to_string();
        // `import a.b` binds `a`; `import a.b as c` binds `c`.
        let bound = alias
            .clone()
            .unwrap_or_else(|| module.split('.').next().unwrap_or("").to_string());
        add_binding(x, &bound, name);
        let mut import = new_import(x, node, ImportKind::Import, module, module_node);
        import.alias = alias;
        x.facts.imports.push(import);
    }
}

fn from_import(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let (module, level, module_node) = match node.field("module_name") {
        Some(m) if m.kind_name() == "relative_import" => {
            let mut level = 0;
            let mut module = String::new();
            let mut cursor = m.walk();
            for child in m.named_children(&mut cursor) {
                match child.kind_name() {
                    "import_prefix" => level = x.text(child).chars().filter(|&c| c == '.').count() as u32,
                    "dotted_name" => module = x.text(child).to_string(),
                    _ => {}
                }
            }
            (module, level, m)
        }
        Some(m) => (x.text(m).to_string(), 0, m),
        // `from __future__ import annotations`
        None => ("__future__".to_string(), 0, node),
    };
    let mut import = new_import(x, node, ImportKind::From, module, module_node);
    import.level = level;
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.kind_name() == "wildcard_import" {
            import.star = true;
        }
    }
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (name_node, alias) = match name.kind_name() {
            "aliased_import" => (
                name.field("name").unwrap_or(name),
                name.field("alias").map(|a| x.text(a).to_string()),
            ),
            _ => (name, None),
        };
        let imported = x.text(name_node).to_string();
        add_binding(x, alias.as_deref().unwrap_or(&imported), name);
        import.names.push(ImportedName {
            name: imported,
            alias,
            span: x.span(name),
        });
    }
    x.facts.imports.push(import);
}

fn new_import(
    x: &FactsExtractor<'_>,
    node: Node<'_>,
    kind: ImportKind,
    module: String,
    module_node: Node<'_>,
) -> Import {
    Import {
        kind,
        module,
        level: 0,
        alias: None,
        names: Vec::new(),
        star: false,
        span: x.span(node),
        module_span: x.span(module_node),
        type_only: false,
        conditional: x.scope.conditional(),
        guarded: x.scope.guarded(),
        type_checking: x.scope.type_checking(),
        in_function: x.scope.in_function(),
        in_test: x.in_test(),
        cfg_feature: None,
    }
}

/// `importlib.import_module("x")` / `__import__("x")` with a literal name.
fn dynamic_import(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(func) = node.field("function") else {
        return;
    };
    let fname = x.text(func);
    if !matches!(fname, "importlib.import_module" | "import_module" | "__import__") {
        return;
    }
    let Some(arg) = node
        .field("arguments")
        .and_then(|a| a.named_child(0))
        .filter(|a| a.kind_name() == "string")
    else {
        return;
    };
    let Some(module) = string_literal_value(arg, x.source) else {
        return;
    };
    // A relative name needs the `package=` argument; leave those alone.
    if module.starts_with('.') || module.is_empty() {
        return;
    }
    let import = new_import(x, node, ImportKind::Dynamic, module, arg);
    x.facts.imports.push(import);
}

fn add_binding(x: &mut FactsExtractor<'_>, name: &str, node: Node<'_>) {
    if x.scope.at_module_level() && !name.is_empty() && !x.scope.type_checking() {
        x.facts.definitions.push(Definition {
            name: name.to_string(),
            kind: DefKind::ImportBinding,
            span: x.span(node),
            public: !name.starts_with('_'),
            conditional: x.scope.conditional(),
        });
    }
}

/// Whether a `try` statement's handlers cover a failed import.
fn handles_import_error(x: &FactsExtractor<'_>, node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    let handled = node.children(&mut cursor).any(|clause| {
        if clause.kind_name() != "except_clause" {
            return false;
        }
        // `except:` has no named child before the block.
        let Some(first) = clause.named_child(0) else {
            return true;
        };
        if first.kind_name() == "block" {
            return true;
        }
        let text = x.text(first);
        ["ImportError", "ModuleNotFoundError", "Exception", "BaseException"]
            .iter()
            .any(|e| text.contains(e))
    });
    handled
}

fn module_assignment(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(expr) = node.named_child(0) else {
        return;
    };
    match expr.kind_name() {
        "assignment" => {
            let Some(left) = expr.field("left") else {
                return;
            };
            let mut names = Vec::new();
            collect_targets(x, left, &mut names);
            if let ([(name, span_node)], Some(right)) = (names.as_slice(), expr.field("right")) {
                registry(x, name, *span_node, right);
            }
            // `a = b = value` nests an assignment on the right: every target is defined.
            let mut value = expr.field("right");
            while let Some(inner) = value.filter(|v| v.kind_name() == "assignment") {
                if let Some(target) = inner.field("left") {
                    collect_targets(x, target, &mut names);
                }
                value = inner.field("right");
            }
            for (name, span_node) in names {
                if name == "__all__" {
                    if let Some(right) = value {
                        x.facts.exports.dunder_all = string_list(x, right);
                    }
                }
                let constant = name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                x.facts.definitions.push(Definition {
                    kind: if constant { DefKind::Constant } else { DefKind::Variable },
                    public: !name.starts_with('_'),
                    span: x.span(span_node),
                    name,
                    conditional: x.scope.conditional(),
                });
            }
        }
        "augmented_assignment" => {
            // `__all__ += [...]`
            let left = expr.field("left").map(|l| x.text(l));
            if left == Some("__all__") {
                let extra = expr.field("right").and_then(|r| string_list(x, r));
                extend_all(x, extra);
            }
        }
        "call" => {
            // `__all__.extend([...])`, `__all__.append("x")`, `globals().update(...)`
            let func = expr.field("function").map(|f| x.text(f)).unwrap_or("");
            let arg = expr.field("arguments").and_then(|a| a.named_child(0));
            match func {
                "__all__.extend" => {
                    let extra = arg.and_then(|a| string_list(x, a));
                    extend_all(x, extra);
                }
                "__all__.append" => {
                    let extra = arg.and_then(|a| string_literal_value(a, x.source)).map(|s| vec![s]);
                    extend_all(x, extra);
                }
                "globals().update" => x.facts.exports.dynamic = true,
                _ => {}
            }
        }
        _ => {}
    }
    // `globals()[name] = value` anywhere at module level makes names unknowable.
    if x.text(node).starts_with("globals()[") {
        x.facts.exports.dynamic = true;
    }
}

fn extend_all(x: &mut FactsExtractor<'_>, extra: Option<Vec<String>>) {
    match (extra, &mut x.facts.exports.dunder_all) {
        (Some(extra), Some(all)) => all.extend(extra),
        (Some(extra), all @ None) => *all = Some(extra),
        // A non-literal addition: `__all__` is no longer known exactly.
        (None, _) => x.facts.exports.dynamic = true,
    }
}

fn collect_targets<'t>(x: &FactsExtractor<'_>, node: Node<'t>, out: &mut Vec<(String, Node<'t>)>) {
    match node.kind_name() {
        "identifier" => out.push((x.text(node).to_string(), node)),
        "pattern_list" | "tuple_pattern" | "list_pattern" | "tuple" | "list" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                collect_targets(x, child, out);
            }
        }
        "list_splat_pattern" => {
            if let Some(inner) = node.named_child(0) {
                collect_targets(x, inner, out);
            }
        }
        _ => {}
    }
}

/// A literal list/tuple of strings, or `None` when any element is not one.
fn string_list(x: &FactsExtractor<'_>, node: Node<'_>) -> Option<Vec<String>> {
    if !matches!(node.kind_name(), "list" | "tuple") {
        return None;
    }
    let mut out = Vec::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        out.push(string_literal_value(child, x.source)?);
    }
    Some(out)
}

/// The decorators of a `decorated_definition` (none when there is none).
fn decorators_of(x: &FactsExtractor<'_>, decorated: Option<Node<'_>>) -> Vec<String> {
    let Some(parent) = decorated else {
        return Vec::new();
    };
    let mut cursor = parent.walk();
    parent
        .children(&mut cursor)
        .filter(|c| c.kind_name() == "decorator")
        .filter_map(|d| d.named_child(0))
        .map(|e| x.text(e).to_string())
        .collect()
}

fn is_abstract_decorator(d: &str) -> bool {
    let base = d.rsplit('.').next().unwrap_or(d);
    matches!(
        base,
        "abstractmethod" | "abstractproperty" | "abstractclassmethod" | "abstractstaticmethod"
    )
}

fn function(x: &mut FactsExtractor<'_>, node: Node<'_>, decorated: Option<Node<'_>>) {
    let name = node.field("name").map(|n| x.text(n).to_string()).unwrap_or_default();
    let decorators = decorators_of(x, decorated);
    let outer = decorated.unwrap_or(node);
    let nested = x.scope.in_function();
    let container = x.scope.enclosing_type().map(|(n, _)| n.to_string());
    if x.scope.at_module_level() {
        x.facts.definitions.push(Definition {
            name: name.clone(),
            kind: DefKind::Function,
            span: node.field("name").map_or_else(|| x.span(node), |n| x.span(n)),
            public: !name.starts_with('_'),
            conditional: x.scope.conditional(),
        });
        if name == "__getattr__" {
            x.facts.exports.dynamic = true;
        }
    }
    let is_test = x.in_test() || (name.starts_with("test") && x.facts.role == super::FileRole::Test);
    let param_count = node.field("parameters").map_or(0, |p| p.named_child_count() as u32);
    let fact = FunctionFact {
        is_async: node.child(0).is_some_and(|c| c.kind_name() == "async"),
        is_abstract: decorators.iter().any(|d| is_abstract_decorator(d)),
        public: !name.starts_with('_'),
        conditional: !nested && x.scope.conditional(),
        stub: stub_of(x, node),
        span: x.span(outer),
        name_span: node.field("name").map_or_else(|| x.span(node), |n| x.span(n)),
        container_is_trait: false,
        in_test: is_test,
        name,
        container,
        decorators,
        nested,
        param_count,
        forward: forward_of(x, node),
        returns: 0,
        products: Vec::new(),
        return_type: node.field("return_type").map(|t| annotation_head(x.text(t))),
        fingerprint: 0,
        size: 0,
        error_flow: super::ErrorFlow::default(),
    };
    x.facts.functions.push(fact);
    let idx = x.facts.functions.len() - 1;
    x.scope.push(node, Frame::Function(Some(idx)));
}

/// Recognises a body that is only `pass`, `...` or `raise NotImplementedError`,
/// optionally after a docstring.
fn stub_of(x: &FactsExtractor<'_>, def: Node<'_>) -> Option<StubFact> {
    let body = def.field("body")?;
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
    // Comments between the signature and the block belong to the function too.
    let mut sibling = body.prev_sibling();
    while let Some(s) = sibling {
        if s.kind_name() == "comment" {
            has_comment = true;
        }
        if s.kind_name() == ":" {
            break;
        }
        sibling = s.prev_sibling();
    }
    let has_docstring = statements.len() == 2 && is_docstring(statements[0]);
    let last = match statements.as_slice() {
        [only] => *only,
        [doc, last] if is_docstring(*doc) => *last,
        _ => return None,
    };
    let kind = match last.kind_name() {
        "pass_statement" => StubKind::Pass,
        "expression_statement" if last.named_child(0).is_some_and(|e| e.kind_name() == "ellipsis") => {
            StubKind::Ellipsis
        }
        "raise_statement" => {
            let raised = last.named_child(0)?;
            let (callee, args) = match raised.kind_name() {
                "call" => (raised.field("function")?, raised.field("arguments")),
                _ => (raised, None),
            };
            if !matches!(x.text(callee), "NotImplementedError" | "NotImplemented") {
                return None;
            }
            let message = args
                .and_then(|a| a.named_child(0))
                .and_then(|m| string_literal_value(m, x.source));
            StubKind::RaiseNotImplemented { message }
        }
        _ => return None,
    };
    Some(StubFact {
        kind,
        span: x.span(last),
        has_docstring,
        has_comment,
    })
}

fn is_docstring(node: Node<'_>) -> bool {
    node.kind_name() == "expression_statement"
        && node.named_child_count() == 1
        && node.named_child(0).is_some_and(|s| s.kind_name() == "string")
}

fn class(x: &mut FactsExtractor<'_>, node: Node<'_>, decorated: Option<Node<'_>>) {
    let name = node.field("name").map(|n| x.text(n).to_string()).unwrap_or_default();
    let mut bases = Vec::new();
    let mut metaclass_abc = false;
    if let Some(args) = node.field("superclasses") {
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match arg.kind_name() {
                "keyword_argument" => {
                    let key = arg.field("name").map(|n| x.text(n));
                    let value = arg.field("value").map(|v| x.text(v)).unwrap_or("");
                    if key == Some("metaclass") && value.ends_with("ABCMeta") {
                        metaclass_abc = true;
                    }
                }
                "comment" => {}
                _ => {
                    // `Generic[T]` / `Protocol[T]` -> the subscripted name.
                    let base = if arg.kind_name() == "subscript" {
                        arg.field("value").unwrap_or(arg)
                    } else {
                        arg
                    };
                    bases.push(x.text(base).to_string());
                }
            }
        }
    }
    let mut methods = Vec::new();
    let mut abstract_methods = Vec::new();
    let mut constant_fields = Vec::new();
    if let Some(body) = node.field("body") {
        let mut cursor = body.walk();
        for item in body.named_children(&mut cursor) {
            if let Some(field) = constant_field(x, item) {
                constant_fields.push(field);
                continue;
            }
            let def = match item.kind_name() {
                "decorated_definition" => item.field("definition"),
                "function_definition" => Some(item),
                _ => None,
            };
            let Some(def) = def.filter(|d| d.kind_name() == "function_definition") else {
                continue;
            };
            let Some(mname) = def.field("name").map(|n| x.text(n).to_string()) else {
                continue;
            };
            let item_decorated = (item.kind_name() == "decorated_definition").then_some(item);
            if decorators_of(x, item_decorated)
                .iter()
                .any(|d| is_abstract_decorator(d))
            {
                abstract_methods.push(mname.clone());
            }
            methods.push(mname);
        }
    }
    let base_name = |b: &String| b.rsplit('.').next().unwrap_or(b).to_string();
    let kind = if bases.iter().any(|b| base_name(b) == "Protocol") {
        TypeKind::Protocol
    } else if metaclass_abc || !abstract_methods.is_empty() || bases.iter().any(|b| base_name(b) == "ABC") {
        TypeKind::AbstractClass
    } else {
        TypeKind::Class
    };
    let top_level = x.scope.at_module_level();
    if top_level {
        x.facts.definitions.push(Definition {
            name: name.clone(),
            kind: DefKind::Class,
            span: node.field("name").map_or_else(|| x.span(node), |n| x.span(n)),
            public: !name.starts_with('_'),
            conditional: x.scope.conditional(),
        });
    }
    x.facts.types.push(TypeDecl {
        span: node.field("name").map_or_else(|| x.span(node), |n| x.span(n)),
        full_span: x.span(node),
        public: !name.starts_with('_'),
        decorators: decorators_of(x, decorated),
        name: name.clone(),
        kind,
        bases,
        implements: Vec::new(),
        methods,
        abstract_methods,
        top_level,
        restricted: false,
        constant_fields,
    });
    x.scope.push(node, Frame::Type { name, is_trait: false });
}

/// `name = 3` / `name: int = 3` in a class body.
fn constant_field(x: &FactsExtractor<'_>, item: Node<'_>) -> Option<String> {
    if item.kind_name() != "expression_statement" {
        return None;
    }
    let assign = item.named_child(0).filter(|a| a.kind_name() == "assignment")?;
    let left = assign.field("left").filter(|l| l.kind_name() == "identifier")?;
    let right = assign.field("right")?;
    let name = x.text(left);
    (is_literal(x, right) && !name.starts_with("__")).then(|| name.to_string())
}

/// A literal constant: string without interpolation, number, `True`,
/// `False`, `None`, or a tuple/list of those.
fn is_literal(x: &FactsExtractor<'_>, node: Node<'_>) -> bool {
    match node.kind_name() {
        "integer" | "float" | "true" | "false" | "none" => true,
        "string" | "concatenated_string" => {
            !x.text(node).starts_with(['f', 'F']) && {
                let mut cursor = node.walk();
                let plain = !node
                    .named_children(&mut cursor)
                    .any(|c| c.kind_name() == "interpolation");
                plain
            }
        }
        "unary_operator" => node.named_child(0).is_some_and(|c| is_literal(x, c)),
        "tuple" | "list" => {
            let mut cursor = node.walk();
            let all = node.named_children(&mut cursor).all(|c| is_literal(x, c));
            all
        }
        _ => false,
    }
}

/// `-> Storage`, `-> "Storage"`, `-> Optional[Storage]` keeps `Optional`.
fn annotation_head(text: &str) -> String {
    let t = text.trim().trim_matches(['"', '\'']);
    let t = t.split('[').next().unwrap_or(t);
    t.rsplit('.').next().unwrap_or(t).trim().to_string()
}

/// The simple name a call constructs, when its callee is a capitalised
/// name (`Foo(...)`, `mod.Foo(...)`).
fn constructed_name<'s>(x: &FactsExtractor<'s>, call: Node<'_>) -> Option<&'s str> {
    let name = callee_name(x, call.field("function")?, "attribute", "attribute")?;
    is_type_name(name).then_some(name)
}

fn construction(x: &mut FactsExtractor<'_>, node: Node<'_>, ancestors: &[Node<'_>]) {
    let Some(name) = constructed_name(x, node) else {
        return;
    };
    let constant_args = node.field("arguments").is_some_and(|args| {
        let mut cursor = args.walk();
        let all = args.named_children(&mut cursor).all(|a| match a.kind_name() {
            "keyword_argument" => a.field("value").is_some_and(|v| is_literal(x, v)),
            "comment" => true,
            _ => is_literal(x, a),
        });
        all
    });
    add_construction(x, name, node, constant_args, |x| {
        chained_method(x, node, ancestors, "attribute", "attribute", "call")
    });
}

fn return_statement(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let product = node
        .named_child(0)
        .filter(|v| v.kind_name() == "call")
        .and_then(|call| constructed_name(x, call));
    record_return(x, product);
}

/// The body is one `[return] [await] self.<attr>.<same name>(<same params>)`.
fn forward_of(x: &FactsExtractor<'_>, def: Node<'_>) -> Option<Forward> {
    let name = x.text(def.field("name")?);
    let grammar = ForwardGrammar {
        await_kind: "await",
        call_kind: "call",
        member_kind: "attribute",
        member_field: "attribute",
        receiver: "self",
    };
    let (expr, target) = forwarded_call(x, def.field("body")?, name, &grammar, is_docstring)?;
    // Parameters after `self`, as they would be passed on.
    let mut params = Vec::new();
    let parameters = def.field("parameters")?;
    let mut cursor = parameters.walk();
    for p in parameters.named_children(&mut cursor) {
        let text = match p.kind_name() {
            "identifier" => x.text(p).to_string(),
            "typed_parameter" => x.text(p.named_child(0)?).to_string(),
            "default_parameter" | "typed_default_parameter" => x.text(p.field("name")?).to_string(),
            "list_splat_pattern" | "dictionary_splat_pattern" => x.text(p).to_string(),
            "keyword_separator" | "positional_separator" | "comment" => continue,
            _ => return None,
        };
        params.push(text);
    }
    if params.first().map(String::as_str) != Some("self") {
        return None;
    }
    params.remove(0);
    let mut args = Vec::new();
    let arguments = expr.field("arguments")?;
    let mut cursor = arguments.walk();
    for a in arguments.named_children(&mut cursor) {
        let text = match a.kind_name() {
            "identifier" | "list_splat" | "dictionary_splat" => x.text(a).to_string(),
            "keyword_argument" => {
                let key = x.text(a.field("name")?);
                (x.text(a.field("value")?) == key).then(|| key.to_string())?
            }
            "comment" => continue,
            _ => return None,
        };
        args.push(text);
    }
    (args == params).then_some(Forward { target })
}

/// `NAME = {"key": SomeClass, ...}` at module level.
fn registry(x: &mut FactsExtractor<'_>, name: &str, name_node: Node<'_>, right: Node<'_>) {
    if right.kind_name() != "dictionary" {
        return;
    }
    let mut entries = Vec::new();
    let mut cursor = right.walk();
    for pair in right.named_children(&mut cursor) {
        let value = match pair.kind_name() {
            "pair" => pair.field("value"),
            "comment" => continue,
            _ => return,
        };
        let Some(value) = value else { return };
        let class = match value.kind_name() {
            "identifier" => x.text(value),
            "attribute" => value.field("attribute").map_or("", |a| x.text(a)),
            _ => return,
        };
        if !is_type_name(class) {
            return;
        }
        entries.push(class.to_string());
    }
    if !entries.is_empty() {
        x.facts.registries.push(RegistryFact {
            name: name.to_string(),
            span: x.span(name_node),
            entries,
        });
    }
}

/// A call of a private function or method (`_name`) by simple name, with
/// its literal arguments.
fn call_site(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(name) = node
        .field("function")
        .and_then(|f| callee_name(x, f, "attribute", "attribute"))
    else {
        return;
    };
    // Only private functions are checked for constant arguments (public
    // ones have callers outside the project): keep the facts small.
    if !name.starts_with('_') || name.starts_with("__") {
        return;
    }
    let mut args = Vec::new();
    if let Some(arguments) = node.field("arguments") {
        let mut cursor = arguments.walk();
        let mut position = 0;
        for a in arguments.named_children(&mut cursor) {
            match a.kind_name() {
                "keyword_argument" => {
                    let (Some(k), Some(v)) = (a.field("name"), a.field("value")) else {
                        continue;
                    };
                    let value = is_literal(x, v).then(|| x.text(v).to_string());
                    args.push((x.text(k).to_string(), value));
                }
                "comment" => {}
                // `*args` / `**kwargs` hide which slots are passed.
                "list_splat" | "dictionary_splat" => return,
                _ => {
                    let value = is_literal(x, a).then(|| x.text(a).to_string());
                    args.push((position.to_string(), value));
                    position += 1;
                }
            }
        }
    }
    add_call(x, name, x.span(node), args);
}
