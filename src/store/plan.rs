//! Plan revisions: compare a plan file with what the store holds, record a version of each
//! item that changed, and keep the current rows in step. Vanished items are marked withdrawn.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::params;
use serde::Serialize;

use super::Session;
use super::SourceInfo;
use super::Store;
use super::corrupt;
use super::maybe_day_at;
use super::text_at;
use crate::error::Result;
use crate::model::Contact;
use crate::model::FocusArea;
use crate::model::Indicator;
use crate::model::Initiative;
use crate::model::Milestone;
use crate::model::Organisation;
use crate::model::Period;
use crate::model::Plan;
use crate::model::Strategy;
use crate::model::Target;
use crate::model::export::StrategyExport;

pub use crate::model::ItemType;

impl ItemType {
    fn plural(self, n: usize) -> &'static str {
        match (self, n == 1) {
            (ItemType::Strategy, _) => "strategy",
            (ItemType::Organisation, true) => "organisation",
            (ItemType::Organisation, false) => "organisations",
            (ItemType::FocusArea, true) => "focus area",
            (ItemType::FocusArea, false) => "focus areas",
            (ItemType::Initiative, true) => "initiative",
            (ItemType::Initiative, false) => "initiatives",
            (ItemType::Indicator, true) => "indicator",
            (ItemType::Indicator, false) => "indicators",
        }
    }
}

/// What a plan revision added, changed and withdrew.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PlanChanges {
    pub added: Vec<(ItemType, String)>,
    pub changed: Vec<(ItemType, String)>,
    pub withdrawn: Vec<(ItemType, String)>,
    pub reordered: bool,
}

impl PlanChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.withdrawn.is_empty()
            && !self.reordered
    }
}

impl fmt::Display for PlanChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no change");
        }
        let mut parts = Vec::new();
        for (sign, list, verb) in [
            ("+", &self.added, ""),
            ("~", &self.changed, " changed"),
            ("−", &self.withdrawn, " withdrawn"),
        ] {
            let mut counts: BTreeMap<ItemType, usize> = BTreeMap::new();
            for (t, _) in list {
                *counts.entry(*t).or_default() += 1;
            }
            for (t, n) in counts {
                parts.push(format!("{sign}{n} {}{verb}", t.plural(n)));
            }
        }
        if self.reordered && parts.is_empty() {
            parts.push("items reordered".into());
        }
        f.write_str(&parts.join(", "))
    }
}

/// A plan as the store holds it: every item ever loaded, with the withdrawn ones marked.
#[derive(Debug, Clone, Default)]
pub struct StoredPlan {
    pub plan: Plan,
    pub withdrawn: HashSet<(ItemType, String)>,
    /// Lookups by id, made at the first one: a report names an owner and finds initiatives for
    /// each of thousands of rows, and a scan of the plan each time was a fifth of its time.
    /// Made from the plan as it is then; the store fills a plan in before anything looks up.
    index: std::sync::OnceLock<Index>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    /// Organisation id → how tables name it.
    labels: foldhash::HashMap<String, String>,
    /// Initiative id → its place in `plan.initiatives` when the index was made.
    initiatives: foldhash::HashMap<String, usize>,
}

impl StoredPlan {
    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index {
            labels: self
                .plan
                .organisations
                .iter()
                .map(|o| (o.id.clone(), o.label().to_string()))
                .collect(),
            initiatives: self
                .plan
                .initiatives
                .iter()
                .enumerate()
                .map(|(n, i)| (i.id.clone(), n))
                .collect(),
        })
    }

    pub fn is_withdrawn(&self, t: ItemType, id: &str) -> bool {
        // Most plans withdraw nothing: no key is built for them.
        !self.withdrawn.is_empty() && self.withdrawn.contains(&(t, id.to_string()))
    }

    pub fn initiative(&self, id: &str) -> Option<&Initiative> {
        // The plan is public and may have been reordered since the index was made: a place
        // that no longer holds the id falls back to a scan.
        let indexed = self
            .index()
            .initiatives
            .get(id)
            .and_then(|&n| self.plan.initiatives.get(n))
            .filter(|i| i.id == id);
        indexed.or_else(|| self.plan.initiatives.iter().find(|i| i.id == id))
    }

    /// The initiatives in force (not withdrawn), in plan order.
    pub fn live(&self) -> Vec<&Initiative> {
        self.live_places().map(|(_, i)| i).collect()
    }

    /// [`StoredPlan::live`], each with its place among the plan's initiatives.
    pub fn live_places(&self) -> impl Iterator<Item = (usize, &Initiative)> {
        self.plan
            .initiatives
            .iter()
            .enumerate()
            .filter(|(_, i)| !self.is_withdrawn(ItemType::Initiative, &i.id))
    }

    /// How tables name an organisation: its short name, else its name, else the id itself.
    pub fn org_label(&self, id: &str) -> String {
        if let Some(label) = self.index().labels.get(id) {
            return label.clone();
        }
        // One added since the index was made.
        self.plan
            .organisations
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_string(), |o| o.label().to_string())
    }
}

pub(super) fn json<T: Serialize>(v: &T) -> String {
    // Serialising plain model structs cannot fail: no maps with non-string keys, no I/O.
    serde_json::to_string(v).unwrap_or_default()
}

/// Plan items as (type, id) and their normalised JSON.
type ItemContents = Vec<((ItemType, String), String)>;

/// The plan's items as (type, id) → normalised JSON, in file order.
fn items_of(plan: &Plan) -> ItemContents {
    let mut out = Vec::new();
    if let Some(s) = &plan.strategy {
        out.push(((ItemType::Strategy, s.id.clone()), json(s)));
    }
    out.extend(
        plan.organisations
            .iter()
            .map(|o| ((ItemType::Organisation, o.id.clone()), json(o))),
    );
    out.extend(
        plan.focus_areas
            .iter()
            .map(|f| ((ItemType::FocusArea, f.id.clone()), json(f))),
    );
    out.extend(
        plan.initiatives
            .iter()
            .map(|i| ((ItemType::Initiative, i.id.clone()), json(i))),
    );
    out.extend(
        plan.indicators
            .iter()
            .map(|i| ((ItemType::Indicator, i.id.clone()), json(i))),
    );
    out
}

