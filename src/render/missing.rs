//! `missing`: a table grouped by owner for the terminal, a mail-merge list as CSV (one row per
//! owner: one letter each), the rows as JSON.

use std::io::Write;

use super::Lang;
use super::ListFormat;
use super::Style;
use super::cell;
use super::new_table;
use super::write_csv;
use super::write_json;
use crate::error::Result;
use crate::views::missing::Missing;

/// The CSV's columns: what a mail merge fills a letter with. Keys, not labels: the same in
/// every language.
pub const CSV_HEADER: [&str; 8] = [
    "owner",
    "organisation",
    "contact",
    "email",
    "round",
    "count",
    "initiatives",
    "initiative_ids",
];

pub fn missing(
    m: &Missing,
    format: ListFormat,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> Result<()> {
    let w = lang.words();
    match format {
        ListFormat::Json => write_json(out, &m.rows),
        ListFormat::Csv => write_csv(
            out,
            &CSV_HEADER,
            m.by_owner().map(|rows| {
                let first = &rows[0];
                let contact = first.contact.as_ref();
                let titles: Vec<String> = rows
                    .iter()
                    .map(|r| format!("{} ({})", r.title, r.id))
                    .collect();
                let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
                vec![
                    first.owner.clone(),
                    first.organisation.clone(),
                    contact.and_then(|c| c.name.clone()).unwrap_or_default(),
                    contact.map(|c| c.email.clone()).unwrap_or_default(),
                    m.round.clone(),
                    rows.len().to_string(),
                    titles.join("; "),
                    ids.join(" "),
                ]
            }),
        ),
        ListFormat::Table if m.rows.is_empty() => {
            writeln!(out, "{}", w.no_missing)?;
            Ok(())
        }
        ListFormat::Table => {
            let mut t = new_table(style.color);
            // Whom to write to, when the plan names anyone.
            let contacts = m.rows.iter().any(|r| r.contact.is_some());
            let mut header = vec![w.owner, w.contact, w.initiative, w.title, w.last_update];
            if !contacts {
                header.remove(1);
            }
            t.set_header(header);
            for rows in m.by_owner() {
                // The owner and whom to write to once, its initiatives under it.
                for (k, r) in rows.iter().enumerate() {
                    let (owner, contact) = if k == 0 {
                        let contact =
                            r.contact
                                .as_ref()
                                .map_or_else(String::new, |c| match &c.name {
                                    Some(name) => format!("{name}\n{}", c.email),
                                    None => c.email.clone(),
                                });
                        (r.owner_name.clone(), contact)
                    } else {
                        (String::new(), String::new())
                    };
                    let mut row = vec![
                        cell(owner),
                        cell(contact),
                        cell(&r.id),
                        cell(&r.title),
                        cell(lang.opt_day_short(r.last_update)),
                    ];
                    if !contacts {
                        row.remove(1);
                    }
                    t.add_row(row);
                }
            }
            writeln!(out, "{t}")?;
            Ok(())
        }
    }
}
