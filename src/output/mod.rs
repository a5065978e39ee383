//! Every file actionplan writes goes through here (FORMATS.md, version 2, "Nothing a user
//! wrote is lost"). Two ways to write:
//!
//! - [`replace_file`]: one output (`report --output`, `export --output`), which may replace an
//!   earlier output, but only a regular file; never the database or the files SQLite keeps
//!   beside it, a device, a FIFO or a socket, and never through a symbolic link (a link at the
//!   target is refused, not followed and not replaced). The content goes to a new file in the
//!   same folder, is synced and renamed into place: a write that fails part-way leaves the old
//!   file whole.
//! - [`create_files`]: a set of new files in a folder (`init`, `forms --out`). An existing
//!   file is replaced only with `force`; a link, a folder or a special file at a name is
//!   refused always; everything is checked before anything is written. All or nothing: the
//!   files are written into a temporary folder inside the target folder and then moved into
//!   place, and a failure takes back what was moved.
//!
//! Temporary files are removed on error and on SIGINT, SIGTERM and SIGHUP (see `cleanup`).
//! Targets are inspected with `symlink_metadata` and never opened, so a FIFO cannot make a
//! write hang.

mod cleanup;
pub mod pdf;

use std::ffi::OsString;
use std::fs::File;
use std::fs::Metadata;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Component;
use std::path::Path;
use std::path::PathBuf;

pub(crate) use self::cleanup::Step;
pub(crate) use self::cleanup::Undo;
use crate::error::Error;
use crate::error::Result;

/// Where [`replace_file`]'s content goes: the temporary file, buffered.
pub type Sink = std::io::BufWriter<File>;

/// The mode of a new file, before the umask: what an editor would make.
const NEW_FILE_MODE: u32 = 0o644;

/// Ignores SIGXFSZ, so that a write over the file-size limit (`ulimit -f`) fails with an error
/// the tool reports (with the file's path) instead of ending the process without a word.
pub fn ignore_file_size_signal() {
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code; it is done
    // once at start-up, before any thread is started.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Replaces (or creates) the regular file at `path` with what `write` writes, all at once or
/// not at all. `protected` are files that must never be written over, with the files SQLite
/// keeps beside them (`-wal`, `-shm`, `-journal`): the live database. An existing file keeps
/// its permissions (never writable by all); a new one gets 0644 less the umask; a read-only
/// one is refused. Errors name `path`.
pub fn replace_file(
    path: &Path,
    protected: &[&Path],
    write: impl FnOnce(&mut Sink) -> Result<()>,
) -> Result<()> {
    let existing = check_target(path, protected)?;
    if existing
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(Error::refused_with_hint(
            format!("{} is read-only", path.display()),
            "choose another file, or make this one writable",
        ));
    }
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(Error::refused_with_hint(
            format!(
                "cannot write {}: the folder {} does not exist",
                path.display(),
                dir.display()
            ),
            "create the folder first, or choose another file",
        ));
    }
    let name = path
        .file_name()
        .ok_or_else(|| not_a_file_name(path))?
        .to_os_string();
    // The old file's permissions, less writing by all and the set-id bits.
    let mode = existing
        .as_ref()
        .map_or(NEW_FILE_MODE, |m| m.permissions().mode() & 0o775);

    let failed = |e| write_failed(path, e);
    let mut undo = Undo::new();
    let (temp, file) = create_temp(&mut undo, &dir, &name, mode).map_err(failed)?;
    let mut out = Sink::new(file);
    write(&mut out).map_err(|e| match e {
        Error::Io { path: p, source } if p == path => failed(source),
        e => e,
    })?;
    let file = out.into_inner().map_err(|e| failed(e.into_error()))?;
    if existing.is_some() {
        // Not subject to the umask, unlike the mode the file was created with.
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(failed)?;
    }
    file.sync_all().map_err(failed)?;
    drop(file);
    // A link or a special file put there since the check is replaced, not written through.
    undo.run(
        || std::fs::rename(&temp, path),
        |()| Step::File(path.to_path_buf()),
    )
    .map_err(failed)?;
    undo.commit();
    sync_folder(&dir);
    Ok(())
}

