//! Files to typed documents: read (UTF-8, not empty), tell the kind, check the shape.
//! Every problem is collected; nothing here knows about other files or the database.

pub mod export;
pub mod form;
pub mod json;
pub mod measurements;
pub mod narrative;
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

/// The document of a TOML file and its shape problems, or why it is no document at all. The
/// parsed tree borrows the file's text, so it is dropped before the file moves on.
fn toml_document(file: &SourceFile) -> Result<(Document, Diagnostics), Diagnostics> {
    let root = reader::parse_document(file, &file.text)?;
    let mut r = Reader::new(file);
    let has = |k: &str| root.get_ref().keys().any(|key| key.get_ref() == k);
    let kinds: Vec<&str> = ["strategy", "form", "report"]
        .into_iter()
        .filter(|k| has(k))
        .collect();
    let span = root.span();
    let doc = match kinds.as_slice() {
        ["strategy"] => Document::Plan(plan::parse_plan(&mut r, root.get_ref(), span)),
        ["form"] => Document::Form(form::parse_form(&mut r, root.get_ref(), span)),
        ["report"] => Document::Narrative(narrative::parse_narrative(&mut r, root.get_ref(), span)),
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
    Ok((doc, r.diags))
}
