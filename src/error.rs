//! The library's error type: user errors (refused data or requests) apart from internal ones.

use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Files that failed validation; every problem found, each with its position.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// A request the data cannot satisfy (unknown id, closed period, …).
    #[error("{message}{}", hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
    Refused {
        message: String,
        hint: Option<String>,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An SQLite error that is not about the user's data or surroundings (see `From` below).
    /// Not a `#[source]`: the message already holds SQLite's, which would print twice.
    #[error("database: {0}")]
    Database(rusqlite::Error),
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// Writing a verb's output failed (a closed pipe, a full disk); the cause is the source.
    #[error("cannot write the output")]
    Output(#[from] std::io::Error),
}

impl From<rusqlite::Error> for Error {
    /// What the user can act on (a read-only or full disk, a lock held too long, a damaged or
    /// foreign file) is said plainly, with what to do; the rest stays a database error.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let (message, hint) = match e.sqlite_error_code() {
            Some(C::ReadOnly) => (
                "the database is read-only: nothing was written",
                "check the permissions of the database file and its folder, or use another with --db",
            ),
            Some(C::DiskFull) => (
                "the disk is full: nothing was written",
                "free some space and run the command again",
            ),
            Some(C::DatabaseBusy | C::DatabaseLocked) => (
                "the database was locked by another writer: nothing was written",
                "run the command again when the other writer has finished",
            ),
            Some(C::DatabaseCorrupt) => (
                "the database file is damaged",
                "restore it from a backup (`actionplan backup` makes one), or load the plans and an export into a new database",
            ),
            Some(C::NotADatabase) => (
                "the database file is not an SQLite database",
                "point --db (or ACTIONPLAN_DB) at an actionplan database, or at a new file",
            ),
            // A write the system refused: over the file-size limit, or the disk gave out.
            Some(C::SystemIoFailure) if is_write_failure(&e) => (
                "the database could not be written: nothing was written",
                "check the free space and the file-size limit (`ulimit -f`), then run the command again",
            ),
            Some(C::CannotOpen | C::SystemIoFailure) => (
                "the database file cannot be opened or read",
                "check that its folder exists and can be written to",
            ),
            _ => return Error::Database(e),
        };
        Error::refused_with_hint(format!("{message} ({e})"), hint)
    }
}

/// Whether SQLite failed writing, growing or syncing a file (not opening or reading one).
fn is_write_failure(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi;
    e.sqlite_error().is_some_and(|f| {
        matches!(
            f.extended_code,
            ffi::SQLITE_IOERR_WRITE
                | ffi::SQLITE_IOERR_FSYNC
                | ffi::SQLITE_IOERR_TRUNCATE
                | ffi::SQLITE_IOERR_SHMSIZE
        )
    })
}

impl Error {
    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint: None,
        }
    }

    pub fn refused_with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Whether the user can fix this by changing their data or their request.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Invalid(_) | Error::Refused { .. } | Error::Io { .. }
        )
    }
}
