//! Issue 21 ([8/8]): the public status site. Every page of the shipped plans' sites passes
//! axe-core (WCAG 2.1 A and AA) in headless Chromium at a desktop width and at 320 px, where no
//! page scrolls sideways; every internal link and anchor resolves and every page is reached
//! from the index; the same record gives the same bytes; hostile titles and texts stay text,
//! and nothing is written outside the site's folder.
//!
//! The axe-core runs need Chromium and Node with `tests/browser/node_modules` (`npm ci` there;
//! `.ci/run` does both): without them they fail when `CI` is set and are skipped otherwise,
//! as the report's browser tests are (tests/cli/browser.rs).

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::Path;
use std::path::PathBuf;

use crate::*;

/// The shipped plans hold two strategies: each gets its site, in one language each.
const SHIPPED_SITES: &[(&str, &str)] = &[("eos", "nb"), ("fdn", "en")];
const AS_OF: &str = "2025-06-30";

/// Writes the site of the database in `dir` to `dir/<out>`; its folder.
fn site(dir: &Path, out: &str, args: &[&str]) -> PathBuf {
    let folder = dir.join(out);
    let run = actionplan(dir)
        .arg("site")
        .arg("--out")
        .arg(&folder)
        .args(args)
        .output()
        .unwrap();
    assert!(run.status.success(), "site {args:?}: {}", stderr(&run));
    folder
}

fn shipped_site(dir: &Path, strategy: &str, lang: &str) -> PathBuf {
    site(
        dir,
        &format!("site-{strategy}"),
        &["--strategy", strategy, "--lang", lang, "--as-of", AS_OF],
    )
}

/// Every file below `root` (links too, as links), by path relative to `root`, with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if meta.is_dir() {
                todo.push(path);
            } else if meta.is_file() {
                out.insert(rel, std::fs::read(&path).unwrap());
            } else {
                out.insert(rel, b"(not a file)".to_vec());
            }
        }
    }
    out
}

fn html_pages(root: &Path) -> Vec<PathBuf> {
    tree(root)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The values of every `name="…"` attribute in a page maud wrote: values are double-quoted and
/// a `"` inside one is escaped, so the next `"` ends it.
fn attributes<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// axe-core in Chromium
// ---------------------------------------------------------------------------------------------

/// Node and the script's packages, or `None` (and a message) where a developer has not
/// installed them; a failure on CI, where `.ci/run` does.
fn axe_runner() -> Option<(PathBuf, PathBuf)> {
    let chromium = crate::browser::chromium()?;
    let script = repo().join("tests/browser/axe.mjs");
    let installed = repo().join("tests/browser/node_modules/axe-core/axe.min.js");
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(node && installed.is_file()) {
        skip_or_fail(
            "no Node or no tests/browser/node_modules: install Node and run `npm ci` in \
             tests/browser (.ci/run does)",
        );
        return None;
    }
    Some((chromium, script))
}

/// One page at one width as axe-core saw it.
#[derive(Debug)]
struct Checked {
    page: String,
    width: u64,
    overflow: bool,
    violations: Vec<String>,
}

/// axe-core's WCAG 2.1 A and AA rules over `pages`, each at 1280 and 320 px.
fn axe(chromium: &Path, script: &Path, pages: &[PathBuf]) -> Vec<Checked> {
    let out = std::process::Command::new("node")
        .arg(script)
        .arg(chromium)
        .args(pages)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "axe.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("axe.mjs JSON");
    json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| Checked {
            page: p["page"].as_str().unwrap_or("").to_string(),
            width: p["width"].as_u64().unwrap_or(0),
            overflow: p["overflow"].as_bool().unwrap_or(true),
            violations: p["violations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| {
                    format!(
                        "{} ({}): {} — {}",
                        v["id"].as_str().unwrap_or(""),
                        v["impact"].as_str().unwrap_or(""),
                        v["help"].as_str().unwrap_or(""),
                        v["nodes"]
                    )
                })
                .collect(),
        })
        .collect()
}

/// Every violation as a line naming the page and width: what a failing test prints.
fn violations(checked: &[Checked]) -> Vec<String> {
    checked
        .iter()
        .flat_map(|c| {
            c.violations
                .iter()
                .map(move |v| format!("{} at {} px: {v}", c.page, c.width))
        })
        .collect()
}

