//! The status history: append-only rows, one per distinct update. The same update loaded twice
//! is stored once (by a hash of its content); a changed update for the same day is a correction.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::Session;
use super::SourceInfo;
use super::Store;
use super::corrupt;
use super::sha256_hex;
use crate::error::Result;
use crate::model::Answers;
use crate::model::Form;
use crate::model::Status;
use crate::model::Update;

/// What a write added to the history.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpdateChanges {
    pub added: usize,
    /// Of the added, those for an initiative and day that already had an update.
    pub corrections: usize,
    pub unchanged: usize,
}

impl UpdateChanges {
    pub fn is_empty(&self) -> bool {
        self.added == 0
    }

    pub fn add(&mut self, other: &UpdateChanges) {
        self.added += other.added;
        self.corrections += other.corrections;
        self.unchanged += other.unchanged;
    }
}

/// An update as recorded, with when and from where it came.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredUpdate {
    #[serde(flatten)]
    pub update: Update,
    pub recorded_at: String,
    /// The file (or command) the update was loaded from.
    pub source_file: String,
    /// Why this update corrects a closed period; `None` for ordinary updates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

pub(crate) fn fingerprint(u: &Update) -> String {
    // The model serialises deterministically (struct field order), so equal updates hash equal.
    let json = serde_json::to_vec(u).unwrap_or_default();
    sha256_hex(&json)
}

/// Appends a form's updates. The unique index on the fingerprint decides what is new: an
/// update already stored is skipped by the INSERT itself, with no lookup of its own.
pub(super) fn write_form(
    s: &mut Session<'_>,
    source: &SourceInfo,
    form: &Form,
) -> Result<UpdateChanges> {
    let mut changes = UpdateChanges::default();
    let mut updates = form.updates.iter().map(|u| (u, fingerprint(u)));
    // The source is recorded only when something is new: until the first new update, each one
    // is looked up; from then on the INSERT's conflict clause tells.
    let mut exists = s.tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM status_update WHERE strategy_id = ?1 AND fingerprint = ?2)",
    )?;
    let first_new = loop {
        let Some((u, fp)) = updates.next() else {
            return Ok(changes);
        };
        if exists.query_row(params![form.strategy, fp], |r| r.get::<_, bool>(0))? {
            changes.unchanged += 1;
        } else {
            break (u, fp);
        }
    };
    let source_id = s.source(source)?;
    // Updates dated inside a closed period can only come in as corrections (validated before
    // the write); they carry the reason.
    let closed: Vec<(NaiveDate, NaiveDate)> = s
        .tx
        .prepare_cached("SELECT first_day, last_day FROM closed_period WHERE strategy_id = ?1")?
        .query_map([&form.strategy], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let correction = |day: NaiveDate| {
        closed
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&day))
            .then_some(s.correction)
            .flatten()
    };
    let last_before: i64 =
        s.tx.prepare_cached("SELECT coalesce(max(id), 0) FROM status_update")?
            .query_row([], |r| r.get(0))?;
    let mut insert = s.tx.prepare_cached(
        "INSERT INTO status_update (strategy_id, initiative_id, reported_on, status, progress, summary,
             description, success_factors, challenges, lessons, next_year, respondent, source_id, fingerprint,
             correction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (strategy_id, fingerprint) DO NOTHING",
    )?;
    for (u, fp) in std::iter::once(first_new).chain(updates) {
        let a = &u.answers;
        let added = insert.execute(params![
            form.strategy,
            u.initiative,
            u.reported_on,
            u.status.as_str(),
            u.progress,
            a.summary,
            a.description,
            a.success_factors,
            a.challenges,
            a.lessons,
            a.next_year,
            u.respondent,
            source_id,
            fp,
            correction(u.reported_on)
        ])?;
        changes.added += added;
        changes.unchanged += 1 - added;
    }
    // A correction is a new row for an initiative and day that already had one: counted in one
    // statement over the rows just added, against everything stored before each of them.
    let corrections: i64 = s.tx.prepare_cached(
        "SELECT count(*) FROM status_update n WHERE n.id > ?1 AND EXISTS (SELECT 1 FROM status_update o
             WHERE o.strategy_id = n.strategy_id AND o.initiative_id = n.initiative_id
               AND o.reported_on = n.reported_on AND o.id < n.id)",
    )?
    .query_row([last_before], |r| r.get(0))?;
    changes.corrections = usize::try_from(corrections).unwrap_or_default();
    Ok(changes)
}

