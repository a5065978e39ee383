//! Spreadsheet forms (`.xlsx`), read into the text of the TOML form they stand for, with the
//! cell each value came from. The text then goes through the TOML form's own parser and
//! validation, so a workbook meets exactly the same rules, and each problem is told at its
//! cell (`Status!C7`).
//!
//! A workbook is a zip archive of XML files, and it comes from outside: the archive's declared
//! sizes are checked before anything is inflated (the zip reader then refuses to inflate past
//! them), rows are counted, and formulas are never evaluated — a formula cell is refused, since
//! the value it last showed may not be what the owner sees now.

use std::io::Cursor;
use std::io::Read;
use std::path::Path;

use calamine::DataRef;
use calamine::ExcelDateTime;
use calamine::ExcelDateTimeType;
use calamine::Reader as _;
use calamine::Xlsx;
use chrono::NaiveDate;

use crate::diagnostic::CellMap;
use crate::diagnostic::CellRef;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::SourceFile;
use crate::diagnostic::excerpt;

/// The sheet with the form's header: keys in column A, values in column B.
pub const FORM_SHEET: &str = "Skjema";
/// The sheet with one initiative a row.
pub const STATUS_SHEET: &str = "Status";
pub const FORM_KEYS: [&str; 5] = ["strategy", "round", "owner", "reported_on", "respondent"];
/// The column keys of the Status sheet's first row, in the order `forms` writes them.
pub const STATUS_COLUMNS: [&str; 12] = [
    "initiative",
    "title",
    "status",
    "progress",
    "reported_on",
    "summary",
    "description",
    "success_factors",
    "challenges",
    "lessons",
    "next_year",
    "respondent",
];
/// Rows before the first initiative: the column keys, then the questions.
pub const HEADER_ROWS: u32 = 2;
/// Initiatives one workbook may hold: far above any owner's share of a plan, low enough that a
/// sheet of a million rows is refused at once.
pub const MAX_ROWS: u32 = 10_000;
/// Largest workbook read; forms are tens of kilobytes.
pub const MAX_WORKBOOK_BYTES: u64 = 16 * 1024 * 1024;
/// What its parts may inflate to, together: as much as a text file may hold.
const MAX_INFLATED: u64 = super::MAX_FILE_BYTES;
/// Parts of an archive: a workbook has a dozen or two.
const MAX_ENTRIES: usize = 1_000;
/// The columns of a sheet that are looked at; the rest is the owner's own business.
const MAX_COLUMNS: u32 = 64;

