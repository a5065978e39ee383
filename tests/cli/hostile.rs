//! Hostile input: broken, mistyped, oversized, deeply nested and oddly encoded files, folders
//! that hold traps, and databases that are not what they seem. Every bad input is refused with
//! exit code 1 and a clear message (at its `file:line:col` where it has one), never a panic,
//! and leaves the database exactly as it was. Valid-but-odd inputs (a BOM, CRLF line ends,
//! 100,000 initiatives, right-to-left text) load as written.
//!
//! The small inputs are files in tests/fixtures/hostile-inputs/; the big ones are generated in
//! a temporary folder at test time.

use std::path::Path;
use std::path::PathBuf;
use std::process::Output;

use crate::*;

fn hostile(rel: &str) -> PathBuf {
    fixture("hostile-inputs").join(rel)
}

/// A fresh database in `dir` holding the base plan; returns its path.
fn with_base(dir: &Path) -> PathBuf {
    let out = actionplan(dir)
        .arg("load")
        .arg(hostile("base/plan.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "the base plan: {}", stderr(&out));
    dir.join("t.db")
}

fn no_panic(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked")
            && !err.contains("RUST_BACKTRACE")
            && out.status.code() != Some(101),
        "{what}: the binary panicked\n{err}"
    );
}

/// Exit code 1, no panic, and every fragment in the message.
fn assert_refused(out: &Output, what: &str, says: &[&str]) {
    no_panic(out, what);
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    for s in says {
        assert!(err.contains(s), "{what}: expected `{s}` in\n{err}");
    }
}

/// `check` and `load` of `path` against a database holding the base plan are both refused
/// with the same message, and the database is left exactly as it was.
fn refused(path: &Path, says: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let db = with_base(tmp.path());
    let before = db_content(&db);
    let mut said = String::new();
    for verb in ["check", "load"] {
        let out = actionplan(tmp.path()).arg(verb).arg(path).output().unwrap();
        assert_refused(&out, &format!("{verb} {}", path.display()), says);
        said = stderr(&out);
    }
    assert_eq!(
        db_content(&db),
        before,
        "a refused load changed the database"
    );
    said
}

/// A fixture refused at `line:col` with a message that starts with `message`.
fn refused_at(rel: &str, at: &str, message: &str) {
    let path = hostile(rel);
    refused(&path, &[&format!("{}:{at}: {message}", path.display())]);
}

/// `load` of the files (after the base plan) succeeds and writes something.
fn accepted(paths: &[PathBuf]) -> (PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let db = with_base(tmp.path());
    let before = db_content(&db);
    for verb in ["check", "load"] {
        let out = actionplan(tmp.path())
            .arg(verb)
            .args(paths)
            .output()
            .unwrap();
        no_panic(&out, verb);
        assert!(out.status.success(), "{verb} {paths:?}: {}", stderr(&out));
    }
    assert_ne!(db_content(&db), before, "the load wrote nothing");
    (db, tmp)
}

macro_rules! refused_at {
    ($(#[$doc:meta])* $name:ident: $file:literal at $at:literal, $message:literal) => {
        $(#[$doc])*
        #[test]
        fn $name() {
            refused_at($file, $at, $message);
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Malformed and truncated TOML

refused_at!(unclosed_table_header: "syntax/unclosed-header.toml" at "1:10", "invalid TOML: unclosed table");
refused_at!(duplicate_key: "syntax/duplicate-key.toml" at "4:1", "invalid TOML: duplicate key");
refused_at!(duplicate_table: "syntax/duplicate-table.toml" at "6:2", "invalid TOML: duplicate key");
refused_at!(unterminated_multiline_string: "syntax/unterminated-multiline.toml" at "6:1", "invalid TOML:");
refused_at!(
    /// A Windows path in a basic string: `\U` starts an escape.
    bad_escape: "syntax/bad-escape.toml" at "3:14", "invalid TOML:"
);
refused_at!(json_in_a_toml_file: "syntax/json-in-toml.toml" at "1:1", "invalid TOML:");
refused_at!(yaml_in_a_toml_file: "syntax/yaml-in-toml.toml" at "1:9", "invalid TOML:");
refused_at!(
    /// A raw NUL byte inside a string.
    nul_byte_in_a_string: "syntax/nul-byte.toml" at "3:15", "invalid TOML: invalid basic string"
);
refused_at!(
    /// Line ends of old Macs: a bare CR is not a line end in TOML.
    carriage_returns_only: "syntax/cr-only.toml" at "1:12", "invalid TOML: carriage return must be followed by newline"
);
refused_at!(truncated_inside_a_string: "syntax/truncated-in-string.toml" at "8:35", "invalid TOML: invalid basic string");
refused_at!(truncated_after_equals: "syntax/truncated-after-equals.toml" at "7:10", "invalid TOML:");

/// A valid plan cut off at 60 points: each cut is either still a valid plan (cut between
/// items) or refused with a located message; never a panic, never a partial write.
#[test]
fn a_plan_cut_anywhere_is_refused_or_whole() {
    let text = std::fs::read_to_string(hostile("base/plan.toml")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("cut.toml");
    let mut refusals = 0;
    let cuts: Vec<usize> = (1..60).map(|i| i * text.len() / 60).collect();
    for cut in cuts {
        let cut = (cut..text.len())
            .find(|&c| text.is_char_boundary(c))
            .unwrap();
        std::fs::write(&path, &text[..cut]).unwrap();
        let out = actionplan(tmp.path())
            .arg("check")
            .arg(&path)
            .output()
            .unwrap();
        no_panic(&out, &format!("cut at {cut}"));
        match out.status.code() {
            Some(0) => {}
            Some(1) => {
                refusals += 1;
                let prefix = format!("{}:", path.display());
                assert!(
                    stderr(&out).starts_with(&prefix),
                    "cut at {cut}: {}",
                    stderr(&out)
                );
            }
            other => panic!("cut at {cut}: exit {other:?}: {}", stderr(&out)),
        }
    }
    assert!(refusals > 30, "{refusals}");
}

// ---------------------------------------------------------------------------------------------
// Wrong types everywhere

refused_at!(strategy_is_a_string: "types/strategy-is-a-string.toml" at "1:12", "`strategy` in a plan file must be a table, found a string");
refused_at!(period_is_a_string: "types/period-is-a-string.toml" at "4:10", "`period` in [strategy] `trygg` must be a table, found a string");
refused_at!(period_year_is_a_string: "types/period-year-is-a-string.toml" at "4:20", "`start` in `period` must be an integer, found a string");
refused_at!(period_year_absurd: "types/period-year-absurd.toml" at "4:32", "99999999999 is not a plausible year");
refused_at!(initiative_is_one_table: "types/initiative-is-one-table.toml" at "15:1", "`initiative` in a plan file must be an array of tables, found a table");
refused_at!(depends_on_is_a_string: "types/depends-on-is-a-string.toml" at "20:14", "`depends_on` in [[initiative]] `nett` must be an array of strings, found a string");
refused_at!(id_is_an_integer: "types/id-is-an-integer.toml" at "16:6", "`id` in [[initiative]] must be a string, found an integer");
refused_at!(title_is_an_array: "types/title-is-an-array.toml" at "17:9", "`title` in [[initiative]] `nett` must be a string, found an array");
refused_at!(owner_is_a_table: "types/owner-is-a-table.toml" at "19:9", "`owner` in [[initiative]] `nett` must be a string, found a table");
refused_at!(
    /// 30 February.
    date_that_does_not_exist: "types/date-does-not-exist.toml" at "20:9", "invalid TOML: invalid date"
);
refused_at!(progress_is_a_string: "types/progress-is-a-string.toml" at "8:12", "`progress` in [[update]] must be an integer, found a string");
refused_at!(progress_is_a_float: "types/progress-is-a-float.toml" at "8:12", "`progress` in [[update]] must be an integer, found a float");
refused_at!(progress_is_negative: "types/progress-is-negative.toml" at "8:12", "`progress` -1 for `nett` is outside 0–100");
refused_at!(
    /// Larger than any 64-bit integer.
    progress_overflows: "types/progress-overflows.toml" at "8:12", "`progress` in [[update]] is too large a number"
);
refused_at!(reported_on_is_an_integer: "types/reported-on-is-an-integer.toml" at "3:15", "`reported_on` in [form] must be a date, found an integer");
refused_at!(reported_on_has_a_time: "types/reported-on-has-a-time.toml" at "3:15", "`reported_on` in [form] must be a date, found a date with a time");
refused_at!(updates_are_strings: "types/updates-are-strings.toml" at "1:11", "`update` in a status form must hold tables, found a string");
refused_at!(status_is_a_boolean: "types/status-is-a-boolean.toml" at "7:10", "`status` in [[update]] must be a string, found a boolean");
refused_at!(strategy_reference_is_an_array: "types/strategy-ref-is-an-array.toml" at "2:12", "`strategy` in [form] must be a string, found an array");
refused_at!(year_is_a_float: "types/year-is-a-float.toml" at "3:8", "`year` in [report] must be an integer, found a float");
refused_at!(summary_is_a_table: "types/summary-is-a-table.toml" at "4:11", "`summary` in [report] must be an array of strings, found a table");

// ---------------------------------------------------------------------------------------------
// Encodings: what is not UTF-8 is refused; a BOM and CRLF are fine, and positions stay right

refused_at!(utf16_file: "encoding/utf16-le.toml" at "1:1", "the file is not valid UTF-8");
refused_at!(
    /// The `ø` of "på" in Latin-1, on line 8 after 26 characters.
    latin1_form: "encoding/latin1-form.toml" at "8:27", "the file is not valid UTF-8"
);
refused_at!(overlong_utf8_sequence: "encoding/overlong-utf8.toml" at "8:14", "the file is not valid UTF-8");
refused_at!(whitespace_only_file: "encoding/whitespace-only.toml" at "1:1", "the file is empty");
refused_at!(comments_only_file: "encoding/comments-only.toml" at "1:1", "not a plan, status form or report narrative");

#[test]
fn bom_and_crlf_files_load_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    for (file, says) in [
        (
            "encoding/bom-plan.toml",
            "+1 strategy, +2 organisations, +1 focus area, +2 initiatives, +1 indicator",
        ),
        // The same plan with CRLF line ends: the same items, so nothing changes.
        ("encoding/crlf-plan.toml", "nothing changed"),
        ("encoding/bom-crlf-form.toml", "+1 update"),
        ("csv/bom-crlf.csv", "+2 measurements"),
    ] {
        let out = actionplan(tmp.path())
            .arg("load")
            .arg(hostile(file))
            .output()
            .unwrap();
        no_panic(&out, file);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{file}: {}", stderr(&out));
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    let summary: String = conn
        .query_row("SELECT summary FROM status_update", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        summary, "Bra fremdrift på nettet.",
        "no CR is kept in the text"
    );
    let title: String = conn
        .query_row("SELECT title FROM strategy", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        title, "Trygg digitalisering",
        "the BOM is not part of the text"
    );
}

refused_at!(
    /// Positions in a file with a BOM and CRLF line ends are those an editor shows.
    bom_and_crlf_positions: "encoding/bom-crlf-form-error.toml" at "7:10", "unknown status `ongoing`"
);
refused_at!(
    /// The BOM is not a column: a key at the start of the first line is at 1:1.
    bom_first_line_column: "encoding/bom-key-on-line-one.toml" at "1:1", "unknown key `reported` in a status form"
);
refused_at!(bom_error_on_line_two: "encoding/bom-error-line-one.toml" at "2:1", "unknown key `strategi` in [form]");

#[test]
fn odd_unicode_loads_as_written() {
    let (db, tmp) = accepted(&[hostile("unicode/odd-but-valid-plan.toml")]);
    let conn = rusqlite::Connection::open(db).unwrap();
    let title: String = conn
        .query_row(
            "SELECT title FROM initiative WHERE id = 'portal'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        title,
        "Portal \u{202e}LATROP\u{202c} e\u{301} \u{1F680} zero\u{200b}width"
    );
    for format in ["table", "markdown", "html", "csv", "json"] {
        let out = actionplan(tmp.path())
            .args(["report", "2021", "--format", format])
            .output()
            .unwrap();
        no_panic(&out, format);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
    }
}

refused_at!(
    /// Columns count characters: three emoji before the error are three columns.
    emoji_before_an_error: "unicode/emoji-before-error.toml" at "8:16", "invalid TOML:"
);
refused_at!(
    /// `іnitiative` with a Cyrillic і.
    cyrillic_letter_in_a_key: "unicode/cyrillic-key.toml" at "6:1", "invalid TOML: invalid unquoted key"
);

// ---------------------------------------------------------------------------------------------
// Huge values and files, deep nesting (generated)

/// The base plan with one more initiative (`x`), whose `key` is `value` (TOML text).
fn plan_with(key: &str, value: &str) -> String {
    let base = std::fs::read_to_string(hostile("base/plan.toml")).unwrap();
    format!(
        "{base}\n[[initiative]]\nid = \"x\"\ntitle = \"X\"\nfocus_area = \"grunnmur\"\nowner = \"etat\"\n{key} = {value}\n"
    )
}

#[test]
fn a_file_over_64_mb_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.toml");
    // Sparse: 70 MB on paper, nothing on disk.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(70 << 20)
        .unwrap();
    refused(
        &path,
        &["huge.toml:1:1: the file is 70 MB; files over 64 MB are refused"],
    );
}

/// A 50 MB form (180,000 updates) for a strategy that does not exist: read, parsed and refused
/// with one message, in bounded time and memory.
#[test]
fn a_50_mb_form_is_refused_with_one_message() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge-form.toml");
    let mut text = String::from("[form]\nstrategy = \"finnes-ikke\"\nreported_on = 2021-11-15\n\n");
    let mut n = 0;
    while text.len() < 50 << 20 {
        use std::fmt::Write as _;
        writeln!(
            text,
            "[[update]]\ninitiative = \"nett\"\nstatus = \"on-track\"\nreported_on = 2021-{:02}-{:02}\nsummary = \"{n:0>240}\"\n",
            n % 12 + 1,
            n % 28 + 1
        )
        .unwrap();
        n += 1;
    }
    std::fs::write(&path, &text).unwrap();
    let said = refused(
        &path,
        &[&format!(
            "{}:2:12: unknown strategy `finnes-ikke`",
            path.display()
        )],
    );
    assert!(said.contains("1 error found"), "{said}");
}

#[test]
fn a_one_megabyte_title_loads_and_every_report_renders() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("plan.toml");
    let title = format!("\"{}\"", "Lang tittel ".repeat(90_000));
    std::fs::write(
        &path,
        plan_with("tags", "[]").replace("title = \"X\"", &format!("title = {title}")),
    )
    .unwrap();
    let (_db, tmp) = accepted(&[path]);
    for args in [
        &["initiative", "list", "--format", "json"][..],
        &["report", "2021", "--format", "markdown"],
        &["report", "2021", "--format", "html"],
        &["report", "2021", "--format", "csv"],
        &["export"],
    ] {
        let out = actionplan(tmp.path()).args(args).output().unwrap();
        no_panic(&out, &format!("{args:?}"));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
}

/// The terminal tables with a cell line over 65,534 characters: comfy-table adds column widths
/// in `u16` and overflows (a panic in debug builds, a wrapped width in release). Each cell is
/// shortened before it reaches comfy-table (`render::cell`): the tables keep their width, the
/// title ends in "…", and the id under it stays. Plain text (`initiative show`) keeps it whole.
#[test]
fn a_one_megabyte_title_renders_in_terminal_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("plan.toml");
    let long = "Lang tittel ".repeat(90_000);
    let title = format!("\"{long}\"");
    std::fs::write(
        &path,
        plan_with("tags", "[]").replace("title = \"X\"", &format!("title = {title}")),
    )
    .unwrap();
    let (db, tmp) = accepted(&[path]);
    let before = db_content(&db);
    // The plan with the long title is a revision that takes effect on the day it is loaded:
    // the report of the strategy's last year shows it.
    for args in [&["initiative", "list"][..], &["report", "2030"]] {
        let out = actionplan(tmp.path()).args(args).output().unwrap();
        no_panic(&out, &format!("{args:?}"));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        // The table is drawn, at its width (100 columns without a terminal)...
        assert!(
            text.contains('┌') && text.contains('└'),
            "{args:?}: no table"
        );
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 100, "{args:?}: a line of {widest} characters");
        // ...and the title in it is shortened: its row ends in "…" and holds a few thousand
        // characters, not a million.
        let row = text
            .lines()
            .filter(|l| l.starts_with('│') && l.contains("Lang tittel"))
            .collect::<Vec<_>>();
        assert!(!row.is_empty(), "{args:?}: the title is not in a table");
        assert!(
            row.iter().any(|l| l.contains('…')),
            "{args:?}: the title is not shortened"
        );
        let shown: usize = row.iter().map(|l| l.matches("tittel").count()).sum();
        assert!(
            (50..=500).contains(&shown),
            "{args:?}: {shown} words of the title in the table"
        );
    }
    // In the report's entry for the initiative the title is shortened the same way, and the
    // id after it is kept.
    let out = actionplan(tmp.path())
        .args(["report", "2030"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let entry = text
        .split("\n  • ")
        .find(|e| e.starts_with("Lang tittel"))
        .expect("the initiative's entry");
    let title_end = entry.find('…').expect("the shortened title");
    assert!(
        entry[title_end..].starts_with("… (x)"),
        "the id is not after the shortened title"
    );
    assert!(
        entry.matches("tittel").count() <= 500,
        "the entry holds the whole title"
    );
    // Plain text is not a table: `initiative show` prints the title whole, wrapped.
    let out = actionplan(tmp.path())
        .args(["initiative", "show", "x"])
        .output()
        .unwrap();
    no_panic(&out, "initiative show");
    assert!(out.status.success(), "{}", stderr(&out));
    let words = stdout(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains(long.trim_end()));
    assert_eq!(db_content(&db), before, "a read changed the database");
}

/// An id of a million characters is refused, and the message does not repeat it in full.
#[test]
fn a_one_megabyte_id_is_refused_in_a_short_message() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("plan.toml");
    let id = "x".repeat(1 << 20);
    std::fs::write(&path, plan_with("depends_on", &format!("[\"{id}\"]"))).unwrap();
    let said = refused(&path, &["is not a valid id"]);
    assert!(
        said.len() < 10_000,
        "the message is {} bytes long",
        said.len()
    );
}

/// 100,000 initiatives are a big plan, not a wrong one: it loads, and reads work.
#[test]
fn a_plan_with_100_000_initiatives_loads() {
    use std::fmt::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("plan.toml");
    let mut text = std::fs::read_to_string(hostile("base/plan.toml")).unwrap();
    for i in 0..100_000 {
        write!(
            text,
            "\n[[initiative]]\nid = \"t{i}\"\ntitle = \"Tiltak {i}\"\nfocus_area = \"grunnmur\"\nowner = \"{}\"\n",
            if i % 2 == 0 { "etat" } else { "kommune" }
        )
        .unwrap();
    }
    std::fs::write(&path, text).unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(&path)
        .output()
        .unwrap();
    no_panic(&out, "load");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("+100002 initiatives"),
        "{}",
        stderr(&out)
    );
    let out = actionplan(tmp.path())
        .args(["status", "set", "t99999", "on-track", "--on", "2021-01-01"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = actionplan(tmp.path())
        .args(["missing", "2021", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let missing: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(missing.as_array().unwrap().len(), 100_001);
}

#[test]
fn deeply_nested_arrays_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("deep.toml");
    let depth = 100_000;
    std::fs::write(
        &path,
        plan_with(
            "tags",
            &format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
    )
    .unwrap();
    refused(&path, &["invalid TOML:", "recurs"]);
}

#[test]
fn deeply_nested_inline_tables_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("deep.toml");
    let depth = 50_000;
    let value = format!("{}1{}", "{ a = ".repeat(depth), " }".repeat(depth));
    std::fs::write(&path, plan_with("owner_extra", &value)).unwrap();
    refused(&path, &["invalid TOML:", "recurs"]);
}

#[test]
fn deeply_dotted_keys_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("deep.toml");
    let key = vec!["a"; 50_000].join(".");
    std::fs::write(&path, format!("{key} = 1\n")).unwrap();
    refused(&path, &["deep.toml:1:1: invalid TOML:"]);
}

/// 20,000 updates for initiatives that do not exist: every one reported, quickly.
#[test]
fn twenty_thousand_errors_are_all_reported() {
    use std::fmt::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("form.toml");
    let mut text = String::from("[form]\nstrategy = \"trygg\"\nreported_on = 2021-11-15\n");
    for i in 0..20_000 {
        write!(
            text,
            "\n[[update]]\ninitiative = \"finnes-ikke-{i}\"\nstatus = \"on-track\"\n"
        )
        .unwrap();
    }
    std::fs::write(&path, text).unwrap();
    let started = std::time::Instant::now();
    let said = refused(&path, &["20000 errors found; nothing was written"]);
    assert_eq!(
        said.matches("unknown initiative `finnes-ikke-").count(),
        20_000
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Folders: unrelated files, symlink loops, devices, pipes

#[test]
fn a_folder_with_unrelated_files_loads_only_the_data_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plans");
    std::fs::create_dir_all(dir.join(".git/objects")).unwrap();
    std::fs::copy(hostile("base/plan.toml"), dir.join("plan.toml")).unwrap();
    for (name, content) in [
        ("README.md", &b"# Planen\n"[..]),
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        (".DS_Store", b"\0\0\0\x01Bud1"),
        ("plan.toml~", b"[strategy\nbroken backup"),
        (".plan.toml.swp", b"b0VIM 8.2\0\0"),
        ("notater.txt", b"ikke data"),
        (".git/config", b"[core]\n"),
        (".git/objects/x.toml", b"not = [valid"),
    ] {
        std::fs::write(dir.join(name), content).unwrap();
    }
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(&dir)
        .output()
        .unwrap();
    no_panic(&out, "load");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("loaded 1 file:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_symlink_loop_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plans");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::copy(hostile("base/plan.toml"), dir.join("plan.toml")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    std::os::unix::fs::symlink(dir.join("gone.toml"), dir.join("dangling.toml")).unwrap();
    std::os::unix::fs::symlink("self.toml", dir.join("self.toml")).unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(&dir)
        .output()
        .unwrap();
    no_panic(&out, "load");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("loaded 1 file:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_device_is_refused_not_read_forever() {
    refused(
        Path::new("/dev/zero"),
        &["/dev/zero:1:1: not a regular file"],
    );
}

#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("form.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        skip_or_fail("mkfifo is not available");
        return;
    }
    refused(&fifo, &["form.toml:1:1: not a regular file"]);
    // In a folder it is skipped like any other non-file.
    std::fs::copy(hostile("base/plan.toml"), tmp.path().join("plan.toml")).unwrap();
    let out = actionplan(tmp.path())
        .arg("check")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_missing_path_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("finnes-ikke.toml");
    refused(&missing, &["finnes-ikke.toml", "No such file"]);
}

#[test]
fn a_folder_without_data_files_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tom");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), "nothing here").unwrap();
    refused(&dir, &["no plan, form or narrative files found"]);
}

// ---------------------------------------------------------------------------------------------
// Indicator CSVs

refused_at!(
    /// A formula where the number goes: refused as not a number.
    csv_formula_as_value: "csv/formula-as-value.csv" at "2:17", "value `=cmd|' /C calc'!A0` is not a number"
);
refused_at!(csv_wrong_header: "csv/wrong-header.csv" at "1:1", "a measurements CSV must start with the header");
refused_at!(csv_ragged_row: "csv/ragged-row.csv" at "2:1", "expected 5 fields");
refused_at!(
    /// An unclosed quote would swallow the rows after it into one source text.
    csv_unclosed_quote: "csv/unclosed-quote-swallows-rows.csv" at "2:20", "the source holds what look like more rows: is a closing quote missing?"
);
// The NUL is shown as an escape: no control character reaches the terminal.
refused_at!(csv_nul_in_a_field: "csv/nul-in-field.csv" at "2:7", "`al\\u{0}le` is not a valid segment id");
refused_at!(csv_value_overflows: "csv/value-overflows.csv" at "2:17", "value `1e400` is not a number");
refused_at!(csv_value_is_nan: "csv/value-is-nan.csv" at "2:17", "value `NaN` is not a number");
refused_at!(csv_year_is_text: "csv/year-is-text.csv" at "2:12", "year `tjuetjueen` is not a year");

#[test]
fn csv_with_bom_crlf_and_formula_sources_loads_as_written() {
    let (db, _tmp) = accepted(&[
        hostile("csv/bom-crlf.csv"),
        hostile("csv/formula-as-source.csv"),
    ]);
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT year, value, source FROM measurement ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, f64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (2021, 55.0, "Undersøkelsen".to_string()),
            (2022, 61.5, "Undersøkelsen, 2022".to_string()),
            (2021, 55.0, "=cmd|' /C calc'!A0".to_string()),
            (2022, 61.0, "@SUM(1+1)".to_string()),
        ],
        "stored as written (a formula is only text; CSV output defuses it)"
    );
}

/// A quoted source over two lines is odd but fine: only rows swallowed by a missing quote are
/// refused.
#[test]
fn csv_with_a_quoted_source_over_two_lines_loads() {
    let (db, _tmp) = accepted(&[hostile("csv/multiline-source.csv")]);
    let conn = rusqlite::Connection::open(db).unwrap();
    let sources: Vec<String> = conn
        .prepare("SELECT source FROM measurement ORDER BY year")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        sources,
        ["Undersøkelsen 2023\nside 4, tabell 2", "Undersøkelsen 2024"]
    );
}

// ---------------------------------------------------------------------------------------------
// Exports (.json)

refused_at!(export_truncated: "export/truncated.json" at "2:1", "not an actionplan export:");
refused_at!(export_from_a_newer_version: "export/newer-version.json" at "1:1", "unsupported export format `actionplan-export` version 99");
refused_at!(export_of_another_format: "export/other-format.json" at "1:1", "unsupported export format `something-else`");
refused_at!(export_with_an_unknown_field: "export/unknown-field.json" at "1:71", "not an actionplan export: unknown field `extra`");
refused_at!(
    /// The attack of issue 15: an id that climbs out of `forms --out`, refused as a plan file
    /// refuses it (a version 1 export: the plan alone, no revisions).
    export_with_a_path_traversal_organisation: "export/path-traversal-organisation.json" at "22:17", "/strategies/0/organisations/1/id: `id` \"x/../../../../../tmp/PWNED\" is not a valid id"
);
refused_at!(export_with_an_unknown_initiative: "export/unknown-initiative.json" at "86:25", "/strategies/0/updates/0/initiative: unknown initiative `finnes-ikke`");

#[test]
fn deeply_nested_json_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("deep.json");
    std::fs::write(
        &path,
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    refused(&path, &["deep.json:1:", "not an actionplan export:"]);
}

// ---------------------------------------------------------------------------------------------
// Databases that are not what they seem

/// The command is refused and the file's bytes are exactly as they were.
fn db_refused(db_bytes: &[u8], says: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    std::fs::write(&db, db_bytes).unwrap();
    for args in [
        vec![
            "load".to_string(),
            hostile("base/plan.toml").display().to_string(),
        ],
        vec!["report".to_string(), "2021".to_string()],
        vec![
            "status".into(),
            "set".into(),
            "nett".into(),
            "on-track".into(),
        ],
        // `check` opens the database read-only, and refuses the same databases.
        vec![
            "check".to_string(),
            hostile("base/plan.toml").display().to_string(),
        ],
    ] {
        let out = actionplan(tmp.path()).args(&args).output().unwrap();
        assert_refused(&out, &format!("{args:?}"), says);
        assert!(
            std::fs::read(&db).unwrap() == db_bytes,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn a_database_that_is_not_sqlite_is_refused_untouched() {
    db_refused(
        b"these are my notes, not a database\n"
            .repeat(200)
            .as_slice(),
        &["t.db is not an actionplan database", "hint: point --db"],
    );
}

/// An SQLite database of another program: refused, not given our tables.
#[test]
fn a_database_of_another_program_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine');")
        .unwrap();
    drop(conn);
    db_refused(
        &std::fs::read(&other).unwrap(),
        &["t.db is an SQLite database, but not actionplan's"],
    );
}

#[test]
fn a_database_from_a_newer_schema_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = with_base(tmp.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    db_refused(
        &std::fs::read(&db).unwrap(),
        &[
            "was written by a newer actionplan (schema version 99",
            "hint: upgrade actionplan",
        ],
    );
}

/// The first half of a real database: refused as damaged, with what to do.
#[test]
fn a_truncated_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let db = tmp.path().join("t.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let bytes = std::fs::read(&db).unwrap();
    db_refused(&bytes[..bytes.len() / 2], &["database"]);
}

#[test]
fn an_empty_database_file_is_a_new_database() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("t.db"), b"").unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(hostile("base/plan.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_folder_as_the_database_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("t.db")).unwrap();
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(hostile("base/plan.toml"))
        .output()
        .unwrap();
    assert_refused(&out, "load", &["t.db"]);
}

/// Makes a database file read-only for the binary, root included; undone on drop. Not root:
/// `chmod 0444`. Root ignores permission bits, so as root the file is made immutable with
/// `chattr +i` where the file system allows it, and where it does not (tmpfs, overlayfs) the
/// binary runs as `nobody` (`setpriv`) against a `chmod 0444` file in a folder `nobody` owns,
/// as a user's own read-only file in the user's own folder.
struct ReadOnly {
    path: PathBuf,
    how: Protection,
}

#[derive(Clone, Copy, PartialEq)]
enum Protection {
    Chmod,
    Chattr,
    /// The folder's owner before it was handed to `nobody`.
    AsNobody(u32, u32),
}

/// `nobody`'s user and group ids on Debian.
const NOBODY: u32 = 65534;

impl ReadOnly {
    fn new(path: &Path) -> Option<ReadOnly> {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::fs::PermissionsExt;
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let chmod = || {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
        };
        let how = if !root {
            chmod();
            Protection::Chmod
        } else if std::process::Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
        {
            Protection::Chattr
        } else if std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            let folder = path.parent().unwrap();
            let meta = std::fs::metadata(folder).unwrap();
            std::os::unix::fs::chown(folder, Some(NOBODY), Some(NOBODY)).unwrap();
            chmod();
            Protection::AsNobody(meta.uid(), meta.gid())
        } else {
            return None;
        };
        Some(ReadOnly {
            path: path.to_path_buf(),
            how,
        })
    }

    /// The hermetic command in `dir`, as the user for whom the file is read-only.
    fn actionplan(&self, dir: &Path) -> assert_cmd::Command {
        match self.how {
            Protection::AsNobody(..) => assert_cmd::Command::from_std(actionplan_std(
                dir,
                &[
                    "setpriv",
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                ],
            )),
            Protection::Chmod | Protection::Chattr => actionplan(dir),
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        match self.how {
            Protection::Chattr => {
                let _ = std::process::Command::new("chattr")
                    .arg("-i")
                    .arg(&self.path)
                    .status();
            }
            Protection::AsNobody(uid, gid) => {
                let folder = self.path.parent().unwrap();
                let _ = std::os::unix::fs::chown(folder, Some(uid), Some(gid));
            }
            Protection::Chmod => {}
        }
        if self.how != Protection::Chattr {
            let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o644));
        }
    }
}

/// A read-only database: writes are refused with what to do and nothing changes; reads work.
#[test]
fn a_read_only_database_refuses_writes_and_serves_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let db = with_base(tmp.path());
    let before = db_content(&db);
    let bytes = std::fs::read(&db).unwrap();
    let Some(guard) = ReadOnly::new(&db) else {
        skip_or_fail(
            "running as root, with neither `chattr +i` nor `setpriv` to make the database read-only",
        );
        return;
    };
    for args in [
        &["status", "set", "nett", "on-track", "--on", "2021-01-01"][..],
        &[
            "load",
            hostile("encoding/bom-crlf-form.toml").to_str().unwrap(),
        ],
    ] {
        let out = guard.actionplan(tmp.path()).args(args).output().unwrap();
        assert_refused(
            &out,
            &format!("{args:?}"),
            &[
                "error: the database is read-only: nothing was written",
                "hint: check the permissions",
            ],
        );
    }
    let out = guard
        .actionplan(tmp.path())
        .args(["initiative", "list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    drop(guard);
    assert!(std::fs::read(&db).unwrap() == bytes, "the file changed");
    assert_eq!(db_content(&db), before);
}

/// A read-only database made by an older release (schema 4, kept as a fixture) is read:
/// reads never migrate; they go through an upgraded copy in memory and say so. Once writable,
/// reads still leave it as it is, and `migrate` upgrades the file.
#[test]
fn a_read_only_database_at_an_older_schema_is_still_read() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    std::fs::copy(fixture("upgrade/schema4.db"), &db).unwrap();
    let version = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    let bytes = std::fs::read(&db).unwrap();
    let Some(guard) = ReadOnly::new(&db) else {
        skip_or_fail(
            "running as root, with neither `chattr +i` nor `setpriv` to make the database read-only",
        );
        return;
    };
    let reads: [&[&str]; 3] = [
        &[
            "initiative",
            "list",
            "--format",
            "json",
            "--strategy",
            "eos",
        ],
        &["graph", "order", "--format", "json", "--strategy", "eos"],
        &["report", "2020", "--format", "json", "--strategy", "eos"],
    ];
    for args in reads {
        let out = guard.actionplan(tmp.path()).args(args).output().unwrap();
        no_panic(&out, &format!("{args:?}"));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is at schema version 4; read through an upgraded copy"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = guard
        .actionplan(tmp.path())
        .arg("check")
        .arg(repo().join("plans/en-digital-offentlig-sektor/plan.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "check: {}", stderr(&out));
    drop(guard);
    assert!(std::fs::read(&db).unwrap() == bytes, "the file changed");

    let out = actionplan(tmp.path())
        .args(["initiative", "list", "--strategy", "eos"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(version(&db), 4, "a read never upgrades the file");
    let out = actionplan(tmp.path()).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("from schema version 4 to"),
        "{}",
        stderr(&out)
    );
    assert!(version(&db) > 4, "migrate upgrades it");
}

/// A form for `nett` on 2021-06-01: valid only against the base plan in the database, so a
/// `check` of it that passes has read the database.
fn form_for_the_base_plan(dir: &Path) -> PathBuf {
    let form = dir.join("form.toml");
    std::fs::write(
        &form,
        "[form]\nstrategy = \"trygg\"\nreported_on = 2021-06-01\n\n[[update]]\ninitiative = \"nett\"\nstatus = \"on-track\"\n",
    )
    .unwrap();
    form
}

/// The file and what SQLite keeps beside it: `-wal` (its length: a reader writes nothing
/// there), `-shm` and `-journal`.
fn sidecars(db: &Path) -> Vec<(String, Option<u64>)> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut p = db.as_os_str().to_os_string();
            p.push(suffix);
            let len = std::fs::metadata(PathBuf::from(p)).ok().map(|m| m.len());
            (suffix.to_string(), len)
        })
        .collect()
}

/// `check` opens the database read-only: against a read-only file it validates (reading the
/// stored plan), and the file is byte for byte as it was, and so is its WAL.
#[test]
fn check_reads_a_read_only_database_and_leaves_it_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let db = with_base(tmp.path());
    let form = form_for_the_base_plan(tmp.path());
    let bytes = std::fs::read(&db).unwrap();
    let Some(guard) = ReadOnly::new(&db) else {
        skip_or_fail(
            "running as root, with neither `chattr +i` nor `setpriv` to make the database read-only",
        );
        return;
    };
    let out = guard
        .actionplan(tmp.path())
        .arg("check")
        .arg(&form)
        .output()
        .unwrap();
    no_panic(&out, "check");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ok: 1 file checked"),
        "{}",
        stderr(&out)
    );
    // Against the database: an update for an initiative it does not hold is refused.
    let unknown = tmp.path().join("unknown.toml");
    std::fs::write(
        &unknown,
        std::fs::read_to_string(&form)
            .unwrap()
            .replace("\"nett\"", "\"ukjent\""),
    )
    .unwrap();
    let out = guard
        .actionplan(tmp.path())
        .arg("check")
        .arg(&unknown)
        .output()
        .unwrap();
    assert_refused(&out, "check", &["ukjent"]);
    drop(guard);
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "check changed the file"
    );
    // SQLite may make the WAL index beside a WAL database to read it, as any reader does;
    // nothing is written to the WAL.
    let wal = sidecars(&db)[0].1;
    assert!(matches!(wal, None | Some(0)), "the WAL holds {wal:?} bytes");
}

