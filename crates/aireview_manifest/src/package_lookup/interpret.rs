//! Which client to ask for each ecosystem, and what its answer means.
//!
//! Precision first: `Missing` needs positive evidence that the registry said
//! "not found" (npm's `E404`, a 404 from every pip index, cargo's "could not
//! find" after it updated the index). Everything else is `Unknown`.

use super::client::ClientOutput;
use super::{rfc3339, Ecosystem, PackageStatus};

/// The program to run and, in order, the programs to try when it is absent.
pub(crate) fn programs(ecosystem: Ecosystem) -> &'static [&'static str] {
    match ecosystem {
        Ecosystem::Npm if cfg!(windows) => &["npm.cmd"],
        Ecosystem::Npm => &["npm"],
        Ecosystem::PyPI => &["pip", "pip3"],
        Ecosystem::Crates => &["cargo"],
    }
}

/// The client's arguments for one name (already validated: it cannot be
/// read as an option, a path or a URL).
pub(crate) fn arguments(ecosystem: Ecosystem, name: &str) -> Vec<&str> {
    match ecosystem {
        Ecosystem::Npm => vec!["view", name, "--json"],
        // `-vv` makes pip log why each index page failed, which tells a 404
        // from an unreachable index. `--pre` and `--ignore-requires-python`
        // keep a package with only pre-releases, or none for this Python,
        // from looking absent.
        Ecosystem::PyPI => vec![
            "index",
            "versions",
            "-vv",
            "--disable-pip-version-check",
            "--no-input",
            "--pre",
            "--ignore-requires-python",
            name,
        ],
        Ecosystem::Crates => vec!["info", name],
    }
}

/// What a finished client run says about `name`.
pub(crate) fn interpret(ecosystem: Ecosystem, name: &str, output: &ClientOutput) -> PackageStatus {
    match ecosystem {
        Ecosystem::Npm => interpret_npm(output),
        Ecosystem::PyPI => interpret_pip(output),
        Ecosystem::Crates => interpret_cargo(name, output),
    }
}

fn interpret_npm(output: &ClientOutput) -> PackageStatus {
    let parsed = serde_json::from_str::<serde_json::Value>(output.stdout.trim());
    if output.code == Some(0) {
        let document = match parsed {
            Ok(serde_json::Value::Object(map)) => serde_json::Value::Object(map),
            // Several matching versions come as an array of documents.
            Ok(serde_json::Value::Array(items)) if items.first().is_some_and(|v| v.is_object()) => items[0].clone(),
            Ok(_) => return PackageStatus::Unknown("npm printed JSON that is not a package document".into()),
            Err(_) if output.stdout.trim().is_empty() => return PackageStatus::Unknown("npm printed nothing".into()),
            Err(e) => return PackageStatus::Unknown(format!("npm printed malformed JSON: {e}")),
        };
        return PackageStatus::Exists {
            created: npm_first_publication(&document),
        };
    }
    let error = parsed.ok().and_then(|v| v.get("error").cloned());
    let json_code = error.as_ref().and_then(|e| e.get("code")).and_then(|c| c.as_str());
    // npm 6 and older print the error only on stderr: `npm ERR! code E404`.
    let stderr_404 = output.stderr.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words.windows(2).any(|w| w == ["code", "E404"])
    });
    if json_code == Some("E404") || (json_code.is_none() && stderr_404) {
        return PackageStatus::Missing;
    }
    let summary = error
        .as_ref()
        .and_then(|e| e.get("summary"))
        .and_then(|s| s.as_str())
        .map(str::to_string)
        .map(|summary| truncate(&summary))
        .or_else(|| json_code.map(str::to_string))
        .unwrap_or_else(|| first_meaningful_line(&output.stderr));
    PackageStatus::Unknown(format!("npm failed ({}): {summary}", exit_description(output.code)))
}

