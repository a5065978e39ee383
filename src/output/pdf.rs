//! HTML to PDF with headless Chromium (FORMATS.md, version 2, "The report"): the page is
//! written to a private temporary folder, printed there with a throw-away profile, and the PDF
//! read back. Chromium is `ACTIONPLAN_CHROMIUM`, else `chromium`, `chromium-browser`,
//! `google-chrome` or `google-chrome-stable` on the PATH.

use std::os::unix::fs::DirBuilderExt;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::process::Stdio;
use std::time::Duration;
use std::time::Instant;

use super::Step;
use super::Undo;
use crate::error::Error;
use crate::error::Result;

/// The variable that names the browser to print with.
pub const CHROMIUM_VAR: &str = "ACTIONPLAN_CHROMIUM";

const NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long printing may take before Chromium is stopped: a report of 10,000 initiatives
/// prints in well under a minute.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The browser to print with, or a refusal that says what to install.
pub fn find_chromium() -> Result<PathBuf> {
    if let Some(named) = std::env::var_os(CHROMIUM_VAR).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(named);
        return match on_path(&path) {
            Some(found) => Ok(found),
            None => Err(Error::refused_with_hint(
                format!(
                    "{CHROMIUM_VAR} names {}, which is not a program here",
                    path.display()
                ),
                "set it to the path of Chromium or Google Chrome, or unset it",
            )),
        };
    }
    NAMES
        .iter()
        .find_map(|name| on_path(Path::new(name)))
        .ok_or_else(|| {
            Error::refused_with_hint(
                "a PDF is printed with headless Chromium, and none was found \
                 (chromium, chromium-browser or google-chrome on the PATH)",
                format!(
                    "install it (Debian and Ubuntu: `apt-get install chromium`) or name it in \
                     {CHROMIUM_VAR}; or write HTML (--format html) and print that"
                ),
            )
        })
}

/// `program` as given when it has a folder part, else the first match on the PATH.
fn on_path(program: &Path) -> Option<PathBuf> {
    let runnable = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.components().count() > 1 {
        return runnable(program).then(|| program.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| runnable(p))
}

/// Prints `html` to PDF and returns the PDF's bytes.
pub fn print(html: &str) -> Result<Vec<u8>> {
    let chromium = find_chromium()?;
    let mut undo = Undo::new();
    let dir = std::env::temp_dir().join(format!(
        "actionplan-pdf-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let io = |e| Error::io(&dir, e);
    // Only we may read the report while it is printed: the folder is ours alone.
    undo.run(
        || std::fs::DirBuilder::new().mode(0o700).create(&dir),
        |()| Step::Tree(dir.clone()),
    )
    .map_err(io)?;
    let page = dir.join("report.html");
    let pdf = dir.join("report.pdf");
    std::fs::write(&page, html).map_err(io)?;
    // A file, not a pipe: a chatty browser can never fill a pipe nobody reads and hang.
    let log = dir.join("chromium.log");
    let log_file = std::fs::File::create(&log).map_err(io)?;

    let mut command = Command::new(&chromium);
    command
        .args([
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log_file));
    if running_as_root() {
        // Chromium's sandbox refuses to start as root; the page has no script and no network.
        command.arg("--no-sandbox");
    }
    let failed = |why: String| {
        Error::refused_with_hint(
            format!("{} could not print the PDF: {why}", chromium.display()),
            "write HTML (--format html) and print that from a browser",
        )
    };
    let mut child = command.spawn().map_err(|e| failed(e.to_string()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| failed(e.to_string()))? {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(failed(format!("no PDF after {} s", TIMEOUT.as_secs())));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF") {
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(failed(format!("{status}; {last}")));
    }
    // Dropping `undo` removes the folder: the page, the profile and the PDF.
    drop(undo);
    Ok(bytes)
}

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