/// A write that failed, with the file and, for the common causes, what to do. Said only
/// where nothing was changed: the temporary file is removed, the old file is whole.
fn write_failed(path: &Path, e: std::io::Error) -> Error {
    let message = format!("cannot write {}: {e}; nothing was changed", path.display());
    match e.raw_os_error() {
        Some(libc::EFBIG) => Error::refused_with_hint(
            message,
            "the file-size limit (`ulimit -f`) is reached: raise it, or write a smaller output",
        ),
        Some(libc::ENOSPC | libc::EDQUOT) => {
            Error::refused_with_hint(message, "the disk is full: free some space")
        }
        _ => Error::refused(message),
    }
}

/// What is at `path` if it may be written: nothing (`None`) or a regular file (its metadata).
/// Refuses, with what to do, a symbolic link (dangling or not), a folder, a device, a FIFO or
/// a socket, and any of the `protected` files or the files SQLite keeps beside them (by
/// device and inode when they exist, by name when they do not). Nothing is opened.
pub fn check_target(path: &Path, protected: &[&Path]) -> Result<Option<Metadata>> {
    if path.file_name().is_none() {
        return Err(not_a_file_name(path));
    }
    let existing = match std::fs::symlink_metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(m) = &existing {
        refuse_unless_regular(path, m)?;
    }
    for db in protected {
        for p in with_sidecars(db) {
            let same_inode = match (&existing, std::fs::metadata(&p)) {
                (Some(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                _ => false,
            };
            if same_inode || same_name(path, &p) {
                return Err(Error::refused_with_hint(
                    format!(
                        "{} is the database {} (or a file SQLite keeps beside it): it is never written over",
                        path.display(),
                        db.display()
                    ),
                    "choose another file name",
                ));
            }
        }
    }
    Ok(existing)
}

/// A new file for [`create_files`]: its name relative to the folder (a subfolder may be part
/// of it, `..` may not) and its content.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: PathBuf,
    pub content: Vec<u8>,
}

/// What [`create_files`] did with each name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Created {
    /// Written (new, or replaced with `force`).
    pub written: Vec<PathBuf>,
    /// Already there with exactly this content: left alone, not a conflict.
    pub unchanged: Vec<PathBuf>,
}

/// What is at one target name, as [`create_files`] found it.
enum Found {
    New,
    Replace,
    Unchanged,
}

/// Writes `files` into `dir` (made if missing, with its parents), all or nothing. Everything
/// is checked first and every problem is reported at once, before anything is written: an
/// existing file with other content (unless `force`), and always a symbolic link (dangling or
/// not), a folder or a special file at a name or on the way to it. An existing file with the
/// same content is left as it is. `dir` itself may be a link to a folder: the user named it.
pub fn create_files(dir: &Path, files: &[NewFile], force: bool) -> Result<Created> {
    create_files_from(dir, force, |set| {
        for f in files {
            set.add(&f.name, &f.content);
        }
        Ok(())
    })
}

/// [`create_files`] for files made one at a time: `make` hands each to [`NewFiles::add`],
/// which checks it and stages it in a temporary folder inside `dir` at once, so no more than
/// one file's content need be held. The targets are left untouched until every file is
/// checked and staged: a problem found with any of them, or an error of `make`, leaves `dir`
/// as it was (the temporary folder is removed).
pub fn create_files_from(
    dir: &Path,
    force: bool,
    make: impl FnOnce(&mut NewFiles<'_>) -> Result<()>,
) -> Result<Created> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(Error::refused_with_hint(
                format!("{} is not a folder", dir.display()),
                "choose a folder to write to",
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(dir, e)),
    }
    let mut set = NewFiles {
        dir,
        force,
        problems: Vec::new(),
        conflicts: Vec::new(),
        staging_failure: None,
        undo: Undo::new(),
        temp: None,
        staged: Vec::new(),
        unchanged: Vec::new(),
        count: 0,
    };
    make(&mut set)?;
    set.finish()
}

