//! Pictures of the dependency graph: Graphviz DOT and Mermaid, from one drawing model.
//!
//! Edges point from a dependency to what depends on it (what must come first points to what
//! it enables). Every text a user wrote is escaped for the target language; ids are quoted in
//! DOT and replaced by generated ones (`n0`, `n1`, …) in Mermaid, where words such as `end`
//! or a leading `o`/`x` would otherwise change the meaning of a line.

use std::fmt::Write as _;
use std::io::Write;

use super::Lang;
use super::ListFormat;
use super::Style;
use super::cell;
use super::new_table;
use super::opt_date;
use super::status_cell;
use super::write_csv;
use super::write_json;
use super::write_list;
use super::write_text;
use crate::error::Result;
use crate::model::Status;
use crate::views::graph::CheckDetail;
use crate::views::graph::CheckPhrases;
use crate::views::graph::CheckView;
use crate::views::graph::CriticalPathView;
use crate::views::graph::Drawing;
#[cfg(test)]
use crate::views::graph::DrawnEdge;
use crate::views::graph::DrawnNode;
use crate::views::graph::ImpactView;
use crate::views::graph::OrderView;

/// Titles in drawings wrap at this many characters.
const LABEL_WIDTH: usize = 36;

/// A node's label: its title wrapped, then its caption (id, owner, status).
fn label_lines(n: &DrawnNode, lang: Lang) -> Vec<String> {
    let mut lines = wrap(&n.title, LABEL_WIDTH);
    let status = n.status.map_or("—", |s| lang.words().status(Some(s)));
    lines.push(format!("{} · {} · {status}", n.id, n.owner));
    lines
}

/// Fill and text colour of a node, by status.
pub fn status_colours(s: Option<Status>) -> (&'static str, &'static str) {
    match s {
        Some(Status::OnTrack) => ("#2e7d32", "#ffffff"),
        Some(Status::AtRisk) => ("#ffb300", "#000000"),
        Some(Status::Delayed) => ("#c62828", "#ffffff"),
        Some(Status::Completed) => ("#1565c0", "#ffffff"),
        Some(Status::Cancelled) => ("#000000", "#ffffff"),
        Some(Status::NotStarted | Status::Paused) | None => ("#bdbdbd", "#000000"),
    }
}

const RISK_COLOUR: &str = "#c62828";
const EDGE_COLOUR: &str = "#616161";

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks as `\n`, other
/// control characters as spaces. Inside quotes `<>`, `[]`, `{}` and `;` are plain text.
pub fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a Mermaid `"…"` label: characters that end the string, start an entity (`#`),
/// form HTML (`<>&`), start a Markdown string (`` ` ``) or a comment (`%`), and backslashes,
/// become numeric
/// entity codes (`#34;`); line breaks become `<br>`; other control characters spaces.
pub fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '#' | '&' | '<' | '>' | '`' | '%' | '\\' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Lines of at most `width` characters, broken between words (a longer word keeps its own
/// line); the text's own line breaks are kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        for word in line.split_whitespace() {
            if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        out.push(cur);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Graphviz DOT: nodes filled by status, one `cluster_N` per focus area, red edges where the
/// dependency is delayed or at risk. Renders with `dot -Tsvg`.
pub fn dot(d: &Drawing, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "// actionplan graph export. {}", lang.words().legend);
    s.push_str("digraph \"actionplan\" {\n");
    let _ = writeln!(
        s,
        "  graph [rankdir=LR, label={}, labelloc=t, fontname=\"Helvetica\"];",
        dot_quote(&format!(
            "{} — {} {}",
            d.title,
            lang.words().statuses_as_of,
            lang.day(d.as_of)
        ))
    );
    s.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n",
    );
    let _ = writeln!(s, "  edge [color=\"{EDGE_COLOUR}\"];");
    let node = |s: &mut String, n: &DrawnNode, indent: &str| {
        let (fill, font) = status_colours(n.status);
        let heavy = if n.emphasis { ", penwidth=3" } else { "" };
        let _ = writeln!(
            s,
            "{indent}{} [label={}, fillcolor=\"{fill}\", fontcolor=\"{font}\"{heavy}];",
            dot_quote(&n.id),
            dot_quote(&label_lines(n, lang).join("\n")),
        );
    };
    for (k, title) in d.clusters.iter().enumerate() {
        let members: Vec<&DrawnNode> = d.nodes.iter().filter(|n| n.cluster == Some(k)).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(s, "  subgraph \"cluster_{k}\" {{");
        let _ = writeln!(
            s,
            "    label={}; style=\"rounded\"; color=\"#9e9e9e\";",
            dot_quote(title)
        );
        for n in members {
            node(&mut s, n, "    ");
        }
        s.push_str("  }\n");
    }
    for n in d
        .nodes
        .iter()
        .filter(|n| n.cluster.is_none_or(|k| k >= d.clusters.len()))
    {
        node(&mut s, n, "  ");
    }
    for e in &d.edges {
        let style = if e.risky {
            format!(" [color=\"{RISK_COLOUR}\", penwidth=2]")
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  {} -> {}{style};",
            dot_quote(&d.nodes[e.from].id),
            dot_quote(&d.nodes[e.to].id)
        );
    }
    s.push_str("}\n");
    s
}

