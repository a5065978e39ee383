//! Terminal escapes: what users wrote (tests/fixtures/hostile-terminal/: OSC 52, OSC 8, OSC 0,
//! ESC[2J, SGR, DCS, BEL, NUL, DEL, C1 and CR in every text) and what they type (ids, status
//! words, `--strategy` values) reach standard output and error as visible escapes
//! (`\u{1b}`), never raw: in every verb that prints text, with `--color never` and with
//! `--color always`, where the only escape sequences are the tool's own table colours.

use std::path::Path;
use std::process::Output;

use crate::*;

/// The hostile plan, its forms, narrative and measurements, loaded into `dir/t.db`.
fn with_hostile_plan(dir: &Path) {
    let out = actionplan(dir)
        .arg("load")
        .arg(fixture("hostile-terminal"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_clean(&out.stderr, false, "load");
}

/// The verbs that print text, each in its text formats.
const TEXT: &[&[&str]] = &[
    &["initiative", "list"],
    &["initiative", "list", "--all", "--format", "csv"],
    &["initiative", "show", "a"],
    &["initiative", "show", "b"],
    &["initiative", "show", "c"],
    &["status", "history", "a"],
    &["status", "history", "a", "--format", "csv"],
    &["missing", "2021"],
    &["missing", "2022"],
    &["missing", "2022", "--format", "csv"],
    &["report", "2021"],
    &["report", "2021", "--format", "markdown"],
    &["report", "2021", "--format", "csv"],
    &["report", "2021", "--lang", "nb"],
    &["graph", "check"],
    &["graph", "order"],
    &["graph", "impact", "a"],
    &["graph", "critical-path"],
    &["graph", "export"],
    &["graph", "export", "--format", "mermaid"],
    &["diff", "2020", "2021"],
    &["diff", "2020", "2021", "--format", "markdown"],
    &["lint", "2021"],
    &["lint", "2021", "--format", "csv"],
    &["indicator", "list"],
    &["indicator", "list", "--format", "csv"],
    &["indicator", "show", "andel"],
    &["period", "list"],
];

/// Formats their encoders escape: C0 never reaches the output raw (HTML is neutralised as
/// text is; JSON's encoder escapes C0); DEL and C1 stay as written inside JSON strings, where
/// they are data.
const ENCODED: &[&[&str]] = &[
    &["report", "2021", "--format", "json"],
    &["report", "2021", "--format", "html"],
    &["initiative", "list", "--format", "json"],
    &["status", "history", "a", "--format", "json"],
    &["export"],
];

/// Requests with hostile arguments: each is refused, and the message quotes the argument
/// neutralised.
const REFUSED: &[(&[&str], &str)] = &[
    (
        &["initiative", "show", "\u{1b}]52;c;eA==\u{7}"],
        "unknown initiative `\\u{1b}]52;c;eA==\\u{7}`",
    ),
    (
        &["status", "history", "\u{1b}]8;;x\u{7}"],
        "unknown initiative `\\u{1b}]8;;x\\u{7}`",
    ),
    (
        &["status", "set", "a", "\u{1b}[2J\u{7}\u{9b}"],
        "unknown status `\\u{1b}[2J\\u{7}\\u{9b}`",
    ),
    (
        &["report", "2021", "--strategy", "\u{1b}[31mx\u{9b}"],
        "\\u{1b}[31mx\\u{9b}",
    ),
    (
        &["graph", "impact", "\u{1b}[2J"],
        "unknown initiative `\\u{1b}[2J`",
    ),
    (
        &["initiative", "list", "--owner", "\u{1b}[2J"],
        "unknown organisation `\\u{1b}[2J`",
    ),
    (
        &["indicator", "show", "\u{85}\u{1b}P"],
        "unknown indicator `\\u{85}\\u{1b}P`",
    ),
];

/// The colour sequences the tool's tables use (comfy-table through crossterm).
fn tool_colour_at(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let end = body.find('m')?;
    let params = &body[..end];
    let ok = params == "0"
        || params == "39"
        || params
            .strip_prefix("38;5;")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    ok.then_some(2 + end + 1)
}

/// No ESC, BEL, NUL, other C0 (but `\n`, `\t`), DEL or C1 in `bytes`; with `colour`, ESC only
/// as a colour sequence of the tool's own.
fn assert_clean(bytes: &[u8], colour: bool, what: &str) {
    let text = String::from_utf8_lossy(bytes);
    let mut rest: &str = &text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && colour
            && let Some(len) = tool_colour_at(rest)
        {
            rest = &rest[len..];
            continue;
        }
        let control = c.is_control() && c != '\n' && c != '\t';
        assert!(
            !control,
            "{what}: {c:?} reached the terminal raw, before {:?}",
            rest.chars().skip(1).take(40).collect::<String>()
        );
        rest = &rest[c.len_utf8()..];
    }
}

/// Only C0 (and ESC) matter for the encoded formats; see [`ENCODED`].
fn assert_no_c0(bytes: &[u8], what: &str) {
    let bad = bytes
        .iter()
        .find(|&&b| b < b' ' && b != b'\n' && b != b'\t');
    assert!(bad.is_none(), "{what}: byte {bad:?} reached the output raw");
}

fn run(dir: &Path, colour: &str, args: &[&str]) -> Output {
    // NO_COLOR (set by the helper) would keep crossterm from colouring even when asked to.
    let out = actionplan(dir)
        .env_remove("NO_COLOR")
        .args(["--color", colour])
        .args(args)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "{args:?}: panicked\n{err}"
    );
    out
}

