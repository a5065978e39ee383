//! The `graph` verbs as models: check, impact, order, the critical path and the drawing. The
//! algorithms are `crate::graph`'s; this reads the plan and the statuses for a day and names
//! what the algorithms find.

use std::collections::HashMap;
use std::collections::HashSet;
use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;

use super::owner_labels;
use crate::error::Error;
use crate::error::Result;
use crate::graph::DepGraph;
use crate::graph::Facts;
use crate::graph::Finding;
use crate::graph::Undelivered;
use crate::model::Initiative;
use crate::model::Status;
use crate::model::Strategy;
use crate::store::Dependencies;
use crate::store::InitiativeInForce;
use crate::store::ItemType;
use crate::store::PlanInForce;
use crate::store::Store;
use crate::store::StoredPlan;

/// One strategy's plan as it stood on a day, whole: what `check` reads (withdrawn initiatives
/// and their kinds are findings there).
struct Plan {
    strategy: Strategy,
    stored: StoredPlan,
}

impl Plan {
    fn read(store: &Store, strategy: Option<&str>, day: NaiveDate) -> Result<Self> {
        let strategy = store.resolve_strategy(strategy)?;
        let stored = store.plan_outline_on(&strategy.id, day)?;
        Ok(Plan { strategy, stored })
    }

    fn live(&self) -> Vec<&Initiative> {
        self.stored.live()
    }
}

/// The graph of the initiatives in force; withdrawn ones leave it, with their edges.
fn live_graph<'a>(live: &[&'a Initiative]) -> DepGraph<'a> {
    let ids: HashSet<&str> = live.iter().map(|i| i.id.as_str()).collect();
    DepGraph::new(
        live.iter().map(|i| i.id.as_str()),
        live.iter().flat_map(|i| {
            i.depends_on
                .iter()
                .filter(|d| ids.contains(d.as_str()))
                .map(move |d| (i.id.as_str(), d.as_str()))
        }),
    )
}

/// The initiatives in force on `day` and their dependencies: what every verb but `check` reads.
fn read_plan_in_force(
    store: &Store,
    strategy: Option<&str>,
    day: NaiveDate,
) -> Result<PlanInForce> {
    let strategy = store.resolve_strategy(strategy)?;
    store.plan_in_force_on(strategy, day, Dependencies::Read)
}

/// The graph of a [`PlanInForce`]: its nodes are the plan's, at the same places.
fn graph_of(plan: &PlanInForce) -> DepGraph<'_> {
    let ids: Vec<&str> = plan.nodes.iter().map(|n| n.id.as_str()).collect();
    DepGraph::from_indices(&ids, &plan.edges)
}

/// The initiative `id` names in the graph of the whole plan (a part of it has other places).
fn node<'p>(
    plan: &'p PlanInForce,
    graph: &DepGraph<'_>,
    id: &str,
) -> Option<&'p InitiativeInForce> {
    graph.position(id).and_then(|k| plan.nodes.get(k))
}

/// An initiative of the graph, or a refusal: withdrawn, or unknown with a "did you mean".
fn require(plan: &PlanInForce, graph: &DepGraph<'_>, id: &str) -> Result<()> {
    if graph.contains(id) {
        return Ok(());
    }
    if plan.is_withdrawn(id) {
        return Err(Error::refused(format!(
            "`{id}` is withdrawn from the plan, so it is no longer in the dependency graph"
        )));
    }
    Err(Error::Refused {
        message: format!("unknown initiative `{id}`"),
        hint: crate::suggest::did_you_mean(id, graph.ids()),
    })
}

/// The plan has a cycle, so it has no order.
fn cyclic(cycles: &[Vec<&str>]) -> Error {
    let first = cycles.first().map(|c| c.join(" → ")).unwrap_or_default();
    Error::refused_with_hint(
        format!("the plan has a dependency cycle, so it has no order: {first}"),
        "`actionplan graph check` lists every cycle",
    )
}

/// An initiative's latest status on or before a day, and since when it has been completed.
#[derive(Debug, Clone, Copy)]
struct StatusAt {
    status: Status,
    completed_on: Option<NaiveDate>,
}

