//! Traffic routing between regions: endpoint health checks (Route 53 or Global
//! Accelerator) and the routing answer. The [`Router`] owns the routing state of a trial
//! and its events: a health check status flipping, a new answer reaching the edge. How
//! clients then follow the answer is [`crate::sim::clients`].

use rand::Rng;

use super::Ctx;
use crate::model::{FailoverBy, HealthCheck, Millis, Model, RegionId, RoutingMode};
use crate::sim::clients;
use crate::sim::components::alb;
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
    /// People or automation edited the records through the control plane
    /// (`failover_by = "record_change"`): the answer follows the endpoints from now on.
    RecordsChanged,
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
    /// Whether health flips move traffic: always with `failover_by = "health_check"`,
    /// with `"record_change"` only once the records have been edited.
    follows_health: bool,
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
        self.follows_health = model.routing.failover_by == FailoverBy::HealthCheck;
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
            let delay = flip_delay(cx.model, r, passes, cx.rng);
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
            RoutingEvent::RecordsChanged => self.records_changed(cx),
        }
    }

    /// The status flipped: a new answer is published if it changes.
    fn health_flip<E: From<RoutingEvent>>(&mut self, r: RegionId, cx: &mut Ctx<E>) {
        self.flip[r] = None;
        self.status[r] = self.heading_to[r];
        if self.follows_health {
            self.publish(cx);
        }
    }

    /// The records were edited: the answer is the one the endpoints' states call for
    /// (people know which region is down), and health flips move traffic from now on.
    fn records_changed<E: From<RoutingEvent>>(&mut self, cx: &mut Ctx<E>) {
        self.follows_health = true;
        self.status.clone_from(&self.heading_to);
        for key in self.flip.iter_mut().filter_map(Option::take) {
            cx.scheduler.cancel(key);
        }
        self.publish(cx);
    }

    /// Publishes the answer the current status calls for, if it changes.
    fn publish<E: From<RoutingEvent>>(&mut self, cx: &mut Ctx<E>) {
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
            // Until all but 1 - threshold of the clients are on the new answer: each
            // population has its own distance to go (total variation to the answer).
            let h = clients::honour_share(routing);
            let distance = |from: &[f64]| {
                0.5 * from
                    .iter()
                    .zip(&self.to)
                    .map(|(f, t)| (t - f).abs())
                    .sum::<f64>()
            };
            let (d_h, d_s) = (distance(&self.from_honouring), distance(&self.from_stale));
            let away = h * d_h + (1.0 - h) * d_s;
            let took = if away <= 1.0 - threshold {
                0
            } else {
                let target = (away - (1.0 - threshold)) / away;
                clients::time_to_move_mixed(routing, h * d_h / away, target) as Millis
            };
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

/// Route 53 health checkers probing an endpoint from around the world (the console's
/// health check status page lists about 15 to 16 of them, in 8 regions by default).
pub const ROUTE53_CHECKERS: usize = 16;

/// Route 53 considers an endpoint healthy when more than this share of its checkers
/// report it healthy ("How Amazon Route 53 determines whether a health check is healthy").
pub const ROUTE53_HEALTHY_SHARE: f64 = 0.18;

/// How long after endpoint `r`'s state changes routing sees it `passes` (or not).
///
/// Route 53 (`routing.dns` set): [`route53_flip_delay`]. Global Accelerator
/// (`routing.dns` = None) with the model's ALB endpoints takes the load balancer's own
/// health: for ALB endpoints the health check settings are those of the target group
/// ("Endpoint groups for standard accelerators": "For Network Load Balancer and
/// Application Load Balancer endpoints, configure health check settings on the Elastic
/// Load Balancing console"), so the endpoint turns unhealthy after the ALB's unhealthy
/// threshold and healthy after its healthy threshold, at the ALB's interval;
/// `routing.health_check_interval` applies to EC2 and Elastic IP endpoints only.
pub fn flip_delay<R: Rng + ?Sized>(
    model: &Model,
    r: RegionId,
    passes: bool,
    rng: &mut R,
) -> Millis {
    match (&model.routing.dns, passes) {
        (Some(_), _) => route53_flip_delay(&model.routing.health_check, passes, rng),
        (None, true) => alb::healthy_delay(&model.regions[r].alb, rng),
        (None, false) => alb::unhealthy_delay(&model.regions[r].alb, rng),
    }
}

/// How long after an endpoint's state changes its Route 53 health check status flips to
/// `passes`. Each of [`ROUTE53_CHECKERS`] checkers probes every `interval` with its own
/// phase, uniform over the interval and independent of the others ("checkers don't
/// coordinate"); checker `i` changes its mind at `(threshold - 1) * interval + U_i`.
/// Route 53 calls the endpoint healthy while more than 18% of checkers say so: it turns
/// unhealthy once `k = N - floor(0.18 N)` checkers (14 of 16) have failed it, healthy
/// again once `floor(0.18 N) + 1` (3 of 16) pass it. The delay is that order statistic,
/// `(threshold - 1) * interval + U_(k)`, with `E[U_(k)] = k / (N + 1) * interval`
/// (0.82 and 0.18 of an interval). Phases are drawn afresh for each flip.
pub fn route53_flip_delay<R: Rng + ?Sized>(
    check: &HealthCheck,
    passes: bool,
    rng: &mut R,
) -> Millis {
    let interval = check.interval.max(1);
    let mut phases = [0; ROUTE53_CHECKERS];
    for phase in &mut phases {
        *phase = rng.next_u64() % interval;
    }
    let k = route53_deciding_checker(passes);
    u64::from(check.failure_threshold.saturating_sub(1)) * check.interval
        + order_statistic(&phases, k)
}

/// The `k`-th smallest of `values` (from 1), by keeping only the `k` smallest (or the
/// `n - k + 1` largest) seen so far: the deciding checker is the 3rd from either end,
/// so this takes a few comparisons a value where a full selection took 9% of a run.
pub fn order_statistic(values: &[Millis; ROUTE53_CHECKERS], k: usize) -> Millis {
    let n = values.len();
    assert!((1..=n).contains(&k), "rank {k} of {n} values");
    if k <= n - k + 1 {
        kth_extreme(values.iter().copied(), k)
    } else {
        // The k-th smallest is the (n - k + 1)-th largest: flip the order.
        Millis::MAX - kth_extreme(values.iter().map(|v| Millis::MAX - v), n - k + 1)
    }
}

/// The `k`-th smallest of `values`, keeping the `k` smallest sorted in a small array.
fn kth_extreme(values: impl Iterator<Item = Millis>, k: usize) -> Millis {
    let mut kept = [Millis::MAX; ROUTE53_CHECKERS];
    for v in values {
        if v >= kept[k - 1] {
            continue;
        }
        let mut i = k - 1;
        while i > 0 && kept[i - 1] > v {
            kept[i] = kept[i - 1];
            i -= 1;
        }
        kept[i] = v;
    }
    kept[k - 1]
}

/// The rank `k` (from 1) of the checker whose change flips the endpoint to `passes`.
pub fn route53_deciding_checker(passes: bool) -> usize {
    let tolerated = (ROUTE53_HEALTHY_SHARE * ROUTE53_CHECKERS as f64).floor() as usize;
    if passes {
        tolerated + 1
    } else {
        ROUTE53_CHECKERS - tolerated
    }
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

    /// The order statistic equals the sorted array's entry for every rank, with ties.
    #[test]
    fn order_statistic_is_the_sorted_rank() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            let mut values = [0; ROUTE53_CHECKERS];
            for v in &mut values {
                *v = rng.next_u64() % 20;
            }
            let mut sorted = values;
            sorted.sort_unstable();
            for k in 1..=ROUTE53_CHECKERS {
                assert_eq!(
                    order_statistic(&values, k),
                    sorted[k - 1],
                    "{values:?} k={k}"
                );
            }
        }
    }

    /// 16 checkers, 14 must fail the endpoint and 3 pass it: the flip comes within
    /// `[(threshold - 1) x interval, threshold x interval)`.
    #[test]
    fn route53_flip_is_within_the_last_interval() {
        let check = HealthCheck {
            interval: 30_000,
            failure_threshold: 3,
        };
        assert_eq!(route53_deciding_checker(false), 14);
        assert_eq!(route53_deciding_checker(true), 3);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for passes in [false, true] {
            for _ in 0..1000 {
                let d = route53_flip_delay(&check, passes, &mut rng);
                assert!((60_000..90_000).contains(&d));
            }
        }
    }
}