/// The Mermaid class of a status: `st_on_track`, …, `st_none`.
fn mermaid_class(s: Option<Status>) -> String {
    format!("st_{}", s.map_or("none", Status::as_str).replace('-', "_"))
}

/// A Mermaid flowchart: the same picture as [`dot`], with `subgraph … end` per focus area,
/// `classDef` per status and `linkStyle` for the red edges.
pub fn mermaid(d: &Drawing, lang: Lang) -> String {
    let mut s = String::from("flowchart LR\n");
    let _ = writeln!(s, "  %% actionplan graph export. {}", lang.words().legend);
    let node = |s: &mut String, i: usize, n: &DrawnNode, indent: &str| {
        let label: Vec<String> = label_lines(n, lang)
            .iter()
            .map(|l| mermaid_text(l))
            .collect();
        let _ = writeln!(s, "{indent}n{i}[\"{}\"]", label.join("<br>"));
    };
    for (k, title) in d.clusters.iter().enumerate() {
        if !d.nodes.iter().any(|n| n.cluster == Some(k)) {
            continue;
        }
        let _ = writeln!(s, "  subgraph fa{k} [\"{}\"]", mermaid_text(title));
        for (i, n) in d
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.cluster == Some(k))
        {
            node(&mut s, i, n, "    ");
        }
        s.push_str("  end\n");
    }
    for (i, n) in d.nodes.iter().enumerate() {
        if n.cluster.is_none_or(|k| k >= d.clusters.len()) {
            node(&mut s, i, n, "  ");
        }
    }
    for e in &d.edges {
        let _ = writeln!(s, "  n{} --> n{}", e.from, e.to);
    }
    // One class per status in use, in the order of `Status::ALL`, then no status.
    let statuses = Status::ALL.iter().copied().map(Some).chain([None]);
    for st in statuses {
        let members: Vec<String> = d
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.status == st)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if members.is_empty() {
            continue;
        }
        let (fill, font) = status_colours(st);
        let class = mermaid_class(st);
        let _ = writeln!(
            s,
            "  classDef {class} fill:{fill},stroke:#424242,color:{font}"
        );
        let _ = writeln!(s, "  class {} {class}", members.join(","));
    }
    for (i, _) in d.nodes.iter().enumerate().filter(|(_, n)| n.emphasis) {
        let _ = writeln!(s, "  style n{i} stroke-width:4px");
    }
    let risky: Vec<String> = d
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.risky)
        .map(|(i, _)| i.to_string())
        .collect();
    if !risky.is_empty() {
        let _ = writeln!(
            s,
            "  linkStyle {} stroke:{RISK_COLOUR},stroke-width:2px",
            risky.join(",")
        );
    }
    s
}

/// Counted nouns: (none, one, many) in each language.
const INITIATIVES: [(&str, &str, &str); 2] = [
    ("no initiatives", "initiative", "initiatives"),
    ("ingen initiativer", "initiativ", "initiativer"),
];
const OWNERS: [(&str, &str, &str); 2] = [
    ("no owners", "owner", "owners"),
    ("ingen virksomheter", "virksomhet", "virksomheter"),
];
const CYCLES: [(&str, &str, &str); 2] = [
    ("no cycles", "cycle", "cycles"),
    (
        "ingen sirkulære avhengigheter",
        "sirkulær avhengighet",
        "sirkulære avhengigheter",
    ),
];
const WARNINGS: [(&str, &str, &str); 2] = [
    ("no warnings", "warning", "warnings"),
    ("ingen advarsler", "advarsel", "advarsler"),
];
const LEVELS: [(&str, &str, &str); 2] = [
    ("no levels", "level", "levels"),
    ("ingen nivåer", "nivå", "nivåer"),
];