/// Every initiative's status as of `as_of` and since when a run of `completed` began, read
/// once into a map from every update up to the day (per initiative, oldest first: the last
/// one wins).
fn statuses(store: &Store, strategy: &str, as_of: NaiveDate) -> Result<HashMap<String, StatusAt>> {
    let points = store.statuses_until(strategy, as_of)?;
    let mut out: HashMap<String, StatusAt> = HashMap::with_capacity(points.len());
    for p in points {
        let was = out.get(&p.initiative).copied();
        let completed_on = match (p.status, was) {
            (Status::Completed, Some(w)) if w.status == Status::Completed => w.completed_on,
            (Status::Completed, _) => Some(p.reported_on),
            _ => None,
        };
        out.insert(
            p.initiative,
            StatusAt {
                status: p.status,
                completed_on,
            },
        );
    }
    Ok(out)
}

/// Each node's latest status on or before `as_of`, at its place in the graph.
fn latest_by_node(
    store: &Store,
    plan: &PlanInForce,
    graph: &DepGraph<'_>,
    as_of: NaiveDate,
) -> Result<Vec<Option<Status>>> {
    let mut out = vec![None; plan.nodes.len()];
    store.for_each_latest_status(&plan.strategy.id, as_of, |id, status, _| {
        if let Some(slot) = graph.position(id).and_then(|k| out.get_mut(k)) {
            *slot = Some(status);
        }
    })?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

/// What `graph check` found.
#[derive(Debug, Serialize)]
pub struct CheckView {
    pub as_of: NaiveDate,
    /// The initiatives in force and the dependencies between them.
    pub initiatives: usize,
    pub dependencies: usize,
    pub findings: Vec<CheckRow>,
}

impl CheckView {
    /// Cycles are errors: the plan cannot go ahead as written.
    pub fn cycles(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == "error")
            .count()
    }
}

/// One finding, as `graph check --format json` prints it.
#[derive(Debug, Serialize)]
pub struct CheckRow {
    /// The initiative concerned: the dependant, or a cycle's first member.
    pub id: String,
    pub severity: &'static str,
    pub kind: &'static str,
    /// The owner's id (the message names owners as tables do).
    pub owner: Option<String>,
    /// The dependency involved (none for a cycle).
    pub depends_on: Option<String>,
    pub depends_on_owner: Option<String>,
    /// A cycle's closed path, each depending on the next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle: Option<Vec<String>>,
    /// In English, whatever the language of the labels: the JSON is the same in every one.
    pub message: String,
    /// What the message says, for tables in other languages.
    #[serde(skip)]
    pub detail: CheckDetail,
}

/// `graph check`: cycles, undelivered dependencies, schedule and status conflicts, with the
/// statuses as of `as_of`.
pub fn check(store: &Store, strategy: Option<&str>, as_of: NaiveDate) -> Result<CheckView> {
    store.snapshot(|store| {
        let plan = Plan::read(store, strategy, as_of)?;
        let status = statuses(store, &plan.strategy.id, as_of)?;
        // Every initiative, withdrawn ones too: a dependency on one is a finding.
        let all = &plan.stored.plan.initiatives;
        let graph = DepGraph::from_initiatives(all);
        let facts: HashMap<&str, Facts> = all
            .iter()
            .map(|i| {
                let s = status.get(&i.id);
                let f = Facts {
                    kind: i.kind,
                    withdrawn: plan.stored.is_withdrawn(ItemType::Initiative, &i.id),
                    due: i.due,
                    status: s.map(|s| s.status),
                    completed_on: s.and_then(|s| s.completed_on),
                };
                (i.id.as_str(), f)
            })
            .collect();
        let owner_of: HashMap<&str, &str> = all
            .iter()
            .map(|i| (i.id.as_str(), i.owner.as_str()))
            .collect();
        let labels = owner_labels(&plan.stored);
        let who = |id: &str| match owner_of.get(id) {
            Some(o) => format!("`{id}` ({})", labels.get(o).copied().unwrap_or(o)),
            None => format!("`{id}`"),
        };
        let findings = graph
            .check(&facts)
            .iter()
            .map(|f| check_row(f, &who, &owner_of))
            .collect();
        let live = plan.live();
        Ok(CheckView {
            as_of,
            initiatives: live.len(),
            dependencies: live_graph(&live).edge_count(),
            findings,
        })
    })
}