/// The latest version of each item of a strategy; `None` content means withdrawn.
fn latest_versions(
    conn: &Connection,
    strategy: &str,
) -> Result<HashMap<(ItemType, String), Option<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.item_type, v.item_id, v.content FROM plan_item_version v
         WHERE v.id IN (SELECT max(v2.id) FROM plan_item_version v2
                        JOIN plan_revision r ON r.id = v2.revision_id
                        WHERE r.strategy_id = ?1 GROUP BY v2.item_type, v2.item_id)",
    )?;
    let rows = stmt.query_map([strategy], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (t, id, content) = row?;
        if let Some(t) = ItemType::parse(&t) {
            out.insert((t, id), content);
        }
    }
    Ok(out)
}

fn stored_positions(conn: &Connection, strategy: &str) -> Result<HashMap<(ItemType, String), i64>> {
    let mut out = HashMap::new();
    for (t, table) in [
        (ItemType::Organisation, "organisation"),
        (ItemType::FocusArea, "focus_area"),
        (ItemType::Initiative, "initiative"),
        (ItemType::Indicator, "indicator"),
    ] {
        // Table names come from the fixed list above, never from input.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, position FROM {table} WHERE strategy_id = ?1"
        ))?;
        for row in stmt.query_map([strategy], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (id, pos) = row?;
            out.insert((t, id), pos);
        }
    }
    Ok(out)
}

/// What loading `plan` would change in the stored plan, and the new items' contents.
fn diff_plan(
    conn: &Connection,
    strategy: &Strategy,
    plan: &Plan,
) -> Result<(PlanChanges, ItemContents)> {
    let latest = latest_versions(conn, &strategy.id)?;
    let new_items = items_of(plan);
    let new_keys: HashSet<&(ItemType, String)> = new_items.iter().map(|(k, _)| k).collect();

    let mut changes = PlanChanges::default();
    for (key, content) in &new_items {
        match latest.get(key) {
            Some(Some(old)) if old == content => {}
            Some(Some(_)) => changes.changed.push(key.clone()),
            Some(None) | None => changes.added.push(key.clone()),
        }
    }
    let mut withdrawn: Vec<(ItemType, String)> = latest
        .iter()
        .filter(|(k, v)| v.is_some() && !new_keys.contains(k))
        .map(|(k, _)| k.clone())
        .collect();
    withdrawn.sort();
    changes.withdrawn = withdrawn;

    let positions = stored_positions(conn, &strategy.id)?;
    changes.reordered = positions_of(plan)
        .iter()
        .any(|(k, p)| positions.get(k).is_some_and(|old| old != p));
    Ok((changes, new_items))
}

/// Why a plan version may not be recorded: a message and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRefusal {
    pub message: String,
    pub hint: String,
}

/// The day a new version of a plan takes effect: its `revised` day; else, for a strategy's
/// first version, 1 January of its first year; else the day it is loaded. Plan history is never
/// rewritten: a version may not take effect before the one recorded last, nor on a day a closed
/// period has frozen unless it comes as a correction.
fn effective_day(
    conn: &Connection,
    strategy: &Strategy,
    revised: Option<NaiveDate>,
    today: NaiveDate,
    correction: bool,
) -> Result<std::result::Result<NaiveDate, RevisionRefusal>> {
    let in_force: Option<String> = conn
        .prepare_cached("SELECT max(effective_on) FROM plan_revision WHERE strategy_id = ?1")?
        .query_row([&strategy.id], |r| r.get(0))?;
    let in_force = in_force
        .map(|d| {
            d.parse::<NaiveDate>()
                .map_err(|e| corrupt("revision day", &e))
        })
        .transpose()?;
    let first_day = NaiveDate::from_ymd_opt(strategy.period.start, 1, 1).unwrap_or(today);
    let effective = revised.unwrap_or(if in_force.is_some() { today } else { first_day });
    if let Some(current) = in_force.filter(|current| effective < *current) {
        return Ok(Err(RevisionRefusal {
            message: format!(
                "this version of plan `{}` would take effect on {effective}, before the version in force from {current}",
                strategy.id
            ),
            hint: format!(
                "plan history is never rewritten: set `revised = {current}` or later in [strategy]"
            ),
        }));
    }
    if !correction
        && let Some((period, last_day)) = super::periods::frozen_until(conn, &strategy.id)?
        && effective <= last_day
    {
        return Ok(Err(RevisionRefusal {
            message: format!(
                "this version of plan `{}` would take effect on {effective}, which {period} has closed (frozen up to {last_day})",
                strategy.id
            ),
            hint: format!(
                "set `revised` in [strategy] to a day after {last_day}, or load it as a correction with --correction \"why\""
            ),
        }));
    }
    Ok(Ok(effective))
}

/// What loading `plan` would change in the stored plan.
pub(super) fn plan_changes(conn: &Connection, plan: &Plan) -> Result<PlanChanges> {
    match &plan.strategy {
        Some(strategy) => Ok(diff_plan(conn, strategy, plan)?.0),
        None => Ok(PlanChanges::default()),
    }
}

impl Store {
    /// Whether loading `plan` now would be refused by the rule of [`effective_day`]: `None`
    /// when it may be loaded (or changes nothing). `check` and `load` validate with it, and the
    /// write applies the same rule.
    pub fn revision_refusal(
        &self,
        plan: &Plan,
        today: NaiveDate,
        correction: bool,
    ) -> Result<Option<RevisionRefusal>> {
        let Some(strategy) = &plan.strategy else {
            return Ok(None);
        };
        let (changes, _) = diff_plan(&self.conn, strategy, plan)?;
        if changes.is_empty() {
            return Ok(None);
        }
        Ok(effective_day(&self.conn, strategy, plan.revised, today, correction)?.err())
    }
}

