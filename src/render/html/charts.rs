//! The SVG charts of the HTML report: initiatives by status per focus area, and each indicator
//! over the years with its target.

use maud::Markup;
use maud::html;

use super::colour;
use super::text_colour;
use crate::model::Status;
use crate::render::Lang;
use crate::report::NO_STATUS;
use crate::report::Report;

/// A horizontal stacked bar per focus area: how many initiatives in each status.
pub(super) fn status_chart(r: &Report, lang: Lang) -> Markup {
    let l = lang.labels();
    let label_w = 380;
    let bar_w = 510;
    let row_h = 26;
    let max = r
        .focus_areas
        .iter()
        .map(|f| f.totals.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = row_h * r.focus_areas.len() + 40;
    let keys: Vec<&str> = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(std::iter::once(NO_STATUS))
        .collect();
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {} {height}", label_w + bar_w + 40)) width="100%" role="img" aria-label=(l.on_track_title) {
            @for (n, fa) in r.focus_areas.iter().enumerate() {
                @let y = n * row_h;
                text x="0" y=(y + 17) { (truncate(&fa.title, 46)) }
                @for (x, w, key, count) in segments(&fa.totals, &keys, label_w, bar_w, max) {
                    rect x=(x) y=(y + 4) width=(w) height=(row_h - 8) fill=(colour(key)) {
                        title { (l.status_key(key)) ": " (count) }
                    }
                    text x=(x + w / 2) y=(y + 17) text-anchor="middle" style=(format!("fill:{}", text_colour(key))) { (count) }

                }
            }
            @let legend_y = row_h * r.focus_areas.len() + 20;
            @for (n, key) in keys.iter().enumerate() {
                rect x=(n * 110) y=(legend_y) width="12" height="12" fill=(colour(key)) {}
                text x=(n * 110 + 16) y=(legend_y + 11) { (l.status_key(key)) }
            }
        }
    }
}

const SERIES_COLOURS: [&str; 6] = [
    "#1f5fa8", "#b3261e", "#1f7a3d", "#8a4fbf", "#b26b00", "#2b8a8a",
];

/// The indicators, grouped by focus area: a line chart and a table of segments each, side by
/// side in print so that the briefing stays short.
pub(super) fn indicators(r: &Report, lang: Lang) -> Option<Markup> {
    let l = lang.labels();
    let groups = crate::render::indicator_groups(r, l);
    if groups.is_empty() {
        return None;
    }
    // One grid for all: a group per focus area would leave a row half empty at each.
    Some(html! {
        div class="indicator-grid" {
            @for (area, indicators) in &groups {
                @for (i, rows) in indicators {
                    article class="indicator" data-id=(i.id) {
                        p class="area" { (area) }
                        h4 { (i.title) }
                        (indicator_chart(i, lang))
                        table {
                            thead { tr { th { (l.segment) } th { (l.latest) } th { (l.change) } th { (l.target) } th { (l.course) } } }
                            tbody { @for row in rows { tr { td { (row[1]) } td { (row[2]) } td { (row[3]) } td { (row[4]) } td { (row[5]) } } } }
                        }
                    }
                }
            }
        }
    })
}

