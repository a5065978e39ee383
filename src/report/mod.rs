//! The yearly experience report: one model built from the store with a fixed number of queries,
//! rendered many ways by `crate::render`.

mod build;
mod model;

pub(crate) use build::History;
pub use build::ReportOptions;
pub use build::build_report;
pub(crate) use build::end_of_year;
pub(crate) use build::is_active;
pub(crate) use build::is_active_after;
pub(crate) use build::item_ref;
pub(crate) use build::start_of_year;
pub(crate) use build::transitions;
pub use model::*;
