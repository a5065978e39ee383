//! Indicator measurements: CSV with the header `indicator,segment,year,value,source`.

use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::diagnostic::Span;
use crate::diagnostic::excerpt;
use crate::model::Measurement;
use crate::parse::reader::is_valid_id;

pub const HEADER: [&str; 5] = ["indicator", "segment", "year", "value", "source"];

/// Where each row's fields were written, for later checks.
#[derive(Debug, Clone, Default)]
pub struct RowSpans {
    pub indicator: Span,
    pub segment: Span,
    pub year: Span,
    pub value: Span,
}

pub struct ParsedMeasurements {
    pub rows: Vec<Measurement>,
    pub spans: Vec<RowSpans>,
}

/// The byte spans of a record's fields in the file (exact for unquoted fields, the field's
/// start for quoted ones).
fn field_spans(file: &SourceFile, record: &csv::StringRecord) -> Vec<Span> {
    let start = record.position().map_or(0, |p| p.byte() as usize);
    let line = file.text.get(start..).unwrap_or("");
    let line = line.split(['\n', '\r']).next().unwrap_or("");
    let mut spans = Vec::new();
    let mut offset = start;
    let mut rest = line;
    for _ in 0..record.len() {
        let len = if rest.starts_with('"') {
            // A quoted field runs to the closing quote that is not doubled.
            let mut i = 1;
            let bytes = rest.as_bytes();
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            i
        } else {
            rest.find(',').unwrap_or(rest.len())
        };
        spans.push(offset..offset + len);
        let step = (len + 1).min(rest.len());
        offset += step;
        rest = rest.get(step..).unwrap_or("");
    }
    spans
}

/// Whether a field's later lines look like measurement rows (`id,id,year,…`): what an unclosed
/// quote leaves in the field it opened. Other line breaks in a quoted source are kept.
fn holds_rows(field: &str) -> bool {
    field.lines().skip(1).any(|l| {
        let f: Vec<&str> = l.splitn(4, ',').map(str::trim).collect();
        f.len() == 4 && is_valid_id(f[0]) && is_valid_id(f[1]) && f[2].parse::<i32>().is_ok()
    })
}

/// Checks a measurement's indicator, segment and year (as a CSV row or an export gives them),
/// each problem at its field: whether both ids are valid, and the year when it is one.
pub(crate) fn ids_and_year(
    file: &SourceFile,
    [indicator, segment, (year, year_span)]: [(&str, &Span); 3],
    diags: &mut Diagnostics,
) -> (bool, Option<i32>) {
    let mut ok = true;
    for ((id, span), what) in [indicator, segment]
        .into_iter()
        .zip(["indicator", "segment"])
    {
        if !is_valid_id(id) {
            let msg = format!("`{}` is not a valid {what} id", excerpt(id));
            diags.push(file.diagnostic(span, msg));
            ok = false;
        }
    }
    let parsed = year
        .parse::<i32>()
        .ok()
        .filter(|y| (1900..=2200).contains(y));
    if parsed.is_none() {
        let msg = format!("year `{}` is not a year", excerpt(year));
        diags.push(file.diagnostic(year_span, msg));
    }
    (ok, parsed)
}

pub fn parse_measurements(file: &SourceFile) -> (Option<ParsedMeasurements>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let mut records = reader.records();
    let header_ok = match records.next() {
        Some(Ok(h)) => {
            let got: Vec<String> = h.iter().map(|c| c.trim().to_lowercase()).collect();
            got == HEADER
        }
        _ => false,
    };
    if !header_ok {
        let d = file.diagnostic(
            &(0..0),
            "a measurements CSV must start with the header `indicator,segment,year,value,source`",
        );
        diags.push(d.with_hint("add that line first; one measurement per line after it"));
        return (None, diags);
    }
    let mut parsed = ParsedMeasurements {
        rows: Vec::new(),
        spans: Vec::new(),
    };
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let offset = e.position().map_or(0, |p| p.byte() as usize);
                diags.push(file.diagnostic(&(offset..offset), format!("malformed CSV: {e}")));
                continue;
            }
        };
        let spans = field_spans(file, &record);
        let span = |i: usize| spans.get(i).cloned().unwrap_or(0..0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != HEADER.len() {
            diags.push(
                file.diagnostic(
                    &span(0),
                    format!(
                        "expected 5 fields (indicator,segment,year,value,source), found {}",
                        record.len()
                    ),
                )
                .with_hint("quote a field that contains a comma: \"IT i praksis, 2024\""),
            );
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let (mut ok, year) = ids_and_year(
            file,
            [
                (field(0), &span(0)),
                (field(1), &span(1)),
                (field(2), &span(2)),
            ],
            &mut diags,
        );
        let value = field(3)
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite());
        if value.is_none() {
            diags.push(
                file.diagnostic(
                    &span(3),
                    format!("value `{}` is not a number", excerpt(field(3))),
                )
                .with_hint("write the number alone, without % or text: 63 or 63.5"),
            );
        }
        if record.get(4).is_some_and(holds_rows) {
            // An unclosed quote swallows the rows after it into this source: refused, not lost.
            diags.push(
                file.diagnostic(
                    &span(4),
                    "the source holds what look like more rows: is a closing quote missing?",
                )
                .with_hint("close the quoted field with \" on the same line"),
            );
            ok = false;
        }
        let (Some(year), Some(value)) = (year, value) else {
            continue;
        };
        if !ok {
            continue;
        }
        parsed.spans.push(RowSpans {
            indicator: span(0),
            segment: span(1),
            year: span(2),
            value: span(3),
        });
        parsed.rows.push(Measurement {
            indicator: field(0).to_string(),
            segment: field(1).to_string(),
            year,
            value,
            source: Some(field(4).to_string()).filter(|s| !s.is_empty()),
        });
    }
    (Some(parsed), diags)
}
