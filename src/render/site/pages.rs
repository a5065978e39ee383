//! The four kinds of page. Each is `main`'s content; `Cx::page` wraps it.

use std::collections::BTreeSet;

use maud::Markup;
use maud::html;

use super::At;
use super::Cx;
use super::table_box;
use crate::model::Kind;
use crate::model::Status;
use crate::render::opt_date;
use crate::render::quantity;
use crate::report::IndicatorReport;
use crate::report::NO_STATUS;
use crate::views::indicator::IndicatorView;
use crate::views::site::Ref;
use crate::views::site::SiteInitiative;
use crate::views::site::SiteOrganisation;

/// `index.html`: the strategy, how many initiatives stand where, and each focus area with its
/// goal and its initiatives' latest status and owner.
pub(super) fn index(cx: &Cx) -> String {
    let (l, s, site) = (cx.l, cx.s, cx.site);
    let period = &site.strategy.period;
    let keys = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(std::iter::once(NO_STATUS));
    let counts: Vec<(&str, usize)> = keys
        .map(|k| (k, site.totals.get(k).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let with_indicators: BTreeSet<&str> = site
        .indicators
        .iter()
        .filter_map(|i| i.focus_area.as_deref())
        .collect();
    let main = html! {
        h1 { (site.strategy.title) }
        p class="meta" {
            (l.period) " " (period.start) "–" (period.end) " · " (l.as_of) " " (site.as_of.to_string())
        }
        @if let Some(d) = &site.strategy.description { p class="lead" { (d) } }
        @if !counts.is_empty() {
            (table_box("cap-status", html! {
                table class="counts" {
                    caption id="cap-status" { (s.status_overview) }
                    thead { tr { th scope="col" { (l.status) } th scope="col" class="num" { (s.count) } } }
                    tbody {
                        @for (key, n) in &counts {
                            tr { th scope="row" { (cx.status(key.parse().ok())) } td class="num" { (n) } }
                        }
                        tr { th scope="row" { (l.total) } td class="num" { (counts.iter().map(|(_, n)| n).sum::<usize>()) } }
                    }
                }
            }))
        }
        @for f in &site.focus_areas {
            section id=(format!("fa-{}", f.id)) aria-labelledby=(format!("h-{}", f.id)) {
                h2 id=(format!("h-{}", f.id)) { (f.title) }
                p class="goal" { strong { (l.goal) } " " (f.goal) }
                @if let Some(p) = &f.progress {
                    p { strong { (l.progress_text) " (" (p.year) ")" } " " (p.text) }
                }
                @if with_indicators.contains(f.id.as_str()) {
                    p { a href=(format!("indicators.html#fa-{}", f.id)) { (s.indicators_for_area) } }
                }
                @let caption = format!("cap-{}", f.id);
                (table_box(&caption, html! {
                    table {
                        caption id=(caption) { (s.initiatives_in) ": " (f.title) }
                        thead { tr {
                            th scope="col" { (l.initiative) } th scope="col" { (l.owner) }
                            th scope="col" { (l.status) } th scope="col" { (l.last_update) }
                        } }
                        tbody {
                            @for i in f.initiatives.iter().filter_map(|id| cx.initiative(id)) {
                                tr {
                                    th scope="row" {
                                        a href=(format!("initiative/{}.html", i.id)) { (i.title) }
                                        @if i.kind != Kind::Initiative { span class="kind" { (s.kind(i.kind)) } }
                                    }
                                    td { (cx.owner_link(&i.owner, "")) }
                                    td { (cx.status(i.status)) }
                                    td class="date" { (opt_date(i.last_update)) }
                                }
                            }
                        }
                    }
                }))
            }
        }
        @if !site.organisations.is_empty() {
            h2 { (s.organisations) }
            ul class="plain" {
                @for o in &site.organisations {
                    li { a href=(format!("owner/{}.html", o.id)) { (o.name) } }
                }
            }
        }
    };
    cx.page(At::Index, &site.strategy.title, main)
}

/// `initiative/<id>.html`: everything about one initiative.
pub(super) fn initiative(cx: &Cx, i: &SiteInitiative) -> String {
    let (l, s) = (cx.l, cx.s);
    let root = "../";
    let refs = |refs: &[Ref], link: &dyn Fn(&Ref) -> Markup| {
        html! {
            @if refs.is_empty() { p { (s.none) } } @else {
                ul class="plain" { @for r in refs { li { (link(r)) } } }
            }
        }
    };
    let main = html! {
        p class="meta" {
            a href=(format!("{root}index.html#fa-{}", i.focus_area.id)) { (i.focus_area.name) }
        }
        h1 { (i.title) }
        p class="lead" {
            (cx.status(i.status))
            @if let Some(p) = i.progress { " · " (l.progress) " " (p) " %" }
            @if let Some(d) = i.last_update { " · " (l.last_update) " " span class="date" { (d.to_string()) } }
        }
        @if let Some(summary) = &i.summary { p { (summary) } }
        h2 { (s.details) }
        dl class="facts" {
            dt { (s.kind) } dd { (s.kind(i.kind)) }
            dt { (l.focus_area) } dd { a href=(format!("{root}index.html#fa-{}", i.focus_area.id)) { (i.focus_area.name) } }
            dt { (l.owner) } dd { (cx.owner_link(&i.owner, root)) }
            @if let Some(m) = &i.ministry { dt { (s.ministry) } dd { (cx.owner_link(m, root)) } }
            @if !i.participants.is_empty() {
                dt { (s.participants) }
                dd {
                    @for (n, p) in i.participants.iter().enumerate() {
                        @if n > 0 { ", " }
                        (cx.owner_link(p, root))
                    }
                }
            }
            @if let Some(d) = i.start { dt { (s.start) } dd { (d.to_string()) } }
            @if let Some(d) = i.due { dt { (s.due) } dd { (d.to_string()) } }
            @if !i.tags.is_empty() { dt { (s.tags) } dd { (i.tags.join(", ")) } }
        }
        @if let Some(d) = &i.description { h3 { (s.description) } p { (d) } }
        @if !i.milestones.is_empty() {
            h2 { (s.milestones) }
            (table_box("cap-milestones", html! {
                table {
                    caption id="cap-milestones" { (s.milestones) }
                    thead { tr { th scope="col" { (s.milestone) } th scope="col" { (s.due) } th scope="col" { (s.done) } } }
                    tbody {
                        @for m in &i.milestones {
                            tr {
                                th scope="row" { (m.title) }
                                td class="date" { (m.due.to_string()) }
                                td class="date" { (m.done.map_or_else(|| s.not_done.to_string(), |d| d.to_string())) }
                            }
                        }
                    }
                }
            }))
        }
        h2 { (s.dependencies) }
        h3 { (s.depends_on) }
        (refs(&i.depends_on, &|r| cx.initiative_link(r, root)))
        h3 { (s.needed_by) }
        (refs(&i.needed_by, &|r| cx.initiative_link(r, root)))
        h2 { (s.history) }
        @if i.history.is_empty() { p { (s.no_updates) } } @else {
            (super::timeline::timeline(cx, i))
            (table_box("cap-history", html! {
                table {
                    caption id="cap-history" { (s.history_caption) }
                    thead { tr {
                        th scope="col" { (s.date) } th scope="col" { (l.status) }
                        th scope="col" class="num" { (l.progress) } th scope="col" { (s.summary) }
                    } }
                    tbody {
                        @for h in &i.history {
                            tr {
                                th scope="row" class="date" { (h.reported_on.to_string()) }
                                td { (cx.status(Some(h.status))) }
                                td class="num" { @if let Some(p) = h.progress { (p) " %" } }
                                td {
                                    (h.summary.as_deref().unwrap_or(""))
                                    @if let Some(c) = &h.correction { " (" (s.correction) ": " (c) ")" }
                                }
                            }
                        }
                    }
                }
            }))
        }
        @if let Some(a) = &i.answers {
            h2 { (s.latest_answers) }
            p class="meta" { (s.answered_on) " " (a.reported_on.to_string()) }
            dl class="answers" {
                @for (field, answer) in &a.answers { dt { (l.question(field)) } dd { (answer) } }
            }
        }
    };
    cx.page(At::Below, &i.title, main)
}

/// `owner/<id>.html`: the initiatives an organisation owns, is the ministry for, takes part in.
pub(super) fn owner(cx: &Cx, o: &SiteOrganisation) -> String {
    let (l, s) = (cx.l, cx.s);
    let root = "../";
    let roles = [
        ("owns", s.owns, &o.owns),
        ("ministry", s.ministry_for, &o.ministry_for),
        ("part", s.takes_part_in, &o.takes_part_in),
    ];
    let main = html! {
        h1 { (o.name) }
        @if let Some(short) = &o.short { p class="meta" { (short) } }
        @for (id, label, ids) in roles {
            @if !ids.is_empty() {
                h2 { (label) }
                @let caption = format!("cap-{id}");
                (table_box(&caption, html! {
                    table {
                        caption id=(caption) { (label) " (" (ids.len()) ")" }
                        thead { tr {
                            th scope="col" { (l.initiative) } th scope="col" { (l.focus_area) }
                            th scope="col" { (l.status) } th scope="col" { (l.last_update) }
                        } }
                        tbody {
                            @for i in ids.iter().filter_map(|id| cx.initiative(id)) {
                                tr {
                                    th scope="row" { a href=(format!("{root}initiative/{}.html", i.id)) { (i.title) } }
                                    td { a href=(format!("{root}index.html#fa-{}", i.focus_area.id)) { (i.focus_area.name) } }
                                    td { (cx.status(i.status)) }
                                    td class="date" { (opt_date(i.last_update)) }
                                }
                            }
                        }
                    }
                }))
            }
        }
    };
    cx.page(At::Below, &o.name, main)
}

/// `indicators.html`: every indicator against its targets, grouped by focus area, each as a
/// chart and a table of the same figures.
pub(super) fn indicators(cx: &Cx) -> String {
    let (l, s, site) = (cx.l, cx.s, cx.site);
    let shown = |f: &str| site.focus_areas.iter().any(|a| a.id == f);
    let area_of = |i: &IndicatorView| i.focus_area.clone().filter(|f| shown(f));
    let mut groups: Vec<(Option<&str>, String, Vec<&IndicatorView>)> = site
        .focus_areas
        .iter()
        .map(|f| {
            let mine = site
                .indicators
                .iter()
                .filter(|i| area_of(i).as_deref() == Some(f.id.as_str()))
                .collect();
            (Some(f.id.as_str()), f.title.clone(), mine)
        })
        .collect();
    let rest = site
        .indicators
        .iter()
        .filter(|i| area_of(i).is_none())
        .collect();
    groups.push((None, l.other_indicators.to_string(), rest));
    groups.retain(|(_, _, mine)| !mine.is_empty());
    let main = html! {
        h1 { (l.indicators) }
        @if groups.is_empty() { p { (s.no_indicators) } }
        @for (area, title, mine) in &groups {
            @let id = area.map_or_else(|| "other".to_string(), |a| format!("fa-{a}"));
            section id=(id) aria-labelledby=(format!("h-{id}")) {
                h2 id=(format!("h-{id}")) {
                    @if let Some(a) = area { a href=(format!("index.html#fa-{a}")) { (title) } } @else { (title) }
                }
                @for i in mine { (indicator(cx, i)) }
            }
        }
    };
    cx.page(At::Indicators, l.indicators, main)
}

fn indicator(cx: &Cx, i: &IndicatorView) -> Markup {
    let s = cx.s;
    let years: BTreeSet<i32> = i
        .segments
        .iter()
        .flat_map(|g| g.series.iter().map(|p| p.year))
        .collect();
    let has_data = !years.is_empty() || i.segments.iter().any(|g| g.target.is_some());
    let unit = if i.unit == "percent" {
        s.percent
    } else {
        i.unit.as_str()
    };
    let better = if i.better == "lower" {
        s.lower_better
    } else {
        s.higher_better
    };
    html! {
        article id=(format!("ind-{}", i.id)) {
            h3 { (i.title) }
            p class="meta" {
                (s.unit) ": " (unit) " · " (better)
                @if let Some(src) = &i.source { " · " (s.source) ": " (src) }
            }
            @if !has_data { p { (s.no_measurements) } } @else {
                figure {
                    (super::super::html::indicator_chart(&chart_model(i), cx.lang))
                    figcaption { (s.chart_note) }
                }
                (table(cx, i, &years))
            }
        }
    }
}

/// The figures of an indicator's chart: a row per segment, a column per year measured, then
/// the target that applies and whether the segment is on course to it.
fn table(cx: &Cx, i: &IndicatorView, years: &BTreeSet<i32>) -> Markup {
    let (l, s) = (cx.l, cx.s);
    let caption = format!("cap-{}", i.id);
    html! {
        (table_box(&caption, html! {
            table {
                caption id=(caption) { (i.title) ": " (s.measurements) }
                thead { tr {
                    th scope="col" { (l.segment) }
                    @for y in years { th scope="col" class="num" { (y) } }
                    th scope="col" { (l.target) } th scope="col" { (l.course) }
                } }
                tbody {
                    @for g in &i.segments {
                        tr {
                            th scope="row" { (g.segment) }
                            @for y in years {
                                td class="num" {
                                    @if let Some(p) = g.series.iter().find(|p| p.year == *y) { (quantity(p.value, &i.unit)) }
                                }
                            }
                            td { @if let Some(t) = g.target { (quantity(t.value, &i.unit)) " (" (t.year) ")" } }
                            td {
                                @match g.on_course {
                                    Some(true) => (l.on_course),
                                    Some(false) => (l.off_course),
                                    None => "",
                                }
                            }
                        }
                    }
                }
            }
        }))
    }
}

/// The indicator as the report's chart takes it. The chart draws the segments alone (each
/// one's measurements and the target that applies to it), so the lists it does not read stay
/// empty.
fn chart_model(i: &IndicatorView) -> IndicatorReport {
    IndicatorReport {
        id: i.id.clone(),
        title: i.title.clone(),
        focus_area: i.focus_area.clone(),
        unit: i.unit.clone(),
        better: i.better.clone(),
        values: Vec::new(),
        targets: Vec::new(),
        segments: i.segments.clone(),
    }
}
