//! One simulated disaster: the discrete-event engine (which knows nothing of AWS), the AWS
//! components, the trial that composes them, and the meter that turns the share of
//! requests succeeding into RTO.

pub mod components;
pub mod engine;
pub mod service;
pub mod trial;
