//! `status set`, `status history` and `missing`: the yearly collection round.

use chrono::Datelike;
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
use crate::period::PeriodSpec;
use crate::render;
use crate::store::Batch;
use crate::store::SourceInfo;
use crate::validate::update_problems;

#[derive(Debug, Subcommand)]
pub enum StatusCommand {
    /// Record one status update for an initiative
    ///
    /// The update is appended to the history; earlier updates are never changed. Recording the
    /// same update twice changes nothing.
    #[command(
        after_help = "Examples:\n  actionplan status set ressurssenter-data on-track --on 2021-06-30 --progress 60\n  actionplan status set startoff forsinket --summary \"Leverandøren er sen\""
    )]
    Set(SetArgs),
    /// Show every update of an initiative, oldest first, each with its number
    #[command(after_help = "Example:\n  actionplan status history ressurssenter-data")]
    History(HistoryArgs),
    /// Take back an update recorded by mistake
    ///
    /// The update stays in the history, marked as retracted with the reason and the moment;
    /// reports, `missing`, `diff` and `lint` leave it out. Its number is in `status history`.
    /// An update dated in a closed period is retracted only as a correction.
    #[command(
        after_help = "Examples:\n  actionplan status history startoff\n  actionplan status retract 42 --reason \"Feil år i skjemaet\""
    )]
    Retract(RetractArgs),
}

#[derive(Debug, Args)]
pub struct RetractArgs {
    /// The update's number, as `status history` shows it
    #[arg(value_name = "UPDATE_ID")]
    pub update: i64,
    /// Why the update is taken back
    #[arg(long, value_name = "TEXT", value_parser = super::non_blank)]
    pub reason: String,
    /// The reason, when the update lies in a closed period
    #[arg(long, value_name = "REASON", value_parser = super::non_blank)]
    pub correction: Option<String>,
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
    /// The reason, when the update corrects a closed period
    #[arg(long, value_name = "REASON", value_parser = super::non_blank)]
    pub correction: Option<String>,
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
#[command(
    after_help = "Examples:\n  actionplan missing 2021\n  actionplan missing 2021 --format csv > purring.csv"
)]
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
        StatusCommand::Retract(a) => {
            let store = ctx.open_store()?;
            let r = store.retract(
                a.update,
                &a.reason,
                a.correction.as_deref(),
                chrono::Utc::now(),
            )?;
            say!(
                "retracted update {} ({} {} on {})",
                r.id,
                r.initiative,
                r.status,
                r.reported_on
            );
            Ok(())
        }
        StatusCommand::History(a) => {
            let store = ctx.read_store()?;
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
        Error::Refused {
            message: format!("unknown status `{}`", a.status),
            hint: Some(hint),
        }
    })?;
    let mut store = ctx.open_store()?;
    let strategy = store.resolve_strategy(a.strategy.as_deref())?;
    let today = today();
    let day = a.on.unwrap_or(today);
    // Validated against the stored plan and closed periods; again under the write lock if
    // another process changed them meanwhile (withdrew the initiative, closed the period).
    let validate = |store: &crate::store::Store| -> crate::Result<Batch> {
        let (mut view, _) = crate::load::stored_view(store, &strategy.id)?
            .ok_or_else(|| Error::refused("the database holds no plan for this strategy"))?;
        view.corrections_allowed = a.correction.is_some();
        let update = Update {
            initiative: a.initiative.clone(),
            status,
            progress: a.progress,
            reported_on: day,
            answers: Answers {
                summary: a.summary.clone(),
                ..Answers::default()
            },
            respondent: a.respondent.clone(),
            basis: None,
            source: None,
        };
        let problems = update_problems(&view, &a.initiative, day, None, today);
        // The same update again is a no-op, never a refusal.
        if let Some(p) = problems
            .into_iter()
            .next()
            .filter(|_| !store.is_recorded(&strategy.id, &update).unwrap_or(false))
        {
            return Err(Error::Refused {
                message: p.message,
                hint: p.hint,
            });
        }
        Ok(Batch {
            forms: vec![(
                SourceInfo {
                    kind: "command",
                    path: "status set".into(),
                    content_hash: String::new(),
                },
                Form {
                    strategy: strategy.id.clone(),
                    owner: None,
                    round: None,
                    reported_on: day,
                    updates: vec![update],
                },
            )],
            correction: a.correction.clone(),
            ..Batch::default()
        })
    };
    let (summary, _) = store.write_validated(chrono::Utc::now(), "status set", validate)?;
    say!("{}", render::load_summary(&summary, 0));
    Ok(())
}

