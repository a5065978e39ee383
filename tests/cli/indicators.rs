//! Indicators: measurements from CSV, validation, corrections, trends and the course to target.

use crate::*;

fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(fixture("indicators/plan.toml"))
        .arg(fixture("indicators/indicators.csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "loaded 2 files: plan maal: +1 strategy, +1 organisation, +1 focus area, +1 initiative, \
         +2 indicators; +6 measurements\n"
    );
    tmp
}

fn show(dir: &std::path::Path, id: &str) -> serde_json::Value {
    let out = actionplan(dir)
        .args(["indicator", "show", id, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn trend_and_course_respect_the_direction_and_the_segment_target() {
    let tmp = setup();
    let v = show(tmp.path(), "deling-andel");
    let stat = &v["segments"][0];
    assert_eq!(stat["trend"], "improving");
    assert_eq!(stat["target"]["value"], 80.0);
    // 20 → 80 over 2020–2026 passes 50 in 2023: 55 is on course.
    assert_eq!(stat["expected"], 50.0);
    assert_eq!(stat["on_course"], true);
    let kommune = &v["segments"][1];
    // The segment's own target (60) wins: 20 → 60 passes 40 in 2023; 35 is behind.
    assert_eq!(kommune["target"]["value"], 60.0);
    assert_eq!(kommune["on_course"], false);

    // Lower is better: 30 → 25 is an improvement, shown ▲, but the line to 10 by 2024 wanted 20.
    let v = show(tmp.path(), "ventetid");
    assert_eq!(v["segments"][0]["trend"], "improving");
    assert_eq!(v["segments"][0]["change"], -5.0);
    assert_eq!(v["segments"][0]["on_course"], false);
    let table = actionplan(tmp.path())
        .args(["indicator", "show", "ventetid"])
        .output()
        .unwrap();
    insta::assert_snapshot!(stdout(&table), @r#"
Ventetid i dager (ventetid)
unit: count, better: lower
targets: 10 by 2024

┌─────────┬───────────┬────────┬───────────┬─────┬────────────┐
│ segment ┆ latest    ┆ change ┆ target    ┆ gap ┆ course     │
╞═════════╪═══════════╪════════╪═══════════╪═════╪════════════╡
│ kommune ┆ 25 (2022) ┆ ▲ -5   ┆ 10 (2024) ┆ 15  ┆ off course │
└─────────┴───────────┴────────┴───────────┴─────┴────────────┘

┌─────────┬──────┬───────┬────────┐
│ segment ┆ year ┆ value ┆ change │
╞═════════╪══════╪═══════╪════════╡
│ kommune ┆ 2020 ┆ 30    ┆        │
│ kommune ┆ 2022 ┆ 25    ┆ -5     │
└─────────┴──────┴───────┴────────┘
"#);
}

#[test]
fn a_different_value_is_a_correction_and_the_same_one_changes_nothing() {
    let tmp = setup();
    let dir = tmp.path();
    let out = actionplan(dir)
        .arg("load")
        .arg(fixture("indicators/indicators.csv"))
        .output()
        .unwrap();
    assert_eq!(stderr(&out), "loaded 1 file: nothing changed\n");
    let plan = std::fs::read_to_string(fixture("indicators/plan.toml")).unwrap();
    std::fs::write(dir.join("plan.toml"), plan).unwrap();
    std::fs::write(
        dir.join("fix.csv"),
        "indicator,segment,year,value,source\ndeling-andel,stat,2023,57,Undersøkelse 2023 (rettet)\n",
    )
    .unwrap();
    let out = actionplan(dir).args(["load", "fix.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "loaded 1 file: +1 measurement, 1 corrected\n");
    assert_eq!(
        show(dir, "deling-andel")["segments"][0]["latest"]["value"],
        57.0
    );
    let conn = rusqlite::Connection::open(dir.join("t.db")).unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM measurement WHERE indicator_id = 'deling-andel' AND segment = 'stat' AND year = 2023",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 2, "the corrected value stays in the history");
    assert!(
        conn.execute("DELETE FROM measurement", []).is_err(),
        "append-only"
    );
}

#[test]
fn bad_measurements_are_refused_with_their_line_and_nothing_is_written() {
    let tmp = setup();
    let dir = tmp.path();
    let cases = [
        (
            "unknown-indicator.csv",
            "2:1",
            "unknown indicator `deling-andell`",
            Some("did you mean `deling-andel`?"),
        ),
        (
            "unknown-segment.csv",
            "3:14",
            "unknown segment `komune` for `deling-andel`",
            Some("did you mean `kommune`?"),
        ),
        (
            "not-a-number.csv",
            "2:24",
            "value `30 %` is not a number",
            Some("without % or text"),
        ),
        (
            "percent-range.csv",
            "2:24",
            "130 is not a percentage (0–100)",
            None,
        ),
        (
            "header.csv",
            "1:1",
            "must start with the header `indicator,segment,year,value,source`",
            None,
        ),
        (
            "twice.csv",
            "3:24",
            "given twice with different values (30 and 31)",
            Some("the other is on line 2"),
        ),
        ("formula.csv", "2:24", "is not a number", None),
    ];
    for (file, at, message, hint) in cases {
        let path = fixture("indicators/bad").join(file);
        // Give the strategy by the plan in the same call: the bad CSVs sit in their own folder.
        let before = db_content(&dir.join("t.db"));
        let out = actionplan(dir)
            .arg("load")
            .arg(fixture("indicators/plan.toml"))
            .arg(&path)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(
            err.contains(&format!("{file}:{at}: ")),
            "{file}: want {at}: {err}"
        );
        assert!(err.contains(message), "{file}: want {message:?}: {err}");
        if let Some(h) = hint {
            assert!(err.contains(h), "{file}: want hint {h:?}: {err}");
        }
        assert!(!err.contains("panicked"));
        assert_eq!(
            db_content(&dir.join("t.db")),
            before,
            "{file} changed the database"
        );
    }
}

#[test]
fn a_year_outside_the_period_is_loaded_with_a_warning() {
    let tmp = setup();
    let dir = tmp.path();
    std::fs::write(
        dir.join("old.csv"),
        "indicator,segment,year,value,source\nventetid,kommune,2018,40,Statistikk\n",
    )
    .unwrap();
    let out = actionplan(dir)
        .arg("load")
        .arg(fixture("indicators/plan.toml"))
        .arg("old.csv")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: "), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("old.csv:2:18: year 2018 is outside the strategy period 2020–2026"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_successor_strategy_reports_the_ai_target_off_course() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let out = actionplan(tmp.path())
        .args(["report", "2025", "--strategy", "fdn", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ai = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ki-bruk")
        .unwrap();
    let value = |segment: &str| {
        ai["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["segment"] == segment && x["year"] == 2025)
            .unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(value("stat"), 63.0);
    assert_eq!(value("kommune"), 51.0);
    assert!(
        ai["targets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["year"] == 2025 && t["value"] == 80.0)
    );
    for segment in ai["segments"].as_array().unwrap() {
        assert_eq!(segment["target"]["value"], 80.0);
        assert_eq!(segment["on_course"], false, "{}", segment["segment"]);
    }
}
