//! Issue 18 ([5/8]), items 4 and 5: the project file and `ACTIONPLAN_*` as defaults, with the
//! contract's precedence; `--lang` on every verb that prints words; contacts in the plan and
//! `missing` as a chasing list.

use std::path::Path;
use std::process::Output;

use crate::*;

/// The binary in `dir` with a clean environment and no `--db`: the defaults decide.
fn bare(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_actionplan"));
    cmd.env_clear()
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .current_dir(dir)
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    stdout(out)
}

/// The shipped plans (two strategies) in `dir/data/ap.db`, and a project file at `dir` that
/// points at it.
fn project(dir: &Path, settings: &str) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    actionplan_db(dir, "data/ap.db")
        .arg("load")
        .arg(repo().join("plans"))
        .assert()
        .success();
    std::fs::write(
        dir.join("actionplan.toml"),
        format!("db = \"data/ap.db\"\n{settings}"),
    )
    .unwrap();
}

#[test]
fn defaults_come_from_the_flag_then_the_environment_then_the_project_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    project(dir, "strategy = \"eos\"\nlang = \"nb\"\n");
    // From a folder below: the nearest project file above it, its `db` relative to it.
    let sub = dir.join("plans/eos");
    std::fs::create_dir_all(&sub).unwrap();
    let list = ["initiative", "list", "--owner", "digdir"];
    let nb = ok(&bare(&sub, &[], &list));
    assert!(nb.contains("initiativ") && nb.contains("ansvarlig"), "{nb}");
    assert!(!nb.contains("title") && !nb.contains("owner"), "{nb}");
    let json = ok(&bare(
        &sub,
        &[],
        &[&list[..], &["--format", "json"]].concat(),
    ));
    assert!(json.contains("\"ressurssenter-data\""), "{json}");

    // The environment wins over the file; the flag over both.
    let fdn = [("ACTIONPLAN_STRATEGY", "fdn"), ("ACTIONPLAN_LANG", "en")];
    let out = ok(&bare(&sub, &fdn, &["indicator", "list"]));
    assert!(out.contains("ki-bruk") && out.contains("latest"), "{out}");
    let out = ok(&bare(
        &sub,
        &fdn,
        &[&list[..], &["--strategy", "eos"]].concat(),
    ));
    assert!(
        out.contains("Digdir") && out.contains("initiative"),
        "{out}"
    );
    let out = ok(&bare(&sub, &[], &[&list[..], &["--lang", "en"]].concat()));
    assert!(out.contains("owner"), "{out}");
    // --db and ACTIONPLAN_DB win over the file's `db`.
    let out = bare(&sub, &[("ACTIONPLAN_DB", "elsewhere.db")], &list);
    assert!(
        stderr(&out).contains("no database at elsewhere.db"),
        "{}",
        stderr(&out)
    );
    let out = bare(&sub, &[], &["--db", "other.db", "missing", "2021"]);
    assert!(
        stderr(&out).contains("no database at other.db"),
        "{}",
        stderr(&out)
    );

    // Without a project file and ACTIONPLAN_*: English, and a strategy must be chosen.
    std::fs::remove_file(dir.join("actionplan.toml")).unwrap();
    let out = bare(dir, &[("ACTIONPLAN_DB", "data/ap.db")], &list);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("choose one with --strategy"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_default_strategy_the_database_lacks_is_refused_where_it_was_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    project(dir, "strategy = \"eso\"\n");
    let out = bare(dir, &[], &["missing", "2021"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the default strategy `eso` (set in")
            && err.contains("actionplan.toml:2:12)")
            && err.contains("it holds eos, fdn"),
        "{err}"
    );
    let out = bare(dir, &[("ACTIONPLAN_STRATEGY", "nope")], &["report", "2021"]);
    assert!(
        stderr(&out).contains("`nope` (set in ACTIONPLAN_STRATEGY)"),
        "{}",
        stderr(&out)
    );
    // `load` needs no strategy: a default that is not loaded yet stops nothing.
    let out = bare(
        dir,
        &[],
        &["load", &repo().join("plans").display().to_string()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_project_file_is_read_as_strictly_as_a_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("actionplan.toml"),
        "stratgy = \"eos\"\nlang = \"de\"\n",
    )
    .unwrap();
    let out = bare(dir, &[], &["missing", "2021"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("actionplan.toml:1:1: unknown key `stratgy` in the project file"),
        "{err}"
    );
    assert!(err.contains("did you mean `strategy`?"), "{err}");
    assert!(
        err.contains("actionplan.toml:2:8: unknown lang `de`"),
        "{err}"
    );
    let out = bare(dir, &[("ACTIONPLAN_LANG", "sv")], &["--help"]);
    assert!(out.status.success(), "help needs no defaults");
    std::fs::write(dir.join("actionplan.toml"), "").unwrap();
    let out = bare(dir, &[("ACTIONPLAN_LANG", "sv")], &["missing", "2021"]);
    assert!(
        stderr(&out).contains("ACTIONPLAN_LANG is `sv`"),
        "{}",
        stderr(&out)
    );
}

/// The contract: JSON output never depends on the language. Every verb with JSON output,
/// in both languages, from a project file that says bokmål.
#[test]
fn json_is_the_same_in_every_language() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    project(dir, "strategy = \"eos\"\nlang = \"nb\"\n");
    // Each verb, and whether it takes --as-of.
    let verbs: [(&[&str], bool); 12] = [
        (&["report", "2020"], true),
        (&["missing", "2020"], true),
        (&["lint", "2021"], true),
        (&["diff", "2019", "2021"], false),
        (&["initiative", "list"], true),
        (&["initiative", "show", "ressurssenter-data"], false),
        (&["status", "history", "ressurssenter-data"], false),
        (&["graph", "check"], true),
        (&["graph", "impact", "verktoykasse-data"], true),
        (&["graph", "order"], true),
        (&["indicator", "list"], false),
        (&["period", "list"], false),
    ];
    for (verb, as_of) in verbs {
        let mut args = verb.to_vec();
        args.extend(["--format", "json"]);
        if as_of {
            args.extend(["--as-of", "2021-12-31"]);
        }
        let nb = ok(&bare(dir, &[], &args));
        let en = ok(&bare(dir, &[], &[&args[..], &["--lang", "en"]].concat()));
        assert_eq!(nb, en, "{args:?}");
    }
}

#[test]
fn every_verb_that_prints_words_speaks_bokmal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    project(dir, "strategy = \"eos\"\nlang = \"nb\"\n");
    let cases: [(&[&str], &str); 12] = [
        (&["missing", "2021"], "sist oppdatert"),
        (&["lint", "2021"], "│ regel"),
        (
            &["diff", "2019", "2020"],
            "Endringer i eos fra 31. desember 2019",
        ),
        (&["initiative", "list"], "ansvarlig"),
        (
            &["initiative", "show", "ressurssenter-data"],
            "Statushistorikk",
        ),
        (&["status", "history", "ressurssenter-data"], "oppsummering"),
        (&["graph", "check"], "status per"),
        (&["graph", "impact", "ressurssenter-data"], "│ ansvarlig"),
        (&["graph", "order"], "│ nivå"),
        (&["graph", "export"], "Pilene går fra"),
        (&["indicator", "list"], "siste måling"),
        (&["report", "2020"], "SAMMENDRAG"),
    ];
    for (args, word) in cases {
        let out = ok(&bare(dir, &[], args));
        assert!(out.contains(word), "{args:?} lacks {word:?}:\n{out}");
        let en = ok(&bare(dir, &[], &[args, &["--lang", "en"]].concat()));
        assert!(!en.contains(word), "{args:?} --lang en has {word:?}:\n{en}");
    }
}

#[test]
fn init_writes_a_project_file_and_keeps_one_that_is_there() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = |name: &str| {
        bare(
            dir,
            &[],
            &["init", name, "--start", "2025", "--end", "2030"],
        )
    };
    let out = init("plans/eksempelby");
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.join("actionplan.toml")).unwrap();
    assert!(written.contains("strategy = \"eksempelby\""), "{written}");
    // The defaults work at once: `load` to the project's database, then a verb without flags.
    ok(&bare(dir, &[], &["load", "plans/"]));
    assert!(dir.join("actionplan.db").exists());
    ok(&bare(dir, &[], &["initiative", "list"]));
    // A second plan keeps the file, and says so.
    let out = init("plans/annen");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("its default strategy is `eksempelby`; use --strategy annen"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("actionplan.toml")).unwrap(),
        written
    );
    // A folder load reads plans, not the project file beside them.
    std::fs::copy(
        dir.join("actionplan.toml"),
        dir.join("plans/actionplan.toml"),
    )
    .unwrap();
    ok(&bare(dir, &[], &["check", "plans/"]));
}

