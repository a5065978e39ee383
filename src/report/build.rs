//! Builds the report model from one snapshot: the plan, a mark of every update in the window
//! (statuses, days, whether corrected or answered), the few updates shown read whole by id, the
//! narratives, the plan's versions and the measurements — a fixed number of reads, whatever the
//! size of the plan, shared between two connections where a second one can be opened.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::Datelike;
use chrono::NaiveDate;

use super::model::*;
use crate::error::Result;
use crate::graph::DepGraph;
use crate::indicators::measurements_of;
use crate::model::Initiative;
use crate::model::Kind;
use crate::model::Status;
use crate::store::ItemType;
use crate::store::Store;
use crate::store::StoredPlan;
use crate::store::StoredUpdate;
use crate::store::UpdateMark;

#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub strategy: Option<String>,
    pub year: i32,
    /// Defaults to 31 December of the year.
    pub as_of: Option<NaiveDate>,
}

pub(crate) fn end_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

pub(crate) fn start_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The same day a year earlier (28 February for 29 February).
fn a_year_before(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1)
        .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
        .unwrap_or(d)
}

/// What a history needs of an update: whose it is, the day it holds for, its status. Whole
/// updates, or their marks where the text is read only for a few ([`UpdateMark`]).
pub(crate) trait Dated {
    fn initiative(&self) -> &str;
    fn day(&self) -> NaiveDate;
    fn status(&self) -> Status;
}

impl Dated for StoredUpdate {
    fn initiative(&self) -> &str {
        &self.update.initiative
    }
    fn day(&self) -> NaiveDate {
        self.update.reported_on
    }
    fn status(&self) -> Status {
        self.update.status
    }
}

impl Dated for UpdateMark {
    fn initiative(&self) -> &str {
        &self.initiative
    }
    fn day(&self) -> NaiveDate {
        self.reported_on
    }
    fn status(&self) -> Status {
        self.status
    }
}

/// Each initiative's updates, oldest first, as read from the store.
pub(crate) struct History<'a, U = StoredUpdate> {
    by_initiative: foldhash::HashMap<&'a str, Vec<&'a U>>,
}

impl<'a, U: Dated> History<'a, U> {
    pub(crate) fn new(updates: &'a [U]) -> Self {
        let mut by_initiative: foldhash::HashMap<&str, Vec<&U>> = Default::default();
        for u in updates {
            by_initiative.entry(u.initiative()).or_default().push(u);
        }
        History { by_initiative }
    }

    /// The latest update on or before `day` (the store orders by day, then by recording).
    pub(crate) fn latest(&self, id: &str, day: NaiveDate) -> Option<&'a U> {
        self.by_initiative
            .get(id)?
            .iter()
            .rev()
            .find(|u| u.day() <= day)
            .copied()
    }

    pub(crate) fn status(&self, id: &str, day: NaiveDate) -> Option<Status> {
        self.latest(id, day).map(Dated::status)
    }

    /// Updates dated within [from, to].
    pub(crate) fn within(
        &self,
        id: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &'a U> {
        self.by_initiative
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |u| (from..=to).contains(&u.day()))
    }
}

/// The FORMATS.md rule: neither proposed nor withdrawn, started by the end of the year, and
/// not completed or cancelled before the year began.
pub(crate) fn is_active<U: Dated>(
    i: &Initiative,
    plan: &StoredPlan,
    history: &History<'_, U>,
    year: i32,
) -> bool {
    is_active_after(i, plan, year, history.status(&i.id, end_of_year(year - 1)))
}

/// [`is_active`] for a caller that knows the initiative's status on the last day of the year
/// before (`status_before`) without a [`History`].
pub(crate) fn is_active_after(
    i: &Initiative,
    plan: &StoredPlan,
    year: i32,
    status_before: Option<Status>,
) -> bool {
    i.kind != Kind::Proposed
        && !plan.is_withdrawn(ItemType::Initiative, &i.id)
        && i.start.is_none_or(|s| s <= end_of_year(year))
        && !status_before.is_some_and(Status::is_final)
}

fn count(statuses: impl Iterator<Item = Option<Status>>) -> BTreeMap<String, usize> {
    let mut totals = empty_totals();
    for s in statuses {
        let key = s.map_or(NO_STATUS, Status::as_str);
        *totals.entry(key.to_string()).or_default() += 1;
    }
    totals
}

