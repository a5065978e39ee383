//! Whole outputs of the read verbs on the shipped plans, pinned as insta snapshots: a change in
//! any line (a column, a word, the order, a blank line, a message on standard error) shows up
//! as a diff to review (`cargo insta review`), where a `contains(` check passes extra or
//! garbled output. They are the proof that a refactor of `src/cli/` and `src/render/` changed
//! no behaviour (issue 16).
//!
//! Hermetic and independent of the day the suite runs: tables are 100 columns wide (comfy-table
//! asks the terminal only when standard output is one, and here it is a pipe; `COLUMNS=100`
//! says the same), without colour; every verb that would read statuses as of today gets
//! `--as-of`; what still differs from run to run (the temporary folder, recording and closing
//! times, today's date) is masked by insta filters of the same width, so tables stay aligned.

use std::path::Path;
use std::process::Output;

use crate::*;

/// A folder whose database holds the shipped plans, loaded as the README does (`load plans`
/// in the repository), so that an update's source file is the same relative path on every
/// machine (an absolute one would change the width of the columns that show it).
fn shipped() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = actionplan(tmp.path())
        .current_dir(repo())
        .args(["load", "plans"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    tmp
}

/// Standard output, then standard error under a rule when there is any, then the exit code
/// when it is not 0: all that a user sees.
fn whole(out: &Output) -> String {
    let mut text = stdout(out);
    let err = stderr(out);
    if !err.is_empty() {
        text.push_str("----- stderr -----\n");
        text.push_str(&err);
    }
    if out.status.code() != Some(0) {
        text.push_str(&format!("----- exit code {:?} -----\n", out.status.code()));
    }
    text
}

/// The whole output of `actionplan ARGS…` in `dir`: 100 columns, no colour.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = actionplan(dir)
        .env("COLUMNS", "100")
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    whole(&out)
}

/// `text` as a regex that matches it literally.
fn literal(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Snapshot settings that mask what differs from run to run in `dir`: its path, the
/// repository's, a recording or closing time (as the store writes them, to the microsecond)
/// and today's date (a recording day; yesterday's too, for a run across midnight). Each
/// placeholder is as wide as what it stands for.
fn masked(dir: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&literal(&dir.display().to_string()), "[TMP]");
    settings.add_filter(&literal(&repo().display().to_string()), "[REPO]");
    settings.add_filter(
        r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z",
        "YYYY-MM-DDTHH:MM:SS.ffffffZ",
    );
    let now = chrono::Utc::now();
    let days = [
        now.date_naive(),
        now.with_timezone(&chrono::Local).date_naive(),
    ];
    for day in days.into_iter().flat_map(|d| [d, d.pred_opt().unwrap()]) {
        settings.add_filter(&literal(&day.to_string()), "YYYY-MM-DD");
    }
    settings
}

/// Asserts each `(name, output)` as a snapshot of its own, under [`masked`] settings.
fn assert_snapshots(dir: &Path, snapshots: &[(&str, String)]) {
    masked(dir).bind(|| {
        for (name, output) in snapshots {
            insta::assert_snapshot!(*name, output);
        }
    });
}

// ---------------------------------------------------------------------------------------------
// graph

/// Digdir's "Sammenhengende tjenester" project supports all seven life events, and one of those
/// holds up the work on regulations: two levels, six owners. Statuses as of the report's day.
#[test]
fn graph_impact_of_a_well_connected_initiative() {
    let tmp = shipped();
    let dir = tmp.path();
    let args = [
        "graph",
        "impact",
        "sammenhengende-tjenester-prosjekt",
        "--strategy",
        "eos",
        "--as-of",
        "2020-12-31",
    ];
    let json = [&args[..], &["--format", "json"]].concat();
    assert_snapshots(
        dir,
        &[
            ("graph-impact.table", run(dir, &args)),
            ("graph-impact.json", run(dir, &json)),
        ],
    );
}