pub(super) fn write_plan(
    s: &mut Session<'_>,
    source: &SourceInfo,
    plan: &Plan,
) -> Result<PlanChanges> {
    let Some(strategy) = &plan.strategy else {
        return Ok(PlanChanges::default());
    };
    let (changes, new_items) = diff_plan(s.tx, strategy, plan)?;
    if changes.is_empty() {
        return Ok(changes);
    }
    let effective = effective_day(
        s.tx,
        strategy,
        plan.revised,
        s.today,
        s.correction.is_some(),
    )?
    .map_err(|r| crate::error::Error::refused_with_hint(r.message, r.hint))?;

    let source_id = s.source(source)?;
    s.tx.prepare_cached(
        "INSERT INTO plan_revision (strategy_id, source_id, summary, effective_on, correction)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        strategy.id,
        source_id,
        changes.to_string(),
        effective,
        s.correction
    ])?;
    let revision = s.tx.last_insert_rowid();
    let mut version = s.tx.prepare_cached(
        "INSERT INTO plan_item_version (revision_id, item_type, item_id, content) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let contents: HashMap<&(ItemType, String), &String> =
        new_items.iter().map(|(k, v)| (k, v)).collect();
    for key in changes.added.iter().chain(&changes.changed) {
        version.execute(params![revision, key.0.as_str(), key.1, contents.get(key)])?;
    }
    for key in &changes.withdrawn {
        version.execute(params![revision, key.0.as_str(), key.1, None::<String>])?;
    }
    apply_current(s, plan, &changes)?;
    Ok(changes)
}

/// The canonical text of a plan item of an export: parsed as its type and written as every
/// version is stored, so that a restored plan compares equal with the plan file it came from.
fn canonical_item(t: ItemType, id: &str, v: &serde_json::Value) -> Result<String> {
    let bad = |e: serde_json::Error| {
        crate::error::Error::refused(format!(
            "the export's {} `{id}` cannot be read: {e}",
            t.as_str()
        ))
    };
    let v = v.clone();
    Ok(match t {
        ItemType::Strategy => json(&serde_json::from_value::<Strategy>(v).map_err(bad)?),
        ItemType::Organisation => json(&serde_json::from_value::<Organisation>(v).map_err(bad)?),
        ItemType::FocusArea => json(&serde_json::from_value::<FocusArea>(v).map_err(bad)?),
        ItemType::Initiative => json(&serde_json::from_value::<Initiative>(v).map_err(bad)?),
        ItemType::Indicator => json(&serde_json::from_value::<Indicator>(v).map_err(bad)?),
    })
}

/// Restores a strategy's plan history from an export: each revision as it was recorded, with
/// the day it takes effect, then the current rows as the export's plan has them. Only into a
/// database without the strategy (validated before the write).
pub(super) fn import_history(
    s: &mut Session<'_>,
    source: &SourceInfo,
    export: &StrategyExport,
) -> Result<PlanChanges> {
    let source_id = s.source(source)?;
    let mut seen: HashSet<(ItemType, String)> = HashSet::new();
    for r in &export.revisions {
        let mut changes = PlanChanges::default();
        let mut versions = Vec::with_capacity(r.items.len());
        for item in &r.items {
            let t = ItemType::parse(&item.item_type).ok_or_else(|| {
                crate::error::Error::refused(format!(
                    "the export names an unknown item type `{}`",
                    item.item_type
                ))
            })?;
            let key = (t, item.id.clone());
            let content = item
                .item
                .as_ref()
                .map(|v| canonical_item(t, &item.id, v))
                .transpose()?;
            match (&content, seen.contains(&key)) {
                (None, _) => changes.withdrawn.push(key.clone()),
                (Some(_), true) => changes.changed.push(key.clone()),
                (Some(_), false) => changes.added.push(key.clone()),
            }
            seen.insert(key);
            versions.push((t, &item.id, content));
        }
        s.tx.prepare_cached(
            "INSERT INTO plan_revision (strategy_id, source_id, summary, effective_on, correction)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            export.strategy.id,
            source_id,
            changes.to_string(),
            r.effective_on,
            r.correction
        ])?;
        let revision = s.tx.last_insert_rowid();
        let mut version = s.tx.prepare_cached(
            "INSERT INTO plan_item_version (revision_id, item_type, item_id, content) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (t, id, content) in versions {
            version.execute(params![revision, t.as_str(), id, content])?;
        }
    }
    let full = export.full_plan();
    let withdrawn: Vec<(ItemType, String)> = export
        .withdrawn
        .iter()
        .filter_map(|w| Some((ItemType::parse(&w.item_type)?, w.id.clone())))
        .collect();
    let every: Vec<(ItemType, String)> = positions_of(&full).into_iter().map(|(k, _)| k).collect();
    let current = PlanChanges {
        added: every.clone(),
        withdrawn: withdrawn.clone(),
        ..PlanChanges::default()
    };
    apply_current(s, &full, &current)?;
    Ok(PlanChanges {
        added: every
            .into_iter()
            .filter(|k| !withdrawn.contains(k))
            .collect(),
        withdrawn,
        ..PlanChanges::default()
    })
}

/// One plan revision as recorded: the day it takes effect, and each item it added or changed
/// (with its content) or withdrew (`None`).
#[derive(Debug, Clone)]
pub struct RecordedRevision {
    pub effective_on: NaiveDate,
    pub correction: Option<String>,
    pub items: Vec<(ItemType, String, Option<String>)>,
}

impl Store {
    /// Every revision of a strategy's plan, in the order recorded (as known at the store's
    /// moment): what an export holds.
    pub fn plan_history(&self, strategy_id: &str) -> Result<Vec<RecordedRevision>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.effective_on, r.correction, v.item_type, v.item_id, v.content
             FROM plan_revision r JOIN plan_item_version v ON v.revision_id = r.id
             JOIN source s ON s.id = r.source_id JOIN load_event e ON e.id = s.load_event_id
             WHERE r.strategy_id = ?1 AND (?2 IS NULL OR e.recorded_at <= ?2)
             ORDER BY r.id, v.id",
        )?;
        let mut rows = stmt.query(params![strategy_id, self.known_at])?;
        let mut out: Vec<(i64, RecordedRevision)> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let t: String = r.get(3)?;
            let t = ItemType::parse(&t).ok_or_else(|| corrupt("item type", &t))?;
            let item = (t, r.get(4)?, r.get(5)?);
            match out.last_mut() {
                Some((last, rev)) if *last == id => rev.items.push(item),
                _ => out.push((
                    id,
                    RecordedRevision {
                        effective_on: r.get(1)?,
                        correction: r.get(2)?,
                        items: vec![item],
                    },
                )),
            }
        }
        Ok(out.into_iter().map(|(_, r)| r).collect())
    }
}

