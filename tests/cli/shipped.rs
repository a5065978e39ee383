//! The shipped data: the real plan of «Én digital offentlig sektor», its 2020 forms and narrative.

use crate::*;

fn json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = actionplan(dir).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_shipped_plans_check_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let out = actionplan(tmp.path())
        .arg("check")
        .arg(repo().join("plans"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !tmp.path().join("t.db").exists(),
        "check must not create a database"
    );
}

#[test]
fn the_real_plan_is_complete_enough_to_report_on() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let list = json(
        tmp.path(),
        &[
            "initiative",
            "list",
            "--strategy",
            "eos",
            "--format",
            "json",
        ],
    );
    let list = list.as_array().unwrap();
    assert!(list.len() >= 25, "{} initiatives", list.len());
    let life_events = list.iter().filter(|i| i["kind"] == "life-event").count();
    assert_eq!(life_events, 7);
    let edges: usize = list
        .iter()
        .map(|i| i["depends_on"].as_array().unwrap().len())
        .sum();
    assert!(edges >= 10, "{edges} dependencies");
    assert!(
        list.iter()
            .any(|i| i["id"] == "datafabrikken" && i["kind"] == "proposed")
    );

    let export = json(tmp.path(), &["export"]);
    let eos = export["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["strategy"]["id"] == "eos")
        .unwrap();
    assert!(eos["focus_areas"].as_array().unwrap().len() >= 8);
    assert!(eos["organisations"].as_array().unwrap().len() >= 15);
}

#[test]
fn the_2020_forms_are_in_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let history = json(
        tmp.path(),
        &[
            "status",
            "history",
            "ressurssenter-data",
            "--strategy",
            "eos",
            "--format",
            "json",
        ],
    );
    assert_eq!(history[0]["status"], "completed");
    assert_eq!(history[0]["reported_on"], "2020-11-30");
    assert!(
        history[0]["source_file"]
            .as_str()
            .unwrap()
            .ends_with("2020-digdir.toml")
    );
    let strategy = json(
        tmp.path(),
        &[
            "status",
            "history",
            "strategi-digital-kompetanse",
            "--strategy",
            "eos",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        strategy[0]["status"], "not-started",
        "«Økt digital kompetanse» had not started in 2020"
    );
}

#[test]
fn two_strategies_make_read_commands_ask_which() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let out = actionplan(tmp.path())
        .args(["report", "2020"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("choose one with --strategy: eos, fdn"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_and_never_with_no_color() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let report = |color: &str, no_color: Option<&str>| {
        let mut cmd = actionplan(tmp.path());
        cmd.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd
            .args(["report", "2020", "--strategy", "eos", "--color", color])
            .output()
            .unwrap();
        assert!(out.status.success());
        stdout(&out)
    };
    assert!(
        report("always", None).contains("\u{1b}["),
        "--color always colours"
    );
    assert!(
        !report("auto", None).contains('\u{1b}'),
        "a pipe is not a terminal"
    );
    assert!(!report("auto", Some("1")).contains('\u{1b}'));
    assert!(!report("never", None).contains('\u{1b}'));
}
