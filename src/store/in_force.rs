//! The slice of a plan most verbs need: the initiatives in force with their titles, kinds,
//! owners, focus areas and dates, and (when asked) the dependencies between them as pairs of
//! indices. The graph verbs and `missing` read this rather than the whole plan: at 10,000
//! initiatives the whole plan, each dependency an owned string, took most of their time.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Store;
use super::StoredPlan;
use super::corrupt;
use super::maybe_day_at;
use super::plan::ItemType;
use super::plan::parse_word;
use super::plan::read_organisations;
use super::text_at;
use crate::error::Result;
use crate::model::Kind;
use crate::model::Organisation;
use crate::model::Strategy;

/// Whether to read the dependencies between the initiatives in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dependencies {
    Read,
    /// `PlanInForce::edges` is left empty: for a verb that needs no graph.
    Skip,
}

/// The initiatives in force on a day and the dependencies between them.
#[derive(Debug, Clone)]
pub struct PlanInForce {
    pub strategy: Strategy,
    /// The initiatives in force, in plan order.
    pub nodes: Vec<InitiativeInForce>,
    /// `(dependant, dependency)` as indices into `nodes`, between initiatives in force only:
    /// dependants in plan order, each one's dependencies in the order the plan gives them.
    pub edges: Vec<(u32, u32)>,
    /// The organisations; `InitiativeInForce::owner` indexes them.
    pub owners: Vec<Organisation>,
    /// The titles of the focus areas in force, in plan order; `InitiativeInForce::focus_area`
    /// indexes them.
    pub focus_areas: Vec<String>,
    /// The ids of the initiatives withdrawn from the plan, sorted.
    withdrawn: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct InitiativeInForce {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    /// Index into `PlanInForce::owners`.
    pub owner: u32,
    /// Index into `PlanInForce::focus_areas`; `None` when its focus area is withdrawn.
    pub focus_area: Option<u32>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
}

impl PlanInForce {
    /// Whether `id` is an initiative withdrawn from the plan.
    pub fn is_withdrawn(&self, id: &str) -> bool {
        self.withdrawn
            .binary_search_by(|w| w.as_str().cmp(id))
            .is_ok()
    }

    pub fn owner(&self, node: &InitiativeInForce) -> &Organisation {
        &self.owners[node.owner as usize]
    }

