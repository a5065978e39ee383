//! Closed reporting periods: once a year (or half-year) is reported to Skate, the record of it
//! is frozen. The content hash lets anyone check that a document matches the record.

use chrono::DateTime;
use chrono::Datelike;
use chrono::NaiveDate;
use chrono::Utc;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::params;
use serde::Serialize;
use sha2::Digest;
use sha2::Sha256;

use super::Store;
use super::StoredPlan;
use super::plan::json;
use super::timestamp;
use crate::error::Error;
use crate::error::Result;
use crate::model::ItemType;
use crate::period::PeriodSpec;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosedPeriod {
    pub period: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub content_hash: String,
    /// How the hash was computed: 1 for periods closed before rule 2 existed (see
    /// [`Store::content_hash`]).
    pub hash_rule: u8,
    pub closed_at: String,
}

/// What `period verify` found for one closed period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodCheck {
    pub period: String,
    pub hash_rule: u8,
    /// The hash recorded when the period closed.
    pub recorded: String,
    /// The same hash computed again from the rows, as the record stood at the close.
    pub rebuilt: String,
    /// Rows whose content no longer matches what was recorded: an update whose content does
    /// not give its stored fingerprint, a current plan row that differs from its recorded
    /// version. (The hash is built from fingerprints and versions; these catch a change to the
    /// rows a report reads that leaves those alone.)
    pub forged: Vec<String>,
    /// Whether the record of the period is as it was when it closed: the hash rebuilds, and
    /// nothing is forged.
    pub intact: bool,
    /// The hash of the record as it stands now.
    pub current: String,
    /// Corrections recorded since the close that change the period's report (they explain a
    /// current hash that differs from the recorded one).
    pub corrections_since: usize,
}

