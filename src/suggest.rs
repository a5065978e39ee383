//! "Did you mean …?" for ids and keys typed by hand.

use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;

/// Comparisons one process may spend on suggestions. A hostile file with thousands of unknown
/// ids checked against a plan with a hundred thousand would otherwise keep `check` busy for
/// minutes; real files stay far below it. Past it, no more suggestions are made.
static BUDGET: AtomicU64 = AtomicU64::new(4_000_000);

/// The closest candidate to `input`, if it is close enough to be a likely typo.
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .take_while(|_| {
            BUDGET
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(1))
                .is_ok()
        })
        .filter_map(|c| {
            let c_lower = c.to_lowercase();
            let score = strsim::jaro_winkler(&input_lower, &c_lower);
            let prefix = c_lower.starts_with(&input_lower) || input_lower.starts_with(&c_lower);
            let contains = input_lower.len() >= 4 && c_lower.contains(&input_lower);
            (score >= 0.8 || prefix || contains).then_some((c, score, prefix || contains))
        })
        .max_by(|a, b| {
            (a.2, a.1)
                .partial_cmp(&(b.2, b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(c, _, _)| c)
}

/// A hint line: "did you mean `x`?", or `None` when nothing is close.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_prefixes() {
        let ids = ["ressurssenter-data", "verktoykasse-data", "ki-strategi"];
        assert_eq!(
            closest("ressursenter-data", ids),
            Some("ressurssenter-data")
        );
        assert_eq!(closest("ressurssenter", ids), Some("ressurssenter-data"));
        assert_eq!(closest("ki-strategy", ids), Some("ki-strategi"));
        assert_eq!(closest("zzz", ids), None);
    }
}
