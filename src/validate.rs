//! Cross-reference checks: what a file refers to must exist, in the same plan or in the
//! database, and the facts must make sense together (dates, owners, cycles).

use std::collections::HashMap;
use std::collections::HashSet;

use chrono::Datelike;
use chrono::NaiveDate;

use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::diagnostic::Span;
use crate::graph::DepGraph;
use crate::model::Kind;
use crate::model::Plan;
use crate::model::Strategy;
use crate::model::Unit;
use crate::model::Update;
use crate::parse::ParsedForm;
use crate::parse::ParsedMeasurements;
use crate::parse::ParsedNarrative;
use crate::parse::ParsedPlan;
use crate::parse::form::UpdateSpans;
use crate::period::PeriodSpec;
use crate::suggest::did_you_mean;

mod export;

pub use export::validate_export;

/// What forms and narratives are checked against: one strategy's plan as it will stand.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub strategy: Strategy,
    pub initiatives: HashMap<String, InitiativeRef>,
    pub organisations: Vec<String>,
    pub focus_areas: Vec<String>,
    /// Indicator id → (unit, segments).
    pub indicators: HashMap<String, (Unit, Vec<String>)>,
    /// Recommendation id → the year of the narrative that made it.
    pub recommendations: HashMap<String, i32>,
    /// The closed period that reaches furthest, and its last day: every day up to it is frozen.
    pub frozen: Option<(String, NaiveDate)>,
    /// Whether updates inside closed periods come in as corrections (`--correction`).
    pub corrections_allowed: bool,
}

#[derive(Debug, Clone)]
pub struct InitiativeRef {
    pub owner: String,
    pub kind: Kind,
    /// The day from which the initiative is withdrawn from the plan (`None`: in force). An
    /// update dated before it still counts: the initiative was in force on that day.
    pub withdrawn_from: Option<NaiveDate>,
}

/// An initiative the database holds but a plan about to be loaded no longer lists (or that is
/// withdrawn already): id, owner, kind, and the day the withdrawal takes effect.
pub type WithdrawnRef = (String, String, Kind, NaiveDate);

impl PlanView {
    /// The view of a plan about to be loaded; `withdrawn` are ids the database has that the new
    /// plan no longer lists.
    pub fn of_plan(plan: &Plan, withdrawn: &[WithdrawnRef]) -> Option<Self> {
        let strategy = plan.strategy.clone()?;
        let mut initiatives: HashMap<String, InitiativeRef> = withdrawn
            .iter()
            .map(|(id, owner, kind, from)| {
                (
                    id.clone(),
                    InitiativeRef {
                        owner: owner.clone(),
                        kind: *kind,
                        withdrawn_from: Some(*from),
                    },
                )
            })
            .collect();
        for i in &plan.initiatives {
            initiatives.insert(
                i.id.clone(),
                InitiativeRef {
                    owner: i.owner.clone(),
                    kind: i.kind,
                    withdrawn_from: None,
                },
            );
        }
        Some(PlanView {
            strategy,
            initiatives,
            organisations: plan.organisations.iter().map(|o| o.id.clone()).collect(),
            focus_areas: plan.focus_areas.iter().map(|f| f.id.clone()).collect(),
            indicators: plan
                .indicators
                .iter()
                .map(|i| (i.id.clone(), (i.unit, i.segments.clone())))
                .collect(),
            recommendations: HashMap::new(),
            frozen: None,
            corrections_allowed: false,
        })
    }

    /// Records the recommendation ids of a narrative, for later years' follow-ups.
    pub fn add_recommendations(&mut self, n: &crate::model::Narrative) {
        for id in n.recommendations.iter().filter_map(|r| r.id.as_ref()) {
            self.recommendations.insert(id.clone(), n.year);
        }
    }

    fn active_ids(&self) -> impl Iterator<Item = &str> {
        self.initiatives
            .iter()
            .filter(|(_, i)| i.withdrawn_from.is_none())
            .map(|(id, _)| id.as_str())
    }
}

