//! The SQLite store: the only module that speaks SQL. It holds the plan as it stands now, every
//! version of every plan item, and the append-only status history.

mod measurements;
mod plan;
mod status;

use std::path::Path;

use chrono::DateTime;
use chrono::Utc;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::Transaction;
use rusqlite_migration::M;
use rusqlite_migration::Migrations;

pub use self::plan::InitiativeVersion;
pub use self::plan::ItemType;
pub use self::plan::PlanChanges;
pub use self::plan::StoredPlan;
pub use self::status::StoredUpdate;
pub use self::status::UpdateChanges;
use crate::error::Error;
use crate::error::Result;
use crate::model::Form;
use crate::model::MeasurementSet;
use crate::model::Narrative;
use crate::model::Plan;
use crate::model::Strategy;

/// Schema history. Append only: never edit a migration that has been released.
const MIGRATION_LIST: &[M<'static>] = &[
    M::up(include_str!("../../migrations/0001_init.sql")),
    M::up(include_str!("../../migrations/0002_measurements.sql")),
];
const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub struct Store {
    conn: Connection,
}

/// Where a batch item came from: a file (path and content hash) or a command.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub kind: &'static str,
    pub path: String,
    pub content_hash: String,
}

/// Everything one `load` (or one `status set`) writes, validated beforehand.
#[derive(Debug, Default)]
pub struct Batch {
    pub plans: Vec<(SourceInfo, Plan)>,
    pub forms: Vec<(SourceInfo, Form)>,
    pub narratives: Vec<(SourceInfo, Narrative)>,
    pub measurements: Vec<(SourceInfo, MeasurementSet)>,
    /// Exports being loaded back: each strategy's full plan, then its history, then the
    /// revision that withdraws what the export marks withdrawn.
    pub imports: Vec<(SourceInfo, crate::export::Export)>,
}

/// What a write changed, for the one-line summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    pub plans: Vec<(String, PlanChanges)>,
    pub updates: UpdateChanges,
    pub narratives: usize,
    pub measurements: UpdateChanges,
}

impl WriteSummary {
    pub fn is_empty(&self) -> bool {
        self.plans.iter().all(|(_, c)| c.is_empty())
            && self.updates.is_empty()
            && self.narratives == 0
            && self.measurements.is_empty()
    }
}

impl Store {
    /// Opens (creating if needed) a database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.exists()
        {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
        Self::init(conn, Some(path))
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<&Path>) -> Result<Store> {
        let shown = path.map_or_else(|| ":memory:".to_string(), |p| p.display().to_string());
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The first statement reads the header: a file that is not SQLite fails here.
        let journal: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| not_a_database(&shown, e))?;
        if path.is_some() && journal != "wal" {
            // Read-only media cannot switch; reads still work, writes will say why.
            eprintln!("warning: {shown}: journal mode is {journal}, not WAL");
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATION_LIST.len() as i64;
        if version > known {
            return Err(Error::refused_with_hint(
                format!(
                    "{shown} was written by a newer actionplan (schema version {version}; this one knows up to {known})"
                ),
                "upgrade actionplan, or use another database with --db",
            ));
        }
        if version < known {
            MIGRATIONS.to_latest(&mut conn)?;
        }
        Ok(Store { conn })
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    pub fn strategies(&self) -> Result<Vec<Strategy>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, period_start, period_end, description FROM strategy ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Strategy {
                id: r.get(0)?,
                title: r.get(1)?,
                period: crate::model::Period {
                    start: r.get(2)?,
                    end: r.get(3)?,
                },
                description: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The strategy a read command works on: the one given, or the only one there is.
    pub fn resolve_strategy(&self, wanted: Option<&str>) -> Result<Strategy> {
        let all = self.strategies()?;
        let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
        match wanted {
            Some(id) => all.iter().find(|s| s.id == id).cloned().ok_or_else(|| {
                let hint = crate::suggest::did_you_mean(id, ids.iter().copied())
                    .unwrap_or_else(|| format!("known strategies: {}", list_or_none(&ids)));
                Error::refused_with_hint(format!("unknown strategy `{id}`"), hint)
            }),
            None => match all.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(Error::refused_with_hint(
                    "the database holds no plan yet",
                    "load one first: actionplan load plans/",
                )),
                _ => Err(Error::refused_with_hint(
                    format!("the database holds {} strategies", all.len()),
                    format!("choose one with --strategy: {}", ids.join(", ")),
                )),
            },
        }
    }

    /// Writes a whole batch in one transaction: all of it, or (on any error) none of it.
    pub fn write(
        &mut self,
        batch: &Batch,
        now: DateTime<Utc>,
        command: &str,
    ) -> Result<WriteSummary> {
        // IMMEDIATE takes the write lock up front, so a second writer waits (busy timeout)
        // instead of failing when it upgrades from reading.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        let mut session = Session {
            tx: &tx,
            now,
            command,
            event: None,
        };
        let mut summary = WriteSummary::default();
        for (source, p) in &batch.plans {
            let changes = plan::write_plan(&mut session, source, p)?;
            summary.plans.push((p.strategy_id().to_string(), changes));
        }
        for (source, form) in &batch.forms {
            summary
                .updates
                .add(&status::write_form(&mut session, source, form)?);
        }
        for (source, n) in &batch.narratives {
            summary.narratives += usize::from(write_narrative(&mut session, source, n)?);
        }
        for (source, set) in &batch.measurements {
            summary.measurements.add(&measurements::write_measurements(
                &mut session,
                source,
                set,
            )?);
        }
        for (source, export) in &batch.imports {
            for s in &export.strategies {
                let id = s.strategy.id.clone();
                let mut changes = plan::write_plan(&mut session, source, &s.full_plan())?;
                let form = Form {
                    strategy: id.clone(),
                    owner: None,
                    reported_on: chrono::NaiveDate::MIN,
                    updates: s.updates.clone(),
                };
                summary
                    .updates
                    .add(&status::write_form(&mut session, source, &form)?);
                for n in &s.narratives {
                    summary.narratives += usize::from(write_narrative(&mut session, source, n)?);
                }
                let set = MeasurementSet {
                    strategy: id.clone(),
                    rows: s.measurements.clone(),
                };
                summary.measurements.add(&measurements::write_measurements(
                    &mut session,
                    source,
                    &set,
                )?);
                if !s.withdrawn.is_empty() {
                    let later = plan::write_plan(&mut session, source, &s.plan_in_force())?;
                    changes.withdrawn = later.withdrawn;
                }
                summary.plans.push((id, changes));
            }
        }
        tx.commit()?;
        Ok(summary)
    }

