//! The report and initiative details for the terminal: comfy-table, status colours on a tty.

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::CellAlignment;
use comfy_table::ColumnConstraint;
use comfy_table::Width;

use super::Labels;
use super::Lang;
use super::cell;
use super::new_table;
use super::status_cell;
use crate::model::Status;
use crate::report::InitiativeRow;
use crate::report::NO_STATUS;
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

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// Paragraph width in the terminal report, the same as the tables'.
const WIDTH: usize = super::DEFAULT_WIDTH as usize;

/// Word-wraps text to `width` columns, each line after the first indented by `indent`.
pub(crate) fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    for paragraph in text.lines() {
        // The paragraph's own leading spaces (a bullet's indent) are kept.
        let lead = &paragraph[..paragraph.len() - paragraph.trim_start().len()];
        let mut line = lead.to_string();
        for word in paragraph.split_whitespace() {
            let len = line.chars().count();
            let fresh = line == lead || line == indent;
            if !fresh && len + 1 + word.chars().count() > width {
                out.push_str(&line);
                out.push('\n');
                line = indent.to_string();
            } else if !fresh {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// "completed 6 (+4)" for each status with a count now or a year ago.
pub(crate) fn totals_line(
    l: &Labels,
    now: &BTreeMap<String, usize>,
    before: &BTreeMap<String, usize>,
) -> String {
    let mut parts = Vec::new();
    // In the order of the status words, not alphabetically: a reader scans them as a scale.
    let keys = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(std::iter::once(NO_STATUS));
    for key in keys {
        let n = now.get(key).copied().unwrap_or(0);
        let was = before.get(key).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        let delta = n as i64 - was as i64;
        let change = match delta {
            0 => String::new(),
            d if d > 0 => format!(" (+{d})"),
            d => format!(" ({d})"),
        };
        parts.push(format!("{} {n}{change}", l.status_key(key)));
    }
    if parts.is_empty() {
        return "—".to_string();
    }
    parts.join(", ")
}

/// "not started →" when the status changed over the year.
pub(crate) fn year_ago(l: &Labels, row: &InitiativeRow) -> String {
    match (row.previous_status, row.status) {
        (None, None) => String::new(),
        (prev, now) if prev != now => format!("{} →", l.status(prev)),
        (prev, _) => l.status(prev).to_string(),
    }
}

pub(crate) fn progress(row: &InitiativeRow) -> String {
    row.progress.map_or_else(String::new, |p| format!("{p} %"))
}

pub(crate) fn milestone(row: &InitiativeRow, l: &Labels) -> String {
    row.next_milestone.as_ref().map_or_else(String::new, |m| {
        format!("{} ({})", m.title, l.day_short(m.due))
    })
}

pub fn report_table(r: &Report, lang: Lang, color: bool) -> String {
    let l = lang.labels();
    let mut out = Screen::default();
    let title = r
        .title
        .clone()
        .unwrap_or_else(|| format!("{} {}", l.report, r.year));
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "{} — {} {}–{} — {} {}\n",
        r.strategy.title,
        l.period,
        r.strategy.period.start,
        r.strategy.period.end,
        l.as_of,
        l.day(r.as_of)
    );
    if !r.summary.is_empty() {
        let _ = writeln!(out, "{}", l.summary.to_uppercase());
        for s in &r.summary {
            out.push_str(&wrap(&format!("  • {s}"), "    ", WIDTH));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", l.on_track_title.to_uppercase());
    let _ = writeln!(
        out,
        "  {}: {}",
        l.overall,
        totals_line(l, &r.totals, &r.previous_totals)
    );
    if let Some(share) = r.on_track_share {
        let _ = writeln!(out, "  {}: {share:.0} %", l.on_track_share);
    }
    let mut t = new_table(color);
    t.set_header(vec![l.focus_area, l.status]);
    for fa in &r.focus_areas {
        t.add_row(vec![
            cell(&fa.title),
            cell(totals_line(l, &fa.totals, &fa.previous_totals)),
        ]);
    }
    out.table(&t);
    out.push('\n');

    for fa in &r.focus_areas {
        let _ = writeln!(out, "{}", fa.title.to_uppercase());
        out.push_str(&wrap(
            &format!("{} {}", lead_in(l.goal), fa.goal),
            "",
            WIDTH,
        ));
        if let Some(p) = &fa.progress {
            out.push_str(&wrap(
                &format!("{} {p}", lead_in(l.progress_text)),
                "",
                WIDTH,
            ));
        }
        if fa.initiatives.is_empty() {
            let _ = writeln!(out, "{}", l.no_initiatives);
        } else {
            let mut t = new_table(color);
            t.set_header(vec![
                l.initiative,
                l.owner,
                l.status,
                l.progress,
                l.next_milestone,
                l.blocked_by,
                l.last_update,
            ]);
            for i in &fa.initiatives {
                // The status a year ago goes under the status when it changed: one column less.
                let was = match (i.previous_status, i.status) {
                    (Some(prev), now) if Some(prev) != now => {
                        format!("\n(← {})", l.status(Some(prev)))
                    }
                    _ => String::new(),
                };
                t.add_row(vec![
                    // Lines are shortened one by one: under a huge title the id still shows.
                    cell(format!("{}\n{}", i.title, i.id)),
                    cell(&i.owner_name),
                    status_cell(i.status, &format!("{}{was}", l.status(i.status)), color),
                    cell(progress(i)).set_alignment(CellAlignment::Right),
                    cell(milestone(i, l)),
                    cell(i.blocked_by.join("\n")),
                    cell(l.opt_day_short(i.last_update)),
                ]);
            }
            t.set_constraints([
                ColumnConstraint::LowerBoundary(Width::Fixed(24)),
                ColumnConstraint::Boundaries {
                    lower: Width::Fixed(11),
                    upper: Width::Fixed(14),
                },
                ColumnConstraint::LowerBoundary(Width::Fixed(13)),
                ColumnConstraint::ContentWidth,
                ColumnConstraint::LowerBoundary(Width::Fixed(13)),
                ColumnConstraint::LowerBoundary(Width::Fixed(8)),
                ColumnConstraint::Absolute(Width::Fixed(12)),
            ]);
            out.table(&t);
        }
        if !fa.proposed.is_empty() {
            let _ = writeln!(out, "{}:", l.proposed);
            for p in &fa.proposed {
                out.push_str(&wrap(&format!("  • {} ({})", p.title, p.id), "    ", WIDTH));
            }
        }
        out.push('\n');
    }

    let groups = super::indicator_groups(r, l);
    if !groups.is_empty() {
        let _ = writeln!(out, "{}", l.indicators.to_uppercase());
        for (area, indicators) in groups {
            let _ = writeln!(out, "{area}");
            let mut t = new_table(color);
            t.set_header(vec![
                l.indicator,
                l.segment,
                l.latest,
                l.change,
                l.target,
                l.course,
            ]);
            for (_, rows) in indicators {
                for row in rows {
                    t.add_row(row.iter().map(cell));
                }
            }
            out.table(&t);
        }
        out.push('\n');
    }

    let _ = writeln!(out, "{}", l.changes.to_uppercase());
    if r.changes.is_empty() {
        let _ = writeln!(out, "  {}", l.no_changes);
    }
    for (label, items) in [
        (l.completed, &r.changes.completed),
        (l.started, &r.changes.started),
        (l.new_in_plan, &r.changes.new_in_plan),
        (l.withdrawn, &r.changes.withdrawn),
    ] {
        if !items.is_empty() {
            let _ = writeln!(out, "  {label}:");
            for i in items {
                out.push_str(&wrap(
                    &format!("    • {} ({})", i.title, i.id),
                    "      ",
                    WIDTH,
                ));
            }
        }
    }
    if !r.changes.slipped.is_empty() {
        let _ = writeln!(out, "  {}:", l.slipped);
        for s in &r.changes.slipped {
            let (from, to) = (l.day(s.from), l.day(s.to));
            let line = format!("    • {} ({}): {from} → {to}", s.title, s.id);
            out.push_str(&wrap(&line, "      ", WIDTH));
        }
    }
    out.push('\n');

    if !r.corrections.is_empty() {
        let _ = writeln!(out, "{}", l.corrections.to_uppercase());
        for c in &r.corrections {
            let line = format!(
                "  • {} ({}) {}: {} — {}: {}",
                c.title,
                c.id,
                l.day(c.reported_on),
                l.status(Some(c.status)),
                l.reason,
                c.reason
            );
            out.push_str(&wrap(&line, "    ", WIDTH));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "{}", l.missing.to_uppercase());
    if r.missing.is_empty() {
        let _ = writeln!(out, "  {}", l.no_missing);
    } else {
        let mut t = new_table(color);
        t.set_header(vec![l.owner, l.initiative, l.last_update]);
        for m in &r.missing {
            t.add_row(vec![
                cell(&m.owner_name),
                cell(format!("{} ({})", m.title, m.id)),
                cell(l.opt_day_short(m.last_update)),
            ]);
        }
        out.table(&t);
    }
    out.push('\n');

    for (label, sections) in [
        (l.drivers, &r.drivers),
        (l.recommendations, &r.recommendations),
    ] {
        if sections.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", label.to_uppercase());
        for s in sections {
            out.push_str(&wrap(
                &format!("  • {}: {}", s.title, s.text),
                "    ",
                WIDTH,
            ));
        }
        out.push('\n');
    }

    if !r.advice.is_empty() {
        let _ = writeln!(out, "{}", l.advice.to_uppercase());
        for a in &r.advice {
            let note = a
                .note
                .as_deref()
                .map_or_else(String::new, |n| format!(" — {n}"));
            let line = format!(
                "  • {} ({}): {}{note}",
                a.title,
                a.year,
                l.follow_up(a.status)
            );
            out.push_str(&wrap(&line, "    ", WIDTH));
        }
        out.push('\n');
    }

    if !r.appendix.is_empty() {
        let _ = writeln!(out, "{}", l.appendix.to_uppercase());
        for a in &r.appendix {
            out.push('\n');
            out.push_str(&wrap(
                &format!("{} ({}) — {}", a.title, a.id, a.owner_name),
                "",
                WIDTH,
            ));
            if let Some(who) = &a.respondent {
                let _ = writeln!(out, "{}: {who}, {}", l.respondent, l.day(a.reported_on));
            }
            for (field, answer) in &a.answers {
                let _ = writeln!(out, "  {}", l.question(field));
                out.push_str(&wrap(&format!("    {answer}"), "    ", WIDTH));
            }
        }
    }
    let _ = writeln!(out, "\n{}", super::footer(r, l));
    out.into_string()
}