/// The files of one [`create_files_from`], checked and staged as they are added.
pub struct NewFiles<'a> {
    dir: &'a Path,
    force: bool,
    problems: Vec<String>,
    conflicts: Vec<String>,
    /// The first file that could not be staged. Reported only when the checks found nothing:
    /// they are what the user can act on, and they came first before files were made one at
    /// a time.
    staging_failure: Option<Error>,
    undo: Undo,
    /// Made with the first file to stage: a set with nothing new makes none.
    temp: Option<PathBuf>,
    staged: Vec<Staged>,
    unchanged: Vec<PathBuf>,
    /// Files added so far: each one's number names its staged copy.
    count: usize,
}

/// A file written to the temporary folder, to be moved to `target`.
struct Staged {
    number: usize,
    path: PathBuf,
    target: PathBuf,
    /// A file with other content is there, to be replaced.
    replace: bool,
}

impl NewFiles<'_> {
    /// Adds a file: `name` relative to the folder (a subfolder may be part of it, `..` may
    /// not). A problem with it is reported by [`create_files_from`], with all the others.
    pub fn add(&mut self, name: &Path, content: &[u8]) {
        let number = self.count;
        self.count += 1;
        let target = self.dir.join(name);
        if name.file_name().is_none()
            || !name.components().all(|c| matches!(c, Component::Normal(_)))
        {
            self.problems.push(format!(
                "{} would be written outside {}",
                target.display(),
                self.dir.display()
            ));
            return;
        }
        let replace = match survey(self.dir, name, content) {
            Ok(Found::Unchanged) => {
                self.unchanged.push(target);
                return;
            }
            Ok(Found::Replace) if !self.force => {
                self.conflicts.push(target.display().to_string());
                return;
            }
            Ok(found) => matches!(found, Found::Replace),
            Err(problem) => {
                self.problems.push(problem);
                return;
            }
        };
        // A set already refused writes nothing more; its files are still checked, so that
        // every problem is reported at once.
        let refused = !self.problems.is_empty() || !self.conflicts.is_empty();
        if refused || self.staging_failure.is_some() {
            return;
        }
        if let Err(e) = self.stage(number, name, target, content, replace) {
            self.staging_failure = Some(e);
        }
    }

    fn stage(
        &mut self,
        number: usize,
        name: &Path,
        target: PathBuf,
        content: &[u8],
        replace: bool,
    ) -> Result<()> {
        let temp = match &self.temp {
            Some(temp) => temp.clone(),
            None => {
                make_folder(&mut self.undo, self.dir)?;
                let temp = temp_folder(&mut self.undo, self.dir)?;
                self.temp = Some(temp.clone());
                temp
            }
        };
        let path = temp.join(number.to_string());
        write_new(&path, content).map_err(|e| write_failed(&target, e))?;
        if let Some(parent) = name.parent().filter(|p| !p.as_os_str().is_empty()) {
            make_folder(&mut self.undo, &self.dir.join(parent))?;
        }
        self.staged.push(Staged {
            number,
            path,
            target,
            replace,
        });
        Ok(())
    }

    /// Moves the staged files into place, or reports every problem found and writes nothing.
    fn finish(mut self) -> Result<Created> {
        let dir = self.dir;
        if !self.problems.is_empty() || !self.conflicts.is_empty() {
            let mut message = format!("nothing was written to {}:", dir.display());
            for c in &self.conflicts {
                message.push_str(&format!("\n  {c} already exists"));
            }
            for p in &self.problems {
                message.push_str(&format!("\n  {p}"));
            }
            let hint = if self.problems.is_empty() {
                "choose another folder, or overwrite the files with --force"
            } else {
                "links, folders and special files are never written over or through: remove or rename them, or choose another folder"
            };
            return Err(Error::refused_with_hint(message, hint));
        }
        if let Some(e) = self.staging_failure.take() {
            return Err(e);
        }
        // A set of no files still makes its folder.
        make_folder(&mut self.undo, dir)?;
        let mut undo = self.undo;
        let mut created = Created {
            written: Vec::new(),
            unchanged: self.unchanged,
        };
        // Each folder written to is synced once, after its last rename, not after each one.
        let mut folders = std::collections::BTreeSet::new();
        for Staged {
            number,
            path: staged,
            target,
            replace,
        } in self.staged
        {
            if replace {
                let aside = staged.with_file_name(format!("{number}.old"));
                undo.run(
                    || std::fs::rename(&target, &aside),
                    |()| Step::Rename {
                        from: aside.clone(),
                        to: target.clone(),
                    },
                )
                .map_err(|e| write_failed(&target, e))?;
                undo.run(
                    || std::fs::rename(&staged, &target),
                    |()| Step::File(target.clone()),
                )
                .map_err(|e| write_failed(&target, e))?;
            } else {
                undo.run(
                    || link_new(&staged, &target),
                    |()| Step::File(target.clone()),
                )
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => Error::refused(format!(
                        "nothing was written to {}: {} was created meanwhile",
                        dir.display(),
                        target.display()
                    )),
                    _ => write_failed(&target, e),
                })?;
            }
            if let Some(parent) = target.parent() {
                folders.insert(parent.to_path_buf());
            }
            created.written.push(target);
        }
        for folder in &folders {
            sync_folder(folder);
        }
        undo.commit();
        // What is left in the temporary folder are the staged copies' second names and the old
        // files: nothing anyone needs.
        if let Some(temp) = &self.temp {
            let _ = std::fs::remove_dir_all(temp);
        }
        sync_folder(dir);
        Ok(created)
    }
}

