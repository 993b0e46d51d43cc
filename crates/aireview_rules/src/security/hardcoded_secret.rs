//! `hardcoded-secret`: credentials written into the source: provider keys
//! in their known formats (AWS, GitHub, GitLab, Slack, Stripe, Google,
//! OpenAI, Anthropic), JWTs, PEM private keys, connection strings with an
//! inline password, and high-entropy literals assigned to secret-like names.
//!
//! Messages show only a masked prefix; the catalogue entry sets
//! `redact-source`, so the human format masks the literal in snippets too.

use super::{literal_content, name_parts};
use crate::patterns::is_docstring;
use aireview_core::facts::FileRole;
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule, Prepared};
use aireview_core::tree_sitter::Node;
use aireview_core::{Language, Severity, Span};
use regex::Regex;
use std::sync::{Arc, OnceLock};

pub struct HardcodedSecret;

/// A provider format: (what it is, regex, number of leading characters that
/// name the format and may be shown).
const PROVIDERS: &[(&str, &str, usize)] = &[
    ("AWS access key ID", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", 4),
    ("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b", 4),
    ("GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b", 11),
    ("GitLab token", r"\bglpat-[A-Za-z0-9_\-]{20,}", 6),
    ("Slack token", r"\bxox[baprs]-[A-Za-z0-9\-]{10,}", 5),
    ("Stripe live key", r"\b[sr]k_live_[A-Za-z0-9]{16,}\b", 8),
    ("Google API key", r"\bAIza[0-9A-Za-z_\-]{35}\b", 4),
    ("Anthropic API key", r"\bsk-ant-[A-Za-z0-9_\-]{20,}", 7),
    (
        "OpenAI API key",
        r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}",
        3,
    ),
    (
        "JSON Web Token",
        r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}",
        3,
    ),
];

const PEM: &str = r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----(?:\\n|\\r|[\r\n]|\s)+[A-Za-z0-9+/=:,\-\s\\]{40,}";

const CONNECTION: &str = r"(?i)\b([a-z][a-z0-9+.\-]{1,20})://([^:/@\s{}<>$%]*):([^@\s/{}<>]+)@([A-Za-z0-9_.\-\[\]]+)";

/// Every pattern above contains one of these literals, so a string holding
/// none of them matches none of the patterns. One literal search (memchr,
/// Teddy) answers that for nearly every string; the patterns themselves run
/// only on the rest.
const REQUIRED_LITERALS: &[&str] = &[
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxa-",
    "xoxp-",
    "xoxr-",
    "xoxs-",
    "k_live_",
    "AIza",
    "sk-",
    "eyJ",
    "-----BEGIN ",
    "://",
];

pub struct Compiled {
    /// Any of `REQUIRED_LITERALS`.
    any: Regex,
    providers: Vec<(&'static str, Regex, usize)>,
    pem: Regex,
    connection: Regex,
}

/// The patterns, compiled when the first long enough literal is checked:
/// a warm run that parses no file does not pay for them. They have no
/// options, so there is nothing to report at configuration time.
pub struct Secrets(OnceLock<Option<Compiled>>);

fn compile() -> Result<Compiled, String> {
    let compile = |p: &str| Regex::new(p).map_err(|e| format!("built-in pattern `{p}`: {e}"));
    let mut providers = Vec::new();
    for (what, p, shown) in PROVIDERS {
        providers.push((*what, compile(p)?, *shown));
    }
    let literals: Vec<String> = REQUIRED_LITERALS.iter().map(|l| regex::escape(l)).collect();
    let any = compile(&literals.join("|"))?;
    Ok(Compiled {
        any,
        providers,
        pem: compile(PEM)?,
        connection: compile(CONNECTION)?,
    })
}

impl FileRule for HardcodedSecret {
    fn id(&self) -> &'static str {
        "hardcoded-secret"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        match language {
            Language::Python => &["string"],
            Language::Rust => &["string_literal", "raw_string_literal"],
            _ => &["string", "template_string"],
        }
    }

