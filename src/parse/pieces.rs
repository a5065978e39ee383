//! A large TOML file read one element of its big array at a time.
//!
//! The `toml` parser holds every token and every parse event of a file before it builds the
//! table: about thirteen times the text, all at once, which took a 100,000-initiative plan
//! (39 MB) to over 900 MB. A plan is mostly `[[initiative]]` tables and a form mostly
//! `[[update]]` tables, each one independent of the others, so they are cut out of the text
//! and parsed one at a time; the rest of the file is parsed once with them blanked out.
//!
//! The cutting is a plain scan for table headers (outside strings, comments and values that
//! span lines). Whatever the scan is not sure of gives `None`, and the file is parsed whole:
//! the pieces are a way to read the same document in less memory, never a different reading.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeArray;
use toml::de::DeTable;
use toml::de::DeValue;

/// Where the elements of a file's big array of tables are.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The array cut into pieces: `initiative` in a plan, `update` in a form.
    pub key: &'static str,
    /// Each element's text: its `[[key]]` header line up to the next header of another table
    /// (its own sub-tables, `[[initiative.milestone]]`, stay with it).
    pub pieces: Vec<Range<usize>>,
}

/// A table header at the start of a line: `[a.b]` or `[[a.b]]`.
struct Header<'t> {
    /// The start of its line.
    line: usize,
    array: bool,
    first_key: &'t str,
    /// Whether the header names one key only (`[[initiative]]`, not `[[initiative.milestone]]`).
    single: bool,
}

/// The big array of a plan or a form and where its elements are; `None` when the file is
/// neither, has no such array, or holds anything the scan cannot be sure of.
pub(crate) fn layout(text: &str) -> Option<Layout> {
    let headers = headers(text)?;
    let tops = |name: &str| {
        headers
            .iter()
            .filter(|h| h.single && !h.array && h.first_key == name)
            .count()
    };
    let key = match (tops("strategy"), tops("form")) {
        (1, 0) => "initiative",
        (0, 1) => "update",
        _ => return None,
    };
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut open: Option<usize> = None;
    for h in &headers {
        let element = h.array && h.single && h.first_key == key;
        let inside = h.first_key == key && !element;
        if inside && open.is_none() {
            // `[initiative.x]` before any `[[initiative]]`, or `[initiative]`: the whole parser
            // says what is wrong with it.
            return None;
        }
        if inside {
            continue;
        }
        if let Some(start) = open.take() {
            pieces.push(start..h.line);
        }
        if element {
            open = Some(h.line);
        }
    }
    if let Some(start) = open {
        pieces.push(start..text.len());
    }
    (!pieces.is_empty()).then_some(Layout { key, pieces })
}