fn positions_of(plan: &Plan) -> Vec<((ItemType, String), i64)> {
    let mut out = Vec::new();
    let pos = |i: usize| i64::try_from(i).unwrap_or(i64::MAX);
    out.extend(
        plan.organisations
            .iter()
            .enumerate()
            .map(|(i, o)| ((ItemType::Organisation, o.id.clone()), pos(i))),
    );
    out.extend(
        plan.focus_areas
            .iter()
            .enumerate()
            .map(|(i, f)| ((ItemType::FocusArea, f.id.clone()), pos(i))),
    );
    out.extend(
        plan.initiatives
            .iter()
            .enumerate()
            .map(|(i, x)| ((ItemType::Initiative, x.id.clone()), pos(i))),
    );
    out.extend(
        plan.indicators
            .iter()
            .enumerate()
            .map(|(i, x)| ((ItemType::Indicator, x.id.clone()), pos(i))),
    );
    out
}

/// Brings the current rows in line with the new plan. Every item is upserted (positions may
/// have moved); child rows are rewritten only for items whose content changed.
fn apply_current(s: &Session<'_>, plan: &Plan, changes: &PlanChanges) -> Result<()> {
    let tx = s.tx;
    let Some(st) = &plan.strategy else {
        return Ok(());
    };
    // A strategy's first plan has no child rows to clear (a plan of 10,000 initiatives would
    // otherwise run 40,000 DELETEs that find nothing); any later one may have them.
    let first_plan = !tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM strategy WHERE id = ?1)")?
        .query_row([&st.id], |r| r.get::<_, bool>(0))?;
    tx.prepare_cached(
        "INSERT INTO strategy (id, title, period_start, period_end, description) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, period_start = excluded.period_start,
             period_end = excluded.period_end, description = excluded.description",
    )?
    .execute(params![st.id, st.title, st.period.start, st.period.end, st.description])?;
    let sid = &st.id;
    let touched: HashSet<&(ItemType, String)> =
        changes.added.iter().chain(&changes.changed).collect();

    let mut org = tx.prepare_cached(
        "INSERT INTO organisation (strategy_id, id, position, name, short, kind, contact_name, contact_email, withdrawn)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)
         ON CONFLICT (strategy_id, id) DO UPDATE SET position = excluded.position, name = excluded.name,
             short = excluded.short, kind = excluded.kind, contact_name = excluded.contact_name,
             contact_email = excluded.contact_email, withdrawn = 0",
    )?;
    for (i, o) in plan.organisations.iter().enumerate() {
        let contact = o.contact.as_ref();
        org.execute(params![
            sid,
            o.id,
            i as i64,
            o.name,
            o.short,
            o.kind.map(|k| k.as_str()),
            contact.and_then(|c| c.name.as_deref()),
            contact.map(|c| c.email.as_str()),
        ])?;
    }
    let mut area = tx.prepare_cached(
        "INSERT INTO focus_area (strategy_id, id, position, title, goal, withdrawn) VALUES (?1, ?2, ?3, ?4, ?5, 0)
         ON CONFLICT (strategy_id, id) DO UPDATE SET position = excluded.position, title = excluded.title,
             goal = excluded.goal, withdrawn = 0",
    )?;
    for (i, f) in plan.focus_areas.iter().enumerate() {
        area.execute(params![sid, f.id, i as i64, f.title, f.goal])?;
    }
    let mut ini = tx.prepare_cached(
        "INSERT INTO initiative (strategy_id, id, position, title, focus_area, kind, owner, ministry, start, due, description, withdrawn)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0)
         ON CONFLICT (strategy_id, id) DO UPDATE SET position = excluded.position, title = excluded.title,
             focus_area = excluded.focus_area, kind = excluded.kind, owner = excluded.owner,
             ministry = excluded.ministry, start = excluded.start, due = excluded.due,
             description = excluded.description, withdrawn = 0",
    )?;
    for (i, x) in plan.initiatives.iter().enumerate() {
        ini.execute(params![
            sid,
            x.id,
            i as i64,
            x.title,
            x.focus_area,
            x.kind.as_str(),
            x.owner,
            x.ministry,
            x.start,
            x.due,
            x.description
        ])?;
    }
    for x in plan
        .initiatives
        .iter()
        .filter(|x| touched.contains(&(ItemType::Initiative, x.id.clone())))
    {
        write_initiative_children(s, sid, x, first_plan)?;
    }
    let mut ind = tx.prepare_cached(
        "INSERT INTO indicator (strategy_id, id, position, title, focus_area, unit, better, source, weight, withdrawn)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)
         ON CONFLICT (strategy_id, id) DO UPDATE SET position = excluded.position, title = excluded.title,
             focus_area = excluded.focus_area, unit = excluded.unit, better = excluded.better,
             source = excluded.source, weight = excluded.weight, withdrawn = 0",
    )?;
    for (i, x) in plan.indicators.iter().enumerate() {
        ind.execute(params![
            sid,
            x.id,
            i as i64,
            x.title,
            x.focus_area,
            x.unit.as_str(),
            x.better.as_str(),
            x.source,
            x.weight
        ])?;
    }
    for x in plan
        .indicators
        .iter()
        .filter(|x| touched.contains(&(ItemType::Indicator, x.id.clone())))
    {
        write_indicator_children(s, sid, x, first_plan)?;
    }
    for (t, id) in &changes.withdrawn {
        let table = match t {
            ItemType::Strategy => continue,
            ItemType::Organisation => "organisation",
            ItemType::FocusArea => "focus_area",
            ItemType::Initiative => "initiative",
            ItemType::Indicator => "indicator",
        };
        tx.prepare_cached(&format!(
            "UPDATE {table} SET withdrawn = 1 WHERE strategy_id = ?1 AND id = ?2"
        ))?
        .execute(params![sid, id])?;
    }
    Ok(())
}

/// An initiative's child rows written anew (`first_plan`: there are none to clear).
fn write_initiative_children(
    s: &Session<'_>,
    sid: &str,
    x: &Initiative,
    first_plan: bool,
) -> Result<()> {
    let tx = s.tx;
    if !first_plan {
        for table in [
            "initiative_participant",
            "dependency",
            "initiative_tag",
            "milestone",
        ] {
            tx.prepare_cached(&format!(
                "DELETE FROM {table} WHERE strategy_id = ?1 AND initiative_id = ?2"
            ))?
            .execute(params![sid, x.id])?;
        }
    }
    let mut part = tx.prepare_cached(
        "INSERT INTO initiative_participant (strategy_id, initiative_id, position, organisation) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, p) in x.participants.iter().enumerate() {
        part.execute(params![sid, x.id, i as i64, p])?;
    }
    let mut dep = tx.prepare_cached(
        "INSERT INTO dependency (strategy_id, initiative_id, position, depends_on) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, d) in x.depends_on.iter().enumerate() {
        dep.execute(params![sid, x.id, i as i64, d])?;
    }
    let mut tag = tx.prepare_cached(
        "INSERT INTO initiative_tag (strategy_id, initiative_id, position, tag) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, t) in x.tags.iter().enumerate() {
        tag.execute(params![sid, x.id, i as i64, t])?;
    }
    let mut ms = tx.prepare_cached(
        "INSERT INTO milestone (strategy_id, initiative_id, position, title, due, done) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, m) in x.milestones.iter().enumerate() {
        ms.execute(params![sid, x.id, i as i64, m.title, m.due, m.done])?;
    }
    Ok(())
}

