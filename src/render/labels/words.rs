//! The words of the verbs' own tables and lines (`missing`, `initiative`, `status history`,
//! `diff`, `lint`, `graph`, `indicator`, `period`) in bokmål and English, and days as each
//! language writes them. The English words are those the verbs printed before they took
//! `--lang`; JSON and CSV keys never come from here.

use chrono::Datelike;
use chrono::NaiveDate;

use super::Labels;
use super::Lang;
use crate::model::Kind;
use crate::model::Status;

impl Lang {
    pub fn words(self) -> &'static Words {
        match self {
            Lang::Nb => &NB,
            Lang::En => &EN,
        }
    }

    /// A day in running text: «31. desember 2021» in bokmål; 2021-12-31 in English.
    pub fn day(self, d: NaiveDate) -> String {
        match self {
            Lang::Nb => {
                let month = MONTHS[d.month0() as usize];
                format!("{}. {month} {}", d.day(), d.year())
            }
            Lang::En => d.to_string(),
        }
    }

    /// A day in a table cell: 31.12.2021 in bokmål; 2021-12-31 in English.
    pub fn day_short(self, d: NaiveDate) -> String {
        match self {
            Lang::Nb => d.format("%d.%m.%Y").to_string(),
            Lang::En => d.to_string(),
        }
    }

    /// [`Lang::day_short`], or nothing.
    pub fn opt_day_short(self, d: Option<NaiveDate>) -> String {
        d.map_or_else(String::new, |d| self.day_short(d))
    }
}

impl Labels {
    fn lang_of(&self) -> Lang {
        if self.lang == "nb" {
            Lang::Nb
        } else {
            Lang::En
        }
    }

    /// A day in running text (see [`Lang::day`]).
    pub fn day(&self, d: NaiveDate) -> String {
        self.lang_of().day(d)
    }

    /// A day in a table cell (see [`Lang::day_short`]).
    pub fn day_short(&self, d: NaiveDate) -> String {
        self.lang_of().day_short(d)
    }

    /// A day in a table cell, or nothing (see [`Lang::day_short`]).
    pub fn opt_day_short(&self, d: Option<NaiveDate>) -> String {
        self.lang_of().opt_day_short(d)
    }
}

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

pub struct Words {
    lang: Lang,
    // Column headings of the verbs' tables (lower case, as the tables have always had them).
    pub number: &'static str,
    pub id: &'static str,
    pub title: &'static str,
    pub owner: &'static str,
    pub contact: &'static str,
    pub initiative: &'static str,
    pub focus_area: &'static str,
    pub kind: &'static str,
    pub due: &'static str,
    pub depends_on: &'static str,
    pub date: &'static str,
    pub status: &'static str,
    pub progress: &'static str,
    pub respondent: &'static str,
    pub summary: &'static str,
    pub source: &'static str,
    pub last_update: &'static str,
    pub depth: &'static str,
    pub via: &'static str,
    pub level: &'static str,
    pub planned: &'static str,
    pub on_the_calendar: &'static str,
    pub late: &'static str,
    pub rule: &'static str,
    pub finding: &'static str,
    pub segment: &'static str,
    pub latest: &'static str,
    pub change: &'static str,
    pub target: &'static str,
    pub gap: &'static str,
    pub course: &'static str,
    pub indicator: &'static str,
    pub year: &'static str,
    pub value: &'static str,
    pub period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub closed_at: &'static str,
    pub content_hash: &'static str,
    pub recorded_hash: &'static str,
    pub rebuilt: &'static str,
    pub now: &'static str,
    pub corrections_since: &'static str,

    // Words in cells and lines.
    pub retracted: &'static str,
    pub withdrawn: &'static str,
    pub no_missing: &'static str,
    pub on_course: &'static str,
    pub off_course: &'static str,
    pub intact: &'static str,
    pub differs: &'static str,
    pub unchanged: &'static str,
    pub rule_n: &'static str,

