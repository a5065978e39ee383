//! `initiative list` and `initiative show`.

use std::fmt::Write as _;
use std::io::Write;

use super::ListFormat;
use super::Style;
use super::cell;
use super::new_table;
use super::opt_date;
use super::status_cell;
use super::status_label;
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
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
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
    t.set_header(vec!["initiative", "owner", "status", "due"]);
    for r in rows {
        let mut marks = Vec::new();
        if r.kind != Kind::Initiative {
            marks.push(r.kind.to_string());
        }
        if r.withdrawn {
            marks.push("withdrawn".to_string());
        }
        let id = std::iter::once(r.id.clone())
            .chain(marks)
            .collect::<Vec<_>>();
        let status = match r.last_update {
            Some(d) => format!("{}\n{d}", status_label(r.status)),
            None => status_label(r.status),
        };
        t.add_row(vec![
            cell(format!("{}\n{}", r.title, id.join(" · "))),
            cell(&r.owner_name),
            status_cell(r.status, &status, style.color),
            cell(opt_date(r.due)),
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
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ListFormat::Json => return write_json(out, v),
        ListFormat::Csv => return super::history(&v.history, format, style, out),
        ListFormat::Table => {}
    }
    let i = &v.initiative;
    let mut s = Screen::default();
    let width = usize::from(super::width());
    // A field and its value; a long value wraps under itself.
    let field = |s: &mut Screen, name: &str, value: &str| {
        s.push_str(&hang(&format!("  {name:<14}"), value, width));
    };
    let with_id = |name: &str, id: &str| format!("{name} ({id})");
    s.push_str(&wrap(&format!("{} ({})", i.title, i.id), "", width));
    if v.withdrawn {
        let _ = writeln!(s, "  WITHDRAWN from the plan");
    }
    field(
        &mut s,
        "focus area:",
        &with_id(&v.focus_area_title, &i.focus_area),
    );
    field(&mut s, "kind:", i.kind.as_str());
    field(&mut s, "owner:", &with_id(&v.owner_name, &i.owner));
    if let (Some(m), Some(name)) = (&i.ministry, &v.ministry_name) {
        field(&mut s, "ministry:", &with_id(name, m));
    }
    if !i.participants.is_empty() {
        let names: Vec<String> = i
            .participants
            .iter()
            .zip(&v.participant_names)
            .map(|(id, name)| with_id(name, id))
            .collect();
        field(&mut s, "participants:", &names.join(", "));
    }
    if let Some(start) = i.start {
        field(&mut s, "start:", &start.to_string());
    }
    if let Some(due) = i.due {
        field(&mut s, "due:", &due.to_string());
    }
    if !i.tags.is_empty() {
        field(&mut s, "tags:", &i.tags.join(", "));
    }
    if let Some(d) = &i.description {
        s.push('\n');
        s.push_str(&wrap(&format!("  {d}"), "  ", width));
    }
    if !i.milestones.is_empty() {
        let _ = writeln!(s, "\nMilestones");
        for m in &i.milestones {
            let done = m
                .done
                .map_or_else(|| "open".to_string(), |d| format!("done {d}"));
            s.push_str(&hang(
                &format!("  {}  ", m.due),
                &format!("{}  ({done})", m.title),
                width,
            ));
        }
    }
    for (head, list) in [
        ("Depends on", &v.dependencies),
        ("Depended on by", &v.dependants),
    ] {
        let _ = writeln!(s, "\n{head}");
        if list.is_empty() {
            let _ = writeln!(s, "  nothing");
        }
        for d in list {
            s.push_str(&wrap(
                &format!("  {}", with_id(&d.name, &d.id)),
                "    ",
                width,
            ));
        }
    }
    let _ = writeln!(s, "\nStatus history");
    if v.history.is_empty() {
        let _ = writeln!(s, "  no updates yet");
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
            .map_or_else(String::new, |r| format!(" (retracted: {})", r.reason));
        s.push_str(&hang(
            &format!("  {}  ", u.update.reported_on),
            &format!("{}{progress}{summary}{retracted}", u.update.status),
            width,
        ));
    }
    out.write_all(s.into_string().as_bytes())?;
    Ok(())
}