    fn prepare(&self, _options: &toml::Table) -> Result<Prepared, String> {
        Ok(Arc::new(Secrets(OnceLock::new())))
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        // Tests, examples and docs hold fake credentials by design: info at most.
        let demoted = match cx.role() {
            FileRole::Source => cx.in_test_code(),
            FileRole::Test | FileRole::Example => true,
            FileRole::Stub | FileRole::Generated => return,
        };
        if cx.language == Language::Python && is_docstring(cx.ancestors) {
            return;
        }
        // The content is never longer than the literal: most strings are
        // too short to hold a secret, so skip them before reading them.
        if node.byte_range().len() < 8 {
            return;
        }
        let Some((value, range)) = literal_content(node, cx.source) else {
            return;
        };
        if value.len() < 8 || value.len() > 10_000 {
            return;
        }
        let secrets = cx.prepared::<Secrets>();
        let Some(compiled) = secrets.and_then(|s| s.0.get_or_init(|| compile().ok()).as_ref()) else {
            return;
        };
        let name = assigned_name(node, cx);
        let Some(found) = find_secret(compiled, &value, name.as_deref()) else {
            return;
        };
        // The reported span is the literal's content: the human format masks it.
        let span = Span::of_range(cx.source, range.start, range.end);
        let target = name.map(|n| format!(" in `{n}`")).unwrap_or_default();
        let message = format!("hardcoded {}{target}: `{}`", found.what, found.masked);
        let help = if found.what == "password in a connection string" {
            "read the password (or the whole URL) from the environment or a secret store; if it was ever pushed, rotate it"
        } else {
            "read it from the environment or a secret store; if it was ever pushed, revoke and rotate it"
        };
        let d = cx.report(span, message);
        d.with_help(help);
        let cap = if demoted {
            Severity::Info
        } else if found.provider {
            Severity::Error
        } else {
            Severity::Warning
        };
        d.severity = d.severity.min(cap);
    }
}

struct Found {
    what: &'static str,
    masked: String,
    provider: bool,
}

fn mask(shown: &str) -> String {
    format!("{shown}****")
}

fn find_secret(compiled: &Compiled, value: &str, name: Option<&str>) -> Option<Found> {
    if compiled.any.is_match(value) {
        if let Some(found) = find_by_format(compiled, value) {
            return Some(found);
        }
    }
    let name = name?;
    let parts = name_parts(name);
    // The 40-character AWS secret access key only has a shape, so it needs the name.
    if parts.iter().any(|p| p == "secret")
        && parts.iter().any(|p| p == "aws" || p == "access")
        && value.len() == 40
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
        && looks_random(value)
    {
        return Some(Found {
            what: "AWS secret access key",
            masked: mask(""),
            provider: true,
        });
    }
    if secret_name(&parts) && generic_secret_value(value) {
        return Some(Found {
            what: "secret",
            masked: mask(&value.chars().take(2).collect::<String>()),
            provider: false,
        });
    }
    None
}

/// A provider key, private key or connection-string password by its format.
fn find_by_format(compiled: &Compiled, value: &str) -> Option<Found> {
    for (what, re, shown) in &compiled.providers {
        for m in re.find_iter(value) {
            let s = m.as_str();
            if is_placeholder(s) || (*what == "OpenAI API key" && !looks_random(&s[3..])) {
                continue;
            }
            // `sk-proj-...`: the whole format prefix is not secret.
            let shown = ["sk-proj-", "sk-svcacct-", "sk-admin-"]
                .iter()
                .find(|p| s.starts_with(**p))
                .map_or(*shown, |p| p.len());
            return Some(Found {
                what,
                masked: mask(&s[..shown]),
                provider: true,
            });
        }
    }
    if let Some(c) = compiled.pem.captures(value) {
        if !is_placeholder(&c[0]) {
            return Some(Found {
                what: "private key",
                masked: format!("-----BEGIN {}-----****", &c[1]),
                provider: true,
            });
        }
    }
    if let Some(c) = compiled.connection.captures(value) {
        let (user, password, host) = (&c[2], &c[3], &c[4]);
        if !trivial_password(user, password, host) {
            let pw = c.get(3).map_or(0, |m| m.start());
            return Some(Found {
                what: "password in a connection string",
                masked: mask(&value[..pw]),
                provider: false,
            });
        }
    }
    None
}

/// Passwords in URLs that are documentation or local defaults, not secrets.
fn trivial_password(user: &str, password: &str, host: &str) -> bool {
    let p = password.to_ascii_lowercase();
    let h = host.to_ascii_lowercase();
    password.len() < 4
        || p == user.to_ascii_lowercase()
        || is_placeholder(password)
        || password.starts_with('$')
        || password.starts_with('%')
        || matches!(
            p.as_str(),
            "pass" | "passwd" | "pwd" | "secret" | "guest" | "postgres" | "root" | "admin" | "mysql" | "redis"
        )
        || p.starts_with("pass")
        || h.contains("example")
        || h == "host"
        || h == "hostname"
}

