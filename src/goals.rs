//! Goal achievement, scored the way *Rikets digitale tilstand* (RDT) 2024 scores the strategy's
//! goals: every indicator gets 1–3 from its course, every goal (focus area) the weighted mean of
//! its indicators, rated "god" at 2.25 or above, "mindre god" at 1.75 or below, "middels"
//! between. Pure: plan and measurements in, scores out; no database, no rendering.
//!
//! The course of a segment comes from [`crate::indicators`] (trend, target, trajectory), so the
//! report's indicator table and the goal scores never disagree. The rule, and where it differs
//! from RDT's, is written out in `docs/indicators.md`.

use serde::Serialize;

use crate::indicators::SegmentView;
use crate::indicators::analyse;
use crate::indicators::better_by;
use crate::model::Indicator;
use crate::model::Measurement;
use crate::model::Plan;

/// A goal scoring at least this is rated "god".
pub const GOOD_FROM: f64 = 2.25;
/// A goal scoring at most this is rated "mindre god".
pub const POOR_UP_TO: f64 = 1.75;

/// The one free parameter of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rule {
    /// How far the latest value may move from the one before, in the indicator's own unit
    /// (percentage points, places, …), and still count as flat.
    pub tolerance: f64,
}

impl Default for Rule {
    /// Two units: for the survey shares that make up most indicators, two percentage points is
    /// about what a survey's sampling error allows.
    fn default() -> Self {
        Rule { tolerance: 2.0 }
    }
}

/// RDT's three grades for a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// "god": 2.25 or above.
    Good,
    /// "middels": between.
    Medium,
    /// "mindre god": 1.75 or below.
    Poor,
}

impl Rating {
    /// The rating of a score (as rounded by [`round2`]).
    pub fn of(score: f64) -> Rating {
        if score >= GOOD_FROM {
            Rating::Good
        } else if score <= POOR_UP_TO {
            Rating::Poor
        } else {
            Rating::Medium
        }
    }

    /// The value JSON carries (English, like every value in the JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Good => "good",
            Rating::Medium => "medium",
            Rating::Poor => "poor",
        }
    }

    /// The word RDT uses.
    pub fn label_nb(self) -> &'static str {
        match self {
            Rating::Good => "god",
            Rating::Medium => "middels",
            Rating::Poor => "mindre god",
        }
    }
}

/// One indicator's part in its goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    pub id: String,
    /// 1.00–3.00, the mean over its scored segments; `None` when no segment can be judged
    /// (a single measurement and no target to compare it with). Left out of the goal's mean.
    pub score: Option<f64>,
    pub weight: f64,
}

/// One goal (a focus area with indicators), scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalScore {
    pub id: String,
    pub title: String,
    /// The weighted mean of its indicators' scores, rounded to two decimals; `None` when none
    /// of them could be scored.
    pub score: Option<f64>,
    pub rating: Option<Rating>,
    pub indicators: Vec<IndicatorScore>,
}

/// Rounds to two decimals, as RDT prints its scores; the rating is read from the rounded score
/// so that what is printed and how it is rated always agree.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A segment's grade: with a target and a verdict on it, 3 on course and 1 off course; otherwise
/// from the latest change, judged by `better`: 3 improving by more than the tolerance, 2 within
/// it, 1 worsening by more than it. `None` with a single measurement and no verdict.
pub fn score_segment(indicator: &Indicator, view: &SegmentView, rule: &Rule) -> Option<u8> {
    if let Some(on_course) = view.on_course {
        return Some(if on_course { 3 } else { 1 });
    }
    let gain = better_by(indicator.better, view.change?, 0.0);
    Some(if gain > rule.tolerance {
        3
    } else if gain < -rule.tolerance {
        1
    } else {
        2
    })
}

/// An indicator's score up to `until_year`: the mean of its segments' grades.
pub fn score_indicator(
    indicator: &Indicator,
    measurements: &[Measurement],
    until_year: i32,
    rule: &Rule,
) -> IndicatorScore {
    let grades: Vec<f64> = analyse(indicator, measurements, until_year)
        .iter()
        .filter_map(|view| score_segment(indicator, view, rule))
        .map(f64::from)
        .collect();
    let score =
        (!grades.is_empty()).then(|| round2(grades.iter().sum::<f64>() / grades.len() as f64));
    IndicatorScore {
        id: indicator.id.clone(),
        score,
        weight: weight_of(indicator),
    }
}

