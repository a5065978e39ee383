//! The whole database as one JSON document, and back. Loading an export into an empty
//! database gives the same plans, history, narratives and measurements (and so the same
//! reports). Times of recording are those of the new load.

use serde::Deserialize;
use serde::Serialize;

use crate::error::Result;
use crate::model::FocusArea;
use crate::model::Indicator;
use crate::model::Initiative;
use crate::model::Measurement;
use crate::model::Narrative;
use crate::model::Organisation;
use crate::model::Plan;
use crate::model::Strategy;
use crate::model::Update;
use crate::store::ItemType;
use crate::store::Store;

pub const FORMAT: &str = "actionplan-export";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub strategies: Vec<StrategyExport>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyExport {
    pub strategy: Strategy,
    pub organisations: Vec<Organisation>,
    pub focus_areas: Vec<FocusArea>,
    pub initiatives: Vec<Initiative>,
    pub indicators: Vec<Indicator>,
    /// Items the plan has withdrawn: kept for their history, not in force.
    pub withdrawn: Vec<WithdrawnItem>,
    /// The whole status history, oldest first.
    pub updates: Vec<Update>,
    /// The latest narrative of each year.
    pub narratives: Vec<Narrative>,
    /// Every measurement as loaded, corrections after what they correct.
    pub measurements: Vec<Measurement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawnItem {
    #[serde(rename = "type")]
    pub item_type: String,
    pub id: String,
}

impl StrategyExport {
    /// The plan with every item, withdrawn ones included.
    pub fn full_plan(&self) -> Plan {
        Plan {
            strategy: Some(self.strategy.clone()),
            organisations: self.organisations.clone(),
            focus_areas: self.focus_areas.clone(),
            initiatives: self.initiatives.clone(),
            indicators: self.indicators.clone(),
        }
    }

    /// The plan in force: the withdrawn items left out, as a later revision would.
    pub fn plan_in_force(&self) -> Plan {
        let gone = |t: &str, id: &str| {
            self.withdrawn
                .iter()
                .any(|w| w.item_type == t && w.id == id)
        };
        let mut plan = self.full_plan();
        plan.organisations.retain(|o| !gone("organisation", &o.id));
        plan.focus_areas.retain(|f| !gone("focus_area", &f.id));
        plan.initiatives.retain(|i| !gone("initiative", &i.id));
        plan.indicators.retain(|i| !gone("indicator", &i.id));
        plan
    }
}

pub fn export(store: &Store) -> Result<Export> {
    let mut strategies = Vec::new();
    for s in store.strategies()? {
        let stored = store.plan(&s.id)?;
        let mut withdrawn: Vec<WithdrawnItem> = stored
            .withdrawn
            .iter()
            .filter(|(t, _)| *t != ItemType::Strategy)
            .map(|(t, id)| WithdrawnItem {
                item_type: t.as_str().to_string(),
                id: id.clone(),
            })
            .collect();
        withdrawn.sort_by(|a, b| (&a.item_type, &a.id).cmp(&(&b.item_type, &b.id)));
        let plan = stored.plan;
        strategies.push(StrategyExport {
            strategy: s.clone(),
            organisations: plan.organisations,
            focus_areas: plan.focus_areas,
            initiatives: plan.initiatives,
            indicators: plan.indicators,
            withdrawn,
            updates: store
                .all_updates(&s.id)?
                .into_iter()
                .map(|u| u.update)
                .collect(),
            narratives: store.narratives(&s.id)?,
            measurements: store.measurement_history(&s.id)?,
        });
    }
    Ok(Export {
        format: FORMAT.to_string(),
        version: VERSION,
        strategies,
    })
}