/// Values that are evidently not real: placeholders, masks, templates.
fn is_placeholder(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "xxx",
        "example",
        "dummy",
        "placeholder",
        "your",
        "fake",
        "sample",
        "redacted",
        "***",
        "test",
        "todo",
        "fixme",
        "insert",
        "replace",
        "...",
        "${",
        "{{",
        "%(",
        "0000000",
        "1234567",
        "abcdef",
    ];
    MARKERS.iter().any(|m| v.contains(m)) || (v.starts_with('<') && v.ends_with('>'))
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut n = 0usize;
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n as f64;
            -p * p.log2()
        })
        .sum()
}

/// Mixed character classes and enough entropy for its length.
fn looks_random(value: &str) -> bool {
    let n = value.chars().count();
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    let count = classes.iter().filter(|&&c| c).count();
    let has_digit = classes[2];
    let threshold = (3.0f64).min((n as f64).log2() * 0.85);
    n >= 8 && count >= 2 && (has_digit || count >= 3) && entropy(value) >= threshold
}

/// Words that make a name secret-like.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "apitoken",
    "accesstoken",
    "authtoken",
    "privatekey",
    "secretkey",
    "clientsecret",
];

/// Word pairs that make a name secret-like.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("private", "key"),
    ("secret", "key"),
    ("signing", "key"),
    ("encryption", "key"),
    ("master", "key"),
];

/// Words that make a secret-like name describe the secret instead of
/// holding it: `PASSWORD_FIELD`, `TOKEN_HEADER`, `api_key_name`, `token_url`.
const DESCRIPTOR_WORDS: &[&str] = &[
    "field",
    "fields",
    "header",
    "headers",
    "name",
    "names",
    "type",
    "types",
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "filename",
    "dir",
    "env",
    "var",
    "param",
    "params",
    "prefix",
    "suffix",
    "label",
    "placeholder",
    "pattern",
    "regex",
    "re",
    "length",
    "len",
    "size",
    "count",
    "hint",
    "message",
    "msg",
    "error",
    "attr",
    "column",
    "kind",
    "format",
    "template",
    "expiry",
    "expires",
    "ttl",
    "timeout",
    "cookie",
    "description",
    "help",
    "text",
    "prompt",
    "title",
    "policy",
    "id",
    "ids",
    "validator",
    "alphabet",
    "chars",
    "charset",
    "characters",
    "separator",
    "delimiter",
    "class",
    "style",
    "icon",
    "route",
    "location",
    "storage",
    "cache",
    "table",
    "scope",
    "scopes",
    "audience",
    "issuer",
    "algorithm",
    "alg",
    "method",
    "grant",
    "mode",
    "version",
    "input",
    "selector",
    "query",
    "key_name",
    "keyname",
    "hash",
    "hashed",
    "digest",
    "reset",
    "min",
    "max",
    "regexp",
    "doc",
    "docs",
    "link",
    "view",
    "form",
    "widget",
    "tokens",
    "tokenizer",
    "kwarg",
    "arg",
    "args",
    "option",
    "flag",
    "setting",
    "config",
    "source",
    "provider",
    "backend",
    "backends",
    "class",
    "module",
    "command",
    "cmd",
    "event",
    "status",
    "state",
    "index",
    "idx",
    "location",
    "display",
    "public",
    "uuid",
    "color",
    "colour",
    "font",
    "radius",
    "spacing",
    "shadow",
    "border",
    "margin",
    "padding",
    "theme",
    "opacity",
    "breakpoint",
    "duration",
    "easing",
    "motion",
];

fn secret_name(parts: &[String]) -> bool {
    if parts.iter().any(|p| DESCRIPTOR_WORDS.contains(&p.as_str())) {
        return false;
    }
    let joined: String = parts.concat();
    SECRET_WORDS.iter().any(|w| parts.iter().any(|p| p == w))
        || SECRET_WORDS
            .iter()
            .any(|w| w.len() > 6 && joined.ends_with(w) && parts.len() == 1)
        || parts
            .windows(2)
            .any(|w| SECRET_PAIRS.iter().any(|(a, b)| w[0] == *a && w[1] == *b))
}

