//! Blank status forms for the yearly round: one per owner, listing the owner's initiatives
//! active that year, with last year's answers as comments. The fields to fill in are left
//! empty, so a form sent back unfilled is refused rather than recorded as a made-up status.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt::Write;
use std::path::PathBuf;

use chrono::Datelike;

use crate::error::Result;
use crate::model::Answers;
use crate::model::Initiative;
use crate::model::Status;
use crate::model::Update;
use crate::period::PeriodSpec;
use crate::render::Lang;
use crate::report::History;
use crate::report::end_of_year;
use crate::report::is_active;
use crate::store::Store;
use crate::store::StoredPlan;
use crate::store::UpdateMark;

pub mod xlsx;

/// What a round asks, before any update's text is read: the plan, and per owner (in id order)
/// the initiatives active in the round, each with the id of its latest update before the round
/// began. Each owner's part is read whole, one at a time, by [`RoundForms::owner_round`].
pub struct RoundForms {
    pub strategy_id: String,
    pub strategy_title: String,
    pub round: PeriodSpec,
    plan: StoredPlan,
    owners: Vec<OwnerUpdates>,
}

/// One owner's active initiatives, by place in the plan, and their latest updates, by id.
struct OwnerUpdates {
    owner: String,
    initiatives: Vec<(usize, Option<i64>)>,
}

/// One owner's part of a round.
pub struct OwnerRound<'a> {
    pub owner: &'a str,
    /// The organisation's full name.
    pub name: &'a str,
    /// Each active initiative, with its latest update before the round began.
    pub initiatives: Vec<(&'a Initiative, Option<Update>)>,
}

/// The owners of the initiatives active in a round, in id order, and what each is asked.
pub fn round_forms(store: &Store, strategy_id: &str, round: PeriodSpec) -> Result<RoundForms> {
    let year = round.first_day().year();
    let plan = store.plan_on(strategy_id, round.last_day())?;
    let strategy = store.resolve_strategy(Some(strategy_id))?;
    // The last status before the round began: what the owner reported last time.
    let last_year = round.first_day().pred_opt().unwrap_or(round.first_day());
    // Marks, not whole updates: each initiative's status at the end of the year before (is it
    // active?) and its latest update before the round, read whole owner by owner. A year's
    // round began the day after that year's end; a second half-year's, half a year later.
    let year_before = end_of_year(year - 1);
    let marks = UpdateMark::in_history_order(
        store.update_marks_until(strategy_id, year_before)?,
        store.update_marks_after(strategy_id, year_before, last_year)?,
    );
    let history = History::new(&marks);

    let mut by_owner: BTreeMap<&str, Vec<(usize, Option<i64>)>> = BTreeMap::new();
    for (k, i) in plan.plan.initiatives.iter().enumerate() {
        if is_active(i, &plan, &history, year) {
            let last = history.latest(&i.id, last_year).map(|m| m.id);
            by_owner
                .entry(i.owner.as_str())
                .or_default()
                .push((k, last));
        }
    }
    let owners = by_owner
        .into_iter()
        .map(|(owner, initiatives)| OwnerUpdates {
            owner: owner.to_string(),
            initiatives,
        })
        .collect();
    Ok(RoundForms {
        strategy_id: strategy_id.to_string(),
        strategy_title: strategy.title,
        round,
        plan,
        owners,
    })
}

impl RoundForms {
    /// The owners asked, in id order.
    pub fn owners(&self) -> impl Iterator<Item = &str> {
        self.owners.iter().map(|o| o.owner.as_str())
    }

    /// The `k`th owner's part (in the order of [`RoundForms::owners`]), with its initiatives'
    /// latest updates read whole: one read by id per owner.
    pub fn owner_round(&self, store: &Store, k: usize) -> Result<OwnerRound<'_>> {
        let Some(o) = self.owners.get(k) else {
            return Err(crate::Error::refused(format!(
                "no owner number {k} in the round"
            )));
        };
        let ids: Vec<i64> = o.initiatives.iter().filter_map(|(_, id)| *id).collect();
        let mut whole: HashMap<i64, Update> = store
            .updates_by_id(&ids)?
            .into_iter()
            .map(|u| (u.id, u.update))
            .collect();
        let plan = &self.plan.plan;
        let org = plan.organisations.iter().find(|org| org.id == o.owner);
        Ok(OwnerRound {
            owner: &o.owner,
            name: org.map_or(o.owner.as_str(), |org| org.name.as_str()),
            initiatives: o
                .initiatives
                .iter()
                .filter_map(|(place, id)| {
                    let last = id.and_then(|id| whole.remove(&id));
                    Some((plan.initiatives.get(*place)?, last))
                })
                .collect(),
        })
    }
}