/// As of 2022 a life event reports itself done before the project it depends on: one warning.
#[test]
fn graph_check_order_and_critical_path() {
    let tmp = shipped();
    let dir = tmp.path();
    let eos = ["--strategy", "eos"];
    let check = [&["graph", "check", "--as-of", "2022-12-31"][..], &eos].concat();
    assert_snapshots(
        dir,
        &[
            ("graph-check-2022.table", run(dir, &check)),
            (
                "graph-order.table",
                run(dir, &[&["graph", "order"][..], &eos].concat()),
            ),
            (
                "graph-critical-path.table",
                run(dir, &[&["graph", "critical-path"][..], &eos].concat()),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// missing, lint, diff

/// 2020: the seven initiatives that never reported. 2021: also those whose last update was in
/// 2020, with its day.
#[test]
fn missing_2020_and_2021_in_every_format() {
    let tmp = shipped();
    let dir = tmp.path();
    let mut snapshots = Vec::new();
    for year in ["2020", "2021"] {
        for format in ["table", "csv", "json"] {
            snapshots.push((
                format!("missing-{year}.{format}"),
                run(
                    dir,
                    &["missing", year, "--strategy", "eos", "--format", format],
                ),
            ));
        }
    }
    let named: Vec<(&str, String)> = snapshots
        .iter()
        .map(|(name, out)| (name.as_str(), out.clone()))
        .collect();
    assert_snapshots(dir, &named);
}

#[test]
fn lint_2020() {
    let tmp = shipped();
    let dir = tmp.path();
    let args = ["lint", "2020", "--strategy", "eos"];
    let json = [&args[..], &["--format", "json"]].concat();
    assert_snapshots(
        dir,
        &[
            ("lint-2020.table", run(dir, &args)),
            ("lint-2020.json", run(dir, &json)),
        ],
    );
}

#[test]
fn diff_2019_2020() {
    let tmp = shipped();
    let dir = tmp.path();
    assert_snapshots(
        dir,
        &[(
            "diff-2019-2020.table",
            run(dir, &["diff", "2019", "2020", "--strategy", "eos"]),
        )],
    );
}

// ---------------------------------------------------------------------------------------------
// initiatives and their history

#[test]
fn initiative_list_in_table_and_csv() {
    let tmp = shipped();
    let dir = tmp.path();
    let args = ["initiative", "list", "--strategy", "eos"];
    let csv = [&args[..], &["--format", "csv"]].concat();
    assert_snapshots(
        dir,
        &[
            ("initiative-list.table", run(dir, &args)),
            ("initiative-list.csv", run(dir, &csv)),
        ],
    );
}

/// A life event with milestones (one done, one open), two dependencies and a dependant.
#[test]
fn initiative_show_with_milestones_and_dependencies_both_ways() {
    let tmp = shipped();
    let dir = tmp.path();
    let args = [
        "initiative",
        "show",
        "livshendelse-frivillig-organisasjon",
        "--strategy",
        "eos",
    ];
    assert_snapshots(
        dir,
        &[("initiative-show-frivillig-organisasjon", run(dir, &args))],
    );
}

/// The shipped plans with two more updates of `startoff` recorded by `status set` (one with a
/// respondent, both with progress), so that its history holds three, from two sources.
fn with_startoff_history() -> tempfile::TempDir {
    let tmp = shipped();
    for args in [
        &[
            "status",
            "set",
            "startoff",
            "at-risk",
            "--on",
            "2021-03-15",
            "--progress",
            "40",
            "--summary",
            "Færre prosjekter enn ventet i piloten.",
        ][..],
        &[
            "status",
            "set",
            "startoff",
            "completed",
            "--on",
            "2021-06-30",
            "--progress",
            "100",
            "--summary",
            "StartOFF er lansert.",
            "--respondent",
            "Prosjektleder, DFØ",
        ],
    ] {
        let out = actionplan(tmp.path())
            .args(args)
            .args(["--strategy", "eos"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    tmp
}

#[test]
fn initiative_show_with_a_history_of_several_updates() {
    let tmp = with_startoff_history();
    let dir = tmp.path();
    assert_snapshots(
        dir,
        &[(
            "initiative-show-startoff",
            run(
                dir,
                &["initiative", "show", "startoff", "--strategy", "eos"],
            ),
        )],
    );
}

/// The history with its sources: the shipped form (a relative path) and `status set`; the
/// recording times are masked.
#[test]
fn status_history_in_table_and_json() {
    let tmp = with_startoff_history();
    let dir = tmp.path();
    let args = ["status", "history", "startoff", "--strategy", "eos"];
    let json = [&args[..], &["--format", "json"]].concat();
    assert_snapshots(
        dir,
        &[
            ("status-history-startoff.table", run(dir, &args)),
            ("status-history-startoff.json", run(dir, &json)),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// periods and indicators

/// After `period close 2020`: the period, its days, its content hash (that of the 2020 report)
/// and when it was closed (masked).
#[test]
fn period_list_after_a_close() {
    let tmp = shipped();
    let dir = tmp.path();
    let close = run(dir, &["period", "close", "2020", "--strategy", "eos"]);
    let list = ["period", "list", "--strategy", "eos"];
    let json = [&list[..], &["--format", "json"]].concat();
    assert_snapshots(
        dir,
        &[
            ("period-close-2020", close),
            ("period-list.table", run(dir, &list)),
            ("period-list.json", run(dir, &json)),
        ],
    );
}

#[test]
fn indicator_list_fdn() {
    let tmp = shipped();
    let dir = tmp.path();
    assert_snapshots(
        dir,
        &[(
            "indicator-list-fdn.table",
            run(dir, &["indicator", "list", "--strategy", "fdn"]),
        )],
    );
}
