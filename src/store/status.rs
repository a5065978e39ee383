//! The status history: append-only rows, one per distinct update. The same update loaded twice
//! is stored once (by a hash of its content); a changed update for the same day is a correction.

use std::collections::HashMap;

use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;
use rusqlite::OptionalExtension;
use rusqlite::Transaction;
use rusqlite::params;
use serde::Serialize;

use super::Session;
use super::SourceInfo;
use super::Store;
use super::corrupt;
use super::day_at;
use super::text_at;
use crate::error::Error;
use crate::error::Result;
use crate::model::Answers;
use crate::model::Form;
use crate::model::Status;
use crate::model::Update;
use crate::model::export::ExportedUpdate;
use crate::model::export::RetractionExport;

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
    /// The update's number in the history: stable, and what `status retract` takes.
    pub id: i64,
    #[serde(flatten)]
    pub update: Update,
    pub recorded_at: String,
    /// The file (or command) the update was loaded from.
    pub source_file: String,
    /// Why this update corrects a closed period; `None` for ordinary updates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
    /// Set when the update was retracted (it stays in the history; reports leave it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted: Option<Retraction>,
}

/// A retraction of an update: why, when, and the correction reason where the update lay in a
/// closed period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retraction {
    pub reason: String,
    pub recorded_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

/// The fingerprints of a form's updates, in order.
pub(super) fn fingerprints(form: &Form) -> Vec<[u8; 32]> {
    form.updates.iter().map(Update::fingerprint_bytes).collect()
}

/// Appends a form's updates, given their [`fingerprints`]. The history's `same_content` trigger
/// decides what is new: an update already stored is left out by the INSERT itself, with no
/// lookup of its own.
pub(super) fn write_form(
    s: &mut Session<'_>,
    source: &SourceInfo,
    form: &Form,
    fingerprints: &[[u8; 32]],
) -> Result<UpdateChanges> {
    let mut changes = UpdateChanges::default();
    let mut updates = form.updates.iter().zip(fingerprints.iter().copied());
    // The source is recorded only when something is new: until the first new update, each one
    // is looked up; from then on the INSERT's conflict clause tells.
    let mut exists = s.tx.prepare_cached(RECORDED)?;
    let first_new = loop {
        let Some((u, fp)) = updates.next() else {
            return Ok(changes);
        };
        if exists.query_row(params![form.strategy, u.initiative, &fp[..]], |r| {
            r.get::<_, bool>(0)
        })? {
            changes.unchanged += 1;
        } else {
            break (u, fp);
        }
    };
    let source_id = s.source(source)?;
    // Updates dated on a frozen day (up to the end of the furthest closed period) can only come
    // in as corrections (validated before the write); they carry the reason.
    let frozen = super::periods::frozen_until(s.tx, &form.strategy)?.map(|(_, day)| day);
    let correction = |day: NaiveDate| {
        frozen
            .is_some_and(|last| day <= last)
            .then_some(s.correction)
            .flatten()
    };
    let last_before: i64 =
        s.tx.prepare_cached("SELECT coalesce(max(id), 0) FROM status_update")?
            .query_row([], |r| r.get(0))?;
    let mut history = Appender::new(s.tx, &mut s.latest)?;
    for (u, fp) in std::iter::once(first_new).chain(updates) {
        let added = history.append(&form.strategy, u, &fp, source_id, correction(u.reported_on))?;
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

/// Appends updates to the history; one already stored (the same fingerprint) is skipped.
struct Appender<'t, 'w> {
    tx: &'t Transaction<'t>,
    insert: rusqlite::CachedStatement<'t>,
    latest: &'w mut LatestAdded,
}

impl<'t, 'w> Appender<'t, 'w> {
    fn new(tx: &'t Transaction<'t>, latest: &'w mut LatestAdded) -> Result<Self> {
        Ok(Appender {
            tx,
            insert: tx.prepare_cached(INSERT_UPDATE)?,
            latest,
        })
    }

    /// Appends one update: the count added (0 when it was stored already).
    fn append(
        &mut self,
        strategy: &str,
        u: &Update,
        fingerprint: &[u8; 32],
        source_id: i64,
        correction: Option<&str>,
    ) -> Result<usize> {
        let a = &u.answers;
        let added = self.insert.execute(params![
            strategy,
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
            &fingerprint[..],
            correction,
            u.basis.map(|b| b.as_str()),
            u.source
        ])?;
        if added == 1 {
            self.latest.note(strategy, u, self.tx.last_insert_rowid());
        }
        Ok(added)
    }
}

/// Whether the history holds an update of this fingerprint (`?3`) for the initiative `?2`:
/// a seek into the by-initiative index (a fingerprint covers the initiative, so that is where
/// a copy would be).
const RECORDED: &str = "SELECT EXISTS (SELECT 1 FROM status_update
    WHERE strategy_id = ?1 AND initiative_id = ?2 AND fingerprint = ?3)";

/// Appends an update; a copy of one stored is left out by the `same_content` trigger.
const INSERT_UPDATE: &str = "INSERT INTO status_update (strategy_id, initiative_id, reported_on, status, progress, summary,
         description, success_factors, challenges, lessons, next_year, respondent, source_id, fingerprint,
         correction, basis, cited_source)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

/// The latest update a write adds to each initiative's history (by day, then by when it was
/// recorded), merged into `latest_status` when the write is done: one upsert per initiative
/// rather than one per update.
#[derive(Debug, Default)]
pub(super) struct LatestAdded(HashMap<String, HashMap<String, AddedUpdate>>);

#[derive(Debug, Clone, Copy)]
struct AddedUpdate {
    reported_on: NaiveDate,
    id: i64,
    status: Status,
}

impl LatestAdded {
    fn note(&mut self, strategy: &str, u: &Update, id: i64) {
        let added = AddedUpdate {
            reported_on: u.reported_on,
            id,
            status: u.status,
        };
        let of_strategy = match self.0.get_mut(strategy) {
            Some(m) => m,
            None => self.0.entry(strategy.to_string()).or_default(),
        };
        match of_strategy.get_mut(&u.initiative) {
            Some(held) if (held.reported_on, held.id) >= (added.reported_on, added.id) => {}
            Some(held) => *held = added,
            None => {
                of_strategy.insert(u.initiative.clone(), added);
            }
        }
    }

