//! The report as one self-contained, printable HTML page: inline CSS and SVG, no scripts, no
//! network. maud escapes every value, so text users wrote can never become markup.
//!
//! Printed, it is a briefing book: a cover with the contents, the briefing (summary, what needs
//! attention, what Skate is asked to decide, the focus areas, the goals and indicators), then
//! the details and the appendix, each from a new page; page numbers in the footer.

mod charts;

pub(crate) use charts::indicator_chart;

use std::io;

use maud::DOCTYPE;
use maud::Markup;
use maud::PreEscaped;
use maud::html;

use super::Labels;
use super::Lang;
use super::document;
use super::document::Entry;
use super::document::Grid;
use crate::model::Status;
use crate::report::FocusAreaReport;
use crate::report::InitiativeRow;
use crate::report::NO_STATUS;
use crate::report::Report;

const CSS: &str = include_str!("report.css");

/// A status's colour, as the badges, the chart and its legend show it. Each passes WCAG AA
/// (4.5:1) against the text colour [`text_colour`] gives it.
pub(crate) fn colour(key: &str) -> &'static str {
    match key {
        "on-track" => "#1f7a3d",
        "at-risk" => "#9a5d00",
        "delayed" => "#b3261e",
        "completed" => "#1f5fa8",
        "cancelled" => "#222222",
        "paused" => "#6b665c",
        "not-started" => "#5f5f6a",
        _ => "#e4e4ea",
    }
}

/// Dark text on the light "no status", white on every other status colour.
fn text_colour(key: &str) -> &'static str {
    if key == NO_STATUS { "#1d1d1f" } else { "#fff" }
}

/// The badge classes, one per status, from the one palette.
fn status_css() -> String {
    Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(std::iter::once(NO_STATUS))
        .map(|key| {
            format!(
                ".s-{key} {{ background: {}; color: {}; }}\n",
                colour(key),
                text_colour(key)
            )
        })
        .collect()
}

/// A status badge: the colour and, always, the word.
fn badge(l: &Labels, s: Option<Status>) -> Markup {
    let key = s.map_or(NO_STATUS, Status::as_str);
    html! { span class=(format!("status s-{key}")) { (l.status(s)) } }
}

/// A section of the page: its anchor, its heading and its body.
struct Part<'r> {
    id: String,
    class: &'static str,
    title: String,
    body: Body<'r>,
}

/// A part's body: made at once, or only when the part is written (a focus area's tables), or
/// made and written piece by piece (the appendix's answers): nearly all of a national report,
/// so that the page is never held whole.
enum Body<'r> {
    Made(Markup),
    Later(Box<dyn Fn() -> Markup + 'r>),
    Pieces(Box<InPieces<'r>>),
}

/// Where a part in pieces writes each piece.
type Writer<'w> = dyn FnMut(Markup) -> io::Result<()> + 'w;
/// A body that hands its pieces to a [`Writer`], one after the other.
type InPieces<'r> = dyn Fn(&mut Writer<'_>) -> io::Result<()> + 'r;

/// Where a part's pieces go in its section.
const PIECES_HERE: &str = "<!--pieces-->";

impl<'r> Part<'r> {
    fn new(id: &str, title: &str, body: Markup) -> Part<'r> {
        Part {
            id: id.to_string(),
            class: "",
            title: title.to_string(),
            body: Body::Made(body),
        }
    }

    fn section(&self, body: &Markup) -> Markup {
        html! {
            section id=(self.id) class=[(!self.class.is_empty()).then_some(self.class)] {
                h2 { (self.title) }
                (body)
            }
        }
    }

    /// The part's section, handed to `write` in one piece or, for a body in pieces, several.
    fn write(&self, write: &mut dyn FnMut(&str) -> io::Result<()>) -> io::Result<()> {
        match &self.body {
            Body::Made(body) => write(&self.section(body).into_string()),
            Body::Later(make) => write(&self.section(&make()).into_string()),
            Body::Pieces(each) => {
                let frame = self.section(&PreEscaped(PIECES_HERE.to_string()));
                let frame = frame.into_string();
                let (before, after) = frame.split_once(PIECES_HERE).unwrap_or((&frame, ""));
                write(before)?;
                each(&mut |piece| write(&piece.into_string()))?;
                write(after)
            }
        }
    }
}

