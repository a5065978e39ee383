//! An export (JSON): reading never panics, and what reads is checked without panicking.
#![no_main]

#[path = "common.rs"]
mod common;

use actionplan::parse::Document;
use actionplan::parse::parse_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(file) = common::source("export.json", data) else {
        return;
    };
    let (parsed, diags) = parse_file(file.clone());
    common::check_diagnostics(&file, &diags);
    let Some(parsed) = parsed else {
        return;
    };
    let Document::Export(e) = &parsed.doc else {
        panic!("a .json file parses as an export");
    };
    let (errors, warnings) = actionplan::validate::validate_export(&parsed.file, e, common::today());
    common::check_diagnostics(&parsed.file, &errors);
    common::check_diagnostics(&parsed.file, &warnings);
});