/// `n` of a noun in `lang`.
fn count(lang: Lang, n: usize, noun: [(&str, &str, &str); 2]) -> String {
    lang.words().count(n, noun[usize::from(lang == Lang::Nb)])
}

/// `graph check`: one line per finding, then a summary line.
pub fn check(
    v: &CheckView,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let header = ["severity", "kind", "id", "depends_on", "message"];
    let rows = v.findings.iter().map(|r| {
        vec![
            r.severity.to_string(),
            r.kind.to_string(),
            r.id.clone(),
            r.depends_on.clone().unwrap_or_default(),
            r.message.clone(),
        ]
    });
    match format {
        ListFormat::Json => write_json(out, &v.findings),
        ListFormat::Csv => write_csv(out, &header, rows),
        ListFormat::Table => {
            let _ = style;
            let mut s = String::new();
            let nb = lang == Lang::Nb;
            for r in &v.findings {
                let severity = match (nb, r.severity) {
                    (true, "error") => "feil",
                    (true, _) => "advarsel",
                    (false, severity) => severity,
                };
                let message = match lang {
                    Lang::En => r.message.clone(),
                    Lang::Nb => message_nb(&r.detail),
                };
                let _ = writeln!(s, "{severity}: {message}");
            }
            let cycles = v.cycles();
            let found = format!(
                "{}, {}",
                count(lang, cycles, CYCLES),
                count(lang, v.findings.len() - cycles, WARNINGS)
            );
            let _ = if nb {
                writeln!(
                    s,
                    "{} initiativer, {} avhengigheter, status per {}: {found}",
                    v.initiatives,
                    v.dependencies,
                    lang.day(v.as_of),
                )
            } else {
                writeln!(
                    s,
                    "{} initiatives, {} dependencies, statuses as of {}: {found}",
                    v.initiatives, v.dependencies, v.as_of,
                )
            };
            write_text(out, &s)
        }
    }
}

/// How bokmål says what `graph check` found (the English is the view's: the JSON's).
const BOKMAL: CheckPhrases = CheckPhrases {
    cycle: "avhengighetene går i ring: {steps}; hvert initiativ venter på det neste, så ingen av dem kan starte",
    undelivered: "{a} avhenger av {b}, {which}",
    which: [
        "som ikke finnes i planen",
        "som er trukket ut av planen",
        "som bare er foreslått",
        "som er avbrutt",
    ],
    schedule: "{a} har frist {due}, før fristen til {b}, som det avhenger av ({b_due})",
    ahead_of_delayed: "{a} er «{status}» mens {b}, som det avhenger av, er forsinket",
    completed_first: "{a} ble ferdigstilt {on}, før {b}, som det avhenger av, og som {then}",
    then_completed: "ble ferdigstilt {day}",
    then_still: "fortsatt er «{status}»",
    then_none: "ennå ikke har noen status",
};

fn message_nb(d: &CheckDetail) -> String {
    let w = Lang::Nb.words();
    d.describe(&BOKMAL, |day| Lang::Nb.day(day), |s| w.status(Some(s)))
}