/// Active initiatives with no update dated in the year (up to `as_of`).
fn missing_in(
    plan: &StoredPlan,
    history: &History<'_, UpdateMark>,
    year: i32,
    as_of: NaiveDate,
) -> Vec<MissingUpdate> {
    let mut out: Vec<MissingUpdate> = plan
        .plan
        .initiatives
        .iter()
        .filter(|i| is_active(i, plan, history, year))
        .filter(|i| {
            history
                .within(&i.id, start_of_year(year), as_of)
                .next()
                .is_none()
        })
        .map(|i| MissingUpdate {
            id: i.id.clone(),
            title: i.title.clone(),
            owner: i.owner.clone(),
            owner_name: plan.org_label(&i.owner),
            last_update: history.latest(&i.id, as_of).map(Dated::day),
        })
        .collect();
    // Grouped by owner; plan order within an owner (the sort is stable).
    out.sort_by(|a, b| a.owner.cmp(&b.owner));
    out
}

/// The report model, every part read from one snapshot of the database (a load committed
/// meanwhile is either wholly in it or not at all).
pub fn build_report(store: &Store, opts: &ReportOptions) -> Result<Report> {
    store.snapshot(|store| build_report_in(store, opts))
}

fn build_report_in(store: &Store, opts: &ReportOptions) -> Result<Report> {
    let strategy = store.resolve_strategy(opts.strategy.as_deref())?;
    let year = opts.year;
    crate::views::check_year(&strategy, year)?;
    let as_of = opts.as_of.unwrap_or_else(|| end_of_year(year));
    // The history read reaches back to the earlier of the two days compared with `as_of`.
    let from = a_year_before(as_of).min(end_of_year(year - 1));
    // Work shared with a second connection when it sees the same record (its reads are then
    // this snapshot's): there, the plan and each initiative's latest update before the window,
    // sent over as soon as read, then the content hash (every fingerprint up to `as_of`);
    // here meanwhile, the window's updates, the narratives, versions and measurements.
    // Without one, all of it here.
    let record = store.latest_write()?;
    std::thread::scope(|scope| {
        let beside = store.reader_beside().map(|side| {
            let (send, first) = std::sync::mpsc::sync_channel(1);
            let id = strategy.id.clone();
            let hash = scope.spawn(move || {
                side.snapshot(|side| {
                    if side.latest_write()? != record {
                        return Ok(None);
                    }
                    let read = (
                        side.plan_schedule_on(&id, as_of)?,
                        side.update_marks_until(&id, from)?,
                    );
                    // Unheard only when the report has failed meanwhile.
                    let _ = send.send(read);
                    side.content_hash(&id, as_of).map(Some)
                })
            });
            (first, hash)
        });
        let after = store.update_marks_after(&strategy.id, from, as_of)?;
        let besides = Besides::read(store, &strategy.id, year, as_of)?;
        let (plan, until) = match beside.as_ref().and_then(|(first, _)| first.recv().ok()) {
            Some(read) => read,
            None => (
                store.plan_schedule_on(&strategy.id, as_of)?,
                store.update_marks_until(&strategy.id, from)?,
            ),
        };
        if let Some(at) = store.known_at_text()
            && plan.plan.strategy.is_none()
        {
            // An empty report would read as "everyone has reported".
            let shown = at.strip_suffix("T23:59:59.999999Z").unwrap_or(at);
            return Err(crate::Error::refused_with_hint(
                format!("nothing of `{}` had been recorded by {shown}", strategy.id),
                "give a later --as-known-at (`actionplan period list` shows when periods were closed)",
            ));
        }
        let marks = UpdateMark::in_history_order(until, after);
        let mut report = assemble(store, &strategy, year, as_of, &plan, &marks, besides)?;
        let hashed = beside.and_then(|(_, h)| h.join().ok()).and_then(Result::ok);
        report.content_hash = match hashed.flatten() {
            Some(hash) => hash,
            None => store.content_hash(&strategy.id, as_of)?,
        };
        Ok(report)
    })
}

/// What a report reads besides the plan and the history.
struct Besides {
    narratives: Vec<crate::model::Narrative>,
    /// The initiatives' versions changed between the end of the year before and `as_of`.
    versions: Vec<crate::store::InitiativeVersion>,
    /// Sorted by indicator.
    measurements: Vec<crate::model::Measurement>,
}

impl Besides {
    fn read(store: &Store, strategy: &str, year: i32, as_of: NaiveDate) -> Result<Self> {
        let baseline = end_of_year(year - 1);
        let mut measurements = store.measurements(strategy)?;
        // Stable: each indicator's measurements keep the store's order (segment, then year).
        measurements.sort_by(|a, b| a.indicator.cmp(&b.indicator));
        Ok(Besides {
            narratives: store.narratives(strategy)?,
            versions: store.initiative_versions_changed(
                strategy,
                baseline.min(as_of),
                baseline.max(as_of),
            )?,
            measurements,
        })
    }
}

