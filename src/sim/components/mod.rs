//! The AWS building blocks a trial is made of. Each is a plain module: state, and
//! functions that say how long things take; the trial ([`crate::sim::trial`]) wires them to
//! the engine's events.
//!
//! | module | what it models |
//! |---|---|
//! | [`routing`] | Route 53 / Global Accelerator health checks, the routing answer, DNS client caches |
//! | [`alb`] | target health check timings |
//! | [`asg`] | instances per AZ, launches, warm pool, scaling |
//! | [`nat`] | outbound reachability through NAT gateways |
//! | [`database`] | the writer, in-region failover, cross-region copies |
//! | [`backup`] | recovery points (complete, copied, clean, retained) and restore time |
//! | [`operators`] | detection and human decision |

pub mod alb;
pub mod asg;
pub mod backup;
pub mod database;
pub mod nat;
pub mod operators;
pub mod routing;
