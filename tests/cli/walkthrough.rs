//! The docs, run as written, with the binary under test first on PATH as `actionplan`:
//! - docs/walkthrough.md: every `sh` block, in order, in one fresh folder;
//! - the README's tour and every `sh` block of docs/veiledning.md: line by line, each in a
//!   copy of the repository (its `plans/` and `actionplan.toml`, so the project file's
//!   defaults apply: strategy `eos`, bokmål), with what each command printed or wrote checked.
//!
//! A command that needs what a person would have done first (a filled-in form) gets it from
//! the test: see [`Prepared`]. Each such block is marked in the doc by an HTML comment
//! (`<!-- walkthrough: … -->`) right above it, and each mark must be used, so the list and the
//! doc cannot part.

use std::path::Path;
use std::process::Command;
use std::process::Output;

use crate::spreadsheet::Fill;
use crate::*;

/// A fenced `sh` block of a Markdown page.
struct Block {
    /// The `## ` heading it is under.
    section: String,
    lines: Vec<String>,
    /// Whether an HTML comment `<!-- walkthrough: … -->` stands between the previous block
    /// and this one: the test prepares something for it.
    marked: bool,
}

fn sh_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let (mut section, mut marked) = (String::new(), false);
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => {
                current = Some(Block {
                    section: section.clone(),
                    lines: Vec::new(),
                    marked: std::mem::take(&mut marked),
                });
            }
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), _) => block.lines.push(line.to_string()),
            (None, l) if l.starts_with("<!-- walkthrough:") => marked = true,
            (None, l) if l.starts_with("## ") => section = l.to_string(),
            (None, _) => {}
        }
    }
    blocks
}

fn bin_path() -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_actionplan"))
        .parent()
        .unwrap()
        .to_owned();
    format!("{}:/usr/bin:/bin", bin_dir.display())
}

/// `bash -euo pipefail -c script` in `dir`, with nothing of the test's environment but PATH
/// (the binary under test first) and a HOME: no ACTIONPLAN_* variables, no LANG.
fn shell(dir: &Path, script: &str) -> Output {
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .env_clear()
        .env("PATH", bin_path())
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn the_walkthrough_runs_as_written() {
    let doc = std::fs::read_to_string(repo().join("docs/walkthrough.md")).unwrap();
    let blocks = sh_blocks(&doc);
    assert!(
        blocks.len() >= 5,
        "the walkthrough has {} shell blocks",
        blocks.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    for (n, block) in blocks.iter().enumerate() {
        let script = block.lines.join("\n");
        let out = shell(tmp.path(), &script);
        assert!(
            out.status.success(),
            "walkthrough block {} failed:\n{script}\n--- stdout:\n{}\n--- stderr:\n{}",
            n + 1,
            stdout(&out),
            stderr(&out)
        );
    }
    let html = std::fs::read_to_string(tmp.path().join("rapport-2025.html")).unwrap();
    assert!(html.contains("Min side") && html.contains("felles-innlogging"));
    let out = actionplan_db(tmp.path(), "actionplan.db")
        .args(["missing", "2025", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out).trim(),
        "[]",
        "the form round left nothing missing"
    );
}

/// What the test does before a line of a doc runs: set up what a person would have (a form
/// filled in), and, rarely, run another command in its place (`Some`), said in the doc.
struct Prepared {
    line: &'static str,
    prepare: fn(&Path) -> Option<String>,
}

/// Every command of the doc's runnable blocks that ran, with what it printed.
struct Run {
    dir: tempfile::TempDir,
    ran: Vec<(String, Output)>,
}

impl Run {
    /// The output of the first command that starts with `command`.
    fn out(&self, command: &str) -> &Output {
        self.ran
            .iter()
            .find(|(line, _)| line.starts_with(command))
            .map(|(_, out)| out)
            .unwrap_or_else(|| panic!("no command `{command}` ran"))
    }

    /// The outputs of every run of exactly `command` (its comment aside), in order.
    fn all(&self, command: &str) -> Vec<&Output> {
        self.ran
            .iter()
            .filter(|(line, _)| line.split(" #").next().unwrap_or("").trim() == command)
            .map(|(_, out)| out)
            .collect()
    }

    fn stdout(&self, command: &str) -> String {
        stdout(self.out(command))
    }

    fn stderr(&self, command: &str) -> String {
        stderr(self.out(command))
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name} was not written: {e}"))
    }
}

/// A copy of what a user of the repository has: the shipped plans and the project file.
fn copy_of_the_repository() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let dest = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &dest);
            } else {
                std::fs::copy(&path, &dest).unwrap();
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    copy(&repo().join("plans"), &tmp.path().join("plans"));
    std::fs::copy(
        repo().join("actionplan.toml"),
        tmp.path().join("actionplan.toml"),
    )
    .unwrap();
    tmp
}

