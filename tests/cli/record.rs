//! Issue 14 ([1/8]): a record you can trust through a real yearly round. One test per defect the
//! issue names (each failed on the code before it), on the real binary.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::*;

fn run(dir: &Path, args: &[&str]) -> Output {
    actionplan(dir).args(args).output().unwrap()
}

/// Runs a verb that must succeed; its standard output and error.
fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    (stdout(&out), stderr(&out))
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, args).0).unwrap()
}

/// A verb that must be refused (exit 1) with each fragment in its message.
fn refused(dir: &Path, args: &[&str], says: &[&str]) {
    let out = run(dir, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    for s in says {
        assert!(err.contains(s), "{args:?}: expected `{s}` in\n{err}");
    }
}

/// The closed period `name` of a strategy: (content hash, closed at).
fn closed(dir: &Path, strategy: &str, name: &str) -> (String, String) {
    let periods = json(
        dir,
        &["period", "list", "--format", "json", "--strategy", strategy],
    );
    let p = periods
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == name)
        .unwrap_or_else(|| panic!("{name} is not closed: {periods}"));
    (
        p["content_hash"].as_str().unwrap().to_string(),
        p["closed_at"].as_str().unwrap().to_string(),
    )
}

fn report_json(dir: &Path, year: &str, strategy: &str, extra: &[&str]) -> Value {
    let mut args = vec!["report", year, "--strategy", strategy, "--format", "json"];
    args.extend(extra);
    json(dir, &args)
}

fn hash(report: &Value) -> String {
    report["content_hash"].as_str().unwrap().to_string()
}

/// 1-based line and column of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, col)
}

/// Defect 1: a 2021 form filled in with last year's date is refused at that date's position,
/// by `check` and by `load` alike, and the record is as it was.
#[test]
fn issue_14_1_a_date_outside_the_round_is_refused_where_it_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    ok(dir, &["forms", "2021", "--out", "out"]);
    let blank = std::fs::read_to_string(dir.join("out/2021-ikt.toml")).unwrap();
    assert!(blank.contains("round = \"2021\""), "{blank}");
    let filled = blank
        .replacen("reported_on = \"\"", "reported_on = 2020-11-30", 1)
        .replace("status = \"\"", "status = \"completed\"");
    std::fs::write(dir.join("2021-ikt.toml"), &filled).unwrap();
    let (line, col) = position(&filled, "2020-11-30");
    let before = db_content(&dir.join("t.db"));
    for verb in ["check", "load"] {
        refused(
            dir,
            &[verb, "2021-ikt.toml"],
            &[
                &format!("2021-ikt.toml:{line}:{col}: 2020-11-30 is outside round 2021"),
                "hint: round 2021 runs from 2021-01-01 to 2021-12-31",
            ],
        );
    }
    assert_eq!(db_content(&dir.join("t.db")), before);
    let missing = json(dir, &["missing", "2021", "--format", "json"]);
    assert!(
        missing
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "nett"),
        "{missing}"
    );
}

/// Defect 2: after a period is closed, loading the unchanged repository again changes nothing
/// and is not refused; `check` agrees.
#[test]
fn issue_14_2_reloading_what_is_recorded_is_never_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    ok(dir, &["period", "close", "2020", "--strategy", "eos"]);
    let before = db_content(&dir.join("t.db"));
    let plans = repo().join("plans");
    let plans = plans.to_str().unwrap();
    ok(dir, &["check", plans]);
    let (_, err) = ok(dir, &["load", plans]);
    assert!(err.contains("nothing changed"), "{err}");
    assert_eq!(db_content(&dir.join("t.db")), before);
}

