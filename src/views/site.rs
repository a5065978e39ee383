//! The public status site as one model: the strategy, its focus areas, every initiative in
//! force with its latest status and history, the organisations behind them and the
//! indicators, all as the record stood on one day. Built once from one snapshot of the store;
//! `render::site` turns it into pages. Nothing here reads the clock: the same record and day
//! give the same model, and so the same pages.

use std::collections::BTreeMap;
use std::collections::HashMap;

use chrono::Datelike;
use chrono::NaiveDate;
use serde::Serialize;

use super::indicator::IndicatorView;
use crate::error::Error;
use crate::error::Result;
use crate::model::Initiative;
use crate::model::Kind;
use crate::model::Milestone;
use crate::model::Status;
use crate::model::Strategy;
use crate::parse::reader::is_valid_id;
use crate::report::NO_STATUS;
use crate::report::empty_totals;
use crate::store::ItemType;
use crate::store::Store;
use crate::store::StoredPlan;
use crate::store::StoredUpdate;

/// Which strategy, and the day the site shows it as of.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub strategy: Option<String>,
    pub as_of: NaiveDate,
}

#[derive(Debug, Serialize)]
pub struct Site {
    pub strategy: Strategy,
    pub as_of: NaiveDate,
    /// `Store::content_hash` of the record up to `as_of`: the footer of every page names it.
    pub content_hash: String,
    /// Initiatives (not proposals) by their latest status, every status present.
    pub totals: BTreeMap<String, usize>,
    pub focus_areas: Vec<SiteFocusArea>,
    /// Every initiative in force on `as_of`, in plan order.
    pub initiatives: Vec<SiteInitiative>,
    /// Every organisation an initiative names (owner, ministry or participant), in plan order.
    pub organisations: Vec<SiteOrganisation>,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Serialize)]