/// Runs the blocks of `doc` that `keep` selects, line by line, in a copy of the repository;
/// every command must succeed. Each prepared line must be in a marked block, and each marked
/// block must have a prepared line.
fn run_doc(doc: &str, keep: impl Fn(&Block) -> bool, prepared: &[Prepared]) -> Run {
    let text = std::fs::read_to_string(repo().join(doc)).unwrap();
    let blocks: Vec<Block> = sh_blocks(&text).into_iter().filter(|b| keep(b)).collect();
    assert!(!blocks.is_empty(), "{doc} has no runnable shell block");
    let dir = copy_of_the_repository();
    let mut ran = Vec::new();
    let mut used = vec![false; prepared.len()];
    for block in &blocks {
        let mut block_prepared = false;
        for line in &block.lines {
            let command = line.trim();
            if command.is_empty() || command.starts_with('#') {
                continue;
            }
            // One command a line: what each printed is checked below.
            assert!(
                !command.ends_with('\\') && !command.contains("<<"),
                "{doc}: `{command}` spans lines"
            );
            let mut script = command.to_string();
            if let Some(k) = prepared.iter().position(|p| command.starts_with(p.line)) {
                assert!(
                    block.marked,
                    "{doc}: the block of `{command}` needs a `<!-- walkthrough: … -->` note: the test prepares for it"
                );
                used[k] = true;
                block_prepared = true;
                if let Some(instead) = (prepared[k].prepare)(dir.path()) {
                    script = instead;
                }
            }
            let out = shell(dir.path(), &script);
            assert!(
                out.status.success(),
                "{doc}: `{script}` failed:\n--- stdout:\n{}\n--- stderr:\n{}",
                stdout(&out),
                stderr(&out)
            );
            ran.push((command.to_string(), out));
        }
        assert!(
            !block.marked || block_prepared,
            "{doc}: a block marked for the test has no prepared line: {:?}",
            block.lines
        );
    }
    for (p, used) in prepared.iter().zip(used) {
        assert!(used, "{doc}: no line `{}` to prepare for", p.line);
    }
    Run { dir, ran }
}