    /// Merges what was added into `latest_status`, where it is later than what the table holds.
    pub(super) fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO latest_status (strategy_id, initiative_id, reported_on, update_id, status)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (strategy_id, initiative_id) DO UPDATE
             SET reported_on = excluded.reported_on, update_id = excluded.update_id,
                 status = excluded.status
             WHERE (excluded.reported_on, excluded.update_id)
                 > (latest_status.reported_on, latest_status.update_id)",
        )?;
        for (strategy, added) in self.0.drain() {
            for (initiative, a) in added {
                upsert.execute(params![
                    strategy,
                    initiative,
                    a.reported_on,
                    a.id,
                    a.status.as_str()
                ])?;
            }
        }
        Ok(())
    }
}

/// Restores a strategy's history from an export (into a database without it): every update
/// with the reason it corrected a closed period, then the retractions.
pub(super) fn import_updates(
    s: &mut Session<'_>,
    source: &SourceInfo,
    strategy: &str,
    updates: &[ExportedUpdate],
    retractions: &[RetractionExport],
) -> Result<UpdateChanges> {
    let mut changes = UpdateChanges::default();
    if updates.is_empty() {
        return Ok(changes);
    }
    let source_id = s.source(source)?;
    let mut history = Appender::new(s.tx, &mut s.latest)?;
    // A retraction names an update by its fingerprint alone; the history finds one by its
    // initiative and fingerprint.
    let mut initiative_of: HashMap<[u8; 32], &str> = HashMap::new();
    for u in updates {
        let fingerprint = u.update.fingerprint_bytes();
        let added = history.append(
            strategy,
            &u.update,
            &fingerprint,
            source_id,
            u.correction.as_deref(),
        )?;
        changes.added += added;
        changes.unchanged += 1 - added;
        if !retractions.is_empty() {
            initiative_of.insert(fingerprint, &u.update.initiative);
        }
    }
    // A retraction finds its initiative's latest again from the history (a trigger), which
    // must by then hold what this write added.
    s.latest.flush(s.tx)?;
    let event = s.event()?;
    let mut retract = s.tx.prepare_cached(
        "INSERT INTO retraction (update_id, reason, correction, load_event_id)
         SELECT id, ?4, ?5, ?6 FROM status_update
         WHERE strategy_id = ?1 AND initiative_id = ?2 AND fingerprint = ?3",
    )?;
    let mut retract_any = s.tx.prepare_cached(
        "INSERT INTO retraction (update_id, reason, correction, load_event_id)
         SELECT id, ?3, ?4, ?5 FROM status_update WHERE strategy_id = ?1 AND fingerprint = ?2",
    )?;
    for r in retractions {
        // An export names a fingerprint by its hex digits; the history holds its bytes, found
        // by the initiative of the exported update that has them. (Text only for a value an
        // older database held that was not a SHA-256 in hex: that one is looked for in every
        // initiative.)
        let fingerprint = crate::model::digest::unhex_fingerprint(&r.update);
        let initiative = fingerprint.and_then(|fp| initiative_of.get(&fp));
        let n = match (fingerprint, initiative) {
            (Some(fp), Some(initiative)) => retract.execute(params![
                strategy,
                initiative,
                &fp[..],
                r.reason,
                r.correction,
                event
            ])?,
            (Some(fp), None) => {
                retract_any.execute(params![strategy, &fp[..], r.reason, r.correction, event])?
            }
            (None, _) => {
                retract_any.execute(params![strategy, r.update, r.reason, r.correction, event])?
            }
        };
        if n == 0 {
            return Err(Error::refused(format!(
                "the export retracts an update it does not hold ({})",
                r.update
            )));
        }
    }
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
        u.correction, u.id, u.basis, u.cited_source
    FROM status_update u JOIN source s ON s.id = u.source_id JOIN load_event e ON e.id = s.load_event_id";

/// Leaves out updates retracted by the moment `?3` (every retraction when `?3` is NULL). `?4`
/// says whether the store holds a retraction at all: when it holds none (most databases),
/// SQLite never evaluates the subquery, and a walk of the history probes nothing.
const NOT_RETRACTED: &str = "(?4 = 0 OR NOT EXISTS (SELECT 1 FROM retraction x
        JOIN load_event xe ON xe.id = x.load_event_id
        WHERE x.update_id = u.id AND (?3 IS NULL OR xe.recorded_at <= ?3)))";

/// The schema version from which `latest_status` is kept (migration 0008).
const LATEST_STATUS_SCHEMA: i64 = 8;

/// Each initiative's latest status on or before `?2` among the updates `visible` (those
/// recorded by the moment and not retracted: [`RECORDED_BY_KNOWN_AT`], [`NOT_RETRACTED`]),
/// for the initiatives `i.id` of the table that follows it, closed by `)`. Two seeks per
/// initiative into the covering index, rather than one seek and a lookup in the wide history
/// table: the second seek finds its pages already read.
const LATEST_SEEKS: &str = "SELECT id, status, reported_on FROM (
    SELECT i.id,
        (SELECT v.status FROM visible v
         WHERE v.strategy_id = ?1 AND v.initiative_id = i.id AND v.reported_on <= ?2
         ORDER BY v.reported_on DESC, v.id DESC LIMIT 1) AS status,
        (SELECT v.reported_on FROM visible v
         WHERE v.strategy_id = ?1 AND v.initiative_id = i.id AND v.reported_on <= ?2
         ORDER BY v.reported_on DESC, v.id DESC LIMIT 1) AS reported_on
    FROM";

/// Whether initiative `i.id` has an update among those `visible` dated from `?2` to `?5`.
const ANY_VISIBLE_BETWEEN: &str = "EXISTS (SELECT 1 FROM visible v WHERE v.strategy_id = ?1
    AND v.initiative_id = i.id AND v.reported_on >= ?2 AND v.reported_on <= ?5)";

/// `?5`: a JSON array of the initiative ids a read is limited to, or NULL for all of them.
const ONLY_INITIATIVE_ID: &str =
    "(?5 IS NULL OR initiative_id IN (SELECT value FROM json_each(?5)))";