/// The round fixture's plan with contacts for two of its three owners.
fn plan_with_contacts() -> String {
    std::fs::read_to_string(fixture("round/plan.toml"))
        .unwrap()
        .replace(
            "name = \"IKT Rundeby\"\n",
            "name = \"IKT Rundeby\"\ncontact = { name = \"Kari Nordmann\", email = \"kari.nordmann@ikt.rundeby.no\" }\n",
        )
        .replace(
            "name = \"Runde fylkeskommune\"\n",
            "name = \"Runde fylkeskommune\"\n\n[organisation.contact]\nemail = \"postmottak@runde.no\"\n",
        )
}

#[test]
fn missing_as_csv_is_a_mail_merge_list_with_one_row_per_owner() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("plan.toml"), plan_with_contacts()).unwrap();
    actionplan(dir)
        .args(["load", "plan.toml"])
        .assert()
        .success();
    // `nett` answered in the first half of 2021.
    std::fs::write(
        dir.join("svar.toml"),
        "[form]\nstrategy = \"runde\"\nround = \"2021H1\"\nreported_on = 2021-05-30\n\n[[update]]\ninitiative = \"nett\"\nstatus = \"i rute\"\n",
    )
    .unwrap();
    actionplan(dir)
        .args(["load", "svar.toml"])
        .assert()
        .success();

    let out = actionplan(dir)
        .args(["missing", "2021H1", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "owner,organisation,contact,email,round,count,initiatives,initiative_ids\n\
         by,Rundeby kommune,,,2021H1,1,Min side (minside),minside\n\
         fylke,Runde fylkeskommune,,postmottak@runde.no,2021H1,1,Skoleportal (skoleportal),skoleportal\n\
         ikt,IKT Rundeby,Kari Nordmann,kari.nordmann@ikt.rundeby.no,2021H1,1,Felles innlogging (innlogging),innlogging\n"
    );
    assert!(
        stderr(&out).contains("no contact in the plan for by"),
        "{}",
        stderr(&out)
    );
    // The second half asks again, of everyone active.
    let out = actionplan(dir)
        .args(["missing", "2021H2", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("ikt,IKT Rundeby,Kari Nordmann,kari.nordmann@ikt.rundeby.no,2021H2,2,Nytt nettverk (nett); Felles innlogging (innlogging),nett innlogging"),
        "{}",
        stdout(&out)
    );
    // JSON: one object per initiative, with its owner's contact.
    let out = actionplan(dir)
        .args(["missing", "2021H1", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[2]["id"], "innlogging");
    assert_eq!(rows[2]["contact"]["email"], "kari.nordmann@ikt.rundeby.no");
    assert_eq!(rows[0]["contact"], serde_json::Value::Null);

    // The terminal: each owner once, its initiatives under it.
    let out = actionplan(dir)
        .args(["missing", "2021H2", "--lang", "nb"])
        .output()
        .unwrap();
    let table = stdout(&out);
    assert_eq!(table.matches("IKT Rundeby").count(), 1, "{table}");
    assert!(
        table.contains("Kari Nordmann") && table.contains("30.05.2021"),
        "{table}"
    );
    let line = |id: &str| {
        table
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or("")
            .to_string()
    };
    let first_cell = |l: String| l.split(['│', '┆']).nth(1).unwrap_or("x").trim().to_string();
    assert_eq!(first_cell(line("innlogging")), "", "{table}");
    assert_eq!(
        first_cell(line("skoleportal")),
        "Runde fylkeskommune",
        "{table}"
    );
}

#[test]
fn a_contact_is_checked_and_kept_out_of_plans_without_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let bad = plan_with_contacts().replace("postmottak@runde.no", "postmottak runde.no");
    std::fs::write(dir.join("plan.toml"), bad).unwrap();
    let out = actionplan(dir)
        .args(["check", "plan.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line = plan_with_contacts()
        .lines()
        .position(|l| l.contains("postmottak@"))
        .unwrap()
        + 1;
    assert!(
        stderr(&out).contains(&format!(
            "plan.toml:{line}:9: `postmottak runde.no` holds a space"
        )),
        "{}",
        stderr(&out)
    );
    let typo = plan_with_contacts().replace("email = \"postmottak", "e-mail = \"postmottak");
    std::fs::write(dir.join("plan.toml"), typo).unwrap();
    let out = actionplan(dir)
        .args(["check", "plan.toml"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("unknown key `e-mail` in `contact`"),
        "{}",
        stderr(&out)
    );

    // Contacts are stored, and reach an export and back.
    std::fs::write(dir.join("plan.toml"), plan_with_contacts()).unwrap();
    actionplan(dir)
        .args(["load", "plan.toml"])
        .assert()
        .success();
    let export = actionplan(dir).arg("export").output().unwrap();
    let text = stdout(&export);
    assert!(
        text.contains("\"email\": \"postmottak@runde.no\""),
        "{text}"
    );
    // An organisation without one has no `contact` key at all: old plans keep their JSON.
    assert!(!text.contains("\"contact\": null"), "{text}");
    std::fs::write(dir.join("dump.json"), &export.stdout).unwrap();
    actionplan_db(dir, "restored.db")
        .args(["load", "dump.json"])
        .assert()
        .success();
    let out = actionplan_db(dir, "restored.db")
        .args(["missing", "2021", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("kari.nordmann@ikt.rundeby.no"),
        "{}",
        stdout(&out)
    );
}
