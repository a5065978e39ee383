//! Report narratives: `[report]`, `[[focus_area]]`, `[[driver]]`, `[[recommendation]]`,
//! `[[follow_up]]` and `[[decision]]`.

use toml::de::DeTable;

use super::reader::Fields;
use super::reader::Loc;
use super::reader::Reader;
use crate::diagnostic::Span;
use crate::diagnostic::excerpt;
use crate::model::Assessment;
use crate::model::FocusAreaProgress;
use crate::model::FollowUp;
use crate::model::FollowUpStatus;
use crate::model::Narrative;
use crate::model::NarrativeSection;

pub const TOP_LEVEL: &[&str] = &[
    "report",
    "focus_area",
    "driver",
    "recommendation",
    "follow_up",
    "decision",
];
const FOCUS_KEYS: &[&str] = &["id", "progress", "assessment", "effect"];
const DECISION_KEYS: &[&str] = &["id", "title", "text"];
const REPORT_KEYS: &[&str] = &["strategy", "year", "title", "summary"];

#[derive(Debug, Clone, Default)]
pub struct NarrativeSpans {
    pub strategy: Span,
    pub year: Span,
    pub focus_areas: Vec<Span>,
    /// Recommendation ids with where they were written.
    pub recommendations: Vec<(String, Span)>,
    /// The `recommendation` of each follow-up.
    pub follow_ups: Vec<Span>,
    /// Decision ids with where they were written, in the order of `Narrative::decisions`.
    pub decisions: Vec<(String, Span)>,
}

pub struct ParsedNarrative {
    pub narrative: Narrative,
    pub spans: NarrativeSpans,
}

pub(crate) fn parse_narrative(
    r: &mut Reader<'_>,
    root: &DeTable<'_>,
    root_span: Span,
) -> ParsedNarrative {
    let top = r.fields(root, root_span, "a report narrative", TOP_LEVEL);
    let mut spans = NarrativeSpans::default();
    let mut narrative = Narrative {
        strategy: String::new(),
        year: 0,
        title: None,
        summary: Vec::new(),
        focus_areas: Vec::new(),
        drivers: Vec::new(),
        recommendations: Vec::new(),
        follow_ups: Vec::new(),
        decisions: Vec::new(),
    };
    if let Some((t, span)) = top.table(r, "report") {
        let f = r.fields(t, span, "[report]", REPORT_KEYS);
        if let Some(s) = f.req_id(r, "strategy") {
            narrative.strategy = s.value;
            spans.strategy = s.span;
        }
        if let Some(y) = f.req_int(r, "year") {
            narrative.year = i32::try_from(y.value).unwrap_or(i32::MAX);
            spans.year = y.span;
        }
        narrative.title = f.text(r, "title");
        narrative.summary = f
            .string_list(r, "summary")
            .into_iter()
            .map(|s| s.value)
            .collect();
    }
    for (t, span) in top.tables(r, "focus_area") {
        let f = r.fields(t, span, "[[focus_area]]", FOCUS_KEYS);
        let id = f.req_id(r, "id");
        let progress = f.text(r, "progress");
        let assessment = assessment(r, &f);
        let effect = f.text(r, "effect");
        if progress.is_none() && assessment.is_none() && effect.is_none() {
            // A wrong assessment word has been reported already; an entry with none of the
            // three says nothing, most likely because a key was left out.
            if !f.has("assessment") {
                r.error(
                    &f.span,
                    format!("{} has no `progress`, `assessment` or `effect`", f.what),
                    Some(format!(
                        "add at least one of them, e.g. `assessment = \"on-plan\"` (accepted: {})",
                        Assessment::words().join(", ")
                    )),
                );
            }
            continue;
        }
        let Some(id) = id else {
            continue;
        };
        spans.focus_areas.push(id.span);
        narrative.focus_areas.push(FocusAreaProgress {
            id: id.value,
            progress,
            assessment: assessment.map(|a| a.value),
            effect,
        });
    }
    for (key, list) in [
        ("driver", &mut narrative.drivers),
        ("recommendation", &mut narrative.recommendations),
    ] {
        let keys: &[&str] = if key == "recommendation" {
            &["id", "title", "text"]
        } else {
            &["title", "text"]
        };
        for (t, span) in top.tables(r, key) {
            let f = r.fields(t, span, &format!("[[{key}]]"), keys);
            let id = f.id(r, "id");
            if let (Some(title), Some(text)) = (f.req_string(r, "title"), f.req_string(r, "text")) {
                if let Some(id) = &id {
                    spans
                        .recommendations
                        .push((id.value.clone(), id.span.clone()));
                }
                list.push(NarrativeSection {
                    id: id.map(|i| i.value),
                    title: title.value,
                    text: text.value,
                });
            }
        }
    }
    for (t, span) in top.tables(r, "follow_up") {
        let f = r.fields(
            t,
            span,
            "[[follow_up]]",
            &["recommendation", "status", "note"],
        );
        let recommendation = f.req_id(r, "recommendation");
        if !f.has("status") {
            r.error(
                &f.span,
                format!("{} is missing the required key `status`", f.what),
                Some(format!(
                    "add `status = \"…\"`, one of: {}",
                    FollowUpStatus::words().join(", ")
                )),
            );
        }
        let status = f.word::<FollowUpStatus>(r, "status", &FollowUpStatus::words());
        let note = f.text(r, "note");
        if let (Some(rec), Some(status)) = (recommendation, status) {
            spans.follow_ups.push(rec.span);
            narrative.follow_ups.push(FollowUp {
                recommendation: rec.value,
                status: status.value,
                note,
            });
        }
    }
    for (t, span) in top.tables(r, "decision") {
        let f = r.fields(t, span, "[[decision]]", DECISION_KEYS);
        let (Some(id), Some(title), Some(text)) = (
            f.req_id(r, "id"),
            f.req_string(r, "title"),
            f.req_string(r, "text"),
        ) else {
            continue;
        };
        spans.decisions.push((id.value.clone(), id.span));
        narrative.decisions.push(NarrativeSection {
            id: Some(id.value),
            title: title.value,
            text: text.value,
        });
    }
    ParsedNarrative { narrative, spans }
}

/// A focus area's assessment. The annual reports write the words with capitals and spaces
/// ("På plan", "Mindre forsinkelser"), so case, spaces and `_` are not held against the writer.
fn assessment(r: &mut Reader<'_>, f: &Fields<'_, '_>) -> Option<Loc<Assessment>> {
    let s = f.string(r, "assessment")?;
    let word: String = s
        .value
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if let Ok(value) = word.parse::<Assessment>() {
        return Some(Loc {
            value,
            span: s.span,
        });
    }
    let words = Assessment::words();
    let hint = crate::suggest::did_you_mean(&word, words.iter().copied())
        .map(|h| format!("{h} (accepted: {})", words.join(", ")))
        .unwrap_or_else(|| format!("accepted: {}", words.join(", ")));
    r.error(
        &s.span,
        format!("unknown assessment `{}` in {}", excerpt(&s.value), f.what),
        Some(hint),
    );
    None
}