/// An indicator's child rows written anew (`first_plan`: there are none to clear).
fn write_indicator_children(
    s: &Session<'_>,
    sid: &str,
    x: &Indicator,
    first_plan: bool,
) -> Result<()> {
    let tx = s.tx;
    if !first_plan {
        for table in ["indicator_segment", "indicator_target"] {
            tx.prepare_cached(&format!(
                "DELETE FROM {table} WHERE strategy_id = ?1 AND indicator_id = ?2"
            ))?
            .execute(params![sid, x.id])?;
        }
    }
    let mut seg = tx.prepare_cached(
        "INSERT INTO indicator_segment (strategy_id, indicator_id, position, segment) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, g) in x.segments.iter().enumerate() {
        seg.execute(params![sid, x.id, i as i64, g])?;
    }
    let mut tgt = tx.prepare_cached(
        "INSERT INTO indicator_target (strategy_id, indicator_id, position, year, value, segment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, t) in x.targets.iter().enumerate() {
        tgt.execute(params![sid, x.id, i as i64, t.year, t.value, t.segment])?;
    }
    Ok(())
}

/// Child rows (parent id, value) grouped by parent: read from a query ordered by parent id,
/// so each parent id is allocated once and found by binary search (SQLite's BINARY collation
/// orders text as Rust orders `str`). Cheaper than a hash map keyed by every row's id.
struct Children<T>(Vec<(String, Vec<T>)>);

impl<T> Children<T> {
    fn read(
        conn: &Connection,
        sql: &str,
        strategy_id: &str,
        value: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Self> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([strategy_id])?;
        let mut out: Vec<(String, Vec<T>)> = Vec::new();
        while let Some(r) = rows.next()? {
            let parent = text_at(r, 0, "parent id")?;
            let v = value(r)?;
            match out.last_mut() {
                Some((last, values)) if last == parent => values.push(v),
                _ => out.push((parent.to_string(), vec![v])),
            }
        }
        Ok(Children(out))
    }

    /// Nothing read: for an outline of the plan.
    fn none() -> Self {
        Children(Vec::new())
    }

    /// A parent's rows, in their order (each parent is taken once).
    fn take(&mut self, parent: &str) -> Vec<T> {
        self.0
            .binary_search_by(|(p, _)| p.as_str().cmp(parent))
            .map(|n| std::mem::take(&mut self.0[n].1))
            .unwrap_or_default()
    }
}

/// A strategy's organisations, each with whether it is withdrawn: those in force in plan
/// order, then the withdrawn.
pub(super) fn read_organisations(
    c: &Connection,
    strategy_id: &str,
) -> Result<Vec<(Organisation, bool)>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, name, short, kind, withdrawn, contact_name, contact_email FROM organisation WHERE strategy_id = ?1 ORDER BY withdrawn, position, id",
    )?;
    let mut rows = stmt.query([strategy_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let contact = r
            .get::<_, Option<String>>(6)?
            .map(|email| -> rusqlite::Result<Contact> {
                Ok(Contact {
                    name: r.get(5)?,
                    email,
                })
            })
            .transpose()?;
        let kind = r
            .get::<_, Option<String>>(3)?
            .map(|k| parse_word(&k, "organisation kind"))
            .transpose()?;
        let organisation = Organisation {
            id: r.get(0)?,
            name: r.get(1)?,
            short: r.get(2)?,
            kind,
            contact,
        };
        out.push((organisation, r.get::<_, bool>(4)?));
    }
    Ok(out)
}

pub(super) fn parse_word<T: std::str::FromStr>(s: &str, what: &str) -> Result<T> {
    s.parse().map_err(|_| corrupt(what, &s))
}

/// How much of the plan to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    /// No descriptions, participants or tags: what a report shows of an initiative.
    Schedule,
    /// Nor milestones.
    Outline,
}

impl Store {
    /// The latest recorded version of a strategy's plan, whenever it takes effect: every plan
    /// item, with a fixed number of queries, the items in force in plan order, then the
    /// withdrawn ones (whose old positions may coincide with current ones). What loads are
    /// validated against and exports hold. Reads of the plan "on a day" use [`Store::plan_on`].
    pub fn plan(&self, strategy_id: &str) -> Result<StoredPlan> {
        match &self.known_at {
            None => self.read_plan(strategy_id, Detail::Full),
            Some(_) => self.plan_from_versions(strategy_id, None),
        }
    }

    /// The plan as it stood on `day`: for each item the latest version taking effect by then
    /// (items that take effect later are absent). Reports, `missing`, `diff` and every `--as-of`
    /// read it. When the latest revision is in effect (the common case) it is read from the
    /// current rows; otherwise rebuilt from the recorded versions.
    pub fn plan_on(&self, strategy_id: &str, day: NaiveDate) -> Result<StoredPlan> {
        if self.known_at.is_none() && self.latest_in_effect(strategy_id, day)? {
            return self.read_plan(strategy_id, Detail::Full);
        }
        self.plan_from_versions(strategy_id, Some(day))
    }

    /// [`Store::plan_on`] as a report needs it: the initiatives' descriptions, participants
    /// and tags may be left empty (a report shows none of them).
    pub fn plan_schedule_on(&self, strategy_id: &str, day: NaiveDate) -> Result<StoredPlan> {
        if self.known_at.is_none() && self.latest_in_effect(strategy_id, day)? {
            return self.read_plan(strategy_id, Detail::Schedule);
        }
        self.plan_from_versions(strategy_id, Some(day))
    }

