//! `status set` and `status history`: one update recorded, and an initiative's history read.

use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;

use crate::error::Error;
use crate::error::Result;
use crate::model::Answers;
use crate::model::Form;
use crate::model::Status;
use crate::model::Update;
use crate::store::Batch;
use crate::store::SourceInfo;
use crate::store::Store;
use crate::store::StoredUpdate;
use crate::store::WriteSummary;
use crate::validate::update_problems;

/// A status word as a user typed it (either language; case, spaces, `_` and `-` aside), or a
/// refusal that names the nearest word and every accepted one.
pub fn status_word(word: &str) -> Result<Status> {
    word.parse().map_err(|()| {
        let accepted = Status::words().join(", ");
        let hint = crate::suggest::did_you_mean(word, Status::words())
            .map(|h| format!("{h} (accepted: {accepted})"))
            .unwrap_or_else(|| format!("accepted: {accepted}"));
        Error::Refused {
            message: format!("unknown status `{word}`"),
            hint: Some(hint),
        }
    })
}

/// What `status set` records.
#[derive(Debug, Clone)]
pub struct NewStatus {
    pub initiative: String,
    pub status: Status,
    /// The day the status holds for.
    pub on: NaiveDate,
    pub progress: Option<u8>,
    pub summary: Option<String>,
    pub respondent: Option<String>,
    /// The reason, when the update corrects a closed period.
    pub correction: Option<String>,
}

/// `status set`: validates the update against the stored plan and closed periods (again under
/// the write lock if another process changed them meanwhile: withdrew the initiative, closed
/// the period) and records it. The same update again changes nothing.
pub fn set(
    store: &mut Store,
    strategy: Option<&str>,
    new: &NewStatus,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<WriteSummary> {
    let strategy = store.resolve_strategy(strategy)?;
    let update = Update {
        initiative: new.initiative.clone(),
        status: new.status,
        progress: new.progress,
        reported_on: new.on,
        answers: Answers {
            summary: new.summary.clone(),
            ..Answers::default()
        },
        respondent: new.respondent.clone(),
        basis: None,
        source: None,
    };
    let validate = |store: &Store| -> Result<Batch> {
        let (mut view, _) = crate::load::stored_view(store, &strategy.id)?
            .ok_or_else(|| Error::refused("the database holds no plan for this strategy"))?;
        view.corrections_allowed = new.correction.is_some();
        let problems = update_problems(&view, &new.initiative, new.on, None, today);
        if let Some(p) = problems
            .into_iter()
            .next()
            .filter(|_| !store.is_recorded(&strategy.id, &update).unwrap_or(false))
        {
            return Err(Error::Refused {
                message: p.message,
                hint: p.hint,
            });
        }
        Ok(Batch {
            forms: vec![(
                SourceInfo {
                    kind: "command",
                    path: "status set".into(),
                    content_hash: String::new(),
                },
                Form {
                    strategy: strategy.id.clone(),
                    owner: None,
                    round: None,
                    reported_on: new.on,
                    updates: vec![update.clone()],
                },
            )],
            correction: new.correction.clone(),
            ..Batch::default()
        })
    };
    let (summary, _) = store.write_validated(now, "status set", validate)?;
    Ok(summary)
}

/// `status history`: every update of an initiative, oldest first, retracted ones marked.
pub fn history(
    store: &Store,
    strategy: Option<&str>,
    initiative: &str,
) -> Result<Vec<StoredUpdate>> {
    let strategy = store.resolve_strategy(strategy)?;
    let plan = store.plan(&strategy.id)?;
    if plan.initiative(initiative).is_none() {
        let ids = plan.plan.initiatives.iter().map(|i| i.id.as_str());
        return Err(Error::Refused {
            message: format!("unknown initiative `{initiative}`"),
            hint: crate::suggest::did_you_mean(initiative, ids),
        });
    }
    store.history(&strategy.id, initiative)
}