/// Whether a path names a workbook, told by its extension.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Reads a workbook into the text of the TOML form it stands for. A problem that leaves no form
/// to read (not a workbook, a sheet missing) is the error; problems with single cells travel
/// with the text, to be reported with the form's own.
pub fn read_workbook(path: &Path, len: u64) -> Result<SourceFile, Diagnostic> {
    if len > MAX_WORKBOOK_BYTES {
        return Err(Diagnostic::file(
            path,
            format!(
                "the workbook is {} MB; workbooks over {} MB are refused",
                len >> 20,
                MAX_WORKBOOK_BYTES >> 20
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read the file: {e}")))?;
    let archive = check_archive(path, &bytes)?;
    let name = path.display().to_string();
    // The archive is sound as far as its directory tells; what calamine does with the XML
    // inside is not ours to vouch for, so a panic in it is turned into a refusal.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Workbook::open(&name, bytes).and_then(|mut w| w.read_form(&archive))
    }));
    match read {
        Ok(Ok((text, cells))) => Ok(SourceFile::from_workbook(path, text, cells)),
        Ok(Err(d)) => Err(d),
        Err(_) => Err(damaged(path, "it could not be read")),
    }
}

fn damaged(path: &Path, why: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::file(path, format!("the workbook is damaged: {why}"))
        .with_hint("open it in Excel or LibreOffice and save it again as an Excel workbook (.xlsx)")
}

/// What the archive check saw of the workbook's parts.
struct Archive {
    /// Whether a worksheet merges cells (only then are the merges read, which takes a second
    /// pass over the sheet's XML).
    merges: bool,
}

/// Refuses what is no zip archive, and an archive whose parts would inflate past the limits
/// (a zip bomb), before anything is inflated.
fn check_archive(path: &Path, bytes: &[u8]) -> Result<Archive, Diagnostic> {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(Diagnostic::file(
            path,
            "not an .xlsx workbook: an old Excel file (.xls) or a password-protected workbook",
        )
        .with_hint("save it as an Excel workbook (.xlsx), without a password"));
    }
    let not_zip = || {
        Diagnostic::file(path, "not an .xlsx workbook (it is no zip archive)").with_hint(
            "a spreadsheet form is the .xlsx file that `actionplan forms ROUND --format xlsx` writes, saved from Excel or LibreOffice",
        )
    };
    if !bytes.starts_with(b"PK") {
        return Err(not_zip());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_zip())?;
    if zip.len() > MAX_ENTRIES {
        return Err(damaged(
            path,
            format!("it holds {} parts; a workbook has a few dozen", zip.len()),
        ));
    }
    let too_big = |name: &str, size: u64| {
        Diagnostic::file(
            path,
            format!(
                "the workbook's part `{}` would inflate to {} MB; at most {} MB are read",
                excerpt(name),
                size >> 20,
                MAX_INFLATED >> 20
            ),
        )
        .with_hint("a status form is small: this is not one (or it is a zip bomb)")
    };
    let mut total: u64 = 0;
    let mut merges = false;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| damaged(path, e))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let size = entry.size();
        drop(entry);
        total = total.saturating_add(size);
        if size > MAX_INFLATED || total > MAX_INFLATED {
            return Err(too_big(&name, size.max(total)));
        }
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("sharedstrings.xml") {
            check_shared_strings(path, &mut zip, i, size)?;
        }
        if lower.contains("worksheets/") && !merges {
            merges = has_merges(path, &mut zip, i)?;
        }
    }
    Ok(Archive { merges })
}

/// Whether a worksheet's XML has a `mergeCell` element: a search of its bytes, within the
/// sizes checked above.
fn has_merges(
    path: &Path,
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
) -> Result<bool, Diagnostic> {
    // Without `<`: a prefixed element (`<x:mergeCell`) counts too.
    const NEEDLE: &[u8] = b"mergeCell ";
    let mut part = zip.by_index(index).map_err(|e| damaged(path, e))?;
    // Read in pieces (a sheet may be large), each searched with the end of the one before.
    let mut buf = vec![0u8; 64 * 1024];
    let mut kept = 0;
    loop {
        let n = part.read(&mut buf[kept..]).map_err(|e| damaged(path, e))?;
        if n == 0 {
            return Ok(false);
        }
        let end = kept + n;
        if buf[..end].windows(NEEDLE.len()).any(|w| w == NEEDLE) {
            return Ok(true);
        }
        kept = (NEEDLE.len() - 1).min(end);
        buf.copy_within(end - kept..end, 0);
    }
}

/// calamine reserves room for as many strings as the table's `uniqueCount` says: a table of a
/// few bytes that claims billions would take the memory, so the claim must fit the size.
fn check_shared_strings(
    path: &Path,
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    size: u64,
) -> Result<(), Diagnostic> {
    let mut head = Vec::with_capacity(4096);
    zip.by_index(index)
        .map_err(|e| damaged(path, e))?
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| damaged(path, e))?;
    let head = String::from_utf8_lossy(&head);
    let claimed = head
        .split_once("uniqueCount=")
        .and_then(|(_, rest)| {
            let rest = rest.trim_start_matches(['"', '\'']);
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end].parse::<u64>().ok()
        })
        .unwrap_or(0);
    // `<si/>` is the shortest string entry.
    if claimed > size / 5 + 1 {
        return Err(damaged(
            path,
            format!("its string table claims {claimed} strings in {size} bytes"),
        ));
    }
    Ok(())
}

/// One cell's value, as the form reader needs it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    /// A number formatted as a day (a date cell), or an ISO date-time: the day.
    Day(Option<NaiveDate>),
    Bool(bool),
    /// The error a formula left (`#DIV/0!`).
    Error(String),
    /// A formula: never evaluated, its cached value never trusted.
    Formula(String),
}

