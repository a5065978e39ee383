//! The public status site as a model: the strategy, its focus areas, every initiative in
//! force with its latest status and history, the organisations behind them and the
//! indicators, all as the record stood on one day, read from one snapshot of the store;
//! `render::site` turns it into pages. The pages every initiative appears on are built from a
//! [`Site`]; each initiative's own page, with its whole history, from a [`SiteInitiative`]
//! made one at a time ([`InitiativePages`]), so that however long the history, one
//! initiative's is held. Nothing here reads the clock: the same record and day give the same
//! model, and so the same pages.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::collections::HashSet;

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
use crate::store::PublicUpdate;
use crate::store::Store;
use crate::store::StoredPlan;

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
    /// Every initiative in force on `as_of`, in plan order, as the lists show it.
    pub initiatives: Vec<SiteEntry>,
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

/// An initiative in force as the index and the organisations' pages list it.
#[derive(Debug, Serialize)]
pub struct SiteEntry {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub focus_area: Ref,
    pub owner: Ref,
    pub status: Option<Status>,
    pub last_update: Option<NaiveDate>,
}

/// An initiative in force with everything its own page shows.
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

/// Reads the site from one snapshot of the database and hands it to `write`: the model of the
/// pages every initiative appears on, and the means to make each initiative's own page model,
/// from the same snapshot, one at a time. Every id that would name a page is checked first.
pub fn read<R>(
    store: &Store,
    opts: &SiteOptions,
    write: impl FnOnce(Site, &mut InitiativePages<'_>) -> Result<R>,
) -> Result<R> {
    store.snapshot(|store| {
        let strategy = store.resolve_strategy(opts.strategy.as_deref())?;
        let as_of = opts.as_of;
        let plan = store.plan_on(&strategy.id, as_of)?;
        if plan.plan.strategy.is_none() {
            return Err(Error::refused_with_hint(
                format!("the plan of `{}` takes effect after {as_of}", strategy.id),
                "give a later --as-of",
            ));
        }
        let links = Links::of(&plan);
        for i in &links.live {
            page_name(&i.id)?;
        }
        let entries = entries(store, &strategy.id, as_of, &links)?;
        let strategy_id = strategy.id.clone();
        let site = shared(store, strategy, as_of, &links, entries)?;
        let histories = store.public_histories(&strategy_id, as_of)?;
        write(site, &mut InitiativePages { links, histories })
    })
}

/// Each initiative's own page model, from the snapshot its [`Site`] was read from.
pub struct InitiativePages<'s> {
    links: Links<'s>,
    histories: crate::store::PublicHistories<'s>,
}

impl InitiativePages<'_> {
    /// Every initiative in force, in plan order, handed to `page` as soon as its history is
    /// read.
    pub fn for_each(&mut self, mut page: impl FnMut(SiteInitiative) -> Result<()>) -> Result<()> {
        for &i in &self.links.live {
            let history = self.histories.of(&i.id)?;
            page(site_initiative(&self.links, i, history))?;
        }
        Ok(())
    }
}

/// The plan as it stood, with what is looked up for every initiative indexed once: which
/// initiatives are in force, and which of them build on each.
struct Links<'p> {
    plan: &'p StoredPlan,
    /// In plan order.
    live: Vec<&'p Initiative>,
    live_ids: HashSet<&'p str>,
    /// For each initiative, the initiatives in force that depend on it, in plan order.
    dependants: HashMap<&'p str, Vec<&'p str>>,
}

