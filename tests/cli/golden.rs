//! Golden files: the shipped 2020 report, pinned in Markdown (Norwegian labels) and JSON. A
//! change to the report shows up here as a diff to review (`cargo insta review`).

use crate::*;

fn shipped_report(format: &str, lang: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let out = actionplan(tmp.path())
        .args([
            "report",
            "2020",
            "--strategy",
            "eos",
            "--format",
            format,
            "--lang",
            lang,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn shipped_2020_report_markdown() {
    insta::assert_snapshot!("report-2020-nb.md", shipped_report("markdown", "nb"));
}

#[test]
fn shipped_2020_report_json() {
    insta::assert_snapshot!("report-2020.json", shipped_report("json", "en"));
}

#[test]
fn shipped_2020_report_csv() {
    insta::assert_snapshot!("report-2020.csv", shipped_report("csv", "en"));
}

#[test]
fn rendering_twice_gives_identical_output() {
    for format in ["table", "markdown", "html", "csv", "json"] {
        assert_eq!(
            shipped_report(format, "nb"),
            shipped_report(format, "nb"),
            "{format}"
        );
    }
}