/// A literal that looks like a real credential, not a name, path, template or placeholder.
fn generic_secret_value(value: &str) -> bool {
    if value.len() > 256 || value.chars().any(char::is_whitespace) || is_placeholder(value) {
        return false;
    }
    // Escapes dropped: "pass\\0word" still names a password.
    let mut lower = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else {
            lower.push(c.to_ascii_lowercase());
        }
    }
    // The value names a secret rather than being one: "X-Auth-Token", "password".
    let words = [
        "password", "passwd", "token", "secret", "key", "auth", "bearer", "basic",
    ];
    if words.iter().any(|w| lower.contains(w)) {
        return false;
    }
    // Environment variable names, module paths, URLs, file paths, format strings.
    let env_name = value
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let dotted = value.split('.').count() > 2
        && value
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let templated = value.contains("://")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with('$')
        || (value.contains('{') && value.contains('}'))
        || ["%s", "%d", "%r", "%("].iter().any(|f| value.contains(f));
    let regex_like = ["\\d", "\\w", "\\s", "[^", "(?", ".*", "[a-z", "[A-Z", "[0-9"]
        .iter()
        .any(|f| value.contains(f));
    // CSS values (design tokens), timestamps, public integrity hashes.
    let css_function = value.ends_with(')')
        && value
            .find('(')
            .is_some_and(|i| i > 0 && value[..i].chars().all(|c| c.is_ascii_alphabetic() || c == '-'));
    let css_color = value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit());
    let number = value.trim_start_matches('-');
    let css_length = number.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && number
            .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    let timestamp = value.len() >= 10
        && value.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let integrity = ["sha256-", "sha384-", "sha512-"].iter().any(|p| value.starts_with(p));
    if env_name
        || dotted
        || templated
        || regex_like
        || css_function
        || css_color
        || css_length
        || timestamp
        || integrity
    {
        return false;
    }
    looks_random(value)
}

