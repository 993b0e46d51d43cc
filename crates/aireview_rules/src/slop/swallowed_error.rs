//! `swallowed-error`: errors caught and dropped without a word: `except:
//! pass`, an empty `catch {}`, a Rust `Result` thrown away with `.ok();` or
//! `let _ =` on a file-system or I/O call. A comment in the handler (an
//! explained decision) keeps it quiet.

use aireview_core::facts::FileRole;
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct SwallowedError;

impl FileRule for SwallowedError {
    fn id(&self) -> &'static str {
        "swallowed-error"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        match language {
            Language::Python => &["except_clause"],
            Language::Rust => &["let_declaration", "expression_statement"],
            _ => &["catch_clause", "call_expression"],
        }
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        if cx.role() != FileRole::Source || cx.in_test_code() {
            return;
        }
        match cx.language {
            Language::Python => python_except(node, cx),
            Language::Rust => rust_discard(node, cx),
            _ => js_catch(node, cx),
        }
    }
}

fn python_except(node: Node<'_>, cx: &mut FileContext<'_, '_>) {
    // The caught type: none (bare), or a name/tuple before the block.
    let mut caught = None;
    let mut block = None;
    let mut has_comment = false;
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind_name() {
            "block" => block = Some(child),
            "comment" => has_comment = true,
            _ if caught.is_none() => caught = Some(child),
            _ => {}
        }
    }
    let Some(block) = block else { return };
    let caught_text = caught.map(|c| {
        let c = if c.kind_name() == "as_pattern" {
            c.named_child(0).unwrap_or(c)
        } else {
            c
        };
        cx.text(c).to_string()
    });
    let broad = match &caught_text {
        None => true,
        Some(t) => t
            .trim_matches(['(', ')'])
            .split(',')
            .map(str::trim)
            .any(|e| matches!(e, "Exception" | "BaseException" | "builtins.Exception")),
    };
    if !broad {
        return;
    }
    let mut statements = Vec::new();
    let mut cursor = block.walk();
    for s in block.named_children(&mut cursor) {
        if s.kind_name() == "comment" {
            has_comment = true;
        } else {
            statements.push(s);
        }
    }
    let silent = match statements.as_slice() {
        [only] => {
            only.kind_name() == "pass_statement"
                || (only.kind_name() == "expression_statement"
                    && only.named_child(0).is_some_and(|e| e.kind_name() == "ellipsis"))
        }
        _ => false,
    };
    if !silent || has_comment || deliberate_python_swallow(cx) {
        return;
    }
    let what = caught_text
        .as_deref()
        .map_or("every exception".to_string(), |t| format!("`{t}`"));
    let head_end = block.start_byte();
    let span = aireview_core::Span::of_range(cx.source, node.start_byte(), head_end.min(node.end_byte()));
    let span = trim_span(cx.source, span);
    cx.report(span, format!("{what} is caught and silently discarded"))
        .with_help(
        "handle or log the error, catch the specific exception you expect, or say in a comment why ignoring it is safe",
    );
}

/// Function names whose job is to fail quietly: best-effort cleanup, or a
/// `*_safe` / `try_*` variant that returns a default instead of raising.
fn best_effort_name(name: &str) -> bool {
    let n = name.trim_start_matches('_');
    n.ends_with("_safe")
        || n.starts_with("try_")
        || n.starts_with("safe_")
        || matches!(
            n,
            "close"
                | "__del__"
                | "del__"
                | "cleanup"
                | "clean_up"
                | "shutdown"
                | "dispose"
                | "teardown"
                | "tear_down"
                | "release"
                | "terminate"
                | "kill"
                | "__exit__"
                | "exit__"
        )
}

