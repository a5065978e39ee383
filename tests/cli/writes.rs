//! Files the tool writes (src/output): `--output` replaces only a regular file, whole, and
//! never the database, a special file or a link's target; `init` and `forms --out` never
//! overwrite without `--force` and never write through a link; a write that fails or is
//! interrupted leaves no temporary file and the old file whole. Each test is a finding of the
//! hardening issue (#15), reproduced on the real binary: exit code, message, no panic,
//! nothing written outside its folder, the database unchanged.

use std::os::unix::fs::FileTypeExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Output;
use std::time::Duration;
use std::time::Instant;

use crate::*;

fn no_panic(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "{what}: the binary panicked\n{err}"
    );
    assert!(
        out.status.signal().is_none(),
        "{what}: killed by signal {:?}\n{err}",
        out.status.signal()
    );
}

/// Exit code 1, no panic, and every fragment in the message.
fn refused(out: &Output, what: &str, says: &[&str]) {
    no_panic(out, what);
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    for s in says {
        assert!(err.contains(s), "{what}: expected `{s}` in\n{err}");
    }
}

/// The names in a folder, sorted, leaving out the files SQLite keeps beside the database.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    names
}

/// Runs a command, failing the test if it has not finished within `limit` (it is killed).
fn finishes_within(mut cmd: std::process::Command, limit: Duration, what: &str) -> Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// --output onto the database

/// `report 2020 -o actionplan.db` replaced the live database with the report. Now every
/// way of naming the database, its -wal or -shm (a relative path, a hard link to it, a
/// sidecar that does not exist yet) is refused, for `report` and `export`, and the database is
/// exactly as it was.
#[test]
fn output_onto_the_database_is_refused_and_the_database_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let db = dir.join("t.db");
    std::fs::hard_link(&db, dir.join("same.db")).unwrap();
    let before = db_content(&db);
    let files = listing(dir);
    let report = ["report", "2020", "--strategy", "eos", "--output"];
    for (verb, target) in [
        (&report[..], "t.db"),
        (&report[..], "./t.db"),
        (&report[..], "same.db"),
        (&report[..], "t.db-wal"),
        (&["export", "--output"][..], "t.db"),
        (&["export", "--output"][..], "t.db-shm"),
        (&["export", "-o"][..], "same.db"),
    ] {
        let what = format!("{} {target}", verb.join(" "));
        let out = actionplan(dir).args(verb).arg(target).output().unwrap();
        refused(&out, &what, &["is the database", "never written over"]);
        assert_eq!(db_content(&db), before, "{what} changed the database");
        assert_eq!(listing(dir), files, "{what} left a file");
    }
    assert_eq!(integrity(&db), "ok");
}

// ---------------------------------------------------------------------------------------------
// init

/// `init DIR` emptied `status/.gitkeep` and overwrote an existing `report-YYYY.toml`. Now it
/// refuses and writes nothing (not even `plan.toml`); an empty `.gitkeep` is what it would
/// write, so it is kept and not a conflict; `--force` replaces the files.
#[test]
fn init_keeps_an_existing_narrative_and_gitkeep() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let plan_dir = dir.join("plans/by");
    std::fs::create_dir_all(plan_dir.join("status")).unwrap();
    std::fs::write(plan_dir.join("report-2025.toml"), "# mine\n").unwrap();
    std::fs::write(plan_dir.join("status/.gitkeep"), "keep me").unwrap();
    let init = |force: bool| {
        let mut cmd = actionplan(dir);
        cmd.args(["init", "plans/by", "--start", "2025", "--end", "2030"]);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let out = init(false);
    refused(
        &out,
        "init over a narrative",
        &[
            "nothing was written to plans/by",
            "plans/by/report-2025.toml already exists",
            "plans/by/status/.gitkeep already exists",
            "--force",
        ],
    );
    assert_eq!(listing(&plan_dir), ["report-2025.toml", "status"]);
    assert_eq!(
        std::fs::read_to_string(plan_dir.join("report-2025.toml")).unwrap(),
        "# mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(plan_dir.join("status/.gitkeep")).unwrap(),
        "keep me"
    );

    // An empty .gitkeep is what init writes: kept, no conflict. The narrative still is one.
    std::fs::write(plan_dir.join("status/.gitkeep"), "").unwrap();
    let out = init(false);
    refused(
        &out,
        "init over a narrative",
        &["report-2025.toml already exists"],
    );
    assert!(!stderr(&out).contains(".gitkeep"), "{}", stderr(&out));
    assert!(!plan_dir.join("plan.toml").exists());

    let out = init(true);
    no_panic(&out, "init --force");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(plan_dir.join("report-2025.toml"))
            .unwrap()
            .contains("[report]")
    );
    assert_eq!(
        listing(&plan_dir),
        ["plan.toml", "report-2025.toml", "status"]
    );
    assert_eq!(listing(&plan_dir.join("status")), [".gitkeep"]);
    actionplan(dir).args(["check", "plans"]).assert().success();
}