/// Write one blank status form per owner for a year, ready to send out.
///
/// Each form lists the owner's initiatives active that year, with last year's status and
/// answers (as comments in TOML, on the sheet "Forrige runde" in a workbook). The fields to
/// fill in are empty: a form sent back unfilled is refused.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan forms 2021 --out utsending-2021/\n  actionplan forms 2021 --format xlsx --out utsending-2021/\n  # … the owners fill them in …\n  actionplan load utsending-2021/"
)]
pub struct FormsArgs {
    /// The round: a year (2021) or a half-year (2021H1, 2021H2)
    #[arg(value_parser = parse_round_arg, value_name = "ROUND")]
    pub round: PeriodSpec,
    /// Folder to write the forms to (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,
    /// toml: text forms; xlsx: workbooks for Excel or LibreOffice
    #[arg(long, value_enum, default_value_t = FormFormat::Toml)]
    pub format: FormFormat,
    /// Overwrite forms that already exist there
    #[arg(long)]
    pub force: bool,
    /// Language of the help text in the forms [default: from LANG]
    #[arg(long, value_enum)]
    pub lang: Option<crate::render::Lang>,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormFormat {
    Toml,
    Xlsx,
}

pub fn run_forms(ctx: &Context, a: &FormsArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = store.resolve_strategy(a.strategy.as_deref())?;
    let year = a.round.first_day().year();
    if !strategy.period.contains_year(year) {
        return Err(Error::refused(format!(
            "{} is outside the strategy period {}–{}",
            a.round, strategy.period.start, strategy.period.end
        ))
        .into());
    }
    let lang = a.lang.unwrap_or_else(crate::render::Lang::from_env);
    let forms = match a.format {
        FormFormat::Toml => crate::forms::blank_forms(&store, &strategy.id, a.round, lang)?,
        FormFormat::Xlsx => {
            let round = crate::forms::round_forms(&store, &strategy.id, a.round)?;
            crate::forms::xlsx::blank_workbooks(&round, lang)?
        }
    };
    if forms.is_empty() {
        say!("no active initiatives in {}: no forms written", a.round);
        return Ok(());
    }
    // All or none, and nothing an owner may have filled in is overwritten without --force.
    let files: Vec<_> = forms
        .into_iter()
        .map(|f| crate::output::NewFile {
            name: f.file_name.into(),
            content: f.contents,
        })
        .collect();
    let done = crate::output::create_files(&a.out, &files, a.force)?;
    let kept = match done.unchanged.len() {
        0 => String::new(),
        n => format!(" ({n} already there as they are)"),
    };
    say!(
        "wrote {} forms to {}{kept}",
        done.written.len(),
        a.out.display()
    );
    Ok(())
}

pub fn run_missing(ctx: &Context, a: &MissingArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = store.resolve_strategy(a.strategy.as_deref())?;
    let rows = crate::report::missing(&store, &strategy.id, a.year, a.as_of)?;
    let out = render::missing(&rows, a.format, ctx.color)?;
    emit(None, out.as_bytes())
}

fn parse_round_arg(s: &str) -> Result<PeriodSpec, String> {
    crate::parse::form::parse_round(s)
        .ok_or_else(|| format!("`{s}` is not a round: write a year (2021) or a half-year (2021H1)"))
}