    /// [`Store::plan_on`] as `graph check` and a past plan in force need it: the initiatives'
    /// descriptions, participants, tags and milestones may be left empty. Anything that shows,
    /// compares or hashes the plan reads [`Store::plan_on`].
    pub fn plan_outline_on(&self, strategy_id: &str, day: NaiveDate) -> Result<StoredPlan> {
        if self.known_at.is_none() && self.latest_in_effect(strategy_id, day)? {
            return self.read_plan(strategy_id, Detail::Outline);
        }
        self.plan_from_versions(strategy_id, Some(day))
    }

    /// The latest recorded plan ([`Store::plan`]) with the withdrawn items among the others,
    /// at the places they had: what an export holds, so that a restore gives every item the
    /// place it had (the plan as it stood before a withdrawal keeps its order).
    pub fn plan_in_place_order(&self, strategy_id: &str) -> Result<StoredPlan> {
        let mut stored = self.plan(strategy_id)?;
        let positions = stored_positions(&self.conn, strategy_id)?;
        let place = |t: ItemType, id: &str| {
            (
                positions
                    .get(&(t, id.to_string()))
                    .copied()
                    .unwrap_or(i64::MAX),
                id.to_string(),
            )
        };
        let p = &mut stored.plan;
        p.organisations
            .sort_by_cached_key(|o| place(ItemType::Organisation, &o.id));
        p.focus_areas
            .sort_by_cached_key(|f| place(ItemType::FocusArea, &f.id));
        p.initiatives
            .sort_by_cached_key(|i| place(ItemType::Initiative, &i.id));
        p.indicators
            .sort_by_cached_key(|i| place(ItemType::Indicator, &i.id));
        Ok(stored)
    }

    /// The current plan rows (what most reads use) that differ from the latest recorded
    /// version of their item: rows changed behind the tool's back (`period verify`).
    pub fn plan_rows_not_matching_versions(&self, strategy_id: &str) -> Result<Vec<String>> {
        let rows = self.read_plan(strategy_id, Detail::Full)?;
        let latest = latest_versions(&self.conn, strategy_id)?;
        let mut out = Vec::new();
        for ((t, id), content) in items_of(&rows.plan) {
            let recorded = latest.get(&(t, id.clone())).cloned().flatten();
            let withdrawn = rows.is_withdrawn(t, &id);
            // A withdrawn item's row keeps the content it had; its latest version is `None`.
            if !withdrawn && recorded.as_deref() != Some(content.as_str()) {
                out.push(format!(
                    "the {} `{id}` differs from its recorded version",
                    t.as_str()
                ));
            }
        }
        Ok(out)
    }

    /// The day each withdrawn initiative of a strategy is withdrawn from: the day the revision
    /// that withdrew it (its latest version) takes effect.
    pub fn withdrawal_days(&self, strategy_id: &str) -> Result<HashMap<String, NaiveDate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.item_id, r.effective_on FROM plan_item_version v
             JOIN plan_revision r ON r.id = v.revision_id
             WHERE v.id IN (SELECT max(v2.id) FROM plan_item_version v2
                            JOIN plan_revision r2 ON r2.id = v2.revision_id
                            WHERE r2.strategy_id = ?1 AND v2.item_type = 'initiative'
                            GROUP BY v2.item_id)
               AND v.content IS NULL",
        )?;
        let rows = stmt.query_map([strategy_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the latest revision of a plan takes effect by `day` (true for a plan never
    /// revised at all, or not loaded).
    pub(super) fn latest_in_effect(&self, strategy_id: &str, day: NaiveDate) -> Result<bool> {
        let latest: Option<NaiveDate> = self
            .conn
            .prepare_cached("SELECT max(effective_on) FROM plan_revision WHERE strategy_id = ?1")?
            .query_row([strategy_id], |r| r.get(0))?;
        Ok(latest.is_none_or(|d| d <= day))
    }

    fn read_plan(&self, strategy_id: &str, detail: Detail) -> Result<StoredPlan> {
        let c = &self.conn;
        let strategy = c
            .prepare_cached("SELECT id, title, period_start, period_end, description FROM strategy WHERE id = ?1")?
            .query_row([strategy_id], |r| {
                Ok(Strategy {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    period: Period { start: r.get(2)?, end: r.get(3)? },
                    description: r.get(4)?,
                })
            })
            .optional()?;
        let mut out = StoredPlan {
            plan: Plan {
                strategy,
                ..Plan::default()
            },
            ..StoredPlan::default()
        };

        for (organisation, withdrawn) in read_organisations(c, strategy_id)? {
            if withdrawn {
                out.withdrawn
                    .insert((ItemType::Organisation, organisation.id.clone()));
            }
            out.plan.organisations.push(organisation);
        }

        let mut stmt = c.prepare_cached(
            "SELECT id, title, goal, withdrawn FROM focus_area WHERE strategy_id = ?1 ORDER BY withdrawn, position, id",
        )?;
        for row in stmt.query_map([strategy_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, bool>(3)?,
            ))
        })? {
            let (id, title, goal, withdrawn) = row?;
            if withdrawn {
                out.withdrawn.insert((ItemType::FocusArea, id.clone()));
            }
            out.plan.focus_areas.push(FocusArea { id, title, goal });
        }

        let text = |r: &rusqlite::Row<'_>| r.get::<_, String>(1);
        let mut depends = Children::read(
            c,
            "SELECT initiative_id, depends_on FROM dependency WHERE strategy_id = ?1 ORDER BY initiative_id, position",
            strategy_id,
            text,
        )?;
        let milestones = || {
            Children::read(
                c,
                "SELECT initiative_id, title, due, done FROM milestone WHERE strategy_id = ?1 ORDER BY initiative_id, position",
                strategy_id,
                |r| {
                    Ok(Milestone {
                        title: r.get(1)?,
                        due: r.get(2)?,
                        done: r.get(3)?,
                    })
                },
            )
        };
        let (mut participants, mut tags, mut milestones) = match detail {
            Detail::Outline => (Children::none(), Children::none(), Children::none()),
            Detail::Schedule => (Children::none(), Children::none(), milestones()?),
            Detail::Full => (
                Children::read(
                    c,
                    "SELECT initiative_id, organisation FROM initiative_participant WHERE strategy_id = ?1 ORDER BY initiative_id, position",
                    strategy_id,
                    text,
                )?,
                Children::read(
                    c,
                    "SELECT initiative_id, tag FROM initiative_tag WHERE strategy_id = ?1 ORDER BY initiative_id, position",
                    strategy_id,
                    text,
                )?,
                milestones()?,
            ),
        };
        // The whole strategy is read: a scan of the table, sorted here, rather than a walk of
        // the index by owner with a lookup in the table per row and a sort in SQLite.
        let mut stmt = c.prepare_cached(
            "SELECT id, title, focus_area, kind, owner, ministry, start, due,
                    iif(?2, description, NULL), withdrawn, position
             FROM initiative NOT INDEXED WHERE strategy_id = ?1",
        )?;
        let mut rows = stmt.query(params![strategy_id, detail == Detail::Full])?;
        let mut initiatives: Vec<(bool, i64, Initiative)> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let kind = text_at(r, 3, "initiative kind")?;
            let initiative = Initiative {
                participants: participants.take(&id),
                depends_on: depends.take(&id),
                tags: tags.take(&id),
                milestones: milestones.take(&id),
                kind: parse_word(kind, "initiative kind")?,
                title: r.get(1)?,
                focus_area: r.get(2)?,
                owner: r.get(4)?,
                ministry: r.get(5)?,
                start: maybe_day_at(r, 6)?,
                due: maybe_day_at(r, 7)?,
                description: r.get(8)?,
                id,
            };
            initiatives.push((r.get(9)?, r.get(10)?, initiative));
        }
        initiatives
            .sort_unstable_by(|(wa, pa, a), (wb, pb, b)| (wa, pa, &a.id).cmp(&(wb, pb, &b.id)));
        out.plan.initiatives.reserve_exact(initiatives.len());
        for (withdrawn, _, initiative) in initiatives {
            if withdrawn {
                out.withdrawn
                    .insert((ItemType::Initiative, initiative.id.clone()));
            }
            out.plan.initiatives.push(initiative);
        }

        let mut segments = Children::read(
            c,
            "SELECT indicator_id, segment FROM indicator_segment WHERE strategy_id = ?1 ORDER BY indicator_id, position",
            strategy_id,
            text,
        )?;
        let mut targets = Children::read(
            c,
            "SELECT indicator_id, year, value, segment FROM indicator_target WHERE strategy_id = ?1 ORDER BY indicator_id, position",
            strategy_id,
            |r| {
                Ok(Target {
                    year: r.get(1)?,
                    value: r.get(2)?,
                    segment: r.get(3)?,
                })
            },
        )?;
        let mut stmt = c.prepare_cached(
            "SELECT id, title, focus_area, unit, better, source, withdrawn, weight FROM indicator WHERE strategy_id = ?1 ORDER BY withdrawn, position, id",
        )?;
        let rows = stmt.query_map([strategy_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, Option<f64>>(7)?,
            ))
        })?;
        for row in rows {
            let (id, title, focus_area, unit, better, source, withdrawn, weight) = row?;
            if withdrawn {
                out.withdrawn.insert((ItemType::Indicator, id.clone()));
            }
            out.plan.indicators.push(Indicator {
                segments: segments.take(&id),
                targets: targets.take(&id),
                unit: parse_word(&unit, "indicator unit")?,
                better: parse_word(&better, "indicator direction")?,
                id,
                title,
                focus_area,
                source,
                weight,
            });
        }
        Ok(out)
    }
}

