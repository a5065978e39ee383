//! Indicators against their targets: the series per segment, the change from the previous
//! measurement, the gap to the target, and whether the latest value is on course — at or beyond
//! the straight trajectory from the first measurement to the target.

use serde::Serialize;

use crate::model::Better;
use crate::model::Indicator;
use crate::model::Measurement;
use crate::model::Target;

/// The direction of the latest change, judged by the indicator's `better`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trend {
    Improving,
    Worsening,
    Unchanged,
}

impl Trend {
    /// ▲ better, ▼ worse, = unchanged.
    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Improving => "▲",
            Trend::Worsening => "▼",
            Trend::Unchanged => "=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub year: i32,
    pub value: f64,
}

/// One segment of an indicator, analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentView {
    pub segment: String,
    pub series: Vec<Point>,
    pub latest: Option<Point>,
    /// Latest minus previous measurement.
    pub change: Option<f64>,
    pub trend: Option<Trend>,
    /// The target that applies: the first one in or after the latest year (else the last).
    pub target: Option<Point>,
    /// How far the latest value still is from the target, in the better direction (≤ 0: reached).
    pub gap: Option<f64>,
    /// Where the trajectory from the first measurement to the target stands in the latest year.
    pub expected: Option<f64>,
    /// `None` when there is no target, or too little data to draw a trajectory.
    pub on_course: Option<bool>,
}

/// How much better `a` is than `b` for this indicator (positive: `a` is better).
pub(crate) fn better_by(better: Better, a: f64, b: f64) -> f64 {
    match better {
        Better::Higher => a - b,
        Better::Lower => b - a,
    }
}

fn target_for(targets: &[Target], segment: &str, latest_year: i32) -> Option<Point> {
    let applies = |t: &&Target| t.segment.as_deref().is_none_or(|s| s == segment);
    let mut years: Vec<i32> = targets.iter().filter(applies).map(|t| t.year).collect();
    years.sort_unstable();
    years.dedup();
    let year = *years.iter().find(|y| **y >= latest_year).or(years.last())?;
    // For that year, a target set for the segment itself wins over a general one.
    targets
        .iter()
        .filter(applies)
        .filter(|t| t.year == year)
        .max_by_key(|t| t.segment.is_some())
        .map(|t| Point {
            year: t.year,
            value: t.value,
        })
}

/// Analyses one segment's measurements (any order) against the indicator's targets.
pub fn analyse_segment(indicator: &Indicator, segment: &str, values: &[Point]) -> SegmentView {
    let mut series = values.to_vec();
    series.sort_by_key(|p| p.year);
    let latest = series.last().copied();
    let previous = series.len().checked_sub(2).map(|i| series[i]);
    let change = latest.zip(previous).map(|(l, p)| l.value - p.value);
    let trend = latest.zip(previous).map(|(l, p)| {
        let d = better_by(indicator.better, l.value, p.value);
        if d > 0.0 {
            Trend::Improving
        } else if d < 0.0 {
            Trend::Worsening
        } else {
            Trend::Unchanged
        }
    });
    let target = latest.and_then(|l| target_for(&indicator.targets, segment, l.year));
    let gap = latest
        .zip(target)
        .map(|(l, t)| better_by(indicator.better, t.value, l.value));
    let expected = match (series.first(), latest, target) {
        (Some(_), Some(l), Some(t)) if l.year >= t.year => Some(t.value),
        (Some(first), Some(l), Some(t)) if t.year > first.year && l.year > first.year => {
            let share = f64::from(l.year - first.year) / f64::from(t.year - first.year);
            Some(first.value + (t.value - first.value) * share)
        }
        _ => None,
    };
    let on_course = latest
        .zip(expected)
        .map(|(l, e)| better_by(indicator.better, l.value, e) >= 0.0);
    SegmentView {
        segment: segment.to_string(),
        series,
        latest,
        change,
        trend,
        target,
        gap,
        expected,
        on_course,
    }
}

/// One indicator's measurements among measurements sorted by indicator (stably, as the store
/// orders them): two binary searches rather than a scan for each of hundreds of indicators.
pub fn measurements_of<'m>(sorted: &'m [Measurement], indicator: &str) -> &'m [Measurement] {
    let start = sorted.partition_point(|m| m.indicator.as_str() < indicator);
    let len = sorted[start..].partition_point(|m| m.indicator == indicator);
    &sorted[start..start + len]
}