/// What a column holds, for turning a cell into a TOML value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Free text (the answers, respondent).
    Text,
    /// A single word or id: spaces around it do not count.
    Word,
    Integer,
    Day,
}

fn kind_of(key: &str) -> Kind {
    match key {
        "strategy" | "round" | "owner" | "initiative" | "status" | "basis" => Kind::Word,
        "progress" => Kind::Integer,
        "reported_on" => Kind::Day,
        _ => Kind::Text,
    }
}

/// The cells of one sheet, row by row, in the columns looked at.
struct Sheet {
    name: &'static str,
    order: u8,
    rows: Vec<(u32, Vec<(u32, Value)>)>,
}

impl Sheet {
    fn cell(&self, row: u32, col: u32) -> CellRef {
        CellRef {
            sheet: self.name,
            sheet_order: self.order,
            row,
            col,
        }
    }
}

struct Workbook {
    path: String,
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    is_1904: bool,
}

impl Workbook {
    fn open(path: &str, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| self::damaged(Path::new(path), e))?;
        let is_1904 = xlsx.has_1904_epoch();
        Ok(Workbook {
            path: path.to_string(),
            xlsx,
            is_1904,
        })
    }

    fn file_error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::file(Path::new(&self.path), message)
    }

    /// The form's text and where each part of it came from.
    fn read_form(&mut self, archive: &Archive) -> Result<(String, CellMap), Diagnostic> {
        let names = self.xlsx.sheet_names();
        for want in [FORM_SHEET, STATUS_SHEET] {
            if !names.iter().any(|n| n == want) {
                let hint = match names.iter().find(|n| n.trim().eq_ignore_ascii_case(want)) {
                    Some(n) => format!("rename the sheet `{}` to `{want}`", excerpt(n)),
                    None => "a spreadsheet form has the sheets Skjema and Status, as `actionplan forms ROUND --format xlsx` writes them".into(),
                };
                return Err(self
                    .file_error(format!("the workbook has no sheet `{want}`"))
                    .with_hint(hint));
            }
        }
        let form = self.sheet(FORM_SHEET, 0)?;
        let status = self.sheet(STATUS_SHEET, 1)?;
        let mut out = Out::default();
        if archive.merges {
            for sheet in [&form, &status] {
                self.merged(sheet, &mut out)?;
            }
        }
        out.form(&form, self);
        out.updates(&status, self)?;
        Ok((out.text, out.cells))
    }

    /// Reads a sheet's cells, stopping at the first cell past the last row a form may have.
    fn sheet(&mut self, name: &'static str, order: u8) -> Result<Sheet, Diagnostic> {
        let path = self.path.clone();
        let is_1904 = self.is_1904;
        let damaged = |e: calamine::XlsxError| self::damaged(Path::new(&path), e);
        let mut cells = self.xlsx.worksheet_cells_reader(name).map_err(damaged)?;
        let mut sheet = Sheet {
            name,
            order,
            rows: Vec::new(),
        };
        while let Some(cell) = cells.next_cell_with_formula_metadata().map_err(damaged)? {
            let (row, col) = cell.pos;
            // Even an empty (formatted) cell past the last row stops the reading: a sheet of a
            // million formatted rows would otherwise be read to its end.
            if row >= HEADER_ROWS + MAX_ROWS {
                let at = sheet.cell(row, col);
                return Err(Diagnostic::at_cell(
                    &path,
                    at,
                    format!(
                        "the sheet goes on past row {}: a spreadsheet form holds at most {MAX_ROWS} initiatives",
                        HEADER_ROWS + MAX_ROWS
                    ),
                )
                .with_hint("delete the rows below the initiatives, or split the form in two"));
            }
            if col >= MAX_COLUMNS {
                continue;
            }
            let value = match (&cell.formula, value(&cell.value, is_1904)) {
                (Some(f), _) => Value::Formula(formula_text(f)),
                (None, Some(v)) => v,
                (None, None) => continue,
            };
            match sheet.rows.last_mut() {
                Some((r, cells)) if *r == row => cells.push((col, value)),
                _ => sheet.rows.push((row, vec![(col, value)])),
            }
        }
        // Cells come in the order the file lists them, which is row order in every file Excel
        // or LibreOffice writes; a file that lists them otherwise is read all the same.
        if !sheet.rows.is_sorted_by_key(|(r, _)| *r) {
            sheet.rows.sort_by_key(|(r, _)| *r);
            let mut merged: Vec<(u32, Vec<(u32, Value)>)> = Vec::new();
            for (r, cells) in std::mem::take(&mut sheet.rows) {
                match merged.last_mut() {
                    Some((last, to)) if *last == r => to.extend(cells),
                    _ => merged.push((r, cells)),
                }
            }
            sheet.rows = merged;
        }
        Ok(sheet)
    }

    /// Merged cells hide all but one value: each merge in a form's sheets is refused.
    fn merged(&mut self, sheet: &Sheet, out: &mut Out) -> Result<(), Diagnostic> {
        let regions = self
            .xlsx
            .merge_cells_by_sheet_name(sheet.name)
            .map_err(|e| damaged(Path::new(&self.path), e))?;
        for r in regions.iter().take(20) {
            let (first, last) = (
                sheet.cell(r.start.0, r.start.1),
                sheet.cell(r.end.0, r.end.1),
            );
            let range = format!("{}:{}", cell_name(first), cell_name(last));
            out.cells.problem(
                Diagnostic::at_cell(
                    &self.path,
                    first,
                    format!("the cells {range} are merged: each value needs a cell of its own"),
                )
                .with_hint("unmerge them (in Excel: Home → Merge & Center; in LibreOffice: Format → Merge and Unmerge Cells)"),
            );
        }
        Ok(())
    }
}

