//! What changed between two points in time: status transitions, initiatives completed, new,
//! withdrawn, due dates moved, owners and dependencies changed.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Result;
use crate::model::Initiative;
use crate::model::Status;
use crate::report::History;
use crate::report::ItemRef;
use crate::report::Slip;
use crate::report::Transition;
use crate::report::item_ref;
use crate::store::InitiativeVersion;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerChange {
    pub id: String,
    pub title: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DependencyChange {
    pub id: String,
    pub title: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub strategy: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub transitions: Vec<Transition>,
    pub completed: Vec<ItemRef>,
    pub new_in_plan: Vec<ItemRef>,
    pub withdrawn: Vec<ItemRef>,
    pub slipped: Vec<Slip>,
    pub owners: Vec<OwnerChange>,
    pub dependencies: Vec<DependencyChange>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.transitions.is_empty()
            && self.new_in_plan.is_empty()
            && self.withdrawn.is_empty()
            && self.slipped.is_empty()
            && self.owners.is_empty()
            && self.dependencies.is_empty()
    }
}

/// The plan as it stood on `day`: each initiative's latest version taking effect by then.
fn plan_at(versions: &[InitiativeVersion], day: NaiveDate) -> BTreeMap<&str, &Initiative> {
    let mut out = BTreeMap::new();
    for v in versions.iter().filter(|v| v.effective_on <= day) {
        match &v.initiative {
            Some(i) => out.insert(v.id.as_str(), i),
            None => out.remove(v.id.as_str()),
        };
    }
    out
}

pub fn diff(store: &Store, strategy: &str, from: NaiveDate, to: NaiveDate) -> Result<Diff> {
    let plan = store.plan(strategy)?;
    let updates = store.updates_since(strategy, from.min(to), from.max(to))?;
    let history = History::new(&updates);
    let versions = store.initiative_versions_changed(strategy, from.min(to), from.max(to))?;
    let (before, after) = (plan_at(&versions, from), plan_at(&versions, to));

    let mut d = Diff {
        strategy: strategy.to_string(),
        from,
        to,
        transitions: Vec::new(),
        completed: Vec::new(),
        new_in_plan: Vec::new(),
        withdrawn: Vec::new(),
        slipped: Vec::new(),
        owners: Vec::new(),
        dependencies: Vec::new(),
    };
    // Statuses are facts about days, so every initiative the store knows is compared.
    let item = |i: &Initiative| item_ref(&plan, i);
    d.transitions = crate::report::transitions(&plan, &plan.plan.initiatives, &history, from, to);
    d.completed = d
        .transitions
        .iter()
        .filter(|t| t.to == Some(Status::Completed))
        .filter_map(|t| plan.initiative(&t.id))
        .map(item)
        .collect();
    // The plan's own changes come from its recorded versions.
    for (id, now) in &after {
        let Some(was) = before.get(id) else {
            d.new_in_plan.push(item(now));
            continue;
        };
        if let (Some(a), Some(b)) = (was.due, now.due)
            && b > a
        {
            d.slipped.push(Slip {
                id: now.id.clone(),
                title: now.title.clone(),
                owner: now.owner.clone(),
                owner_name: plan.org_label(&now.owner),
                from: a,
                to: b,
            });
        }
        if was.owner != now.owner {
            d.owners.push(OwnerChange {
                id: now.id.clone(),
                title: now.title.clone(),
                from: was.owner.clone(),
                to: now.owner.clone(),
            });
        }
        let (old, new): (BTreeSet<&String>, BTreeSet<&String>) = (
            was.depends_on.iter().collect(),
            now.depends_on.iter().collect(),
        );
        if old != new {
            d.dependencies.push(DependencyChange {
                id: now.id.clone(),
                title: now.title.clone(),
                added: new.difference(&old).map(|s| s.to_string()).collect(),
                removed: old.difference(&new).map(|s| s.to_string()).collect(),
            });
        }
    }
    d.withdrawn = before
        .iter()
        .filter(|(id, _)| !after.contains_key(*id))
        .map(|(_, i)| item(i))
        .collect();
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn diff_names_every_kind_of_change() {
        let mut store = Store::open_in_memory().unwrap();
        let mut a = initiative("a", &[]);
        a.due = Some(day("2022-06-30"));
        load_plan(
            &mut store,
            plan(vec![a.clone(), initiative("b", &[]), initiative("c", &[])]),
            "2022-02-01",
        );
        report_status(
            &mut store,
            &[
                ("a", Status::OnTrack, "2022-05-01"),
                ("b", Status::OnTrack, "2022-05-01"),
                ("a", Status::Completed, "2023-05-01"),
            ],
        );
        // 2023: a's due date moves, b gets a new owner and a dependency, c leaves, d comes.
        a.due = Some(day("2023-03-31"));
        let mut b = initiative("b", &["a"]);
        b.owner = "org2".into();
        let mut p = plan(vec![a, b, initiative("d", &[])]);
        p.organisations.push(crate::model::Organisation {
            id: "org2".into(),
            name: "Org 2".into(),
            short: None,
            kind: None,
            contact: None,
        });
        load_plan(&mut store, p, "2023-02-01");

        let d = diff(&store, "s", day("2022-12-31"), day("2023-12-31")).unwrap();
        let ids = |v: &[ItemRef]| v.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(d.transitions.len(), 1);
        assert_eq!(
            (d.transitions[0].from, d.transitions[0].to),
            (Some(Status::OnTrack), Some(Status::Completed))
        );
        assert_eq!(ids(&d.completed), ["a"]);
        assert_eq!(ids(&d.new_in_plan), ["d"]);
        assert_eq!(ids(&d.withdrawn), ["c"]);
        assert_eq!(
            (d.slipped[0].from, d.slipped[0].to),
            (day("2022-06-30"), day("2023-03-31"))
        );
        assert_eq!(
            (d.owners[0].from.as_str(), d.owners[0].to.as_str()),
            ("org", "org2")
        );
        assert_eq!(d.dependencies[0].added, ["a"]);
        assert!(d.dependencies[0].removed.is_empty());
        // And nothing changed within 2022 after the plan was loaded.
        assert!(
            diff(&store, "s", day("2022-06-01"), day("2022-12-31"))
                .unwrap()
                .is_empty()
        );
    }
}
