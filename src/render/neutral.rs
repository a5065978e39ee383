//! The one neutraliser for text that reaches a terminal: what users wrote (titles, answers,
//! ids, arguments) can hold control characters, and a terminal obeys them — ESC starts
//! sequences that clear the screen, set the clipboard (OSC 52) or hide links (OSC 8), BEL
//! rings, C1 codes act as ESC on some terminals. Each is shown instead as a visible escape,
//! `\u{1b}`, so that what was written can still be read and nothing acts.
//!
//! Used by the table helper ([`super::cell`]), by every text renderer on what it returns (HTML
//! too: its encoder escapes markup, not control characters), and by the message printer for
//! standard error. JSON's encoder escapes C0 itself; DEL and C1 stay as data in its strings.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is shown as an escape: every control character (C0, DEL and C1) but a line
/// feed and a tab, which text formats allow.
fn is_neutralised(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// What [`backstop`] escapes: C0 but a line feed and a tab. JSON never holds these raw (its
/// encoder escapes them), but it may hold DEL and C1 raw inside strings, where an escape of
/// ours would change the data.
fn is_c0(c: char) -> bool {
    c < ' ' && c != '\n' && c != '\t'
}

/// Bytes that may start a character [`is_neutralised`] escapes: below 0x20, DEL, or 0xC2
/// (the lead of C1, and of other characters too).
fn may_start_control(b: u8) -> bool {
    (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2
}

/// Bytes of a character [`is_c0`] escapes: exactly those (UTF-8 writes C0 as one byte, and no
/// byte of a longer character is below 0x80).
fn is_c0_byte(b: u8) -> bool {
    b < 0x20 && b != b'\n' && b != b'\t'
}

/// `text` with every control character but `\n` and `\t` written as a visible escape
/// (`\u{1b}`); unchanged (and not copied) when it has none.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    escape(text, is_neutralised, may_start_control, false)
}

/// As [`neutralise`]; with `colour`, for text that carries the colours of the tool's own
/// tables (`--color always`, or a terminal): those sequences are kept, and only those.
pub fn for_terminal(text: &str, colour: bool) -> Cow<'_, str> {
    escape(text, is_neutralised, may_start_control, colour)
}

/// The last guard before standard output, for whatever a verb prints in any format: ESC,
/// BEL, NUL and the other C0 controls become escapes; with `colour`, the tool's own colours
/// are kept. The renderers have neutralised their text already (DEL and C1 too); this
/// catches what a new verb forgets, and leaves JSON as its encoder wrote it.
pub fn backstop(text: &str, colour: bool) -> Cow<'_, str> {
    escape(text, is_c0, is_c0_byte, colour)
}

/// [`backstop`] as a writer, for output too large to hold: text goes on in pieces, each cut
/// before an ASCII byte (a character boundary) with no escape byte in the sixteen before it (no
/// colour sequence, at most fifteen bytes, is open), so each piece is guarded exactly as the
/// whole text would be. Call [`Backstopped::finish`] to write the rest.
pub struct Backstopped<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
    colour: bool,
    /// The writer's own error, kept whole for the caller (a renderer sees only its kind).
    failed: Option<std::io::Error>,
}

/// How much is gathered before it is passed on.
const PASS_AT: usize = 64 * 1024;
/// How far back from the end a cut is looked for: the look stays short, whatever the text.
const LOOK_BACK: usize = 4096;
/// Longer than any colour sequence [`colour_sequence`] keeps.
const SEQUENCE_ROOM: usize = 16;

impl<W: std::io::Write> Backstopped<W> {
    pub fn new(inner: W, colour: bool) -> Self {
        Backstopped {
            inner,
            pending: Vec::with_capacity(PASS_AT + LOOK_BACK),
            colour,
            failed: None,
        }
    }

    /// The error the writer underneath gave, if it gave one.
    pub fn take_error(&mut self) -> Option<std::io::Error> {
        self.failed.take()
    }

    /// Writes what is left and hands back the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.pass(self.pending.len())?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// The last place near the end where the text may be cut (see [`Backstopped`]).
    fn cut(&self) -> Option<usize> {
        let bytes = &self.pending;
        (bytes.len().saturating_sub(LOOK_BACK)..bytes.len())
            .rev()
            .find(|&at| {
                bytes[at].is_ascii() && !bytes[at.saturating_sub(SEQUENCE_ROOM)..at].contains(&0x1b)
            })
    }