/// `graph impact`: grouped by owner (the owner once per group), then a count per owner.
pub fn impact(
    v: &ImpactView,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let w = lang.words();
    if format == ListFormat::Table && v.is_empty() {
        return write_text(out, &format!("{} `{}`\n", w.nothing_depends_on, v.id));
    }
    let header = ["owner", "id", "title", "depth", "status", "via"];
    match format {
        ListFormat::Json => write_json(out, v),
        ListFormat::Csv => write_csv(
            out,
            &header,
            v.hit().map(|r| {
                vec![
                    r.owner.to_string(),
                    r.id.to_string(),
                    r.title.to_string(),
                    r.depth.to_string(),
                    r.status.map_or_else(String::new, |s| s.to_string()),
                    r.via.to_string(),
                ]
            }),
        ),
        ListFormat::Table => {
            let mut t = new_table(style.color);
            t.set_header(vec![w.owner, w.id, w.title, w.depth, w.status, w.via]);
            let mut previous: Option<&str> = None;
            for r in v.hit() {
                // The owner once per group: the agencies hit stand out.
                let owner = if previous == Some(r.owner) {
                    ""
                } else {
                    r.owner_name
                };
                previous = Some(r.owner);
                t.add_row(vec![
                    cell(owner),
                    cell(r.id),
                    cell(r.title),
                    cell(r.depth.to_string()),
                    status_cell(
                        r.status,
                        r.status.map_or("—", |s| w.status(Some(s))),
                        style.color,
                    ),
                    cell(r.via),
                ]);
            }
            let owners: Vec<String> = v
                .per_owner
                .iter()
                .map(|(o, n)| format!("{o} ({n})"))
                .collect();
            writeln!(out, "{t}")?;
            let hit = count(lang, v.len(), INITIATIVES);
            let at = count(lang, v.per_owner.len(), OWNERS);
            let line = match lang {
                Lang::Nb => format!(
                    "blir `{}` forsinket, rammer det {hit} hos {at}: {}; status per {}",
                    v.id,
                    owners.join(", "),
                    lang.day(v.as_of),
                ),
                Lang::En => format!(
                    "a delay of `{}` hits {hit} of {at}: {}; statuses as of {}",
                    v.id,
                    owners.join(", "),
                    v.as_of,
                ),
            };
            write_text(
                out,
                &super::terminal::wrap(&line, "", usize::from(super::width())),
            )
        }
    }
}

/// `graph order`: the initiatives in levels.
pub fn order(
    v: &OrderView,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let w = lang.words();
    if format == ListFormat::Table && v.is_empty() {
        return write_text(out, &format!("{}\n", w.no_initiatives));
    }
    // CSV keys, like JSON's, are the same in every language.
    let header = if format == ListFormat::Table {
        [w.level, w.id, w.title, w.owner]
    } else {
        ["level", "id", "title", "owner"]
    };
    let cells = v.rows().map(|r| {
        vec![
            r.level.to_string(),
            r.id.to_string(),
            r.title.to_string(),
            r.owner_name.to_string(),
        ]
    });
    write_list(out, format, style, v, &header, cells)?;
    if format == ListFormat::Table {
        let top = v.top_level();
        let (n, levels) = (count(lang, v.len(), INITIATIVES), count(lang, top, LEVELS));
        let line = match lang {
            Lang::Nb => format!("{n} på {levels}; innenfor et nivå i planens rekkefølge\n"),
            Lang::En => format!("{n} in {levels}; within a level, plan order\n"),
        };
        write_text(out, &line)?;
    }
    Ok(())
}