fn grid(l: &Labels, g: &Grid) -> Markup {
    html! {
        table {
            thead { tr { @for h in &g.header { th { (h) } } } }
            tbody {
                @for row in &g.rows {
                    tr {
                        @for c in row {
                            @match c.status {
                                Some(s) => td class="status-cell" { (badge(l, Some(s))) },
                                None => td { (c.text) },
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Entries as a list of cards: title, status badge, facts, who waits, the owner's words.
fn entries(l: &Labels, list: &[Entry]) -> Markup {
    html! {
        ol class="entries" {
            @for e in list {
                li data-id=(e.id) {
                    span class="entry-title" { (e.title) } " "
                    (badge(l, e.status))
                    @if !e.status_notes.is_empty() {
                        " " span class="inferred" { "(" (e.status_notes.join("; ")) ")" }
                    }
                    p class="facts" { (e.facts.join(" · ")) }
                    @for (label, text) in &e.lines { p class="waiting" { strong { (label) ": " } (text) } }
                    @if let Some(q) = &e.quote { blockquote { (q) } }
                }
            }
        }
    }
}

fn cover(r: &Report, l: &Labels, contents: &Markup) -> Markup {
    html! {
        header class="cover" id="cover" {
            p class="kicker" { (r.strategy.title) }
            h1 { (document::title(r, l)) }
            dl class="cover-facts" {
                dt { (l.strategy) } dd { (r.strategy.title) " (" (r.strategy.id) ")" }
                dt { (l.period) } dd { (r.strategy.period.start) "–" (r.strategy.period.end) }
                dt { (l.as_of) } dd { (l.day(r.as_of)) }
                @if let Some(t) = &r.known_at { dt { (l.known_at) } dd { (t) } }
                dt { (l.content_hash) } dd class="hash" { (r.content_hash) }
            }
            (contents)
        }
    }
}

fn contents(l: &Labels, briefing: &[Part], details: &[Part], appendix: &Option<Part>) -> Markup {
    let first = |parts: &[Part]| parts.first().map(|p| format!("#{}", p.id));
    html! {
        nav class="contents" aria-label=(l.contents) {
            h2 { (l.contents) }
            ol {
                li { a href=[first(briefing)] { (l.briefing) } ol { @for p in briefing { li { a href=(format!("#{}", p.id)) { (p.title) } } } } }
                li { a href=[first(details)] { (l.details) } ol { @for p in details { li { a href=(format!("#{}", p.id)) { (p.title) } } } } }
                @if let Some(a) = appendix { li { a href=(format!("#{}", a.id)) { (a.title) } } }
            }
        }
    }
}

fn on_track(r: &Report, lang: Lang) -> Part<'static> {
    let l = lang.labels();
    let body = html! {
        p class="totals" id="totals" { strong { (l.overall) ": " } (document::totals_line(l, &r.totals, &r.previous_totals)) }
        @if let Some(share) = r.on_track_share { p { (l.on_track_share) ": " span class="share" { (format!("{share:.0} %")) } } }
        @if r.supporting_totals.values().any(|n| *n > 0) {
            p id="supporting-totals" { (l.supporting_apart) ": " (document::totals_line(l, &r.supporting_totals, &r.supporting_totals)) }
        }
        (charts::status_chart(r, lang))
        (grid(l, &document::overview(r, l)))
    };
    Part::new("on-track", l.on_track_title, body)
}

fn attention(r: &Report, l: &Labels) -> Part<'static> {
    let list: Vec<Entry> = r
        .attention
        .iter()
        .map(|a| document::attention_entry(l, a))
        .collect();
    let body = html! {
        @if list.is_empty() { p { (l.no_attention) } } @else {
            p { (l.attention_lead) }
            (entries(l, &list))
        }
    };
    Part::new("attention", l.attention, body)
}

fn decisions(r: &Report, l: &Labels) -> Option<Part<'static>> {
    if r.decisions.is_empty() {
        return None;
    }
    let body = html! {
        ol class="decisions" {
            @for d in &r.decisions {
                li data-id=[d.id.as_deref()] { strong { (d.title) } p { (d.text) } }
            }
        }
    };
    Some(Part::new("decisions", l.decisions, body))
}

/// Initiatives as table rows, each with its owner's summary in a row under it.
fn initiative_table(l: &Labels, rows: &[&InitiativeRow]) -> Markup {
    html! {
        table class="initiatives" {
            thead { tr {
                th { (l.initiative) } th { (l.owner) } th { (l.status) } th { (l.due_date) }
                th { (l.progress) } th { (l.next_milestone) } th { (l.blocked_by) } th { (l.last_update) }
            } }
            tbody {
                @for i in rows {
                    tr data-id=(i.id) class=[i.summary.is_some().then_some("has-summary")] {
                        td { (i.title) span class="id" { (i.id) } }
                        td class="owner" { (i.owner_name) }
                        td class="status-cell" {
                            (badge(l, i.status))
                            @if i.basis == Some(crate::model::Basis::Inferred) { span class="was inferred" { (l.inferred) } }
                            @if let Some(before) = i.previous_status.filter(|b| Some(*b) != i.status) { span class="was" { (l.was) ": " (l.status(Some(before))) } }
                        }
                        td class="date" {
                            (l.opt_day_short(i.due))
                            @if i.overdue { br; span class="overdue" { (l.overdue) } }
                        }
                        td { (i.progress.map_or_else(String::new, |p| format!("{p} %"))) }
                        td { @if let Some(m) = &i.next_milestone { (m.title) " (" (l.day_short(m.due)) ")" } }
                        td { @if !document::is_done(i.status) { (document::named_few(l, &i.blockers, i.blocked_by.len())) } }
                        td class="date" { (l.opt_day_short(i.last_update)) }
                    }
                    @if let Some(s) = &i.summary {
                        tr class="summary-row" { td colspan="8" { blockquote { (s) } } }
                    }
                }
            }
        }
    }
}

fn focus_area<'r>(fa: &'r FocusAreaReport, l: &'r Labels) -> Part<'r> {
    Part {
        id: format!("fa-{}", fa.id),
        class: "focus-area",
        title: fa.title.clone(),
        body: Body::Later(Box::new(move || focus_area_body(fa, l))),
    }
}

fn focus_area_body(fa: &FocusAreaReport, l: &Labels) -> Markup {
    let (own, supporting): (Vec<&InitiativeRow>, Vec<&InitiativeRow>) =
        fa.initiatives.iter().partition(|i| i.is_plan_own());
    html! {
        p class="goal" { strong { (l.goal) } " " (fa.goal) }
        @if let Some(p) = &fa.progress { p { strong { (l.progress_text) } " " (p) } }
        @if let Some(a) = fa.assessment { p class="assessment" { strong { (l.assessment) ": " } (l.assessment(a)) } }
        @if let Some(e) = &fa.effect { p { strong { (l.effect) ": " } (e) } }
        @if own.is_empty() {
            p { em { (l.no_initiatives) } }
        } @else {
            p class="totals" { (document::totals_line(l, &fa.totals, &fa.previous_totals)) }
            (initiative_table(l, &own))
        }
        @if !supporting.is_empty() {
            h3 { (l.supporting) }
            (initiative_table(l, &supporting))
        }
        @if !fa.proposed.is_empty() {
            h3 { (l.proposed) }
            ul { @for p in &fa.proposed { li { (p.title) " " span class="id" { (p.id) } } } }
        }
    }
}

fn briefing(r: &Report, lang: Lang) -> Vec<Part<'static>> {
    let l = lang.labels();
    let mut parts = Vec::new();
    if !r.summary.is_empty() {
        let body = html! { ul { @for s in &r.summary { li { (s) } } } };
        parts.push(Part::new("summary", l.summary, body));
    }
    parts.push(on_track(r, lang));
    parts.push(attention(r, l));
    parts.extend(decisions(r, l));
    if let Some(g) = document::goals_grid(r, l) {
        parts.push(Part::new("goals", l.goals, grid(l, &g)));
    }
    if let Some(body) = charts::indicators(r, lang) {
        parts.push(Part::new("indicators", l.indicators, body));
    }
    parts
}

fn details<'r>(r: &'r Report, l: &'r Labels) -> Vec<Part<'r>> {
    let mut parts = Vec::new();
    let transitions = if r.transitions.is_empty() {
        html! { p { (l.no_transitions) } }
    } else {
        grid(l, &document::transitions_grid(r, l))
    };
    parts.push(Part::new("transitions", l.transitions, transitions));
    parts.extend(r.focus_areas.iter().map(|fa| focus_area(fa, l)));
    let changes = if r.changes.is_empty() {
        html! { p { (l.no_changes) } }
    } else {
        html! { ul { @for c in document::change_items(r, l) { li { (c) } } } }
    };
    parts.push(Part::new("changes", l.changes, changes));
    if !r.corrections.is_empty() {
        let body = grid(l, &document::corrections_grid(r, l));
        parts.push(Part::new("corrections", l.corrections, body));
    }
    let missing = if r.missing.is_empty() {
        html! { p { (l.no_missing) } }
    } else {
        grid(l, &document::missing_grid(r, l))
    };
    parts.push(Part::new("missing", l.missing, missing));
    for (label, id, sections) in [
        (l.drivers, "drivers", &r.drivers),
        (l.recommendations, "recommendations", &r.recommendations),
    ] {
        if !sections.is_empty() {
            let body = html! { @for s in sections { h3 { (s.title) } p { (s.text) } } };
            parts.push(Part::new(id, label, body));
        }
    }
    if !r.advice.is_empty() {
        parts.push(Part::new(
            "advice",
            l.advice,
            grid(l, &document::advice_grid(r, l)),
        ));
    }
    parts
}

fn appendix<'r>(r: &'r Report, l: &'r Labels) -> Option<Part<'r>> {
    if r.appendix.is_empty() {
        return None;
    }
    // One initiative's answers at a time.
    let each = move |write: &mut Writer<'_>| {
        r.appendix.iter().try_for_each(|a| {
            write(html! {
                article class="answer" data-id=(a.id) {
                    h3 { (a.title) " " span class="id" { (a.id) } }
                    p class="meta" { (l.respondent) ": " (a.respondent.as_deref().unwrap_or("")) " · " (a.owner_name) " · " (l.day(a.reported_on)) }
                    dl { @for (field, answer) in &a.answers { dt { (l.question(field)) } dd { (answer) } } }
                }
            })
        })
    };
    Some(Part {
        body: Body::Pieces(Box::new(each)),
        ..Part::new("appendix", l.appendix, html! {})
    })
}

/// Where the parts go in the page's frame: markup, so no text of a user's (escaped) can
/// look like it.
const BRIEFING_HERE: &str = "<!--briefing-->";
const DETAILS_HERE: &str = "<!--details-->";
const APPENDIX_HERE: &str = "<!--appendix-->";

/// The report as one printable page, written to `to` part by part: the frame first, each
/// part made and written in its place.
pub fn report_html(r: &Report, lang: Lang, to: &mut impl std::io::Write) -> std::io::Result<()> {
    let l = lang.labels();
    let briefing = briefing(r, lang);
    let details = details(r, l);
    let appendix = appendix(r, l);
    let toc = contents(l, &briefing, &details, &appendix);
    let page = html! {
        (DOCTYPE)
        html lang=(l.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // Nothing is fetched or run: a page that arrived tampered with still cannot.
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                title { (document::title(r, l)) " — " (r.strategy.title) }
                style { (PreEscaped(CSS)) (PreEscaped(status_css())) }
            }
            body {
                (cover(r, l, &toc))
                main {
                    div class="briefing" id="briefing" { (PreEscaped(BRIEFING_HERE)) }
                    div class="details" id="details" { (PreEscaped(DETAILS_HERE)) }
                    (PreEscaped(APPENDIX_HERE))
                }
                footer {
                    "actionplan · " (r.strategy.id) " · " (r.year) " · " (l.as_of) " " (l.day(r.as_of))
                    br;
                    span id="content-hash" { (super::footer(r, l)) }
                }
            }
        }
    };
    let frame = page.into_string();
    // maud escapes markup, not control characters: the page is read on terminals too.
    let mut write = |markup: &str| to.write_all(super::neutralise(markup).as_bytes());
    let mut rest = frame.as_str();
    for (mark, parts) in [
        (BRIEFING_HERE, briefing.as_slice()),
        (DETAILS_HERE, details.as_slice()),
        (APPENDIX_HERE, appendix.as_slice()),
    ] {
        let (before, after) = rest.split_once(mark).unwrap_or((rest, ""));
        write(before)?;
        for part in parts {
            part.write(&mut write)?;
        }
        rest = after;
    }
    write(rest)
}