fn check_row(
    f: &Finding<'_>,
    who: &dyn Fn(&str) -> String,
    owners: &HashMap<&str, &str>,
) -> CheckRow {
    let owner = |id: &str| owners.get(id).map(|o| o.to_string());
    let detail = match f {
        Finding::Cycle(path) => {
            let mut seen = HashSet::new();
            let steps = path
                .iter()
                .map(|id| {
                    if seen.insert(*id) {
                        who(id)
                    } else {
                        format!("`{id}`")
                    }
                })
                .collect();
            CheckDetail::Cycle(steps)
        }
        Finding::Undelivered {
            dependant,
            dependency,
            why,
        } => CheckDetail::Undelivered {
            dependant: who(dependant),
            dependency: who(dependency),
            why: *why,
        },
        Finding::Schedule {
            dependant,
            dependency,
            due,
            dependency_due,
        } => CheckDetail::Schedule {
            dependant: who(dependant),
            dependency: who(dependency),
            due: *due,
            dependency_due: *dependency_due,
        },
        Finding::AheadOfDelayed {
            dependant,
            dependency,
            status,
        } => CheckDetail::AheadOfDelayed {
            dependant: who(dependant),
            dependency: who(dependency),
            status: *status,
        },
        Finding::CompletedFirst {
            dependant,
            dependency,
            completed_on,
            dependency_completed_on,
            dependency_status,
        } => CheckDetail::CompletedFirst {
            dependant: who(dependant),
            dependency: who(dependency),
            completed_on: *completed_on,
            dependency_completed_on: *dependency_completed_on,
            dependency_status: *dependency_status,
        },
    };
    CheckRow {
        id: f.id().to_string(),
        severity: if f.is_error() { "error" } else { "warning" },
        kind: detail.kind(),
        owner: owner(f.id()),
        depends_on: f.dependency().map(str::to_string),
        depends_on_owner: f.dependency().and_then(owner),
        cycle: match f {
            Finding::Cycle(path) => Some(path.iter().map(|s| s.to_string()).collect()),
            _ => None,
        },
        message: detail.message(),
        detail,
    }
}

/// What a finding is about, each initiative named as tables name it (`` `id` (owner) ``): what
/// its message says, in English here and in other languages in `render::graph`.
#[derive(Debug, Clone)]
pub enum CheckDetail {
    /// The cycle's steps, each depending on the next.
    Cycle(Vec<String>),
    Undelivered {
        dependant: String,
        dependency: String,
        why: Undelivered,
    },
    Schedule {
        dependant: String,
        dependency: String,
        due: NaiveDate,
        dependency_due: NaiveDate,
    },
    AheadOfDelayed {
        dependant: String,
        dependency: String,
        status: Status,
    },
    CompletedFirst {
        dependant: String,
        dependency: String,
        completed_on: NaiveDate,
        dependency_completed_on: Option<NaiveDate>,
        dependency_status: Option<Status>,
    },
}

