//! Integration tests: the real binary on real files. One test binary (see Cargo.toml) so that
//! the suite links once.

mod briefing;
mod browser;
mod common;
mod contract;
mod defaults;
mod forgiving;
mod golden;
mod graph;
mod hostile;
mod indicators;
mod periods;
mod print;
mod record;
mod restore;
mod review;
mod robustness;
mod round;
mod setup;
mod shapes;
mod shipped;
mod site;
mod snapshots_whole;
mod spreadsheet;
mod tamper;
mod terminal;
mod validation;
mod walkthrough;
mod writes;

pub use common::*;