#[test]
fn the_readme_tour_runs_as_written() {
    let run = run_doc("README.md", |b| b.section == "## A short tour", &[]);
    assert!(
        run.stderr("actionplan check plans/")
            .contains("ok: 19 files checked"),
        "{}",
        run.stderr("actionplan check plans/")
    );
    assert!(
        run.stderr("actionplan load plans/")
            .contains("loaded 19 files")
    );
    // The project file's defaults: strategy `eos` and bokmål, without a flag.
    let list = run.stdout("actionplan initiative list --owner digdir");
    assert!(
        list.contains("ansvarlig") && list.contains("stimulab"),
        "{list}"
    );
    assert!(!list.contains("ki-strategi"), "only Digdir's: {list}");
    let show = run.stdout("actionplan initiative show ressurssenter-data");
    assert!(
        show.contains("Nasjonalt ressurssenter for deling av data") && show.contains("Milepæler"),
        "{show}"
    );
    assert!(
        run.stderr("actionplan status set startoff")
            .contains("+1 update")
    );
    let history = run.stdout("actionplan status history startoff");
    assert!(
        history.contains("01.03.2021") && history.contains("i rute"),
        "{history}"
    );
    let missing = run.stdout("actionplan missing 2021");
    for id in [
        "dsop",
        "livshendelse-ny-i-norge",
        "strategi-digital-kompetanse",
    ] {
        assert!(
            missing.contains(id),
            "{id} answered nothing in 2021:\n{missing}"
        );
    }
    assert!(
        !missing.contains("startoff"),
        "startoff was set in 2021:\n{missing}"
    );
    let letters = run.file("purreliste.csv");
    assert!(
        letters.starts_with("owner,organisation,contact,email,round,count,initiatives")
            && letters.contains(",2021H2,"),
        "{letters}"
    );
    let html = run.file("rapport-2020.html");
    assert!(html.contains("<html lang=\"nb\"") && html.contains("Erfaringsrapport 2020"));
    assert!(
        run.stdout("actionplan graph impact ressurssenter-data")
            .contains("blir `ressurssenter-data` forsinket")
    );
    let ki = run.stdout("actionplan indicator show ki-bruk --strategy fdn");
    assert!(
        ki.contains("ki-bruk") && ki.contains("enhet: prosent"),
        "{ki}"
    );
    let forms = std::fs::read_dir(run.dir.path().join("utsending"))
        .unwrap()
        .count();
    assert!(forms >= 5, "{forms} forms");
    let export: serde_json::Value = serde_json::from_str(&run.file("backup.json")).unwrap();
    assert_eq!(export["strategies"].as_array().map(Vec::len), Some(2));
    assert!(run.dir.path().join("backups/2021-11-30.db").is_file());
    assert!(run.stderr("actionplan lint 2020").contains("funn"));
    assert!(
        run.stdout("actionplan diff 2019 2020")
            .starts_with("Endringer i eos fra 31. desember 2019 til 31. desember 2020")
    );
    assert!(
        run.stderr("actionplan period close 2020")
            .contains("closed 2020")
    );
    assert!(run.stdout("actionplan period verify").contains("stemmer"));
}

/// Digdir's form from `forms 2025`, filled in as Digdir would, among the shipped forms.
fn fill_digdirs_form(dir: &Path) -> Option<String> {
    let blank = std::fs::read_to_string(dir.join("utsending-2025/2025-digdir.toml")).unwrap();
    let filled = blank
        .replace("reported_on = \"\"", "reported_on = \"28.11.2025\"")
        .replace(
            "respondent = \"\"",
            "respondent = \"Programkontoret, Digdir\"",
        )
        .replace("status = \"\"", "status = \"I rute\"");
    let status = dir.join("plans/en-digital-offentlig-sektor/status/2025-digdir.toml");
    std::fs::write(status, filled).unwrap();
    None
}

/// KMD's workbook from `forms 2025 --format xlsx`, filled in as in Excel: the day as text,
/// one status chosen. Sent back into `svar-2025/`.
fn fill_kmds_workbook(dir: &Path) -> Option<String> {
    std::fs::create_dir_all(dir.join("svar-2025")).unwrap();
    let book = dir.join("svar-2025/2025-kmd.xlsx");
    std::fs::copy(dir.join("utsending-2025/2025-kmd.xlsx"), &book).unwrap();
    crate::spreadsheet::fill(
        &book,
        &[
            ("Skjema", "B4", Fill::Text("27.11.2025")),
            ("Status", "C3", Fill::Text("forsinket")),
        ],
    );
    None
}

/// The history is recorded when the test runs; the report as it stood when the test closed
/// 2025, instead of on 1 February 2026.
fn at_the_close(dir: &Path) -> Option<String> {
    let out = shell(dir, "actionplan period list --format json");
    let periods: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let closed = periods[0]["closed_at"].as_str().unwrap().to_string();
    Some(format!("actionplan report 2025 --as-known-at {closed}"))
}

