//! `check` and `load`: find the files, parse and validate all of them, and only when every file
//! is clean hand one batch to the store, which writes it in one transaction (validating again
//! under the write lock if the database changed meanwhile). Forms are not kept after their
//! validation: the store is fed them again from their files as it writes ([`form_feed`]).

use std::collections::HashMap;
use std::collections::HashSet;
use std::path::Path;
use std::path::PathBuf;

use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Diagnostics;
use crate::error::Error;
use crate::error::Result;
use crate::model::MeasurementSet;
use crate::parse::Document;
use crate::parse::Parsed;
use crate::parse::is_toml;
use crate::parse::parse_file;
use crate::parse::read_source;
use crate::store::Batch;
use crate::store::FedForm;
use crate::store::ItemType;
use crate::store::SourceInfo;
use crate::store::Store;
use crate::store::WriteSummary;
use crate::validate::PlanView;
use crate::validate::WithdrawnRef;
use crate::validate::validate_export;
use crate::validate::validate_form;
use crate::validate::validate_measurements;
use crate::validate::validate_narrative;
use crate::validate::validate_plan;

/// The files to read under the given paths: folders are walked (hidden entries and unrelated
/// files skipped), each file once, in a stable order.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut seen_dirs = HashSet::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            walk(p, &mut out, &mut seen_dirs)?;
        } else {
            out.push(p.clone());
        }
    }
    let mut seen = HashSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

/// The files a folder load reads: TOML (plans, forms, narratives), CSV (measurements) and
/// workbooks (spreadsheet forms) — not the lock file (`~$form.xlsx`) Excel keeps beside a
/// workbook it has open, nor the project file (`actionplan.toml`, settings rather than data).
fn is_data_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str());
    if name == Some(crate::project::FILE_NAME) {
        return false;
    }
    let lock = name.is_some_and(|n| n.starts_with("~$"));
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        e.eq_ignore_ascii_case("toml")
            || e.eq_ignore_ascii_case("csv")
            || (e.eq_ignore_ascii_case("xlsx") && !lock)
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, seen_dirs: &mut HashSet<PathBuf>) -> Result<()> {
    // A symlink loop would otherwise walk forever: each real folder is read once.
    let real = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if !seen_dirs.insert(real) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, out, seen_dirs)?,
            Ok(m) if m.is_file() && is_data_file(&p) => out.push(p),
            // Dangling links and unrelated files are not ours to judge.
            _ => {}
        }
    }
    Ok(())
}

/// What a batch holds, for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub plans: usize,
    pub forms: usize,
    pub narratives: usize,
    pub measurements: usize,
    pub exports: usize,
}

impl Counts {
    pub fn files(&self) -> usize {
        self.plans + self.forms + self.narratives + self.measurements + self.exports
    }
}

/// A validated batch, with the warnings that did not stop it.
pub struct Prepared {
    pub batch: Batch,
    /// Forms validated but not kept: written after the batch's own forms, read again from
    /// their files ([`form_feed`]).
    pub form_files: Vec<FormFile>,
    pub counts: Counts,
    pub warnings: Diagnostics,
}

/// A validated form file, and the hash of the text that was validated.
pub struct FormFile {
    path: PathBuf,
    content_hash: String,
}

/// The forms of a prepared load, read again from their files, in order, on a second thread
/// (parsing the next form while the database takes the last): each checked to be the text
/// that was validated, else an error that stops the write.
pub fn form_feed(prepared: &Prepared) -> FormFeed {
    let files: Vec<(PathBuf, String)> = prepared
        .form_files
        .iter()
        .map(|f| (f.path.clone(), f.content_hash.clone()))
        .collect();
    // One form waits, parsed, while the database takes the last: both threads stay busy (the
    // parse is the quicker), and no more than two forms are ever held. (Two waiting raised a
    // 10k load's peak memory above 200 MB: a quarter's form is 5 MB of TOML.)
    let (tx, rx) = std::sync::mpsc::sync_channel(0);
    let worker = std::thread::spawn(move || {
        for (path, validated) in files {
            let form = read_form_again(&path, &validated);
            let failed = form.is_err();
            // The writer stopped (an error of its own): nothing more to read.
            if tx.send(form).is_err() || failed {
                return;
            }
        }
    });
    FormFeed {
        forms: Some(rx),
        worker: Some(worker),
        left: prepared.form_files.len(),
    }
}

