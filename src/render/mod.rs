//! Output: the report model and lists rendered as terminal tables, Markdown, HTML, CSV and JSON.
//! Renderers only format; every number comes from the model.

mod document;
pub mod graph;
mod html;
pub mod indicator;
mod labels;
mod long_table;
mod markdown;
pub mod missing;
pub mod neutral;
pub mod period;
pub mod plan;
pub mod review;
pub mod site;
mod terminal;

use comfy_table::Cell;
use comfy_table::Color;
use comfy_table::ContentArrangement;
use comfy_table::Table;
use comfy_table::presets;
use serde::Serialize;

pub use self::html::report_html;
pub use self::labels::Labels;
pub use self::labels::Lang;
pub use self::labels::Words;
pub use self::markdown::report_markdown;
pub use self::neutral::for_terminal;
pub use self::neutral::neutralise;
pub use self::terminal::report_table;
use std::io::Write;

use crate::error::Result;
use crate::model::Status;
use crate::report::Report;
use crate::store::StoredUpdate;
use crate::store::WriteSummary;

/// Width for tables when the terminal's width is unknown (pipes, files, tests).
pub const DEFAULT_WIDTH: u16 = 100;

/// The narrowest width the terminal formats lay out for: below it, tables cannot fit at all.
const MIN_WIDTH: u16 = 40;

/// Columns for the terminal formats: the terminal's own width when printing to one; else
/// `COLUMNS` when it is set (a pipe into a pager, a file for an 80-column printout); else 100.
pub(crate) fn width() -> u16 {
    comfy_table::Table::new()
        .width()
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// How a list is printed; every verb that prints data takes `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

/// How the terminal is: colours or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

/// Pretty JSON and a newline: the model as it is (keys and status words are English, whatever
/// the language of the labels).
pub fn write_json<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// CSV with a header; the csv crate quotes commas, quotes and line breaks. Cells that a
/// spreadsheet would run as a formula are defused with a leading apostrophe; control
/// characters but line breaks and tabs are neutralised (CSV is read on terminals too).
pub fn write_csv(
    out: &mut impl Write,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    let csv_error = |e: csv::Error| std::io::Error::other(e.to_string());
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(csv_error)?;
    for row in rows {
        w.write_record(
            row.iter()
                .map(|c| neutralise(&defuse_formula(c)).into_owned()),
        )
        .map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

/// A terminal table with a header.
pub fn write_table(
    out: &mut impl Write,
    style: Style,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    out.write_all(table_rows(style.color, header, rows).as_bytes())?;
    Ok(())
}

/// A list in one of the three list formats: `header` and `rows` for the table and CSV (the
/// table may show fewer columns: `table` picks them), the model itself for JSON.
pub fn write_list<T: Serialize + ?Sized>(
    out: &mut impl Write,
    format: ListFormat,
    style: Style,
    model: &T,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    match format {
        ListFormat::Json => write_json(out, model),
        ListFormat::Csv => write_csv(out, header, rows),
        ListFormat::Table => write_table(out, style, header, rows),
    }
}

/// Text a verb prints around its tables (a title, a summary line): neutralised, as cells are.
pub fn write_text(out: &mut impl Write, text: &str) -> Result<()> {
    out.write_all(neutralise(text).as_bytes())?;
    Ok(())
}

fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if cell.parse::<f64>().is_err() => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
}

pub fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

pub(crate) fn new_table(color: bool) -> Table {
    table_of_width(color, width())
}

/// [`new_table`] for a width given: the slices of a long table are laid out for the same one.
fn table_of_width(color: bool, width: u16) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_width(width);
    t
}

pub fn table_rows(color: bool, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut t = new_table(color);
    t.set_header(header.to_vec());
    for r in rows {
        t.add_row(r.iter().map(cell));
    }
    format!("{t}\n")
}

/// The longest line a terminal table cell shows, in characters. comfy-table sums column
/// widths in `u16`: a line over 65,534 characters overflows it (a panic in debug builds, a
/// wrong layout in release). Wide characters take two columns, so this leaves room.
const CELL_LINE_CHARS: usize = 2_000;

/// The most characters a terminal table cell shows in all, its lines together: nobody reads
/// more in a table, and wrapping a megabyte into a 20-column cell takes long.
const CELL_CHARS: usize = 4_000;

/// A terminal table cell. Every cell made from user text goes through here (or
/// [`status_cell`]), so that no text reaches comfy-table unbounded (see [`clip_cell`]) or
/// with control characters in it (see [`neutralise`]).
pub(crate) fn cell(text: impl AsRef<str>) -> Cell {
    Cell::new(cell_text(text.as_ref()))
}

/// The text of the cell [`cell`] makes.
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    match neutralise(text) {
        std::borrow::Cow::Borrowed(text) => clip_cell(text),
        std::borrow::Cow::Owned(text) => clip_cell(&text).into_owned().into(),
    }
}