/// Text for a comment line: on one line, with no control character (a CR would end the
/// comment as surely as a newline, and an escape would reach the terminal of whoever `cat`s the
/// form).
fn comment_line(s: &str) -> String {
    crate::render::neutralise(&s.replace(['\n', '\r'], " ")).into_owned()
}

/// The two kinds of blank form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Toml,
    Xlsx,
}

/// `forms ROUND --out DIR`: one blank form per owner with initiatives active in the round,
/// written all or none into `dir` (nothing that exists is overwritten without `force`; see
/// `output::create_files`). `None` when no initiative is active in the round.
pub fn write_round(
    store: &Store,
    strategy: Option<&str>,
    round: PeriodSpec,
    kind: FormKind,
    lang: Lang,
    dir: &std::path::Path,
    force: bool,
) -> Result<Option<crate::output::Created>> {
    // One snapshot: the owners and updates chosen first and the updates read whole for each
    // form later agree, whatever is loaded meanwhile (and a form made twice is made the same).
    store.snapshot(|store| {
        let strategy = store.resolve_strategy(strategy)?;
        crate::views::check_year(&strategy, round.first_day().year())?;
        let forms = round_forms(store, &strategy.id, round)?;
        let extension = match kind {
            FormKind::Toml => "toml",
            FormKind::Xlsx => "xlsx",
        };
        let names: Vec<PathBuf> = forms
            .owners()
            .map(|owner| format!("{round}-{owner}.{extension}").into())
            .collect();
        if names.is_empty() {
            return Ok(None);
        }
        // Each owner's form is made as it is written, then dropped: one owner's updates and
        // form in memory at a time, however many owners.
        crate::output::create_files_from(dir, force, |files| {
            for (k, name) in names.iter().enumerate() {
                let o = forms.owner_round(store, k)?;
                let form = match kind {
                    FormKind::Toml => blank_form(&forms, &o, lang),
                    FormKind::Xlsx => xlsx::blank_workbook(&forms, &o, lang)?,
                };
                files.add(name, &form);
            }
            Ok(())
        })
        .map(Some)
    })
}

/// A TOML string literal, escaped by the toml crate.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text as comment lines of at most about 90 characters, each prefixed with `#` so that no
/// line break in a user's answer can end the comment.
fn comment(out: &mut String, indent: &str, text: &str) {
    const WIDTH: usize = 90;
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty()
                && indent.len() + line.chars().count() + word.chars().count() >= WIDTH
            {
                let _ = writeln!(out, "#{indent}{}", crate::render::neutralise(&line));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        let _ = writeln!(out, "#{indent}{}", crate::render::neutralise(&line));
    }
}