#[test]
fn every_page_of_the_shipped_sites_passes_axe_core() {
    let Some((chromium, script)) = axe_runner() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let mut pages = Vec::new();
    for (strategy, lang) in SHIPPED_SITES {
        let root = shipped_site(tmp.path(), strategy, lang);
        pages.extend(html_pages(&root).into_iter().map(|p| root.join(p)));
    }
    let checked = axe(&chromium, &script, &pages);
    assert_eq!(checked.len(), pages.len() * 2, "every page at two widths");
    let found = violations(&checked);
    assert!(
        found.is_empty(),
        "{} axe-core violations:\n{}",
        found.len(),
        found.join("\n")
    );
    let wide: Vec<String> = checked
        .iter()
        .filter(|c| c.overflow)
        .map(|c| format!("{} at {} px", c.page, c.width))
        .collect();
    assert!(wide.is_empty(), "pages that scroll sideways: {wide:?}");
}

/// The HTML report under the same rules (its badge colours pass AA contrast since [4/8]).
#[test]
fn the_html_report_passes_axe_core() {
    let Some((chromium, script)) = axe_runner() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let page = tmp.path().join("report.html");
    actionplan(tmp.path())
        .args(["report", "2020", "--strategy", "eos", "--format", "html"])
        .arg("--output")
        .arg(&page)
        .assert()
        .success();
    let found = violations(&axe(&chromium, &script, &[page]));
    assert!(
        found.is_empty(),
        "{} axe-core violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Links, size, determinism
// ---------------------------------------------------------------------------------------------

/// Every `href` and `src` of every page is relative (no scheme, no leading `/`: the folder
/// reads the same from `file://`), names a file of the site, and its `#anchor` is an `id` of
/// that page. Every page is reached from the index, and every initiative's page and its
/// owner's page link to each other.
#[test]
fn every_internal_link_resolves_and_every_page_is_reached() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    for (strategy, lang) in SHIPPED_SITES {
        let root = shipped_site(tmp.path(), strategy, lang);
        let files = tree(&root);
        let text = |p: &Path| String::from_utf8(files[p].clone()).expect("UTF-8");
        let ids: BTreeMap<&PathBuf, BTreeSet<String>> = files
            .keys()
            .map(|p| {
                let html = text(p);
                (
                    p,
                    attributes(&html, "id")
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                )
            })
            .collect();
        let mut links: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        let mut broken = Vec::new();
        for page in html_pages(&root) {
            let html = text(&page);
            assert!(!html.contains("<script"), "{}: a script", page.display());
            let mut targets = attributes(&html, "href");
            targets.extend(attributes(&html, "src"));
            for href in targets {
                if href.starts_with('/') || href.contains(':') {
                    broken.push(format!("{}: {href} is not relative", page.display()));
                    continue;
                }
                let (file, anchor) = href.split_once('#').unwrap_or((href, ""));
                let target = if file.is_empty() {
                    page.clone()
                } else {
                    normalise(&page.parent().unwrap().join(file))
                };
                if !files.contains_key(&target) {
                    broken.push(format!("{}: {href} names no file", page.display()));
                } else if !anchor.is_empty() && !ids[&target].contains(anchor) {
                    broken.push(format!("{}: {href} names no id", page.display()));
                } else {
                    links.entry(page.clone()).or_default().insert(target);
                }
            }
        }
        assert!(broken.is_empty(), "{strategy}: {broken:#?}");

        let mut reached = BTreeSet::from([PathBuf::from("index.html")]);
        let mut todo = vec![PathBuf::from("index.html")];
        while let Some(p) = todo.pop() {
            for t in links.get(&p).into_iter().flatten() {
                if reached.insert(t.clone()) {
                    todo.push(t.clone());
                }
            }
        }
        let unreached: Vec<PathBuf> = files.into_keys().filter(|p| !reached.contains(p)).collect();
        assert!(
            unreached.is_empty(),
            "{strategy}: not reached from the index: {unreached:?}"
        );

        let initiatives: Vec<&PathBuf> = links
            .keys()
            .filter(|p| p.starts_with("initiative"))
            .collect();
        assert!(!initiatives.is_empty(), "{strategy}: no initiative pages");
        for page in initiatives {
            assert!(
                links[page].contains(Path::new("index.html")),
                "{}: no link back to the index",
                page.display()
            );
            let owners: Vec<&PathBuf> = links[page]
                .iter()
                .filter(|t| t.starts_with("owner"))
                .collect();
            assert!(
                !owners.is_empty(),
                "{}: no owner page linked",
                page.display()
            );
            for owner in owners {
                assert!(
                    links[owner].contains(page),
                    "{} links {}, which does not link back",
                    page.display(),
                    owner.display()
                );
            }
        }
    }
}

/// `a/../b` as `b`, without touching the file system (the link may name nothing).
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

#[test]
fn the_shipped_index_stays_under_100_kb() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    for (strategy, lang) in SHIPPED_SITES {
        let root = shipped_site(tmp.path(), strategy, lang);
        let size = std::fs::metadata(root.join("index.html")).unwrap().len();
        assert!(size <= 100_000, "{strategy}: index.html is {size} bytes");
        let css = std::fs::metadata(root.join("site.css")).unwrap().len();
        assert!(css <= 10_000, "site.css is {css} bytes: one small file");
    }
}

