//! The SQLite store: the only module that speaks SQL. It holds the plan as it stands now, every
//! version of every plan item, and the append-only status history.

mod backup;
mod in_force;
mod measurements;
mod periods;
mod plan;
mod restore;
mod status;

use std::path::Path;

use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::Transaction;
use rusqlite_migration::M;
use rusqlite_migration::Migrations;

pub use self::in_force::Dependencies;
pub use self::in_force::InitiativeInForce;
pub use self::in_force::PlanInForce;
pub use self::periods::ClosedPeriod;
pub use self::periods::PeriodCheck;
pub use self::plan::InitiativeVersion;
pub use self::plan::ItemType;
pub use self::plan::PlanChanges;
pub use self::plan::RevisionRefusal;
pub use self::plan::StoredPlan;
pub use self::status::PublicHistories;
pub use self::status::PublicUpdate;
pub use self::status::RetractedUpdate;
pub use self::status::Retraction;
pub use self::status::Silent;
pub use self::status::StatusPoint;
pub use self::status::StoredUpdate;
pub use self::status::UpdateChanges;
pub use self::status::UpdateMark;
/// The fingerprint that identifies an update in the history (what a retraction names).
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
    M::up(include_str!("../../migrations/0003_periods.sql")),
    M::up(include_str!("../../migrations/0004_covering_history.sql")),
    M::up(include_str!("../../migrations/0005_record.sql")),
    M::up(include_str!("../../migrations/0006_contacts.sql")),
    // Makes the history table anew (foreign keys off meanwhile): checks them before committing.
    M::up(include_str!("../../migrations/0007_fingerprint_bytes.sql")).foreign_key_check(),
    // Makes the child tables of the plan anew, as 0007 does the history.
    M::up(include_str!("../../migrations/0008_latest_status.sql")).foreign_key_check(),
    M::up(include_str!("../../migrations/0009_same_day_copy.sql")),
];
const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// The page cache of a write, in KiB (as SQLite's negative `cache_size`).
const WRITE_CACHE_KIB: i64 = -64 * 1024;

/// The page cache of a read connection, in KiB (as SQLite's negative `cache_size`). Reads walk
/// indexes once, seldom coming back to a page: a cache a quarter of SQLite's default 2 MB
/// touches fewer fresh pages of memory and was faster side by side at 10k initiatives (25 runs
/// each: `report --format json` 278 → 261 ms, `graph order` 35.2 → 33.0, `missing` 37.4 →
/// 35.1); an export, which does come back, was unchanged (at 200 KiB it took half as long again).
const READ_CACHE_KIB: i64 = -500;

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub struct Store {
    conn: Connection,
    /// When set, every read sees only what had been recorded by this time (see `known_at`).
    known_at: Option<String>,
    /// Set when a database of an older schema is read through an upgraded copy in memory
    /// (reading never migrates the file): what the user may want to know, and do.
    pub upgrade_note: Option<String>,
    /// The file, when this store reads it directly (not a copy in memory): a second reader
    /// can be opened beside this one.
    read_path: Option<std::path::PathBuf>,
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
    pub imports: Vec<(SourceInfo, crate::model::export::Export)>,
    /// The reason given for updates dated inside closed periods (`load --correction`).
    pub correction: Option<String>,
}

/// A form fed to a write as it is read ([`Store::write_validated_streaming`]), with its
/// updates' fingerprints, in order: computed where the form was read, on the reading thread,
/// not on the writing one (they were a twentieth of a bulk load's writing thread).
pub struct FedForm {
    pub source: SourceInfo,
    pub form: Form,
    pub fingerprints: Vec<[u8; 32]>,
}

impl FedForm {
    pub fn new(source: SourceInfo, form: Form) -> Self {
        let fingerprints = status::fingerprints(&form);
        FedForm {
            source,
            form,
            fingerprints,
        }
    }
}

