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
    assert_eq!(stderr(&out), "loaded 5 files: nothing changed\n");
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

#[test]
fn export_and_load_into_an_empty_database_gives_the_same_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    actionplan(dir)
        .args(["export", "--output", "dump.json"])
        .assert()
        .success();
    // Written beside the file and renamed: the file is what standard output gets.
    let to_stdout = actionplan(dir).arg("export").output().unwrap();
    assert_eq!(
        std::fs::read(dir.join("dump.json")).unwrap(),
        to_stdout.stdout
    );
    actionplan_db(dir, "copy.db")
        .args(["load", "dump.json"])
        .assert()
        .success();
    for (year, strategy) in [("2020", "eos"), ("2025", "fdn")] {
        let report = |db: &str| {
            let out = actionplan_db(dir, db)
                .args(["report", year, "--strategy", strategy, "--format", "json"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
            stdout(&out)
        };
        assert_eq!(report("t.db"), report("copy.db"), "{strategy} {year}");
    }
    let again = actionplan_db(dir, "copy.db")
        .args(["load", "dump.json"])
        .output()
        .unwrap();

    assert_eq!(stderr(&again), "loaded 1 file: nothing changed\n");
}

/// An export that cannot be written fails with the file named, and leaves nothing behind.
#[test]
fn an_export_that_cannot_be_written_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let out = actionplan(dir)
        .args(["export", "--output", "missing/dump.json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("dump.json"), "{}", stderr(&out));
    assert!(!dir.join("missing").exists());
}

/// `export --output` replaces the file it is given as a whole: an existing file keeps its
/// permissions; a read-only file is refused; a symbolic link is refused, not followed (the
/// file it points to and the link stay as they were).
#[cfg(unix)]
#[test]
fn an_export_file_is_replaced_whole_keeping_permissions_never_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let expected = actionplan(dir).arg("export").output().unwrap().stdout;

    let real = dir.join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(&real, dir.join("link.json")).unwrap();
    let out = actionplan(dir)
        .args(["export", "--output", "link.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("link.json is a symbolic link (to ")
            && stderr(&out).contains("never writes through a link"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::symlink_metadata(dir.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&real).unwrap(), b"old");

    actionplan(dir)
        .args(["export", "--output", "real.json"])
        .assert()
        .success();
    assert_eq!(std::fs::read(&real).unwrap(), expected);
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the export kept its permissions");

    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o400)).unwrap();
    let out = actionplan(dir)
        .args(["export", "--output", "real.json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&real).unwrap(), expected);
    let mut left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    left.sort();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn the_example_folder_loads_every_kind_of_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(fixture("example"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "loaded 5 files: plan eksempel: +1 strategy, +3 organisations, +2 focus areas, +4 initiatives, \
         +1 indicator; +4 updates; +2 measurements; +1 narrative\n"
    );
    let out = actionplan(tmp.path())
        .args(["report", "2022", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ind = &v["indicators"][0];
    assert_eq!(ind["id"], "digitale-soknader");
    assert_eq!(ind["values"].as_array().unwrap().len(), 2);
    assert_eq!(ind["targets"][0]["value"], 90.0);
}

#[test]
fn a_withdrawn_initiative_survives_export_as_withdrawn_with_its_history() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    actionplan(dir)
        .args(["status", "set", "minside", "delayed", "--on", "2021-05-01"])
        .assert()
        .success();
    let plan = std::fs::read_to_string(fixture("round/plan.toml")).unwrap();
    let start = plan.find("[[initiative]]\nid = \"minside\"").unwrap();
    let end = start
        + plan[start..]
            .find("[[initiative]]\nid = \"skoleportal\"")
            .unwrap();
    std::fs::write(
        dir.join("plan.toml"),
        format!("{}{}", &plan[..start], &plan[end..]),
    )
    .unwrap();
    let out = actionplan(dir)
        .args(["load", "plan.toml"])
        .output()
        .unwrap();
    assert_eq!(
        stderr(&out),
        "loaded 1 file: plan runde: −1 initiative withdrawn\n"
    );

    actionplan(dir)
        .args(["export", "--output", "dump.json"])
        .assert()
        .success();
    // Written beside the file and renamed: the file is what standard output gets.
    let to_stdout = actionplan(dir).arg("export").output().unwrap();
    assert_eq!(
        std::fs::read(dir.join("dump.json")).unwrap(),
        to_stdout.stdout
    );
    actionplan_db(dir, "copy.db")
        .args(["load", "dump.json"])
        .assert()
        .success();
    let out = actionplan_db(dir, "copy.db")
        .args(["initiative", "list", "--all", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let minside = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "minside")
        .unwrap();
    assert_eq!(minside["withdrawn"], true);
    let out = actionplan_db(dir, "copy.db")
        .args(["status", "history", "minside", "--format", "json"])
        .output()
        .unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(history[0]["status"], "delayed");
}
