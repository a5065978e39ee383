//! `site --out DIR`: the public status site, built and written. The model comes from
//! [`views::site`](crate::views::site) (one snapshot of the store), the pages from
//! [`render::site`](crate::render::site), and the files go through
//! [`output::create_files_from`](crate::output::create_files_from), page by page: all or nothing, never through a
//! link, nothing outside `DIR`, and a page already there with other content replaced only
//! with `force`. Nothing else in `DIR` is touched, and nothing is ever deleted: publishing
//! from a fresh folder gives exactly the site (docs/site.md).

use std::path::Path;

use chrono::NaiveDate;

use crate::error::Result;
use crate::output::Created;
use crate::render::Lang;
use crate::render::site::Page;
use crate::render::site::SitePages;
use crate::store::Store;
use crate::views::site::SiteOptions;
use crate::views::site::read;

/// What `site` is asked for.
#[derive(Debug, Clone)]
pub struct SiteRequest<'a> {
    pub strategy: Option<&'a str>,
    pub as_of: NaiveDate,
    pub lang: Lang,
    pub dir: &'a Path,
    pub force: bool,
}

/// Builds the site of a strategy as of a day and writes it into `dir`. Each page is handed
/// to the folder as soon as it is made, an initiative's as soon as its history is read: one
/// page is held at a time, however large the site.
pub fn write_site(store: &Store, req: &SiteRequest<'_>) -> Result<Created> {
    let opts = SiteOptions {
        strategy: req.strategy.map(str::to_string),
        as_of: req.as_of,
    };
    read(store, &opts, |site, initiatives| {
        let pages = SitePages::new(&site, req.lang);
        crate::output::create_files_from(req.dir, req.force, |files| {
            let mut add = |page: Page| files.add(Path::new(&page.path), page.content.as_bytes());
            for page in pages.shared() {
                add(page);
            }
            initiatives.for_each(|i| {
                add(pages.initiative(&i));
                Ok(())
            })?;
            pages.owners().for_each(add);
            Ok(())
        })
    })
}
