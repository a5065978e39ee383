//! The yearly experience report: one model built from the store with a fixed number of queries,
//! rendered many ways by `crate::render`.

mod build;
mod model;

pub use build::ReportOptions;
pub use build::build_report;
pub use build::missing;
pub use model::*;
