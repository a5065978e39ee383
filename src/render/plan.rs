//! `initiative list` and `initiative show`.

use std::fmt::Write as _;
use std::io::Write;

use super::Lang;
use super::ListFormat;
use super::Style;
use super::opt_date;
use super::terminal::Screen;
use super::write_json;
use super::write_list;
use crate::error::Result;
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
            ]
        });
        return write_list(out, format, style, rows, &header, cells);
    }
    let header = [
        w.id,
        w.title,
        w.focus_area,
        w.kind,
        w.owner,
        w.due,
        w.depends_on,
    ];
    let cells = rows.iter().map(|r| {
        vec![
            if r.withdrawn {
                format!("{} ({})", r.id, w.withdrawn)
            } else {
                r.id.clone()
            },
            r.title.clone(),
            r.focus_area.clone(),
            w.kind(r.kind).to_string(),
            r.owner.clone(),
            lang.opt_day_short(r.due),
            r.depends_on.join(", "),
        ]
    });
    write_list(out, format, style, rows, &header, cells)
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
    let i = &v.initiative;
    let mut s = Screen::default();
    let with_id = |name: &str, id: &str| format!("{name} ({id})");
    // The values line up after the longest label.
    let width = w
        .show_fields
        .iter()
        .map(|f| f.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let [focus, kind, owner, ministry, participants, dates, tags] =
        w.show_fields.map(|f| format!("{f}:"));
    let _ = writeln!(s, "{} ({})", i.title, i.id);
    if v.withdrawn {
        let _ = writeln!(s, "  {}", w.withdrawn_from_plan);
    }
    let _ = writeln!(
        s,
        "  {focus:<width$}{}",
        with_id(&v.focus_area_title, &i.focus_area)
    );
    let _ = writeln!(s, "  {kind:<width$}{}", w.kind(i.kind));
    let _ = writeln!(s, "  {owner:<width$}{}", with_id(&v.owner_name, &i.owner));
    if let (Some(m), Some(name)) = (&i.ministry, &v.ministry_name) {
        let _ = writeln!(s, "  {ministry:<width$}{}", with_id(name, m));
    }
    if !i.participants.is_empty() {
        let names: Vec<String> = i
            .participants
            .iter()
            .zip(&v.participant_names)
            .map(|(id, name)| with_id(name, id))
            .collect();
        let _ = writeln!(s, "  {participants:<width$}{}", names.join(", "));
    }
    if i.start.is_some() || i.due.is_some() {
        let _ = writeln!(
            s,
            "  {dates:<width$}{} – {}",
            lang.opt_day_short(i.start),
            lang.opt_day_short(i.due)
        );
    }
    if !i.tags.is_empty() {
        let _ = writeln!(s, "  {tags:<width$}{}", i.tags.join(", "));
    }
    if let Some(d) = &i.description {
        let _ = writeln!(s, "\n  {d}");
    }
    if !i.milestones.is_empty() {
        let _ = writeln!(s, "\n{}", w.milestones);
        for m in &i.milestones {
            let done = m.done.map_or_else(
                || w.open.to_string(),
                |d| format!("{} {}", w.done, lang.day_short(d)),
            );
            let _ = writeln!(s, "  {}  {}  ({done})", lang.day_short(m.due), m.title);
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
            let _ = writeln!(s, "  {}", with_id(&d.name, &d.id));
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
        let _ = writeln!(
            s,
            "  {}  {}{progress}{summary}{retracted}",
            lang.day_short(u.update.reported_on),
            w.status(Some(u.update.status))
        );
    }
    out.write_all(s.into_string().as_bytes())?;
    Ok(())
}
