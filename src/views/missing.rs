//! `missing ROUND`: the initiatives active in a round with no update dated in it, by owner,
//! with whom the programme office writes to (the organisation's `contact` in the plan).

use chrono::Datelike;
use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Result;
use crate::model::Contact;
use crate::model::Kind;
use crate::model::Status;
use crate::period::PeriodSpec;
use crate::report::end_of_year;
use crate::store::Dependencies;
use crate::store::InitiativeInForce;
use crate::store::PlanInForce;
use crate::store::Store;

/// One initiative without an answer, as `missing --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    /// How tables name the owner: its short name, else its name.
    pub owner_name: String,
    /// The owner's full name, for a letter.
    pub organisation: String,
    pub last_update: Option<NaiveDate>,
    /// Whom to write to; null when the plan names no one.
    pub contact: Option<Contact>,
}

/// What `missing` shows: the round and, owner by owner, what is missing.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub round: String,
    pub as_of: NaiveDate,
    /// Grouped by owner (in id order), each owner's initiatives in plan order.
    pub rows: Vec<MissingRow>,
}

impl Missing {
    /// The rows of each owner together: (first row of the owner, all of its rows).
    pub fn by_owner(&self) -> impl Iterator<Item = &[MissingRow]> {
        self.rows.chunk_by(|a, b| a.owner == b.owner)
    }
}

/// The initiatives active in `round` (as `forms ROUND` asks them: active in the round's year)
/// with no update dated from the round's first day up to its last (or `as_of`, if earlier).
pub fn missing(
    store: &Store,
    strategy: Option<&str>,
    round: PeriodSpec,
    as_of: Option<NaiveDate>,
) -> Result<Missing> {
    store.snapshot(|store| {
        let strategy = store.resolve_strategy(strategy)?;
        let year = round.first_day().year();
        crate::views::check_year(&strategy, year)?;
        let as_of = as_of.unwrap_or_else(|| round.last_day());
        let plan = store.plan_in_force_on(strategy, as_of, Dependencies::Skip)?;
        // Who has not answered first (one index seek each at most); statuses only for them.
        let upto = round.last_day().min(as_of);
        let silent =
            store.initiatives_without_update(&plan.strategy.id, round.first_day(), upto)?;
        let silent: foldhash::HashMap<&str, _> = silent
            .iter()
            .map(|s| (s.initiative.as_str(), s.latest))
            .collect();
        let asked = |n: &&InitiativeInForce| {
            n.kind != Kind::Proposed && n.start.is_none_or(|s| s <= end_of_year(year))
        };
        let candidates: Vec<&InitiativeInForce> = plan
            .nodes
            .iter()
            .filter(asked)
            .filter(|n| silent.contains_key(n.id.as_str()))
            .collect();
        // The latest update on or before the window's end, where the store gave it, is the
        // latest on or before `as_of` when `as_of` ends the window; the others are sought.
        let known: Vec<_> = candidates
            .iter()
            .map(|n| {
                silent
                    .get(n.id.as_str())
                    .copied()
                    .flatten()
                    .filter(|_| upto == as_of)
            })
            .collect();
        let latest = known_or_sought(store, &plan, &candidates, known, as_of)?;
        let before = statuses_before(store, &plan, &candidates, &latest, year, as_of)?;
        let mut rows: Vec<MissingRow> = candidates
            .iter()
            .zip(before.iter().zip(&latest))
            // Completed or cancelled before the year: no longer asked.
            .filter(|(_, (before, _))| !before.is_some_and(|(s, _)| s.is_final()))
            .map(|(n, (_, latest))| {
                let org = plan.owner(n);
                MissingRow {
                    id: n.id.clone(),
                    title: n.title.clone(),
                    owner: org.id.clone(),
                    owner_name: org.label().to_string(),
                    organisation: org.name.clone(),
                    last_update: latest.map(|(_, day)| day),
                    contact: org.contact.clone(),
                }
            })
            .collect();
        // Grouped by owner; plan order within an owner (the sort is stable).
        rows.sort_by(|a, b| a.owner.cmp(&b.owner));
        Ok(Missing {
            round: round.to_string(),
            as_of,
            rows,
        })
    })
}

