//! `backup`: a consistent copy of the database, taken with SQLite's online backup API while
//! others may be loading or recording updates.
//!
//! The copy is written to a temporary file beside the destination, checked with
//! `PRAGMA integrity_check`, synced to disk and only then moved into place, so the destination
//! is either the complete, checked copy or untouched. In WAL mode the copy is one snapshot:
//! the source is read in a single step, and writers go on meanwhile.

use std::path::Path;
use std::path::PathBuf;
use std::time::Instant;

use rusqlite::Connection;
use rusqlite::backup::Backup;
use rusqlite::backup::StepResult;

use super::BUSY_TIMEOUT;
use super::Store;
use crate::error::Error;
use crate::error::Result;
use crate::output;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub strategies: i64,
    pub updates: i64,
    pub measurements: i64,
    pub narratives: i64,
}

fn exists_error(dest: &Path) -> Error {
    Error::refused_with_hint(
        format!("{} already exists", dest.display()),
        "choose another file, or overwrite it with --force",
    )
}

impl Store {
    /// Copies the whole database to `dest`. Refuses an existing `dest` unless `overwrite`, and
    /// the database itself always.
    pub fn backup(&self, dest: &Path, overwrite: bool) -> Result<BackupSummary> {
        if dest.is_dir() {
            return Err(Error::refused_with_hint(
                format!("{} is a folder", dest.display()),
                "give the backup's file name, e.g. backups/actionplan-2021-11-30.db",
            ));
        }
        let src = self.conn.path().map(Path::new);
        if let (Some(src), Ok(dst)) = (src, std::fs::canonicalize(dest))
            && std::fs::canonicalize(src).is_ok_and(|s| s == dst)
        {
            return Err(Error::refused_with_hint(
                format!("{} is the database being backed up", dest.display()),
                "write the backup to another file",
            ));
        }
        // As every file the tool writes: never a link, a special file or the database's own
        // -wal or -shm.
        let existing = output::check_target(dest, &src.into_iter().collect::<Vec<_>>())?;
        if existing.is_some() && !overwrite {
            return Err(exists_error(dest));
        }
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = dest
            .file_name()
            .ok_or_else(|| Error::refused(format!("{} does not name a file", dest.display())))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".backup-{}", std::process::id()));
        let tmp_path = parent.join(tmp_name);
        for f in output::with_sidecars(&tmp_path) {
            let _ = std::fs::remove_file(f);
        }
        // The copy and SQLite's files beside it are removed on error and on SIGINT/SIGTERM,
        // and once the copy is in place (under its new name, or linked there).
        let mut tmp = output::Undo::new();
        for f in output::with_sidecars(&tmp_path) {
            tmp.expect(output::Step::File(f));
        }

        let mut summary = self.copy_to(&tmp_path)?;
        std::fs::File::open(&tmp_path)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(&tmp_path, e))?;

        // A -wal left beside the destination would be replayed into the new copy: remove it.
        let [_, stale @ ..] = output::with_sidecars(dest);
        for f in stale {
            match std::fs::remove_file(&f) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&f, e)),
            }
        }
        if overwrite {
            std::fs::rename(&tmp_path, dest).map_err(|e| Error::io(dest, e))?;
        } else {
            // A hard link never replaces a file: a backup started elsewhere meanwhile is kept.
            match std::fs::hard_link(&tmp_path, dest) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(exists_error(dest));
                }
                Err(_) if dest.exists() => return Err(exists_error(dest)),
                // Filesystems without hard links: checked above, renamed now.
                Err(_) => std::fs::rename(&tmp_path, dest).map_err(|e| Error::io(dest, e))?,
            }
        }
        drop(tmp);
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
        summary.path = dest.to_path_buf();
        summary.bytes = std::fs::metadata(dest)
            .map_err(|e| Error::io(dest, e))?
            .len();
        Ok(summary)
    }

    /// Writes the copy to `path` and checks it.
    fn copy_to(&self, path: &Path) -> Result<BackupSummary> {
        let mut dst = Connection::open(path).map_err(|e| {
            Error::refused(format!("cannot create the backup {}: {e}", path.display()))
        })?;
        {
            let backup = Backup::new(&self.conn, &mut dst)?;
            let started = Instant::now();
            loop {
                // All pages in one step: one read transaction, so one consistent snapshot.
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked if started.elapsed() < BUSY_TIMEOUT => {
                        std::thread::sleep(std::time::Duration::from_millis(25));
                    }
                    _ => {
                        return Err(Error::refused_with_hint(
                            "the database stayed locked: no backup was written",
                            "try again when the other writer has finished",
                        ));
                    }
                }
            }
        }
        // A plain single file (no -wal beside it), readable from read-only media.
        let _: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        let check: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::refused(format!(
                "the backup failed its integrity check ({check}); nothing was written"
            )));
        }
        // Every reference holds too: a row pointing at nothing (written with the foreign keys
        // off) would not load back.
        let dangling: Vec<String> = dst
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                Ok(format!(
                    "{} row {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or_default()
                ))
            })?
            .take(5)
            .collect::<rusqlite::Result<_>>()?;
        if !dangling.is_empty() {
            return Err(Error::refused_with_hint(
                format!(
                    "the database has rows that refer to nothing ({}); no backup was written",
                    dangling.join(", ")
                ),
                "export what can be read (`actionplan export`) and load it into a new database",
            ));
        }
        let count = |sql: &str| dst.query_row(sql, [], |r| r.get::<_, i64>(0));
        let summary = BackupSummary {
            path: path.to_path_buf(),
            bytes: 0,
            strategies: count("SELECT count(*) FROM strategy")?,
            updates: count("SELECT count(*) FROM status_update")?,
            measurements: count("SELECT count(*) FROM measurement")?,
            narratives: count("SELECT count(*) FROM narrative")?,
        };
        dst.close().map_err(|(_, e)| e)?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_of_an_empty_database_opens_and_is_not_written_twice() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db")).unwrap();
        let dest = dir.path().join("sub/b.db");
        let s = store.backup(&dest, false).unwrap();
        assert_eq!((s.strategies, s.updates), (0, 0));
        assert!(s.bytes > 0);
        assert_eq!(
            Store::open(&dest).unwrap().schema_version().unwrap(),
            super::super::MIGRATION_LIST.len() as i64
        );
        let err = store.backup(&dest, false).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        store.backup(&dest, true).unwrap();
        let left: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["b.db"], "no temporary file is left behind");
    }

    #[test]
    fn the_database_itself_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let store = Store::open(&path).unwrap();
        let err = store.backup(&path, true).unwrap_err();
        assert!(err.to_string().contains("being backed up"), "{err}");
    }
}
