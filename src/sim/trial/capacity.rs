//! Instances, load balancers, scaling, and the share of requests a region serves.

use rand::Rng;

use super::{Event, RecoveryStep, World, cx};
use crate::model::{AzId, Deployment, Millis, NatLayout, RegionId};
use crate::sim::clients;
use crate::sim::components::alb::{self, AlbEvent};
use crate::sim::components::asg::{self, AsgEvent, LaunchConditions};
use crate::sim::components::nat;
use crate::sim::engine::{EventKey, Scheduler};
use crate::sim::service::Piece;
use crate::sim::trace::Phase;

impl World<'_> {
    /// Whether requests reach a writer that takes them: up, on clean data, and reached by
    /// the application (see [`AppConnection`](crate::sim::components::db_client)).
    pub(super) fn db_ok(&self) -> bool {
        let db = &self.db;
        let region = &self.regions[db.region];
        db.up && !db.corrupt && region.alive && region.az_up[db.az] && self.app.connected()
    }

    pub(super) fn alb_ok(&self, r: RegionId) -> bool {
        let state = &self.regions[r];
        state.alive && state.deployed && !state.out_of_service
    }

    pub(super) fn az_serves(&self, r: RegionId, az: AzId) -> bool {
        let state = &self.regions[r];
        let outbound = !self.model.workload.needs_outbound
            || nat::outbound_ok(self.nat_layout(r), az, &state.az_up, &state.nat_failed);
        self.alb_ok(r) && state.az_up[az] && outbound
    }

    pub(super) fn nat_layout(&self, r: RegionId) -> NatLayout {
        match self.model.regions[r].nat {
            NatLayout::Single(_) => NatLayout::Single(self.regions[r].single_nat_az),
            layout @ (NatLayout::PerAz | NatLayout::None) => layout,
        }
    }

    /// Counts, per region, the instances the ALB sends requests to that can serve (in
    /// rotation, or every parked one when the ALB fails open). Called once per
    /// instant before the state is read (health checks, success share): the count
    /// walks every AZ's NAT path, and several readers need it.
    pub(super) fn count_working(&mut self) {
        for r in 0..self.regions.len() {
            let fleet = &self.regions[r].fleet;
            let working = (0..fleet.routed.len())
                .filter(|&az| self.az_serves(r, az))
                .map(|az| fleet.serving_in(az))
                .sum();
            self.working[r] = working;
        }
    }

    /// Instances in rotation that can serve, as of the last [`World::count_working`].
    pub(super) fn working_instances(&self, r: RegionId) -> u32 {
        self.working[r]
    }

    /// Whether the region's endpoint passes the routing health check.
    pub(super) fn endpoint_passes(&self, r: RegionId) -> bool {
        let deep = self.model.regions[r].alb.deep_health_check;
        self.alb_ok(r)
            && !self.regions[r].drained
            && !self.grey_seen_by_health_checks(r)
            && self.working_instances(r) > 0
            && (!deep || self.db_ok())
    }

    /// Share of the requests sent to region `r` that succeed when it receives `rps`:
    /// the ALB spreads them evenly over the targets in rotation (all registered ones when
    /// it fails open); dead ones fail theirs, live ones serve up to their capacity.
    pub(super) fn region_success(&self, r: RegionId, rps: f64) -> f64 {
        let routed = self.regions[r].fleet.receiving_total();
        let working = self.working_instances(r);
        if routed == 0 || working == 0 || !self.db_ok() {
            return 0.0;
        }
        let served = if rps <= 0.0 {
            1.0
        } else {
            let capacity = self.model.workload.instance_capacity_rps;
            (f64::from(working) * capacity.min(rps / f64::from(routed)) / rps).min(1.0)
        };
        served * (1.0 - self.failing_share(r))
    }

    /// The success share over the coming stretch. A region's load is judged at the
    /// larger of its shares before and after the current switch: conservative while
    /// clients move, exact once they have. The TTL-honouring and the stale clients move
    /// from where each population was when the answer changed, each at its own pace.
    pub(super) fn piece(&self) -> Piece {
        let load = self.model.workload.requests_per_second;
        let h = clients::honour_share(&self.model.routing);
        let (honouring, stale) = (self.router.from_honouring(), self.router.from_stale());
        let to = self.router.to();
        let (mut a, mut b_honouring, mut b_stale, mut full) = (0.0, 0.0, 0.0, 0.0);
        for r in 0..self.model.regions.len() {
            let from = h * honouring[r] + (1.0 - h) * stale[r];
            let ok = self.region_success(r, load * from.max(to[r]));
            a += from * ok;
            b_honouring += h * (to[r] - honouring[r]) * ok;
            b_stale += (1.0 - h) * (to[r] - stale[r]) * ok;
            full += to[r] * ok;
        }
        Piece {
            a,
            b_honouring,
            b_stale,
            switched_at: self.router.switched_at(),
            full_capacity: full >= 1.0 - 1e-9,
        }
    }

    // ----- actions -----

    pub(super) fn set_target(&mut self, r: RegionId, n: u32, s: &mut Scheduler<Event>) {
        let max = self.model.regions[r].asg.max;
        self.regions[r].fleet.raise_target(n, max);
        self.top_up(r, s);
    }

    /// Launches instances until the ASG's count reaches its desired capacity.
    pub(super) fn top_up(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        if !self.alb_ok(r) {
            return;
        }
        // Everyone fails over out of a lost region at once: launches elsewhere compete,
        // and are refused outright until a correlated impairment ends.
        let conditions = LaunchConditions {
            strained: self.kind.strains_launch_capacity()
                && r != self.struck_region
                && !self.failure_over,
            control_plane_until: self.control_plane_until(),
            impaired_until: self.impaired_until,
        };
        let state = &mut self.regions[r];
        let report = state
            .fleet
            .top_up(r, &state.az_up, conditions, &mut cx!(self, s));
        self.failed_steps
            .add_if(report.refused > 0, RecoveryStep::Launch);
        if report.stalled {
            let name = &self.model.regions[r].name;
            self.control_plane_wait(s.now(), &format!("launches in {name}"));
        }
    }

    pub(super) fn needed_for(&self, r: RegionId, share: f64) -> u32 {
        let w = &self.model.workload;
        asg::needed(
            &self.model.regions[r],
            w.requests_per_second * share,
            w.instance_capacity_rps,
        )
    }

    /// Dynamic scaling: a running group whose share of traffic outgrows the instances
    /// that carry it (alive and receiving requests, or launching) raises an alarm after
    /// the scale-out delay.
    pub(super) fn check_scaling(&mut self, s: &mut Scheduler<Event>) {
        for r in 0..self.model.regions.len() {
            let region = &self.model.regions[r];
            let state = &self.regions[r];
            if region.deployment != Deployment::Running || !state.alive || state.fleet.alarm_pending
            {
                continue;
            }
            if state
                .fleet
                .wants_more(self.needed_for(r, self.router.to()[r]), region.asg.max)
            {
                self.regions[r].fleet.arm_scale_alarm(r, &mut cx!(self, s));
            }
        }
    }

    pub(super) fn kill_one_instance(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        let fleet = &self.regions[r].fleet;
        let alive: u32 = (0..fleet.routed.len()).map(|az| fleet.alive_in(az)).sum();
        if alive == 0 {
            return;
        }
        let mut pick = (self.rng.next_u64() % u64::from(alive)) as u32;
        let az = (0..fleet.routed.len())
            .find(|&az| {
                let here = fleet.alive_in(az);
                if pick < here {
                    true
                } else {
                    pick -= here;
                    false
                }
            })
            .expect("an instance was picked");
        self.regions[r].fleet.dead[az] += 1;
        self.alb_removes_dead_targets(s, r, az, 1);
    }

    /// The ALB's unhealthy threshold takes `count` dead targets of `az` out of rotation
    /// (and the ASG replaces them), unless the region is lost or rebuilt meanwhile.
    pub(super) fn alb_removes_dead_targets(
        &mut self,
        s: &mut Scheduler<Event>,
        r: RegionId,
        az: AzId,
        count: u32,
    ) {
        let delay = alb::unhealthy_delay(&self.model.regions[r].alb, &mut self.rng);
        let event = AlbEvent::TargetsUnhealthy {
            region: r as u16,
            az: az as u16,
            count,
        };
        let key = self.alb_activity(s, delay, event, "ALB health checks fail dead targets");
        self.regions[r].fleet.track(key);
    }

    /// With deep health checks, targets that lost outbound access leave the rotation.
    pub(super) fn park_unreachable(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        if !self.model.regions[r].alb.deep_health_check || !self.model.workload.needs_outbound {
            return;
        }
        for az in 0..self.model.regions[r].azs.len() {
            if self.regions[r].az_up[az] && !self.az_serves(r, az) {
                let delay = alb::unhealthy_delay(&self.model.regions[r].alb, &mut self.rng);
                let event = AlbEvent::TargetsParked {
                    region: r as u16,
                    az: az as u16,
                };
                self.alb_activity(
                    s,
                    delay,
                    event,
                    "deep health checks fail targets without outbound access",
                );
            }
        }
    }

    pub(super) fn unpark_all(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        for az in 0..self.model.regions[r].azs.len() {
            if self.regions[r].fleet.parked[az] > 0 && self.az_serves(r, az) {
                let delay = alb::healthy_delay(&self.model.regions[r].alb, &mut self.rng);
                let event = AlbEvent::TargetsUnparked {
                    region: r as u16,
                    az: az as u16,
                };
                self.alb_activity(s, delay, event, "targets pass health checks again");
            }
        }
    }

    /// Schedules a load balancer event after `delay`, shown on the trace's load balancer
    /// row as a health check activity.
    fn alb_activity(
        &mut self,
        s: &mut Scheduler<Event>,
        delay: Millis,
        event: AlbEvent,
        label: &'static str,
    ) -> EventKey {
        cx!(self, s).activity(
            delay,
            event,
            Phase::Detection,
            || "load balancer".into(),
            || label.into(),
        )
    }

    // ----- events -----

    pub(super) fn on_alb(&mut self, event: AlbEvent, s: &mut Scheduler<Event>) {
        match event {
            AlbEvent::TargetsUnhealthy { region, az, count } => {
                let r = region as usize;
                self.regions[r].fleet.remove_dead(az as usize, count);
                self.top_up(r, s);
            }
            AlbEvent::TargetsParked { region, az } => {
                let (r, az) = (region as usize, az as usize);
                if !self.az_serves(r, az) && self.regions[r].az_up[az] {
                    let fleet = &mut self.regions[r].fleet;
                    let before = fleet.parked[az];
                    fleet.park(az);
                    let count = fleet.parked[az] - before;
                    fleet.replace_when_unhealthy(r, az, count, 0, &mut cx!(self, s));
                }
            }
            AlbEvent::TargetsUnparked { region, az } => {
                let (r, az) = (region as usize, az as usize);
                if self.az_serves(r, az) {
                    self.regions[r].fleet.unpark(az);
                }
            }
        }
    }

    pub(super) fn on_asg(&mut self, event: AsgEvent, s: &mut Scheduler<Event>) {
        match event {
            AsgEvent::InstanceReady { region, az } => {
                let (r, az) = (region as usize, az as usize);
                let alive = self.regions[r].alive && self.regions[r].az_up[az];
                // With deep health checks, an instance without outbound access fails its
                // first check: registered but unhealthy, parked until the path is back.
                let fails_check = self.model.regions[r].alb.deep_health_check
                    && self.model.workload.needs_outbound
                    && !self.az_serves(r, az);
                if !self.regions[r].fleet.instance_ready(az, alive, fails_check) {
                    self.top_up(r, s);
                } else if fails_check {
                    let grace = self.model.regions[r].asg.health_check_grace;
                    let fleet = &mut self.regions[r].fleet;
                    fleet.replace_when_unhealthy(r, az, 1, grace, &mut cx!(self, s));
                }
            }
            AsgEvent::ScaleAlarm { region } => {
                let r = region as usize;
                let needed = self.needed_for(r, self.router.to()[r]);
                let target = self.regions[r]
                    .fleet
                    .scale_alarm(r, needed, &mut cx!(self, s));
                if let Some(target) = target {
                    self.set_target(r, target, s);
                }
            }
            AsgEvent::PoolRefilled { region } => {
                let r = region as usize;
                self.regions[r].fleet.pool_refilled(&self.model.regions[r]);
            }
            AsgEvent::ReplaceUnhealthy { region, az, count } => {
                let r = region as usize;
                if self.regions[r]
                    .fleet
                    .terminate_unhealthy(az as usize, count)
                    > 0
                {
                    self.top_up(r, s);
                }
            }
        }
    }
}