fn read_form_again(path: &Path, validated: &str) -> Result<FedForm> {
    let changed = || {
        Error::refused_with_hint(
            format!("{} changed while it was being loaded", path.display()),
            "nothing was written; run the command again",
        )
    };
    let file = read_source(path).map_err(|d| Error::Invalid(Diagnostics(vec![d])))?;
    let content_hash = hash(&file.text);
    if content_hash != validated {
        return Err(changed());
    }
    match parse_file(file) {
        (
            Some(Parsed {
                file,
                doc: Document::Form(f),
            }),
            _,
        ) => Ok(FedForm::new(
            SourceInfo {
                kind: "form",
                path: file.path,
                content_hash,
            },
            f.form,
        )),
        _ => Err(changed()),
    }
}

/// The iterator [`form_feed`] returns.
pub struct FormFeed {
    forms: Option<std::sync::mpsc::Receiver<Result<FedForm>>>,
    worker: Option<std::thread::JoinHandle<()>>,
    /// Forms still to come: the feed ends only when all have (a worker that died early must
    /// not look like the end of the forms, or the load would commit without the rest).
    left: usize,
}

impl Iterator for FormFeed {
    type Item = Result<FedForm>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        match self.forms.as_ref()?.recv() {
            Ok(form) => {
                self.left = if form.is_ok() { self.left - 1 } else { 0 };
                Some(form)
            }
            Err(_) => {
                self.left = 0;
                self.forms = None;
                Some(Err(Error::refused(
                    "reading the forms again stopped before the last one: nothing was written",
                )))
            }
        }
    }
}

impl Drop for FormFeed {
    fn drop(&mut self) {
        // Hang up first, so that a worker waiting to send stops; then wait for it.
        self.forms.take();
        if let Some(worker) = self.worker.take() {
            // A panic in the worker has been reported on stderr, and the feed ended in an error.
            let _ = worker.join();
        }
    }
}

impl AsRef<Batch> for Prepared {
    fn as_ref(&self) -> &Batch {
        &self.batch
    }
}

/// Parses and validates every file; returns the batch to write, or every problem found.
///
/// Forms are most of a bulk load. They are read last, one at a time: each is parsed,
/// validated and reduced to what is stored before the next is read, so the parsed forms (with
/// the position of every field) are never all in memory at once. Which files are forms is told
/// from a look at their text; should one of them parse as something else, everything is read
/// again in file order, so the result is always that of reading the files in order.
pub fn prepare(
    files: &[PathBuf],
    store: Option<&Store>,
    today: NaiveDate,
    correction: Option<&str>,
) -> Result<Prepared> {
    let mut forms_last = true;
    loop {
        match prepare_in(files, store, today, correction, forms_last)? {
            Some(prepared) => return Ok(prepared),
            None => forms_last = false,
        }
    }
}

/// Whether a TOML text looks like a status form: a `[form]` table and no `[strategy]` or
/// `[report]` table. It only decides when a file is read; the parser decides what it is.
fn looks_like_form(text: &str) -> bool {
    let mut form = false;
    for line in text.lines() {
        match line.trim() {
            "[form]" => form = true,
            "[strategy]" | "[report]" => return false,
            _ => {}
        }
    }
    form
}