impl CheckDetail {
    pub fn kind(&self) -> &'static str {
        match self {
            CheckDetail::Cycle(_) => "cycle",
            CheckDetail::Undelivered { why, .. } => match why {
                Undelivered::Unknown => "unknown-dependency",
                Undelivered::Withdrawn => "withdrawn-dependency",
                Undelivered::Proposed => "proposed-dependency",
                Undelivered::Cancelled => "cancelled-dependency",
            },
            CheckDetail::Schedule { .. } => "schedule-conflict",
            CheckDetail::AheadOfDelayed { .. } | CheckDetail::CompletedFirst { .. } => {
                "status-conflict"
            }
        }
    }

    /// The message in English: the JSON's, in every language.
    fn message(&self) -> String {
        self.describe(&ENGLISH, |d| d.to_string(), Status::as_str)
    }

    /// The message in a language's `phrases`, with its way of writing a day and a status.
    pub fn describe(
        &self,
        phrases: &CheckPhrases,
        day: impl Fn(NaiveDate) -> String,
        status: impl Fn(Status) -> &'static str,
    ) -> String {
        let fill = |template: &str, values: &[(&str, &str)]| {
            values
                .iter()
                .fold(template.to_string(), |t, (k, v)| t.replace(k, v))
        };
        match self {
            CheckDetail::Cycle(steps) => fill(phrases.cycle, &[("{steps}", &steps.join(" → "))]),
            CheckDetail::Undelivered {
                dependant,
                dependency,
                why,
            } => {
                let which = match why {
                    Undelivered::Unknown => phrases.which[0],
                    Undelivered::Withdrawn => phrases.which[1],
                    Undelivered::Proposed => phrases.which[2],
                    Undelivered::Cancelled => phrases.which[3],
                };
                let values = [
                    ("{a}", dependant.as_str()),
                    ("{b}", dependency),
                    ("{which}", which),
                ];
                fill(phrases.undelivered, &values)
            }
            CheckDetail::Schedule {
                dependant,
                dependency,
                due,
                dependency_due,
            } => {
                let (due, dependency_due) = (day(*due), day(*dependency_due));
                let values = [
                    ("{a}", dependant.as_str()),
                    ("{b}", dependency),
                    ("{due}", &due),
                    ("{b_due}", &dependency_due),
                ];
                fill(phrases.schedule, &values)
            }
            CheckDetail::AheadOfDelayed {
                dependant,
                dependency,
                status: s,
            } => {
                let values = [
                    ("{a}", dependant.as_str()),
                    ("{b}", dependency),
                    ("{status}", status(*s)),
                ];
                fill(phrases.ahead_of_delayed, &values)
            }
            CheckDetail::CompletedFirst {
                dependant,
                dependency,
                completed_on,
                dependency_completed_on,
                dependency_status,
            } => {
                let then = match (dependency_completed_on, dependency_status) {
                    (Some(d), Some(Status::Completed)) => {
                        fill(phrases.then_completed, &[("{day}", &day(*d))])
                    }
                    (_, Some(s)) => fill(phrases.then_still, &[("{status}", status(*s))]),
                    (_, None) => phrases.then_none.to_string(),
                };
                let on = day(*completed_on);
                let values = [
                    ("{a}", dependant.as_str()),
                    ("{b}", dependency),
                    ("{on}", &on),
                    ("{then}", &then),
                ];
                fill(phrases.completed_first, &values)
            }
        }
    }
}

/// How a language says what `graph check` found: `{a}` is the dependant, `{b}` the dependency.
pub struct CheckPhrases {
    pub cycle: &'static str,
    pub undelivered: &'static str,
    /// Unknown, withdrawn, proposed, cancelled.
    pub which: [&'static str; 4],
    pub schedule: &'static str,
    pub ahead_of_delayed: &'static str,
    pub completed_first: &'static str,
    pub then_completed: &'static str,
    pub then_still: &'static str,
    pub then_none: &'static str,
}

const ENGLISH: CheckPhrases = CheckPhrases {
    cycle: "dependency cycle: {steps}; each depends on the next, so none of them can start",
    undelivered: "{a} depends on {b}, {which}",
    which: [
        "which is not in the plan",
        "which is withdrawn from the plan",
        "which is only proposed",
        "which is cancelled",
    ],
    schedule: "{a} is due {due}, before its dependency {b} is due {b_due}",
    ahead_of_delayed: "{a} is {status} while its dependency {b} is delayed",
    completed_first: "{a} was completed {on}, before its dependency {b}, which {then}",
    then_completed: "was completed {day}",
    then_still: "is still {status}",
    then_none: "has no status yet",
};

// ---------------------------------------------------------------------------------------------
// impact
// ---------------------------------------------------------------------------------------------

/// What a delay of one initiative hits (`graph impact`). Its rows borrow from the plan it
/// holds: thousands of them, each named four ways, are not copied out.
#[derive(Debug)]
pub struct ImpactView {
    pub id: String,
    pub as_of: NaiveDate,
    plan: PlanInForce,
    /// Sorted by owner id, depth, id.
    hit: Vec<Hit>,
    /// How many initiatives each owner has among them: (owner label, count), by owner id.
    pub per_owner: Vec<(String, usize)>,
}

/// One initiative hit: places in the plan's nodes.
#[derive(Debug, Clone, Copy)]
struct Hit {
    position: usize,
    depth: usize,
    status: Option<Status>,
    via: usize,
}

impl ImpactView {
    pub fn is_empty(&self) -> bool {
        self.hit.is_empty()
    }

