//! `graph`: dependency analysis over the store's plan — check, impact, order, critical path and
//! pictures. The algorithms are in `crate::graph`; this file reads the store, calls them and
//! prints. See docs/graph.md.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::collections::HashSet;

use chrono::NaiveDate;
use clap::Args;
use clap::Subcommand;
use clap::ValueEnum;
use serde::Serialize;

use super::Context;
use super::emit;
use crate::error::Error;
use crate::graph::DepGraph;
use crate::graph::Facts;
use crate::graph::Finding;
use crate::graph::Undelivered;
use crate::graph::planned_days;
use crate::model::Initiative;
use crate::model::Status;
use crate::model::Strategy;
use crate::render;
use crate::render::graph::Drawing;
use crate::render::graph::DrawnEdge;
use crate::render::graph::DrawnNode;
use crate::store::ItemType;
use crate::store::Store;
use crate::store::StoredPlan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DrawingFormat {
    Dot,
    Mermaid,
}

#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    Check(CheckArgs),
    Impact(ImpactArgs),
    Order(OrderArgs),
    CriticalPath(CriticalPathArgs),
    Export(GraphExportArgs),
}

/// Check the dependencies: cycles, undelivered dependencies, schedule and status conflicts.
///
/// Cycles are errors (exit 1). Warnings: a dependency that is withdrawn, only proposed,
/// cancelled or not in the plan; an initiative due before something it depends on is due; an
/// initiative on track or completed while a dependency is delayed, or completed before a
/// dependency was completed. Statuses as of --as-of.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph check\n  actionplan graph check --as-of 2021-12-31 --format json"
)]
pub struct CheckArgs {
    /// Statuses as of this day [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = GraphFormat::Table)]
    pub format: GraphFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// What depends on an initiative, transitively: what a delay hits, grouped by owner.
///
/// Each initiative hit is shown with its depth (1: depends on ID directly), its status as of
/// --as-of and the path of dependencies back to ID.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph impact ressurssenter-data\n  actionplan graph impact nett --as-of 2022-12-31 --format json"
)]
pub struct ImpactArgs {
    /// The initiative whose delay to follow
    pub id: String,
    /// Statuses as of this day [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = GraphFormat::Table)]
    pub format: GraphFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// The order work can go in, in levels.
///
/// Level 1 depends on nothing; every other initiative sits one level above the highest of its
/// dependencies. Within a level, plan order.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph order\n  actionplan graph order --format json"
)]
pub struct OrderArgs {
    #[arg(long, value_enum, default_value_t = GraphFormat::Table)]
    pub format: GraphFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// The longest chain of dependencies, in days.
///
/// An initiative lasts the days from its start to its due date (0 without both); the chain
/// whose durations add up to the most days wins; ties go to the longer chain, then by ids.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph critical-path\n  actionplan graph critical-path --strategy eos --format json"
)]
pub struct CriticalPathArgs {
    #[arg(long, value_enum, default_value_t = GraphFormat::Table)]
    pub format: GraphFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// Draw the dependency graph for Graphviz (dot) or Mermaid.
///
/// Edges point from a dependency to what depends on it. Nodes are coloured by status (green
/// on-track, amber at-risk, red delayed, blue completed, grey not-started, paused or none,
/// black cancelled) and grouped by focus area; an edge is red when its dependency is delayed
/// or at risk. --focus draws one initiative with everything upstream and downstream of it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph export --format dot | dot -Tsvg > graf.svg\n  actionplan graph export --format mermaid --focus ressurssenter-data"
)]
pub struct GraphExportArgs {
    #[arg(long, value_enum, default_value_t = DrawingFormat::Dot)]
    pub format: DrawingFormat,
    /// Only this initiative and what is connected to it, transitively
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// Statuses as of this day [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

pub fn run_graph(ctx: &Context, cmd: &GraphCommand) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let out = match cmd {
        GraphCommand::Check(a) => return check(&store, a),
        GraphCommand::Impact(a) => impact(ctx, &store, a)?,
        GraphCommand::Order(a) => order(ctx, &store, a)?,
        GraphCommand::CriticalPath(a) => critical_path(ctx, &store, a)?,
        GraphCommand::Export(a) => export(&store, a)?,
    };
    emit(None, out.as_bytes())
}