/// What a write changed, for the one-line summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    pub plans: Vec<(String, PlanChanges)>,
    pub updates: UpdateChanges,
    pub narratives: usize,
    pub measurements: UpdateChanges,
}

impl AsRef<Batch> for Batch {
    fn as_ref(&self) -> &Batch {
        self
    }
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

    /// Opens an existing database to read from it, and never writes: no file or folder is
    /// created, nothing is migrated, the journal mode is left as it is. A database on read-only
    /// media or in a folder the user cannot write is read all the same. A database of an older
    /// schema is read through a copy in memory, upgraded there ([`Store::upgrade_note`] says
    /// so). A missing file is refused with the command that makes one.
    pub fn open_read(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::refused_with_hint(
                format!("no database at {}", path.display()),
                "make one with `actionplan load plans/` (or point --db / ACTIONPLAN_DB at it)",
            ));
        }
        let conn = open_read_only_conn(path)?;
        let shown = path.display().to_string();
        let version = schema_version_of(&conn, &shown)?;
        let known = MIGRATION_LIST.len() as i64;
        if version == known {
            return Ok(Store {
                conn,
                known_at: None,
                upgrade_note: None,
                read_path: Some(path.to_path_buf()),
            });
        }
        let mut copy = Connection::open_in_memory()?;
        copy_database(&conn, &mut copy)?;
        drop(conn);
        let mut store = Self::init(copy, None)?;
        if version > 0 {
            store.upgrade_note = Some(format!(
                "{shown} is at schema version {version}; read through an upgraded copy in memory (run `actionplan migrate` once to upgrade the file)"
            ));
        }
        Ok(store)
    }

    /// A database opened to read it as it is, at any schema this actionplan knows: for
    /// `backup`, which copies the file unchanged.
    pub fn open_as_is(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::refused_with_hint(
                format!("no database at {}", path.display()),
                "point --db (or ACTIONPLAN_DB) at the database to back up",
            ));
        }
        let conn = open_read_only_conn(path)?;
        schema_version_of(&conn, &path.display().to_string())?;
        Ok(Store {
            conn,
            known_at: None,
            upgrade_note: None,
            read_path: None,
        })
    }

    /// Brings an existing database's schema up to date (`actionplan migrate`): the version it
    /// had and the one it has now.
    pub fn migrate(path: &Path) -> Result<(i64, i64)> {
        if !path.exists() {
            return Err(Error::refused(format!("no database at {}", path.display())));
        }
        let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
        let before = schema_version_of(&conn, &path.display().to_string())?;
        let store = Self::init(conn, Some(path))?;
        Ok((before, store.schema_version()?))
    }

    fn init(mut conn: Connection, path: Option<&Path>) -> Result<Store> {
        let shown = path.map_or_else(|| ":memory:".to_string(), |p| p.display().to_string());
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = schema_version_of(&conn, &shown)?;
        let known = MIGRATION_LIST.len() as i64;
        // A database that cannot switch to WAL (read-only media) is refused by the first write,
        // which says why; reads go through `open_read`.
        let _: String =
            retry_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Off while migrating, as SQLite prescribes for a migration that makes a table anew
        // (0007): dropping the old table would otherwise be refused for the rows that refer to
        // it. Such a migration checks every reference before it commits (`foreign_key_check`).
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        if version < known {
            // Several processes may open a new database at once: the migration waits for the
            // write lock, and one that finds the work done by another (its SQL fails, the
            // version is now current) goes on.
            conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
            let migrated = MIGRATIONS.to_latest(&mut conn);
            conn.set_transaction_behavior(rusqlite::TransactionBehavior::Deferred);
            if let Err(e) = migrated {
                let now: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
                if now != known {
                    return Err(e.into());
                }
            }
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Store {
            conn,
            known_at: None,
            upgrade_note: None,
            read_path: path.map(Path::to_path_buf),
        })
    }

    /// Closes the database, reporting what SQLite reports (a failed final checkpoint).
    pub fn close(self) -> Result<()> {
        self.conn.close().map_err(|(_, e)| e.into())
    }

    /// The store as it stood at a past moment: every read (plan, history, narratives,
    /// measurements) sees only what had been recorded by then. Writes are not affected.
    pub fn known_at(mut self, t: DateTime<Utc>) -> Self {
        self.known_at = Some(timestamp(t));
        self
    }

    /// The moment set by [`Store::known_at`], as stored.
    pub fn known_at_text(&self) -> Option<&str> {
        self.known_at.as_deref()
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

    /// Whether the database holds a strategy of this id.
    pub fn holds_strategy(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM strategy WHERE id = ?1)")?
            .query_row([id], |r| r.get(0))?)
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

    /// Validates and writes a batch, so that what lands was valid against the database it
    /// lands in. `validate` reads the store and returns the batch (or refuses); it runs first
    /// without the write lock. Once the lock is held, if another connection has committed
    /// since validation began (a plan revision that withdraws an initiative, a `period close`),
    /// `validate` runs again, now against the locked state, and its batch is written instead.
    pub fn write_validated<T: AsRef<Batch>>(
        &mut self,
        now: DateTime<Utc>,
        command: &str,
        validate: impl FnMut(&Store) -> Result<T>,
    ) -> Result<(WriteSummary, T)> {
        self.write_validated_streaming(now, command, validate, |_| std::iter::empty())
    }

    /// [`Store::write_validated`], with more forms fed one at a time: `more_forms` gives, for
    /// the validated batch, the forms to write after the batch's own (a bulk load reads them
    /// from their files again rather than holding them all). An error from the feed rolls the
    /// whole write back.
    pub fn write_validated_streaming<T: AsRef<Batch>, F>(
        &mut self,
        now: DateTime<Utc>,
        command: &str,
        mut validate: impl FnMut(&Store) -> Result<T>,
        more_forms: impl FnOnce(&T) -> F,
    ) -> Result<(WriteSummary, T)>
    where
        F: Iterator<Item = Result<FedForm>>,
    {
        let this: &Store = self;
        // Taken before the first read, so that a commit between any two reads shows.
        let seen = this.data_version()?;
        let first = validate(this)?;
        let tx = this.begin_write()?;
        let checked = if this.data_version()? == seen {
            first
        } else {
            // A big batch is not kept twice in memory.
            drop(first);
            validate(this)?
        };
        let summary = this.write_in(&tx, checked.as_ref(), more_forms(&checked), now, command)?;
        tx.commit()?;
        Ok((summary, checked))
    }

    /// Writes a whole batch in one transaction: all of it, or (on any error) none of it. The
    /// batch is not validated again: when its validation read the database, use
    /// [`Store::write_validated`], which sees what others committed meanwhile.
    pub fn write(
        &mut self,
        batch: &Batch,
        now: DateTime<Utc>,
        command: &str,
    ) -> Result<WriteSummary> {
        let tx = self.begin_write()?;
        let summary = self.write_in(&tx, batch, std::iter::empty(), now, command)?;
        tx.commit()?;
        Ok(summary)
    }

    /// SQLite's `PRAGMA data_version`: it changes when another connection commits, and only
    /// then (this connection's own commits leave it as it is). Compared within one connection
    /// only.
    fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `read` in one read transaction: every query in it sees the database as it stood at
    /// the first one, whatever other processes commit meanwhile (WAL keeps that snapshot). For
    /// what is read in several queries and must agree: a report, an export.
    pub fn snapshot<R>(&self, read: impl FnOnce(&Store) -> Result<R>) -> Result<R> {
        let tx = Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Deferred)?;
        let out = read(self)?;
        // Nothing was written; ending the transaction releases the snapshot.
        tx.commit()?;
        Ok(out)
    }

    /// A second read-only store on the same file, at the same moment (`known_at`), for work
    /// done beside this one's; `None` for a store that is not reading a file directly, or when
    /// the file cannot be opened again (the caller then does the work itself).
    pub fn reader_beside(&self) -> Option<Store> {
        let path = self.read_path.as_ref()?;
        let conn = open_read_only_conn(path).ok()?;
        Some(Store {
            conn,
            known_at: self.known_at.clone(),
            upgrade_note: None,
            read_path: Some(path.clone()),
        })
    }

    /// The id of the latest write. Every write records a load event in its own transaction and
    /// the log is append-only (triggers refuse anything else), so two snapshots with the same
    /// latest event hold the same record.
    pub fn latest_write(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM load_event", [], |r| {
                r.get(0)
            })?)
    }

    /// Starts a write transaction. IMMEDIATE takes the write lock up front, so a second writer
    /// waits (busy timeout) instead of failing when it upgrades from reading; and what is read
    /// inside it is the latest state, which nobody else can change until the commit.
    /// Unchecked (on `&Connection`) so that the store's reads can run inside it.
    fn begin_write(&self) -> Result<Transaction<'_>> {
        // Every INSERT into a history table may abort (the append-only triggers), so SQLite
        // keeps a statement journal of the pages it touches, to undo that statement alone. In
        // a temporary file (the default once it outgrows 64 KiB), that was a write system call
        // per page: a quarter of a bulk load's time. In memory it holds a statement's pages
        // only, and nothing of the database's durability depends on it (the WAL does that).
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        let tx = Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?;
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        // A big load inserts into the history's indexes at random places; with SQLite's default
        // 2 MB page cache those pages are spilled and read back over and over. This is a ceiling,
        // not an allocation: small writes use what they touch.
        tx.pragma_update(None, "cache_size", WRITE_CACHE_KIB)?;
        Ok(tx)
    }

    fn write_in(
        &self,
        tx: &Transaction<'_>,
        batch: &Batch,
        more_forms: impl Iterator<Item = Result<FedForm>>,
        now: DateTime<Utc>,
        command: &str,
    ) -> Result<WriteSummary> {
        if batch
            .correction
            .as_ref()
            .is_some_and(|c| c.trim().is_empty())
        {
            return Err(Error::refused("a correction needs a reason that says why"));
        }
        let mut session = Session {
            tx,
            now,
            today: now.with_timezone(&chrono::Local).date_naive(),
            command,
            event: None,
            correction: batch.correction.as_deref(),
            latest: status::LatestAdded::default(),
        };
        let mut summary = WriteSummary::default();
        for (source, p) in &batch.plans {
            let changes = plan::write_plan(&mut session, source, p)?;
            summary.plans.push((p.strategy_id().to_string(), changes));
        }
        for (source, form) in &batch.forms {
            let fingerprints = status::fingerprints(form);
            summary.updates.add(&status::write_form(
                &mut session,
                source,
                form,
                &fingerprints,
            )?);
        }
        for fed in more_forms {
            let fed = fed?;
            summary.updates.add(&status::write_form(
                &mut session,
                &fed.source,
                &fed.form,
                &fed.fingerprints,
            )?);
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
            for st in &export.strategies {
                let id = st.strategy.id.clone();
                let changes = if st.revisions.is_empty() {
                    // A version 1 export: the plan as one version, then its withdrawals.
                    let mut changes = plan::write_plan(&mut session, source, &st.full_plan())?;
                    if !st.withdrawn.is_empty() {
                        let later = plan::write_plan(&mut session, source, &st.plan_in_force())?;
                        changes.withdrawn = later.withdrawn;
                    }
                    changes
                } else {
                    plan::import_history(&mut session, source, st)?
                };
                summary.updates.add(&status::import_updates(
                    &mut session,
                    source,
                    &id,
                    &st.updates,
                    &st.retractions,
                )?);
                for n in &st.narratives {
                    summary.narratives += usize::from(write_narrative(&mut session, source, n)?);
                }
                let set = MeasurementSet {
                    strategy: id.clone(),
                    rows: st.measurements.clone(),
                };
                summary.measurements.add(&measurements::write_measurements(
                    &mut session,
                    source,
                    &set,
                )?);
                summary.plans.push((id, changes));
            }
        }
        session.latest.flush(tx)?;
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
                 (SELECT max(n.id) FROM narrative n
                  JOIN source s ON s.id = n.source_id JOIN load_event e ON e.id = s.load_event_id
                  WHERE n.strategy_id = ?1 AND (?2 IS NULL OR e.recorded_at <= ?2) GROUP BY n.year)
             ORDER BY year",
        )?;
        let rows = stmt.query_map(rusqlite::params![strategy, self.known_at], |r| {
            r.get::<_, String>(0)
        })?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?).map_err(|e| corrupt("narrative", &e))?);
        }
        Ok(out)
    }
}

