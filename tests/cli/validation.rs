//! One fixture per validation rule (tests/fixtures/invalid/): `check` and `load` refuse each with
//! exit code 1 and `file:line:col: message` (and the hint, where there is one), never panic, and a
//! refused `load` leaves the database exactly as it was.
//!
//! The valid plans the forms and narratives are checked against are in `invalid/base/`; the
//! database is loaded with `invalid/base/plan.toml` before every refused load. Positions are
//! 1-based; the column counts characters. Each table test collects every failing case before it
//! fails, so that one run names them all.

use std::path::Path;
use std::path::PathBuf;
use std::process::Output;

use crate::*;

const BASE_PLAN: &str = "base/plan.toml";
/// The base plan without `gammel-losning`: loaded after the base, it withdraws it.
const BASE_PLAN_V2: &str = "base/plan-v2.toml";

/// One defect: where it is and what is said about it.
struct Case {
    /// The fixture, under tests/fixtures/invalid/.
    file: &'static str,
    /// `line:col` of the message.
    at: &'static str,
    /// The start of the message (after `file:line:col: `).
    message: &'static str,
    /// A part of the hint under the message, when there must be one.
    hint: Option<&'static str>,
    /// How many errors the file yields in all (a misspelt required key is also missing).
    errors: usize,
}

const fn case(file: &'static str, at: &'static str, message: &'static str) -> Case {
    Case {
        file,
        at,
        message,
        hint: None,
        errors: 1,
    }
}

impl Case {
    const fn hint(mut self, hint: &'static str) -> Case {
        self.hint = Some(hint);
        self
    }

    const fn errors(mut self, n: usize) -> Case {
        self.errors = n;
        self
    }
}

fn invalid(rel: &str) -> PathBuf {
    fixture(&format!("invalid/{rel}"))
}

fn run(dir: &Path, verb: &str, files: &[&str]) -> Output {
    actionplan(dir)
        .arg(verb)
        .args(files.iter().map(|f| invalid(f)))
        .output()
        .unwrap()
}

fn db(dir: &Path) -> PathBuf {
    dir.join("t.db")
}

/// A fresh database in `dir` holding the base plan.
fn load_base(dir: &Path) {
    let out = run(dir, "load", &[BASE_PLAN]);
    assert!(
        out.status.success(),
        "the base plan must load: {}",
        stderr(&out)
    );
}

/// The message and the hint line of the diagnostic at `file:line:col`, if there is one.
fn diagnostic_at<'s>(err: &'s str, file: &Path, at: &str) -> Option<(&'s str, Option<&'s str>)> {
    let prefix = format!("{}:{at}: ", file.display());
    let mut lines = err.lines();
    while let Some(line) = lines.next() {
        if let Some(message) = line.strip_prefix(&prefix) {
            let hint = lines.next().and_then(|l| l.strip_prefix("  hint: "));
            return Some((message, hint));
        }
    }
    None
}

/// Exit code 1, no panic, and the case's message at its position with its hint.
fn refused(out: &Output, c: &Case, what: &str) -> Result<(), String> {
    let err = stderr(out);
    let fail = |why: String| Err(format!("{what}: {why}\n--- stderr:\n{err}"));
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        return fail("the binary panicked".into());
    }
    if out.status.code() != Some(1) {
        return fail(format!("exit code {:?}, expected 1", out.status.code()));
    }
    let path = invalid(c.file);
    let Some((message, hint)) = diagnostic_at(&err, &path, c.at) else {
        return fail(format!("no message at `{}:{}: `", c.file, c.at));
    };
    if !message.starts_with(c.message) {
        return fail(format!("message `{message}`, expected `{}…`", c.message));
    }
    if let Some(expected) = c.hint {
        match hint {
            Some(h) if h.contains(expected) => {}
            other => return fail(format!("hint {other:?}, expected one with `{expected}`")),
        }
    }
    let total = format!(
        "{} error{} found; nothing was written",
        c.errors,
        if c.errors == 1 { "" } else { "s" }
    );
    if !err.contains(&total) {
        return fail(format!("expected `{total}`"));
    }
    Ok(())
}

