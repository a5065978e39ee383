//! The briefing Skate acts on (issue [4/8]): what needs attention and what it holds up, the
//! nearest blockers by title and owner, status changes since last year, what Skate is asked to
//! decide, due dates and the owners' own words under every row, the headline over the plan's
//! own initiatives, a terminal that fits 80 columns, and `--output` that names the format.
//!
//! The plan is built here, small enough to know every answer:
//!
//! ```text
//!   plattform (delayed) ← innlogging (delayed) ← minside
//!   plattform           ← varsler
//!   arkiv (on track, due 2021-06-30: overdue) ← chat
//!   ferdig (completed, due 2021-03-01: not overdue)
//!   veileder (a supporting measure, at risk)
//! ```

use std::path::Path;

use serde_json::Value;

use crate::*;

const PLAN: &str = r#"
[strategy]
id = "brief"
title = "Digitaliseringsplan for Briefby"
period = { start = 2020, end = 2025 }

[[organisation]]
id = "ikt"
name = "IKT-tjenesten"
short = "IKT"

[[organisation]]
id = "kommune"
name = "Briefby kommune"
short = "Kommunen"

[[organisation]]
id = "nav"
name = "Arbeids- og velferdsetaten"
short = "NAV"

[[focus_area]]
id = "grunnmur"
title = "Digital grunnmur"
goal = "Felles løsninger som tåler bruk."

[[initiative]]
id = "plattform"
title = "Felles plattform"
focus_area = "grunnmur"
owner = "ikt"
due = 2023-12-31

[[initiative]]
id = "innlogging"
title = "Felles innlogging"
focus_area = "grunnmur"
owner = "ikt"
due = 2022-06-30
depends_on = ["plattform"]

[[initiative]]
id = "minside"
title = "Min side"
focus_area = "grunnmur"
owner = "kommune"
depends_on = ["innlogging"]

[[initiative]]
id = "varsler"
title = "Varsler på SMS"
focus_area = "grunnmur"
owner = "nav"
depends_on = ["plattform"]

[[initiative]]
id = "arkiv"
title = "Digitalt arkiv"
focus_area = "grunnmur"
owner = "kommune"
due = 2021-06-30

[[initiative]]
id = "chat"
title = "Chat med innbyggerne"
focus_area = "grunnmur"
owner = "nav"
depends_on = ["arkiv"]

[[initiative]]
id = "ferdig"
title = "Ferdig løsning"
focus_area = "grunnmur"
owner = "nav"
due = 2021-03-01

[[initiative]]
id = "veileder"
title = "Veileder for tjenesteeiere"
focus_area = "grunnmur"
owner = "ikt"
kind = "supporting-measure"
"#;

const FORM_2020: &str = r#"
[form]
strategy = "brief"
reported_on = 2020-11-30

[[update]]
initiative = "plattform"
status = "on-track"

[[update]]
initiative = "innlogging"
status = "not-started"

[[update]]
initiative = "arkiv"
status = "on-track"

[[update]]
initiative = "ferdig"
status = "on-track"
"#;

const FORM_2021: &str = r#"
[form]
strategy = "brief"
reported_on = 2021-11-30

[[update]]
initiative = "plattform"
status = "delayed"
summary = "Leverandøren har levert for sent, og ny plan kommer i januar."

[[update]]
initiative = "innlogging"
status = "delayed"
summary = "Venter på plattformen."

[[update]]
initiative = "minside"
status = "on-track"

[[update]]
initiative = "varsler"
status = "on-track"

[[update]]
initiative = "arkiv"
status = "on-track"
summary = "Siste etat kobles på i februar."

[[update]]
initiative = "chat"
status = "not-started"

[[update]]
initiative = "ferdig"
status = "completed"

[[update]]
initiative = "veileder"
status = "at-risk"
"#;

const NARRATIVE_2021: &str = r#"
[report]
strategy = "brief"
year = 2021
summary = ["Plattformen er forsinket."]

[[decision]]
id = "ny-leverandor"
title = "Ny leverandør for plattformen"
text = "Skate bes godkjenne at IKT-tjenesten bytter leverandør for plattformen."
"#;