/// "known organisations: a, b, c … (40 in all)", for a hint when nothing is a near miss.
fn known_list<'k>(what: &str, known: impl IntoIterator<Item = &'k str>) -> Option<String> {
    const SHOWN: usize = 8;
    let all: Vec<&str> = known.into_iter().collect();
    if all.is_empty() {
        return Some(format!("no {what} is declared yet"));
    }
    let mut list = all
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > SHOWN {
        list.push_str(&format!(" … ({} in all)", all.len()));
    }
    Some(format!("known: {list}"))
}

struct Checker<'a> {
    file: &'a SourceFile,
    diags: Diagnostics,
}

impl Checker<'_> {
    fn error(&mut self, span: &Span, message: String, hint: Option<String>) {
        let d = self.file.diagnostic(span, message).with_hint_opt(hint);
        self.diags.push(d);
    }

    /// Reports `id` when it is not among `known` (skipping ids already reported as malformed).
    fn reference<'k>(
        &mut self,
        id: &str,
        span: &Span,
        what: &str,
        known: impl IntoIterator<Item = &'k str> + Clone,
    ) {
        if id.is_empty() || known.clone().into_iter().any(|k| k == id) {
            return;
        }
        let hint = did_you_mean(id, known.clone()).or_else(|| known_list(what, known));
        self.error(span, format!("unknown {what} `{id}`"), hint);
    }

    /// [`Checker::reference`] with a set for the membership test: a plan may hold tens of
    /// thousands of initiatives, and only an unknown id needs the list (for the hint).
    fn reference_in<'k>(
        &mut self,
        id: &str,
        span: &Span,
        what: &str,
        set: &HashSet<&str>,
        known: impl IntoIterator<Item = &'k str> + Clone,
    ) {
        if !set.contains(id) {
            self.reference(id, span, what, known);
        }
    }

    /// Ids a plan gives two items of one kind.
    fn plan_duplicates(&mut self, parsed: &ParsedPlan) {
        let (plan, spans) = (&parsed.plan, &parsed.spans);
        let orgs = plan.organisations.iter().map(|o| o.id.as_str());
        self.duplicates("organisation", orgs.zip(&spans.organisations));
        let areas = plan.focus_areas.iter().map(|f| f.id.as_str());
        self.duplicates("focus area", areas.zip(&spans.focus_areas));
        let ids = plan.initiatives.iter().map(|i| i.id.as_str());
        self.duplicates(
            "initiative",
            ids.zip(spans.initiatives.iter().map(|s| &s.id)),
        );
        let indicators = plan.indicators.iter().map(|i| i.id.as_str());
        self.duplicates(
            "indicator",
            indicators.zip(spans.indicators.iter().map(|s| &s.id)),
        );
    }

    /// The problems of one update by [`update_problems`], each at its field; none for an update
    /// already `recorded` (reloading history is never refused).
    fn update(
        &mut self,
        view: &PlanView,
        u: &Update,
        s: &UpdateSpans,
        owner: Option<&str>,
        today: NaiveDate,
        recorded: &dyn Fn(&str, &Update) -> bool,
    ) {
        let problems = update_problems(view, &u.initiative, u.reported_on, owner, today);
        // Asked only when there is a problem: most updates have none, and then cost no lookup.
        if problems.is_empty() || recorded(&view.strategy.id, u) {
            return;
        }
        for p in problems {
            let span = match p.field {
                UpdateField::Initiative => &s.initiative,
                UpdateField::ReportedOn => &s.reported_on,
            };
            self.error(span, p.message, p.hint);
        }
    }

    /// Reports an update that comes again (`first` is where it came before).
    fn repeated(&mut self, first: Option<&Span>, span: &Span, message: impl FnOnce() -> String) {
        if let Some(prev) = first {
            // "line 7" in a TOML form, "Status!A7" in a workbook.
            let hint = format!("the first is on {}; keep one", self.file.place(prev.start));
            self.error(span, message(), Some(hint));
        }
    }

    fn duplicates<'k>(&mut self, what: &str, items: impl Iterator<Item = (&'k str, &'k Span)>) {
        let mut first: HashMap<&str, &Span> = HashMap::new();
        for (id, span) in items {
            if let Some(prev) = first.get(id) {
                let (line, _) = self.file.line_col(prev.start);
                let msg = format!("duplicate {what} id `{id}`");
                self.error(
                    span,
                    msg,
                    Some(format!("`{id}` is first defined on line {line}")),
                );
            } else {
                first.insert(id, span);
            }
        }
    }
}

