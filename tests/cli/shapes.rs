//! Issue 15 ([2/8]), finding 10: every verb stays near-linear in the plan's size, whatever its
//! shape. A chain of 3,000 where every initiative is at risk once made `report` take 33 s and
//! 1.8 GB, and `graph impact` printed paths that grow with the square of the chain. Here the
//! outputs are checked to stay linear in size (the times are in `cargo bench --bench graph`).

use std::fmt::Write;
use std::path::Path;

use serde_json::Value;

use crate::*;

const N: usize = 3_000;

/// A plan whose initiatives form one chain (each depends on the one before), and a form that
/// reports every one of them at risk.
fn chain(dir: &Path) {
    let mut plan = String::from(
        "[strategy]\nid = \"kjede\"\ntitle = \"Kjede\"\nperiod = { start = 2020, end = 2025 }\n\n\
         [[organisation]]\nid = \"etat\"\nname = \"Etaten\"\n\n\
         [[focus_area]]\nid = \"alt\"\ntitle = \"Alt\"\ngoal = \"Alt.\"\n",
    );
    let mut form =
        String::from("[form]\nstrategy = \"kjede\"\nround = \"2021\"\nreported_on = 2021-11-15\n");
    for k in 0..N {
        let _ = write!(
            plan,
            "\n[[initiative]]\nid = \"n{k}\"\ntitle = \"Ledd {k}\"\nfocus_area = \"alt\"\nowner = \"etat\"\n"
        );
        if k > 0 {
            let _ = writeln!(plan, "depends_on = [\"n{}\"]", k - 1);
        }
        let _ = write!(
            form,
            "\n[[update]]\ninitiative = \"n{k}\"\nstatus = \"at-risk\"\n"
        );
    }
    std::fs::write(dir.join("plan.toml"), plan).unwrap();
    std::fs::write(dir.join("form.toml"), form).unwrap();
    actionplan(dir)
        .args(["load", "plan.toml", "form.toml"])
        .assert()
        .success();
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = actionplan(dir).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_chain_where_every_initiative_is_at_risk_stays_linear() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    chain(dir);
    let json = run(dir, &["report", "2021", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let rows = report["focus_areas"][0]["initiatives"].as_array().unwrap();
    assert_eq!(rows.len(), N);
    // Each is held up by the one before it only: the nearest holder, not all 2,999 behind it.
    for (k, row) in rows.iter().enumerate() {
        let want: Vec<Value> = if k == 0 {
            vec![]
        } else {
            vec![Value::from(format!("n{}", k - 1))]
        };
        assert_eq!(row["blocked_by"].as_array().unwrap(), &want, "n{k}");
    }
    // Linear sizes: about a kilobyte an initiative (its row, its place in `attention` and in
    // `transitions`), not thousands of ids each.
    assert!(json.len() < N * 2_000, "{} bytes of JSON", json.len());
    for format in ["table", "markdown", "html", "csv"] {
        let out = run(dir, &["report", "2021", "--format", format]);
        assert!(out.len() < N * 2_000, "{format}: {} bytes", out.len());
    }
    let impact = run(
        dir,
        &[
            "graph",
            "impact",
            "n0",
            "--format",
            "json",
            "--as-of",
            "2021-12-31",
        ],
    );
    let hit: Vec<Value> = serde_json::from_str(&impact).unwrap();
    assert_eq!(hit.len(), N - 1);
    assert_eq!(hit[N - 2]["depth"], N - 1);
    assert_eq!(hit[N - 2]["via"], format!("n{}", N - 2));
    assert!(impact.len() < N * 500, "{} bytes", impact.len());
    let lint = run(dir, &["lint", "2021", "--format", "json"]);
    assert!(lint.len() < N * 1_000, "{} bytes", lint.len());
    run(dir, &["graph", "order", "--format", "json"]);
    run(
        dir,
        &[
            "graph",
            "check",
            "--format",
            "json",
            "--as-of",
            "2021-12-31",
        ],
    );
}
