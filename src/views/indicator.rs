//! `indicator list` and `indicator show` as models: each indicator against its targets.

use serde::Serialize;

use crate::error::Error;
use crate::error::Result;
use crate::indicators::SegmentView;
use crate::indicators::analyse;
use crate::model::Target;
use crate::store::ItemType;
use crate::store::Store;

/// An indicator as `indicator list|show --format json` prints it.
#[derive(Debug, Serialize)]
pub struct IndicatorView {
    pub id: String,
    pub title: String,
    pub focus_area: Option<String>,
    pub unit: String,
    pub better: String,
    pub source: Option<String>,
    #[serde(skip)]
    pub targets: Vec<Target>,
    pub segments: Vec<SegmentView>,
}

/// Every indicator in force (the plan as it stands on `day`), measured up to `year` (all
/// years when `None`).
pub fn list(
    store: &Store,
    strategy: Option<&str>,
    day: chrono::NaiveDate,
    year: Option<i32>,
) -> Result<Vec<IndicatorView>> {
    store.snapshot(|store| {
        let strategy = store.resolve_strategy(strategy)?;
        list_in(store, &strategy.id, day, year)
    })
}

/// As [`list`], read inside a snapshot the caller holds (the site reads its whole model in one).
pub(crate) fn list_in(
    store: &Store,
    strategy: &str,
    day: chrono::NaiveDate,
    year: Option<i32>,
) -> Result<Vec<IndicatorView>> {
    let plan = store.plan_on(strategy, day)?;
    let measurements = store.measurements(strategy)?;
    Ok(plan
        .plan
        .indicators
        .iter()
        .filter(|i| !plan.is_withdrawn(ItemType::Indicator, &i.id))
        .map(|i| IndicatorView {
            id: i.id.clone(),
            title: i.title.clone(),
            focus_area: i.focus_area.clone(),
            unit: i.unit.as_str().to_string(),
            better: i.better.as_str().to_string(),
            source: i.source.clone(),
            targets: i.targets.clone(),
            segments: analyse(i, &measurements, year.unwrap_or(i32::MAX)),
        })
        .collect())
}

/// One indicator of [`list`], or a refusal with "did you mean".
pub fn show(
    store: &Store,
    strategy: Option<&str>,
    day: chrono::NaiveDate,
    year: Option<i32>,
    id: &str,
) -> Result<IndicatorView> {
    let all = list(store, strategy, day, year)?;
    let hint = crate::suggest::did_you_mean(id, all.iter().map(|i| i.id.as_str()));
    all.into_iter().find(|i| i.id == id).ok_or(Error::Refused {
        message: format!("unknown indicator `{id}`"),
        hint,
    })
}
