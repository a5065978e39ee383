//! An export read as the files it was made from are read, so that loading it applies the rules
//! of the TOML path, with the same messages.
//!
//! serde reads an export into the typed model (what the store writes); that alone checks types
//! and words, not ids, dates or references. Rather than a second set of rules over the typed
//! model, each part of an export is handed to the TOML path's own parsers as the tree its file
//! would have given, with the positions of its values in the JSON text (`parse::json`): a
//! strategy's plan as a plan file's `[strategy]`, `[[organisation]]`, … tables; every plan a
//! revision leaves as one more plan file; the status history as one form's `[[update]]`s (the
//! `answers` flattened as a form writes them); each narrative as a narrative file. Ids, words,
//! dates and numbers are then checked by `parse::reader`, and the parsed plans, forms and
//! narratives go to `validate` like any others; what they find is located by JSON pointer.
//! Measurements come typed, and share their row check with the CSV reader.
//!
//! The tree keeps the JSON's key names except where a file spells them otherwise (`milestones`
//! is `milestone`, `focus_areas` of a narrative `focus_area`, …); a key the TOML path does not
//! know is reported as in a file. `null` reads as absent.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::DeArray;
use toml::de::DeTable;
use toml::de::DeValue;

use super::ParsedForm;
use super::ParsedMeasurements;
use super::ParsedNarrative;
use super::ParsedPlan;
use super::json::Json;
use super::measurements::RowSpans;
use super::measurements::ids_and_year;
use super::reader::Reader;
use super::reader::is_valid_id;
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::diagnostic::Span;
use crate::model::Plan;
use crate::model::export::StrategyExport;
use crate::parse::plan::PlanSpans;

/// The item lists of an export's strategy and the tables a plan file holds them in.
pub const ITEM_LISTS: [(&str, &str); 4] = [
    ("organisations", "organisation"),
    ("focus_areas", "focus_area"),
    ("initiatives", "initiative"),
    ("indicators", "indicator"),
];

/// The lists of a narrative and the tables a narrative file holds them in.
const NARRATIVE_LISTS: [(&str, &str); 5] = [
    ("focus_areas", "focus_area"),
    ("drivers", "driver"),
    ("recommendations", "recommendation"),
    ("follow_ups", "follow_up"),
    ("decisions", "decision"),
];

/// What a narrative file holds in `[report]`.
const REPORT_KEYS: [&str; 4] = ["strategy", "year", "title", "summary"];

/// One strategy of an export as the TOML path reads it.
pub struct StrategyParts {
    /// Every item of the plan, the withdrawn ones too.
    pub plan: ParsedPlan,
    /// The status history as one form; `None` when there is none, or the strategy's id is
    /// not valid (said once, of the plan).
    pub history: Option<ParsedForm>,
    pub narratives: Vec<ParsedNarrative>,
    pub measurements: ParsedMeasurements,
    /// Every problem of shape found.
    pub diags: Diagnostics,
}

/// Strategy `i` of an export (`st` as serde read it) as the TOML path reads it; `None` if the
/// file has no index of its values.
pub fn read_strategy(file: &SourceFile, i: usize, st: &StrategyExport) -> Option<StrategyParts> {
    let (index, text) = file.json()?;
    let node = index.root(text).get("strategies")?.at(i)?;
    let mut r = Reader::new(file);

    let mut root = DeTable::new();
    if let Some(s) = node.get("strategy") {
        put(&mut root, Cow::Borrowed("strategy"), s);
    }
    for (list, table) in ITEM_LISTS {
        let Some(items) = node.get(list) else {
            continue;
        };
        let tables = items.items().filter_map(|item| item_table(table, item));
        put_array(&mut root, table, items.key_span(), items.span(), tables);
    }
    let plan = super::plan::parse_plan(&mut r, &root, node.span());

    let strategy_ok = is_valid_id(&st.strategy.id);
    let history = node
        .get("updates")
        .filter(|u| strategy_ok && u.items().next().is_some())
        .map(|updates| history(&mut r, node, updates));
    let narratives = match node.get("narratives") {
        Some(list) if strategy_ok => list.items().map(|n| narrative(&mut r, n)).collect(),
        _ => Vec::new(),
    };
    let measurements = measurements(file, node, st, &mut r.diags);
    Some(StrategyParts {
        plan,
        history,
        narratives,
        measurements,
        diags: r.diags,
    })
}

