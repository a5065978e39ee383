//! `indicator list` and `indicator show`.

use std::io::Write;

use super::ListFormat;
use super::Style;
use super::quantity;
use super::write_json;
use super::write_list;
use super::write_table;
use super::write_text;
use crate::error::Result;
use crate::indicators::SegmentView;
use crate::views::indicator::IndicatorView;

const HEADER: [&str; 6] = ["segment", "latest", "change", "target", "gap", "course"];

fn course(s: &SegmentView) -> &'static str {
    match s.on_course {
        Some(true) => "on course",
        Some(false) => "off course",
        None => "",
    }
}

fn cells(v: &IndicatorView, s: &SegmentView) -> Vec<String> {
    let latest = s.latest.map_or_else(String::new, |p| {
        format!("{} ({})", quantity(p.value, &v.unit), p.year)
    });
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
        format!("{} ({})", quantity(t.value, &v.unit), t.year)
    });
    let gap = s.gap.map_or_else(String::new, |g| quantity(g, ""));
    vec![
        s.segment.clone(),
        latest,
        change,
        target,
        gap,
        course(s).to_string(),
    ]
}

/// `indicator list`: one row per indicator and segment.
pub fn indicator_list(
    views: &[IndicatorView],
    format: ListFormat,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let rows = views.iter().flat_map(|v| {
        v.segments.iter().map(|s| {
            let mut row = vec![v.id.clone()];
            row.extend(cells(v, s));
            row
        })
    });
    let mut header = vec!["indicator"];
    header.extend(HEADER);
    write_list(out, format, style, views, &header, rows)
}

/// `indicator show`: the indicator, its targets, the state per segment and the series.
pub fn indicator_show(
    v: &IndicatorView,
    format: ListFormat,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ListFormat::Json => return write_json(out, v),
        ListFormat::Csv => return indicator_list(std::slice::from_ref(v), format, style, out),
        ListFormat::Table => {}
    }
    let mut text = format!("{} ({})\n", v.title, v.id);
    text.push_str(&format!("unit: {}, better: {}", v.unit, v.better));
    if let Some(src) = &v.source {
        text.push_str(&format!(", source: {src}"));
    }
    text.push('\n');
    let targets: Vec<String> = v
        .targets
        .iter()
        .map(|t| {
            let seg = t
                .segment
                .as_deref()
                .map_or_else(String::new, |s| format!(" ({s})"));
            format!("{} by {}{seg}", quantity(t.value, &v.unit), t.year)
        })
        .collect();
    if !targets.is_empty() {
        text.push_str(&format!("targets: {}\n", targets.join(", ")));
    }
    text.push('\n');
    write_text(out, &text)?;
    write_table(out, style, &HEADER, v.segments.iter().map(|s| cells(v, s)))?;
    let series = v.segments.iter().flat_map(|s| {
        let mut prev: Option<f64> = None;
        s.series.iter().map(move |p| {
            let change = prev.map_or_else(String::new, |q| quantity(p.value - q, ""));
            prev = Some(p.value);
            vec![
                s.segment.clone(),
                p.year.to_string(),
                quantity(p.value, &v.unit),
                change,
            ]
        })
    });
    out.write_all(b"\n")?;
    write_table(out, style, &["segment", "year", "value", "change"], series)
}
