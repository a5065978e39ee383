//! `site --out DIR`: the public status site, built and written. The model comes from
//! [`views::site`](crate::views::site) (one snapshot of the store), the pages from
//! [`render::site`](crate::render::site), and the files go through
//! [`output::create_files`](crate::output::create_files): all or nothing, never through a
//! link, nothing outside `DIR`, and a page already there with other content replaced only
//! with `force`. Nothing else in `DIR` is touched, and nothing is ever deleted: publishing
//! from a fresh folder gives exactly the site (docs/site.md).

use std::path::Path;

use chrono::NaiveDate;

use crate::error::Result;
use crate::output::Created;
use crate::output::NewFile;
use crate::render::Lang;
use crate::render::site::site_pages;
use crate::store::Store;
use crate::views::site::SiteOptions;
use crate::views::site::build;

/// What `site` is asked for.
#[derive(Debug, Clone)]
pub struct SiteRequest<'a> {
    pub strategy: Option<&'a str>,
    pub as_of: NaiveDate,
    pub lang: Lang,
    pub dir: &'a Path,
    pub force: bool,
}

/// Builds the site of a strategy as of a day and writes it into `dir`.
pub fn write_site(store: &Store, req: &SiteRequest<'_>) -> Result<Created> {
    let site = build(
        store,
        &SiteOptions {
            strategy: req.strategy.map(str::to_string),
            as_of: req.as_of,
        },
    )?;
    let files: Vec<NewFile> = site_pages(&site, req.lang)
        .into_iter()
        .map(|p| NewFile {
            name: p.path.into(),
            content: p.content.into_bytes(),
        })
        .collect();
    crate::output::create_files(req.dir, &files, req.force)
}