/// The condition that an update `u` had been recorded by the moment `?3` (a store seen as known
/// at a moment), true when `?3` is NULL. SQLite then never evaluates the subquery, and a walk of
/// a covering index stays off the history table.
const RECORDED_BY_KNOWN_AT: &str = "(?3 IS NULL OR EXISTS (
        SELECT 1 FROM source s JOIN load_event e ON e.id = s.load_event_id
        WHERE s.id = u.source_id AND e.recorded_at <= ?3))";

const SELECT_UPDATES: &str = "SELECT u.initiative_id, u.status, u.progress, u.reported_on, u.summary, u.description,
        u.success_factors, u.challenges, u.lessons, u.next_year, u.respondent, e.recorded_at, s.path,
        u.correction
    FROM status_update u JOIN source s ON s.id = u.source_id JOIN load_event e ON e.id = s.load_event_id";

fn row_to_update(r: &rusqlite::Row<'_>) -> rusqlite::Result<(StoredUpdate, String)> {
    let status: String = r.get(1)?;
    Ok((
        StoredUpdate {
            update: Update {
                initiative: r.get(0)?,
                // Replaced below: the CHECK constraint guarantees a known word.
                status: crate::model::Status::NotStarted,
                progress: r.get(2)?,
                reported_on: r.get(3)?,
                answers: Answers {
                    summary: r.get(4)?,
                    description: r.get(5)?,
                    success_factors: r.get(6)?,
                    challenges: r.get(7)?,
                    lessons: r.get(8)?,
                    next_year: r.get(9)?,
                },
                respondent: r.get(10)?,
                basis: None,
                source: None,
            },
            recorded_at: r.get(11)?,
            source_file: r.get(12)?,
            correction: r.get(13)?,
        },
        status,
    ))
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<(StoredUpdate, String)>>,
) -> Result<Vec<StoredUpdate>> {
    rows.map(finish).collect()
}

/// A row of [`SELECT_UPDATES`] as an update, its status word checked.
fn finish(row: rusqlite::Result<(StoredUpdate, String)>) -> Result<StoredUpdate> {
    let (mut u, status) = row?;
    u.update.status = status.parse().map_err(|_| corrupt("status", &status))?;
    Ok(u)
}

/// An update reduced to what the dependency graph needs: whose, which status, for which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPoint {
    pub initiative: String,
    pub status: Status,
    pub reported_on: NaiveDate,
}

fn row_to_point(r: &rusqlite::Row<'_>) -> Result<StatusPoint> {
    let status = r.get_ref(1)?.as_str().map_err(|e| corrupt("status", &e))?;
    Ok(StatusPoint {
        initiative: r.get(0)?,
        status: status.parse().map_err(|_| corrupt("status", &status))?,
        reported_on: r.get(2)?,
    })
}

