//! People and the failover: the decision, promotion, restore, redeploy, NAT replacement.

use super::rebuild::Step;
use super::{DataLoss, Event, RecoveryStep, World, cx};
use rand::Rng;
use rand_distr::{Distribution, Exp1};

use crate::model::{
    AzId, DisasterKind, Dist, FailoverBy, Millis, ObjectReplication, RegionId, Signal, StepFailure,
    dist,
};
use crate::sim::components::backup::{self, RestoreNeed};
use crate::sim::components::database::{self, DbEvent};
use crate::sim::components::operators::{self, OperatorEvent};
use crate::sim::components::retry::{self, Attempts};
use crate::sim::components::routing::{self, RoutingEvent};
use crate::sim::engine::{Scheduler, TrialRng, side_rng};
use crate::sim::trace::{Mark, Phase};

/// Recovery steps that rebuild infrastructure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryEvent {
    /// Infrastructure as code finished building a region's network.
    NetworkBuilt {
        /// The region built.
        region: u16,
    },
    /// Infrastructure as code finished deploying a region's stack.
    StackDeployed {
        /// The region deployed.
        region: u16,
    },
    /// A bad deploy is rolled back in every region.
    RolledBack,
    /// A replacement NAT gateway is in place.
    NatReplaced {
        /// Region of the gateway.
        region: u16,
        /// AZ whose gateway failed.
        az: u16,
    },
}