/// Defect 3: closing 2021 freezes 2020 too (open or not): an update dated there is a
/// correction, listed as one, and the closed hash is still rebuilt as known at the close.
#[test]
fn issue_14_3_closing_a_period_freezes_every_day_before_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    ok(dir, &["period", "close", "2021", "--strategy", "eos"]);
    let (closed_hash, closed_at) = closed(dir, "eos", "2021");
    assert_eq!(hash(&report_json(dir, "2021", "eos", &[])), closed_hash);
    let set = [
        "status",
        "set",
        "startoff",
        "delayed",
        "--on",
        "2020-12-15",
        "--strategy",
        "eos",
    ];
    refused(
        dir,
        &set,
        &[
            "`reported_on` 2020-12-15 is frozen: 2021 is closed, and with it every day up to 2021-12-31",
            "--correction",
        ],
    );
    let mut corrected = set.to_vec();
    corrected.extend(["--correction", "Feil i skjemaet for 2020"]);
    ok(dir, &corrected);
    let now = report_json(dir, "2021", "eos", &[]);
    assert_ne!(
        hash(&now),
        closed_hash,
        "a correction changes the hash, openly"
    );
    let corrections = now["corrections"].as_array().unwrap();
    assert!(
        corrections
            .iter()
            .any(|c| c["id"] == "startoff" && c["reason"] == "Feil i skjemaet for 2020"),
        "{corrections:?}"
    );
    let then = report_json(dir, "2021", "eos", &["--as-known-at", &closed_at]);
    assert_eq!(hash(&then), closed_hash);
    let verify = json(
        dir,
        &["period", "verify", "--format", "json", "--strategy", "eos"],
    );
    assert_eq!(verify[0]["intact"], true, "{verify}");
    assert_eq!(verify[0]["corrections_since"], 1, "{verify}");
}

/// The round fixture's plan with a due date for `skoleportal`.
fn round_plan(skoleportal_due: &str) -> String {
    std::fs::read_to_string(fixture("round/plan.toml"))
        .unwrap()
        .replace(
            "owner = \"fylke\"\n\n[[initiative]]\nid = \"senere\"",
            &format!(
                "owner = \"fylke\"\ndue = {skoleportal_due}\n\n[[initiative]]\nid = \"senere\""
            ),
        )
}

/// The round plan, revised: `revised` set, `minside` dropped (withdrawn), `skoleportal` due
/// later, and a new initiative.
fn revised_round_plan(revised: &str) -> String {
    let plan = round_plan("2023-06-30");
    let start = plan.find("[[initiative]]\nid = \"minside\"").unwrap();
    let end = start + plan[start..].find("\n\n").unwrap() + 2;
    let without = format!("{}{}", &plan[..start], &plan[end..]);
    without.replace(
        "period = { start = 2020, end = 2024 }",
        &format!("period = {{ start = 2020, end = 2024 }}\nrevised = {revised}"),
    ) + "\n[[initiative]]\nid = \"ny-portal\"\ntitle = \"Ny portal\"\nfocus_area = \"grunnmur\"\nowner = \"by\"\n"
}

/// Loads the round plan (with `skoleportal` due at the end of 2021) as a first version.
fn load_round_plan(dir: &Path) {
    std::fs::write(dir.join("plan.toml"), round_plan("2021-12-31")).unwrap();
    ok(dir, &["load", "plan.toml"]);
}

/// Defect 4: after a withdrawal and a close, `report --as-known-at <the close>` rebuilds the
/// closed hash; so does every later moment, whatever is loaded after; the plain report keeps
/// it too while nothing corrects the period.
#[test]
fn issue_14_4_a_closed_period_hash_can_always_be_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_round_plan(dir);
    for (id, status) in [("nett", "on-track"), ("minside", "delayed")] {
        ok(dir, &["status", "set", id, status, "--on", "2021-03-01"]);
    }
    std::fs::write(dir.join("plan.toml"), revised_round_plan("2021-09-01")).unwrap();
    ok(dir, &["load", "plan.toml"]);
    ok(dir, &["period", "close", "2021"]);
    let (closed_hash, closed_at) = closed(dir, "runde", "2021");
    let check = |when: &str| {
        assert_eq!(
            hash(&report_json(dir, "2021", "runde", &["--as-known-at", when])),
            closed_hash,
            "as known at {when}"
        );
        assert_eq!(hash(&report_json(dir, "2021", "runde", &[])), closed_hash);
        let verify = json(dir, &["period", "verify", "--format", "json"]);
        assert_eq!(verify[0]["intact"], true, "{verify}");
        assert_eq!(verify[0]["current"], closed_hash.as_str(), "{verify}");
    };
    check(&closed_at);
    // Later: a 2022 revision, 2022 updates, a retraction of a 2022 update.
    let later = revised_round_plan("2022-02-01").replace("Ny portal", "Ny portal (utvidet)");
    std::fs::write(dir.join("plan.toml"), later).unwrap();
    ok(dir, &["load", "plan.toml"]);
    ok(
        dir,
        &["status", "set", "nett", "completed", "--on", "2022-05-01"],
    );
    let history = json(dir, &["status", "history", "nett", "--format", "json"]);
    let last = history.as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    ok(
        dir,
        &["status", "retract", &last, "--reason", "Feil initiativ"],
    );
    check(&closed_at);
    check("2100-01-01T00:00:00Z");
}

