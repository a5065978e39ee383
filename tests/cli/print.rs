//! The printed report (issue [4/8], "a briefing that prints"): the shipped 2020 report printed
//! to PDF by `report --output FILE.pdf` (headless Chromium), read back with poppler's
//! `pdfinfo`, `pdftotext` and `pdftoppm` (Debian `poppler-utils`, installed by `.ci/run`).
//!
//! Without Chromium or poppler the tests fail when `CI` is set and are skipped otherwise.

use std::path::Path;
use std::process::Command;

use crate::*;

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// Whether this machine can print and read PDFs; says why not (and fails on CI) when not.
fn can_print() -> bool {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|c| Command::new(c).arg("--version").output().is_ok());
    if !chromium {
        skip_or_fail("no Chromium: `apt-get install chromium` (.ci/run does)");
        return false;
    }
    if !(has("pdftotext") && has("pdfinfo") && has("pdftoppm")) {
        skip_or_fail("no poppler: `apt-get install poppler-utils` (.ci/run does)");
        return false;
    }
    true
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext page {page}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The page as pixels (red, green, blue), at 50 dots per inch.
fn page_pixels(pdf: &Path, page: usize) -> Vec<[u8; 3]> {
    let n = page.to_string();
    let out = Command::new("pdftoppm")
        .args(["-r", "50", "-f", &n, "-l", &n, "-singlefile"])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftoppm page {page}");
    // A binary PPM: "P6", width, height, maximum value, then three bytes a pixel.
    let ppm = out.stdout;
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    ppm[at + 1..]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// Pixels within a few steps of `colour`.
fn count_colour(pixels: &[[u8; 3]], colour: [u8; 3]) -> usize {
    pixels
        .iter()
        .filter(|p| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 10))
        .count()
}

fn non_blank_lines(text: &str) -> usize {
    text.lines().filter(|l| !l.trim().is_empty()).count()
}

#[test]
fn the_shipped_briefing_prints_in_at_most_four_pages_with_its_colours() {
    if !can_print() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let pdf = tmp.path().join("erfaringsrapport-2020.pdf");
    // The hermetic environment has no PATH: Chromium is found on this machine's.
    let out = actionplan(tmp.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args([
            "report",
            "2020",
            "--strategy",
            "eos",
            "--lang",
            "nb",
            "--output",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 20_000,
        "{} bytes",
        bytes.len()
    );

    let n = pages(&pdf);
    let text: Vec<String> = (1..=n).map(|p| page_text(&pdf, p)).collect();
    // Page 1: the cover, with the contents and the content hash.
    let json = actionplan(tmp.path())
        .args(["report", "2020", "--strategy", "eos", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let hash = json["content_hash"].as_str().unwrap();
    assert!(text[0].contains("Erfaringsrapport 2020"), "{}", text[0]);
    assert!(text[0].contains("Innhold"), "{}", text[0]);
    assert!(text[0].contains(hash), "the cover shows the content hash");
    // The briefing from page 2; the details from a page of their own, at most four pages on.
    let first = |needle: &str| {
        (1..n)
            .find(|&p| text[p].contains(needle))
            .map(|p| p + 1)
            .unwrap_or_else(|| panic!("no page after the cover has {needle:?}"))
    };
    let briefing = first("Sammendrag");
    assert_eq!(briefing, 2, "the briefing starts after the cover");
    assert!(first("Trenger oppmerksomhet") < first("Endret status siden i fjor"));
    let details = first("Endret status siden i fjor");
    let briefing_pages = details - briefing;
    assert!(
        (1..=4).contains(&briefing_pages),
        "the briefing takes {briefing_pages} pages"
    );
    for needle in ["Skate bes om å beslutte", "Innsatsområde", "Indikatorer"] {
        assert!(first(needle) < details, "{needle:?} is in the briefing");
    }
    // Page numbers in the footer.
    assert!(
        text[1].contains(&format!("2 / {n}")),
        "no page number on page 2:\n{}",
        text[1]
    );
    // No near-empty pages: only the last page of the briefing, of the details and of the whole
    // may run short (each part starts on a new page); focus areas do not force breaks.
    let appendix = first("Vedlegg: svar fra virksomhetene");
    for p in 2..=n {
        if [details - 1, appendix - 1, n].contains(&p) {
            continue;
        }
        let lines = non_blank_lines(&text[p - 1]);
        assert!(lines >= 20, "page {p} has {lines} lines:\n{}", text[p - 1]);
    }
    // A status keeps its colour in print: the first page of the details has no chart, so its
    // green is the badges' ("i rute", #1f7a3d), with the word on them.
    let green = count_colour(&page_pixels(&pdf, details), [0x1f, 0x7a, 0x3d]);
    assert!(green > 100, "{green} green pixels on page {details}");
    assert!(text[details - 1].contains("i rute"));
}