/// One recorded version of an initiative: the day it takes effect and what it said (`None`:
/// withdrawn).
#[derive(Debug, Clone)]
pub struct InitiativeVersion {
    pub id: String,
    pub effective_on: NaiveDate,
    pub initiative: Option<Initiative>,
}

impl Store {
    /// Every version, in the order recorded, of each initiative of a strategy that has a
    /// version taking effect on a day in `(after, upto]`: the initiatives whose plan entry can
    /// differ between those two days. The plan's first version is where it starts, not a
    /// change: its items are new in no window. The others are not read, so a report or a diff over a
    /// quiet stretch reads no plan history at all. One query.
    pub fn initiative_versions_changed(
        &self,
        strategy_id: &str,
        after: NaiveDate,
        upto: NaiveDate,
    ) -> Result<Vec<InitiativeVersion>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH version AS (
                 SELECT v.id, v.item_id, r.effective_on, v.content FROM plan_item_version v
                 JOIN plan_revision r ON r.id = v.revision_id
                 JOIN source s ON s.id = r.source_id
                 JOIN load_event e ON e.id = s.load_event_id
                 WHERE r.strategy_id = ?1 AND v.item_type = 'initiative'
                   AND (?2 IS NULL OR e.recorded_at <= ?2))
             SELECT item_id, effective_on, content FROM version
             WHERE item_id IN (SELECT item_id FROM version WHERE effective_on <= ?4
                 AND effective_on > max(?3, (SELECT min(effective_on) FROM plan_revision WHERE strategy_id = ?1)))
             ORDER BY id",
        )?;
        let rows = stmt.query_map(params![strategy_id, self.known_at, after, upto], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, NaiveDate>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, effective_on, content) = row?;
            let initiative = content
                .map(|c| serde_json::from_str(&c).map_err(|e| corrupt("plan version", &e)))
                .transpose()?;
            out.push(InitiativeVersion {
                id,
                effective_on,
                initiative,
            });
        }
        Ok(out)
    }
}