/// What is at `dir/name`, and whether it may be written; a problem says why not.
fn survey(dir: &Path, name: &Path, content: &[u8]) -> std::result::Result<Found, String> {
    let target = dir.join(name);
    // Every folder on the way must be a folder, not a link to one (or something else).
    let mut on_the_way = dir.to_path_buf();
    let parts: Vec<_> = name.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        on_the_way.push(part);
        match std::fs::symlink_metadata(&on_the_way) {
            Ok(m) if m.is_dir() => {}
            Ok(m) => return Err(describe_refusal(&on_the_way, &m)),
            Err(_) => break,
        }
    }
    let m = match std::fs::symlink_metadata(&target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::New),
        Err(e) => return Err(format!("{}: {e}", target.display())),
    };
    if !m.is_file() {
        return Err(describe_refusal(&target, &m));
    }
    if m.len() == content.len() as u64 && read_regular(&target).is_ok_and(|c| c == content) {
        return Ok(Found::Unchanged);
    }
    Ok(Found::Replace)
}

/// Why something that is not a regular file is not written: what it is.
fn describe_refusal(path: &Path, m: &Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_symlink() {
        let to = std::fs::read_link(path)
            .map(|l| format!(" (to {})", l.display()))
            .unwrap_or_default();
        format!(
            "{} is a symbolic link{to}: actionplan never writes through a link",
            path.display()
        )
    } else if t.is_dir() {
        format!("{} is a folder", path.display())
    } else {
        let what = if t.is_fifo() {
            "a named pipe (FIFO)"
        } else if t.is_char_device() {
            "a character device"
        } else if t.is_block_device() {
            "a block device"
        } else if t.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        format!(
            "{} is {what}: only a regular file is ever replaced",
            path.display()
        )
    }
}

