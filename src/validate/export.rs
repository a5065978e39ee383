//! An export checked as the files it was made from are (`parse::export` says how its parts are
//! read): each strategy's plan, every plan its revisions leave, its history against the plan as
//! it stands on each update's day, its retractions, narratives and measurements. What only an
//! export has is checked here: revisions in order, each item under its own id, the last plan the
//! revisions leave being the export's, and retractions of updates the export holds.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use super::PlanView;
use super::WithdrawnRef;
use super::plan_duplicates;
use super::validate_history;
use super::validate_narrative;
use super::validate_plan;
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::diagnostic::Span;
use crate::diagnostic::excerpt;
use crate::model::FocusArea;
use crate::model::Indicator;
use crate::model::Initiative;
use crate::model::ItemType;
use crate::model::Organisation;
use crate::model::Strategy;
use crate::model::export::Export;
use crate::model::export::StrategyExport;
use crate::parse::export::ITEM_LISTS;
use crate::parse::export::StrategyParts;
use crate::parse::export::read_strategy;
use crate::parse::export::retain;
use crate::parse::export::revision_plan;
use crate::parse::json::Json;

const REWRITTEN: &str = "an export is restored as `actionplan export` wrote it: export the database again rather than edit the file";

/// Checks an export by the rules of the files it was made from; returns the errors and the
/// warnings (as for a measurements file). `today` is the day updates may not come after.
pub fn validate_export(
    file: &SourceFile,
    export: &Export,
    today: NaiveDate,
) -> (Diagnostics, Diagnostics) {
    let strategies = file
        .json()
        .and_then(|(index, text)| index.root(text).get("strategies"));
    let mut c = ExportChecker {
        file,
        errors: Diagnostics::default(),
        warnings: Diagnostics::default(),
    };
    let mut first: HashMap<&str, Span> = HashMap::new();
    for (i, st) in export.strategies.iter().enumerate() {
        let Some(node) = strategies.and_then(|s| s.at(i)) else {
            continue;
        };
        // One record per strategy: a second would be restored over the first.
        let at = span_of(node.get("strategy").unwrap_or(node), "id");
        if let Some(prev) = first.insert(&st.strategy.id, at.clone()) {
            let (line, _) = file.line_col(prev.start);
            let msg = format!("a second plan for strategy `{}`", excerpt(&st.strategy.id));
            let hint = format!("the first is on line {line}: one per strategy");
            c.error(at, msg, Some(&hint));
            continue;
        }
        if let Some(parts) = read_strategy(file, i, st) {
            c.strategy(node, st, parts, today);
        }
    }
    (c.errors, c.warnings)
}

/// The key of a plan item: its type and id.
type Key = (ItemType, String);

struct ExportChecker<'f> {
    file: &'f SourceFile,
    errors: Diagnostics,
    warnings: Diagnostics,
}

