//! `initiative list` and `initiative show` as models.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::error::Result;
use crate::model::Initiative;
use crate::model::Kind;
use crate::model::Status;
use crate::store::ItemType;
use crate::store::Store;
use crate::store::StoredUpdate;
use crate::suggest::did_you_mean;

/// One initiative as `initiative list --format json` prints it (a public contract).
#[derive(Debug, Serialize)]
pub struct ListedInitiative {
    pub id: String,
    pub title: String,
    pub focus_area: String,
    pub kind: Kind,
    pub owner: String,
    pub owner_name: String,
    pub ministry: Option<String>,
    pub participants: Vec<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub depends_on: Vec<String>,
    pub tags: Vec<String>,
    pub withdrawn: bool,
    /// The latest status reported on or before the day the list is for.
    pub status: Option<Status>,
    pub last_update: Option<NaiveDate>,
}

/// Which initiatives `initiative list` shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub focus_area: Option<String>,
    pub owner: Option<String>,
    pub kind: Option<Kind>,
    /// Withdrawn ones too.
    pub all: bool,
}

/// A filter's value must name something the plan has ("did you mean …?" otherwise).
fn known(value: Option<&str>, what: &str, ids: &[&str]) -> Result<()> {
    match value {
        Some(v) if !ids.contains(&v) => {
            let hint = did_you_mean(v, ids.iter().copied())
                .unwrap_or_else(|| format!("known: {}", ids.join(", ")));
            Err(Error::refused_with_hint(
                format!("unknown {what} `{v}`"),
                hint,
            ))
        }
        _ => Ok(()),
    }
}

/// `initiative list`: the plan's initiatives as the plan stands on `day`, filtered.
pub fn list(
    store: &Store,
    strategy: Option<&str>,
    day: NaiveDate,
    filter: &ListFilter,
) -> Result<Vec<ListedInitiative>> {
    let strategy = store.resolve_strategy(strategy)?;
    let plan = store.plan_on(&strategy.id, day)?;
    let areas: Vec<&str> = plan
        .plan
        .focus_areas
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    known(filter.focus_area.as_deref(), "focus area", &areas)?;
    let orgs: Vec<&str> = plan
        .plan
        .organisations
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    known(filter.owner.as_deref(), "organisation", &orgs)?;
    // From `day` to `day`: each initiative's latest update on or before it, in one read.
    let updates = store.updates_since(&strategy.id, day, day)?;
    let history = crate::report::History::new(&updates);
    Ok(plan
        .plan
        .initiatives
        .iter()
        .map(|i| (i, plan.is_withdrawn(ItemType::Initiative, &i.id)))
        .filter(|(_, withdrawn)| filter.all || !withdrawn)
        .filter(|(i, _)| {
            filter
                .focus_area
                .as_deref()
                .is_none_or(|f| i.focus_area == f)
                && filter.owner.as_deref().is_none_or(|o| i.owner == o)
                && filter.kind.is_none_or(|k| i.kind == k)
        })
        .map(|(i, withdrawn)| ListedInitiative {
            id: i.id.clone(),
            title: i.title.clone(),
            focus_area: i.focus_area.clone(),
            kind: i.kind,
            owner: i.owner.clone(),
            owner_name: plan.org_label(&i.owner),
            ministry: i.ministry.clone(),
            participants: i.participants.clone(),
            start: i.start,
            due: i.due,
            depends_on: i.depends_on.clone(),
            tags: i.tags.clone(),
            withdrawn,
            status: history.status(&i.id, day),
            last_update: history.latest(&i.id, day).map(|u| u.update.reported_on),
        })
        .collect())
}

/// An initiative named with its title.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub id: String,
    /// The title (an initiative) or name (an organisation); the id when the plan lacks it.
    pub name: String,
}

/// `initiative show`: everything about one initiative.
#[derive(Debug, Serialize)]
pub struct InitiativeShow {
    #[serde(flatten)]
    pub initiative: Initiative,
    pub withdrawn: bool,
    pub focus_area_title: String,
    pub owner_name: String,
    pub ministry_name: Option<String>,
    pub participant_names: Vec<String>,
    /// What it depends on, and what (in force) depends on it.
    pub dependencies: Vec<Named>,
    pub dependants: Vec<Named>,
    /// Every update, oldest first; retracted ones included and marked.
    pub history: Vec<StoredUpdate>,
}

/// `initiative show ID`, from the latest recorded version of the plan (an initiative added by
/// a revision that takes effect later is shown too).
pub fn show(store: &Store, strategy: Option<&str>, id: &str) -> Result<InitiativeShow> {
    store.snapshot(|store| {
        let strategy = store.resolve_strategy(strategy)?;
        let plan = store.plan(&strategy.id)?;
        let Some(i) = plan.initiative(id) else {
            let ids = plan.plan.initiatives.iter().map(|i| i.id.as_str());
            let hint = did_you_mean(id, ids)
                .unwrap_or_else(|| "list them with: actionplan initiative list".into());
            return Err(Error::refused_with_hint(
                format!("unknown initiative `{id}`"),
                hint,
            ));
        };
        let org = |o: &str| {
            plan.plan
                .organisations
                .iter()
                .find(|x| x.id == o)
                .map_or(o.to_string(), |x| x.name.clone())
        };
        let named = |x: &str| Named {
            id: x.to_string(),
            name: plan
                .initiative(x)
                .map_or(x.to_string(), |i| i.title.clone()),
        };
        let dependants = plan
            .plan
            .initiatives
            .iter()
            .filter(|x| {
                x.depends_on.contains(&i.id) && !plan.is_withdrawn(ItemType::Initiative, &x.id)
            })
            .map(|x| named(&x.id))
            .collect();
        Ok(InitiativeShow {
            withdrawn: plan.is_withdrawn(ItemType::Initiative, &i.id),
            focus_area_title: plan
                .plan
                .focus_areas
                .iter()
                .find(|f| f.id == i.focus_area)
                .map_or(i.focus_area.clone(), |f| f.title.clone()),
            owner_name: org(&i.owner),
            ministry_name: i.ministry.as_deref().map(org),
            participant_names: i.participants.iter().map(|p| org(p)).collect(),
            dependencies: i.depends_on.iter().map(|d| named(d)).collect(),
            dependants,
            history: store.history(&strategy.id, id)?,
            initiative: i.clone(),
        })
    })
}
