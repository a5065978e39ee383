//! `indicator list` and `indicator show`: indicators against their targets.

use clap::Args;
use clap::Subcommand;
use serde::Serialize;

use super::Context;
use super::ListFormat;
use super::emit;
use crate::error::Error;
use crate::indicators::SegmentView;
use crate::indicators::analyse;
use crate::model::Indicator;
use crate::render;
use crate::store::ItemType;

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// List the indicators with their latest value, trend and course per segment
    #[command(
        after_help = "Examples:\n  actionplan indicator list --strategy fdn\n  actionplan indicator list --year 2024 --format csv"
    )]
    List(IndicatorListArgs),
    /// Show one indicator: the series per segment, changes, target, gap and course
    #[command(after_help = "Example:\n  actionplan indicator show ki-bruk --strategy fdn")]
    Show(IndicatorShowArgs),
}

#[derive(Debug, Args)]
pub struct IndicatorListArgs {
    /// Only measurements up to this year [default: all]
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

#[derive(Debug, Args)]
pub struct IndicatorShowArgs {
    pub id: String,
    /// Only measurements up to this year [default: all]
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value_t = super::graph::GraphFormat::Table)]
    pub format: super::graph::GraphFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// An indicator as `indicator list|show --format json` prints it.
#[derive(Debug, Serialize)]
struct IndicatorView<'a> {
    id: &'a str,
    title: &'a str,
    focus_area: Option<&'a str>,
    unit: &'a str,
    better: &'a str,
    source: Option<&'a str>,
    segments: Vec<SegmentView>,
}

fn view<'a>(
    i: &'a Indicator,
    measurements: &[crate::model::Measurement],
    year: Option<i32>,
) -> IndicatorView<'a> {
    IndicatorView {
        id: &i.id,
        title: &i.title,
        focus_area: i.focus_area.as_deref(),
        unit: i.unit.as_str(),
        better: i.better.as_str(),
        source: i.source.as_deref(),
        segments: analyse(i, measurements, year.unwrap_or(i32::MAX)),
    }
}

fn course(s: &SegmentView) -> &'static str {
    match s.on_course {
        Some(true) => "on course",
        Some(false) => "off course",
        None => "",
    }
}

fn cells(v: &IndicatorView<'_>, s: &SegmentView) -> Vec<String> {
    let latest = s.latest.map_or_else(String::new, |p| {
        format!("{} ({})", render::quantity(p.value, v.unit), p.year)
    });
    let change = match (s.change, s.trend) {
        (Some(c), Some(t)) => format!(
            "{} {}{}",
            t.arrow(),
            if c > 0.0 { "+" } else { "" },
            render::quantity(c, "")
        ),
        _ => String::new(),
    };
    let target = s.target.map_or_else(String::new, |t| {
        format!("{} ({})", render::quantity(t.value, v.unit), t.year)
    });
    let gap = s.gap.map_or_else(String::new, |g| render::quantity(g, ""));
    vec![
        s.segment.clone(),
        latest,
        change,
        target,
        gap,
        course(s).to_string(),
    ]
}

pub fn run_indicator(ctx: &Context, cmd: &IndicatorCommand) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let (strategy, year) = match cmd {
        IndicatorCommand::List(a) => (a.strategy.as_deref(), a.year),
        IndicatorCommand::Show(a) => (a.strategy.as_deref(), a.year),
    };
    let strategy = store.resolve_strategy(strategy)?;
    let plan = store.plan_on(&strategy.id, super::today())?;
    let measurements = store.measurements(&strategy.id)?;
    let live: Vec<&Indicator> = plan
        .plan
        .indicators
        .iter()
        .filter(|i| !plan.is_withdrawn(ItemType::Indicator, &i.id))
        .collect();
    let header = ["segment", "latest", "change", "target", "gap", "course"];
    let out = match cmd {
        IndicatorCommand::List(a) => {
            let views: Vec<IndicatorView<'_>> =
                live.iter().map(|i| view(i, &measurements, year)).collect();
            let rows = views.iter().flat_map(|v| {
                v.segments.iter().map(|s| {
                    let mut row = vec![v.id.to_string()];
                    row.extend(cells(v, s));
                    row
                })
            });
            let mut full = vec!["indicator"];
            full.extend(header);
            match a.format {
                ListFormat::Json => render::json(&views)?,
                ListFormat::Csv => render::csv_rows(&full, rows)?,
                ListFormat::Table => render::table_rows(ctx.color, &full, rows),
            }
        }
        IndicatorCommand::Show(a) => {
            let Some(i) = live.iter().find(|i| i.id == a.id) else {
                let hint = crate::suggest::did_you_mean(&a.id, live.iter().map(|i| i.id.as_str()));
                return Err(Error::Refused {
                    message: format!("unknown indicator `{}`", a.id),
                    hint,
                }
                .into());
            };
            let v = view(i, &measurements, year);
            match a.format {
                super::graph::GraphFormat::Json => render::json(&v)?,
                super::graph::GraphFormat::Table => {
                    // The lines above the tables hold what users wrote: neutralised here, as
                    // the tables' cells are.
                    let mut text = format!("{} ({})\n", v.title, v.id);
                    text.push_str(&format!("unit: {}, better: {}", v.unit, v.better));
                    if let Some(src) = v.source {
                        text.push_str(&format!(", source: {src}"));
                    }
                    text.push('\n');
                    let targets: Vec<String> = i
                        .targets
                        .iter()
                        .map(|t| {
                            let seg = t
                                .segment
                                .as_deref()
                                .map_or_else(String::new, |s| format!(" ({s})"));
                            format!("{} by {}{seg}", render::quantity(t.value, v.unit), t.year)
                        })
                        .collect();
                    if !targets.is_empty() {
                        text.push_str(&format!("targets: {}\n", targets.join(", ")));
                    }
                    text.push('\n');
                    let mut text = render::neutralise(&text).into_owned();
                    text.push_str(&render::table_rows(
                        ctx.color,
                        &header,
                        v.segments.iter().map(|s| cells(&v, s)),
                    ));
                    let series = v.segments.iter().flat_map(|s| {
                        let mut prev: Option<f64> = None;
                        s.series.iter().map(move |p| {
                            let change = prev
                                .map_or_else(String::new, |q| render::quantity(p.value - q, ""));
                            prev = Some(p.value);
                            vec![
                                s.segment.clone(),
                                p.year.to_string(),
                                render::quantity(p.value, v.unit),
                                change,
                            ]
                        })
                    });
                    text.push('\n');
                    text.push_str(&render::table_rows(
                        ctx.color,
                        &["segment", "year", "value", "change"],
                        series,
                    ));
                    text
                }
            }
        }
    };
    emit(None, out.as_bytes())
}
