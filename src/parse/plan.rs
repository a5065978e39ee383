//! Plan files: `[strategy]`, `[[organisation]]`, `[[focus_area]]`, `[[initiative]]`,
//! `[[indicator]]`. Shape only; cross references are checked in `validate`.

use toml::de::DeTable;

use super::reader::Fields;
use super::reader::Loc;
use super::reader::Reader;
use crate::diagnostic::Span;
use crate::model::Better;
use crate::model::Contact;
use crate::model::FocusArea;
use crate::model::Indicator;
use crate::model::Initiative;
use crate::model::Kind;
use crate::model::Milestone;
use crate::model::OrgKind;
use crate::model::Organisation;
use crate::model::Period;
use crate::model::Plan;
use crate::model::Strategy;
use crate::model::Target;
use crate::model::Unit;

pub const TOP_LEVEL: &[&str] = &[
    "strategy",
    "organisation",
    "focus_area",
    "initiative",
    "indicator",
];
const STRATEGY_KEYS: &[&str] = &["id", "title", "period", "description", "revised"];
const ORG_KEYS: &[&str] = &["id", "name", "short", "kind", "contact"];
const CONTACT_KEYS: &[&str] = &["name", "email"];
const FOCUS_KEYS: &[&str] = &["id", "title", "goal"];
const INITIATIVE_KEYS: &[&str] = &[
    "id",
    "title",
    "focus_area",
    "kind",
    "owner",
    "ministry",
    "participants",
    "start",
    "due",
    "depends_on",
    "tags",
    "description",
    "milestone",
];
const MILESTONE_KEYS: &[&str] = &["title", "due", "done"];
const INDICATOR_KEYS: &[&str] = &[
    "id",
    "title",
    "focus_area",
    "unit",
    "better",
    "segments",
    "source",
    "targets",
    "weight",
];
const TARGET_KEYS: &[&str] = &["year", "value", "segment"];

/// Where the parts of a plan that other parts refer to were written.
#[derive(Debug, Clone, Default)]
pub struct PlanSpans {
    pub strategy: Span,
    pub period: Option<Span>,
    /// `revised`, the day this version of the plan takes effect.
    pub revised: Option<Span>,
    pub organisations: Vec<Span>,
    pub focus_areas: Vec<Span>,
    pub initiatives: Vec<InitiativeSpans>,
    pub indicators: Vec<IndicatorSpans>,
}

#[derive(Debug, Clone, Default)]
pub struct InitiativeSpans {
    pub id: Span,
    pub focus_area: Span,
    pub owner: Span,
    pub ministry: Option<Span>,
    pub participants: Vec<Span>,
    pub depends_on: Vec<Span>,
    pub due: Option<Span>,
    pub milestone_dues: Vec<Span>,
}

#[derive(Debug, Clone, Default)]
pub struct IndicatorSpans {
    pub id: Span,
    pub focus_area: Option<Span>,
    pub segments: Span,
    pub target_segments: Vec<Option<Span>>,
    pub target_years: Vec<Span>,
}

pub struct ParsedPlan {
    pub plan: Plan,
    pub spans: PlanSpans,
}

fn loc_value(l: Option<Loc<String>>) -> (String, Span) {
    l.map_or((String::new(), 0..0), |l| (l.value, l.span))
}