/// How times of recording are stored: UTC with microseconds and a `Z`, so that text order is
/// time order.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn list_or_none(ids: &[&str]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

/// A read-only connection to an existing database file. A database in WAL mode needs its
/// `-shm` index, which SQLite creates beside it; where it cannot (a folder the user cannot write,
/// read-only media), the file is opened as immutable: nobody can be writing to it there.
fn open_read_only_conn(path: &Path) -> Result<Connection> {
    use rusqlite::OpenFlags as F;
    let flags = F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let probe = retry_busy(|| {
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    match probe {
        Ok(_) => Ok(with_read_cache(conn)),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
            ) =>
        {
            drop(conn);
            let uri = immutable_uri(path)?;
            let conn = Connection::open_with_flags(&uri, flags | F::SQLITE_OPEN_URI)
                .map_err(|e| open_error(path, e))?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            Ok(with_read_cache(conn))
        }
        // Not a database, damaged, …: said by the schema check that follows.
        Err(_) => Ok(conn),
    }
}

/// The connection with the read cache ([`READ_CACHE_KIB`]). SQLite reads the schema to set it:
/// on a file that is not a database it fails, and the schema check that follows says so.
fn with_read_cache(conn: Connection) -> Connection {
    let _ = conn.pragma_update(None, "cache_size", READ_CACHE_KIB);
    conn
}

/// `file:/abs/path?immutable=1`, with the characters a URI gives meaning to escaped.
fn immutable_uri(path: &Path) -> Result<String> {
    let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut uri = String::from("file:");
    for b in abs.as_os_str().as_encoded_bytes() {
        match b {
            b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(char::from(*b)),
            b if b.is_ascii_alphanumeric() => uri.push(char::from(*b)),
            b => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

/// Copies a whole database into another connection (SQLite's backup API, in one step).
fn copy_database(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(from, to)?;
    backup.run_to_completion(i32::MAX, std::time::Duration::ZERO, None)?;
    Ok(())
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::refused(format!("cannot open the database {}: {e}", path.display()))
}

/// Runs a statement again while another connection holds a lock that SQLite does not wait for
/// (switching to WAL needs the database to itself), up to the busy timeout.
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match f() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// The schema version of an actionplan database (0: no schema yet), refusing what is not
/// one: not SQLite, another program's database, or one from a newer actionplan.
fn schema_version_of(conn: &Connection, shown: &str) -> Result<i64> {
    // The first statement reads the header: a file that is not SQLite fails here. What is
    // refused is refused before anything is written (even the switch to WAL).
    // One statement, so one snapshot: another process may be creating the schema meanwhile.
    let (version, tables): (i64, i64) = retry_busy(|| {
        conn.query_row(
            "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    })
    .map_err(|e| not_a_database(shown, e))?;
    let known = MIGRATION_LIST.len() as i64;
    if version > known {
        return Err(Error::refused_with_hint(
            format!(
                "{shown} was written by a newer actionplan (schema version {version}; this one knows up to {known})"
            ),
            "upgrade actionplan, or use another database with --db",
        ));
    }
    if version == 0 && tables > 0 {
        return Err(Error::refused_with_hint(
            format!("{shown} is an SQLite database, but not actionplan's"),
            "point --db (or ACTIONPLAN_DB) at an actionplan database, or at a new file",
        ));
    }
    Ok(version)
}

fn not_a_database(shown: &str, e: rusqlite::Error) -> Error {
    if e.sqlite_error_code() != Some(rusqlite::ErrorCode::NotADatabase) {
        return e.into();
    }
    Error::refused_with_hint(
        format!("{shown} is not an actionplan database: {e}"),
        "point --db (or ACTIONPLAN_DB) at an actionplan database, or at a new file",
    )
}

pub(crate) use crate::model::digest::hex;
pub(crate) use crate::model::digest::sha256_hex;

/// A day the store wrote (`YYYY-MM-DD`), read without chrono's format parser: that parser was
/// 6 % of `graph impact`'s profile. Anything else is left to rusqlite's reading, and its error.
pub(crate) fn day_at(r: &rusqlite::Row<'_>, k: usize) -> rusqlite::Result<NaiveDate> {
    quick_day(r.get_ref(k)?).map_or_else(|| r.get(k), Ok)
}

/// [`day_at`], for a column that may be NULL.
pub(crate) fn maybe_day_at(r: &rusqlite::Row<'_>, k: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get_ref(k)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        v => quick_day(v).map_or_else(|| r.get(k), |d| Ok(Some(d))),
    }
}

fn quick_day(v: rusqlite::types::ValueRef<'_>) -> Option<NaiveDate> {
    let rusqlite::types::ValueRef::Text(&[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]) = v else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(&[y0, y1, y2, y3])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&[m0, m1])?, number(&[d0, d1])?)
}

/// A text column the store wrote, borrowed from the row; `what` names it in the error.
pub(crate) fn text_at<'r>(r: &'r rusqlite::Row<'_>, k: usize, what: &str) -> Result<&'r str> {
    r.get_ref(k)?.as_str().map_err(|e| corrupt(what, &e))
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
    /// The day of `now` where the user is: the day a plan version without `revised` takes
    /// effect.
    today: chrono::NaiveDate,
    command: &'t str,
    event: Option<i64>,
    correction: Option<&'t str>,
    /// What the write has added to each initiative's history, for `latest_status`.
    latest: status::LatestAdded,
}

impl Session<'_> {
    /// The write's load event, created when first needed.
    fn event(&mut self) -> Result<i64> {
        if let Some(e) = self.event {
            return Ok(e);
        }
        self.tx
            .prepare_cached("INSERT INTO load_event (recorded_at, command) VALUES (?1, ?2)")?
            .execute(rusqlite::params![timestamp(self.now), self.command])?;
        let id = self.tx.last_insert_rowid();
        self.event = Some(id);
        Ok(id)
    }

    /// Records a source (creating the load event first if needed) and returns its id.
    fn source(&mut self, source: &SourceInfo) -> Result<i64> {
        let event = self.event()?;
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
    fn days_are_read_as_chrono_reads_them() {
        let conn = Connection::open_in_memory().unwrap();
        let read = |text: Option<&str>| {
            conn.query_row("SELECT ?1", [text], |r| {
                let chrono = r.get::<_, Option<NaiveDate>>(0).map_err(|e| e.to_string());
                let ours = maybe_day_at(r, 0).map_err(|e| e.to_string());
                Ok((ours, chrono))
            })
            .unwrap()
        };
        let cases = [
            None,
            Some("2021-03-01"),
            Some("0001-01-01"),
            Some("2024-02-29"),
            Some("2023-02-29"),
            Some("2021-13-01"),
            Some("2021-1-011"),
            Some("2021-03-1"),
            Some("+2021-03-01"),
            Some("2021/03/01"),
            Some("٢٠٢١-03-01"),
            Some(""),
        ];
        for text in cases {
            let (ours, chrono) = read(text);
            assert_eq!(ours, chrono, "{text:?}");
        }
        assert_eq!(
            read(Some("2021-03-01")).0,
            Ok(NaiveDate::from_ymd_opt(2021, 3, 1))
        );
    }

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