/// The ids a plan gives two items of one kind (a part of [`validate_plan`]).
pub fn plan_duplicates(file: &SourceFile, parsed: &ParsedPlan) -> Diagnostics {
    let mut c = Checker {
        file,
        diags: Diagnostics::default(),
    };
    c.plan_duplicates(parsed);
    c.diags
}

/// Checks a plan on its own: unique ids, known references, dates, and no dependency cycles.
pub fn validate_plan(file: &SourceFile, parsed: &ParsedPlan) -> Diagnostics {
    let mut c = Checker {
        file,
        diags: Diagnostics::default(),
    };
    c.plan_duplicates(parsed);
    let (plan, spans) = (&parsed.plan, &parsed.spans);
    let orgs: Vec<&str> = plan.organisations.iter().map(|o| o.id.as_str()).collect();
    let areas: Vec<&str> = plan.focus_areas.iter().map(|f| f.id.as_str()).collect();
    let ids: Vec<&str> = plan.initiatives.iter().map(|i| i.id.as_str()).collect();

    let org_set: HashSet<&str> = orgs.iter().copied().collect();
    let id_set: HashSet<&str> = ids.iter().copied().collect();
    for (i, s) in plan.initiatives.iter().zip(&spans.initiatives) {
        c.reference(
            &i.focus_area,
            &s.focus_area,
            "focus area",
            areas.iter().copied(),
        );
        let org = orgs.iter().copied();
        c.reference_in(&i.owner, &s.owner, "organisation", &org_set, org.clone());
        if let (Some(m), Some(span)) = (&i.ministry, &s.ministry) {
            c.reference_in(m, span, "organisation", &org_set, org.clone());
        }
        for (p, span) in i.participants.iter().zip(&s.participants) {
            c.reference_in(p, span, "organisation", &org_set, org.clone());
        }
        for (d, span) in i.depends_on.iter().zip(&s.depends_on) {
            if d == &i.id {
                let hint = Some(format!("remove `{d}` from its own `depends_on`"));
                c.error(span, format!("`{d}` depends on itself"), hint);
            } else {
                c.reference_in(d, span, "initiative", &id_set, ids.iter().copied());
            }
        }
        if let (Some(start), Some(period)) = (i.start, plan.strategy.as_ref().map(|s| s.period))
            && period.end > 0
            && start.year() > period.end
        {
            let hint = Some(format!("the strategy runs {}–{}", period.start, period.end));
            let span = s.due.clone().unwrap_or(s.id.clone());
            c.error(
                &span,
                format!("`{}` starts after the strategy period", i.id),
                hint,
            );
        }
    }

    // Cycles: self-loops are reported above, so only cycles of two or more are named here.
    let graph = DepGraph::from_initiatives(&plan.initiatives);
    let id_span: HashMap<&str, &Span> = ids
        .iter()
        .copied()
        .zip(spans.initiatives.iter().map(|s| &s.id))
        .collect();
    for cycle in graph.cycles().into_iter().filter(|c| c.len() > 2) {
        let span = id_span.get(cycle[0]).map_or(0..0, |s| (*s).clone());
        c.error(
            &span,
            format!("dependency cycle: {}", cycle.join(" → ")),
            Some("remove one of these `depends_on` entries: a cycle can never start".into()),
        );
    }

    for (ind, s) in plan.indicators.iter().zip(&spans.indicators) {
        if let (Some(fa), Some(span)) = (&ind.focus_area, &s.focus_area) {
            c.reference(fa, span, "focus area", areas.iter().copied());
        }
        for (t, span) in ind.targets.iter().zip(&s.target_segments) {
            if let (Some(seg), Some(span)) = (&t.segment, span) {
                let segments = ind.segments.iter().map(String::as_str);
                c.reference(seg, span, &format!("segment of `{}`", ind.id), segments);
            }
        }
    }
    c.diags
}