/// Two runs over the same record give the same bytes; a third into the same folder finds
/// every page as it is and changes nothing (no --force needed). The footer names the content
/// hash, the one the report gives for the same day, and the as-of date.
#[test]
fn the_same_record_renders_a_byte_identical_site() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let args = ["--strategy", "eos", "--lang", "nb", "--as-of", "2020-12-31"];
    let one = tree(&site(tmp.path(), "one", &args));
    let two = tree(&site(tmp.path(), "two", &args));
    assert!(one.len() > 40, "{} files", one.len());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            two[path] == *bytes,
            "{} differs between two runs",
            path.display()
        );
    }
    let again = actionplan(tmp.path())
        .args(["site", "--out", "one"])
        .args(args)
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains(": 0 files new or replaced"),
        "{}",
        stderr(&again)
    );

    let report = actionplan(tmp.path())
        .args(["report", "2020", "--strategy", "eos", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let hash = json["content_hash"].as_str().unwrap();
    for (path, bytes) in one
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
    {
        let html = String::from_utf8_lossy(bytes);
        let footer = &html[html.find("<footer").expect("a footer")..];
        assert!(
            footer.contains(hash) && footer.contains("2020-12-31"),
            "{}: the footer lacks the content hash or the as-of date: {footer}",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input and the folder
// ---------------------------------------------------------------------------------------------

/// The hostile fixture (tests/fixtures/hostile-site) with a 1 MB title, written to `dir`:
/// markup and script, quotes of both kinds and control characters (ESC, BEL, C1) in every text.
fn hostile_plan(dir: &Path) -> String {
    let big = format!("{}<script>big()</script>", "Lang tittel ".repeat(90_000));
    let plan = std::fs::read_to_string(fixture("hostile-site/plan.toml")).unwrap();
    std::fs::write(dir.join("plan.toml"), plan.replace("@BIG@", &big)).unwrap();
    std::fs::create_dir_all(dir.join("status")).unwrap();
    std::fs::copy(
        fixture("hostile-site/status/2022.toml"),
        dir.join("status/2022.toml"),
    )
    .unwrap();
    big
}

#[test]
fn hostile_text_is_escaped_and_nothing_is_written_outside_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let plans = tmp.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    let big = hostile_plan(&plans);
    let run = actionplan(tmp.path())
        .arg("load")
        .arg(&plans)
        .output()
        .unwrap();
    assert!(run.status.success(), "load: {}", stderr(&run));

    let before = tree(tmp.path());
    let root = site(
        tmp.path(),
        "out/site",
        &["--lang", "en", "--as-of", "2022-12-31"],
    );
    let after = tree(tmp.path());
    let outside: Vec<&PathBuf> = after
        .keys()
        .filter(|p| !p.starts_with("out/site") && !before.contains_key(*p))
        .filter(|p| !p.to_string_lossy().starts_with("t.db"))
        .collect();
    assert!(
        outside.is_empty(),
        "written outside the site's folder: {outside:?}"
    );
    let files = tree(&root);
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        BTreeSet::from([
            "index.html",
            "indicators.html",
            "site.css",
            "initiative/mus.html",
            "initiative/stor.html",
            "owner/etat.html",
            "owner/kommune.html",
        ])
    );

    for (path, bytes) in &files {
        let page = String::from_utf8(bytes.clone()).expect("UTF-8");
        for raw in ["<script", "<img", "<iframe", "<svg onload", "<b>"] {
            assert!(!page.contains(raw), "{}: raw {raw:?}", path.display());
        }
        if path.extension().is_some_and(|e| e == "html") {
            // The summary's `</main>` did not close the page's own early.
            assert_eq!(page.matches("</main>").count(), 1, "{}", path.display());
        }
        for attr in ["onerror=", "onmouseover=", "onload="] {
            // An attribute would follow a space inside a tag; as text it follows `&quot;` or
            // `'`, or stands in an escaped `&lt;svg onload=`.
            for (i, _) in page.match_indices(attr) {
                let before = &page[..i];
                let in_tag = before.rfind('<') > before.rfind('>');
                assert!(!in_tag, "{}: {attr} inside a tag", path.display());
            }
        }
        let controls: Vec<char> = page
            .chars()
            .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
            .collect();
        assert!(
            controls.is_empty(),
            "{}: control characters {controls:?}",
            path.display()
        );
    }
    let index = String::from_utf8_lossy(&files[Path::new("index.html")]);
    assert!(index.contains("Strategi &lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(index.contains("Etat &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(index.contains("Mus &quot; onmouseover=&quot;alert(1)"));
    let stor = String::from_utf8_lossy(&files[Path::new("initiative/stor.html")]);
    let escaped_big = big.replace('<', "&lt;").replace('>', "&gt;");
    assert!(stor.contains(&escaped_big), "the 1 MB title is shown whole");
    assert!(stor.contains("\\u{1b}]52;c;"), "ESC is shown as an escape");
    assert!(
        !stor.contains("Svarer"),
        "the respondent is a person: not on a public page"
    );
    assert!(stor.contains("&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// Ids become file names, so a plan with an id that climbs out of a folder is refused at
/// load (organisations and initiatives alike; an export's ids: tests/cli/restore.rs).
#[test]
fn ids_that_would_make_unsafe_file_names_are_refused_at_load() {
    for (org, initiative) in [("../../x", "ok"), ("etat", "../x"), ("etat", "a/b")] {
        let tmp = tempfile::tempdir().unwrap();
        let plan = format!(
            r#"[strategy]
id = "s"
title = "S"
period = {{ start = 2021, end = 2024 }}

[[organisation]]
id = "{org}"
name = "Etat"

[[focus_area]]
id = "fa"
title = "FA"
goal = "Mål"

[[initiative]]
id = "{initiative}"
title = "I"
focus_area = "fa"
owner = "{org}"
"#
        );
        std::fs::write(tmp.path().join("plan.toml"), plan).unwrap();
        let run = actionplan(tmp.path())
            .args(["load", "plan.toml"])
            .output()
            .unwrap();
        assert_eq!(
            run.status.code(),
            Some(1),
            "{org} {initiative}: {}",
            stderr(&run)
        );
        assert!(
            stderr(&run).contains("is not a valid id"),
            "{}",
            stderr(&run)
        );
    }
}

/// A page already there with other content is replaced only with --force; a link where a
/// page or a folder would go is never written through, with --force or not; what else is in
/// the folder stays.
#[test]
fn pages_already_there_are_replaced_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let args = ["--strategy", "fdn", "--as-of", AS_OF];
    let root = site(tmp.path(), "pub", &args);
    std::fs::write(root.join("index.html"), "mine").unwrap();
    std::fs::write(root.join("README.txt"), "mine too").unwrap();
    let refused = actionplan(tmp.path())
        .args(["site", "--out", "pub"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("index.html already exists"),
        "{}",
        stderr(&refused)
    );
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(
        std::fs::read_to_string(root.join("index.html")).unwrap(),
        "mine"
    );

    site(tmp.path(), "pub", &[&args[..], &["--force"]].concat());
    assert!(
        std::fs::read_to_string(root.join("index.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert_eq!(
        std::fs::read_to_string(root.join("README.txt")).unwrap(),
        "mine too"
    );

    // A link planted where the owner pages go: refused, and nothing lands where it points.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::remove_dir_all(root.join("owner")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.join("owner")).unwrap();
    let refused = actionplan(tmp.path())
        .args(["site", "--out", "pub", "--force"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("symbolic link"),
        "{}",
        stderr(&refused)
    );
    assert!(tree(&elsewhere).is_empty(), "written through the link");
}