/// The name a string literal is assigned, bound or passed to: a variable,
/// attribute, keyword argument, dict key, object property, struct field.
fn assigned_name(node: Node<'_>, cx: &FileContext<'_, '_>) -> Option<String> {
    let mut child = node;
    let mut ancestors = cx.ancestors.iter().rev();
    let mut parent = *ancestors.next()?;
    // Look through wrappers that keep the value: `"..".to_string()`,
    // `String::from("..")`, `("..")`, `".." as string`.
    for _ in 0..4 {
        let wraps = match parent.kind_name() {
            "parenthesized_expression" | "as_expression" | "satisfies_expression" | "reference_expression" => true,
            "field_expression" => parent.field("value").is_some_and(|v| v.id() == child.id()),
            "arguments" => true,
            "call_expression" => parent.field("function").is_some_and(|f| {
                let t = cx.text(f);
                let last = t.rsplit([':', '.']).next().unwrap_or(t);
                matches!(last, "to_string" | "to_owned" | "into" | "from" | "new" | "Some")
            }),
            _ => false,
        };
        if !wraps {
            break;
        }
        child = parent;
        parent = *ancestors.next()?;
    }
    if child.id() != node.id() && child.kind_name() == "arguments" {
        return None; // a call that was not a known wrapper
    }
    let field = |n: &str| parent.child_by_field_name(n);
    let is_value = |n: Option<Node<'_>>| n.is_some_and(|v| v.id() == child.id());
    let name_node = match parent.kind_name() {
        // Python
        "assignment" if is_value(field("right")) => field("left")?,
        "keyword_argument" | "default_parameter" | "typed_default_parameter" if is_value(field("value")) => {
            field("name")?
        }
        "pair" if is_value(field("value")) => field("key")?,
        // JavaScript / TypeScript
        "variable_declarator" if is_value(field("value")) => field("name")?,
        "assignment_expression" if is_value(field("right")) => field("left")?,
        "public_field_definition" if is_value(field("value")) => field("name")?,
        // Rust
        "let_declaration" if is_value(field("value")) => field("pattern")?,
        "const_item" | "static_item" if is_value(field("value")) => field("name")?,
        "field_initializer" if is_value(field("value")) => field("field")?,
        _ => return None,
    };
    // The last name of `a.b.c`, `x["key"]`, `self.password`.
    let name_node = match name_node.kind_name() {
        "attribute" => name_node.field("attribute")?,
        "member_expression" => name_node.field("property")?,
        "field_expression" => name_node.field("field")?,
        "subscript" => name_node.field("subscript")?,
        "subscript_expression" => name_node.field("index")?,
        "identifier"
        | "property_identifier"
        | "field_identifier"
        | "string"
        | "private_property_identifier"
        | "shorthand_field_identifier" => name_node,
        _ => return None,
    };
    let text = cx
        .text(name_node)
        .trim_matches(|c| c == '"' || c == '\'' || c == '`' || c == '#');
    if text.is_empty() || text.len() > 80 || text.contains(char::is_whitespace) {
        return None;
    }
    Some(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled() -> Compiled {
        compile().unwrap()
    }

    /// The literal prefilter never hides a match: each pattern's example
    /// holds a required literal, and the literals are what the patterns
    /// spell out.
    #[test]
    fn every_format_needs_a_required_literal() {
        let c = compiled();
        for sample in [
            "AKIAZ7QF3KXW4NJ2LMPA",
            "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
            "glpat-abcdefghij0123456789",
            "xoxb-1234567890-abcdefghij",
            "sk_live_abcdefghijklmnop1234",
            "AIzaSyA1234567890abcdefghijklmnopqrstuv",
            "sk-ant-api03-abcdefghijklmnopqrstu",
            "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijklmnop",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAabcdefghijklmnopqrstuvwxyz0123456789",
            "postgres://admin:s3cr3tPassw0rd@db.internal:5432/app",
        ] {
            let by_pattern = c.providers.iter().any(|(_, re, _)| re.is_match(sample))
                || c.pem.is_match(sample)
                || c.connection.is_match(sample);
            assert!(by_pattern, "{sample}: no pattern matches the sample");
            assert!(c.any.is_match(sample), "{sample}: the prefilter would hide it");
        }
    }

    #[test]
    fn provider_formats_are_found_and_masked() {
        let c = compiled();
        let f = find_secret(&c, "AKIAZ7QF3KXW4NJ2LMPA", None).unwrap();
        assert_eq!((f.what, f.masked.as_str()), ("AWS access key ID", "AKIA****"));
        let f = find_secret(&c, "Bearer ghp_4f9Kq2LmN8xR3tV7wY1zA6bC0dE5gH2jK9sQ", None).unwrap();
        assert_eq!(f.masked, "ghp_****");
        let f = find_secret(&c, "sk-ant-api03-Xk9fL2mQ7rT4vW8yB1nC5dG3hJ6kP0sZ", None).unwrap();
        assert_eq!(f.what, "Anthropic API key");
        assert!(find_secret(&c, "AKIAIOSFODNN7EXAMPLE", None).is_none());
        assert!(find_secret(&c, "sk-fading-circle-container", None).is_none());
    }

    #[test]
    fn connection_strings_need_a_real_password() {
        let c = compiled();
        let f = find_secret(&c, "postgres://app:Zq8vR2kL9x@db.internal:5432/app", None).unwrap();
        assert_eq!(f.masked, "postgres://app:****");
        assert!(find_secret(&c, "postgres://user:password@localhost/db", None).is_none());
        assert!(find_secret(&c, "postgres://postgres:postgres@localhost/db", None).is_none());
        assert!(find_secret(&c, "https://example.com/path", None).is_none());
    }

    #[test]
    fn generic_secrets_need_a_secret_name_and_a_random_value() {
        let c = compiled();
        assert!(find_secret(&c, "hV3$kq9!Lz2pWx", Some("DB_PASSWORD")).is_some());
        assert!(find_secret(&c, "hV3$kq9!Lz2pWx", Some("apiKey")).is_some());
        assert!(find_secret(&c, "hV3$kq9!Lz2pWx", Some("username")).is_none());
        assert!(find_secret(&c, "X-Auth-Token", Some("TOKEN_HEADER")).is_none());
        assert!(find_secret(&c, "password", Some("password_field")).is_none());
        assert!(find_secret(&c, "changeme-please-1", Some("password")).is_none());
        assert!(find_secret(&c, "GITHUB_TOKEN", Some("token_env")).is_none());
        assert!(find_secret(&c, "Basic %s", Some("auth_token")).is_none());
        assert!(find_secret(&c, "aaaaaaaaaaaa1", Some("token")).is_none());
    }
}
