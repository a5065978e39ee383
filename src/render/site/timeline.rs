//! The small status timeline of an initiative page: one bar over the strategy's period (and
//! out to the as-of day, or back to the first update, where those lie outside it), coloured
//! by status from each update to the next, with the years below and a mark at the as-of day.
//! The picture is named by a sentence that says the same ("on track from 2020-06-01; delayed
//! from 2021-03-01"), and the history table beside it holds every figure: the colours only
//! repeat what is written. Integer coordinates, so the same history draws the same bytes.

use chrono::Datelike;
use chrono::NaiveDate;
use maud::Markup;
use maud::html;

use super::Cx;
use crate::views::site::SiteInitiative;

const WIDTH: i64 = 480;
const LEFT: i64 = 4;
const RIGHT: i64 = 4;
const BAR_TOP: i64 = 4;
const BAR_HEIGHT: i64 = 28;
const HEIGHT: i64 = 58;
/// Room a year's label needs, in the picture's units.
const LABEL_WIDTH: i64 = 44;

pub(super) fn timeline(cx: &Cx, i: &SiteInitiative) -> Markup {
    let (site, l, s) = (cx.site, cx.l, cx.s);
    let (Some(first), Some(last)) = (i.history.first(), i.history.last()) else {
        return html! {};
    };
    let period = &site.strategy.period;
    let year_start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
    let start = year_start(period.start).map_or(first.reported_on, |d| d.min(first.reported_on));
    let end = year_start(period.end + 1)
        .unwrap_or(site.as_of)
        .max(site.as_of)
        .max(last.reported_on);
    let span = (end - start).num_days().max(1);
    let x = |d: NaiveDate| LEFT + (d - start).num_days() * (WIDTH - LEFT - RIGHT) / span;

    // Each update holds until the next; the last until the as-of day. A later update of the
    // same day replaces an earlier one.
    let mut bars = Vec::new();
    for (k, h) in i.history.iter().enumerate() {
        let until = i.history.get(k + 1).map_or(site.as_of, |n| n.reported_on);
        if until > h.reported_on || k + 1 == i.history.len() {
            bars.push((h, until));
        }
    }
    let alt = bars
        .iter()
        .map(|(h, _)| format!("{} {} {}", l.status(Some(h.status)), s.from, h.reported_on))
        .collect::<Vec<_>>()
        .join("; ");
    let years: Vec<i32> = (start.year()..=end.year())
        .filter(|y| year_start(*y).is_some_and(|d| d >= start && d < end))
        .collect();
    let step = ((LABEL_WIDTH * years.len() as i64 + WIDTH - 1) / WIDTH).max(1);
    let now = x(site.as_of);
    html! {
        figure {
            svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width=(WIDTH)
                role="img" aria-label=(format!("{}: {alt}", s.timeline)) {
                rect x=(LEFT) y=(BAR_TOP) width=(WIDTH - LEFT - RIGHT) height=(BAR_HEIGHT) fill="#fff" stroke="#4f4f59" {}
                @for (h, until) in &bars {
                    @let key = h.status.as_str();
                    @let x0 = x(h.reported_on);
                    rect x=(x0) y=(BAR_TOP) width=((x(*until) - x0).max(2)) height=(BAR_HEIGHT)
                        fill=(crate::render::html::colour(key)) stroke="#1d1d1f" {
                        title { (l.status(Some(h.status))) " " (s.from) " " (h.reported_on.to_string()) }
                    }
                }
                @for (n, y) in years.iter().enumerate() {
                    @if let Some(d) = year_start(*y) {
                        @let tick = x(d);
                        line x1=(tick) y1=(BAR_TOP + BAR_HEIGHT) x2=(tick) y2=(BAR_TOP + BAR_HEIGHT + 6) stroke="#4f4f59" {}
                        @if n as i64 % step == 0 {
                            text x=(tick + 2) y=(HEIGHT - 4) { (y) }
                        }
                    }
                }
                line x1=(now) y1="0" x2=(now) y2=(BAR_TOP + BAR_HEIGHT + 4) stroke="#1d1d1f" stroke-width="3" {
                    title { (l.as_of) " " (site.as_of.to_string()) }
                }
            }
        }
    }
}