/// A database at an older schema version: `check` does not upgrade it (reading never writes);
/// it validates against an upgraded copy in memory and says so, and the file is byte for byte
/// as it was. A verb that writes upgrades it.
#[test]
fn check_does_not_upgrade_an_older_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (n, file) in ["0001_init.sql", "0002_measurements.sql"]
        .iter()
        .enumerate()
    {
        let sql = std::fs::read_to_string(repo().join("migrations").join(file)).unwrap();
        conn.execute_batch(&sql).unwrap();
        conn.pragma_update(None, "user_version", n as i64 + 1)
            .unwrap();
    }
    drop(conn);
    let bytes = std::fs::read(&db).unwrap();
    let out = actionplan(tmp.path())
        .arg("check")
        .arg(hostile("base/plan.toml"))
        .output()
        .unwrap();
    no_panic(&out, "check");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("t.db is at schema version 2; read through an upgraded copy in memory"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "check changed the file"
    );
    // A verb that writes upgrades it, and then `check` reads it as it is.
    let out = actionplan(tmp.path())
        .arg("load")
        .arg(hostile("base/plan.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = actionplan(tmp.path())
        .arg("check")
        .arg(form_for_the_base_plan(tmp.path()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("upgraded copy"), "{}", stderr(&out));
}

/// `check` never creates a database: not at a `--db` path (nor its folder), not through
/// `ACTIONPLAN_DB`, not at the default `./actionplan.db`. An empty file stays empty.
#[test]
fn check_never_creates_a_database() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = hostile("base/plan.toml");
    let bare = || {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_actionplan"));
        cmd.env_clear()
            .env("NO_COLOR", "1")
            .env("HOME", tmp.path())
            .current_dir(tmp.path());
        cmd
    };
    let missing = tmp.path().join("nowhere").join("t.db");
    let env_db = tmp.path().join("from-env.db");
    let empty = tmp.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    for (what, mut cmd) in [
        ("--db in a missing folder", {
            let mut c = bare();
            c.arg("--db").arg(&missing);
            c
        }),
        ("ACTIONPLAN_DB", {
            let mut c = bare();
            c.env("ACTIONPLAN_DB", &env_db);
            c
        }),
        ("the default ./actionplan.db", bare()),
        ("an empty file", {
            let mut c = bare();
            c.arg("--db").arg(&empty);
            c
        }),
    ] {
        let out = cmd.arg("check").arg(&plan).output().unwrap();
        no_panic(&out, what);
        assert!(out.status.success(), "{what}: {}", stderr(&out));
    }
    assert!(
        !tmp.path().join("nowhere").exists(),
        "check made the folder"
    );
    assert!(!env_db.exists(), "check made the ACTIONPLAN_DB file");
    assert!(
        !tmp.path().join("actionplan.db").exists(),
        "check made ./actionplan.db"
    );
    assert_eq!(
        std::fs::read(&empty).unwrap(),
        b"",
        "check wrote to the empty file"
    );
    let mut left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["empty.db"], "check left files behind");
}