/// `C7`, a cell's name within its sheet.
fn cell_name(c: CellRef) -> String {
    let full = c.to_string();
    full.split_once('!')
        .map_or(full.clone(), |(_, n)| n.to_string())
}

fn formula_text(f: &calamine::XlsxFormulaMetadata) -> String {
    match f {
        calamine::XlsxFormulaMetadata::Normal { formula } => formula.clone(),
        calamine::XlsxFormulaMetadata::Shared { formula, .. } => formula.clone(),
        _ => String::new(),
    }
}

/// A cell's value; `None` for an empty cell.
fn value(v: &DataRef<'_>, is_1904: bool) -> Option<Value> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => Value::Day(excel_day(dt.as_f64(), is_1904)),
        // A duration (`[hh]:mm`) is a number of days, not a day.
        DataRef::DateTime(dt) => Value::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) => Value::Day(
            s.get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        ),
        DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
    })
}

/// The day of a spreadsheet's serial day number (its time of day left out).
fn excel_day(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let (y, m, d, ..) =
        ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904).to_ymd_hms_milli();
    // 1900-02-29, Excel's day that never was, is no day.
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
}

/// The TOML text being written, and the cell each part of it came from.
#[derive(Default)]
struct Out {
    text: String,
    cells: CellMap,
}

impl Out {
    fn mark(&mut self, cell: CellRef) {
        self.cells.mark(self.text.len(), cell);
    }

    /// `key = value`, the key told at `key_cell` and the value at `cell`; a cell that cannot be
    /// a TOML value is a problem of its own, and its key is left out.
    fn line(&mut self, wb: &Workbook, key: &str, key_cell: CellRef, cell: CellRef, v: &Value) {
        let Some(literal) = self.literal(wb, key, cell, v) else {
            return;
        };
        self.mark(key_cell);
        self.text.push_str(&toml_key(key));
        self.text.push_str(" = ");
        self.mark(cell);
        self.text.push_str(&literal);
        self.text.push('\n');
    }