fn strategy_view<'v>(
    c: &mut Checker<'_>,
    id: &str,
    span: &Span,
    views: &'v HashMap<String, PlanView>,
) -> Option<&'v PlanView> {
    if id.is_empty() {
        return None;
    }
    let view = views.get(id);
    if view.is_none() {
        let hint = did_you_mean(id, views.keys().map(String::as_str)).or_else(|| {
            Some(if views.is_empty() {
                "load the strategy's plan first (or in the same `load`)".to_string()
            } else {
                format!("known strategies: {}", sorted_keys(views))
            })
        });
        c.error(span, format!("unknown strategy `{id}`"), hint);
    }
    view
}

fn sorted_keys(views: &HashMap<String, PlanView>) -> String {
    let mut keys: Vec<&str> = views.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys.join(", ")
}

/// Checks a status form against the plan it reports on.
/// `recorded` tells whether an update is in the history already (see [`update_problems`]).
pub fn validate_form(
    file: &SourceFile,
    parsed: &ParsedForm,
    views: &HashMap<String, PlanView>,
    today: NaiveDate,
    recorded: &dyn Fn(&str, &Update) -> bool,
) -> Diagnostics {
    let mut c = Checker {
        file,
        diags: Diagnostics::default(),
    };
    let (form, spans) = (&parsed.form, &parsed.spans);
    let Some(view) = strategy_view(&mut c, &form.strategy, &spans.strategy, views) else {
        return c.diags;
    };
    if let (Some(owner), Some(span)) = (&form.owner, &spans.owner) {
        c.reference(
            owner,
            span,
            "organisation",
            view.organisations.iter().map(String::as_str),
        );
    }
    let period = view.strategy.period;
    if let (Some(round), Some(span)) = (form.round, &spans.round)
        && !period.contains_year(round.first_day().year())
    {
        let msg = format!(
            "round {round} is outside the strategy period {}–{}",
            period.start, period.end
        );
        c.error(span, msg, None);
    }
    let mut seen: HashMap<(&str, NaiveDate), &Span> = HashMap::new();
    for (u, s) in form.updates.iter().zip(&spans.updates) {
        if let Some(round) = form.round
            && !(round.first_day()..=round.last_day()).contains(&u.reported_on)
        {
            let msg = format!("{} is outside round {round}", u.reported_on);
            let hint = format!(
                "round {round} runs from {} to {}: correct the date, or send the update with the round it belongs to",
                round.first_day(),
                round.last_day()
            );
            c.error(&s.reported_on, msg, Some(hint));
            continue;
        }
        c.update(view, u, s, form.owner.as_deref(), today, recorded);
        let first = seen.insert((u.initiative.as_str(), u.reported_on), &s.initiative);
        c.repeated(first, &s.initiative, || {
            format!(
                "a second update for `{}` on {} in this form",
                u.initiative, u.reported_on
            )
        });
    }
    c.diags
}

/// Checks a status history (an export's) against its plan: each update by the rules of a
/// form's, and none twice, which the history would keep once. Two different updates of one
/// initiative on one day are history, not a mistake: a correction, or two forms.
pub fn validate_history(
    file: &SourceFile,
    parsed: &ParsedForm,
    view: &PlanView,
    today: NaiveDate,
) -> Diagnostics {
    let mut c = Checker {
        file,
        diags: Diagnostics::default(),
    };
    let mut seen: HashMap<String, &Span> = HashMap::new();
    for (u, s) in parsed.form.updates.iter().zip(&parsed.spans.updates) {
        c.update(view, u, s, None, today, &|_, _| false);
        let first = seen.insert(u.fingerprint(), &s.initiative);
        c.repeated(first, &s.initiative, || {
            format!(
                "a second update for `{}` on {}, the same as the first",
                u.initiative, u.reported_on
            )
        });
    }
    c.diags
}

/// Which part of an update a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateField {
    Initiative,
    ReportedOn,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: UpdateField,
    pub message: String,
    pub hint: Option<String>,
}