/// A full disk, at the library level: SQLite's `max_page_count` caps the database (a pragma
/// of the connection, so it is set on the store's own), and a big load then fails with "the
/// disk is full", writing nothing.
#[test]
fn a_full_disk_writes_nothing_library() {
    use actionplan::store::Store;
    let tmp = tempfile::tempdir().unwrap();
    let db = with_base(tmp.path());
    let before = db_content(&db);
    let form = tmp.path().join("form.toml");
    std::fs::write(&form, big_form(3000)).unwrap();
    let mut store = Store::open(&db).unwrap();
    // The database as it is now, plus a few pages: far from enough for 3000 long updates.
    let pages: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let _ = store.execute_raw(&format!("PRAGMA max_page_count = {}", pages + 4));
    let today = chrono::NaiveDate::from_ymd_opt(2030, 6, 1).unwrap();
    let err = actionplan::load::load(&mut store, &[form], today, chrono::Utc::now(), None)
        .err()
        .expect("the load must fail");
    assert!(
        err.to_string()
            .contains("the disk is full: nothing was written"),
        "{err}"
    );
    drop(store);
    assert_eq!(db_content(&db), before);
}

/// A form with `n` updates of the base plan's `nett`, one a day from 2020-01-01, each with a
/// long summary.
fn big_form(n: usize) -> String {
    use std::fmt::Write as _;
    let mut text = String::from("[form]\nstrategy = \"trygg\"\nreported_on = 2021-11-15\n");
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for i in 0..n {
        let day = start + chrono::Days::new(i as u64);
        write!(
            text,
            "\n[[update]]\ninitiative = \"nett\"\nstatus = \"on-track\"\nreported_on = {day}\nsummary = \"{}\"\n",
            "Langt svar. ".repeat(40)
        )
        .unwrap();
    }
    text
}

