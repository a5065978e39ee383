//! Closed periods, corrections, and reports as the record stood at a past moment.

use crate::*;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn report(dir: &std::path::Path, extra: &[&str]) -> String {
    let out = actionplan(dir)
        .args(["report", "2021", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_closed_period_refuses_plain_updates_and_keeps_corrections_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    actionplan(dir)
        .args(["status", "set", "nett", "on-track", "--on", "2021-06-01"])
        .assert()
        .success();
    let out = actionplan(dir)
        .args(["period", "close", "2021"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // The content hash is that of the 2021 record, which holds nothing volatile.
    assert_eq!(
        stderr(&out),
        "closed 2021 (2021-01-01 – 2021-12-31) for runde: content hash \
         929e1fdc86dc05c5d68ef44350a868b5e6c7f573b30a039396451bd75db26551\n"
    );
    let again = actionplan(dir)
        .args(["period", "close", "2021"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1), "a period is closed once");

    let before = db_content(&dir.join("t.db"));
    std::fs::write(
        dir.join("late.toml"),
        "[form]\nstrategy = \"runde\"\nreported_on = 2021-12-01\n\n[[update]]\ninitiative = \"nett\"\nstatus = \"delayed\"\n",
    )
    .unwrap();
    let out = actionplan(dir)
        .args(["load", "late.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("late.toml:3:15: `reported_on` 2021-12-01 falls in 2021, which is closed"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--correction"), "{}", stderr(&out));
    assert_eq!(
        db_content(&dir.join("t.db")),
        before,
        "the refused load wrote nothing"
    );

    let out = actionplan(dir)
        .args([
            "load",
            "late.toml",
            "--correction",
            "Leverandøren varslet forsinkelse etter fristen",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&report(dir, &[])).unwrap();
    assert_eq!(v["corrections"][0]["id"], "nett");
    assert_eq!(
        v["corrections"][0]["reason"],
        "Leverandøren varslet forsinkelse etter fristen"
    );
    assert_eq!(v["corrections"][0]["status"], "delayed");
    // Updates dated after the closed period load as usual.
    actionplan(dir)
        .args(["status", "set", "nett", "on-track", "--on", "2022-02-01"])
        .assert()
        .success();
}

#[test]
fn as_known_at_shows_the_record_before_and_after_a_correction() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    actionplan(dir)
        .args(["status", "set", "nett", "on-track", "--on", "2021-06-01"])
        .assert()
        .success();
    actionplan(dir)
        .args(["period", "close", "2021"])
        .assert()
        .success();
    let as_told_to_skate = report(dir, &[]);
    let moment = now();

    actionplan(dir)
        .args([
            "status",
            "set",
            "nett",
            "delayed",
            "--on",
            "2021-06-01",
            "--correction",
            "Feil status i skjemaet",
        ])
        .assert()
        .success();
    let corrected = report(dir, &[]);
    assert_ne!(
        as_told_to_skate, corrected,
        "the correction changes today's report"
    );

    let then = report(dir, &["--as-known-at", &moment]);
    let strip = |json: &str| {
        let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
        v.as_object_mut().unwrap().remove("known_at");
        v
    };
    assert_eq!(
        strip(&then),
        strip(&as_told_to_skate),
        "as known at the moment, the report is the one Skate saw"
    );
    let v: serde_json::Value = serde_json::from_str(&then).unwrap();
    assert_eq!(v["focus_areas"][0]["initiatives"][0]["status"], "on-track");
    assert_eq!(v["corrections"].as_array().unwrap().len(), 0);

    // The footer's hash is the closed period's: a reader can check the document.
    let periods = actionplan(dir)
        .args(["period", "list", "--format", "json"])
        .output()
        .unwrap();
    let periods: serde_json::Value = serde_json::from_slice(&periods.stdout).unwrap();
    assert_eq!(v["content_hash"], periods[0]["content_hash"]);
    let md = actionplan(dir)
        .args([
            "report",
            "2021",
            "--format",
            "markdown",
            "--as-known-at",
            &moment,
        ])
        .output()
        .unwrap();
    let hash = periods[0]["content_hash"].as_str().unwrap();
    assert!(
        stdout(&md).contains(hash),
        "the Markdown footer names the hash"
    );
    // And it renders the same bytes every time.
    let again = actionplan(dir)
        .args([
            "report",
            "2021",
            "--format",
            "markdown",
            "--as-known-at",
            &moment,
        ])
        .output()
        .unwrap();
    assert_eq!(md.stdout, again.stdout);
}