    /// A cell as a TOML value of the kind its column holds, so that the form's rules judge
    /// what the owner meant; `None` (and a problem) for what has no TOML value.
    fn literal(&mut self, wb: &Workbook, key: &str, cell: CellRef, v: &Value) -> Option<String> {
        let kind = kind_of(key);
        let problem = |message: String, hint: &str| {
            Diagnostic::at_cell(&wb.path, cell, message).with_hint(hint)
        };
        let string = toml_string;
        Some(match v {
            Value::Formula(f) => {
                // A formula shared from another cell comes without its text.
                let shown = if f.is_empty() {
                    String::new()
                } else {
                    format!(" (={})", excerpt(f))
                };
                self.cells.problem(problem(
                    format!("`{key}` is a formula{shown}: formulas are not read"),
                    "write the value itself in the cell",
                ));
                return None;
            }
            Value::Error(e) => {
                self.cells.problem(problem(
                    format!("`{key}` shows an error ({e})"),
                    "write the value itself in the cell",
                ));
                return None;
            }
            Value::Text(s) if kind == Kind::Word => string(s.trim()),
            Value::Text(s) => string(s),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) if kind == Kind::Integer => number(*n),
            Value::Number(n) if kind == Kind::Day => {
                let hint = match excel_day(*n, wb.is_1904) {
                    Some(day) => format!(
                        "format the cell as a date (as a date, {} is {day}), or write the day as 30.11.2021",
                        number(*n)
                    ),
                    None => {
                        "write the day as 30.11.2021 or 2021-11-30, in a cell formatted as a date"
                            .into()
                    }
                };
                self.cells.problem(problem(
                    format!("`{key}` is the number {}, not a date", number(*n)),
                    &hint,
                ));
                return None;
            }
            // A number typed where text goes (a year in an answer) is that text.
            Value::Number(n) => string(&number(*n)),
            Value::Day(Some(d)) if kind == Kind::Day => d.to_string(),
            Value::Day(Some(d)) if kind == Kind::Integer => d.to_string(),
            Value::Day(Some(d)) => string(&d.to_string()),
            Value::Day(None) => {
                self.cells.problem(problem(
                    format!("`{key}` is not a day the calendar has"),
                    "write the day as 30.11.2021 or 2021-11-30",
                ));
                return None;
            }
        })
    }

    /// The `[form]` table, from the Skjema sheet's key/value rows.
    fn form(&mut self, sheet: &Sheet, wb: &Workbook) {
        self.mark(sheet.cell(0, 0));
        self.text.push_str("[form]\n");
        for (row, cells) in &sheet.rows {
            let key = cells.iter().find(|(c, _)| *c == 0).map(|(_, v)| v);
            let Some(Value::Text(key)) = key else {
                continue; // a row without a key is a note, not part of the form
            };
            let key = key.trim();
            if key.is_empty() {
                continue;
            }
            let blank = Value::Text(String::new());
            let v = cells
                .iter()
                .find(|(c, _)| *c == 1)
                .map_or(&blank, |(_, v)| v);
            // A key without a value is written `key = ""`: "not filled in", as in a blank
            // TOML form.
            self.line(wb, key, sheet.cell(*row, 0), sheet.cell(*row, 1), v);
        }
    }

    /// One `[[update]]` a Status row whose status is filled in; none at all when no status
    /// is (the workbook is then no answer, and nothing of it is loaded).
    fn updates(&mut self, sheet: &Sheet, wb: &Workbook) -> Result<(), Diagnostic> {
        let columns = self.columns(sheet, wb)?;
        let find = |key: &str| columns.iter().find(|(_, k)| k == key).map(|(c, _)| *c);
        let (Some(initiative_col), Some(status_col)) = (find("initiative"), find("status")) else {
            let missing = if find("initiative").is_none() {
                "initiative"
            } else {
                "status"
            };
            return Err(Diagnostic::at_cell(
                &wb.path,
                sheet.cell(0, 0),
                format!("the sheet Status has no column `{missing}`"),
            )
            .with_hint(format!(
                "row 1 names the columns: {}",
                STATUS_COLUMNS.join(", ")
            )));
        };
        for (row, cells) in sheet.rows.iter().filter(|(r, _)| *r >= HEADER_ROWS) {
            let status = cells.iter().find(|(c, _)| *c == status_col).map(|(_, v)| v);
            match status {
                None => continue,
                Some(Value::Text(s)) if s.trim().is_empty() => continue,
                // Refused at the cell; the row is not read without it.
                Some(v @ (Value::Formula(_) | Value::Error(_))) => {
                    let cell = sheet.cell(*row, status_col);
                    let _ = self.literal(wb, "status", cell, v);
                    continue;
                }
                Some(_) => {}
            }
            self.mark(sheet.cell(*row, initiative_col));
            self.text.push_str("\n[[update]]\n");
            for (col, v) in cells {
                let Some((_, key)) = columns.iter().find(|(c, _)| c == col) else {
                    continue;
                };
                if key == "title" {
                    continue; // shown to help the owner, not an answer
                }
                let cell = sheet.cell(*row, *col);
                self.line(wb, key, cell, cell, v);
            }
        }
        Ok(())
    }

    /// The Status sheet's columns: (column, key) from its first row. An unknown key is refused
    /// once, at its heading, as an unknown key in a TOML `[[update]]` is.
    fn columns(&mut self, sheet: &Sheet, wb: &Workbook) -> Result<Vec<(u32, String)>, Diagnostic> {
        let mut columns: Vec<(u32, String)> = Vec::new();
        let Some((0, header)) = sheet.rows.first() else {
            return Ok(columns);
        };
        for (col, v) in header {
            let Value::Text(key) = v else { continue };
            let key = key.trim();
            if key.is_empty() {
                continue;
            }
            let at = sheet.cell(0, *col);
            let known = STATUS_COLUMNS.contains(&key) || key == "basis";
            if !known {
                let hint = crate::suggest::did_you_mean(key, STATUS_COLUMNS.iter().copied())
                    .unwrap_or_else(|| format!("the columns are: {}", STATUS_COLUMNS.join(", ")));
                self.cells.problem(
                    Diagnostic::at_cell(
                        &wb.path,
                        at,
                        format!("unknown column `{}` in sheet Status", excerpt(key)),
                    )
                    .with_hint(hint),
                );
                continue;
            }
            if let Some((first, _)) = columns.iter().find(|(_, k)| k == key) {
                let first = cell_name(sheet.cell(0, *first));
                self.cells.problem(
                    Diagnostic::at_cell(&wb.path, at, format!("a second column `{key}`"))
                        .with_hint(format!("the first is {first}; keep one")),
                );
                continue;
            }
            columns.push((*col, key.to_string()));
        }
        Ok(columns)
    }
}

