//! The report as Markdown that reads well on a code-hosting site: the blocks of
//! [`super::document::report`], each initiative a list item with its owner's words under it.

use std::fmt::Write;

use super::Lang;
use super::document;
use super::document::Block;
use super::document::Entry;
use super::document::Grid;
use crate::report::Report;

/// Escapes what Markdown would read as markup inside a table cell or a line of text.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, grid: &Grid) {
    let _ = writeln!(out, "| {} |", grid.header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(grid.header.len()));
    for row in &grid.rows {
        let cells: Vec<String> = row.iter().map(|c| md(&c.text)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// A list item: the title, then (after hard line breaks) the status and facts and the labelled
/// lines, then the owner's words as a quote.
fn entry(out: &mut String, e: &Entry) {
    let _ = write!(out, "- **{}** ({})", md(&e.title), md(&e.id));
    let _ = write!(out, "\\\n  **{}**", md(&e.headline()));
    for fact in &e.facts {
        let _ = write!(out, " · {}", md(fact));
    }
    for (label, text) in &e.lines {
        let _ = write!(out, "\\\n  _{}:_ {}", md(label), md(text));
    }
    out.push('\n');
    if let Some(q) = &e.quote {
        let _ = writeln!(out, "  > {}", md(q));
    }
}

/// The report as Markdown, written to `to` block by block.
pub fn report_markdown(
    r: &Report,
    lang: Lang,
    to: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let l = lang.labels();
    let mut out = String::new();
    let mut written = Ok(());
    document::report(r, l, &mut |block| {
        markdown_block(&mut out, block);
        // Markdown is read on terminals too: no control character reaches one.
        if written.is_ok() {
            written = to.write_all(super::neutralise(&out).as_bytes());
        }
        out.clear();
    });
    written
}

/// One block of the report, as Markdown.
fn markdown_block(out: &mut String, block: Block) {
    match block {
        Block::Title { title, meta } => {
            let _ = writeln!(out, "# {}\n\n{}\n", md(&title), md(&meta));
        }
        Block::Heading(h) => {
            let _ = writeln!(out, "## {}\n", md(&h));
        }
        Block::Subheading(h) => {
            let _ = writeln!(out, "### {}\n", md(&h));
        }
        Block::Paragraph { lead, text } => match lead {
            Some(lead) => {
                let _ = writeln!(out, "**{}** {}\n", md(lead), md(&text));
            }
            None => {
                let _ = writeln!(out, "{}\n", md(&text));
            }
        },
        Block::Bullets(items) => {
            for item in items {
                let _ = writeln!(out, "- {}", md(&item));
            }
            out.push('\n');
        }
        Block::Table(grid) => table(out, &grid),
        Block::Entries(entries) => {
            for e in &entries {
                entry(out, e);
            }
            out.push('\n');
        }
        Block::Answers(answers) => {
            for (topic, answer) in answers {
                let _ = writeln!(out, "**{}:** {}\n", md(topic), md(&answer));
            }
        }
        Block::Footer(text) => {
            let _ = writeln!(out, "---\n\n_{}_", md(&text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(md("a|b\nc"), "a\\|b<br>c");
        assert_eq!(md("<script>"), "\\<script\\>");
    }
}
