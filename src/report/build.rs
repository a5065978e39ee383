//! Builds the report model: the plan, the status history up to the as-of date, the year's
//! narrative and the plan's versions — four reads, whatever the size of the plan.

use std::collections::BTreeMap;
use std::collections::HashMap;

use chrono::Datelike;
use chrono::NaiveDate;

use super::model::*;
use crate::error::Result;
use crate::graph::DepGraph;
use crate::model::Initiative;
use crate::model::Kind;
use crate::model::Status;
use crate::store::ItemType;
use crate::store::Store;
use crate::store::StoredPlan;
use crate::store::StoredUpdate;

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

/// Each initiative's updates, oldest first, as read from the store.
pub(crate) struct History<'a> {
    by_initiative: HashMap<&'a str, Vec<&'a StoredUpdate>>,
}

impl<'a> History<'a> {
    pub(crate) fn new(updates: &'a [StoredUpdate]) -> Self {
        let mut by_initiative: HashMap<&str, Vec<&StoredUpdate>> = HashMap::new();
        for u in updates {
            by_initiative
                .entry(u.update.initiative.as_str())
                .or_default()
                .push(u);
        }
        History { by_initiative }
    }

    /// The latest update on or before `day` (the store orders by day, then by recording).
    pub(crate) fn latest(&self, id: &str, day: NaiveDate) -> Option<&'a StoredUpdate> {
        self.by_initiative
            .get(id)?
            .iter()
            .rev()
            .find(|u| u.update.reported_on <= day)
            .copied()
    }

    pub(crate) fn status(&self, id: &str, day: NaiveDate) -> Option<Status> {
        self.latest(id, day).map(|u| u.update.status)
    }

    /// Updates dated within [from, to].
    pub(crate) fn within(
        &self,
        id: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &'a StoredUpdate> {
        self.by_initiative
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |u| (from..=to).contains(&u.update.reported_on))
    }
}

