//! Status lint: reports that look better than the facts under them, or that have gone stale.
//! Each finding names the initiative and its owner; none changes anything.
//!
//! No update is read whole: each initiative's statuses and days are folded into a [`Tally`] as
//! they are read, and only the summaries the same-report rule compares are read, by id. A
//! finding is kept as the few facts its message is written from, and written out as it is
//! printed: a plan of 100,000 initiatives can have millions.

use chrono::Datelike;
use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Result;
use crate::graph::DepGraph;
use crate::model::Initiative;
use crate::model::Status;
use crate::render::Lang;
use crate::report::end_of_year;
use crate::report::is_active_after;
use crate::report::start_of_year;
use crate::store::Store;
use crate::store::StoredPlan;

/// How alike two summaries must be (0–1, normalised edit distance) to count as the same text.
const SAME_TEXT: f64 = 0.9;

/// How many initiatives' summaries the same-report rule reads at a time: what it holds at once.
const SUMMARY_BATCH: usize = 4096;

/// A finding as it is printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding<'a> {
    pub rule: &'static str,
    pub id: &'a str,
    pub title: &'a str,
    pub owner: &'a str,
    /// In the language asked of [`Lint::findings`]. JSON and CSV ask for English, so that they
    /// are the same whatever the language of the labels.
    pub message: String,
}

/// The rules, in the order findings are listed.
pub const RULES: [(&str, &str); 5] = [
    (
        "green-over-red",
        "on track or completed while a dependency is delayed",
    ),
    (
        "completed-open-milestones",
        "completed with milestones not reached",
    ),
    (
        "same-report",
        "the same status and nearly the same text three years in a row",
    ),
    ("silent", "no update for two years while active"),
    (
        "always-green",
        "on track in every update of the strategy period so far",
    ),
];

/// What lint found: the plan it read, and each finding as the facts its message is written
/// from, in the order they are listed (by rule, owner and initiative).
pub struct Lint {
    plan: StoredPlan,
    year: i32,
    as_of: NaiveDate,
    period_start: i32,
    /// Delayed dependencies that are not initiatives in force (withdrawn, or not in the plan).
    outside: Vec<String>,
    found: Vec<Found>,
}

struct Found {
    /// The initiative's place among the plan's initiatives.
    initiative: usize,
    fact: Fact,
}

enum Fact {
    /// Reported `status` (on track or completed) while `upstream` is delayed; `direct` when
    /// the initiative depends on it itself, not further up the chain.
    GreenOverRed {
        upstream: Upstream,
        status: Status,
        direct: bool,
    },
    CompletedOpenMilestones,
    /// This status and nearly the same summary three years in a row.
    SameReport(Status),
    /// No update in the year or the one before; the day of the latest, if there is one.
    Silent(Option<NaiveDate>),
    /// On track in every one of this many updates since the strategy period began.
    AlwaysGreen(usize),
}

enum Upstream {
    /// Its place among the plan's initiatives.
    Live(usize),
    /// Its place in [`Lint::outside`].
    Outside(usize),
}

impl Fact {
    fn rule(&self) -> &'static str {
        match self {
            Fact::GreenOverRed { .. } => "green-over-red",
            Fact::CompletedOpenMilestones => "completed-open-milestones",
            Fact::SameReport(_) => "same-report",
            Fact::Silent(_) => "silent",
            Fact::AlwaysGreen(_) => "always-green",
        }
    }
}