    // `initiative show`: the labels of its lines, then its sections.
    pub withdrawn_from_plan: &'static str,
    pub show_fields: [&'static str; 8],
    pub milestones: &'static str,
    pub open: &'static str,
    pub done: &'static str,
    pub depends_on_head: &'static str,
    pub depended_on_by: &'static str,
    pub nothing: &'static str,
    pub status_history: &'static str,
    pub no_updates: &'static str,

    // `indicator show`.
    pub unit_label: &'static str,
    pub targets: &'static str,
    pub by_year: &'static str,

    // `diff`: its title (strategy, from, to) and sections.
    pub changes_in: [&'static str; 3],
    pub no_changes: &'static str,
    pub diff_sections: [&'static str; 7],

    // `graph`.
    pub legend: &'static str,
    pub statuses_as_of: &'static str,
    pub nothing_depends_on: &'static str,
    pub no_initiatives: &'static str,
    pub no_dated_initiative: &'static str,

    kinds: [&'static str; 4],
    units: [(&'static str, &'static str); 5],
    betters: [(&'static str, &'static str); 2],
}

impl Words {
    /// A status as the verbs' tables show it: the value itself in English (what is typed),
    /// the bokmål word in bokmål.
    pub fn status(&self, s: Option<Status>) -> &'static str {
        match (self.lang, s) {
            (Lang::En, Some(s)) => s.as_str(),
            (Lang::En, None) => "no status",
            (Lang::Nb, s) => Lang::Nb.labels().status(s),
        }
    }

    pub fn kind(&self, k: Kind) -> &'static str {
        let i = Kind::ALL.iter().position(|x| *x == k).unwrap_or(0);
        self.kinds[i]
    }

    /// An indicator's unit word (`percent` …); one it does not know, as written.
    pub fn unit<'a>(&self, unit: &'a str) -> &'a str {
        lookup(&self.units, unit)
    }

    /// Whether higher or lower is better, in words.
    pub fn better<'a>(&self, better: &'a str) -> &'a str {
        lookup(&self.betters, better)
    }

    /// `n` of a thing: "no cycles", "1 cycle", "3 cycles"; in bokmål "ingen sykluser",
    /// "1 syklus", "3 sykluser". `forms` is (none, one, many).
    pub fn count(&self, n: usize, forms: (&str, &str, &str)) -> String {
        match n {
            0 => forms.0.to_string(),
            1 => format!("1 {}", forms.1),
            n => format!("{n} {}", forms.2),
        }
    }
}

fn lookup<'a>(table: &[(&'static str, &'static str)], key: &'a str) -> &'a str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, w)| w)
}

pub static NB: Words = Words {
    lang: Lang::Nb,
    number: "nr.",
    id: "id",
    title: "tittel",
    owner: "ansvarlig",
    contact: "kontaktperson",
    initiative: "initiativ",
    focus_area: "innsatsområde",
    kind: "type",
    due: "frist",
    depends_on: "avhenger av",
    date: "dato",
    status: "status",
    progress: "fremdrift",
    respondent: "besvart av",
    summary: "oppsummering",
    source: "kilde",
    last_update: "sist oppdatert",
    depth: "ledd",
    via: "via",
    level: "nivå",
    planned: "planlagt",
    on_the_calendar: "i kalenderen",
    late: "forsinkelse",
    rule: "regel",
    finding: "funn",
    segment: "segment",
    latest: "siste måling",
    change: "endring",
    target: "mål",
    gap: "avstand til målet",
    course: "i rute mot målet?",
    indicator: "indikator",
    year: "år",
    value: "verdi",
    period: "periode",
    from: "fra",
    to: "til",
    closed_at: "avsluttet",
    content_hash: "kontrollsum",
    recorded_hash: "registrert kontrollsum",
    rebuilt: "beregnet på nytt",
    now: "nå",
    corrections_since: "rettelser siden",

    retracted: "trukket tilbake",
    withdrawn: "trukket ut",
    no_missing: "Alle aktive initiativer har rapportert.",
    on_course: "i rute",
    off_course: "bak skjema",
    intact: "stemmer",
    differs: "AVVIKER",
    unchanged: "uendret",
    rule_n: "regel",

    withdrawn_from_plan: "TRUKKET UT av planen",
    show_fields: [
        "innsatsområde",
        "type",
        "ansvarlig",
        "departement",
        "deltakere",
        "start",
        "frist",
        "stikkord",
    ],
    milestones: "Milepæler",
    open: "ikke nådd",
    done: "nådd",
    depends_on_head: "Avhenger av",
    depended_on_by: "Initiativer som avhenger av dette",
    nothing: "ingen",
    status_history: "Statushistorikk",
    no_updates: "ingen oppdateringer ennå",

    unit_label: "enhet",
    targets: "mål",
    by_year: "innen",

    changes_in: ["Endringer i", "fra", "til"],
    no_changes: "Ingen endringer.",
    diff_sections: [
        "Endret status",
        "Ferdigstilt",
        "Nye i planen",
        "Trukket ut av planen",
        "Utsatte frister",
        "Ny ansvarlig",
        "Endrede avhengigheter",
    ],

    legend: "Pilene går fra et initiativ til det som avhenger av det; en rød pil: initiativet er \
        forsinket eller i risiko. Boksene: grønn i rute, gul risiko, rød forsinket, blå \
        ferdigstilt, grå ikke startet, pause eller ingen status, svart avbrutt.",
    statuses_as_of: "status per",
    nothing_depends_on: "ingenting avhenger av",
    no_initiatives: "ingen initiativer",
    no_dated_initiative: "ingen initiativer har start eller frist",

    kinds: [
        "initiativ",
        "understøttende tiltak",
        "livshendelse",
        "foreslått",
    ],
    units: [
        ("percent", "prosent"),
        ("count", "antall"),
        ("score", "poeng"),
        ("index", "indeks"),
        ("rank", "plassering"),
    ],
    betters: [("higher", "høyere er bedre"), ("lower", "lavere er bedre")],
};

