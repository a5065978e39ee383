//! The HTML report in a real headless Chromium (Debian package `chromium`, installed by
//! `.ci/run`): the shipped report shows its totals, every focus area and the chart, and a hostile
//! fixture (tests/fixtures/hostile) with markup and script in every text stays inert text.
//!
//! Without Chromium the browser tests fail when `CI` is set and are skipped (with a message on
//! standard error) otherwise. The Markdown and CSV checks of the hostile fixture need no browser.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command as StdCommand;
use std::process::Stdio;
use std::time::Duration;
use std::time::Instant;

use crate::*;

/// How long one Chromium run may take before it is killed and the test fails.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

/// Headless, offline, no profile state: nothing but the page under test.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// What the hostile fixture's payloads try to do when they run.
const PWNED_ATTR: &str = "data-pwned";

/// Texts of tests/fixtures/hostile that the HTML report shows; each must appear in the page's
/// visible text exactly as written.
const HOSTILE_TEXTS: &[&str] = &[
    // report title, summary, an answer
    "<script>document.title='pwned';document.body.setAttribute('data-pwned','1')</script>",
    // summary, goal, answer, driver text, organisation name, respondent
    "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
    // summary, answer, recommendation text, focus area title
    "</style><script>document.body.setAttribute('data-pwned','1')</script>",
    // focus area progress, answer, organisation name
    "' onmouseover='document.body.setAttribute(\"data-pwned\",\"1\")",
    // goal, answer
    "<svg onload=\"document.body.setAttribute('data-pwned','1')\"><circle r=\"5\"/></svg>",
    // titles
    "Strategi <script>document.title='pwned';",
    "Bilde \"><img src=x onerror=",
    "Mus ' onmouseover='document.body.setAttribute(\"data-pwned\",\"1\")' x='",
    "Milepæl <svg onload=\"document.body.setAttribute('data-pwned','1')\">",
    "Forslag <iframe src=\"javascript:document.body.setAttribute('data-pwned','1')\"></iframe>",
    "Driver <svg onload=",
    "Anbefaling <script>document.title='pwned';",
    "Svarer <script>document.title='pwned';",
    "linje to </dd></dl><script>document.body.setAttribute('data-pwned','1')</script>",
];

// ---------------------------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------------------------

/// `chromium` on the PATH, else /usr/bin/chromium. None (and a message) when a developer
/// without Chromium runs the suite; a failure on CI, where `.ci/run` installs it.
pub(crate) fn chromium() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("chromium"))
            .find(|p| p.is_file())
    });
    let found =
        on_path.or_else(|| Some(PathBuf::from("/usr/bin/chromium")).filter(|p| p.is_file()));
    if found.is_none() {
        skip_or_fail(
            "no Chromium (`chromium` on PATH or /usr/bin/chromium); `apt-get install chromium` \
             (.ci/run does) to test the HTML report in a real browser",
        );
    }
    found
}

/// A `file://` URL for an absolute path, with anything unusual percent-encoded.
fn file_url(path: &Path) -> String {
    let path = path.canonicalize().expect("the page exists");
    let mut url = String::from("file://");
    for b in path.to_str().expect("a UTF-8 path").bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Runs Chromium with a fresh profile and `args`; its standard output. Fails the test on a
/// non-zero exit or after [`CHROMIUM_TIMEOUT`]. Output goes to files, not pipes, so a helper
/// process that outlives the browser cannot block the test.
fn run_chromium(bin: &Path, args: &[String]) -> String {
    let work = tempfile::tempdir().expect("temp dir");
    let profile = work.path().join("profile");
    std::fs::create_dir(&profile).expect("profile dir");
    let out_path = work.path().join("stdout");
    let err_path = work.path().join("stderr");
    let mut cmd = StdCommand::new(bin);
    cmd.args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("stdout file"))
        .stderr(File::create(&err_path).expect("stderr file"));
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            // The whole process group: the browser and its renderer and GPU helpers.
            #[cfg(unix)]
            let _ = StdCommand::new("kill")
                .arg("-KILL")
                .arg("--")
                .arg(format!("-{}", child.id()))
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium {args:?} did not finish in {CHROMIUM_TIMEOUT:?}; stderr:\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium {args:?} failed ({status}); stderr:\n{}",
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    std::fs::read_to_string(&out_path).expect("chromium's output is UTF-8")
}