/// A cell's text, shortened for a terminal table: each line to [`CELL_LINE_CHARS`] and the
/// whole to [`CELL_CHARS`], cut on a character boundary and ending with "…". Only terminal
/// tables are shortened; Markdown, HTML, CSV and JSON keep the full text.
pub(crate) fn clip_cell(text: &str) -> std::borrow::Cow<'_, str> {
    // No more bytes than the line limit means no more characters either: the common case.
    if text.len() <= CELL_LINE_CHARS {
        return text.into();
    }
    let lines: Vec<_> = text
        .split('\n')
        .map(|l| clip_chars(l, CELL_LINE_CHARS))
        .collect();
    let mut out = lines.join("\n");
    if let std::borrow::Cow::Owned(whole) = clip_chars(&out, CELL_CHARS) {
        out = whole;
    }
    out.into()
}

/// At most `max` characters: longer text is cut (trailing spaces dropped) and ends with "…".
fn clip_chars(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().nth(max).is_none() {
        return text.into();
    }
    // `char_indices` cuts between characters, never inside one.
    let cut = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    format!("{}…", text[..cut].trim_end()).into()
}

/// The terminal colour of a status, as FORMATS.md assigns them.
pub(crate) fn status_color(s: Status) -> Color {
    match s {
        Status::OnTrack => Color::Green,
        Status::AtRisk => Color::Yellow,
        Status::Delayed => Color::Red,
        Status::Completed => Color::Blue,
        Status::NotStarted | Status::Paused => Color::Grey,
        Status::Cancelled => Color::DarkGrey,
    }
}

/// The same colour as an SGR code, for text outside a table.
pub(crate) fn ansi_color(s: Status) -> &'static str {
    match status_color(s) {
        Color::Green => "32",
        Color::Yellow => "33",
        Color::Red => "31",
        Color::Blue => "34",
        Color::Grey => "37",
        _ => "90",
    }
}

pub(crate) fn status_cell(s: Option<Status>, label: &str, color: bool) -> Cell {
    let cell = cell(label);
    match (s, color) {
        (Some(s), true) => cell.fg(status_color(s)),
        _ => cell,
    }
}

/// The one line every write ends with.
pub fn load_summary(s: &WriteSummary, files: usize) -> String {
    let mut parts = Vec::new();
    for (strategy, c) in &s.plans {
        if !c.is_empty() {
            parts.push(format!("plan {strategy}: {c}"));
        }
    }
    if s.updates.added > 0 {
        let mut p = format!(
            "+{} update{}",
            s.updates.added,
            if s.updates.added == 1 { "" } else { "s" }
        );
        if s.updates.corrections > 0 {
            p.push_str(&format!(
                ", {} correction{}",
                s.updates.corrections,
                if s.updates.corrections == 1 { "" } else { "s" }
            ));
        }
        parts.push(p);
    }
    if s.measurements.added > 0 {
        let mut p = format!(
            "+{} measurement{}",
            s.measurements.added,
            if s.measurements.added == 1 { "" } else { "s" }
        );
        if s.measurements.corrections > 0 {
            p.push_str(&format!(", {} corrected", s.measurements.corrections));
        }
        parts.push(p);
    }
    if s.narratives > 0 {
        parts.push(format!(
            "+{} narrative{}",
            s.narratives,
            if s.narratives == 1 { "" } else { "s" }
        ));
    }
    let head = if files > 0 {
        format!("loaded {files} file{}: ", if files == 1 { "" } else { "s" })
    } else {
        String::new()
    };
    if parts.is_empty() {
        format!("{head}nothing changed")
    } else {
        format!("{head}{}", parts.join("; "))
    }
}