/// Defect 5: plan versions take effect on their day. The shipped plan is not "new" in its
/// first reports; a revision dated in 2021 shows in the 2021 report and in `diff 2020 2021`,
/// not in 2020; and a moment before anything was recorded is said to be one.
#[test]
fn issue_14_5_plan_revisions_take_effect_on_their_day() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let shipped = report_json(dir, "2020", "eos", &[]);
    assert_eq!(shipped["changes"]["new_in_plan"], serde_json::json!([]));
    refused(
        dir,
        &[
            "report",
            "2020",
            "--strategy",
            "eos",
            "--as-known-at",
            "2021-02-01",
        ],
        &["nothing of `eos` had been recorded by 2021-02-01"],
    );

    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    load_round_plan(dir);
    let before_2020 = report_json(dir, "2020", "runde", &[]);
    assert_eq!(before_2020["changes"]["new_in_plan"], serde_json::json!([]));
    std::fs::write(dir.join("plan.toml"), revised_round_plan("2021-06-01")).unwrap();
    ok(dir, &["load", "plan.toml"]);
    let r2021 = report_json(dir, "2021", "runde", &[]);
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&r2021["changes"]["new_in_plan"]), ["ny-portal"]);
    assert_eq!(ids(&r2021["changes"]["withdrawn"]), ["minside"]);
    assert_eq!(ids(&r2021["changes"]["slipped"]), ["skoleportal"]);
    assert_eq!(
        report_json(dir, "2020", "runde", &[]),
        before_2020,
        "the 2020 report is as it was"
    );
    let diff = json(dir, &["diff", "2020", "2021", "--format", "json"]);
    assert_eq!(ids(&diff["new_in_plan"]), ["ny-portal"]);
    assert_eq!(ids(&diff["withdrawn"]), ["minside"]);
    assert_eq!(ids(&diff["slipped"]), ["skoleportal"]);
    // `minside` is missing in 2020 (active, no update), not in 2021 (withdrawn in June).
    let missing = |year: &str| ids(&json(dir, &["missing", year, "--format", "json"]));
    assert!(missing("2020").contains(&"minside".to_string()));
    assert!(!missing("2021").contains(&"minside".to_string()));
    // A version may not take effect before the one in force.
    std::fs::write(
        dir.join("plan.toml"),
        revised_round_plan("2021-03-01").replace("Ny portal", "Ny portal 2"),
    )
    .unwrap();
    refused(
        dir,
        &["load", "plan.toml"],
        &["would take effect on 2021-03-01, before the version in force from 2021-06-01"],
    );
}