/// Everything of the report but its content hash, from the store's snapshot and the plan and
/// history read in it.
fn assemble(
    store: &Store,
    strategy: &crate::model::Strategy,
    year: i32,
    as_of: NaiveDate,
    plan: &StoredPlan,
    marks: &[UpdateMark],
    besides: Besides,
) -> Result<Report> {
    let strategy = strategy.clone();
    let year_ago = a_year_before(as_of);
    let baseline = end_of_year(year - 1);
    let Besides {
        narratives,
        versions,
        measurements,
    } = besides;
    let narrative = narratives.iter().find(|n| n.year == year).cloned();
    let history = History::new(marks);

    let live = plan.live();
    let graph = DepGraph::from_initiatives(live.iter().copied());
    let active: Vec<&Initiative> = live
        .iter()
        .copied()
        .filter(|i| is_active(i, plan, &history, year))
        .collect();
    let whole = Whole::read(store, marks, &history, &active, year, as_of)?;
    let at = Day {
        plan,
        history: &history,
        whole: &whole,
        as_of,
        year_ago,
    };

    // What holds each initiative up: the nearest delayed or at-risk initiatives upstream
    // (FORMATS.md, version 2), in one pass over the graph.
    // The graph's first places are the live initiatives', in order; the others are ids
    // named as dependencies but not in force.
    let blockers = graph
        .nearest_upstream_places(|id| history.status(id, as_of).is_some_and(Status::is_blocking));
    // Each id once, shared by every row it holds up (millions of entries at national scale).
    let live_ids: Vec<Arc<str>> = live.iter().map(|i| Arc::from(i.id.as_str())).collect();
    let row = |i: &Initiative| {
        let held_by: Vec<usize> = graph
            .position(&i.id)
            .map(|p| blockers.of(p))
            .unwrap_or_default()
            .iter()
            .map(|&b| b as usize)
            .filter(|&b| b < live.len())
            .collect();
        at.row(i, &held_by, &live, &live_ids)
    };

    let focus_areas = focus_area_reports(&at, &live, &active, narrative.as_ref(), &row);
    let own = active.iter().filter(|i| is_plan_own(i));
    let totals = count(own.clone().map(|i| history.status(&i.id, as_of)));
    let previous_totals = count(own.map(|i| history.status(&i.id, year_ago)));
    let supporting_totals = count(
        active
            .iter()
            .filter(|i| !is_plan_own(i))
            .map(|i| history.status(&i.id, as_of)),
    );
    let on_track_share = share_on_track(&totals);

    let mut changes = Changes::default();
    for i in &active {
        let before = history.status(&i.id, baseline);
        let now = history.status(&i.id, as_of);
        if now == Some(Status::Completed) && before != Some(Status::Completed) {
            changes.completed.push(at.item(i));
        }
        let was_unstarted = before.is_none_or(|s| s == Status::NotStarted);
        // Completed within the year is listed as completed, not also as started.
        let is_moving = now.is_some_and(|s| {
            !matches!(
                s,
                Status::NotStarted | Status::Cancelled | Status::Completed
            )
        });
        if was_unstarted && is_moving {
            changes.started.push(at.item(i));
        }
    }
    plan_changes(&versions, plan, baseline, as_of, &mut changes);

    let indicators = indicator_reports(plan, &measurements, year);
    // Withdrawn indicators measure no goal.
    let goals = crate::goals::score_goals(
        &plan.plan,
        |i| !plan.is_withdrawn(ItemType::Indicator, &i.id),
        |i| measurements_of(&measurements, &i.id),
        year,
        &crate::goals::Rule::default(),
    );
    let advice = advice_followed_up(&narratives, year);
    let attention = attention(&at, &graph, &active);
    let corrections = corrections(plan, marks, &whole);
    let appendix = appendix(plan, &history, whole, &active, year, as_of);
    let (title, summary, drivers, recommendations, decisions) = match narrative {
        Some(n) => (
            n.title,
            n.summary,
            n.drivers,
            n.recommendations,
            n.decisions,
        ),
        None => Default::default(),
    };
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        year,
        as_of,
        known_at: store.known_at_text().map(str::to_string),
        content_hash: String::new(),
        corrections,
        strategy: StrategyRef {
            id: strategy.id,
            title: strategy.title,
            period: strategy.period,
        },
        title,
        summary,
        totals,
        previous_totals,
        supporting_totals,
        on_track_share,
        attention,
        decisions,
        transitions: transitions(plan, live.iter().copied(), &history, year_ago, as_of),
        goals,
        focus_areas,
        changes,
        missing: missing_in(plan, &history, year, as_of),
        drivers,
        recommendations,
        advice,
        appendix,
        indicators,
    })
}

/// Initiatives and life events are the plan's own; supporting measures are the agencies' own
/// work that supports the plan, counted apart.
fn is_plan_own(i: &Initiative) -> bool {
    i.kind != Kind::SupportingMeasure
}

