//! Package-name grammars and the keys under which answers are deduplicated
//! and cached.
//!
//! A name is validated before it reaches a client so that nothing that looks
//! like an option, a path, a URL or a tarball is ever passed on a command line.

use super::Ecosystem;

/// Why a name is not looked up, or `Ok` when it is a valid name of its
/// ecosystem.
pub(crate) fn validate(ecosystem: Ecosystem, name: &str) -> Result<(), &'static str> {
    let valid = match ecosystem {
        Ecosystem::Npm => valid_npm_name(name),
        Ecosystem::PyPI => valid_pypi_name(name),
        Ecosystem::Crates => valid_crate_name(name),
    };
    if valid {
        Ok(())
    } else {
        Err(match ecosystem {
            Ecosystem::Npm => "not a valid npm package name",
            Ecosystem::PyPI => "not a valid Python distribution name (PEP 508)",
            Ecosystem::Crates => "not a valid crate name",
        })
    }
}

/// The identity of a package in its registry: npm names are case-sensitive
/// (legacy names keep capitals), PyPI names are normalised per PEP 503, and
/// crates.io treats case and `-`/`_` as equivalent.
pub(crate) fn registry_key(ecosystem: Ecosystem, name: &str) -> String {
    let normalised = match ecosystem {
        Ecosystem::Npm => name.to_string(),
        Ecosystem::PyPI => {
            let mut out = String::with_capacity(name.len());
            let mut in_separator_run = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !in_separator_run {
                        out.push('-');
                    }
                    in_separator_run = true;
                } else {
                    out.push(c.to_ascii_lowercase());
                    in_separator_run = false;
                }
            }
            out
        }
        Ecosystem::Crates => name.to_ascii_lowercase().replace('-', "_"),
    };
    format!("{}:{normalised}", ecosystem.as_str())
}

/// npm's rules (validate-npm-package-name): at most 214 characters, an
/// optional `@scope/`, URL-safe characters, no leading `.` or `_`. Stricter
/// than npm in refusing a leading `-` or `~` and tarball-like endings, which
/// the npm client would read as a file specifier.
fn valid_npm_name(name: &str) -> bool {
    if name.is_empty() || name.len() > 214 {
        return false;
    }
    let (scope, package) = match name.strip_prefix('@') {
        Some(rest) => match rest.split_once('/') {
            Some((scope, package)) => (Some(scope), package),
            None => return false,
        },
        None => (None, name),
    };
    let part_ok = |part: &str| {
        !part.is_empty()
            && !part.starts_with(['.', '_', '-', '~'])
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
    };
    let lower = name.to_ascii_lowercase();
    let tarball_like = [".tgz", ".tar", ".tar.gz"].iter().any(|ext| lower.ends_with(ext));
    scope.is_none_or(part_ok) && part_ok(package) && !tarball_like && !matches!(name, "node_modules" | "favicon.ico")
}

/// PEP 508: ASCII letters and digits, with `.`, `_`, `-` inside.
fn valid_pypi_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        }
        _ => false,
    }
}

/// crates.io: an ASCII letter, then letters, digits, `-` or `_`; at most 64.
fn valid_crate_name(name: &str) -> bool {
    name.len() <= 64
        && name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_names() {
        for ok in ["left-pad", "@types/node", "lodash.merge", "JSONStream", "@scope/a_b~c"] {
            assert!(valid_npm_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-rf",
            "--registry=x",
            ".bin",
            "_private",
            "~home",
            "foo/bar",
            "@scope",
            "@/x",
            "@s/",
            "a b",
            "git+ssh:x",
            "pkg.tgz",
            "pkg.tar.gz",
            "node_modules",
            "a@1.0.0",
            "../x",
        ] {
            assert!(!valid_npm_name(bad), "{bad:?}");
        }
        assert!(!valid_npm_name(&"a".repeat(215)));
    }

    #[test]
    fn pypi_names() {
        for ok in ["requests", "PyYAML", "zope.interface", "python-dateutil", "a", "x_1"] {
            assert!(valid_pypi_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-e",
            "--index-url",
            "a-",
            ".a",
            "a b",
            "requests[socks]",
            "a==1",
            "./pkg",
        ] {
            assert!(!valid_pypi_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn crate_names() {
        for ok in ["serde", "serde_json", "tree-sitter", "Inflector"] {
            assert!(valid_crate_name(ok), "{ok}");
        }
        for bad in ["", "-q", "1abc", "_x", "a.b", "a/b", "a b"] {
            assert!(!valid_crate_name(bad), "{bad:?}");
        }
        assert!(!valid_crate_name(&"a".repeat(65)));
    }

    #[test]
    fn keys_follow_registry_identity() {
        assert_eq!(registry_key(Ecosystem::PyPI, "Zope__Interface"), "pypi:zope-interface");
        assert_eq!(
            registry_key(Ecosystem::PyPI, "python.dateutil"),
            registry_key(Ecosystem::PyPI, "python-dateutil")
        );
        assert_eq!(registry_key(Ecosystem::Crates, "Serde-JSON"), "crates:serde_json");
        assert_ne!(
            registry_key(Ecosystem::Npm, "JSONStream"),
            registry_key(Ecosystem::Npm, "jsonstream")
        );
        assert_ne!(registry_key(Ecosystem::Npm, "x"), registry_key(Ecosystem::Crates, "x"));
    }
}
