//! Blank status forms for the yearly round: one per owner, listing the owner's initiatives
//! active that year, with last year's answers as comments. The fields to fill in are left
//! empty, so a form sent back unfilled is refused rather than recorded as a made-up status.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::Datelike;

use crate::error::Result;
use crate::model::Answers;
use crate::model::Initiative;
use crate::model::Status;
use crate::period::PeriodSpec;
use crate::render::Lang;
use crate::render::neutralise;
use crate::report::History;
use crate::report::is_active;
use crate::store::Store;

pub struct BlankForm {
    pub owner: String,
    pub file_name: String,
    pub text: String,
}

/// A TOML string literal, escaped by the toml crate.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text for the end of a comment line: one line, with no control character (a CR, ESC, …)
/// that would end the comment or break the TOML; see `render::neutralise`.
fn comment_line(text: &str) -> String {
    let one_line = text.replace("\r\n", " ").replace(['\n', '\r'], " ");
    neutralise(&one_line).into_owned()
}

/// Text as comment lines of at most about 90 characters, each prefixed with `#` so that no
/// line break in a user's answer can end the comment, and none holding a control character.
fn comment(out: &mut String, indent: &str, text: &str) {
    const WIDTH: usize = 90;
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty()
                && indent.len() + line.chars().count() + word.chars().count() >= WIDTH
            {
                let _ = writeln!(out, "#{indent}{}", neutralise(&line));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        let _ = writeln!(out, "#{indent}{}", neutralise(&line));
    }
}

pub fn blank_forms(
    store: &Store,
    strategy_id: &str,
    round: PeriodSpec,
    lang: Lang,
) -> Result<Vec<BlankForm>> {
    let year = round.first_day().year();
    let l = lang.labels();
    let nb = lang == Lang::Nb;
    let plan = store.plan_on(strategy_id, round.last_day())?;
    let strategy = store.resolve_strategy(Some(strategy_id))?;
    // The last status before the round began: what the owner reported last time.
    let last_year = round.first_day().pred_opt().unwrap_or(round.first_day());
    let updates = store.updates_until(strategy_id, last_year)?;
    let history = History::new(&updates);

    let mut by_owner: BTreeMap<&str, Vec<&Initiative>> = BTreeMap::new();
    for i in plan
        .plan
        .initiatives
        .iter()
        .filter(|i| is_active(i, &plan, &history, year))
    {
        by_owner.entry(i.owner.as_str()).or_default().push(i);
    }
    let words = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" | ");
    let mut forms = Vec::new();
    for (owner, initiatives) in by_owner {
        let org = plan.plan.organisations.iter().find(|o| o.id == owner);
        let org_name = comment_line(org.map_or(owner, |o| o.name.as_str()));
        let title = comment_line(&strategy.title);
        let owner_shown = comment_line(owner);
        let mut t = String::new();
        if nb {
            let _ = writeln!(t, "# Statusskjema {round} — {title}");
            let _ = writeln!(t, "# Ansvarlig virksomhet: {org_name} ({owner_shown})");
            let _ = writeln!(t, "#");
            let _ = writeln!(
                t,
                "# Fyll inn `reported_on` (datoen statusen gjelder for) og, for hvert initiativ,"
            );
            let _ = writeln!(t, "# `status` og svarene. Status er ett av: {words}");
            let _ = writeln!(
                t,
                "# (eller ikke-startet, i-rute, risiko, forsinket, ferdigstilt, pause, avbrutt)."
            );
            let _ = writeln!(
                t,
                "# Tomme svar regnes som ikke besvart. Linjer som starter med # er bare til hjelp."
            );
        } else {
            let _ = writeln!(t, "# Status form {round} — {title}");
            let _ = writeln!(t, "# Responsible agency: {org_name} ({owner_shown})");
            let _ = writeln!(t, "#");
            let _ = writeln!(
                t,
                "# Fill in `reported_on` (the day the status holds for) and, for each initiative,"
            );
            let _ = writeln!(t, "# `status` and the answers. Status is one of: {words}");
            let _ = writeln!(
                t,
                "# Empty answers count as not answered. Lines starting with # are only help."
            );
        }
        let _ = writeln!(t, "\n[form]");
        let _ = writeln!(t, "strategy = {}", quoted(strategy_id));
        let _ = writeln!(t, "owner = {}", quoted(owner));
        let _ = writeln!(t, "round = {}", quoted(&round.to_string()));
        let _ = writeln!(
            t,
            "reported_on = \"\"        # YYYY-MM-DD, e.g. {}",
            example_day(round)
        );
        let _ = writeln!(
            t,
            "respondent = \"\"         # {}",
            if nb {
                "rolle og virksomhet"
            } else {
                "role and agency"
            }
        );
        for i in initiatives {
            let _ = writeln!(t, "\n[[update]]");
            let _ = writeln!(
                t,
                "initiative = {}  # {}",
                quoted(&i.id),
                comment_line(&i.title)
            );
            match history.latest(&i.id, last_year) {
                Some(prev) => {
                    let u = &prev.update;
                    let progress = u.progress.map_or_else(String::new, |p| format!(", {p} %"));
                    let head = if nb { "Forrige status" } else { "Last status" };
                    let _ = writeln!(t, "# {head} ({}): {}{progress}", u.reported_on, u.status);
                    if let Some(s) = &u.answers.summary {
                        let _ = writeln!(t, "#   {}:", l.progress_text);
                        comment(&mut t, "     ", s);
                    }
                    for (field, answer) in u.answers.questionnaire() {
                        let _ = writeln!(t, "#   {}:", l.question(field));
                        comment(&mut t, "     ", answer);
                    }
                }
                None => {
                    let _ = writeln!(
                        t,
                        "# {}",
                        if nb {
                            "Ingen tidligere status."
                        } else {
                            "No earlier status."
                        }
                    );
                }
            }
            let _ = writeln!(t, "status = \"\"");
            let _ = writeln!(
                t,
                "# progress = 0        # {}",
                if nb {
                    "valgfritt, 0–100 prosent"
                } else {
                    "optional, 0–100 percent"
                }
            );
            for field in Answers::FIELDS {
                let question = if field == "summary" {
                    l.progress_text
                } else {
                    l.question(field)
                };
                let _ = writeln!(t, "{field} = \"\"  # {question}");
            }
        }
        forms.push(BlankForm {
            owner: owner.to_string(),
            file_name: format!("{round}-{owner}.toml"),
            text: t,
        });
    }
    Ok(forms)
}

/// A plausible day to report on in a round: late in it, before the end-of-period rush.
fn example_day(round: PeriodSpec) -> chrono::NaiveDate {
    let last = round.last_day();
    last.with_day(last.day().min(30))
        .and_then(|d| d.with_month(if last.month() == 12 { 11 } else { 5 }))
        .unwrap_or(last)
}