/// The plan a revision leaves, as a plan file: `items` are the plan's items in force after it,
/// each its type (a plan file's table) and its content as the export gives it.
pub fn revision_plan(
    file: &SourceFile,
    revision: Json<'_>,
    items: &[(&str, Json<'_>)],
) -> (ParsedPlan, Diagnostics) {
    let mut r = Reader::new(file);
    let mut root = DeTable::new();
    let span = revision.span();
    if let Some((_, strategy)) = items.iter().find(|(t, _)| *t == "strategy") {
        put(&mut root, Cow::Borrowed("strategy"), *strategy);
    }
    for (_, table) in ITEM_LISTS {
        let tables = items
            .iter()
            .filter(|(t, _)| *t == table)
            .filter_map(|(t, item)| item_table(t, *item));
        put_array(&mut root, table, span.clone(), span.clone(), tables);
    }
    let plan = super::plan::parse_plan(&mut r, &root, span);
    (plan, r.diags)
}

/// A parsed plan with only the items `keep` keeps (by table and id).
pub fn retain(parsed: &ParsedPlan, keep: impl Fn(&str, &str) -> bool) -> ParsedPlan {
    fn kept<T: Clone, S: Clone>(
        items: &[T],
        spans: &[S],
        keep: impl Fn(&T) -> bool,
    ) -> (Vec<T>, Vec<S>) {
        items
            .iter()
            .zip(spans)
            .filter(|(item, _)| keep(item))
            .map(|(item, span)| (item.clone(), span.clone()))
            .unzip()
    }
    let (plan, spans) = (&parsed.plan, &parsed.spans);
    let (organisations, org_spans) = kept(&plan.organisations, &spans.organisations, |o| {
        keep("organisation", &o.id)
    });
    let (focus_areas, area_spans) = kept(&plan.focus_areas, &spans.focus_areas, |f| {
        keep("focus_area", &f.id)
    });
    let (initiatives, initiative_spans) = kept(&plan.initiatives, &spans.initiatives, |i| {
        keep("initiative", &i.id)
    });
    let (indicators, indicator_spans) = kept(&plan.indicators, &spans.indicators, |i| {
        keep("indicator", &i.id)
    });
    ParsedPlan {
        plan: Plan {
            organisations,
            focus_areas,
            initiatives,
            indicators,
            ..plan.clone()
        },
        spans: PlanSpans {
            organisations: org_spans,
            focus_areas: area_spans,
            initiatives: initiative_spans,
            indicators: indicator_spans,
            ..spans.clone()
        },
    }
}

/// A plan item as a plan file's table holds it.
fn item_table<'a>(table: &str, item: Json<'a>) -> Option<Spanned<DeValue<'a>>> {
    if item.members().next().is_none() {
        // Not an object, or an empty one: as it is, for the reader to say what it lacks.
        return item.to_toml();
    }
    let t = if table == "initiative" {
        item.to_table(|k| if k == "milestones" { "milestone" } else { k })
    } else {
        item.to_table(|k| k)
    };
    Some(Spanned::new(item.span(), DeValue::Table(t)))
}

