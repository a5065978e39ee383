//! The whole pipeline on one input: a plan, a form, a narrative and a measurements CSV, split at
//! lines `%%`. Each is parsed and validated as `load` would (forms against the plan in the same
//! input); no step panics, every diagnostic has a position, and when everything is clean the
//! batch is written to an in-memory database (a validated batch must never be refused by the
//! database), the report of the first year is built and rendered in every format, and the
//! export reads back.
#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::HashMap;

use actionplan::diagnostic::Diagnostics;
use actionplan::parse::Document;
use actionplan::parse::parse_file;
use actionplan::store::Batch;
use actionplan::store::SourceInfo;
use actionplan::store::Store;
use actionplan::validate::PlanView;
use libfuzzer_sys::fuzz_target;

fn info(kind: &'static str) -> SourceInfo {
    SourceInfo {
        kind,
        path: format!("fuzz.{kind}"),
        content_hash: String::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parts: Vec<&str> = text.splitn(4, "\n%%\n").collect();
    let names = ["plan.toml", "form.toml", "report.toml", "indicators.csv"];
    let mut parsed = Vec::new();
    let mut clean = true;
    for (name, part) in names.iter().zip(&parts) {
        let Some(file) = common::source(name, part.as_bytes()) else {
            continue;
        };
        let (doc, diags) = parse_file(file.clone());
        common::check_diagnostics(&file, &diags);
        clean &= diags.is_empty();
        parsed.extend(doc);
    }
    let mut views: HashMap<String, PlanView> = HashMap::new();
    let mut batch = Batch::default();
    let mut all = Diagnostics::default();
    for p in &parsed {
        if let Document::Plan(plan) = &p.doc {
            all.extend(actionplan::validate::validate_plan(&p.file, plan));
            if let Some(v) = PlanView::of_plan(&plan.plan, &[]) {
                views.insert(v.strategy.id.clone(), v);
            }
            batch.plans.push((info("plan"), plan.plan.clone()));
        }
    }
    for p in &parsed {
        match &p.doc {
            Document::Form(f) => {
                all.extend(actionplan::validate::validate_form(
                    &p.file,
                    f,
                    &views,
                    common::today(),
                ));
                batch.forms.push((info("form"), f.form.clone()));
            }
            Document::Narrative(n) => {
                all.extend(actionplan::validate::validate_narrative(&p.file, n, &views));
                batch
                    .narratives
                    .push((info("narrative"), n.narrative.clone()));
            }
            Document::Measurements(m) => match views.values().next() {
                Some(view) if views.len() == 1 => {
                    let (errors, warnings) =
                        actionplan::validate::validate_measurements(&p.file, m, view);
                    common::check_diagnostics(&p.file, &warnings);
                    all.extend(errors);
                    batch.measurements.push((
                        info("measurements"),
                        actionplan::model::MeasurementSet {
                            strategy: view.strategy.id.clone(),
                            rows: m.rows.clone(),
                        },
                    ));
                }
                _ => clean = false,
            },
            _ => {}
        }
    }
    for p in &parsed {
        common::check_diagnostics(&p.file, &all);
    }
    if !clean || !all.is_empty() || batch.plans.is_empty() {
        return;
    }
    // Everything validated: the database must take it, and the reports must build.
    let mut store = Store::open_in_memory().expect("in-memory store");
    let now = chrono::DateTime::from_timestamp(1_717_200_000, 0).unwrap();
    store
        .write(&batch, now, "fuzz")
        .unwrap_or_else(|e| panic!("a validated batch was refused by the database: {e}"));
    let strategy = &batch.plans[0].1;
    let Some(s) = &strategy.strategy else {
        return;
    };
    let opts = actionplan::report::ReportOptions {
        strategy: Some(s.id.clone()),
        year: s.period.start,
        as_of: None,
    };
    let report = actionplan::report::build_report(&store, &opts)
        .unwrap_or_else(|e| panic!("the report of a validated plan failed: {e}"));
    for lang in [actionplan::render::Lang::En, actionplan::render::Lang::Nb] {
        let _ = actionplan::render::report_html(&report, lang);
        let _ = actionplan::render::report_markdown(&report, lang);
        let _ = actionplan::render::report_table(&report, lang, false);
    }
    actionplan::render::report_csv(&report).expect("csv");
    actionplan::render::json(&report).expect("json");
    let mut json = Vec::new();
    actionplan::export::write_export(&store, &mut json, std::path::Path::new("e.json"))
        .expect("export");
    let json = String::from_utf8(json).expect("an export is UTF-8");
    let file = actionplan::diagnostic::SourceFile::new(std::path::Path::new("e.json"), json);
    let (back, diags) = parse_file(file);
    assert!(diags.is_empty(), "an export does not read back: {diags}");
    assert!(back.is_some());
});
