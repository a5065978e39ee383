//! Located messages about a user's files: `file:line:col: message`, with an optional hint; for
//! a spreadsheet form, `file.xlsx:Status!C7: message`. A message about a JSON file (an export)
//! names the value by JSON pointer as well: `dump.json:12:15: /strategies/0/organisations/3/id:
//! message`, the line and column first so that editors jump to it.

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::parse::json::JsonIndex;

/// A byte range in a source file.
pub type Span = Range<usize>;

/// One file's text, kept to turn byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// For a text read out of a workbook: the cell each stretch of it came from.
    cells: Option<Box<CellMap>>,
    /// Where each value of a JSON file was written: its diagnostics name the value by pointer.
    json: Option<Arc<JsonIndex>>,
}

/// A cell of a workbook: where a problem in a spreadsheet form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRef {
    pub sheet: &'static str,
    /// The sheet's place in the workbook's reading order (problems are listed in it).
    pub sheet_order: u8,
    /// 0-based, as the file stores them.
    pub row: u32,
    pub col: u32,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}!{}{}",
            self.sheet,
            column_name(self.col),
            u64::from(self.row) + 1
        )
    }
}

/// A spreadsheet's name of a 0-based column: A, B, …, Z, AA, ….
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        name.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Where the text made from a workbook came from, and what reading the workbook found.
#[derive(Debug, Clone, Default)]
pub struct CellMap {
    /// (offset, cell), in the order of the text: a byte is from the last cell starting at or
    /// before it.
    starts: Vec<(usize, CellRef)>,
    /// Problems with cells that the text cannot show (a formula, a merged cell …).
    problems: Vec<Diagnostic>,
}

impl CellMap {
    /// The text from `offset` on comes from `cell`.
    pub fn mark(&mut self, offset: usize, cell: CellRef) {
        self.starts.push((offset, cell));
    }

    pub fn problem(&mut self, d: Diagnostic) {
        self.problems.push(d);
    }

    fn cell_at(&self, offset: usize) -> Option<CellRef> {
        let i = self.starts.partition_point(|(o, _)| *o <= offset);
        self.starts.get(i.checked_sub(1)?).map(|(_, c)| *c)
    }
}

impl SourceFile {
    pub fn new(path: &Path, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.display().to_string(),
            text,
            line_starts,
            cells: None,
            json: None,
        }
    }

    /// A text read out of a workbook, with the cells it came from.
    pub fn from_workbook(path: &Path, text: String, cells: CellMap) -> Self {
        SourceFile {
            cells: Some(Box::new(cells)),
            ..SourceFile::new(path, text)
        }
    }

    /// Whether the text was read out of a workbook.
    pub fn is_workbook(&self) -> bool {
        self.cells.is_some()
    }

    /// The problems found while reading the workbook, taken out to be reported.
    pub fn take_problems(&mut self) -> Vec<Diagnostic> {
        self.cells
            .as_mut()
            .map(|c| std::mem::take(&mut c.problems))
            .unwrap_or_default()
    }

    /// Where an offset is, in words for a hint: "line 7", or "Status!A7".
    pub fn place(&self, offset: usize) -> String {
        match self.cells.as_ref().and_then(|c| c.cell_at(offset)) {
            Some(cell) => cell.to_string(),
            None => format!("line {}", self.line_col(offset).0),
        }
    }

    /// The file with its JSON values indexed (when it is JSON), so that its diagnostics say
    /// which value they are about.
    pub fn with_json_index(mut self) -> Self {
        self.json = JsonIndex::scan(&self.text).map(Arc::new);
        self
    }

    /// The index of a JSON file's values, and its text.
    pub fn json(&self) -> Option<(&JsonIndex, &str)> {
        self.json.as_deref().map(|j| (j, self.text.as_str()))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    pub fn diagnostic(&self, span: &Span, message: impl Into<String>) -> Diagnostic {
        if let Some(cell) = self.cells.as_ref().and_then(|c| c.cell_at(span.start)) {
            return Diagnostic::at_cell(&self.path, cell, message);
        }
        let (line, col) = self.line_col(span.start);
        let pointer = self
            .json
            .as_ref()
            .map(|j| j.pointer_at(&self.text, span.start))
            .filter(|p| !p.is_empty())
            .map(String::into_boxed_str);
        Diagnostic {
            path: self.path.clone(),
            line,
            col,
            cell: None,
            pointer,
            message: message.into(),
            hint: None,
        }
    }
}

