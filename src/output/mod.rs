//! Every file actionplan writes goes through here (FORMATS.md, version 2, "Nothing a user
//! wrote is lost"). Two ways to write:
//!
//! - [`replace_file`]: one output (`report --output`, `export --output`), which may replace an
//!   earlier output, but only a regular file; never the database or the files SQLite keeps
//!   beside it, a device, a FIFO or a socket, and never through a symbolic link (a link at the
//!   target is refused, not followed and not replaced). The content goes to a new file in the
//!   same folder, is synced and renamed into place: a write that fails part-way leaves the old
//!   file whole.
//! - [`create_files`]: a set of new files in a folder (`init`, `site`; `forms --out` through
//!   [`create_files_with`], which makes them one at a time). An existing
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

use std::borrow::Cow;
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
    let names: Vec<PathBuf> = files.iter().map(|f| f.name.clone()).collect();
    create_files_with(dir, &names, force, |k| Ok(Cow::Borrowed(&files[k].content)))
}

/// [`create_files`] for files made one at a time, so that only one is held: `content(k)` makes
/// the content of `names[k]` when it is needed, and it is dropped once compared or written. It
/// is asked for once per name, and once more for a name where a file with other content is
/// (compared while checking, then written).
pub fn create_files_with<'c>(
    dir: &Path,
    names: &[PathBuf],
    force: bool,
    mut content: impl FnMut(usize) -> Result<Cow<'c, [u8]>>,
) -> Result<Created> {
    let mut problems = Vec::new();
    let mut conflicts = Vec::new();
    let mut found = Vec::new();
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
    for (k, name) in names.iter().enumerate() {
        let target = dir.join(name);
        if name.file_name().is_none()
            || !name.components().all(|c| matches!(c, Component::Normal(_)))
        {
            problems.push(format!(
                "{} would be written outside {}",
                target.display(),
                dir.display()
            ));
            continue;
        }
        let p = match survey(dir, name) {
            Ok(None) => Found::New,
            Ok(Some(len)) => {
                let new = content(k)?;
                let same =
                    len == new.len() as u64 && read_regular(&target).is_ok_and(|c| c == *new);
                if same {
                    Found::Unchanged
                } else {
                    Found::Replace
                }
            }
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        if matches!(p, Found::Replace) && !force {
            conflicts.push(target.display().to_string());
        }
        found.push(p);
    }
    if !problems.is_empty() || !conflicts.is_empty() {
        let mut message = format!("nothing was written to {}:", dir.display());
        for c in &conflicts {
            message.push_str(&format!("\n  {c} already exists"));
        }
        for p in &problems {
            message.push_str(&format!("\n  {p}"));
        }
        let hint = if problems.is_empty() {
            "choose another folder, or overwrite the files with --force"
        } else {
            "links, folders and special files are never written over or through: remove or rename them, or choose another folder"
        };
        return Err(Error::refused_with_hint(message, hint));
    }

    let mut undo = Undo::new();
    make_folder(&mut undo, dir)?;
    let temp = temp_folder(&mut undo, dir)?;
    let mut created = Created::default();
    let mut moves = Vec::new();
    for (k, (name, plan)) in names.iter().zip(&found).enumerate() {
        let target = dir.join(name);
        if matches!(plan, Found::Unchanged) {
            created.unchanged.push(target);
            continue;
        }
        let staged = temp.join(k.to_string());
        write_new(&staged, &content(k)?).map_err(|e| write_failed(&target, e))?;
        if let Some(parent) = name.parent().filter(|p| !p.as_os_str().is_empty()) {
            make_folder(&mut undo, &dir.join(parent))?;
        }
        moves.push((k, staged, target, matches!(plan, Found::Replace)));
    }
    for (k, staged, target, replace) in moves {
        if replace {
            let aside = temp.join(format!("{k}.old"));
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
            sync_folder(parent);
        }
        created.written.push(target);
    }
    undo.commit();
    // What is left in the temporary folder are the staged copies' second names and the old
    // files: nothing anyone needs.
    let _ = std::fs::remove_dir_all(&temp);
    sync_folder(dir);
    Ok(created)
}

/// What is at `dir/name`, and whether it may be written: nothing, or a regular file of this
/// length (to compare with the new content); a problem says why not.
fn survey(dir: &Path, name: &Path) -> std::result::Result<Option<u64>, String> {
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
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", target.display())),
    };
    if !m.is_file() {
        return Err(describe_refusal(&target, &m));
    }
    Ok(Some(m.len()))
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

    /// Each content is made only when needed: for a new name when it is written, for a name
    /// with a file to compare with it, and again to write it when it differs. Nothing is made
    /// for a set refused on its names.
    #[test]
    fn a_set_made_one_at_a_time_makes_each_content_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<PathBuf> = ["same", "other", "new"].map(PathBuf::from).to_vec();
        std::fs::write(dir.path().join("same"), "same").unwrap();
        std::fs::write(dir.path().join("other"), "old").unwrap();
        let mut made = Vec::new();
        let done = create_files_with(dir.path(), &names, true, |k| {
            made.push(k);
            Ok(Cow::Owned(names[k].to_string_lossy().as_bytes().to_vec()))
        })
        .unwrap();
        assert_eq!(made, [0, 1, 1, 2]);
        assert_eq!(done.unchanged, [dir.path().join("same")]);
        assert_eq!(
            done.written,
            [dir.path().join("other"), dir.path().join("new")]
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("other")).unwrap(),
            "other"
        );

        std::fs::create_dir(dir.path().join("folder")).unwrap();
        let names: Vec<PathBuf> = ["later", "folder"].map(PathBuf::from).to_vec();
        let err = create_files_with(dir.path(), &names, true, |k| {
            panic!("content {k} made for a refused set")
        })
        .unwrap_err();
        assert!(err.to_string().contains("is a folder"), "{err}");
        assert!(!dir.path().join("later").exists());

        // A content that cannot be made after others were staged: nothing is left of them.
        let target = dir.path().join("sub");
        let names: Vec<PathBuf> = ["x", "y"].map(PathBuf::from).to_vec();
        let err = create_files_with(&target, &names, false, |k| match k {
            0 => Ok(Cow::Borrowed(b"x".as_slice())),
            _ => Err(Error::refused("cannot make y")),
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "cannot make y");
        assert!(!target.exists());
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
