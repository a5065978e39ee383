//! An indicator measurements CSV: parsing never panics, every diagnostic has a position in the
//! file, and the rows are validated against the example plan's indicators.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

use actionplan::parse::Document;
use actionplan::parse::parse_file;
use actionplan::validate::PlanView;
use libfuzzer_sys::fuzz_target;

static VIEWS: OnceLock<std::collections::HashMap<String, PlanView>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some(file) = common::source("indicators.csv", data) else {
        return;
    };
    let (parsed, diags) = parse_file(file.clone());
    common::check_diagnostics(&file, &diags);
    let Some(parsed) = parsed else {
        return;
    };
    let Document::Measurements(m) = &parsed.doc else {
        panic!("a .csv file parses as measurements");
    };
    assert_eq!(m.rows.len(), m.spans.len());
    let views = VIEWS.get_or_init(common::example_views);
    let view = views.values().next().expect("one view");
    let (errors, warnings) = actionplan::validate::validate_measurements(&parsed.file, m, view);
    common::check_diagnostics(&parsed.file, &errors);
    common::check_diagnostics(&parsed.file, &warnings);
});