/// The closed period that reaches furthest: every day up to its last is frozen (an update or
/// plan revision dated on or before it is a correction). `None` when nothing is closed.
pub(super) fn frozen_until(
    conn: &Connection,
    strategy: &str,
) -> Result<Option<(String, NaiveDate)>> {
    Ok(conn
        .prepare_cached(
            "SELECT period, last_day FROM closed_period WHERE strategy_id = ?1
             ORDER BY last_day DESC, id DESC LIMIT 1",
        )?
        .query_row([strategy], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

impl Store {
    /// The content hash of a strategy's record up to a day (rule 2): every plan item in force
    /// on `upto` (the latest version of each that takes effect by then, withdrawn ones marked),
    /// in the order of their type and id, then the fingerprint of every update dated up to
    /// `upto` that is not retracted, in history order. Everything as recorded by the store's
    /// `known_at` moment, if set. Plan revisions taking effect later, updates dated later and
    /// anything recorded later leave it unchanged; so a closed period's hash can always be
    /// rebuilt (`report P --as-known-at T`).
    pub fn content_hash(&self, strategy: &str, upto: NaiveDate) -> Result<String> {
        let mut hash = ContentHash(Sha256::new());
        self.for_each_item_in_force(strategy, Some(upto), |t, id, content, withdrawn| {
            let mark = if withdrawn { " withdrawn" } else { "" };
            hash.feed(t.as_str(), id, &format!("{content}{mark}"));
        })?;
        self.for_each_fingerprint(strategy, upto, |fingerprint| hash.update(fingerprint))?;
        Ok(hash.finish())
    }

    /// The hash of rule 1, which periods closed before rule 2 carry: the plan as recorded (in
    /// plan order) and every update dated up to `upto`.
    fn content_hash_rule1(&self, strategy: &str, upto: NaiveDate) -> Result<String> {
        let mut hash = ContentHash::of_plan(&self.plan(strategy)?);
        self.for_each_fingerprint(strategy, upto, |fingerprint| hash.update(fingerprint))?;
        Ok(hash.finish())
    }

    /// The closed period that reaches furthest: everything dated up to its last day is frozen.
    pub fn frozen_until(&self, strategy: &str) -> Result<Option<(String, NaiveDate)>> {
        frozen_until(&self.conn, strategy)
    }

    pub fn closed_periods(&self, strategy: &str) -> Result<Vec<ClosedPeriod>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.period, p.first_day, p.last_day, p.content_hash, p.hash_rule, e.recorded_at
             FROM closed_period p JOIN load_event e ON e.id = p.load_event_id
             WHERE p.strategy_id = ?1 ORDER BY p.first_day, p.last_day",
        )?;
        let rows = stmt.query_map([strategy], |r| {
            Ok(ClosedPeriod {
                period: r.get(0)?,
                first_day: r.get(1)?,
                last_day: r.get(2)?,
                content_hash: r.get(3)?,
                hash_rule: r.get(4)?,
                closed_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Closes a period and records its content hash. Only a period that has ended (its last
    /// day is before `today`) and lies within the strategy's period can be closed, and only
    /// once. The write lock is held from before the hash is computed until it is recorded, so
    /// no update can slip in between.
    pub fn close_period(
        &self,
        strategy: &crate::model::Strategy,
        period: PeriodSpec,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<ClosedPeriod> {
        if matches!(period, PeriodSpec::Day(_)) {
            return Err(Error::refused(
                "a period to close is a year (2023) or a half-year (2024H1), not a day",
            ));
        }
        let span = strategy.period;
        if !span.contains_year(period.first_day().year()) {
            return Err(Error::refused_with_hint(
                format!(
                    "{period} is outside the strategy period {}–{}",
                    span.start, span.end
                ),
                "close a year or half-year of the strategy's own period",
            ));
        }
        if period.last_day() >= today {
            return Err(Error::refused_with_hint(
                format!(
                    "{period} has not ended: it ends on {} (today is {today})",
                    period.last_day()
                ),
                "a period is closed once it is over and reported; closing is final",
            ));
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = self.close_period_locked(&strategy.id, period, now);
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
        let content_hash = self.content_hash(strategy, period.last_day())?;
        let closed_at = timestamp(now);
        self.conn
            .prepare_cached(
                "INSERT INTO load_event (recorded_at, command) VALUES (?1, 'period close')",
            )?
            .execute([&closed_at])?;
        let event = self.conn.last_insert_rowid();
        self.conn
            .prepare_cached(
                "INSERT INTO closed_period (strategy_id, period, first_day, last_day, content_hash, load_event_id, hash_rule)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 2)",
            )?
            .execute(params![strategy, name, period.first_day(), period.last_day(), content_hash, event])?;
        Ok(ClosedPeriod {
            period: name,
            first_day: period.first_day(),
            last_day: period.last_day(),
            content_hash,
            hash_rule: 2,
            closed_at,
        })
    }

    /// Recomputes each closed period's hash from the rows, as the record stood when it closed,
    /// and compares it with the hash recorded then (`period verify`). A difference means the
    /// rows of the period were changed behind the tool's back. Also says how the record stands
    /// now: corrections since the close change the period's current hash, openly.
    pub fn verify_periods(
        &mut self,
        strategy: &str,
        only: Option<&str>,
    ) -> Result<Vec<PeriodCheck>> {
        let mut out = Vec::new();
        // Rows changed behind the tool's back outside the history (current plan rows, the
        // latest statuses) are the same whichever period is checked: looked for once.
        let mut forged_rows: Option<Vec<String>> = None;
        let saved = self.known_at.take();
        let result = (|| {
            for p in self.closed_periods(strategy)? {
                if only.is_some_and(|name| name != p.period) {
                    continue;
                }
                self.known_at = Some(p.closed_at.clone());
                let rebuilt = match p.hash_rule {
                    1 => self.content_hash_rule1(strategy, p.last_day)?,
                    _ => self.content_hash(strategy, p.last_day)?,
                };
                self.known_at = saved.clone();
                let current = self.content_hash(strategy, p.last_day)?;
                let corrections_since =
                    self.corrections_since(strategy, &p.closed_at, p.last_day)?;
                let mut forged: Vec<String> = self
                    .updates_not_matching_their_fingerprint(strategy, p.last_day)?
                    .into_iter()
                    .map(|id| format!("update {id} no longer matches its fingerprint"))
                    .collect();
                if forged_rows.is_none() {
                    let mut rows = self.plan_rows_not_matching_versions(strategy)?;
                    rows.extend(self.latest_statuses_not_matching_history(strategy)?);
                    forged_rows = Some(rows);
                }
                forged.extend(forged_rows.iter().flatten().cloned());
                out.push(PeriodCheck {
                    intact: rebuilt == p.content_hash && forged.is_empty(),
                    forged,
                    period: p.period,
                    hash_rule: p.hash_rule,
                    recorded: p.content_hash,
                    rebuilt,
                    current,
                    corrections_since,
                });
            }
            Ok(out)
        })();
        self.known_at = saved;
        result
    }

    /// How many corrections (updates, retractions and plan revisions marked as corrections)
    /// were recorded after `since` for days up to `upto`.
    fn corrections_since(&self, strategy: &str, since: &str, upto: NaiveDate) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT
                   (SELECT count(*) FROM status_update u JOIN source s ON s.id = u.source_id
                    JOIN load_event e ON e.id = s.load_event_id
                    WHERE u.strategy_id = ?1 AND u.correction IS NOT NULL AND e.recorded_at > ?2
                      AND u.reported_on <= ?3)
                 + (SELECT count(*) FROM retraction x JOIN status_update u ON u.id = x.update_id
                    JOIN load_event e ON e.id = x.load_event_id
                    WHERE u.strategy_id = ?1 AND e.recorded_at > ?2 AND u.reported_on <= ?3)
                 + (SELECT count(*) FROM plan_revision r JOIN source s ON s.id = r.source_id
                    JOIN load_event e ON e.id = s.load_event_id
                    WHERE r.strategy_id = ?1 AND r.correction IS NOT NULL AND e.recorded_at > ?2
                      AND r.effective_on <= ?3)",
            )?
            .query_row(params![strategy, since, upto], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or_default())
    }
}

/// A SHA-256 over the plan's items and then the updates' fingerprints, in a fixed order: the
/// same record always gives the same hash, and any change gives another. Fed one update at a
/// time, so the history is never held in memory.
pub(crate) struct ContentHash(Sha256);

impl ContentHash {
    /// Rule 1: the plan's items in plan order, withdrawn ones marked.
    fn of_plan(plan: &StoredPlan) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Measurement;
    use crate::model::MeasurementSet;
    use crate::model::Status;
    use crate::store::Batch;
    use crate::testing::*;

    /// One step of a scripted history, recorded at its own moment.
    enum Step {
        Plan(&'static [&'static str], Option<&'static str>),
        Updates(
            &'static [(&'static str, Status, &'static str)],
            Option<&'static str>,
        ),
        Close(&'static str),
        Retract(&'static str, &'static str, Option<&'static str>),
        Measure(f64),
    }

    fn write(store: &mut Store, batch: Batch, now: DateTime<Utc>) {
        store.write(&batch, now, "test").unwrap();
    }

    /// A long history of revisions, withdrawals, corrections, retractions and measurements.
    /// After every step, every closed period's hash is rebuilt as it was known at its close,
    /// and, while nothing has corrected the period, the hash of the record as it stands is the
    /// closed one too.
    #[test]
    fn every_closed_hash_is_rebuilt_at_every_step_of_a_long_history() {
        use Status::*;
        use Step::*;
        let script = [
            ("2021-01-05", Plan(&["a", "b", "c"], None)),
            (
                "2021-01-06",
                Updates(
                    &[("a", OnTrack, "2020-06-01"), ("b", Delayed, "2020-06-01")],
                    None,
                ),
            ),
            ("2021-01-07", Measure(40.0)),
            ("2021-02-01", Close("2020")),
            ("2021-03-01", Plan(&["a", "b", "d"], Some("2021-03-01"))),
            (
                "2021-05-02",
                Updates(
                    &[("a", Completed, "2021-05-01"), ("d", OnTrack, "2021-05-01")],
                    None,
                ),
            ),
            ("2021-06-01", Measure(45.0)),
            (
                "2021-06-02",
                Updates(&[("b", OnTrack, "2020-11-01")], Some("Feil status i 2020")),
            ),
            ("2022-01-15", Close("2021")),
            ("2022-02-01", Plan(&["a", "d", "e"], Some("2022-02-01"))),
            (
                "2022-03-02",
                Updates(
                    &[("d", AtRisk, "2022-03-01"), ("e", NotStarted, "2022-03-01")],
                    None,
                ),
            ),
            ("2022-03-03", Retract("d", "2021-05-01", Some("Feil år"))),
            ("2022-03-04", Retract("e", "2022-03-01", None)),
            ("2022-04-02", Updates(&[("e", OnTrack, "2022-04-01")], None)),
            ("2022-07-05", Close("2022H1")),
            (
                "2022-09-01",
                Plan(&["a", "d", "e", "f"], Some("2022-09-01")),
            ),
            ("2022-10-02", Updates(&[("f", OnTrack, "2022-10-01")], None)),
            ("2022-10-03", Measure(50.0)),
        ];
        let mut store = Store::open_in_memory().unwrap();
        let mut corrected = false;
        for (n, (when, step)) in script.iter().enumerate() {
            let now = at(when);
            match step {
                Plan(ids, revised) => {
                    let mut p = plan(ids.iter().map(|id| initiative(id, &[])).collect());
                    p.revised = revised.map(day);
                    p.indicators = vec![indicator()];
                    let batch = Batch {
                        plans: vec![(source(), p)],
                        ..Batch::default()
                    };
                    write(&mut store, batch, now);
                }
                Updates(updates, correction) => {
                    let batch = Batch {
                        forms: vec![(source(), form(updates))],
                        correction: correction.map(str::to_string),
                        ..Batch::default()
                    };
                    write(&mut store, batch, now);
                }
                Close(period) => {
                    let strategy = store.resolve_strategy(Some("s")).unwrap();
                    store
                        .close_period(&strategy, period.parse().unwrap(), now, now.date_naive())
                        .unwrap();
                }
                Retract(id, on, correction) => {
                    let update = store
                        .history("s", id)
                        .unwrap()
                        .into_iter()
                        .find(|u| u.update.reported_on == day(on))
                        .unwrap();
                    store.retract(update.id, "feil", *correction, now).unwrap();
                }
                Measure(value) => {
                    let set = MeasurementSet {
                        strategy: "s".into(),
                        rows: vec![Measurement {
                            indicator: "andel".into(),
                            segment: "alle".into(),
                            year: 2021,
                            value: *value,
                            source: None,
                        }],
                    };
                    let batch = Batch {
                        measurements: vec![(source(), set)],
                        ..Batch::default()
                    };
                    write(&mut store, batch, now);
                }
            }
            for check in store.verify_periods("s", None).unwrap() {
                assert!(check.intact, "step {n}: {} does not rebuild", check.period);
                if check.corrections_since == 0 {
                    assert_eq!(check.current, check.recorded, "step {n}: {}", check.period);
                } else {
                    corrected = true;
                    assert_ne!(check.current, check.recorded, "step {n}: {}", check.period);
                }
            }
        }
        assert!(corrected, "the script corrects a closed period");
        assert_eq!(store.closed_periods("s").unwrap().len(), 3);
    }

    fn form(updates: &[(&str, Status, &str)]) -> crate::model::Form {
        crate::model::Form {
            strategy: "s".into(),
            owner: None,
            round: None,
            reported_on: day("2020-01-01"),
            updates: updates
                .iter()
                .map(|(id, status, on)| crate::model::Update {
                    initiative: id.to_string(),
                    status: *status,
                    progress: None,
                    reported_on: day(on),
                    answers: Default::default(),
                    respondent: None,
                    basis: None,
                    source: None,
                })
                .collect(),
        }
    }

    fn indicator() -> crate::model::Indicator {
        crate::model::Indicator {
            id: "andel".into(),
            title: "Andel".into(),
            focus_area: None,
            unit: crate::model::Unit::Percent,
            better: crate::model::Better::Higher,
            segments: vec!["alle".into()],
            source: None,
            targets: vec![],
            weight: None,
        }
    }
}