/// `status history`: every update of an initiative, with its number; retracted ones marked.
pub fn history(
    rows: &[StoredUpdate],
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ListFormat::Json => write_json(out, rows),
        ListFormat::Csv => write_csv(
            out,
            &[
                "id",
                "initiative",
                "reported_on",
                "status",
                "progress",
                "respondent",
                "summary",
                "recorded_at",
                "source",
                "retracted",
            ],
            rows.iter().map(|u| {
                vec![
                    u.id.to_string(),
                    u.update.initiative.clone(),
                    u.update.reported_on.to_string(),
                    u.update.status.to_string(),
                    u.update
                        .progress
                        .map_or_else(String::new, |p| p.to_string()),
                    u.update.respondent.clone().unwrap_or_default(),
                    u.update.answers.summary.clone().unwrap_or_default(),
                    u.recorded_at.clone(),
                    u.source_file.clone(),
                    u.retracted
                        .as_ref()
                        .map_or_else(String::new, |r| r.reason.clone()),
                ]
            }),
        ),
        ListFormat::Table => {
            let color = style.color;
            let w = lang.words();
            // The day of a recorded moment (`2021-03-01 12:00:00…`), as the language writes it.
            let recorded = |at: &str| {
                let day = at.get(..10).unwrap_or("");
                day.parse()
                    .map_or_else(|_| day.to_string(), |d| lang.day_short(d))
            };
            let mut t = new_table(color);
            t.set_header(vec![
                w.number,
                w.date,
                w.status,
                w.progress,
                w.respondent,
                w.summary,
                w.source,
            ]);
            for u in rows {
                let word = w.status(Some(u.update.status));
                // A retracted update stays in the history, struck through in words.
                let status = match &u.retracted {
                    None => status_cell(Some(u.update.status), word, color),
                    Some(r) => cell(format!(
                        "{word} ({} {}: {})",
                        w.retracted,
                        recorded(&r.recorded_at),
                        r.reason
                    )),
                };
                t.add_row(vec![
                    cell(u.id.to_string()),
                    cell(lang.day_short(u.update.reported_on)),
                    status,
                    cell(
                        u.update
                            .progress
                            .map_or_else(String::new, |p| format!("{p} %")),
                    ),
                    cell(u.update.respondent.as_deref().unwrap_or("")),
                    cell(u.update.answers.summary.as_deref().unwrap_or("")),
                    cell(format!("{} ({})", u.source_file, recorded(&u.recorded_at))),
                ]);
            }
            writeln!(out, "{t}")?;
            Ok(())
        }
    }
}

/// The line that ties a rendered report to the record: its content hash, and the moment the
/// record is shown as of when that is not now.
pub(crate) fn footer(r: &Report, l: &Labels) -> String {
    match &r.known_at {
        Some(t) => format!(
            "{}: {} ({} {t})",
            l.content_hash, r.content_hash, l.known_at
        ),
        None => format!("{}: {}", l.content_hash, r.content_hash),
    }
}

/// A number as a reader expects it: no trailing zeros, a percent sign for percentages.
pub(crate) fn quantity(value: f64, unit: &str) -> String {
    let mut n = format!("{value:.1}");
    if n.ends_with(".0") {
        n.truncate(n.len() - 2);
    }
    if unit == "percent" {
        format!("{n} %")
    } else {
        n
    }
}

/// One focus area's indicators: its title, and each indicator with its table rows.
pub(crate) type IndicatorGroup<'r> = (
    String,
    Vec<(&'r crate::report::IndicatorReport, Vec<[String; 6]>)>,
);