impl Store {
    /// Calls `f` once for each plan item of a strategy with a version taking effect by
    /// `effective_by` (every version when `None`), recorded by the store's `known_at` moment:
    /// with the item's latest content, and whether that latest version withdrew it. In the
    /// order of the items' type and id.
    pub(super) fn for_each_item_in_force(
        &self,
        strategy_id: &str,
        effective_by: Option<NaiveDate>,
        mut f: impl FnMut(ItemType, &str, &str, bool),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.item_type, v.item_id, v.content FROM plan_item_version v
             JOIN plan_revision r ON r.id = v.revision_id
             JOIN source s ON s.id = r.source_id
             JOIN load_event e ON e.id = s.load_event_id
             WHERE r.strategy_id = ?1 AND (?2 IS NULL OR r.effective_on <= ?2)
               AND (?3 IS NULL OR e.recorded_at <= ?3)
             ORDER BY v.item_type, v.item_id, v.id",
        )?;
        let mut rows = stmt.query(params![strategy_id, effective_by, self.known_at])?;
        // The item being read: (type, id, last content, withdrawn by its latest version).
        let mut current: Option<(ItemType, String, String, bool)> = None;
        let mut finish = |item: Option<(ItemType, String, String, bool)>| {
            // A withdrawal of an item never given (not possible through a load) has no content.
            if let Some((t, id, content, withdrawn)) = item.filter(|i| !i.2.is_empty()) {
                f(t, &id, &content, withdrawn);
            }
        };
        while let Some(r) = rows.next()? {
            let (t, id, content): (String, String, Option<String>) =
                (r.get(0)?, r.get(1)?, r.get(2)?);
            let Some(t) = ItemType::parse(&t) else {
                continue;
            };
            match &mut current {
                Some(item) if item.0 == t && item.1 == id => match content {
                    Some(c) => (item.2, item.3) = (c, false),
                    None => item.3 = true,
                },
                _ => {
                    finish(current.take());
                    let withdrawn = content.is_none();
                    current = Some((t, id, content.unwrap_or_default(), withdrawn));
                }
            }
        }
        finish(current);
        Ok(())
    }

    /// The plan rebuilt from its recorded versions: as [`Store::for_each_item_in_force`] gives
    /// them, in the order of the current plan (items in force first, then withdrawn ones).
    fn plan_from_versions(
        &self,
        strategy_id: &str,
        effective_by: Option<NaiveDate>,
    ) -> Result<StoredPlan> {
        let mut items: Vec<(ItemType, String, String, bool)> = Vec::new();
        self.for_each_item_in_force(strategy_id, effective_by, |t, id, content, withdrawn| {
            items.push((t, id.to_string(), content.to_string(), withdrawn));
        })?;
        let positions = stored_positions(&self.conn, strategy_id)?;
        items.sort_by_cached_key(|(t, id, _, withdrawn)| {
            let key = (*t, id.clone());
            (
                *t,
                *withdrawn,
                positions.get(&key).copied().unwrap_or(i64::MAX),
                id.clone(),
            )
        });
        let mut out = StoredPlan::default();
        for (t, id, content, withdrawn) in items {
            let bad = |e: serde_json::Error| corrupt("plan version", &e);
            let p = &mut out.plan;
            match t {
                ItemType::Strategy => {
                    p.strategy = Some(serde_json::from_str(&content).map_err(bad)?);
                }
                ItemType::Organisation => p
                    .organisations
                    .push(serde_json::from_str(&content).map_err(bad)?),
                ItemType::FocusArea => p
                    .focus_areas
                    .push(serde_json::from_str(&content).map_err(bad)?),
                ItemType::Initiative => p
                    .initiatives
                    .push(serde_json::from_str(&content).map_err(bad)?),
                ItemType::Indicator => p
                    .indicators
                    .push(serde_json::from_str(&content).map_err(bad)?),
            }
            if withdrawn {
                out.withdrawn.insert((t, id));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    /// Only initiatives with a version recorded in the window are read, with all their
    /// versions (the one before the window tells what changed), in the order recorded.
    #[test]
    fn versions_are_read_only_for_initiatives_changed_in_the_window() {
        let mut store = Store::open_in_memory().unwrap();
        let (a, b, c) = (
            initiative("a", &[]),
            initiative("b", &[]),
            initiative("c", &[]),
        );
        load_plan(&mut store, plan(vec![a.clone(), b.clone()]), "2021-02-01");
        let mut b2 = b.clone();
        b2.due = Some(day("2024-12-31"));
        load_plan(&mut store, plan(vec![a.clone(), b2, c]), "2022-05-01");
        load_plan(&mut store, plan(vec![a]), "2023-05-01");

        let ids = |after: &str, upto: &str| {
            store
                .initiative_versions_changed("s", day(after), day(upto))
                .unwrap()
                .into_iter()
                .map(|v| (v.id, v.effective_on, v.initiative.is_some()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids("2021-12-31", "2022-12-31"),
            [
                // The first version takes effect when the strategy's period starts.
                ("b".to_string(), day("2020-01-01"), true),
                ("c".to_string(), day("2022-05-01"), true),
                ("b".to_string(), day("2022-05-01"), true),
                ("b".to_string(), day("2023-05-01"), false),
                ("c".to_string(), day("2023-05-01"), false),
            ]
        );
        // The window is (after, upto]: a change on `after` itself is outside it.
        assert!(ids("2022-05-01", "2023-04-30").is_empty());
        assert_eq!(ids("2023-04-30", "2023-05-01").len(), 5);
        assert!(ids("2023-05-01", "2030-12-31").is_empty());
    }

    /// The plan comes back in plan order whatever the ids' alphabetical order, each
    /// initiative with its own dependencies (they are matched by id, not by position).
    #[test]
    fn children_find_their_initiative_in_any_order() {
        let mut store = Store::open_in_memory().unwrap();
        let mut p = plan(vec![
            initiative("zeta", &[]),
            initiative("alfa", &["zeta"]),
            initiative("mu", &["alfa", "zeta"]),
        ]);
        p.initiatives[2].tags = vec!["x".into(), "a".into()];
        p.initiatives[2].milestones = vec![Milestone {
            title: "pilot".into(),
            due: day("2021-09-01"),
            done: None,
        }];
        load_plan(&mut store, p, "2021-01-01");
        let today = day("2021-06-01");
        for stored in [
            store.plan("s").unwrap(),
            store.plan_schedule_on("s", today).unwrap(),
            store.plan_outline_on("s", today).unwrap(),
        ] {
            let got: Vec<(&str, &[String])> = stored
                .plan
                .initiatives
                .iter()
                .map(|i| (i.id.as_str(), i.depends_on.as_slice()))
                .collect();
            assert_eq!(
                got,
                [
                    ("zeta", &[][..]),
                    ("alfa", &["zeta".to_string()][..]),
                    ("mu", &["alfa".to_string(), "zeta".to_string()][..]),
                ]
            );
        }
        assert_eq!(
            store.plan("s").unwrap().plan.initiatives[2].tags,
            ["x", "a"]
        );
        assert!(
            store.plan_outline_on("s", today).unwrap().plan.initiatives[2]
                .tags
                .is_empty()
        );
        // A report's plan keeps the milestones (the next one shows), not the tags.
        let schedule = store.plan_schedule_on("s", today).unwrap();
        assert_eq!(schedule.plan.initiatives[2].milestones.len(), 1);
        assert!(schedule.plan.initiatives[2].tags.is_empty());
        let outline = store.plan_outline_on("s", today).unwrap();
        assert!(outline.plan.initiatives[2].milestones.is_empty());
    }
}
