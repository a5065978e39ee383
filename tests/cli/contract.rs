//! The public contract's example (../shared/contract/example, copied under tests/fixtures so the
//! suite does not depend on files outside the repository).

use crate::*;

#[test]
fn example_loads_and_reloading_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    actionplan(tmp.path())
        .arg("load")
        .arg(fixture("example"))
        .assert()
        .success();
    let before = db_content(&tmp.path().join("t.db"));
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(fixture("example"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(stderr(&out).contains("nothing changed"), "{}", stderr(&out));
    assert_eq!(db_content(&tmp.path().join("t.db")), before);
}

#[test]
fn report_json_follows_the_contract() {
    let tmp = tempfile::tempdir().unwrap();
    actionplan(tmp.path())
        .arg("load")
        .arg(fixture("example"))
        .assert()
        .success();
    let out = actionplan(tmp.path())
        .args(["report", "2022", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["year"], 2022);
    assert_eq!(v["as_of"], "2022-12-31");
    assert_eq!(v["totals"]["completed"], 1);
    assert_eq!(v["totals"]["delayed"], 1);
    let rows: Vec<&serde_json::Value> = v["focus_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["initiatives"].as_array().unwrap())
        .collect();
    let minside = rows.iter().find(|r| r["id"] == "minside").unwrap();
    assert_eq!(minside["status"], serde_json::Value::Null);
    assert_eq!(minside["blocked_by"], serde_json::json!(["innlogging"]));
    let innlogging = rows.iter().find(|r| r["id"] == "innlogging").unwrap();
    assert_eq!(innlogging["previous_status"], "not-started");
    assert_eq!(v["missing"][0]["id"], "minside");
}