/// Defect 6: a mistaken update is retracted, not deleted: it stays in the history with its
/// reason; reports leave it out; once only; in a closed period only as a correction.
#[test]
fn issue_14_6_mistakes_are_retracted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    ok(
        dir,
        &["status", "set", "nett", "on-track", "--on", "2021-03-01"],
    );
    ok(
        dir,
        &["status", "set", "nett", "completed", "--on", "2021-04-30"],
    );
    let status = |dir: &Path| {
        report_json(dir, "2021", "runde", &[])["focus_areas"][0]["initiatives"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "nett")
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(dir), "completed");
    let history = json(dir, &["status", "history", "nett", "--format", "json"]);
    let wrong = history
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["status"] == "completed")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let (_, err) = ok(
        dir,
        &[
            "status",
            "retract",
            &wrong,
            "--reason",
            "Gjaldt et annet initiativ",
        ],
    );
    assert!(err.contains(&format!("retracted update {wrong}")), "{err}");
    assert_eq!(status(dir), "on-track");
    let history = json(dir, &["status", "history", "nett", "--format", "json"]);
    let marked = history
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"].as_i64().unwrap().to_string() == wrong)
        .unwrap();
    assert_eq!(marked["retracted"]["reason"], "Gjaldt et annet initiativ");
    refused(
        dir,
        &["status", "retract", &wrong, "--reason", "igjen"],
        &["was retracted already"],
    );
    refused(
        dir,
        &["status", "retract", "99999", "--reason", "x"],
        &["there is no update 99999"],
    );

    ok(dir, &["period", "close", "2021"]);
    let first = history.as_array().unwrap()[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    refused(
        dir,
        &["status", "retract", &first, "--reason", "Feil"],
        &["which 2021 has closed", "--correction"],
    );
    ok(
        dir,
        &[
            "status",
            "retract",
            &first,
            "--reason",
            "Feil",
            "--correction",
            "Rettet etter revisjon",
        ],
    );
    let verify = json(dir, &["period", "verify", "--format", "json"]);
    assert_eq!(verify[0]["intact"], true);
    assert_eq!(verify[0]["corrections_since"], 1);
}

/// Defect 7: reading never creates, migrates or changes a database; a read-only database in a
/// folder the user cannot write is read.
#[test]
fn issue_14_7_reading_never_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let files = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // No database: said, and none made (nor its folders).
    refused(
        dir,
        &["report", "2020"],
        &["no database at", "actionplan load plans/"],
    );
    let out = actionplan_db(dir, "sub/dir/x.db")
        .args(["initiative", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(files(dir).is_empty(), "{:?}", files(dir));
    // A refused load into a new database leaves none behind.
    std::fs::write(dir.join("bad.toml"), "[strategy]\nid = \"x\"\n").unwrap();
    refused(dir, &["load", "bad.toml"], &["nothing was written"]);
    assert_eq!(files(dir), ["bad.toml"]);
    // `backup` copies its source as it is: an older database stays at its schema, unchanged.
    let old = dir.join("old.db");
    std::fs::copy(fixture("upgrade/schema4.db"), &old).unwrap();
    let bytes = std::fs::read(&old).unwrap();
    actionplan_db(dir, "old.db")
        .args(["backup", "copy.db"])
        .assert()
        .success();
    assert!(
        std::fs::read(&old).unwrap() == bytes,
        "backup changed its source"
    );
    let version: i64 = rusqlite::Connection::open(dir.join("copy.db"))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);

    // An archive: a database in a folder its reader cannot write.
    let archive = dir.join("archive");
    std::fs::create_dir(&archive).unwrap();
    actionplan_db(&archive, "t.db")
        .arg("load")
        .arg(repo().join("plans"))
        .assert()
        .success();
    let db = archive.join("t.db");
    let bytes = std::fs::read(&db).unwrap();
    let reader = ArchiveReader::new(dir, &archive);
    for args in [
        &["report", "2020", "--strategy", "eos", "--format", "json"][..],
        &["missing", "2020", "--strategy", "eos"],
        &["period", "list", "--strategy", "eos"],
    ] {
        let out = reader.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let out = reader.run(&["check", repo().join("plans").to_str().unwrap()]);
    assert!(out.status.success(), "check: {}", stderr(&out));
    drop(reader);
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "a read changed the file"
    );
}

/// Runs the binary against a database in a folder it cannot write: as the user `nobody` where
/// the tests run as root (root may write anywhere), else with the folder's write bits taken
/// away.
struct ArchiveReader {
    folder: std::path::PathBuf,
    as_nobody: bool,
}