#[test]
fn the_guide_runs_as_written() {
    let run = run_doc(
        "docs/veiledning.md",
        |_| true,
        &[
            Prepared {
                line: "actionplan check plans/en-digital-offentlig-sektor/status/2025-digdir.toml",
                prepare: fill_digdirs_form,
            },
            Prepared {
                line: "actionplan check svar-2025/",
                prepare: fill_kmds_workbook,
            },
            Prepared {
                line: "actionplan report 2025 --as-known-at 2026-02-01",
                prepare: at_the_close,
            },
        ],
    );
    let dir = run.dir.path();
    // The blank forms, in bokmål, one per owner.
    let digdir = std::fs::read_to_string(dir.join("utsending-2025/2025-digdir.toml")).unwrap();
    assert!(digdir.contains("round = \"2025\"") && digdir.contains("Forrige status"));
    assert!(dir.join("utsending-2025/2025-kmd.xlsx").is_file());
    // The answers came in: Digdir's form (after the shipped files) and KMD's workbook.
    let loads = run.all("actionplan load plans/");
    assert_eq!(loads.len(), 2, "the guide loads the plans twice");
    let second = stderr(loads[1]);
    assert!(
        second.contains("loaded 20 files") && second.contains(" updates"),
        "{second}"
    );
    assert!(
        run.stderr("actionplan load svar-2025/")
            .contains("+1 update")
    );
    // What is still missing: not Digdir's, nor KMD's answered one; by owner.
    let missing = run.stdout("actionplan missing 2025 ");
    assert!(
        missing.contains("ansvarlig") && missing.contains("dsop"),
        "{missing}"
    );
    assert!(!missing.contains("stimulab"), "Digdir answered:\n{missing}");
    let list = run.file("purreliste.csv");
    assert!(list.starts_with("owner,organisation,contact,email,round,count,initiatives"));
    assert!(list.contains("\nbits,Bits AS,,,2025,1,DSOP"), "{list}");
    assert!(!list.contains("\ndigdir,"), "{list}");
    // The report in bokmål, in every format asked for.
    let report = run.stdout("actionplan report 2025 ");
    assert!(report.contains("Status per 31. desember 2025"), "{report}");
    let html = run.file("erfaringsrapport-2025.html");
    assert!(html.contains("<html lang=\"nb\"") && html.contains("Erfaringsrapport 2025"));
    assert!(
        run.file("erfaringsrapport-2025.md")
            .starts_with("# Erfaringsrapport 2025")
    );
    let json: serde_json::Value =
        serde_json::from_str(&run.file("erfaringsrapport-2025.json")).unwrap();
    assert_eq!(json["year"], 2025);
    assert!(run.stderr("actionplan lint 2025").contains("funn"));
    assert!(
        run.stdout("actionplan diff 2024 2025")
            .starts_with("Endringer i eos fra 31. desember 2024 til 31. desember 2025")
    );
    assert!(
        run.stderr("actionplan period close 2025")
            .contains("closed 2025")
    );
    // The report as Skate saw it carries the hash the close recorded.
    let hash = json["content_hash"].as_str().unwrap().to_string();
    assert!(
        run.stderr("actionplan period close 2025").contains(&hash),
        "the close recorded the report's hash"
    );
    assert!(
        run.stdout("actionplan report 2025 --as-known-at")
            .contains(&hash)
    );
    assert!(
        run.stdout("actionplan graph impact ressurssenter-data")
            .contains("blir `ressurssenter-data` forsinket")
    );
    assert!(
        run.stdout("actionplan indicator list")
            .contains("siste måling")
    );
    assert!(
        run.stderr("actionplan load plans/en-digital-offentlig-sektor/indicators.csv")
            .contains("nothing changed")
    );
    let export: serde_json::Value =
        serde_json::from_str(&run.file("sikkerhetskopi-2025.json")).unwrap();
    assert_eq!(export["strategies"].as_array().map(Vec::len), Some(2));
}
