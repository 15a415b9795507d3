//! drsim: an offline disaster-recovery simulator and cost/RTO modeller.
#![warn(missing_docs)]

pub mod charts;
pub mod components;
pub mod engine;
pub mod model;
pub mod service;
pub mod trial;
