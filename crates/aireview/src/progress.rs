//! Progress on stderr for long runs on a terminal: silent for the first
//! second, then a counter updated in place; cleared when done.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub struct ProgressBar {
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressBar {
    /// Starts the reporter if stderr is a terminal and `enabled`.
    pub fn start(enabled: bool) -> ProgressBar {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = (enabled && std::io::stderr().is_terminal()).then(|| {
            let (done, total, stop) = (done.clone(), total.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut waited = Duration::ZERO;
                let mut shown = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    waited += Duration::from_millis(100);
                    if waited >= Duration::from_secs(1) {
                        let (d, t) = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
                        eprint!("\rreviewing: {d}/{t} files");
                        // Progress is cosmetic: a failed flush must not stop the review.
                        let _ = std::io::stderr().flush();
                        shown = true;
                    }
                }
                if shown {
                    eprint!("\r\x1b[2K");
                }
            })
        });
        ProgressBar {
            done,
            total,
            stop,
            thread,
        }
    }

    pub fn update(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