/// One owner's form as TOML.
pub fn blank_form(forms: &RoundForms, o: &OwnerRound<'_>, lang: Lang) -> Vec<u8> {
    let l = lang.labels();
    let nb = lang == Lang::Nb;
    let (round, strategy_id) = (forms.round, forms.strategy_id.as_str());
    let strategy_title = comment_line(&forms.strategy_title);
    // The status words a respondent writes: the form's language's own.
    let words = Status::ALL
        .iter()
        .map(|s| if nb { l.status(Some(*s)) } else { s.as_str() })
        .collect::<Vec<_>>()
        .join(if nb { ", " } else { " | " });
    let owner = o.owner;
    let (org_name, owner_shown) = (comment_line(o.name), comment_line(owner));
    let mut t = String::new();
    if nb {
        let _ = writeln!(t, "# Statusskjema {round} — {strategy_title}");
        let _ = writeln!(t, "# Ansvarlig virksomhet: {org_name} ({owner_shown})");
        let _ = writeln!(t, "#");
        let _ = writeln!(
            t,
            "# Fyll inn `reported_on` (datoen statusen gjelder for) og, for hvert initiativ,"
        );
        let _ = writeln!(
            t,
            "# `status` og svarene. Skriv status med ett av disse ordene:"
        );
        let _ = writeln!(t, "# {words}.");
        let _ = writeln!(
            t,
            "# Tomme svar regnes som ikke besvart. Linjer som starter med #, er bare til hjelp."
        );
    } else {
        let _ = writeln!(t, "# Status form {round} — {strategy_title}");
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
    let example = example_day(round);
    let _ = if nb {
        writeln!(
            t,
            "reported_on = \"\"        # datoen, for eksempel \"{}\"",
            example.format("%d.%m.%Y")
        )
    } else {
        writeln!(t, "reported_on = \"\"        # YYYY-MM-DD, e.g. {example}")
    };
    let _ = writeln!(
        t,
        "respondent = \"\"         # {}",
        if nb {
            "rolle og virksomhet"
        } else {
            "role and agency"
        }
    );
    for (i, last) in &o.initiatives {
        let _ = writeln!(t, "\n[[update]]");
        let _ = writeln!(
            t,
            "initiative = {}  # {}",
            quoted(&i.id),
            comment_line(&i.title)
        );
        match last {
            Some(u) => {
                let progress = u.progress.map_or_else(String::new, |p| format!(", {p} %"));
                let (head, day, status) = if nb {
                    (
                        "Forrige status",
                        lang.day(u.reported_on),
                        l.status(Some(u.status)),
                    )
                } else {
                    ("Last status", u.reported_on.to_string(), u.status.as_str())
                };
                let _ = writeln!(t, "# {head} ({day}): {status}{progress}");
                if let Some(s) = &u.answers.summary {
                    let _ = writeln!(t, "#   {}", heading(l.progress_text));
                    comment(&mut t, "     ", s);
                }
                for (field, answer) in u.answers.questionnaire() {
                    let _ = writeln!(t, "#   {}", heading(l.question(field)));
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
    t.into_bytes()
}

/// A question or label as the heading of an earlier answer: a question keeps its question
/// mark alone ("Hvordan går arbeidet?"), anything else gets a colon.
fn heading(label: &str) -> String {
    if label.ends_with('?') {
        label.to_string()
    } else {
        format!("{label}:")
    }
}

/// A plausible day to report on in a round: late in it, before the end-of-period rush.
fn example_day(round: PeriodSpec) -> chrono::NaiveDate {
    let last = round.last_day();
    last.with_day(last.day().min(30))
        .and_then(|d| d.with_month(if last.month() == 12 { 11 } else { 5 }))
        .unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::model::Organisation;
    use crate::testing::*;

    /// Two owners' initiatives with histories that decide both what a round asks and what it
    /// shows: `b` completed and `h` cancelled before 2021, `g` completed within it, `d` twice
    /// on one day, `e` proposed, `f` starting in 2023, `c` silent, and `a`'s latest update
    /// retracted after 2022 began. Recorded in three loads, for stores known at a past moment.
    fn fixture() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let mut p = plan(
            ["a", "b", "c", "d", "e", "f", "g", "h"]
                .iter()
                .map(|id| initiative(id, &[]))
                .collect(),
        );
        p.organisations.push(Organisation {
            id: "other".into(),
            name: "Other agency".into(),
            short: None,
            kind: None,
            contact: None,
        });
        for i in &mut p.initiatives {
            if ["c", "d", "f", "g"].contains(&i.id.as_str()) {
                i.owner = "other".into();
            }
            match i.id.as_str() {
                "e" => i.kind = Kind::Proposed,
                "f" => i.start = Some(day("2023-01-01")),
                _ => {}
            }
        }
        load_plan(&mut store, p, "2020-01-15");
        let answered = Answers {
            summary: Some("Slower than planned.".into()),
            lessons: Some("Start earlier.".into()),
            ..Answers::default()
        };
        record(
            &mut store,
            "2021-01-10",
            &[
                ("a", Status::OnTrack, "2020-06-01", None),
                ("b", Status::Completed, "2020-11-01", None),
                ("h", Status::Cancelled, "2020-03-01", None),
            ],
        );
        record(
            &mut store,
            "2021-07-10",
            &[
                ("a", Status::Delayed, "2021-03-01", Some(answered)),
                ("d", Status::OnTrack, "2021-03-01", None),
                ("g", Status::Completed, "2021-05-01", None),
                ("h", Status::OnTrack, "2021-02-01", None),
            ],
        );
        record(
            &mut store,
            "2022-01-10",
            &[
                ("a", Status::AtRisk, "2021-09-01", None),
                ("d", Status::Delayed, "2021-03-01", None),
            ],
        );
        let at_risk = store
            .updates_until("s", day("2021-12-31"))
            .unwrap()
            .into_iter()
            .find(|u| u.update.status == Status::AtRisk)
            .unwrap();
        store
            .retract(at_risk.id, "reported by mistake", None, at("2022-02-01"))
            .unwrap();
        store
    }

    /// One load of updates (initiative, status, day, answers), recorded at noon on `when`.
    fn record(store: &mut Store, when: &str, updates: &[(&str, Status, &str, Option<Answers>)]) {
        let updates = updates
            .iter()
            .map(|(id, status, on, answers)| Update {
                initiative: id.to_string(),
                status: *status,
                progress: Some(40),
                reported_on: day(on),
                answers: answers.clone().unwrap_or_default(),
                respondent: Some("Head of unit".into()),
                basis: None,
                source: None,
            })
            .collect();
        crate::testing::record_updates(store, updates, when, when);
    }

    /// Per owner: its id, its name, and each initiative asked with the update shown.
    type Asked = Vec<(String, String, Vec<(String, Option<Update>)>)>;

    /// What a round asks, owner by owner as its forms are written.
    fn asked(store: &Store, round: PeriodSpec) -> Asked {
        let forms = round_forms(store, "s", round).unwrap();
        (0..forms.owners().count())
            .map(|k| {
                let o = forms.owner_round(store, k).unwrap();
                let initiatives = o
                    .initiatives
                    .into_iter()
                    .map(|(i, last)| (i.id.clone(), last))
                    .collect();
                (o.owner.to_string(), o.name.to_string(), initiatives)
            })
            .collect()
    }

    /// What the round asked when it read every update whole: the latest before the round, of
    /// each initiative active by the report's rule.
    fn asked_of_whole_history(store: &Store, round: PeriodSpec) -> Asked {
        let year = round.first_day().year();
        let plan = store.plan_on("s", round.last_day()).unwrap();
        let last_year = round.first_day().pred_opt().unwrap();
        let updates = store.updates_until("s", last_year).unwrap();
        let history = History::new(&updates);
        let mut by_owner: BTreeMap<String, Vec<(String, Option<Update>)>> = BTreeMap::new();
        for i in &plan.plan.initiatives {
            if is_active(i, &plan, &history, year) {
                let last = history.latest(&i.id, last_year).map(|u| u.update.clone());
                by_owner
                    .entry(i.owner.clone())
                    .or_default()
                    .push((i.id.clone(), last));
            }
        }
        by_owner
            .into_iter()
            .map(|(owner, initiatives)| {
                let org = plan.plan.organisations.iter().find(|o| o.id == owner);
                let name = org.map_or(owner.clone(), |o| o.name.clone());
                (owner, name, initiatives)
            })
            .collect()
    }

    /// The files written, by name: each owner's form as made from the whole history, also when
    /// written again over forms already there (the same, or one changed, with `force`).
    #[test]
    fn each_owners_form_is_written_as_the_whole_history_made_it() {
        let store = fixture();
        let tmp = tempfile::tempdir().unwrap();
        for (round, lang) in [("2022", Lang::En), ("2021H2", Lang::Nb)] {
            let round = crate::parse::form::parse_round(round).unwrap();
            let forms = round_forms(&store, "s", round).unwrap();
            let plan = store.plan_on("s", round.last_day()).unwrap();
            let dir = tmp.path().join(round.to_string());
            let expected: Vec<(PathBuf, Vec<u8>)> = asked_of_whole_history(&store, round)
                .into_iter()
                .map(|(owner, name, asked)| {
                    let initiatives = asked
                        .into_iter()
                        .map(|(id, last)| {
                            (
                                plan.plan.initiatives.iter().find(|i| i.id == id).unwrap(),
                                last,
                            )
                        })
                        .collect();
                    let o = OwnerRound {
                        owner: &owner,
                        name: &name,
                        initiatives,
                    };
                    let file = dir.join(format!("{round}-{owner}.toml"));
                    (file, blank_form(&forms, &o, lang))
                })
                .collect();
            let write = |force| {
                write_round(&store, None, round, FormKind::Toml, lang, &dir, force)
                    .unwrap()
                    .unwrap()
            };
            let files: Vec<PathBuf> = expected.iter().map(|(f, _)| f.clone()).collect();
            assert_eq!(write(false).written, files);
            assert_eq!(write(false).unchanged, files);
            std::fs::write(&files[0], "filled in").unwrap();
            assert_eq!(write(true).written, files[..1]);
            for (file, content) in &expected {
                assert_eq!(&std::fs::read(file).unwrap(), content, "{}", file.display());
            }
        }
    }

    /// Marks and a read by id ask the same as the whole history did, for years and half-years,
    /// on the record as it stands and as it stood at two past moments.
    #[test]
    fn a_round_asks_what_the_whole_history_gave() {
        let rounds = [
            "2021", "2021H1", "2021H2", "2022", "2022H1", "2022H2", "2023",
        ]
        .map(|r| crate::parse::form::parse_round(r).unwrap());
        let stores = [
            fixture(),
            fixture().known_at(at("2021-07-15")),
            fixture().known_at(at("2022-01-20")),
        ];
        for (k, store) in stores.iter().enumerate() {
            for round in rounds {
                let asked = asked(store, round);
                assert_eq!(asked, asked_of_whole_history(store, round), "{k}: {round}");
                assert!(!asked.is_empty(), "{k}: {round}");
            }
        }
        // What the fixture is for: `a`'s latest in 2022 is the one not retracted by then.
        let shown = |store: &Store| {
            let round = PeriodSpec::Year(2022);
            asked(store, round)[0].2[0].1.as_ref().map(|u| u.status)
        };
        assert_eq!(shown(&stores[0]), Some(Status::Delayed));
        assert_eq!(shown(&stores[2]), Some(Status::AtRisk));
    }
}