/// A folder with the plan, both years' forms and the 2021 narrative loaded.
fn briefby() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plan");
    std::fs::create_dir(&dir).unwrap();
    for (name, text) in [
        ("plan.toml", PLAN),
        ("status-2020.toml", FORM_2020),
        ("status-2021.toml", FORM_2021),
        ("report-2021.toml", NARRATIVE_2021),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "load: {}", stderr(&out));
    tmp
}

fn report(dir: &Path, args: &[&str]) -> String {
    let out = actionplan(dir)
        .args(["report", "2021"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "report {args:?}: {}", stderr(&out));
    stdout(&out)
}

fn report_json(dir: &Path) -> Value {
    serde_json::from_str(&report(dir, &["--format", "json"])).unwrap()
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect()
}

fn row<'v>(v: &'v Value, id: &str) -> &'v Value {
    v["focus_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["initiatives"].as_array().unwrap())
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn attention_lists_what_is_late_by_how_much_it_holds_up() {
    let tmp = briefby();
    let v = report_json(tmp.path());
    let attention = &v["attention"];
    // plattform holds up three (innlogging, minside, varsler); innlogging and arkiv one each,
    // in id order; the supporting measure at risk holds up nothing.
    assert_eq!(
        ids(attention),
        ["plattform", "arkiv", "innlogging", "veileder"]
    );
    let by_id = |id: &str| {
        attention
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
    };
    let plattform = by_id("plattform");
    assert_eq!(plattform["holds_up"], 3);
    assert_eq!(ids(&plattform["blocks"]), ["innlogging", "varsler"]);
    assert_eq!(plattform["blocks"][0]["title"], "Felles innlogging");
    assert_eq!(plattform["blocks"][0]["owner"], "ikt");
    assert_eq!(plattform["status"], "delayed");
    assert_eq!(plattform["overdue"], false);
    assert_eq!(plattform["due"], "2023-12-31");
    assert_eq!(
        plattform["summary"],
        "Leverandøren har levert for sent, og ny plan kommer i januar."
    );
    // arkiv is on track but past its due date: overdue is reason enough.
    let arkiv = by_id("arkiv");
    assert_eq!(arkiv["status"], "on-track");
    assert_eq!(arkiv["overdue"], true);
    assert_eq!(arkiv["holds_up"], 1);
    assert_eq!(ids(&arkiv["blocks"]), ["chat"]);
    assert_eq!(by_id("innlogging")["holds_up"], 1);
    assert_eq!(by_id("veileder")["holds_up"], 0);
    // A completed initiative past its due date is done, not overdue.
    assert_eq!(row(&v, "ferdig")["overdue"], false);
    assert_eq!(row(&v, "arkiv")["overdue"], true);
}

#[test]
fn attention_comes_first_and_names_who_waits_by_title_and_owner() {
    let tmp = briefby();
    let text = report(tmp.path(), &["--lang", "nb"]);
    let attention = text.find("TRENGER OPPMERKSOMHET").expect("the section");
    let area = text.find("DIGITAL GRUNNMUR").expect("the focus area");
    assert!(
        text.find("ER VI I RUTE?").unwrap() < attention && attention < area,
        "attention comes after the summary and before the details"
    );
    let section = &text[attention..text[attention..].find("\n\n").unwrap() + attention];
    assert!(
        section.contains(
            "  • Felles plattform (plattform)\n    forsinket · IKT · frist 31.12.2023 · holder \
             igjen 3 initiativer · oppdatert 30.11.2021\n    Venter på dette: Felles innlogging (IKT); Varsler på SMS \
             (NAV)\n    «Leverandøren har levert for sent, og ny plan kommer i januar.»"
        ),
        "{section}"
    );
    assert!(
        section.contains(
            "i rute · Kommunen · frist 30.06.2021, over fristen · holder igjen 1 initiativ · \
             oppdatert\n    30.11.2021"
        ),
        "{section}"
    );
    let md = report(tmp.path(), &["--lang", "en", "--format", "markdown"]);
    assert!(
        md.contains("_Waiting on it:_ Felles innlogging (IKT); Varsler på SMS (NAV)"),
        "{md}"
    );
}

/// Two delayed initiatives one behind the other: what is behind both is held up by the nearer.
#[test]
fn blocked_by_is_the_nearest_delayed_initiative_shown_by_title_and_owner() {
    let tmp = briefby();
    let v = report_json(tmp.path());
    assert_eq!(
        row(&v, "minside")["blocked_by"],
        serde_json::json!(["innlogging"])
    );
    assert_eq!(
        row(&v, "innlogging")["blocked_by"],
        serde_json::json!(["plattform"])
    );
    assert_eq!(
        row(&v, "varsler")["blocked_by"],
        serde_json::json!(["plattform"])
    );
    // arkiv is overdue but on track: it holds nothing up in the contract's sense.
    assert_eq!(row(&v, "chat")["blocked_by"], serde_json::json!([]));

    let text = report(tmp.path(), &["--lang", "nb"]);
    assert!(
        text.contains(
            "  • Min side (minside)\n    i rute · Kommunen · oppdatert 30.11.2021\n    Hindret av: \
             Felles innlogging (IKT)\n"
        ),
        "{text}"
    );
    let md = report(tmp.path(), &["--lang", "nb", "--format", "markdown"]);
    assert!(md.contains("_Hindret av:_ Felles innlogging (IKT)"), "{md}");
    let html = report(tmp.path(), &["--lang", "nb", "--format", "html"]);
    let minside = &html[html.find("<tr data-id=\"minside\"").unwrap()..];
    let minside = &minside[..minside.find("</tr>").unwrap()];
    assert!(
        minside.contains("<td>Felles innlogging (IKT)</td>"),
        "{minside}"
    );
}

#[test]
fn a_decision_reaches_all_five_formats() {
    let tmp = briefby();
    let v = report_json(tmp.path());
    assert_eq!(
        v["decisions"],
        serde_json::json!([{
            "id": "ny-leverandor",
            "title": "Ny leverandør for plattformen",
            "text": "Skate bes godkjenne at IKT-tjenesten bytter leverandør for plattformen."
        }])
    );
    let text = report(tmp.path(), &["--lang", "en"]);
    assert!(
        text.contains(
            "SKATE IS ASKED TO DECIDE\n\nNy leverandør for plattformen\nSkate bes godkjenne at \
             IKT-tjenesten bytter leverandør for plattformen.\n"
        ),
        "{text}"
    );
    let md = report(tmp.path(), &["--lang", "nb", "--format", "markdown"]);
    assert!(
        md.contains(
            "## Skate bes om å beslutte\n\n### Ny leverandør for plattformen\n\nSkate bes \
             godkjenne at IKT-tjenesten bytter leverandør for plattformen.\n"
        ),
        "{md}"
    );
    let html = report(tmp.path(), &["--lang", "nb", "--format", "html"]);
    assert!(
        html.contains(
            "<section id=\"decisions\"><h2>Skate bes om å beslutte</h2><ol class=\"decisions\">\
             <li data-id=\"ny-leverandor\"><strong>Ny leverandør for plattformen</strong><p>Skate \
             bes godkjenne at IKT-tjenesten bytter leverandør for plattformen.</p></li></ol>"
        ),
        "{html}"
    );
    let csv = report(tmp.path(), &["--format", "csv"]);
    assert!(
        csv.lines().any(|l| l
            == "decision,2021,2021-12-31,,ny-leverandor,Ny leverandør for plattformen,,,,,,,,,,,,\
                Skate bes godkjenne at IKT-tjenesten bytter leverandør for plattformen."),
        "{csv}"
    );
}

#[test]
fn transitions_and_a_headline_over_the_plans_own_initiatives() {
    let tmp = briefby();
    let v = report_json(tmp.path());
    let transitions: Vec<(String, Value, Value)> = v["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["from"].clone(),
                t["to"].clone(),
            )
        })
        .collect();
    let t = |id: &str, from: Value, to: &str| (id.to_string(), from, Value::from(to));
    assert_eq!(
        transitions,
        [
            t("plattform", "on-track".into(), "delayed"),
            t("innlogging", "not-started".into(), "delayed"),
            t("minside", Value::Null, "on-track"),
            t("varsler", Value::Null, "on-track"),
            t("chat", Value::Null, "not-started"),
            t("ferdig", "on-track".into(), "completed"),
            t("veileder", Value::Null, "at-risk"),
        ]
    );
    // Seven of the plan's own: delayed 2, on track 3, not started 1, completed 1; the
    // supporting measure is counted apart, and the share is over the seven.
    assert_eq!(v["totals"]["delayed"], 2);
    assert_eq!(v["totals"]["on-track"], 3);
    assert_eq!(v["totals"]["at-risk"], 0);
    assert_eq!(v["supporting_totals"]["at-risk"], 1);
    let share = v["on_track_share"].as_f64().unwrap();
    assert!((share - 400.0 / 7.0).abs() < 1e-9, "{share}");
    let text = report(tmp.path(), &["--lang", "en"]);
    assert!(
        text.contains("Share on track or completed: 57 %\n"),
        "{text}"
    );
    assert!(
        text.contains("Supporting measures, counted apart: at risk 1\n"),
        "{text}"
    );
    assert!(text.contains("STATUS CHANGES SINCE LAST YEAR"), "{text}");
}

