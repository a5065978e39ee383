//! What to undo if a write does not finish: temporary files and folders to remove, files
//! moved into place to take back. Undone on error (when the [`Undo`] is dropped) and on
//! SIGINT, SIGTERM and SIGHUP (by a thread of ours, which then exits with 128 + the signal).
//!
//! A step that creates or moves a file runs under the registry's lock together with
//! recording how to undo it, and the signal thread holds that lock from its cleanup to the
//! process's exit: a file is either created and recorded, or never created. (Files SQLite
//! makes for a backup are recorded just before it makes them.)

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::MutexGuard;
use std::sync::Once;

/// One step to take back.
#[derive(Debug)]
pub(crate) enum Step {
    /// A file (or a link) to remove; one already gone is fine.
    File(PathBuf),
    /// A folder and everything in it.
    Tree(PathBuf),
    /// A folder we created, removed only if it is empty again.
    EmptyDir(PathBuf),
    /// A file moved aside, put back where it was.
    Rename { from: PathBuf, to: PathBuf },
}

impl Step {
    fn undo(&self) {
        // Best effort: this runs on an error path already, or on the way out of a signal.
        let _ = match self {
            Step::File(p) => std::fs::remove_file(p),
            Step::Tree(p) => std::fs::remove_dir_all(p),
            Step::EmptyDir(p) => std::fs::remove_dir(p),
            Step::Rename { from, to } => std::fs::rename(from, to),
        };
    }
}

struct Registry {
    next: u64,
    /// Steps in the order they were taken, each with the id of its [`Undo`].
    steps: Vec<(u64, Step)>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    next: 0,
    steps: Vec::new(),
});

fn lock() -> MutexGuard<'static, Registry> {
    // A panic elsewhere while holding the lock leaves the list as it was: still usable.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// The steps of one write, taken back in reverse order when dropped unless committed.
#[derive(Debug)]
pub(crate) struct Undo {
    id: u64,
}

impl Undo {
    pub(crate) fn new() -> Undo {
        catch_signals();
        let mut r = lock();
        r.next += 1;
        Undo { id: r.next }
    }

    /// Runs `act` (which creates or moves something) and, if it succeeds, records the step
    /// that takes it back, both under the lock.
    pub(crate) fn run<T, E>(
        &mut self,
        act: impl FnOnce() -> Result<T, E>,
        step: impl FnOnce(&T) -> Step,
    ) -> Result<T, E> {
        let mut r = lock();
        let value = act()?;
        r.steps.push((self.id, step(&value)));
        Ok(value)
    }

    /// Records a step for something about to be made by others (SQLite's files beside a
    /// database it creates).
    pub(crate) fn expect(&mut self, step: Step) {
        lock().steps.push((self.id, step));
    }

    /// Keeps everything as it is now: nothing is taken back.
    pub(crate) fn commit(self) {
        lock().steps.retain(|(id, _)| *id != self.id);
        std::mem::forget(self);
    }
}

impl Drop for Undo {
    fn drop(&mut self) {
        let mut r = lock();
        let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut r.steps)
            .into_iter()
            .partition(|(id, _)| *id == self.id);
        r.steps = rest;
        for (_, step) in mine.iter().rev() {
            step.undo();
        }
    }
}

/// Starts the thread that cleans up on SIGINT, SIGTERM and SIGHUP, once, when the first write
/// begins; before that the signals keep their default action. If the signals cannot be
/// caught, errors are still cleaned up; only an interruption may leave a temporary file.
fn catch_signals() {
    static START: Once = Once::new();
    START.call_once(|| {
        use signal_hook::consts::SIGHUP;
        use signal_hook::consts::SIGINT;
        use signal_hook::consts::SIGTERM;
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("cleanup on signal".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends: no write starts or finishes meanwhile.
                    let mut r = lock();
                    for (_, step) in r.steps.iter().rev() {
                        step.undo();
                    }
                    r.steps.clear();
                    std::process::exit(128 + signal);
                }
            });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_steps_are_taken_back_in_reverse_and_committed_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let aside = dir.path().join("a.old");
        std::fs::write(&a, "old").unwrap();
        {
            let mut undo = Undo::new();
            undo.run(
                || std::fs::rename(&a, &aside),
                |()| Step::Rename {
                    from: aside.clone(),
                    to: a.clone(),
                },
            )
            .unwrap();
            undo.run(|| std::fs::write(&a, "new"), |()| Step::File(a.clone()))
                .unwrap();
            assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
        }
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        assert!(!aside.exists());

        let b = dir.path().join("b");
        let mut undo = Undo::new();
        undo.run(|| std::fs::write(&b, "kept"), |()| Step::File(b.clone()))
            .unwrap();
        undo.commit();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "kept");
        assert!(
            lock()
                .steps
                .iter()
                .all(|(_, s)| !matches!(s, Step::File(p) if *p == b))
        );
    }
}