const ONLY_ID: &str = "(?5 IS NULL OR id IN (SELECT value FROM json_each(?5)))";

/// What [`Store::for_each_status_until`] reads of an update: all of it in the by-initiative
/// index.
const SELECT_POINTS: &str =
    "SELECT u.initiative_id, u.status, u.reported_on, u.id FROM status_update u";

/// The updates dated after `?2` up to `?5`, per initiative oldest first (with
/// [`NOT_RETRACTED`] and [`PER_INITIATIVE`]): a range seek per initiative in the by-initiative
/// index gives them in that order, and no index by date is kept for this alone.
const DATED_AFTER: &str = "WHERE u.strategy_id = ?1
      AND u.initiative_id IN (SELECT id FROM initiative WHERE strategy_id = ?1)
      AND u.reported_on > ?2 AND u.reported_on <= ?5";

const PER_INITIATIVE: &str = "ORDER BY u.initiative_id, u.reported_on, u.id";

fn row_to_update(r: &rusqlite::Row<'_>) -> rusqlite::Result<(StoredUpdate, String)> {
    let status: String = r.get(1)?;
    let basis: Option<String> = r.get(15)?;
    Ok((
        StoredUpdate {
            id: r.get(14)?,
            update: Update {
                initiative: r.get(0)?,
                // Replaced below: the CHECK constraint guarantees a known word.
                status: crate::model::Status::NotStarted,
                progress: r.get(2)?,
                reported_on: day_at(r, 3)?,
                answers: answers_at(r, 4)?,
                respondent: r.get(10)?,
                // The CHECK constraint allows only the two words.
                basis: basis.and_then(|b| b.parse().ok()),
                source: r.get(16)?,
            },
            recorded_at: r.get(11)?,
            source_file: r.get(12)?,
            correction: r.get(13)?,
            retracted: None,
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

/// Calls `f` with a stored fingerprint as the text it stands for: the 64 lowercase hex digits of
/// its 32 bytes (as written since migration 0007), or a text value that migration kept as it
/// was (it was not a SHA-256 in hex: only raw SQL could have written it).
fn with_fingerprint<R>(
    value: rusqlite::types::ValueRef<'_>,
    f: impl FnOnce(&str) -> R,
) -> Result<R> {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Blob(bytes) => {
            let bytes: &[u8; 32] = bytes
                .try_into()
                .map_err(|_| corrupt("fingerprint", &format!("{} bytes", bytes.len())))?;
            let mut text = [0u8; 64];
            Ok(f(crate::model::digest::hex_into(bytes, &mut text)))
        }
        ValueRef::Text(text) => Ok(f(
            std::str::from_utf8(text).map_err(|e| corrupt("fingerprint", &e))?
        )),
        other => Err(corrupt("fingerprint", &format!("{:?}", other.data_type()))),
    }
}

/// An update reduced to what the dependency graph needs: whose, which status, for which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPoint {
    pub initiative: String,
    pub status: Status,
    pub reported_on: NaiveDate,
}

/// What a report reads of each update it counts ([`Store::updates_since`]'s updates, read in
/// two parts: [`Store::update_marks_until`] and [`Store::update_marks_after`]): enough to tell
/// statuses on any day and to choose the few it reads whole ([`Store::updates_by_id`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateMark {
    pub id: i64,
    pub initiative: String,
    pub status: Status,
    pub reported_on: NaiveDate,
    /// It records a correction (its reason is in the whole update).
    pub corrected: bool,
    /// It answers at least one of the five questions (not only the summary).
    pub answered: bool,
}

/// What the public site shows of an update ([`Store::public_histories`]): who answered, and
/// when and from where it was recorded, are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicUpdate {
    pub status: Status,
    pub progress: Option<u8>,
    pub reported_on: NaiveDate,
    pub answers: Answers,
    /// Why the update corrects a closed period, when it does.
    pub correction: Option<String>,
}

/// What [`PublicUpdate`] holds of an update (`row_to_public`).
const SELECT_PUBLIC: &str = "SELECT u.status, u.progress, u.reported_on, u.summary, u.description,
        u.success_factors, u.challenges, u.lessons, u.next_year, u.correction
    FROM status_update u";

/// The five answers, in the questionnaire's order from column `first`.
fn answers_at(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Answers> {
    Ok(Answers {
        summary: r.get(first)?,
        description: r.get(first + 1)?,
        success_factors: r.get(first + 2)?,
        challenges: r.get(first + 3)?,
        lessons: r.get(first + 4)?,
        next_year: r.get(first + 5)?,
    })
}

fn row_to_public(r: &rusqlite::Row<'_>) -> Result<PublicUpdate> {
    Ok(PublicUpdate {
        status: status_at(r, 0)?,
        progress: r.get(1)?,
        reported_on: day_at(r, 2)?,
        answers: answers_at(r, 3)?,
        correction: r.get(9)?,
    })
}

/// Initiatives' histories up to a day, read one initiative at a time
/// ([`Store::public_histories`]): one statement, prepared once.
pub struct PublicHistories<'s> {
    stmt: rusqlite::CachedStatement<'s>,
    strategy: &'s str,
    upto: NaiveDate,
    known_at: Option<&'s str>,
    any_retraction: bool,
}

impl PublicHistories<'_> {
    /// One initiative's updates dated on or before the day, oldest first: those
    /// [`Store::updates_until`] gives for it. One range seek of the by-initiative index.
    pub fn of(&mut self, initiative: &str) -> Result<Vec<PublicUpdate>> {
        let rows = self.stmt.query_and_then(
            params![
                self.strategy,
                self.upto,
                self.known_at,
                self.any_retraction,
                initiative
            ],
            row_to_public,
        )?;
        rows.collect()
    }
}

/// An initiative with no update in a window ([`Store::initiatives_without_update`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silent {
    pub initiative: String,
    /// Its latest update on or before the window's end (so before its start), as status and
    /// day, when the store knew it without a seek: `Some(None)` for no update at all, `None`
    /// when it was not read.
    pub latest: Option<Option<(Status, NaiveDate)>>,
}