/// The DOM after Chromium parsed the page and ran whatever scripts it has.
fn dump_dom(bin: &Path, page: &Path) -> String {
    let dom = run_chromium(bin, &["--dump-dom".to_string(), file_url(page)]);
    assert!(dom.contains("<body"), "chromium printed no DOM:\n{dom}");
    dom
}

fn screenshot(bin: &Path, page: &Path, png: &Path) {
    std::fs::create_dir_all(png.parent().unwrap()).expect("screenshot dir");
    let _ = std::fs::remove_file(png);
    run_chromium(
        bin,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".to_string(),
            file_url(page),
        ],
    );
    let size = std::fs::metadata(png).map_or(0, |m| m.len());
    assert!(
        size > 10_000,
        "{} is {size} bytes; expected a real screenshot",
        png.display()
    );
    let mut magic = [0u8; 8];
    std::io::Read::read_exact(&mut File::open(png).unwrap(), &mut magic).unwrap();
    assert_eq!(
        &magic,
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        png.display()
    );
}

fn screenshot_dir() -> PathBuf {
    repo().join("target").join("browser")
}

// ---------------------------------------------------------------------------------------------
// The dumped DOM as a tree
// ---------------------------------------------------------------------------------------------

/// One element of the serialized DOM, with all the text inside it (entities decoded).
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    parent: Option<usize>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }
}

struct Dom(Vec<Element>);

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses the HTML serialization Chromium prints. In it every `<` outside a tag, comment or
/// raw-text element is escaped, and attribute values are double-quoted with `"` escaped, so a
/// small tokenizer sees exactly the elements the browser built.
fn parse_dom(html: &str) -> Dom {
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut rest = html;
    let add_text = |elements: &mut Vec<Element>, open: &[usize], text: &str| {
        let text = decode(text);
        for &i in open {
            elements[i].text.push_str(&text);
        }
    };
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            add_text(&mut elements, &open, rest);
            break;
        };
        add_text(&mut elements, &open, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = after[..end].trim().to_ascii_lowercase();
            if let Some(pos) = open.iter().rposition(|&i| elements[i].name == name) {
                open.truncate(pos);
            }
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            // A start tag: name, then attributes.
            let tag = &rest[1..];
            let name_len = tag
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(tag.len());
            let name = tag[..name_len].to_ascii_lowercase();
            let mut t = &tag[name_len..];
            let mut attrs = Vec::new();
            let mut self_closing = false;
            loop {
                t = t.trim_start();
                if let Some(after) = t.strip_prefix("/>") {
                    self_closing = true;
                    t = after;
                    break;
                }
                if let Some(after) = t.strip_prefix('>') {
                    t = after;
                    break;
                }
                if t.is_empty() {
                    break;
                }
                if let Some(after) = t.strip_prefix('/') {
                    t = after;
                    continue;
                }
                let n = t
                    .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                    .unwrap_or(t.len())
                    .max(1);
                let attr = t[..n].to_ascii_lowercase();
                t = t[n..].trim_start();
                let mut value = String::new();
                if let Some(after) = t.strip_prefix('=') {
                    let after = after.trim_start();
                    let (v, r) = match after.chars().next() {
                        Some(q @ ('"' | '\'')) => {
                            let body = &after[1..];
                            let e = body.find(q).unwrap_or(body.len());
                            (&body[..e], body.get(e + 1..).unwrap_or(""))
                        }
                        _ => {
                            let e = after
                                .find(|c: char| c.is_whitespace() || c == '>')
                                .unwrap_or(after.len());
                            (&after[..e], &after[e..])
                        }
                    };
                    value = decode(v);
                    t = r;
                }
                attrs.push((attr, value));
            }
            rest = t;
            let index = elements.len();
            elements.push(Element {
                name: name.clone(),
                attrs,
                parent: open.last().copied(),
                text: String::new(),
            });
            if matches!(name.as_str(), "script" | "style") {
                // Raw text up to the end tag, kept as the element's own text.
                let close = format!("</{name}");
                let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
                elements[index].text.push_str(&rest[..end]);
                rest = &rest[end..];
                open.push(index);
            } else if !self_closing && !VOID.contains(&name.as_str()) {
                open.push(index);
            }
        }
    }
    Dom(elements)
}

