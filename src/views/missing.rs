//! `missing ROUND`: the initiatives active in a round with no update dated in it, by owner,
//! with whom the programme office writes to (the organisation's `contact` in the plan).

use chrono::Datelike;
use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Result;
use crate::model::Contact;
use crate::period::PeriodSpec;
use crate::report::History;
use crate::report::end_of_year;
use crate::report::is_active;
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
        // Ids, titles, owners, kinds and starts are all it shows or asks.
        let plan = store.plan_outline_on(&strategy.id, as_of)?;
        // From the last day before the year: what tells whether an initiative is still active.
        // Only the statuses and their days: no answer is read.
        let points = store.statuses_since(&strategy.id, end_of_year(year - 1).min(as_of), as_of)?;
        let history = History::new(&points);
        let org = |id: &str| plan.plan.organisations.iter().find(|o| o.id == id);
        let mut rows: Vec<MissingRow> = plan
            .plan
            .initiatives
            .iter()
            .filter(|i| is_active(i, &plan, &history, year))
            .filter(|i| {
                history
                    .within(&i.id, round.first_day(), round.last_day().min(as_of))
                    .next()
                    .is_none()
            })
            .map(|i| MissingRow {
                id: i.id.clone(),
                title: i.title.clone(),
                owner: i.owner.clone(),
                owner_name: plan.org_label(&i.owner),
                organisation: org(&i.owner).map_or_else(|| i.owner.clone(), |o| o.name.clone()),
                last_update: history.latest(&i.id, as_of).map(|u| u.reported_on),
                contact: org(&i.owner).and_then(|o| o.contact.clone()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
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
}
