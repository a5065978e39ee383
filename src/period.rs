//! Points in time as users name them: a year (`2023`), a half-year (`2024H1`, `2024H2`) or a
//! date (`2024-03-31`). Each stands for its last day.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// A year as verbs take it: 1900 to 9999. Anything else is a usage error, never a date that
/// wraps around (`-2147483648`) or a year no strategy can hold (`1066`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Year(i32);

impl Year {
    pub const FIRST: i32 = 1900;
    pub const LAST: i32 = 9999;

    pub fn get(self) -> i32 {
        self.0
    }
}

impl FromStr for Year {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().parse::<i32>() {
            Ok(y) if (Self::FIRST..=Self::LAST).contains(&y) => Ok(Year(y)),
            _ => Err(format!(
                "`{s}` is not a year from {} to {}",
                Self::FIRST,
                Self::LAST
            )),
        }
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodSpec {
    Year(i32),
    Half(i32, u8),
    Day(NaiveDate),
}

impl PeriodSpec {
    /// The first day the period covers.
    pub fn first_day(self) -> NaiveDate {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
        match self {
            PeriodSpec::Year(y) | PeriodSpec::Half(y, 1) => ymd(y, 1, 1),
            PeriodSpec::Half(y, _) => ymd(y, 7, 1),
            PeriodSpec::Day(d) => d,
        }
    }

    /// The last day the period covers: what a report "as of" the period shows.
    pub fn last_day(self) -> NaiveDate {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MAX);
        match self {
            PeriodSpec::Year(y) | PeriodSpec::Half(y, 2) => ymd(y, 12, 31),
            PeriodSpec::Half(y, _) => ymd(y, 6, 30),
            PeriodSpec::Day(d) => d,
        }
    }
}

impl FromStr for PeriodSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad =
            || format!("`{s}` is not a year (2023), a half-year (2024H1) or a date (2024-03-31)");
        if let Some((year, half)) = s.split_once(['H', 'h']) {
            let year: i32 = year.parse().map_err(|_| bad())?;
            return match half {
                "1" => Ok(PeriodSpec::Half(year, 1)),
                "2" => Ok(PeriodSpec::Half(year, 2)),
                _ => Err(bad()),
            };
        }
        if s.len() == 4 {
            return s.parse().map(PeriodSpec::Year).map_err(|_| bad());
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(PeriodSpec::Day)
            .map_err(|_| bad())
    }
}

impl fmt::Display for PeriodSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodSpec::Year(y) => write!(f, "{y}"),
            PeriodSpec::Half(y, h) => write!(f, "{y}H{h}"),
            PeriodSpec::Day(d) => write!(f, "{d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_halves_and_days() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            "2023".parse::<PeriodSpec>().unwrap().last_day(),
            d("2023-12-31")
        );
        assert_eq!(
            "2024H1".parse::<PeriodSpec>().unwrap().last_day(),
            d("2024-06-30")
        );
        assert_eq!(
            "2024h2".parse::<PeriodSpec>().unwrap().first_day(),
            d("2024-07-01")
        );
        assert_eq!(
            "2024-03-31".parse::<PeriodSpec>().unwrap().last_day(),
            d("2024-03-31")
        );
        assert!("2024H3".parse::<PeriodSpec>().is_err());
        assert!("24".parse::<PeriodSpec>().is_err());
        assert_eq!(
            "2024H1".parse::<PeriodSpec>().unwrap().to_string(),
            "2024H1"
        );
    }
}
