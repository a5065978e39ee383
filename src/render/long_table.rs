//! Terminal tables too long to hold whole: `lint` of 100,000 initiatives prints millions of
//! rows, and comfy-table builds a table as one string, beside every cell it was given.
//!
//! A long table is printed exactly as [`super::table_rows`] would print it, in passes over its
//! rows (which the caller makes again for each pass): one for each column's widest line, one for
//! each width comfy-table's layout asks about (usually one), and one that prints. The layout
//! (comfy-table's `Dynamic` arrangement, which sees every row) is ported here for the tables of
//! [`super::new_table`]: no constraints, one space of padding each side, borders all round.
//! The printing is comfy-table's own, a slice of rows at a time, each column held to the width
//! the layout gave it. The tests hold the bytes to comfy-table's.

use std::borrow::Cow;
use std::io::Write;
use std::ops::ControlFlow;

use comfy_table::ColumnConstraint;
use comfy_table::Width;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::Style;
use super::cell;
use super::cell_text;
use crate::error::Result;

/// Rows printed by one comfy-table at a time: enough that a slice costs little more than its
/// rows, few enough that it holds little.
const ROWS_PER_SLICE: usize = 1024;

/// The spaces around a cell's text in a column: one each side (comfy-table's default).
const PADDING: u16 = 2;

/// A terminal table with a header, as [`super::write_table`] prints it, from rows (each as
/// long as the header) made again by `rows` for each pass (see the module's documentation).
pub fn write_long_table<R>(
    out: &mut impl Write,
    style: Style,
    header: &[&str],
    rows: impl Fn() -> R,
) -> Result<()>
where
    R: Iterator<Item = Vec<String>>,
{
    write_in_slices(out, style, super::width(), header, rows, ROWS_PER_SLICE)
}

