//! `graph`: dependency analysis over the store's plan.

use clap::Args;
use clap::Subcommand;
use clap::ValueEnum;
use serde::Serialize;

use super::Context;
use super::emit;
use crate::error::Error;
use crate::graph::DepGraph;
use crate::model::Initiative;
use crate::render;
use crate::store::ItemType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    /// What depends on an initiative, transitively: what a delay hits, grouped by owner
    #[command(after_help = "Example:\n  actionplan graph impact ressurssenter-data")]
    Impact(ImpactArgs),
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    pub id: String,
    #[arg(long, value_enum, default_value_t = GraphFormat::Table)]
    pub format: GraphFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// One initiative hit by a delay, as `graph impact --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Impacted {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub depth: usize,
    pub status: Option<crate::model::Status>,
    /// From the delayed initiative to this one.
    pub path: Vec<String>,
}

pub fn run_graph(ctx: &Context, cmd: &GraphCommand) -> anyhow::Result<()> {
    let store = ctx.open_store()?;
    match cmd {
        GraphCommand::Impact(a) => {
            let strategy = store.resolve_strategy(a.strategy.as_deref())?;
            let plan = store.plan(&strategy.id)?;
            let live: Vec<Initiative> = plan
                .plan
                .initiatives
                .iter()
                .filter(|i| !plan.is_withdrawn(ItemType::Initiative, &i.id))
                .cloned()
                .collect();
            let graph = DepGraph::from_initiatives(&live);
            if !graph.contains(&a.id) {
                let hint = crate::suggest::did_you_mean(&a.id, live.iter().map(|i| i.id.as_str()));
                return Err(Error::Refused {
                    message: format!("unknown initiative `{}`", a.id),
                    hint,
                }
                .into());
            }
            let today = super::today();
            let updates = store.updates_until(&strategy.id, today)?;
            let status_of = |id: &str| {
                updates
                    .iter()
                    .rev()
                    .find(|u| u.update.initiative == id)
                    .map(|u| u.update.status)
            };
            let mut rows: Vec<Impacted> = graph
                .impact(&a.id)
                .into_iter()
                .filter_map(|r| {
                    let i = live.iter().find(|i| i.id == r.id)?;
                    Some(Impacted {
                        id: i.id.clone(),
                        title: i.title.clone(),
                        owner: i.owner.clone(),
                        depth: r.depth,
                        status: status_of(&i.id),
                        path: r.path.iter().map(|s| s.to_string()).collect(),
                    })
                })
                .collect();
            rows.sort_by(|x, y| (&x.owner, x.depth, &x.id).cmp(&(&y.owner, y.depth, &y.id)));
            let out = match a.format {
                GraphFormat::Json => render::json(&rows)?,
                GraphFormat::Table => render::table_rows(
                    ctx.color,
                    &["owner", "id", "title", "depth", "status", "path"],
                    rows.iter().map(|r| {
                        vec![
                            r.owner.clone(),
                            r.id.clone(),
                            r.title.clone(),
                            r.depth.to_string(),
                            r.status.map_or("—".into(), |s| s.to_string()),
                            r.path.join(" → "),
                        ]
                    }),
                ),
            };
            emit(None, out.as_bytes())
        }
    }
}
