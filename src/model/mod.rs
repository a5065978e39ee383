//! The domain: what a plan, a status update and a report narrative are, free of files and SQL.

pub mod digest;
pub mod export;

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::Serialize;

/// Strategy period in whole years, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: i32,
    pub end: i32,
}

impl Period {
    pub fn contains_year(&self, year: i32) -> bool {
        (self.start..=self.end).contains(&year)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub id: String,
    pub title: String,
    pub period: Period,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
    pub kind: Option<OrgKind>,
    /// Whom the programme office writes to when the organisation's answers are missing.
    /// Left out of the item's JSON when absent, so that plans without contacts keep their
    /// fingerprints and content hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

/// A person (or a shared mailbox) at an organisation: the e-mail is what chasing needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub email: String,
}

impl Contact {
    /// Why `s` cannot be an e-mail address a mail merge sends to, if it cannot: one `@`, a
    /// name before it, a domain with a dot after it, and nothing that separates addresses or
    /// hides in a header (spaces, commas, semicolons, angle brackets, quotes, control
    /// characters).
    pub fn email_problem(s: &str) -> Option<&'static str> {
        if s.len() > 254 {
            return Some("is longer than an e-mail address may be (254 characters)");
        }
        if s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || ",;<>\"()[]\\".contains(c))
        {
            return Some("holds a space or a character that no e-mail address has");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Some("has no `@`");
        };
        if local.is_empty() || domain.contains('@') {
            return Some("must have one `@` with a name before it");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
            return Some("must end in a domain such as `digdir.no`");
        }
        None
    }
}

impl Organisation {
    /// The short name when there is one: what tables show.
    pub fn label(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusArea {
    pub id: String,
    pub title: String,
    pub goal: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    pub id: String,
    pub title: String,
    pub focus_area: String,
    pub kind: Kind,
    pub owner: String,
    pub ministry: Option<String>,
    pub participants: Vec<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub depends_on: Vec<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub milestones: Vec<Milestone>,
}

impl Initiative {
    /// The first milestone not yet done, by due date.
    pub fn next_open_milestone(&self, as_of: NaiveDate) -> Option<&Milestone> {
        self.milestones
            .iter()
            .filter(|m| m.done.is_none_or(|d| d > as_of))
            .min_by_key(|m| m.due)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub year: i32,
    pub value: f64,
    pub segment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub title: String,
    pub focus_area: Option<String>,
    pub unit: Unit,
    pub better: Better,
    pub segments: Vec<String>,
    pub source: Option<String>,
    pub targets: Vec<Target>,
    /// The indicator's weight in its goal's score (1 when not given). Left out of the stored
    /// item when absent, so plans recorded before it existed do not read as changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// One strategy's plan as written in its plan file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub strategy: Option<Strategy>,
    /// The day this version takes effect (`[strategy] revised`). Not part of any item: a plan
    /// that changes only its `revised` day changes nothing.
    pub revised: Option<NaiveDate>,
    pub organisations: Vec<Organisation>,
    pub focus_areas: Vec<FocusArea>,
    pub initiatives: Vec<Initiative>,
    pub indicators: Vec<Indicator>,
}

impl Plan {
    pub fn strategy_id(&self) -> &str {
        self.strategy.as_ref().map_or("", |s| s.id.as_str())
    }
}

/// One status update as an owner reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Update {
    pub initiative: String,
    pub status: Status,
    pub progress: Option<u8>,
    pub reported_on: NaiveDate,
    pub answers: Answers,
    pub respondent: Option<String>,
    /// Whether the status was reported by the owner or inferred by the programme office from
    /// other sources. Left out of the serialised form when absent, so that the fingerprints of
    /// updates recorded before this field existed stay as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    /// Where the status comes from (a report, a page), for the record's auditors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Update {
    /// What identifies an update in the history: the SHA-256 of its content. The model
    /// serialises deterministically (struct field order, absent fields left out), so equal
    /// updates hash equal, and a fingerprint once stored never changes.
    pub fn fingerprint(&self) -> String {
        digest::hex(&self.fingerprint_bytes())
    }

    /// [`Update::fingerprint`] as its 32 bytes, as the history stores it.
    pub fn fingerprint_bytes(&self) -> [u8; 32] {
        let json = serde_json::to_vec(self).unwrap_or_default();
        digest::sha256(&json)
    }
}

/// The summary and the five written answers of the yearly questionnaire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub success_factors: Option<String>,
    pub challenges: Option<String>,
    pub lessons: Option<String>,
    pub next_year: Option<String>,
}

impl Answers {
    pub const FIELDS: [&'static str; 6] = [
        "summary",
        "description",
        "success_factors",
        "challenges",
        "lessons",
        "next_year",
    ];

    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "summary" => self.summary.as_deref(),
            "description" => self.description.as_deref(),
            "success_factors" => self.success_factors.as_deref(),
            "challenges" => self.challenges.as_deref(),
            "lessons" => self.lessons.as_deref(),
            "next_year" => self.next_year.as_deref(),
            _ => None,
        }
    }

    pub fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "summary" => &mut self.summary,
            "description" => &mut self.description,
            "success_factors" => &mut self.success_factors,
            "challenges" => &mut self.challenges,
            "lessons" => &mut self.lessons,
            "next_year" => &mut self.next_year,
            _ => return,
        };
        *slot = Some(value);
    }

    /// The five questionnaire answers (not the summary), with their field names.
    pub fn questionnaire(&self) -> impl Iterator<Item = (&'static str, &str)> {
        Self::FIELDS[1..]
            .iter()
            .filter_map(|f| self.get(f).map(|v| (*f, v)))
    }
}

