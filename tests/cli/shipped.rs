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

// --- The real record: each correction of issue 20 pinned on the shipped files ---------------

use std::path::Path;
use std::path::PathBuf;

use actionplan::model::Assessment;
use actionplan::model::Basis;
use actionplan::model::Form;
use actionplan::model::Measurement;
use actionplan::model::Narrative;
use actionplan::model::Plan;
use actionplan::model::Status;
use actionplan::parse::Document;

/// Every shipped file, parsed (shape only; `the_shipped_plans_check_clean` does the rest).
struct Shipped {
    plans: Vec<(PathBuf, Plan)>,
    forms: Vec<(PathBuf, Form)>,
    narratives: Vec<Narrative>,
    /// Each CSV with its rows.
    measurements: Vec<(PathBuf, Vec<Measurement>)>,
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "csv")
        ) {
            out.push(path);
        }
    }
}

fn shipped() -> Shipped {
    let mut files = Vec::new();
    files_under(&repo().join("plans"), &mut files);
    let mut s = Shipped {
        plans: vec![],
        forms: vec![],
        narratives: vec![],
        measurements: vec![],
    };
    for path in files {
        let source = actionplan::parse::read_source(&path).unwrap();
        let (parsed, diags) = actionplan::parse::parse_file(source);
        assert!(diags.0.is_empty(), "{}: {:?}", path.display(), diags.0);
        match parsed.unwrap().doc {
            Document::Plan(p) => s.plans.push((path, p.plan)),
            Document::Form(f) => s.forms.push((path, f.form)),
            Document::Narrative(n) => s.narratives.push(n.narrative),
            Document::Measurements(m) => s.measurements.push((path, m.rows)),
            Document::Export(_) => panic!("{}: an export among the plans", path.display()),
        }
    }
    s
}

impl Shipped {
    fn plan(&self, strategy: &str) -> &Plan {
        &self
            .plans
            .iter()
            .find(|(_, p)| p.strategy_id() == strategy)
            .unwrap()
            .1
    }

    fn updates(&self, initiative: &str) -> Vec<&actionplan::model::Update> {
        self.forms
            .iter()
            .flat_map(|(_, f)| &f.updates)
            .filter(|u| u.initiative == initiative)
            .collect()
    }

    fn rows(&self, indicator: &str) -> Vec<&Measurement> {
        self.measurements
            .iter()
            .flat_map(|(_, rows)| rows)
            .filter(|m| m.indicator == indicator)
            .collect()
    }

    fn narrative(&self, year: i32) -> &Narrative {
        self.narratives
            .iter()
            .find(|n| n.strategy == "eos" && n.year == year)
            .unwrap()
    }
}

#[test]
fn every_update_and_every_measurement_names_its_source() {
    let s = shipped();
    assert!(s.forms.len() >= 10, "{} forms", s.forms.len());
    for (path, form) in &s.forms {
        assert!(form.round.is_some(), "{}: no round", path.display());
        for u in &form.updates {
            let source = u.source.as_deref().unwrap_or_default();
            assert!(
                !source.trim().is_empty(),
                "{}: the update for {} names no source",
                path.display(),
                u.initiative
            );
        }
    }
    for (path, rows) in &s.measurements {
        for m in rows {
            let source = m.source.as_deref().unwrap_or_default();
            assert!(
                !source.trim().is_empty(),
                "{}: {} {} {} names no source",
                path.display(),
                m.indicator,
                m.segment,
                m.year
            );
        }
    }
}

#[test]
fn the_voluntary_organisation_life_event_is_dfos_under_kud() {
    let s = shipped();
    let plan = s.plan("eos");
    let i = plan
        .initiatives
        .iter()
        .find(|i| i.id == "livshendelse-frivillig-organisasjon")
        .unwrap();
    assert_eq!(
        i.owner, "dfo",
        "DFØ executes it; Brreg led only the StimuLab project"
    );
    assert_eq!(i.ministry.as_deref(), Some("kud"));
    for org in ["dfo", "kud"] {
        assert!(plan.organisations.iter().any(|o| o.id == org), "{org}");
    }
    // Its 2020 status is on DFØ's form now (a form with an owner takes only its initiatives).
    let forms: Vec<&Form> = s
        .forms
        .iter()
        .map(|(_, f)| f)
        .filter(|f| {
            f.updates
                .iter()
                .any(|u| u.initiative == "livshendelse-frivillig-organisasjon")
        })
        .collect();
    assert!(!forms.is_empty());
    assert!(forms.iter().all(|f| f.owner.as_deref() == Some("dfo")));
}