impl Layout {
    /// The text with every piece blanked out, each into one comment line of its own length, so
    /// that every byte of the rest stays where it was (positions in messages hold).
    pub fn rest(&self, text: &str) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for piece in &self.pieces {
            let region = &mut bytes[piece.clone()];
            let ends_line = region.last() == Some(&b'\n');
            region.fill(b' ');
            region[0] = b'#';
            if ends_line && let Some(last) = region.last_mut() {
                *last = b'\n';
            }
        }
        // Only ASCII bytes replaced whole runs from a line start to a line start: still UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Every table header outside strings and values, in order; `None` when a header's first key
/// is quoted or a multi-line string does not end (left to the whole parser).
fn headers(text: &str) -> Option<Vec<Header<'_>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Open `[` and `{` of values: a line inside an array is no header.
    let mut depth = 0usize;
    let mut line_start = true;
    while i < b.len() {
        if line_start {
            line_start = false;
            let first = i + b[i..]
                .iter()
                .position(|&c| c != b' ' && c != b'\t')
                .unwrap_or(b.len() - i);
            if depth == 0 && b.get(first) == Some(&b'[') {
                out.push(header(text, i, first)?);
                i = line_end(b, first);
                continue;
            }
            i = first;
            continue;
        }
        match b[i] {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b'#' => i = line_end(b, i),
            b'"' if b[i..].starts_with(b"\"\"\"") => i = multi_line_end(b, i + 3, b'"')?,
            b'\'' if b[i..].starts_with(b"'''") => i = multi_line_end(b, i + 3, b'\'')?,
            quote @ (b'"' | b'\'') => i = string_end(b, i + 1, quote),
            b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    Some(out)
}

/// The header whose `[` is at `at`, on the line starting at `line`.
fn header(text: &str, line: usize, at: usize) -> Option<Header<'_>> {
    let b = text.as_bytes();
    let array = b.get(at + 1) == Some(&b'[');
    let mut i = at + if array { 2 } else { 1 };
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    let start = i;
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    {
        i += 1;
    }
    if i == start {
        return None;
    }
    let first_key = &text[start..i];
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    let single = b.get(i) == Some(&b']');
    Some(Header {
        line,
        array,
        first_key,
        single,
    })
}

/// The index of the line end (the `\n` itself) at or after `i`, or the end of the text.
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

/// Past the closing quote of a one-line string whose text starts at `i`; at the line end when
/// it does not close (the parser reports it).
fn string_end(b: &[u8], mut i: usize, quote: u8) -> usize {
    while i < b.len() {
        match b[i] {
            b'\n' => return i,
            b'\\' if quote == b'"' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Past the closing triple quote of a multi-line string whose text starts at `i` (with the up
/// to two quotes of its text that may stand right before it).
fn multi_line_end(b: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    while i < b.len() {
        if b[i] == b'\\' && quote == b'"' {
            i += 2;
        } else if b[i] == quote && b[i..].starts_with(&[quote; 3]) {
            let run = b[i..].iter().take_while(|&&c| c == quote).count();
            return Some(i + run);
        } else {
            i += 1;
        }
    }
    None
}

/// One piece parsed alone: the element of the array it holds, with every position moved to
/// where it stands in the whole file; `None` when the piece is not valid TOML.
pub(crate) fn parse_piece<'i>(
    text: &'i str,
    piece: &Range<usize>,
    key: &str,
) -> Option<Spanned<DeTable<'i>>> {
    let (root, errors) = DeTable::parse_recoverable(text.get(piece.clone())?);
    if !errors.is_empty() {
        return None;
    }
    let mut root = root.into_inner();
    let array = root.remove(key)?.into_inner();
    let DeValue::Array(mut array) = array else {
        return None;
    };
    let [element] = &mut *array else {
        return None;
    };
    let element = std::mem::replace(element, Spanned::new(0..0, DeValue::Boolean(false)));
    match moved(element, piece.start) {
        (span, DeValue::Table(table)) => Some(Spanned::new(span, table)),
        _ => None,
    }
}

fn moved_span(span: Range<usize>, by: usize) -> Range<usize> {
    span.start + by..span.end + by
}

fn moved<'i>(value: Spanned<DeValue<'i>>, by: usize) -> (Range<usize>, DeValue<'i>) {
    let span = moved_span(value.span(), by);
    let value = match value.into_inner() {
        DeValue::Table(table) => DeValue::Table(moved_table(table, by)),
        DeValue::Array(mut items) => {
            let mut out = DeArray::new();
            for item in items.iter_mut() {
                let item = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
                let (span, value) = moved(item, by);
                out.push(Spanned::new(span, value));
            }
            DeValue::Array(out)
        }
        other => other,
    };
    (span, value)
}

fn moved_table(table: DeTable<'_>, by: usize) -> DeTable<'_> {
    let mut out = DeTable::with_capacity(table.len());
    for (key, value) in table {
        let key_span = moved_span(key.span(), by);
        let (span, value) = moved(value, by);
        out.insert(
            Spanned::new(key_span, key.into_inner()),
            Spanned::new(span, value),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "[strategy]\nid = \"s\"\n\n[[initiative]]\nid = \"a\"\ndepends_on = [\n  \"b\",\n]\n\n[[initiative.milestone]]\ntitle = \"\"\"\n[[initiative]]\n\"\"\"\n\n[[indicator]]\nid = \"i\"\n\n[[initiative]] # two\nid = \"b\"\n";

    #[test]
    fn pieces_are_the_elements_with_their_own_sub_tables() {
        let l = layout(PLAN).expect("a plan");
        assert_eq!(l.key, "initiative");
        let texts: Vec<&str> = l.pieces.iter().map(|p| &PLAN[p.clone()]).collect();
        assert_eq!(texts.len(), 2);
        assert!(texts[0].starts_with("[[initiative]]\nid = \"a\""));
        assert!(texts[0].ends_with("\"\"\"\n\n"), "{:?}", texts[0]);
        assert_eq!(texts[1], "[[initiative]] # two\nid = \"b\"\n");
    }

    #[test]
    fn the_rest_keeps_every_position() {
        let l = layout(PLAN).expect("a plan");
        let rest = l.rest(PLAN);
        assert_eq!(rest.len(), PLAN.len());
        assert!(rest.contains("[[indicator]]\nid = \"i\""));
        assert!(!rest.contains("[[initiative]]"));
        let at = PLAN.find("[[indicator]]").unwrap_or_default();
        assert_eq!(rest.find("[[indicator]]"), Some(at));
        let root = DeTable::parse(&rest).expect("the rest parses");
        let keys: Vec<&str> = root
            .get_ref()
            .keys()
            .map(|k| k.get_ref().as_ref())
            .collect();
        assert_eq!(keys, ["strategy", "indicator"]);
    }

    #[test]
    fn a_piece_has_the_positions_of_the_whole_file() {
        let whole = DeTable::parse(PLAN).expect("valid");
        let l = layout(PLAN).expect("a plan");
        let Some(DeValue::Array(items)) = whole.get_ref().get("initiative").map(|v| v.get_ref())
        else {
            panic!("no initiatives");
        };
        for (piece, item) in l.pieces.iter().zip(items.iter()) {
            let parsed = parse_piece(PLAN, piece, "initiative").expect("valid piece");
            assert_eq!(parsed.span(), item.span());
            let Some(expected) = item.get_ref().as_table() else {
                panic!("a table");
            };
            for ((k1, v1), (k2, v2)) in parsed.get_ref().iter().zip(expected.iter()) {
                assert_eq!(k1.get_ref(), k2.get_ref());
                assert_eq!(k1.span(), k2.span());
                assert_eq!(v1.span(), v2.span());
            }
        }
    }

    #[test]
    fn what_the_scan_is_not_sure_of_is_parsed_whole() {
        // No [strategy] or [form]; both; a quoted header; an element's table before it; an
        // unfinished multi-line string.
        for text in [
            "[[initiative]]\nid = \"a\"\n",
            "[strategy]\n[form]\n[[initiative]]\n",
            "[strategy]\n[\"initiative\"]\n",
            "[strategy]\n[initiative.x]\n[[initiative]]\n",
            "[strategy]\n[[initiative]]\nx = \"\"\"\n",
            "[strategy]\nid = \"s\"\n",
        ] {
            assert_eq!(layout(text), None, "{text:?}");
        }
        let form = "[form]\nstrategy = \"s\"\n[[update]]\ninitiative = \"a\"\n";
        assert_eq!(layout(form).map(|l| l.key), Some("update"));
    }

    #[test]
    fn strings_comments_and_arrays_hide_headers() {
        let text = "[strategy]\nx = [\n[1, 2],\n]\ny = '[[initiative]]'\n# [[initiative]]\nz = '''\n[[initiative]]\n'''\n[[initiative]]\nid = \"a\"\n";
        let l = layout(text).expect("a plan");
        assert_eq!(l.pieces.len(), 1);
        assert_eq!(&text[l.pieces[0].clone()], "[[initiative]]\nid = \"a\"\n");
    }
}