/// A status form: what one owner (or the programme office) sends back.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub strategy: String,
    pub owner: Option<String>,
    /// The round the form answers (`2021`, `2021H1`): every update's date must fall in it.
    pub round: Option<crate::period::PeriodSpec>,
    pub reported_on: NaiveDate,
    pub updates: Vec<Update>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NarrativeSection {
    /// Recommendations carry an id so that a later year can record their follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    pub text: String,
}

/// What became of an earlier year's recommendation, as a later narrative records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub recommendation: String,
    pub status: FollowUpStatus,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusAreaProgress {
    pub id: String,
    /// "Hvordan går arbeidet?": the programme office's account of the year.
    #[serde(default)]
    pub progress: Option<String>,
    /// The focus area's status as Digdir's annual reports assess it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    /// What effect the work has had so far ("Vurdering av effekt").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
}

/// What the programme office writes for a year's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    pub strategy: String,
    pub year: i32,
    pub title: Option<String>,
    pub summary: Vec<String>,
    pub focus_areas: Vec<FocusAreaProgress>,
    pub drivers: Vec<NarrativeSection>,
    pub recommendations: Vec<NarrativeSection>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    /// What Skate is asked to decide (`[[decision]]`: id, title, text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<NarrativeSection>,
}

/// One observed value of an indicator, for a segment and a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub indicator: String,
    pub segment: String,
    pub year: i32,
    pub value: f64,
    pub source: Option<String>,
}

/// The measurements of one CSV file, for one strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementSet {
    pub strategy: String,
    pub rows: Vec<Measurement>,
}

/// Whether two spellings are the same word, regardless of case, spaces, `_` and `-`.
pub fn same_word(a: &str, b: &str) -> bool {
    fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| !(c.is_whitespace() || *c == '_' || *c == '-'))
            .flat_map(char::to_lowercase)
    }
    letters(a).eq(letters(b))
}

/// The kinds of item a plan holds, as plan history and exports name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemType {
    Strategy,
    Organisation,
    FocusArea,
    Initiative,
    Indicator,
}

impl ItemType {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemType::Strategy => "strategy",
            ItemType::Organisation => "organisation",
            ItemType::FocusArea => "focus_area",
            ItemType::Initiative => "initiative",
            ItemType::Indicator => "indicator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Strategy,
            Self::Organisation,
            Self::FocusArea,
            Self::Initiative,
            Self::Indicator,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// Defines a closed set of words that files spell in kebab-case; read forgivingly (see
/// [`same_word`]).
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Every accepted spelling, for error messages.
            pub fn words() -> Vec<&'static str> {
                vec![$($word $(, $alias)*),+]
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s {
                    $($word $(| $alias)* => return Ok($name::$variant),)+
                    _ => {}
                }
                // People write "I rute", "on_track" or "On-Track": the same word to them.
                $(
                    if [$word $(, $alias)*].iter().any(|w| same_word(w, s)) {
                        return Ok($name::$variant);
                    }
                )+
                Err(())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum! {
    /// The status an owner reports; Norwegian words are accepted as the same values.
    Status {
        NotStarted = "not-started" | "ikke-startet",
        OnTrack = "on-track" | "i-rute",
        AtRisk = "at-risk" | "risiko",
        Delayed = "delayed" | "forsinket",
        Completed = "completed" | "ferdigstilt",
        Paused = "paused" | "pause",
        Cancelled = "cancelled" | "avbrutt",
    }
}

impl Status {
    /// Whether dependants of an initiative in this status are held up.
    pub fn is_blocking(self) -> bool {
        matches!(self, Status::Delayed | Status::AtRisk)
    }

