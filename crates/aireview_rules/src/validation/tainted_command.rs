//! `tainted-command`: request input reaching a command the
//! system runs (`subprocess`, `os.system`, `child_process`, `Command::new`).

use super::taint::SinkKind;
use super::SinkRule;

pub(crate) const TAINTED_COMMAND: SinkRule = SinkRule {
    id: "tainted-command",
    kind: SinkKind::Command,
    effect: "command injection",
    help: "do not build commands from request input; map the input to a fixed argument (an allow-list) and pass arguments as a list without a shell",
};