impl<'p> Links<'p> {
    fn of(plan: &'p StoredPlan) -> Links<'p> {
        let live = plan.live();
        let mut dependants: HashMap<&str, Vec<&str>> = HashMap::new();
        for x in &live {
            for d in &x.depends_on {
                let list = dependants.entry(d.as_str()).or_default();
                // Named twice, listed once.
                if list.last() != Some(&x.id.as_str()) {
                    list.push(&x.id);
                }
            }
        }
        Links {
            plan,
            live_ids: live.iter().map(|i| i.id.as_str()).collect(),
            live,
            dependants,
        }
    }

    fn org(&self, id: &str) -> Ref {
        Ref {
            id: id.to_string(),
            name: self.plan.org_label(id),
            page: true,
        }
    }

    /// Another initiative, linked when it is in force.
    fn initiative(&self, id: &str) -> Ref {
        Ref {
            id: id.to_string(),
            name: self
                .plan
                .initiative(id)
                .map_or(id.to_string(), |x| x.title.clone()),
            page: self.live_ids.contains(id),
        }
    }

    fn focus_area(&self, id: &str) -> Ref {
        Ref {
            id: id.to_string(),
            name: self
                .plan
                .plan
                .focus_areas
                .iter()
                .find(|f| f.id == id)
                .map_or(id.to_string(), |f| f.title.clone()),
            page: true,
        }
    }
}

/// Every initiative in force with its latest status: no history is read.
fn entries(
    store: &Store,
    strategy: &str,
    as_of: NaiveDate,
    links: &Links,
) -> Result<Vec<SiteEntry>> {
    let mut entries: Vec<SiteEntry> = links
        .live
        .iter()
        .map(|i| SiteEntry {
            id: i.id.clone(),
            title: i.title.clone(),
            kind: i.kind,
            focus_area: links.focus_area(&i.focus_area),
            owner: links.org(&i.owner),
            status: None,
            last_update: None,
        })
        .collect();
    let place: HashMap<&str, usize> = links
        .live
        .iter()
        .enumerate()
        .map(|(n, i)| (i.id.as_str(), n))
        .collect();
    store.for_each_latest_status(strategy, as_of, |id, status, day| {
        if let Some(&n) = place.get(id) {
            entries[n].status = Some(status);
            entries[n].last_update = Some(day);
        }
    })?;
    Ok(entries)
}

/// The model of the pages every initiative appears on.
fn shared(
    store: &Store,
    strategy: Strategy,
    as_of: NaiveDate,
    links: &Links,
    initiatives: Vec<SiteEntry>,
) -> Result<Site> {
    let plan = links.plan;
    let narratives = store.narratives(&strategy.id)?;
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
            initiatives: links
                .live
                .iter()
                .filter(|i| i.focus_area == f.id)
                .map(|i| i.id.clone())
                .collect(),
        })
        // A withdrawn focus area is shown only while an initiative in force still names it.
        .filter(|f| !plan.is_withdrawn(ItemType::FocusArea, &f.id) || !f.initiatives.is_empty())
        .collect();

    let organisations = organisations(plan, &links.live)?;
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

fn site_initiative(links: &Links, i: &Initiative, history: Vec<PublicUpdate>) -> SiteInitiative {
    let latest = history.last();
    let answers = history.iter().rev().find_map(|u| {
        let answers: Vec<(String, String)> = u
            .answers
            .questionnaire()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        (!answers.is_empty()).then_some(Answered {
            reported_on: u.reported_on,
            answers,
        })
    });
    SiteInitiative {
        id: i.id.clone(),
        title: i.title.clone(),
        kind: i.kind,
        focus_area: links.focus_area(&i.focus_area),
        owner: links.org(&i.owner),
        ministry: i.ministry.as_deref().map(|m| links.org(m)),
        participants: i.participants.iter().map(|p| links.org(p)).collect(),
        start: i.start,
        due: i.due,
        description: i.description.clone(),
        tags: i.tags.clone(),
        milestones: i.milestones.clone(),
        depends_on: i.depends_on.iter().map(|d| links.initiative(d)).collect(),
        needed_by: links
            .dependants
            .get(i.id.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|x| links.initiative(x))
            .collect(),
        status: latest.map(|u| u.status),
        progress: latest.and_then(|u| u.progress),
        last_update: latest.map(|u| u.reported_on),
        summary: latest.and_then(|u| u.answers.summary.clone()),
        answers,
        history: history
            .into_iter()
            .map(|u| HistoryEntry {
                reported_on: u.reported_on,
                status: u.status,
                progress: u.progress,
                summary: u.answers.summary,
                correction: u.correction,
            })
            .collect(),
    }
}