    /// Whether the initiative has ended (no longer active in later years).
    pub fn is_final(self) -> bool {
        matches!(self, Status::Completed | Status::Cancelled)
    }
}

word_enum! {
    /// On what a status rests: the owner's own report, or the programme office's reading of
    /// other sources (marked as such in the report).
    Basis {
        Reported = "reported" | "rapportert",
        Inferred = "inferred" | "vurdert",
    }
}

word_enum! {
    /// What kind of item an initiative is in the action plan.
    Kind {
        Initiative = "initiative",
        SupportingMeasure = "supporting-measure",
        LifeEvent = "life-event",
        Proposed = "proposed",
    }
}

word_enum! {
    OrgKind {
        State = "state",
        Municipal = "municipal",
        Ministry = "ministry",
        Council = "council",
        Private = "private",
        Other = "other",
    }
}

word_enum! {
    Unit {
        Percent = "percent",
        Count = "count",
        Score = "score",
        Index = "index",
        Rank = "rank",
    }
}

word_enum! {
    /// How far an earlier recommendation has been followed.
    FollowUpStatus {
        FollowedUp = "followed-up" | "fulgt-opp",
        InProgress = "in-progress" | "under-arbeid",
        NotFollowed = "not-followed" | "ikke-fulgt-opp",
    }
}

word_enum! {
    /// A focus area's state of work, in the words of Digdir's annual reports.
    Assessment {
        OnPlan = "on-plan" | "på-plan",
        MinorDelays = "minor-delays" | "mindre-forsinkelser",
        MajorDelays = "major-delays" | "store-forsinkelser",
        Completed = "completed" | "ferdig",
    }
}

word_enum! {
    Better {
        Higher = "higher",
        Lower = "lower",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_parse_in_both_languages() {
        assert_eq!("forsinket".parse(), Ok(Status::Delayed));
        assert_eq!("on-track".parse(), Ok(Status::OnTrack));
        assert_eq!("late".parse::<Status>(), Err(()));
        assert_eq!(Status::words().len(), 14);
    }

    #[test]
    fn words_are_read_regardless_of_case_spaces_and_dashes() {
        for (s, want) in [
            ("Forsinket", Status::Delayed),
            ("i rute", Status::OnTrack),
            ("I RUTE", Status::OnTrack),
            ("on_track", Status::OnTrack),
            ("On-Track", Status::OnTrack),
            (" on track ", Status::OnTrack),
            ("Ikke startet", Status::NotStarted),
            ("not\u{a0}started", Status::NotStarted),
        ] {
            assert_eq!(s.parse(), Ok(want), "{s}");
        }
        assert_eq!("Supporting measure".parse(), Ok(Kind::SupportingMeasure));
        assert_eq!("on-tracks".parse::<Status>(), Err(()));
        assert_eq!("-".parse::<Status>(), Err(()));
        assert_eq!("".parse::<Status>(), Err(()));
    }

    #[test]
    fn next_open_milestone_skips_done_ones() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut i = Initiative {
            id: "a".into(),
            title: "A".into(),
            focus_area: "f".into(),
            kind: Kind::Initiative,
            owner: "o".into(),
            ministry: None,
            participants: vec![],
            start: None,
            due: None,
            depends_on: vec![],
            tags: vec![],
            description: None,
            milestones: vec![
                Milestone {
                    title: "one".into(),
                    due: d("2020-01-01"),
                    done: Some(d("2020-01-02")),
                },
                Milestone {
                    title: "two".into(),
                    due: d("2020-06-01"),
                    done: None,
                },
            ],
        };
        assert_eq!(i.next_open_milestone(d("2020-12-31")).unwrap().title, "two");
        i.milestones[1].done = Some(d("2020-05-01"));
        assert!(i.next_open_milestone(d("2020-12-31")).is_none());
    }
}
