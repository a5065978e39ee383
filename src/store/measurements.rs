//! Indicator measurements: append-only like the status history; the latest row for an
//! indicator, segment and year is the value in force.

use rusqlite::params;

use super::Session;
use super::SourceInfo;
use super::Store;
use super::sha256_hex;
use super::status::UpdateChanges;
use crate::error::Result;
use crate::model::Measurement;
use crate::model::MeasurementSet;

pub(super) fn fingerprint(m: &Measurement) -> String {
    let json = serde_json::to_vec(m).unwrap_or_default();
    sha256_hex(&json)
}

pub(super) fn write_measurements(
    s: &mut Session<'_>,
    source: &SourceInfo,
    set: &MeasurementSet,
) -> Result<UpdateChanges> {
    let mut changes = UpdateChanges::default();
    let mut fresh = Vec::new();
    {
        let mut exists = s.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM measurement WHERE strategy_id = ?1 AND fingerprint = ?2)",
        )?;
        let mut same_point = s.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM measurement WHERE strategy_id = ?1 AND indicator_id = ?2 AND segment = ?3 AND year = ?4)",
        )?;
        for m in &set.rows {
            let fp = fingerprint(m);
            if exists.query_row(params![set.strategy, fp], |r| r.get::<_, bool>(0))? {
                changes.unchanged += 1;
                continue;
            }
            if same_point.query_row(params![set.strategy, m.indicator, m.segment, m.year], |r| {
                r.get::<_, bool>(0)
            })? {
                changes.corrections += 1;
            }
            fresh.push((m, fp));
        }
    }
    if fresh.is_empty() {
        return Ok(changes);
    }
    let source_id = s.source(source)?;
    let mut insert = s.tx.prepare_cached(
        "INSERT INTO measurement (strategy_id, indicator_id, segment, year, value, source, source_id, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (strategy_id, fingerprint) DO NOTHING",
    )?;
    for (m, fp) in fresh {
        changes.added += insert.execute(params![
            set.strategy,
            m.indicator,
            m.segment,
            m.year,
            m.value,
            m.source,
            source_id,
            fp
        ])?;
    }
    Ok(changes)
}

fn row_to_measurement(r: &rusqlite::Row<'_>) -> rusqlite::Result<Measurement> {
    Ok(Measurement {
        indicator: r.get(0)?,
        segment: r.get(1)?,
        year: r.get(2)?,
        value: r.get(3)?,
        source: r.get(4)?,
    })
}

impl Store {
    /// The value in force for each indicator, segment and year (the latest loaded), in one query.
    pub fn measurements(&self, strategy: &str) -> Result<Vec<Measurement>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT indicator_id, segment, year, value, source FROM measurement
             WHERE id IN (SELECT max(m.id) FROM measurement m
                          JOIN source s ON s.id = m.source_id JOIN load_event e ON e.id = s.load_event_id
                          WHERE m.strategy_id = ?1 AND (?2 IS NULL OR e.recorded_at <= ?2)
                          GROUP BY m.indicator_id, m.segment, m.year)
             ORDER BY indicator_id, segment, year",
        )?;
        let rows = stmt.query_map(
            rusqlite::params![strategy, self.known_at],
            row_to_measurement,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every measurement row as loaded, corrections after what they correct.
    pub fn measurement_history(&self, strategy: &str) -> Result<Vec<Measurement>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT indicator_id, segment, year, value, source FROM measurement WHERE strategy_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([strategy], row_to_measurement)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
