//! The AWS building blocks a trial is made of. Each owns its state and its events: it
//! reacts to its events and schedules its own through a [`Ctx`], and says how long
//! things take. The trial ([`crate::sim::trial`]) composes them and routes each event to
//! its component.
//!
//! | module | state | events |
//! |---|---|---|
//! | [`routing`] | endpoint health as Route 53 / Global Accelerator sees it, the answer, clients moving ([`routing::Router`]) | [`routing::RoutingEvent`] |
//! | [`alb`] | target health check timings | [`alb::AlbEvent`] |
//! | [`asg`] | instances per AZ, launches, warm pool, scaling ([`asg::Fleet`]) | [`asg::AsgEvent`] |
//! | [`nat`] | outbound reachability through NAT gateways | (replacement: a recovery step) |
//! | [`database`] | the writer, in-region failover, cross-region copies ([`database::DbState`]) | [`database::DbEvent`] |
//! | [`db_client`] | the application's cached writer address and pooled connections ([`db_client::AppConnection`]) | [`db_client::DbClientEvent`] |
//! | [`backup`] | recovery points (complete, copied, clean, retained) and restore time | (restores: [`database::DbEvent`]) |
//! | [`operators`] | detection and human decision | [`operators::OperatorEvent`] |
//! | [`retry`] | attempts of a recovery step that can fail | (drawn when the step starts) |

pub mod alb;
pub mod asg;
pub mod backup;
pub mod database;
pub mod db_client;
pub mod nat;
pub mod operators;
pub mod retry;
pub mod routing;

use crate::model::{Millis, Model};
use crate::sim::engine::{EventKey, Scheduler, TrialRng};
use crate::sim::trace::{Phase, Recorder};

/// What a component reacting to an event may use: the model, the scheduler (to schedule
/// its own events, of any type the trial's event converts from), the trial's random
/// stream and its trace recorder.
pub struct Ctx<'a, E> {
    /// The model being simulated.
    pub model: &'a Model,
    /// The trial's clock and queue.
    pub scheduler: &'a mut Scheduler<E>,
    /// The trial's random stream.
    pub rng: &'a mut TrialRng,
    /// The trial's timeline, when recorded.
    pub trace: &'a mut Recorder,
}

impl<E> Ctx<'_, E> {
    /// Current simulated time.
    pub fn now(&self) -> Millis {
        self.scheduler.now()
    }

    /// Schedules `event` after `delay` and, when tracing, records the wait as an activity
    /// of kind `phase` on row `row`.
    pub fn activity(
        &mut self,
        delay: Millis,
        event: impl Into<E>,
        phase: Phase,
        row: impl FnOnce() -> String,
        label: impl FnOnce() -> String,
    ) -> EventKey {
        self.activity_after(0, delay, event, phase, row, label)
    }

    /// As [`Ctx::activity`], the recorded activity starting `from` after now: the
    /// attempt that succeeds, after failed ones (see [`retry`]).
    pub fn activity_after(
        &mut self,
        from: Millis,
        delay: Millis,
        event: impl Into<E>,
        phase: Phase,
        row: impl FnOnce() -> String,
        label: impl FnOnce() -> String,
    ) -> EventKey {
        let now = self.now();
        self.trace.span(phase, row, now + from, now + delay, label);
        self.scheduler.schedule_in(delay, event)
    }
}
