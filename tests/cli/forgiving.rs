//! Forms as people write them: status words in any case and with spaces, `_` or `-`, days
//! written `30.11.2021`, and a hint for every near miss.

use crate::*;

fn with_round_plan() -> tempfile::TempDir {
    with_fixture_plan("round/plan.toml")
}

#[test]
fn status_words_and_norwegian_days_are_read_as_people_write_them() {
    let tmp = with_round_plan();
    let dir = tmp.path();
    let form = r#"[form]
strategy = "runde"
round = "2021"
reported_on = "30.11.2021"

[[update]]
initiative = "nett"
status = "I rute"

[[update]]
initiative = "innlogging"
status = "On_Track"
reported_on = "1.12.2021"

[[update]]
initiative = "minside"
status = "Forsinket"

[[update]]
initiative = "skoleportal"
status = "ikke startet"
"#;
    std::fs::write(dir.join("form.toml"), form).unwrap();
    let out = actionplan(dir)
        .args(["load", "form.toml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = actionplan(dir)
        .args(["status", "history", "innlogging", "--format", "json"])
        .output()
        .unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(history[0]["status"], "on-track");
    assert_eq!(history[0]["reported_on"], "2021-12-01");
    let out = actionplan(dir)
        .args(["status", "history", "minside", "--format", "json"])
        .output()
        .unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(history[0]["status"], "delayed");
    assert_eq!(history[0]["reported_on"], "2021-11-30");
}

#[test]
fn near_misses_are_refused_with_what_to_write() {
    let tmp = with_round_plan();
    let dir = tmp.path();
    let cases = [
        (
            "reported_on = 03.12.2021",
            "4:15",
            "hint: write the day as `reported_on = 2021-12-03` or, in quotes, `reported_on = \"03.12.2021\"`",
        ),
        (
            "reported_on = \"2021-11-30\"\nrespondent = 7",
            "5:14",
            "must be a string, found an integer",
        ),
    ];
    for (line, at, says) in cases {
        let form = format!(
            "[form]\nstrategy = \"runde\"\nround = \"2021\"\n{line}\n\n[[update]]\ninitiative = \"nett\"\nstatus = \"i-rute\"\n"
        );
        std::fs::write(dir.join("form.toml"), form).unwrap();
        let out = actionplan(dir)
            .args(["check", "form.toml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{line}");
        let err = stderr(&out);
        assert!(err.contains(&format!("form.toml:{at}:")), "{line}: {err}");
        assert!(err.contains(says), "{line}: {err}");
    }
    let form = r#"[form]
strategy = "runde"
round = "2021"
reported_on = 2021-11-30

[[update]]
initiative = "nett"
status = "i rute"
progress = "30 %"

[[update]]
initiative = "minside"
status = "on-trak"
progress = 30 %
"#;
    std::fs::write(dir.join("form.toml"), form).unwrap();
    let out = actionplan(dir)
        .args(["check", "form.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("form.toml:14:12: invalid TOML")
            && err.contains("hint: write `progress = 30`: a plain number, without %"),
        "{err}"
    );
    // The syntax error stops the file before its values are read; without it, each value
    // gets its own hint.
    std::fs::write(dir.join("form.toml"), form.replace("progress = 30 %", "")).unwrap();
    let out = actionplan(dir)
        .args(["check", "form.toml"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("form.toml:9:12: `progress` in [[update]] must be an integer, found a string")
            && err.contains("hint: write 30: a plain number, without quotes or %"),
        "{err}"
    );
    assert!(
        err.contains("form.toml:13:10: unknown status `on-trak`")
            && err.contains("did you mean `on-track`?"),
        "{err}"
    );
}
