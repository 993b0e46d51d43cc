//! Reading source files: every problem becomes a one-line reason, never a panic.

use std::path::Path;

/// How many leading bytes are checked for NUL to call a file binary.
const BINARY_PROBE: usize = 8192;

/// Reads a file's bytes from disk, refusing files over `max_size` before reading them.
pub fn read_file_bytes(path: &Path, max_size: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.len() > max_size {
        return Err(too_large(meta.len(), max_size));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

fn too_large(len: u64, max: u64) -> String {
    format!("{} exceeds max-file-size {}; skipped", human_size(len), human_size(max))
}

pub fn human_size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// Turns bytes into reviewable text: rejects binary, oversized and non-UTF-8
/// content, and drops a UTF-8 byte-order mark.
pub fn decode_source(bytes: Vec<u8>, max_size: u64) -> Result<String, String> {
    if bytes.len() as u64 > max_size {
        return Err(too_large(bytes.len() as u64, max_size));
    }
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        return Err("binary file (contains NUL bytes); skipped".into());
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("not valid UTF-8 (invalid byte on line {line}); skipped")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_content_with_reasons() {
        assert!(decode_source(b"a\0b".to_vec(), 100).unwrap_err().contains("binary"));
        let e = decode_source(b"ok\n\xff\xfe".to_vec(), 100).unwrap_err();
        assert!(e.contains("UTF-8") && e.contains("line 2"), "{e}");
        assert!(decode_source(vec![b'a'; 10], 5).unwrap_err().contains("max-file-size"));
        assert_eq!(
            decode_source("\u{feff}x = 1".as_bytes().to_vec(), 100).unwrap(),
            "x = 1"
        );
    }
}
