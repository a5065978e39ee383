//! Report narratives: `[report]`, `[[focus_area]]`, `[[driver]]`, `[[recommendation]]`.

use toml::de::DeTable;

use super::reader::Reader;
use crate::diagnostic::Span;
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
];
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
        let f = r.fields(t, span, "[[focus_area]]", &["id", "progress"]);
        let (Some(id), Some(progress)) = (f.req_id(r, "id"), f.req_string(r, "progress")) else {
            continue;
        };
        spans.focus_areas.push(id.span);
        narrative.focus_areas.push(FocusAreaProgress {
            id: id.value,
            progress: Some(progress.value),
            assessment: None,
            effect: None,
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
    ParsedNarrative { narrative, spans }
}