/// A number as TOML writes it: whole numbers without a decimal point.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        toml::Value::Float(n).to_string()
    }
}

/// A TOML basic string: `"`, `\` and control characters escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // Most cells need no escape: copied whole.
    let plain = |b: u8| b != b'"' && b != b'\\' && b != 0x7f && (b >= 0x20 || b == b'\t');
    if s.bytes().all(plain) {
        out.push_str(s);
        out.push('"');
        return out;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_ascii_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key as TOML writes it: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        key.to_string()
    } else {
        toml_string(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_days_are_days() {
        assert_eq!(
            excel_day(44530.0, false),
            NaiveDate::from_ymd_opt(2021, 11, 30)
        );
        assert_eq!(
            excel_day(44530.75, false),
            NaiveDate::from_ymd_opt(2021, 11, 30)
        );
        assert_eq!(
            excel_day(43068.0, true),
            NaiveDate::from_ymd_opt(2021, 11, 30)
        );
        assert_eq!(excel_day(60.0, false), None);
        assert_eq!(excel_day(-1.0, false), None);
        assert_eq!(excel_day(f64::NAN, false), None);
        assert_eq!(excel_day(1e300, false), None);
    }

    #[test]
    fn numbers_and_keys_are_written_as_toml_reads_them() {
        assert_eq!(number(30.0), "30");
        assert_eq!(number(30.5), "30.5");
        assert_eq!(number(1e20), "100000000000000000000.0");
        assert_eq!(toml_key("progress"), "progress");
        assert_eq!(toml_key("Fremdrift (%)"), "\"Fremdrift (%)\"");
        let odd = "«sitat» \"x\" \\ a\tb\r\nc\u{7f}\u{0}ø";
        let text = format!("v = {}\n", toml_string(odd));
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["v"].as_str(), Some(odd));
    }
}
