//! `backup`: a consistent, checked copy of the database, safe while others write.

use std::path::PathBuf;

use clap::Args;

use super::Context;

/// Copy the database to a file, safely while others load or record updates.
///
/// Uses SQLite's online backup: the copy is the database at one moment, checked with
/// `PRAGMA integrity_check` before it is put in place. An existing file is never overwritten
/// unless --force. To restore, point --db at the copy (or copy it back while nobody writes).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan backup backups/actionplan-2021-11-30.db\n  actionplan --db office.db backup office-copy.db --force\n  actionplan --db backups/actionplan-2021-11-30.db report 2021"
)]
pub struct BackupArgs {
    /// The file to write (its folder is created if missing)
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Overwrite PATH if it exists
    #[arg(long)]
    pub force: bool,
}

pub fn run_backup(ctx: &Context, a: &BackupArgs) -> anyhow::Result<()> {
    // The source is copied as it is, at its own schema: a backup never migrates it.
    let store = ctx.store_as_is()?;
    let s = store.backup(&a.path, a.force)?;
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    say!(
        "wrote {} ({}): {}, {}, {}, {}; integrity and references ok",
        s.path.display(),
        size(s.bytes),
        plural(s.strategies, "strategy", "strategies"),
        plural(s.updates, "status update", "status updates"),
        plural(s.measurements, "measurement", "measurements"),
        plural(s.narratives, "narrative", "narratives"),
    );
    Ok(())
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{} KB", b >> 10),
        b => format!("{b} bytes"),
    }
}
