//! Test support: small plans and histories built in code, written through the real store.
//! Compiled only for tests (`#[cfg(test)]` in lib.rs): the `unwrap`s here fail a test on purpose.

use chrono::NaiveDate;
use chrono::TimeZone;
use chrono::Utc;

use crate::model::Answers;
use crate::model::FocusArea;
use crate::model::Form;
use crate::model::Initiative;
use crate::model::Kind;
use crate::model::Organisation;
use crate::model::Period;
use crate::model::Plan;
use crate::model::Status;
use crate::model::Strategy;
use crate::model::Update;
use crate::store::Batch;
use crate::store::SourceInfo;
use crate::store::Store;

pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn initiative(id: &str, depends_on: &[&str]) -> Initiative {
    Initiative {
        id: id.into(),
        title: id.to_uppercase(),
        focus_area: "fa".into(),
        kind: Kind::Initiative,
        owner: "org".into(),
        ministry: None,
        participants: vec![],
        start: None,
        due: None,
        depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
        tags: vec![],
        description: None,
        milestones: vec![],
    }
}

pub(crate) fn plan(initiatives: Vec<Initiative>) -> Plan {
    Plan {
        revised: None,
        strategy: Some(Strategy {
            id: "s".into(),
            title: "S".into(),
            period: Period {
                start: 2020,
                end: 2025,
            },
            description: None,
        }),
        organisations: vec![Organisation {
            id: "org".into(),
            name: "Org".into(),
            short: None,
            kind: None,
            contact: None,
        }],
        focus_areas: vec![FocusArea {
            id: "fa".into(),
            title: "FA".into(),
            goal: "Goal".into(),
        }],
        initiatives,
        indicators: vec![],
    }
}

pub(crate) fn source() -> SourceInfo {
    SourceInfo {
        kind: "command",
        path: "test".into(),
        content_hash: String::new(),
    }
}

pub(crate) fn at(date: &str) -> chrono::DateTime<Utc> {
    let d = day(date);
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap())
}

pub(crate) fn load_plan(store: &mut Store, p: Plan, when: &str) {
    let batch = Batch {
        plans: vec![(source(), p)],
        ..Batch::default()
    };
    store.write(&batch, at(when), "test").unwrap();
}

/// Records one form of updates (initiative, status, day) for strategy `s`: what the write did.
pub(crate) fn report_status(
    store: &mut Store,
    updates: &[(&str, Status, &str)],
) -> crate::store::WriteSummary {
    let updates = updates
        .iter()
        .map(|(id, status, on)| Update {
            initiative: id.to_string(),
            status: *status,
            progress: None,
            reported_on: day(on),
            answers: Answers::default(),
            respondent: None,
            basis: None,
            source: None,
        })
        .collect();
    record_updates(store, updates, "2020-01-01", "2026-01-01")
}

/// Records `updates` for strategy `s` as one form dated `form_day`, loaded at `recorded`: what
/// the write did.
pub(crate) fn record_updates(
    store: &mut Store,
    updates: Vec<Update>,
    form_day: &str,
    recorded: &str,
) -> crate::store::WriteSummary {
    let form = Form {
        strategy: "s".into(),
        owner: None,
        round: None,
        reported_on: day(form_day),
        updates,
    };
    let batch = Batch {
        forms: vec![(source(), form)],
        ..Batch::default()
    };
    store.write(&batch, at(recorded), "test").unwrap()
}