/// A broad `except ...: pass` that is evidently deliberate: the `try` has an
/// `else` branch (control flow, not error hiding), or it sits in a
/// best-effort cleanup function.
fn deliberate_python_swallow(cx: &FileContext<'_, '_>) -> bool {
    let Some(try_stmt) = cx.parent() else {
        return false;
    };
    let mut cursor = try_stmt.walk();
    if try_stmt.children(&mut cursor).any(|c| c.kind_name() == "else_clause") {
        return true;
    }
    // A single best-effort release or probe: `f.close()`, `os.remove(tmp)`,
    // an optional import (`import x`, `import_module(...)`, `import_string(...)`).
    if let Some(body) = try_stmt.field("body") {
        let best_effort = [
            ".close()",
            ".unlink(",
            "os.remove(",
            "os.unlink(",
            "rmtree(",
            ".kill()",
            ".terminate()",
            ".cancel()",
            "import",
        ];
        let mut cursor = body.walk();
        let mut statements = body
            .named_children(&mut cursor)
            .filter(|s| s.kind_name() != "comment")
            .peekable();
        if statements.peek().is_some() && statements.all(|s| best_effort.iter().any(|p| cx.text(s).contains(p))) {
            return true;
        }
    }
    // The enclosing function (the clause's ancestors end with the `try`).
    cx.ancestors
        .iter()
        .rev()
        .find(|n| n.kind_name() == "function_definition")
        .and_then(|f| f.field("name"))
        .is_some_and(|n| best_effort_name(cx.text(n)))
}

/// Trims trailing whitespace and a trailing `:` region from a span's end.
fn trim_span(source: &str, span: aireview_core::Span) -> aireview_core::Span {
    let text = &source[span.start as usize..span.end as usize];
    let trimmed = text.trim_end();
    aireview_core::Span::of_range(source, span.start as usize, span.start as usize + trimmed.len())
}

fn js_catch(node: Node<'_>, cx: &mut FileContext<'_, '_>) {
    match node.kind_name() {
        "catch_clause" => {
            let Some(body) = node.field("body") else {
                return;
            };
            if body.named_child_count() != 0 {
                return; // statements or an explaining comment
            }
            // `catch (_) {}` / `catch (_err) {}`: the underscore says "ignored on purpose".
            let param = node.field("parameter").map(|p| cx.text(p));
            if param.is_some_and(|p| p.starts_with('_')) {
                return;
            }
            let end = body.start_byte();
            let span = trim_span(
                cx.source,
                aireview_core::Span::of_range(cx.source, node.start_byte(), end),
            );
            cx.report(span, "empty `catch` block silently discards the error")
                .with_help("handle or log the error, rethrow it, or say in a comment why ignoring it is safe");
        }
        "call_expression" => {
            // `promise.catch(() => {})`
            let Some(func) = node.field("function") else {
                return;
            };
            if func.kind_name() != "member_expression" || func.field("property").map(|p| cx.text(p)) != Some("catch") {
                return;
            }
            let Some(arg) = node.field("arguments").and_then(|a| a.named_child(0)) else {
                return;
            };
            if !matches!(arg.kind_name(), "arrow_function" | "function_expression") {
                return;
            }
            let empty = arg
                .field("body")
                .is_some_and(|b| b.kind_name() == "statement_block" && b.named_child_count() == 0);
            if empty {
                let span = cx.span(arg);
                cx.report(span, "`.catch()` with an empty handler silently discards the rejection")
                    .with_help("handle or log the error, or say in a comment why ignoring it is safe");
            }
        }
        _ => {}
    }
}

/// Calls whose `Result` reports a real failure (file system, I/O, database
/// writes): discarding it loses data silently.
const FALLIBLE_CALLS: &[&str] = &[
    "remove_file",
    "remove_dir",
    "remove_dir_all",
    "create_dir",
    "create_dir_all",
    "rename",
    "copy",
    "write",
    "write_all",
    "flush",
    "sync_all",
    "sync_data",
    "set_permissions",
    "commit",
    "rollback",
    "execute",
    "save",
];

