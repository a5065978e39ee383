//! Closed reporting periods: once a year (or half-year) is reported to Skate, the record of it
//! is frozen. The content hash lets anyone check that a document matches the record.

use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;
use rusqlite::OptionalExtension;
use rusqlite::params;
use serde::Serialize;
use sha2::Digest;
use sha2::Sha256;

use super::Store;
use super::StoredPlan;
use super::plan::ItemType;
use super::plan::json;
use super::timestamp;
use crate::error::Error;
use crate::error::Result;
use crate::period::PeriodSpec;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosedPeriod {
    pub period: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub content_hash: String,
    pub closed_at: String,
}

impl Store {
    /// The content hash of a strategy's record up to a day: its plan (as given; see
    /// [`ContentHash`]) and the fingerprint of every update dated up to `upto`, in the
    /// order the history is read ([`Store::for_each_fingerprint`]).
    pub fn content_hash(
        &self,
        plan: &StoredPlan,
        strategy: &str,
        upto: NaiveDate,
    ) -> Result<String> {
        let mut hash = ContentHash::of_plan(plan);
        self.for_each_fingerprint(strategy, upto, |fingerprint| hash.update(fingerprint))?;
        Ok(hash.finish())
    }

    pub fn closed_periods(&self, strategy: &str) -> Result<Vec<ClosedPeriod>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.period, p.first_day, p.last_day, p.content_hash, e.recorded_at
             FROM closed_period p JOIN load_event e ON e.id = p.load_event_id
             WHERE p.strategy_id = ?1 ORDER BY p.first_day, p.last_day",
        )?;
        let rows = stmt.query_map([strategy], |r| {
            Ok(ClosedPeriod {
                period: r.get(0)?,
                first_day: r.get(1)?,
                last_day: r.get(2)?,
                content_hash: r.get(3)?,
                closed_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Closes a period and records its content hash. The write lock is held from before the
    /// hash is computed until it is recorded, so no update can slip in between.
    pub fn close_period(
        &self,
        strategy: &str,
        period: PeriodSpec,
        now: DateTime<Utc>,
    ) -> Result<ClosedPeriod> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = self.close_period_locked(strategy, period, now);
        match result {
            Ok(closed) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(closed)
            }
            Err(e) => {
                // The error that matters is the first one; a failed rollback adds nothing.
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn close_period_locked(
        &self,
        strategy: &str,
        period: PeriodSpec,
        now: DateTime<Utc>,
    ) -> Result<ClosedPeriod> {
        let name = period.to_string();
        let existing: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT content_hash FROM closed_period WHERE strategy_id = ?1 AND period = ?2",
            )?
            .query_row(params![strategy, name], |r| r.get(0))
            .optional()?;
        if let Some(hash) = existing {
            return Err(Error::refused(format!(
                "{name} is already closed (content hash {hash})"
            )));
        }
        let content_hash = self.content_hash(&self.plan(strategy)?, strategy, period.last_day())?;
        let closed_at = timestamp(now);
        self.conn
            .prepare_cached(
                "INSERT INTO load_event (recorded_at, command) VALUES (?1, 'period close')",
            )?
            .execute([&closed_at])?;
        let event = self.conn.last_insert_rowid();
        self.conn
            .prepare_cached(
                "INSERT INTO closed_period (strategy_id, period, first_day, last_day, content_hash, load_event_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![strategy, name, period.first_day(), period.last_day(), content_hash, event])?;
        Ok(ClosedPeriod {
            period: name,
            first_day: period.first_day(),
            last_day: period.last_day(),
            content_hash,
            closed_at,
        })
    }
}

/// A SHA-256 over the plan (every item, withdrawn ones marked) and then the updates'
/// fingerprints, in a fixed order: the same record always gives the same hash, and any change
/// gives another. Fed one update at a time, so the history is never held in memory.
pub(crate) struct ContentHash(Sha256);

impl ContentHash {
    pub fn of_plan(plan: &StoredPlan) -> Self {
        let mut hash = ContentHash(Sha256::new());
        if let Some(s) = &plan.plan.strategy {
            hash.feed("strategy", &s.id, &json(s));
        }
        let p = &plan.plan;
        let items = p
            .organisations
            .iter()
            .map(|o| (ItemType::Organisation, o.id.as_str(), json(o)));
        let items = items
            .chain(
                p.focus_areas
                    .iter()
                    .map(|f| (ItemType::FocusArea, f.id.as_str(), json(f))),
            )
            .chain(
                p.initiatives
                    .iter()
                    .map(|i| (ItemType::Initiative, i.id.as_str(), json(i))),
            )
            .chain(
                p.indicators
                    .iter()
                    .map(|i| (ItemType::Indicator, i.id.as_str(), json(i))),
            );
        for (t, id, body) in items {
            let mark = if plan.is_withdrawn(t, id) {
                " withdrawn"
            } else {
                ""
            };
            hash.feed(t.as_str(), id, &format!("{body}{mark}"));
        }
        hash
    }

    /// The next update's fingerprint, in history order.
    pub fn update(&mut self, fingerprint: &str) {
        self.feed("update", "", fingerprint);
    }

    pub fn finish(self) -> String {
        super::hex(&self.0.finalize())
    }

    fn feed(&mut self, kind: &str, id: &str, body: &str) {
        for part in [kind, id, body] {
            self.0.update(part.as_bytes());
            self.0.update([0]);
        }
    }
}