/// Every declared segment of an indicator, analysed, from the measurements up to `until_year`.
pub fn analyse(
    indicator: &Indicator,
    measurements: &[Measurement],
    until_year: i32,
) -> Vec<SegmentView> {
    // One pass over every measurement, then one per segment over the indicator's own.
    let own: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.indicator == indicator.id && m.year <= until_year)
        .collect();
    indicator
        .segments
        .iter()
        .map(|segment| {
            let points: Vec<Point> = own
                .iter()
                .filter(|m| &m.segment == segment)
                .map(|m| Point {
                    year: m.year,
                    value: m.value,
                })
                .collect();
            analyse_segment(indicator, segment, &points)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    fn indicator(better: Better, targets: Vec<Target>) -> Indicator {
        Indicator {
            id: "i".into(),
            title: "I".into(),
            focus_area: None,
            unit: Unit::Percent,
            better,
            segments: vec!["stat".into(), "kommune".into()],
            source: None,
            targets,
            weight: None,
        }
    }

    fn pts(v: &[(i32, f64)]) -> Vec<Point> {
        v.iter()
            .map(|&(year, value)| Point { year, value })
            .collect()
    }

    fn target(year: i32, value: f64, segment: Option<&str>) -> Target {
        Target {
            year,
            value,
            segment: segment.map(str::to_string),
        }
    }

    /// Every indicator's run, first, middle and last, and none for an id that sorts between.
    #[test]
    fn measurements_of_finds_each_indicators_run() {
        let m = |indicator: &str, year: i32| Measurement {
            indicator: indicator.into(),
            segment: "stat".into(),
            year,
            value: 1.0,
            source: None,
        };
        let sorted = [
            m("a", 2020),
            m("a", 2021),
            m("b", 2020),
            m("d", 2020),
            m("d", 2022),
        ];
        let years = |id: &str| -> Vec<i32> {
            measurements_of(&sorted, id)
                .iter()
                .map(|m| m.year)
                .collect()
        };
        assert_eq!(years("a"), [2020, 2021]);
        assert_eq!(years("b"), [2020]);
        assert_eq!(years("d"), [2020, 2022]);
        assert!(years("c").is_empty());
        assert!(years("e").is_empty());
        assert!(measurements_of(&[], "a").is_empty());
    }

    #[test]
    fn trend_respects_which_way_is_better() {
        let higher = indicator(Better::Higher, vec![]);
        let lower = indicator(Better::Lower, vec![]);
        let falling = pts(&[(2021, 30.0), (2024, 15.0)]);
        assert_eq!(
            analyse_segment(&higher, "stat", &falling).trend,
            Some(Trend::Worsening)
        );
        assert_eq!(
            analyse_segment(&lower, "stat", &falling).trend,
            Some(Trend::Improving)
        );
        assert_eq!(
            analyse_segment(&lower, "stat", &falling).change,
            Some(-15.0)
        );
        let flat = pts(&[(2021, 5.0), (2022, 5.0)]);
        assert_eq!(
            analyse_segment(&lower, "stat", &flat).trend,
            Some(Trend::Unchanged)
        );
        assert_eq!(
            analyse_segment(&lower, "stat", &pts(&[(2021, 5.0)])).trend,
            None
        );
    }

    #[test]
    fn on_course_means_at_or_beyond_the_straight_line_to_the_target() {
        // From 20 in 2020 to 80 in 2026: the line passes 50 in 2023.
        let ind = indicator(Better::Higher, vec![target(2026, 80.0, None)]);
        let ahead = analyse_segment(&ind, "stat", &pts(&[(2020, 20.0), (2023, 55.0)]));
        assert_eq!(ahead.expected, Some(50.0));
        assert_eq!(ahead.on_course, Some(true));
        assert_eq!(ahead.gap, Some(25.0));
        let behind = analyse_segment(&ind, "stat", &pts(&[(2020, 20.0), (2023, 45.0)]));
        assert_eq!(behind.on_course, Some(false));
        // Lower is better: from 30 down to 10; 25 in the middle year is behind the line (20).
        let lower = indicator(Better::Lower, vec![target(2024, 10.0, None)]);
        let v = analyse_segment(&lower, "stat", &pts(&[(2020, 30.0), (2022, 25.0)]));
        assert_eq!(v.expected, Some(20.0));
        assert_eq!(v.on_course, Some(false));
        assert_eq!(v.gap, Some(15.0));
    }

    #[test]
    fn the_target_year_itself_compares_with_the_target() {
        // The AI target: 80 % by 2025; 63 % (state) in 2025 is off course.
        let ind = indicator(
            Better::Higher,
            vec![target(2025, 80.0, None), target(2030, 100.0, None)],
        );
        let v = analyse_segment(&ind, "stat", &pts(&[(2024, 33.0), (2025, 63.0)]));
        assert_eq!(
            v.target,
            Some(Point {
                year: 2025,
                value: 80.0
            })
        );
        assert_eq!(v.on_course, Some(false));
        assert_eq!(v.gap, Some(17.0));
        // After 2025, the 2030 target applies.
        let later = analyse_segment(&ind, "stat", &pts(&[(2024, 33.0), (2026, 90.0)]));
        assert_eq!(
            later.target,
            Some(Point {
                year: 2030,
                value: 100.0
            })
        );
    }

    #[test]
    fn a_segment_target_wins_and_one_point_is_not_a_trajectory() {
        let ind = indicator(
            Better::Higher,
            vec![
                target(2025, 80.0, None),
                target(2025, 70.0, Some("kommune")),
            ],
        );
        let k = analyse_segment(&ind, "kommune", &pts(&[(2023, 40.0)]));
        assert_eq!(
            k.target,
            Some(Point {
                year: 2025,
                value: 70.0
            })
        );
        assert_eq!(
            k.on_course, None,
            "one measurement before the target year: no line to judge by"
        );
        let s = analyse_segment(&ind, "stat", &pts(&[(2023, 40.0)]));
        assert_eq!(
            s.target,
            Some(Point {
                year: 2025,
                value: 80.0
            })
        );
    }
}
