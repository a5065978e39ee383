//! Status forms: `[form]` and `[[update]]`.

use toml::de::DeTable;

use super::reader::Loc;
use super::reader::Reader;
use crate::diagnostic::Span;
use crate::diagnostic::excerpt;
use crate::model::Answers;
use crate::model::Basis;
use crate::model::Form;
use crate::model::Status;
use crate::model::Update;
use crate::period::PeriodSpec;

pub const TOP_LEVEL: &[&str] = &["form", "update"];
const FORM_KEYS: &[&str] = &["strategy", "owner", "round", "reported_on", "respondent"];
const UPDATE_KEYS: &[&str] = &[
    "initiative",
    "status",
    "progress",
    "reported_on",
    "summary",
    "description",
    "success_factors",
    "challenges",
    "lessons",
    "next_year",
    "respondent",
    "basis",
    "source",
];

#[derive(Debug, Clone, Default)]
pub struct FormSpans {
    pub strategy: Span,
    pub owner: Option<Span>,
    pub round: Option<Span>,
    pub updates: Vec<UpdateSpans>,
}

#[derive(Debug, Clone, Default)]
pub struct UpdateSpans {
    pub initiative: Span,
    pub reported_on: Span,
}

pub struct ParsedForm {
    pub form: Form,
    pub spans: FormSpans,
}

pub(crate) fn parse_form(r: &mut Reader<'_>, root: &DeTable<'_>, root_span: Span) -> ParsedForm {
    let top = r.fields(root, root_span, "a status form", TOP_LEVEL);
    let mut spans = FormSpans::default();
    let mut form = Form {
        strategy: String::new(),
        owner: None,
        round: None,
        reported_on: chrono::NaiveDate::MIN,
        updates: Vec::new(),
    };
    let mut respondent = None;
    let mut form_date: Option<Loc<chrono::NaiveDate>> = None;
    // Messages name the parts of the form as its owner sees them.
    let (form_part, update_part) = if r.file.is_workbook() {
        ("sheet Skjema", "the row")
    } else {
        ("[form]", "[[update]]")
    };
    let update_count = r.top_table_count(&top, "update");
    // A workbook without a status filled in is no answer (its rows are skipped, as every row
    // without a status is): nothing to date, nothing to record, nothing to refuse.
    let unanswered = r.file.is_workbook() && update_count == 0;
    if let Some((t, span)) = top.table(r, "form") {
        let f = r.fields(t, span, form_part, FORM_KEYS);
        if let Some(s) = f.req_id(r, "strategy") {
            form.strategy = s.value;
            spans.strategy = s.span;
        }
        if let Some(o) = f.id(r, "owner") {
            form.owner = Some(o.value);
            spans.owner = Some(o.span);
        }
        if let Some(round) = f.string(r, "round") {
            match parse_round(&round.value) {
                Some(p) => {
                    form.round = Some(p);
                    spans.round = Some(round.span);
                }
                None => r.error(
                    &round.span,
                    format!(
                        "`round` \"{}\" is not a year or a half-year",
                        excerpt(&round.value)
                    ),
                    Some(
                        "write the round as `round = \"2021\"`, `\"2021H1\"` or `\"2021H2\"`"
                            .into(),
                    ),
                ),
            }
        }
        if !unanswered {
            form_date = f.req_date(r, "reported_on");
        }
        respondent = f.text(r, "respondent");
    }

    // Exact sizes: a national form holds thousands of updates, all kept until the load is done.
    form.updates.reserve_exact(update_count);
    spans.updates.reserve_exact(update_count);
    if update_count == 0 && !unanswered {
        r.error(
            &(0..0),
            "the form has no [[update]]",
            Some("add one [[update]] per initiative with `initiative` and `status`".into()),
        );
    }
    let defaults = UpdateDefaults {
        part: update_part,
        reported_on: form_date.as_ref(),
        respondent: respondent.as_deref(),
    };
    r.each_top_table(&top, "update", |r, t, span| {
        if let Some((update, update_spans)) = parse_update(r, t, span, &defaults) {
            spans.updates.push(update_spans);
            form.updates.push(update);
        }
    });
    if let Some(d) = form_date {
        form.reported_on = d.value;
    }
    ParsedForm { form, spans }
}

/// What an `[[update]]` takes from its form when it does not say.
struct UpdateDefaults<'a> {
    /// How messages name an update: `[[update]]`, or a workbook's row.
    part: &'a str,
    reported_on: Option<&'a Loc<chrono::NaiveDate>>,
    respondent: Option<&'a str>,
}

fn parse_update(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Span,
    defaults: &UpdateDefaults<'_>,
) -> Option<(Update, UpdateSpans)> {
    let f = r.fields(t, span.clone(), defaults.part, UPDATE_KEYS);
    let initiative = f.req_id(r, "initiative")?;
    let what = format!("the update for `{}`", initiative.value);
    let status = match f.string(r, "status") {
        None if !f.has("status") => {
            r.error(
                &span,
                format!("{what} has no `status`"),
                Some(format!(
                    "add `status = \"…\"`, one of: {}",
                    Status::words().join(", ")
                )),
            );
            None
        }
        Some(s) if s.value.trim().is_empty() => {
            r.error(
                &s.span,
                format!("no status filled in for `{}`", initiative.value),
                Some(format!(
                    "fill in one of: {} (or delete this [[update]])",
                    Status::words().join(", ")
                )),
            );
            None
        }
        _ => f.word::<Status>(r, "status", &Status::words()),
    };
    let progress = f
        .int(r, "progress")
        .and_then(|p| match u8::try_from(p.value) {
            Ok(v) if v <= 100 => Some(v),
            _ => {
                r.error(
                    &p.span,
                    format!(
                        "`progress` {} for `{}` is outside 0–100",
                        p.value, initiative.value
                    ),
                    Some("progress is a percentage: a whole number from 0 to 100".into()),
                );
                None
            }
        });
    let own_date = f.date(r, "reported_on");
    let date = own_date.clone().or_else(|| defaults.reported_on.cloned());
    let mut answers = Answers::default();
    for field in Answers::FIELDS {
        if let Some(text) = f.text(r, field) {
            answers.set(field, text);
        }
    }
    let update_respondent = f
        .text(r, "respondent")
        .or_else(|| defaults.respondent.map(str::to_string));
    let basis = f.word::<Basis>(r, "basis", &Basis::words());
    let (Some(status), Some(date)) = (status, date) else {
        return None;
    };
    let spans = UpdateSpans {
        initiative: initiative.span,
        reported_on: date.span,
    };
    let update = Update {
        initiative: initiative.value,
        status: status.value,
        progress,
        reported_on: date.value,
        answers,
        respondent: update_respondent,
        basis: basis.map(|b| b.value),
        source: f.text(r, "source"),
    };
    Some((update, spans))
}

/// A round as forms name it: a year or a half-year, never a single day.
pub fn parse_round(s: &str) -> Option<PeriodSpec> {
    match s.parse() {
        Ok(p @ (PeriodSpec::Year(_) | PeriodSpec::Half(..))) => Some(p),
        _ => None,
    }
}
