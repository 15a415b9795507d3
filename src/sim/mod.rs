//! One simulated disaster: the discrete-event engine (which knows nothing of AWS), the AWS
//! components that own their state and events, the trial that composes them, and the
//! meter that turns the share of requests succeeding into RTO.
//!
//! | module | what it holds | uses |
//! |---|---|---|
//! | [`engine`] | clock, event queue, cancellable keys, per-trial random streams | nothing |
//! | [`clients`] | how clients follow a new DNS answer (closed form) | model |
//! | [`service`] | the success share between events and the RTO meter | clients |
//! | [`trace`] | typed timeline records of one trial | service |
//! | [`components`] | routing, ALB, ASG, NAT, database, backup, operators | engine, trace, clients |
//! | [`trial`] | one disaster against the composed components | all of the above |

pub mod clients;
pub mod components;
pub mod engine;
pub mod service;
pub mod trace;
pub mod trial;