impl ExportChecker<'_> {
    fn error(&mut self, span: Span, message: String, hint: Option<&str>) {
        let d = self.file.diagnostic(&span, message);
        self.errors.push(d.with_hint_opt(hint.map(str::to_string)));
    }

    fn strategy(
        &mut self,
        node: Json<'_>,
        st: &StrategyExport,
        parts: StrategyParts,
        today: NaiveDate,
    ) {
        let file = self.file;
        self.errors.extend(parts.diags);
        // Every item once, withdrawn or not; the plan in force valid as a plan file.
        self.errors.extend(plan_duplicates(file, &parts.plan));
        let in_force = retain(&parts.plan, |t, id| !st.is_withdrawn(t, id));
        self.errors.extend(validate_plan(file, &in_force));
        self.withdrawn_list(node, st);
        let withdrawn_on = if st.revisions.is_empty() {
            HashMap::new()
        } else {
            self.revisions(node, st)
        };

        // Updates are checked against the plan as it stands on their day: an initiative is
        // withdrawn from the day of the revision that withdrew it (a version 1 export has no
        // days: its withdrawals take effect on the day it is restored).
        let withdrawn: Vec<WithdrawnRef> = parts
            .plan
            .plan
            .initiatives
            .iter()
            .filter(|x| st.is_withdrawn("initiative", &x.id))
            .map(|x| {
                let from = withdrawn_on.get(&x.id).copied().unwrap_or(today);
                (x.id.clone(), x.owner.clone(), x.kind, from)
            })
            .collect();
        let Some(mut view) = PlanView::of_plan(&in_force.plan, &withdrawn) else {
            return;
        };
        if view.strategy.id.is_empty() {
            // Not a valid id: said of the plan, and nothing else can be checked against it.
            return;
        }
        for n in &parts.narratives {
            view.add_recommendations(&n.narrative);
        }
        if let Some(history) = &parts.history {
            self.errors
                .extend(validate_history(file, history, &view, today));
        }
        self.retractions(node, st);
        let (errors, warnings) = super::measurements(file, &parts.measurements, &view, false);
        self.errors.extend(errors);
        self.warnings.extend(warnings);
        let views = HashMap::from([(view.strategy.id.clone(), view)]);
        for n in &parts.narratives {
            self.errors.extend(validate_narrative(file, n, &views));
        }
    }

    /// The item type an export names, reported at `span` when it knows none.
    fn item_type(&mut self, name: &str, span: Span) -> Option<ItemType> {
        let t = ItemType::parse(name);
        if t.is_none() {
            let hint = "accepted: strategy, organisation, focus_area, initiative, indicator";
            self.error(
                span,
                format!("unknown item type `{}`", excerpt(name)),
                Some(hint),
            );
        }
        t
    }

    /// Each item listed as withdrawn is an item of the plan.
    fn withdrawn_list(&mut self, node: Json<'_>, st: &StrategyExport) {
        if st.withdrawn.is_empty() {
            return;
        }
        let held: HashSet<(ItemType, &str)> =
            current_items(node, st).map(|(t, id, ..)| (t, id)).collect();
        let list = node.get("withdrawn");
        for (w, at) in st.withdrawn.iter().zip(list.iter().flat_map(|l| l.items())) {
            let Some(t) = self.item_type(&w.item_type, span_of(at, "type")) else {
                continue;
            };
            if !held.contains(&(t, w.id.as_str())) {
                let msg = format!(
                    "`withdrawn` names {} `{}`, which the plan does not hold",
                    what(t),
                    excerpt(&w.id)
                );
                self.error(span_of(at, "id"), msg, Some(REWRITTEN));
            }
        }
    }

    /// Checks the revisions: known item types, each item under its own id and once in a
    /// revision, days that do not go back, every plan a revision leaves valid as a plan file,
    /// and the last one the export's plan. Returns the day each initiative withdrawn at the end
    /// was withdrawn from.
    fn revisions<'a>(
        &mut self,
        node: Json<'a>,
        st: &'a StrategyExport,
    ) -> HashMap<String, NaiveDate> {
        let mut order: Vec<Key> = Vec::new();
        let mut ever: HashSet<Key> = HashSet::new();
        let mut state: HashMap<Key, (Json<'a>, &'a Value)> = HashMap::new();
        let mut withdrawn_on = HashMap::new();
        let mut in_force_from: Option<NaiveDate> = None;
        let list = node.get("revisions");
        for (rev, at) in st.revisions.iter().zip(list.iter().flat_map(|l| l.items())) {
            if let Some(current) = in_force_from.filter(|c| rev.effective_on < *c) {
                let msg = format!(
                    "this revision of plan `{}` would take effect on {}, before the revision in force from {current}",
                    st.strategy.id, rev.effective_on
                );
                let hint = "plan history is never rewritten: each revision takes effect on or after the one before it";
                self.error(span_of(at, "effective_on"), msg, Some(hint));
            }
            in_force_from = in_force_from.max(Some(rev.effective_on));
            let mut this: HashSet<Key> = HashSet::new();
            let items = at.get("items");
            for (item, inode) in rev.items.iter().zip(items.iter().flat_map(|l| l.items())) {
                let Some(t) = self.item_type(&item.item_type, span_of(inode, "type")) else {
                    continue;
                };
                let key = (t, item.id.clone());
                let id = excerpt(&item.id);
                if !this.insert(key.clone()) {
                    let msg = format!("a second version of {} `{id}` in this revision", what(t));
                    self.error(
                        span_of(inode, "id"),
                        msg,
                        Some("a revision gives each item once"),
                    );
                    continue;
                }
                let content = item.item.as_ref().zip(inode.get("item"));
                let Some((content, cnode)) = content else {
                    if state.remove(&key).is_none() {
                        let msg = format!(
                            "this revision withdraws {} `{id}`, which is not in the plan",
                            what(t)
                        );
                        self.error(span_of(inode, "id"), msg, Some(REWRITTEN));
                    } else if t == ItemType::Initiative {
                        withdrawn_on.insert(item.id.clone(), rev.effective_on);
                    }
                    continue;
                };
                if let Some(own) = content.get("id").and_then(Value::as_str)
                    && own != item.id
                {
                    let msg = format!("the item's content has id `{}`, not `{id}`", excerpt(own));
                    let hint = "an item's `id` is the id of its content";
                    self.error(span_of(cnode, "id"), msg, Some(hint));
                    continue;
                }
                if let Err(e) = Item::read(t, content) {
                    let msg = format!("the export's {} `{id}` cannot be read: {e}", what(t));
                    self.error(cnode.span(), msg, Some(REWRITTEN));
                    continue;
                }
                if ever.insert(key.clone()) {
                    order.push(key.clone());
                }
                if t == ItemType::Initiative {
                    withdrawn_on.remove(&item.id);
                }
                state.insert(key, (cnode, content));
            }
            let items: Vec<(&str, Json<'_>)> = order
                .iter()
                .filter_map(|key| state.get(key).map(|(n, _)| (key.0.as_str(), *n)))
                .collect();
            let (plan, shape) = revision_plan(self.file, at, &items);
            self.errors.extend(shape);
            self.errors.extend(validate_plan(self.file, &plan));
        }
        self.matches_plan(node, st, &state, &ever);
        withdrawn_on
    }

    /// The plan the revisions leave is the export's: the same items, reading the same, and the
    /// ones they withdrew listed as withdrawn.
    fn matches_plan(
        &mut self,
        node: Json<'_>,
        st: &StrategyExport,
        state: &HashMap<Key, (Json<'_>, &Value)>,
        ever: &HashSet<Key>,
    ) {
        let mut listed: HashSet<Key> = HashSet::new();
        for (t, id, item, at) in current_items(node, st) {
            let key = (t, id.to_string());
            let withdrawn = st.is_withdrawn(t.as_str(), id);
            let problem = match state.get(&key) {
                Some(_) if withdrawn => {
                    Some("is listed as withdrawn, but its revisions keep it in the plan")
                }
                Some((_, content)) if Item::read(t, content).ok().as_ref() != Some(&item) => {
                    Some("is not as its last revision has it")
                }
                None if !ever.contains(&key) => Some("is in none of the plan's revisions"),
                None if !withdrawn => {
                    Some("is withdrawn by the plan's revisions, but not listed as withdrawn")
                }
                _ => None,
            };
            if let Some(problem) = problem {
                let msg = format!("{} `{}` {problem}", what(t), excerpt(id));
                self.error(span_of(at, "id"), msg, Some(REWRITTEN));
            }
            listed.insert(key);
        }
        let mut missing: Vec<(&Key, &Json<'_>)> = state
            .iter()
            .filter(|(key, _)| !listed.contains(*key))
            .map(|(key, (at, _))| (key, at))
            .collect();
        missing.sort_by_key(|(_, at)| at.span().start);
        for ((t, id), at) in missing {
            let msg = format!(
                "{} `{}` of the plan's revisions is missing from the plan",
                what(*t),
                excerpt(id)
            );
            self.error(span_of(*at, "id"), msg, Some(REWRITTEN));
        }
    }

    /// Each retraction names an update of the export, once, and says why.
    fn retractions(&mut self, node: Json<'_>, st: &StrategyExport) {
        if st.retractions.is_empty() {
            return;
        }
        let held: HashSet<String> = st.updates.iter().map(|u| u.update.fingerprint()).collect();
        let mut first: HashMap<&str, Span> = HashMap::new();
        let list = node.get("retractions");
        for (r, at) in st
            .retractions
            .iter()
            .zip(list.iter().flat_map(|l| l.items()))
        {
            let span = span_of(at, "update");
            let fingerprint = excerpt(&r.update);
            if !held.contains(&r.update) {
                let msg =
                    format!("the export retracts an update it does not hold (`{fingerprint}`)");
                let hint = "a retraction names the fingerprint of one of the strategy's `updates`";
                self.error(span, msg, Some(hint));
            } else if let Some(prev) = first.insert(&r.update, span.clone()) {
                let (line, _) = self.file.line_col(prev.start);
                let msg = format!("update `{fingerprint}` is retracted already");
                let hint = format!("the first retraction is on line {line}; keep one");
                self.error(span, msg, Some(&hint));
            }
            if r.reason.trim().is_empty() {
                let hint = "say why the update is taken back";
                self.error(
                    span_of(at, "reason"),
                    "a retraction needs a reason".into(),
                    Some(hint),
                );
            }
        }
    }
}

/// Where a member of an object was written; the object's place when it has none.
fn span_of(node: Json<'_>, key: &str) -> Span {
    node.get(key).map_or(node.span(), |v| v.span())
}

/// An item type as messages name it.
fn what(t: ItemType) -> String {
    t.as_str().replace('_', " ")
}

/// The export's plan: the strategy and every item (withdrawn ones too), typed, each with where
/// it was written.
fn current_items<'a>(
    node: Json<'a>,
    st: &'a StrategyExport,
) -> impl Iterator<Item = (ItemType, &'a str, Item<'a>, Json<'a>)> + 'a {
    use ItemType as T;
    let strategy = (
        T::Strategy,
        st.strategy.id.as_str(),
        Item::Strategy(Cow::Borrowed(&st.strategy)),
    );
    let orgs = typed(
        T::Organisation,
        &st.organisations,
        |x| &x.id,
        Item::Organisation,
    );
    let areas = typed(T::FocusArea, &st.focus_areas, |x| &x.id, Item::FocusArea);
    let initiatives = typed(T::Initiative, &st.initiatives, |x| &x.id, Item::Initiative);
    let indicators = typed(T::Indicator, &st.indicators, |x| &x.id, Item::Indicator);
    let items = std::iter::once(strategy)
        .chain(orgs)
        .chain(areas)
        .chain(initiatives)
        .chain(indicators);
    // serde read the lists from these very arrays: item for item, in order.
    let nodes = std::iter::once(node.get("strategy").unwrap_or(node)).chain(
        ITEM_LISTS
            .into_iter()
            .flat_map(move |(list, _)| node.get(list).into_iter().flat_map(|l| l.items())),
    );
    items
        .zip(nodes)
        .map(|((t, id, item), at)| (t, id, item, at))
}

/// The items of one list, each with its type and id.
fn typed<'a, X: Clone>(
    t: ItemType,
    list: &'a [X],
    id: fn(&X) -> &str,
    item: fn(Cow<'a, X>) -> Item<'a>,
) -> impl Iterator<Item = (ItemType, &'a str, Item<'a>)> + 'a {
    list.iter().map(move |x| (t, id(x), item(Cow::Borrowed(x))))
}

/// A plan item as its type reads it (borrowed from the export's plan, or read from a revision).
#[derive(Debug, PartialEq)]
enum Item<'a> {
    Strategy(Cow<'a, Strategy>),
    Organisation(Cow<'a, Organisation>),
    FocusArea(Cow<'a, FocusArea>),
    Initiative(Cow<'a, Initiative>),
    Indicator(Cow<'a, Indicator>),
}

impl Item<'_> {
    /// An item's content as the store will read it (or why it cannot).
    fn read(t: ItemType, v: &Value) -> Result<Item<'static>, serde_json::Error> {
        Ok(match t {
            ItemType::Strategy => Item::Strategy(Cow::Owned(Strategy::deserialize(v)?)),
            ItemType::Organisation => Item::Organisation(Cow::Owned(Organisation::deserialize(v)?)),
            ItemType::FocusArea => Item::FocusArea(Cow::Owned(FocusArea::deserialize(v)?)),
            ItemType::Initiative => Item::Initiative(Cow::Owned(Initiative::deserialize(v)?)),
            ItemType::Indicator => Item::Indicator(Cow::Owned(Indicator::deserialize(v)?)),
        })
    }
}