#[test]
fn every_row_shows_its_due_date_and_the_owners_words() {
    let tmp = briefby();
    let text = report(tmp.path(), &["--lang", "en"]);
    assert!(
        text.contains(
            "  • Digitalt arkiv (arkiv)\n    on track · Kommunen · due 2021-06-30, overdue · \
             updated 2021-11-30\n    “Siste etat kobles på i februar.”\n"
        ),
        "{text}"
    );
    let md = report(tmp.path(), &["--lang", "en", "--format", "markdown"]);
    assert!(
        md.contains(
            "- **Digitalt arkiv** (arkiv)\\\n  **on track** · Kommunen · due 2021-06-30, overdue · \
             updated 2021-11-30\n  > Siste etat kobles på i februar.\n"
        ),
        "{md}"
    );
    let html = report(tmp.path(), &["--lang", "en", "--format", "html"]);
    let arkiv = &html[html.find("<tr data-id=\"arkiv\"").unwrap()..];
    let arkiv = &arkiv[..arkiv.find("</tbody>").unwrap()];
    assert!(
        arkiv.contains(
            "<td class=\"date\">2021-06-30<br><span class=\"overdue\">overdue</span></td>"
        ),
        "{arkiv}"
    );
    assert!(
        arkiv.contains(
            "<tr class=\"summary-row\"><td colspan=\"8\"><blockquote>Siste etat kobles på i \
             februar.</blockquote></td></tr>"
        ),
        "{arkiv}"
    );
}

