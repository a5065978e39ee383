//! The public status site as files: `index.html`, `initiative/<id>.html`, `owner/<id>.html`,
//! `indicators.html` and one stylesheet, `site.css`. Plain pages: no script, no web font, no
//! address outside the folder, only relative links, so the folder reads the same from disk
//! (`file://`) as from any static host. maud escapes every text from the plan and the forms;
//! control characters are neutralised as in the report. The output is a function of the model
//! alone: the same record gives the same bytes.
//!
//! Accessibility (WCAG 2.1 AA) is built in rather than checked after: a skip link, one `<h1>`
//! and headings in order, tables with captions and `<th scope>`, a status always written as a
//! word (its colour is a decoration beside it), charts with a text alternative and a table of
//! the same figures, a visible focus ring, colours at 4.5:1 or more. `tests/cli/site.rs` runs
//! axe-core over every page.

mod labels;
mod pages;
mod timeline;

use std::collections::HashMap;

use maud::DOCTYPE;
use maud::Markup;
use maud::html;

use self::labels::SiteLabels;
use super::Labels;
use super::Lang;
use crate::model::Status;
use crate::report::NO_STATUS;
use crate::views::site::Ref;
use crate::views::site::Site;
use crate::views::site::SiteEntry;
use crate::views::site::SiteInitiative;

/// One file of the site: its path inside the site's folder and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub content: String,
}

/// The files of the site, made one at a time from its model. The site is these in a fixed
/// order: [`SitePages::shared`], an initiative's page for each in plan order, then
/// [`SitePages::owners`].
pub struct SitePages<'a> {
    cx: Cx<'a>,
}

impl<'a> SitePages<'a> {
    pub fn new(site: &'a Site, lang: Lang) -> SitePages<'a> {
        SitePages {
            cx: Cx {
                site,
                by_id: site
                    .initiatives
                    .iter()
                    .map(|i| (i.id.as_str(), i))
                    .collect(),
                l: lang.labels(),
                s: SiteLabels::of(lang),
                lang,
            },
        }
    }

    /// The stylesheet, the index and the indicators' page.
    pub fn shared(&self) -> [Page; 3] {
        [
            Page {
                path: "site.css".into(),
                content: stylesheet(),
            },
            Page {
                path: "index.html".into(),
                content: pages::index(&self.cx),
            },
            Page {
                path: "indicators.html".into(),
                content: pages::indicators(&self.cx),
            },
        ]
    }

    /// `initiative/<id>.html`.
    pub fn initiative(&self, i: &SiteInitiative) -> Page {
        Page {
            path: format!("initiative/{}.html", i.id),
            content: pages::initiative(&self.cx, i),
        }
    }

    /// `owner/<id>.html` for each organisation, in plan order.
    pub fn owners(&self) -> impl Iterator<Item = Page> + '_ {
        self.cx.site.organisations.iter().map(|o| Page {
            path: format!("owner/{}.html", o.id),
            content: pages::owner(&self.cx, o),
        })
    }
}

/// What every page is made with.
struct Cx<'a> {
    site: &'a Site,
    by_id: HashMap<&'a str, &'a SiteEntry>,
    l: &'static Labels,
    s: &'static SiteLabels,
    lang: Lang,
}

/// Where a page sits: the root folder or one below it (for the relative links).
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Index,
    Indicators,
    Below,
}

impl At {
    fn root(self) -> &'static str {
        match self {
            At::Below => "../",
            _ => "",
        }
    }
}