/// The status of each of `initiatives` on the last day before `year` (or `as_of`, if
/// earlier), from their `latest` on or before `as_of`: that is the same update when it is dated
/// by then, so only the others are sought again.
fn statuses_before(
    store: &Store,
    plan: &PlanInForce,
    initiatives: &[&InitiativeInForce],
    latest: &[Option<(Status, NaiveDate)>],
    year: i32,
    as_of: NaiveDate,
) -> Result<Vec<Option<(Status, NaiveDate)>>> {
    let day = end_of_year(year - 1).min(as_of);
    let known = latest
        .iter()
        .map(|l| (!l.is_some_and(|(_, d)| d > day)).then_some(*l))
        .collect();
    known_or_sought(store, plan, initiatives, known, day)
}

/// The latest status (and its day) of each of `initiatives` on or before `on`: `known[k]` where
/// it is `Some`, sought in the store for the others. In their order.
fn known_or_sought(
    store: &Store,
    plan: &PlanInForce,
    initiatives: &[&InitiativeInForce],
    known: Vec<Option<Option<(Status, NaiveDate)>>>,
    on: NaiveDate,
) -> Result<Vec<Option<(Status, NaiveDate)>>> {
    let unknown: Vec<&InitiativeInForce> = initiatives
        .iter()
        .zip(&known)
        .filter(|(_, k)| k.is_none())
        .map(|(n, _)| *n)
        .collect();
    let mut sought = latest_of(store, plan, &unknown, on)?.into_iter();
    Ok(known
        .into_iter()
        .map(|k| k.unwrap_or_else(|| sought.next().flatten()))
        .collect())
}

/// The latest status of each of `initiatives` on or before `on`, and its day, in their order.
fn latest_of(
    store: &Store,
    plan: &PlanInForce,
    initiatives: &[&InitiativeInForce],
    on: NaiveDate,
) -> Result<Vec<Option<(Status, NaiveDate)>>> {
    let mut out = vec![None; initiatives.len()];
    if initiatives.is_empty() {
        return Ok(out);
    }
    let place: foldhash::HashMap<&str, usize> = initiatives
        .iter()
        .enumerate()
        .map(|(k, n)| (n.id.as_str(), k))
        .collect();
    let ids: Vec<&str> = initiatives.iter().map(|n| n.id.as_str()).collect();
    store.for_each_latest_status_of(&plan.strategy.id, on, Some(&ids), |id, status, day| {
        if let Some(&k) = place.get(id) {
            out[k] = Some((status, day));
        }
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn a_half_year_round_asks_only_for_its_own_half() {
        let mut store = Store::open_in_memory().unwrap();
        load_plan(
            &mut store,
            plan(vec![initiative("a", &[]), initiative("b", &[])]),
            "2021-01-01",
        );
        report_status(&mut store, &[("a", Status::OnTrack, "2021-03-01")]);
        let ids = |round: &str| -> Vec<String> {
            let round = crate::parse::form::parse_round(round).unwrap();
            missing(&store, None, round, None)
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(ids("2021H1"), ["b"]);
        assert_eq!(ids("2021H2"), ["a", "b"]);
        assert_eq!(ids("2021"), ["b"]);
    }

    /// Completed or cancelled before the year: not asked, even when reported again later in
    /// the year; completed during the year: still asked for its second half.
    #[test]
    fn only_what_was_open_when_the_year_began_is_asked() {
        let mut store = Store::open_in_memory().unwrap();
        let ids = ["a", "b", "c", "d", "e"];
        let initiatives = ids.iter().map(|id| initiative(id, &[])).collect();
        load_plan(&mut store, plan(initiatives), "2020-01-01");
        report_status(
            &mut store,
            &[
                ("a", Status::Completed, "2020-06-30"),
                ("b", Status::OnTrack, "2020-06-30"),
                ("b", Status::Delayed, "2021-03-31"),
                ("c", Status::Completed, "2021-03-31"),
                ("d", Status::OnTrack, "2020-12-31"),
                ("d", Status::Cancelled, "2022-01-15"),
                ("e", Status::Cancelled, "2020-03-31"),
                ("e", Status::OnTrack, "2021-02-01"),
            ],
        );
        let rows = |round: &str| -> Vec<(String, String)> {
            let round = crate::parse::form::parse_round(round).unwrap();
            missing(&store, None, round, None)
                .unwrap()
                .rows
                .into_iter()
                .map(|r| {
                    (
                        r.id,
                        r.last_update.map(|d| d.to_string()).unwrap_or_default(),
                    )
                })
                .collect()
        };
        let row = |id: &str, day: &str| (id.to_string(), day.to_string());
        assert_eq!(
            rows("2021H2"),
            [
                row("b", "2021-03-31"),
                row("c", "2021-03-31"),
                row("d", "2020-12-31")
            ]
        );
        assert_eq!(rows("2021"), [row("d", "2020-12-31")]);
    }
}
