//! Restoring an export (`load dump.json`): the export goes through the rules of the files it
//! was made from, with the same messages, located by JSON pointer (issue 15, finding 5). Each
//! hostile export is a real export of the shipped plans (with a retraction), edited here; each
//! is refused by `check` and `load` with exit code 1 and its located message, never a panic; a
//! database holding another plan keeps its content, a new one is not made, and no file appears.

use std::path::Path;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;
use serde_json::json;

use crate::*;

/// The export of the shipped plans with one update retracted, made once a run.
fn base() -> &'static Value {
    static BASE: OnceLock<Value> = OnceLock::new();
    BASE.get_or_init(|| {
        let tmp = shipped_with_a_retraction();
        let out = actionplan(tmp.path()).arg("export").output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    })
}

/// The shipped plans loaded, and the latest update of `verktoykasse-data` (2021: completed)
/// retracted as sent twice.
fn shipped_with_a_retraction() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    load_shipped(dir);
    let out = actionplan(dir)
        .args(["status", "history", "verktoykasse-data", "--format", "json"])
        .args(["--strategy", "eos"])
        .output()
        .unwrap();
    let history: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = history[1]["id"].as_i64().unwrap().to_string();
    actionplan(dir)
        .args(["status", "retract", &id, "--reason", "Sendt to ganger"])
        .assert()
        .success();
    tmp
}

/// The strategy `eos` of an export (the first).
fn eos(v: &mut Value) -> &mut Value {
    let s = &mut v["strategies"][0];
    assert_eq!(s["strategy"]["id"], "eos");
    s
}

/// Where the item `id` stands in the list `list` of `eos`.
fn position(v: &Value, list: &str, id: &str) -> usize {
    v["strategies"][0][list]
        .as_array()
        .unwrap()
        .iter()
        .position(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"))
}

/// Edits an item of `eos` as a plan revision would: the item in the plan and its version in
/// every revision, so that the export stays consistent in itself and only the rule is broken.
fn edit_item(v: &mut Value, list: &str, item_type: &str, id: &str, edit: impl Fn(&mut Value)) {
    let k = position(v, list, id);
    edit(&mut eos(v)[list][k]);
    for revision in eos(v)["revisions"].as_array_mut().unwrap() {
        for version in revision["items"].as_array_mut().unwrap() {
            if version["type"] == item_type && version["id"] == id && version["item"].is_object() {
                edit(&mut version["item"]);
                version["id"] = version["item"]["id"].clone();
            }
        }
    }
}

/// Every file under `dir` but the database `t.db` and its sidecars.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if !p.file_name().unwrap().to_string_lossy().starts_with("t.db") {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The line of `err` that says `message` about the value at `pointer`, located in `path` at a
/// line and a column first (`path:line:col: pointer: message`).
fn located<'e>(err: &'e str, path: &Path, pointer: &str, message: &str) -> &'e str {
    let tail = format!(": {pointer}: {message}");
    let prefix = format!("{}:", path.display());
    let line = err
        .lines()
        .find(|l| l.starts_with(&prefix) && l.contains(&tail))
        .unwrap_or_else(|| panic!("expected `{prefix}…{tail}` in\n{err}"));
    let at = &line[prefix.len()..line.find(&tail).unwrap()];
    assert!(
        at.split(':').count() == 2 && at.split(':').all(|n| n.parse::<usize>().is_ok()),
        "no line:col in {line}"
    );
    line
}

/// Writes `export` as `in/NAME.json` and loads it: refused by `check` and `load` with exit
/// code 1 and each `(pointer, message)` located, no panic; a database holding another strategy
/// keeps its content, a new database is not made, no file appears. Returns what `load` said.
fn refused(name: &str, export: &Value, says: &[(&str, &str)]) -> String {
    let tmp = with_another_strategy();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("in")).unwrap();
    let path = dir.join("in").join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(export).unwrap()).unwrap();
    let db = dir.join("t.db");
    let (before, files_before) = (db_content(&db), files(dir));
    let mut said = String::new();
    for verb in ["check", "load"] {
        let out = actionplan(dir).arg(verb).arg(&path).output().unwrap();
        said = stderr(&out);
        assert!(
            !said.contains("panicked") && out.status.code() == Some(1),
            "{verb} {name}: {said}"
        );
        for (pointer, message) in says {
            located(&said, &path, pointer, message);
        }
        assert!(said.contains("nothing was written"), "{said}");
    }
    let out = actionplan_db(dir, "new.db")
        .arg("load")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        !dir.join("new.db").exists(),
        "a refused restore made a database"
    );
    assert_eq!(
        db_content(&db),
        before,
        "a refused restore changed the database"
    );
    assert_eq!(files(dir), files_before, "a refused restore wrote a file");
    said
}