pub(crate) fn parse_plan(r: &mut Reader<'_>, root: &DeTable<'_>, root_span: Span) -> ParsedPlan {
    let top = r.fields(root, root_span.clone(), "a plan file", TOP_LEVEL);
    let mut plan = Plan::default();
    let mut spans = PlanSpans::default();

    if let Some((t, span)) = top.table(r, "strategy") {
        let f = r.fields(t, span.clone(), "[strategy]", STRATEGY_KEYS);
        let (id, id_span) = loc_value(f.req_id(r, "id"));
        spans.strategy = if id_span == (0..0) { span } else { id_span };
        let title = f
            .req_string(r, "title")
            .map(|s| s.value)
            .unwrap_or_default();
        let period = parse_period(r, &f, &mut spans);
        plan.strategy = Some(Strategy {
            id,
            title,
            period: period.unwrap_or(Period { start: 0, end: 0 }),
            description: f.text(r, "description"),
        });
        if let Some(revised) = f.date(r, "revised") {
            plan.revised = Some(revised.value);
            spans.revised = Some(revised.span);
        }
    } else {
        r.error(&(0..0), "a plan file needs a [strategy] table", None);
    }

    for (t, span) in top.tables(r, "organisation") {
        let f = r.fields(t, span, "[[organisation]]", ORG_KEYS);
        let Some(id) = f.req_id(r, "id") else {
            continue;
        };
        let name = f.req_string(r, "name").map(|s| s.value).unwrap_or_default();
        spans.organisations.push(id.span);
        plan.organisations.push(Organisation {
            id: id.value,
            name,
            short: f.text(r, "short"),
            kind: f
                .word::<OrgKind>(r, "kind", &OrgKind::words())
                .map(|k| k.value),
            contact: parse_contact(r, &f),
        });
    }

    for (t, span) in top.tables(r, "focus_area") {
        let f = r.fields(t, span, "[[focus_area]]", FOCUS_KEYS);
        let Some(id) = f.req_id(r, "id") else {
            continue;
        };
        let title = f
            .req_string(r, "title")
            .map(|s| s.value)
            .unwrap_or_default();
        let goal = f.req_string(r, "goal").map(|s| s.value).unwrap_or_default();
        spans.focus_areas.push(id.span);
        plan.focus_areas.push(FocusArea {
            id: id.value,
            title,
            goal,
        });
    }

    r.each_top_table(&top, "initiative", |r, t, span| {
        if let Some((initiative, s)) = parse_initiative(r, t, span) {
            plan.initiatives.push(initiative);
            spans.initiatives.push(s);
        }
    });

    for (t, span) in top.tables(r, "indicator") {
        if let Some((indicator, s)) = parse_indicator(r, t, span) {
            plan.indicators.push(indicator);
            spans.indicators.push(s);
        }
    }
    ParsedPlan { plan, spans }
}

/// `contact = { name = "…", email = "…" }`: the e-mail required and shaped like one.
fn parse_contact(r: &mut Reader<'_>, f: &Fields<'_, '_>) -> Option<Contact> {
    let (t, span) = f.table(r, "contact")?;
    let c = r.fields(t, span, "`contact`", CONTACT_KEYS);
    let name = c.text(r, "name");
    let email = c.req_string(r, "email")?;
    let address = email.value.trim();
    if let Some(problem) = Contact::email_problem(address) {
        r.error(
            &email.span,
            format!("`{}` {problem}", crate::diagnostic::excerpt(address)),
            Some("write one address, e.g. `email = \"ola.nordmann@digdir.no\"`".into()),
        );
        return None;
    }
    Some(Contact {
        name,
        email: address.to_string(),
    })
}

fn parse_period(r: &mut Reader<'_>, f: &Fields<'_, '_>, spans: &mut PlanSpans) -> Option<Period> {
    if !f.has("period") {
        r.error(
            &f.span,
            "[strategy] is missing the required key `period`",
            Some("add `period = { start = 2019, end = 2025 }`".into()),
        );
        return None;
    }
    let (t, span) = f.table(r, "period")?;
    spans.period = Some(span.clone());
    let p = r.fields(t, span.clone(), "`period`", &["start", "end"]);
    let start = p.req_int(r, "start")?;
    let end = p.req_int(r, "end")?;
    let year = |l: &Loc<i64>, r: &mut Reader<'_>| {
        let y = i32::try_from(l.value)
            .ok()
            .filter(|y| (1900..=2200).contains(y));
        if y.is_none() {
            r.error(
                &l.span,
                format!("{} is not a plausible year", l.value),
                None,
            );
        }
        y
    };
    let (start_year, end_year) = (year(&start, r)?, year(&end, r)?);
    if end_year < start_year {
        r.error(
            &end.span,
            format!("the period ends ({end_year}) before it starts ({start_year})"),
            Some("swap `start` and `end`".into()),
        );
        return None;
    }
    Some(Period {
        start: start_year,
        end: end_year,
    })
}

