//! The whole database as one JSON document, and back. Loading an export into an empty
//! database gives the same plans, history, narratives and measurements (and so the same
//! reports). Times of recording are those of the new load.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde::Serializer;
use serde::ser::Error as _;
use serde::ser::SerializeSeq;

use crate::error::Error;
use crate::error::Result;
use crate::model::export::Export;
use crate::model::export::ExportedUpdate;
use crate::model::export::FORMAT;
use crate::model::export::ItemVersion;
use crate::model::export::RetractionExport;
use crate::model::export::RevisionExport;
use crate::model::export::StrategyExport;
use crate::model::export::VERSION;
use crate::model::export::WithdrawnItem;
use crate::store::ItemType;
use crate::store::Store;

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
        let stored = store.plan_in_place_order(&s.id)?;
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
        let revisions = store
            .plan_history(&s.id)?
            .into_iter()
            .map(|r| -> Result<RevisionExport> {
                let items = r
                    .items
                    .into_iter()
                    .map(|(t, id, content)| {
                        let item = content
                            .map(|c| serde_json::from_str(&c))
                            .transpose()
                            .map_err(|e| Error::refused(format!("the export stopped: {e}")))?;
                        Ok(ItemVersion {
                            item_type: t.as_str().to_string(),
                            id,
                            item,
                        })
                    })
                    .collect::<Result<_>>()?;
                Ok(RevisionExport {
                    effective_on: r.effective_on,
                    correction: r.correction,
                    items,
                })
            })
            .collect::<Result<_>>()?;
        let retractions = store
            .retractions(&s.id)?
            .into_iter()
            .map(|(update, reason, correction)| RetractionExport {
                update,
                reason,
                correction,
            })
            .collect();
        strategies.push(StrategyExport {
            revisions,
            retractions,
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
                    let u = u.map_err(S::Error::custom)?;
                    seq.serialize_element(&ExportedUpdate {
                        update: u.update,
                        correction: u.correction,
                    })?;
                }
                seq.end()
            })
            .map_err(S::Error::custom)?
    }
}
