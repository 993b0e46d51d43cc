//! `tainted-eval`: request input reaching `eval`, `exec` or
//! `vm.runIn*Context`.

use super::taint::SinkKind;
use super::SinkRule;

pub(crate) const TAINTED_EVAL: SinkRule = SinkRule {
    id: "tainted-eval",
    kind: SinkKind::Eval,
    effect: "code injection",
    help: "never evaluate request input; parse data with `json.loads` / `JSON.parse` or `ast.literal_eval`, or map it to a fixed set of operations",
};