/// `init` wrote through links: one at `plan.toml` clobbered a file outside DIR, a dangling
/// one created a file outside it. A link at any name it writes, or on the way to one
/// (`status`), is refused with and without `--force`, and nothing is written anywhere.
#[test]
fn init_never_writes_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let outside = dir.join("outside.toml");
    std::fs::write(&outside, "precious").unwrap();
    let absent = dir.join("created-outside.toml");
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    for (name, link, target) in [
        ("through a link", "plan.toml", outside.as_path()),
        ("through a dangling link", "plan.toml", absent.as_path()),
        ("through a linked folder", "status", elsewhere.as_path()),
    ] {
        let plan_dir = dir.join("p");
        let _ = std::fs::remove_dir_all(&plan_dir);
        std::fs::create_dir(&plan_dir).unwrap();
        std::os::unix::fs::symlink(target, plan_dir.join(link)).unwrap();
        for force in [false, true] {
            let mut cmd = actionplan(dir);
            cmd.args(["init", "p", "--start", "2025"]);
            if force {
                cmd.arg("--force");
            }
            let out = cmd.output().unwrap();
            let what = format!("init {name} (force: {force})");
            refused(
                &out,
                &what,
                &[
                    &format!("p/{link} is a symbolic link (to {})", target.display()),
                    "never writes through a link",
                ],
            );
            assert_eq!(listing(&plan_dir), [link], "{what}");
            assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
            assert!(!absent.exists(), "{what} created a file outside its folder");
            assert_eq!(listing(&elsewhere), Vec::<String>::new(), "{what}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// --output: a write that fails, special files

/// `report -o FILE` wrote in place: over the file-size limit it left a fragment and the old
/// content gone. Now the old file is whole, no temporary file is left, and the message names
/// the file and the limit (SIGXFSZ is ignored, so the process is not killed by it).
#[test]
fn report_output_that_fails_part_way_leaves_the_old_file_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let before = db_content(&dir.join("t.db"));
    std::fs::write(dir.join("out.html"), "old").unwrap();
    // 78 blocks of 512 bytes: room for SQLite's 32 KB -shm, not for the 50 KB report.
    let mut cmd = actionplan_std(
        dir,
        &["/bin/sh", "-c", "ulimit -f 78 && exec \"$0\" \"$@\""],
    );
    cmd.args([
        "report",
        "2020",
        "--strategy",
        "eos",
        "--format",
        "html",
        "-o",
        "out.html",
    ]);
    let out = finishes_within(cmd, Duration::from_secs(60), "report under ulimit -f");
    refused(
        &out,
        "report under ulimit -f",
        &[
            "cannot write out.html: File too large",
            "nothing was changed",
            "ulimit -f",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out.html")).unwrap(),
        "old"
    );
    assert_eq!(
        listing(dir),
        ["out.html", "t.db"],
        "a temporary file was left"
    );
    assert_eq!(db_content(&dir.join("t.db")), before);
}

/// A FIFO, and a character device made with `mknod` (as `/dev/null` is), in a folder of the
/// test's own; `None` for the device where it cannot be made (not root).
fn special_files(dir: &Path) -> (std::path::PathBuf, Option<std::path::PathBuf>) {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let fifo = dir.join("pipe");
    let c = CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo only reads it.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o666) }, 0, "mkfifo");
    let device = dir.join("null");
    let c = CString::new(device.as_os_str().as_bytes()).unwrap();
    // SAFETY: as above; the device numbers are those of /dev/null (1, 3).
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
    (fifo, (made == 0).then_some(device))
}