// ---------------------------------------------------------------------------------------------
// What every verb reads
// ---------------------------------------------------------------------------------------------

/// One strategy's plan from the store, with the lookups the verbs share.
struct PlanView {
    strategy: Strategy,
    plan: StoredPlan,
    owners: HashMap<String, String>,
}

impl PlanView {
    /// The plan as it stood on `day`.
    fn load(store: &Store, strategy: Option<&str>, day: NaiveDate) -> crate::Result<Self> {
        let strategy = store.resolve_strategy(strategy)?;
        let plan = store.plan_outline_on(&strategy.id, day)?;
        let owners = plan
            .plan
            .organisations
            .iter()
            .map(|o| (o.id.clone(), o.label().to_string()))
            .collect();
        Ok(PlanView {
            strategy,
            plan,
            owners,
        })
    }

    /// The initiatives in force (not withdrawn), in plan order.
    fn live(&self) -> Vec<&Initiative> {
        self.plan
            .plan
            .initiatives
            .iter()
            .filter(|i| !self.plan.is_withdrawn(ItemType::Initiative, &i.id))
            .collect()
    }

    /// An owner as tables show it: the organisation's short name, else its name, else the id.
    fn owner<'s>(&'s self, id: &'s str) -> &'s str {
        self.owners.get(id).map_or(id, String::as_str)
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

fn by_id<'a>(live: &[&'a Initiative]) -> HashMap<&'a str, &'a Initiative> {
    live.iter().map(|i| (i.id.as_str(), *i)).collect()
}

/// An initiative of the graph, or a refusal: withdrawn, or unknown with a "did you mean".
fn require(view: &PlanView, graph: &DepGraph<'_>, id: &str) -> crate::Result<()> {
    if graph.contains(id) {
        return Ok(());
    }
    if view.plan.is_withdrawn(ItemType::Initiative, id) {
        return Err(Error::refused(format!(
            "`{id}` is withdrawn from the plan, so it is no longer in the dependency graph"
        )));
    }
    Err(Error::Refused {
        message: format!("unknown initiative `{id}`"),
        hint: crate::suggest::did_you_mean(id, graph.ids()),
    })
}

/// An initiative's latest status on or before a day, and since when it has been completed.
#[derive(Debug, Clone, Copy)]
struct StatusAt {
    status: Status,
    completed_on: Option<NaiveDate>,
}

/// How much of the status history a verb needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum History {
    /// Each initiative's latest update on or before the day: one index seek per initiative.
    Latest,
    /// Every update up to the day, to tell when a run of `completed` began.
    Full,
}