/// The organisations the initiatives in force name, each with what it does in them.
fn organisations(plan: &StoredPlan, live: &[&Initiative]) -> Result<Vec<SiteOrganisation>> {
    // Every initiative's roles, gathered in one pass rather than one per organisation.
    #[derive(Default)]
    struct Roles {
        owns: Vec<String>,
        ministry_for: Vec<String>,
        takes_part_in: Vec<String>,
    }
    let mut roles: HashMap<&str, Roles> = HashMap::new();
    for i in live {
        roles.entry(&i.owner).or_default().owns.push(i.id.clone());
        if let Some(m) = &i.ministry {
            roles.entry(m).or_default().ministry_for.push(i.id.clone());
        }
        for p in &i.participants {
            let list = &mut roles.entry(p).or_default().takes_part_in;
            // Named twice, listed once.
            if list.last() != Some(&i.id) {
                list.push(i.id.clone());
            }
        }
    }
    let mut out = Vec::new();
    for o in &plan.plan.organisations {
        let Some(r) = roles.get(o.id.as_str()) else {
            continue;
        };
        page_name(&o.id)?;
        out.push(SiteOrganisation {
            id: o.id.clone(),
            name: o.name.clone(),
            short: o.short.clone(),
            owns: r.owns.clone(),
            ministry_for: r.ministry_for.clone(),
            takes_part_in: r.takes_part_in.clone(),
        });
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

    /// The site as of a day, and every initiative's own page model.
    fn site(store: &Store, as_of: &str) -> (Site, Vec<SiteInitiative>) {
        let opts = SiteOptions {
            strategy: None,
            as_of: day(as_of),
        };
        read(store, &opts, |site, initiatives| {
            let mut pages = Vec::new();
            initiatives.for_each(|i| {
                pages.push(i);
                Ok(())
            })?;
            Ok((site, pages))
        })
        .unwrap()
    }

    fn find<'s>(pages: &'s [SiteInitiative], id: &str) -> &'s SiteInitiative {
        pages.iter().find(|i| i.id == id).unwrap()
    }

    /// The index's entries (read apart from the histories) say what the pages say.
    fn entries_agree_with_pages(s: &Site, pages: &[SiteInitiative]) {
        let ids = |v: Vec<&str>| v.join(" ");
        assert_eq!(
            ids(s.initiatives.iter().map(|e| e.id.as_str()).collect()),
            ids(pages.iter().map(|p| p.id.as_str()).collect())
        );
        for (e, p) in s.initiatives.iter().zip(pages) {
            assert_eq!(
                (e.status, e.last_update),
                (p.status, p.last_update),
                "{}",
                e.id
            );
        }
    }

    #[test]
    fn statuses_and_history_are_as_of_the_day() {
        let store = fixture();
        let (s, pages) = site(&store, "2020-12-31");
        assert_eq!(find(&pages, "a").status, Some(Status::OnTrack));
        assert_eq!(find(&pages, "a").history.len(), 1);
        assert_eq!(find(&pages, "c").status, None);
        assert_eq!(s.totals[NO_STATUS], 1);
        entries_agree_with_pages(&s, &pages);
        let (s, pages) = site(&store, "2021-06-30");
        assert_eq!(find(&pages, "a").status, Some(Status::Delayed));
        assert_eq!(find(&pages, "a").history.len(), 2);
        assert_eq!(s.totals["delayed"], 1);
        entries_agree_with_pages(&s, &pages);
    }

    /// A retracted update is in no page: not in the history, not the latest status.
    #[test]
    fn a_retracted_update_is_left_out_everywhere() {
        let store = fixture();
        let delayed = store
            .updates_until("s", day("2021-06-30"))
            .unwrap()
            .into_iter()
            .find(|u| u.update.status == Status::Delayed)
            .unwrap();
        store
            .retract(delayed.id, "by mistake", None, chrono::Utc::now())
            .unwrap();
        let (s, pages) = site(&store, "2021-06-30");
        assert_eq!(find(&pages, "a").status, Some(Status::OnTrack));
        assert_eq!(find(&pages, "a").history.len(), 1);
        assert_eq!(s.totals.get("delayed").copied().unwrap_or(0), 0);
        entries_agree_with_pages(&s, &pages);
    }

    #[test]
    fn dependencies_are_shown_both_ways() {
        let store = fixture();
        let (_, pages) = site(&store, "2021-06-30");
        let ids = |refs: &[Ref]| refs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&find(&pages, "b").depends_on), ["a"]);
        assert_eq!(ids(&find(&pages, "a").needed_by), ["b"]);
        assert!(find(&pages, "a").depends_on.is_empty());
    }

    /// What builds on an initiative: those in force, in plan order, each once; one withdrawn
    /// since is left out, and is named without a link where it is depended on.
    #[test]
    fn dependants_are_in_plan_order_and_in_force() {
        let mut store = Store::open_in_memory().unwrap();
        let first = vec![
            initiative("d", &["a"]),
            initiative("a", &[]),
            initiative("b", &["a", "c"]),
            initiative("c", &[]),
            initiative("e", &["a"]),
        ];
        load_plan(&mut store, plan(first), "2020-01-15");
        let refs = |refs: &[Ref]| {
            refs.iter()
                .map(|r| format!("{}:{}", r.id, r.page))
                .collect::<Vec<_>>()
        };
        let (_, pages) = site(&store, "2020-06-30");
        assert_eq!(
            refs(&find(&pages, "a").needed_by),
            ["d:true", "b:true", "e:true"]
        );
        assert_eq!(refs(&find(&pages, "c").needed_by), ["b:true"]);
        let second = vec![
            initiative("a", &[]),
            initiative("b", &["a", "c"]),
            initiative("e", &["a"]),
        ];
        load_plan(&mut store, plan(second), "2021-01-15");
        let (_, pages) = site(&store, "2021-06-30");
        assert_eq!(refs(&find(&pages, "a").needed_by), ["b:true", "e:true"]);
        assert_eq!(refs(&find(&pages, "b").depends_on), ["a:true", "c:false"]);
    }

    #[test]
    fn a_withdrawn_initiative_has_no_page() {
        let mut store = fixture();
        load_plan(
            &mut store,
            plan(vec![initiative("b", &[]), initiative("c", &[])]),
            "2021-01-01",
        );
        let (s, pages) = site(&store, "2021-06-30");
        assert!(pages.iter().all(|i| i.id != "a"));
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