/// The indicator table's rows, grouped by focus area in plan order (then those with none):
/// indicator, segment, latest (year), change with trend arrow, target (year), on course.
/// Segments with no measurement by the report's year are left out, and so are indicators
/// with none at all.
pub(crate) fn indicator_groups<'r>(r: &'r Report, l: &Labels) -> Vec<IndicatorGroup<'r>> {
    let mut groups: Vec<(String, Vec<_>)> = Vec::new();
    let areas = r
        .focus_areas
        .iter()
        .map(|f| (Some(f.id.as_str()), f.title.clone()));
    for (id, title) in areas.chain(std::iter::once((None, l.other_indicators.to_string()))) {
        let mine: Vec<_> = r
            .indicators
            .iter()
            .filter(|i| match id {
                Some(id) => i.focus_area.as_deref() == Some(id),
                None => i
                    .focus_area
                    .as_deref()
                    .is_none_or(|f| !r.focus_areas.iter().any(|a| a.id == f)),
            })
            .map(|i| (i, indicator_rows(i, l)))
            .filter(|(_, rows)| !rows.is_empty())
            .collect();
        if !mine.is_empty() {
            groups.push((title, mine));
        }
    }
    groups
}

fn indicator_rows(i: &crate::report::IndicatorReport, l: &Labels) -> Vec<[String; 6]> {
    i.segments
        .iter()
        .filter_map(|s| s.latest.map(|p| (s, p)))
        .map(|(s, p)| {
            let latest = format!("{} ({})", quantity(p.value, &i.unit), p.year);
            let change = match (s.change, s.trend) {
                (Some(c), Some(t)) => format!(
                    "{} {}{}",
                    t.arrow(),
                    if c > 0.0 { "+" } else { "" },
                    quantity(c, "")
                ),
                _ => String::new(),
            };
            let target = s.target.map_or_else(String::new, |t| {
                format!("{} ({})", quantity(t.value, &i.unit), t.year)
            });
            let course = match s.on_course {
                Some(true) => l.on_course.to_string(),
                Some(false) => l.off_course.to_string(),
                None => String::new(),
            };
            [
                i.title.clone(),
                s.segment.clone(),
                latest,
                change,
                target,
                course,
            ]
        })
        .collect()
}

/// The formats of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Html,
    Csv,
    Json,
    /// The HTML page printed with headless Chromium.
    Pdf,
}

impl ReportFormat {
    /// The format a file's extension names (`report.pdf`), when `--format` is not given.
    pub fn from_extension(path: &std::path::Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => ReportFormat::Table,
            "md" | "markdown" => ReportFormat::Markdown,
            "html" | "htm" => ReportFormat::Html,
            "csv" => ReportFormat::Csv,
            "json" => ReportFormat::Json,
            "pdf" => ReportFormat::Pdf,
            _ => return None,
        })
    }

    /// Bytes, not text: written as they are, never to a terminal.
    pub fn is_binary(self) -> bool {
        self == ReportFormat::Pdf
    }
}

/// The report in one of its formats.
pub fn report(
    r: &Report,
    format: ReportFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ReportFormat::Json => write_json(out, r),
        ReportFormat::Csv => report_csv(r, out),
        ReportFormat::Table => Ok(report_table(r, lang, style.color, out)?),
        ReportFormat::Markdown => Ok(report_markdown(r, lang, out)?),
        ReportFormat::Html => Ok(report_html(r, lang, out)?),
        ReportFormat::Pdf => {
            let mut page = Vec::new();
            report_html(r, lang, &mut page)?;
            let page = String::from_utf8_lossy(&page);
            Ok(out.write_all(&crate::output::pdf::print(&page)?)?)
        }
    }
}

