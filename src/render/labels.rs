//! Report labels in Norwegian (bokmål) and English. Data stays as the user wrote it.

use clap::ValueEnum;

use crate::model::Status;
use crate::report::NO_STATUS;

mod words;
pub use words::Words;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Nb,
    En,
}

impl Lang {
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Nb => &NB,
            Lang::En => &EN,
        }
    }
}

pub struct Labels {
    pub lang: &'static str,
    pub report: &'static str,
    pub period: &'static str,
    pub as_of: &'static str,
    pub summary: &'static str,
    pub on_track_title: &'static str,
    pub on_track_share: &'static str,
    pub overall: &'static str,
    pub focus_area: &'static str,
    pub goal: &'static str,
    pub progress_text: &'static str,
    pub initiative: &'static str,
    pub owner: &'static str,
    pub status: &'static str,
    pub year_ago: &'static str,
    pub progress: &'static str,
    pub next_milestone: &'static str,
    pub blocked_by: &'static str,
    pub last_update: &'static str,
    pub proposed: &'static str,
    pub changes: &'static str,
    pub completed: &'static str,
    pub started: &'static str,
    pub new_in_plan: &'static str,
    pub withdrawn: &'static str,
    pub slipped: &'static str,
    pub no_changes: &'static str,
    pub missing: &'static str,
    pub no_missing: &'static str,
    pub drivers: &'static str,
    pub recommendations: &'static str,
    pub appendix: &'static str,
    pub respondent: &'static str,
    pub reported_on: &'static str,
    pub indicators: &'static str,
    pub target: &'static str,
    pub segment: &'static str,
    pub latest: &'static str,
    pub change: &'static str,
    pub course: &'static str,
    pub on_course: &'static str,
    pub off_course: &'static str,
    pub indicator: &'static str,
    pub advice: &'static str,
    pub corrections: &'static str,
    pub reason: &'static str,
    pub content_hash: &'static str,
    pub known_at: &'static str,
    pub advice_year: &'static str,
    pub note: &'static str,
    follow_ups: [&'static str; 4],
    pub other_indicators: &'static str,
    pub no_initiatives: &'static str,
    pub total: &'static str,
    pub questions: [(&'static str, &'static str); 5],
    /// A short name for each question, in the same order.
    topics: [&'static str; 5],
    statuses: [&'static str; 8],
    pub attention: &'static str,
    pub attention_lead: &'static str,
    pub no_attention: &'static str,
    pub holds_up: &'static str,
    /// One initiative, several initiatives: "holder igjen 1 initiativ".
    pub initiatives_word: (&'static str, &'static str),
    pub waiting: &'static str,
    pub due: &'static str,
    pub due_date: &'static str,
    pub overdue: &'static str,
    pub decisions: &'static str,
    pub transitions: &'static str,
    pub no_transitions: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub supporting: &'static str,
    pub supporting_apart: &'static str,
    pub kind_supporting: &'static str,
    pub assessment: &'static str,
    assessments: [&'static str; 4],
    pub effect: &'static str,
    pub goals: &'static str,
    pub score: &'static str,
    pub rating: &'static str,
    ratings: [&'static str; 3],
    pub scored: &'static str,
    pub inferred: &'static str,
    pub updated: &'static str,
    pub was: &'static str,
    pub contents: &'static str,
    pub briefing: &'static str,
    pub details: &'static str,
    pub overview: &'static str,
    /// Around the owner's own words.
    pub quotes: (&'static str, &'static str),
    more_words: (&'static str, &'static str),
    pub strategy: &'static str,
    /// Under a chart whose axis is turned so that up is better.
    pub axis_inverted: &'static str,
}

impl Labels {
    pub fn status(&self, s: Option<Status>) -> &'static str {
        let i = match s {
            None => 7,
            Some(s) => Status::ALL.iter().position(|x| *x == s).unwrap_or(7),
        };
        self.statuses[i]
    }

    /// The label of a totals key (a status word or `no-status`).
    pub fn status_key(&self, key: &str) -> &'static str {
        if key == NO_STATUS {
            return self.statuses[7];
        }
        self.status(key.parse().ok())
    }

    pub fn follow_up(&self, s: Option<crate::model::FollowUpStatus>) -> &'static str {
        use crate::model::FollowUpStatus;
        match s {
            Some(FollowUpStatus::FollowedUp) => self.follow_ups[0],
            Some(FollowUpStatus::InProgress) => self.follow_ups[1],
            Some(FollowUpStatus::NotFollowed) => self.follow_ups[2],
            None => self.follow_ups[3],
        }
    }

    pub fn question(&self, field: &str) -> &'static str {
        self.questions
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, q)| q)
    }

    /// The short name of a question ("Utfordringer").
    pub fn topic(&self, field: &str) -> &'static str {
        self.questions
            .iter()
            .position(|(f, _)| *f == field)
            .map_or("", |n| self.topics[n])
    }

    /// A number with `places` decimals, with the language's decimal sign ("2,25" in
    /// Norwegian, as *Rikets digitale tilstand* prints its scores).
    pub fn decimal(&self, value: f64, places: usize) -> String {
        let n = format!("{value:.places$}");
        if self.lang == "nb" {
            n.replace('.', ",")
        } else {
            n
        }
    }

    /// "og 3 til" / "and 3 more".
    pub fn more(&self, n: usize) -> String {
        let (before, after) = self.more_words;
        format!("{before} {n} {after}")
    }

    pub fn assessment(&self, a: crate::model::Assessment) -> &'static str {
        use crate::model::Assessment;
        match a {
            Assessment::OnPlan => self.assessments[0],
            Assessment::MinorDelays => self.assessments[1],
            Assessment::MajorDelays => self.assessments[2],
            Assessment::Completed => self.assessments[3],
        }
    }

    pub fn rating(&self, r: crate::goals::Rating) -> &'static str {
        use crate::goals::Rating;
        match r {
            Rating::Good => self.ratings[0],
            Rating::Medium => self.ratings[1],
            Rating::Poor => self.ratings[2],
        }
    }

    /// "1 initiativ", "3 initiativer".
    pub fn initiatives(&self, n: usize) -> String {
        let (one, many) = self.initiatives_word;
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

pub static NB: Labels = Labels {
    lang: "nb",
    report: "Erfaringsrapport",
    period: "Periode",
    as_of: "Status per",
    summary: "Sammendrag",
    on_track_title: "Er vi i rute?",
    on_track_share: "Andel i rute eller ferdigstilt",
    overall: "Samlet",
    focus_area: "Innsatsområde",
    goal: "Hva skal vi oppnå?",
    progress_text: "Hvordan går arbeidet?",
    initiative: "Initiativ",
    owner: "Ansvarlig",
    status: "Status",
    year_ago: "For ett år siden",
    progress: "Fremdrift",
    next_milestone: "Neste milepæl",
    blocked_by: "Hindret av",
    last_update: "Sist oppdatert",
    proposed: "Foreslåtte nye initiativer",
    changes: "Endringer i år",
    completed: "Ferdigstilt",
    started: "Startet",
    new_in_plan: "Nye i planen",
    withdrawn: "Trukket ut av planen",
    slipped: "Utsatt frist",
    no_changes: "Ingen endringer.",
    missing: "Manglende statusrapportering",
    no_missing: "Alle aktive initiativer har rapportert.",
    drivers: "Drivkrefter",
    recommendations: "Anbefalinger",
    appendix: "Vedlegg: svar fra virksomhetene",
    respondent: "Besvart av",
    reported_on: "Rapportert",
    indicators: "Indikatorer",
    target: "Mål",
    segment: "Segment",
    latest: "Siste måling",
    change: "Endring",
    course: "I rute mot målet?",
    on_course: "i rute",
    off_course: "bak skjema",
    indicator: "Indikator",
    advice: "Oppfølging av tidligere anbefalinger",
    corrections: "Rettelser i avsluttede perioder",
    reason: "Begrunnelse",
    content_hash: "Kontrollsum",
    known_at: "slik registeret var",
    advice_year: "Fra",
    note: "Merknad",
    follow_ups: [
        "fulgt opp",
        "under arbeid",
        "ikke fulgt opp",
        "ingen oppfølging registrert",
    ],
    other_indicators: "Andre indikatorer",
    no_initiatives: "Ingen aktive initiativer.",
    total: "Totalt",
    questions: [
        (
            "description",
            "Beskriv kort initiativet og hvilket problem det skal løse for hvem",
        ),
        (
            "success_factors",
            "Hva har vært/vil bli de viktigste suksessfaktorene?",
        ),
        (
            "challenges",
            "Hva har vært/vil bli de største utfordringene i arbeidet?",
        ),
        ("lessons", "Hva er det viktigste dere har lært dette året?"),
        (
            "next_year",
            "Hva er de viktigste oppgavene i arbeidet det neste året?",
        ),
    ],
    topics: [
        "Beskrivelse",
        "Suksessfaktorer",
        "Utfordringer",
        "Lærdom",
        "Neste år",
    ],
    statuses: [
        "ikke startet",
        "i rute",
        "risiko",
        "forsinket",
        "ferdigstilt",
        "pause",
        "avbrutt",
        "ingen status",
    ],
    attention: "Trenger oppmerksomhet",
    attention_lead: "Forsinket, i risiko eller over fristen. Det som holder igjen flest andre initiativer, står først.",
    no_attention: "Ingen initiativer er forsinket, i risiko eller over fristen.",
    holds_up: "holder igjen",
    initiatives_word: ("initiativ", "initiativer"),
    waiting: "Venter på dette",
    due: "frist",
    due_date: "Frist",
    overdue: "over fristen",
    decisions: "Skate bes om å beslutte",
    transitions: "Endret status siden i fjor",
    no_transitions: "Ingen initiativer har endret status.",
    from: "Fra",
    to: "Til",
    supporting: "Understøttende tiltak",
    supporting_apart: "Understøttende tiltak, telt for seg",
    kind_supporting: "understøttende tiltak",
    assessment: "Vurdering",
    assessments: [
        "på plan",
        "mindre forsinkelser",
        "store forsinkelser",
        "ferdig",
    ],
    effect: "Vurdering av effekt",
    goals: "Måloppnåelse",
    score: "Poeng",
    rating: "Vurdering",
    ratings: ["god", "middels", "mindre god"],
    scored: "Indikatorer med poeng",
    inferred: "vurdert av programkontoret",
    updated: "oppdatert",
    was: "var",
    contents: "Innhold",
    briefing: "Til møtet",
    details: "Detaljer",
    overview: "Innsatsområdene",
    quotes: ("«", "»"),
    more_words: ("og", "til"),
    strategy: "Strategi",
    axis_inverted: "Lavere er bedre: aksen er snudd, så opp er bedre.",
};

pub static EN: Labels = Labels {
    lang: "en",
    report: "Experience report",
    period: "Period",
    as_of: "As of",
    summary: "Summary",
    on_track_title: "Are we on track?",
    on_track_share: "Share on track or completed",
    overall: "Overall",
    focus_area: "Focus area",
    goal: "What we want to achieve",
    progress_text: "How the work goes",
    initiative: "Initiative",
    owner: "Owner",
    status: "Status",
    year_ago: "A year ago",
    progress: "Progress",
    next_milestone: "Next milestone",
    blocked_by: "Blocked by",
    last_update: "Last update",
    proposed: "Proposed new initiatives",
    changes: "Changes this year",
    completed: "Completed",
    started: "Started",
    new_in_plan: "New in the plan",
    withdrawn: "Withdrawn",
    slipped: "Due date moved",
    no_changes: "No changes.",
    missing: "Missing updates",
    no_missing: "Every active initiative has reported.",
    drivers: "Drivers",
    recommendations: "Recommendations",
    appendix: "Appendix: answers from the initiatives",
    respondent: "Answered by",
    reported_on: "Reported",
    indicators: "Indicators",
    target: "Target",
    segment: "Segment",
    latest: "Latest",
    change: "Change",
    course: "On course?",
    on_course: "on course",
    off_course: "off course",
    indicator: "Indicator",
    advice: "Follow-up of earlier recommendations",
    corrections: "Corrections to closed periods",
    reason: "Reason",
    content_hash: "Content hash",
    known_at: "as the record stood at",
    advice_year: "From",
    note: "Note",
    follow_ups: [
        "followed up",
        "in progress",
        "not followed",
        "no follow-up recorded",
    ],
    other_indicators: "Other indicators",
    no_initiatives: "No active initiatives.",
    total: "Total",
    questions: [
        (
            "description",
            "Describe the initiative and the problem it solves, for whom",
        ),
        (
            "success_factors",
            "What have been / will be the most important success factors?",
        ),
        (
            "challenges",
            "What have been / will be the greatest challenges?",
        ),
        (
            "lessons",
            "What is the most important thing you learned this year?",
        ),
        ("next_year", "What are the most important tasks next year?"),
    ],
    topics: [
        "Description",
        "Success factors",
        "Challenges",
        "Lessons",
        "Next year",
    ],
    statuses: [
        "not started",
        "on track",
        "at risk",
        "delayed",
        "completed",
        "paused",
        "cancelled",
        "no status",
    ],
    attention: "Needs attention",
    attention_lead: "Delayed, at risk or overdue. What holds up the most other initiatives comes first.",
    no_attention: "No initiative is delayed, at risk or overdue.",
    holds_up: "holds up",
    initiatives_word: ("initiative", "initiatives"),
    waiting: "Waiting on it",
    due: "due",
    due_date: "Due",
    overdue: "overdue",
    decisions: "Skate is asked to decide",
    transitions: "Status changes since last year",
    no_transitions: "No initiative changed status.",
    from: "From",
    to: "To",
    supporting: "Supporting measures",
    supporting_apart: "Supporting measures, counted apart",
    kind_supporting: "supporting measure",
    assessment: "Assessment",
    assessments: ["on plan", "minor delays", "major delays", "completed"],
    effect: "Effect so far",
    goals: "Goal achievement",
    score: "Score",
    rating: "Rating",
    ratings: ["good", "medium", "poor"],
    scored: "Indicators scored",
    inferred: "assessed by the programme office",
    updated: "updated",
    was: "was",
    contents: "Contents",
    briefing: "For the meeting",
    details: "Details",
    overview: "The focus areas",
    quotes: ("“", "”"),
    more_words: ("and", "more"),
    strategy: "Strategy",
    axis_inverted: "Lower is better: the axis is inverted, so up is better.",
};