/// A small line chart: one line per segment, each target as a diamond, and a dashed line from
/// each segment's first measurement to its target (the trajectory "on course" is judged by).
/// Up is always better: where lower is better (a rank), the axis is turned and the caption
/// says so.
pub(crate) fn indicator_chart(i: &crate::report::IndicatorReport, lang: Lang) -> Markup {
    let l = lang.labels();
    let (w, h, left, right, top, bottom) = (420.0_f64, 190.0_f64, 44.0, 24.0, 12.0, 40.0);
    let points = i.segments.iter().flat_map(|s| s.series.iter().copied());
    let targets = i.segments.iter().filter_map(|s| s.target);
    let all: Vec<crate::indicators::Point> = points.chain(targets).collect();
    if all.is_empty() {
        return html! {};
    }
    let year_min = all.iter().map(|p| p.year).min().unwrap_or(0);
    let year_max = all
        .iter()
        .map(|p| p.year)
        .max()
        .unwrap_or(0)
        .max(year_min + 1);
    let (v_min, v_max) = if i.unit == "percent" {
        (0.0, 100.0)
    } else {
        let lo = all.iter().map(|p| p.value).fold(f64::INFINITY, f64::min);
        let hi = all
            .iter()
            .map(|p| p.value)
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.1).max(1.0);
        (lo - pad, hi + pad)
    };
    let x = |year: i32| {
        left + (w - left - right) * f64::from(year - year_min) / f64::from(year_max - year_min)
    };
    let inverted = i.better == crate::model::Better::Lower.as_str();
    let y = |v: f64| {
        let share = (v - v_min) / (v_max - v_min);
        top + (h - top - bottom) * if inverted { share } else { 1.0 - share }
    };
    let (bottom_value, top_value) = if inverted {
        (v_max, v_min)
    } else {
        (v_min, v_max)
    };
    let fmt = |v: f64| format!("{v:.1}");
    html! {
        svg class="indicator-chart" xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {w} {h}")) width="420" role="img" aria-label=(i.title) {
            line x1=(fmt(left)) y1=(fmt(y(bottom_value))) x2=(fmt(w - right)) y2=(fmt(y(bottom_value))) stroke="#999" {}
            line x1=(fmt(left)) y1=(fmt(y(top_value))) x2=(fmt(left)) y2=(fmt(y(bottom_value))) stroke="#999" {}
            @for v in [bottom_value, (v_min + v_max) / 2.0, top_value] {
                text x=(fmt(left - 4.0)) y=(fmt(y(v) + 4.0)) text-anchor="end" { (crate::render::quantity((v * 10.0).round() / 10.0, "")) }
            }
            @for year in year_min..=year_max {
                text x=(fmt(x(year))) y=(fmt(h - bottom + 14.0)) text-anchor="middle" { (year) }
            }
            @for (n, s) in i.segments.iter().enumerate() {
                @let colour = SERIES_COLOURS[n % SERIES_COLOURS.len()];
                @if let (Some(first), Some(t)) = (s.series.first(), s.target) {
                    line class="trajectory" x1=(fmt(x(first.year))) y1=(fmt(y(first.value))) x2=(fmt(x(t.year))) y2=(fmt(y(t.value))) stroke=(colour) stroke-dasharray="4 3" stroke-opacity="0.6" {}
                }
                @if s.series.len() > 1 {
                    polyline fill="none" stroke=(colour) stroke-width="2" points=(s.series.iter().map(|p| format!("{},{}", fmt(x(p.year)), fmt(y(p.value)))).collect::<Vec<_>>().join(" ")) {}
                }
                @for p in &s.series {
                    circle class="measurement" cx=(fmt(x(p.year))) cy=(fmt(y(p.value))) r="3.5" fill=(colour) {
                        title { (s.segment) " " (p.year) ": " (crate::render::quantity(p.value, &i.unit)) }
                    }
                }
                @if let Some(t) = s.target {
                    path class="target" d=(format!("M {} {} l 6 6 l -6 6 l -6 -6 z", fmt(x(t.year)), fmt(y(t.value) - 6.0))) fill="#fff" stroke=(colour) stroke-width="2" {
                        title { (l.target) " " (s.segment) " " (t.year) ": " (crate::render::quantity(t.value, &i.unit)) }
                    }
                }
                rect x=(fmt(left + n as f64 * 90.0)) y=(fmt(h - 14.0)) width="10" height="10" fill=(colour) {}
                text x=(fmt(left + 14.0 + n as f64 * 90.0)) y=(fmt(h - 5.0)) { (s.segment) }
            }
        }
        @if inverted { p class="chart-note" { (l.axis_inverted) } }
    }
}

/// The bar pieces of one focus area: (x, width, status key, count), left to right.
fn segments<'k>(
    totals: &std::collections::BTreeMap<String, usize>,
    keys: &[&'k str],
    x0: usize,
    bar_w: usize,
    max: usize,
) -> Vec<(usize, usize, &'k str, usize)> {
    let mut x = x0;
    let mut out = Vec::new();
    for key in keys {
        let count = totals.get(*key).copied().unwrap_or(0);
        if count > 0 {
            let w = count * bar_w / max;
            out.push((x, w, *key, count));
            x += w;
        }
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}