    /// The same slice of a plan read whole (a plan as it stood before its latest revision, or
    /// as known at a past moment).
    fn from_stored(strategy: Strategy, stored: &StoredPlan, dependencies: Dependencies) -> Self {
        let plan = &stored.plan;
        let mut owners: Vec<Organisation> = plan.organisations.clone();
        let mut owner_at = places(plan.organisations.iter().map(|o| o.id.as_str()));
        let areas_in_force: Vec<_> = plan
            .focus_areas
            .iter()
            .filter(|f| !stored.is_withdrawn(ItemType::FocusArea, &f.id))
            .collect();
        let areas = places(areas_in_force.iter().map(|f| f.id.as_str()));
        let focus_areas = areas_in_force.iter().map(|f| f.title.clone()).collect();
        let live = stored.live();
        let at = places(live.iter().map(|i| i.id.as_str()));
        let mut nodes = Vec::with_capacity(live.len());
        let mut edges = Vec::new();
        for (k, i) in live.iter().enumerate() {
            // An owner the plan does not list (never, once validated) is named by its id.
            let owner = *owner_at.entry(&i.owner).or_insert_with(|| {
                owners.push(Organisation {
                    id: i.owner.clone(),
                    name: i.owner.clone(),
                    short: None,
                    kind: None,
                    contact: None,
                });
                index(owners.len() - 1)
            });
            nodes.push(InitiativeInForce {
                id: i.id.clone(),
                title: i.title.clone(),
                kind: i.kind,
                owner,
                focus_area: areas.get(i.focus_area.as_str()).copied(),
                start: i.start,
                due: i.due,
            });
            if dependencies == Dependencies::Read {
                edges.extend(
                    i.depends_on
                        .iter()
                        .filter_map(|d| at.get(d.as_str()))
                        .map(|&d| (index(k), d)),
                );
            }
        }
        let mut withdrawn: Vec<String> = stored
            .withdrawn
            .iter()
            .filter(|(t, _)| *t == ItemType::Initiative)
            .map(|(_, id)| id.clone())
            .collect();
        withdrawn.sort_unstable();
        PlanInForce {
            strategy,
            nodes,
            edges,
            owners,
            focus_areas,
            withdrawn,
        }
    }
}

/// Plans hold far fewer than 2³² initiatives (a load refuses files that large long before).
fn index(k: usize) -> u32 {
    u32::try_from(k).unwrap_or(u32::MAX)
}

/// Each id's place among `ids`.
fn places<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, u32> {
    ids.enumerate().map(|(k, id)| (id, index(k))).collect()
}

impl Store {
    /// The initiatives in force on `day` and, if asked, their dependencies. From the plan's
    /// tables when its latest revision is in effect by then (the usual case, a few queries and
    /// no copy of each dependency's id); otherwise from the plan as it stood, read whole.
    pub fn plan_in_force_on(
        &self,
        strategy: Strategy,
        day: NaiveDate,
        dependencies: Dependencies,
    ) -> Result<PlanInForce> {
        if self.known_at.is_some() || !self.latest_in_effect(&strategy.id, day)? {
            let stored = self.plan_outline_on(&strategy.id, day)?;
            return Ok(PlanInForce::from_stored(strategy, &stored, dependencies));
        }
        let c = &self.conn;
        let id = strategy.id.as_str();

        let owners: Vec<Organisation> = read_organisations(c, id)?
            .into_iter()
            .map(|(o, _)| o)
            .collect();
        let owner_at = places(owners.iter().map(|o| o.id.as_str()));

        let mut area_ids = Vec::new();
        let mut focus_areas = Vec::new();
        let mut stmt = c.prepare_cached(
            "SELECT id, title FROM focus_area WHERE strategy_id = ?1 AND NOT withdrawn
             ORDER BY position, id",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            area_ids.push(r.get::<_, String>(0)?);
            focus_areas.push(r.get::<_, String>(1)?);
        }
        let areas = places(area_ids.iter().map(String::as_str));

        // A scan of the table, sorted here (as `read_plan` does).
        let mut stmt = c.prepare_cached(
            "SELECT id, title, owner, focus_area, start, due, withdrawn, position, kind
             FROM initiative NOT INDEXED WHERE strategy_id = ?1",
        )?;
        let mut rows = stmt.query([id])?;
        let mut live: Vec<(i64, InitiativeInForce)> = Vec::new();
        let mut withdrawn = Vec::new();
        while let Some(r) = rows.next()? {
            let initiative: String = r.get(0)?;
            if r.get::<_, bool>(6)? {
                withdrawn.push(initiative);
                continue;
            }
            let text = |k: usize| text_at(r, k, "initiative");
            let owner = text(2)?;
            let owner = owner_at
                .get(owner)
                .copied()
                .ok_or_else(|| corrupt("initiative owner", &owner))?;
            let node = InitiativeInForce {
                id: initiative,
                title: r.get(1)?,
                kind: parse_word(text(8)?, "initiative kind")?,
                owner,
                focus_area: areas.get(text(3)?).copied(),
                start: maybe_day_at(r, 4)?,
                due: maybe_day_at(r, 5)?,
            };
            live.push((r.get(7)?, node));
        }
        live.sort_unstable_by(|(pa, a), (pb, b)| (pa, &a.id).cmp(&(pb, &b.id)));
        let nodes: Vec<InitiativeInForce> = live.into_iter().map(|(_, n)| n).collect();
        withdrawn.sort_unstable();
        let mut edges = Vec::new();
        if dependencies == Dependencies::Read {
            edges = dependencies_between(c, id, &nodes)?;
        }
        Ok(PlanInForce {
            strategy,
            nodes,
            edges,
            owners,
            focus_areas,
            withdrawn,
        })
    }
}

/// The dependencies between `nodes` as `(dependant, dependency)` indices into them: dependants
/// in the nodes' order, each one's dependencies in the plan's.
fn dependencies_between(
    c: &rusqlite::Connection,
    strategy_id: &str,
    nodes: &[InitiativeInForce],
) -> Result<Vec<(u32, u32)>> {
    // Looked up twice for every dependency: a fast hash.
    let at: foldhash::HashMap<&str, u32> = nodes
        .iter()
        .enumerate()
        .map(|(k, n)| (n.id.as_str(), index(k)))
        .collect();
    // In key order: each dependant's dependencies in the plan's order.
    let mut stmt = c.prepare_cached(
        "SELECT initiative_id, depends_on FROM dependency WHERE strategy_id = ?1
             ORDER BY initiative_id, position",
    )?;
    let mut rows = stmt.query([strategy_id])?;
    let mut edges = Vec::new();
    while let Some(r) = rows.next()? {
        let end =
            |k: usize| -> Result<Option<u32>> { Ok(at.get(text_at(r, k, "dependency")?).copied()) };
        if let (Some(dependant), Some(dependency)) = (end(0)?, end(1)?) {
            edges.push((dependant, dependency));
        }
    }
    // Stable: dependants into plan order, keeping each one's own order.
    edges.sort_by_key(|&(dependant, _)| dependant);
    Ok(edges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    /// What a graph plan says, by id: nodes in order with owner and focus area, edges, and
    /// the withdrawn.
    type Said = (
        Vec<(String, String, Option<String>)>,
        Vec<(String, String)>,
        Vec<String>,
    );

    fn said(g: &PlanInForce) -> Said {
        let nodes = g
            .nodes
            .iter()
            .map(|n| {
                let area = n.focus_area.map(|k| g.focus_areas[k as usize].clone());
                (n.id.clone(), g.owner(n).label().to_string(), area)
            })
            .collect();
        let edges = g
            .edges
            .iter()
            .map(|&(a, b)| {
                let id = |k: u32| g.nodes[k as usize].id.clone();
                (id(a), id(b))
            })
            .collect();
        (nodes, edges, g.withdrawn.clone())
    }

    /// The plan's tables and the plan read whole agree, before and after a revision that
    /// withdraws an initiative (and with it its edges), adds one and reorders the plan (a past
    /// plan is read in the current order, withdrawn initiatives last).
    #[test]
    fn the_tables_and_the_whole_plan_give_the_same_graph() {
        let mut store = Store::open_in_memory().unwrap();
        let first = vec![
            initiative("a", &[]),
            initiative("b", &["a"]),
            initiative("c", &["b"]),
            initiative("d", &["c", "a"]),
        ];
        load_plan(&mut store, plan(first), "2021-01-01");
        let second = vec![
            initiative("e", &["b", "a"]),
            initiative("d", &["a"]),
            initiative("b", &["a"]),
            initiative("a", &[]),
        ];
        load_plan(&mut store, plan(second), "2023-01-01");
        let strategy = store.resolve_strategy(Some("s")).unwrap();

        for (on, ids, edges, withdrawn) in [
            ("2022-06-30", "dbca", "dc da ba cb", ""),
            ("2024-01-01", "edba", "eb ea da ba", "c"),
        ] {
            let on = day(on);
            let read = store
                .plan_in_force_on(strategy.clone(), on, Dependencies::Read)
                .unwrap();
            let stored = store.plan_outline_on("s", on).unwrap();
            let whole = PlanInForce::from_stored(strategy.clone(), &stored, Dependencies::Read);
            assert_eq!(said(&read), said(&whole), "{on}");
            let (nodes, pairs, gone) = said(&read);
            let nodes: String = nodes.iter().map(|(id, ..)| id.as_str()).collect();
            let pairs: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}{b}")).collect();
            assert_eq!(nodes, ids, "{on}");
            assert_eq!(pairs.join(" "), edges, "{on}");
            assert_eq!(gone.concat(), withdrawn, "{on}");
            assert!(read.nodes.iter().all(|n| read.owner(n).label() == "Org"));
        }
    }
}
