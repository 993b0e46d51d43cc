//! `unvalidated-request-input`: a request handler that reads raw request
//! input (indexes a JSON body, reads query, form or header values) and
//! uses it with no conversion, check or validation.

use super::reviewed;
use super::taint::{analyze, function_kinds, Framework};
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct UnvalidatedRequestInput;

impl FileRule for UnvalidatedRequestInput {
    fn id(&self) -> &'static str {
        "unvalidated-request-input"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        if !reviewed(cx) {
            return;
        }
        let Some(analysis) = analyze(node, cx, true) else {
            return;
        };
        let Some(handler) = &analysis.handler else { return };
        let uses = analysis.unvalidated_uses();
        if uses.is_empty() {
            return;
        }
        let mut distinct: Vec<&str> = Vec::new();
        for u in &uses {
            if !distinct.contains(&u.text.as_str()) {
                distinct.push(&u.text);
            }
        }
        let mut names: Vec<String> = distinct.iter().take(3).map(|t| format!("`{t}`")).collect();
        if distinct.len() > 3 {
            names.push(format!("and {} more", distinct.len() - 3));
        }
        let path = cx.path().to_string();
        let d = cx.report(
            handler.signature,
            format!(
                "{} handler `{}` uses request input without validation: {}",
                handler.framework.name(),
                handler.name,
                names.join(", ")
            ),
        );
        d.with_help(help(handler.framework));
        for u in uses {
            d.with_related(path.clone(), u.span, format!("raw request input `{}`", u.text));
        }
    }
}

fn help(framework: Framework) -> &'static str {
    match framework {
        Framework::Flask => "validate the body with a schema (pydantic `Model.model_validate`, marshmallow, a WTForms form) or convert each value (`int(...)`, `request.args.get(\"n\", type=int)`) and check its range",
        Framework::FastApi => "declare the input as typed parameters or a pydantic model instead of reading the raw request",
        Framework::Django => "bind the input to a form or a DRF serializer and use `cleaned_data` / `validated_data` after `is_valid()`",
        Framework::Express | Framework::Koa | Framework::NextJs => "parse the input with a schema (`zod`'s `schema.parse(req.body)`, joi, express-validator) before using it",
        Framework::Fastify => "declare a `schema` for the route's body, querystring and params",
        Framework::Axum | Framework::ActixWeb => "extract a typed `Deserialize` struct (`Json<CreateOrder>`, `Query<Params>`) instead of `Value`, a map or a raw `String`",
    }
}
