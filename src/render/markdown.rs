//! The report as Markdown that reads well on a code-hosting site.

use std::fmt::Write;

use super::Lang;
use super::terminal::milestone;
use super::terminal::progress;
use super::terminal::totals_line;
use super::terminal::year_ago;
use crate::report::Report;

/// Escapes what Markdown would read as markup inside a table cell or a line of text.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, header: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| md(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

pub fn report_markdown(r: &Report, lang: Lang) -> String {
    let l = lang.labels();
    let mut out = String::new();
    let title = r
        .title
        .clone()
        .unwrap_or_else(|| format!("{} {}", l.report, r.year));
    let _ = writeln!(out, "# {}\n", md(&title));
    let _ = writeln!(
        out,
        "**{}** · {} {}–{} · {} {}\n",
        md(&r.strategy.title),
        l.period,
        r.strategy.period.start,
        r.strategy.period.end,
        l.as_of,
        l.day(r.as_of)
    );
    if !r.summary.is_empty() {
        let _ = writeln!(out, "## {}\n", l.summary);
        for s in &r.summary {
            let _ = writeln!(out, "- {}", md(s));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", l.on_track_title);
    let _ = writeln!(
        out,
        "**{}:** {}\n",
        l.overall,
        totals_line(l, &r.totals, &r.previous_totals)
    );
    if let Some(share) = r.on_track_share {
        let _ = writeln!(out, "{}: **{share:.0} %**\n", l.on_track_share);
    }
    table(
        &mut out,
        &[l.focus_area, l.status],
        r.focus_areas.iter().map(|fa| {
            vec![
                fa.title.clone(),
                totals_line(l, &fa.totals, &fa.previous_totals),
            ]
        }),
    );

    for fa in &r.focus_areas {
        let _ = writeln!(out, "## {}\n", md(&fa.title));
        let _ = writeln!(out, "**{}** {}\n", l.goal, md(&fa.goal));
        if let Some(p) = &fa.progress {
            let _ = writeln!(out, "**{}** {}\n", l.progress_text, md(p));
        }
        if fa.initiatives.is_empty() {
            let _ = writeln!(out, "_{}_\n", l.no_initiatives);
        } else {
            table(
                &mut out,
                &[
                    l.initiative,
                    l.owner,
                    l.status,
                    l.year_ago,
                    l.progress,
                    l.next_milestone,
                    l.blocked_by,
                    l.last_update,
                ],
                fa.initiatives.iter().map(|i| {
                    vec![
                        format!("{} ({})", i.title, i.id),
                        i.owner_name.clone(),
                        l.status(i.status).to_string(),
                        year_ago(l, i),
                        progress(i),
                        milestone(i, l),
                        i.blocked_by.join(", "),
                        l.opt_day_short(i.last_update),
                    ]
                }),
            );
        }
        if !fa.proposed.is_empty() {
            let _ = writeln!(out, "**{}:**\n", l.proposed);
            for p in &fa.proposed {
                let _ = writeln!(out, "- {} ({})", md(&p.title), md(&p.id));
            }
            out.push('\n');
        }
    }

    let groups = super::indicator_groups(r, l);
    if !groups.is_empty() {
        let _ = writeln!(out, "## {}\n", l.indicators);
        for (area, indicators) in groups {
            let _ = writeln!(out, "### {}\n", md(&area));
            let rows = indicators
                .into_iter()
                .flat_map(|(_, rows)| rows.into_iter().map(|r| r.to_vec()));
            table(
                &mut out,
                &[
                    l.indicator,
                    l.segment,
                    l.latest,
                    l.change,
                    l.target,
                    l.course,
                ],
                rows,
            );
        }
    }

    let _ = writeln!(out, "## {}\n", l.changes);
    if r.changes.is_empty() {
        let _ = writeln!(out, "{}\n", l.no_changes);
    }
    for (label, items) in [
        (l.completed, &r.changes.completed),
        (l.started, &r.changes.started),
        (l.new_in_plan, &r.changes.new_in_plan),
        (l.withdrawn, &r.changes.withdrawn),
    ] {
        if !items.is_empty() {
            let names: Vec<String> = items.iter().map(|i| md(&i.title)).collect();
            let _ = writeln!(out, "- **{label}:** {}", names.join("; "));
        }
    }
    for s in &r.changes.slipped {
        let _ = writeln!(
            out,
            "- **{}:** {} {} → {}",
            l.slipped,
            md(&s.title),
            l.day(s.from),
            l.day(s.to)
        );
    }
    if !r.changes.is_empty() {
        out.push('\n');
    }

    if !r.corrections.is_empty() {
        let _ = writeln!(out, "## {}\n", l.corrections);
        table(
            &mut out,
            &[l.initiative, l.reported_on, l.status, l.reason],
            r.corrections.iter().map(|c| {
                vec![
                    format!("{} ({})", c.title, c.id),
                    l.day_short(c.reported_on),
                    l.status(Some(c.status)).to_string(),
                    c.reason.clone(),
                ]
            }),
        );
    }

    let _ = writeln!(out, "## {}\n", l.missing);
    if r.missing.is_empty() {
        let _ = writeln!(out, "{}\n", l.no_missing);
    } else {
        table(
            &mut out,
            &[l.owner, l.initiative, l.last_update],
            r.missing.iter().map(|m| {
                vec![
                    m.owner_name.clone(),
                    format!("{} ({})", m.title, m.id),
                    l.opt_day_short(m.last_update),
                ]
            }),
        );
    }

    for (label, sections) in [
        (l.drivers, &r.drivers),
        (l.recommendations, &r.recommendations),
    ] {
        if sections.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {label}\n");
        for s in sections {
            let _ = writeln!(out, "### {}\n\n{}\n", md(&s.title), md(&s.text));
        }
    }

    if !r.advice.is_empty() {
        let _ = writeln!(out, "## {}\n", l.advice);
        table(
            &mut out,
            &[l.recommendations, l.advice_year, l.status, l.note],
            r.advice.iter().map(|a| {
                vec![
                    a.title.clone(),
                    a.year.to_string(),
                    l.follow_up(a.status).to_string(),
                    a.note.clone().unwrap_or_default(),
                ]
            }),
        );
    }

    if !r.appendix.is_empty() {
        let _ = writeln!(out, "## {}\n", l.appendix);
        for a in &r.appendix {
            let _ = writeln!(out, "### {} ({})\n", md(&a.title), md(&a.id));
            let who = a.respondent.as_deref().map_or_else(
                || a.owner_name.clone(),
                |w| format!("{w}, {}", a.owner_name),
            );
            let day = l.day(a.reported_on);
            let _ = writeln!(out, "_{}: {}, {day}_\n", l.respondent, md(&who));
            for (field, answer) in &a.answers {
                let _ = writeln!(out, "**{}**\n\n{}\n", l.question(field), md(answer));
            }
        }
    }
    let _ = writeln!(out, "---\n\n_{}_", md(&super::footer(r, l)));
    // Markdown is read on terminals too: no control character reaches one.
    super::neutralise(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(md("a|b\nc"), "a\\|b<br>c");
        assert_eq!(md("<script>"), "\\<script\\>");
    }
}