fn refuse_unless_regular(path: &Path, m: &Metadata) -> Result<()> {
    if m.is_file() {
        return Ok(());
    }
    let hint = if m.file_type().is_symlink() {
        "write to the file itself (the link's target), or remove the link first"
    } else if m.is_dir() {
        "give a file name inside the folder"
    } else {
        "choose a regular file, or leave out --output to write to standard output"
    };
    Err(Error::refused_with_hint(describe_refusal(path, m), hint))
}

fn not_a_file_name(path: &Path) -> Error {
    Error::refused(format!("{} does not name a file", path.display()))
}

/// The folder `path` is in ("." for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A database file and the files SQLite keeps beside it.
pub(crate) fn with_sidecars(db: &Path) -> [PathBuf; 4] {
    let side = |suffix: &str| {
        let mut s = db.as_os_str().to_os_string();
        s.push(suffix);
        PathBuf::from(s)
    };
    [
        db.to_path_buf(),
        side("-wal"),
        side("-shm"),
        side("-journal"),
    ]
}

/// Whether two paths name the same entry: the same name in the same (canonical) folder.
fn same_name(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| {
        std::fs::canonicalize(folder_of(p))
            .ok()
            .zip(p.file_name())
            .map(|(d, n)| d.join(n))
    };
    match (canonical(a), canonical(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Creates a fresh temporary file beside the target (exclusively, never through a link),
/// recorded for removal.
fn create_temp(
    undo: &mut Undo,
    dir: &Path,
    name: &std::ffi::OsStr,
    mode: u32,
) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for attempt in 0..100 {
        let mut temp_name = OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}-{attempt}.actionplan-tmp", std::process::id()));
        let temp = dir.join(temp_name);
        let made = undo.run(
            || {
                OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(mode)
                    .custom_flags(libc::O_NOFOLLOW)
                    .open(&temp)
            },
            |_| Step::File(temp.clone()),
        );
        match made {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// A fresh temporary folder inside `dir`, private to us, recorded for removal with all in it.
fn temp_folder(undo: &mut Undo, dir: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    for attempt in 0..100 {
        let temp = dir.join(format!(".actionplan-tmp-{}-{attempt}", std::process::id()));
        let made = undo.run(
            || std::fs::DirBuilder::new().mode(0o700).create(&temp),
            |()| Step::Tree(temp.clone()),
        );
        match made {
            Ok(()) => return Ok(temp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io(dir, e)),
        }
    }
    Err(Error::refused(format!(
        "cannot make a temporary folder in {}",
        dir.display()
    )))
}

/// Makes `dir` and any missing parents, each recorded for removal if it is empty again.
fn make_folder(undo: &mut Undo, dir: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    for d in missing.into_iter().rev() {
        match undo.run(|| std::fs::create_dir(&d), |()| Step::EmptyDir(d.clone())) {
            Ok(()) => {}
            // Made meanwhile by someone else: theirs, not ours to take back.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(Error::io(&d, e)),
        }
    }
    Ok(())
}

/// Writes a new file (never an existing one, never through a link) and syncs it.
fn write_new(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(NEW_FILE_MODE)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    f.write_all(content)?;
    f.sync_all()
}

/// Puts `staged` at `target` unless something is there by now. A hard link never replaces a
/// file; where the file system has none, a check and a rename do.
fn link_new(staged: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(staged, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(e) if std::fs::symlink_metadata(target).is_ok() => Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            e.to_string(),
        )),
        Err(_) => std::fs::rename(staged, target),
    }
}

/// Reads a file found to be regular, without following a link or waiting on a FIFO if it
/// was swapped for one meanwhile.
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(buf)
}

/// Syncs a folder, so that a rename in it survives a crash. Best effort: some file systems
/// cannot sync a folder, and the data itself is synced already.
fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        let err = replace_file(&path, &[], |out| {
            out.write_all(b"half").unwrap();
            Err(Error::refused("stopped"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "stopped");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()), ["out.txt"]);
        replace_file(&path, &[], |out| {
            out.write_all(b"new").map_err(|e| Error::io(&path, e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out.txt"]);
    }

    #[test]
    fn the_database_and_its_sidecars_are_refused_even_before_they_exist() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        std::fs::write(&db, "db").unwrap();
        let link = dir.path().join("hard.db");
        std::fs::hard_link(&db, &link).unwrap();
        for p in [db.clone(), dir.path().join("a.db-wal"), link] {
            let err = check_target(&p, &[&db]).unwrap_err();
            assert!(err.to_string().contains("never written over"), "{err}");
        }
        assert!(check_target(&dir.path().join("b.db"), &[&db]).is_ok());
    }

    #[test]
    fn a_set_is_refused_whole_when_one_name_is_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        let files = ["a", "b", "c"].map(|n| NewFile {
            name: n.into(),
            content: n.as_bytes().to_vec(),
        });
        let err = create_files(dir.path(), &files, true).unwrap_err();
        assert!(err.to_string().contains("is a folder"), "{err}");
        assert_eq!(names(dir.path()), ["b"]);
        let outside = NewFile {
            name: "../x".into(),
            content: vec![],
        };
        let err = create_files(dir.path(), &[outside], true).unwrap_err();
        assert!(err.to_string().contains("outside"), "{err}");
    }

    #[test]
    fn a_set_keeps_identical_files_and_replaces_only_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            NewFile {
                name: "sub/.keep".into(),
                content: vec![],
            },
            NewFile {
                name: "a.toml".into(),
                content: b"new".to_vec(),
            },
        ];
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/.keep"), "").unwrap();
        std::fs::write(dir.path().join("a.toml"), "old").unwrap();
        let err = create_files(dir.path(), &files, false).unwrap_err();
        assert!(err.to_string().contains("a.toml already exists"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.toml")).unwrap(),
            "old"
        );
        let done = create_files(dir.path(), &files, true).unwrap();
        assert_eq!(done.unchanged, [dir.path().join("sub/.keep")]);
        assert_eq!(done.written, [dir.path().join("a.toml")]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.toml")).unwrap(),
            "new"
        );
        assert_eq!(names(dir.path()), ["a.toml", "sub"]);
    }

    /// Files made one at a time are staged as they come: a conflict found after some were
    /// staged, or an error of the maker, still leaves the folder exactly as it was.
    #[test]
    fn a_set_made_one_at_a_time_is_still_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("z.html"), "old").unwrap();
        let err = create_files_from(dir.path(), false, |set| {
            set.add(Path::new("a.html"), b"a");
            set.add(Path::new("sub/b.html"), b"b");
            set.add(Path::new("z.html"), b"new");
            set.add(Path::new("../x"), b"x");
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("z.html already exists"), "{err}");
        assert!(err.contains("outside"), "{err}");
        assert_eq!(names(dir.path()), ["z.html"]);

        let target = dir.path().join("new");
        let err = create_files_from(&target, false, |set| {
            set.add(Path::new("a.html"), b"a");
            Err(Error::refused("stopped"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "stopped");
        assert_eq!(names(dir.path()), ["z.html"]);

        let done = create_files_from(dir.path(), true, |set| {
            set.add(Path::new("a.html"), b"a");
            set.add(Path::new("z.html"), b"old");
            set.add(Path::new("sub/b.html"), b"b");
            Ok(())
        })
        .unwrap();
        assert_eq!(done.unchanged, [dir.path().join("z.html")]);
        assert_eq!(
            done.written,
            [dir.path().join("a.html"), dir.path().join("sub/b.html")]
        );
        assert_eq!(names(dir.path()), ["a.html", "sub", "z.html"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/b.html")).unwrap(),
            "b"
        );
    }

    #[test]
    fn a_missing_folder_is_made_with_its_parents() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x/y");
        let files = vec![NewFile {
            name: "f".into(),
            content: b"f".to_vec(),
        }];
        create_files(&target, &files, false).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("f")).unwrap(), "f");
        assert_eq!(names(&target), ["f"]);
    }
}