/// [`prepare`], with the forms read last when `forms_last`; `None` when a file that looked
/// like a form was not one, or a form did not look like one (read again in file order).
fn prepare_in(
    files: &[PathBuf],
    store: Option<&Store>,
    today: NaiveDate,
    correction: Option<&str>,
    forms_last: bool,
) -> Result<Option<Prepared>> {
    let mut diags = Diagnostics::default();
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut forms: Vec<&Path> = Vec::new();
    // One file after another: parsing on both cores was measured no faster for the whole load
    // (its time is in SQLite) and kept more memory (each thread's allocations stay with it).
    // See docs/performance.md.
    for path in files {
        // A workbook is always a form: read once, with the forms.
        if forms_last && crate::parse::xlsx::is_workbook(path) {
            forms.push(path);
            continue;
        }
        match read_source(path) {
            Err(d) => diags.push(d),
            Ok(file) if forms_last && is_toml(path) && looks_like_form(&file.text) => {
                forms.push(path);
            }
            Ok(file) => {
                let (doc, problems) = parse_file(file);
                diags.extend(problems);
                if forms_last
                    && doc
                        .as_ref()
                        .is_some_and(|p| matches!(p.doc, Document::Form(_)))
                {
                    return Ok(None);
                }
                parsed.extend(doc);
            }
        }
    }

    let stored = match store {
        Some(s) => stored_views(s)?,
        None => HashMap::new(),
    };
    let mut views: HashMap<String, PlanView> = HashMap::new();
    let mut plan_files: HashMap<String, String> = HashMap::new();
    let mut plan_dirs: Vec<(PathBuf, String)> = Vec::new();
    for p in &parsed {
        let Document::Plan(plan) = &p.doc else {
            continue;
        };
        diags.extend(validate_plan(&p.file, plan));
        if let Some(store) = store
            && let Some(refusal) =
                store.revision_refusal(&plan.plan, today, correction.is_some())?
        {
            let span = plan.spans.revised.as_ref().unwrap_or(&plan.spans.strategy);
            diags.push(
                p.file
                    .diagnostic(span, refusal.message)
                    .with_hint(refusal.hint),
            );
        }
        let id = plan.plan.strategy_id().to_string();
        if let Some(dir) = Path::new(&p.file.path).parent() {
            plan_dirs.push((dir.to_path_buf(), id.clone()));
        }
        if let Some(first) = plan_files.insert(id.clone(), p.file.path.clone()) {
            let d = p.file.diagnostic(
                &plan.spans.strategy,
                format!("a second plan for strategy `{id}`"),
            );
            diags.push(d.with_hint(format!(
                "{first} already holds it: one plan file per strategy"
            )));
        }
        // What the new version leaves out is withdrawn from the day it takes effect (what was
        // withdrawn before keeps its day).
        let listed: HashSet<&str> = plan
            .plan
            .initiatives
            .iter()
            .map(|x| x.id.as_str())
            .collect();
        let takes_effect = plan.plan.revised.unwrap_or(today);
        let withdrawn: Vec<WithdrawnRef> = stored
            .get(&id)
            .map(|(_, all)| all.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|(i, ..)| !listed.contains(i.as_str()))
            .map(|(i, owner, kind, from)| {
                (
                    i.clone(),
                    owner.clone(),
                    *kind,
                    from.unwrap_or(takes_effect),
                )
            })
            .collect();
        if let Some(view) = PlanView::of_plan(&plan.plan, &withdrawn) {
            views.insert(id, view);
        }
    }
    for (id, (view, _)) in stored {
        match views.get_mut(&id) {
            // A new revision of a stored plan keeps the recommendations and closed periods
            // already on record.
            Some(revised) => {
                revised.recommendations = view.recommendations;
                revised.frozen = view.frozen;
            }
            None => {
                views.insert(id, view);
            }
        }
    }
    for p in &parsed {
        if let Document::Narrative(n) = &p.doc
            && let Some(view) = views.get_mut(&n.narrative.strategy)
        {
            view.add_recommendations(&n.narrative);
        }
    }
    for view in views.values_mut() {
        view.corrections_allowed = correction.is_some();
    }

    // Content already in the history is never refused, closed period or not: a reload is a
    // no-op.
    let recorded = recorded_in(store);
    let mut batch = Batch {
        correction: correction.map(str::to_string),
        ..Batch::default()
    };
    let mut counts = Counts::default();
    let mut warnings = Diagnostics::default();
    let mut held_whole: Vec<String> = Vec::new();
    for p in parsed {
        let source = |kind: &'static str| SourceInfo {
            kind,
            path: p.file.path.clone(),
            content_hash: hash(&p.file.text),
        };
        match &p.doc {
            Document::Plan(_) => counts.plans += 1,
            Document::Form(f) => {
                counts.forms += 1;
                diags.extend(validate_form(&p.file, f, &views, today, &recorded));
            }
            Document::Narrative(n) => {
                counts.narratives += 1;
                diags.extend(validate_narrative(&p.file, n, &views));
            }
            Document::Export(e) => {
                counts.exports += 1;
                let (errors, warned) = validate_export(&p.file, e, today);
                diags.extend(errors);
                warnings.extend(warned);
                held_whole.extend(restore_problems(
                    &p.file,
                    e,
                    store,
                    &plan_files,
                    &mut diags,
                )?);
            }
            Document::Measurements(m) => {
                counts.measurements += 1;
                match strategy_of_csv(Path::new(&p.file.path), m, &plan_dirs, &views) {
                    Ok(view) => {
                        let (errors, warned) = validate_measurements(&p.file, m, view);
                        diags.extend(errors);
                        warnings.extend(warned);
                        let set = MeasurementSet {
                            strategy: view.strategy.id.clone(),
                            rows: m.rows.clone(),
                        };
                        batch.measurements.push((source("measurements"), set));
                    }
                    Err(d) => diags.push(d),
                }
            }
        }
        match p.doc {
            Document::Plan(plan) => batch.plans.push((source("plan"), plan.plan)),
            Document::Form(f) => batch.forms.push((source("form"), f.form)),
            Document::Narrative(n) => batch.narratives.push((source("narrative"), n.narrative)),
            Document::Measurements(_) => {}
            Document::Export(mut e) => {
                // What the database holds whole is not loaded again: a reload is a no-op.
                e.strategies
                    .retain(|st| !held_whole.contains(&st.strategy.id));
                batch.imports.push((source("export"), e));
            }
        }
    }
    let mut form_files = Vec::with_capacity(forms.len());
    for checked in check_forms(&forms, &views, today, store) {
        match checked {
            CheckedForm::NotAForm => return Ok(None),
            CheckedForm::Unreadable(problems) => diags.extend(problems),
            CheckedForm::Form(file, problems) => {
                counts.forms += 1;
                diags.extend(problems);
                form_files.push(file);
            }
        }
    }
    if diags.is_empty() {
        Ok(Some(Prepared {
            batch,
            form_files,
            counts,
            warnings: warnings.sorted(),
        }))
    } else {
        Err(Error::Invalid(diags.sorted()))
    }
}

