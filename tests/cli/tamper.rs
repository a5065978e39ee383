//! Issue 15 ([2/8]), finding 6: the append-only record cannot be bent with raw SQL — not by
//! `REPLACE INTO` (which deletes without firing DELETE triggers), not on any history table —
//! and what is changed behind the tool's back anyway is found by `period verify`. `backup`
//! checks references as well as integrity.

use std::path::Path;

use crate::*;

fn shipped_and_closed(dir: &Path) -> rusqlite::Connection {
    load_shipped(dir);
    actionplan(dir)
        .args(["period", "close", "2020", "--strategy", "eos"])
        .assert()
        .success();
    rusqlite::Connection::open(dir.join("t.db")).unwrap()
}

/// Every history table refuses UPDATE, DELETE and an INSERT that would replace a row, and an
/// insert of an update already stored (same fingerprint) is skipped rather than replacing it.
#[test]
fn raw_sql_cannot_rewrite_any_history_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conn = shipped_and_closed(dir);
    let before = db_content(&dir.join("t.db"));
    let refused = [
        "REPLACE INTO status_update SELECT * FROM status_update WHERE id = 1",
        "INSERT OR REPLACE INTO status_update SELECT * FROM status_update WHERE id = 1",
        "UPDATE status_update SET status = 'completed' WHERE id = 1",
        "DELETE FROM status_update WHERE id = 1",
        "REPLACE INTO measurement SELECT * FROM measurement WHERE id = 1",
        "UPDATE measurement SET value = 99 WHERE id = 1",
        "REPLACE INTO closed_period SELECT * FROM closed_period WHERE id = 1",
        "DELETE FROM closed_period",
        "REPLACE INTO plan_revision SELECT * FROM plan_revision WHERE id = 1",
        "UPDATE plan_revision SET effective_on = '2030-01-01'",
        "DELETE FROM plan_item_version",
        "REPLACE INTO plan_item_version SELECT * FROM plan_item_version WHERE id = 1",
        "UPDATE plan_item_version SET content = NULL WHERE id = 1",
        "UPDATE narrative SET content = '{}'",
        "REPLACE INTO narrative SELECT * FROM narrative WHERE id = 1",
        "UPDATE source SET path = 'x'",
        "DELETE FROM load_event",
        "REPLACE INTO load_event SELECT * FROM load_event WHERE id = 1",
    ];
    for sql in refused {
        match conn.execute(sql, []) {
            // The very same row again (same fingerprint): skipped, not replaced.
            Ok(0) if sql.contains("SELECT *") => {}
            Ok(n) => panic!("{sql}: changed {n} rows"),
            Err(err) => assert!(
                err.to_string().contains("append-only")
                    || err.to_string().contains("final")
                    || err.to_string().contains("never"),
                "{sql}: {err}"
            ),
        }
    }
    // A row of new content under an old id: refused.
    for sql in [
        "REPLACE INTO status_update (id, strategy_id, initiative_id, reported_on, status, source_id, fingerprint)
         SELECT id, strategy_id, initiative_id, reported_on, 'completed', source_id, 'forged' FROM status_update WHERE id = 1",
        "REPLACE INTO measurement (id, strategy_id, indicator_id, segment, year, value, source_id, fingerprint)
         SELECT id, strategy_id, indicator_id, segment, year, 99, source_id, 'forged' FROM measurement WHERE id = 1",
        "REPLACE INTO closed_period (id, strategy_id, period, first_day, last_day, content_hash, load_event_id)
         SELECT id, strategy_id, period, first_day, last_day, 'forged', load_event_id FROM closed_period",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(
            err.to_string().contains("never replaced") || err.to_string().contains("final"),
            "{sql}: {err}"
        );
    }
    // The same content again with a new id: skipped, nothing replaced. (A fingerprint copied
    // onto other content is a row of its own, which `period verify` finds: see below.)
    let n = conn
        .execute(
            "INSERT OR REPLACE INTO status_update (strategy_id, initiative_id, reported_on, status, source_id, fingerprint)
             SELECT strategy_id, initiative_id, reported_on, status, source_id, fingerprint FROM status_update WHERE id = 1",
            [],
        )
        .unwrap();
    assert_eq!(n, 0);
    drop(conn);
    assert_eq!(db_content(&dir.join("t.db")), before);
    let out = actionplan(dir)
        .args(["period", "verify", "--strategy", "eos"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Rows changed with the triggers removed (an attacker with the file) are found by `period
/// verify`, exit 1: a status changed under its old fingerprint (the row no longer matches it),
/// a fingerprint forged (the hash no longer rebuilds), a current plan row changed (what reports
/// read, away from its recorded version).
#[test]
fn period_verify_finds_what_was_changed_behind_its_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conn = shipped_and_closed(dir);
    let verify = |says: &str| {
        let out = actionplan(dir)
            .args(["period", "verify", "--strategy", "eos", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{says}: {}", stderr(&out));
        assert!(stdout(&out).contains(says), "{says}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("the record of 2020 is not as it was when it closed"),
            "{}",
            stderr(&out)
        );
    };
    let first = "(SELECT min(id) FROM status_update WHERE reported_on <= '2020-12-31')";
    conn.execute_batch(&format!(
        "DROP TRIGGER status_update_no_update;
         UPDATE status_update SET status = CASE status WHEN 'delayed' THEN 'completed' ELSE 'delayed' END
         WHERE id = {first};"
    ))
    .unwrap();
    verify("no longer matches its fingerprint");
    conn.execute_batch(&format!(
        "UPDATE status_update SET status = CASE status WHEN 'delayed' THEN 'completed' ELSE 'delayed' END,
             fingerprint = 'forged' WHERE id = {first};"
    ))
    .unwrap();
    verify("\"intact\": false");

    // A fingerprint copied onto other content, appended as a new row of the closed period: the
    // history keeps it as a row of its own (a copy is only ever of the same day), and the
    // period's record no longer rebuilds.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conn = shipped_and_closed(dir);
    let n = conn
        .execute(
            &format!(
                "INSERT INTO status_update (strategy_id, initiative_id, reported_on, status, source_id, fingerprint)
                 SELECT strategy_id, initiative_id, date(reported_on, '-1 day'), 'completed', source_id, fingerprint
                 FROM status_update WHERE id = {first}"
            ),
            [],
        )
        .unwrap();
    assert_eq!(n, 1);
    let out = actionplan(dir)
        .args(["period", "verify", "--strategy", "eos", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the record of 2020 is not as it was when it closed"),
        "{}",
        stderr(&out)
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conn = shipped_and_closed(dir);
    conn.execute(
        "UPDATE initiative SET title = 'Forfalsket' WHERE id = 'startoff'",
        [],
    )
    .unwrap();
    let out = actionplan(dir)
        .args(["period", "verify", "--strategy", "eos", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("the initiative `startoff` differs from its recorded version"),
        "{}",
        stdout(&out)
    );
}

/// `backup` refuses to copy a database whose rows refer to nothing.
#[test]
fn backup_checks_references_as_well_as_integrity() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conn = shipped_and_closed(dir);
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO initiative_tag (strategy_id, initiative_id, position, tag)
         VALUES ('eos', 'finnes-ikke', 0, 'x');",
    )
    .unwrap();
    drop(conn);
    let out = actionplan(dir).args(["backup", "b.db"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("rows that refer to nothing (initiative_tag"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("b.db").exists());
}