/// What [`UpdateMark`] holds of an update (`row_to_mark`).
const SELECT_MARKS: &str = "SELECT u.initiative_id, u.status, u.reported_on, u.id,
        u.correction IS NOT NULL,
        coalesce(u.description, u.success_factors, u.challenges, u.lessons, u.next_year) IS NOT NULL
    FROM status_update u";

impl UpdateMark {
    /// The two parts read ([`Store::update_marks_until`], [`Store::update_marks_after`]) as one
    /// history in [`Store::updates_since`]'s order: per initiative, by day, then in the order
    /// recorded (each part is; no day is in both).
    pub fn in_history_order(until: Vec<UpdateMark>, after: Vec<UpdateMark>) -> Vec<UpdateMark> {
        let mut out = until;
        out.extend(after);
        // Stable: updates of one initiative and day stay in the order they were recorded.
        out.sort_by(|a, b| (&a.initiative, a.reported_on).cmp(&(&b.initiative, b.reported_on)));
        out
    }
}

fn row_to_mark(r: &rusqlite::Row<'_>) -> Result<UpdateMark> {
    Ok(UpdateMark {
        initiative: r.get(0)?,
        status: status_at(r, 1)?,
        reported_on: day_at(r, 2)?,
        id: r.get(3)?,
        corrected: r.get(4)?,
        answered: r.get(5)?,
    })
}

fn status_at(r: &rusqlite::Row<'_>, k: usize) -> Result<Status> {
    let status = text_at(r, k, "status")?;
    status.parse().map_err(|_| corrupt("status", &status))
}

impl Store {
    /// Every update's status dated on or before `upto`, per initiative oldest first (as
    /// [`Store::updates_until`]): one walk of the covering by-initiative index, no text read.
    pub fn statuses_until(&self, strategy: &str, upto: NaiveDate) -> Result<Vec<StatusPoint>> {
        let mut points = Vec::new();
        self.for_each_status_until(strategy, upto, |initiative, _, status, reported_on| {
            points.push(StatusPoint {
                initiative: initiative.to_string(),
                status,
                reported_on,
            });
        })?;
        Ok(points)
    }

