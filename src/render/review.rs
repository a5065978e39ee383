//! `diff` and `lint` for people: terminal text and Markdown.

use std::fmt::Write as _;
use std::io::Write;

use super::ListFormat;
use super::Style;
use super::write_json;
use super::write_list;
use crate::diff::Diff;
use crate::error::Result;
use crate::lint::Finding;
use crate::model::Status;

/// The formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Table,
    Markdown,
    Json,
}

/// `diff`: text, Markdown or JSON.
pub fn diff(d: &Diff, format: DiffFormat, out: &mut impl Write) -> Result<()> {
    match format {
        DiffFormat::Json => write_json(out, d),
        DiffFormat::Markdown => Ok(out.write_all(diff_text(d, true).as_bytes())?),
        DiffFormat::Table => Ok(out.write_all(diff_text(d, false).as_bytes())?),
    }
}

/// `lint`: one row per finding (nothing at all in a table when there is none).
pub fn lint(
    findings: &[Finding],
    format: ListFormat,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    if format == ListFormat::Table && findings.is_empty() {
        return Ok(());
    }
    let header = ["rule", "owner", "initiative", "finding"];
    write_list(out, format, style, findings, &header, lint_rows(findings))
}

fn status(s: Option<Status>) -> &'static str {
    s.map_or("no status", Status::as_str)
}

/// The diff as plain text (`markdown = false`) or Markdown: a heading and a list per kind,
/// with control characters neutralised (see [`super::neutralise`]).
fn diff_text(d: &Diff, markdown: bool) -> String {
    super::neutralise(&diff_lines(d, markdown)).into_owned()
}

fn diff_lines(d: &Diff, markdown: bool) -> String {
    let mut out = String::new();
    let (h1, h2, bullet) = if markdown {
        ("# ", "\n## ", "- ")
    } else {
        ("", "\n", "  • ")
    };
    let _ = writeln!(
        out,
        "{h1}Changes in {} from {} to {}",
        d.strategy, d.from, d.to
    );
    if d.is_empty() {
        let _ = writeln!(out, "\nNo changes.");
        return out;
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "{h2}{title} ({})", lines.len());
            if markdown {
                out.push('\n');
            }
            for l in lines {
                let _ = writeln!(out, "{bullet}{l}");
            }
        }
    };
    let code = |s: &str| {
        if markdown {
            format!("`{s}`")
        } else {
            format!("[{s}]")
        }
    };
    section(
        "Status changes",
        d.transitions
            .iter()
            .map(|t| {
                format!(
                    "{} {} ({}): {} → {}",
                    t.title,
                    code(&t.id),
                    t.owner,
                    status(t.from),
                    status(t.to)
                )
            })
            .collect(),
    );
    section(
        "Completed",
        d.completed
            .iter()
            .map(|i| format!("{} {} ({})", i.title, code(&i.id), i.owner))
            .collect(),
    );
    section(
        "New in the plan",
        d.new_in_plan
            .iter()
            .map(|i| format!("{} {} ({})", i.title, code(&i.id), i.owner))
            .collect(),
    );
    section(
        "Withdrawn",
        d.withdrawn
            .iter()
            .map(|i| format!("{} {} ({})", i.title, code(&i.id), i.owner))
            .collect(),
    );
    section(
        "Due dates moved later",
        d.slipped
            .iter()
            .map(|s| format!("{} {}: {} → {}", s.title, code(&s.id), s.from, s.to))
            .collect(),
    );
    section(
        "Owners changed",
        d.owners
            .iter()
            .map(|o| format!("{} {}: {} → {}", o.title, code(&o.id), o.from, o.to))
            .collect(),
    );
    section(
        "Dependencies changed",
        d.dependencies
            .iter()
            .map(|c| {
                let mut parts = Vec::new();
                if !c.added.is_empty() {
                    parts.push(format!("+ {}", c.added.join(", ")));
                }
                if !c.removed.is_empty() {
                    parts.push(format!("− {}", c.removed.join(", ")));
                }
                format!("{} {}: {}", c.title, code(&c.id), parts.join("; "))
            })
            .collect(),
    );
    out
}

fn lint_rows(findings: &[Finding]) -> impl Iterator<Item = Vec<String>> + '_ {
    findings.iter().map(|f| {
        vec![
            f.rule.to_string(),
            f.owner.clone(),
            f.id.clone(),
            f.message.clone(),
        ]
    })
}