#[test]
fn no_2020_status_for_the_cost_sharing_principles() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let history = json(
        tmp.path(),
        &[
            "status",
            "history",
            "prinsipper-kostnadsdeling",
            "--strategy",
            "eos",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        history,
        serde_json::json!([]),
        "seed 004 gives it no status"
    );
    let missing = json(
        tmp.path(),
        &["missing", "2020", "--strategy", "eos", "--format", "json"],
    );
    assert!(
        missing
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "prinsipper-kostnadsdeling"),
        "so it is missing in 2020"
    );
}

#[test]
fn the_digital_security_strategy_was_completed_on_30_january_2019() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let history = json(
        tmp.path(),
        &[
            "status",
            "history",
            "nasjonal-strategi-digital-sikkerhet",
            "--strategy",
            "eos",
            "--format",
            "json",
        ],
    );
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["status"], "completed");
    assert_eq!(history[0]["reported_on"], "2019-01-30");
    let s = shipped();
    let u = s.updates("nasjonal-strategi-digital-sikkerhet");
    assert!(u[0].source.as_deref().unwrap().contains("30. januar 2019"));
    // Completed before 2020, so not active and not counted in the 2020 report.
    let report = json(
        tmp.path(),
        &["report", "2020", "--strategy", "eos", "--format", "json"],
    );
    let listed = report["focus_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["initiatives"].as_array().unwrap())
        .any(|i| i["id"] == "nasjonal-strategi-digital-sikkerhet");
    assert!(!listed);
}

#[test]
fn no_progress_figure_the_source_does_not_give() {
    let s = shipped();
    let u = s.updates("informasjonssikkerhet-samarbeid");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].progress, None, "«de fleste leveransene» is not 70 %");
    // A progress figure is only ever the one a status implies.
    for (path, form) in &s.forms {
        for u in &form.updates {
            if let Some(p) = u.progress {
                let implied = match u.status {
                    Status::Completed => 100,
                    Status::NotStarted => 0,
                    _ => u8::MAX,
                };
                assert_eq!(p, implied, "{}: {}", path.display(), u.initiative);
            }
        }
    }
}

#[test]
fn inferred_2020_statuses_say_so() {
    let s = shipped();
    let basis = |id: &str| s.updates(id)[0].basis;
    // The report gives no status word for these: the programme office read them from its text.
    for id in [
        "dsop",
        "startoff",
        "stimulab",
        "verktoykasse-data",
        "hindringer-i-regelverk",
        "digitaliseringsvennlig-regelverk",
        "informasjonssikkerhet-samarbeid",
        "livshendelse-frivillig-organisasjon",
    ] {
        assert_eq!(basis(id), Some(Basis::Inferred), "{id}");
    }
    // These the report states («ferdigstilt», «vedtatt», «ikke kommet i gang»).
    for id in ["ki-strategi", "skate-mandat", "strategi-digital-kompetanse"] {
        assert_eq!(basis(id), None, "{id}");
    }
}

#[test]
fn the_ai_series_holds_one_question() {
    let s = shipped();
    let ai = s.rows("ki-bruk");
    assert!(!ai.is_empty());
    assert!(
        ai.iter().all(|m| m.year == 2025),
        "the 2021–2024 period answer is another question: {ai:?}"
    );
    let period = s.rows("ki-erfaring-2021-2024");
    assert_eq!(period.len(), 2);
    // So the 2025 report prints no change for AI use (it printed a false ▲ +30 / +36).
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    for strategy in ["eos", "fdn"] {
        let report = json(
            tmp.path(),
            &["report", "2025", "--strategy", strategy, "--format", "json"],
        );
        let ai = report["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "ki-bruk")
            .unwrap();
        for segment in ai["segments"].as_array().unwrap() {
            assert!(segment["change"].is_null(), "{strategy}: {segment}");
        }
    }
}

#[test]
fn a_series_joins_no_two_questions() {
    let s = shipped();
    let expects: Vec<i32> = s
        .rows("innbyggere-forventer-sammenheng")
        .iter()
        .map(|m| m.year)
        .collect();
    assert_eq!(expects, [2024], "«venter» (2024) only");
    let wants = s.rows("innbyggere-onsker-sammenheng");
    assert_eq!(
        (wants[0].year, wants[0].value),
        (2020, 78.0),
        "«vil ha» (2020)"
    );
}

#[test]
fn the_benchmark_conflict_is_named_in_the_source() {
    let s = shipped();
    let rows = s.rows("egovernment-benchmark-plass");
    let y2019 = rows.iter().find(|m| m.year == 2019).unwrap();
    assert_eq!(y2019.value, 7.0, "Digdir's annual report 2021");
    let source = y2019.source.as_deref().unwrap();
    assert!(source.contains("2019-utgaven"), "{source}");
    assert!(
        source.contains("IT i praksis 2024") && source.contains("9. plass"),
        "the other source's rank: {source}"
    );
    // One value per year: the conflicting rank is noted, not loaded as a second series.
    assert_eq!(rows.iter().filter(|m| m.year == 2019).count(), 1);
}

#[test]
fn the_ministries_group_depends_on_the_seamless_services_project() {
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
    let group = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "livshendelser-departementsgruppe")
        .unwrap();
    assert!(
        group["depends_on"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "sammenhengende-tjenester-prosjekt"),
        "{group}"
    );
}

