//! docs/walkthrough.md, run as written: every `sh` block, in order, in one fresh folder, with
//! the binary under test first on PATH.

use std::process::Command;

use crate::*;

fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_walkthrough_runs_as_written() {
    let doc = std::fs::read_to_string(repo().join("docs/walkthrough.md")).unwrap();
    let blocks = shell_blocks(&doc);
    assert!(
        blocks.len() >= 5,
        "the walkthrough has {} shell blocks",
        blocks.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_actionplan"))
        .parent()
        .unwrap()
        .to_owned();
    let path = format!("{}:/usr/bin:/bin", bin_dir.display());
    for (n, block) in blocks.iter().enumerate() {
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", block])
            .env_clear()
            .env("PATH", &path)
            .env("HOME", tmp.path())
            .env("NO_COLOR", "1")
            .env("ACTIONPLAN_DB", tmp.path().join("actionplan.db"))
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "walkthrough block {} failed:\n{block}\n--- stdout:\n{}\n--- stderr:\n{}",
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
