//! Shared helpers: a hermetic command, temporary databases, and database snapshots.

use std::path::Path;
use std::path::PathBuf;

use assert_cmd::Command;

/// The repository root, for the shipped plans and the fixtures.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// The binary with a clean environment and the database `t.db` in `dir`.
pub fn actionplan(dir: &Path) -> Command {
    actionplan_db(dir, "t.db")
}

/// The binary with a clean environment and the database `db` in `dir`.
pub fn actionplan_db(dir: &Path, db: &str) -> Command {
    Command::from_std(hermetic(dir, db, &[]))
}

/// As [`actionplan`], as a plain `std::process::Command`: for runs that are spawned and
/// signalled, or wrapped (in `sh -c 'ulimit …; exec …'`). `wrap` comes before the binary.
pub fn actionplan_std(dir: &Path, wrap: &[&str]) -> std::process::Command {
    hermetic(dir, "t.db", wrap)
}

fn hermetic(dir: &Path, db: &str, wrap: &[&str]) -> std::process::Command {
    let bin = env!("CARGO_BIN_EXE_actionplan");
    let mut cmd = match wrap.split_first() {
        Some((first, rest)) => {
            let mut c = std::process::Command::new(first);
            c.args(rest).arg(bin);
            c
        }
        None => std::process::Command::new(bin),
    };
    cmd.env_clear()
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("LANG", "en_US.UTF-8")
        .current_dir(dir)
        .arg("--db")
        .arg(dir.join(db));
    cmd
}

/// Every table's rows, sorted: to prove a refused write changed nothing.
pub fn db_content(db: &Path) -> Vec<(String, Vec<String>)> {
    let conn = rusqlite::Connection::open(db).expect("open db");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (t, rows)
        })
        .collect()
}

/// A fresh folder whose database `t.db` holds the fixture plan `rel`.
pub fn with_fixture_plan(rel: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    actionplan(tmp.path())
        .arg("load")
        .arg(fixture(rel))
        .assert()
        .success();
    tmp
}

/// Loads the shipped plan folder into a fresh database in `dir`.
pub fn load_shipped(dir: &Path) {
    actionplan(dir)
        .arg("load")
        .arg(repo().join("plans"))
        .assert()
        .success();
}

/// Whether the suite runs on CI: `CI` set to anything but empty, `0` or `false` (the rule insta
/// follows too, so that CI never writes snapshots and never skips a test).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
}

/// The one way a test skips when the machine lacks what it needs (a program, root, a mount):
/// on a developer's machine it says why on standard error and the test returns; on CI, where
/// `.ci/run` installs everything, a skip would hide a test that never ran, so it fails.
#[track_caller]
pub fn skip_or_fail(why: &str) {
    assert!(
        !on_ci(),
        "CI is set, and this test may not skip there: {why}"
    );
    eprintln!("skipped: {why}");
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
