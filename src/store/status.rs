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
    pub source: String,
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
            },
            recorded_at: r.get(11)?,
            source: r.get(12)?,
            correction: r.get(13)?,
        },
        status,
    ))
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<(StoredUpdate, String)>>,
) -> Result<Vec<StoredUpdate>> {
    let mut out = Vec::new();
    for row in rows {
        let (mut u, status) = row?;
        u.update.status = status.parse().map_err(|_| corrupt("status", &status))?;
        out.push(u);
    }
    Ok(out)
}

impl Store {
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

    /// Every update of a strategy, per initiative oldest first.
    pub fn all_updates(&self, strategy: &str) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND (?2 IS NULL OR e.recorded_at <= ?2) ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy, self.known_at], row_to_update)?;
        collect(rows)
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
