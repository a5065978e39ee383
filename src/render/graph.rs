//! Pictures of the dependency graph: Graphviz DOT and Mermaid, from one drawing model.
//!
//! Edges point from a dependency to what depends on it (what must come first points to what
//! it enables). Every text a user wrote is escaped for the target language; ids are quoted in
//! DOT and replaced by generated ones (`n0`, `n1`, …) in Mermaid, where words such as `end`
//! or a leading `o`/`x` would otherwise change the meaning of a line.

use std::fmt::Write;

use crate::model::Status;

/// What `graph export` draws.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    /// Shown above a DOT drawing (Mermaid flowcharts have no title line).
    pub title: String,
    /// Focus areas, in plan order.
    pub clusters: Vec<String>,
    pub nodes: Vec<DrawnNode>,
    pub edges: Vec<DrawnEdge>,
}

#[derive(Debug, Clone)]
pub struct DrawnNode {
    pub id: String,
    /// The label's lines, e.g. the title, then id, owner and status.
    pub lines: Vec<String>,
    pub status: Option<Status>,
    /// Index into `Drawing::clusters`.
    pub cluster: Option<usize>,
    /// Drawn with a heavy border: the initiative `--focus` names.
    pub emphasis: bool,
}

/// `from` (the dependency) must come before `to` (the dependant); indices into `nodes`.
#[derive(Debug, Clone, Copy)]
pub struct DrawnEdge {
    pub from: usize,
    pub to: usize,
    /// The dependency is delayed or at risk: drawn red.
    pub risky: bool,
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
const LEGEND: &str = "Edges point from a dependency to what depends on it; a red edge: the \
    dependency is delayed or at risk. Nodes: green on-track, amber at-risk, red delayed, blue \
    completed, grey not-started, paused or no status, black cancelled.";

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
pub fn dot(d: &Drawing) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "// actionplan graph export. {LEGEND}");
    s.push_str("digraph \"actionplan\" {\n");
    let _ = writeln!(
        s,
        "  graph [rankdir=LR, label={}, labelloc=t, fontname=\"Helvetica\"];",
        dot_quote(&d.title)
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
            dot_quote(&n.lines.join("\n")),
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
pub fn mermaid(d: &Drawing) -> String {
    let mut s = String::from("flowchart LR\n");
    let _ = writeln!(s, "  %% actionplan graph export. {LEGEND}");
    let node = |s: &mut String, i: usize, n: &DrawnNode, indent: &str| {
        let label: Vec<String> = n.lines.iter().map(|l| mermaid_text(l)).collect();
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
            clusters: vec!["Grunnmur".into(), "Tomt".into()],
            nodes: vec![
                DrawnNode {
                    id: "a".into(),
                    lines: vec!["A".into()],
                    status: Some(Status::Delayed),
                    cluster: Some(0),
                    emphasis: true,
                },
                DrawnNode {
                    id: "end".into(),
                    lines: vec!["B".into()],
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
        let dot = dot(&d);
        assert!(dot.contains("subgraph \"cluster_0\""), "{dot}");
        assert!(
            !dot.contains("cluster_1"),
            "empty clusters are left out: {dot}"
        );
        assert!(dot.contains("\"a\" -> \"end\" [color=\"#c62828\", penwidth=2];"));
        let m = mermaid(&d);
        assert!(m.starts_with("flowchart LR\n"));
        assert!(
            m.contains("  subgraph fa0 [\"Grunnmur\"]\n    n0[\"A\"]\n  end\n"),
            "{m}"
        );
        assert!(m.contains("  n0 --> n1\n"));
        assert!(m.contains("class n0 st_delayed"));
        assert!(m.contains("class n1 st_none"));
        assert!(m.contains("style n0 stroke-width:4px"));
        assert!(m.contains("linkStyle 0 stroke:#c62828"));
    }
}