/// The widest line of a command's output, in characters.
fn widest(dir: &Path, columns: &str, args: &[&str]) -> usize {
    let out = actionplan(dir)
        .env("COLUMNS", columns)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn the_terminal_fits_80_columns() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let dir = tmp.path();
    let commands: [&[&str]; 8] = [
        &["report", "2020", "--strategy", "eos", "--lang", "nb"],
        &["report", "2020", "--strategy", "eos", "--lang", "en"],
        &["report", "2022", "--strategy", "eos", "--lang", "nb"],
        &["initiative", "list", "--strategy", "eos"],
        &["initiative", "list", "--strategy", "fdn"],
        &["missing", "2021", "--strategy", "eos"],
        &[
            "graph",
            "impact",
            "sammenhengende-tjenester-prosjekt",
            "--strategy",
            "eos",
            "--as-of",
            "2020-12-31",
        ],
        &[
            "initiative",
            "show",
            "livshendelse-frivillig-organisasjon",
            "--strategy",
            "eos",
        ],
    ];
    for args in commands {
        let w = widest(dir, "80", args);
        assert!(w <= 80, "{args:?}: a line of {w} characters at COLUMNS=80");
    }
    // COLUMNS is honoured when the output is not a terminal, narrower and wider.
    let report = ["report", "2020", "--strategy", "eos"];
    assert!(widest(dir, "60", &report) <= 60);
    assert!(
        widest(dir, "120", &report) > 100,
        "tables use a wider terminal"
    );
    let briefby = briefby();
    assert!(widest(briefby.path(), "80", &["report", "2021"]) <= 80);
}

