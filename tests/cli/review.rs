//! `diff` and `lint` through the binary.

use crate::*;

fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    for (id, status, on) in [
        ("nett", "on-track", "2021-06-01"),
        ("nett", "delayed", "2022-06-01"),
        ("innlogging", "on-track", "2022-06-01"),
        ("minside", "completed", "2022-06-01"),
    ] {
        actionplan(dir)
            .args(["status", "set", id, status, "--on", on])
            .assert()
            .success();
    }
    tmp
}

#[test]
fn diff_between_two_years_lists_the_transitions() {
    let tmp = setup();
    let out = actionplan(tmp.path())
        .args(["diff", "2021", "2022", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (d["from"].as_str(), d["to"].as_str()),
        (Some("2021-12-31"), Some("2022-12-31"))
    );
    let moved: Vec<(String, String, String)> = d["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].to_string(),
                t["from"].to_string(),
                t["to"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            (
                "\"nett\"".into(),
                "\"on-track\"".into(),
                "\"delayed\"".into()
            ),
            (
                "\"innlogging\"".into(),
                "null".into(),
                "\"on-track\"".into()
            ),
            ("\"minside\"".into(), "null".into(), "\"completed\"".into()),
        ]
    );
    assert_eq!(d["completed"][0]["id"], "minside");
    let md = actionplan(tmp.path())
        .args(["diff", "2021H2", "2022H1", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(md.status.success(), "{}", stderr(&md));
    insta::assert_snapshot!(stdout(&md), @r#"
# Changes in runde from 2021-12-31 to 2022-06-30

## Status changes (3)

- Nytt nettverk `nett` (ikt): on-track → delayed
- Felles innlogging `innlogging` (ikt): no status → on-track
- Min side `minside` (by): no status → completed

## Completed (1)

- Min side `minside` (by)
"#);
    // Within the second half of 2022 nothing happened.
    let quiet = actionplan(tmp.path())
        .args(["diff", "2022H1", "2022H2"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&quiet),
        "Changes in runde from 2022-06-30 to 2022-12-31\n\nNo changes.\n"
    );
    let bad = actionplan(tmp.path())
        .args(["diff", "2022H3", "2023"])
        .output()
        .unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a malformed period is a usage error"
    );
    assert!(
        stderr(&bad).contains("half-year (2024H1)"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn lint_names_initiative_and_owner_and_strict_fails() {
    let tmp = setup();
    let out = actionplan(tmp.path())
        .args(["lint", "2022", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rosy = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "green-over-red")
        .unwrap();
    assert_eq!(rosy["id"], "innlogging");
    assert_eq!(rosy["owner"], "ikt");
    assert_eq!(
        rosy["message"],
        "reported on-track while `nett` (IKT Rundeby) is delayed"
    );
    let strict = actionplan(tmp.path())
        .args(["lint", "2022", "--strict"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    // --strict changes the exit code only: the findings are the same, and say so.
    insta::assert_snapshot!(stdout(&strict), @r#"
┌────────────────┬───────┬─────────────┬─────────────────────────────────────────────────────────┐
│ rule           ┆ owner ┆ initiative  ┆ finding                                                 │
╞════════════════╪═══════╪═════════════╪═════════════════════════════════════════════════════════╡
│ green-over-red ┆ ikt   ┆ innlogging  ┆ reported on-track while `nett` (IKT Rundeby) is delayed │
│ silent         ┆ fylke ┆ skoleportal ┆ no update in 2021 or 2022 (last: never)                 │
└────────────────┴───────┴─────────────┴─────────────────────────────────────────────────────────┘
"#);
    assert_eq!(
        stderr(&strict),
        "2 findings\nerror: lint found 2 problem(s) in 2022\n"
    );
}
