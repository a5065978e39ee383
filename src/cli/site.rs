//! `site`: the public status site, written to a folder.

use std::path::PathBuf;

use clap::Args;

use super::AsOfArgs;
use super::Context;
use super::StrategyArgs;
use crate::render::Lang;
use crate::site::SiteRequest;
use crate::site::write_site;

/// Write the public status site: the plan and its progress as static, accessible web pages.
///
/// index.html (the strategy, its focus areas and goals, every initiative's latest status and
/// owner), initiative/<id>.html, owner/<id>.html, indicators.html and site.css. No scripts and
/// only relative links: open index.html from disk, or publish the folder to any static host.
/// Nothing else in the folder is touched; a page already there with other content is replaced
/// only with --force.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan site --out public/ --strategy eos\n  actionplan site --out public/ --strategy eos --lang en --as-of 2022-12-31 --force"
)]
pub struct SiteArgs {
    /// Folder to write the site to (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace pages already there with other content (nothing else in the folder is touched)
    #[arg(long)]
    pub force: bool,
    /// Language of the pages' own words (data stays as written) [default: from LANG]
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

pub fn run_site(ctx: &Context, a: &SiteArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = ctx.strategy(&store, &a.strategy)?;
    let done = write_site(
        &store,
        &SiteRequest {
            strategy: strategy.as_deref(),
            as_of: a.as_of.or_today(),
            lang: ctx.lang(a.lang),
            dir: &a.out,
            force: a.force,
        },
    )?;
    // A page already there as it is counts as done: a rerun of the same record is no conflict.
    say!(
        "wrote the site to {}: {} files new or replaced, {} unchanged",
        a.out.display(),
        done.written.len(),
        done.unchanged.len()
    );
    Ok(())
}
