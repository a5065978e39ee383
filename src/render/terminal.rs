//! The report and initiative details for the terminal: comfy-table, status colours on a tty.

use std::fmt::Write;

use super::Labels;
use super::Lang;
use super::document;
use super::document::Block;
use super::document::Entry;
use super::document::Grid;
use super::new_table;
use super::status_cell;
use crate::report::Report;

/// A label that leads into text: "Goal:", but a question keeps its own mark ("Hva skal vi oppnå?").
fn lead_in(label: &str) -> String {
    if label.ends_with('?') {
        label.to_string()
    } else {
        format!("{label}:")
    }
}

/// Text for the terminal as it is built: everything written to it is neutralised (see
/// [`super::neutralise`]), except a table, added with [`Screen::table`]: its cells are
/// neutralised already, and its colours are the tool's own. Writing a table as text instead
/// shows its colours as escapes, which is visible, not unsafe.
#[derive(Default)]
pub(crate) struct Screen(String);

impl Write for Screen {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.push_str(&super::neutralise(s));
        Ok(())
    }
}

impl Screen {
    pub(crate) fn push_str(&mut self, s: &str) {
        let _ = self.write_str(s);
    }

    pub(crate) fn push(&mut self, c: char) {
        let _ = self.write_char(c);
    }

    /// A table and the line end after it.
    pub(crate) fn table(&mut self, t: &comfy_table::Table) {
        let _ = writeln!(self.0, "{t}");
    }

    /// Text in a colour of the tool's own: the text is neutralised, the escapes are not.
    pub(crate) fn colored(&mut self, text: &str, sgr: &str) {
        let _ = write!(self.0, "\x1b[{sgr}m{}\x1b[0m", super::neutralise(text));
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }

    /// What was printed since the last take.
    pub(crate) fn take(&mut self) -> String {
        std::mem::take(&mut self.0)
    }
}

/// Word-wraps text to `width` columns, each line after the first indented by `indent`. A word
/// longer than a line is cut, so that no line is ever wider than `width`.
pub(crate) fn wrap(text: &str, indent: &str, width: usize) -> String {
    let indent_len = indent.chars().count();
    let room = width.saturating_sub(indent_len).max(1);
    let mut out = String::new();
    for paragraph in text.lines() {
        // The paragraph's own leading spaces (a bullet's indent) are kept.
        let lead = &paragraph[..paragraph.len() - paragraph.trim_start().len()];
        let mut line = lead.to_string();
        let mut len = line.chars().count();
        let mut fresh = true;
        for word in paragraph.split_whitespace().flat_map(|w| pieces(w, room)) {
            let n = word.chars().count();
            if !fresh && len + 1 + n > width {
                out.push_str(&line);
                out.push('\n');
                line = indent.to_string();
                len = indent_len;
                fresh = true;
            }
            if !fresh {
                line.push(' ');
                len += 1;
            }
            line.push_str(word);
            len += n;
            fresh = false;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `text` after `lead` ("  owner:       "), its further lines indented to stand under its
/// first: a value column that wraps.
pub(crate) fn hang(lead: &str, text: &str, width: usize) -> String {
    let indent = " ".repeat(lead.chars().count());
    let room = width.saturating_sub(indent.len()).max(1);
    let mut out = String::new();
    for (n, line) in wrap(text, "", room).lines().enumerate() {
        out.push_str(if n == 0 { lead } else { &indent });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A word in pieces of at most `room` characters.
fn pieces(word: &str, room: usize) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = rest.char_indices().nth(room).map_or(rest.len(), |(i, _)| i);
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// The report for the terminal: the blocks of [`document::report`] at the terminal's width,
/// written to `to` as they are printed.
pub fn report_table(
    r: &Report,
    lang: Lang,
    color: bool,
    to: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let l = lang.labels();
    let mut screen = Printer {
        out: Screen::default(),
        width: usize::from(super::width()),
        color,
        labels: l,
        started: false,
    };
    let mut written = Ok(());
    // Each block written as it is printed: a national report's text is never held whole.
    document::report(r, l, &mut |block| {
        screen.block(&block);
        if written.is_ok() {
            written = to.write_all(screen.out.take().as_bytes());
        }
    });
    written
}

/// Prints blocks, keeping one blank line before each heading.
struct Printer {
    out: Screen,
    width: usize,
    color: bool,
    labels: &'static Labels,
    started: bool,
}

impl Printer {
    fn gap(&mut self) {
        if self.started {
            self.out.push('\n');
        }
        self.started = true;
    }

    fn text(&mut self, text: &str, indent: &str) {
        self.out.push_str(&wrap(text, indent, self.width));
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Title { title, meta } => {
                self.started = true;
                self.text(title, "");
                self.text(meta, "");
            }
            Block::Heading(h) => {
                self.gap();
                self.text(&h.to_uppercase(), "");
            }
            Block::Subheading(h) => {
                self.gap();
                self.text(h, "");
            }
            Block::Paragraph { lead, text } => match lead {
                Some(lead) => self.text(&format!("{} {text}", lead_in(lead)), ""),
                None => self.text(text, ""),
            },
            Block::Bullets(items) => {
                for item in items {
                    self.text(&format!("  • {item}"), "    ");
                }
            }
            Block::Table(grid) => self.table(grid),
            Block::Entries(entries) => {
                for e in entries {
                    self.entry(e);
                }
            }
            Block::Answers(answers) => {
                for (topic, answer) in answers {
                    self.text(&format!("  {topic}: {answer}"), "    ");
                }
            }
            Block::Footer(text) => {
                self.gap();
                self.text(text, "");
            }
        }
    }

    fn table(&mut self, grid: &Grid) {
        let mut t = new_table(self.color);
        t.set_header(grid.header.clone());
        for row in &grid.rows {
            t.add_row(
                row.iter()
                    .map(|c| status_cell(c.status, &c.text, self.color)),
            );
        }
        self.out.table(&t);
    }

    /// "• Title (id)", then the status and facts, the labelled lines and the owner's words,
    /// each wrapped under the title.
    fn entry(&mut self, e: &Entry) {
        const UNDER: &str = "    ";
        // What a user wrote is shortened as in a table cell: a title of a megabyte would
        // otherwise fill ten thousand lines wherever the initiative is named.
        let clip = |text: &str| super::clip_cell(text).into_owned();
        self.text(&format!("  • {} ({})", clip(&e.title), clip(&e.id)), UNDER);
        let headline = e.headline();
        let facts = clip(
            &std::iter::once(headline.as_str())
                .chain(e.facts.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" · "),
        );
        let wrapped = wrap(&format!("{UNDER}{facts}"), UNDER, self.width);
        match (self.color, e.status) {
            // The status words lead the first line: only they take the status colour.
            (true, Some(s)) if wrapped.starts_with(&format!("{UNDER}{}", e.status_word)) => {
                let rest = &wrapped[UNDER.len() + e.status_word.len()..];
                self.out.push_str(UNDER);
                self.out.colored(e.status_word, super::ansi_color(s));
                self.out.push_str(rest);
            }
            _ => self.out.push_str(&wrapped),
        }
        for (label, text) in &e.lines {
            self.text(&format!("{UNDER}{label}: {}", clip(text)), UNDER);
        }
        if let Some(q) = &e.quote {
            let (open, close) = self.labels.quotes;
            self.text(&format!("{UNDER}{open}{}{close}", clip(q)), UNDER);
        }
    }
}