pub static EN: Words = Words {
    lang: Lang::En,
    number: "id",
    id: "id",
    title: "title",
    owner: "owner",
    contact: "contact",
    initiative: "initiative",
    focus_area: "focus area",
    kind: "kind",
    due: "due",
    depends_on: "depends on",
    date: "date",
    status: "status",
    progress: "progress",
    respondent: "respondent",
    summary: "summary",
    source: "source",
    last_update: "last update",
    depth: "depth",
    via: "via",
    level: "level",
    planned: "planned",
    on_the_calendar: "on the calendar",
    late: "late",
    rule: "rule",
    finding: "finding",
    segment: "segment",
    latest: "latest",
    change: "change",
    target: "target",
    gap: "gap",
    course: "course",
    indicator: "indicator",
    year: "year",
    value: "value",
    period: "period",
    from: "from",
    to: "to",
    closed_at: "closed at",
    content_hash: "content hash",
    recorded_hash: "recorded hash",
    rebuilt: "rebuilt",
    now: "now",
    corrections_since: "corrections since",

    retracted: "retracted",
    withdrawn: "withdrawn",
    no_missing: "no missing updates",
    on_course: "on course",
    off_course: "off course",
    intact: "intact",
    differs: "DIFFERS",
    unchanged: "unchanged",
    rule_n: "rule",

    withdrawn_from_plan: "WITHDRAWN from the plan",
    show_fields: [
        "focus area",
        "kind",
        "owner",
        "ministry",
        "participants",
        "start",
        "due",
        "tags",
    ],
    milestones: "Milestones",
    open: "open",
    done: "done",
    depends_on_head: "Depends on",
    depended_on_by: "Depended on by",
    nothing: "nothing",
    status_history: "Status history",
    no_updates: "no updates yet",

    unit_label: "unit",
    targets: "targets",
    by_year: "by",

    changes_in: ["Changes in", "from", "to"],
    no_changes: "No changes.",
    diff_sections: [
        "Status changes",
        "Completed",
        "New in the plan",
        "Withdrawn",
        "Due dates moved later",
        "Owners changed",
        "Dependencies changed",
    ],

    legend: "Edges point from a dependency to what depends on it; a red edge: the \
        dependency is delayed or at risk. Nodes: green on-track, amber at-risk, red delayed, blue \
        completed, grey not-started, paused or no status, black cancelled.",
    statuses_as_of: "statuses as of",
    nothing_depends_on: "nothing depends on",
    no_initiatives: "no initiatives",
    no_dated_initiative: "no initiative has a start or a due date",

    kinds: ["initiative", "supporting-measure", "life-event", "proposed"],
    units: [
        ("percent", "percent"),
        ("count", "count"),
        ("score", "score"),
        ("index", "index"),
        ("rank", "rank"),
    ],
    betters: [("higher", "higher"), ("lower", "lower")],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_bokmal_are_written_out() {
        let d = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
        assert_eq!(Lang::Nb.day(d), "31. desember 2021");
        assert_eq!(Lang::Nb.day_short(d), "31.12.2021");
        let d = NaiveDate::from_ymd_opt(2020, 3, 1).unwrap();
        assert_eq!(Lang::Nb.day(d), "1. mars 2020");
        assert_eq!(Lang::Nb.day_short(d), "01.03.2020");
        assert_eq!(Lang::En.day(d), "2020-03-01");
        assert_eq!(Lang::En.opt_day_short(None), "");
    }

    #[test]
    fn every_status_and_kind_has_a_word() {
        for lang in [Lang::Nb, Lang::En] {
            let w = lang.words();
            for s in Status::ALL {
                assert!(!w.status(Some(*s)).is_empty());
            }
            for k in Kind::ALL {
                assert!(!w.kind(*k).is_empty());
            }
        }
        assert_eq!(EN.status(Some(Status::OnTrack)), "on-track");
        assert_eq!(NB.status(None), "ingen status");
        assert_eq!(NB.kind(Kind::LifeEvent), "livshendelse");
        assert_eq!(NB.unit("percent"), "prosent");
        assert_eq!(NB.unit("furlongs"), "furlongs");
    }
}