impl Lint {
    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The findings in order, each message written in `lang` as it is reached.
    pub fn findings(&self, lang: Lang) -> impl ExactSizeIterator<Item = Finding<'_>> {
        self.found.iter().map(move |f| {
            let i = &self.plan.plan.initiatives[f.initiative];
            Finding {
                rule: f.fact.rule(),
                id: &i.id,
                title: &i.title,
                owner: &i.owner,
                message: self.message(i, &f.fact, lang),
            }
        })
    }

    fn message(&self, i: &Initiative, fact: &Fact, lang: Lang) -> String {
        let year = self.year;
        let nb = Lang::Nb.words();
        match (fact, lang) {
            (
                Fact::GreenOverRed {
                    upstream,
                    status,
                    direct,
                },
                _,
            ) => {
                let (dep, dep_owner) = match upstream {
                    Upstream::Live(k) => {
                        let dep = &self.plan.plan.initiatives[*k];
                        (dep.id.as_str(), self.plan.org_label(&dep.owner))
                    }
                    Upstream::Outside(k) => (self.outside[*k].as_str(), String::new()),
                };
                match (lang, direct) {
                    (Lang::En, true) => {
                        format!("reported {status} while `{dep}` ({dep_owner}) is delayed")
                    }
                    (Lang::En, false) => format!(
                        "reported {status} while `{dep}` ({dep_owner}) is delayed (further up the chain)"
                    ),
                    (Lang::Nb, true) => format!(
                        "rapportert «{}» mens `{dep}` ({dep_owner}) er forsinket",
                        nb.status(Some(*status))
                    ),
                    (Lang::Nb, false) => format!(
                        "rapportert «{}» mens `{dep}` ({dep_owner}) er forsinket (lenger opp i kjeden)",
                        nb.status(Some(*status))
                    ),
                }
            }
            (Fact::CompletedOpenMilestones, _) => {
                let open: Vec<&str> = i
                    .milestones
                    .iter()
                    .filter(|m| m.done.is_none_or(|d| d > self.as_of))
                    .map(|m| m.title.as_str())
                    .collect();
                match lang {
                    Lang::En => {
                        format!("completed, but milestones not reached: {}", open.join("; "))
                    }
                    Lang::Nb => format!(
                        "ferdigstilt, men disse milepælene er ikke nådd: {}",
                        open.join("; ")
                    ),
                }
            }
            (Fact::SameReport(status), Lang::En) => format!(
                "{status} with nearly the same summary in {}, {} and {year}",
                year - 2,
                year - 1
            ),
            (Fact::SameReport(status), Lang::Nb) => format!(
                "«{}» med nesten samme oppsummering i {}, {} og {year}",
                nb.status(Some(*status)),
                year - 2,
                year - 1
            ),
            (Fact::Silent(last), Lang::En) => format!(
                "no update in {} or {year} (last: {})",
                year - 1,
                last.map_or_else(|| "never".to_string(), |d| d.to_string())
            ),
            (Fact::Silent(last), Lang::Nb) => format!(
                "ingen oppdatering i {} eller {year} (siste: {})",
                year - 1,
                last.map_or_else(|| "aldri".to_string(), |d| Lang::Nb.day(d))
            ),
            (Fact::AlwaysGreen(updates), Lang::En) => format!(
                "on track in all {updates} updates since {}: is every report honest?",
                self.period_start
            ),
            (Fact::AlwaysGreen(updates), Lang::Nb) => format!(
                "i rute i alle {updates} oppdateringer siden {}: stemmer det hver gang?",
                self.period_start
            ),
        }
    }
}

/// The days a [`Tally`] sorts an initiative's updates by.
struct Days {
    /// The last day of the year before the one linted.
    year_before_ends: NaiveDate,
    /// The first and last day of each of the three years up to the one linted, oldest first.
    years: [(NaiveDate, NaiveDate); 3],
    /// The first day of the strategy period.
    period_starts: NaiveDate,
}

/// What the rules ask of one initiative's updates up to the day linted, gathered as they are
/// read, oldest first (by day, then as recorded): the last one read of a kind is the latest.
#[derive(Debug, Clone, Default)]
struct Tally {
    /// The latest update's status and day.
    latest: Option<(Status, NaiveDate)>,
    /// The status on the last day of the year before the one linted.
    status_before: Option<Status>,
    /// The latest update dated in each of the three years up to the one linted (id, status).
    latest_in: [Option<(i64, Status)>; 3],
    /// How many updates are dated since the strategy period began, and whether one of them
    /// was not on track.
    since_start: usize,
    off_track_since_start: bool,
}

