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
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
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