/// The FORMATS.md rule: neither proposed nor withdrawn, started by the end of the year, and
/// not completed or cancelled before the year began.
pub(crate) fn is_active(
    i: &Initiative,
    plan: &StoredPlan,
    history: &History<'_>,
    year: i32,
) -> bool {
    i.kind != Kind::Proposed
        && !plan.is_withdrawn(ItemType::Initiative, &i.id)
        && i.start.is_none_or(|s| s <= end_of_year(year))
        && !history
            .status(&i.id, end_of_year(year - 1))
            .is_some_and(Status::is_final)
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
pub fn missing(
    store: &Store,
    strategy: &crate::model::Strategy,
    year: i32,
    as_of: Option<NaiveDate>,
) -> Result<Vec<MissingUpdate>> {
    crate::views::check_year(strategy, year)?;
    let strategy = strategy.id.as_str();
    let as_of = as_of.unwrap_or_else(|| end_of_year(year));
    let plan = store.plan_on(strategy, as_of)?;
    let updates = store.updates_since(strategy, end_of_year(year - 1).min(as_of), as_of)?;
    let history = History::new(&updates);
    Ok(missing_in(&plan, &history, year, as_of))
}

fn missing_in(
    plan: &StoredPlan,
    history: &History<'_>,
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
            last_update: history.latest(&i.id, as_of).map(|u| u.update.reported_on),
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
    let year_ago = a_year_before(as_of);
    let baseline = end_of_year(year - 1);

    let plan = store.plan_on(&strategy.id, as_of)?;
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
    let updates = store.updates_since(&strategy.id, year_ago.min(baseline), as_of)?;
    let narratives = store.narratives(&strategy.id)?;
    let narrative = narratives.iter().find(|n| n.year == year).cloned();
    let versions = store.initiative_versions_changed(
        &strategy.id,
        baseline.min(as_of),
        baseline.max(as_of),
    )?;
    let measurements = store.measurements(&strategy.id)?;
    let history = History::new(&updates);

    let live = plan.live_initiatives();
    let graph = DepGraph::from_initiatives(&live);
    let active: Vec<&Initiative> = live
        .iter()
        .filter(|i| is_active(i, &plan, &history, year))
        .collect();

    // What holds each initiative up: the nearest delayed or at-risk initiatives upstream
    // (FORMATS.md, version 2), in one pass over the graph.
    let blockers =
        graph.nearest_upstream(|id| history.status(id, as_of).is_some_and(Status::is_blocking));

    let row = |i: &Initiative| {
        let latest = history.latest(&i.id, as_of);
        let blocked_by: Vec<String> = blockers
            .get(i.id.as_str())
            .into_iter()
            .flatten()
            .map(|b| b.to_string())
            .collect();
        InitiativeRow {
            id: i.id.clone(),
            title: i.title.clone(),
            kind: i.kind.as_str().to_string(),
            owner: i.owner.clone(),
            owner_name: plan.org_label(&i.owner),
            status: latest.map(|u| u.update.status),
            previous_status: history.status(&i.id, year_ago),
            progress: latest.and_then(|u| u.update.progress),
            due: i.due,
            next_milestone: i.next_open_milestone(as_of).map(|m| MilestoneRef {
                title: m.title.clone(),
                due: m.due,
            }),
            blocked_by,
            last_update: latest.map(|u| u.update.reported_on),
            summary: latest.and_then(|u| u.update.answers.summary.clone()),
        }
    };
    let item = |i: &Initiative| ItemRef {
        id: i.id.clone(),
        title: i.title.clone(),
        owner: i.owner.clone(),
    };

    let progress_text: HashMap<&str, &str> = narrative
        .iter()
        .flat_map(|n| {
            n.focus_areas
                .iter()
                .filter_map(|f| Some((f.id.as_str(), f.progress.as_deref()?)))
        })
        .collect();
    let focus_areas = plan
        .plan
        .focus_areas
        .iter()
        .filter(|f| !plan.is_withdrawn(ItemType::FocusArea, &f.id))
        .map(|f| {
            let mine: Vec<&&Initiative> = active.iter().filter(|i| i.focus_area == f.id).collect();
            FocusAreaReport {
                id: f.id.clone(),
                title: f.title.clone(),
                goal: f.goal.clone(),
                progress: progress_text.get(f.id.as_str()).map(|s| s.to_string()),
                totals: count(mine.iter().map(|i| history.status(&i.id, as_of))),
                previous_totals: count(mine.iter().map(|i| history.status(&i.id, year_ago))),
                initiatives: mine.iter().map(|i| row(i)).collect(),
                proposed: live
                    .iter()
                    .filter(|i| i.focus_area == f.id && i.kind == Kind::Proposed)
                    .map(item)
                    .collect(),
            }
        })
        .collect();

    let totals = count(active.iter().map(|i| history.status(&i.id, as_of)));
    let previous_totals = count(active.iter().map(|i| history.status(&i.id, year_ago)));
    let good = totals.get("on-track").copied().unwrap_or(0)
        + totals.get("completed").copied().unwrap_or(0);
    let on_track_share = (!active.is_empty()).then(|| 100.0 * good as f64 / active.len() as f64);

    let mut changes = Changes::default();
    for i in &active {
        let before = history.status(&i.id, baseline);
        let now = history.status(&i.id, as_of);
        if now == Some(Status::Completed) && before != Some(Status::Completed) {
            changes.completed.push(item(i));
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
            changes.started.push(item(i));
        }
    }
    plan_changes(&versions, &plan, baseline, as_of, &mut changes);

    let mut appendix = Vec::new();
    for i in &active {
        let answered = history
            .within(&i.id, start_of_year(year), as_of)
            .filter(|u| u.update.answers.questionnaire().next().is_some())
            .last();
        if let Some(u) = answered {
            appendix.push(AppendixEntry {
                id: i.id.clone(),
                title: i.title.clone(),
                owner_name: plan.org_label(&i.owner),
                respondent: u.update.respondent.clone(),
                reported_on: u.update.reported_on,
                answers: u
                    .update
                    .answers
                    .questionnaire()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            });
        }
    }

    let indicators = plan
        .plan
        .indicators
        .iter()
        .filter(|i| !plan.is_withdrawn(ItemType::Indicator, &i.id))
        .map(|i| IndicatorReport {
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
            segments: crate::indicators::analyse(i, &measurements, year),
        })
        .collect();

    let advice = advice_followed_up(&narratives, year);
    // Every correction among the updates the report's figures rest on: this year's, and those
    // that set a status a year earlier (the "a year ago" column).
    let corrections = updates
        .iter()
        .filter_map(|u| {
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
        .collect();
    let content_hash = store.content_hash(&strategy.id, as_of)?;
    let (title, summary, drivers, recommendations) = match narrative {
        Some(n) => (n.title, n.summary, n.drivers, n.recommendations),
        None => (None, Vec::new(), Vec::new(), Vec::new()),
    };
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        year,
        as_of,
        known_at: store.known_at_text().map(str::to_string),
        content_hash,
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
        on_track_share,
        focus_areas,
        changes,
        missing: missing_in(&plan, &history, year, as_of),
        drivers,
        recommendations,
        advice,
        appendix,
        indicators,
    })
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
        let item = |i: &Initiative| ItemRef {
            id: i.id.clone(),
            title: i.title.clone(),
            owner: i.owner.clone(),
        };
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

    fn build(store: &Store, year: i32, as_of: Option<&str>) -> Report {
        let opts = ReportOptions {
            strategy: None,
            year,
            as_of: as_of.map(day),
        };
        build_report(store, &opts).unwrap()
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
        assert_eq!(row(&r, "c").blocked_by, ["b"]);
        assert_eq!(row(&r, "b").blocked_by, ["a"]);
    }

    #[test]
    fn blocked_by_follows_dependencies_transitively() {
        let store = fixture();
        let r = build(&store, 2021, None);
        assert_eq!(row(&r, "b").blocked_by, ["a"]);
        assert_eq!(row(&r, "c").blocked_by, ["a"], "c depends on a through b");
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
