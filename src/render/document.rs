//! The report as blocks — headings, paragraphs, lists, tables and initiative entries — in the
//! order the formats people read show it. The terminal and Markdown writers print the same
//! blocks, so the two can never tell a different story; the HTML page follows the same order
//! with markup of its own (charts, a cover, print rules).

use std::collections::BTreeMap;

use crate::model::Basis;
use crate::model::Status;
use crate::report::ItemRef;
use crate::report::NAMED_AT_MOST;
use crate::report::NO_STATUS;
use crate::report::Report;

use super::Labels;

pub(crate) enum Block {
    Title {
        title: String,
        meta: String,
    },
    Heading(String),
    Subheading(String),
    /// A paragraph; `lead` is a label that runs into the text ("Hva skal vi oppnå? …").
    Paragraph {
        lead: Option<&'static str>,
        text: String,
    },
    Bullets(Vec<String>),
    Table(Grid),
    Entries(Vec<Entry>),
    /// Questions and their answers, one after the other.
    Answers(Vec<(&'static str, String)>),
    Footer(String),
}

/// A table: a header and rows of cells; a cell may carry a status for its colour.
pub(crate) struct Grid {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<GridCell>>,
}

pub(crate) struct GridCell {
    pub text: String,
    pub status: Option<Status>,
}

impl From<String> for GridCell {
    fn from(text: String) -> Self {
        GridCell { text, status: None }
    }
}

/// One initiative as the formats people read show it: its title, then its status and the
/// facts about it on a line, then labelled lines, then the owner's own words.
pub(crate) struct Entry {
    pub title: String,
    pub id: String,
    /// The status: its colour and its words.
    pub status: Option<Status>,
    pub status_word: &'static str,
    /// What qualifies the status: assessed by the programme office, what it was a year ago.
    pub status_notes: Vec<String>,
    pub facts: Vec<String>,
    pub lines: Vec<(&'static str, String)>,
    pub quote: Option<String>,
}

/// "Tittel (Eier)": how people name an initiative — never by a bare id.
pub(crate) fn named(i: &ItemRef) -> String {
    format!("{} ({})", i.title, i.owner_name)
}

pub(crate) fn named_list(items: &[ItemRef]) -> String {
    items.iter().map(named).collect::<Vec<_>>().join("; ")
}

/// The first few of `total` initiatives by title and owner, then "og 30 til" / "and 30 more";
/// `items` may hold only the first few.
pub(crate) fn named_few(l: &Labels, items: &[ItemRef], total: usize) -> String {
    let items = &items[..items.len().min(NAMED_AT_MOST)];
    match total.saturating_sub(items.len()) {
        0 => named_list(items),
        rest => format!("{}; {}", named_list(items), l.more(rest)),
    }
}

impl Entry {
    /// "forsinket (var: i rute)".
    pub fn headline(&self) -> String {
        if self.status_notes.is_empty() {
            self.status_word.to_string()
        } else {
            format!("{} ({})", self.status_word, self.status_notes.join("; "))
        }
    }
}

/// Completed or cancelled: nothing holds it up any more, whatever is delayed upstream.
pub(crate) fn is_done(status: Option<Status>) -> bool {
    matches!(status, Some(Status::Completed | Status::Cancelled))
}

/// "frist 2021-06-30" or "frist 2021-06-30, over fristen".
pub(crate) fn due_text(
    l: &Labels,
    due: Option<chrono::NaiveDate>,
    overdue: bool,
) -> Option<String> {
    let due = due?;
    Some(if overdue {
        format!("{} {}, {}", l.due, l.day_short(due), l.overdue)
    } else {
        format!("{} {}", l.due, l.day_short(due))
    })
}

/// What qualifies a status: assessed by the programme office rather than reported by the
/// owner; and, when it changed over the year, what it was.
fn status_notes(
    l: &Labels,
    basis: Option<Basis>,
    was: Option<(Option<Status>, Option<Status>)>,
) -> Vec<String> {
    let mut notes = Vec::new();
    if basis == Some(Basis::Inferred) {
        notes.push(l.inferred.to_string());
    }
    // A first status is news enough: "was: no status" would only repeat it.
    if let Some((Some(before), now)) = was
        && Some(before) != now
    {
        notes.push(format!("{}: {}", l.was, l.status(Some(before))));
    }
    notes
}

pub(crate) fn title(r: &Report, l: &Labels) -> String {
    r.title
        .clone()
        .unwrap_or_else(|| format!("{} {}", l.report, r.year))
}

pub(crate) fn meta(r: &Report, l: &Labels) -> String {
    format!(
        "{} — {} {}–{} — {} {}",
        r.strategy.title,
        l.period,
        r.strategy.period.start,
        r.strategy.period.end,
        l.as_of,
        l.day(r.as_of)
    )
}

/// "completed 6 (+4)" for each status with a count now or a year ago.
pub(crate) fn totals_line(
    l: &Labels,
    now: &BTreeMap<String, usize>,
    before: &BTreeMap<String, usize>,
) -> String {
    let mut parts = Vec::new();
    // In the order of the status words, not alphabetically: a reader scans them as a scale.
    let keys = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(std::iter::once(NO_STATUS));
    for key in keys {
        let n = now.get(key).copied().unwrap_or(0);
        let was = before.get(key).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        let delta = n as i64 - was as i64;
        let change = match delta {
            0 => String::new(),
            d if d > 0 => format!(" (+{d})"),
            d => format!(" ({d})"),
        };
        parts.push(format!("{} {n}{change}", l.status_key(key)));
    }
    if parts.is_empty() {
        return "—".to_string();
    }
    parts.join(", ")
}

/// The whole report, section by section, each handed to `emit` as soon as it is made: a
/// national report's blocks are never all held at once.
pub(crate) fn report(r: &Report, l: &Labels, emit: &mut dyn FnMut(Block)) {
    let mut out = vec![Block::Title {
        title: title(r, l),
        meta: meta(r, l),
    }];
    if !r.summary.is_empty() {
        out.push(Block::Heading(l.summary.to_string()));
        out.push(Block::Bullets(r.summary.clone()));
    }
    let sections: [fn(&Report, &Labels, &mut Vec<Block>); 6] = [
        on_track,
        attention,
        decisions,
        goals,
        indicators,
        transitions,
    ];
    for section in sections {
        section(r, l, &mut out);
        out.drain(..).for_each(&mut *emit);
    }
    for fa in &r.focus_areas {
        focus_area(fa, l, &mut out);
        out.drain(..).for_each(&mut *emit);
    }
    changes(r, l, &mut out);
    corrections(r, l, &mut out);
    missing(r, l, &mut out);
    for (label, sections) in [
        (l.drivers, &r.drivers),
        (l.recommendations, &r.recommendations),
    ] {
        if !sections.is_empty() {
            out.push(Block::Heading(label.to_string()));
            for s in sections {
                out.push(Block::Subheading(s.title.clone()));
                out.push(Block::Paragraph {
                    lead: None,
                    text: s.text.clone(),
                });
            }
        }
    }
    advice(r, l, &mut out);
    out.drain(..).for_each(&mut *emit);
    appendix(r, l, emit);
    emit(Block::Footer(super::footer(r, l)));
}

fn on_track(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    out.push(Block::Heading(l.on_track_title.to_string()));
    let mut lines = vec![format!(
        "{}: {}",
        l.overall,
        totals_line(l, &r.totals, &r.previous_totals)
    )];
    if let Some(share) = r.on_track_share {
        lines.push(format!("{}: {share:.0} %", l.on_track_share));
    }
    if r.supporting_totals.values().any(|n| *n > 0) {
        lines.push(format!(
            "{}: {}",
            l.supporting_apart,
            totals_line(l, &r.supporting_totals, &r.supporting_totals)
        ));
    }
    for text in lines {
        out.push(Block::Paragraph { lead: None, text });
    }
    out.push(Block::Table(overview(r, l)));
}

/// One row per focus area: the plan's own initiatives by status, and the year's assessment.
pub(crate) fn overview(r: &Report, l: &Labels) -> Grid {
    let assessed = r.focus_areas.iter().any(|f| f.assessment.is_some());
    let mut header = vec![l.focus_area, l.status];
    if assessed {
        header.push(l.assessment);
    }
    let rows = r
        .focus_areas
        .iter()
        .map(|fa| {
            let mut row: Vec<GridCell> = vec![
                fa.title.clone().into(),
                totals_line(l, &fa.totals, &fa.previous_totals).into(),
            ];
            if assessed {
                row.push(
                    fa.assessment
                        .map_or_else(String::new, |a| l.assessment(a).to_string())
                        .into(),
                );
            }
            row
        })
        .collect();
    Grid { header, rows }
}

fn attention(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    out.push(Block::Heading(l.attention.to_string()));
    if r.attention.is_empty() {
        out.push(Block::Paragraph {
            lead: None,
            text: l.no_attention.to_string(),
        });
        return;
    }
    out.push(Block::Paragraph {
        lead: None,
        text: l.attention_lead.to_string(),
    });
    out.push(Block::Entries(
        r.attention.iter().map(|a| attention_entry(l, a)).collect(),
    ));
}

/// An initiative that needs attention: its status, owner, due date and what it holds up; who
/// waits on it directly; the owner's own explanation.
pub(crate) fn attention_entry(l: &Labels, a: &crate::report::AttentionItem) -> Entry {
    let mut facts = vec![a.owner_name.clone()];
    if a.kind == crate::model::Kind::SupportingMeasure.as_str() {
        facts.push(l.kind_supporting.to_string());
    }
    facts.extend(due_text(l, a.due, a.overdue));
    if a.holds_up > 0 {
        facts.push(format!("{} {}", l.holds_up, l.initiatives(a.holds_up)));
    }
    if let Some(d) = a.last_update {
        facts.push(format!("{} {}", l.updated, l.day_short(d)));
    }
    let mut lines = Vec::new();
    if !a.blocks.is_empty() {
        lines.push((l.waiting, named_few(l, &a.blocks, a.blocks.len())));
    }
    Entry {
        title: a.title.clone(),
        id: a.id.clone(),
        status: a.status,
        status_word: l.status(a.status),
        status_notes: status_notes(l, a.basis, None),
        facts,
        lines,
        quote: a.summary.clone(),
    }
}

fn decisions(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    if r.decisions.is_empty() {
        return;
    }
    out.push(Block::Heading(l.decisions.to_string()));
    for d in &r.decisions {
        out.push(Block::Subheading(d.title.clone()));
        out.push(Block::Paragraph {
            lead: None,
            text: d.text.clone(),
        });
    }
}

fn goals(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    if let Some(grid) = goals_grid(r, l) {
        out.push(Block::Heading(l.goals.to_string()));
        out.push(Block::Table(grid));
    }
}

/// Each goal's score and rating, and how many of its indicators could be scored; `None` until
/// some goal can be scored (a table of blanks says nothing).
pub(crate) fn goals_grid(r: &Report, l: &Labels) -> Option<Grid> {
    if r.goals.iter().all(|g| g.score.is_none()) {
        return None;
    }
    let rows = r
        .goals
        .iter()
        .map(|g| {
            let scored = g.indicators.iter().filter(|i| i.score.is_some()).count();
            vec![
                g.title.clone().into(),
                g.score.map_or_else(String::new, |s| l.decimal(s, 2)).into(),
                g.rating
                    .map_or_else(String::new, |x| l.rating(x).to_string())
                    .into(),
                format!("{scored} / {}", g.indicators.len()).into(),
            ]
        })
        .collect();
    Some(Grid {
        header: vec![l.focus_area, l.score, l.rating, l.scored],
        rows,
    })
}

fn indicators(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    let groups = super::indicator_groups(r, l);
    if groups.is_empty() {
        return;
    }
    out.push(Block::Heading(l.indicators.to_string()));
    for (area, indicators) in groups {
        out.push(Block::Subheading(area));
        let rows = indicators
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .map(|row| row.into_iter().map(GridCell::from).collect())
            .collect();
        out.push(Block::Table(Grid {
            header: vec![
                l.indicator,
                l.segment,
                l.latest,
                l.change,
                l.target,
                l.course,
            ],
            rows,
        }));
    }
}

fn transitions(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    out.push(Block::Heading(l.transitions.to_string()));
    if r.transitions.is_empty() {
        out.push(Block::Paragraph {
            lead: None,
            text: l.no_transitions.to_string(),
        });
        return;
    }
    out.push(Block::Table(transitions_grid(r, l)));
}

pub(crate) fn transitions_grid(r: &Report, l: &Labels) -> Grid {
    let rows = r
        .transitions
        .iter()
        .map(|t| {
            vec![
                t.title.clone().into(),
                t.owner_name.clone().into(),
                l.status(t.from).to_string().into(),
                GridCell {
                    text: l.status(t.to).to_string(),
                    status: t.to,
                },
            ]
        })
        .collect();
    Grid {
        header: vec![l.initiative, l.owner, l.from, l.to],
        rows,
    }
}

/// An initiative row as an entry: status, owner, due date, progress, last update; the next
/// milestone and what holds it up; the owner's summary.
pub(crate) fn entry(l: &Labels, i: &crate::report::InitiativeRow) -> Entry {
    let mut facts = vec![i.owner_name.clone()];
    facts.extend(due_text(l, i.due, i.overdue));
    if let Some(p) = i.progress {
        facts.push(format!("{p} %"));
    }
    if let Some(d) = i.last_update {
        facts.push(format!("{} {}", l.updated, l.day_short(d)));
    }
    let mut lines = Vec::new();
    if let Some(m) = &i.next_milestone {
        lines.push((
            l.next_milestone,
            format!("{} ({})", m.title, l.day_short(m.due)),
        ));
    }
    if !i.blockers.is_empty() && !is_done(i.status) {
        lines.push((l.blocked_by, named_few(l, &i.blockers, i.blocked_by.len())));
    }
    Entry {
        title: i.title.clone(),
        id: i.id.clone(),
        status: i.status,
        status_word: l.status(i.status),
        status_notes: status_notes(l, i.basis, Some((i.previous_status, i.status))),
        facts,
        lines,
        quote: i.summary.clone(),
    }
}

fn focus_area(fa: &crate::report::FocusAreaReport, l: &Labels, out: &mut Vec<Block>) {
    out.push(Block::Heading(fa.title.clone()));
    out.push(Block::Paragraph {
        lead: Some(l.goal),
        text: fa.goal.clone(),
    });
    if let Some(p) = &fa.progress {
        out.push(Block::Paragraph {
            lead: Some(l.progress_text),
            text: p.clone(),
        });
    }
    if let Some(a) = fa.assessment {
        out.push(Block::Paragraph {
            lead: Some(l.assessment),
            text: l.assessment(a).to_string(),
        });
    }
    if let Some(e) = &fa.effect {
        out.push(Block::Paragraph {
            lead: Some(l.effect),
            text: e.clone(),
        });
    }
    let (own, supporting): (Vec<_>, Vec<_>) = fa.initiatives.iter().partition(|i| i.is_plan_own());
    if own.is_empty() {
        out.push(Block::Paragraph {
            lead: None,
            text: l.no_initiatives.to_string(),
        });
    } else {
        out.push(Block::Paragraph {
            lead: Some(l.status),
            text: totals_line(l, &fa.totals, &fa.previous_totals),
        });
        out.push(Block::Entries(
            own.into_iter().map(|i| entry(l, i)).collect(),
        ));
    }
    if !supporting.is_empty() {
        out.push(Block::Subheading(l.supporting.to_string()));
        out.push(Block::Entries(
            supporting.into_iter().map(|i| entry(l, i)).collect(),
        ));
    }
    if !fa.proposed.is_empty() {
        out.push(Block::Subheading(l.proposed.to_string()));
        out.push(Block::Bullets(
            fa.proposed
                .iter()
                .map(|p| format!("{} ({})", p.title, p.id))
                .collect(),
        ));
    }
}

fn changes(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    out.push(Block::Heading(l.changes.to_string()));
    if r.changes.is_empty() {
        out.push(Block::Paragraph {
            lead: None,
            text: l.no_changes.to_string(),
        });
        return;
    }
    out.push(Block::Bullets(change_items(r, l)));
}

/// "Ferdigstilt: Tittel (Eier); …", one line per kind of change.
pub(crate) fn change_items(r: &Report, l: &Labels) -> Vec<String> {
    let mut items = Vec::new();
    for (label, list) in [
        (l.completed, &r.changes.completed),
        (l.started, &r.changes.started),
        (l.new_in_plan, &r.changes.new_in_plan),
        (l.withdrawn, &r.changes.withdrawn),
    ] {
        if !list.is_empty() {
            items.push(format!("{label}: {}", named_list(list)));
        }
    }
    for s in &r.changes.slipped {
        items.push(format!(
            "{}: {} ({}) {} → {}",
            l.slipped,
            s.title,
            s.owner_name,
            l.day(s.from),
            l.day(s.to)
        ));
    }
    items
}

fn corrections(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    if r.corrections.is_empty() {
        return;
    }
    out.push(Block::Heading(l.corrections.to_string()));
    out.push(Block::Table(corrections_grid(r, l)));
}

pub(crate) fn corrections_grid(r: &Report, l: &Labels) -> Grid {
    let rows = r
        .corrections
        .iter()
        .map(|c| {
            vec![
                format!("{} ({})", c.title, c.id).into(),
                l.day_short(c.reported_on).into(),
                GridCell {
                    text: l.status(Some(c.status)).to_string(),
                    status: Some(c.status),
                },
                c.reason.clone().into(),
            ]
        })
        .collect();
    Grid {
        header: vec![l.initiative, l.reported_on, l.status, l.reason],
        rows,
    }
}

fn missing(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    out.push(Block::Heading(l.missing.to_string()));
    if r.missing.is_empty() {
        out.push(Block::Paragraph {
            lead: None,
            text: l.no_missing.to_string(),
        });
        return;
    }
    out.push(Block::Table(missing_grid(r, l)));
}

pub(crate) fn missing_grid(r: &Report, l: &Labels) -> Grid {
    let rows = r
        .missing
        .iter()
        .map(|m| {
            vec![
                m.owner_name.clone().into(),
                format!("{} ({})", m.title, m.id).into(),
                l.opt_day_short(m.last_update).into(),
            ]
        })
        .collect();
    Grid {
        header: vec![l.owner, l.initiative, l.last_update],
        rows,
    }
}

fn advice(r: &Report, l: &Labels, out: &mut Vec<Block>) {
    if r.advice.is_empty() {
        return;
    }
    out.push(Block::Heading(l.advice.to_string()));
    out.push(Block::Table(advice_grid(r, l)));
}

pub(crate) fn advice_grid(r: &Report, l: &Labels) -> Grid {
    let rows = r
        .advice
        .iter()
        .map(|a| {
            vec![
                a.title.clone().into(),
                a.year.to_string().into(),
                l.follow_up(a.status).to_string().into(),
                a.note.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    Grid {
        header: vec![l.recommendations, l.advice_year, l.status, l.note],
        rows,
    }
}

fn appendix(r: &Report, l: &Labels, emit: &mut dyn FnMut(Block)) {
    if r.appendix.is_empty() {
        return;
    }
    emit(Block::Heading(l.appendix.to_string()));
    // The questions once, then each answer under a short name for its question.
    emit(Block::Bullets(
        l.questions
            .iter()
            .map(|(field, question)| format!("{}: {question}", l.topic(field)))
            .collect(),
    ));
    for a in &r.appendix {
        emit(Block::Subheading(format!(
            "{} ({}) — {}",
            a.title, a.id, a.owner_name
        )));
        let who = match &a.respondent {
            Some(w) => format!("{}: {w}, {}", l.respondent, l.day(a.reported_on)),
            None => format!("{} {}", l.reported_on, l.day(a.reported_on)),
        };
        emit(Block::Paragraph {
            lead: None,
            text: who,
        });
        emit(Block::Answers(
            a.answers
                .iter()
                .map(|(field, answer)| (l.topic(field), answer.clone()))
                .collect(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Lang;

    fn item(n: usize) -> ItemRef {
        ItemRef {
            id: format!("i{n}"),
            title: format!("Tittel {n}"),
            owner: "o".into(),
            owner_name: "Eier".into(),
        }
    }

    #[test]
    fn a_long_list_names_the_first_five_and_counts_the_rest() {
        let l = Lang::Nb.labels();
        let items: Vec<ItemRef> = (1..=7).map(item).collect();
        let all = "Tittel 1 (Eier); Tittel 2 (Eier); Tittel 3 (Eier); Tittel 4 (Eier); \
                   Tittel 5 (Eier); og 2 til";
        assert_eq!(named_few(l, &items, 7), all);
        // Given only the first five (as a report row holds them), the same line.
        assert_eq!(named_few(l, &items[..5], 7), all);
        assert_eq!(named_few(l, &items[..5], 5), named_list(&items[..5]));
        assert_eq!(
            named_few(Lang::En.labels(), &items[..6], 6)
                .rsplit("; ")
                .next(),
            Some("and 1 more")
        );
    }
}
