//! What an export would change in a database that already holds its strategy. A restore goes
//! into a database without the strategy; loading an export the database already holds whole
//! changes nothing (a reload is never refused); anything in between is refused with what
//! differs, since merging two records would rewrite one of them.

use rusqlite::params;

use super::Store;
use super::measurements;
use super::plan;
use crate::error::Result;
use crate::model::export::StrategyExport;

impl Store {
    /// What of `export` this database does not hold, in words (empty: it holds all of it).
    pub fn export_differences(&self, export: &StrategyExport) -> Result<Vec<String>> {
        let id = &export.strategy.id;
        let mut out = Vec::new();
        let mut plan_changes = plan::plan_changes(&self.conn, &export.plan_in_force())?;
        // Where withdrawn items stand among the others is no difference in the plan.
        plan_changes.reordered = false;
        if !plan_changes.is_empty() {
            out.push(format!("the plan differs ({plan_changes})"));
        }
        let missing_updates = export
            .updates
            .iter()
            .map(|u| self.is_recorded(id, &u.update))
            .collect::<Result<Vec<bool>>>()?
            .into_iter()
            .filter(|recorded| !recorded)
            .count();
        if missing_updates > 0 {
            out.push(format!(
                "{missing_updates} status updates are not in the database"
            ));
        }
        let held: Vec<String> = self.retractions(id)?.into_iter().map(|r| r.0).collect();
        let new_retractions = export
            .retractions
            .iter()
            .filter(|r| !held.contains(&r.update))
            .count();
        if new_retractions > 0 {
            out.push(format!(
                "{new_retractions} retractions are not in the database"
            ));
        }
        let narratives = self.narratives(id)?;
        let years: Vec<String> = export
            .narratives
            .iter()
            .filter(|n| !narratives.contains(n))
            .map(|n| n.year.to_string())
            .collect();
        if !years.is_empty() {
            out.push(format!("the narratives of {} differ", years.join(", ")));
        }
        let mut exists = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM measurement WHERE strategy_id = ?1 AND fingerprint = ?2)",
        )?;
        let mut new_measurements = 0;
        for m in &export.measurements {
            let fp = measurements::fingerprint(m);
            if !exists.query_row(params![id, fp], |r| r.get::<_, bool>(0))? {
                new_measurements += 1;
            }
        }
        if new_measurements > 0 {
            out.push(format!(
                "{new_measurements} measurements are not in the database"
            ));
        }
        Ok(out)
    }
}
