//! A reader over a spanned TOML document that collects every problem instead of stopping at the
//! first: unknown keys (with the nearest known one), wrong types and missing fields, each with
//! its position. serde's derive stops at the first error, which is why this exists.

use std::str::FromStr;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::DeTable;
use toml::de::DeValue;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::diagnostic::Span;
use crate::diagnostic::excerpt;
use crate::suggest::did_you_mean;

use super::pieces;
use super::pieces::Layout;

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Loc<T> {
    pub value: T,
    pub span: Span,
}

pub(crate) struct Reader<'a> {
    pub file: &'a SourceFile,
    pub diags: Diagnostics,
    /// The big array of tables cut out of the document, read one piece at a time.
    layout: Option<Layout>,
    /// A piece was not valid TOML alone: the file must be read whole.
    pub pieces_failed: bool,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a SourceFile) -> Self {
        Reader {
            file,
            diags: Diagnostics::default(),
            layout: None,
            pieces_failed: false,
        }
    }

    /// A reader of a document whose array `layout.key` was cut out of its root.
    pub fn in_pieces(file: &'a SourceFile, layout: Layout) -> Self {
        Reader {
            layout: Some(layout),
            ..Reader::new(file)
        }
    }

    /// Each table of the top-level array `key`, in order, handed to `visit` with its span: from
    /// the pieces when the array was cut out, else from `top`. A piece that does not parse
    /// alone stops the walk and marks the reader (`pieces_failed`).
    pub fn each_top_table(
        &mut self,
        top: &Fields<'_, '_>,
        key: &str,
        mut visit: impl FnMut(&mut Reader<'a>, &DeTable<'_>, Span),
    ) {
        if let Some(layout) = self.layout.take_if(|l| l.key == key) {
            let text: &'a str = &self.file.text;
            for piece in &layout.pieces {
                let Some(table) = pieces::parse_piece(text, piece, key) else {
                    self.pieces_failed = true;
                    break;
                };
                visit(self, table.get_ref(), table.span());
            }
            self.layout = Some(layout);
            return;
        }
        for (table, span) in top.tables(self, key) {
            visit(self, table, span);
        }
    }

    /// How many tables [`Reader::each_top_table`] would visit (quietly: no problem reported).
    pub fn top_table_count(&self, top: &Fields<'_, '_>, key: &str) -> usize {
        match &self.layout {
            Some(layout) if layout.key == key => layout.pieces.len(),
            _ => top.get(key).map_or(0, |v| {
                v.get_ref().as_array().map_or(0, |items| {
                    items.iter().filter(|i| i.get_ref().is_table()).count()
                })
            }),
        }
    }

    pub fn error(&mut self, span: &Span, message: impl Into<String>, hint: Option<String>) {
        let d = self.file.diagnostic(span, message).with_hint_opt(hint);
        self.diags.push(d);
    }

    /// Opens a table, reporting each key not in `allowed`.
    pub fn fields<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        span: Span,
        what: &str,
        allowed: &[&str],
    ) -> Fields<'t, 'i> {
        // Name the item in messages by its id when it has one: "[[initiative]] `nett`".
        let id = table
            .iter()
            .find(|(k, _)| k.get_ref() == "id")
            .and_then(|(_, v)| v.get_ref().as_str())
            .filter(|id| is_valid_id(id));
        let what = match id {
            Some(id) => format!("{what} `{id}`"),
            None => what.to_string(),
        };
        let mut misspelt = Vec::new();
        for key in table.keys() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                let near = crate::suggest::closest(key.get_ref(), allowed.iter().copied());
                let hint = match near {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("the keys of {what} are: {}", allowed.join(", ")),
                };
                misspelt.extend(near.map(str::to_string));
                self.error(
                    &key.span(),
                    format!("unknown key `{}` in {what}", key.get_ref()),
                    Some(hint),
                );
            }
        }
        Fields {
            table,
            span,
            what,
            misspelt,
        }
    }
}

pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    pub span: Span,
    pub what: String,
    /// Keys an unknown key was taken for: not reported again as missing.
    misspelt: Vec<String>,
}