impl ArchiveReader {
    fn new(top: &Path, folder: &Path) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        // `nobody` must reach the folder; it may not write to it or the database.
        for d in [top, folder] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        if !root {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        ArchiveReader {
            folder: folder.to_path_buf(),
            as_nobody: root,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let bin = env!("CARGO_BIN_EXE_actionplan");
        let mut cmd = if self.as_nobody {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            c
        } else {
            std::process::Command::new(bin)
        };
        cmd.env_clear()
            .env("NO_COLOR", "1")
            .env("LANG", "en_US.UTF-8")
            .current_dir(&self.folder)
            .arg("--db")
            .arg(self.folder.join("t.db"))
            .args(args)
            .output()
            .unwrap()
    }
}

impl Drop for ArchiveReader {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o755));
    }
}

/// Defect 8: only a period that has ended and lies within the strategy's period can be closed;
/// a correction or retraction needs a reason that says something.
#[test]
fn issue_14_8_only_what_has_ended_can_be_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    for (period, says) in [
        ("2030", "2030 is outside the strategy period 2019–2025"),
        ("1899", "1899 is outside the strategy period 2019–2025"),
        ("2026", "2026 is outside the strategy period 2019–2025"),
    ] {
        refused(
            dir,
            &["period", "close", period, "--strategy", "eos"],
            &[says],
        );
    }
    // `fdn` runs 2024–2030: this year has not ended.
    let this_year = chrono::Local::now().date_naive().format("%Y").to_string();
    refused(
        dir,
        &["period", "close", &this_year, "--strategy", "fdn"],
        &[&format!("{this_year} has not ended")],
    );
    let blank = run(
        dir,
        &[
            "status",
            "set",
            "startoff",
            "on-track",
            "--on",
            "2020-12-01",
            "--strategy",
            "eos",
            "--correction",
            " ",
        ],
    );
    assert_eq!(blank.status.code(), Some(2), "{}", stderr(&blank));
    assert!(stderr(&blank).contains("the reason must not be blank"));
    let blank = run(dir, &["status", "retract", "1", "--reason", ""]);
    assert_eq!(blank.status.code(), Some(2), "{}", stderr(&blank));
    assert!(
        json(
            dir,
            &["period", "list", "--format", "json", "--strategy", "eos"]
        )
        .as_array()
        .unwrap()
        .is_empty()
    );
}

/// A database made by the release before this record (schema 4) upgrades with its history,
/// its closed period and that period's hash intact.
#[test]
fn a_database_of_the_previous_release_upgrades_with_its_history_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(fixture("upgrade/schema4.db"), dir.join("t.db")).unwrap();
    let (_, err) = ok(dir, &["migrate"]);
    assert!(err.contains("from schema version 4 to"), "{err}");
    let history = json(
        dir,
        &[
            "status",
            "history",
            "startoff",
            "--strategy",
            "eos",
            "--format",
            "json",
        ],
    );
    let before: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("upgrade/schema4-startoff-history.json")).unwrap(),
    )
    .unwrap();
    let fields = |v: &Value| -> Vec<(Value, Value, Value, Value)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    u["reported_on"].clone(),
                    u["status"].clone(),
                    u["recorded_at"].clone(),
                    u["correction"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(fields(&history), fields(&before));
    let (recorded, _) = closed(dir, "eos", "2020");
    assert_eq!(
        recorded,
        "cbc2a4e182df57d6cd4dc7e80763aae94761d98a8bb6b80adc4e6b75235636b5"
    );
    let verify = json(
        dir,
        &["period", "verify", "--format", "json", "--strategy", "eos"],
    );
    assert_eq!(verify[0]["hash_rule"], 1);
    assert_eq!(verify[0]["intact"], true, "{verify}");
    // The first version of the plan takes effect from the start of the strategy period: it is
    // not "new" in 2020.
    assert_eq!(
        report_json(dir, "2020", "eos", &[])["changes"]["new_in_plan"],
        serde_json::json!([])
    );
}