/// The rules one status update must meet, from a form or from `status set`.
/// An update already in the history is never refused: callers drop these problems for one
/// that is recorded (a reload changes nothing, closed period or not).
pub fn update_problems(
    view: &PlanView,
    initiative: &str,
    reported_on: NaiveDate,
    owner: Option<&str>,
    today: NaiveDate,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut problem = |field, message: String, hint: Option<String>| {
        out.push(Problem {
            field,
            message,
            hint,
        });
    };
    match view.initiatives.get(initiative) {
        None => {
            let hint = did_you_mean(initiative, view.active_ids());
            problem(
                UpdateField::Initiative,
                format!("unknown initiative `{initiative}`"),
                hint,
            );
        }
        Some(target) => {
            if let Some(from) = target.withdrawn_from.filter(|from| reported_on >= *from) {
                let msg = format!(
                    "`{initiative}` is withdrawn from the plan from {from} and takes no updates dated after"
                );
                problem(
                    UpdateField::Initiative,
                    msg,
                    Some("remove this update, or date it before the withdrawal".into()),
                );
            } else if target.kind == Kind::Proposed {
                let msg = format!("`{initiative}` is only proposed and takes no updates");
                let hint =
                    "change its `kind` in the plan once it is adopted, or remove this update";
                problem(UpdateField::Initiative, msg, Some(hint.into()));
            }
            if let Some(owner) = owner.filter(|o| !o.is_empty() && *o != target.owner) {
                let msg = format!(
                    "`{initiative}` belongs to `{}`, not to `{owner}` (the owner of this form)",
                    target.owner
                );
                let hint = format!(
                    "report it in `{}`'s form, or remove `owner` from [form]",
                    target.owner
                );
                problem(UpdateField::Initiative, msg, Some(hint));
            }
        }
    }
    let period = view.strategy.period;
    if !period.contains_year(reported_on.year()) {
        let msg = format!(
            "`reported_on` {reported_on} is outside the strategy period {}–{}",
            period.start, period.end
        );
        problem(UpdateField::ReportedOn, msg, None);
    } else if let Some((name, last)) = &view.frozen
        && reported_on <= *last
        && !view.corrections_allowed
    {
        let msg = if name
            .parse::<PeriodSpec>()
            .is_ok_and(|p| p.first_day() <= reported_on)
        {
            format!("`reported_on` {reported_on} falls in {name}, which is closed")
        } else {
            format!(
                "`reported_on` {reported_on} is frozen: {name} is closed, and with it every day up to {last}"
            )
        };
        let hint =
            "an update to a closed period is a correction: load it with --correction \"why\"";
        problem(UpdateField::ReportedOn, msg, Some(hint.into()));
    } else if reported_on > today {
        let msg = format!("`reported_on` {reported_on} is in the future (today is {today})");
        problem(
            UpdateField::ReportedOn,
            msg,
            Some("a status holds for a day that has come".into()),
        );
    }
    out
}

/// Checks a report narrative against its strategy's plan.
pub fn validate_narrative(
    file: &SourceFile,
    parsed: &ParsedNarrative,
    views: &HashMap<String, PlanView>,
) -> Diagnostics {
    let mut c = Checker {
        file,
        diags: Diagnostics::default(),
    };
    let (n, spans) = (&parsed.narrative, &parsed.spans);
    let Some(view) = strategy_view(&mut c, &n.strategy, &spans.strategy, views) else {
        return c.diags;
    };
    let period = view.strategy.period;
    if n.year != 0 && !period.contains_year(n.year) {
        let msg = format!(
            "year {} is outside the strategy period {}–{}",
            n.year, period.start, period.end
        );
        c.error(&spans.year, msg, None);
    }
    for (fa, span) in n.focus_areas.iter().zip(&spans.focus_areas) {
        c.reference(
            &fa.id,
            span,
            "focus area",
            view.focus_areas.iter().map(String::as_str),
        );
    }
    c.duplicates(
        "focus area",
        n.focus_areas
            .iter()
            .map(|f| f.id.as_str())
            .zip(spans.focus_areas.iter()),
    );
    c.duplicates(
        "recommendation",
        spans
            .recommendations
            .iter()
            .map(|(id, span)| (id.as_str(), span)),
    );
    c.duplicates(
        "decision",
        spans.decisions.iter().map(|(id, span)| (id.as_str(), span)),
    );
    for (f, span) in n.follow_ups.iter().zip(&spans.follow_ups) {
        match view.recommendations.get(&f.recommendation) {
            None => {
                let earlier = view
                    .recommendations
                    .iter()
                    .filter(|(_, y)| **y < n.year)
                    .map(|(id, _)| id.as_str());
                let hint = did_you_mean(&f.recommendation, earlier.clone())
                    .or_else(|| known_list("recommendation", earlier));
                c.error(
                    span,
                    format!("unknown recommendation `{}`", f.recommendation),
                    hint,
                );
            }
            Some(&year) if year >= n.year => {
                let msg = format!(
                    "`{}` is a recommendation of {year}: a {} narrative can only follow up earlier ones",
                    f.recommendation, n.year
                );
                c.error(span, msg, None);
            }
            Some(_) => {}
        }
    }
    c.diags
}