/// The TOML type name of a value, for "expected X, found Y" messages.
fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// What to write instead of a number a person wrote as text or with decimals: `"30 %"`,
/// `"30"`, `30.0` → "write 30".
fn integer_hint(v: &DeValue<'_>) -> Option<String> {
    match v {
        DeValue::String(s) => {
            let digits = s.trim().trim_end_matches('%').trim();
            let n: i64 = digits.parse().ok()?;
            Some(format!("write {n}: a plain number, without quotes or %"))
        }
        DeValue::Float(f) => {
            let x: f64 = f.as_str().replace('_', "").parse().ok()?;
            if !x.is_finite() || x.abs() > 1e15 {
                return None;
            }
            if x.fract() == 0.0 {
                Some(format!("write {x:.0}: a whole number"))
            } else {
                Some(format!(
                    "write {} or {}: a whole number",
                    x.floor(),
                    x.ceil()
                ))
            }
        }
        _ => None,
    }
}

/// A day written `2021-11-30` or, as Norwegians write it, `30.11.2021` (a four-digit year).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let mut parts = s.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !short(d) || !short(m) || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

pub(crate) fn parse_int(v: &DeValue<'_>) -> Option<i64> {
    let i = v.as_integer()?;
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

/// Checks the shape of an id: a slug of a-z, 0-9 and '-', starting with a letter or digit.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// A suggestion for a malformed id: lowercase, ASCII, words joined by '-'.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let c = match c {
            'æ' => "ae".to_string(),
            'ø' => "o".to_string(),
            'å' => "a".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_string(),
        };
        out.push_str(&c);
    }
    out.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

impl<'t, 'i> Fields<'t, 'i> {
    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn missing(&self, r: &mut Reader<'_>, key: &str, example: &str) {
        if self.misspelt.iter().any(|k| k == key) {
            return;
        }
        r.error(
            &self.span,
            format!("{} is missing the required key `{key}`", self.what),
            Some(format!("add `{key} = {example}`")),
        );
    }

    fn wrong_type(&self, r: &mut Reader<'_>, key: &str, v: &Spanned<DeValue<'_>>, expected: &str) {
        r.error(
            &v.span(),
            format!(
                "`{key}` in {} must be {expected}, found {}",
                self.what,
                type_name(v.get_ref())
            ),
            None,
        );
    }

