//! Located messages about a user's files: `file:line:col: message`, with an optional hint. A
//! message about a JSON file (an export) names the value by JSON pointer as well:
//! `dump.json:12:15: /strategies/0/organisations/3/id: message`, the line and column first so
//! that editors jump to it.

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
    /// Where each value of a JSON file was written: its diagnostics name the value by pointer.
    json: Option<Arc<JsonIndex>>,
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
            json: None,
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
        let (line, col) = self.line_col(span.start);
        let pointer = self
            .json
            .as_ref()
            .map(|j| j.pointer_at(&self.text, span.start))
            .filter(|p| !p.is_empty());
        Diagnostic {
            path: self.path.clone(),
            line,
            col,
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
    pub line: usize,
    pub col: usize,
    /// The JSON pointer of the value, in a JSON file.
    pub pointer: Option<String>,
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
        write!(f, "{}:{}:{}: ", self.path, self.line, self.col)?;
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
        self.0
            .sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
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