/// One row per initiative with the report's columns and the owner's summary, then one row per
/// decision Skate is asked to take (`record` says which a row is; a decision's text is in
/// `text`).
fn report_csv(r: &Report, out: &mut impl Write) -> Result<()> {
    let header = [
        "record",
        "year",
        "as_of",
        "focus_area",
        "id",
        "title",
        "kind",
        "owner",
        "status",
        "previous_status",
        "progress",
        "due",
        "overdue",
        "next_milestone",
        "next_milestone_due",
        "blocked_by",
        "last_update",
        "text",
    ];
    let initiatives = r.focus_areas.iter().flat_map(|fa| {
        fa.initiatives.iter().map(move |i| {
            vec![
                "initiative".to_string(),
                r.year.to_string(),
                r.as_of.to_string(),
                fa.id.clone(),
                i.id.clone(),
                i.title.clone(),
                i.kind.clone(),
                i.owner.clone(),
                i.status.map_or_else(String::new, |s| s.to_string()),
                i.previous_status
                    .map_or_else(String::new, |s| s.to_string()),
                i.progress.map_or_else(String::new, |p| p.to_string()),
                opt_date(i.due),
                i.overdue.to_string(),
                i.next_milestone
                    .as_ref()
                    .map_or_else(String::new, |m| m.title.clone()),
                opt_date(i.next_milestone.as_ref().map(|m| m.due)),
                i.blocked_by.join(" "),
                opt_date(i.last_update),
                i.summary.clone().unwrap_or_default(),
            ]
        })
    });
    let decisions = r.decisions.iter().map(|d| {
        let mut row = vec![String::new(); header.len()];
        row[0] = "decision".to_string();
        row[1] = r.year.to_string();
        row[2] = r.as_of.to_string();
        row[4] = d.id.clone().unwrap_or_default();
        row[5] = d.title.clone();
        row[header.len() - 1] = d.text.clone();
        row
    });
    write_csv(out, &header, initiatives.chain(decisions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses() {
        let mut out = Vec::new();
        write_csv(
            &mut out,
            &["a", "b"],
            [vec![
                "x, \"y\"".to_string(),
                "=cmd|' /C calc'!A0".to_string(),
            ]]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\n\"x, \"\"y\"\"\",'=cmd|' /C calc'!A0\n"
        );
        assert_eq!(defuse_formula("-12"), "-12");
    }

    #[test]
    fn table_cells_are_cut_on_a_character_boundary() {
        // Two-, three- and four-byte characters, so that a byte cut would land inside one.
        for unit in ["ø", "語", "🦀", "aø語🦀"] {
            let long = unit.repeat(CELL_LINE_CHARS + 1);
            let clipped = clip_cell(&long);
            assert_eq!(clipped.chars().count(), CELL_LINE_CHARS, "{unit}");
            assert!(clipped.ends_with('…'), "{unit}");
            let kept = clipped.trim_end_matches('…');
            assert!(long.starts_with(kept), "{unit}");
        }
        // One over the limit is cut; exactly at it is kept whole.
        let at = "ø".repeat(CELL_LINE_CHARS);
        assert_eq!(clip_cell(&at), at);
        let over = format!("{at}ø");
        assert_eq!(
            clip_cell(&over),
            format!("{}…", "ø".repeat(CELL_LINE_CHARS - 1))
        );
        // Spaces before the cut are dropped: "…" follows the last word.
        let words = "ord ".repeat(CELL_LINE_CHARS);
        assert!(clip_cell(&words).ends_with("ord…"));
    }

    #[test]
    fn table_cells_are_cut_line_by_line_then_in_all() {
        // A long title over its id: the title is shortened, the id stays.
        let title = format!("{}\nmitt-tiltak", "Lang tittel ".repeat(90_000));
        let clipped = clip_cell(&title);
        let lines: Vec<&str> = clipped.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with('…') && lines[0].chars().count() <= CELL_LINE_CHARS);
        assert_eq!(lines[1], "mitt-tiltak");
        // Many short lines: the whole cell is capped.
        let many = "kort linje\n".repeat(10_000);
        let clipped = clip_cell(&many);
        assert_eq!(clipped.chars().count(), CELL_CHARS);
        assert!(clipped.ends_with('…'));
        // Short text is not copied.
        assert!(matches!(
            clip_cell("kort"),
            std::borrow::Cow::Borrowed("kort")
        ));
    }

    /// Every terminal table cell is made by `cell` or `status_cell`, so none escapes the cap.
    #[test]
    fn no_table_cell_is_made_outside_the_helper() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("render/mod.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if text.contains("Cell::new(") {
                        offenders.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "use render::cell in {offenders:?}");
    }
}