/// `time.created`, or else the earliest version's publication time (some
/// mirrors omit `created`).
fn npm_first_publication(document: &serde_json::Value) -> Option<String> {
    let time = document.get("time")?.as_object()?;
    if let Some(created) = time.get("created").and_then(|c| c.as_str()) {
        if rfc3339::parse_unix_seconds(created).is_some() {
            return Some(created.to_string());
        }
    }
    time.iter()
        .filter(|(key, _)| !matches!(key.as_str(), "created" | "modified" | "unpublished"))
        .filter_map(|(_, value)| {
            let text = value.as_str()?;
            Some((rfc3339::parse_unix_seconds(text)?, text))
        })
        .min()
        .map(|(_, text)| text.to_string())
}

fn interpret_pip(output: &ClientOutput) -> PackageStatus {
    if output.code == Some(0) {
        return if output
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with("Available versions:"))
        {
            PackageStatus::Exists { created: None }
        } else {
            PackageStatus::Unknown("pip printed no version list".into())
        };
    }
    let both = format!("{}\n{}", output.stdout, output.stderr);
    if !both.contains("No matching distribution found") {
        return PackageStatus::Unknown(format!(
            "pip failed ({}): {}",
            exit_description(output.code),
            first_meaningful_line(&output.stderr)
        ));
    }
    // pip says "No matching distribution" both when the index answered 404
    // and when it could not be reached; only the `-vv` log tells them apart.
    let fetch_failures: Vec<&str> = both
        .lines()
        .filter_map(|line| line.split_once("Could not fetch URL ").map(|(_, rest)| rest))
        .collect();
    let all_not_found = !fetch_failures.is_empty()
        && fetch_failures.iter().all(|rest| {
            rest.split_once(": ")
                .is_some_and(|(_, reason)| reason.starts_with("404 "))
        });
    if all_not_found {
        PackageStatus::Missing
    } else if let Some(rest) = fetch_failures
        .iter()
        .find(|rest| rest.split_once(": ").is_none_or(|(_, r)| !r.starts_with("404 ")))
    {
        PackageStatus::Unknown(format!("pip could not fetch {}", truncate(rest)))
    } else {
        PackageStatus::Unknown("pip found no usable release, but no index answered 404".into())
    }
}

fn interpret_cargo(name: &str, output: &ClientOutput) -> PackageStatus {
    if output.code == Some(0) {
        return if output.stdout.trim().is_empty() {
            PackageStatus::Unknown("cargo info printed nothing".into())
        } else {
            PackageStatus::Exists { created: None }
        };
    }
    if output.stderr.contains("no such command") {
        return PackageStatus::Unknown("this cargo has no `info` command (it needs cargo 1.82 or newer)".into());
    }
    if output.stderr.contains(&format!("could not find `{name}` in registry")) {
        // Offline, cargo reports the same for a crate missing from its local
        // copy of the index; only an index update makes the answer mean "absent".
        let updated = output.stderr.lines().any(|l| l.trim_start().starts_with("Updating "));
        return if updated {
            PackageStatus::Missing
        } else {
            PackageStatus::Unknown("cargo did not update the registry index (offline?)".into())
        };
    }
    PackageStatus::Unknown(format!(
        "cargo info failed ({}): {}",
        exit_description(output.code),
        first_meaningful_line(&output.stderr)
    ))
}

fn exit_description(code: Option<i32>) -> String {
    code.map_or_else(|| "killed by a signal".to_string(), |c| format!("exit code {c}"))
}

/// The first line that says something: errors before warnings, and never
/// pip's "experimental command" notice.
fn first_meaningful_line(text: &str) -> String {
    let lines = || text.lines().map(str::trim).filter(|l| !l.is_empty());
    let line = lines()
        .find(|l| l.to_ascii_lowercase().contains("error"))
        .or_else(|| lines().find(|l| !l.contains("experimental command")))
        .unwrap_or("no output");
    truncate(line)
}

