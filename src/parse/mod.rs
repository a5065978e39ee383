//! Files to typed documents: read (UTF-8, not empty), tell the kind, check the shape.
//! Every problem is collected; nothing here knows about other files or the database.

pub mod export;
pub mod form;
pub mod json;
pub mod measurements;
pub mod narrative;
mod pieces;
pub mod plan;
pub mod reader;
pub mod xlsx;

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
pub use form::ParsedForm;
pub use measurements::ParsedMeasurements;
pub use narrative::ParsedNarrative;
pub use plan::ParsedPlan;
use reader::Reader;
use reader::file_error;

/// Largest file we read: generous for any real plan or form, small enough to refuse garbage.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What a file holds, told by its one top-level table.
pub enum Document {
    Plan(ParsedPlan),
    Form(ParsedForm),
    Narrative(ParsedNarrative),
    Measurements(ParsedMeasurements),
    Export(crate::model::export::Export),
}

impl Document {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Document::Plan(_) => "plan",
            Document::Form(_) => "status form",
            Document::Narrative(_) => "report narrative",
            Document::Measurements(_) => "indicator measurements",
            Document::Export(_) => "export",
        }
    }
}

/// A parsed file with its text, kept for positions in later checks.
pub struct Parsed {
    pub file: SourceFile,
    pub doc: Document,
}

/// Reads a file as UTF-8 text, refusing what cannot be a plan, form or narrative.
pub fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        // A device (/dev/zero) or a pipe would be read forever.
        return Err(
            Diagnostic::file(path, "not a regular file (a device, pipe or socket)")
                .with_hint("give plan, form and narrative files, or folders that hold them"),
        );
    }
    if xlsx::is_workbook(path) {
        return xlsx::read_workbook(path, meta.len());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            path,
            format!(
                "the file is {} MB; files over {} MB are refused",
                meta.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read the file: {e}")))?;
    // A byte-order mark is harmless in UTF-8 (editors on Windows add it) and invisible: it is
    // dropped, so that columns on the first line are those an editor shows.
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let f = SourceFile::new(path, valid);
        f.diagnostic(&(offset..offset), "the file is not valid UTF-8")
            .with_hint("save the file as UTF-8 (not Latin-1 or UTF-16)")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::file(path, "the file is empty").with_hint(
            "a plan starts with [strategy], a status form with [form], a narrative with [report]",
        ));
    }
    Ok(SourceFile::new(path, text))
}

/// Parses one file by its kind: `.csv` holds measurements, anything else is TOML (a workbook
/// has been read into the TOML form it stands for).
pub fn parse_file(mut file: SourceFile) -> (Option<Parsed>, Diagnostics) {
    let found = file.take_problems();
    let (parsed, mut diags) = parse_text(file);
    diags.0.extend(found);
    (parsed, diags)
}

