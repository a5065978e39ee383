//! `period list` and `period verify`.

use std::io::Write;

use super::Lang;
use super::ListFormat;
use super::Style;
use super::write_list;
use crate::error::Result;
use crate::store::ClosedPeriod;
use crate::store::PeriodCheck;

/// The first 16 hex digits: enough to tell hashes apart in a table.
fn short_hash(h: &str) -> &str {
    h.get(..16).unwrap_or(h)
}

/// `period list`: the closed periods with their content hashes.
pub fn period_list(
    periods: &[ClosedPeriod],
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    // CSV keys, like JSON's, are the same in every language.
    let lang = if format == ListFormat::Table {
        lang
    } else {
        Lang::En
    };
    let w = lang.words();
    let rows = periods.iter().map(|p| {
        vec![
            p.period.clone(),
            lang.day_short(p.first_day),
            lang.day_short(p.last_day),
            p.closed_at.clone(),
            p.content_hash.clone(),
        ]
    });
    let header = [w.period, w.from, w.to, w.closed_at, w.content_hash];
    write_list(out, format, style, periods, &header, rows)
}

/// `period verify`: per closed period, whether its record is as it was at the close.
pub fn period_verify(
    checks: &[PeriodCheck],
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let lang = if format == ListFormat::Table {
        lang
    } else {
        Lang::En
    };
    let w = lang.words();
    let rows = checks.iter().map(|c| {
        vec![
            c.period.clone(),
            format!("{} ({} {})", short_hash(&c.recorded), w.rule_n, c.hash_rule),
            if c.intact {
                w.intact.to_string()
            } else if c.forged.is_empty() {
                format!("{}: {}", w.differs, short_hash(&c.rebuilt))
            } else {
                format!("{}: {}", w.differs, c.forged.join("; "))
            },
            if c.current == c.recorded {
                w.unchanged.to_string()
            } else {
                short_hash(&c.current).to_string()
            },
            c.corrections_since.to_string(),
        ]
    });
    let header = [
        w.period,
        w.recorded_hash,
        w.rebuilt,
        w.now,
        w.corrections_since,
    ];
    write_list(out, format, style, checks, &header, rows)
}