/// One line of at most 200 characters, so a warning stays one line.
fn truncate(text: &str) -> String {
    const LIMIT: usize = 200;
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(code: i32, stdout: &str, stderr: &str) -> ClientOutput {
        ClientOutput {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn npm_created_falls_back_to_the_earliest_version() {
        let with_created = r#"{"name":"a","time":{"modified":"2020-01-01T00:00:00Z","created":"2019-05-01T10:00:00.000Z","1.0.0":"2019-05-01T10:00:01.000Z"}}"#;
        assert_eq!(
            interpret_npm(&output(0, with_created, "")),
            PackageStatus::Exists {
                created: Some("2019-05-01T10:00:00.000Z".into())
            }
        );
        let mirror = r#"{"name":"a","time":{"modified":"2001-01-01T00:00:00Z","1.0.0":"2024-12-04T23:03:58.786000+00:00","0.1.0":"2024-09-05T00:40:51.026000+00:00","junk":"soon"}}"#;
        assert_eq!(
            interpret_npm(&output(0, mirror, "")),
            PackageStatus::Exists {
                created: Some("2024-09-05T00:40:51.026000+00:00".into())
            }
        );
        assert_eq!(
            interpret_npm(&output(0, r#"[{"name":"a"},{"name":"a"}]"#, "")),
            PackageStatus::Exists { created: None }
        );
    }

    #[test]
    fn npm_failures() {
        assert_eq!(
            interpret_npm(&output(1, "", "npm ERR! code E404\nnpm ERR! 404 Not Found")),
            PackageStatus::Missing
        );
        let auth = output(
            1,
            r#"{"error":{"code":"E401","summary":"Unable to authenticate"}}"#,
            "npm error code E401",
        );
        assert_eq!(
            interpret_npm(&auth),
            PackageStatus::Unknown("npm failed (exit code 1): Unable to authenticate".into())
        );
        assert!(matches!(
            interpret_npm(&output(0, "[1]", "")),
            PackageStatus::Unknown(_)
        ));
        assert!(matches!(interpret_npm(&output(0, "  ", "")), PackageStatus::Unknown(_)));
    }

    #[test]
    fn pip_missing_needs_a_404_from_every_index() {
        let missing = "Could not fetch URL https://pypi.org/simple/x/: 404 Client Error: Not Found for url: https://pypi.org/simple/x/ - skipping\nERROR: No matching distribution found for x";
        assert_eq!(interpret_pip(&output(1, "", missing)), PackageStatus::Missing);
        let mixed = format!(
            "{missing}\nCould not fetch URL https://mirror.example/simple/x/: connection error: refused - skipping"
        );
        assert!(
            matches!(interpret_pip(&output(1, "", &mixed)), PackageStatus::Unknown(r) if r.contains("connection error"))
        );
        let quiet = "ERROR: No matching distribution found for x";
        assert!(
            matches!(interpret_pip(&output(1, "", quiet)), PackageStatus::Unknown(r) if r.contains("no index answered 404"))
        );
        // A 404 inside the URL is not a 404 answer.
        let url_404 = "Could not fetch URL https://h/simple/x404/: connection error: refused\nERROR: No matching distribution found for x404";
        assert!(matches!(
            interpret_pip(&output(1, "", url_404)),
            PackageStatus::Unknown(_)
        ));
    }

    #[test]
    fn cargo_missing_needs_an_index_update() {
        let online = "    Updating crates.io index\nerror: could not find `nope` in registry `crates-io`";
        assert_eq!(
            interpret_cargo("nope", &output(101, "", online)),
            PackageStatus::Missing
        );
        let offline = "error: could not find `nope` in registry `crates-io`";
        assert!(
            matches!(interpret_cargo("nope", &output(101, "", offline)), PackageStatus::Unknown(r) if r.contains("offline"))
        );
        let old = "error: no such command: `info`";
        assert!(matches!(interpret_cargo("x", &output(101, "", old)), PackageStatus::Unknown(r) if r.contains("1.82")));
    }

    #[test]
    fn reasons_are_one_short_line() {
        let long = "error ".repeat(100);
        assert_eq!(first_meaningful_line(&long).chars().count(), 201);
        let multi_line = output(
            1,
            r#"{"error":{"code":"E500","summary":"Internal\nServer   Error"}}"#,
            "",
        );
        assert_eq!(
            interpret_npm(&multi_line),
            PackageStatus::Unknown("npm failed (exit code 1): Internal Server Error".into())
        );
    }
}