/// A folder with a database that holds another strategy's plan (the hostile base plan).
fn with_another_strategy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let base_plan = fixture("hostile-inputs/base/plan.toml");
    actionplan(tmp.path())
        .arg("load")
        .arg(base_plan)
        .assert()
        .success();
    tmp
}

/// Loads `export` into a new database: it restores.
fn restores(export: &Value) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("dump.json");
    std::fs::write(&path, serde_json::to_string_pretty(export).unwrap()).unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    tmp
}

/// The attack of the issue: an organisation id that climbs out of a folder was restored, and
/// `forms --out` then wrote outside it. Refused as a plan file refuses it, with its hint, at the
/// value's `line:col` and pointer; `forms --out` afterwards writes nothing outside its folder.
#[test]
fn a_path_traversal_organisation_id_is_refused_and_no_form_escapes() {
    let evil = "x/../../../PWNED";
    let (v, err) = refused_id(("organisations", "organisation", "kdd"), evil);
    assert!(
        err.contains("hint: ids use only a-z, 0-9 and '-': try `x-pwned`"),
        "{err}"
    );
    assert!(
        err.contains("/strategies/0/revisions/0/items/"),
        "the revision's version too: {err}"
    );
    let k = position(base(), "organisations", "kdd");
    let pointer = format!("/strategies/0/organisations/{k}/id");

    // The line and column are the value's, as an editor counts them.
    let tmp = with_another_strategy();
    let dir = tmp.path();
    let out_dir = dir.join("a/b/out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let path = dir.join("dump.json");
    let text = serde_json::to_string_pretty(&v).unwrap();
    std::fs::write(&path, &text).unwrap();
    let offset = text.find(&format!("\"{evil}\"")).unwrap();
    let line = text[..offset].matches('\n').count() + 1;
    let col = offset - text[..offset].rfind('\n').map_or(0, |n| n + 1) + 1;
    let out = actionplan(dir).arg("load").arg(&path).output().unwrap();
    let at = format!("{}:{line}:{col}: {pointer}: ", path.display());
    assert!(stderr(&out).contains(&at), "{at}\n{}", stderr(&out));
    // `forms --out` writes the forms of what the database holds, all inside their folder:
    // nothing at `a/PWNED.toml`, where the id would have led.
    let out = actionplan(dir)
        .args(["forms", "2021", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let written = files(dir);
    assert!(written.len() > 1, "forms were written: {written:?}");
    for f in written {
        let name = f.to_string_lossy();
        assert!(!name.contains("PWNED"), "{name}");
        assert!(name == "dump.json" || f.starts_with("a/b/out"), "{name}");
    }
}

/// The shipped item `id` of `list` (its `type` in revisions) renamed `to` in the plan and in
/// its revisions: refused at the id with the message a plan file gets. The export, and what
/// `load` said.
fn refused_id((list, item_type, id): (&str, &str, &str), to: &str) -> (Value, String) {
    let mut v = base().clone();
    let k = position(&v, list, id);
    edit_item(&mut v, list, item_type, id, |x| x["id"] = json!(to));
    let pointer = format!("/strategies/0/{list}/{k}/id");
    let shown = to.replace('\u{1b}', "\\u{1b}").replace('\u{7}', "\\u{7}");
    let message = format!("`id` \"{shown}\" is not a valid id");
    let err = refused(item_type, &v, &[(&pointer, &message)]);
    (v, err)
}

/// Control characters in an id are refused, and shown as escapes, never raw.
#[test]
fn control_characters_in_an_id_are_refused() {
    let (_, err) = refused_id(
        ("initiatives", "initiative", "ki-strategi"),
        "ki\u{1b}[2J\u{7}",
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[test]
fn a_dot_dot_id_is_refused() {
    refused_id(("focus_areas", "focus_area", "regelverk"), "..");
}

#[test]
fn a_dependency_cycle_is_refused() {
    let mut v = base().clone();
    let (a, b) = ("ki-strategi", "ressurssenter-data");
    for (one, other) in [(a, b), (b, a)] {
        edit_item(&mut v, "initiatives", "initiative", one, |i| {
            i["depends_on"] = json!([other]);
        });
    }
    let first = position(&v, "initiatives", a).min(position(&v, "initiatives", b));
    let first_id = v["strategies"][0]["initiatives"][first]["id"].clone();
    let second_id = if first_id == a { b } else { a };
    let cycle = format!(
        "dependency cycle: {0} → {second_id} → {0}",
        first_id.as_str().unwrap()
    );
    let pointer = format!("/strategies/0/initiatives/{first}/id");
    refused("cycle", &v, &[(&pointer, &cycle)]);
}

#[test]
fn a_self_dependency_is_refused() {
    let k = position(base(), "initiatives", "ki-strategi");
    let mut v = base().clone();
    edit_item(&mut v, "initiatives", "initiative", "ki-strategi", |i| {
        i["depends_on"] = json!(["ki-strategi"]);
    });
    let pointer = format!("/strategies/0/initiatives/{k}/depends_on/0");
    let err = refused("self", &v, &[(&pointer, "`ki-strategi` depends on itself")]);
    assert!(
        err.contains("hint: remove `ki-strategi` from its own `depends_on`"),
        "{err}"
    );
}

/// An update of a given day, as the export writes them.
fn update(initiative: &str, on: &str) -> Value {
    json!({
        "initiative": initiative,
        "status": "on-track",
        "progress": null,
        "reported_on": on,
        "answers": {
            "summary": null, "description": null, "success_factors": null,
            "challenges": null, "lessons": null, "next_year": null
        },
        "respondent": null
    })
}

/// Adds an update to `eos`; its place in the history.
fn add_update(v: &mut Value, u: Value) -> usize {
    let updates = eos(v)["updates"].as_array_mut().unwrap();
    updates.push(u);
    updates.len() - 1
}

/// Adds an update of `initiative` dated `on` to `export`: refused at its `field`.
fn refused_update(name: &str, mut export: Value, initiative: &str, on: &str, said: (&str, &str)) {
    let n = add_update(&mut export, update(initiative, on));
    let (field, message) = said;
    let pointer = format!("/strategies/0/updates/{n}/{field}");
    refused(name, &export, &[(&pointer, message)]);
}

#[test]
fn updates_dated_1900_and_2099_are_refused() {
    for day in ["1900-01-01", "2099-06-01"] {
        let message = format!("`reported_on` {day} is outside the strategy period 2019–2025");
        refused_update(
            day,
            base().clone(),
            "ki-strategi",
            day,
            ("reported_on", &message),
        );
    }
}

#[test]
fn an_update_to_a_proposed_initiative_is_refused() {
    let k = position(base(), "initiatives", "datafabrikken");
    assert_eq!(
        base()["strategies"][0]["initiatives"][k]["kind"],
        "proposed"
    );
    let message = "`datafabrikken` is only proposed and takes no updates";
    let said = ("initiative", message);
    refused_update(
        "proposed",
        base().clone(),
        "datafabrikken",
        "2020-11-30",
        said,
    );
}

/// Puts a copy of item `k` of the list `list` of `eos` at its end: the copy, and its place.
fn push_copy(v: &mut Value, list: &str, k: usize) -> (Value, usize) {
    let items = eos(v)[list].as_array_mut().unwrap();
    items.push(items[k].clone());
    (items[k].clone(), items.len() - 1)
}

/// Two initiatives with one id were restored as one ("+34", 33 stored).
#[test]
fn duplicate_initiative_ids_are_refused() {
    let mut v = base().clone();
    let (copy, k) = push_copy(&mut v, "initiatives", 0);
    let id = copy["id"].as_str().unwrap();
    let pointer = format!("/strategies/0/initiatives/{k}/id");
    let message = format!("duplicate initiative id `{id}`");
    let err = refused("duplicate", &v, &[(&pointer, &message)]);
    let hint = format!("hint: `{id}` is first defined on line ");
    assert!(err.contains(&hint), "{err}");
}

/// A strategy twice: the second would be restored over the first.
#[test]
fn a_strategy_given_twice_is_refused() {
    let mut v = base().clone();
    let strategies = v["strategies"].as_array_mut().unwrap();
    strategies.push(strategies[1].clone());
    let pointer = format!("/strategies/{}/strategy/id", strategies.len() - 1);
    refused(
        "strategy-twice",
        &v,
        &[(&pointer, "a second plan for strategy `fdn`")],
    );
}

/// The same update twice would be stored once.
#[test]
fn the_same_update_twice_is_refused() {
    let mut v = base().clone();
    let (copy, n) = push_copy(&mut v, "updates", 0);
    let (id, on) = (&copy["initiative"], copy["reported_on"].as_str().unwrap());
    let pointer = format!("/strategies/0/updates/{n}/initiative");
    let message = format!(
        "a second update for `{}` on {on}, the same as the first",
        id.as_str().unwrap()
    );
    refused("twice", &v, &[(&pointer, &message)]);
}

#[test]
fn a_retraction_of_an_unknown_fingerprint_is_refused() {
    let mut v = base().clone();
    let retractions = eos(&mut v)["retractions"].as_array_mut().unwrap();
    retractions.push(json!({"update": "0".repeat(64), "reason": "Feil"}));
    let pointer = format!("/strategies/0/retractions/{}/update", retractions.len() - 1);
    let message = format!(
        "the export retracts an update it does not hold (`{}`)",
        "0".repeat(64)
    );
    refused("retraction", &v, &[(&pointer, &message)]);
}

#[test]
fn a_retraction_named_twice_is_refused() {
    let mut v = base().clone();
    let (copy, k) = push_copy(&mut v, "retractions", 0);
    let pointer = format!("/strategies/0/retractions/{k}/update");
    let fingerprint = copy["update"].as_str().unwrap();
    let message = format!("update `{fingerprint}` is retracted already");
    refused("retracted-twice", &v, &[(&pointer, &message)]);
}

/// A revision that takes effect before the one in force: plan history is never rewritten.
#[test]
fn revisions_that_go_back_in_time_are_refused() {
    let mut v = base().clone();
    let k = position(&v, "organisations", "ks");
    eos(&mut v)["organisations"][k]["name"] = json!("KS – kommunesektorens organisasjon");
    let item = v["strategies"][0]["organisations"][k].clone();
    let revisions = eos(&mut v)["revisions"].as_array_mut().unwrap();
    let first_day = revisions[0]["effective_on"].as_str().unwrap().to_string();
    revisions.push(json!({
        "effective_on": "2018-06-01",
        "items": [{"type": "organisation", "id": "ks", "item": item}]
    }));
    let pointer = format!(
        "/strategies/0/revisions/{}/effective_on",
        revisions.len() - 1
    );
    let message = format!(
        "this revision of plan `eos` would take effect on 2018-06-01, before the revision in force from {first_day}"
    );
    refused("backwards", &v, &[(&pointer, &message)]);
}

/// `verktoykasse-data` withdrawn from 2021-06-01 by a revision of its own.
fn withdrawn_from_june_2021() -> Value {
    let mut v = base().clone();
    let dependants = v["strategies"][0]["initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            i["depends_on"]
                .as_array()
                .unwrap()
                .contains(&json!("verktoykasse-data"))
        })
        .count();
    assert_eq!(dependants, 0, "nothing depends on it");
    let s = eos(&mut v);
    s["revisions"].as_array_mut().unwrap().push(json!({
        "effective_on": "2021-06-01",
        "items": [{"type": "initiative", "id": "verktoykasse-data"}]
    }));
    s["withdrawn"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "initiative", "id": "verktoykasse-data"}));
    v
}

/// Updates are checked against the plan as it stands on their day: one dated after the
/// initiative's withdrawal is refused; the ones before it restore, and count.
#[test]
fn an_update_after_its_initiatives_withdrawal_is_refused_one_before_restores() {
    let v = withdrawn_from_june_2021();
    let tmp = restores(&v);
    let json = |args: &[&str]| -> Value {
        let mut cmd = actionplan(tmp.path());
        let out = cmd
            .args(args)
            .args(["--format", "json", "--strategy", "eos"]);
        serde_json::from_slice(&out.output().unwrap().stdout).unwrap()
    };
    let history = json(&["status", "history", "verktoykasse-data"]);
    assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");
    let list = json(&["initiative", "list", "--all"]);
    let withdrawn: Vec<&Value> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["withdrawn"] == true)
        .map(|i| &i["id"])
        .collect();
    assert_eq!(withdrawn, [&json!("verktoykasse-data")]);

    let message = "`verktoykasse-data` is withdrawn from the plan from 2021-06-01 and takes no updates dated after";
    let said = ("initiative", message);
    refused_update(
        "after-withdrawal",
        v,
        "verktoykasse-data",
        "2021-09-01",
        said,
    );
}

/// A plan its revisions do not make, and a withdrawal its revisions do not make, are refused:
/// the store would write history and plan apart.
#[test]
fn a_plan_its_revisions_do_not_make_is_refused() {
    let mut v = base().clone();
    let k = position(&v, "organisations", "ks");
    eos(&mut v)["organisations"][k]["name"] = json!("Et annet navn");
    eos(&mut v)["withdrawn"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "indicator", "id": "finnes-ikke"}));
    let pointer = format!("/strategies/0/organisations/{k}/id");
    refused(
        "inconsistent",
        &v,
        &[
            (
                &pointer,
                "organisation `ks` is not as its last revision has it",
            ),
            (
                "/strategies/0/withdrawn/0/id",
                "`withdrawn` names indicator `finnes-ikke`, which the plan does not hold",
            ),
        ],
    );
}

