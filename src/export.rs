//! The whole database as one JSON document, and back. Loading an export into an empty
//! database gives the same plans, history, narratives and measurements (and so the same
//! reports). Times of recording are those of the new load.

use std::io::Write;
use std::path::Path;

use serde::Deserialize;
use serde::Serialize;
use serde::Serializer;
use serde::ser::Error as _;
use serde::ser::SerializeSeq;

use crate::error::Error;
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

/// An export as read back; `U` is how its updates are held (written, they stream from the
/// store: [`write_export`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export<U = Vec<Update>> {
    pub format: String,
    pub version: u32,
    pub strategies: Vec<StrategyExport<U>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyExport<U = Vec<Update>> {
    pub strategy: Strategy,
    pub organisations: Vec<Organisation>,
    pub focus_areas: Vec<FocusArea>,
    pub initiatives: Vec<Initiative>,
    pub indicators: Vec<Indicator>,
    /// Items the plan has withdrawn: kept for their history, not in force.
    pub withdrawn: Vec<WithdrawnItem>,
    /// The whole status history, oldest first.
    pub updates: U,
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

/// Writes the whole database as an export (pretty JSON and a newline). The plans, narratives
/// and measurements are read first; the history streams from the store to `out` update by
/// update, so an export of any size needs the memory of its plans only. `dest` names `out` in
/// messages.
pub fn write_export(store: &Store, out: &mut impl Write, dest: &Path) -> Result<()> {
    // One snapshot: a load committed while the export is written is wholly in it or not at
    // all (an update without its initiative would not load back).
    store.snapshot(|store| write_export_in(store, out, dest))
}

fn write_export_in(store: &Store, out: &mut impl Write, dest: &Path) -> Result<()> {
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
            narratives: store.narratives(&s.id)?,
            measurements: store.measurement_history(&s.id)?,
            updates: StreamedUpdates {
                store,
                strategy: s.id.clone(),
            },
            strategy: s,
            organisations: plan.organisations,
            focus_areas: plan.focus_areas,
            initiatives: plan.initiatives,
            indicators: plan.indicators,
            withdrawn,
        });
    }
    let export = Export {
        format: FORMAT.to_string(),
        version: VERSION,
        strategies,
    };
    serde_json::to_writer_pretty(&mut *out, &export).map_err(|e| {
        if e.is_io() {
            Error::io(dest, e.into())
        } else {
            // What the store failed to read, passed through the serializer.
            Error::refused(format!("the export stopped: {e}"))
        }
    })?;
    out.write_all(b"\n")
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(dest, e))
}

/// A strategy's history, read from the store while it is serialized.
struct StreamedUpdates<'a> {
    store: &'a Store,
    strategy: String,
}

impl Serialize for StreamedUpdates<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.store
            .with_all_updates(&self.strategy, |updates| {
                let mut seq = serializer.serialize_seq(None)?;
                for u in updates {
                    seq.serialize_element(&u.map_err(S::Error::custom)?.update)?;
                }
                seq.end()
            })
            .map_err(S::Error::custom)?
    }
}