/// Checks measurements against the indicators of their strategy. Returns errors and warnings:
/// a year outside the strategy period is kept (baselines often predate a strategy) but named.
pub fn validate_measurements(
    file: &SourceFile,
    parsed: &ParsedMeasurements,
    view: &PlanView,
) -> (Diagnostics, Diagnostics) {
    measurements(file, parsed, view, true)
}

/// `one_value_each`: a file gives one value for an indicator, segment and year; an export gives
/// every one as loaded, a later value correcting an earlier one.
fn measurements(
    file: &SourceFile,
    parsed: &ParsedMeasurements,
    view: &PlanView,
    one_value_each: bool,
) -> (Diagnostics, Diagnostics) {
    let mut c = Checker {
        file,
        diags: Diagnostics::default(),
    };
    let mut warnings = Diagnostics::default();
    let mut seen: HashMap<(&str, &str, i32), (f64, &Span)> = HashMap::new();
    for (m, s) in parsed.rows.iter().zip(&parsed.spans) {
        let Some((unit, segments)) = view.indicators.get(&m.indicator) else {
            let hint = did_you_mean(&m.indicator, view.indicators.keys().map(String::as_str))
                .or_else(|| {
                    Some(format!(
                        "declare it as an [[indicator]] in the plan of `{}`",
                        view.strategy.id
                    ))
                });
            c.error(
                &s.indicator,
                format!("unknown indicator `{}`", m.indicator),
                hint,
            );
            continue;
        };
        if !segments.contains(&m.segment) {
            let hint =
                did_you_mean(&m.segment, segments.iter().map(String::as_str)).or_else(|| {
                    Some(format!(
                        "the segments of `{}` are: {}",
                        m.indicator,
                        segments.join(", ")
                    ))
                });
            c.error(
                &s.segment,
                format!("unknown segment `{}` for `{}`", m.segment, m.indicator),
                hint,
            );
        }
        if *unit == Unit::Percent && !(0.0..=100.0).contains(&m.value) {
            let msg = format!(
                "{} is not a percentage (0–100) for `{}`",
                m.value, m.indicator
            );
            c.error(&s.value, msg, None);
        }
        let period = view.strategy.period;
        if !period.contains_year(m.year) {
            let msg = format!(
                "year {} is outside the strategy period {}–{} (loaded all the same)",
                m.year, period.start, period.end
            );
            warnings.push(file.diagnostic(&s.year, msg));
        }
        let key = (m.indicator.as_str(), m.segment.as_str(), m.year);
        if let Some((value, prev)) = seen.insert(key, (m.value, &s.value))
            && one_value_each
            && value != m.value
        {
            let (line, _) = file.line_col(prev.start);
            let msg = format!(
                "`{}` {} {} is given twice with different values ({value} and {})",
                m.indicator, m.segment, m.year, m.value
            );
            c.error(
                &s.value,
                msg,
                Some(format!("the other is on line {line}; keep one")),
            );
        }
    }
    (c.diags, warnings)
}