/// The weight the plan gives (1 when none). The parser refuses anything but a positive number;
/// a value that got past it counts for nothing rather than turning the mean upside down.
fn weight_of(indicator: &Indicator) -> f64 {
    match indicator.weight {
        None => 1.0,
        Some(w) if w.is_finite() && w > 0.0 => w,
        Some(_) => 0.0,
    }
}

/// The weighted mean of the scored indicators, rounded; `None` when there is nothing to weigh.
pub fn weighted_mean(indicators: &[IndicatorScore]) -> Option<f64> {
    let (sum, weights) = indicators
        .iter()
        .filter_map(|i| Some((i.score?, i.weight)))
        .fold((0.0, 0.0), |(s, w), (score, weight)| {
            (s + score * weight, w + weight)
        });
    (weights > 0.0).then(|| round2(sum / weights))
}

/// Every focus area that has indicators, in the plan's order, scored from the measurements up to
/// `until_year` (`measurements_of` gives an indicator's; others among them are passed over).
/// Indicators that name no focus area belong to no goal and are not scored; nor do those
/// `counts` leaves out (a report leaves out the withdrawn).
pub fn score_goals<'m>(
    plan: &Plan,
    counts: impl Fn(&Indicator) -> bool,
    measurements_of: impl Fn(&Indicator) -> &'m [Measurement],
    until_year: i32,
    rule: &Rule,
) -> Vec<GoalScore> {
    plan.focus_areas
        .iter()
        .filter_map(|area| {
            let indicators: Vec<IndicatorScore> = plan
                .indicators
                .iter()
                .filter(|i| i.focus_area.as_deref() == Some(area.id.as_str()) && counts(i))
                .map(|i| score_indicator(i, measurements_of(i), until_year, rule))
                .collect();
            if indicators.is_empty() {
                return None;
            }
            let score = weighted_mean(&indicators);
            Some(GoalScore {
                id: area.id.clone(),
                title: area.title.clone(),
                score,
                rating: score.map(Rating::of),
                indicators,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Better;
    use crate::model::FocusArea;
    use crate::model::Target;
    use crate::model::Unit;

    fn indicator(id: &str, better: Better, targets: Vec<Target>) -> Indicator {
        Indicator {
            id: id.into(),
            title: id.to_uppercase(),
            focus_area: Some("data".into()),
            unit: if better == Better::Lower {
                Unit::Rank
            } else {
                Unit::Percent
            },
            better,
            segments: vec!["all".into()],
            source: None,
            targets,
            weight: None,
        }
    }

    fn rows(id: &str, segment: &str, values: &[(i32, f64)]) -> Vec<Measurement> {
        values
            .iter()
            .map(|&(year, value)| Measurement {
                indicator: id.into(),
                segment: segment.into(),
                year,
                value,
                source: None,
            })
            .collect()
    }

    fn score(ind: &Indicator, values: &[(i32, f64)]) -> Option<f64> {
        score_indicator(ind, &rows(&ind.id, "all", values), 2030, &Rule::default()).score
    }

    fn target(year: i32, value: f64) -> Target {
        Target {
            year,
            value,
            segment: None,
        }
    }

    #[test]
    fn without_a_target_the_latest_change_decides() {
        let ind = indicator("i", Better::Higher, vec![]);
        assert_eq!(score(&ind, &[(2021, 16.0), (2022, 22.0)]), Some(3.0));
        assert_eq!(score(&ind, &[(2023, 60.0), (2024, 60.0)]), Some(2.0));
        assert_eq!(
            score(&ind, &[(2023, 60.0), (2024, 62.0)]),
            Some(2.0),
            "2 is within"
        );
        assert_eq!(score(&ind, &[(2023, 60.0), (2024, 57.5)]), Some(1.0));
        // Only the last two measurements count: a rise, then a fall.
        assert_eq!(
            score(&ind, &[(2020, 25.0), (2021, 16.0), (2022, 22.0)]),
            Some(3.0)
        );
    }

    #[test]
    fn lower_is_better_turns_the_change_around() {
        // Open Data Maturity: 29th, 13th, 10th — a falling rank is a rising score.
        let odm = indicator("odm", Better::Lower, vec![]);
        assert_eq!(
            score(&odm, &[(2020, 29.0), (2021, 13.0), (2022, 10.0)]),
            Some(3.0)
        );
        // eGovernment Benchmark: 7th, 8th, 11th — worse.
        let egov = indicator("egov", Better::Lower, vec![]);
        assert_eq!(
            score(&egov, &[(2019, 7.0), (2020, 8.0), (2021, 11.0)]),
            Some(1.0)
        );
        // Sharing rarely or never: 26 % → 21 % is better.
        let rarely = indicator("rarely", Better::Lower, vec![]);
        assert_eq!(score(&rarely, &[(2021, 26.0), (2022, 21.0)]), Some(3.0));
        assert_eq!(score(&rarely, &[(2020, 20.0), (2021, 26.0)]), Some(1.0));
    }

    #[test]
    fn with_a_target_the_course_decides_not_the_change() {
        // The AI target, 80 % by 2025: a big rise to 63 % is still off course.
        let ai = indicator("ai", Better::Higher, vec![target(2025, 80.0)]);
        assert_eq!(score(&ai, &[(2024, 33.0), (2025, 63.0)]), Some(1.0));
        // Flat, but already beyond the line to the target: on course.
        let ahead = indicator("ahead", Better::Higher, vec![target(2030, 80.0)]);
        assert_eq!(
            score(&ahead, &[(2020, 70.0), (2025, 78.0), (2026, 78.0)]),
            Some(3.0)
        );
        // Lower is better, with a target: from 30 towards 10 by 2024; 18 in 2022 is ahead of
        // the line (20), 25 is behind it.
        let lower = indicator("lower", Better::Lower, vec![target(2024, 10.0)]);
        assert_eq!(score(&lower, &[(2020, 30.0), (2022, 18.0)]), Some(3.0));
        assert_eq!(score(&lower, &[(2020, 30.0), (2022, 25.0)]), Some(1.0));
    }

    #[test]
    fn one_measurement_is_scored_only_against_a_target_year_it_has_reached() {
        let none = indicator("none", Better::Higher, vec![]);
        assert_eq!(score(&none, &[(2024, 17.0)]), None);
        let early = indicator("early", Better::Higher, vec![target(2030, 100.0)]);
        assert_eq!(score(&early, &[(2025, 60.0)]), None, "no line to judge by");
        let due = indicator("due", Better::Higher, vec![target(2025, 80.0)]);
        assert_eq!(score(&due, &[(2025, 60.0)]), Some(1.0));
    }

    #[test]
    fn an_indicator_is_the_mean_of_its_segments_as_of_the_year() {
        let mut ind = indicator("i", Better::Higher, vec![]);
        ind.segments = vec!["stat".into(), "kommune".into(), "innbyggere".into()];
        let mut m = rows("i", "stat", &[(2021, 40.0), (2024, 49.0)]);
        m.extend(rows("i", "kommune", &[(2021, 30.0), (2024, 18.0)]));
        m.extend(rows("i", "innbyggere", &[(2024, 50.0)])); // one point: not scored
        m.extend(rows("other", "stat", &[(2021, 0.0), (2024, 99.0)])); // another indicator
        let s = score_indicator(&ind, &m, 2024, &Rule::default());
        assert_eq!(s.score, Some(2.0), "(3 + 1) / 2");
        assert_eq!(s.weight, 1.0);
        // As of 2023 only 2021 is known: nothing to judge.
        assert_eq!(
            score_indicator(&ind, &m, 2023, &Rule::default()).score,
            None
        );
    }

    #[test]
    fn the_tolerance_is_a_parameter() {
        let ind = indicator("i", Better::Higher, vec![]);
        let m = rows("i", "all", &[(2023, 60.0), (2024, 62.0)]);
        let strict = Rule { tolerance: 0.0 };
        assert_eq!(score_indicator(&ind, &m, 2024, &strict).score, Some(3.0));
        assert_eq!(
            score_indicator(&ind, &m, 2024, &Rule::default()).score,
            Some(2.0)
        );
    }

    #[test]
    fn ratings_follow_rdts_thresholds() {
        assert_eq!(Rating::of(3.0), Rating::Good);
        assert_eq!(Rating::of(2.25), Rating::Good);
        assert_eq!(Rating::of(2.24), Rating::Medium);
        assert_eq!(Rating::of(2.0), Rating::Medium);
        assert_eq!(Rating::of(1.76), Rating::Medium);
        assert_eq!(Rating::of(1.75), Rating::Poor);
        assert_eq!(Rating::of(1.0), Rating::Poor);
        assert_eq!(Rating::Poor.label_nb(), "mindre god");
        assert_eq!(Rating::Medium.as_str(), "medium");
    }

    #[test]
    fn a_goal_is_the_weighted_mean_of_its_scored_indicators() {
        let s = |id: &str, score: Option<f64>, weight: f64| IndicatorScore {
            id: id.into(),
            score,
            weight,
        };
        // (3·2 + 1·1) / 3 = 2.33
        assert_eq!(
            weighted_mean(&[s("a", Some(3.0), 2.0), s("b", Some(1.0), 1.0)]),
            Some(2.33)
        );
        // An unscored indicator weighs nothing; (3 + 2 + 2 + 2) / 4 = 2.25 exactly: "god".
        let four = [
            s("a", Some(3.0), 1.0),
            s("b", Some(2.0), 1.0),
            s("c", Some(2.0), 1.0),
            s("d", Some(2.0), 1.0),
            s("e", None, 5.0),
        ];
        assert_eq!(weighted_mean(&four), Some(2.25));
        // Weights that do not add up evenly in binary still land on the threshold.
        let tenths = [s("a", Some(3.0), 0.1), s("b", Some(1.5), 0.1)];
        assert_eq!(weighted_mean(&tenths).map(Rating::of), Some(Rating::Good));
        assert_eq!(weighted_mean(&[s("a", None, 1.0)]), None);
        assert_eq!(weighted_mean(&[]), None);
    }

    #[test]
    fn goals_are_the_focus_areas_with_indicators_in_plan_order() {
        let area = |id: &str| FocusArea {
            id: id.into(),
            title: format!("Mål {id}"),
            goal: String::new(),
        };
        let mut reuse = indicator("gjenbruk", Better::Higher, vec![]);
        reuse.weight = Some(2.0);
        let rarely = indicator("deler-sjelden", Better::Lower, vec![]);
        let mut elsewhere = indicator("tillit", Better::Higher, vec![]);
        elsewhere.focus_area = Some("sikkerhet".into());
        let mut loose = indicator("loose", Better::Higher, vec![]);
        loose.focus_area = None;
        let plan = Plan {
            focus_areas: vec![area("tjenester"), area("data"), area("sikkerhet")],
            indicators: vec![reuse, rarely, elsewhere, loose],
            ..Plan::default()
        };
        let mut m = rows("gjenbruk", "all", &[(2021, 16.0), (2022, 22.0)]); // 3
        m.extend(rows("deler-sjelden", "all", &[(2021, 20.0), (2022, 26.0)])); // 1
        m.extend(rows("tillit", "all", &[(2021, 47.0)])); // unscored
        m.extend(rows("loose", "all", &[(2021, 1.0), (2022, 90.0)]));
        let goals = score_goals(&plan, |_| true, |_| m.as_slice(), 2022, &Rule::default());
        let ids: Vec<&str> = goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["data", "sikkerhet"], "no indicators, no goal score");
        assert_eq!(goals[0].score, Some(2.33), "(3·2 + 1·1) / 3");
        assert_eq!(goals[0].rating, Some(Rating::Good));
        assert_eq!(goals[1].score, None);
        assert_eq!(goals[1].rating, None);

        let json = serde_json::to_value(&goals[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "data",
                "title": "Mål data",
                "score": 2.33,
                "rating": "good",
                "indicators": [
                    {"id": "gjenbruk", "score": 3.0, "weight": 2.0},
                    {"id": "deler-sjelden", "score": 1.0, "weight": 1.0},
                ],
            })
        );
    }
}
