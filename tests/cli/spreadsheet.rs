//! Spreadsheet forms end to end: `forms --format xlsx` writes them, owners fill them in (here
//! by editing the cells of the written workbook, and by LibreOffice saving it again), `load`
//! reads them with the TOML form's rules, and the report shows the answers. Hostile workbooks
//! are refused at their cells, with nothing written and memory bounded.

use std::io::Cursor;
use std::io::Read;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;
use std::time::Instant;

use calamine::Reader as _;
use rust_xlsxwriter::Format;
use rust_xlsxwriter::Workbook;
use rust_xlsxwriter::Worksheet;

use crate::*;

/// A fresh folder with a database holding the round fixture plan, and one update from 2020
/// (last round's answers, for the sheet `Forrige runde`).
fn round_db() -> tempfile::TempDir {
    let tmp = with_fixture_plan("round/plan.toml");
    actionplan(tmp.path())
        .args(["status", "set", "nett", "on-track", "--on", "2020-11-30"])
        .args(["--progress", "20", "--summary", "Kabler lagt i sentrum"])
        .assert()
        .success();
    tmp
}

fn run(dir: &Path, args: &[&str]) -> Output {
    actionplan(dir).args(args).output().unwrap()
}

fn no_panic(out: &Output) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "the binary panicked:\n{err}"
    );
}

// --- editing a workbook's cells ----------------------------------------------------------------

/// A workbook's parts: (name, bytes), in archive order.
fn parts(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn zip_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The value of attribute `attr` in the element that starts at `at`.
fn attr<'a>(xml: &'a str, at: usize, attr: &str) -> Option<&'a str> {
    let end = at + xml[at..].find('>')?;
    let tag = &xml[at..end];
    let start = tag.find(&format!(" {attr}=\""))? + attr.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The part that holds sheet `name`, through the workbook and its relationships.
fn sheet_part(parts: &[(String, Vec<u8>)], name: &str) -> String {
    let text = |n: &str| {
        let (_, d) = parts.iter().find(|(p, _)| p == n).unwrap();
        String::from_utf8(d.clone()).unwrap()
    };
    let book = text("xl/workbook.xml");
    let at = book.find(&format!("<sheet name=\"{name}\"")).unwrap();
    let id = attr(&book, at, "r:id").unwrap();
    let rels = text("xl/_rels/workbook.xml.rels");
    let at = rels.find(&format!("Id=\"{id}\"")).unwrap();
    let at = rels[..at].rfind('<').unwrap();
    format!("xl/{}", attr(&rels, at, "Target").unwrap())
}

pub(crate) enum Fill<'a> {
    Text(&'a str),
    Number(f64),
}

/// Fills blank cells of a workbook written by `forms --format xlsx`, keeping their formats
/// (a number in a date-formatted cell is a date cell), as a spreadsheet program would.
pub(crate) fn fill(path: &Path, cells: &[(&str, &str, Fill)]) {
    let mut parts = parts(path);
    for (sheet, cell, value) in cells {
        let part = sheet_part(&parts, sheet);
        let (_, data) = parts.iter_mut().find(|(p, _)| *p == part).unwrap();
        let xml = String::from_utf8(data.clone()).unwrap();
        let at = xml
            .find(&format!("<c r=\"{cell}\""))
            .unwrap_or_else(|| panic!("{sheet}!{cell} is not in the workbook"));
        let end = at + xml[at..].find("/>").unwrap() + 2;
        assert!(!xml[at..end].contains('>') || xml[at..end].ends_with("/>"));
        let style = attr(&xml, at, "s").map_or(String::new(), |s| format!(" s=\"{s}\""));
        let new = match value {
            Fill::Text(t) => format!(
                "<c r=\"{cell}\"{style} t=\"inlineStr\"><is><t>{}</t></is></c>",
                t.replace('&', "&amp;").replace('<', "&lt;")
            ),
            Fill::Number(n) => format!("<c r=\"{cell}\"{style}><v>{n}</v></c>"),
        };
        *data = format!("{}{new}{}", &xml[..at], &xml[end..]).into_bytes();
    }
    std::fs::write(path, zip_parts(&parts)).unwrap();
}