/// Every initiative's status as of `as_of`, read once into a map (updates come per
/// initiative, oldest first, so the last one wins). `completed_on` is exact with
/// [`History::Full`] only.
fn statuses(
    store: &Store,
    strategy: &str,
    as_of: NaiveDate,
    history: History,
) -> crate::Result<HashMap<String, StatusAt>> {
    let points = match history {
        History::Latest => store.latest_statuses(strategy, as_of)?,
        History::Full => store.statuses_until(strategy, as_of)?,
    };
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

fn status_label(s: Option<Status>) -> String {
    s.map_or_else(|| "—".to_string(), |s| s.to_string())
}

/// A cycle is an error: the check's output is printed first, then this refusal (exit 1).
fn cycle_error(graph_cycles: usize) -> anyhow::Error {
    let s = if graph_cycles == 1 { "" } else { "s" };
    Error::refused_with_hint(
        format!(
            "the plan has {graph_cycles} dependency cycle{s}: the initiatives on it can never start"
        ),
        "remove one `depends_on` entry of each cycle",
    )
    .into()
}

fn cyclic(cycles: &[Vec<&str>]) -> Error {
    let first = cycles.first().map(|c| c.join(" → ")).unwrap_or_default();
    Error::refused_with_hint(
        format!("the plan has a dependency cycle, so it has no order: {first}"),
        "`actionplan graph check` lists every cycle",
    )
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

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
    pub message: String,
}

fn check(store: &Store, a: &CheckArgs) -> anyhow::Result<()> {
    let as_of = a.as_of.unwrap_or_else(super::today);
    let view = PlanView::load(store, a.strategy.as_deref(), as_of)?;
    let status = statuses(store, &view.strategy.id, as_of, History::Full)?;
    // Every initiative, withdrawn ones too: a dependency on one is a finding.
    let all = &view.plan.plan.initiatives;
    let graph = DepGraph::from_initiatives(all);
    let facts: HashMap<&str, Facts> = all
        .iter()
        .map(|i| {
            let s = status.get(&i.id);
            let f = Facts {
                kind: i.kind,
                withdrawn: view.plan.is_withdrawn(ItemType::Initiative, &i.id),
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
    let who = |id: &str| match owner_of.get(id) {
        Some(o) => format!("`{id}` ({})", view.owner(o)),
        None => format!("`{id}`"),
    };
    let findings = graph.check(&facts);
    let rows: Vec<CheckRow> = findings
        .iter()
        .map(|f| check_row(f, &who, &owner_of))
        .collect();
    let cycles = findings.iter().filter(|f| f.is_error()).count();
    let out = match a.format {
        GraphFormat::Json => render::json(&rows)?,
        GraphFormat::Table => {
            let mut s = String::new();
            for r in &rows {
                s.push_str(&format!("{}: {}\n", r.severity, r.message));
            }
            let live = view.live();
            let edges = live_graph(&live).edge_count();
            let warnings = rows.len() - cycles;
            s.push_str(&format!(
                "{} initiatives, {edges} dependencies, statuses as of {as_of}: {}, {}\n",
                live.len(),
                plural(cycles, "cycle", "no cycles"),
                plural(warnings, "warning", "no warnings"),
            ));
            render::neutralise(&s).into_owned()
        }
    };
    emit(None, out.as_bytes())?;
    if cycles > 0 {
        return Err(cycle_error(cycles));
    }
    Ok(())
}

fn plural(n: usize, word: &str, none: &str) -> String {
    match n {
        0 => none.to_string(),
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

fn check_row(
    f: &Finding<'_>,
    who: &dyn Fn(&str) -> String,
    owners: &HashMap<&str, &str>,
) -> CheckRow {
    let owner = |id: &str| owners.get(id).map(|o| o.to_string());
    let (kind, message) = match f {
        Finding::Cycle(path) => {
            let mut seen = HashSet::new();
            let steps: Vec<String> = path
                .iter()
                .map(|id| {
                    if seen.insert(*id) {
                        who(id)
                    } else {
                        format!("`{id}`")
                    }
                })
                .collect();
            (
                "cycle",
                format!(
                    "dependency cycle: {}; each depends on the next, so none of them can start",
                    steps.join(" → ")
                ),
            )
        }
        Finding::Undelivered {
            dependant,
            dependency,
            why,
        } => {
            let which = match why {
                Undelivered::Unknown => "which is not in the plan",
                Undelivered::Withdrawn => "which is withdrawn from the plan",
                Undelivered::Proposed => "which is only proposed",
                Undelivered::Cancelled => "which is cancelled",
            };
            let kind = match why {
                Undelivered::Unknown => "unknown-dependency",
                Undelivered::Withdrawn => "withdrawn-dependency",
                Undelivered::Proposed => "proposed-dependency",
                Undelivered::Cancelled => "cancelled-dependency",
            };
            (
                kind,
                format!("{} depends on {}, {which}", who(dependant), who(dependency)),
            )
        }
        Finding::Schedule {
            dependant,
            dependency,
            due,
            dependency_due,
        } => (
            "schedule-conflict",
            format!(
                "{} is due {due}, before its dependency {} is due {dependency_due}",
                who(dependant),
                who(dependency)
            ),
        ),
        Finding::AheadOfDelayed {
            dependant,
            dependency,
            status,
        } => (
            "status-conflict",
            format!(
                "{} is {status} while its dependency {} is delayed",
                who(dependant),
                who(dependency)
            ),
        ),
        Finding::CompletedFirst {
            dependant,
            dependency,
            completed_on,
            dependency_completed_on,
            dependency_status,
        } => {
            let then = match (dependency_completed_on, dependency_status) {
                (Some(d), Some(Status::Completed)) => format!("was completed {d}"),
                (_, Some(s)) => format!("is still {s}"),
                (_, None) => "has no status yet".to_string(),
            };
            (
                "status-conflict",
                format!(
                    "{} was completed {completed_on}, before its dependency {}, which {then}",
                    who(dependant),
                    who(dependency)
                ),
            )
        }
    };
    CheckRow {
        id: f.id().to_string(),
        severity: if f.is_error() { "error" } else { "warning" },
        kind,
        owner: owner(f.id()),
        depends_on: f.dependency().map(str::to_string),
        depends_on_owner: f.dependency().and_then(owner),
        cycle: match f {
            Finding::Cycle(path) => Some(path.iter().map(|s| s.to_string()).collect()),
            _ => None,
        },
        message,
    }
}

// ---------------------------------------------------------------------------------------------
// impact
// ---------------------------------------------------------------------------------------------

/// One initiative hit by a delay, as `graph impact --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Impacted {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub depth: usize,
    pub status: Option<Status>,
    /// The initiative it is reached through, one step nearer the delayed one.
    pub via: String,
}

fn impact(ctx: &Context, store: &Store, a: &ImpactArgs) -> anyhow::Result<String> {
    let as_of = a.as_of.unwrap_or_else(super::today);
    let view = PlanView::load(store, a.strategy.as_deref(), as_of)?;
    let live = view.live();
    let graph = live_graph(&live);
    require(&view, &graph, &a.id)?;
    let status = statuses(store, &view.strategy.id, as_of, History::Latest)?;
    let by_id = by_id(&live);
    let mut rows: Vec<Impacted> = graph
        .impact(&a.id)
        .into_iter()
        .filter_map(|r| {
            let i = by_id.get(r.id)?;
            Some(Impacted {
                id: i.id.clone(),
                title: i.title.clone(),
                owner: i.owner.clone(),
                owner_name: view.owner(&i.owner).to_string(),
                depth: r.depth,
                status: status.get(&i.id).map(|s| s.status),
                via: r.via.to_string(),
            })
        })
        .collect();
    rows.sort_by(|x, y| (&x.owner, x.depth, &x.id).cmp(&(&y.owner, y.depth, &y.id)));
    Ok(match a.format {
        GraphFormat::Json => render::json(&rows)?,
        GraphFormat::Table if rows.is_empty() => {
            format!("nothing depends on `{}`\n", a.id)
        }
        GraphFormat::Table => {
            let mut t = render::new_table(ctx.color);
            t.set_header(vec!["owner", "id", "title", "depth", "status", "via"]);
            let mut previous: Option<&str> = None;
            for r in &rows {
                // The owner once per group: the agencies hit stand out.
                let owner = if previous == Some(r.owner.as_str()) {
                    String::new()
                } else {
                    r.owner_name.clone()
                };
                previous = Some(&r.owner);
                t.add_row(vec![
                    render::cell(owner),
                    render::cell(&r.id),
                    render::cell(&r.title),
                    render::cell(r.depth.to_string()),
                    render::status_cell(r.status, &status_label(r.status), ctx.color),
                    render::cell(&r.via),
                ]);
            }
            let mut per_owner: BTreeMap<&str, usize> = BTreeMap::new();
            for r in &rows {
                *per_owner.entry(&r.owner).or_default() += 1;
            }
            let owners: Vec<String> = per_owner
                .iter()
                .map(|(o, n)| format!("{} ({n})", view.owner(o)))
                .collect();
            let summary = format!(
                "a delay of `{}` hits {} of {}: {}; statuses as of {as_of}",
                a.id,
                plural(rows.len(), "initiative", "no initiatives"),
                plural(per_owner.len(), "owner", "no owners"),
                owners.join(", "),
            );
            format!("{t}\n{}\n", render::neutralise(&summary))
        }
    })
}

// ---------------------------------------------------------------------------------------------
// order
// ---------------------------------------------------------------------------------------------

/// One initiative in the order work can go in, as `graph order --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Ordered {
    pub id: String,
    pub level: usize,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    /// Its dependencies in force.
    pub depends_on: Vec<String>,
}

fn order(ctx: &Context, store: &Store, a: &OrderArgs) -> anyhow::Result<String> {
    let view = PlanView::load(store, a.strategy.as_deref(), super::today())?;
    let live = view.live();
    let graph = live_graph(&live);
    let levels = graph.levels().map_err(|c| cyclic(&c.cycles))?;
    let by_id = by_id(&live);
    let rows: Vec<Ordered> = levels
        .iter()
        .filter_map(|l| {
            let i = by_id.get(l.id)?;
            Some(Ordered {
                id: i.id.clone(),
                level: l.level,
                title: i.title.clone(),
                owner: i.owner.clone(),
                owner_name: view.owner(&i.owner).to_string(),
                depends_on: graph
                    .dependencies(&i.id)
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            })
        })
        .collect();
    Ok(match a.format {
        GraphFormat::Json => render::json(&rows)?,
        GraphFormat::Table if rows.is_empty() => "no initiatives\n".to_string(),
        GraphFormat::Table => {
            let table = render::table_rows(
                ctx.color,
                &["level", "id", "title", "owner"],
                rows.iter().map(|r| {
                    vec![
                        r.level.to_string(),
                        r.id.clone(),
                        r.title.clone(),
                        r.owner_name.clone(),
                    ]
                }),
            );
            let top = rows.iter().map(|r| r.level).max().unwrap_or(0);
            format!(
                "{table}{} in {}; within a level, plan order\n",
                plural(rows.len(), "initiative", "no initiatives"),
                plural(top, "level", "no levels"),
            )
        }
    })
}

// ---------------------------------------------------------------------------------------------
// critical-path
// ---------------------------------------------------------------------------------------------

/// One step of the critical path, as `graph critical-path --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// Days from start to due (0 without both).
    pub days: i64,
    /// The chain's days up to and including this step; the last step's is the total.
    pub cumulative_days: i64,
}

fn critical_path(ctx: &Context, store: &Store, a: &CriticalPathArgs) -> anyhow::Result<String> {
    let view = PlanView::load(store, a.strategy.as_deref(), super::today())?;
    let live = view.live();
    let graph = live_graph(&live);
    let by_id = by_id(&live);
    let days = |id: &str| by_id.get(id).map_or(0, |i| planned_days(i.start, i.due));
    let chain = graph.critical_path(days).map_err(|c| cyclic(&c.cycles))?;
    let mut total = 0;
    let steps: Vec<Step> = chain
        .iter()
        .flat_map(|c| c.ids.iter())
        .filter_map(|id| {
            let i = by_id.get(id)?;
            let d = planned_days(i.start, i.due);
            total += d;
            Some(Step {
                id: i.id.clone(),
                title: i.title.clone(),
                owner: i.owner.clone(),
                owner_name: view.owner(&i.owner).to_string(),
                start: i.start,
                due: i.due,
                days: d,
                cumulative_days: total,
            })
        })
        .collect();
    Ok(match a.format {
        GraphFormat::Json => render::json(&steps)?,
        GraphFormat::Table if steps.is_empty() => "no initiatives\n".to_string(),
        GraphFormat::Table => {
            let table = render::table_rows(
                ctx.color,
                &["#", "id", "title", "owner", "start", "due", "days"],
                steps.iter().enumerate().map(|(k, s)| {
                    vec![
                        (k + 1).to_string(),
                        s.id.clone(),
                        s.title.clone(),
                        s.owner_name.clone(),
                        render::opt_date(s.start),
                        render::opt_date(s.due),
                        s.days.to_string(),
                    ]
                }),
            );
            format!(
                "{table}critical path: {}, {} days (each from its start to its due date, added up; each depends on the one above)\n",
                plural(steps.len(), "initiative", "no initiatives"),
                total,
            )
        }
    })
}

// ---------------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------------

/// Titles in drawings wrap at this many characters.
const LABEL_WIDTH: usize = 36;

fn export(store: &Store, a: &GraphExportArgs) -> anyhow::Result<String> {
    let as_of = a.as_of.unwrap_or_else(super::today);
    let view = PlanView::load(store, a.strategy.as_deref(), as_of)?;
    let live = view.live();
    let full = live_graph(&live);
    let graph = match &a.focus {
        Some(id) => {
            require(&view, &full, id)?;
            let mut keep: HashSet<&str> = HashSet::from([id.as_str()]);
            keep.extend(full.upstream(id).iter().map(|r| r.id));
            keep.extend(full.impact(id).iter().map(|r| r.id));
            full.induced(|n| keep.contains(n))
        }
        None => full,
    };
    let status = statuses(store, &view.strategy.id, as_of, History::Latest)?;
    let by_id = by_id(&live);
    let areas: Vec<_> = view
        .plan
        .plan
        .focus_areas
        .iter()
        .filter(|f| !view.plan.is_withdrawn(ItemType::FocusArea, &f.id))
        .collect();
    let area_index: HashMap<&str, usize> = areas
        .iter()
        .enumerate()
        .map(|(k, f)| (f.id.as_str(), k))
        .collect();
    let mut node_index: HashMap<&str, usize> = HashMap::new();
    let mut nodes = Vec::new();
    for id in graph.ids() {
        let Some(i) = by_id.get(id) else { continue };
        let st = status.get(id).map(|s| s.status);
        node_index.insert(id, nodes.len());
        nodes.push(DrawnNode {
            id: id.to_string(),
            lines: render::graph::wrap(&i.title, LABEL_WIDTH)
                .into_iter()
                .chain([format!(
                    "{id} · {} · {}",
                    view.owner(&i.owner),
                    status_label(st)
                )])
                .collect(),
            status: st,
            cluster: area_index.get(i.focus_area.as_str()).copied(),
            emphasis: a.focus.as_deref() == Some(id),
        });
    }
    // Drawn dependency → dependant.
    let edges = graph
        .edges()
        .filter_map(|(dependant, dependency)| {
            let risky = status
                .get(dependency)
                .is_some_and(|s| s.status.is_blocking());
            Some(DrawnEdge {
                from: *node_index.get(dependency)?,
                to: *node_index.get(dependant)?,
                risky,
            })
        })
        .collect();
    let drawing = Drawing {
        title: format!("{} — statuses as of {as_of}", view.strategy.title),
        clusters: areas.iter().map(|f| f.title.clone()).collect(),
        nodes,
        edges,
    };
    Ok(match a.format {
        DrawingFormat::Dot => render::graph::dot(&drawing),
        DrawingFormat::Mermaid => render::graph::mermaid(&drawing),
    })
}