/// `check` on its own, without a database: refused, and no database is created.
fn check_alone(c: &Case, with: &[&str]) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = with.to_vec();
    files.push(c.file);
    let out = run(tmp.path(), "check", &files);
    refused(&out, c, &format!("check {}", files.join(" ")))?;
    if db(tmp.path()).exists() {
        return Err(format!("check {}: created the database", c.file));
    }
    Ok(())
}

/// `load` into a database holding the base plan: refused, and the database is unchanged.
fn load_after_base(c: &Case) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    load_base(tmp.path());
    let before = db_content(&db(tmp.path()));
    let out = run(tmp.path(), "load", &[c.file]);
    refused(&out, c, &format!("load {} (after the base plan)", c.file))?;
    if db_content(&db(tmp.path())) != before {
        return Err(format!("load {}: the database changed", c.file));
    }
    Ok(())
}

/// `load` of the base plan and the file together into a fresh database: refused, and the plan
/// is not written either.
fn load_with_base(c: &Case) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), "load", &[BASE_PLAN, c.file]);
    refused(&out, c, &format!("load {BASE_PLAN} {}", c.file))?;
    if db(tmp.path()).exists() {
        let written: Vec<_> = db_content(&db(tmp.path()))
            .into_iter()
            .filter(|(_, rows)| !rows.is_empty())
            .collect();
        if !written.is_empty() {
            return Err(format!("load {BASE_PLAN} {}: wrote {written:?}", c.file));
        }
    }
    Ok(())
}

fn all_pass(results: Vec<Result<(), String>>) {
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "{} failing:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn plan_cases() -> Vec<Case> {
    vec![
        // `owner "ikt"`: the `=` is missing where the value starts.
        case(
            "plan/syntax.toml",
            "24:7",
            "invalid TOML: key with no value, expected `=`",
        ),
        // Cut off inside `title = "Skolepor`: the string is still open at the end of the file.
        case(
            "plan/truncated.toml",
            "30:18",
            "invalid TOML: invalid basic string",
        ),
        case(
            "plan/unknown-key.toml",
            "24:1",
            "unknown key `owners` in [[initiative]] `nettverk`",
        )
        // One typo, one error: the missing `owner` it stands for is not reported again.
        .hint("did you mean `owner`?")
        .errors(1),
        case(
            "plan/wrong-type-due.toml",
            "26:7",
            "`due` in [[initiative]] `nettverk` must be a date, found a string",
        )
        .hint("`due = 2020-09-30` (YYYY-MM-DD)"),
        case(
            "plan/wrong-type-title.toml",
            "22:9",
            "`title` in [[initiative]] `nettverk` must be a string, found an integer",
        ),
        case(
            "plan/missing-title.toml",
            "20:1",
            "[[initiative]] `nettverk` is missing the required key `title`",
        )
        .hint("add `title = "),
        case(
            "plan/bad-id.toml",
            "29:6",
            "`id` \"Ressurs Senter\" is not a valid id",
        )
        .hint("try `ressurs-senter`"),
        case(
            "plan/duplicate-id.toml",
            "29:6",
            "duplicate initiative id `nettverk`",
        )
        .hint("first defined on line 21"),
        case(
            "plan/unknown-focus-area.toml",
            "23:14",
            "unknown focus area `grunmur`",
        )
        .hint("did you mean `grunnmur`?"),
        case(
            "plan/unknown-owner.toml",
            "32:9",
            "unknown organisation `helse`",
        ),
        case(
            "plan/unknown-ministry.toml",
            "25:12",
            "unknown organisation `fd`",
        ),
        case(
            "plan/unknown-participant.toml",
            "33:24",
            "unknown organisation `helse`",
        ),
        case(
            "plan/unknown-dependency.toml",
            "33:15",
            "unknown initiative `nettverkk`",
        )
        .hint("did you mean `nettverk`?"),
        case(
            "plan/self-dependency.toml",
            "33:15",
            "`skoleportal` depends on itself",
        )
        .hint("remove `skoleportal` from its own `depends_on`"),
        // Named from its alphabetically first member, at that member's id.
        case(
            "plan/cycle.toml",
            "24:6",
            "dependency cycle: alfa → beta → gamma → alfa",
        )
        .hint("remove one of these `depends_on` entries"),
        case(
            "plan/due-before-start.toml",
            "26:7",
            "`due` 2021-01-31 is before `start` 2021-06-01",
        )
        .hint("cannot be due before it starts"),
        case(
            "plan/period-reversed.toml",
            "5:32",
            "the period ends (2019) before it starts (2025)",
        )
        .hint("swap `start` and `end`"),
        case(
            "plan/unknown-kind.toml",
            "32:8",
            "unknown kind `tiltak` in [[initiative]] `skoleportal`",
        )
        .hint("accepted: initiative, supporting-measure, life-event, proposed"),
        case(
            "plan/not-a-kind.toml",
            "1:1",
            "not a plan, status form or report narrative",
        )
        .hint("a plan has a [strategy] table"),
    ]
}