pub struct SiteFocusArea {
    pub id: String,
    pub title: String,
    pub goal: String,
    /// "How the work goes", from the latest narrative (up to `as_of`'s year) that says it.
    pub progress: Option<YearText>,
    /// Its initiatives' ids, in plan order.
    pub initiatives: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct YearText {
    pub year: i32,
    pub text: String,
}

/// Another item named by its id and title (or an organisation's short name); `page` is false
/// for one the site has no page for (withdrawn from the plan), which is shown but not linked.
#[derive(Debug, Clone, Serialize)]
pub struct Ref {
    pub id: String,
    pub name: String,
    pub page: bool,
}

#[derive(Debug, Serialize)]
pub struct SiteInitiative {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub focus_area: Ref,
    pub owner: Ref,
    pub ministry: Option<Ref>,
    pub participants: Vec<Ref>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub milestones: Vec<Milestone>,
    /// What it builds on, and what builds on it (in force).
    pub depends_on: Vec<Ref>,
    pub needed_by: Vec<Ref>,
    pub status: Option<Status>,
    pub progress: Option<u8>,
    pub last_update: Option<NaiveDate>,
    pub summary: Option<String>,
    /// Every update dated up to `as_of` that was not retracted, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The latest update that answered any of the five questions.
    pub answers: Option<Answered>,
}

#[derive(Debug, Serialize)]
pub struct HistoryEntry {
    pub reported_on: NaiveDate,
    pub status: Status,
    pub progress: Option<u8>,
    pub summary: Option<String>,
    /// Why the update corrects a closed period, when it does.
    pub correction: Option<String>,
}

/// The five answers of one update. Who answered is left out: the site is public, and a
/// respondent is a person.
#[derive(Debug, Serialize)]
pub struct Answered {
    pub reported_on: NaiveDate,
    /// (field, answer) in the questionnaire's order.
    pub answers: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct SiteOrganisation {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
    /// Initiatives it owns, is the ministry for, and takes part in: ids, in plan order.
    pub owns: Vec<String>,
    pub ministry_for: Vec<String>,
    pub takes_part_in: Vec<String>,
}

/// The site's model, every part read from one snapshot of the database.
pub fn build(store: &Store, opts: &SiteOptions) -> Result<Site> {
    store.snapshot(|store| build_in(store, opts))
}

fn build_in(store: &Store, opts: &SiteOptions) -> Result<Site> {
    let strategy = store.resolve_strategy(opts.strategy.as_deref())?;
    let as_of = opts.as_of;
    let plan = store.plan_on(&strategy.id, as_of)?;
    if plan.plan.strategy.is_none() {
        return Err(Error::refused_with_hint(
            format!("the plan of `{}` takes effect after {as_of}", strategy.id),
            "give a later --as-of",
        ));
    }
    let updates = store.updates_until(&strategy.id, as_of)?;
    let narratives = store.narratives(&strategy.id)?;
    let mut by_initiative: HashMap<&str, Vec<&StoredUpdate>> = HashMap::new();
    for u in &updates {
        by_initiative
            .entry(u.update.initiative.as_str())
            .or_default()
            .push(u);
    }

    let live = plan.live();
    for i in &live {
        page_name(&i.id)?;
    }
    let initiatives: Vec<SiteInitiative> = live
        .iter()
        .map(|i| {
            let history = by_initiative
                .get(i.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            site_initiative(&plan, &live, i, history)
        })
        .collect();

    let mut totals = empty_totals();
    for i in initiatives.iter().filter(|i| i.kind != Kind::Proposed) {
        let key = i.status.map_or(NO_STATUS, Status::as_str);
        *totals.entry(key.to_string()).or_default() += 1;
    }

    let year = as_of.year();
    let focus_areas = plan
        .plan
        .focus_areas
        .iter()
        .map(|f| SiteFocusArea {
            id: f.id.clone(),
            title: f.title.clone(),
            goal: f.goal.clone(),
            progress: narratives
                .iter()
                .filter(|n| n.year <= year)
                .filter_map(|n| {
                    let text = n
                        .focus_areas
                        .iter()
                        .find(|p| p.id == f.id)?
                        .progress
                        .clone()?;
                    Some(YearText { year: n.year, text })
                })
                .max_by_key(|p| p.year),
            initiatives: live
                .iter()
                .filter(|i| i.focus_area == f.id)
                .map(|i| i.id.clone())
                .collect(),
        })
        // A withdrawn focus area is shown only while an initiative in force still names it.
        .filter(|f| !plan.is_withdrawn(ItemType::FocusArea, &f.id) || !f.initiatives.is_empty())
        .collect();

    let organisations = organisations(&plan, &live)?;
    let indicators = super::indicator::list_in(store, &strategy.id, as_of, Some(year))?;
    let content_hash = store.content_hash(&strategy.id, as_of)?;
    Ok(Site {
        strategy,
        as_of,
        content_hash,
        totals,
        focus_areas,
        initiatives,
        organisations,
        indicators,
    })
}

/// An id that names a page's file. Ids are slugs already (the plan, a form and an export are
/// refused at load otherwise); this holds for a database written by other means too.
fn page_name(id: &str) -> Result<()> {
    if is_valid_id(id) {
        return Ok(());
    }
    Err(Error::refused_with_hint(
        format!(
            "`{}` cannot name a page of the site: ids use only a-z, 0-9 and '-'",
            id.escape_default()
        ),
        "the database holds an id no plan file could give: load the plans into a new database",
    ))
}

fn site_initiative(
    plan: &StoredPlan,
    live: &[&Initiative],
    i: &Initiative,
    history: &[&StoredUpdate],
) -> SiteInitiative {
    let org = |id: &str| Ref {
        id: id.to_string(),
        name: plan.org_label(id),
        page: true,
    };
    let other = |id: &str| Ref {
        id: id.to_string(),
        name: plan
            .initiative(id)
            .map_or(id.to_string(), |x| x.title.clone()),
        page: live.iter().any(|x| x.id == id),
    };
    let latest = history.last();
    let answers = history.iter().rev().find_map(|u| {
        let answers: Vec<(String, String)> = u
            .update
            .answers
            .questionnaire()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        (!answers.is_empty()).then_some(Answered {
            reported_on: u.update.reported_on,
            answers,
        })
    });
    SiteInitiative {
        id: i.id.clone(),
        title: i.title.clone(),
        kind: i.kind,
        focus_area: Ref {
            id: i.focus_area.clone(),
            name: plan
                .plan
                .focus_areas
                .iter()
                .find(|f| f.id == i.focus_area)
                .map_or(i.focus_area.clone(), |f| f.title.clone()),
            page: true,
        },
        owner: org(&i.owner),
        ministry: i.ministry.as_deref().map(org),
        participants: i.participants.iter().map(|p| org(p)).collect(),
        start: i.start,
        due: i.due,
        description: i.description.clone(),
        tags: i.tags.clone(),
        milestones: i.milestones.clone(),
        depends_on: i.depends_on.iter().map(|d| other(d)).collect(),
        needed_by: live
            .iter()
            .filter(|x| x.depends_on.contains(&i.id))
            .map(|x| other(&x.id))
            .collect(),
        status: latest.map(|u| u.update.status),
        progress: latest.and_then(|u| u.update.progress),
        last_update: latest.map(|u| u.update.reported_on),
        summary: latest.and_then(|u| u.update.answers.summary.clone()),
        history: history
            .iter()
            .map(|u| HistoryEntry {
                reported_on: u.update.reported_on,
                status: u.update.status,
                progress: u.update.progress,
                summary: u.update.answers.summary.clone(),
                correction: u.correction.clone(),
            })
            .collect(),
        answers,
    }
}

/// The organisations the initiatives in force name, each with what it does in them.
fn organisations(plan: &StoredPlan, live: &[&Initiative]) -> Result<Vec<SiteOrganisation>> {
    let ids = |pick: &dyn Fn(&Initiative) -> bool| -> Vec<String> {
        live.iter()
            .filter(|i| pick(i))
            .map(|i| i.id.clone())
            .collect()
    };
    let mut out = Vec::new();
    for o in &plan.plan.organisations {
        let org = SiteOrganisation {
            id: o.id.clone(),
            name: o.name.clone(),
            short: o.short.clone(),
            owns: ids(&|i| i.owner == o.id),
            ministry_for: ids(&|i| i.ministry.as_deref() == Some(o.id.as_str())),
            takes_part_in: ids(&|i| i.participants.contains(&o.id)),
        };
        if !(org.owns.is_empty() && org.ministry_for.is_empty() && org.takes_part_in.is_empty()) {
            page_name(&org.id)?;
            out.push(org);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    /// a ← b (b depends on a), c alone; a is delayed from March 2021.
    fn fixture() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        load_plan(
            &mut store,
            plan(vec![
                initiative("a", &[]),
                initiative("b", &["a"]),
                initiative("c", &[]),
            ]),
            "2020-01-15",
        );
        report_status(
            &mut store,
            &[
                ("a", Status::OnTrack, "2020-06-01"),
                ("a", Status::Delayed, "2021-03-01"),
                ("b", Status::NotStarted, "2020-06-01"),
            ],
        );
        store
    }

    fn site(store: &Store, as_of: &str) -> Site {
        let opts = SiteOptions {
            strategy: None,
            as_of: day(as_of),
        };
        build(store, &opts).unwrap()
    }

    fn find<'s>(s: &'s Site, id: &str) -> &'s SiteInitiative {
        s.initiatives.iter().find(|i| i.id == id).unwrap()
    }

    #[test]
    fn statuses_and_history_are_as_of_the_day() {
        let store = fixture();
        let s = site(&store, "2020-12-31");
        assert_eq!(find(&s, "a").status, Some(Status::OnTrack));
        assert_eq!(find(&s, "a").history.len(), 1);
        assert_eq!(find(&s, "c").status, None);
        assert_eq!(s.totals[NO_STATUS], 1);
        let s = site(&store, "2021-06-30");
        assert_eq!(find(&s, "a").status, Some(Status::Delayed));
        assert_eq!(find(&s, "a").history.len(), 2);
        assert_eq!(s.totals["delayed"], 1);
    }

    #[test]
    fn dependencies_are_shown_both_ways() {
        let store = fixture();
        let s = site(&store, "2021-06-30");
        let ids = |refs: &[Ref]| refs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&find(&s, "b").depends_on), ["a"]);
        assert_eq!(ids(&find(&s, "a").needed_by), ["b"]);
        assert!(find(&s, "a").depends_on.is_empty());
    }

    #[test]
    fn a_withdrawn_initiative_has_no_page() {
        let mut store = fixture();
        load_plan(
            &mut store,
            plan(vec![initiative("b", &[]), initiative("c", &[])]),
            "2021-01-01",
        );
        let s = site(&store, "2021-06-30");
        assert!(s.initiatives.iter().all(|i| i.id != "a"));
        assert!(
            s.focus_areas
                .iter()
                .all(|f| !f.initiatives.contains(&"a".to_string()))
        );
    }

    /// A database written by other means than a plan file may hold any id: one that would
    /// make a file name outside the site, or none at all, is refused before anything is written.
    #[test]
    fn only_slug_ids_name_pages() {
        assert!(page_name("ki-2025").is_ok());
        for bad in ["../x", "a/b", "", ".", "x\u{0}", "A"] {
            assert!(page_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_same_record_gives_the_same_model() {
        let store = fixture();
        let a = serde_json::to_string(&site(&store, "2021-06-30")).unwrap();
        let b = serde_json::to_string(&site(&store, "2021-06-30")).unwrap();
        assert_eq!(a, b);
    }
}
