//! The yearly collection round end to end, and the append-only history.

use crate::*;

/// Fills a blank form: the date, and each update's status and summary.
fn fill(text: &str, status: &str) -> String {
    text.replacen("reported_on = \"\"", "reported_on = 2021-11-15", 1)
        .replace("status = \"\"", &format!("status = \"{status}\""))
        .replacen(
            "summary = \"\"",
            "summary = \"Godt i gang, \\\"som planlagt\\\".\"",
            1,
        )
}

#[test]
fn forms_out_forms_in_missing_and_reload() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    actionplan(dir)
        .args(["forms", "2021", "--out", "out"])
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["2021-by.toml", "2021-fylke.toml", "2021-ikt.toml"]);

    // A form sent back unfilled is refused, and nothing is written.
    let before = db_content(&dir.join("t.db"));
    let out = actionplan(dir)
        .arg("load")
        .arg("out/2021-ikt.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no status filled in for `nett`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("`reported_on` in [form] is not filled in"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db_content(&dir.join("t.db")), before);

    // Two owners fill in their forms; the structure is left as generated.
    for (name, status) in [("2021-ikt.toml", "on-track"), ("2021-by.toml", "forsinket")] {
        let path = dir.join("out").join(name);
        let filled = fill(&std::fs::read_to_string(&path).unwrap(), status);
        std::fs::write(dir.join(name), filled).unwrap();
    }
    let out = actionplan(dir)
        .args(["load", "2021-ikt.toml", "2021-by.toml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "loaded 2 files: +3 updates\n");

    let out = actionplan(dir)
        .args(["missing", "2021", "--format", "json"])
        .output()
        .unwrap();
    let missing: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = missing
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["skoleportal"],
        "only the owner who did not answer is missing"
    );

    let before = db_content(&dir.join("t.db"));
    let out = actionplan(dir)
        .args(["load", "2021-ikt.toml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stderr(&out), "loaded 1 file: nothing changed\n");
    assert_eq!(db_content(&dir.join("t.db")), before);

    // The history shows what was recorded, from which file.
    let out = actionplan(dir)
        .args(["status", "history", "nett", "--format", "json"])
        .output()
        .unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(history[0]["status"], "on-track");
    assert_eq!(history[0]["reported_on"], "2021-11-15");
    assert!(
        history[0]["source_file"]
            .as_str()
            .unwrap()
            .ends_with("2021-ikt.toml")
    );
}

#[test]
fn a_correction_is_a_new_update_and_the_old_one_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    for (progress, expect) in [("10", "+1 update"), ("20", "1 correction")] {
        let out = actionplan(dir)
            .args([
                "status",
                "set",
                "nett",
                "on-track",
                "--on",
                "2021-03-01",
                "--progress",
                progress,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains(expect), "{}", stderr(&out));
    }
    let out = actionplan(dir)
        .args(["status", "history", "nett", "--format", "json"])
        .output()
        .unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let progress: Vec<i64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["progress"].as_i64().unwrap())
        .collect();
    assert_eq!(progress, [10, 20]);
}

#[test]
fn the_database_itself_refuses_to_rewrite_history() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    actionplan(dir)
        .args(["status", "set", "nett", "delayed", "--on", "2021-03-01"])
        .assert()
        .success();
    let conn = rusqlite::Connection::open(dir.join("t.db")).unwrap();
    let update = conn.execute("UPDATE status_update SET status = 'completed'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM status_update", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let n: i64 = conn
        .query_row("SELECT count(*) FROM status_update", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn status_set_refuses_unknown_ids_and_words_with_suggestions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    actionplan(dir)
        .arg("load")
        .arg(fixture("round/plan.toml"))
        .assert()
        .success();
    let out = actionplan(dir)
        .args(["status", "set", "net", "on-track", "--on", "2021-03-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown initiative `net`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("did you mean `nett`?"),
        "{}",
        stderr(&out)
    );
    let out = actionplan(dir)
        // (Case, spaces, `_` and `-` do not count: "ontrack" is accepted; a typo is not.)
        .args(["status", "set", "nett", "on-trak"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `on-track`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_report_shows_what_became_of_last_years_recommendations() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // The folder holds a bad narrative too, so loading it whole is refused; load by name.
    actionplan(dir)
        .arg("load")
        .arg(fixture("advice"))
        .assert()
        .failure();
    for f in ["plan.toml", "report-2021.toml", "report-2022.toml"] {
        actionplan(dir)
            .arg("load")
            .arg(fixture("advice").join(f))
            .assert()
            .success();
    }
    let out = actionplan(dir)
        .args(["report", "2022", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let advice = v["advice"].as_array().unwrap();
    assert_eq!(advice.len(), 2, "both 2021 recommendations are listed");
    assert_eq!(advice[0]["id"], "felles-innlogging-forst");
    assert_eq!(advice[0]["status"], "followed-up");
    assert_eq!(
        advice[0]["note"],
        "Innloggingen er prioritert i budsjettet."
    );
    assert_eq!(advice[1]["id"], "mer-opplaering");
    assert_eq!(advice[1]["status"], serde_json::Value::Null);
    let md = actionplan(dir)
        .args(["report", "2022", "--format", "markdown", "--lang", "nb"])
        .output()
        .unwrap();
    assert!(md.status.success(), "{}", stderr(&md));
    // Followed up and not: both recommendations of 2021 in the follow-up table at the end.
    insta::assert_snapshot!("advice-2022-nb.md", stdout(&md));
}

#[test]
fn a_follow_up_must_name_an_earlier_recommendation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let good = fixture("advice");
    actionplan(dir)
        .arg("load")
        .arg(good.join("plan.toml"))
        .arg(good.join("report-2021.toml"))
        .assert()
        .success();
    let out = actionplan(dir)
        .arg("load")
        .arg(good.join("bad/report-2022.toml"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("report-2022.toml:6:18: unknown recommendation `felles-innloging-forst`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `felles-innlogging-forst`?"),
        "{err}"
    );
    assert!(
        err.contains("report-2022.toml:11:10: unknown status `done`"),
        "{err}"
    );
}