/// The status history as one form: `[form]` names the strategy, each update an `[[update]]`
/// with its answers beside its other keys. The correction reason is the record's, not the
/// form's.
fn history<'a>(r: &mut Reader<'_>, node: Json<'a>, updates: Json<'a>) -> ParsedForm {
    let mut form = DeTable::new();
    if let Some(id) = node.get("strategy").and_then(|s| s.get("id")) {
        put(&mut form, Cow::Borrowed("strategy"), id);
    }
    // A form needs a day; each exported update has its own, which is the one that counts.
    if let Some(day) = updates.at(0).and_then(|u| u.get("reported_on")) {
        put(&mut form, Cow::Borrowed("reported_on"), day);
    }
    let mut root = DeTable::new();
    let span = node.get("strategy").map_or(updates.span(), |s| s.span());
    root.insert(
        Spanned::new(span.clone(), Cow::Borrowed("form")),
        Spanned::new(span, DeValue::Table(form)),
    );
    let tables = updates.items().map(|u| {
        let mut t = DeTable::new();
        for m in u.members() {
            match m.key().as_ref() {
                "correction" => {}
                "answers" => m.members().for_each(|a| put(&mut t, a.key(), a)),
                _ => put(&mut t, m.key(), m),
            }
        }
        Spanned::new(u.span(), DeValue::Table(t))
    });
    put_array(
        &mut root,
        "update",
        updates.key_span(),
        updates.span(),
        tables,
    );
    super::form::parse_form(r, &root, updates.span())
}

/// A narrative as a narrative file: `[report]` and the lists as tables.
fn narrative(r: &mut Reader<'_>, n: Json<'_>) -> ParsedNarrative {
    let mut report = DeTable::new();
    let mut root = DeTable::new();
    for m in n.members() {
        let key = m.key();
        if REPORT_KEYS.contains(&key.as_ref()) {
            put(&mut report, key, m);
        } else {
            let table = NARRATIVE_LISTS
                .iter()
                .find(|(list, _)| *list == key.as_ref())
                .map_or(key, |(_, table)| Cow::Borrowed(*table));
            put(&mut root, table, m);
        }
    }
    root.insert(
        Spanned::new(n.span(), Cow::Borrowed("report")),
        Spanned::new(n.span(), DeValue::Table(report)),
    );
    super::narrative::parse_narrative(r, &root, n.span())
}

/// The measurements, each row checked as a CSV row is.
fn measurements(
    file: &SourceFile,
    node: Json<'_>,
    st: &StrategyExport,
    diags: &mut Diagnostics,
) -> ParsedMeasurements {
    let mut parsed = ParsedMeasurements {
        rows: Vec::new(),
        spans: Vec::new(),
    };
    let Some(list) = node.get("measurements") else {
        return parsed;
    };
    for (m, row) in st.measurements.iter().zip(list.items()) {
        let span = |key: &str| row.get(key).map_or(row.span(), |v| v.span());
        let spans = RowSpans {
            indicator: span("indicator"),
            segment: span("segment"),
            year: span("year"),
            value: span("value"),
        };
        let year = m.year.to_string();
        let fields = [
            (m.indicator.as_str(), &spans.indicator),
            (m.segment.as_str(), &spans.segment),
            (year.as_str(), &spans.year),
        ];
        if let (true, Some(_)) = ids_and_year(file, fields, diags) {
            parsed.rows.push(m.clone());
            parsed.spans.push(spans);
        }
    }
    parsed
}

/// Puts a member's value into a table under `key`, at the member's place (`null`: left out).
fn put<'a>(table: &mut DeTable<'a>, key: Cow<'a, str>, member: Json<'a>) {
    if let Some(value) = member.to_toml() {
        table.insert(Spanned::new(member.key_span(), key), value);
    }
}

fn put_array<'a>(
    table: &mut DeTable<'a>,
    key: &'static str,
    key_span: Span,
    span: Span,
    items: impl Iterator<Item = Spanned<DeValue<'a>>>,
) {
    let mut array = DeArray::new();
    items.for_each(|item| array.push(item));
    table.insert(
        Spanned::new(key_span, Cow::Borrowed(key)),
        Spanned::new(span, DeValue::Array(array)),
    );
}
