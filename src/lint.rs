//! Status lint: reports that look better than the facts under them, or that have gone stale.
//! Each finding names the initiative and its owner; none changes anything.

use chrono::Datelike;
use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Result;
use crate::graph::DepGraph;
use crate::model::Status;
use crate::report::History;
use crate::report::end_of_year;
use crate::report::is_active;
use crate::report::start_of_year;
use crate::store::Store;

/// How alike two summaries must be (0–1, normalised edit distance) to count as the same text.
const SAME_TEXT: f64 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub id: String,
    pub title: String,
    pub owner: String,
    /// In English, whatever the language of the labels: the JSON is the same in every one.
    pub message: String,
    /// The message in bokmål, for tables printed with `--lang nb`.
    #[serde(skip)]
    pub message_nb: String,
}

impl Finding {
    pub fn message(&self, lang: crate::render::Lang) -> &str {
        match lang {
            crate::render::Lang::Nb => &self.message_nb,
            crate::render::Lang::En => &self.message,
        }
    }
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

pub fn lint(
    store: &Store,
    strategy: &str,
    year: i32,
    as_of: Option<NaiveDate>,
) -> Result<Vec<Finding>> {
    crate::views::check_year(&store.resolve_strategy(Some(strategy))?, year)?;
    let as_of = as_of.unwrap_or_else(|| end_of_year(year));
    let plan = store.plan_on(strategy, as_of)?;
    let updates = store.updates_until(strategy, as_of)?;
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
    let mut findings = Vec::new();
    for i in live.iter().filter(|i| is_active(i, &plan, &history, year)) {
        let mut found = |rule: &'static str, message: String, message_nb: String| {
            findings.push(Finding {
                rule,
                id: i.id.clone(),
                title: i.title.clone(),
                owner: i.owner.clone(),
                message,
                message_nb,
            });
        };
        let nb = crate::render::Lang::Nb.words();
        let now = history.status(&i.id, as_of);

        if matches!(now, Some(Status::OnTrack | Status::Completed)) {
            // The nearest delayed initiatives upstream: one finding each, however long the
            // chain behind them.
            for dep in delayed_upstream.get(i.id.as_str()).into_iter().flatten() {
                let dep_owner = owner_of
                    .get(dep)
                    .map_or(String::new(), |o| plan.org_label(o));
                let direct = i.depends_on.iter().any(|d| d == dep);
                let (via, via_nb) = if direct {
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
                    last.map_or_else(|| "aldri".to_string(), |d| crate::render::Lang::Nb.day(d))
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
    let order = |rule: &str| {
        RULES
            .iter()
            .position(|(r, _)| *r == rule)
            .unwrap_or(usize::MAX)
    };
    findings
        .sort_by(|a, b| (order(a.rule), &a.owner, &a.id).cmp(&(order(b.rule), &b.owner, &b.id)));
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    fn rules(findings: &[Finding], id: &str) -> Vec<&'static str> {
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
        done.milestones.push(crate::model::Milestone {
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
        let findings = lint(&store, "s", 2023, None).unwrap();
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
}