/// Share on track or completed, 0–100; `None` when nothing is counted.
fn share_on_track(totals: &BTreeMap<String, usize>) -> Option<f64> {
    let all: usize = totals.values().sum();
    let good = totals.get("on-track").copied().unwrap_or(0)
        + totals.get("completed").copied().unwrap_or(0);
    (all > 0).then(|| 100.0 * good as f64 / all as f64)
}

/// The updates a report shows whole, read by id once the marks have told which: each active
/// initiative's latest, its latest answered questionnaire of the year, and every correction.
struct Whole(foldhash::HashMap<i64, StoredUpdate>);

impl Whole {
    fn read(
        store: &Store,
        marks: &[UpdateMark],
        history: &History<'_, UpdateMark>,
        active: &[&Initiative],
        year: i32,
        as_of: NaiveDate,
    ) -> Result<Self> {
        let mut ids: Vec<i64> = Vec::with_capacity(2 * active.len());
        for i in active {
            ids.extend(history.latest(&i.id, as_of).map(|m| m.id));
            ids.extend(answered_in(history, &i.id, year, as_of).map(|m| m.id));
        }
        ids.extend(marks.iter().filter(|m| m.corrected).map(|m| m.id));
        ids.sort_unstable();
        ids.dedup();
        let updates = store.updates_by_id(&ids)?;
        Ok(Whole(updates.into_iter().map(|u| (u.id, u)).collect()))
    }

    fn get(&self, mark: &UpdateMark) -> Option<&StoredUpdate> {
        self.0.get(&mark.id)
    }

    fn take(&mut self, mark: &UpdateMark) -> Option<StoredUpdate> {
        self.0.remove(&mark.id)
    }
}

/// An initiative's latest update of the year (up to `as_of`) that answers the questionnaire.
fn answered_in<'a>(
    history: &History<'a, UpdateMark>,
    id: &str,
    year: i32,
    as_of: NaiveDate,
) -> Option<&'a UpdateMark> {
    history
        .within(id, start_of_year(year), as_of)
        .filter(|m| m.answered)
        .last()
}

/// What a report reads about one day: the plan, the history and the two days compared.
struct Day<'a> {
    plan: &'a StoredPlan,
    history: &'a History<'a, UpdateMark>,
    whole: &'a Whole,
    as_of: NaiveDate,
    year_ago: NaiveDate,
}

impl Day<'_> {
    /// The initiative's latest update on the day, whole.
    fn latest(&self, id: &str) -> Option<&StoredUpdate> {
        self.whole.get(self.history.latest(id, self.as_of)?)
    }

    fn item(&self, i: &Initiative) -> ItemRef {
        item_ref(self.plan, i)
    }

    fn overdue(&self, i: &Initiative) -> bool {
        let done = self
            .history
            .status(&i.id, self.as_of)
            .is_some_and(|s| matches!(s, Status::Completed | Status::Cancelled));
        i.due.is_some_and(|d| d < self.as_of) && !done
    }

    /// The row of `i`, held up by the live initiatives at the places `held_by`.
    fn row(
        &self,
        i: &Initiative,
        held_by: &[usize],
        live: &[&Initiative],
        live_ids: &[Arc<str>],
    ) -> InitiativeRow {
        let latest = self.latest(&i.id);
        InitiativeRow {
            id: i.id.clone(),
            title: i.title.clone(),
            kind: i.kind.as_str().to_string(),
            owner: i.owner.clone(),
            owner_name: self.plan.org_label(&i.owner),
            status: latest.map(|u| u.update.status),
            previous_status: self.history.status(&i.id, self.year_ago),
            progress: latest.and_then(|u| u.update.progress),
            due: i.due,
            overdue: self.overdue(i),
            next_milestone: i.next_open_milestone(self.as_of).map(|m| MilestoneRef {
                title: m.title.clone(),
                due: m.due,
            }),
            blocked_by: held_by.iter().map(|&b| Arc::clone(&live_ids[b])).collect(),
            blockers: held_by
                .iter()
                .take(NAMED_AT_MOST)
                .map(|&b| self.item(live[b]))
                .collect(),
            last_update: latest.map(|u| u.update.reported_on),
            summary: latest.and_then(|u| u.update.answers.summary.clone()),
            basis: latest.and_then(|u| u.update.basis),
        }
    }
}

pub(crate) fn item_ref(plan: &StoredPlan, i: &Initiative) -> ItemRef {
    ItemRef {
        id: i.id.clone(),
        title: i.title.clone(),
        owner: i.owner.clone(),
        owner_name: plan.org_label(&i.owner),
    }
}