/// `export -o` onto a character device or a FIFO replaced it with a world-writable regular
/// file (as root, `-o /dev/null` would replace the system's). Both are refused and stay what
/// they were, with their mode; the database is unchanged.
#[test]
fn export_onto_a_device_or_a_fifo_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let before = db_content(&dir.join("t.db"));
    let (fifo, device) = special_files(dir);
    if device.is_none() {
        // The FIFO is still checked below.
        skip_or_fail("a character device cannot be made with mknod here (needs root)");
    }
    let cases = [
        Some(("a named pipe (FIFO)", fifo)),
        device.map(|d| ("a character device", d)),
    ];
    for (kind, path) in cases.into_iter().flatten() {
        let mode = std::fs::symlink_metadata(&path)
            .unwrap()
            .permissions()
            .mode();
        for verb in [
            &["export", "--output"][..],
            &["report", "2020", "--strategy", "eos", "-o"][..],
        ] {
            let what = format!("{} {}", verb.join(" "), path.display());
            let mut cmd = actionplan_std(dir, &[]);
            cmd.args(verb).arg(&path);
            let out = finishes_within(cmd, Duration::from_secs(30), &what);
            refused(
                &out,
                &what,
                &[&format!("is {kind}: only a regular file is ever replaced")],
            );
            let m = std::fs::symlink_metadata(&path).unwrap();
            let still = if kind.contains("FIFO") {
                m.file_type().is_fifo()
            } else {
                m.file_type().is_char_device()
            };
            assert!(still, "{what}: it is no longer {kind}");
            assert_eq!(m.permissions().mode(), mode, "{what}: its mode changed");
        }
    }
    assert!(
        listing(dir).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        listing(dir)
    );
    assert_eq!(db_content(&dir.join("t.db")), before);
}

/// `report -o FIFO` hung for ever, waiting for a reader. It is refused at once: nothing is
/// opened before the target is known to be a regular file.
#[test]
fn report_output_to_a_fifo_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let (fifo, _) = special_files(dir);
    let mut cmd = actionplan_std(dir, &[]);
    cmd.args([
        "report",
        "2020",
        "--strategy",
        "eos",
        "--format",
        "markdown",
        "-o",
    ])
    .arg(&fifo);
    let started = Instant::now();
    let out = finishes_within(cmd, Duration::from_secs(20), "report -o FIFO");
    refused(&out, "report -o FIFO", &["pipe is a named pipe (FIFO)"]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

// ---------------------------------------------------------------------------------------------
// forms --out

/// Loads the round fixture and returns the names `forms 2021` writes.
fn with_round_plan(dir: &Path) -> [&'static str; 3] {
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    ["2021-by.toml", "2021-fylke.toml", "2021-ikt.toml"]
}

/// `forms --out DIR --force` followed a link at a form's name and overwrote its target. A
/// link is refused with `--force` too; the linked file is untouched, no form is written.
#[test]
fn forms_force_never_follows_a_link_at_a_forms_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let [_, _, ikt] = with_round_plan(dir);
    let outside = dir.join("outside.toml");
    std::fs::write(&outside, "precious").unwrap();
    std::fs::create_dir(dir.join("out")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("out").join(ikt)).unwrap();
    let out = actionplan(dir)
        .args(["forms", "2021", "--out", "out", "--force"])
        .output()
        .unwrap();
    refused(
        &out,
        "forms --force",
        &[
            "nothing was written to out",
            "out/2021-ikt.toml is a symbolic link",
            "never writes through a link",
        ],
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
    assert_eq!(listing(&dir.join("out")), [ikt]);
}

/// Without `--force`, a dangling link at a form's name made `forms` write a file outside DIR.
/// It is refused; nothing is created anywhere.
#[test]
fn forms_never_write_through_a_dangling_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let [by, _, _] = with_round_plan(dir);
    let escaped = dir.join("escaped.toml");
    std::fs::create_dir(dir.join("out")).unwrap();
    std::os::unix::fs::symlink(&escaped, dir.join("out").join(by)).unwrap();
    let out = actionplan(dir)
        .args(["forms", "2021", "--out", "out"])
        .output()
        .unwrap();
    refused(&out, "forms", &["out/2021-by.toml is a symbolic link"]);
    assert!(!escaped.exists(), "a form was written outside its folder");
    assert_eq!(listing(&dir.join("out")), [by]);
}