fn parse_text(file: SourceFile) -> (Option<Parsed>, Diagnostics) {
    let ext = extension(Path::new(&file.path));
    if ext == "json" {
        return match parse_export(&file) {
            // Its values indexed: what validation finds is located by JSON pointer.
            Ok(export) => (
                Some(Parsed {
                    file: file.with_json_index(),
                    doc: Document::Export(export),
                }),
                Diagnostics::default(),
            ),
            Err(d) => (None, Diagnostics(vec![d])),
        };
    }
    if ext == "csv" {
        let (parsed, diags) = measurements::parse_measurements(&file);
        return (
            parsed.map(|m| Parsed {
                file,
                doc: Document::Measurements(m),
            }),
            diags,
        );
    }
    parse_toml(file)
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Whether [`parse_file`] reads a file as TOML (a plan, form or narrative).
pub fn is_toml(path: &Path) -> bool {
    !matches!(extension(path).as_str(), "json" | "csv")
}

/// An export written by `actionplan export`.
fn parse_export(file: &SourceFile) -> Result<crate::model::export::Export, Diagnostic> {
    let export: crate::model::export::Export = serde_json::from_str(&file.text).map_err(|e| {
        let mut d = Diagnostic::file(
            Path::new(&file.path),
            format!("not an actionplan export: {e}"),
        );
        d.line = e.line().max(1);
        d.col = e.column().max(1);
        d.with_hint("a .json file must be written by `actionplan export`")
    })?;
    if export.format != crate::model::export::FORMAT
        || export.version > crate::model::export::VERSION
    {
        return Err(Diagnostic::file(
            Path::new(&file.path),
            format!(
                "unsupported export format `{}` version {}",
                export.format, export.version
            ),
        )
        .with_hint(format!(
            "this actionplan reads `{}` up to version {}",
            crate::model::export::FORMAT,
            crate::model::export::VERSION
        )));
    }
    Ok(export)
}

/// Parses one TOML file into the document its top-level table names, with every shape problem.
/// The document comes back even with problems, so that cross references can be checked too.
pub fn parse_toml(file: SourceFile) -> (Option<Parsed>, Diagnostics) {
    match toml_document(&file) {
        Ok((doc, diags)) => (Some(Parsed { file, doc }), diags),
        Err(diags) => (None, diags),
    }
}

/// The document of a TOML file and its shape problems, or why it is no document at all. A
/// plan's initiatives and a form's updates are read one at a time when the file allows it
/// ([`pieces`]); the parsed tree borrows the text, so it is dropped before the file moves on.
fn toml_document(file: &SourceFile) -> Result<(Document, Diagnostics), Diagnostics> {
    in_pieces(file).unwrap_or_else(|| whole(file))
}

/// [`toml_document`] with the big array read a piece at a time; `None` when the file cannot
/// be read so: anything wrong with the rest, or the array also written elsewhere, is the
/// whole parser's to tell.
fn in_pieces(file: &SourceFile) -> Option<Result<(Document, Diagnostics), Diagnostics>> {
    let layout = pieces::layout(&file.text)?;
    let rest = layout.rest(&file.text);
    let key = layout.key;
    let root = reader::parse_document(file, &rest)
        .ok()
        .filter(|root| !root.get_ref().contains_key(key))?;
    let mut r = Reader::in_pieces(file, layout);
    let doc = document_of(file, &mut r, &root);
    (!r.pieces_failed).then(|| doc.map(|doc| (doc, r.diags)))
}

/// [`toml_document`] from one parse of the whole text.
fn whole(file: &SourceFile) -> Result<(Document, Diagnostics), Diagnostics> {
    let root = reader::parse_document(file, &file.text)?;
    let mut r = Reader::new(file);
    let doc = document_of(file, &mut r, &root)?;
    Ok((doc, r.diags))
}

/// The document the root's one top-level table names.
fn document_of(
    file: &SourceFile,
    r: &mut Reader<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
) -> Result<Document, Diagnostics> {
    let has = |k: &str| root.get_ref().keys().any(|key| key.get_ref() == k);
    let kinds: Vec<&str> = ["strategy", "form", "report"]
        .into_iter()
        .filter(|k| has(k))
        .collect();
    let span = root.span();
    let doc = match kinds.as_slice() {
        ["strategy"] => Document::Plan(plan::parse_plan(r, root.get_ref(), span)),
        ["form"] => Document::Form(form::parse_form(r, root.get_ref(), span)),
        ["report"] => Document::Narrative(narrative::parse_narrative(r, root.get_ref(), span)),
        [] => {
            let mut d = Diagnostics::default();
            d.push(file_error(file, "not a plan, status form or report narrative").with_hint(
                "a plan has a [strategy] table, a status form a [form] table, a narrative a [report] table",
            ));
            return Err(d);
        }
        _ => {
            let mut d = Diagnostics::default();
            d.push(file_error(
                file,
                format!(
                    "the file mixes [{}]: one file holds one kind",
                    kinds.join("], [")
                ),
            ));
            return Err(d);
        }
    };
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// All a reading gives: the model, every position, every problem.
    fn described(reading: Result<(Document, Diagnostics), Diagnostics>) -> String {
        match reading {
            Err(d) => format!("refused: {d:?}"),
            Ok((Document::Plan(p), d)) => format!("{:?}\n{:?}\n{d:?}", p.plan, p.spans),
            Ok((Document::Form(f), d)) => format!("{:?}\n{:?}\n{d:?}", f.form, f.spans),
            Ok((doc, _)) => format!("a {}", doc.kind_name()),
        }
    }

    /// Whether reading in pieces gave what reading whole gives (`None`: not read in pieces).
    fn same_in_pieces(path: &str, text: &str) -> Option<(String, String)> {
        let file = SourceFile::new(Path::new(path), text.to_string());
        let pieces = described(in_pieces(&file)?);
        Some((pieces, described(whole(&file))))
    }

    fn toml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                toml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_shipped_and_test_file_reads_the_same_in_pieces() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        toml_files(&root.join("plans"), &mut files);
        toml_files(&root.join("tests/fixtures"), &mut files);
        let mut read_in_pieces = 0;
        for path in &files {
            let Ok(file) = read_source(path) else {
                continue;
            };
            if let Some((pieces, whole)) = same_in_pieces(&file.path, &file.text) {
                assert_eq!(pieces, whole, "{}", path.display());
                read_in_pieces += 1;
            }
        }
        // The plans and forms among them: the comparison must have had something to compare.
        assert!(
            read_in_pieces >= 20,
            "only {read_in_pieces} files read in pieces"
        );
    }

    /// One table of a plan, well or badly written.
    fn plan_table() -> impl Strategy<Value = String> {
        let header = prop::sample::select(vec![
            "[[initiative]]",
            "[[ initiative ]]",
            "  [[initiative]] # next",
            "[[initiative]]\t",
        ]);
        let field = prop::sample::select(vec![
            "id = \"a-1\"",
            "id = 7",
            "titel = \"near miss\"",
            "title = \"\"\"\n[[initiative]]\n[strategy]\n\"\"\"",
            "title = '''\n[[organisation]]\n'''",
            "focus_area = \"fa\"",
            "owner = \"org\"",
            "due = 2024-01-31",
            "due = \"31.01.2024\"",
            "due = 31.01.2024",
            "start = 2025-01-01",
            "depends_on = [\n  \"a-1\", # [[initiative]]\n  [\"nested\"],\n]",
            "tags = { x = [\n 1 ] }",
            "description = \"a \\\" quote [[initiative]]\"",
            "x = ",
            "s = \"open",
            "[[initiative.milestone]]\ntitle = \"m\"\ndue = 2024-06-30",
            "[initiative.extra]\nk = 1",
        ]);
        let other = prop::sample::select(vec![
            "[[organisation]]\nid = \"org\"\nname = \"Org\"",
            "[[focus_area]]\nid = \"fa\"\ntitle = \"F\"\ngoal = \"G\"",
            "[[indicator]]\nid = \"ind\"\ntitle = \"I\"\nunit = \"percent\"",
            "[initiative.loose]\nk = 1",
            "initiative = []",
            "[[update]]\ninitiative = \"a-1\"",
        ]);
        prop_oneof![
            3 => (header, prop::collection::vec(field, 0..6))
                .prop_map(|(h, fields)| format!("{h}\n{}\n", fields.join("\n"))),
            1 => other.prop_map(|t| format!("{t}\n")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Reading in pieces is a way to read the same document in less memory: the same
        /// plan, the same positions, the same problems, whatever the tables hold.
        #[test]
        fn a_plan_reads_the_same_in_pieces(tables in prop::collection::vec(plan_table(), 1..8)) {
            let text = format!(
                "[strategy]\nid = \"s\"\ntitle = \"S\"\nperiod = {{ start = 2019, end = 2025 }}\n\n{}",
                tables.join("\n")
            );
            if let Some((pieces, whole)) = same_in_pieces("plan.toml", &text) {
                prop_assert_eq!(pieces, whole);
            }
        }

        #[test]
        fn a_form_reads_the_same_in_pieces(
            updates in prop::collection::vec(
                prop::collection::vec(prop::sample::select(vec![
                    "initiative = \"a-1\"",
                    "initiative = \"A 1\"",
                    "status = \"on track\"",
                    "status = \"i rute\"",
                    "status = \"\"",
                    "progress = 140",
                    "reported_on = 2024-12-01",
                    "reported_on = 01.12.2024",
                    "summary = \"\"\"\n[[update]]\n\"\"\"",
                    "lessons = 'x'",
                    "extra = 1",
                ]), 0..6),
                0..6,
            )
        ) {
            let body: Vec<String> = updates
                .iter()
                .map(|u| format!("[[update]]\n{}\n", u.join("\n")))
                .collect();
            let text = format!(
                "[form]\nstrategy = \"s\"\nreported_on = 2024-12-01\n\n{}",
                body.join("\n")
            );
            if let Some((pieces, whole)) = same_in_pieces("form.toml", &text) {
                prop_assert_eq!(pieces, whole);
            }
        }
    }
}