fn focus_area_reports(
    at: &Day<'_>,
    live: &[&Initiative],
    active: &[&Initiative],
    narrative: Option<&crate::model::Narrative>,
    row: &dyn Fn(&Initiative) -> InitiativeRow,
) -> Vec<FocusAreaReport> {
    let said: HashMap<&str, &crate::model::FocusAreaProgress> = narrative
        .iter()
        .flat_map(|n| n.focus_areas.iter().map(|f| (f.id.as_str(), f)))
        .collect();
    let status = |i: &&&Initiative, day| at.history.status(&i.id, day);
    at.plan
        .plan
        .focus_areas
        .iter()
        .filter(|f| !at.plan.is_withdrawn(ItemType::FocusArea, &f.id))
        .map(|f| {
            let mine: Vec<&&Initiative> = active.iter().filter(|i| i.focus_area == f.id).collect();
            let own = || mine.iter().filter(|i| is_plan_own(i));
            let said = said.get(f.id.as_str());
            FocusAreaReport {
                id: f.id.clone(),
                title: f.title.clone(),
                goal: f.goal.clone(),
                progress: said.and_then(|s| s.progress.clone()),
                assessment: said.and_then(|s| s.assessment),
                effect: said.and_then(|s| s.effect.clone()),
                totals: count(own().map(|i| status(i, at.as_of))),
                previous_totals: count(own().map(|i| status(i, at.year_ago))),
                supporting_totals: count(
                    mine.iter()
                        .filter(|i| !is_plan_own(i))
                        .map(|i| status(i, at.as_of)),
                ),
                initiatives: mine.iter().map(|i| row(i)).collect(),
                proposed: live
                    .iter()
                    .filter(|i| i.focus_area == f.id && i.kind == Kind::Proposed)
                    .map(|i| at.item(i))
                    .collect(),
            }
        })
        .collect()
}