    /// Guards and writes the first `upto` bytes gathered.
    fn pass(&mut self, upto: usize) -> std::io::Result<()> {
        let bytes = &self.pending[..upto];
        // Renderers write UTF-8: checked at full speed, and mended only if one ever did not
        // (a cut before an ASCII byte never splits a character, nor a run of invalid bytes).
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        if let Err(e) = self
            .inner
            .write_all(backstop(&text, self.colour).as_bytes())
        {
            let kind = e.kind();
            self.failed = Some(e);
            return Err(kind.into());
        }
        self.pending.drain(..upto);
        Ok(())
    }
}

impl<W: std::io::Write> std::io::Write for Backstopped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= PASS_AT
            && let Some(at) = self.cut()
        {
            self.pass(at)?;
        }
        Ok(buf.len())
    }

    /// Passes on what may be cut off: the rest may end inside a character or a sequence.
    fn flush(&mut self) -> std::io::Result<()> {
        if let Some(at) = self.cut() {
            self.pass(at)?;
        }
        self.inner.flush()
    }
}

/// `text` with the characters `is_escaped` accepts written as escapes. `may_hold` accepts
/// every byte such a character can begin with: text without those bytes (nearly all, and
/// megabytes of it) goes through one quick pass over its bytes.
fn escape(
    text: &str,
    is_escaped: fn(char) -> bool,
    may_hold: impl Fn(u8) -> bool,
    keep_colour: bool,
) -> Cow<'_, str> {
    if !any_byte(text, may_hold) || !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && keep_colour
            && let Some(len) = colour_sequence(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if is_escaped(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Whether any byte of `text` is one `hit` accepts: a fold over each 64-byte chunk (which the
/// compiler makes vector compares), stopping after the first chunk with one.
fn any_byte(text: &str, hit: impl Fn(u8) -> bool) -> bool {
    text.as_bytes()
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |found, &b| found | hit(b)))
}

/// The length of the colour sequence `text` starts with, if it is one the tool's tables use
/// (comfy-table through crossterm): a foreground colour `ESC[38;5;Nm` or a reset `ESC[0m` /
/// `ESC[39m`. Any other sequence (moving the cursor, clearing, blinking, hiding text) is not.
fn colour_sequence(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let end = body.find('m').filter(|&e| e <= 12)?;
    let params = &body[..end];
    let ok = match params {
        "0" | "39" => true,
        _ => params.strip_prefix("38;5;").is_some_and(|n| {
            !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
        }),
    };
    ok.then_some(2 + end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(
            neutralise("a\u{1b}]52;c;aGk=\u{7}b\0c\u{9b}d\u{7f}e\rf\u{85}"),
            "a\\u{1b}]52;c;aGk=\\u{7}b\\u{0}c\\u{9b}d\\u{7f}e\\u{d}f\\u{85}"
        );
        assert_eq!(neutralise("linje\n\tinnrykk"), "linje\n\tinnrykk");
        assert!(matches!(neutralise("Grønn – 語 🦀"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_backstop_leaves_json_as_written() {
        let json = "{\"t\": \"\\u001b[2J \u{9b} \u{7f}\"}\n";
        assert_eq!(backstop(json, true), json);
        assert_eq!(backstop("a\u{1b}[2Jb\u{7}", true), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(backstop("\u{1b}[39m", false), "\\u{1b}[39m");
    }

    #[test]
    fn only_the_tools_own_colours_are_kept() {
        let coloured = "\u{1b}[38;5;10mi rute\u{1b}[39m \u{1b}[0m";
        assert_eq!(for_terminal(coloured, true), coloured);
        assert_eq!(
            neutralise(coloured),
            "\\u{1b}[38;5;10mi rute\\u{1b}[39m \\u{1b}[0m"
        );
        for hostile in [
            "\u{1b}[2J",
            "\u{1b}[8m",
            "\u{1b}]8;;x\u{7}",
            "\u{1b}[38;5;m",
            "\u{1b}[",
        ] {
            let out = for_terminal(hostile, true);
            assert!(!out.contains('\u{1b}'), "{hostile:?} → {out:?}");
        }
    }

    #[test]
    fn the_tables_colours_are_the_ones_kept() {
        let mut t = super::super::new_table(true);
        t.add_row(vec![super::super::status_cell(
            Some(crate::model::Status::Delayed),
            "delayed \u{1b}[2J",
            true,
        )]);
        let text = t.to_string();
        assert!(text.contains('\u{1b}'), "the table has no colour: {text:?}");
        let kept = for_terminal(&text, true);
        assert_eq!(kept, text, "a colour of the tool's own was escaped");
        assert!(text.contains("delayed \\u{1b}[2J"), "{text:?}");
    }

    proptest! {
        /// Written in any pieces, with flushes between, the writer gives what the backstop
        /// gives the whole text: colours kept or escaped, controls escaped, characters whole.
        #[test]
        fn the_backstop_writer_guards_as_the_whole_text_is(
            parts in prop::collection::vec(prop::sample::select(vec![
                "a", "\n", "\t", "ø", "語", "🦀", "\u{1b}[38;5;10m", "\u{1b}[0m", "\u{1b}[2J",
                "\u{7}", "\0", "\r", "\u{9b}",
            ]), 0..400),
            cuts in prop::collection::vec(0usize..2000, 0..12),
            colour in any::<bool>(),
            bulk in 0usize..3,
            one_line in any::<bool>(),
        ) {
            use std::io::Write as _;
            // Some runs large enough to pass lines on before the end.
            let mut text = parts.concat().repeat(1 + bulk * 200);
            if one_line {
                // An HTML page is one long line.
                text = text.replace('\n', " ");
            }
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c * bytes.len() / 2000).collect();
            cuts.push(bytes.len());
            cuts.sort_unstable();
            let mut w = Backstopped::new(Vec::new(), colour);
            let mut from = 0;
            for (n, cut) in cuts.into_iter().enumerate() {
                w.write_all(&bytes[from..cut]).expect("into memory");
                if n % 3 == 1 {
                    w.flush().expect("into memory");
                }
                from = cut;
            }
            let out = w.finish().expect("into memory");
            prop_assert_eq!(String::from_utf8(out).expect("UTF-8"), backstop(&text, colour));
        }
    }

    /// What [`Backstopped`] writes of `text` given in pieces cut at each of `cuts` (byte
    /// offsets, in order), with `colour` or not.
    fn backstopped(text: &[u8], cuts: &[usize], colour: bool) -> Vec<u8> {
        use std::io::Write;
        let mut out = Vec::new();
        let mut w = Backstopped::new(&mut out, colour);
        let mut from = 0;
        for &cut in cuts.iter().chain([&text.len()]) {
            w.write_all(&text[from..cut]).unwrap();
            // A flush passes on whole lines only: the rest of the line waits.
            w.flush().unwrap();
            from = cut;
        }
        w.finish().unwrap();
        out
    }

    #[test]
    fn streamed_text_gets_the_backstop_of_the_whole() {
        let text = "rad én \u{1b}[2J\n\u{1b}[38;5;9mrød\u{1b}[39m ø 語 \u{7}\nsiste uten linjeskift \u{1b}[0m";
        for colour in [false, true] {
            let whole = backstop(text, colour).into_owned().into_bytes();
            // Every cut: inside an escape sequence, inside a character, at a line break.
            for cut in 0..=text.len() {
                assert_eq!(
                    backstopped(text.as_bytes(), &[cut], colour),
                    whole,
                    "cut at {cut}, colour {colour}"
                );
            }
            assert_eq!(
                backstopped(
                    text.as_bytes(),
                    &(0..=text.len()).collect::<Vec<_>>(),
                    colour
                ),
                whole,
                "a byte at a time, colour {colour}"
            );
        }
        let coloured = String::from_utf8(backstopped(text.as_bytes(), &[17], true)).unwrap();
        assert!(coloured.contains("\u{1b}[38;5;9mrød\u{1b}[39m"));
        assert!(coloured.contains("\\u{1b}[2J") && coloured.contains("\\u{7}"));
        let plain = String::from_utf8(backstopped(text.as_bytes(), &[17], false)).unwrap();
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
    }

    #[test]
    fn streamed_bytes_that_are_not_utf8_are_mended_as_in_the_whole() {
        let bytes = b"gyldig\n\xc3\nhalvt tegn \xe2\x82 og \xff\n\xc3\xb8 til slutt\xe2";
        let whole = backstop(&String::from_utf8_lossy(bytes), false)
            .into_owned()
            .into_bytes();
        for cut in 0..=bytes.len() {
            assert_eq!(backstopped(bytes, &[cut], false), whole, "cut at {cut}");
        }
    }

    #[test]
    fn long_output_is_passed_on_before_the_end() {
        use std::io::Write;
        let line = "en linje med tekst\n".repeat(10_000);
        let mut out = Vec::new();
        let mut w = Backstopped::new(&mut out, false);
        w.write_all(line.as_bytes()).unwrap();
        w.write_all(b"halv").unwrap();
        assert!(
            w.pending.len() < PASS_AT + LOOK_BACK,
            "{} held",
            w.pending.len()
        );
        w.finish().unwrap();
        assert_eq!(out, format!("{line}halv").into_bytes());
    }
}