/// `graph critical-path`: the chain on the calendar, its start, finish and slack.
pub fn critical_path(
    v: &CriticalPathView,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let w = lang.words();
    let nb = lang == Lang::Nb;
    if format == ListFormat::Json {
        return write_json(out, v);
    }
    if format == ListFormat::Table && v.steps.is_empty() {
        return write_text(out, &format!("{}\n", w.no_dated_initiative));
    }
    let days = if nb { "dager" } else { "days" };
    let late = |d: i64| match d {
        0 => String::new(),
        d => format!("{d} {days}"),
    };
    if format == ListFormat::Csv {
        let header = [
            "id",
            "title",
            "owner",
            "start",
            "due",
            "scheduled_start",
            "scheduled_finish",
            "late_days",
        ];
        let rows = v.steps.iter().map(|s| {
            vec![
                s.id.clone(),
                s.title.clone(),
                s.owner.clone(),
                opt_date(s.start),
                opt_date(s.due),
                s.scheduled_start.to_string(),
                s.scheduled_finish.to_string(),
                s.late_days.to_string(),
            ]
        });
        return write_list(out, format, style, v, &header, rows);
    }
    // The title is in the JSON and in `initiative show`: the table keeps to what fits.
    let header = ["#", w.id, w.owner, w.planned, w.on_the_calendar, w.late];
    let rows = v.steps.iter().enumerate().map(|(k, s)| {
        vec![
            (k + 1).to_string(),
            s.id.clone(),
            s.owner_name.clone(),
            match (s.start, s.due) {
                (None, None) => "—".to_string(),
                (start, due) => format!(
                    "{} – {}",
                    lang.opt_day_short(start),
                    lang.opt_day_short(due)
                ),
            },
            format!(
                "{} – {}",
                lang.day_short(s.scheduled_start),
                lang.day_short(s.scheduled_finish)
            ),
            late(s.late_days),
        ]
    });
    write_list(out, format, style, v, &header, rows)?;
    if format == ListFormat::Table
        && let (Some(start), Some(finish), Some(slack)) = (v.start, v.finish, v.slack_days)
    {
        let end = lang.day(v.period_end);
        let n = count(lang, v.steps.len(), INITIATIVES);
        let (start, finish) = (lang.day(start), lang.day(finish));
        let line = if nb {
            let slack = if slack >= 0 {
                format!("{slack} dager å gå på før strategiperioden slutter {end}")
            } else {
                format!("{} dager etter at strategiperioden slutter, {end}", -slack)
            };
            format!(
                "kritisk linje: {n}, fra {start} til {finish} (hvert ledd starter når leddet over skal være ferdig, eller ved sin egen start om den er senere); {slack}\n"
            )
        } else {
            let slack = if slack >= 0 {
                format!("{slack} days to spare before the strategy period ends {end}")
            } else {
                format!("{} days past the end of the strategy period, {end}", -slack)
            };
            format!(
                "critical path: {n}, from {start} to {finish} (each link starts when the one above it is due to finish, or at its own start if later); {slack}\n"
            )
        };
        write_text(out, &line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_quotes_escape_what_ends_or_bends_a_string() {
        assert_eq!(dot_quote("a \"b\"\nc\\"), r#""a \"b\"\nc\\""#);
        assert_eq!(dot_quote("<b>[x]{y};\r\u{7}"), "\"<b>[x]{y}; \"");
    }

    #[test]
    fn mermaid_text_leaves_no_quote_markup_or_entity() {
        let t = mermaid_text("Sak \"#1;\" <b>&</b> `md` 50%\\\nto");
        assert_eq!(
            t,
            "Sak #34;#35;1;#34; #60;b#62;#38;#60;/b#62; #96;md#96; 50#37;#92;<br>to"
        );
    }

    #[test]
    fn wrap_breaks_between_words_and_keeps_line_breaks() {
        assert_eq!(
            wrap("Nasjonalt ressurssenter for deling av data", 20),
            ["Nasjonalt", "ressurssenter for", "deling av data"]
        );
        assert_eq!(wrap("a\nb", 20), ["a", "b"]);
        assert_eq!(wrap("", 20), [""]);
        assert_eq!(
            wrap("superkalifragilistisk x", 5),
            ["superkalifragilistisk", "x"]
        );
    }

    #[test]
    fn both_pictures_carry_nodes_clusters_and_risky_edges() {
        let d = Drawing {
            title: "T".into(),
            as_of: chrono::NaiveDate::from_ymd_opt(2021, 12, 31).unwrap(),
            clusters: vec!["Grunnmur".into(), "Tomt".into()],
            nodes: vec![
                DrawnNode {
                    id: "a".into(),
                    title: "A".into(),
                    owner: "X".into(),
                    status: Some(Status::Delayed),
                    cluster: Some(0),
                    emphasis: true,
                },
                DrawnNode {
                    id: "end".into(),
                    title: "B".into(),
                    owner: "X".into(),
                    status: None,
                    cluster: None,
                    emphasis: false,
                },
            ],
            edges: vec![DrawnEdge {
                from: 0,
                to: 1,
                risky: true,
            }],
        };
        let dot = dot(&d, Lang::En);
        assert!(dot.contains("subgraph \"cluster_0\""), "{dot}");
        assert!(
            !dot.contains("cluster_1"),
            "empty clusters are left out: {dot}"
        );
        assert!(dot.contains("\"a\" -> \"end\" [color=\"#c62828\", penwidth=2];"));
        let m = mermaid(&d, Lang::En);
        assert!(m.starts_with("flowchart LR\n"));
        assert!(
            m.contains("  subgraph fa0 [\"Grunnmur\"]\n    n0[\"A<br>a · X · delayed\"]\n  end\n"),
            "{m}"
        );
        assert!(m.contains("  n0 --> n1\n"));
        assert!(m.contains("class n0 st_delayed"));
        assert!(m.contains("class n1 st_none"));
        assert!(m.contains("style n0 stroke-width:4px"));
        assert!(m.contains("linkStyle 0 stroke:#c62828"));
    }
}