    pub fn string(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Loc {
                value: s.to_string(),
                span: v.span(),
            }),
            _ => {
                self.wrong_type(r, key, v, "a string");
                None
            }
        }
    }

    /// A required string that is not blank.
    pub fn req_string(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<String>> {
        if !self.has(key) {
            self.missing(r, key, "\"…\"");
            return None;
        }
        let s = self.string(r, key)?;
        if s.value.trim().is_empty() {
            r.error(
                &s.span,
                format!("`{key}` in {} must not be empty", self.what),
                None,
            );
            return None;
        }
        Some(s)
    }

    /// An optional text: a blank one counts as absent.
    pub fn text(&self, r: &mut Reader<'_>, key: &str) -> Option<String> {
        self.string(r, key)
            .map(|s| s.value)
            .filter(|s| !s.trim().is_empty())
    }

    fn check_id(&self, r: &mut Reader<'_>, key: &str, s: Loc<String>) -> Option<Loc<String>> {
        if is_valid_id(&s.value) {
            return Some(s);
        }
        let fix = slugify(&s.value);
        let hint = if fix.is_empty() {
            "ids use only a-z, 0-9 and '-'".to_string()
        } else if fix.len() > 64 {
            "ids use only a-z, 0-9 and '-', at most 64 of them".to_string()
        } else {
            format!("ids use only a-z, 0-9 and '-': try `{fix}`")
        };
        r.error(
            &s.span,
            format!("`{key}` \"{}\" is not a valid id", excerpt(&s.value)),
            Some(hint),
        );
        None
    }

    pub fn req_id(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<String>> {
        if !self.has(key) {
            self.missing(r, key, "\"an-id\"");
            return None;
        }
        let s = self.string(r, key)?;
        self.check_id(r, key, s)
    }

    pub fn id(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<String>> {
        let s = self.string(r, key)?;
        self.check_id(r, key, s)
    }

    pub fn id_list(&self, r: &mut Reader<'_>, key: &str) -> Vec<Loc<String>> {
        self.string_list(r, key)
            .into_iter()
            .filter_map(|s| self.check_id(r, key, s))
            .collect()
    }

    pub fn string_list(&self, r: &mut Reader<'_>, key: &str) -> Vec<Loc<String>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(r, key, v, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(Loc {
                    value: s.to_string(),
                    span: item.span(),
                }),
                other => r.error(
                    &item.span(),
                    format!(
                        "`{key}` in {} must list strings, found {}",
                        self.what,
                        type_name(other)
                    ),
                    None,
                ),
            }
        }
        out
    }

    pub fn date(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<NaiveDate>> {
        let v = self.get(key)?;
        let date = match v.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|d| {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                })
            }
            DeValue::String(s) => parse_day(s),
            _ => None,
        };
        // In a workbook the day goes in a cell, not after `key =`.
        let workbook = r.file.is_workbook();
        if let DeValue::String(s) = v.get_ref()
            && s.trim().is_empty()
        {
            let hint = if workbook {
                "write the day in the cell, e.g. 30.11.2020".to_string()
            } else {
                format!(
                    "write the day as `{key} = 2020-11-30` (YYYY-MM-DD) or `{key} = \"30.11.2020\"`"
                )
            };
            r.error(
                &v.span(),
                format!("`{key}` in {} is not filled in", self.what),
                Some(hint),
            );
            return None;
        }
        if date.is_none() {
            let found = match v.get_ref() {
                DeValue::Datetime(_) => "a date with a time",
                DeValue::String(_) => "a string that is not a date",
                other => type_name(other),
            };
            r.error(
                &v.span(),
                format!("`{key}` in {} must be a date, found {found}", self.what),
                Some(if workbook {
                    "write the day as 30.09.2020 or 2020-09-30, in a cell formatted as a date"
                        .to_string()
                } else {
                    format!(
                        "write it as `{key} = 2020-09-30` (YYYY-MM-DD) or `{key} = \"30.09.2020\"`"
                    )
                }),
            );
        }
        date.map(|value| Loc {
            value,
            span: v.span(),
        })
    }

    pub fn req_date(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<NaiveDate>> {
        if !self.has(key) {
            self.missing(r, key, "2020-12-31");
            return None;
        }
        self.date(r, key)
    }

    pub fn int(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<i64>> {
        let v = self.get(key)?;
        match parse_int(v.get_ref()) {
            Some(value) => Some(Loc {
                value,
                span: v.span(),
            }),
            None if v.get_ref().as_integer().is_some() => {
                r.error(
                    &v.span(),
                    format!("`{key}` in {} is too large a number", self.what),
                    None,
                );
                None
            }
            None => {
                r.error(
                    &v.span(),
                    format!(
                        "`{key}` in {} must be an integer, found {}",
                        self.what,
                        type_name(v.get_ref())
                    ),
                    integer_hint(v.get_ref()),
                );
                None
            }
        }
    }

    pub fn req_int(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<i64>> {
        if !self.has(key) {
            self.missing(r, key, "2020");
            return None;
        }
        self.int(r, key)
    }

    pub fn number(&self, r: &mut Reader<'_>, key: &str) -> Option<Loc<f64>> {
        let v = self.get(key)?;
        let n = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            other => parse_int(other).map(|i| i as f64),
        };
        match n.filter(|n| n.is_finite()) {
            Some(value) => Some(Loc {
                value,
                span: v.span(),
            }),
            None => {
                self.wrong_type(r, key, v, "a finite number");
                None
            }
        }
    }

    /// A word from a closed set (status, kind, unit …), with the accepted words in the hint.
    pub fn word<T: FromStr>(
        &self,
        r: &mut Reader<'_>,
        key: &str,
        words: &[&str],
    ) -> Option<Loc<T>> {
        let s = self.string(r, key)?;
        if let Ok(value) = s.value.parse::<T>() {
            return Some(Loc {
                value,
                span: s.span,
            });
        }
        let hint = did_you_mean(&s.value, words.iter().copied())
            .map(|h| format!("{h} (accepted: {})", words.join(", ")))
            .unwrap_or_else(|| format!("accepted: {}", words.join(", ")));
        r.error(
            &s.span,
            format!("unknown {key} `{}` in {}", excerpt(&s.value), self.what),
            Some(hint),
        );
        None
    }

    /// An array of tables (`[[x]]` or `x = [{…}]`), each with its span.
    pub fn tables(&self, r: &mut Reader<'_>, key: &str) -> Vec<(&'t DeTable<'i>, Span)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(r, key, v, "an array of tables");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref().as_table() {
                Some(t) => out.push((t, item.span())),
                None => r.error(
                    &item.span(),
                    format!(
                        "`{key}` in {} must hold tables, found {}",
                        self.what,
                        type_name(item.get_ref())
                    ),
                    None,
                ),
            }
        }
        out
    }

    pub fn table(&self, r: &mut Reader<'_>, key: &str) -> Option<(&'t DeTable<'i>, Span)> {
        let v = self.get(key)?;
        match v.get_ref().as_table() {
            Some(t) => Some((t, v.span())),
            None => {
                self.wrong_type(r, key, v, "a table");
                None
            }
        }
    }
}

