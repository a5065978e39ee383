//! The status history: append-only rows, one per distinct update. The same update loaded twice
//! is stored once (by a hash of its content); a changed update for the same day is a correction.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use sha2::Digest;
use sha2::Sha256;

use super::Session;
use super::SourceInfo;
use super::Store;
use super::corrupt;
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
}

pub(crate) fn fingerprint(u: &Update) -> String {
    // The model serialises deterministically (struct field order), so equal updates hash equal.
    let json = serde_json::to_vec(u).unwrap_or_default();
    let digest = Sha256::digest(&json);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn write_form(
    s: &mut Session<'_>,
    source: &SourceInfo,
    form: &Form,
) -> Result<UpdateChanges> {
    let mut changes = UpdateChanges::default();
    let mut fresh = Vec::new();
    {
        let mut exists = s.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM status_update WHERE strategy_id = ?1 AND fingerprint = ?2)",
        )?;
        let mut same_day = s.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM status_update WHERE strategy_id = ?1 AND initiative_id = ?2 AND reported_on = ?3)",
        )?;
        for u in &form.updates {
            let fp = fingerprint(u);
            if exists.query_row(params![form.strategy, fp], |r| r.get::<_, bool>(0))? {
                changes.unchanged += 1;
                continue;
            }
            if same_day.query_row(params![form.strategy, u.initiative, u.reported_on], |r| {
                r.get::<_, bool>(0)
            })? {
                changes.corrections += 1;
            }
            fresh.push((u, fp));
        }
    }
    if fresh.is_empty() {
        return Ok(changes);
    }
    let source_id = s.source(source)?;
    let mut insert = s.tx.prepare_cached(
        "INSERT INTO status_update (strategy_id, initiative_id, reported_on, status, progress, summary,
             description, success_factors, challenges, lessons, next_year, respondent, source_id, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (strategy_id, fingerprint) DO NOTHING",
    )?;
    for (u, fp) in fresh {
        let a = &u.answers;
        changes.added += insert.execute(params![
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
            fp
        ])?;
    }
    Ok(changes)
}

const SELECT_UPDATES: &str = "SELECT u.initiative_id, u.status, u.progress, u.reported_on, u.summary, u.description,
        u.success_factors, u.challenges, u.lessons, u.next_year, u.respondent, e.recorded_at, s.path
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
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND u.reported_on <= ?2 ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy, upto], row_to_update)?;
        collect(rows)
    }

    /// Every update of a strategy, per initiative oldest first.
    pub fn all_updates(&self, strategy: &str) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy], row_to_update)?;
        collect(rows)
    }

    /// One initiative's whole history, oldest first.
    pub fn history(&self, strategy: &str, initiative: &str) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND u.initiative_id = ?2 ORDER BY u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy, initiative], row_to_update)?;
        collect(rows)
    }
}