    pub fn len(&self) -> usize {
        self.hit.len()
    }

    /// The initiatives hit, sorted by owner id, depth and id.
    pub fn hit(&self) -> impl ExactSizeIterator<Item = Impacted<'_>> {
        self.hit.iter().map(|h| {
            let n = &self.plan.nodes[h.position];
            let owner = self.plan.owner(n);
            Impacted {
                id: &n.id,
                title: &n.title,
                owner: &owner.id,
                owner_name: owner.label(),
                depth: h.depth,
                status: h.status,
                via: &self.plan.nodes[h.via].id,
            }
        })
    }
}

/// As JSON, the list of the initiatives hit (what `graph impact --format json` prints).
impl Serialize for ImpactView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.hit())
    }
}

/// One initiative hit by a delay, as `graph impact --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Impacted<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub owner: &'a str,
    pub owner_name: &'a str,
    pub depth: usize,
    pub status: Option<Status>,
    /// The initiative it is reached through, one step nearer the delayed one.
    pub via: &'a str,
}

/// `graph impact ID`: everything that depends on `id`, directly or through others.
pub fn impact(
    store: &Store,
    strategy: Option<&str>,
    id: &str,
    as_of: NaiveDate,
) -> Result<ImpactView> {
    store.snapshot(|store| {
        let plan = read_plan_in_force(store, strategy, as_of)?;
        let graph = graph_of(&plan);
        require(&plan, &graph, id)?;
        let status = latest_by_node(store, &plan, &graph, as_of)?;
        let mut hit: Vec<Hit> = graph
            .impact(id)
            .into_iter()
            .filter_map(|r| {
                Some(Hit {
                    position: r.position,
                    depth: r.depth,
                    status: *status.get(r.position)?,
                    via: graph.position(r.via)?,
                })
            })
            .collect();
        let key = |h: &Hit| {
            let n = &plan.nodes[h.position];
            (plan.owner(n).id.as_str(), h.depth, n.id.as_str())
        };
        hit.sort_by(|x, y| key(x).cmp(&key(y)));
        // Sorted by owner id: each owner's count goes to the last entry when it is theirs.
        let mut per_owner: Vec<(u32, usize)> = Vec::new();
        for h in &hit {
            let owner = plan.nodes[h.position].owner;
            match per_owner.last_mut() {
                Some((o, n)) if *o == owner => *n += 1,
                _ => per_owner.push((owner, 1)),
            }
        }
        let per_owner = per_owner
            .into_iter()
            .map(|(o, n)| (plan.owners[o as usize].label().to_string(), n))
            .collect();
        Ok(ImpactView {
            id: id.to_string(),
            as_of,
            plan,
            hit,
            per_owner,
        })
    })
}

// ---------------------------------------------------------------------------------------------
// order
// ---------------------------------------------------------------------------------------------

/// The initiatives in force in the order work can go in (`graph order`). Its rows borrow
/// from the plan it holds.
#[derive(Debug)]
pub struct OrderView {
    plan: PlanInForce,
    /// (place in the plan's nodes, level, its dependencies in `dependencies`), by level, then
    /// in plan order.
    levels: Vec<(usize, usize, Range<usize>)>,
    /// The rows' dependencies, as places in the plan's nodes, each row's by id.
    dependencies: Vec<usize>,
}

