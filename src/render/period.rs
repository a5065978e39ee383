//! `period list` and `period verify`.

use std::io::Write;

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
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let rows = periods.iter().map(|p| {
        vec![
            p.period.clone(),
            p.first_day.to_string(),
            p.last_day.to_string(),
            p.closed_at.clone(),
            p.content_hash.clone(),
        ]
    });
    let header = ["period", "from", "to", "closed at", "content hash"];
    write_list(out, format, style, periods, &header, rows)
}

/// `period verify`: per closed period, whether its record is as it was at the close.
pub fn period_verify(
    checks: &[PeriodCheck],
    format: ListFormat,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let rows = checks.iter().map(|c| {
        vec![
            c.period.clone(),
            format!("{} (rule {})", short_hash(&c.recorded), c.hash_rule),
            if c.intact {
                "intact".to_string()
            } else if c.forged.is_empty() {
                format!("DIFFERS: {}", short_hash(&c.rebuilt))
            } else {
                format!("DIFFERS: {}", c.forged.join("; "))
            },
            if c.current == c.recorded {
                "unchanged".to_string()
            } else {
                short_hash(&c.current).to_string()
            },
            c.corrections_since.to_string(),
        ]
    });
    let header = [
        "period",
        "recorded hash",
        "rebuilt",
        "now",
        "corrections since",
    ];
    write_list(out, format, style, checks, &header, rows)
}