#[test]
fn the_annual_reports_assess_two_focus_areas_a_year() {
    let s = shipped();
    let assessed = |year: i32| -> Vec<(String, Option<Assessment>)> {
        s.narrative(year)
            .focus_areas
            .iter()
            .map(|f| (f.id.clone(), f.assessment))
            .collect()
    };
    assert_eq!(
        assessed(2021),
        [
            (
                "sammenhengende-tjenester".into(),
                Some(Assessment::MinorDelays)
            ),
            ("deling-av-data".into(), Some(Assessment::OnPlan)),
        ]
    );
    assert_eq!(
        assessed(2022),
        [
            (
                "sammenhengende-tjenester".into(),
                Some(Assessment::MinorDelays)
            ),
            ("deling-av-data".into(), Some(Assessment::MinorDelays)),
        ]
    );
    assert!(s.narrative(2022).focus_areas[0].effect.is_some());
    assert!(s.narrative(2020).decisions.len() >= 3);

    // «Få barn» finished in 2022, as an update with its source.
    let fa_barn = s.updates("livshendelse-fa-barn");
    assert_eq!(fa_barn.len(), 1);
    assert_eq!(fa_barn[0].status, Status::Completed);
    assert_eq!(fa_barn[0].reported_on.to_string(), "2022-12-31");
    assert!(
        fa_barn[0]
            .source
            .as_deref()
            .unwrap()
            .contains("årsrapport 2022")
    );
}

#[test]
fn the_rdt_2022_data_sharing_goal_is_scored() {
    use actionplan::goals::Rating;
    let s = shipped();
    let plan = s.plan("eos");
    let rows: Vec<Measurement> = s
        .measurements
        .iter()
        .filter(|(path, _)| path.starts_with(repo().join("plans/en-digital-offentlig-sektor")))
        .flat_map(|(_, rows)| rows.clone())
        .collect();
    let goals = actionplan::goals::score_goals(
        plan,
        |_| true,
        |_| rows.as_slice(),
        2022,
        &Default::default(),
    );
    let data = goals.iter().find(|g| g.id == "deling-av-data").unwrap();
    let score = |id: &str| data.indicators.iter().find(|i| i.id == id).unwrap().score;
    // 26 → 21 % sharing rarely (lower is better), 16 → 22 % reuse, 13th → 10th place: all better.
    assert_eq!(score("datadeling-sjelden-eller-aldri"), Some(3.0));
    assert_eq!(score("datagjenbruk-stor-grad"), Some(3.0));
    assert_eq!(score("open-data-maturity-plass"), Some(3.0));
    assert_eq!(data.rating, Some(Rating::Good));
}

#[test]
fn the_plans_readme_names_the_source_of_every_item() {
    let readme = std::fs::read_to_string(repo().join("plans/README.md")).unwrap();
    let s = shipped();
    for (_, plan) in &s.plans {
        for i in &plan.initiatives {
            assert!(
                readme.contains(&format!("`{}`", i.id)),
                "initiative {}",
                i.id
            );
        }
        for i in &plan.indicators {
            assert!(
                readme.contains(&format!("`{}`", i.id)),
                "indicator {}",
                i.id
            );
        }
    }
}
