//! Templates rendered in a Python handler: which context variables carry
//! request input, and for template source written in the code (Flask's
//! `render_template_string`, `Template("..").render`, a Jinja
//! `Environment(autoescape=False)`), what the template outputs unescaped.

use super::super::{RenderSite, RenderedTemplate, Value, Walk};
use super::{last_segment, looks_like_html, span_between, Walker};
use aireview_core::facts::TemplateInput;
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::span::Span;
use aireview_core::template::{raw_outputs, RawOutput};
use aireview_core::tree_sitter::Node;
use std::collections::HashMap;

/// What the walk remembers about templates and their contexts.
#[derive(Default)]
pub(super) struct TemplateState {
    /// Dictionaries built in the handler (`context = {...}`), per entry.
    dicts: HashMap<String, Vec<Entry>>,
    /// Template objects made from source in the code (`t = Template("..")`).
    inline: HashMap<String, Vec<RawOutput>>,
    /// Template files loaded by name (`t = env.get_template("page.html")`).
    loaded: HashMap<String, RenderedTemplate>,
    /// Local strings that look like template source.
    sources: HashMap<String, String>,
}

/// One context variable: a keyword argument or a dictionary entry.
#[derive(Clone)]
pub(super) struct Entry {
    name: String,
    span: Span,
    value: Value,
    /// The value as written, when it is a name (`tagline`): shown when no
    /// raw read feeds it (a handler parameter).
    source: Option<String>,
    /// A keyword argument of the call itself (`render_template(.., x=..)`),
    /// not an entry of a context dictionary.
    keyword: bool,
}

/// Calls that render a template file by name.
const FILE_RENDERS: &[&str] = &[
    "render_template",
    "render",
    "render_to_string",
    "render_to_response",
    "TemplateResponse",
    "SimpleTemplateResponse",
];

/// A call whose arguments may be a template's context.
pub(super) fn is_render_name(name: &str) -> bool {
    FILE_RENDERS.contains(&name) || name == "render_template_string"
}

impl<'t> Walker<'_, '_, 't> {
    /// `ctx = {..}`, `ctx["k"] = v`, `t = Template("..")`, `src = "..{{ x }}.."`:
    /// evaluates and binds the assignment when it is one of these, and says so.
    pub(super) fn assign_template_state(&mut self, left: Node<'t>, right: Node<'t>) -> bool {
        match (left.kind_name(), right.kind_name()) {
            ("identifier", "dictionary") => {
                let (value, entries) = self.eval_dict(right);
                let name = self.text(left).to_string();
                self.templates.dicts.insert(name.clone(), entries);
                self.env.vars.insert(name, value);
                true
            }
            ("subscript", _) => {
                let (Some(object), Some(key)) = (left.field("value"), left.field("subscript")) else {
                    return false;
                };
                let dict = self.text(object);
                let Some(key) = self
                    .string_text(key)
                    .filter(|_| self.templates.dicts.contains_key(dict))
                else {
                    return false;
                };
                let value = self.eval(right);
                let entry = Entry {
                    name: key,
                    span: span_between(self.cx, left, right),
                    value,
                    source: self.name_text(right),
                    keyword: false,
                };
                if let Some(entries) = self.templates.dicts.get_mut(dict) {
                    entries.push(entry);
                }
                true
            }
            ("identifier", "call") => {
                let name = self.text(left).to_string();
                if let Some(file) = self.loaded_template(right) {
                    self.templates.loaded.insert(name.clone(), file);
                } else if let Some(raw) = self.inline_template(right) {
                    self.templates.inline.insert(name.clone(), raw);
                } else {
                    return false;
                }
                let value = self.eval(right);
                self.env.vars.insert(name, value);
                true
            }
            ("identifier", "string" | "concatenated_string") => {
                if let Some(text) = self.string_text(right).filter(|t| t.contains("{{") || t.contains("{%")) {
                    self.templates.sources.insert(self.text(left).to_string(), text);
                }
                false
            }
            _ => false,
        }
    }