/// A value as a message quotes it: whole when short, else its start and its length, so that a
/// megabyte of garbage makes one line of message, not a megabyte.
pub fn excerpt(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 80;
    if s.len() <= MAX || s.chars().count() <= MAX {
        return s.into();
    }
    let head: String = s.chars().take(60).collect();
    format!("{head}… ({} characters)", s.chars().count()).into()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    /// For a cell, its row and column, 1-based (for the order of messages).
    pub line: usize,
    pub col: usize,
    /// The cell, for a problem in a workbook: shown instead of line and column.
    pub cell: Option<Box<CellRef>>,
    /// The JSON pointer of the value, in a JSON file.
    pub pointer: Option<Box<str>>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (empty, unreadable, not UTF-8).
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.display().to_string(),
            line: 1,
            col: 1,
            cell: None,
            pointer: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem with one cell of a workbook.
    pub fn at_cell(path: &str, cell: CellRef, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: cell.row as usize + 1,
            col: cell.col as usize + 1,
            cell: Some(Box::new(cell)),
            pointer: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{}:{cell}: ", self.path)?,
            None => write!(f, "{}:{}:{}: ", self.path, self.line, self.col)?,
        }
        if let Some(pointer) = &self.pointer {
            write!(f, "{pointer}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, in file order.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn sorted(mut self) -> Self {
        // A workbook's problems sheet by sheet, each in row order.
        let key = |d: &Diagnostic| (d.cell.as_ref().map(|c| c.sheet_order), d.line, d.col);
        self.0
            .sort_by(|a, b| (&a.path, key(a)).cmp(&(&b.path, key(b))));
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "\n{n} error{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new(Path::new("a.toml"), "ab\nøæå = 1\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        let eq = f.text.find('=').unwrap();
        assert_eq!(f.line_col(eq), (2, 5));
    }

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16_383), "XFD");
        let cell = |sheet, sheet_order, row, col| CellRef {
            sheet,
            sheet_order,
            row,
            col,
        };
        let mut map = CellMap::default();
        map.mark(0, cell("Skjema", 0, 0, 0));
        map.mark(10, cell("Status", 1, 6, 2));
        let f = SourceFile::from_workbook(Path::new("f.xlsx"), "x".repeat(20), map);
        assert_eq!(
            f.diagnostic(&(12..13), "bad").to_string(),
            "f.xlsx:Status!C7: bad"
        );
        assert_eq!(f.place(3), "Skjema!A1");
        // Sheet by sheet, then row by row: Skjema's row 9 before Status's row 2.
        let d = |c| Diagnostic::at_cell("f.xlsx", c, "m");
        let sorted = Diagnostics(vec![
            d(cell("Status", 1, 1, 0)),
            d(cell("Skjema", 0, 8, 1)),
            Diagnostic::file(Path::new("f.xlsx"), "whole"),
        ])
        .sorted();
        let at: Vec<String> = sorted.0.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            at,
            [
                "f.xlsx:1:1: whole",
                "f.xlsx:Skjema!B9: m",
                "f.xlsx:Status!A2: m"
            ]
        );
    }

    #[test]
    fn a_json_file_names_the_value_by_pointer_after_line_and_column() {
        let text = "{\"a\": [\n  1,\n  \"x\"\n]}".to_string();
        let f = SourceFile::new(Path::new("d.json"), text).with_json_index();
        let at = f.text.find("\"x").unwrap();
        let d = f.diagnostic(&(at..at + 3), "bad");
        assert_eq!(d.to_string(), "d.json:3:3: /a/1: bad");
        assert_eq!(
            f.diagnostic(&(0..0), "whole").to_string(),
            "d.json:1:1: whole"
        );
        let toml = SourceFile::new(Path::new("p.toml"), "a = 1\n".into());
        assert_eq!(toml.diagnostic(&(4..5), "x").to_string(), "p.toml:1:5: x");
    }
}
