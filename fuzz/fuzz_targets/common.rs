//! Shared by the fuzz targets: turning bytes into a source file the way `read_source` does,
//! the plan that forms, narratives and CSVs are checked against, and the invariants every
//! diagnostic must meet (a position inside the file, a message).

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use actionplan::diagnostic::Diagnostics;
use actionplan::diagnostic::SourceFile;
use actionplan::parse::Document;
use actionplan::parse::parse_file;
use actionplan::validate::PlanView;

/// The day validation takes as today: fixed, so that a run is reproducible.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
}

/// The text of a file as `read_source` would hand it on: UTF-8 only, a BOM dropped, not
/// blank. `None` where `read_source` refuses the bytes (tested elsewhere).
pub fn source(name: &str, data: &[u8]) -> Option<SourceFile> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let text = std::str::from_utf8(data).ok()?.to_string();
    if text.trim().is_empty() {
        return None;
    }
    Some(SourceFile::new(Path::new(name), text))
}

/// Every diagnostic about `file` points inside it (1-based line and column, no further than
/// its last line) and says something.
pub fn check_diagnostics(file: &SourceFile, diags: &Diagnostics) {
    let lines = file.text.split('\n').count();
    for d in diags.0.iter().filter(|d| d.path == file.path) {
        assert!(d.line >= 1 && d.col >= 1, "{d}");
        assert!(d.line <= lines, "line {} of {lines}: {d}", d.line);
        assert!(!d.message.trim().is_empty(), "an empty message at {d}");
        // Rendering must not panic either.
        let _ = d.to_string();
    }
    let _ = diags.to_string();
}

/// The example plan of the tests (with an indicator), as the view forms are checked against.
pub fn example_views() -> HashMap<String, PlanView> {
    let text = include_str!("../../tests/fixtures/example/plan.toml");
    let file = SourceFile::new(Path::new("plan.toml"), text.to_string());
    let (parsed, diags) = parse_file(file);
    assert!(diags.is_empty(), "{diags}");
    let Some(Document::Plan(p)) = parsed.map(|p| p.doc) else {
        panic!("the example plan is a plan");
    };
    let view = PlanView::of_plan(&p.plan, &[]).expect("a strategy");
    HashMap::from([(view.strategy.id.clone(), view)])
}
