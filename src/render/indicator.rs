//! `indicator list` and `indicator show`.

use std::io::Write;

use super::Lang;
use super::ListFormat;
use super::Style;
use super::Words;
use super::quantity;
use super::write_json;
use super::write_list;
use super::write_table;
use super::write_text;
use crate::error::Result;
use crate::indicators::SegmentView;
use crate::views::indicator::IndicatorView;

fn header(w: &Words) -> [&'static str; 6] {
    [w.segment, w.latest, w.change, w.target, w.gap, w.course]
}

fn course(s: &SegmentView, w: &Words) -> &'static str {
    match s.on_course {
        Some(true) => w.on_course,
        Some(false) => w.off_course,
        None => "",
    }
}

fn cells(v: &IndicatorView, s: &SegmentView, w: &Words) -> Vec<String> {
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
        course(s, w).to_string(),
    ]
}

/// `indicator list`: one row per indicator and segment.
pub fn indicator_list(
    views: &[IndicatorView],
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    // CSV keys, like JSON's, are the same in every language.
    let w = if format == ListFormat::Table {
        lang
    } else {
        Lang::En
    }
    .words();
    let rows = views.iter().flat_map(|v| {
        v.segments.iter().map(|s| {
            let mut row = vec![v.id.clone()];
            row.extend(cells(v, s, w));
            row
        })
    });
    let mut columns = vec![w.indicator];
    columns.extend(header(w));
    write_list(out, format, style, views, &columns, rows)
}

/// `indicator show`: the indicator, its targets, the state per segment and the series.
pub fn indicator_show(
    v: &IndicatorView,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ListFormat::Json => return write_json(out, v),
        ListFormat::Csv => {
            return indicator_list(std::slice::from_ref(v), format, lang, style, out);
        }
        ListFormat::Table => {}
    }
    let w = lang.words();
    let mut text = format!("{} ({})\n", v.title, v.id);
    text.push_str(&match lang {
        Lang::En => format!("unit: {}, better: {}", v.unit, v.better),
        Lang::Nb => format!(
            "{}: {}, {}",
            w.unit_label,
            w.unit(&v.unit),
            w.better(&v.better)
        ),
    });
    if let Some(src) = &v.source {
        text.push_str(&format!(", {}: {src}", w.source));
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
            format!(
                "{} {} {}{seg}",
                quantity(t.value, &v.unit),
                w.by_year,
                t.year
            )
        })
        .collect();
    if !targets.is_empty() {
        text.push_str(&format!("{}: {}\n", w.targets, targets.join(", ")));
    }
    text.push('\n');
    write_text(out, &text)?;
    let rows = v.segments.iter().map(|s| cells(v, s, w));
    write_table(out, style, &header(w), rows)?;
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
    write_table(out, style, &[w.segment, w.year, w.value, w.change], series)
}