/// Checks that an export may be restored: each of its strategies goes into a database without
/// it, or is held there whole already (a reload: the ids returned, to skip), never merged into
/// a record that has moved on or taken apart from a plan file in the same load.
fn restore_problems(
    file: &crate::diagnostic::SourceFile,
    export: &crate::model::export::Export,
    store: Option<&Store>,
    plan_files: &HashMap<String, String>,
    diags: &mut Diagnostics,
) -> Result<Vec<String>> {
    let mut held_whole = Vec::new();
    for (i, st) in export.strategies.iter().enumerate() {
        let id = &st.strategy.id;
        // At the strategy's id: `/strategies/0/strategy/id`.
        let at = file
            .json()
            .and_then(|(index, text)| {
                index
                    .root(text)
                    .get("strategies")?
                    .at(i)?
                    .get("strategy")?
                    .get("id")
            })
            .map_or(0..0, |v| v.span());
        if let Some(plan_file) = plan_files.get(id) {
            let d = file.diagnostic(
                &at,
                format!("strategy `{id}` comes both in this export and in {plan_file}"),
            );
            diags.push(d.with_hint("load the export and the plan files separately"));
            continue;
        }
        let Some(store) = store.filter(|s| s.holds_strategy(id).unwrap_or(false)) else {
            continue;
        };
        let differences = store.export_differences(st)?;
        if differences.is_empty() {
            held_whole.push(id.clone());
            continue;
        }
        let d = file.diagnostic(
            &at,
            format!(
                "the database already holds strategy `{id}`, and the export differs: {}",
                differences.join("; ")
            ),
        );
        diags.push(d.with_hint(
            "an export is restored into a database without its strategy: use a new one (--db new.db)",
        ));
    }
    Ok(held_whole)
}

/// What reading and validating one form file found.
enum CheckedForm {
    Form(FormFile, Diagnostics),
    /// Not read, or not parsed: the problems say why.
    Unreadable(Diagnostics),
    /// It parsed as another kind of document.
    NotAForm,
}

/// Whether `store` holds an update already. (A failed lookup counts as new: the write under the
/// lock checks again.)
fn recorded_in(store: Option<&Store>) -> impl Fn(&str, &crate::model::Update) -> bool + '_ {
    move |strategy, u| store.is_some_and(|s| s.is_recorded(strategy, u).unwrap_or(false))
}

