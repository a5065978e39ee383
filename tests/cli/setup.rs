//! Getting started: help on every verb, completions, man pages, and `init`.

use clap::CommandFactory;

use crate::*;

/// Every verb and sub-verb, as the words a user types.
fn verbs() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            out.push(p.clone());
            walk(sub, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&actionplan::cli::Cli::command(), Vec::new(), &mut out);
    out
}

#[test]
fn every_verb_has_help_with_an_example() {
    let tmp = tempfile::tempdir().unwrap();
    let verbs = verbs();
    assert!(verbs.len() >= 20, "{verbs:?}");
    for verb in verbs {
        let out = actionplan(tmp.path())
            .args(&verb)
            .arg("--help")
            .output()
            .unwrap();
        assert!(out.status.success(), "{verb:?}: {}", stderr(&out));
        let help = stdout(&out);
        assert!(
            help.contains("Example"),
            "{verb:?} --help shows no example:\n{help}"
        );
        assert!(
            help.contains("  actionplan "),
            "{verb:?} --help shows no command line:\n{help}"
        );
        let about = help.lines().next().unwrap_or("");
        assert!(
            !about.trim().is_empty() && !about.starts_with("Usage"),
            "{verb:?} has no summary"
        );
    }
}

#[test]
fn completions_are_generated_for_every_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef actionplan"),
        ("fish", "complete -c actionplan"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let out = actionplan(tmp.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        assert!(
            script.contains("report") && script.contains("indicator"),
            "{shell}: verbs missing"
        );
    }
}

#[test]
fn man_pages_exist_for_every_verb() {
    let tmp = tempfile::tempdir().unwrap();
    actionplan(tmp.path())
        .args(["man", "--out", "man"])
        .assert()
        .success();
    for verb in verbs() {
        let page = tmp
            .path()
            .join("man")
            .join(format!("actionplan-{}.1", verb.join("-")));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|_| panic!("no {}", page.display()));
        assert!(
            text.starts_with(".ie") || text.contains(".TH"),
            "{} is not a man page",
            page.display()
        );
    }
    assert!(tmp.path().join("man/actionplan.1").exists());
}

#[test]
fn init_scaffolds_a_plan_that_checks_loads_and_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = actionplan(dir)
        .args([
            "init",
            "plans/eksempelby",
            "--start",
            "2025",
            "--end",
            "2030",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("plans/eksempelby/status").is_dir());
    actionplan(dir).args(["check", "plans"]).assert().success();
    actionplan(dir).args(["load", "plans"]).assert().success();
    let out = actionplan(dir)
        .args(["report", "2025", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["strategy"]["id"], "eksempelby");
    assert_eq!(
        v["focus_areas"][0]["initiatives"].as_array().unwrap().len(),
        0
    );
    assert_eq!(v["title"], "Erfaringsrapport 2025");
    // Every field of the template is explained: each key line carries a comment, or is one.
    let plan = std::fs::read_to_string(dir.join("plans/eksempelby/plan.toml")).unwrap();
    for key in [
        "owner",
        "ministry",
        "participants",
        "depends_on",
        "milestone",
        "unit",
        "better",
        "targets",
    ] {
        assert!(plan.contains(key), "the template does not mention `{key}`");
    }
    // A second init into the same folder is refused and changes nothing.
    let out = actionplan(dir)
        .args(["init", "plans/eksempelby"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
}