    /// [`Store::statuses_until`] given to `f` one update at a time as it is read, with the
    /// update's id: `(initiative, id, status, day)`. Nothing is collected, however long the
    /// history.
    pub fn for_each_status_until(
        &self,
        strategy: &str,
        upto: NaiveDate,
        mut f: impl FnMut(&str, i64, Status, NaiveDate),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_POINTS}
             WHERE u.strategy_id = ?1 AND u.reported_on <= ?2 AND {RECORDED_BY_KNOWN_AT}
               AND {NOT_RETRACTED}
             ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let any = self.any_retraction()?;
        let mut rows = stmt.query(params![strategy, upto, self.known_at, any])?;
        while let Some(r) = rows.next()? {
            f(
                text_at(r, 0, "initiative")?,
                r.get(3)?,
                status_at(r, 1)?,
                day_at(r, 2)?,
            );
        }
        Ok(())
    }

    /// Calls `f` with the fingerprint of every update dated on or before `upto`, in history
    /// order (as [`Store::updates_until`]): one walk of the covering by-initiative index.
    pub fn for_each_fingerprint(
        &self,
        strategy: &str,
        upto: NaiveDate,
        mut f: impl FnMut(&str),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT u.fingerprint FROM status_update u
             WHERE u.strategy_id = ?1 AND u.reported_on <= ?2 AND {RECORDED_BY_KNOWN_AT}
               AND {NOT_RETRACTED}
             ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let any = self.any_retraction()?;
        let mut rows = stmt.query(params![strategy, upto, self.known_at, any])?;
        while let Some(r) = rows.next()? {
            with_fingerprint(r.get_ref(0)?, &mut f)?;
        }
        Ok(())
    }

    /// The initiatives of a strategy with no update dated from `from` to `upto` (both
    /// included) among those recorded by the store's moment and not retracted, no update read.
    /// `latest_status` answers for an initiative whose latest update is on or before `upto`
    /// (and then gives that update); the others take one seek of the by-initiative index each.
    pub fn initiatives_without_update(
        &self,
        strategy: &str,
        from: NaiveDate,
        upto: NaiveDate,
    ) -> Result<Vec<Silent>> {
        let sql = if self.known_at.is_none() && self.schema_version()? >= LATEST_STATUS_SCHEMA {
            format!(
                "WITH visible AS NOT MATERIALIZED (SELECT * FROM status_update u
                     WHERE {RECORDED_BY_KNOWN_AT} AND {NOT_RETRACTED})
                 SELECT i.id, l.reported_on IS NULL OR (l.reported_on < ?2 AND l.reported_on <= ?5),
                     l.status, l.reported_on
                 FROM initiative i
                 LEFT JOIN latest_status l ON l.strategy_id = ?1 AND l.initiative_id = i.id
                 WHERE i.strategy_id = ?1
                   AND (l.reported_on IS NULL OR l.reported_on < ?2
                        OR (l.reported_on > ?5 AND NOT {ANY_VISIBLE_BETWEEN}))"
            )
        } else {
            format!(
                "WITH visible AS NOT MATERIALIZED (SELECT * FROM status_update u
                     WHERE {RECORDED_BY_KNOWN_AT} AND {NOT_RETRACTED})
                 SELECT i.id, 0, NULL, NULL FROM initiative i
                 WHERE i.strategy_id = ?1 AND NOT {ANY_VISIBLE_BETWEEN}"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let any = self.any_retraction()?;
        let mut rows = stmt.query(params![strategy, from, self.known_at, any, upto])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let latest = match (r.get::<_, bool>(1)?, r.get_ref(2)?) {
                (false, _) => None,
                (true, rusqlite::types::ValueRef::Null) => Some(None),
                (true, _) => Some(Some((status_at(r, 2)?, day_at(r, 3)?))),
            };
            out.push(Silent {
                initiative: r.get(0)?,
                latest,
            });
        }
        Ok(out)
    }

    /// Each initiative's latest status on or before `on` (the last recorded, for a day with
    /// several), given to `f` as it is read: `(initiative, status, day of the update)`, nothing
    /// copied. From `latest_status` where an initiative's latest is on or before `on` (a report
    /// of today); one index seek into the history for each other initiative.
    pub fn for_each_latest_status(
        &self,
        strategy: &str,
        on: NaiveDate,
        f: impl FnMut(&str, Status, NaiveDate),
    ) -> Result<()> {
        self.for_each_latest_status_of(strategy, on, None, f)
    }

    /// [`Store::for_each_latest_status`] for the initiatives `only` names (all when `None`):
    /// only theirs are sought in the history.
    pub fn for_each_latest_status_of(
        &self,
        strategy: &str,
        on: NaiveDate,
        only: Option<&[&str]>,
        mut f: impl FnMut(&str, Status, NaiveDate),
    ) -> Result<()> {
        // The table is the record as it stands, so a store seen as known at a past moment, or
        // one too old to hold it (read-only media, not yet upgraded), seeks every initiative.
        // A view the planner folds into each seek (never a table of every update).
        let sql = if self.known_at.is_none() && self.schema_version()? >= LATEST_STATUS_SCHEMA {
            format!(
                "WITH visible AS NOT MATERIALIZED (SELECT * FROM status_update u
                     WHERE {RECORDED_BY_KNOWN_AT} AND {NOT_RETRACTED})
                 SELECT initiative_id, status, reported_on FROM latest_status
                 WHERE strategy_id = ?1 AND reported_on <= ?2 AND {ONLY_INITIATIVE_ID}
                 UNION ALL {LATEST_SEEKS} (SELECT initiative_id AS id FROM latest_status
                     WHERE strategy_id = ?1 AND reported_on > ?2 AND {ONLY_INITIATIVE_ID}) i)
                 WHERE status IS NOT NULL"
            )
        } else {
            format!(
                "WITH visible AS NOT MATERIALIZED (SELECT * FROM status_update u
                     WHERE {RECORDED_BY_KNOWN_AT} AND {NOT_RETRACTED})
                 {LATEST_SEEKS} (SELECT id FROM initiative WHERE strategy_id = ?1 AND {ONLY_ID}) i)
                 WHERE status IS NOT NULL"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let any = self.any_retraction()?;
        // The ids as one JSON array, bound as a parameter.
        let only = only.map(|ids| serde_json::to_string(ids).unwrap_or_default());
        let mut rows = stmt.query(params![strategy, on, self.known_at, any, only])?;
        while let Some(r) = rows.next()? {
            f(
                text_at(r, 0, "initiative")?,
                status_at(r, 1)?,
                day_at(r, 2)?,
            );
        }
        Ok(())
    }

    /// Every update of a strategy dated on or before `upto`, per initiative oldest first
    /// (by the day it holds for, then by when it was recorded).
    pub fn updates_until(&self, strategy: &str, upto: NaiveDate) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            // Walking the by-initiative index gives the rows already in this order.
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND u.reported_on <= ?2 AND (?3 IS NULL OR e.recorded_at <= ?3)
               AND {NOT_RETRACTED}
             ORDER BY u.initiative_id, u.reported_on, u.id"
        ))?;
        let any = self.any_retraction()?;
        let rows = stmt.query_map(params![strategy, upto, self.known_at, any], row_to_update)?;
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
        let state: Vec<i64> = self
            .update_marks_until(strategy, from)?
            .iter()
            .map(|m| m.id)
            .collect();
        let mut out = self.updates_by_id(&state)?;
        // `?3`, the moment of `NOT_RETRACTED`, is none here: the record as it stands.
        let any = self.any_retraction()?;
        let no_moment: Option<String> = None;
        let mut after = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} {DATED_AFTER} AND {NOT_RETRACTED} {PER_INITIATIVE}"
        ))?;
        out.extend(collect(after.query_map(
            params![strategy, from, no_moment, any, upto],
            row_to_update,
        )?)?);
        // Stable: updates of one initiative and day stay in the order they were recorded.
        out.sort_by(|a, b| {
            (&a.update.initiative, a.update.reported_on)
                .cmp(&(&b.update.initiative, b.update.reported_on))
        });
        Ok(out)
    }

    /// The first part of a window's marks, which may be read on another connection: each
    /// initiative's latest update on or before `from` (nothing for a store known at a past
    /// moment, whose history [`Store::update_marks_after`] reads whole).
    pub fn update_marks_until(&self, strategy: &str, from: NaiveDate) -> Result<Vec<UpdateMark>> {
        if self.known_at.is_some() {
            return Ok(Vec::new());
        }
        // `?3`, the moment of `NOT_RETRACTED`, is none here: the record as it stands.
        let no_moment: Option<String> = None;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_MARKS} WHERE u.id IN (
                 SELECT (SELECT u.id FROM status_update u
                         WHERE u.strategy_id = ?1 AND u.initiative_id = i.id AND u.reported_on <= ?2
                           AND {NOT_RETRACTED}
                         ORDER BY u.reported_on DESC, u.id DESC LIMIT 1)
                 FROM initiative i WHERE i.strategy_id = ?1)"
        ))?;
        let any = self.any_retraction()?;
        let marks = stmt.query_and_then(params![strategy, from, no_moment, any], row_to_mark)?;
        marks.collect()
    }

    /// The second part of a window's marks: the updates dated after `from` up to
    /// `upto`, per initiative oldest first; for a store known at a past moment, every update
    /// up to `upto` as the record then stood (as [`Store::updates_since`] reads it).
    pub fn update_marks_after(
        &self,
        strategy: &str,
        from: NaiveDate,
        upto: NaiveDate,
    ) -> Result<Vec<UpdateMark>> {
        let any = self.any_retraction()?;
        if self.known_at.is_some() {
            let mut stmt = self.conn.prepare_cached(&format!(
                "{SELECT_MARKS}
                 WHERE u.strategy_id = ?1 AND u.reported_on <= ?2 AND {RECORDED_BY_KNOWN_AT}
                   AND {NOT_RETRACTED}
                 {PER_INITIATIVE}"
            ))?;
            let marks =
                stmt.query_and_then(params![strategy, upto, self.known_at, any], row_to_mark)?;
            return marks.collect();
        }
        let no_moment: Option<String> = None;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_MARKS} {DATED_AFTER} AND {NOT_RETRACTED} {PER_INITIATIVE}"
        ))?;
        let marks =
            stmt.query_and_then(params![strategy, from, no_moment, any, upto], row_to_mark)?;
        marks.collect()
    }

    /// A reader of each initiative's history up to `upto` as the public site shows it, for
    /// reading one initiative at a time: however long the whole history, only one
    /// initiative's is held.
    pub fn public_histories<'s>(
        &'s self,
        strategy: &'s str,
        upto: NaiveDate,
    ) -> Result<PublicHistories<'s>> {
        let stmt = self.conn.prepare_cached(&format!(
            "{SELECT_PUBLIC}
             WHERE u.strategy_id = ?1 AND u.initiative_id = ?5 AND u.reported_on <= ?2
               AND {RECORDED_BY_KNOWN_AT} AND {NOT_RETRACTED}
             ORDER BY u.reported_on, u.id"
        ))?;
        Ok(PublicHistories {
            stmt,
            strategy,
            upto,
            known_at: self.known_at.as_deref(),
            any_retraction: self.any_retraction()?,
        })
    }

    /// The updates with these ids, whole, by id: one lookup each.
    pub fn updates_by_id(&self, ids: &[i64]) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.id IN (SELECT value FROM json_each(?1)) ORDER BY u.id"
        ))?;
        // The ids as one JSON array, bound as a parameter.
        let ids = serde_json::to_string(ids).unwrap_or_default();
        collect(stmt.query_map([ids], row_to_update)?)
    }

    /// The summaries of the updates with these ids, by id (an update without one is left out):
    /// one lookup each, no other text read.
    pub fn summaries_by_id(&self, ids: &[i64]) -> Result<foldhash::HashMap<i64, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT u.id, u.summary FROM status_update u
             WHERE u.id IN (SELECT value FROM json_each(?1)) AND u.summary IS NOT NULL",
        )?;
        // The ids as one JSON array, bound as a parameter.
        let ids = serde_json::to_string(ids).unwrap_or_default();
        let rows = stmt.query_map([ids], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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

    /// One initiative's whole history, oldest first, retracted updates included and marked.
    pub fn history(&self, strategy: &str, initiative: &str) -> Result<Vec<StoredUpdate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND u.initiative_id = ?2 AND (?3 IS NULL OR e.recorded_at <= ?3) ORDER BY u.reported_on, u.id"
        ))?;
        let rows = stmt.query_map(params![strategy, initiative, self.known_at], row_to_update)?;
        let mut out = collect(rows)?;
        let mut retractions = self.conn.prepare_cached(
            "SELECT x.update_id, x.reason, e.recorded_at, x.correction FROM retraction x
             JOIN load_event e ON e.id = x.load_event_id JOIN status_update u ON u.id = x.update_id
             WHERE u.strategy_id = ?1 AND u.initiative_id = ?2 AND (?3 IS NULL OR e.recorded_at <= ?3)",
        )?;
        let rows = retractions.query_map(params![strategy, initiative, self.known_at], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Retraction {
                    reason: r.get(1)?,
                    recorded_at: r.get(2)?,
                    correction: r.get(3)?,
                },
            ))
        })?;
        for row in rows {
            let (id, retraction) = row?;
            if let Some(u) = out.iter_mut().find(|u| u.id == id) {
                u.retracted = Some(retraction);
            }
        }
        Ok(out)
    }

    /// Whether an update with exactly this content is in the history already (retracted or not).
    pub fn is_recorded(&self, strategy: &str, update: &Update) -> Result<bool> {
        Ok(self.conn.prepare_cached(RECORDED)?.query_row(
            params![strategy, update.initiative, &update.fingerprint_bytes()[..]],
            |r| r.get(0),
        )?)
    }

    /// The ids of updates dated up to `upto` whose content does not give the fingerprint
    /// stored with them: rows changed behind the tool's back (`period verify`).
    pub fn updates_not_matching_their_fingerprint(
        &self,
        strategy: &str,
        upto: NaiveDate,
    ) -> Result<Vec<i64>> {
        // Two walks of the same rows in the same order: the content, and the fingerprints.
        let mut content = self.conn.prepare_cached(&format!(
            "{SELECT_UPDATES} WHERE u.strategy_id = ?1 AND u.reported_on <= ?2 ORDER BY u.id"
        ))?;
        let mut stored = self.conn.prepare_cached(
            "SELECT fingerprint FROM status_update WHERE strategy_id = ?1 AND reported_on <= ?2 ORDER BY id",
        )?;
        // Walked side by side, one row of each at a time: a national history (three million
        // updates) is never held.
        let updates = content.query_map(params![strategy, upto], row_to_update)?;
        let mut fingerprints = stored.query(params![strategy, upto])?;
        let mut forged = Vec::new();
        for update in updates {
            let update = finish(update)?;
            let Some(row) = fingerprints.next()? else {
                break;
            };
            if with_fingerprint(row.get_ref(0)?, |fp| update.update.fingerprint() != fp)? {
                forged.push(update.id);
            }
        }
        Ok(forged)
    }

    /// The initiatives whose row in `latest_status` is not their latest update in the history
    /// (by day, then by when recorded, retracted ones left out): a derived row changed behind
    /// the tool's back (`period verify`), which the reads of today's statuses would believe.
    pub fn latest_statuses_not_matching_history(&self, strategy: &str) -> Result<Vec<String>> {
        if self.schema_version()? < LATEST_STATUS_SCHEMA {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "WITH expected AS (
                 SELECT i.id AS initiative_id,
                     (SELECT u.id FROM status_update u
                      WHERE u.strategy_id = ?1 AND u.initiative_id = i.id
                        AND NOT EXISTS (SELECT 1 FROM retraction x WHERE x.update_id = u.id)
                      ORDER BY u.reported_on DESC, u.id DESC LIMIT 1) AS update_id
                 FROM initiative i WHERE i.strategy_id = ?1)
             SELECT e.initiative_id FROM expected e
             LEFT JOIN latest_status l ON l.strategy_id = ?1 AND l.initiative_id = e.initiative_id
             LEFT JOIN status_update u ON u.id = e.update_id
             WHERE l.update_id IS NOT e.update_id OR l.status IS NOT u.status
                OR l.reported_on IS NOT u.reported_on
             ORDER BY e.initiative_id",
        )?;
        let rows = stmt.query_map([strategy], |r| r.get::<_, String>(0))?;
        rows.map(|id| {
            Ok(format!(
                "the latest status of `{}` differs from its history",
                id?
            ))
        })
        .collect()
    }

    /// Every retraction of a strategy's updates, in the order recorded (as known at the
    /// store's moment): the update's fingerprint, the reason, and the correction reason.
    pub fn retractions(&self, strategy: &str) -> Result<Vec<(String, String, Option<String>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT u.fingerprint, x.reason, x.correction FROM retraction x
             JOIN status_update u ON u.id = x.update_id JOIN load_event e ON e.id = x.load_event_id
             WHERE u.strategy_id = ?1 AND (?2 IS NULL OR e.recorded_at <= ?2) ORDER BY x.id",
        )?;
        let mut rows = stmt.query(params![strategy, self.known_at])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let fingerprint = with_fingerprint(r.get_ref(0)?, str::to_string)?;
            out.push((fingerprint, r.get(1)?, r.get(2)?));
        }
        Ok(out)
    }

    /// Whether any update has been retracted: `?4` of [`NOT_RETRACTED`].
    fn any_retraction(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM retraction)")?
            .query_row([], |r| r.get(0))?)
    }
}