/// Reads and validates forms, the results in their order: on two threads when there are
/// several and the database (if any) can be read beside `store` — the forms' parse and
/// validation were a fifth of a 10k load, on one core while the other waited.
fn check_forms(
    forms: &[&Path],
    views: &HashMap<String, PlanView>,
    today: NaiveDate,
    store: Option<&Store>,
) -> Vec<CheckedForm> {
    use std::sync::atomic::AtomicUsize;
    use std::sync::atomic::Ordering;
    // A second reader only when there is a second form to give it.
    let side = match store {
        _ if forms.len() < 2 => None,
        Some(s) => s.reader_beside().map(Some),
        None => Some(None),
    };
    let Some(side) = side else {
        let recorded = recorded_in(store);
        return forms
            .iter()
            .map(|path| check_form(path, views, today, &recorded))
            .collect();
    };
    let next = AtomicUsize::new(0);
    let work = |store: Option<&Store>| {
        let recorded = recorded_in(store);
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = forms.get(i) else {
                return done;
            };
            done.push((i, check_form(path, views, today, &recorded)));
        }
    };
    let work = &work;
    let (mut mine, theirs) = std::thread::scope(|scope| {
        // The second reader goes to the other thread (a connection is used by one at a time).
        let theirs = scope.spawn(move || work(side.as_ref()));
        let mine = work(store);
        (mine, theirs.join())
    });
    let theirs = theirs.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    mine.extend(theirs);
    mine.sort_by_key(|(i, _)| *i);
    mine.into_iter().map(|(_, checked)| checked).collect()
}

fn check_form(
    path: &Path,
    views: &HashMap<String, PlanView>,
    today: NaiveDate,
    recorded: &dyn Fn(&str, &crate::model::Update) -> bool,
) -> CheckedForm {
    let file = match read_source(path) {
        Ok(file) => file,
        Err(d) => return CheckedForm::Unreadable(Diagnostics(vec![d])),
    };
    let (parsed, mut problems) = parse_file(file);
    match parsed {
        None => CheckedForm::Unreadable(problems),
        Some(Parsed {
            file,
            doc: Document::Form(f),
        }) => {
            problems.extend(validate_form(&file, &f, views, today, recorded));
            let form = FormFile {
                path: path.to_path_buf(),
                content_hash: hash(&file.text),
            };
            CheckedForm::Form(form, problems)
        }
        Some(_) => CheckedForm::NotAForm,
    }
}

/// The strategy a measurements CSV belongs to: the plan in its folder or the nearest folder
/// above it (in this batch, or on disk), else the one strategy that declares its indicators.
fn strategy_of_csv<'v>(
    path: &Path,
    m: &crate::parse::ParsedMeasurements,
    plan_dirs: &[(PathBuf, String)],
    views: &'v HashMap<String, PlanView>,
) -> std::result::Result<&'v PlanView, Diagnostic> {
    let near = path.ancestors().skip(1).take(4).find_map(|dir| {
        plan_dirs
            .iter()
            .find(|(d, _)| d == dir)
            .map(|(_, id)| id.clone())
            .or_else(|| strategy_in(&dir.join("plan.toml")))
    });
    if let Some(view) = near.as_deref().and_then(|id| views.get(id)) {
        return Ok(view);
    }
    let declaring: Vec<&PlanView> = views
        .values()
        .filter(|v| {
            m.rows
                .iter()
                .any(|r| v.indicators.contains_key(&r.indicator))
        })
        .collect();
    match declaring.as_slice() {
        [one] => Ok(one),
        [] => Err(
            Diagnostic::file(path, "no loaded plan declares the indicators of this file")
                .with_hint(
                    "load the plan that declares them first, or keep the CSV in the plan's folder",
                ),
        ),
        many => {
            let mut ids: Vec<&str> = many.iter().map(|v| v.strategy.id.as_str()).collect();
            ids.sort_unstable();
            Err(Diagnostic::file(
                path,
                format!(
                    "the indicators are declared by several strategies: {}",
                    ids.join(", ")
                ),
            )
            .with_hint("keep the CSV in the folder of its plan (plan.toml)"))
        }
    }
}

/// The strategy id of a plan file on disk, if it is one.
fn strategy_in(plan: &Path) -> Option<String> {
    // Not a device or pipe (read forever), nor larger than any file we read.
    let meta = std::fs::metadata(plan).ok()?;
    if !meta.is_file() || meta.len() > crate::parse::MAX_FILE_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(plan).ok()?;
    let value: toml::Table = toml::from_str(&text).ok()?;
    value
        .get("strategy")?
        .get("id")?
        .as_str()
        .map(str::to_string)
}

