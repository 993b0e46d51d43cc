//! PEP 508 requirement strings: `name[extras] (version | @ url) ; markers`.

/// One parsed requirement; borrowed pieces are trimmed.
#[derive(Debug, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    /// Byte offset of the name within the parsed string.
    pub name_offset: usize,
    pub extras: Vec<String>,
    pub version: Option<String>,
    pub url: Option<String>,
    pub markers: Option<String>,
}

/// Parses a requirement; `Err` says what is wrong.
pub fn parse(input: &str) -> Result<Requirement, String> {
    let name_offset = input.len() - input.trim_start().len();
    let s = &input[name_offset..];
    let name_len = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map_or(s.len(), |(i, _)| i);
    let name = &s[..name_len];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!("not a requirement: {:?}", input.trim()));
    }
    let mut rest = s[name_len..].trim_start();
    let mut extras = Vec::new();
    if let Some(after) = rest.strip_prefix('[') {
        let Some(end) = after.find(']') else {
            return Err(format!("unclosed extras in {:?}", input.trim()));
        };
        extras = after[..end]
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect();
        rest = after[end + 1..].trim_start();
    }
    let mut url = None;
    let mut version = None;
    let markers;
    if let Some(after) = rest.strip_prefix('@') {
        let after = after.trim_start();
        // The URL ends at whitespace; a marker must be separated from it by a space.
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        url = Some(after[..end].to_string()).filter(|u| !u.is_empty());
        let tail = after[end..].trim_start();
        markers = tail.strip_prefix(';').map(|m| m.trim().to_string());
        if url.is_none() {
            return Err(format!("missing URL after '@' in {:?}", input.trim()));
        }
    } else {
        let (spec, marker) = rest.split_once(';').map_or((rest, None), |(a, b)| (a, Some(b)));
        let spec = spec.trim().trim_start_matches('(').trim_end_matches(')').trim();
        if !spec.is_empty() {
            if !spec.starts_with(['<', '>', '=', '!', '~']) {
                return Err(format!("unexpected {:?} after the name in {:?}", spec, input.trim()));
            }
            version = Some(spec.to_string());
        }
        markers = marker.map(|m| m.trim().to_string());
    }
    Ok(Requirement {
        name: name.to_string(),
        name_offset,
        extras,
        version,
        url,
        markers: markers.filter(|m| !m.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_of_pep_508() {
        let r = parse("requests[socks, security] >=2.8.1, ==2.8.* ; python_version < \"2.7\"").unwrap();
        assert_eq!(r.name, "requests");
        assert_eq!(r.extras, ["socks", "security"]);
        assert_eq!(r.version.as_deref(), Some(">=2.8.1, ==2.8.*"));
        assert_eq!(r.markers.as_deref(), Some("python_version < \"2.7\""));
        let r = parse("  pip @ https://github.com/pypa/pip/archive/1.3.1.zip ; sys_platform == 'win32'").unwrap();
        assert_eq!((r.name.as_str(), r.name_offset), ("pip", 2));
        assert_eq!(r.url.as_deref(), Some("https://github.com/pypa/pip/archive/1.3.1.zip"));
        assert_eq!(r.markers.as_deref(), Some("sys_platform == 'win32'"));
        let r = parse("zope.interface (>=4.0)").unwrap();
        assert_eq!(
            (r.name.as_str(), r.version.as_deref()),
            ("zope.interface", Some(">=4.0"))
        );
        let r = parse("tomli;python_version<'3.11'").unwrap();
        assert_eq!(
            (r.name.as_str(), r.version, r.markers.as_deref()),
            ("tomli", None, Some("python_version<'3.11'"))
        );
    }

    #[test]
    fn rejects_what_is_not_a_requirement() {
        assert!(parse("").is_err());
        assert!(parse("-e .").is_err());
        assert!(parse("foo bar").is_err());
        assert!(parse("foo[bar").is_err());
        assert!(parse("foo @ ").is_err());
    }
}
