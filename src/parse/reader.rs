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

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Loc<T> {
    pub value: T,
    pub span: Span,
}

pub(crate) struct Reader<'a> {
    pub file: &'a SourceFile,
    pub diags: Diagnostics,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a SourceFile) -> Self {
        Reader {
            file,
            diags: Diagnostics::default(),
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
            DeValue::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            _ => None,
        };
        if let DeValue::String(s) = v.get_ref()
            && s.trim().is_empty()
        {
            r.error(
                &v.span(),
                format!("`{key}` in {} is not filled in", self.what),
                Some(format!(
                    "write the day as `{key} = 2020-11-30` (YYYY-MM-DD)"
                )),
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
                Some(format!("write it as `{key} = 2020-09-30` (YYYY-MM-DD)")),
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
                self.wrong_type(r, key, v, "an integer");
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
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        diags.push(file.diagnostic(&span, format!("invalid TOML: {}", e.message().trim())));
    }
    Err(diags)
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
}