/// Every initiative a store has for a strategy, as (id, owner, kind, the day it is withdrawn
/// from if it is).
pub type InitiativeRefs = Vec<(String, String, crate::model::Kind, Option<NaiveDate>)>;

/// The plans the store holds, as views, with every initiative ever loaded (a new plan that
/// drops one makes it withdrawn, and forms must then be refused for it).
fn stored_views(store: &Store) -> Result<HashMap<String, (PlanView, InitiativeRefs)>> {
    let mut out = HashMap::new();
    for s in store.strategies()? {
        if let Some(found) = stored_view(store, &s.id)? {
            out.insert(s.id.clone(), found);
        }
    }
    Ok(out)
}

/// One stored strategy as a view for validation (with its recommendations and closed
/// periods), and every initiative it ever had.
pub fn stored_view(store: &Store, strategy: &str) -> Result<Option<(PlanView, InitiativeRefs)>> {
    let stored = store.plan(strategy)?;
    let withdrawal_days = store.withdrawal_days(strategy)?;
    let is_withdrawn = |id: &str| stored.is_withdrawn(ItemType::Initiative, id);
    let all: InitiativeRefs = stored
        .plan
        .initiatives
        .iter()
        .map(|i| {
            let from = is_withdrawn(&i.id)
                .then(|| withdrawal_days.get(&i.id).copied())
                .flatten();
            (i.id.clone(), i.owner.clone(), i.kind, from)
        })
        .collect();
    let withdrawn: Vec<WithdrawnRef> = all
        .iter()
        .filter_map(|(id, owner, kind, from)| Some((id.clone(), owner.clone(), *kind, (*from)?)))
        .collect();
    let mut plan = stored.plan.clone();
    plan.initiatives.retain(|i| !is_withdrawn(&i.id));
    let Some(mut view) = PlanView::of_plan(&plan, &withdrawn) else {
        return Ok(None);
    };
    for n in store.narratives(strategy)? {
        view.add_recommendations(&n);
    }
    view.frozen = store.frozen_until(strategy)?;
    Ok(Some((view, all)))
}

fn hash(text: &str) -> String {
    crate::store::sha256_hex(text.as_bytes())
}

/// Validates and writes everything under `paths`: all of it, or nothing.
pub fn load(
    store: &mut Store,
    paths: &[PathBuf],
    today: NaiveDate,
    now: DateTime<Utc>,
    correction: Option<&str>,
) -> Result<(WriteSummary, Prepared)> {
    let files = collect_files(paths)?;
    if files.is_empty() {
        return Err(Error::refused_with_hint(
            "no plan, form or narrative files found",
            "give .toml files, or folders that hold them",
        ));
    }
    // Validated against the database the batch lands in: if another process commits between
    // the validation and the write lock, the files are validated again under the lock.
    store.write_validated_streaming(
        now,
        "load",
        |store| prepare(&files, Some(store), today, correction),
        form_feed,
    )
}

/// Validates everything under `paths` without writing.
pub fn check(paths: &[PathBuf], store: Option<&Store>, today: NaiveDate) -> Result<Prepared> {
    let files = collect_files(paths)?;
    if files.is_empty() {
        let d = Diagnostic::file(&paths[0], "no plan, form or narrative files found here");
        return Err(Error::Invalid(Diagnostics(vec![d])));
    }
    prepare(&files, store, today, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feed whose worker stopped before the last form ends in an error, never in a quiet
    /// end (the load would commit without the rest).
    #[test]
    fn a_feed_that_ends_early_is_an_error() {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        drop(tx);
        let mut feed = FormFeed {
            forms: Some(rx),
            worker: None,
            left: 2,
        };
        assert!(matches!(feed.next(), Some(Err(_))));
        assert!(feed.next().is_none());
    }

    #[test]
    fn forms_are_told_by_their_form_table() {
        assert!(looks_like_form(
            "# a form\n[form]\nstrategy = \"s\"\n[[update]]\n"
        ));
        assert!(!looks_like_form("[strategy]\nid = \"s\"\n"));
        assert!(!looks_like_form("[form]\n[report]\n"));
        assert!(!looks_like_form("form = { strategy = \"s\" }\n"));
    }
}
