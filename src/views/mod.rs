//! What each verb shows, as models: built from one read of the store, `Serialize` (the JSON
//! output is the model), and free of formatting. `cli/` parses a verb's arguments and calls
//! one function here (or `report::build_report`); `render/` turns the model into text. The
//! report has its own module (`report/`), being the largest.

pub mod graph;
pub mod indicator;
pub mod missing;
pub mod plan;
pub mod site;
pub mod status;

use std::collections::HashMap;

use crate::error::Error;
use crate::error::Result;
use crate::model::Strategy;
use crate::store::StoredPlan;

/// A year a verb was asked about must lie in the strategy's period.
pub fn check_year(strategy: &Strategy, year: i32) -> Result<()> {
    if strategy.period.contains_year(year) {
        return Ok(());
    }
    Err(Error::refused_with_hint(
        format!(
            "{year} is outside the strategy period of `{}`, {}–{}",
            strategy.id, strategy.period.start, strategy.period.end
        ),
        format!(
            "give a year from {} to {}",
            strategy.period.start, strategy.period.end
        ),
    ))
}

/// How tables name each organisation (short name, else name), by id: one map for a whole
/// view instead of a search of the plan per row.
pub(crate) fn owner_labels(plan: &StoredPlan) -> HashMap<&str, &str> {
    plan.plan
        .organisations
        .iter()
        .map(|o| (o.id.as_str(), o.label()))
        .collect()
}