/// Parses a whole document; syntax errors become diagnostics (all of them the parser recovers).
pub(crate) fn parse_document<'i>(
    file: &SourceFile,
    text: &'i str,
) -> Result<Spanned<DeTable<'i>>, Diagnostics> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Ok(doc);
    }
    let mut diags = Diagnostics::default();
    let mut hinted = Vec::new();
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let d = file.diagnostic(&span, format!("invalid TOML: {}", e.message().trim()));
        // One hint a line: the parser may report a bare value more than once.
        let hint = (!hinted.contains(&d.line))
            .then(|| syntax_hint(line_at(text, span.start)))
            .flatten();
        if hint.is_some() {
            hinted.push(d.line);
        }
        diags.push(d.with_hint_opt(hint));
    }
    Err(diags)
}

/// The line of `text` that holds byte `offset`.
fn line_at(text: &str, offset: usize) -> &str {
    // Bytes, not chars: an error's offset need not fall on a character boundary.
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| offset + i);
    text.get(start..end).unwrap_or("")
}

/// What to write instead, for a value a person writes but TOML does not read: a day written
/// `03.12.2021`, a percentage `30 %`, a word without quotes.
fn syntax_hint(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    let value = value.split_once('#').map_or(value, |(v, _)| v).trim();
    if key.is_empty() || key.contains(['[', '"', '\'']) || value.is_empty() {
        return None;
    }
    if let Some(day) = parse_day(value) {
        return Some(format!(
            "write the day as `{key} = {day}` or, in quotes, `{key} = \"{value}\"`"
        ));
    }
    if let Some(n) = value
        .strip_suffix('%')
        .and_then(|n| n.trim().parse::<i64>().ok())
    {
        return Some(format!("write `{key} = {n}`: a plain number, without %"));
    }
    let word = value
        .chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == '_' || c == ' ');
    if word && value.chars().count() <= 40 {
        return Some(format!("text goes in quotes: `{key} = \"{value}\"`"));
    }
    None
}

/// A diagnostic for a whole file, used where no span exists.
pub(crate) fn file_error(file: &SourceFile, message: impl Into<String>) -> Diagnostic {
    file.diagnostic(&(0..0), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs() {
        assert!(is_valid_id("ressurssenter-data"));
        assert!(is_valid_id("ki-2025"));
        assert!(!is_valid_id("Ressurs"));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
        assert_eq!(slugify("Økt deling av data"), "okt-deling-av-data");
    }

    #[test]
    fn days_are_read_iso_or_norwegian() {
        let d = NaiveDate::from_ymd_opt(2021, 11, 30);
        assert_eq!(parse_day("2021-11-30"), d);
        assert_eq!(parse_day(" 30.11.2021 "), d);
        assert_eq!(parse_day("3.1.2021"), NaiveDate::from_ymd_opt(2021, 1, 3));
        for bad in [
            "30.11.21",
            "31.11.2021",
            "30.11.2021.",
            "30/11/2021",
            "",
            "1.2.3",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn near_misses_get_a_hint() {
        let hint = |line: &str| syntax_hint(line).unwrap_or_default();
        assert!(hint("reported_on = 03.12.2021").contains("`reported_on = 2021-12-03`"));
        assert!(hint("reported_on = 03.12.2021").contains("\"03.12.2021\""));
        assert!(hint("progress = 30 %  # comment").contains("`progress = 30`"));
        assert!(hint("status = i rute").contains("`status = \"i rute\"`"));
        assert_eq!(syntax_hint("[[update]]"), None);
        assert_eq!(syntax_hint("x = [1, 2"), None);
    }
}
