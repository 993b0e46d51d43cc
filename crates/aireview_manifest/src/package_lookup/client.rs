//! Runs a registry client as a child process with a deadline.
//!
//! The child gets no shell, no stdin, and its own process group, so that a
//! timeout kills it together with anything it started (npm's node, a stand-in
//! script's `sleep`) instead of leaving them to hold the output pipes open.

use std::ffi::OsString;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Where and with which `PATH` the clients run.
pub(crate) struct ChildSetup {
    /// The child's `PATH`, or `None` to inherit ours.
    pub path: Option<OsString>,
    pub working_dir: Option<PathBuf>,
    pub timeout: Duration,
}

/// What a client printed and how it ended.
pub(crate) struct ClientOutput {
    /// Exit code; `None` when the client died from a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub(crate) enum ClientFailure {
    /// The program is not on `PATH`.
    NotFound,
    /// It could not be started or waited for.
    Io(String),
    TimedOut,
}

const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// Runs `program args…` and collects its output, or gives up at the timeout.
pub(crate) fn run_client(program: &str, args: &[&str], setup: &ChildSetup) -> Result<ClientOutput, ClientFailure> {
    let deadline = Instant::now() + setup.timeout;
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = &setup.path {
        command.env("PATH", path);
    }
    if let Some(dir) = &setup.working_dir {
        command.current_dir(dir);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ClientFailure::NotFound,
        _ => ClientFailure::Io(format!("cannot start {program}: {e}")),
    })?;

    // Drain both pipes on their own threads: a client that prints more than a
    // pipe buffer (npm's full document) would otherwise block and time out.
    let (sender, receiver) = mpsc::channel::<(bool, Vec<u8>)>();
    let mut readers = 0;
    if let Some(stdout) = child.stdout.take() {
        spawn_reader(stdout, true, sender.clone());
        readers += 1;
    }
    if let Some(stderr) = child.stderr.take() {
        spawn_reader(stderr, false, sender.clone());
        readers += 1;
    }
    drop(sender);

    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                kill_group(&mut child);
                return Err(ClientFailure::TimedOut);
            }
            Ok(None) => std::thread::sleep(POLL_INTERVAL),
            Err(e) => {
                kill_group(&mut child);
                return Err(ClientFailure::Io(format!("cannot wait for {program}: {e}")));
            }
        }
    };

    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    for _ in 0..readers {
        let left = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(left) {
            Ok((true, bytes)) => stdout = bytes,
            Ok((false, bytes)) => stderr = bytes,
            // Something the client left behind still holds a pipe open.
            Err(_) => {
                kill_group(&mut child);
                return Err(ClientFailure::TimedOut);
            }
        }
    }
    Ok(ClientOutput {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

fn spawn_reader(mut pipe: impl Read + Send + 'static, is_stdout: bool, sender: mpsc::Sender<(bool, Vec<u8>)>) {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // A read error keeps what was read so far; the interpretation then
        // sees truncated output and answers `Unknown`.
        let _ = pipe.read_to_end(&mut bytes);
        let _ = sender.send((is_stdout, bytes));
    });
}

/// Kills the child's process group (the child and what it started), then
/// reaps the child.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: `kill` has no memory-safety preconditions. The group id is
        // the child's pid (spawned with `process_group(0)`); it is not reused
        // while the child is unreaped or any member of its group is alive.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}