/// The yearly cycle of `docs/veiledning.md`, run for three years with a close after each:
/// revise the plan, send forms, collect, chase, write the narrative, report, review, close.
/// Every closed year's report is afterwards exactly what it was when it closed, and its hash
/// rebuilds as known at the close.
#[test]
fn the_yearly_cycle_of_the_guide_runs_for_three_years_with_closes_between() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let repo_dir = dir.join("plans/runde");
    std::fs::create_dir_all(repo_dir.join("status")).unwrap();
    let mut plan = round_plan("2023-12-31");
    std::fs::write(repo_dir.join("plan.toml"), &plan).unwrap();
    ok(dir, &["load", "plans/"]);
    let mut closed_reports = Vec::new();
    for year in [2021, 2022, 2023] {
        let y = year.to_string();
        // 1. The plan is revised early in the year: a new initiative, and in 2022 one withdrawn.
        plan = plan.replace("\nrevised = ", "\n# revised = ");
        plan = plan.replacen(
            "period = { start = 2020, end = 2024 }",
            &format!("period = {{ start = 2020, end = 2024 }}\nrevised = {y}-01-15"),
            1,
        );
        plan.push_str(&format!(
            "\n[[initiative]]\nid = \"ny-{y}\"\ntitle = \"Nytt i {y}\"\nfocus_area = \"grunnmur\"\nowner = \"by\"\n"
        ));
        if year == 2022 {
            let start = plan.find("[[initiative]]\nid = \"minside\"").unwrap();
            let end = start + plan[start..].find("\n\n").unwrap() + 2;
            plan = format!("{}{}", &plan[..start], &plan[end..]);
        }
        std::fs::write(repo_dir.join("plan.toml"), &plan).unwrap();
        ok(dir, &["check", "plans/"]);
        let (_, err) = ok(dir, &["load", "plans/"]);
        assert!(err.contains("+1 initiative"), "{year}: {err}");

        // 2.–3. Forms out, filled in by the owners, checked and loaded.
        let out = format!("utsending-{y}/");
        ok(dir, &["forms", &y, "--out", &out, "--lang", "nb"]);
        for entry in std::fs::read_dir(dir.join(&out)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(&format!("round = \"{y}\"")), "{name}");
            let status = if name.contains("fylke") {
                "forsinket"
            } else {
                "i-rute"
            };
            let filled = text
                .replacen("reported_on = \"\"", &format!("reported_on = {y}-11-15"), 1)
                .replace("status = \"\"", &format!("status = \"{status}\""))
                .replacen("summary = \"\"", "summary = \"Arbeidet går videre.\"", 1);
            std::fs::write(repo_dir.join("status").join(&name), filled).unwrap();
        }
        ok(dir, &["check", &format!("plans/runde/status/{y}-ikt.toml")]);
        ok(dir, &["load", "plans/"]);

        // 4. Nobody is missing.
        let missing = json(dir, &["missing", &y, "--format", "json"]);
        assert_eq!(missing, serde_json::json!([]), "{year}");

        // 5. The narrative.
        std::fs::write(
            repo_dir.join(format!("report-{y}.toml")),
            format!("[report]\nstrategy = \"runde\"\nyear = {year}\nsummary = [\"Et år med framdrift.\"]\n"),
        )
        .unwrap();
        ok(dir, &["load", "plans/"]);

        // 6. The report in every format, reviewed.
        ok(dir, &["report", &y, "--lang", "nb"]);
        for (format, file) in [("html", "html"), ("markdown", "md"), ("json", "json")] {
            let output = format!("erfaringsrapport-{y}.{file}");
            ok(
                dir,
                &["report", &y, "--format", format, "--output", &output],
            );
            assert!(dir.join(&output).metadata().unwrap().len() > 0);
        }
        ok(dir, &["lint", &y]);
        ok(dir, &["diff", &(year - 1).to_string(), &y]);

        // 7. Closed once presented; the unchanged repository loads again as a no-op.
        ok(dir, &["period", "close", &y]);
        let (err_free, err) = ok(dir, &["load", "plans/"]);
        assert!(
            err_free.is_empty() && err.contains("nothing changed"),
            "{err}"
        );
        let (hash_at_close, closed_at) = closed(dir, "runde", &y);
        let report = report_json(dir, &y, "runde", &[]);
        assert_eq!(hash(&report), hash_at_close);
        closed_reports.push((y.clone(), report, hash_at_close, closed_at));

        // Backup.
        ok(
            dir,
            &["export", "--output", &format!("sikkerhetskopi-{y}.json")],
        );
    }
    for (y, report, hash_at_close, closed_at) in &closed_reports {
        assert_eq!(
            &report_json(dir, y, "runde", &[]),
            report,
            "the {y} report changed after it closed"
        );
        let then = report_json(dir, y, "runde", &["--as-known-at", closed_at]);
        assert_eq!(&hash(&then), hash_at_close);
    }
    let verify = json(dir, &["period", "verify", "--format", "json"]);
    assert!(
        verify
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["intact"] == true),
        "{verify}"
    );
    // A restore of the last backup gives the same reports.
    actionplan_db(dir, "restored.db")
        .args(["load", "sikkerhetskopi-2023.json"])
        .assert()
        .success();
    for (y, report, ..) in &closed_reports {
        let out = actionplan_db(dir, "restored.db")
            .args(["report", y, "--format", "json"])
            .output()
            .unwrap();
        let restored: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(&restored, report, "{y} after a restore");
    }
}