#[test]
fn initiative_list_shows_the_latest_status() {
    let tmp = briefby();
    let out = actionplan(tmp.path())
        .args([
            "initiative",
            "list",
            "--format",
            "json",
            "--as-of",
            "2021-12-31",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let plattform = v
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "plattform")
        .unwrap();
    assert_eq!(plattform["status"], "delayed");
    assert_eq!(plattform["last_update"], "2021-11-30");
    assert_eq!(plattform["owner_name"], "IKT");
    let table = actionplan(tmp.path())
        .env("COLUMNS", "80")
        .args(["initiative", "list", "--as-of", "2020-12-31"])
        .output()
        .unwrap();
    let table = stdout(&table);
    let rows: Vec<&str> = table.lines().skip(3).take(2).collect();
    assert_eq!(
        rows,
        [
            "│ Felles plattform              ┆ IKT      ┆ on-track    ┆ 2023-12-31 │",
            "│ plattform                     ┆          ┆ 2020-11-30  ┆            │",
        ],
        "{table}"
    );
}

#[test]
fn the_output_files_extension_names_the_format() {
    let tmp = briefby();
    let dir = tmp.path();
    for (file, starts) in [
        ("r.json", "{"),
        ("r.md", "# "),
        ("r.html", "<!DOCTYPE html>"),
        ("r.csv", "record,year,as_of,"),
        ("r.txt", "Experience report 2021"),
        ("r", "Experience report 2021"),
    ] {
        let out = actionplan(dir)
            .args(["report", "2021", "--lang", "en", "--output", file])
            .output()
            .unwrap();
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        let written = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(written.starts_with(starts), "{file}: {}", &written[..60]);
    }
    // --format wins over the extension.
    let out = actionplan(dir)
        .args(["report", "2021", "--format", "json", "--output", "r2.md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(dir.join("r2.md"))
            .unwrap()
            .starts_with('{')
    );
}

#[test]
fn a_pdf_needs_chromium_and_says_what_to_install() {
    let tmp = briefby();
    let out = actionplan(tmp.path())
        .env("PATH", "/nonexistent")
        .env_remove("ACTIONPLAN_CHROMIUM")
        .args(["report", "2021", "--output", "r.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("apt-get install chromium"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("r.pdf").exists(), "nothing written");
    let out = actionplan(tmp.path())
        .env("ACTIONPLAN_CHROMIUM", "/no/such/chromium")
        .args(["report", "2021", "--format", "pdf", "--output", "r.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("ACTIONPLAN_CHROMIUM names /no/such/chromium"));
    // A browser that fails leaves an earlier file as it was, and says why.
    std::fs::write(tmp.path().join("r.pdf"), "old").unwrap();
    let fake = tmp.path().join("fake-chromium");
    std::fs::write(&fake, "#!/bin/sh\necho 'no display' >&2\nexit 3\n").unwrap();
    let mut perms = std::fs::metadata(&fake).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&fake, perms).unwrap();
    let out = actionplan(tmp.path())
        .env("ACTIONPLAN_CHROMIUM", &fake)
        .args(["report", "2021", "--output", "r.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no display"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("r.pdf")).unwrap(),
        "old"
    );
}

/// Issue [7/8]: the shipped 2021 and 2022 reports carry the focus areas' assessments from
/// Digdir's annual reports, and the 2024 report scores the goals as *Rikets digitale tilstand*.
#[test]
fn the_shipped_reports_show_assessments_and_goal_achievement() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let run = |args: &[&str]| {
        let out = actionplan(tmp.path())
            .args(args)
            .args(["--strategy", "eos"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    let v: Value = serde_json::from_str(&run(&["report", "2022", "--format", "json"])).unwrap();
    let assessed: Vec<(&str, &str)> = v["focus_areas"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| Some((f["id"].as_str()?, f["assessment"].as_str()?)))
        .collect();
    assert!(
        assessed.contains(&("sammenhengende-tjenester", "minor-delays")),
        "{assessed:?}"
    );
    let text = run(&["report", "2022", "--lang", "nb"]);
    assert!(text.contains("mindre forsinkelser"), "{text}");
    assert!(text.contains("Vurdering av effekt:"), "{text}");
    let v: Value = serde_json::from_str(&run(&["report", "2024", "--format", "json"])).unwrap();
    let goals = v["goals"].as_array().unwrap();
    assert!(
        goals
            .iter()
            .any(|g| g["rating"] == "good" && g["score"].as_f64() >= Some(2.25)),
        "{goals:?}"
    );
    let text = run(&["report", "2024", "--lang", "nb"]);
    assert!(text.contains("MÅLOPPNÅELSE"), "{text}");
    assert!(text.contains("3,00  ┆ god"), "{text}");
}
