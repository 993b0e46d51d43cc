//! `tainted-redirect`: request input used as a redirect target
//! without an allow-list or same-site check.

use super::taint::SinkKind;
use super::SinkRule;

pub(crate) const TAINTED_REDIRECT: SinkRule = SinkRule {
    id: "tainted-redirect",
    kind: SinkKind::Redirect,
    effect: "open redirect",
    help: "check the target first: an allow-list, a relative path only, or `url_has_allowed_host_and_scheme` (Django)",
};
