//! `initiative list` and `initiative show`.

use std::fmt::Write as _;
use std::io::Write;

use super::Lang;
use super::ListFormat;
use super::Style;
use super::cell;
use super::new_table;
use super::opt_date;
use super::status_cell;
use super::terminal::Screen;
use super::terminal::hang;
use super::terminal::wrap;
use super::write_json;
use super::write_list;
use crate::error::Result;
use crate::model::Kind;
use crate::views::plan::InitiativeShow;
use crate::views::plan::ListedInitiative;

/// `initiative list`: a table (withdrawn ones marked), CSV or the contract's JSON.
pub fn initiative_list(
    rows: &[ListedInitiative],
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let w = lang.words();
    if format == ListFormat::Csv {
        let header = [
            "id",
            "title",
            "focus_area",
            "kind",
            "owner",
            "start",
            "due",
            "depends_on",
            "withdrawn",
            "status",
            "last_update",
        ];
        let cells = rows.iter().map(|r| {
            vec![
                r.id.clone(),
                r.title.clone(),
                r.focus_area.clone(),
                r.kind.to_string(),
                r.owner.clone(),
                opt_date(r.start),
                opt_date(r.due),
                r.depends_on.join(" "),
                r.withdrawn.to_string(),
                r.status.map_or_else(String::new, |s| s.to_string()),
                opt_date(r.last_update),
            ]
        });
        return write_list(out, format, style, rows, &header, cells);
    }
    if format == ListFormat::Json {
        return write_json(out, rows);
    }
    // Four columns fit 80: the title over its id (and what kind of item it is when it is not
    // an initiative of the plan), the owner, the latest status and its day, the due date.
    let mut t = new_table(style.color);
    t.set_header(vec![w.initiative, w.owner, w.status, w.due]);
    for r in rows {
        let mut marks = Vec::new();
        if r.kind != Kind::Initiative {
            marks.push(w.kind(r.kind).to_string());
        }
        if r.withdrawn {
            marks.push(w.withdrawn.to_string());
        }
        let id = std::iter::once(r.id.clone())
            .chain(marks)
            .collect::<Vec<_>>();
        let status = match r.last_update {
            Some(d) => format!("{}\n{}", w.status(r.status), lang.day_short(d)),
            None => w.status(r.status).to_string(),
        };
        t.add_row(vec![
            cell(format!("{}\n{}", r.title, id.join(" · "))),
            cell(&r.owner_name),
            status_cell(r.status, &status, style.color),
            cell(lang.opt_day_short(r.due)),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(())
}

/// `initiative show`: plain text (every user text neutralised), the model as JSON, or in
/// CSV its history, one row per update.
pub fn initiative_show(
    v: &InitiativeShow,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ListFormat::Json => return write_json(out, v),
        ListFormat::Csv => return super::history(&v.history, format, lang, style, out),
        ListFormat::Table => {}
    }
    let w = lang.words();
    // The values line up after the longest label.
    let label_width = w
        .show_fields
        .iter()
        .map(|f| f.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let [focus, kind, owner, ministry, participants, start, due, tags] =
        w.show_fields.map(|f| format!("{f}:"));
    let i = &v.initiative;
    let mut s = Screen::default();
    let width = usize::from(super::width());
    // A field and its value; a long value wraps under itself.
    let field = |s: &mut Screen, name: &str, value: &str| {
        s.push_str(&hang(&format!("  {name:<label_width$}"), value, width));
    };
    let with_id = |name: &str, id: &str| format!("{name} ({id})");
    s.push_str(&wrap(&format!("{} ({})", i.title, i.id), "", width));
    if v.withdrawn {
        let _ = writeln!(s, "  {}", w.withdrawn_from_plan);
    }
    field(&mut s, &focus, &with_id(&v.focus_area_title, &i.focus_area));
    field(&mut s, &kind, w.kind(i.kind));
    field(&mut s, &owner, &with_id(&v.owner_name, &i.owner));
    if let (Some(m), Some(name)) = (&i.ministry, &v.ministry_name) {
        field(&mut s, &ministry, &with_id(name, m));
    }
    if !i.participants.is_empty() {
        let names: Vec<String> = i
            .participants
            .iter()
            .zip(&v.participant_names)
            .map(|(id, name)| with_id(name, id))
            .collect();
        field(&mut s, &participants, &names.join(", "));
    }
    if let Some(d) = i.start {
        field(&mut s, &start, &lang.day_short(d));
    }
    if let Some(d) = i.due {
        field(&mut s, &due, &lang.day_short(d));
    }
    if !i.tags.is_empty() {
        field(&mut s, &tags, &i.tags.join(", "));
    }
    if let Some(d) = &i.description {
        s.push('\n');
        s.push_str(&wrap(&format!("  {d}"), "  ", width));
    }
    if !i.milestones.is_empty() {
        let _ = writeln!(s, "\n{}", w.milestones);
        for m in &i.milestones {
            let done = m.done.map_or_else(
                || w.open.to_string(),
                |d| format!("{} {}", w.done, lang.day_short(d)),
            );
            s.push_str(&hang(
                &format!("  {}  ", lang.day_short(m.due)),
                &format!("{}  ({done})", m.title),
                width,
            ));
        }
    }
    for (head, list) in [
        (w.depends_on_head, &v.dependencies),
        (w.depended_on_by, &v.dependants),
    ] {
        let _ = writeln!(s, "\n{head}");
        if list.is_empty() {
            let _ = writeln!(s, "  {}", w.nothing);
        }
        for d in list {
            s.push_str(&wrap(
                &format!("  {}", with_id(&d.name, &d.id)),
                "    ",
                width,
            ));
        }
    }
    let _ = writeln!(s, "\n{}", w.status_history);
    if v.history.is_empty() {
        let _ = writeln!(s, "  {}", w.no_updates);
    }
    for u in &v.history {
        let progress = u
            .update
            .progress
            .map_or_else(String::new, |p| format!(" {p} %"));
        let summary = u
            .update
            .answers
            .summary
            .as_deref()
            .map_or_else(String::new, |s| format!(" — {s}"));
        let retracted = u
            .retracted
            .as_ref()
            .map_or_else(String::new, |r| format!(" ({}: {})", w.retracted, r.reason));
        s.push_str(&hang(
            &format!("  {}  ", lang.day_short(u.update.reported_on)),
            &format!(
                "{}{progress}{summary}{retracted}",
                w.status(Some(u.update.status))
            ),
            width,
        ));
    }
    out.write_all(s.into_string().as_bytes())?;
    Ok(())
}
