//! Golden files: the shipped 2020 report, pinned whole in every format: the terminal table
//! (Norwegian and English labels), Markdown (Norwegian), HTML (Norwegian, normalised), JSON and
//! CSV. A change to the report shows up here as a diff to review (`cargo insta review`).
//!
//! The terminal table is 100 columns wide: comfy-table asks the terminal for its width only when
//! standard output is one, and here it is a pipe, so the report falls back to its fixed width
//! (`render::DEFAULT_WIDTH`); `COLUMNS=100` says the same to anything that would read it.

use crate::*;

fn shipped_report(format: &str, lang: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let out = actionplan(tmp.path())
        .env("COLUMNS", "100")
        .args([
            "report",
            "2020",
            "--strategy",
            "eos",
            "--format",
            format,
            "--lang",
            lang,
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn shipped_2020_report_table_nb() {
    insta::assert_snapshot!("report-2020-nb.txt", shipped_report("table", "nb"));
}

#[test]
fn shipped_2020_report_table_en() {
    insta::assert_snapshot!("report-2020-en.txt", shipped_report("table", "en"));
}

/// The HTML report comes as the style sheet and then one long line. For a readable diff the
/// style sheet (pinned by its own test) becomes a placeholder and each block element and each
/// shape of the chart starts a line; nothing else is touched, and there is nothing volatile to
/// mask: the page holds no time but the report's own day.
#[test]
fn shipped_2020_report_html() {
    let html = shipped_report("html", "nb");
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"(?s)<style>.*?</style>", "<style>[CSS]</style>");
    settings.add_filter(
        r"<(head|body|header|section|article|footer|h[1-6]|p|ul|li|table|thead|tbody|tr|dl|dt|dd|svg|rect|text|line|polyline|circle)\b",
        "\n<$1",
    );
    settings.bind(|| insta::assert_snapshot!("report-2020-nb.html", html));
}

/// The style sheet the HTML report carries inline, pinned apart from the page.
#[test]
fn shipped_2020_report_html_style_sheet() {
    let html = shipped_report("html", "nb");
    let start = html.find("<style>").expect("a style sheet") + "<style>".len();
    let end = html.find("</style>").expect("its end");
    insta::assert_snapshot!("report.css", &html[start..end]);
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