impl Store {
    /// Every update's status dated on or before `upto`, per initiative oldest first (as
    /// [`Store::updates_until`]): one walk of the covering by-initiative index, no text read.
    pub fn statuses_until(&self, strategy: &str, upto: NaiveDate) -> Result<Vec<StatusPoint>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT u.initiative_id, u.status, u.reported_on FROM status_update u
             WHERE u.strategy_id = ?1 AND +u.reported_on <= ?2 AND {RECORDED_BY_KNOWN_AT}
             ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let points = stmt.query_and_then(params![strategy, upto, self.known_at], row_to_point)?;
        points.collect()
    }

    /// Calls `f` with the fingerprint of every update dated on or before `upto`, in history
    /// order (as [`Store::updates_until`]): one walk of the covering by-initiative index (the
    /// `+` keeps SQLite off the by-date index, which would need a sort of the whole history).
    pub fn for_each_fingerprint(
        &self,
        strategy: &str,
        upto: NaiveDate,
        mut f: impl FnMut(&str),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT u.fingerprint FROM status_update u
             WHERE u.strategy_id = ?1 AND +u.reported_on <= ?2 AND {RECORDED_BY_KNOWN_AT}
             ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let mut rows = stmt.query(params![strategy, upto, self.known_at])?;
        while let Some(r) = rows.next()? {
            f(r.get_ref(0)?
                .as_str()
                .map_err(|e| corrupt("fingerprint", &e))?);
        }
        Ok(())
    }

    /// Each initiative's latest status on or before `on` (the last recorded, for a day with
    /// several): one index seek per initiative, however long the history.
    pub fn latest_statuses(&self, strategy: &str, on: NaiveDate) -> Result<Vec<StatusPoint>> {
        // Two seeks per initiative into the covering index, rather than one seek and a lookup
        // in the wide history table: the second seek finds its pages already read.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, status, reported_on FROM (
                 SELECT i.id,
                     (SELECT u.status FROM status_update u
                      WHERE u.strategy_id = ?1 AND u.initiative_id = i.id AND u.reported_on <= ?2
                        AND {RECORDED_BY_KNOWN_AT}
                      ORDER BY u.reported_on DESC, u.id DESC LIMIT 1) AS status,
                     (SELECT u.reported_on FROM status_update u
                      WHERE u.strategy_id = ?1 AND u.initiative_id = i.id AND u.reported_on <= ?2
                        AND {RECORDED_BY_KNOWN_AT}
                      ORDER BY u.reported_on DESC, u.id DESC LIMIT 1) AS reported_on
                 FROM initiative i WHERE i.strategy_id = ?1)
             WHERE status IS NOT NULL"
        ))?;
        let points = stmt.query_and_then(params![strategy, on, self.known_at], row_to_point)?;
        points.collect()
    }

    /// Every update of a strategy dated on or before `upto`, per initiative oldest first
    /// (by the day it holds for, then by when it was recorded).
    pub fn updates_until(&self, strategy: &str, upto: NaiveDate) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            // `+` keeps the date range off the by-date index: walking the by-initiative index
            // gives the rows already in this order, where a sort of the whole history would not.
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND +u.reported_on <= ?2 AND (?3 IS NULL OR e.recorded_at <= ?3)
             ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy, upto, self.known_at], row_to_update)?;
        collect(rows)
    }

    /// Each initiative's latest update on or before `from`, and every update after it up to
    /// `upto`, per initiative oldest first (as [`Store::updates_until`]): enough to tell any
    /// initiative's status on any day from `from` to `upto`, without reading older history.
    /// Two index walks (one seek per initiative, one date range), however long the history.
    pub fn updates_since(
        &self,
        strategy: &str,
        from: NaiveDate,
        upto: NaiveDate,
    ) -> Result<Vec<StoredUpdate>> {
        if self.known_at.is_some() {
            // The record as it stood at a past moment is read whole and filtered: simple, and
            // such reports are rare.
            return self.updates_until(strategy, upto);
        }
        let mut state = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.id IN (
                 SELECT (SELECT x.id FROM status_update x
                         WHERE x.strategy_id = ?1 AND x.initiative_id = i.id AND x.reported_on <= ?2
                         ORDER BY x.reported_on DESC, x.id DESC LIMIT 1)
                 FROM initiative i WHERE i.strategy_id = ?1)"
        ))?;
        let mut out = collect(state.query_map(params![strategy, from], row_to_update)?)?;
        let mut after = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND u.reported_on > ?2 AND u.reported_on <= ?3
             ORDER BY u.reported_on, u.id"
        ))?;
        out.extend(collect(
            after.query_map(params![strategy, from, upto], row_to_update)?,
        )?);
        // Stable: updates of one initiative and day stay in the order they were recorded.
        out.sort_by(|a, b| {
            (&a.update.initiative, a.update.reported_on)
                .cmp(&(&b.update.initiative, b.update.reported_on))
        });
        Ok(out)
    }

    /// Every update of a strategy, per initiative oldest first, handed to `read` one at a time
    /// as SQLite yields them: nothing is collected, however long the history.
    pub fn with_all_updates<R>(
        &self,
        strategy: &str,
        read: impl FnOnce(&mut dyn Iterator<Item = Result<StoredUpdate>>) -> R,
    ) -> Result<R> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND (?2 IS NULL OR e.recorded_at <= ?2) ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy, self.known_at], row_to_update)?;
        Ok(read(&mut rows.map(finish)))
    }

    /// One initiative's whole history, oldest first.
    pub fn history(&self, strategy: &str, initiative: &str) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND u.initiative_id = ?2 AND (?3 IS NULL OR e.recorded_at <= ?3) ORDER BY u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy, initiative, self.known_at], row_to_update)?;
        collect(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    fn store_with_history() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        load_plan(
            &mut store,
            plan(vec![
                initiative("b", &[]),
                initiative("a", &[]),
                initiative("c", &[]),
            ]),
            "2020-01-01",
        );
        report_status(
            &mut store,
            &[
                ("a", Status::OnTrack, "2021-03-31"),
                ("a", Status::Delayed, "2021-06-30"),
                ("b", Status::NotStarted, "2021-06-30"),
                ("a", Status::Completed, "2022-03-31"),
            ],
        );
        // A correction for the same day: the later recording wins.
        report_status(&mut store, &[("b", Status::AtRisk, "2021-06-30")]);
        store
    }

    /// The narrow reads the graph verbs use agree with the full update rows.
    #[test]
    fn status_points_agree_with_the_full_history() {
        let store = store_with_history();
        for upto in ["2021-01-01", "2021-06-30", "2021-12-31", "2022-12-31"] {
            let upto = day(upto);
            let full: Vec<StatusPoint> = store
                .updates_until("s", upto)
                .unwrap()
                .into_iter()
                .map(|u| StatusPoint {
                    initiative: u.update.initiative,
                    status: u.update.status,
                    reported_on: u.update.reported_on,
                })
                .collect();
            assert_eq!(store.statuses_until("s", upto).unwrap(), full, "{upto}");

            let mut latest: Vec<StatusPoint> = Vec::new();
            for p in full {
                match latest.last_mut() {
                    Some(last) if last.initiative == p.initiative => *last = p,
                    _ => latest.push(p),
                }
            }
            let mut got = store.latest_statuses("s", upto).unwrap();
            got.sort_by(|x, y| x.initiative.cmp(&y.initiative));
            assert_eq!(got, latest, "{upto}");
        }
        let b = store.latest_statuses("s", day("2021-06-30")).unwrap();
        assert!(b.contains(&StatusPoint {
            initiative: "b".into(),
            status: Status::AtRisk,
            reported_on: day("2021-06-30"),
        }));
    }

    #[test]
    fn fingerprints_come_in_history_order() {
        let store = store_with_history();
        let mut seen = Vec::new();
        store
            .for_each_fingerprint("s", day("2021-12-31"), |f| seen.push(f.to_string()))
            .unwrap();
        let expected: Vec<String> = store
            .updates_until("s", day("2021-12-31"))
            .unwrap()
            .iter()
            .map(|u| fingerprint(&u.update))
            .collect();
        assert_eq!(seen, expected);
        assert_eq!(seen.len(), 4);
    }
}