impl OrderView {
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    pub fn len(&self) -> usize {
        self.levels.len()
    }

    /// How many levels there are.
    pub fn top_level(&self) -> usize {
        self.levels.last().map_or(0, |(_, level, _)| *level)
    }

    /// The rows, by level, then in plan order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Ordered<'_>> {
        self.levels.iter().map(|(position, level, dependencies)| {
            let n = &self.plan.nodes[*position];
            let owner = self.plan.owner(n);
            Ordered {
                id: &n.id,
                level: *level,
                title: &n.title,
                owner: &owner.id,
                owner_name: owner.label(),
                depends_on: self.dependencies[dependencies.clone()]
                    .iter()
                    .map(|&d| self.plan.nodes[d].id.as_str())
                    .collect(),
            }
        })
    }
}

/// As JSON, the list of rows (what `graph order --format json` prints).
impl Serialize for OrderView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.rows())
    }
}

/// One initiative in the order work can go in, as `graph order --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Ordered<'a> {
    pub id: &'a str,
    pub level: usize,
    pub title: &'a str,
    pub owner: &'a str,
    pub owner_name: &'a str,
    /// Its dependencies in force.
    pub depends_on: Vec<&'a str>,
}

/// `graph order`: the initiatives in force in levels (the plan as it stands on `day`).
pub fn order(store: &Store, strategy: Option<&str>, day: NaiveDate) -> Result<OrderView> {
    let plan = read_plan_in_force(store, strategy, day)?;
    let graph = graph_of(&plan);
    let leveled = graph.levels().map_err(|c| cyclic(&c.cycles))?;
    let mut levels = Vec::with_capacity(leveled.len());
    let mut dependencies = Vec::with_capacity(plan.edges.len());
    for l in &leveled {
        let from = dependencies.len();
        dependencies.extend(graph.dependencies_at(l.position));
        levels.push((l.position, l.level, from..dependencies.len()));
    }
    Ok(OrderView {
        plan,
        levels,
        dependencies,
    })
}

// ---------------------------------------------------------------------------------------------
// critical-path
// ---------------------------------------------------------------------------------------------

/// The chain of dependencies that finishes last, on the calendar (`graph critical-path`).
#[derive(Debug, Serialize)]
pub struct CriticalPathView {
    /// From the first dependency to the last dependant.
    pub steps: Vec<Step>,
    /// The first step's scheduled start and the last step's scheduled finish.
    pub start: Option<NaiveDate>,
    pub finish: Option<NaiveDate>,
    /// The end of the strategy period (31 December of its last year).
    pub period_end: NaiveDate,
    /// Days from `finish` to `period_end`; below zero, the chain runs past the strategy.
    pub slack_days: Option<i64>,
}

/// One link of the critical path, as `graph critical-path --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    /// As the plan has them.
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// On the calendar: no earlier than its own start, nor before its predecessor's finish.
    pub scheduled_start: NaiveDate,
    pub scheduled_finish: NaiveDate,
    /// Days from its due date to its scheduled finish when that is later (0 when on time).
    pub late_days: i64,
}

/// `graph critical-path`: the dependency chain whose scheduled finish is latest, each link
/// starting no earlier than its predecessor's finish (see `DepGraph::schedule`).
pub fn critical_path(
    store: &Store,
    strategy: Option<&str>,
    day: NaiveDate,
) -> Result<CriticalPathView> {
    let plan = read_plan_in_force(store, strategy, day)?;
    let graph = graph_of(&plan);
    let dates = |id: &str| node(&plan, &graph, id).map_or((None, None), |n| (n.start, n.due));
    let chain = graph.schedule(dates).map_err(|c| cyclic(&c.cycles))?;
    let steps: Vec<Step> = chain
        .iter()
        .flatten()
        .filter_map(|link| {
            let n = node(&plan, &graph, link.id)?;
            let owner = plan.owner(n);
            let late = n.due.map_or(0, |due| (link.finish - due).num_days().max(0));
            Some(Step {
                id: n.id.clone(),
                title: n.title.clone(),
                owner: owner.id.clone(),
                owner_name: owner.label().to_string(),
                start: n.start,
                due: n.due,
                scheduled_start: link.start,
                scheduled_finish: link.finish,
                late_days: late,
            })
        })
        .collect();
    let period_end = crate::report::end_of_year(plan.strategy.period.end);
    let (start, finish) = (
        steps.first().map(|s| s.scheduled_start),
        steps.last().map(|s| s.scheduled_finish),
    );
    Ok(CriticalPathView {
        slack_days: finish.map(|f| (period_end - f).num_days()),
        steps,
        start,
        finish,
        period_end,
    })
}