impl World<'_> {
    pub(super) fn on_operators(&mut self, event: OperatorEvent, s: &mut Scheduler<Event>) {
        match event {
            OperatorEvent::Detected => self.detected(s),
            OperatorEvent::Decided => self.decided(s),
        }
    }

    pub(super) fn on_database(&mut self, event: DbEvent, now: Millis) {
        match event {
            DbEvent::Recovered => self.db_recovered(now),
            DbEvent::Promoted { region } => self.db_promoted(region as usize, now),
            DbEvent::Restored { region } => self.db_restored(region as usize, now),
        }
    }

    pub(super) fn on_recovery(&mut self, event: RecoveryEvent, s: &mut Scheduler<Event>) {
        match event {
            RecoveryEvent::NetworkBuilt { region } => self.network_built(s, region as usize),
            RecoveryEvent::StackDeployed { region } => self.stack_deployed(region as usize, s),
            RecoveryEvent::NatReplaced { region, az } => {
                self.nat_replaced(region as usize, az as usize, s)
            }
            RecoveryEvent::RolledBack => self.rolled_back(s.now()),
        }
    }

    /// The alarm went off: people (or automation) take over.
    fn detected(&mut self, s: &mut Scheduler<Event>) {
        let disaster = &self.model.disasters[self.disaster];
        let delay =
            operators::decision_delay(&self.model.recovery, disaster, self.signal, &mut self.rng);
        // Automation starts on an alarm; customers' reports reach people.
        let automated = self.model.recovery.automated && self.signal == Signal::Alarm;
        let act = if self.kind == DisasterKind::BadDeploy {
            "people decide to roll back"
        } else if self.signal == Signal::CustomerReport {
            "people confirm the customers' reports and decide to fail over"
        } else {
            "people decide to fail over"
        };
        let now = s.now();
        self.detected_at = Some(now);
        self.trace
            .note(now, Some(Mark::Alarm), || "alarm: failure detected".into());
        self.trace.span(
            Phase::Decision,
            || "people".into(),
            now,
            now + delay,
            || {
                if automated {
                    "automation starts".into()
                } else {
                    act.into()
                }
            },
        );
        s.schedule_in(delay, OperatorEvent::Decided);
    }

    /// The decision is taken: the failover this disaster calls for starts.
    fn decided(&mut self, s: &mut Scheduler<Event>) {
        self.decided_at = Some(s.now());
        self.change_records(s);
        let redeploy = self.model.recovery.iac_redeploy_time.sample(&mut self.rng);
        self.fail_over(redeploy, s);
    }

    /// With `failover_by = "record_change"`, people edit the records at the decision,
    /// once the control plane works again (a region outage may impair it from the
    /// disaster's start, at 0).
    fn change_records(&mut self, s: &mut Scheduler<Event>) {
        if self.model.routing.failover_by != FailoverBy::RecordChange {
            return;
        }
        let wait = self.control_plane_wait(s.now(), "record edits");
        s.schedule_in(wait, RoutingEvent::RecordsChanged);
    }

    /// How long a control-plane action (record edits, infrastructure as code, launches
    /// that need EC2 capacity) starting `now` waits for the control plane, which a
    /// region outage may impair from its start for a draw of `impaired_for`
    /// (sources.md#data-plane-static-stability). A wait is a stalled recovery step,
    /// shown on the trace row "control plane". Data-plane paths never ask.
    pub(super) fn control_plane_wait(&mut self, now: Millis, what: &str) -> Millis {
        let until = self.control_plane_until();
        if until <= now {
            return 0;
        }
        self.failed_steps = self.failed_steps.with(RecoveryStep::ControlPlane);
        self.trace.span(
            Phase::Decision,
            || "control plane".into(),
            now,
            until,
            || format!("{what}: waiting for the control plane"),
        );
        until - now
    }

    /// When the control plane works again (0: never impaired), drawn at the first
    /// control-plane action of the trial, from the trial's side stream: switching the
    /// impairment on changes no other draw, so what it changes is its waits alone.
    pub(super) fn control_plane_until(&mut self) -> Millis {
        if let Some(until) = self.control_plane_until {
            return until;
        }
        let cp = &self.model.recovery.control_plane;
        let until = if self.kind.impairs_control_plane() && cp.probability > 0.0 {
            let mut rng = side_rng(self.model.simulation.seed, self.trial);
            let impaired = dist::unit(&mut rng) < cp.probability;
            if impaired {
                cp.impaired_for.sample(&mut rng)
            } else {
                0
            }
        } else {
            0
        };
        self.control_plane_until = Some(until);
        until
    }

    /// Draws the attempts of a recovery step starting `now`, each taking `duration` and
    /// failing as `failure` says; records the failed ones on the trace row `at` and
    /// that recovery failed.
    pub(super) fn attempt_step(
        &mut self,
        now: Millis,
        (step, failure): (RecoveryStep, &StepFailure),
        (phase, row): (Phase, &str),
        what: impl Fn() -> String,
        duration: impl FnMut(&mut TrialRng) -> Millis,
    ) -> Attempts {
        let trace = &mut self.trace;
        let tries = retry::attempt(failure, &mut self.rng, duration, |failed| {
            retry::record(trace, now, phase, row, &what, failed);
        });
        self.failed_steps.add_if(tries.failed > 0, step);
        tries
    }

    /// An infrastructure-as-code deployment starting now: it waits for an impaired
    /// control plane, its attempts fail as `recovery.iac_failure` says, and `event`
    /// follows the one that succeeds (never, if people give up).
    pub(super) fn deploy_with_iac(
        &mut self,
        s: &mut Scheduler<Event>,
        label: impl Fn() -> String + Copy,
        duration: impl FnMut(&mut TrialRng) -> Millis,
        event: RecoveryEvent,
    ) {
        let failure = &self.model.recovery.iac_failure;
        let now = s.now();
        let wait = self.control_plane_wait(now, "infrastructure as code");
        let step = (RecoveryStep::Iac, failure);
        let at = (Phase::Capacity, "infrastructure");
        let tries = self.attempt_step(now + wait, step, at, label, duration);
        let Some(took) = tries.took else { return };
        cx!(self, s).activity_after(
            wait + tries.last_start,
            wait + took,
            event,
            Phase::Capacity,
            || "infrastructure".into(),
            label,
        );
    }

    /// People replace the NAT gateway of `az` (into a live AZ) and fix the route tables.
    pub(super) fn replace_nat(&mut self, s: &mut Scheduler<Event>, r: RegionId, az: AzId) {
        let delay = self
            .model
            .recovery
            .nat_replacement_time
            .sample(&mut self.rng);
        let event = RecoveryEvent::NatReplaced {
            region: r as u16,
            az: az as u16,
        };
        cx!(self, s).activity(
            delay,
            event,
            Phase::Capacity,
            || "network".into(),
            || "replace the NAT gateway, update route tables".into(),
        );
    }

    /// Brings up capacity where traffic goes once region `lost` is routed away.
    pub(super) fn fail_over_app(
        &mut self,
        lost: RegionId,
        redeploy: Millis,
        s: &mut Scheduler<Event>,
    ) {
        let n = self.model.regions.len();
        self.healthy_scratch
            .iter_mut()
            .enumerate()
            .for_each(|(r, h)| *h = r != lost);
        routing::answer(self.model, &self.healthy_scratch, &mut self.scratch);
        for r in 0..n {
            if r == lost || self.scratch[r] <= 0.0 {
                continue;
            }
            let needed = self.needed_for(r, self.scratch[r]);
            if self.regions[r].deployed {
                self.set_target(r, needed, s);
            } else {
                self.regions[r].fleet.target = needed;
                self.redeploy_stack(s, r, redeploy);
            }
        }
    }

    /// Moves the writer out of region `lost`: promote the cross-region copy, else
    /// restore the latest copied backup, else wait for the region.
    pub(super) fn fail_over_data(&mut self, lost: RegionId, s: &mut Scheduler<Event>) {
        let model = self.model;
        if let Some(replica) = database::replica_region(&model.database).filter(|&rr| rr != lost) {
            let name = &model.regions[replica].name;
            let how = database::promotion_label(&model.database);
            let label = || format!("{how} in {name}");
            // Irrevocable from here: the copy stops replicating and becomes the writer.
            self.promoting = true;
            let tries = self.attempt_step(
                s.now(),
                (RecoveryStep::Database, &model.recovery.database_failure),
                (Phase::Data, "database"),
                label,
                |rng| model.database.promotion_time.sample(rng),
            );
            if let Some(took) = tries.took {
                cx!(self, s).activity_after(
                    tries.last_start,
                    took,
                    DbEvent::Promoted {
                        region: replica as u16,
                    },
                    Phase::Data,
                    || "database".into(),
                    label,
                );
            }
            return;
        }
        let Some(backups) = &model.backups else {
            return;
        };
        let Some(copy) = backups.copy.as_ref().filter(|c| c.region != lost) else {
            return;
        };
        let need = RestoreNeed {
            from_copy: true,
            deadline: 0,
            restore_start: s.now() as i64,
            deleted_by_attacker: false,
            corruption: false,
        };
        if let Some(point) = backup::recovery_point(backups, need, &mut self.rng) {
            self.pending_restore_rpo = point.rpo;
            self.schedule_restore(s, copy.region);
        }
    }

    /// Restores the database in its own region from the best clean recovery point.
    pub(super) fn restore_in_place(&mut self, need: RestoreNeed, s: &mut Scheduler<Event>) {
        let model = self.model;
        let point = model
            .backups
            .as_ref()
            .and_then(|b| backup::recovery_point(b, need, &mut self.rng));
        match point {
            Some(point) => {
                self.pending_restore_rpo = point.rpo;
                self.schedule_restore(s, self.db.region);
            }
            None if need.corruption => self.data = DataLoss::Lost,
            None => {}
        }
    }

    /// A restore finishing after the failure ended by itself is dropped: the new copy
    /// never served, so dropping it undoes nothing and service is back where it was.
    /// (A promotion is never dropped: see [`World::db_promoted`].)
    fn abandoned(&self) -> bool {
        self.failure_over && self.kind.ends_by_itself()
    }

    /// The writer moves to region `r`, into its first live AZ, at `now`.
    pub(super) fn move_writer(&mut self, r: RegionId, now: Millis) {
        let az = self.regions[r].az_up.iter().position(|&up| up).unwrap_or(0);
        self.db.move_writer(r, az);
        self.writer_moved_at = now;
    }

    pub(super) fn set_data_window(&mut self, window: Millis) {
        self.data = DataLoss::Window(window);
    }

    /// Extra window lost from object storage when service moves to region `to`: the age
    /// of the oldest object not yet replicated there (see [`oldest_unreplicated_age`]).
    pub(super) fn object_window(&mut self, to: RegionId, db_window: Millis) -> Millis {
        let storage = &self.model.object_storage;
        match &storage.replication {
            ObjectReplication::Crr { lag, max_lag, .. } if storage.replica_region == Some(to) => {
                let lag = CappedLag::new(lag, *max_lag);
                oldest_unreplicated_age(&lag, storage.objects_per_second, &mut self.rng)
            }
            ObjectReplication::Crr { .. } | ObjectReplication::None => db_window,
        }
    }

    /// In-region failover or repair finished.
    fn db_recovered(&mut self, now: Millis) {
        let az_up = &self.regions[self.db.region].az_up;
        if self.db.recover(az_up) {
            self.trace.note(now, None, || {
                "database writer available again in its region".into()
            });
        }
    }

    /// The cross-region copy became the writer. A promotion that has started completes
    /// even when the failure ended meanwhile (it cannot be undone: the copy left
    /// replication): the writer is now in region `r`, what had not replicated when the
    /// writer's region failed is lost, and moving home is a fail-back of its own.
    fn db_promoted(&mut self, r: RegionId, now: Millis) {
        let lag = self.model.database.replication_lag.sample(&mut self.rng) + self.dms_stall();
        let objects = self.object_window(r, lag);
        self.move_writer(r, now);
        self.set_data_window(lag.max(objects));
        self.unneeded_failover = self.failure_over;
        let name = &self.model.regions[r].name;
        self.trace.note(now, None, || {
            format!("database copy in {name} promoted to writer")
        });
        if self.unneeded_failover {
            self.trace.note(now, None, || {
                "the failure had already ended: a failover that was not needed; \
                 the writer stays here until a planned fail-back"
                    .into()
            });
        }
    }

    /// How much further behind the DMS target is because its task had stalled when the
    /// site was lost (0 without DMS, or when the task was running).
    fn dms_stall(&mut self) -> Millis {
        let dms = self.model.hybrid.as_ref().and_then(|h| h.dms.as_ref());
        let Some(dms) = dms.filter(|d| d.stall_probability > 0.0) else {
            return 0;
        };
        if dist::unit(&mut self.rng) < dms.stall_probability {
            dms.stall_behind.sample(&mut self.rng)
        } else {
            0
        }
    }

    /// A restore from backup finished; its recovery point decides the data loss.
    fn db_restored(&mut self, r: RegionId, now: Millis) {
        self.regions[r].rebuild.finish(Step::Restore);
        if self.abandoned() {
            return;
        }
        let window = self.pending_restore_rpo;
        let objects = if r == self.model.database.region {
            window
        } else {
            self.object_window(r, window)
        };
        self.move_writer(r, now);
        self.db.corrupt = false;
        if !self.objects_lost {
            self.set_data_window(window.max(objects));
        }
        let name = &self.model.regions[r].name;
        self.trace
            .note(now, None, || format!("database restored in {name}"));
    }

    /// How long the planned fail-back takes, if the trial ends with the writer out of
    /// its home region after a promotion or a restore elsewhere; recorded on the trace
    /// from `from`, when both the writer had moved and the home region was back. Drawn
    /// after the trial's last event, so it changes no other draw.
    pub(super) fn failback(&mut self, from: Millis) -> Option<Millis> {
        let model = self.model;
        let db = &model.database;
        if !database::needs_failback(db, self.db.region) {
            return None;
        }
        let promoted = database::replica_region(db) == Some(self.db.region);
        let took = match (&model.backups, promoted) {
            (Some(backups), false) => {
                let rate = self.restore_gb_per_hour(db.region, true);
                backup::restore_time_at(backups, model.workload.data_size_gb, rate, &mut self.rng)
            }
            (None, _) | (_, true) => db.failback_time.sample(&mut self.rng),
        };
        let home = &model.regions[db.region].name;
        let how = database::failback_label(db, promoted);
        self.trace.span(
            Phase::FailBack,
            || "database".into(),
            from,
            from + took,
            || format!("planned fail-back to {home}: {how} (not in the RTO)"),
        );
        Some(took)
    }

    /// Infrastructure as code finished: a fresh, empty stack that launches its instances.
    /// Launches and target removals of the old stack are void.
    fn stack_deployed(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        let region_model = &self.model.regions[r];
        let state = &mut self.regions[r];
        state.rebuild.finish(Step::Stack);
        state.deployed = true;
        state.out_of_service = false;
        state.fleet.void_in_flight(s);
        let target = state.fleet.target;
        state.fleet.reset(region_model, false);
        state.fleet.target = target;
        let name = &region_model.name;
        self.trace
            .note(s.now(), None, || format!("stack deployed in {name}"));
        self.top_up(r, s);
    }

    /// A replacement NAT gateway is in place (in a live AZ for a single shared NAT).
    fn nat_replaced(&mut self, r: RegionId, az: AzId, s: &mut Scheduler<Event>) {
        let state = &mut self.regions[r];
        if let Some(live) = state.az_up.iter().position(|&up| up) {
            state.nat_failed[az] = false;
            if state.single_nat_az == az && !state.az_up[az] {
                state.single_nat_az = live;
            }
        }
        self.trace
            .note(s.now(), None, || "NAT gateway replaced".into());
        self.unpark_all(r, s);
    }
}

