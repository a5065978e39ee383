//! A spinner on standard error for work that takes a while: shown only on a terminal, only
//! after half a second, and cleared when the work is done, so quick commands and pipes stay
//! quiet.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::ProgressBar;
use indicatif::ProgressDrawTarget;
use indicatif::ProgressStyle;

/// How long work runs before the spinner appears.
const DELAY: Duration = Duration::from_millis(500);

pub(crate) struct Activity {
    bar: Option<ProgressBar>,
}

impl Activity {
    /// Starts timing `message` ("loading 40 files"); draws nothing yet.
    pub(crate) fn start(message: impl Into<String>) -> Activity {
        if !std::io::stderr().is_terminal() {
            return Activity { bar: None };
        }
        Self::drawn(message)
    }

    /// As [`Activity::start`], for work that streams its result to standard output meanwhile:
    /// no spinner when that is the terminal too (it would draw over the output).
    pub(crate) fn start_beside_output(message: impl Into<String>) -> Activity {
        if std::io::stdout().is_terminal() {
            return Activity { bar: None };
        }
        Self::start(message)
    }

    fn drawn(message: impl Into<String>) -> Activity {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.into());
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Activity { bar: Some(bar) }
    }
}

impl Drop for Activity {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
