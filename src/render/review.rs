//! `diff` and `lint` for people: terminal text and Markdown.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::Lang;
use super::ListFormat;
use super::Style;
use super::long_table::write_long_table;
use super::write_csv;
use super::write_json;
use crate::diff::Diff;
use crate::error::Result;
use crate::lint::Lint;

/// The formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Table,
    Markdown,
    Json,
}

/// `diff`: text, Markdown or JSON.
pub fn diff(d: &Diff, format: DiffFormat, lang: Lang, out: &mut impl Write) -> Result<()> {
    match format {
        DiffFormat::Json => write_json(out, d),
        DiffFormat::Markdown => Ok(out.write_all(diff_text(d, true, lang).as_bytes())?),
        DiffFormat::Table => Ok(out.write_all(diff_text(d, false, lang).as_bytes())?),
    }
}

/// `lint`: one row per finding (nothing at all in a table when there is none), each written
/// as it is reached.
pub fn lint(
    lint: &Lint,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ListFormat::Table if lint.is_empty() => Ok(()),
        ListFormat::Table => {
            let w = lang.words();
            let header = [w.rule, w.owner, w.initiative, w.finding];
            write_long_table(out, style, &header, || lint_rows(lint, lang))
        }
        // JSON and CSV are the same in every language: keys and messages in English.
        ListFormat::Json => write_json(out, &FindingsJson(lint)),
        ListFormat::Csv => write_csv(
            out,
            &["rule", "owner", "initiative", "finding"],
            lint_rows(lint, Lang::En),
        ),
    }
}

/// The findings as a JSON array, each serialised as it is reached.
struct FindingsJson<'a>(&'a Lint);

impl Serialize for FindingsJson<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.findings(Lang::En))
    }
}

/// The diff as plain text (`markdown = false`) or Markdown: a heading and a list per kind,
/// with control characters neutralised (see [`super::neutralise`]).
fn diff_text(d: &Diff, markdown: bool, lang: Lang) -> String {
    super::neutralise(&diff_lines(d, markdown, lang)).into_owned()
}

fn diff_lines(d: &Diff, markdown: bool, lang: Lang) -> String {
    let w = lang.words();
    let status = |s| w.status(s);
    let [changes_in, from, to] = w.changes_in;
    let mut out = String::new();
    let (h1, h2, bullet) = if markdown {
        ("# ", "\n## ", "- ")
    } else {
        ("", "\n", "  • ")
    };
    let _ = writeln!(
        out,
        "{h1}{changes_in} {} {from} {} {to} {}",
        d.strategy,
        lang.day(d.from),
        lang.day(d.to)
    );
    if d.is_empty() {
        let _ = writeln!(out, "\n{}", w.no_changes);
        return out;
    }
    let [
        transitions,
        completed,
        new_in_plan,
        withdrawn,
        slipped,
        owners,
        dependencies,
    ] = w.diff_sections;
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
        transitions,
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
        completed,
        d.completed
            .iter()
            .map(|i| format!("{} {} ({})", i.title, code(&i.id), i.owner))
            .collect(),
    );
    section(
        new_in_plan,
        d.new_in_plan
            .iter()
            .map(|i| format!("{} {} ({})", i.title, code(&i.id), i.owner))
            .collect(),
    );
    section(
        withdrawn,
        d.withdrawn
            .iter()
            .map(|i| format!("{} {} ({})", i.title, code(&i.id), i.owner))
            .collect(),
    );
    section(
        slipped,
        d.slipped
            .iter()
            .map(|s| {
                format!(
                    "{} {}: {} → {}",
                    s.title,
                    code(&s.id),
                    lang.day_short(s.from),
                    lang.day_short(s.to)
                )
            })
            .collect(),
    );
    section(
        owners,
        d.owners
            .iter()
            .map(|o| format!("{} {}: {} → {}", o.title, code(&o.id), o.from, o.to))
            .collect(),
    );
    section(
        dependencies,
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

fn lint_rows(lint: &Lint, lang: Lang) -> impl Iterator<Item = Vec<String>> + '_ {
    lint.findings(lang).map(|f| {
        vec![
            f.rule.to_string(),
            f.owner.to_string(),
            f.id.to_string(),
            f.message,
        ]
    })
}