// ---------------------------------------------------------------------------------------------
// export (drawings)
// ---------------------------------------------------------------------------------------------

/// What `graph export` draws.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    /// The strategy's title, shown above a DOT drawing with the day of the statuses (Mermaid
    /// flowcharts have no title line).
    pub title: String,
    pub as_of: NaiveDate,
    /// Focus areas, in plan order.
    pub clusters: Vec<String>,
    pub nodes: Vec<DrawnNode>,
    pub edges: Vec<DrawnEdge>,
}

#[derive(Debug, Clone)]
pub struct DrawnNode {
    pub id: String,
    pub title: String,
    /// How tables name its owner: shown under the title with the id and the status.
    pub owner: String,
    pub status: Option<Status>,
    /// Index into `Drawing::clusters`.
    pub cluster: Option<usize>,
    /// Drawn with a heavy border: the initiative `--focus` names.
    pub emphasis: bool,
}

/// `from` (the dependency) must come before `to` (the dependant); indices into `nodes`.
#[derive(Debug, Clone, Copy)]
pub struct DrawnEdge {
    pub from: usize,
    pub to: usize,
    /// The dependency is delayed or at risk: drawn red.
    pub risky: bool,
}

/// `graph export`: the graph of the initiatives in force as a drawing (statuses as of `as_of`),
/// or with `focus` only that initiative and what is connected to it, transitively.
pub fn drawing(
    store: &Store,
    strategy: Option<&str>,
    focus: Option<&str>,
    as_of: NaiveDate,
) -> Result<Drawing> {
    store.snapshot(|store| {
        let plan = read_plan_in_force(store, strategy, as_of)?;
        let full = graph_of(&plan);
        let focused = match focus {
            Some(id) => {
                require(&plan, &full, id)?;
                let mut keep: HashSet<&str> = HashSet::from([id]);
                keep.extend(full.upstream(id).iter().map(|r| r.id));
                keep.extend(full.impact(id).iter().map(|r| r.id));
                Some(full.induced(|n| keep.contains(n)))
            }
            None => None,
        };
        let graph = focused.as_ref().unwrap_or(&full);
        // By place in the whole graph, which is the plan's.
        let status = latest_by_node(store, &plan, &full, as_of)?;
        let status_of = |id: &str| full.position(id).and_then(|k| status[k]);
        let mut node_index: HashMap<&str, usize> = HashMap::new();
        let mut nodes = Vec::new();
        for id in graph.ids() {
            let Some(n) = node(&plan, &full, id) else {
                continue;
            };
            node_index.insert(id, nodes.len());
            nodes.push(DrawnNode {
                id: id.to_string(),
                title: n.title.clone(),
                owner: plan.owner(n).label().to_string(),
                status: status_of(id),
                cluster: n.focus_area.map(|k| k as usize),
                emphasis: focus == Some(id),
            });
        }
        // Drawn dependency → dependant.
        let edges = graph
            .edges()
            .filter_map(|(dependant, dependency)| {
                let risky = status_of(dependency).is_some_and(Status::is_blocking);
                Some(DrawnEdge {
                    from: *node_index.get(dependency)?,
                    to: *node_index.get(dependant)?,
                    risky,
                })
            })
            .collect();
        Ok(Drawing {
            title: plan.strategy.title.clone(),
            as_of,
            clusters: plan.focus_areas.clone(),
            nodes,
            edges,
        })
    })
}
