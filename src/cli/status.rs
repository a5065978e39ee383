//! `status set`, `status history` and `missing`: the yearly collection round.

use chrono::NaiveDate;
use clap::Args;
use clap::Subcommand;

use super::AsOfArgs;
use super::Context;
use super::LangArgs;
use super::StrategyArgs;
use super::today;
use crate::period::PeriodSpec;
use crate::render;
use crate::render::ListFormat;
use crate::views::status as view;

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
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    pub initiative: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

/// List the initiatives with no update in a round, grouped by owner, with whom to write to.
///
/// The initiatives asked about are those `forms ROUND` asks about: active in the round's year
/// (neither proposed nor withdrawn, started by its end, not completed or cancelled before it
/// began). One without an update dated in the round is missing. `--format csv` gives one row
/// per owner, ready for a mail merge: owner, organisation, contact, email, round, count, the
/// initiatives ("Title (id); …") and their ids.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan missing 2021\n  actionplan missing 2021H1\n  actionplan missing 2021 --format csv > purreliste.csv"
)]
pub struct MissingArgs {
    /// The round: a year (2021) or a half-year (2021H1, 2021H2)
    #[arg(value_parser = parse_round_arg, value_name = "ROUND")]
    pub round: PeriodSpec,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

pub fn run_status(ctx: &Context, cmd: &StatusCommand) -> anyhow::Result<()> {
    match cmd {
        StatusCommand::Set(a) => {
            let new = view::NewStatus {
                initiative: a.initiative.clone(),
                status: view::status_word(&a.status)?,
                on: a.on.unwrap_or_else(today),
                progress: a.progress,
                summary: a.summary.clone(),
                respondent: a.respondent.clone(),
                correction: a.correction.clone(),
            };
            let mut store = ctx.open_store()?;
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let summary = view::set(
                &mut store,
                strategy.as_deref(),
                &new,
                today(),
                chrono::Utc::now(),
            )?;
            say!("{}", render::load_summary(&summary, 0));
            Ok(())
        }
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
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let history = view::history(&store, strategy.as_deref(), &a.initiative)?;
            let mut out = Vec::new();
            let lang = ctx.lang(a.lang.lang);
            render::history(&history, a.format, lang, ctx.style(), &mut out)?;
            ctx.emit(None, &out)
        }
    }
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
    #[command(flatten)]
    pub lang: LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormFormat {
    Toml,
    Xlsx,
}

pub fn run_forms(ctx: &Context, a: &FormsArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let lang = ctx.lang(a.lang.lang);
    let strategy = ctx.strategy(&store, &a.strategy)?;
    let kind = match a.format {
        FormFormat::Toml => crate::forms::FormKind::Toml,
        FormFormat::Xlsx => crate::forms::FormKind::Xlsx,
    };
    let written = crate::forms::write_round(
        &store,
        strategy.as_deref(),
        a.round,
        kind,
        lang,
        &a.out,
        a.force,
    )?;
    match written {
        None => say!("no active initiatives in {}: no forms written", a.round),
        Some(done) => {
            let kept = match done.unchanged.len() {
                0 => String::new(),
                n => format!(" ({n} already there as they are)"),
            };
            say!(
                "wrote {} forms to {}{kept}",
                done.written.len(),
                a.out.display()
            );
        }
    }
    Ok(())
}

pub fn run_missing(ctx: &Context, a: &MissingArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = ctx.strategy(&store, &a.strategy)?;
    let m = crate::views::missing::missing(&store, strategy.as_deref(), a.round, a.as_of.as_of)?;
    let mut out = Vec::new();
    render::missing::missing(&m, a.format, ctx.lang(a.lang.lang), ctx.style(), &mut out)?;
    ctx.emit(None, &out)?;
    // A letter cannot go to an owner the plan gives no address for: say which, once.
    let mut unreachable: Vec<&str> = m
        .by_owner()
        .filter(|rows| rows[0].contact.is_none())
        .map(|rows| rows[0].owner.as_str())
        .collect();
    unreachable.dedup();
    if a.format != ListFormat::Json && !unreachable.is_empty() {
        say!(
            "note: no contact in the plan for {}: add `contact = {{ name = \"…\", email = \"…\" }}` to its [[organisation]]",
            unreachable.join(", ")
        );
    }
    Ok(())
}

/// A round: a year or a half-year, the year one a verb can take (see `period::Year`).
pub(crate) fn parse_round_arg(s: &str) -> Result<PeriodSpec, String> {
    let year = s.trim().split(['H', 'h']).next().unwrap_or("");
    year.parse::<crate::period::Year>()?;
    crate::parse::form::parse_round(s)
        .ok_or_else(|| format!("`{s}` is not a round: write a year (2021) or a half-year (2021H1)"))
}
