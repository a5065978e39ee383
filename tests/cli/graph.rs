//! `graph`: check, impact, order, critical-path and export on the real binary, over the plan in
//! tests/fixtures/graph (a proposed dependency, scheduling and status conflicts, a title with
//! every character DOT and Mermaid must escape). The DOT output is rendered by Graphviz `dot`
//! (Debian package `graphviz`, installed by `.ci/run`): without it those tests fail when `CI`
//! is set and are skipped (with a message on standard error) otherwise. Cycles cannot be
//! stored, so `graph check` on a cycle is tested in src/graph.rs.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command as StdCommand;
use std::process::Stdio;

use serde_json::Value;

use crate::*;

/// A database with the fixture loaded.
fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(fixture("graph"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    tmp
}

/// Runs `actionplan graph ARGS…`, expecting success; standard output.
fn graph(dir: &Path, args: &[&str]) -> String {
    let out = actionplan(dir).arg("graph").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "graph {args:?} failed:\n{}",
        stderr(&out)
    );
    stdout(&out)
}

fn graph_json(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let text = graph(dir, &all);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    let items = v.as_array().expect("a JSON array").clone();
    assert!(
        items.iter().all(|x| x["id"].is_string()),
        "every object has an `id`: {text}"
    );
    items
}

fn ids(items: &[Value]) -> Vec<&str> {
    items.iter().map(|x| x["id"].as_str().unwrap()).collect()
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_names_both_initiatives_their_owners_and_the_dates_or_statuses() {
    let tmp = setup();
    let out = graph(tmp.path(), &["check", "--as-of", "2022-12-31"]);
    assert_eq!(
        out,
        "\
warning: `timebestilling` (NAV) depends on `chatbot` (Kommunen), which is only proposed
warning: `minside` (Kommunen) is due 2023-03-31, before its dependency `innlogging` (IKT) is due 2023-06-30
warning: `minside` (Kommunen) is due 2023-03-31, before its dependency `register` (Fylket) is due 2023-12-31
warning: `minside` (Kommunen) is on-track while its dependency `innlogging` (IKT) is delayed
warning: `arkiv` (Fylket) was completed 2022-10-01, before its dependency `register` (Fylket), which is still at-risk
8 initiatives, 6 dependencies, statuses as of 2022-12-31: no cycles, 5 warnings
"
    );

    let v = graph_json(tmp.path(), &["check", "--as-of", "2022-12-31"]);
    let kinds: Vec<(&str, &str, &str)> = v
        .iter()
        .map(|x| {
            (
                x["id"].as_str().unwrap(),
                x["kind"].as_str().unwrap(),
                x["depends_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("timebestilling", "proposed-dependency", "chatbot"),
            ("minside", "schedule-conflict", "innlogging"),
            ("minside", "schedule-conflict", "register"),
            ("minside", "status-conflict", "innlogging"),
            ("arkiv", "status-conflict", "register"),
        ]
    );
    assert!(v.iter().all(|x| x["severity"] == "warning"));
    assert_eq!(v[0]["owner"], "nav");
    assert_eq!(v[0]["depends_on_owner"], "kommune");
    assert!(v[0].get("cycle").is_none());
}

#[test]
fn check_reads_statuses_as_of_the_day_asked() {
    let tmp = setup();
    let out = graph(tmp.path(), &["check", "--as-of", "2023-12-31"]);
    // innlogging is on track again (no status conflict with minside); register was completed
    // after arkiv.
    insta::assert_snapshot!(out, @r#"
warning: `timebestilling` (NAV) depends on `chatbot` (Kommunen), which is only proposed
warning: `minside` (Kommunen) is due 2023-03-31, before its dependency `innlogging` (IKT) is due 2023-06-30
warning: `minside` (Kommunen) is due 2023-03-31, before its dependency `register` (Fylket) is due 2023-12-31
warning: `arkiv` (Fylket) was completed 2022-10-01, before its dependency `register` (Fylket), which was completed 2023-05-01
8 initiatives, 6 dependencies, statuses as of 2023-12-31: no cycles, 4 warnings
"#);

    // Before anything was reported: only the plan's own conflicts.
    let v = graph_json(tmp.path(), &["check", "--as-of", "2021-12-31"]);
    let kinds: HashSet<&str> = v.iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        HashSet::from(["proposed-dependency", "schedule-conflict"])
    );
}

// ---------------------------------------------------------------------------------------------
// impact
// ---------------------------------------------------------------------------------------------

#[test]
fn impact_is_grouped_by_owner_with_depth_status_and_via() {
    let tmp = setup();
    let out = graph(tmp.path(), &["impact", "nett", "--as-of", "2022-12-31"]);
    // The owner once per group, blank below it.
    insta::assert_snapshot!(out, @r#"
┌──────────┬────────────────┬───────────────────────────────────┬───────┬──────────┬────────────┐
│ owner    ┆ id             ┆ title                             ┆ depth ┆ status   ┆ via        │
╞══════════╪════════════════╪═══════════════════════════════════╪═══════╪══════════╪════════════╡
│ IKT      ┆ innlogging     ┆ Felles innlogging                 ┆ 1     ┆ delayed  ┆ nett       │
│ Kommunen ┆ minside        ┆ Min side for innbyggere           ┆ 2     ┆ on-track ┆ innlogging │
│          ┆ chatbot        ┆ Chatbot for publikumshenvendelser ┆ 3     ┆ —        ┆ minside    │
│ NAV      ┆ timebestilling ┆ Timebestilling på nett            ┆ 4     ┆ —        ┆ chatbot    │
└──────────┴────────────────┴───────────────────────────────────┴───────┴──────────┴────────────┘
a delay of `nett` hits 4 initiatives of 3 owners: IKT (1), Kommunen (2), NAV (1); statuses as of
2022-12-31
"#);

    let v = graph_json(tmp.path(), &["impact", "nett", "--as-of", "2022-12-31"]);
    assert_eq!(
        ids(&v),
        ["innlogging", "minside", "chatbot", "timebestilling"]
    );
    let t = &v[3];
    assert_eq!(t["owner"], "nav");
    assert_eq!(t["owner_name"], "NAV");
    assert_eq!(t["depth"], 4);
    assert_eq!(t["status"], Value::Null);
    // One step back along a shortest path, not the whole path (a long chain's paths would
    // grow with the square of its length).
    assert_eq!(t["via"], "chatbot");
    assert_eq!(v[0]["status"], "delayed");

    // A year later innlogging is on track again.
    let later = graph_json(tmp.path(), &["impact", "nett", "--as-of", "2023-12-31"]);
    assert_eq!(later[0]["status"], "on-track");
    // Before any report: no status at all.
    let before = graph_json(tmp.path(), &["impact", "nett", "--as-of", "2021-01-01"]);
    assert!(before.iter().all(|x| x["status"].is_null()));
}

#[test]
fn impact_of_a_leaf_and_of_an_unknown_id() {
    let tmp = setup();
    let out = graph(tmp.path(), &["impact", "timebestilling"]);
    assert_eq!(out, "nothing depends on `timebestilling`\n");
    assert!(graph_json(tmp.path(), &["impact", "varsling"]).is_empty());

    let out = actionplan(tmp.path())
        .args(["graph", "impact", "innloging"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("unknown initiative `innloging`"), "{err}");
    assert!(err.contains("did you mean `innlogging`?"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// order and critical-path
// ---------------------------------------------------------------------------------------------

#[test]
fn order_is_in_levels_and_plan_order_within_a_level() {
    let tmp = setup();
    let v = graph_json(tmp.path(), &["order"]);
    let got: Vec<(&str, u64)> = v
        .iter()
        .map(|x| (x["id"].as_str().unwrap(), x["level"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("nett", 1),
            ("register", 1),
            ("varsling", 1),
            ("innlogging", 2),
            ("arkiv", 2),
            ("minside", 3),
            ("chatbot", 4),
            ("timebestilling", 5),
        ]
    );
    let minside = v.iter().find(|x| x["id"] == "minside").unwrap();
    assert_eq!(
        minside["depends_on"],
        serde_json::json!(["innlogging", "register"])
    );
    assert_eq!(minside["owner"], "kommune");
    assert_eq!(minside["title"], "Min side for innbyggere");

    insta::assert_snapshot!(graph(tmp.path(), &["order"]), @r#"
┌───────┬────────────────┬──────────────────────────────────────────────────────────────┬──────────┐
│ level ┆ id             ┆ title                                                        ┆ owner    │
╞═══════╪════════════════╪══════════════════════════════════════════════════════════════╪══════════╡
│ 1     ┆ nett           ┆ Nytt nettverk                                                ┆ IKT      │
│ 1     ┆ register       ┆ Felles register                                              ┆ Fylket   │
│ 1     ┆ varsling       ┆ Varsling "SMS" <b>&</b> [beta] {x} #1; 50% `kode` back\slash ┆ IKT      │
│       ┆                ┆ linje to                                                     ┆          │
│ 2     ┆ innlogging     ┆ Felles innlogging                                            ┆ IKT      │
│ 2     ┆ arkiv          ┆ Digitalt arkiv                                               ┆ Fylket   │
│ 3     ┆ minside        ┆ Min side for innbyggere                                      ┆ Kommunen │
│ 4     ┆ chatbot        ┆ Chatbot for publikumshenvendelser                            ┆ Kommunen │
│ 5     ┆ timebestilling ┆ Timebestilling på nett                                       ┆ NAV      │
└───────┴────────────────┴──────────────────────────────────────────────────────────────┴──────────┘
8 initiatives in 5 levels; within a level, plan order
"#);
}

/// The critical path on the calendar (issue [3/8]): overlapping work is not added up; each
/// link starts when the one before it is due to finish (or at its own start, if later), and
/// the chain that finishes last is shown with its start, finish and slack.
#[test]
fn the_critical_path_is_the_chain_that_finishes_last_on_the_calendar() {
    let tmp = setup();
    let v = graph(tmp.path(), &["critical-path", "--format", "json"]);
    let v: Value = serde_json::from_str(&v).unwrap();
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(
        ids(steps),
        ["nett", "innlogging", "minside", "chatbot", "timebestilling"]
    );
    // innlogging (759 days) may start only when nett finishes on 2022-06-30.
    assert_eq!(steps[1]["scheduled_start"], "2022-06-30");
    assert_eq!(steps[1]["scheduled_finish"], "2024-07-28");
    assert_eq!(steps[1]["late_days"], 394);
    // chatbot has no dates: it takes no time.
    assert_eq!(steps[3]["scheduled_start"], steps[3]["scheduled_finish"]);
    assert_eq!(v["start"], "2021-01-01");
    assert_eq!(v["finish"], "2027-10-25");
    assert_eq!(v["period_end"], "2025-12-31");
    assert_eq!(v["slack_days"], -663);

    let out = graph(tmp.path(), &["critical-path"]);
    assert!(out.contains("innlogging"), "{out}");
    assert!(out.contains("2022-06-30 – 2024-07-28"), "{out}");
    assert!(
        out.contains("critical path: 5 initiatives, from 2021-01-01 to 2027-10-25"),
        "{out}"
    );
    assert!(
        out.contains("663 days past the end of the strategy period, 2025-12-31"),
        "{out}"
    );
}

#[test]
fn withdrawn_initiatives_leave_the_graph() {
    let tmp = setup();
    // A later plan without `varsling` (nothing depends on it) withdraws it.
    let plan = std::fs::read_to_string(fixture("graph/plan.toml")).unwrap();
    let cut = plan.find("[[initiative]]\nid = \"varsling\"").unwrap();
    let v2 = tmp.path().join("plan-v2.toml");
    std::fs::write(&v2, &plan[..cut]).unwrap();
    actionplan(tmp.path())
        .arg("load")
        .arg(&v2)
        .assert()
        .success();

    let order = graph_json(tmp.path(), &["order"]);
    assert!(!ids(&order).contains(&"varsling"), "{order:?}");
    assert_eq!(order.len(), 7);
    let dot = graph(tmp.path(), &["export"]);
    assert!(!dot.contains("\"varsling\""), "{dot}");
    let out = graph(tmp.path(), &["check"]);
    assert!(out.contains("7 initiatives, 6 dependencies"), "{out}");
    // The revision takes effect on the day it was loaded: on an earlier day the plan still
    // held `varsling`.
    let out = graph(tmp.path(), &["check", "--as-of", "2022-12-31"]);
    assert!(out.contains("8 initiatives, 6 dependencies"), "{out}");
    let out = actionplan(tmp.path())
        .args(["graph", "impact", "varsling"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`varsling` is withdrawn from the plan"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_verb_takes_the_strategy() {
    let tmp = setup();
    actionplan(tmp.path())
        .arg("load")
        .arg(fixture("example/plan.toml"))
        .assert()
        .success();
    for verb in [
        &["check"][..],
        &["impact", "nett"],
        &["order"],
        &["critical-path"],
        &["export"],
    ] {
        let out = actionplan(tmp.path())
            .arg("graph")
            .args(verb)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{verb:?}");
        assert!(
            stderr(&out).contains("--strategy"),
            "{verb:?}: {}",
            stderr(&out)
        );
        let mut args = verb.to_vec();
        args.extend(["--strategy", "eksempel"]);
        graph(tmp.path(), &args);
    }
    // The example's own graph: nett ← innlogging ← minside ← chatbot.
    let v = graph_json(tmp.path(), &["order", "--strategy", "eksempel"]);
    assert_eq!(ids(&v), ["nett", "innlogging", "minside", "chatbot"]);
}

// ---------------------------------------------------------------------------------------------
// export: DOT through Graphviz, Mermaid by structure
// ---------------------------------------------------------------------------------------------

/// Graphviz `dot` on the PATH. None (and a message) when a developer without Graphviz runs
/// the suite; a failure on CI, where `.ci/run` installs it.
fn graphviz() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("dot"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        skip_or_fail("Graphviz `dot` is not installed (apt-get install graphviz)");
    }
    found
}

/// `dot -Tsvg` on a DOT text: the SVG, or a panic with Graphviz's complaint.
fn render_svg(dot_bin: &Path, dot: &str) -> String {
    let mut child = StdCommand::new(dot_bin)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot failed: {err}\n{dot}");
    assert!(err.trim().is_empty(), "dot warned: {err}\n{dot}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn dot_export_renders_with_graphviz_coloured_and_clustered() {
    let tmp = setup();
    let dot = graph(
        tmp.path(),
        &["export", "--format", "dot", "--as-of", "2022-12-31"],
    );
    // Clustered by focus area; drawn dependency → dependant, red where the dependency is
    // delayed or at risk; each node filled by its status.
    insta::assert_snapshot!("graph-fixture.dot", dot);

    let Some(dot_bin) = graphviz() else { return };
    let svg = render_svg(&dot_bin, &dot);
    assert!(svg.contains("<svg"), "{svg}");
    assert_eq!(svg.matches("class=\"node\"").count(), 8, "{svg}");
    assert_eq!(svg.matches("class=\"edge\"").count(), 6, "{svg}");
    assert_eq!(svg.matches("class=\"cluster\"").count(), 2, "{svg}");
    // The hostile title is text, whole, over three lines (wrapped at 36 characters).
    assert!(
        svg.contains(">Varsling &quot;SMS&quot; &lt;b&gt;&amp;&lt;/b&gt; [beta] {x}</text>"),
        "{svg}"
    );
    assert!(svg.contains(">#1; 50% `kode` back\\slash</text>"), "{svg}");
    assert!(svg.contains(">linje to</text>"), "{svg}");

    // The focused picture, the hostile fixture and the shipped plans render too.
    let focus = graph(tmp.path(), &["export", "--focus", "register"]);
    assert_eq!(
        render_svg(&dot_bin, &focus)
            .matches("class=\"node\"")
            .count(),
        5
    );
    let hostile = tempfile::tempdir().unwrap();
    actionplan(hostile.path())
        .arg("load")
        .arg(fixture("hostile"))
        .assert()
        .success();
    render_svg(&dot_bin, &graph(hostile.path(), &["export"]));
    let shipped = tempfile::tempdir().unwrap();
    load_shipped(shipped.path());
    for strategy in ["eos", "fdn"] {
        render_svg(
            &dot_bin,
            &graph(shipped.path(), &["export", "--strategy", strategy]),
        );
    }
}

/// Checks a Mermaid flowchart by its structure: the header, every node declared once with a
/// quoted label free of raw quotes, every edge between declared nodes, subgraphs balanced,
/// classes and link styles pointing at what exists, and no line of any other shape. Returns
/// the declared node ids and the edges.
fn check_mermaid(text: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut lines = text.lines();
    assert!(
        lines.next().is_some_and(|l| l.starts_with("flowchart")),
        "{text}"
    );
    let mut nodes: Vec<String> = Vec::new();
    let mut edges: Vec<(String, String)> = Vec::new();
    let mut classes: Vec<String> = Vec::new();
    let mut styled: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let is_id =
        |s: &str| s.len() > 1 && s.starts_with('n') && s[1..].chars().all(|c| c.is_ascii_digit());
    let quoted = |s: &str| {
        s.len() >= 2 && s.starts_with('"') && s.ends_with('"') && !s[1..s.len() - 1].contains('"')
    };
    for line in lines {
        let l = line.trim();
        if l.is_empty() || l.starts_with("%%") {
            continue;
        }
        if let Some(rest) = l.strip_prefix("subgraph ") {
            let (id, title) = rest.split_once(' ').expect("subgraph id [\"title\"]");
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{l}");
            let title = title.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
            assert!(title.is_some_and(quoted), "unquoted subgraph title: {l}");
            depth += 1;
        } else if l == "end" {
            assert!(depth > 0, "`end` without `subgraph`");
            depth -= 1;
        } else if let Some((from, to)) = l.split_once(" --> ") {
            assert!(is_id(from) && is_id(to), "{l}");
            edges.push((from.to_string(), to.to_string()));
        } else if let Some(rest) = l.strip_prefix("classDef ") {
            classes.push(rest.split(' ').next().unwrap().to_string());
        } else if let Some(rest) = l.strip_prefix("class ") {
            let (members, class) = rest.split_once(' ').unwrap();
            assert!(classes.iter().any(|c| c == class), "undefined class: {l}");
            for m in members.split(',') {
                assert!(
                    nodes.iter().any(|n| n == m),
                    "class of an undeclared node: {l}"
                );
            }
        } else if let Some(rest) = l.strip_prefix("style ") {
            let id = rest.split(' ').next().unwrap();
            assert!(nodes.iter().any(|n| n == id), "{l}");
        } else if let Some(rest) = l.strip_prefix("linkStyle ") {
            let list = rest.split(' ').next().unwrap();
            styled.extend(list.split(',').map(|i| i.parse::<usize>().unwrap()));
        } else if let Some((id, label)) = l.split_once('[') {
            assert!(is_id(id), "{l}");
            let label = label.strip_suffix(']').expect("a node ends with ]");
            assert!(quoted(label), "label with a raw quote: {l}");
            assert!(!label.contains('\n') && !label.contains('`'), "{l}");
            assert!(!nodes.iter().any(|n| n == id), "declared twice: {l}");
            nodes.push(id.to_string());
        } else {
            panic!("not a line of the expected shapes: {l}\n{text}");
        }
    }
    assert_eq!(depth, 0, "subgraph without `end`");
    for (from, to) in &edges {
        assert!(
            nodes.contains(from) && nodes.contains(to),
            "{from} --> {to}"
        );
    }
    assert!(styled.iter().all(|i| *i < edges.len()), "{styled:?}");
    (nodes, edges)
}

#[test]
fn mermaid_export_is_well_formed_and_escapes_every_label() {
    let tmp = setup();
    let m = graph(
        tmp.path(),
        &["export", "--format", "mermaid", "--as-of", "2022-12-31"],
    );
    let (nodes, edges) = check_mermaid(&m);
    assert_eq!(nodes.len(), 8);
    assert_eq!(edges.len(), 6);
    // Every label escaped (the hostile title of `varsling` as entities), statuses as classes,
    // red links where the dependency is delayed or at risk.
    insta::assert_snapshot!("graph-fixture.mmd", m);

    // --focus: minside with everything up- and downstream of it; arkiv and varsling are not.
    let f = graph(
        tmp.path(),
        &["export", "--format", "mermaid", "--focus", "minside"],
    );
    let (nodes, edges) = check_mermaid(&f);
    assert_eq!(nodes.len(), 6, "{f}");
    assert_eq!(edges.len(), 5, "{f}");
    assert!(!f.contains("arkiv") && !f.contains("Varsling"), "{f}");
    assert!(f.contains("stroke-width:4px"), "the focus stands out: {f}");
    // Each node with its own title, owner and status (a part of the graph has other places).
    insta::assert_snapshot!("graph-fixture-focus.mmd", f);

    // The hostile fixture and the shipped plans pass the same checks.
    let hostile = tempfile::tempdir().unwrap();
    actionplan(hostile.path())
        .arg("load")
        .arg(fixture("hostile"))
        .assert()
        .success();
    check_mermaid(&graph(hostile.path(), &["export", "--format", "mermaid"]));
    let shipped = tempfile::tempdir().unwrap();
    load_shipped(shipped.path());
    let (nodes, _) = check_mermaid(&graph(
        shipped.path(),
        &["export", "--format", "mermaid", "--strategy", "eos"],
    ));
    assert_eq!(nodes.len(), 33);
}

#[test]
fn export_focus_on_an_unknown_id_is_refused() {
    let tmp = setup();
    let out = actionplan(tmp.path())
        .args(["graph", "export", "--focus", "minsde"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `minside`?"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}
