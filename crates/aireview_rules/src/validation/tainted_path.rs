//! `tainted-path`: request input reaching a file path that is
//! opened, sent, listed or deleted.

use super::taint::SinkKind;
use super::SinkRule;

pub(crate) const TAINTED_PATH: SinkRule = SinkRule {
    id: "tainted-path",
    kind: SinkKind::Path,
    effect: "path traversal (`../../etc/passwd`)",
    help: "pass the name through `secure_filename` / `path.basename`, or resolve it under a base directory and check it stays there (`send_from_directory`, `safe_join`)",
};
