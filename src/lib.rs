//! actionplan: plan-as-code for a government strategy's action plan.
//!
//! Data flows one way: files → [`parse`] (syntax and shape) → [`validate`] (cross references)
//! → [`model`] → [`store`] (SQLite, the history) → [`report`] and [`views`] (the models the
//! verbs show) → [`render`]. The command line in `src/cli/` only parses arguments, calls one
//! function of these modules and hands the model to a renderer.

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod export;
pub mod forms;
pub mod goals;
pub mod graph;
pub mod indicators;
pub mod lint;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod period;
pub mod project;
pub mod render;
pub mod report;
pub mod site;
pub mod store;
pub mod suggest;
pub mod validate;
pub mod views;

#[cfg(test)]
mod testing;

pub use error::Error;
pub use error::Result;
