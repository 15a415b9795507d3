//! drsim: an offline disaster-recovery simulator and cost/RTO modeller.
//!
//! The library is layered; each folder uses only the folders above it in this list, so
//! there are no cycles (`tests/it/layers.rs` checks it):
//!
//! | folder | what it holds |
//! |---|---|
//! | [`model`] | the input: model files, validation, distributions, units, the `[cost]` section and the price catalog |
//! | [`output`] | writing result files safely (atomic replacement of regular files) |
//! | [`import`] | a model from Terraform (`.tf` files or `terraform show -json`), beside `sim`: uses only `model` |
//! | [`sim`] | one simulated disaster: the event engine, the AWS components, the trial, the service meter |
//! | [`run`] | many trials: the parallel runner, exactly mergeable statistics, shards, per-trial CSV |
//! | [`analysis`] | what the numbers mean: summary, cost and risk, comparison of strategies, part-file merges |
//! | [`present`] | how they are shown: tables, JSON, CSV, charts, the HTML design review |
//!
//! A reader new to the code can follow one model from file to result: [`model::load`]
//! reads and validates it, [`run::simulate`] runs its trials through
//! [`sim::trial::TrialSimulator`], [`analysis::summary::Summary`] and
//! [`analysis::cost`] turn the statistics into figures, and [`present`] prints them. The
//! `drsim` command (`src/main.rs`, `src/cli/`) parses arguments and calls these.
#![warn(missing_docs)]

pub mod analysis;
pub mod import;
pub mod model;
pub mod output;
pub mod present;
pub mod run;
pub mod sim;