/// 30.11.2021 as a spreadsheet's day number.
const NOV_30_2021: f64 = 44530.0;

/// Fills the form of `ikt` as its owner would: the day as a date cell, two initiatives
/// answered (one day written as text, as Norwegians write it).
fn fill_ikt(path: &Path) {
    fill(
        path,
        &[
            ("Skjema", "B4", Fill::Number(NOV_30_2021)),
            ("Skjema", "B5", Fill::Text("Seksjonssjef, IKT Rundeby")),
            ("Status", "C3", Fill::Text("I rute")),
            ("Status", "D3", Fill::Number(60.0)),
            ("Status", "F3", Fill::Text("Nettet er oppe i alle bydeler.")),
            (
                "Status",
                "G3",
                Fill::Text("Et nytt nett for skoler & sykehjem."),
            ),
            ("Status", "C4", Fill::Text("forsinket")),
            ("Status", "E4", Fill::Text("1.12.2021")),
            ("Status", "F4", Fill::Text("Venter på nettet.")),
        ],
    );
}

/// The report's entry for an initiative.
fn reported(dir: &Path, id: &str) -> serde_json::Value {
    let out = run(dir, &["report", "2021", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = report["focus_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["initiatives"].as_array().unwrap().iter());
    let found = all.into_iter().find(|i| i["id"] == id);
    let mut found = found.unwrap().clone();
    found["appendix"] = serde_json::Value::String(report["appendix"].to_string());
    found
}

fn assert_ikt_answers_in_report(dir: &Path) {
    let nett = reported(dir, "nett");
    assert_eq!(nett["status"], "on-track");
    assert_eq!(nett["progress"], 60);
    assert_eq!(nett["last_update"], "2021-11-30");
    assert_eq!(nett["summary"], "Nettet er oppe i alle bydeler.");
    assert!(
        nett["appendix"]
            .as_str()
            .unwrap()
            .contains("Et nytt nett for skoler & sykehjem."),
        "{}",
        nett["appendix"]
    );
    let innlogging = reported(dir, "innlogging");
    assert_eq!(innlogging["status"], "delayed");
    assert_eq!(innlogging["last_update"], "2021-12-01");
    let out = run(dir, &["status", "history", "nett", "--format", "json"]);
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(history[1]["respondent"], "Seksjonssjef, IKT Rundeby");
}

// --- the round trip ----------------------------------------------------------------------------

#[test]
fn xlsx_forms_are_written_as_the_contract_lays_them_out() {
    let tmp = round_db();
    let dir = tmp.path();
    let out = run(
        dir,
        &[
            "forms", "2021", "--format", "xlsx", "--out", "out", "--lang", "nb",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["2021-by.xlsx", "2021-fylke.xlsx", "2021-ikt.xlsx"]);

    let path = dir.join("out/2021-ikt.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheets = book.sheet_names();
    for s in ["Skjema", "Status", "Forrige runde", "Veiledning"] {
        assert!(sheets.iter().any(|n| n == s), "{s} in {sheets:?}");
    }
    let text = |r: &calamine::Range<calamine::Data>, row: u32, col: u32| {
        r.get_value((row, col))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let form = book.worksheet_range("Skjema").unwrap();
    let keys: Vec<String> = (0..5).map(|r| text(&form, r, 0)).collect();
    assert_eq!(
        keys,
        ["strategy", "round", "owner", "reported_on", "respondent"]
    );
    let values: Vec<String> = (0..3).map(|r| text(&form, r, 1)).collect();
    assert_eq!(values, ["runde", "2021", "ikt"]);
    let status = book.worksheet_range("Status").unwrap();
    let columns: Vec<String> = (0..12).map(|c| text(&status, 0, c)).collect();
    assert_eq!(
        columns,
        [
            "initiative",
            "title",
            "status",
            "progress",
            "reported_on",
            "summary",
            "description",
            "success_factors",
            "challenges",
            "lessons",
            "next_year",
            "respondent"
        ]
    );
    assert_eq!(text(&status, 1, 5), "Hvordan går arbeidet?");
    assert_eq!(text(&status, 2, 0), "nett");
    assert_eq!(text(&status, 3, 0), "innlogging");
    assert_eq!(text(&status, 2, 2), "", "the status is left for the owner");
    let previous = book.worksheet_range("Forrige runde").unwrap();
    assert_eq!(text(&previous, 1, 2), "i rute");
    assert_eq!(text(&previous, 1, 5), "Kabler lagt i sentrum");
    let guide = book.worksheet_range("Veiledning").unwrap();
    let guide: Vec<String> = guide.rows().map(|r| r[0].to_string()).collect();
    assert!(
        guide.iter().any(|l| l.contains("Velg status fra listen")),
        "{guide:?}"
    );

    // Locked ids, a list of the status words, whole numbers 0–100, days in the round.
    let parts = parts(&path);
    let part = sheet_part(&parts, "Status");
    let xml = String::from_utf8(parts.iter().find(|(p, _)| *p == part).unwrap().1.clone());
    let xml = xml.unwrap();
    assert!(xml.contains("<sheetProtection"), "protected");
    assert!(
        xml.contains("\"ikke startet,i rute,risiko,forsinket,ferdigstilt,pause,avbrutt\""),
        "{xml}"
    );
    assert!(xml.contains("type=\"whole\"") && xml.contains("<formula2>100</formula2>"));
    assert!(xml.contains("type=\"date\""));

    // Written twice, refused unless --force: nothing an owner wrote is lost.
    let out = run(dir, &["forms", "2021", "--format", "xlsx", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
}

#[test]
fn xlsx_round_trip_filled_forms_load_and_the_report_shows_the_answers() {
    let tmp = round_db();
    let dir = tmp.path();
    let out = run(dir, &["forms", "2021", "--format", "xlsx", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = dir.join("out/2021-ikt.xlsx");
    fill_ikt(&path);
    let out = run(dir, &["check", "out/2021-ikt.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(dir, &["load", "out/2021-ikt.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("+2 updates"), "{}", stderr(&out));
    assert_ikt_answers_in_report(dir);

    // The same workbook again changes nothing.
    let before = db_content(&dir.join("t.db"));
    let out = run(dir, &["load", "out/2021-ikt.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing changed"), "{}", stderr(&out));
    assert_eq!(db_content(&dir.join("t.db")), before);
}

#[test]
fn a_folder_of_forms_loads_workbooks_beside_toml_and_skips_excels_lock_files() {
    let tmp = round_db();
    let dir = tmp.path();
    run(dir, &["forms", "2021", "--format", "xlsx", "--out", "out"]);
    fill_ikt(&dir.join("out/2021-ikt.xlsx"));
    std::fs::remove_file(dir.join("out/2021-by.xlsx")).unwrap();
    std::fs::remove_file(dir.join("out/2021-fylke.xlsx")).unwrap();
    // Excel keeps a lock file beside a workbook it has open.
    std::fs::write(dir.join("out/~$2021-ikt.xlsx"), b"\x0bowner lock").unwrap();
    let form = "[form]\nstrategy = \"runde\"\nround = \"2021\"\nreported_on = 2021-11-20\n\n[[update]]\ninitiative = \"minside\"\nstatus = \"risiko\"\n";
    std::fs::write(dir.join("out/2021-by.toml"), form).unwrap();
    let out = run(dir, &["load", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("+3 updates"), "{}", stderr(&out));
    assert_ikt_answers_in_report(dir);
    assert_eq!(reported(dir, "minside")["status"], "at-risk");
}

#[test]
fn problems_in_a_workbook_are_told_at_their_cells_in_sheet_and_row_order() {
    let tmp = round_db();
    let dir = tmp.path();
    run(dir, &["forms", "2021", "--format", "xlsx", "--out", "out"]);
    let before = db_content(&dir.join("t.db"));

    // Sent back unfilled: no answer, so nothing is loaded (every row without a status is
    // skipped), and nothing is refused either.
    let out = run(dir, &["load", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing changed"), "{}", stderr(&out));
    assert_eq!(db_content(&dir.join("t.db")), before);
    let out = run(dir, &["missing", "2021", "--format", "json"]);
    assert!(stdout(&out).contains("\"nett\""), "{}", stdout(&out));

    let path = dir.join("out/2021-ikt.xlsx");
    fill(
        &path,
        &[
            ("Status", "C3", Fill::Text("on-trak")),
            ("Status", "D3", Fill::Text("30 %")),
            ("Status", "C4", Fill::Text("i rute")),
            ("Status", "E4", Fill::Text("30.11.2020")),
        ],
    );
    let out = run(dir, &["check", "out/2021-ikt.xlsx"]);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let at = |cell: &str| {
        err.find(&format!("out/2021-ikt.xlsx:{cell}: "))
            .unwrap_or(usize::MAX)
    };
    for (cell, says) in [
        (
            "Skjema!B4",
            "`reported_on` in sheet Skjema is not filled in",
        ),
        ("Status!C3", "unknown status `on-trak` in the row"),
        (
            "Status!D3",
            "`progress` in the row must be an integer, found a string",
        ),
        ("Status!E4", "2020-11-30 is outside round 2021"),
    ] {
        assert!(
            err.contains(&format!("out/2021-ikt.xlsx:{cell}: {says}")),
            "{cell}: {says}\n{err}"
        );
    }
    assert!(err.contains("hint: did you mean `on-track`?"), "{err}");
    assert!(err.contains("hint: write 30: a plain number"), "{err}");
    assert!(
        err.contains("hint: write the day in the cell, e.g. 30.11.2020"),
        "{err}"
    );
    assert!(at("Skjema!B4") < at("Status!C3") && at("Status!C3") < at("Status!D3"));
    assert!(at("Status!D3") < at("Status!E4"), "{err}");
    assert!(err.contains("4 errors found; nothing was written"), "{err}");
    let out = run(dir, &["load", "out/2021-ikt.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(db_content(&dir.join("t.db")), before);
}

// --- LibreOffice -------------------------------------------------------------------------------

/// LibreOffice's `soffice`, or `None` (and the test says it skipped) when it is not installed.
/// On CI (`CI` set) a missing LibreOffice fails the test: it must be installed there.
fn soffice() -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
    });
    if found.is_none() {
        skip_or_fail("LibreOffice (soffice) is not installed; install libreoffice-calc-nogui");
    }
    found
}

/// Saves `path` again with LibreOffice, as an owner who edits in LibreOffice Calc would
/// send it back; returns the saved copy.
fn resave_with_libreoffice(soffice: &Path, path: &Path, dir: &Path) -> PathBuf {
    let out_dir = dir.join("resaved");
    std::fs::create_dir_all(&out_dir).unwrap();
    // A profile of its own, so that parallel tests and a user's LibreOffice do not meet.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    let mut child = std::process::Command::new(soffice)
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
        ])
        .arg("--outdir")
        .arg(&out_dir)
        .arg(path)
        .env("HOME", dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("LibreOffice did not finish converting {}", path.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let saved = out_dir.join(path.file_name().unwrap());
    assert!(saved.is_file(), "LibreOffice wrote no {}", saved.display());
    assert_ne!(std::fs::read(&saved).unwrap(), std::fs::read(path).unwrap());
    saved
}

#[test]
fn xlsx_round_trip_through_a_workbook_saved_again_by_libreoffice() {
    let Some(soffice) = soffice() else {
        return;
    };
    let tmp = round_db();
    let dir = tmp.path();
    run(dir, &["forms", "2021", "--format", "xlsx", "--out", "out"]);
    let path = dir.join("out/2021-ikt.xlsx");
    fill_ikt(&path);
    let saved = resave_with_libreoffice(&soffice, &path, dir);
    let out = actionplan(dir).arg("load").arg(&saved).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("+2 updates"), "{}", stderr(&out));
    assert_ikt_answers_in_report(dir);
}

// --- hostile workbooks -------------------------------------------------------------------------

/// `check` and `load` of the workbook `bytes` (as `f.xlsx`) against the round plan are both
/// refused with `f.xlsx:<at>: <says>`, never a panic, and the database is left as it was.
fn refused(bytes: &[u8], at: &str, says: &str) -> String {
    let tmp = round_db();
    let dir = tmp.path();
    std::fs::write(dir.join("f.xlsx"), bytes).unwrap();
    let before = db_content(&dir.join("t.db"));
    let mut said = String::new();
    for verb in ["check", "load"] {
        let out = run(dir, &[verb, "f.xlsx"]);
        no_panic(&out);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{verb}: {err}");
        assert!(
            err.contains(&format!("f.xlsx:{at}: {says}")),
            "{verb}: {err}"
        );
        said = err;
    }
    assert_eq!(db_content(&dir.join("t.db")), before);
    said
}

/// Peak resident memory of `actionplan check f.xlsx` in kB, where /usr/bin/time is installed.
fn peak_kb(bytes: &[u8]) -> Option<u64> {
    if !Path::new("/usr/bin/time").is_file() {
        skip_or_fail("/usr/bin/time is not installed to measure memory (apt-get install time)");
        return None;
    }
    let tmp = round_db();
    let dir = tmp.path();
    std::fs::write(dir.join("f.xlsx"), bytes).unwrap();
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_actionplan"))
        .arg("--db")
        .arg(dir.join("t.db"))
        .args(["check", "f.xlsx"])
        .current_dir(dir)
        .env_clear()
        .output()
        .unwrap();
    let err = stderr(&out);
    let kb = err
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|n| n.parse().ok());
    assert!(kb.is_some(), "{err}");
    eprintln!("peak resident memory of `check`: {} kB", kb.unwrap_or(0));
    kb
}

/// A workbook in the form's layout, answered for `nett`; `edit` changes the Status sheet.
fn form_book(edit: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let day = Format::new().set_num_format("dd.mm.yyyy");
    let form = book.add_worksheet().set_name("Skjema").unwrap();
    for (row, (k, v)) in [("strategy", "runde"), ("round", "2021"), ("owner", "ikt")]
        .iter()
        .enumerate()
    {
        form.write_string(row as u32, 0, *k).unwrap();
        form.write_string(row as u32, 1, *v).unwrap();
    }
    form.write_string(3, 0, "reported_on").unwrap();
    form.write_number_with_format(3, 1, NOV_30_2021, &day)
        .unwrap();
    let status = book.add_worksheet().set_name("Status").unwrap();
    for (col, key) in ["initiative", "title", "status", "progress", "reported_on"]
        .iter()
        .enumerate()
    {
        status.write_string(0, col as u16, *key).unwrap();
        status.write_string(1, col as u16, "?").unwrap();
    }
    status.write_string(2, 0, "nett").unwrap();
    status.write_string(2, 2, "i rute").unwrap();
    edit(status);
    book.save_to_buffer().unwrap()
}

/// The parts of a minimal workbook with two sheets, Skjema and Status, whose `<sheetData>`
/// are given (inline strings, no styles).
fn raw_book(skjema: &str, status: &[u8]) -> Vec<(String, Vec<u8>)> {
    let sheet = |data: &[u8]| {
        let mut xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
        xml.extend_from_slice(data);
        xml.extend_from_slice(b"</sheetData></worksheet>");
        xml
    };
    let ws = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    vec![
        (
            "[Content_Types].xml".into(),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"{ws}\"/><Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"{ws}\"/></Types>").into_bytes(),
        ),
        (
            "_rels/.rels".into(),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").into_bytes(),
        ),
        (
            "xl/workbook.xml".into(),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"{rel}\"><sheets><sheet name=\"Skjema\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Status\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>").into_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels".into(),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet2.xml\"/></Relationships>").into_bytes(),
        ),
        ("xl/worksheets/sheet1.xml".into(), sheet(skjema.as_bytes())),
        ("xl/worksheets/sheet2.xml".into(), sheet(status)),
    ]
}

fn inline(cell: &str, text: &str) -> String {
    format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

/// The Skjema sheet's data of a filled form, as inline strings.
fn raw_skjema() -> String {
    [
        ("strategy", "runde"),
        ("round", "2021"),
        ("owner", "ikt"),
        ("reported_on", "30.11.2021"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (k, v))| {
        let r = i + 1;
        format!(
            "<row r=\"{r}\">{}{}</row>",
            inline(&format!("A{r}"), k),
            inline(&format!("B{r}"), v)
        )
    })
    .collect()
}

fn raw_header() -> String {
    let keys = ["initiative", "title", "status", "progress", "reported_on"];
    let row = |r: u32, text: &dyn Fn(&str) -> String| {
        let cells: String = keys
            .iter()
            .enumerate()
            .map(|(c, k)| inline(&format!("{}{r}", (b'A' + c as u8) as char), &text(k)))
            .collect();
        format!("<row r=\"{r}\">{cells}</row>")
    };
    row(1, &|k| k.to_string()) + &row(2, &|_| "?".to_string())
}

/// The offsets of an archive member's declared uncompressed size: in its local header and
/// in the central directory.
fn declared_size_offsets(zip: &[u8], name: &str) -> Vec<usize> {
    let mut at = Vec::new();
    for i in 0..zip.len().saturating_sub(46) {
        let (local, central) = (
            &zip[i..i + 4] == b"PK\x03\x04",
            &zip[i..i + 4] == b"PK\x01\x02",
        );
        let (name_at, size_at) = if local {
            (30, 22)
        } else if central {
            (46, 24)
        } else {
            continue;
        };
        if zip[i + name_at..].starts_with(name.as_bytes()) {
            at.push(i + size_at);
        }
    }
    assert_eq!(at.len(), 2, "{name}: a local header and a central one");
    at
}

#[test]
fn hostile_workbook_not_a_zip() {
    refused(
        b"strategy;round\nrunde;2021\n",
        "1:1",
        "not an .xlsx workbook (it is no zip archive)",
    );
    refused(
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an old .xls",
        "1:1",
        "not an .xlsx workbook: an old Excel file (.xls)",
    );
    refused(b"", "1:1", "not an .xlsx workbook");
    // A zip that is no workbook.
    let zip = zip_parts(&[("hei.txt".to_string(), b"hei".to_vec())]);
    refused(&zip, "1:1", "the workbook is damaged");
}

#[test]
fn hostile_workbook_zip_bomb_is_refused_before_it_is_inflated() {
    // A part that declares 4 GB: refused from the archive's directory, nothing inflated.
    let mut bomb = zip_parts(&raw_book(&raw_skjema(), raw_header().as_bytes()));
    for at in declared_size_offsets(&bomb, "xl/worksheets/sheet2.xml") {
        bomb[at..at + 4].copy_from_slice(&4_000_000_000u32.to_le_bytes());
    }
    let err = refused(
        &bomb,
        "1:1",
        "the workbook's part `xl/worksheets/sheet2.xml` would inflate to 3814 MB",
    );
    assert!(err.contains("at most 64 MB are read"), "{err}");
    if let Some(kb) = peak_kb(&bomb) {
        assert!(kb < 100_000, "peak {kb} kB");
    }

    // A part that declares 1 kB and inflates to 8 MB: the reader stops at the declared size.
    let mut big = raw_header().into_bytes();
    big.resize(big.len() + 8 * 1024 * 1024, b' ');
    let mut liar = zip_parts(&raw_book(&raw_skjema(), &big));
    for at in declared_size_offsets(&liar, "xl/worksheets/sheet2.xml") {
        liar[at..at + 4].copy_from_slice(&1024u32.to_le_bytes());
    }
    refused(&liar, "1:1", "the workbook is damaged");
    if let Some(kb) = peak_kb(&liar) {
        assert!(kb < 100_000, "peak {kb} kB");
    }

    // A string table of a few bytes that claims billions of strings.
    let mut parts = raw_book(&raw_skjema(), raw_header().as_bytes());
    parts.push((
        "xl/sharedStrings.xml".into(),
        b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"4000000000000\"><si><t>x</t></si></sst>".to_vec(),
    ));
    let claims = zip_parts(&parts);
    refused(
        &claims,
        "1:1",
        "the workbook is damaged: its string table claims 4000000000000 strings",
    );
    if let Some(kb) = peak_kb(&claims) {
        assert!(kb < 100_000, "peak {kb} kB");
    }
}

#[test]
fn hostile_workbook_a_formula_is_refused_never_evaluated() {
    // Refused, not read: the value a formula last showed (rust_xlsxwriter stores 0, Excel
    // the result) need not be what the owner sees.
    let book = form_book(|s| {
        s.write_formula(2, 3, "=1+1").unwrap();
    });
    let err = refused(
        &book,
        "Status!D3",
        "`progress` is a formula (=1+1): formulas are not read",
    );
    assert!(
        err.contains("hint: write the value itself in the cell"),
        "{err}"
    );
    let book = form_book(|s| {
        s.write_formula(2, 2, "=\"i rute\"").unwrap();
    });
    refused(&book, "Status!C3", "`status` is a formula");
}

#[test]
fn hostile_workbook_a_million_rows_is_refused_at_once() {
    // 1,048,576 rows, each with a formatted empty cell, and a status in the last.
    let mut rows = raw_header().into_bytes();
    for r in 3..1_048_576u32 {
        write!(rows, "<row r=\"{r}\"><c r=\"C{r}\"/></row>").unwrap();
    }
    rows.extend_from_slice(
        format!("<row r=\"1048576\">{}</row>", inline("C1048576", "i rute")).as_bytes(),
    );
    let book = zip_parts(&raw_book(&raw_skjema(), &rows));
    let start = Instant::now();
    let err = refused(&book, "Status!C10003", "the sheet goes on past row 10002");
    assert!(err.contains("at most 10000 initiatives"), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    if let Some(kb) = peak_kb(&book) {
        assert!(kb < 150_000, "peak {kb} kB");
    }

    // The same, written by rust_xlsxwriter: a value in the sheet's last row.
    let book = form_book(|s| {
        s.write_string(1_048_575, 2, "i rute").unwrap();
    });
    refused(&book, "Status!C1048576", "the sheet goes on past row 10002");
}

#[test]
fn hostile_workbook_without_the_status_sheet() {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Skjema").unwrap();
    book.add_worksheet().set_name("status ").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = refused(&bytes, "1:1", "the workbook has no sheet `Status`");
    assert!(
        err.contains("rename the sheet `status ` to `Status`"),
        "{err}"
    );
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Ark1").unwrap();
    refused(
        &book.save_to_buffer().unwrap(),
        "1:1",
        "the workbook has no sheet `Skjema`",
    );
}

#[test]
fn hostile_workbook_merged_cells() {
    let book = form_book(|s| {
        s.merge_range(3, 2, 3, 3, "i rute", &Format::new()).unwrap();
        s.write_string(3, 0, "innlogging").unwrap();
    });
    let err = refused(
        &book,
        "Status!C4",
        "the cells C4:D4 are merged: each value needs a cell of its own",
    );
    assert!(err.contains("hint: unmerge them"), "{err}");
}

#[test]
fn hostile_workbook_date_cells_as_text_and_as_numbers() {
    // Days arrive as date cells, ISO text or Norwegian text: all read.
    let tmp = round_db();
    let dir = tmp.path();
    let day = Format::new().set_num_format("d. mmmm yyyy");
    let text_days = form_book(|s| {
        s.write_string(2, 4, "2021-11-15").unwrap();
        s.write_string(3, 0, "innlogging").unwrap();
        s.write_string(3, 2, "i rute").unwrap();
        s.write_string(3, 4, "16.11.2021").unwrap();
    });
    let date_cell = form_book(|s| {
        s.write_number_with_format(2, 4, 44517.0, &day).unwrap();
    });
    for (book, id, day) in [
        (text_days.clone(), "nett", "2021-11-15"),
        (text_days, "innlogging", "2021-11-16"),
        (date_cell, "nett", "2021-11-17"),
    ] {
        std::fs::write(dir.join("f.xlsx"), book).unwrap();
        let out = run(dir, &["load", "f.xlsx"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = run(dir, &["status", "history", id, "--format", "json"]);
        let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let last = history.as_array().unwrap().last().unwrap();
        assert_eq!(last["reported_on"], day, "{id}");
    }

    // A day as text that is no day, and a plain number where a day goes: refused.
    let book = form_book(|s| {
        s.write_string(2, 4, "i fjor").unwrap();
    });
    refused(
        &book,
        "Status!E3",
        "`reported_on` in the row must be a date, found a string that is not a date",
    );
    let book = form_book(|s| {
        s.write_number(2, 4, 44530.0).unwrap();
    });
    let err = refused(
        &book,
        "Status!E3",
        "`reported_on` is the number 44530, not a date",
    );
    assert!(err.contains("(as a date, 44530 is 2021-11-30)"), "{err}");
}

#[test]
fn hostile_workbook_columns_and_cells_out_of_place() {
    let book = form_book(|s| {
        s.write_string(0, 5, "kommentar").unwrap();
        s.write_string(0, 6, "status").unwrap();
        s.write_boolean(2, 3, true).unwrap();
    });
    let err = refused(
        &book,
        "Status!F1",
        "unknown column `kommentar` in sheet Status",
    );
    assert!(
        err.contains("f.xlsx:Status!G1: a second column `status`"),
        "{err}"
    );
    assert!(
        err.contains("f.xlsx:Status!D3: `progress` in the row must be an integer, found a boolean"),
        "{err}"
    );
    // A cell that shows an error a formula left, without the formula.
    let rows = raw_header()
        + "<row r=\"3\">"
        + &inline("A3", "nett")
        + &inline("C3", "i rute")
        + "<c r=\"D3\" t=\"e\"><v>#DIV/0!</v></c></row>";
    let book = zip_parts(&raw_book(&raw_skjema(), rows.as_bytes()));
    refused(&book, "Status!D3", "`progress` shows an error (#DIV/0!)");
    // Cell references that overflow a 32-bit column number.
    let rows = raw_header()
        + &format!(
            "<row r=\"3\">{}</row>",
            inline("AAAAAAAAAAAAAAA3", "i rute")
        );
    let book = zip_parts(&raw_book(&raw_skjema(), rows.as_bytes()));
    let tmp = round_db();
    std::fs::write(tmp.path().join("f.xlsx"), &book).unwrap();
    let out = run(tmp.path(), &["check", "f.xlsx"]);
    no_panic(&out);
    // Where such a cell lands is the reader's business (it wraps); that it ends well is ours.
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
}