/// `forms` stopped half-way (8 of 11 written) when one name was a folder. Every name is
/// checked before anything is written: refused, and no form is written, with or without
/// `--force`. An existing form is not overwritten without `--force`, and is with it.
#[test]
fn forms_refuse_a_folder_at_a_forms_name_before_writing_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let [by, fylke, ikt] = with_round_plan(dir);
    std::fs::create_dir_all(dir.join("out").join(fylke)).unwrap();
    for force in [false, true] {
        let mut cmd = actionplan(dir);
        cmd.args(["forms", "2021", "--out", "out"]);
        if force {
            cmd.arg("--force");
        }
        let out = cmd.output().unwrap();
        refused(&out, "forms", &["out/2021-fylke.toml is a folder"]);
        assert_eq!(listing(&dir.join("out")), [fylke], "a form was written");
    }

    std::fs::remove_dir(dir.join("out").join(fylke)).unwrap();
    std::fs::write(dir.join("out").join(ikt), "filled in").unwrap();
    let out = actionplan(dir)
        .args(["forms", "2021", "--out", "out"])
        .output()
        .unwrap();
    refused(
        &out,
        "forms",
        &["out/2021-ikt.toml already exists", "--force"],
    );
    assert_eq!(listing(&dir.join("out")), [ikt]);
    assert_eq!(
        std::fs::read_to_string(dir.join("out").join(ikt)).unwrap(),
        "filled in"
    );
    actionplan(dir)
        .args(["forms", "2021", "--out", "out", "--force"])
        .assert()
        .success();
    assert_eq!(listing(&dir.join("out")), [by, fylke, ikt]);
    assert!(
        std::fs::read_to_string(dir.join("out").join(ikt))
            .unwrap()
            .contains("[form]")
    );
}

/// A CR in a title ended the comment it is written in and broke the form's TOML; so would
/// ESC or any control character (TOML allows none but tab in a comment). Forms of a plan
/// whose titles, names and answers hold them are valid: filled in, they load.
#[test]
fn control_characters_in_titles_keep_forms_valid_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("plan.toml"),
        r#"[strategy]
id = "cr"
title = "Strategi\rmed CR"
period = { start = 2020, end = 2022 }

[[organisation]]
id = "etat"
name = "Etat\r\u001b[2J\u0000"

[[focus_area]]
id = "fa"
title = "Område"
goal = "Mål"