/// A full disk for real, where the sandbox lets us mount a small tmpfs: the load is refused
/// with "the disk is full", the database passes its integrity check and is unchanged, and the
/// next load (after space is freed) succeeds.
#[test]
fn a_full_disk_writes_nothing_mounted() {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        skip_or_fail("cannot mount a tmpfs here (a_full_disk_writes_nothing_library covers it)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mnt.clone());
    let db = with_base(&mnt);
    let before = db_content(&db);
    // Fill what is left of the disk but a little.
    let filler = mnt.join("filler");
    let free = {
        let out = std::process::Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(&mnt)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .and_then(|l| l.trim().parse::<u64>().ok())
            .unwrap()
    };
    std::fs::write(&filler, vec![0u8; free.saturating_sub(64 << 10) as usize]).unwrap();
    let form = tmp.path().join("form.toml");
    // About 500 KB of updates: more than is left, less than the disk.
    std::fs::write(&form, big_form(1000)).unwrap();
    let out = actionplan(&mnt).arg("load").arg(&form).output().unwrap();
    assert_refused(
        &out,
        "load on a full disk",
        &[
            "the disk is full: nothing was written",
            "hint: free some space",
        ],
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    assert_eq!(db_content(&db), before);
    std::fs::remove_file(&filler).unwrap();
    let out = actionplan(&mnt).arg("load").arg(&form).output().unwrap();
    assert!(
        out.status.success(),
        "after freeing space: {}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// Inputs the fuzz targets found (fuzz/): each must be refused cleanly, never a panic

#[test]
fn inputs_found_by_fuzzing_are_refused_cleanly() {
    let dir = hostile("fuzz");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    for path in files {
        let tmp = tempfile::tempdir().unwrap();
        let db = with_base(tmp.path());
        let before = db_content(&db);
        for verb in ["check", "load"] {
            let out = actionplan(tmp.path())
                .arg(verb)
                .arg(&path)
                .output()
                .unwrap();
            no_panic(&out, &format!("{verb} {}", path.display()));
            assert_eq!(
                out.status.code(),
                Some(1),
                "{verb} {}: {}",
                path.display(),
                stderr(&out)
            );
        }
        assert_eq!(db_content(&db), before, "{}", path.display());
    }
}

/// Every input in the fuzz corpus (fuzz/corpus/, thousands of small odd files the fuzzers kept
/// for the code paths they reach) goes through `check` without a panic.
#[test]
fn the_fuzz_corpus_is_checked_without_a_panic() {
    if !repo().join("fuzz/corpus").is_dir() {
        skip_or_fail("no fuzz/corpus/ in this checkout");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    with_base(tmp.path());
    let mut total = 0;
    for (target, ext) in [
        ("plan", "toml"),
        ("form", "toml"),
        ("narrative", "toml"),
        ("csv", "csv"),
        ("export", "json"),
        ("validate", "toml"),
    ] {
        let Ok(entries) = std::fs::read_dir(repo().join("fuzz/corpus").join(target)) else {
            continue;
        };
        let dir = tmp.path().join(target);
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Vec::new();
        for (i, e) in entries.enumerate() {
            let to = dir.join(format!("{i}.{ext}"));
            std::fs::copy(e.unwrap().path(), &to).unwrap();
            files.push(to);
        }
        total += files.len();
        for chunk in files.chunks(400) {
            let out = actionplan(tmp.path())
                .arg("check")
                .args(chunk)
                .output()
                .unwrap();
            no_panic(&out, target);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{target}: exit {:?}",
                out.status.code()
            );
        }
    }
    assert!(total > 100, "the fuzz corpus has only {total} inputs");
}