impl Cx<'_> {
    fn initiative(&self, id: &str) -> Option<&SiteEntry> {
        self.by_id.get(id).copied()
    }

    /// A whole page: the head, the skip link, the site's header and navigation, `main`, and the
    /// footer naming the content hash and the as-of date.
    fn page(&self, at: At, title: &str, main: Markup) -> String {
        let (l, s, site) = (self.l, self.s, self.site);
        let root = at.root();
        let nav = [
            (At::Index, "index.html", s.overview),
            (At::Indicators, "indicators.html", l.indicators),
        ];
        let full_title = if at == At::Index {
            site.strategy.title.clone()
        } else {
            format!("{title} – {}", site.strategy.title)
        };
        let page = html! {
            (DOCTYPE)
            html lang=(l.lang) {
                head {
                    meta charset="utf-8";
                    title { (full_title) }
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    link rel="stylesheet" href=(format!("{root}site.css"));
                }
                body {
                    a class="skip" href="#main" { (s.skip) }
                    header class="site" {
                        p class="site-name" { a href=(format!("{root}index.html")) { (site.strategy.title) } }
                        nav aria-label=(s.site_nav) {
                            ul {
                                @for (target, file, label) in nav {
                                    li {
                                        @if target == at {
                                            a href=(format!("{root}{file}")) aria-current="page" { (label) }
                                        } @else {
                                            a href=(format!("{root}{file}")) { (label) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    main id="main" { (main) }
                    footer class="site" {
                        p {
                            (s.made_with) " · " (l.as_of) " " (site.as_of.to_string())
                            br;
                            (l.content_hash) ": " code class="hash" { (site.content_hash) }
                        }
                    }
                }
            }
        };
        // maud escapes markup, not control characters.
        super::neutralise(&page.into_string()).into_owned()
    }

    /// A status as its word, with a dot of its colour beside it (the dot is decoration).
    fn status(&self, s: Option<Status>) -> Markup {
        let key = s.map_or(NO_STATUS, Status::as_str);
        html! {
            span class=(format!("status s-{key}")) {
                span class="dot" aria-hidden="true" {}
                (self.l.status(s))
            }
        }
    }

    /// An initiative by its title, linked to its page when it has one.
    fn initiative_link(&self, r: &Ref, root: &str) -> Markup {
        html! {
            @if r.page {
                a href=(format!("{root}initiative/{}.html", r.id)) { (r.name) }
            } @else {
                (r.name) " (" (self.s.withdrawn) ")"
            }
        }
    }

    fn owner_link(&self, r: &Ref, root: &str) -> Markup {
        html! { a href=(format!("{root}owner/{}.html", r.id)) { (r.name) } }
    }
}

/// A table that may be wider than a narrow screen scrolls inside its own box, which can take
/// the keyboard's focus and is named by the table's caption.
fn table_box(caption_id: &str, table: Markup) -> Markup {
    html! {
        div class="table-box" role="region" aria-labelledby=(caption_id) tabindex="0" { (table) }
    }
}

const CSS: &str = r#"/* actionplan: the public status site. Contrast 4.5:1 or more everywhere. */
:root { --ink: #1d1d1f; --muted: #4f4f59; --line: #c9c9d2; --soft: #f3f3f6; --link: #1a56a0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink); font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; overflow-wrap: break-word; }
a { color: var(--link); text-underline-offset: .15em; }
a:hover { text-decoration-thickness: .15em; }
:focus-visible { outline: 3px solid var(--ink); outline-offset: 2px; }
.skip { position: absolute; left: .5rem; top: -10rem; background: #fff; padding: .5rem 1rem; border: 2px solid var(--ink); z-index: 1; }
.skip:focus { top: .5rem; }
header.site, main, footer.site { max-width: 62rem; margin: 0 auto; padding: 0 1rem; }
header.site { display: flex; flex-wrap: wrap; gap: .25rem 2rem; align-items: baseline; justify-content: space-between; border-bottom: 1px solid var(--line); padding-top: .75rem; padding-bottom: .75rem; }
.site-name { margin: 0; font-weight: 600; }
.site-name a { color: var(--ink); text-decoration: none; }
header.site nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
[aria-current="page"] { font-weight: 600; text-decoration: none; color: var(--ink); }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 1.5rem 0 .5rem; }
h2 { font-size: 1.35rem; line-height: 1.25; margin: 2.25rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
p, dd, td, th, li, caption { white-space: pre-line; }
.meta { color: var(--muted); }
.lead { font-size: 1.1rem; }
.goal { background: var(--soft); border-left: 4px solid var(--link); padding: .5rem .9rem; }
.kind { display: block; color: var(--muted); font-size: .875rem; }
.table-box { overflow-x: auto; margin: .5rem 0 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0 .4rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); }
tbody th { font-weight: normal; }
th.num, td.num { text-align: right; white-space: nowrap; }
.date { white-space: nowrap; }
table.counts { width: auto; min-width: 16rem; }
.status { white-space: nowrap; }
.dot { display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .4em; vertical-align: -.05em; border: 1px solid var(--ink); }
dl.facts { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
dl.answers dt { font-weight: 600; margin-top: .75rem; }
dl.answers dd { margin: .2rem 0 0; }
ul.plain { padding-left: 1.25rem; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .875rem; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 13px system-ui, sans-serif; fill: var(--ink); }
svg.timeline text { font-size: 16px; }
footer.site { margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .875rem; }
code.hash { word-break: break-all; }
@media (max-width: 30rem) {
  h1 { font-size: 1.5rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
@media print {
  .skip, header.site nav { display: none; }
  a { color: var(--ink); }
}
"#;

/// The stylesheet: the fixed rules, then each status's dot in the report's colour.
fn stylesheet() -> String {
    let mut css = CSS.to_string();
    let keys = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(std::iter::once(NO_STATUS));
    for key in keys {
        css.push_str(&format!(
            ".s-{key} .dot {{ background: {}; }}\n",
            super::html::colour(key)
        ));
    }
    css
}
