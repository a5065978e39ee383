//! The project file, `actionplan.toml`: the defaults of a plan repository (its database, its
//! strategy, the language of labels), found in the working folder or the nearest one above
//! it. Read with the same reader as plans and forms, so an unknown key is refused at its
//! `file:line:col`. The command line applies the precedence (flag, environment, this file,
//! built-in default); this module only finds and reads the file.

use std::path::Path;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::error::Error;
use crate::error::Result;
use crate::parse::reader::Reader;
use crate::render::Lang;

/// The name the file is looked for by; folder loads skip it.
pub const FILE_NAME: &str = "actionplan.toml";

/// A project file is a few lines: anything much larger is not one.
const MAX_BYTES: u64 = 64 * 1024;

const KEYS: &[&str] = &["db", "strategy", "lang"];

/// A default read from the project file, with where it was written (`file:line:col`), so that
/// a default the database cannot honour is reported where it can be changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub place: String,
}

/// What the project file says; every key is optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub path: PathBuf,
    /// The database, resolved against the file's folder.
    pub db: Option<Setting<PathBuf>>,
    pub strategy: Option<Setting<String>>,
    pub lang: Option<Setting<Lang>>,
}

/// The project file of `start` (a folder): there, or in the nearest folder above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Finds and reads the project file of `start`, if there is one.
pub fn discover(start: &Path) -> Result<Option<Project>> {
    find(start).map(|p| read(&p)).transpose()
}

/// Reads a project file; every problem in it is reported at once, located.
pub fn read(path: &Path) -> Result<Project> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > MAX_BYTES {
        return Err(Error::Invalid(Diagnostics(vec![Diagnostic::file(
            path,
            format!(
                "a project file of {} KB: it holds three settings at most",
                meta.len() >> 10
            ),
        )])));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Invalid(Diagnostics(vec![
            Diagnostic::file(path, "the project file is not valid UTF-8")
                .with_hint("save it as UTF-8"),
        ]))
    })?;
    parse(path, text)
}

fn parse(path: &Path, text: String) -> Result<Project> {
    let file = SourceFile::new(path, text);
    let root = crate::parse::reader::parse_document(&file, &file.text).map_err(Error::Invalid)?;
    let mut r = Reader::new(&file);
    let f = r.fields(root.get_ref(), root.span(), "the project file", KEYS);
    let place = |span: &crate::diagnostic::Span| {
        let (line, col) = file.line_col(span.start);
        format!("{}:{line}:{col}", file.path)
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    let db = f.string(&mut r, "db");
    let db = db.filter(|s| !s.value.trim().is_empty()).map(|s| Setting {
        value: folder.join(s.value.trim()),
        place: place(&s.span),
    });
    let strategy = f.id(&mut r, "strategy").map(|s| Setting {
        value: s.value,
        place: place(&s.span),
    });
    let lang = f
        .string(&mut r, "lang")
        .and_then(|s| match parse_lang(&s.value) {
            Some(value) => Some(Setting {
                value,
                place: place(&s.span),
            }),
            None => {
                r.error(
                    &s.span,
                    format!("unknown lang `{}` in the project file", s.value),
                    Some("accepted: nb, en".into()),
                );
                None
            }
        });
    if !r.diags.is_empty() {
        return Err(Error::Invalid(r.diags));
    }
    Ok(Project {
        path: path.to_path_buf(),
        db,
        strategy,
        lang,
    })
}

/// A language as a user names it: `nb` or `en` (any case).
pub fn parse_lang(s: &str) -> Option<Lang> {
    match s.trim().to_ascii_lowercase().as_str() {
        "nb" => Some(Lang::Nb),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The project file `init` writes: the database beside it, the new strategy as the default.
pub fn template(strategy: &str) -> String {
    format!(
        r#"# Defaults for actionplan in this folder and the folders below it. A flag (--db,
# --strategy, --lang) or ACTIONPLAN_DB / ACTIONPLAN_STRATEGY / ACTIONPLAN_LANG wins over them.
db = "actionplan.db"      # the database, relative to this file
strategy = {}             # the strategy verbs work on when there are several
# lang = "nb"             # labels in tables and reports: nb or en
"#,
        toml::Value::String(strategy.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Project> {
        parse(Path::new("/repo/actionplan.toml"), text.to_string())
    }

    #[test]
    fn reads_every_key_relative_to_the_file() {
        let p = parsed("db = \"data/ap.db\"\nstrategy = \"eos\"\nlang = \"nb\"\n").unwrap();
        assert_eq!(p.db.unwrap().value, PathBuf::from("/repo/data/ap.db"));
        let s = p.strategy.unwrap();
        assert_eq!(s.value, "eos");
        assert_eq!(s.place, "/repo/actionplan.toml:2:12");
        assert_eq!(p.lang.unwrap().value, Lang::Nb);
    }

    #[test]
    fn an_empty_file_sets_nothing() {
        let p = parsed("# nothing yet\n").unwrap();
        assert_eq!((p.db, p.strategy, p.lang), (None, None, None));
    }

    #[test]
    fn unknown_keys_and_values_are_refused_where_they_stand() {
        let Err(Error::Invalid(d)) = parsed("stratgy = \"eos\"\nlang = \"de\"\n") else {
            panic!("refused");
        };
        let text = d.to_string();
        assert!(
            text.contains("/repo/actionplan.toml:1:1: unknown key `stratgy`"),
            "{text}"
        );
        assert!(text.contains("did you mean `strategy`?"), "{text}");
        assert!(
            text.contains("/repo/actionplan.toml:2:8: unknown lang `de`"),
            "{text}"
        );
        let Err(Error::Invalid(d)) = parsed("strategy = \"Min Strategi\"\n") else {
            panic!("refused");
        };
        assert!(d.to_string().contains("not a valid id"), "{d}");
    }

    #[test]
    fn the_template_reads_back() {
        let p = parsed(&template("eksempelby")).unwrap();
        assert_eq!(p.strategy.unwrap().value, "eksempelby");
        assert_eq!(p.db.unwrap().value, PathBuf::from("/repo/actionplan.db"));
        assert_eq!(p.lang, None);
    }

    #[test]
    fn found_in_the_nearest_folder_above() {
        let tmp = tempfile::tempdir().unwrap();
        let deep = tmp.path().join("plans/eos/status");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(tmp.path().join(FILE_NAME), "lang = \"en\"\n").unwrap();
        assert_eq!(find(&deep), Some(tmp.path().join(FILE_NAME)));
        std::fs::write(tmp.path().join("plans").join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(tmp.path().join("plans").join(FILE_NAME)));
    }
}
