//! The report model. Its JSON form is a public interface (see docs/report-json.md): fields are
//! added, never renamed or removed, and `schema_version` says which shape a reader has.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::goals::GoalScore;
use crate::model::Assessment;
use crate::model::Basis;
use crate::model::NarrativeSection;
use crate::model::Period;
use crate::model::Status;

pub const SCHEMA_VERSION: u32 = 2;

/// Key in the totals for active initiatives with no update at all yet.
pub const NO_STATUS: &str = "no-status";

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub year: i32,
    pub as_of: NaiveDate,
    /// Set when the report shows the record as it stood at a past moment (`--as-known-at`).
    pub known_at: Option<String>,
    /// SHA-256 of the record the report is built from (the plan and every update up to
    /// `as_of`): a reader can check that a document matches the record.
    pub content_hash: String,
    pub strategy: StrategyRef,
    pub title: Option<String>,
    pub summary: Vec<String>,
    /// The plan's own active initiatives (initiatives and life events) by status now, and a
    /// year earlier. Supporting measures are not initiatives of the plan: they are counted apart.
    pub totals: BTreeMap<String, usize>,
    pub previous_totals: BTreeMap<String, usize>,
    /// Active supporting measures by status now.
    pub supporting_totals: BTreeMap<String, usize>,
    /// Share of `totals` that is on track or completed, 0–100.
    pub on_track_share: Option<f64>,
    /// What needs attention: every active initiative that is delayed, at risk or overdue, the
    /// one holding up most first.
    pub attention: Vec<AttentionItem>,
    /// What Skate is asked to decide, from the year's narrative.
    pub decisions: Vec<NarrativeSection>,
    /// Status changes since a year before `as_of`, in plan order.
    pub transitions: Vec<Transition>,
    /// The goals (focus areas with indicators), scored as *Rikets digitale tilstand* scores them.
    pub goals: Vec<GoalScore>,
    pub focus_areas: Vec<FocusAreaReport>,
    pub changes: Changes,
    pub missing: Vec<MissingUpdate>,
    pub drivers: Vec<NarrativeSection>,
    pub recommendations: Vec<NarrativeSection>,
    /// What became of earlier years' recommendations.
    pub advice: Vec<AdviceItem>,
    /// Updates that corrected a closed period, dated in this year: listed apart.
    pub corrections: Vec<CorrectionRow>,
    pub appendix: Vec<AppendixEntry>,
    pub indicators: Vec<IndicatorReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrategyRef {
    pub id: String,
    pub title: String,
    pub period: Period,
}

#[derive(Debug, Clone, Serialize)]
pub struct FocusAreaReport {
    pub id: String,
    pub title: String,
    pub goal: String,
    /// "How the work goes", from the year's narrative.
    pub progress: Option<String>,
    /// The programme office's assessment of the focus area that year, from the narrative.
    pub assessment: Option<Assessment>,
    /// What effect the work has had so far, from the narrative.
    pub effect: Option<String>,
    /// The plan's own initiatives by status, now and a year earlier; supporting measures apart.
    pub totals: BTreeMap<String, usize>,
    pub previous_totals: BTreeMap<String, usize>,
    pub supporting_totals: BTreeMap<String, usize>,
    /// Every active initiative of the focus area, supporting measures included (see `kind`).
    pub initiatives: Vec<InitiativeRow>,
    /// Proposed initiatives: not yet in the plan's follow-up.
    pub proposed: Vec<ItemRef>,
}

/// How many initiatives a line of the formats people read names before it counts the rest: a
/// reader acts on the first few, and a dense portfolio would otherwise print dozens under every
/// row (the JSON has all their ids).
pub const NAMED_AT_MOST: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct InitiativeRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub owner: String,
    pub owner_name: String,
    pub status: Option<Status>,
    pub previous_status: Option<Status>,
    pub progress: Option<u8>,
    pub due: Option<NaiveDate>,
    /// `due` is before `as_of` and the initiative is neither completed nor cancelled.
    pub overdue: bool,
    pub next_milestone: Option<MilestoneRef>,
    /// The nearest delayed or at-risk initiatives upstream: reached without passing through
    /// another delayed or at-risk one.
    pub blocked_by: Vec<std::sync::Arc<str>>,
    /// The first [`NAMED_AT_MOST`] of them with title and owner, for the formats people read
    /// (which count the rest).
    #[serde(skip)]
    pub blockers: Vec<ItemRef>,
    pub last_update: Option<NaiveDate>,
    /// The latest update's own explanation.
    pub summary: Option<String>,
    /// Whether the latest status was reported by the owner or assessed by the programme office.
    pub basis: Option<Basis>,
}

impl InitiativeRow {
    /// Initiatives and life events: the plan's own, which the headline counts.
    pub fn is_plan_own(&self) -> bool {
        self.kind != crate::model::Kind::SupportingMeasure.as_str()
    }
}

/// An active initiative that is delayed, at risk or overdue, and what it holds up.
#[derive(Debug, Clone, Serialize)]
pub struct AttentionItem {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub focus_area: String,
    pub owner: String,
    pub owner_name: String,
    pub status: Option<Status>,
    pub basis: Option<Basis>,
    pub summary: Option<String>,
    /// The day of the latest update: an old summary reads as old.
    pub last_update: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// The active initiatives that depend on it directly.
    pub blocks: Vec<ItemRef>,
    /// How many active initiatives depend on it, directly or through others.
    pub holds_up: usize,
}

/// A status that changed between two days (`None`: no status yet).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub from: Option<Status>,
    pub to: Option<Status>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneRef {
    pub title: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRef {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Slip {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What changed since the end of the previous year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    pub completed: Vec<ItemRef>,
    pub started: Vec<ItemRef>,
    pub new_in_plan: Vec<ItemRef>,
    pub withdrawn: Vec<ItemRef>,
    pub slipped: Vec<Slip>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.completed.is_empty()
            && self.started.is_empty()
            && self.new_in_plan.is_empty()
            && self.withdrawn.is_empty()
            && self.slipped.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub reported_on: NaiveDate,
    pub status: Status,
    pub reason: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdviceItem {
    pub id: Option<String>,
    /// The year of the narrative that made the recommendation.
    pub year: i32,
    pub title: String,
    /// `None`: this year's narrative records no follow-up.
    pub status: Option<crate::model::FollowUpStatus>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissingUpdate {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub last_update: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppendixEntry {
    pub id: String,
    pub title: String,
    pub owner_name: String,
    pub respondent: Option<String>,
    pub reported_on: NaiveDate,
    /// (field, answer) in the questionnaire's order.
    pub answers: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorReport {
    pub id: String,
    pub title: String,
    pub focus_area: Option<String>,
    pub unit: String,
    pub better: String,
    pub values: Vec<IndicatorValue>,
    pub targets: Vec<IndicatorTarget>,
    /// Per segment: latest value, change, trend, the target that applies, gap, on course.
    pub segments: Vec<crate::indicators::SegmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorValue {
    pub segment: String,
    pub year: i32,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorTarget {
    pub segment: Option<String>,
    pub year: i32,
    pub value: f64,
}

/// Counts per status with every status present, so readers see zeros too.
pub fn empty_totals() -> BTreeMap<String, usize> {
    Status::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .chain(std::iter::once((NO_STATUS.to_string(), 0)))
        .collect()
}