[[initiative]]
id = "a"
title = "Tittel\rmed CR og \u001b]52;c;eA==\u0007 og \u007f"
focus_area = "fa"
owner = "etat"
start = 2020-01-01
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("form.toml"),
        "[form]\nstrategy = \"cr\"\nreported_on = 2020-11-30\n\n[[update]]\ninitiative = \"a\"\nstatus = \"on-track\"\nsummary = \"Svar\\rmed CR\\u001b[2J og\\nto linjer\"\n",
    )
    .unwrap();
    actionplan(dir)
        .args(["load", "plan.toml", "form.toml"])
        .assert()
        .success();
    actionplan(dir)
        .args(["forms", "2021", "--out", "out"])
        .assert()
        .success();
    let form = std::fs::read_to_string(dir.join("out/2021-etat.toml")).unwrap();
    assert!(
        !form.contains(['\r', '\u{1b}', '\u{7}', '\0', '\u{7f}']),
        "{form:?}"
    );
    let filled = form
        .replacen("reported_on = \"\"", "reported_on = 2021-06-30", 1)
        .replacen("status = \"\"", "status = \"on-track\"", 1);
    std::fs::write(dir.join("filled.toml"), filled).unwrap();
    let out = actionplan(dir)
        .args(["load", "filled.toml"])
        .output()
        .unwrap();
    no_panic(&out, "load of the filled form");
    assert!(out.status.success(), "{}\n{form}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// Signals

/// Waits until `dir` holds a name starting with `prefix` (a write's temporary file).
fn wait_for(dir: &Path, prefix: &str, child: &mut std::process::Child) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if listing(dir).iter().any(|n| n.starts_with(prefix)) {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    false
}

/// SIGINT or SIGTERM during `export -o` or `backup` of a big database left the temporary file
/// (a full database copy, for backup) behind for ever. The process is stopped while the
/// temporary file exists, signalled, and let go on: it exits with 128 + the signal, the
/// temporary file is gone, the old output is whole, and the database is unchanged.
#[test]
fn interrupted_export_and_backup_leave_no_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let generated = std::process::Command::new("python3")
        .arg(repo().join("benches/workload/generate.py"))
        .args(["--initiatives", "400", "--out"])
        .arg(dir.join("gen"))
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !generated {
        skip_or_fail(
            "a big database cannot be generated (benches/workload/generate.py needs python3)",
        );
        return;
    }
    let out = actionplan(dir)
        .arg("load")
        .arg(dir.join("gen/plan"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let before = db_content(&dir.join("t.db"));
    std::fs::write(dir.join("out.json"), "old").unwrap();
    let files = listing(dir);
    for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        for (verb, temp) in [
            (&["export", "--output", "out.json"][..], ".out.json."),
            (&["backup", "b.db"][..], ".b.db.backup-"),
        ] {
            let what = format!("{} interrupted by signal {signal}", verb.join(" "));
            // On a busy machine the write may finish between the temporary file's appearance
            // and the signal: then it is done whole (nothing left either), and tried again.
            let mut interrupted = false;
            for _ in 0..5 {
                let mut child = actionplan_std(dir, &[])
                    .args(verb)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                assert!(
                    wait_for(dir, temp, &mut child),
                    "{what}: no temporary file appeared (finished too soon?)"
                );
                let pid = child.id() as libc::pid_t;
                // SAFETY: signals to our own child, which has not been waited for yet.
                unsafe {
                    libc::kill(pid, libc::SIGSTOP);
                    libc::kill(pid, signal);
                    libc::kill(pid, libc::SIGCONT);
                }
                let out = child.wait_with_output().unwrap();
                if out.status.success() {
                    for made in ["out.json", "b.db"] {
                        if !files.iter().any(|f| f == made) {
                            let _ = std::fs::remove_file(dir.join(made));
                        }
                    }
                    std::fs::write(dir.join("out.json"), "old").unwrap();
                    continue;
                }
                assert_eq!(out.status.code(), Some(code), "{what}: {}", stderr(&out));
                interrupted = true;
                break;
            }
            assert!(
                interrupted,
                "{what}: the write always finished before the signal"
            );
            assert_eq!(listing(dir), files, "{what}: files left behind");
            assert_eq!(
                std::fs::read_to_string(dir.join("out.json")).unwrap(),
                "old"
            );
            assert_eq!(db_content(&dir.join("t.db")), before, "{what}");
        }
    }
}

/// `ulimit -f` made `load` die by SIGXFSZ without a word. SIGXFSZ is ignored: the load is
/// refused with what to do, nothing of it is written, and the database passes its check.
#[test]
fn a_load_over_the_file_size_limit_says_so_and_writes_nothing() {
    use std::fmt::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("hostile-inputs/base/plan.toml"))
        .assert()
        .success();
    let db = dir.join("t.db");
    let before = db_content(&db);
    let mut form = String::from("[form]\nstrategy = \"trygg\"\nreported_on = 2021-11-15\n");
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for i in 0..1500u64 {
        write!(
            form,
            "\n[[update]]\ninitiative = \"nett\"\nstatus = \"on-track\"\nreported_on = {}\nsummary = \"{}\"\n",
            start + chrono::Days::new(i),
            "Langt svar. ".repeat(40)
        )
        .unwrap();
    }
    std::fs::write(dir.join("form.toml"), form).unwrap();
    // Room for the database as it is and SQLite's 32 KB -shm, not for the load's 800 KB.
    let blocks = (std::fs::metadata(&db).unwrap().len().max(32 << 10) + (16 << 10)) / 512;
    let limit = format!("ulimit -f {blocks} && exec \"$0\" \"$@\"");
    let mut cmd = actionplan_std(dir, &["/bin/sh", "-c", &limit]);
    cmd.args(["load", "form.toml"]);
    let out = finishes_within(cmd, Duration::from_secs(120), "load under ulimit -f");
    refused(
        &out,
        "load under ulimit -f",
        &[
            "the database could not be written: nothing was written",
            "ulimit -f",
        ],
    );
    assert_eq!(integrity(&db), "ok");
    assert_eq!(db_content(&db), before);
}
