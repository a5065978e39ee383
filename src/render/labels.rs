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
    statuses: [&'static str; 8],
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
};
