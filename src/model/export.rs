//! The export document: the whole record of each strategy as one JSON document (`actionplan
//! export`), and what `load` reads back. A domain type like the others: written from the store
//! by `crate::export`, read by `crate::parse`, restored by the store.

use chrono::NaiveDate;
use serde::Deserialize;
use serde::Serialize;

use super::FocusArea;
use super::Indicator;
use super::Initiative;
use super::Measurement;
use super::Narrative;
use super::Organisation;
use super::Plan;
use super::Strategy;
use super::Update;

pub const FORMAT: &str = "actionplan-export";
/// 2: the plan's history (revisions and the day each takes effect), corrections and
/// retractions. Version 1 exports are still read.
pub const VERSION: u32 = 2;

/// An export; `U` is how its updates are held (written, they stream from the store).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export<U = Vec<ExportedUpdate>> {
    pub format: String,
    pub version: u32,
    pub strategies: Vec<StrategyExport<U>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyExport<U = Vec<ExportedUpdate>> {
    pub strategy: Strategy,
    pub organisations: Vec<Organisation>,
    pub focus_areas: Vec<FocusArea>,
    pub initiatives: Vec<Initiative>,
    pub indicators: Vec<Indicator>,
    /// Items the plan has withdrawn: kept for their history, not in force.
    pub withdrawn: Vec<WithdrawnItem>,
    /// Every revision of the plan in the order recorded, each with the day it takes effect.
    /// (Absent from version 1 exports: the plan above is then restored as one version.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<RevisionExport>,
    /// The whole status history, oldest first.
    pub updates: U,
    /// Updates taken back, named by their fingerprint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retractions: Vec<RetractionExport>,
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

/// One plan revision: what it added, changed (the item as it reads after) and withdrew (no
/// `item`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionExport {
    pub effective_on: NaiveDate,
    /// The reason given when the revision took effect in a closed period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
    pub items: Vec<ItemVersion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemVersion {
    #[serde(rename = "type")]
    pub item_type: String,
    pub id: String,
    /// The item as this revision has it; absent when the revision withdrew it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<serde_json::Value>,
}

/// An update of the history, with the reason when it corrected a closed period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedUpdate {
    #[serde(flatten)]
    pub update: Update,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetractionExport {
    /// The fingerprint of the update taken back (SHA-256 of its content).
    pub update: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

impl<U> StrategyExport<U> {
    /// The plan with every item, withdrawn ones included.
    pub fn full_plan(&self) -> Plan {
        Plan {
            strategy: Some(self.strategy.clone()),
            revised: None,
            organisations: self.organisations.clone(),
            focus_areas: self.focus_areas.clone(),
            initiatives: self.initiatives.clone(),
            indicators: self.indicators.clone(),
        }
    }

    /// Whether the plan lists an item as withdrawn.
    pub fn is_withdrawn(&self, item_type: &str, id: &str) -> bool {
        self.withdrawn
            .iter()
            .any(|w| w.item_type == item_type && w.id == id)
    }

    /// The plan in force: the withdrawn items left out, as a later revision would.
    pub fn plan_in_force(&self) -> Plan {
        let mut plan = self.full_plan();
        plan.organisations
            .retain(|o| !self.is_withdrawn("organisation", &o.id));
        plan.focus_areas
            .retain(|f| !self.is_withdrawn("focus_area", &f.id));
        plan.initiatives
            .retain(|i| !self.is_withdrawn("initiative", &i.id));
        plan.indicators
            .retain(|i| !self.is_withdrawn("indicator", &i.id));
        plan
    }
}