/// The update a retraction took back, for the message that confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetractedUpdate {
    pub id: i64,
    pub initiative: String,
    pub reported_on: NaiveDate,
    pub status: String,
}

impl Store {
    /// Retracts an update (`status retract`): it stays in the history, marked with the reason
    /// and moment, and reports, `missing`, `diff` and `lint` leave it out. An update dated on a
    /// frozen day (in or before a closed period) is retracted only as a correction; an update is
    /// retracted once. Checked and written under the write lock.
    pub fn retract(
        &self,
        update_id: i64,
        reason: &str,
        correction: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<RetractedUpdate> {
        if reason.trim().is_empty() {
            return Err(Error::refused_with_hint(
                "a retraction needs a reason",
                "say why with --reason \"…\"",
            ));
        }
        let tx = self.begin_write()?;
        let found = tx
            .prepare_cached(
                "SELECT u.strategy_id, u.initiative_id, u.reported_on, u.status,
                        x.reason, e.recorded_at
                 FROM status_update u LEFT JOIN retraction x ON x.update_id = u.id
                 LEFT JOIN load_event e ON e.id = x.load_event_id
                 WHERE u.id = ?1",
            )?
            .query_row([update_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .optional()?;
        let Some((strategy, initiative, reported_on, status, earlier, when)) = found else {
            return Err(Error::refused_with_hint(
                format!("there is no update {update_id}"),
                "`actionplan status history INITIATIVE` lists the updates with their numbers",
            ));
        };
        if let Some(earlier) = earlier {
            return Err(Error::refused(format!(
                "update {update_id} was retracted already ({}: {earlier})",
                when.unwrap_or_default()
            )));
        }
        if let Some((period, last)) = super::periods::frozen_until(&tx, &strategy)?
            && reported_on <= last
            && correction.is_none()
        {
            return Err(Error::refused_with_hint(
                format!(
                    "update {update_id} is dated {reported_on}, which {period} has closed (frozen up to {last})"
                ),
                "retracting it corrects a closed period: add --correction \"why\"",
            ));
        }
        tx.prepare_cached(
            "INSERT INTO load_event (recorded_at, command) VALUES (?1, 'status retract')",
        )?
        .execute([super::timestamp(now)])?;
        let event = tx.last_insert_rowid();
        tx.prepare_cached(
            "INSERT INTO retraction (update_id, reason, correction, load_event_id) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![update_id, reason.trim(), correction, event])?;
        tx.commit()?;
        Ok(RetractedUpdate {
            id: update_id,
            initiative,
            reported_on,
            status,
        })
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

    /// [`Store::for_each_latest_status`], collected.
    fn latest_statuses(store: &Store, strategy: &str, on: NaiveDate) -> Result<Vec<StatusPoint>> {
        let mut out = Vec::new();
        store.for_each_latest_status(strategy, on, |initiative, status, reported_on| {
            out.push(StatusPoint {
                initiative: initiative.to_string(),
                status,
                reported_on,
            });
        })?;
        Ok(out)
    }

    /// Retracts `a`'s update that completed it (2022-03-31) in [`store_with_history`].
    fn retract_the_completion(store: &Store) {
        let completed = store
            .updates_until("s", day("2022-12-31"))
            .unwrap()
            .into_iter()
            .find(|u| u.update.status == Status::Completed)
            .unwrap();
        store
            .retract(completed.id, "reported by mistake", None, Utc::now())
            .unwrap();
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
            let mut got = latest_statuses(&store, "s", upto).unwrap();
            got.sort_by(|x, y| x.initiative.cmp(&y.initiative));
            assert_eq!(got, latest, "{upto}");
        }
        let b = latest_statuses(&store, "s", day("2021-06-30")).unwrap();
        assert!(b.contains(&StatusPoint {
            initiative: "b".into(),
            status: Status::AtRisk,
            reported_on: day("2021-06-30"),
        }));
    }

    /// The site's narrow per-initiative read agrees with the full update rows: before and
    /// after a retraction, and for the record as it stood at an earlier moment.
    #[test]
    fn public_histories_agree_with_the_full_history() {
        let check = |store: &Store| {
            for upto in ["2021-01-01", "2021-06-30", "2022-12-31"] {
                let upto = day(upto);
                let full = store.updates_until("s", upto).unwrap();
                let mut histories = store.public_histories("s", upto).unwrap();
                for id in ["a", "b", "c", "none"] {
                    let expected: Vec<PublicUpdate> = full
                        .iter()
                        .filter(|u| u.update.initiative == id)
                        .map(|u| PublicUpdate {
                            status: u.update.status,
                            progress: u.update.progress,
                            reported_on: u.update.reported_on,
                            answers: u.update.answers.clone(),
                            correction: u.correction.clone(),
                        })
                        .collect();
                    assert_eq!(histories.of(id).unwrap(), expected, "{id} {upto}");
                }
            }
        };
        let statuses = |store: &Store, id: &str| -> Vec<Status> {
            let mut histories = store.public_histories("s", day("2022-12-31")).unwrap();
            histories.of(id).unwrap().iter().map(|u| u.status).collect()
        };
        let store = store_with_history();
        check(&store);
        assert_eq!(statuses(&store, "b"), [Status::NotStarted, Status::AtRisk]);
        retract_the_completion(&store);
        check(&store);
        assert_eq!(statuses(&store, "a"), [Status::OnTrack, Status::Delayed]);
        // Before the retraction was recorded, the completion stood.
        let before = store.known_at(at("2026-06-01"));
        check(&before);
        assert_eq!(
            statuses(&before, "a"),
            [Status::OnTrack, Status::Delayed, Status::Completed]
        );
    }

    /// Who has no update in a window, and the latest statuses of a few, agree with the full
    /// history: windows before, around and after each initiative's latest update, before and
    /// after that update is retracted.
    #[test]
    fn silence_and_a_few_latest_statuses_agree_with_the_full_history() {
        let store = store_with_history();
        let days = [
            "2021-01-01",
            "2021-03-31",
            "2021-06-30",
            "2021-07-01",
            "2022-03-31",
            "2022-04-01",
            "2030-01-01",
        ];
        let check = |store: &Store| {
            // Every pair of days, an empty window (ending before it starts) too.
            for from in &days {
                for upto in &days {
                    let (from, upto) = (day(from), day(upto));
                    let updates = store.updates_until("s", upto).unwrap();
                    let expected: Vec<&str> = ["a", "b", "c"]
                        .into_iter()
                        .filter(|id| {
                            !updates
                                .iter()
                                .any(|u| u.update.initiative == *id && u.update.reported_on >= from)
                        })
                        .collect();
                    let silent = store.initiatives_without_update("s", from, upto).unwrap();
                    let mut ids: Vec<&str> = silent.iter().map(|s| s.initiative.as_str()).collect();
                    ids.sort_unstable();
                    assert_eq!(ids, expected, "{from}..={upto}");
                    // What it knows of each one's latest update is that update.
                    for s in &silent {
                        let Some(known) = s.latest else { continue };
                        let latest = updates
                            .iter()
                            .filter(|u| u.update.initiative == s.initiative)
                            .max_by_key(|u| (u.update.reported_on, u.id))
                            .map(|u| (u.update.status, u.update.reported_on));
                        assert_eq!(known, latest, "{} {from}..={upto}", s.initiative);
                    }

                    let mut few = Vec::new();
                    store
                        .for_each_latest_status_of("s", upto, Some(&["a", "c"]), |id, s, d| {
                            few.push((id.to_string(), s, d));
                        })
                        .unwrap();
                    let all: Vec<_> = latest_statuses(store, "s", upto)
                        .unwrap()
                        .into_iter()
                        .filter(|p| p.initiative != "b")
                        .map(|p| (p.initiative, p.status, p.reported_on))
                        .collect();
                    few.sort();
                    assert_eq!(few, all, "{upto}");
                }
            }
        };
        check(&store);
        retract_the_completion(&store);
        check(&store);
    }

    /// `latest_status` as writes keep it: an update for an older day leaves it, a retraction
    /// of the latest finds the one before, and a row changed behind the tool's back is named.
    #[test]
    fn latest_status_follows_older_days_retractions_and_is_verified() {
        let mut store = store_with_history();
        let today = |store: &Store| {
            let mut v = latest_statuses(store, "s", day("2030-01-01")).unwrap();
            v.sort_by(|x, y| x.initiative.cmp(&y.initiative));
            v.into_iter()
                .map(|p| (p.initiative, p.status, p.reported_on.to_string()))
                .collect::<Vec<_>>()
        };
        report_status(&mut store, &[("a", Status::AtRisk, "2021-01-31")]);
        assert_eq!(
            today(&store),
            [
                ("a".into(), Status::Completed, "2022-03-31".into()),
                ("b".into(), Status::AtRisk, "2021-06-30".into()),
            ]
        );
        retract_the_completion(&store);
        assert_eq!(
            today(&store)[0],
            ("a".into(), Status::Delayed, "2021-06-30".into())
        );
        assert!(
            store
                .latest_statuses_not_matching_history("s")
                .unwrap()
                .is_empty()
        );

        store
            .execute_raw("UPDATE latest_status SET status = 'on-track' WHERE initiative_id = 'b'")
            .unwrap();
        assert_eq!(
            store.latest_statuses_not_matching_history("s").unwrap(),
            ["the latest status of `b` differs from its history"]
        );
    }

    /// A correction is a new update for an initiative and day that had one, in an earlier write
    /// or earlier in the same one; an update for a new day, earlier or later, is none.
    #[test]
    fn corrections_are_counted_whatever_the_order_of_the_days() {
        let mut store = store_with_history();
        let corrections = |store: &mut Store, updates: &[(&str, Status, &str)]| {
            report_status(store, updates).updates.corrections
        };
        assert_eq!(
            corrections(&mut store, &[("c", Status::OnTrack, "2023-03-31")]),
            0
        );
        assert_eq!(
            corrections(&mut store, &[("a", Status::AtRisk, "2021-01-31")]),
            0
        );
        assert_eq!(
            corrections(&mut store, &[("a", Status::OnTrack, "2021-06-30")]),
            1
        );
        assert_eq!(
            corrections(
                &mut store,
                &[
                    ("c", Status::AtRisk, "2024-03-31"),
                    ("c", Status::Delayed, "2024-03-31"),
                ]
            ),
            1
        );
        assert!(
            store
                .latest_statuses_not_matching_history("s")
                .unwrap()
                .is_empty()
        );
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
            .map(|u| u.update.fingerprint())
            .collect();
        assert_eq!(seen, expected);
        assert_eq!(seen.len(), 4);
    }
}