/// The finding: ESC, BEL and C1 from plan or form text reached the terminal raw in every
/// verb, with `--color never` too. Now none does, in any verb's text output or message, and
/// with `--color always` the only sequences are the tool's colours (which do appear).
#[test]
fn no_control_character_reaches_the_terminal_from_any_verb() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    with_hostile_plan(dir);
    let db = dir.join("t.db");
    let before = db_content(&db);
    let mut coloured = 0;
    for colour in ["never", "always"] {
        let always = colour == "always";
        for args in TEXT {
            let what = format!("--color {colour} {}", args.join(" "));
            let out = run(dir, colour, args);
            // `graph check` and `lint` may exit 1 over findings; nothing else fails.
            assert!(
                out.status.success() || matches!(args[0], "graph" | "lint"),
                "{what}: {}",
                stderr(&out)
            );
            assert!(!out.stdout.is_empty(), "{what}: printed nothing");
            assert_clean(&out.stdout, always, &what);
            assert_clean(&out.stderr, false, &what);
            coloured += usize::from(out.stdout.contains(&0x1b));
        }
        for args in ENCODED {
            let what = format!("--color {colour} {}", args.join(" "));
            let out = run(dir, colour, args);
            assert!(out.status.success(), "{what}: {}", stderr(&out));
            assert_no_c0(&out.stdout, &what);
            assert_clean(&out.stderr, false, &what);
        }
        for (args, says) in REFUSED {
            let what = format!("--color {colour} {args:?}");
            let out = run(dir, colour, args);
            assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
            assert!(
                stderr(&out).contains(says),
                "{what}: expected `{says}` in\n{}",
                stderr(&out)
            );
            assert_clean(&out.stdout, false, &what);
            assert_clean(&out.stderr, false, &what);
        }
    }
    assert!(coloured > 0, "--color always printed no colour at all");
    assert_eq!(db_content(&db), before, "a read changed the database");
}

/// A title that imitates the tool's colour sequence is shown, not obeyed, with
/// `--color always`; the tool's own colours are still there.
#[test]
fn a_colour_code_in_a_title_is_shown_not_obeyed_with_color_always() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    with_hostile_plan(dir);
    let out = run(dir, "always", &["initiative", "show", "c"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Tiltak C \\u{1b}[38;5;1mfalsk farge\\u{1b}[39m (c)"),
        "{}",
        stdout(&out)
    );
    assert!(!out.stdout.contains(&0x1b), "{:?}", stdout(&out));
    // The status table is coloured; the answer in it is shown, as in plain text.
    let out = run(dir, "always", &["status", "history", "a"]);
    assert!(stdout(&out).contains("\u{1b}[38;5;"), "no status colour");
    assert_clean(&out.stdout, true, "status history");
    let out = run(dir, "always", &["initiative", "show", "a"]);
    assert!(
        stdout(&out).contains("delayed 40 % — Forsinket \\u{1b}[2J\\u{7} \\u{9b}31m"),
        "{}",
        stdout(&out)
    );
}

/// Messages about files quote their content: an update for an id with control characters,
/// a status word with them, a NUL. Each is shown as an escape at its `line:col`.
#[test]
fn messages_about_files_show_control_characters_as_escapes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    with_hostile_plan(dir);
    let before = db_content(&dir.join("t.db"));
    // An id that is not one, and a status word that is not one (each stops its update, so
    // two files).
    std::fs::write(
        dir.join("id.toml"),
        "[form]\nstrategy = \"esc\"\nreported_on = 2021-06-01\n\n[[update]]\ninitiative = \"x\\u001b]52;c;eA==\\u0007\"\nstatus = \"on-track\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("status.toml"),
        "[form]\nstrategy = \"esc\"\nreported_on = 2021-06-01\n\n[[update]]\ninitiative = \"a\"\nstatus = \"\\u001b[2J\\u0000\"\n",
    )
    .unwrap();
    for verb in ["check", "load"] {
        for (file, says) in [
            (
                "id.toml",
                "id.toml:6:14: `initiative` \"x\\u{1b}]52;c;eA==\\u{7}\"",
            ),
            ("status.toml", "\\u{1b}[2J\\u{0}"),
        ] {
            let out = run(dir, "never", &[verb, file]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{verb} {file}: {err}");
            assert!(
                err.contains(says),
                "{verb} {file}: expected `{says}` in\n{err}"
            );
            assert_clean(&out.stderr, false, verb);
        }
    }
    assert_eq!(db_content(&dir.join("t.db")), before);
}