impl Tally {
    fn add(&mut self, days: &Days, id: i64, status: Status, day: NaiveDate) {
        self.latest = Some((status, day));
        if day <= days.year_before_ends {
            self.status_before = Some(status);
        }
        for (latest, (first, last)) in self.latest_in.iter_mut().zip(days.years) {
            if (first..=last).contains(&day) {
                *latest = Some((id, status));
            }
        }
        if day >= days.period_starts {
            self.since_start += 1;
            self.off_track_since_start |= status != Status::OnTrack;
        }
    }

    fn status(&self) -> Option<Status> {
        self.latest.map(|(status, _)| status)
    }
}

pub fn lint(store: &Store, strategy: &str, year: i32, as_of: Option<NaiveDate>) -> Result<Lint> {
    crate::views::check_year(&store.resolve_strategy(Some(strategy))?, year)?;
    let as_of = as_of.unwrap_or_else(|| end_of_year(year));
    // The plan, the statuses and the summaries as of one moment.
    store.snapshot(|store| lint_in(store, strategy, year, as_of))
}

fn lint_in(store: &Store, strategy: &str, year: i32, as_of: NaiveDate) -> Result<Lint> {
    let plan = store.plan_schedule_on(strategy, as_of)?;
    let period_start = plan.plan.strategy.as_ref().map_or(year, |s| s.period.start);
    let live: Vec<(usize, &Initiative)> = plan.live_places().collect();
    let graph = DepGraph::from_initiatives(live.iter().map(|(_, i)| *i));

    // Every node of the graph (a delayed dependency may be withdrawn) gets a tally.
    let days = Days {
        year_before_ends: end_of_year(year - 1),
        years: [year - 2, year - 1, year].map(|y| (start_of_year(y), end_of_year(y))),
        period_starts: start_of_year(period_start),
    };
    let mut tallies = vec![Tally::default(); graph.len()];
    // The updates come initiative by initiative: its place is looked up once for each.
    let mut reading: Option<(String, Option<usize>)> = None;
    store.for_each_status_until(strategy, as_of, |initiative, id, status, day| {
        let place = match &reading {
            Some((name, place)) if name == initiative => *place,
            _ => {
                let place = graph.position(initiative);
                reading = Some((initiative.to_string(), place));
                place
            }
        };
        if let Some(tally) = place.and_then(|p| tallies.get_mut(p)) {
            tally.add(&days, id, status, day);
        }
    })?;
    let tally_of = |id: &str| graph.position(id).and_then(|p| tallies.get(p));

    // By place in the graph, as are the dependencies found.
    let delayed_upstream = graph.nearest_upstream_places(|id| {
        tally_of(id).and_then(Tally::status) == Some(Status::Delayed)
    });
    let node_ids: Vec<&str> = graph.ids().collect();
    let mut live_place = vec![None; graph.len()];
    for &(k, i) in &live {
        if let Some(p) = graph.position(&i.id) {
            live_place[p] = Some(k);
        }
    }
    let mut outside: Vec<String> = Vec::new();
    let mut outside_place: foldhash::HashMap<&str, usize> = Default::default();
    let mut found = Vec::new();
    // Initiatives whose latest updates of the three years agree in status: their summaries
    // are compared below.
    let mut same_status = Vec::new();
    let no_updates = Tally::default();
    for &(k, i) in &live {
        let tally = tally_of(&i.id).unwrap_or(&no_updates);
        if !is_active_after(i, &plan, year, tally.status_before) {
            continue;
        }
        let mut found_here = |fact| {
            found.push(Found {
                initiative: k,
                fact,
            });
        };
        let now = tally.status();

        if let Some(status @ (Status::OnTrack | Status::Completed)) = now {
            // The nearest delayed initiatives upstream: one finding each, however long the
            // chain behind them.
            let deps = graph.position(&i.id).map(|p| delayed_upstream.of(p));
            for d in deps.into_iter().flatten().map(|&d| d as usize) {
                let dep = node_ids[d];
                let upstream = match live_place[d] {
                    Some(place) => Upstream::Live(place),
                    None => Upstream::Outside(*outside_place.entry(dep).or_insert_with(|| {
                        outside.push(dep.to_string());
                        outside.len() - 1
                    })),
                };
                found_here(Fact::GreenOverRed {
                    upstream,
                    status,
                    direct: i.depends_on.iter().any(|d| d == dep),
                });
            }
        }

        if now == Some(Status::Completed)
            && i.milestones
                .iter()
                .any(|m| m.done.is_none_or(|d| d > as_of))
        {
            found_here(Fact::CompletedOpenMilestones);
        }

        if let [Some((a, x)), Some((b, y)), Some((c, z))] = tally.latest_in
            && x == y
            && y == z
        {
            same_status.push((k, [a, b, c], z));
        }

        let started_before = i.start.is_none_or(|s| s.year() < year);
        let quiet = tally.latest_in[1].is_none() && tally.latest_in[2].is_none();
        if started_before && year > period_start && quiet {
            found_here(Fact::Silent(tally.latest.map(|(_, day)| day)));
        }

        if tally.since_start >= 3 && !tally.off_track_since_start {
            found_here(Fact::AlwaysGreen(tally.since_start));
        }
    }

    let alike = |x: &str, y: &str| strsim::normalized_levenshtein(x, y) >= SAME_TEXT;
    for batch in same_status.chunks(SUMMARY_BATCH) {
        let ids: Vec<i64> = batch.iter().flat_map(|(_, ids, _)| *ids).collect();
        let summaries = store.summaries_by_id(&ids)?;
        let text = |id: i64| summaries.get(&id).map_or("", String::as_str);
        for &(k, [a, b, c], status) in batch {
            if alike(text(a), text(b)) && alike(text(b), text(c)) {
                found.push(Found {
                    initiative: k,
                    fact: Fact::SameReport(status),
                });
            }
        }
    }

    let order = |rule: &str| {
        RULES
            .iter()
            .position(|(r, _)| *r == rule)
            .unwrap_or(usize::MAX)
    };
    let initiatives = &plan.plan.initiatives;
    let key = |f: &Found| {
        let i = &initiatives[f.initiative];
        (order(f.fact.rule()), &i.owner, &i.id)
    };
    // Stable: one initiative's findings of a rule stay in the order found.
    found.sort_by(|a, b| key(a).cmp(&key(b)));
    Ok(Lint {
        plan,
        year,
        as_of,
        period_start,
        outside,
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Answers;
    use crate::model::Kind;
    use crate::model::Milestone;
    use crate::model::Organisation;
    use crate::model::Update;
    use crate::report::History;
    use crate::report::is_active;
    use crate::testing::*;

    fn rules<'a>(findings: &[Finding<'a>], id: &str) -> Vec<&'static str> {
        findings
            .iter()
            .filter(|f| f.id == id)
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn each_rule_fires_on_its_case_and_only_there() {
        let mut store = Store::open_in_memory().unwrap();
        let mut done = initiative("done", &[]);
        done.milestones.push(Milestone {
            title: "Evaluert".into(),
            due: day("2023-06-30"),
            done: None,
        });
        let plan_ = plan(vec![
            initiative("late", &[]),
            initiative("rosy", &["late"]),
            done,
            initiative("parrot", &[]),
            initiative("quiet", &[]),
            initiative("honest", &[]),
        ]);
        load_plan(&mut store, plan_, "2020-01-10");
        let mut updates = vec![
            ("late", Status::Delayed, "2023-05-01"),
            ("rosy", Status::OnTrack, "2023-05-01"),
            ("done", Status::Completed, "2023-05-01"),
            ("quiet", Status::OnTrack, "2020-05-01"),
            ("honest", Status::OnTrack, "2021-05-01"),
            ("honest", Status::AtRisk, "2022-05-01"),
            ("honest", Status::OnTrack, "2023-05-01"),
        ];
        for year in 2021..=2023 {
            updates.push((
                "parrot",
                Status::OnTrack,
                ["2021-05-01", "2022-05-01", "2023-05-01"][year - 2021],
            ));
        }
        report_status(&mut store, &updates);
        let lint = lint(&store, "s", 2023, None).unwrap();
        let findings: Vec<Finding> = lint.findings(Lang::En).collect();
        assert_eq!(rules(&findings, "rosy"), ["green-over-red"]);
        assert!(
            findings
                .iter()
                .any(|f| f.id == "rosy" && f.message.contains("`late`"))
        );
        assert_eq!(rules(&findings, "done"), ["completed-open-milestones"]);
        assert_eq!(rules(&findings, "parrot"), ["same-report", "always-green"]);
        assert_eq!(rules(&findings, "quiet"), ["silent"]);
        assert!(
            rules(&findings, "honest").is_empty(),
            "an honest at-risk year clears it"
        );
        assert!(rules(&findings, "late").is_empty());
        assert!(findings.iter().all(|f| f.owner == "org"));
    }

    /// A finding as lint made them when it read every update whole: rule, id, title, owner,
    /// and the message in English and in bokmål.
    type Whole = (&'static str, String, String, String, String, String);

    /// Lint as it was before it read statuses alone ([`History`] over whole updates), kept to
    /// hold the lint of today to the same findings.
    fn lint_from_whole_updates(
        store: &Store,
        strategy: &str,
        year: i32,
        as_of: Option<NaiveDate>,
    ) -> Vec<Whole> {
        let as_of = as_of.unwrap_or_else(|| end_of_year(year));
        let plan = store.plan_on(strategy, as_of).unwrap();
        let updates = store.updates_until(strategy, as_of).unwrap();
        let history = History::new(&updates);
        let period_start = plan.plan.strategy.as_ref().map_or(year, |s| s.period.start);
        let live = plan.live();
        let graph = DepGraph::from_initiatives(live.iter().copied());
        let delayed_upstream =
            graph.nearest_upstream(|id| history.status(id, as_of) == Some(Status::Delayed));
        let owner_of: std::collections::HashMap<&str, &str> = live
            .iter()
            .map(|x| (x.id.as_str(), x.owner.as_str()))
            .collect();
        let nb = Lang::Nb.words();
        let mut findings: Vec<Whole> = Vec::new();
        for i in live.iter().filter(|i| is_active(i, &plan, &history, year)) {
            let mut found = |rule: &'static str, en: String, nb: String| {
                findings.push((rule, i.id.clone(), i.title.clone(), i.owner.clone(), en, nb));
            };
            let now = history.status(&i.id, as_of);
            if matches!(now, Some(Status::OnTrack | Status::Completed)) {
                for dep in delayed_upstream.get(i.id.as_str()).into_iter().flatten() {
                    let dep_owner = owner_of
                        .get(dep)
                        .map_or(String::new(), |o| plan.org_label(o));
                    let (via, via_nb) = if i.depends_on.iter().any(|d| d == dep) {
                        ("", "")
                    } else {
                        (" (further up the chain)", " (lenger opp i kjeden)")
                    };
                    found(
                        "green-over-red",
                        format!(
                            "reported {} while `{dep}` ({dep_owner}) is delayed{via}",
                            now.map_or("", Status::as_str),
                        ),
                        format!(
                            "rapportert «{}» mens `{dep}` ({dep_owner}) er forsinket{via_nb}",
                            nb.status(now),
                        ),
                    );
                }
            }
            if now == Some(Status::Completed) {
                let open: Vec<&str> = i
                    .milestones
                    .iter()
                    .filter(|m| m.done.is_none_or(|d| d > as_of))
                    .map(|m| m.title.as_str())
                    .collect();
                if !open.is_empty() {
                    found(
                        "completed-open-milestones",
                        format!("completed, but milestones not reached: {}", open.join("; ")),
                        format!(
                            "ferdigstilt, men disse milepælene er ikke nådd: {}",
                            open.join("; ")
                        ),
                    );
                }
            }
            let per_year: Vec<_> = (year - 2..=year)
                .map(|y| {
                    history
                        .within(&i.id, start_of_year(y), end_of_year(y).min(as_of))
                        .last()
                })
                .collect();
            if let [Some(a), Some(b), Some(c)] = per_year.as_slice() {
                let same_status =
                    a.update.status == b.update.status && b.update.status == c.update.status;
                let text = |u: &crate::store::StoredUpdate| {
                    u.update.answers.summary.clone().unwrap_or_default()
                };
                let alike = |x: &str, y: &str| strsim::normalized_levenshtein(x, y) >= SAME_TEXT;
                if same_status && alike(&text(a), &text(b)) && alike(&text(b), &text(c)) {
                    found(
                        "same-report",
                        format!(
                            "{} with nearly the same summary in {}, {} and {year}",
                            c.update.status,
                            year - 2,
                            year - 1
                        ),
                        format!(
                            "«{}» med nesten samme oppsummering i {}, {} og {year}",
                            nb.status(Some(c.update.status)),
                            year - 2,
                            year - 1
                        ),
                    );
                }
            }
            let started_before = i.start.is_none_or(|s| s.year() < year);
            let quiet = |y: i32| {
                history
                    .within(&i.id, start_of_year(y), end_of_year(y).min(as_of))
                    .next()
                    .is_none()
            };
            if started_before && year > period_start && quiet(year) && quiet(year - 1) {
                let last = history.latest(&i.id, as_of).map(|u| u.update.reported_on);
                found(
                    "silent",
                    format!(
                        "no update in {} or {year} (last: {})",
                        year - 1,
                        last.map_or_else(|| "never".to_string(), |d| d.to_string())
                    ),
                    format!(
                        "ingen oppdatering i {} eller {year} (siste: {})",
                        year - 1,
                        last.map_or_else(|| "aldri".to_string(), |d| Lang::Nb.day(d))
                    ),
                );
            }
            let all: Vec<Status> = history
                .within(&i.id, start_of_year(period_start), as_of)
                .map(|u| u.update.status)
                .collect();
            if all.len() >= 3 && all.iter().all(|s| *s == Status::OnTrack) {
                found(
                    "always-green",
                    format!(
                        "on track in all {} updates since {period_start}: is every report honest?",
                        all.len()
                    ),
                    format!(
                        "i rute i alle {} oppdateringer siden {period_start}: stemmer det hver gang?",
                        all.len()
                    ),
                );
            }
        }
        let order = |rule: &str| RULES.iter().position(|(r, _)| *r == rule);
        findings.sort_by(|a, b| (order(a.0), &a.3, &a.1).cmp(&(order(b.0), &b.3, &b.1)));
        findings
    }

    /// A small random number generator, so that the history below is the same on every run.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, sides: usize) -> usize {
            // xorshift64
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % sides as u64) as usize
        }
    }

    /// A plan of chains and a dependency withdrawn by a revision, proposed and
    /// late-starting initiatives, milestones, and six years of random updates (several on a
    /// day, a few summaries that repeat, one retracted) recorded in three loads.
    fn random_history(seed: u64) -> Store {
        let mut dice = Dice(seed);
        let mut store = Store::open_in_memory().unwrap();
        let ids: Vec<String> = (0..24).map(|k| format!("i{k:02}")).collect();
        let make = |dice: &mut Dice, ids: &[String], k: usize| {
            let mut deps: Vec<&str> = Vec::new();
            for _ in 0..dice.roll(3) {
                if k > 0 {
                    deps.push(&ids[dice.roll(k)]);
                }
            }
            if dice.roll(4) == 0 {
                deps.push("gone");
            }
            deps.sort_unstable();
            deps.dedup();
            let mut i = initiative(&ids[k], &deps);
            i.owner = ["org", "org2"][dice.roll(2)].into();
            i.kind = if dice.roll(10) == 0 {
                Kind::Proposed
            } else {
                Kind::Initiative
            };
            if dice.roll(4) == 0 {
                i.start = Some(day(&format!("{}-03-01", 2020 + dice.roll(6))));
            }
            for m in 0..dice.roll(3) {
                i.milestones.push(Milestone {
                    title: format!("Milepæl {m}"),
                    due: day("2022-06-30"),
                    done: [None, Some(day("2021-05-01")), Some(day("2023-09-01"))][dice.roll(3)],
                });
            }
            i
        };
        let mut initiatives: Vec<Initiative> =
            (0..ids.len()).map(|k| make(&mut dice, &ids, k)).collect();
        initiatives.push(initiative("gone", &[]));
        let mut first = plan(initiatives.clone());
        first.organisations.push(Organisation {
            id: "org2".into(),
            name: "Org to".into(),
            short: Some("O2".into()),
            kind: None,
            contact: None,
        });
        let mut revised = first.clone();
        revised.initiatives.retain(|i| i.id != "gone");
        load_plan(&mut store, first, "2020-01-10");
        load_plan(&mut store, revised, "2022-02-01");

        let summaries = [
            "Arbeidet går etter planen.",
            "Arbeidet går etter planen!",
            "Vi venter på finansiering.",
            "",
        ];
        let statuses = [
            Status::OnTrack,
            Status::OnTrack,
            Status::OnTrack,
            Status::Delayed,
            Status::AtRisk,
            Status::Completed,
            Status::NotStarted,
            Status::Cancelled,
        ];
        let everyone: Vec<&str> = ids.iter().map(String::as_str).chain(["gone"]).collect();
        for (load, recorded) in ["2021-06-01", "2023-06-01", "2026-01-01"]
            .iter()
            .enumerate()
        {
            let mut updates = Vec::new();
            for (k, id) in everyone.iter().enumerate() {
                // Every third one reports a status it keeps, in words it hardly changes; the
                // one withdrawn stays delayed, holding up what depends on it.
                let kept = match *id {
                    "gone" => Some(Status::Delayed),
                    _ => (k % 3 == 0).then(|| statuses[dice.roll(3)]),
                };
                for _ in 0..1 + dice.roll(4) {
                    let year = 2020 + 2 * load + dice.roll(2);
                    // The first and last day of a year among them: where windows meet.
                    let on = ["01-01", "05-01", "09-01", "12-31"][dice.roll(4)];
                    let summary = summaries[dice.roll(summaries.len())];
                    updates.push(Update {
                        initiative: id.to_string(),
                        status: kept.unwrap_or_else(|| statuses[dice.roll(statuses.len())]),
                        progress: None,
                        reported_on: day(&format!("{year}-{on}")),
                        answers: Answers {
                            summary: (!summary.is_empty()).then(|| summary.to_string()),
                            ..Answers::default()
                        },
                        respondent: None,
                        basis: None,
                        source: None,
                    });
                }
            }
            crate::testing::record_updates(&mut store, updates, "2020-01-01", recorded);
        }
        let some = store.updates_until("s", day("2025-12-31")).unwrap();
        if let Some(u) = some.get(dice.roll(some.len().max(1))) {
            store.retract(u.id, "feil", None, at("2026-06-01")).unwrap();
        }
        store
    }

    /// Lint of statuses alone finds what lint of whole updates found, word for word in both
    /// languages: every year of the period, as of its end, mid-year and a year before, on the
    /// record as it stands and as it stood before the last load.
    #[test]
    fn reading_statuses_alone_finds_what_whole_updates_found() {
        let mut fired = std::collections::BTreeMap::new();
        for seed in [7, 42, 1234, 99_991] {
            let now = random_history(seed);
            let then = random_history(seed).known_at(at("2024-01-01"));
            for store in [now, then] {
                for year in 2020..=2025 {
                    let days = [
                        None,
                        Some(day(&format!("{year}-06-30"))),
                        Some(day(&format!("{}-12-31", year - 1))),
                    ];
                    for as_of in days {
                        let expected = lint_from_whole_updates(&store, "s", year, as_of);
                        let found = lint(&store, "s", year, as_of).unwrap();
                        let got: Vec<Whole> = found
                            .findings(Lang::En)
                            .zip(found.findings(Lang::Nb))
                            .map(|(en, nb)| {
                                (
                                    en.rule,
                                    en.id.to_string(),
                                    en.title.to_string(),
                                    en.owner.to_string(),
                                    en.message,
                                    nb.message,
                                )
                            })
                            .collect();
                        assert_eq!(got, expected, "seed {seed}, {year} as of {as_of:?}");
                        for f in got {
                            *fired.entry(f.0).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
        // Every rule had findings to compare.
        assert_eq!(fired.len(), RULES.len(), "{fired:?}");
    }
}
