//! The report as one self-contained, printable HTML page: inline CSS and SVG, no scripts, no
//! network. maud escapes every value, so text users wrote can never become markup.

use maud::DOCTYPE;
use maud::Markup;
use maud::PreEscaped;
use maud::html;

use super::Lang;
use super::terminal::milestone;
use super::terminal::progress;
use super::terminal::totals_line;
use super::terminal::year_ago;
use crate::model::Status;
use crate::report::FocusAreaReport;
use crate::report::NO_STATUS;
use crate::report::Report;

const CSS: &str = r#"
:root { --ink:#1d1d1f; --muted:#5b5b66; --line:#d9d9e0; --green:#1f7a3d; --amber:#b26b00; --red:#b3261e; --blue:#1f5fa8; --grey:#7a7a85; --black:#222; }
* { box-sizing: border-box; }
body { overflow-wrap: break-word; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
.meta { color: var(--muted); margin-bottom: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0 1.25rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { background: #f4f4f7; font-weight: 600; }
.id { color: var(--muted); font-size: .8rem; display: block; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; color: #fff; font-size: .8rem; white-space: nowrap; }
.s-on-track { background: var(--green); } .s-at-risk { background: var(--amber); } .s-delayed { background: var(--red); }
.s-completed { background: var(--blue); } .s-not-started { background: var(--grey); } .s-paused { background: #a39e93; }
.s-no-status { background: #e4e4ea; color: var(--ink); } .s-cancelled { background: var(--black); }
td.date, td.status-cell, td.owner, td.was { white-space: nowrap; }

p, dd, td, li { white-space: pre-line; }

.totals { font-size: 1.05rem; } .share { font-size: 1.4rem; font-weight: 600; }
.goal { background: #f7f7fa; border-left: 4px solid var(--blue); padding: .5rem .9rem; }
.answer dt { font-weight: 600; margin-top: .5rem; } .answer dd { margin: 0 0 .25rem 0; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
article.indicator { margin: 1rem 0 1.5rem; } article.indicator h4 { margin: .25rem 0; }
svg.indicator-chart { max-width: 100%; height: auto; display: block; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  section.focus-area { break-before: page; }
  h2, h3 { break-after: avoid; } tr { break-inside: avoid; }
  .status { color: #000; border: 1px solid #000; background: none !important; }
}
"#;

fn status_class(key: &str) -> String {
    format!("status s-{key}")
}

fn badge(lang: Lang, s: Option<Status>) -> Markup {
    let key = s.map_or(NO_STATUS, Status::as_str);
    html! { span class=(status_class(key)) { (lang.labels().status(s)) } }
}

/// Fill colours of the chart, in the order of `Status::ALL` then no status.
fn color(key: &str) -> &'static str {
    match key {
        "on-track" => "#1f7a3d",
        "at-risk" => "#b26b00",
        "delayed" => "#b3261e",
        "completed" => "#1f5fa8",
        "cancelled" => "#222222",
        "paused" => "#a39e93",
        "not-started" => "#7a7a85",
        _ => "#d5d5dc",
    }
}

/// Text on a bar: dark on the light "no status" bar, white elsewhere.
fn text_fill(key: &str) -> &'static str {
    if key == NO_STATUS {
        "fill:#1d1d1f"
    } else {
        "fill:#fff"
    }
}

/// A horizontal stacked bar per focus area: how many initiatives in each status.
fn status_chart(r: &Report, lang: Lang) -> Markup {
    let l = lang.labels();
    let label_w = 380;
    let bar_w = 510;
    let row_h = 26;
    let max = r
        .focus_areas
        .iter()
        .map(|f| f.initiatives.len())
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
                    rect x=(x) y=(y + 4) width=(w) height=(row_h - 8) fill=(color(key)) {
                        title { (l.status_key(key)) ": " (count) }
                    }
                    text x=(x + w / 2) y=(y + 17) text-anchor="middle" style=(text_fill(key)) { (count) }

                }
            }
            @let legend_y = row_h * r.focus_areas.len() + 20;
            @for (n, key) in keys.iter().enumerate() {
                rect x=(n * 110) y=(legend_y) width="12" height="12" fill=(color(key)) {}
                text x=(n * 110 + 16) y=(legend_y + 11) { (l.status_key(key)) }
            }
        }
    }
}

const SERIES_COLOURS: [&str; 6] = [
    "#1f5fa8", "#b3261e", "#1f7a3d", "#8a4fbf", "#b26b00", "#2b8a8a",
];

/// The indicators, grouped by focus area: a table of segments and a line chart each.
fn indicators_section(r: &Report, lang: Lang) -> Markup {
    let l = lang.labels();
    let groups = super::indicator_groups(r, l);
    html! {
        @if !groups.is_empty() {
            section id="indicators" {
                h2 { (l.indicators) }
                @for (area, indicators) in &groups {
                    h3 { (area) }
                    @for (i, rows) in indicators {
                        article class="indicator" data-id=(i.id) {
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
        }
    }
}

/// A small line chart: one line per segment, each target as a diamond, and a dashed line from
/// each segment's first measurement to its target (the trajectory "on course" is judged by).
fn indicator_chart(i: &crate::report::IndicatorReport, lang: Lang) -> Markup {
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
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - v_min) / (v_max - v_min));
    let fmt = |v: f64| format!("{v:.1}");
    html! {
        svg class="indicator-chart" xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {w} {h}")) width="420" role="img" aria-label=(i.title) {
            line x1=(fmt(left)) y1=(fmt(y(v_min))) x2=(fmt(w - right)) y2=(fmt(y(v_min))) stroke="#999" {}
            line x1=(fmt(left)) y1=(fmt(top)) x2=(fmt(left)) y2=(fmt(y(v_min))) stroke="#999" {}
            @for v in [v_min, (v_min + v_max) / 2.0, v_max] {
                text x=(fmt(left - 4.0)) y=(fmt(y(v) + 4.0)) text-anchor="end" { (super::quantity((v * 10.0).round() / 10.0, "")) }
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
                        title { (s.segment) " " (p.year) ": " (super::quantity(p.value, &i.unit)) }
                    }
                }
                @if let Some(t) = s.target {
                    path class="target" d=(format!("M {} {} l 6 6 l -6 6 l -6 -6 z", fmt(x(t.year)), fmt(y(t.value) - 6.0))) fill="#fff" stroke=(colour) stroke-width="2" {
                        title { (l.target) " " (s.segment) " " (t.year) ": " (super::quantity(t.value, &i.unit)) }
                    }
                }
                rect x=(fmt(left + n as f64 * 90.0)) y=(fmt(h - 14.0)) width="10" height="10" fill=(colour) {}
                text x=(fmt(left + 14.0 + n as f64 * 90.0)) y=(fmt(h - 5.0)) { (s.segment) }
            }
        }
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

fn focus_area(fa: &FocusAreaReport, lang: Lang) -> Markup {
    let l = lang.labels();
    html! {
        section class="focus-area" id=(format!("fa-{}", fa.id)) {
            h2 { (fa.title) }
            p class="goal" { strong { (l.goal) } " " (fa.goal) }
            @if let Some(p) = &fa.progress { p { strong { (l.progress_text) } " " (p) } }
            p class="totals" { (totals_line(l, &fa.totals, &fa.previous_totals)) }
            @if fa.initiatives.is_empty() {
                p { em { (l.no_initiatives) } }
            } @else {
                table {
                    thead { tr {
                        th { (l.initiative) } th { (l.owner) } th { (l.status) } th { (l.year_ago) }
                        th { (l.progress) } th { (l.next_milestone) } th { (l.blocked_by) } th { (l.last_update) }
                    } }
                    tbody {
                        @for i in &fa.initiatives {
                            tr data-id=(i.id) {
                                td { (i.title) span class="id" { (i.id) } }
                                td class="owner" { (i.owner_name) }
                                td class="status-cell" { (badge(lang, i.status)) }
                                td class="was" { (year_ago(l, i)) }
                                td { (progress(i)) }
                                td { (milestone(i, l)) }
                                td { (i.blocked_by.join(", ")) }
                                td class="date" { (l.opt_day_short(i.last_update)) }
                            }
                        }
                    }
                }
            }
            @if !fa.proposed.is_empty() {
                h3 { (l.proposed) }
                ul { @for p in &fa.proposed { li { (p.title) " " span class="id" { (p.id) } } } }
            }
        }
    }
}

pub fn report_html(r: &Report, lang: Lang) -> String {
    let l = lang.labels();
    let title = r
        .title
        .clone()
        .unwrap_or_else(|| format!("{} {}", l.report, r.year));
    let page = html! {
        (DOCTYPE)
        html lang=(l.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (r.strategy.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (title) }
                    p class="meta" {
                        (r.strategy.title) " · " (l.period) " " (r.strategy.period.start) "–" (r.strategy.period.end)
                        " · " (l.as_of) " " (l.day(r.as_of))
                    }
                }
                @if !r.summary.is_empty() {
                    section id="summary" { h2 { (l.summary) } ul { @for s in &r.summary { li { (s) } } } }
                }
                section id="on-track" {
                    h2 { (l.on_track_title) }
                    p class="totals" id="totals" { strong { (l.overall) ": " } (totals_line(l, &r.totals, &r.previous_totals)) }
                    @if let Some(share) = r.on_track_share { p { (l.on_track_share) ": " span class="share" { (format!("{share:.0} %")) } } }
                    (status_chart(r, lang))
                }
                @for fa in &r.focus_areas { (focus_area(fa, lang)) }
                (indicators_section(r, lang))
                section id="changes" {
                    h2 { (l.changes) }
                    @if r.changes.is_empty() { p { (l.no_changes) } }
                    ul {
                        @for (label, items) in [(l.completed, &r.changes.completed), (l.started, &r.changes.started), (l.new_in_plan, &r.changes.new_in_plan), (l.withdrawn, &r.changes.withdrawn)] {
                            @if !items.is_empty() {
                                li { strong { (label) ": " } (items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>().join("; ")) }
                            }
                        }
                        @for s in &r.changes.slipped {
                            li { strong { (l.slipped) ": " } (s.title) " " (l.day(s.from)) " → " (l.day(s.to)) }
                        }
                    }
                }
                @if !r.corrections.is_empty() {
                    section id="corrections" {
                        h2 { (l.corrections) }
                        table {
                            thead { tr { th { (l.initiative) } th { (l.reported_on) } th { (l.status) } th { (l.reason) } } }
                            tbody {
                                @for c in &r.corrections {
                                    tr { td { (c.title) span class="id" { (c.id) } } td class="date" { (l.day_short(c.reported_on)) } td class="status-cell" { (badge(lang, Some(c.status))) } td { (c.reason) } }
                                }
                            }
                        }
                    }
                }
                section id="missing" {
                    h2 { (l.missing) }
                    @if r.missing.is_empty() { p { (l.no_missing) } } @else {
                        table {
                            thead { tr { th { (l.owner) } th { (l.initiative) } th { (l.last_update) } } }
                            tbody { @for m in &r.missing { tr { td { (m.owner_name) } td { (m.title) span class="id" { (m.id) } } td class="date" { (l.opt_day_short(m.last_update)) } } } }
                        }
                    }
                }
                @for (label, id, sections) in [(l.drivers, "drivers", &r.drivers), (l.recommendations, "recommendations", &r.recommendations)] {
                    @if !sections.is_empty() {
                        section id=(id) { h2 { (label) } @for s in sections { h3 { (s.title) } p { (s.text) } } }
                    }
                }
                @if !r.advice.is_empty() {
                    section id="advice" {
                        h2 { (l.advice) }
                        table {
                            thead { tr { th { (l.recommendations) } th { (l.advice_year) } th { (l.status) } th { (l.note) } } }
                            tbody {
                                @for a in &r.advice {
                                    tr data-id=[a.id.as_deref()] {
                                        td { (a.title) }
                                        td { (a.year) }
                                        td { (l.follow_up(a.status)) }
                                        td { (a.note.as_deref().unwrap_or("")) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !r.appendix.is_empty() {
                    section id="appendix" class="focus-area" {
                        h2 { (l.appendix) }
                        @for a in &r.appendix {
                            article class="answer" {
                                h3 { (a.title) " " span class="id" { (a.id) } }
                                p class="meta" { (l.respondent) ": " (a.respondent.as_deref().unwrap_or("")) " · " (a.owner_name) " · " (l.day(a.reported_on)) }
                                dl { @for (field, answer) in &a.answers { dt { (l.question(field)) } dd { (answer) } } }
                            }
                        }
                    }
                }
                footer {
                    "actionplan · " (r.strategy.id) " · " (r.year) " · " (l.as_of) " " (l.day(r.as_of))
                    br;
                    span id="content-hash" { (super::footer(r, l)) }
                }
            }
        }
    };
    // maud escapes markup, not control characters: the page is read on terminals too.
    super::neutralise(&page.into_string()).into_owned()
}