fn write_in_slices<R>(
    out: &mut impl Write,
    style: Style,
    width: u16,
    header: &[&str],
    rows: impl Fn() -> R,
    rows_per_slice: usize,
) -> Result<()>
where
    R: Iterator<Item = Vec<String>>,
{
    let columns = Columns {
        header,
        rows: &rows,
    };
    let widths = arrange(width, &columns.widest(), |column, space| {
        columns.longest_after_split(column, space)
    });
    let constraints: Vec<ColumnConstraint> = widths
        .iter()
        .map(|w| ColumnConstraint::Absolute(Width::Fixed(w.saturating_add(PADDING))))
        .collect();
    let mut rows = rows();
    let mut first = true;
    let mut bottom_border = None;
    loop {
        let slice: Vec<Vec<String>> = rows.by_ref().take(rows_per_slice).collect();
        if slice.is_empty() && !first {
            break;
        }
        let mut t = super::table_of_width(style.color, width);
        if first {
            t.set_header(header.to_vec());
        }
        for row in &slice {
            t.add_row(row.iter().map(cell));
        }
        t.set_constraints(constraints.iter().cloned());
        let mut lines = t.lines();
        // The top border once, above the header; the bottom border once, below the last row.
        if !first {
            lines.next();
        }
        let mut lines: Vec<String> = lines.collect();
        bottom_border = lines.pop();
        for line in lines {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        first = false;
    }
    if let Some(line) = bottom_border {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The cells of a long table by column, as comfy-table sees them: the header's as given, the
/// rows' as [`cell`] makes them.
struct Columns<'a, F> {
    header: &'a [&'a str],
    rows: &'a F,
}

impl<F, R> Columns<'_, F>
where
    F: Fn() -> R,
    R: Iterator<Item = Vec<String>>,
{
    /// Calls `f` with each line of each cell of `column`, the header's first, until it says
    /// to stop.
    fn for_each_line(&self, column: usize, mut f: impl FnMut(&str) -> ControlFlow<()>) {
        if let Some(header) = self.header.get(column)
            && header.split('\n').try_for_each(&mut f).is_break()
        {
            return;
        }
        for row in (self.rows)() {
            if let Some(text) = row.get(column)
                && cell_text(text).split('\n').try_for_each(&mut f).is_break()
            {
                return;
            }
        }
    }

    /// Each column's widest line, at least 1 (comfy-table's `column_max_content_widths`).
    fn widest(&self) -> Vec<u16> {
        let mut widest = vec![0u16; self.header.len()];
        let mut note = |column: usize, text: &str| {
            let width = text.split('\n').map(str::width).max().unwrap_or(0);
            let width = u16::try_from(width).unwrap_or(u16::MAX).max(1);
            if let Some(w) = widest.get_mut(column) {
                *w = (*w).max(width);
            }
        };
        for (column, text) in self.header.iter().enumerate() {
            note(column, text);
        }
        for row in (self.rows)() {
            for (column, text) in row.iter().enumerate() {
                note(column, &cell_text(text));
            }
        }
        widest
    }

    /// The widest line of `column` once its lines wider than `space` are wrapped to it
    /// (comfy-table's `longest_line_after_split`), or any width from `space` − 2 up once one
    /// is that wide: [`arrange`] asks only whether 3 or more of the space are left over, and
    /// a long column settles that within its first rows.
    fn longest_after_split(&self, column: usize, space: usize) -> usize {
        let content_width = usize::from(u16::try_from(space).unwrap_or(u16::MAX).max(1));
        let settled = space.saturating_sub(2);
        let mut longest = 0;
        self.for_each_line(column, |line| {
            let width = line.width();
            longest = longest.max(if width > space {
                split_line(line, content_width)
                    .iter()
                    .map(|part| part.width())
                    .max()
                    .unwrap_or(0)
            } else {
                width
            });
            if longest >= settled {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        longest
    }
}

/// Each column's content width, as comfy-table's `Dynamic` arrangement lays out a table of
/// `width` whose columns' widest lines are `widest`; `longest_after_split(column, space)` is
/// the widest line of a column wrapped to `space` (which only matters when it leaves 3 or more
/// of the space over).
fn arrange(
    width: u16,
    widest: &[u16],
    mut longest_after_split: impl FnMut(usize, usize) -> usize,
) -> Vec<u16> {
    let columns = widest.len();
    // Borders left and right and between columns, and each column's padding.
    let borders = 2 + columns.saturating_sub(1);
    let mut layout = Layout {
        widths: vec![None; columns],
        remaining_width: usize::from(width)
            .saturating_sub(borders)
            .saturating_sub(usize::from(PADDING) * columns),
        remaining_columns: columns,
    };

    // Columns no wider than the average space left take their width, which leaves more for
    // the others; until none does.
    let mut found_smaller = true;
    while found_smaller && layout.remaining_columns > 0 && layout.average_space() > 0 {
        found_smaller = false;
        for (column, &w) in widest.iter().enumerate() {
            if layout.widths[column].is_some() || usize::from(w) > layout.average_space() {
                continue;
            }
            if !layout.fix(column, w) {
                break;
            }
            found_smaller = true;
        }
    }

    // Columns whose text, wrapped to the average space, leaves three or more of it unused take
    // the width of their widest wrapped line.
    let mut found_smaller = layout.remaining_columns > 0;
    while found_smaller {
        found_smaller = false;
        for column in 0..columns {
            if layout.widths[column].is_some() {
                continue;
            }
            let space = layout.average_space();
            let longest = longest_after_split(column, space);
            if space.saturating_sub(longest) >= 3 {
                if !layout.fix(column, u16::try_from(longest).unwrap_or(u16::MAX)) {
                    break;
                }
                found_smaller = true;
            }
        }
    }

    // The rest share what is left, the first ones a column more when it does not divide.
    if layout.remaining_columns > 0 {
        let share = layout.remaining_width.max(layout.remaining_columns);
        let count = layout.remaining_columns;
        let (each, excess) = (share / count, share % count);
        let undecided = layout.widths.iter_mut().filter(|w| w.is_none());
        for (k, w) in undecided.enumerate() {
            let width = if k < excess { each + 1 } else { each };
            *w = Some(u16::try_from(width).unwrap_or(u16::MAX).max(1));
        }
    }
    layout.widths.into_iter().map(|w| w.unwrap_or(1)).collect()
}

/// The layout as [`arrange`] makes it: the widths decided, and the space left for the rest.
struct Layout {
    widths: Vec<Option<u16>>,
    remaining_width: usize,
    remaining_columns: usize,
}

impl Layout {
    fn average_space(&self) -> usize {
        self.remaining_width
            .checked_div(self.remaining_columns)
            .unwrap_or(0)
    }

    /// Gives `column` this content width (at least 1, as comfy-table shows it); whether any
    /// column is left undecided.
    fn fix(&mut self, column: usize, width: u16) -> bool {
        self.widths[column] = Some(width.max(1));
        self.remaining_width = self.remaining_width.saturating_sub(usize::from(width));
        self.remaining_columns -= 1;
        self.remaining_columns > 0
    }
}

/// The most a line can be short of full before comfy-table starts the next one.
const MIN_FREE_CHARS: usize = 2;

/// `line` wrapped to `content_width` at spaces, a word wider than that cut where it must:
/// comfy-table's `split_line`, line for line.
fn split_line(line: &str, content_width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut elements: Vec<Cow<'_, str>> = line.split(' ').map(Cow::Borrowed).collect();
    elements.reverse();
    let mut current_line = String::new();
    let mut current_length = 0;
    while let Some(next) = elements.pop() {
        let next_length = next.width();
        let mut added_length = next_length + current_length;
        if !current_line.is_empty() {
            added_length += 1;
        }
        let mut remaining_width = content_width.saturating_sub(current_length);
        if !current_line.is_empty() {
            remaining_width = remaining_width.saturating_sub(1);
        }

        // The word fits on this line.
        if added_length <= content_width {
            if !current_line.is_empty() {
                current_line.push(' ');
                current_length += 1;
            }
            current_line.push_str(&next);
            current_length += next_length;
            if current_length > content_width.saturating_sub(MIN_FREE_CHARS) {
                lines.push(std::mem::take(&mut current_line));
                current_length = 0;
            }
            continue;
        }

        // Too little room left to start the word here: a new line.
        if !current_line.is_empty() && remaining_width <= MIN_FREE_CHARS {
            elements.push(next);
            lines.push(std::mem::take(&mut current_line));
            current_length = 0;
            continue;
        }

        // A word wider than a line: as much of it as fits here, the rest on the next.
        if next_length > content_width {
            let new_line = current_line.is_empty();
            if !new_line {
                current_line.push(' ');
            }
            let (head, tail) = split_long_word(remaining_width, &next);
            if new_line && head.is_empty() {
                // Not even one character fits (a wide one in a column of 1): it goes in
                // anyway, or the line would never end.
                let mut chars = tail.chars();
                current_line.extend(chars.next());
                elements.push(Cow::Owned(chars.collect()));
            } else {
                current_line.push_str(head);
                elements.push(Cow::Owned(tail.to_string()));
            }
            lines.push(std::mem::take(&mut current_line));
            current_length = 0;
            continue;
        }

        // The word fits on a line of its own.
        lines.push(std::mem::replace(&mut current_line, next.into_owned()));
        current_length = next_length;
        if current_length > content_width.saturating_sub(MIN_FREE_CHARS) {
            lines.push(std::mem::take(&mut current_line));
            current_length = 0;
        }
    }
    if !current_line.is_empty() {
        lines.push(current_line);
    }
    lines
}

/// `word` cut after as much of it as fits in `allowed_width` columns: by bytes for printable
/// ASCII, else by grapheme (comfy-table's `split_long_word`).
fn split_long_word(allowed_width: usize, word: &str) -> (&str, &str) {
    if word.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return word.split_at(word.len().min(allowed_width));
    }
    let mut current_width = 0;
    let mut split_index = word.len();
    for (index, grapheme) in word.grapheme_indices(true) {
        let grapheme_width = grapheme.width();
        if current_width + grapheme_width > allowed_width {
            split_index = index;
            break;
        }
        current_width += grapheme_width;
    }
    word.split_at(split_index)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The table as comfy-table prints it whole, and as it is printed here in slices.
    fn both(
        width: u16,
        header: &[&str],
        rows: &[Vec<String>],
        per_slice: usize,
    ) -> (String, String) {
        let mut t = crate::render::table_of_width(false, width);
        t.set_header(header.to_vec());
        for r in rows {
            t.add_row(r.iter().map(cell));
        }
        let whole = format!("{t}\n");
        let mut out = Vec::new();
        write_in_slices(
            &mut out,
            Style { color: false },
            width,
            header,
            || rows.iter().cloned(),
            per_slice,
        )
        .unwrap();
        (whole, String::from_utf8(out).unwrap())
    }

    #[test]
    fn prints_what_comfy_table_prints_whole() {
        let rows: Vec<Vec<String>> = (0..7)
            .map(|k| {
                vec![
                    "green-over-red".to_string(),
                    format!("dep-{k:02}"),
                    format!("tiltak-{k:06}"),
                    format!(
                        "reported on-track while `tiltak-{:06}` (Virksomhet {k}) is delayed{}",
                        k * 7,
                        " (further up the chain)".repeat(k % 3)
                    ),
                ]
            })
            .collect();
        let header = ["rule", "owner", "initiative", "finding"];
        for width in [40, 60, 80, 100, 120, 300] {
            for per_slice in [1, 2, 3, 7, 100] {
                let (whole, sliced) = both(width, &header, &rows, per_slice);
                assert_eq!(sliced, whole, "width {width}, {per_slice} rows a slice");
            }
        }
        // No rows: the header alone.
        let (whole, sliced) = both(100, &header, &[], 3);
        assert_eq!(sliced, whole);
    }

    /// Each line `split_line` makes, as comfy-table prints it in a column of `content_width`:
    /// padded to the width, between the borders and the padding.
    #[test]
    fn wraps_as_comfy_table_does() {
        // Long words, wide and combining characters, spaces in a row and at the ends.
        let lines = [
            "a",
            "ordinær tekst med noen ord",
            "Søknadsbehandling_digitalisert_fullstendig_ende_til_ende",
            "語語語語語語語語語語語語語語語語語語語語語語語語",
            "e\u{301}e\u{301}e\u{301} e\u{301}",
            "🦀 krabbe 🙂‍↕️ 🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀",
            "to ord  og   mellomrom  ",
            "",
        ];
        for content_width in 1..40 {
            for line in lines {
                let mut t = crate::render::table_of_width(false, 200);
                t.add_row(vec![cell(line)]);
                t.set_constraints([ColumnConstraint::Absolute(Width::Fixed(
                    content_width as u16 + 2,
                ))]);
                let printed: Vec<String> = t.lines().collect();
                let ours: Vec<String> = if line.width() > content_width {
                    split_line(line, content_width)
                } else {
                    vec![line.to_string()]
                };
                let ours: Vec<String> = ours
                    .iter()
                    .map(|part| {
                        let pad = " ".repeat(content_width.saturating_sub(part.width()));
                        format!("│ {part}{pad} │")
                    })
                    .collect();
                // Between the top and the bottom border.
                assert_eq!(
                    ours,
                    printed[1..printed.len() - 1],
                    "{line:?} in {content_width}"
                );
            }
        }
    }

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,6}",
            "[a-zæøå]{8,30}",
            "[語🦀é]{1,8}",
            Just("e\u{301}".to_string()),
            Just(String::new()),
            Just("-".to_string()),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(word(), 0..12),
            prop::bool::weighted(0.1),
        )
            .prop_map(|(words, two_lines)| {
                let text = words.join(" ");
                if two_lines {
                    format!("{text}\n{text}")
                } else {
                    text
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_table_prints_as_comfy_table_prints_it(
            width in 20u16..160,
            columns in 1usize..6,
            rows in prop::collection::vec(prop::collection::vec(text(), 6), 0..12),
            per_slice in 1usize..5,
        ) {
            let header: Vec<String> = (0..columns).map(|c| format!("kolonne {c}")).collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let rows: Vec<Vec<String>> = rows.into_iter().map(|mut r| { r.truncate(columns); r }).collect();
            let (whole, sliced) = both(width, &header, &rows, per_slice);
            prop_assert_eq!(sliced, whole);
        }
    }
}