fn rust_discard(node: Node<'_>, cx: &mut FileContext<'_, '_>) {
    match node.kind_name() {
        "let_declaration" => {
            let pattern = node.field("pattern").map(|p| cx.text(p));
            if pattern != Some("_") {
                return;
            }
            let Some(value) = node.field("value") else {
                return;
            };
            let Some(name) = called_name(value, cx) else {
                return;
            };
            if FALLIBLE_CALLS.contains(&name.as_str())
                && !has_comment_near(node)
                && !while_handling_another_error(cx.ancestors, cx)
            {
                let span = cx.span(node);
                cx.report(span, format!("the `Result` of `{name}` is discarded with `let _ =`"))
                    .with_help("propagate it with `?`, handle the error, or say in a comment why ignoring it is safe");
            }
        }
        "expression_statement" => {
            // `fallible().ok();`
            let Some(call) = node.named_child(0).filter(|c| c.kind_name() == "call_expression") else {
                return;
            };
            let Some(func) = call.field("function").filter(|f| f.kind_name() == "field_expression") else {
                return;
            };
            if func.field("field").map(|f| cx.text(f)) != Some("ok") {
                return;
            }
            let args_empty = call.field("arguments").is_some_and(|a| a.named_child_count() == 0);
            let Some(inner) = func.field("value") else {
                return;
            };
            if !args_empty || inner.kind_name() != "call_expression" || has_comment_near(node) {
                return;
            }
            let span = cx.span(node);
            cx.report(
                span,
                "a `Result` is converted with `.ok()` and dropped, discarding the error",
            )
            .with_help("propagate it with `?`, handle the error, or say in a comment why ignoring it is safe");
        }
        _ => {}
    }
}

/// The discard is cleanup while another error is already on its way out
/// (in a `map_err`/`inspect_err`/`or_else` closure), or in `Drop::drop`,
/// which cannot return one: reporting the cleanup's own failure would hide
/// the error that matters, so ignoring it is the idiom.
fn while_handling_another_error(ancestors: &[Node<'_>], cx: &FileContext<'_, '_>) -> bool {
    for (i, node) in ancestors.iter().enumerate().rev() {
        match node.kind_name() {
            "closure_expression" => {
                let call = ancestors
                    .get(i.wrapping_sub(2))
                    .filter(|c| c.kind_name() == "call_expression" && ancestors[i - 1].kind_name() == "arguments");
                let method = call
                    .and_then(|c| c.field("function"))
                    .filter(|f| f.kind_name() == "field_expression")
                    .and_then(|f| f.field("field"))
                    .map(|f| cx.text(f));
                if matches!(method, Some("map_err" | "inspect_err" | "or_else" | "unwrap_or_else")) {
                    return true;
                }
            }
            "function_item" => {
                let in_drop_impl = ancestors.get(i.wrapping_sub(2)).is_some_and(|imp| {
                    imp.kind_name() == "impl_item" && imp.field("trait").is_some_and(|t| cx.text(t) == "Drop")
                });
                let name = node.field("name").map(|n| cx.text(n));
                return in_drop_impl && name == Some("drop");
            }
            _ => {}
        }
    }
    false
}

/// The method or function name of a call (`fs::remove_file(..)` -> `remove_file`).
fn called_name(value: Node<'_>, cx: &FileContext<'_, '_>) -> Option<String> {
    let value = if value.kind_name() == "await_expression" {
        value.named_child(0)?
    } else {
        value
    };
    if value.kind_name() != "call_expression" {
        return None;
    }
    let func = value.field("function")?;
    let name = match func.kind_name() {
        "field_expression" => cx.text(func.field("field")?),
        "scoped_identifier" => cx.text(func.field("name")?),
        "identifier" => cx.text(func),
        _ => return None,
    };
    Some(name.to_string())
}

/// A comment on the same line or the line above explains the discard.
fn has_comment_near(node: Node<'_>) -> bool {
    if node
        .next_sibling()
        .is_some_and(|s| s.kind_name().ends_with("comment") && s.start_position().row == node.end_position().row)
    {
        return true;
    }
    node.prev_sibling()
        .is_some_and(|s| s.kind_name().ends_with("comment") && s.end_position().row + 1 >= node.start_position().row)
}