/// One object's replication lag `min(L, max)`: S3 replicates "most objects within 15
/// minutes", sometimes "up to 48 hours" (sources.md#s3-crr-time), so a lag draw beyond the
/// documented longest is cut to it.
#[derive(Clone, Copy, Debug)]
pub struct CappedLag<'a> {
    lag: &'a Dist,
    max: f64,
    /// `E[(L - max)+]`, the part of the excess the cut removes.
    beyond: f64,
}

impl<'a> CappedLag<'a> {
    /// `lag` cut at `max` milliseconds.
    pub fn new(lag: &'a Dist, max: Millis) -> Self {
        let max = max as f64;
        CappedLag {
            lag,
            max,
            beyond: lag.excess_mean(max),
        }
    }

    /// `E[(min(L, max) - w)+]`: the excess over `w` less the part beyond `max`.
    fn excess_mean(&self, w: f64) -> f64 {
        if w >= self.max {
            return 0.0;
        }
        (self.lag.excess_mean(w) - self.beyond).max(0.0)
    }
}

/// Age of the oldest object the replica still lacks when the source is lost, for objects
/// written as a Poisson process of `per_second` objects a second whose replication lags
/// are independent draws of `lag` (S3 reports the lag per object: "Replication Time
/// Control replicates 99.99% of objects within 15 minutes").
///
/// An object written `a` ago is missing when its lag exceeds `a`; by Poisson thinning the
/// missing objects older than `w` are a Poisson count of mean `rate x E[(L - w)+]`
/// (the integral from `w` of the lag's survival function). So the oldest missing age `W`
/// has `P(W <= w) = exp(-rate x E[(L - w)+])`, with an atom `exp(-rate x E[L])` at 0
/// (nothing missing), and `W < max` since no object lags longer. Drawn exactly by
/// inversion: an `Exp(1)` draw `e` gives the `w` where `rate x E[(L - w)+] = e`, found by
/// bisection on `[0, max]` (it is decreasing in `w`).
pub fn oldest_unreplicated_age<R: Rng + ?Sized>(
    lag: &CappedLag,
    per_second: f64,
    rng: &mut R,
) -> Millis {
    let rate = per_second / 1000.0; // objects per millisecond
    let e: f64 = Exp1.sample(rng);
    let target = e / rate;
    if rate <= 0.0 || target >= lag.excess_mean(0.0) {
        return 0;
    }
    // Bracket by doubling from the mean (the window is usually far below the cut).
    let (mut lo, mut hi) = (0.0, lag.lag.mean().max(1.0).min(lag.max));
    while hi < lag.max && lag.excess_mean(hi) > target {
        (lo, hi) = (hi, (hi * 2.0).min(lag.max));
    }
    while hi - lo > 0.5 {
        let mid = (lo + hi) / 2.0;
        if lag.excess_mean(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    ((lo + hi) / 2.0).round() as Millis
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The order-statistic draw against a direct simulation: objects written back in
    /// time as a Poisson process (0.2 a second), each with a lag drawn from a lognormal
    /// (median 10 s, p95 60 s); the window is the oldest age whose lag exceeds it. Means
    /// agree within 4 standard errors of the difference, and so do the shares at or
    /// below 30 s and 2 min (each also checked against `exp(-rate E[(L - w)+])`).
    #[test]
    fn oldest_unreplicated_age_matches_a_direct_simulation() {
        let lag = Dist::LogNormal {
            median: 10_000.0,
            p95: 60_000.0,
        };
        let per_second = 0.2;
        let n = 20_000;
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let uncapped = CappedLag::new(&lag, 1_000_000_000_000);
        let drawn: Vec<f64> = (0..n)
            .map(|_| oldest_unreplicated_age(&uncapped, per_second, &mut rng) as f64)
            .collect();
        // Far enough back that an older missing object has odds below 1e-6.
        let horizon = {
            let mut h = 1000.0;
            while per_second / 1000.0 * lag.excess_mean(h) > 1e-6 {
                h *= 1.5;
            }
            h
        };
        let direct: Vec<f64> = (0..n)
            .map(|_| {
                let (mut age, mut oldest) = (0.0, 0.0f64);
                loop {
                    let gap: f64 = Exp1.sample(&mut rng);
                    age += gap * 1000.0 / per_second;
                    if age > horizon {
                        return oldest;
                    }
                    if lag.sample_f64(&mut rng) > age {
                        oldest = oldest.max(age);
                    }
                }
            })
            .collect();
        let stats = |xs: &[f64]| {
            let m = xs.iter().sum::<f64>() / xs.len() as f64;
            let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
            (m, v / xs.len() as f64)
        };
        let ((m1, v1), (m2, v2)) = (stats(&drawn), stats(&direct));
        assert!(
            (m1 - m2).abs() < 4.0 * (v1 + v2).sqrt(),
            "mean {m1} vs direct {m2}"
        );
        for w in [30_000.0, 120_000.0] {
            let exact = (-per_second / 1000.0 * lag.excess_mean(w)).exp();
            let tol = 4.0 * (exact * (1.0 - exact) / n as f64).sqrt();
            for xs in [&drawn, &direct] {
                let share = xs.iter().filter(|&&x| x <= w).count() as f64 / n as f64;
                assert!(
                    (share - exact).abs() < tol,
                    "P(W <= {w}): {share} vs {exact}"
                );
            }
        }
    }

    /// The documented longest lag bounds the window (sources.md#s3-crr-time). Lags uniform
    /// on [0, T] (T = 10 h), cut at M = 1 h, 0.01 objects a second (r = 1e-5 per ms): by
    /// hand, E[(L - w)+] = (T - w)^2 / 2T, so P(W <= w) = exp(-r ((T - w)^2 - (T - M)^2)
    /// / 2T) for w < M and every draw is below M. Without the cut, P(W <= M) =
    /// exp(-r (T - M)^2 / 2T) = exp(-145.8): the window is beyond M in every draw.
    #[test]
    fn the_longest_documented_lag_bounds_the_loss_window() {
        let (t, m, per_second, n) = (36_000_000.0, 3_600_000.0, 0.01, 20_000);
        let lag = Dist::Uniform { min: 0.0, max: t };
        let r = per_second / 1000.0;
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let capped = CappedLag::new(&lag, m as Millis);
        let drawn: Vec<f64> = (0..n)
            .map(|_| oldest_unreplicated_age(&capped, per_second, &mut rng) as f64)
            .collect();
        assert!(drawn.iter().all(|&w| w <= m), "a window beyond the cut");
        for w in [0.97 * m, 0.99 * m] {
            let exact = (-r * ((t - w).powi(2) - (t - m).powi(2)) / (2.0 * t)).exp();
            let tol = 4.0 * (exact * (1.0 - exact) / n as f64).sqrt();
            let share = drawn.iter().filter(|&&x| x <= w).count() as f64 / n as f64;
            assert!(
                (share - exact).abs() < tol,
                "P(W <= {w}): {share} vs {exact}"
            );
        }
        let uncapped = CappedLag::new(&lag, 1_000_000_000_000);
        let beyond = (0..1000)
            .filter(|_| oldest_unreplicated_age(&uncapped, per_second, &mut rng) as f64 > m)
            .count();
        assert_eq!(beyond, 1000, "without the cut every window exceeds M");
    }
}