fn parse_initiative(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Span,
) -> Option<(Initiative, InitiativeSpans)> {
    let f = r.fields(t, span, "[[initiative]]", INITIATIVE_KEYS);
    let id = f.req_id(r, "id")?;
    let title = f
        .req_string(r, "title")
        .map(|s| s.value)
        .unwrap_or_default();
    let (focus_area, focus_span) = loc_value(f.req_id(r, "focus_area"));
    let (owner, owner_span) = loc_value(f.req_id(r, "owner"));
    let kind = f
        .word::<Kind>(r, "kind", &Kind::words())
        .map_or(Kind::Initiative, |k| k.value);
    let ministry = f.id(r, "ministry");
    let participants = f.id_list(r, "participants");
    let depends_on = f.id_list(r, "depends_on");
    let start = f.date(r, "start");
    let due = f.date(r, "due");
    if let (Some(s), Some(d)) = (&start, &due)
        && d.value < s.value
    {
        r.error(
            &d.span,
            format!(
                "`due` {} is before `start` {} in {}",
                d.value, s.value, f.what
            ),
            Some("check the dates: an initiative cannot be due before it starts".into()),
        );
    }
    let mut milestones = Vec::new();
    let mut milestone_dues = Vec::new();
    for (mt, mspan) in f.tables(r, "milestone") {
        let what = format!("a milestone of `{}`", id.value);
        let m = r.fields(mt, mspan, &what, MILESTONE_KEYS);
        let title = m.req_string(r, "title");
        let due = m.req_date(r, "due");
        let done = m.date(r, "done");
        if let (Some(title), Some(due)) = (title, due) {
            milestone_dues.push(due.span);
            milestones.push(Milestone {
                title: title.value,
                due: due.value,
                done: done.map(|d| d.value),
            });
        }
    }
    let spans = InitiativeSpans {
        id: id.span,
        focus_area: focus_span,
        owner: owner_span,
        ministry: ministry.as_ref().map(|m| m.span.clone()),
        participants: participants.iter().map(|p| p.span.clone()).collect(),
        depends_on: depends_on.iter().map(|d| d.span.clone()).collect(),
        due: due.as_ref().map(|d| d.span.clone()),
        milestone_dues,
    };
    let initiative = Initiative {
        id: id.value,
        title,
        focus_area,
        kind,
        owner,
        ministry: ministry.map(|m| m.value),
        participants: participants.into_iter().map(|p| p.value).collect(),
        start: start.map(|d| d.value),
        due: due.map(|d| d.value),
        depends_on: depends_on.into_iter().map(|d| d.value).collect(),
        tags: f
            .string_list(r, "tags")
            .into_iter()
            .map(|t| t.value)
            .collect(),
        description: f.text(r, "description"),
        milestones,
    };
    Some((initiative, spans))
}

fn parse_indicator(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Span,
) -> Option<(Indicator, IndicatorSpans)> {
    let f = r.fields(t, span.clone(), "[[indicator]]", INDICATOR_KEYS);
    let id = f.req_id(r, "id")?;
    let title = f
        .req_string(r, "title")
        .map(|s| s.value)
        .unwrap_or_default();
    let focus_area = f.id(r, "focus_area");
    if !f.has("unit") {
        r.error(
            &span,
            format!("{} is missing the required key `unit`", f.what),
            None,
        );
    }
    let unit = f
        .word::<Unit>(r, "unit", &Unit::words())
        .map_or(Unit::Percent, |u| u.value);
    let better = f
        .word::<Better>(r, "better", &Better::words())
        .map_or(Better::Higher, |b| b.value);
    let segments = f.id_list(r, "segments");
    if segments.is_empty() {
        r.error(
            &span,
            format!("{} needs at least one segment", f.what),
            Some("add `segments = [\"stat\", \"kommune\"]`".into()),
        );
    }
    let mut spans = IndicatorSpans {
        id: id.span,
        focus_area: focus_area.as_ref().map(|a| a.span.clone()),
        segments: segments.first().map_or(span, |s| s.span.clone()),
        ..Default::default()
    };
    let mut targets = Vec::new();
    for (tt, tspan) in f.tables(r, "targets") {
        let what = format!("a target of `{}`", id.value);
        let tf = r.fields(tt, tspan, &what, TARGET_KEYS);
        let year = tf.req_int(r, "year");
        let value = tf.number(r, "value");
        if value.is_none() && !tf.has("value") {
            r.error(
                &tf.span,
                format!("{what} is missing the required key `value`"),
                None,
            );
        }
        let segment = tf.id(r, "segment");
        if let (Some(year), Some(value)) = (year, value) {
            spans.target_years.push(year.span);
            spans
                .target_segments
                .push(segment.as_ref().map(|s| s.span.clone()));
            targets.push(Target {
                year: i32::try_from(year.value).unwrap_or(i32::MAX),
                value: value.value,
                segment: segment.map(|s| s.value),
            });
        }
    }
    let indicator = Indicator {
        id: id.value,
        title,
        focus_area: focus_area.map(|a| a.value),
        unit,
        better,
        segments: segments.into_iter().map(|s| s.value).collect(),
        source: f.text(r, "source"),
        targets,
        weight: weight(r, &f),
    };
    Some((indicator, spans))
}

/// An indicator's weight in its goal's score: a positive number.
fn weight(r: &mut Reader<'_>, f: &Fields<'_, '_>) -> Option<f64> {
    let w = f.number(r, "weight")?;
    if w.value > 0.0 {
        return Some(w.value);
    }
    r.error(
        &w.span,
        format!("`weight` {} must be more than 0", w.value),
        Some(
            "weights are relative: 1 for an ordinary indicator, 2 for one that counts double"
                .into(),
        ),
    );
    None
}