    /// A dictionary literal's value and its entries with string keys.
    fn eval_dict(&mut self, node: Node<'t>) -> (Value, Vec<Entry>) {
        let mut entries = Vec::new();
        let mut parts = Vec::new();
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind_name() {
                "pair" => {
                    let (Some(key), Some(value)) = (child.field("key"), child.field("value")) else {
                        continue;
                    };
                    let v = self.eval(value);
                    if let Some(name) = self.string_text(key) {
                        entries.push(Entry {
                            name,
                            span: self.cx.span(child),
                            value: v.clone(),
                            source: self.name_text(value),
                            keyword: false,
                        });
                    }
                    parts.push(v);
                }
                "dictionary_splat" => {
                    entries.extend(self.dict_entries(child));
                    parts.push(self.eval(child));
                }
                "comment" => {}
                _ => parts.push(self.eval(child)),
            }
        }
        let constant = parts.iter().all(|p| p.constant);
        let mut value = parts.into_iter().fold(Value::clean(), Value::join);
        value.constant = constant;
        (value, entries)
    }

    /// The entries of a dictionary built earlier, named by `node` (`ctx`, `**ctx`).
    fn dict_entries(&self, node: Node<'t>) -> Vec<Entry> {
        let inner = match node.kind_name() {
            "dictionary_splat" => node.named_child(0),
            _ => Some(node),
        };
        inner
            .filter(|n| n.kind_name() == "identifier")
            .and_then(|n| self.templates.dicts.get(self.text(n)))
            .cloned()
            .unwrap_or_default()
    }

    /// Evaluates one argument of a render call, collecting context entries.
    pub(super) fn eval_render_arg(&mut self, arg: Node<'t>, entries: &mut Vec<Entry>) -> Value {
        match arg.kind_name() {
            "dictionary" => {
                let (value, found) = self.eval_dict(arg);
                entries.extend(found);
                value
            }
            "keyword_argument" => {
                let (Some(name), Some(value)) = (arg.field("name"), arg.field("value")) else {
                    return self.eval(arg);
                };
                let name = self.text(name).to_string();
                if name == "context" {
                    return self.eval_render_arg(value, entries);
                }
                let v = self.eval(value);
                entries.push(Entry {
                    name,
                    span: self.cx.span(arg),
                    value: v.clone(),
                    source: self.name_text(value),
                    keyword: true,
                });
                v
            }
            "dictionary_splat" | "identifier" => {
                let found = self.dict_entries(arg);
                entries.extend(found.into_iter().map(|e| Entry {
                    keyword: arg.kind_name() == "dictionary_splat",
                    ..e
                }));
                self.eval(arg)
            }
            _ => self.eval(arg),
        }
    }

    /// Records a render call whose context holds request input.
    pub(super) fn render_call(&mut self, func: Node<'t>, name: &str, args: &[(Node<'t>, Value)], entries: Vec<Entry>) {
        if !entries.iter().any(|e| e.value.tainted) || self.env.out.handler.is_none() {
            return;
        }
        let receiver = (func.kind_name() == "attribute")
            .then(|| func.field("object"))
            .flatten();
        // `jinja2.Template(..).render`, not the whole template source.
        let callee = match receiver.filter(|r| r.kind_name() == "call") {
            Some(r) => {
                let inner = r.field("function").map_or("", |f| self.text(f));
                format!("{inner}(..).{name}")
            }
            None => self.text(func).to_string(),
        };
        let positional: Vec<Node<'t>> = args
            .iter()
            .map(|(a, _)| *a)
            .filter(|a| !matches!(a.kind_name(), "keyword_argument" | "dictionary_splat" | "list_splat"))
            .collect();
        let keyword = |key: &str| {
            args.iter()
                .map(|(a, _)| *a)
                .find(|a| a.kind_name() == "keyword_argument" && a.field("name").is_some_and(|n| self.text(n) == key))
        };
        let shortcut = receiver.is_none_or(|r| self.text(r).ends_with("shortcuts"));
        let (template, keywords_are_context) = match name {
            "render_template_string" => {
                let source = positional.first().copied().or_else(|| keyword("source"));
                let Some(text) = source.and_then(|s| self.template_source(s)) else {
                    return;
                };
                (RenderedTemplate::Inline(raw_outputs(&text, true)), true)
            }
            // `Template("..").render(x=..)`, `t.render(x=..)`.
            "render" if !shortcut => {
                let Some(r) = receiver else { return };
                let template = match r.kind_name() {
                    "call" => self
                        .loaded_template(r)
                        .or_else(|| self.inline_template(r).map(RenderedTemplate::Inline)),
                    "identifier" => {
                        let name = self.text(r);
                        let inline = self.templates.inline.get(name).cloned();
                        inline
                            .map(RenderedTemplate::Inline)
                            .or_else(|| self.templates.loaded.get(name).cloned())
                    }
                    _ => None,
                };
                let Some(template) = template else { return };
                (template, true)
            }
            _ => {
                // The template name: the first string argument, or a keyword.
                let named = positional
                    .iter()
                    .copied()
                    .find(|a| a.kind_name() == "string")
                    .or_else(|| keyword("template_name"))
                    .or_else(|| keyword("name"))
                    .map(|a| a.field("value").unwrap_or(a));
                let Some((arg, template)) = named.and_then(|a| self.string_text(a).map(|t| (a, t))) else {
                    return;
                };
                if template.is_empty() || template.contains(['{', '<', '\n']) {
                    return;
                }
                let file = RenderedTemplate::File {
                    name: template,
                    span: self.cx.span(arg),
                };
                (file, name == "render_template")
            }
        };
        let inputs = entries
            .into_iter()
            .filter(|e| e.value.tainted && (keywords_are_context || !e.keyword))
            .map(|e| TemplateInput {
                input: e
                    .value
                    .uses
                    .first()
                    .and_then(|&i| self.env.out.uses.get(i))
                    .map(|u| u.text.clone())
                    .or(e.source),
                name: e.name,
                span: e.span,
            })
            .collect::<Vec<_>>();
        if inputs.is_empty() {
            return;
        }
        self.env.out.renders.push(RenderSite {
            callee,
            template,
            inputs,
        });
    }

    /// `env.get_template("page.html")`, `loader.get_template(..)`: a template file by name.
    fn loaded_template(&self, call: Node<'t>) -> Option<RenderedTemplate> {
        let func = call.field("function")?;
        if last_segment(self.text(func)) != "get_template" {
            return None;
        }
        let name = call.field("arguments")?.named_child(0)?;
        let text = self.string_text(name)?;
        Some(RenderedTemplate::File {
            name: text,
            span: self.cx.span(name),
        })
    }

    /// `Template(src)` (Jinja or Django) or `env.from_string(src)`: what
    /// the template outputs unescaped.
    fn inline_template(&self, call: Node<'t>) -> Option<Vec<RawOutput>> {
        let func = call.field("function")?;
        let callee = self.text(func);
        let args = call.field("arguments")?;
        let source = args.named_child(0)?;
        let escaping = match last_segment(callee) {
            "Template" => {
                let jinja = callee == "jinja2.Template" || (callee == "Template" && self.imports_jinja_template());
                // Jinja's `Template` does not escape unless asked to; Django's does.
                !jinja || self.keyword_text(args, "autoescape").is_some_and(|v| v != "False")
            }
            "from_string" => {
                let env = func.field("object")?;
                match env.kind_name() {
                    "call" => self.environment_escapes(env),
                    "identifier" => self
                        .module_assignment(self.text(env))
                        .is_none_or(|v| v.kind_name() != "call" || self.environment_escapes(v)),
                    _ => true,
                }
            }
            _ => return None,
        };
        let text = self.template_source(source)?;
        // Unescaped text that is not HTML (an e-mail, a prompt) is no XSS.
        Some(raw_outputs(&text, escaping || !looks_like_html(&text)))
    }

    /// The file imports `Template` from Jinja.
    fn imports_jinja_template(&self) -> bool {
        self.cx
            .facts
            .imports
            .iter()
            .any(|i| i.module == "jinja2" && i.names.iter().any(|n| n.name == "Template" && n.alias.is_none()))
    }

    /// `Environment(..)`: Jinja escapes only when `autoescape` is given and not `False`.
    fn environment_escapes(&self, call: Node<'t>) -> bool {
        let callee = call.field("function").map_or("", |f| self.text(f));
        if last_segment(callee) != "Environment" {
            return true;
        }
        call.field("arguments")
            .and_then(|args| self.keyword_text(args, "autoescape"))
            .is_some_and(|v| v != "False")
    }

    /// The text of a keyword argument's value (`False` in `autoescape=False`).
    fn keyword_text(&self, args: Node<'t>, key: &str) -> Option<&str> {
        let mut cursor = args.walk();
        let found = args
            .named_children(&mut cursor)
            .filter(|a| a.kind_name() == "keyword_argument")
            .find(|a| a.field("name").is_some_and(|n| self.text(n) == key))
            .and_then(|a| a.field("value"));
        found.map(|v| self.text(v))
    }

    /// Template source: a string literal, a local string, or a module-level constant.
    fn template_source(&self, node: Node<'t>) -> Option<String> {
        match node.kind_name() {
            "string" | "concatenated_string" => self.string_text(node),
            "identifier" => {
                let name = self.text(node);
                self.templates.sources.get(name).cloned().or_else(|| {
                    self.module_assignment(name)
                        .filter(|v| matches!(v.kind_name(), "string" | "concatenated_string"))
                        .and_then(|v| self.string_text(v))
                })
            }
            _ => None,
        }
    }

    /// The text of a plain name.
    fn name_text(&self, node: Node<'t>) -> Option<String> {
        (node.kind_name() == "identifier").then(|| self.text(node).to_string())
    }

    /// The value of `name = value` at the top level of the module.
    fn module_assignment(&self, name: &str) -> Option<Node<'t>> {
        let root = self.cx.root;
        let mut cursor = root.walk();
        let statements: Vec<Node<'t>> = root.named_children(&mut cursor).collect();
        statements
            .into_iter()
            .rev()
            .filter(|s| s.kind_name() == "expression_statement")
            .filter_map(|s| s.named_child(0))
            .filter(|a| a.kind_name() == "assignment")
            .filter(|a| a.field("left").is_some_and(|l| self.text(l) == name))
            .filter_map(|a| a.field("right"))
            .next()
    }

    /// The constant text of a string literal (no interpolation), or of
    /// adjacent literals.
    fn string_text(&self, node: Node<'t>) -> Option<String> {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        match node.kind_name() {
            "string" => {
                let mut text = String::new();
                for c in children {
                    match c.kind_name() {
                        "string_content" | "escape_sequence" => text.push_str(self.text(c)),
                        "interpolation" => return None,
                        _ => {}
                    }
                }
                Some(text)
            }
            "concatenated_string" => children
                .into_iter()
                .map(|c| self.string_text(c))
                .collect::<Option<Vec<_>>>()
                .map(|parts| parts.concat()),
            _ => None,
        }
    }
}