impl Dom {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.0.iter().filter(move |e| e.name == name)
    }

    fn by_id(&self, id: &str) -> Option<&Element> {
        self.0.iter().find(|e| e.attr("id") == Some(id))
    }

    fn parent(&self, e: &Element) -> Option<&Element> {
        e.parent.map(|p| &self.0[p])
    }

    fn children<'a>(&'a self, e: &'a Element) -> impl Iterator<Item = &'a Element> + 'a {
        self.0
            .iter()
            .filter(move |c| c.parent.is_some_and(|p| std::ptr::eq(&self.0[p], e)))
    }

    fn is_inside(&self, e: &Element, ancestor: &Element) -> bool {
        let mut cur = self.parent(e);
        while let Some(p) = cur {
            if std::ptr::eq(p, ancestor) {
                return true;
            }
            cur = self.parent(p);
        }
        false
    }

    /// The document's title: the `<title>` in `<head>` (the chart's SVG has titles too).
    fn title(&self) -> String {
        self.all("title")
            .find(|t| self.parent(t).is_some_and(|p| p.name == "head"))
            .map(|t| t.text.clone())
            .unwrap_or_default()
    }

    fn body(&self) -> &Element {
        self.all("body").next().expect("a <body>")
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// The report's year and any options that choose it (`["2020", "--strategy", "eos"]`).
type Which<'a> = &'a [&'a str];

/// The shipped plans hold more than one strategy; the report under test is this one's.
const SHIPPED: Which = &["2020", "--strategy", "eos"];
const HOSTILE: Which = &["2022"];

fn render(dir: &Path, which: Which, format: &str, file: &str) -> PathBuf {
    let path = dir.join(file);
    let out = actionplan(dir)
        .arg("report")
        .args(which)
        .args(["--lang", "en", "--format", format, "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report {which:?} --format {format}: {}",
        stderr(&out)
    );
    path
}

fn report_json(dir: &Path, which: Which) -> serde_json::Value {
    let out = actionplan(dir)
        .arg("report")
        .args(which)
        .args(["--lang", "en", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report {which:?} --format json: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("report JSON")
}

fn load_hostile(dir: &Path) {
    let out = actionplan(dir)
        .arg("load")
        .arg(fixture("hostile"))
        .output()
        .unwrap();
    assert!(out.status.success(), "load hostile: {}", stderr(&out));
}

/// Every focus area of the JSON report is a `<section class="focus-area" id="fa-ID">` whose
/// `<h2>` is its title, in the same order.
fn assert_focus_areas(dom: &Dom, json: &serde_json::Value) {
    let areas = json["focus_areas"].as_array().expect("focus_areas");
    assert!(!areas.is_empty(), "the report has no focus areas");
    let mut shown = Vec::new();
    for section in dom.all("section").filter(|s| s.has_class("focus-area")) {
        if let Some(h2) = dom.children(section).find(|c| c.name == "h2") {
            shown.push((
                section.attr("id").unwrap_or("").to_string(),
                h2.text.clone(),
            ));
        }
    }
    for fa in areas {
        let id = format!("fa-{}", fa["id"].as_str().unwrap());
        let title = fa["title"].as_str().unwrap();
        assert!(
            shown.iter().any(|(i, t)| *i == id && t == title),
            "focus area {id} {title:?} is not an <h2> in <section class=\"focus-area\">; found {shown:?}"
        );
    }
    let order: Vec<&str> = shown
        .iter()
        .filter(|(i, _)| i.starts_with("fa-"))
        .map(|(_, t)| t.as_str())
        .collect();
    let expected: Vec<&str> = areas.iter().map(|f| f["title"].as_str().unwrap()).collect();
    assert_eq!(
        order, expected,
        "focus areas in the page differ from the JSON report"
    );
}

/// `#totals` shows every non-zero overall count of the JSON report ("completed 7"), and the
/// chart is an SVG in the on-track section whose bars add up to the plan's own initiatives.
fn assert_totals_and_chart(dom: &Dom, json: &serde_json::Value) {
    let totals = dom.by_id("totals").expect("an element with id=\"totals\"");
    let counts: BTreeMap<String, u64> = json["totals"]
        .as_object()
        .expect("totals")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert!(
        counts.values().any(|&n| n > 0),
        "the JSON totals are all zero: {counts:?}"
    );
    for (key, n) in counts.iter().filter(|(_, n)| **n > 0) {
        let shown = format!("{} {n}", key.replace('-', " "));
        assert!(
            totals.text.contains(&shown),
            "#totals lacks {shown:?}: {:?}",
            totals.text
        );
    }
    if let Some(share) = json["on_track_share"].as_f64() {
        let shown = format!("{share:.0} %");
        let section = dom.by_id("on-track").expect("section#on-track");
        assert!(
            section.text.contains(&shown),
            "on-track share {shown:?} not shown: {:?}",
            section.text
        );
    }

    let section = dom.by_id("on-track").expect("section#on-track");
    let svgs: Vec<&Element> = dom
        .all("svg")
        .filter(|s| dom.is_inside(s, section))
        .collect();
    assert_eq!(svgs.len(), 1, "expected one SVG chart in #on-track");
    let svg = svgs[0];
    let bars: u64 = dom
        .all("rect")
        .filter(|r| dom.is_inside(r, svg))
        .filter_map(|r| dom.children(r).find(|c| c.name == "title"))
        .map(|t| {
            t.text
                .rsplit(": ")
                .next()
                .and_then(|n| n.trim().parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum();
    // The chart counts what the headline counts: the plan's own initiatives and life events,
    // not the supporting measures.
    let rows = json["focus_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["initiatives"].as_array().unwrap())
        .filter(|i| i["kind"] != "supporting-measure")
        .count() as u64;
    assert_eq!(
        bars, rows,
        "the chart's bars count {bars} initiatives, the report lists {rows} of the plan's own"
    );
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn shipped_report_in_chromium_shows_totals_focus_areas_and_chart() {
    let Some(bin) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    let page = render(tmp.path(), SHIPPED, "html", "report.html");
    let json = report_json(tmp.path(), SHIPPED);

    let dom = parse_dom(&dump_dom(&bin, &page));
    assert_totals_and_chart(&dom, &json);
    assert_focus_areas(&dom, &json);
    assert_eq!(
        dom.all("script").count(),
        0,
        "the report is meant to have no scripts"
    );

    screenshot(&bin, &page, &screenshot_dir().join("report-2020.png"));
}

#[test]
fn hostile_text_stays_inert_in_chromium() {
    let Some(bin) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    load_hostile(tmp.path());
    let page = render(tmp.path(), HOSTILE, "html", "report.html");
    let json = report_json(tmp.path(), HOSTILE);
    let raw = dump_dom(&bin, &page);
    let dom = parse_dom(&raw);

    // Nothing ran.
    let title = dom.title();
    assert_ne!(title, "pwned", "a script in the fixture ran");
    assert!(
        title.contains("<script>"),
        "the title should show the markup as text: {title:?}"
    );
    for e in &dom.0 {
        assert!(
            e.attr(PWNED_ATTR).is_none(),
            "<{}> carries {PWNED_ATTR}: a payload ran",
            e.name
        );
        let handlers: Vec<&str> = e
            .attrs
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| n.starts_with("on"))
            .collect();
        assert!(
            handlers.is_empty(),
            "<{}> has event handlers {handlers:?}",
            e.name
        );
    }

    // Nothing became an element: no script, image, frame; the only SVG is the chart, with
    // nothing in it but bars, labels and tooltips.
    for name in ["script", "img", "iframe", "object", "embed", "b", "circle"] {
        assert_eq!(
            dom.all(name).count(),
            0,
            "a <{name}> element came from the fixture's text"
        );
    }
    for raw_tag in ["<script", "<img", "<iframe", "<b>", "<circle"] {
        assert!(
            !raw.contains(raw_tag),
            "the dumped DOM contains {raw_tag:?}"
        );
    }
    assert!(
        raw.contains("&lt;script&gt;"),
        "the escaped text is missing from the DOM"
    );
    assert_eq!(dom.all("svg").count(), 1, "only the chart may be an <svg>");
    let svg = dom.all("svg").next().unwrap();
    for e in dom.0.iter().filter(|e| dom.is_inside(e, svg)) {
        assert!(
            matches!(e.name.as_str(), "rect" | "text" | "title"),
            "<{}> inside the chart",
            e.name
        );
    }
    let styles: Vec<&Element> = dom.all("style").collect();
    assert_eq!(styles.len(), 1, "one <style>, the page's own");
    assert!(
        !styles[0].text.contains("pwned"),
        "fixture text leaked into the <style>"
    );

    // Everything shows as the text it is.
    let body = &dom.body().text;
    assert!(
        body.contains("<script>"),
        "the visible text should contain the literal <script>"
    );
    for text in HOSTILE_TEXTS {
        assert!(
            body.contains(text),
            "the page does not show {text:?} as text"
        );
    }
    // The structure is intact: the escaped titles did not swallow or split any section.
    assert_focus_areas(&dom, &json);
    assert_totals_and_chart(&dom, &json);
    for id in [
        "summary",
        "on-track",
        "changes",
        "missing",
        "drivers",
        "recommendations",
        "appendix",
    ] {
        assert!(dom.by_id(id).is_some(), "section #{id} is missing");
    }

    screenshot(&bin, &page, &screenshot_dir().join("hostile-2022.png"));
}

#[test]
fn hostile_text_is_escaped_in_markdown_and_quoted_in_csv() {
    let tmp = tempfile::tempdir().unwrap();
    load_hostile(tmp.path());

    // Markdown: the only raw HTML is the renderer's own <br>; every other '<' is escaped.
    let md = std::fs::read_to_string(render(tmp.path(), HOSTILE, "markdown", "report.md")).unwrap();
    for (i, _) in md.match_indices('<') {
        let escaped = md[..i].ends_with('\\');
        assert!(
            escaped || md[i..].starts_with("<br>"),
            "raw markup in the Markdown at byte {i}: {:?}",
            &md[i..md.len().min(i + 40)]
        );
    }
    assert!(
        md.contains("\\<script\\>"),
        "the Markdown should show <script> escaped"
    );

    // CSV: parses, every row as wide as the header, and awkward titles survive intact.
    let csv_path = render(tmp.path(), HOSTILE, "csv", "report.csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&csv_path)
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    assert!(rows.len() > 1, "the CSV has no data rows");
    let header = &rows[0];
    let width = header.len();
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(
            row.len(),
            width,
            "CSV row {n} has {} fields, the header {width}: {row:?}",
            row.len()
        );
    }
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (id, title) = (col("id"), col("title"));
    let title_of = |wanted: &str| {
        rows.iter()
            .find(|r| &r[id] == wanted)
            .map(|r| r[title].to_string())
            .unwrap_or_else(|| panic!("no CSV row for {wanted}"))
    };
    assert_eq!(
        title_of("linjer"),
        "To linjer,\nmed \"anførsel\" | rør og <b>fet</b>"
    );
    assert_eq!(
        title_of("bilde"),
        "Bilde \"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
    );
    assert_eq!(
        title_of("mus"),
        "Mus ' onmouseover='document.body.setAttribute(\"data-pwned\",\"1\")' x='"
    );
    // A title a spreadsheet would run as a formula is defused with a leading apostrophe.
    let formula = title_of("formel");
    assert!(
        formula.starts_with("'="),
        "formula not defused: {formula:?}"
    );
}

#[test]
fn dom_parser_sees_elements_attributes_and_text() {
    let dom = parse_dom(
        "<!DOCTYPE html><html><head><title>a &lt;b&gt;</title><style>p{}</style></head>\
         <body class=\"x y\" data-a='1'><p id=\"p\">x&amp;y<br>z</p><svg><rect/><title>t: 2</title></svg>\
         <img src=x onerror=\"a&quot;b\"></body></html>",
    );
    assert_eq!(dom.title(), "a <b>");
    assert!(dom.body().has_class("y"));
    assert_eq!(dom.body().attr("data-a"), Some("1"));
    assert_eq!(dom.by_id("p").unwrap().text, "x&yz");
    assert_eq!(dom.all("img").next().unwrap().attr("onerror"), Some("a\"b"));
    assert_eq!(dom.all("style").next().unwrap().text, "p{}");
    let svg = dom.all("svg").next().unwrap();
    assert_eq!(dom.children(svg).count(), 2);
    assert_eq!(dom.body().text, "x&yzt: 2");
}

#[test]
fn indicator_charts_show_every_measurement_and_the_target() {
    let Some(bin) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    load_shipped(tmp.path());
    const SUCCESSOR: Which = &["2025", "--strategy", "fdn"];
    let page = render(tmp.path(), SUCCESSOR, "html", "fdn.html");
    let json = report_json(tmp.path(), SUCCESSOR);
    let dom = parse_dom(&dump_dom(&bin, &page));

    let indicators = json["indicators"].as_array().unwrap();
    assert!(!indicators.is_empty());
    for ind in indicators {
        let id = ind["id"].as_str().unwrap();
        let article = dom
            .all("article")
            .find(|a| a.attr("data-id") == Some(id))
            .unwrap_or_else(|| panic!("no article for indicator {id}"));
        let inside = |name: &'static str, class: &'static str| {
            dom.all(name)
                .filter(|e| dom.is_inside(e, article) && e.has_class(class))
                .count()
        };
        assert_eq!(inside("svg", "indicator-chart"), 1, "{id}: one chart");
        let values = ind["values"].as_array().unwrap().len();
        assert_eq!(
            inside("circle", "measurement"),
            values,
            "{id}: a dot per measurement"
        );
        let targeted = ind["segments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| !s["target"].is_null())
            .count();
        assert_eq!(
            inside("path", "target"),
            targeted,
            "{id}: a diamond per target"
        );
        assert_eq!(
            inside("line", "trajectory"),
            targeted,
            "{id}: a line to each target"
        );
    }
    let ai = dom
        .all("article")
        .find(|a| a.attr("data-id") == Some("ki-bruk"))
        .unwrap();
    assert!(
        ai.text.contains("63 % (2025)") && ai.text.contains("51 % (2025)"),
        "{}",
        ai.text
    );
    assert!(
        ai.text.contains("80 % (2025)") && ai.text.contains("off course"),
        "{}",
        ai.text
    );

    screenshot(&bin, &page, &screenshot_dir().join("report-2025-fdn.png"));
}