#[test]
fn plan_defects_are_refused_at_their_line_and_column() {
    let mut results = Vec::new();
    for c in plan_cases() {
        results.push(check_alone(&c, &[]));
        results.push(load_after_base(&c));
    }
    all_pass(results);
}

#[test]
fn empty_file_is_refused_at_its_start() {
    assert_eq!(
        std::fs::metadata(invalid("plan/empty.toml")).unwrap().len(),
        0
    );
    let c = case("plan/empty.toml", "1:1", "the file is empty").hint("[strategy]");
    all_pass(vec![check_alone(&c, &[]), load_after_base(&c)]);
}

#[test]
fn non_utf8_file_is_refused_at_its_first_bad_byte() {
    // Guards the fixture: an editor re-saving it as UTF-8 would make the test pointless.
    let bytes = std::fs::read(invalid("plan/not-utf8.toml")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    assert!(bytes.contains(&0xF8), "Latin-1 'ø'");
    // Line 18 is `goal = "Stabile fellesl\xF8sninger."`: the byte after 23 characters.
    let c = case("plan/not-utf8.toml", "18:24", "the file is not valid UTF-8").hint("UTF-8");
    all_pass(vec![check_alone(&c, &[]), load_after_base(&c)]);
}

#[test]
fn several_errors_in_one_plan_are_all_listed_in_file_order() {
    let tmp = tempfile::tempdir().unwrap();
    let file = invalid("plan/several-errors.toml");
    let expected = [
        (
            "18:8",
            "`goal` in [[focus_area]] `grunnmur` must be a string, found an integer",
        ),
        ("23:14", "unknown focus area `grunmur`"),
        ("25:1", "unknown key `strat` in [[initiative]]"),
        ("26:7", "`due` in [[initiative]] `nettverk` must be a date"),
        ("32:9", "unknown organisation `helse`"),
        ("33:15", "unknown initiative `nettverkk`"),
    ];
    for verb in ["check", "load"] {
        if verb == "load" {
            load_base(tmp.path());
        }
        let before = db(tmp.path()).exists().then(|| db_content(&db(tmp.path())));
        let out = run(tmp.path(), verb, &["plan/several-errors.toml"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{verb}: {err}");
        assert!(!err.contains("panicked"), "{verb}: {err}");
        let prefix = format!("{}:", file.display());
        let listed: Vec<&str> = err
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .collect();
        assert_eq!(listed.len(), expected.len(), "{verb}: {err}");
        for (line, (at, message)) in listed.iter().zip(expected) {
            assert!(
                line.starts_with(&format!("{at}: {message}")),
                "{verb}: `{line}`, expected `{at}: {message}…`\n{err}"
            );
        }
        assert!(
            err.contains("6 errors found; nothing was written"),
            "{verb}: {err}"
        );
        assert!(err.contains("did you mean `grunnmur`?"), "{verb}: {err}");
        assert!(err.contains("did you mean `start`?"), "{verb}: {err}");
        assert!(err.contains("did you mean `nettverk`?"), "{verb}: {err}");
        if let Some(before) = before {
            assert_eq!(
                db_content(&db(tmp.path())),
                before,
                "{verb} changed the database"
            );
        }
    }
}

fn form_cases() -> Vec<Case> {
    vec![
        case(
            "form/unknown-strategy.toml",
            "3:12",
            "unknown strategy `digibi`",
        )
        .hint("did you mean `digiby`?"),
        case(
            "form/unknown-initiative.toml",
            "9:14",
            "unknown initiative `nettverk-2`",
        )
        .hint("did you mean `nettverk`?"),
        case(
            "form/wrong-owner.toml",
            "9:14",
            "`skoleportal` belongs to `skole`, not to `ikt`",
        )
        .hint("report it in `skole`'s form"),
        case(
            "form/unknown-status.toml",
            "10:10",
            "unknown status `ongoing`",
        )
        .hint("not-started, ikke-startet, on-track, i-rute, at-risk, risiko, delayed, forsinket"),
        case(
            "form/empty-status.toml",
            "10:10",
            "no status filled in for `nettverk`",
        )
        .hint("on-track"),
        case(
            "form/progress-over-100.toml",
            "11:12",
            "`progress` 150 for `nettverk` is outside 0–100",
        )
        .hint("0 to 100"),
        case(
            "form/reported-on-before-period.toml",
            "5:15",
            "`reported_on` 2018-11-15 is outside the strategy period 2019–2100",
        ),
        case(
            "form/reported-on-future.toml",
            "5:15",
            "`reported_on` 2099-11-15 is in the future",
        )
        .hint("a day that has come"),
        case(
            "form/proposed.toml",
            "9:14",
            "`idebank` is only proposed and takes no updates",
        )
        .hint("change its `kind` in the plan"),
        case(
            "form/duplicate-update.toml",
            "15:14",
            "a second update for `nettverk` on 2021-11-15 in this form",
        )
        .hint("the first is on line 9"),
        case("form/no-updates.toml", "1:1", "the form has no [[update]]")
            .hint("add one [[update]] per initiative"),
    ]
}

fn narrative_cases() -> Vec<Case> {
    vec![
        case(
            "narrative/unknown-strategy.toml",
            "3:12",
            "unknown strategy `digibi`",
        )
        .hint("did you mean `digiby`?"),
        case(
            "narrative/year-outside-period.toml",
            "4:8",
            "year 2018 is outside the strategy period 2019–2100",
        ),
        case(
            "narrative/unknown-focus-area.toml",
            "9:6",
            "unknown focus area `tjeneste`",
        )
        .hint("did you mean `tjenester`?"),
        case(
            "narrative/unknown-assessment.toml",
            "8:14",
            "unknown assessment `Mindre forsinkelse` in [[focus_area]] `tjenester`",
        )
        .hint("did you mean `mindre-forsinkelser`?"),
        case(
            "narrative/empty-focus-area.toml",
            "7:1",
            "[[focus_area]] `grunnmur` has no `progress`, `assessment` or `effect`",
        )
        .hint("add at least one of them"),
        case(
            "narrative/duplicate-decision.toml",
            "12:6",
            "duplicate decision id `nytt-tiltak`",
        )
        .hint("first defined on line 7"),
        case(
            "narrative/decision-without-text.toml",
            "6:1",
            "[[decision]] `nytt-tiltak` is missing the required key `text`",
        ),
    ]
}

/// Assessments in the annual reports' own words (capitals, spaces) or in English, an effect
/// without progress, and decisions: all accepted.
#[test]
fn a_narrative_with_assessments_and_decisions_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let narrative = tmp.path().join("report-2021.toml");
    std::fs::write(
        &narrative,
        r#"[report]
strategy = "digiby"
year = 2021

[[focus_area]]
id = "tjenester"
assessment = "Mindre forsinkelser"
effect = "Ingen effekt ennå."

[[focus_area]]
id = "grunnmur"
assessment = "on-plan"
progress = "Godt i gang."

[[decision]]
id = "nytt-tiltak"
title = "Ta inn et nytt tiltak"
text = "Skate bes slutte seg til at tiltaket tas inn."
"#,
    )
    .unwrap();
    let out = actionplan(tmp.path())
        .arg("check")
        .arg(invalid(BASE_PLAN))
        .arg(&narrative)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A form or narrative: checked with its plan, loaded with its plan into a fresh database, and
/// loaded alone into a database that holds the plan.
fn against_the_base_plan(cases: Vec<Case>) {
    let mut results = Vec::new();
    for c in cases {
        results.push(check_alone(&c, &[BASE_PLAN]));
        results.push(load_with_base(&c));
        results.push(load_after_base(&c));
    }
    all_pass(results);
}

#[test]
fn form_defects_are_refused_at_their_line_and_column() {
    against_the_base_plan(form_cases());
}

#[test]
fn narrative_defects_are_refused_at_their_line_and_column() {
    against_the_base_plan(narrative_cases());
}

#[test]
fn form_for_a_withdrawn_initiative_is_refused() {
    let c = case(
        "form/withdrawn.toml",
        "9:14",
        "`gammel-losning` is withdrawn from the plan from 2021-01-01 and takes no updates dated after",
    )
    .hint("remove this update, or date it before the withdrawal");
    let mut results = Vec::new();

    // Withdrawn by a revision already loaded.
    let tmp = tempfile::tempdir().unwrap();
    load_base(tmp.path());
    let out = run(tmp.path(), "load", &[BASE_PLAN_V2]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("withdrawn"), "{}", stderr(&out));
    let before = db_content(&db(tmp.path()));
    let out = run(tmp.path(), "check", &[c.file]);
    results.push(refused(&out, &c, "check after plan v2"));
    let out = run(tmp.path(), "load", &[c.file]);
    results.push(refused(&out, &c, "load after plan v2"));
    assert_eq!(
        db_content(&db(tmp.path())),
        before,
        "a refused load changed the database"
    );

    // Withdrawn by the revision in the same call: neither the revision nor the form is written.
    let tmp = tempfile::tempdir().unwrap();
    load_base(tmp.path());
    let before = db_content(&db(tmp.path()));
    let out = run(tmp.path(), "check", &[BASE_PLAN_V2, c.file]);
    results.push(refused(&out, &c, "check plan v2 with the form"));
    let out = run(tmp.path(), "load", &[BASE_PLAN_V2, c.file]);
    results.push(refused(&out, &c, "load plan v2 with the form"));
    assert_eq!(
        db_content(&db(tmp.path())),
        before,
        "a refused load changed the database"
    );

    all_pass(results);
}

#[test]
fn checking_every_invalid_fixture_at_once_names_each_file_and_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let out = actionplan(tmp.path())
        .arg("check")
        .arg(fixture("invalid"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for kind in ["plan", "form", "narrative"] {
        for entry in std::fs::read_dir(invalid(kind)).unwrap() {
            let path = entry.unwrap().path();
            // Valid on its own against the base plan: withdrawn only after a revision.
            if path.ends_with("form/withdrawn.toml") {
                continue;
            }
            assert!(
                err.contains(&format!("{}:", path.display())),
                "no message for {}\n{err}",
                path.display()
            );
        }
    }
    assert!(!db(tmp.path()).exists(), "check created the database");
}
