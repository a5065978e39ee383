//! A plan file (or any TOML): parsing never panics, every diagnostic has a position in the file,
//! and what parses is validated without panicking.
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
    let Some(file) = common::source("plan.toml", data) else {
        return;
    };
    let (parsed, diags) = parse_file(file.clone());
    common::check_diagnostics(&file, &diags);
    let Some(parsed) = parsed else {
        return;
    };
    let views = VIEWS.get_or_init(common::example_views);
    let diags = match &parsed.doc {
        Document::Plan(p) => {
            let _ = PlanView::of_plan(&p.plan, &[]);
            actionplan::validate::validate_plan(&parsed.file, p)
        }
        Document::Form(f) => {
            actionplan::validate::validate_form(&parsed.file, f, views, common::today())
        }
        Document::Narrative(n) => actionplan::validate::validate_narrative(&parsed.file, n, views),
        _ => return,
    };
    common::check_diagnostics(&parsed.file, &diags);
});