/// Every problem in one run, in file order, each at its place.
#[test]
fn every_problem_of_an_export_is_told_in_one_run_in_file_order() {
    let mut v = base().clone();
    edit_item(&mut v, "initiatives", "initiative", "ki-strategi", |i| {
        i["depends_on"] = json!(["ki-strategi"]);
    });
    let n = add_update(&mut v, update("ki-strategi", "1900-01-01"));
    eos(&mut v)["retractions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"update": "feil", "reason": " "}));
    let err = refused(
        "many",
        &v,
        &[
            (
                &format!("/strategies/0/updates/{n}/reported_on"),
                "`reported_on` 1900-01-01 is outside",
            ),
            (
                "/strategies/0/retractions/1/update",
                "the export retracts an update",
            ),
            (
                "/strategies/0/retractions/1/reason",
                "a retraction needs a reason",
            ),
        ],
    );
    let lines: Vec<usize> = err
        .lines()
        .filter(|l| l.contains(".json:"))
        .map(|l| l.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(lines.len() >= 5, "{err}");
    assert!(
        lines.windows(2).all(|w| w[0] <= w[1]),
        "in file order: {err}"
    );
    assert!(
        err.contains(&format!("{} errors found", lines.len())),
        "{err}"
    );
}

/// A valid export of the shipped plans (with a retraction) restores into a new database, and
/// that one's export restores to the same reports and the same export; loading an export into
/// the database it restored changes nothing. (With a withdrawal it restores too: see
/// `an_update_after_its_initiatives_withdrawal_is_refused_one_before_restores`.)
#[test]
fn a_valid_export_restores_with_the_same_reports() {
    let tmp = restores(base());
    let dir = tmp.path();
    let again = actionplan(dir).arg("export").output().unwrap();
    let first: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(&first, base(), "restored as it was exported");
    let copy = restores(&first);
    let report = |dir: &Path, year: &str, strategy: &str| {
        let out = actionplan(dir)
            .args(["report", year, "--strategy", strategy, "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    for (year, strategy) in [("2020", "eos"), ("2021", "eos"), ("2025", "fdn")] {
        assert_eq!(
            report(dir, year, strategy),
            report(copy.path(), year, strategy),
            "{strategy} {year}"
        );
    }
    let out = actionplan(dir)
        .arg("load")
        .arg(dir.join("dump.json"))
        .output()
        .unwrap();
    assert!(stderr(&out).contains("nothing changed"), "{}", stderr(&out));
}

/// Today's statuses (which the graph reads from `latest_status`, kept by writes) come back
/// with the history: the drawing of every initiative and its status is the same after a
/// restore, and the retracted update is not the status of its initiative in either.
#[test]
fn a_restore_gives_every_initiative_the_status_it_had() {
    let original = shipped_with_a_retraction();
    let restored = restores(base());
    let drawing = |dir: &Path| {
        let out = actionplan(dir)
            .args(["graph", "export", "--strategy", "eos"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let before = drawing(original.path());
    assert_eq!(before, drawing(restored.path()));
    let node = before
        .lines()
        .find(|l| l.trim_start().starts_with("\"verktoykasse-data\""))
        .unwrap();
    assert!(node.contains("· on-track\""), "{node}");
}