/// Issue 15 ([2/8]), finding 12: restoring an old export into a database that has moved on
/// once withdrew the newer initiatives quietly. Now it is refused with what differs, and the
/// database is as it was; into a new database it restores.
#[test]
fn issue_15_12_a_restore_never_merges_into_a_record_that_has_moved_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_round_plan(dir);
    ok(
        dir,
        &["status", "set", "nett", "on-track", "--on", "2021-03-01"],
    );
    ok(dir, &["export", "--output", "old.json"]);
    // The record moves on: a new initiative, and another update.
    std::fs::write(dir.join("plan.toml"), revised_round_plan("2021-06-01")).unwrap();
    ok(dir, &["load", "plan.toml"]);
    ok(
        dir,
        &["status", "set", "nett", "delayed", "--on", "2021-09-01"],
    );
    let before = db_content(&dir.join("t.db"));
    refused(
        dir,
        &["load", "old.json"],
        &[
            "the database already holds strategy `runde`, and the export differs: the plan differs",
            "restored into a database without its strategy",
        ],
    );
    assert_eq!(db_content(&dir.join("t.db")), before);
    actionplan_db(dir, "new.db")
        .args(["load", "old.json"])
        .assert()
        .success();
    let out = actionplan_db(dir, "new.db")
        .args(["report", "2021", "--format", "json"])
        .output()
        .unwrap();
    let restored: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        restored["changes"]["new_in_plan"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// Issue 16 ([3/8]), item 4: a year is a year. One the command line cannot take is a usage
/// error (exit 2), never a date that wraps around; one outside the strategy's period is
/// refused (exit 1) naming the period, in every verb that takes a year.
#[test]
fn issue_16_4_years_outside_their_range_or_the_period_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    for year in ["-2147483648", "1066", "10000", "20x0"] {
        for verb in [&["report"][..], &["missing"], &["lint"]] {
            let mut args = verb.to_vec();
            args.extend(["--", year]);
            let out = run(dir, &args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains("is not a year from 1900 to 9999"),
                "{args:?}: {}",
                stderr(&out)
            );
        }
    }
    for args in [
        &["report", "2030", "--strategy", "eos"][..],
        &["missing", "2018", "--strategy", "eos"],
        &["lint", "2026", "--strategy", "eos"],
        &["forms", "2030", "--out", "out", "--strategy", "eos"],
    ] {
        refused(
            dir,
            args,
            &["is outside the strategy period of `eos`, 2019–2025"],
        );
    }
    assert!(!dir.join("out").exists());
    let out = run(dir, &["init", "x", "--start", "2147483647"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
