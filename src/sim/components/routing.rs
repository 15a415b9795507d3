//! Traffic routing between regions: endpoint health checks (Route 53 or Global
//! Accelerator) and the routing answer. The [`Router`] owns the routing state of a trial
//! and its events: a health check status flipping, a new answer reaching the edge. How
//! clients then follow the answer is [`crate::sim::clients`].

use rand::Rng;

use super::Ctx;
use crate::model::{HealthCheck, Millis, Model, RegionId, RoutingMode};
use crate::sim::clients;
use crate::sim::engine::EventKey;
use crate::sim::trace::Phase;

/// The routing component's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingEvent {
    /// An endpoint's health check status reaches the state its endpoint is in.
    HealthFlip {
        /// The endpoint's region.
        region: u16,
    },
    /// The published answer reaches the edge (DNS or accelerator).
    Applied,
}

/// Routing during a trial: endpoint health as Route 53 / the accelerator sees it, the
/// answer published, and clients moving from one answer to the next.
#[derive(Clone, Debug, Default)]
pub struct Router {
    /// Per region: health check status as routing sees it.
    status: Vec<bool>,
    /// Per region: the state the endpoint is in (the status once the check flips).
    heading_to: Vec<bool>,
    /// Per region: the pending status flip, if any.
    flip: Vec<Option<EventKey>>,
    /// Answer being (or last) published.
    published: Vec<f64>,
    /// The published answer on its way to the edge, if any.
    apply: Option<EventKey>,
    /// Distribution of the TTL-honouring clients when the current answer reached the
    /// edge. The two populations are tracked apart: after a switch the honouring clients
    /// are all on the new answer within one TTL while the stale ones lag, so on a second
    /// switch each population moves from where it is, at its own pace.
    from_honouring: Vec<f64>,
    /// Distribution of the clients that ignore the TTL when the current answer reached
    /// the edge.
    from_stale: Vec<f64>,
    /// The current answer.
    to: Vec<f64>,
    switched_at: Millis,
    scratch: Vec<f64>,
}

impl Router {
    /// Routing before the disaster: `healthy` endpoints, their answer, every client on it.
    pub fn reset(&mut self, model: &Model, healthy: &[bool]) {
        let n = model.regions.len();
        self.status.clear();
        self.status.extend_from_slice(healthy);
        self.heading_to.clear();
        self.heading_to.extend_from_slice(healthy);
        self.flip.clear();
        self.flip.resize(n, None);
        self.published.resize(n, 0.0);
        self.scratch.resize(n, 0.0);
        answer(model, healthy, &mut self.published);
        self.apply = None;
        self.from_honouring.clone_from(&self.published);
        self.from_stale.clone_from(&self.published);
        self.to.clone_from(&self.published);
        self.switched_at = 0;
    }

    /// Share of the TTL-honouring clients on each region's answer when the current answer
    /// reached the edge (shares of that population, summing to 1).
    pub fn from_honouring(&self) -> &[f64] {
        &self.from_honouring
    }

    /// Share of the clients ignoring the TTL on each region's answer when the current
    /// answer reached the edge (shares of that population, summing to 1).
    pub fn from_stale(&self) -> &[f64] {
        &self.from_stale
    }

    /// The current answer: the share of clients each region ends up with.
    pub fn to(&self) -> &[f64] {
        &self.to
    }

    /// When the current answer reached the edge.
    pub fn switched_at(&self) -> Millis {
        self.switched_at
    }

    /// Endpoint `r` now passes (or fails) its health check: its status starts flipping,
    /// or a flip under way is called off when the endpoint went back.
    pub fn observe<E: From<RoutingEvent>>(&mut self, r: RegionId, passes: bool, cx: &mut Ctx<E>) {
        if passes == self.heading_to[r] {
            return;
        }
        self.heading_to[r] = passes;
        if let Some(key) = self.flip[r].take() {
            cx.scheduler.cancel(key);
        }
        if passes != self.status[r] {
            let delay = health_flip_delay(&cx.model.routing.health_check, cx.rng);
            let name = &cx.model.regions[r].name;
            let event = RoutingEvent::HealthFlip { region: r as u16 };
            let key = cx.activity(
                delay,
                event,
                Phase::Detection,
                || "routing".into(),
                || {
                    let state = if passes { "healthy" } else { "unhealthy" };
                    format!("health check of {name} turns {state}")
                },
            );
            self.flip[r] = Some(key);
        }
    }

