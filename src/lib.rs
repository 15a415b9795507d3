//! drsim: an offline disaster-recovery simulator and cost/RTO modeller.
#![warn(missing_docs)]

pub mod charts;
pub mod compare;
pub mod components;
pub mod cost;
pub mod engine;
pub mod model;
pub mod output;
pub mod report;
pub mod review;
pub mod runner;
pub mod service;
pub mod shard;
pub mod simulate;
pub mod stats;
pub mod summary;
pub mod trial;