    /// Runs a statement against the database, for tests that prove what SQLite itself refuses.
    #[doc(hidden)]
    pub fn execute_raw(&self, sql: &str) -> Result<usize> {
        Ok(self.conn.execute(sql, [])?)
    }

    /// The latest narrative of each year, by year.
    pub fn narratives(&self, strategy: &str) -> Result<Vec<Narrative>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT content FROM narrative WHERE id IN
                 (SELECT max(id) FROM narrative WHERE strategy_id = ?1 GROUP BY year)
             ORDER BY year",
        )?;
        let rows = stmt.query_map([strategy], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?).map_err(|e| corrupt("narrative", &e))?);
        }
        Ok(out)
    }

    /// The latest narrative recorded for a year.
    pub fn narrative(&self, strategy: &str, year: i32) -> Result<Option<Narrative>> {
        let json: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT content FROM narrative WHERE strategy_id = ?1 AND year = ?2 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![strategy, year], |r| r.get(0))
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| corrupt("narrative", &e)))
            .transpose()
    }
}

fn list_or_none(ids: &[&str]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::refused(format!("cannot open the database {}: {e}", path.display()))
}

fn not_a_database(shown: &str, e: rusqlite::Error) -> Error {
    Error::refused_with_hint(
        format!("{shown} is not an actionplan database: {e}"),
        "point --db (or ACTIONPLAN_DB) at an actionplan database, or at a new file",
    )
}

pub(crate) fn corrupt(what: &str, e: &dyn std::fmt::Display) -> Error {
    Error::refused(format!(
        "the database holds a {what} it cannot read back: {e}"
    ))
}

/// One write: the transaction, and the load event created when the first row is written.
pub(crate) struct Session<'t> {
    tx: &'t Transaction<'t>,
    now: DateTime<Utc>,
    command: &'t str,
    event: Option<i64>,
}

impl Session<'_> {
    /// Records a source (creating the load event first if needed) and returns its id.
    fn source(&mut self, source: &SourceInfo) -> Result<i64> {
        let event = match self.event {
            Some(e) => e,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO load_event (recorded_at, command) VALUES (?1, ?2)",
                    )?
                    .execute(rusqlite::params![self.now.to_rfc3339(), self.command])?;
                let id = self.tx.last_insert_rowid();
                self.event = Some(id);
                id
            }
        };
        self.tx
            .prepare_cached(
                "INSERT INTO source (load_event_id, kind, path, content_hash) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(rusqlite::params![event, source.kind, source.path, source.content_hash])?;
        Ok(self.tx.last_insert_rowid())
    }
}

fn write_narrative(s: &mut Session<'_>, source: &SourceInfo, n: &Narrative) -> Result<bool> {
    let json = serde_json::to_string(n).map_err(|e| corrupt("narrative", &e))?;
    let latest: Option<String> = s
        .tx
        .prepare_cached(
            "SELECT content FROM narrative WHERE strategy_id = ?1 AND year = ?2 ORDER BY id DESC LIMIT 1",
        )?
        .query_row(rusqlite::params![n.strategy, n.year], |r| r.get(0))
        .optional()?;
    if latest.as_deref() == Some(json.as_str()) {
        return Ok(false);
    }
    let source_id = s.source(source)?;
    s.tx.prepare_cached(
        "INSERT INTO narrative (strategy_id, year, content, source_id) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![n.strategy, n.year, json, source_id])?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().expect("migrations validate");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = Store::open(&path).err().unwrap();
        assert!(err.to_string().contains("newer actionplan"), "{err}");
    }
}