    /// Reacts to one of its events.
    pub fn handle<E: From<RoutingEvent>>(&mut self, event: RoutingEvent, cx: &mut Ctx<E>) {
        match event {
            RoutingEvent::HealthFlip { region } => self.health_flip(region as usize, cx),
            RoutingEvent::Applied => self.applied(cx),
        }
    }

    /// The status flipped: a new answer is published if it changes.
    fn health_flip<E: From<RoutingEvent>>(&mut self, r: RegionId, cx: &mut Ctx<E>) {
        self.flip[r] = None;
        self.status[r] = self.heading_to[r];
        answer(cx.model, &self.status, &mut self.scratch);
        if self.scratch == self.published {
            return;
        }
        self.published.clone_from(&self.scratch);
        if let Some(key) = self.apply.take() {
            cx.scheduler.cancel(key);
        }
        let delay = cx.model.routing.propagation.sample(cx.rng);
        let key = cx.activity(
            delay,
            RoutingEvent::Applied,
            Phase::Traffic,
            || "routing".into(),
            || "new routing answer propagates".into(),
        );
        self.apply = Some(key);
    }

    /// The published answer reaches clients: each population starts moving from wherever
    /// it is now.
    fn applied<E>(&mut self, cx: &mut Ctx<E>) {
        self.apply = None;
        let now = cx.now();
        let routing = &cx.model.routing;
        let tau = now.saturating_sub(self.switched_at) as f64;
        let honouring = clients::honouring_moved(routing, tau);
        for (from, to) in self.from_honouring.iter_mut().zip(&self.to) {
            *from += (to - *from) * honouring;
        }
        let stale = clients::stale_moved(routing, tau);
        for (from, to) in self.from_stale.iter_mut().zip(&self.to) {
            *from += (to - *from) * stale;
        }
        self.to.clone_from(&self.published);
        self.switched_at = now;
        if cx.trace.is_on() {
            let threshold = cx.model.simulation.recovery_threshold;
            let took = clients::time_to_move(routing, threshold) as Millis;
            cx.trace.span(
                Phase::Traffic,
                || "clients".into(),
                now,
                now + took,
                || format!("{:.0}% of clients follow the new answer", threshold * 100.0),
            );
        }
    }
}

/// How long after an endpoint's state changes its health check status flips:
/// `(threshold - 1) * interval` plus the phase of the checkers, uniform over one interval.
pub fn health_flip_delay<R: Rng + ?Sized>(check: &HealthCheck, rng: &mut R) -> Millis {
    let phase = rng.next_u64() % check.interval.max(1);
    u64::from(check.failure_threshold.saturating_sub(1)) * check.interval + phase
}

/// The routing answer: the share of new lookups sent to each region, given which
/// endpoints pass their health checks. Written into `answer` (one entry per region).
///
/// Failover sends everything to the primary while it is healthy, else to the first
/// healthy standby; active/active spreads by weight over the healthy regions. When no
/// endpoint is healthy, Route 53 and Global Accelerator fail open: all count as healthy.
pub fn answer(model: &Model, healthy: &[bool], answer: &mut [f64]) {
    let any_healthy = healthy.iter().any(|&h| h);
    let usable = |r: usize| healthy[r] || !any_healthy;
    answer.iter_mut().for_each(|a| *a = 0.0);
    match model.routing.mode {
        RoutingMode::Failover => {
            let primary = model.primary();
            let chosen = if usable(primary) {
                primary
            } else {
                (0..model.regions.len())
                    .filter(|&r| r != primary)
                    .find(|&r| usable(r))
                    .unwrap_or(primary)
            };
            answer[chosen] = 1.0;
        }
        RoutingMode::ActiveActive => {
            let total: f64 = (0..answer.len())
                .filter(|&r| usable(r))
                .map(|r| model.regions[r].weight)
                .sum();
            for (r, a) in answer.iter_mut().enumerate() {
                if usable(r) && total > 0.0 {
                    *a = model.regions[r].weight / total;
                }
            }
        }
    }
}

/// The answer before any disaster (every endpoint healthy).
pub fn initial_answer(model: &Model, answer: &mut [f64]) {
    let healthy = vec![true; model.regions.len()];
    self::answer(model, &healthy, answer);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn health_flip_takes_threshold_minus_one_intervals_plus_a_phase() {
        let check = HealthCheck {
            interval: 30_000,
            failure_threshold: 3,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..1000 {
            let d = health_flip_delay(&check, &mut rng);
            assert!((60_000..90_000).contains(&d));
        }
    }
}