/// Every active initiative that is delayed, at risk or overdue, with what depends on it directly
/// and how many active initiatives it holds up in all; the one holding up most first.
fn attention(at: &Day<'_>, graph: &DepGraph<'_>, active: &[&Initiative]) -> Vec<AttentionItem> {
    let by_id: foldhash::HashMap<&str, &&Initiative> =
        active.iter().map(|i| (i.id.as_str(), i)).collect();
    let needs: Vec<&Initiative> = active
        .iter()
        .copied()
        .filter(|i| {
            at.history
                .status(&i.id, at.as_of)
                .is_some_and(Status::is_blocking)
                || at.overdue(i)
        })
        .collect();
    let ids: Vec<&str> = needs.iter().map(|i| i.id.as_str()).collect();
    let holds_up = graph.downstream_counts(&ids, |id| by_id.contains_key(id));
    let mut out: Vec<AttentionItem> = needs
        .iter()
        .zip(holds_up)
        .map(|(i, holds_up)| {
            let latest = at.latest(&i.id);
            AttentionItem {
                id: i.id.clone(),
                title: i.title.clone(),
                kind: i.kind.as_str().to_string(),
                focus_area: i.focus_area.clone(),
                owner: i.owner.clone(),
                owner_name: at.plan.org_label(&i.owner),
                status: latest.map(|u| u.update.status),
                basis: latest.and_then(|u| u.update.basis),
                summary: latest.and_then(|u| u.update.answers.summary.clone()),
                last_update: latest.map(|u| u.update.reported_on),
                due: i.due,
                overdue: at.overdue(i),
                blocks: graph
                    .dependants(&i.id)
                    .into_iter()
                    .filter_map(|d| by_id.get(d))
                    .map(|d| at.item(d))
                    .collect(),
                holds_up,
            }
        })
        .collect();
    out.sort_by(|a, b| b.holds_up.cmp(&a.holds_up).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Status changes between two days, in plan order, over every initiative in force.
pub(crate) fn transitions<'i, U: Dated>(
    plan: &StoredPlan,
    initiatives: impl IntoIterator<Item = &'i Initiative>,
    history: &History<'_, U>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Transition> {
    initiatives
        .into_iter()
        .filter_map(|i| {
            let (a, b) = (history.status(&i.id, from), history.status(&i.id, to));
            (a != b).then(|| Transition {
                id: i.id.clone(),
                title: i.title.clone(),
                owner: i.owner.clone(),
                owner_name: plan.org_label(&i.owner),
                from: a,
                to: b,
            })
        })
        .collect()
}

/// The latest answered questionnaire of each active initiative in the year.
/// The answers of the year, each initiative's latest: the last part built, taking each update
/// out of `whole` as it goes, so that a national report never holds its answers twice.
fn appendix(
    plan: &StoredPlan,
    history: &History<'_, UpdateMark>,
    mut whole: Whole,
    active: &[&Initiative],
    year: i32,
    as_of: NaiveDate,
) -> Vec<AppendixEntry> {
    active
        .iter()
        .filter_map(|i| {
            let u = whole.take(answered_in(history, &i.id, year, as_of)?)?;
            Some(AppendixEntry {
                id: i.id.clone(),
                title: i.title.clone(),
                owner_name: plan.org_label(&i.owner),
                respondent: u.update.respondent.clone(),
                reported_on: u.update.reported_on,
                answers: u
                    .update
                    .answers
                    .questionnaire()
                    .map(|(k, v)| (k, v.to_string()))
                    .collect(),
            })
        })
        .collect()
}

/// `measurements` sorted by indicator.
fn indicator_reports(
    plan: &StoredPlan,
    measurements: &[crate::model::Measurement],
    year: i32,
) -> Vec<IndicatorReport> {
    plan.plan
        .indicators
        .iter()
        .filter(|i| !plan.is_withdrawn(ItemType::Indicator, &i.id))
        .map(|i| (i, measurements_of(measurements, &i.id)))
        .map(|(i, measurements)| IndicatorReport {
            id: i.id.clone(),
            title: i.title.clone(),
            focus_area: i.focus_area.clone(),
            unit: i.unit.as_str().to_string(),
            better: i.better.as_str().to_string(),
            values: measurements
                .iter()
                .filter(|m| m.indicator == i.id && m.year <= year)
                .map(|m| IndicatorValue {
                    segment: m.segment.clone(),
                    year: m.year,
                    value: m.value,
                })
                .collect(),
            targets: i
                .targets
                .iter()
                .map(|t| IndicatorTarget {
                    segment: t.segment.clone(),
                    year: t.year,
                    value: t.value,
                })
                .collect(),
            segments: crate::indicators::analyse(i, measurements, year),
        })
        .collect()
}

/// Every correction among the updates the report's figures rest on: this year's, and those
/// that set a status a year earlier (the "a year ago" column).
fn corrections(plan: &StoredPlan, marks: &[UpdateMark], whole: &Whole) -> Vec<CorrectionRow> {
    marks
        .iter()
        .filter(|m| m.corrected)
        .filter_map(|m| {
            let u = whole.get(m)?;
            let reason = u.correction.clone()?;
            let i = plan.initiative(&u.update.initiative)?;
            Some(CorrectionRow {
                id: i.id.clone(),
                title: i.title.clone(),
                owner: i.owner.clone(),
                reported_on: u.update.reported_on,
                status: u.update.status,
                reason,
                recorded_at: u.recorded_at.clone(),
            })
        })
        .collect()
}

/// Earlier years' recommendations and what this year's narrative says became of them: every
/// recommendation of the year before (followed up or not), and any older one followed up now.
fn advice_followed_up(narratives: &[crate::model::Narrative], year: i32) -> Vec<AdviceItem> {
    let this_year = narratives.iter().find(|n| n.year == year);
    let follow_up =
        |id: &str| this_year.and_then(|n| n.follow_ups.iter().find(|f| f.recommendation == id));
    let mut out = Vec::new();
    for n in narratives.iter().filter(|n| n.year < year) {
        for r in &n.recommendations {
            let f = r.id.as_deref().and_then(follow_up);
            if n.year == year - 1 || f.is_some() {
                out.push(AdviceItem {
                    id: r.id.clone(),
                    year: n.year,
                    title: r.title.clone(),
                    status: f.map(|f| f.status),
                    note: f.and_then(|f| f.note.clone()),
                });
            }
        }
    }
    out
}

/// New, withdrawn and slipped initiatives, from the plan versions recorded in (baseline, as_of].
fn plan_changes(
    versions: &[crate::store::InitiativeVersion],
    plan: &StoredPlan,
    baseline: NaiveDate,
    as_of: NaiveDate,
    changes: &mut Changes,
) {
    let day = |v: &crate::store::InitiativeVersion| v.effective_on;
    let mut by_id: BTreeMap<&str, Vec<&crate::store::InitiativeVersion>> = BTreeMap::new();
    for v in versions {
        by_id.entry(v.id.as_str()).or_default().push(v);
    }
    let position: HashMap<&str, usize> = plan
        .plan
        .initiatives
        .iter()
        .enumerate()
        .map(|(n, i)| (i.id.as_str(), n))
        .collect();
    let mut ids: Vec<&str> = by_id.keys().copied().collect();
    ids.sort_by_key(|id| position.get(id).copied().unwrap_or(usize::MAX));
    for id in ids {
        let vs = &by_id[id];
        let at = |d: NaiveDate| {
            vs.iter()
                .rev()
                .find(|v| day(v) <= d)
                .and_then(|v| v.initiative.as_ref())
        };
        let (before, now) = (at(baseline), at(as_of));
        let item = |i: &Initiative| item_ref(plan, i);
        match (before, now) {
            (None, Some(i)) => changes.new_in_plan.push(item(i)),
            (Some(i), None) if vs.iter().any(|v| day(v) > baseline && day(v) <= as_of) => {
                changes.withdrawn.push(item(i));
            }
            (Some(b), Some(n)) => {
                if let (Some(from), Some(to)) = (b.due, n.due)
                    && to > from
                {
                    changes.slipped.push(Slip {
                        id: n.id.clone(),
                        title: n.title.clone(),
                        owner: n.owner.clone(),
                        owner_name: plan.org_label(&n.owner),
                        from,
                        to,
                    });
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    /// a ← b ← c (c depends on b, b on a), d alone, e proposed.
    fn fixture() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let mut e = initiative("e", &[]);
        e.kind = Kind::Proposed;
        let mut d = initiative("d", &[]);
        d.due = Some(day("2021-06-30"));
        load_plan(
            &mut store,
            plan(vec![
                initiative("a", &[]),
                initiative("b", &["a"]),
                initiative("c", &["b"]),
                d,
                e,
            ]),
            "2020-01-15",
        );
        report_status(
            &mut store,
            &[
                ("a", Status::OnTrack, "2020-06-01"),
                ("b", Status::NotStarted, "2020-06-01"),
                ("d", Status::Completed, "2020-11-01"),
                ("a", Status::Delayed, "2021-03-01"),
                ("b", Status::OnTrack, "2021-03-01"),
            ],
        );
        store
    }

    /// The marks are the whole updates' ids, statuses and days, in the same order, for any
    /// span; a mark is corrected or answered exactly when its update is.
    #[test]
    fn marks_since_are_the_updates_since() {
        let mut store = fixture();
        // A second update for a's day in the closed year, answering one question: a correction.
        let strategy = store.resolve_strategy(None).unwrap();
        let period = crate::period::PeriodSpec::Year(2021);
        store
            .close_period(&strategy, period, at("2026-01-15"), day("2026-01-15"))
            .unwrap();
        let form = crate::model::Form {
            strategy: "s".into(),
            owner: None,
            round: None,
            reported_on: day("2021-03-01"),
            updates: vec![crate::model::Update {
                initiative: "a".into(),
                status: Status::AtRisk,
                progress: None,
                reported_on: day("2021-03-01"),
                answers: crate::model::Answers {
                    lessons: Some("Start earlier.".into()),
                    ..Default::default()
                },
                respondent: None,
                basis: None,
                source: None,
            }],
        };
        let batch = crate::store::Batch {
            forms: vec![(source(), form)],
            correction: Some("the delay was a misreading".into()),
            ..Default::default()
        };
        store.write(&batch, at("2026-02-01"), "test").unwrap();
        let strategy = store.resolve_strategy(None).unwrap().id;
        for (from, upto) in [
            ("2019-12-31", "2021-12-31"),
            ("2020-06-01", "2021-03-01"),
            ("2020-12-31", "2021-12-31"),
            ("2021-12-31", "2021-12-31"),
        ] {
            let (from, upto) = (day(from), day(upto));
            let whole = store.updates_since(&strategy, from, upto).unwrap();
            let marks = marks_since(&store, &strategy, from, upto);
            let expected: Vec<UpdateMark> = whole
                .iter()
                .map(|u| UpdateMark {
                    id: u.id,
                    initiative: u.update.initiative.clone(),
                    status: u.update.status,
                    reported_on: u.update.reported_on,
                    corrected: u.correction.is_some(),
                    answered: u.update.answers.questionnaire().next().is_some(),
                })
                .collect();
            assert_eq!(marks, expected, "{from}..{upto}");
            assert!(!marks.is_empty());
            let ids: Vec<i64> = marks.iter().map(|m| m.id).collect();
            let by_id = store.updates_by_id(&ids).unwrap();
            assert_eq!(by_id.len(), whole.len());
            assert!(by_id.iter().all(|u| whole.contains(u)));
        }
        let strays = marks_since(&store, &strategy, day("2020-12-31"), day("2021-12-31"));
        assert!(strays.iter().any(|m| m.corrected && m.answered));
    }

    /// A window's marks as the report reads them: its two parts, as one history.
    fn marks_since(
        store: &Store,
        strategy: &str,
        from: NaiveDate,
        upto: NaiveDate,
    ) -> Vec<UpdateMark> {
        UpdateMark::in_history_order(
            store.update_marks_until(strategy, from).unwrap(),
            store.update_marks_after(strategy, from, upto).unwrap(),
        )
    }

    fn build(store: &Store, year: i32, as_of: Option<&str>) -> Report {
        let opts = ReportOptions {
            strategy: None,
            year,
            as_of: as_of.map(day),
        };
        build_report(store, &opts).unwrap()
    }

    fn blocked_by<'r>(r: &'r Report, id: &str) -> Vec<&'r str> {
        row(r, id).blocked_by.iter().map(|b| &**b).collect()
    }

    fn row<'r>(r: &'r Report, id: &str) -> &'r InitiativeRow {
        r.focus_areas
            .iter()
            .flat_map(|f| &f.initiatives)
            .find(|i| i.id == id)
            .unwrap()
    }

    #[test]
    fn totals_count_active_initiatives_now_and_a_year_before() {
        let store = fixture();
        let r = build(&store, 2021, None);
        // d was completed in 2020, e is proposed: neither is active in 2021.
        assert_eq!(r.totals["delayed"], 1);
        assert_eq!(r.totals["on-track"], 1);
        assert_eq!(r.totals[NO_STATUS], 1);
        assert_eq!(r.totals["completed"], 0);
        assert_eq!(r.previous_totals["on-track"], 1);
        assert_eq!(r.previous_totals["not-started"], 1);
        assert_eq!(r.focus_areas[0].initiatives.len(), 3);
        assert_eq!(r.focus_areas[0].proposed.len(), 1);
        assert!((r.on_track_share.unwrap() - 100.0 / 3.0).abs() < 1e-9);
    }

    /// The nearest holders only: with a and b both delayed in a ← b ← c, c is held up by b.
    #[test]
    fn blocked_by_names_the_nearest_delayed_initiatives() {
        let mut store = fixture();
        report_status(&mut store, &[("b", Status::Delayed, "2021-04-01")]);
        let r = build(&store, 2021, None);
        assert_eq!(blocked_by(&r, "c"), ["b"]);
        assert_eq!(blocked_by(&r, "b"), ["a"]);
    }

    #[test]
    fn blocked_by_follows_dependencies_transitively() {
        let store = fixture();
        let r = build(&store, 2021, None);
        assert_eq!(blocked_by(&r, "b"), ["a"]);
        assert_eq!(blocked_by(&r, "c"), ["a"], "c depends on a through b");
        assert!(row(&r, "a").blocked_by.is_empty());
        let r2020 = build(&store, 2020, None);
        assert!(
            row(&r2020, "c").blocked_by.is_empty(),
            "nothing was delayed in 2020"
        );
    }

    #[test]
    fn changes_name_completed_and_started_initiatives() {
        let store = fixture();
        let r2020 = build(&store, 2020, None);
        let ids = |items: &[ItemRef]| items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&r2020.changes.completed), ["d"]);
        assert_eq!(ids(&r2020.changes.started), ["a"]);
        let r2021 = build(&store, 2021, None);
        assert_eq!(ids(&r2021.changes.started), ["b"]);
        assert!(r2021.changes.completed.is_empty());
    }

    #[test]
    fn missing_lists_active_initiatives_without_an_update_that_year() {
        let store = fixture();
        let r = build(&store, 2021, None);
        let ids: Vec<&str> = r.missing.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["c"]);
        let r2020 = build(&store, 2020, None);
        let ids: Vec<&str> = r2020.missing.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["c"]);
    }

    #[test]
    fn as_of_gives_a_mid_year_snapshot() {
        let store = fixture();
        let r = build(&store, 2021, Some("2021-02-01"));
        assert_eq!(
            row(&r, "a").status,
            Some(Status::OnTrack),
            "the delay came in March"
        );
        assert!(row(&r, "c").blocked_by.is_empty());
        let ids: Vec<&str> = r.missing.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"], "no 2021 update by February");
    }

    #[test]
    fn plan_revisions_show_as_new_withdrawn_and_slipped() {
        let mut store = fixture();
        let mut d = initiative("d", &[]);
        d.due = Some(day("2021-12-31"));
        let revised = plan(vec![
            initiative("a", &[]),
            initiative("b", &["a"]),
            d,
            initiative("f", &[]),
        ]);
        load_plan(&mut store, revised, "2021-05-01");
        let r = build(&store, 2021, None);
        let ids = |items: &[ItemRef]| items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&r.changes.new_in_plan), ["f"]);
        // c and e vanished from the plan: withdrawn (e was only proposed, but it was in the plan).
        assert_eq!(ids(&r.changes.withdrawn), ["c", "e"]);
        assert_eq!(r.changes.slipped.len(), 1);
        assert_eq!(
            (r.changes.slipped[0].from, r.changes.slipped[0].to),
            (day("2021-06-30"), day("2021-12-31"))
        );
        // Before the revision, the 2020 report knew nothing of it.
        let r2020 = build(&store, 2020, None);
        assert!(r2020.changes.new_in_plan.iter().all(|i| i.id != "f"));
    }
}
