//! `status set`, `status history` and `missing`: the yearly collection round.

use chrono::NaiveDate;
use clap::Args;
use clap::Subcommand;

use super::Context;
use super::ListFormat;
use super::emit;
use super::today;
use crate::error::Error;
use crate::model::Answers;
use crate::model::Form;
use crate::model::Status;
use crate::model::Update;
use crate::render;
use crate::store::Batch;
use crate::store::SourceInfo;
use crate::validate::PlanView;
use crate::validate::update_problems;

#[derive(Debug, Subcommand)]
pub enum StatusCommand {
    /// Record one status update for an initiative
    ///
    /// The update is appended to the history; earlier updates are never changed. Recording the
    /// same update twice changes nothing.
    #[command(after_help = "Examples:\n  actionplan status set ressurssenter-data on-track --on 2021-06-30 --progress 60\n  actionplan status set startoff forsinket --summary \"Leverandøren er sen\"")]
    Set(SetArgs),
    /// Show every update of an initiative, oldest first
    #[command(after_help = "Example:\n  actionplan status history ressurssenter-data")]
    History(HistoryArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Initiative id
    pub initiative: String,
    /// not-started, on-track, at-risk, delayed, completed, paused, cancelled (or the Norwegian words)
    pub status: String,
    /// The day the status holds for [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<NaiveDate>,
    /// Progress in percent, 0–100
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub progress: Option<u8>,
    /// How the work goes, in a sentence or two
    #[arg(long)]
    pub summary: Option<String>,
    /// Who reports (role and agency)
    #[arg(long)]
    pub respondent: Option<String>,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    pub initiative: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// List the active initiatives with no update in a year, grouped by owner.
///
/// "Active": neither proposed nor withdrawn, started by the end of the year, and not completed
/// or cancelled before it began.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  actionplan missing 2021\n  actionplan missing 2021 --format csv > purring.csv")]
pub struct MissingArgs {
    pub year: i32,
    /// Count updates up to this day only [default: 31 December]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

pub fn run_status(ctx: &Context, cmd: &StatusCommand) -> anyhow::Result<()> {
    match cmd {
        StatusCommand::Set(a) => set(ctx, a),
        StatusCommand::History(a) => {
            let store = ctx.open_store()?;
            let strategy = store.resolve_strategy(a.strategy.as_deref())?;
            let plan = store.plan(&strategy.id)?;
            if plan.initiative(&a.initiative).is_none() {
                let ids = plan.plan.initiatives.iter().map(|i| i.id.as_str());
                let hint = crate::suggest::did_you_mean(&a.initiative, ids);
                let msg = format!("unknown initiative `{}`", a.initiative);
                return Err(Error::Refused { message: msg, hint }.into());
            }
            let history = store.history(&strategy.id, &a.initiative)?;
            let out = render::history(&history, a.format, ctx.color)?;
            emit(None, out.as_bytes())
        }
    }
}

fn set(ctx: &Context, a: &SetArgs) -> anyhow::Result<()> {
    let status: Status = a.status.parse().map_err(|()| {
        let hint = crate::suggest::did_you_mean(&a.status, Status::words())
            .map(|h| format!("{h} (accepted: {})", Status::words().join(", ")))
            .unwrap_or_else(|| format!("accepted: {}", Status::words().join(", ")));
        Error::Refused { message: format!("unknown status `{}`", a.status), hint: Some(hint) }
    })?;
    let mut store = ctx.open_store()?;
    let strategy = store.resolve_strategy(a.strategy.as_deref())?;
    let mut plan = store.plan(&strategy.id)?;
    let withdrawn: Vec<_> = plan
        .plan
        .initiatives
        .iter()
        .filter(|i| plan.is_withdrawn(crate::store::ItemType::Initiative, &i.id))
        .map(|i| (i.id.clone(), i.owner.clone(), i.kind))
        .collect();
    plan.plan.initiatives.retain(|i| !withdrawn.iter().any(|(id, _, _)| id == &i.id));
    let view = PlanView::of_plan(&plan.plan, &withdrawn)
        .ok_or_else(|| Error::refused("the database holds no plan for this strategy"))?;
    let today = today();
    let day = a.on.unwrap_or(today);
    if let Some(p) = update_problems(&view, &a.initiative, day, None, today).into_iter().next() {
        return Err(Error::Refused { message: p.message, hint: p.hint }.into());
    }
    let update = Update {
        initiative: a.initiative.clone(),
        status,
        progress: a.progress,
        reported_on: day,
        answers: Answers { summary: a.summary.clone(), ..Answers::default() },
        respondent: a.respondent.clone(),
    };
    let batch = Batch {
        forms: vec![(
            SourceInfo { kind: "command", path: "status set".into(), content_hash: String::new() },
            Form { strategy: strategy.id.clone(), owner: None, reported_on: day, updates: vec![update] },
        )],
        ..Batch::default()
    };
    let summary = store.write(&batch, chrono::Utc::now(), "status set")?;
    eprintln!("{}", render::load_summary(&summary, 0));
    Ok(())
}

pub fn run_missing(ctx: &Context, a: &MissingArgs) -> anyhow::Result<()> {
    let store = ctx.open_store()?;
    let strategy = store.resolve_strategy(a.strategy.as_deref())?;
    let rows = crate::report::missing(&store, &strategy.id, a.year, a.as_of)?;
    let out = render::missing(&rows, a.format, ctx.color)?;
    emit(None, out.as_bytes())
}
