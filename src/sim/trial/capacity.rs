//! Instances, load balancers, scaling, and the share of requests a region serves.

use super::{Event, World};
use crate::model::{AzId, Deployment, NatLayout, RegionId};
use crate::sim::components::{alb, asg, nat};
use crate::sim::engine::Scheduler;
use crate::sim::service::Piece;
use rand::Rng;

impl World<'_> {
    pub(super) fn db_ok(&self) -> bool {
        let db = &self.db;
        let region = &self.regions[db.region];
        db.up && !db.corrupt && region.alive && region.az_up[db.az]
    }

    pub(super) fn alb_ok(&self, r: RegionId) -> bool {
        let state = &self.regions[r];
        state.alive && state.deployed && !state.compromised
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
            layout => layout,
        }
    }

    /// Counts, per region, the instances in rotation that can serve. Called once per
    /// instant before the state is read (health checks, success share): the count
    /// walks every AZ's NAT path, and several readers need it.
    pub(super) fn count_working(&mut self) {
        for r in 0..self.regions.len() {
            let fleet = &self.regions[r].fleet;
            let working = (0..fleet.routed.len())
                .filter(|&az| self.az_serves(r, az))
                .map(|az| fleet.routed[az] - fleet.dead[az])
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
        self.alb_ok(r) && self.working_instances(r) > 0 && (!deep || self.db_ok())
    }

    /// Share of the requests sent to region `r` that succeed when it receives `rps`:
    /// the ALB spreads them evenly over the targets in rotation; dead ones fail theirs,
    /// live ones serve up to their capacity.
    pub(super) fn region_success(&self, r: RegionId, rps: f64) -> f64 {
        let routed = self.regions[r].fleet.routed_total();
        let working = self.working_instances(r);
        if routed == 0 || working == 0 || !self.db_ok() {
            return 0.0;
        }
        if rps <= 0.0 {
            return 1.0;
        }
        let capacity = self.model.workload.instance_capacity_rps;
        (f64::from(working) * capacity.min(rps / f64::from(routed)) / rps).min(1.0)
    }

    /// The success share over the coming stretch. A region's load is judged at the
    /// larger of its shares before and after the current switch: conservative while
    /// clients move, exact once they have.
    pub(super) fn piece(&self) -> Piece {
        let load = self.model.workload.requests_per_second;
        let rt = &self.routing;
        let (mut a, mut b, mut full) = (0.0, 0.0, 0.0);
        for r in 0..self.model.regions.len() {
            let ok = self.region_success(r, load * rt.from[r].max(rt.to[r]));
            a += rt.from[r] * ok;
            b += (rt.to[r] - rt.from[r]) * ok;
            full += rt.to[r] * ok;
        }
        Piece {
            a,
            b,
            switched_at: rt.switched_at,
            full_capacity: full >= 1.0 - 1e-9,
        }
    }

    // ----- actions -----

    pub(super) fn set_target(&mut self, r: RegionId, n: u32, s: &mut Scheduler<Event>) {
        let region = &self.model.regions[r];
        let fleet = &mut self.regions[r].fleet;
        fleet.target = fleet.target.max(n.min(region.asg.max));
        self.top_up(r, s);
    }

    /// Launches instances until the ASG's count reaches its desired capacity.
    pub(super) fn top_up(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        let region = &self.model.regions[r];
        if !self.alb_ok(r) {
            return;
        }
        while self.regions[r].fleet.counted() < self.regions[r].fleet.target {
            let state = &mut self.regions[r];
            let Some(az) = state.fleet.pick_az(&state.az_up) else {
                break;
            };
            state.fleet.launching[az] += 1;
            let warm = region.asg.warm_pool.is_some() && state.fleet.warm_left > 0;
            let delay = asg::launch_delay(&mut state.fleet, region, &mut self.rng);
            let event = Event::InstanceReady {
                region: r as u16,
                az: az as u16,
                epoch: state.epoch,
            };
            let how = if warm {
                "warm pool instance"
            } else {
                "cold launch"
            };
            let az_name = &region.azs[az];
            self.schedule_activity(s, delay, event, &region.name, || {
                format!("{how} in {az_name} until healthy in the ALB")
            });
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

    pub(super) fn scale_alarm(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        self.regions[r].fleet.alarm_pending = false;
        let needed = self.needed_for(r, self.routing.to[r]);
        let (target, cooldown_until) = (
            self.regions[r].fleet.target,
            self.regions[r].fleet.cooldown_until,
        );
        if needed <= target {
            return;
        }
        if s.now() < cooldown_until {
            self.regions[r].fleet.alarm_pending = true;
            s.schedule_at(cooldown_until, Event::ScaleAlarm { region: r as u16 });
            return;
        }
        self.regions[r].fleet.cooldown_until = s.now() + self.model.regions[r].asg.cooldown;
        self.set_target(r, needed, s);
    }

    /// Target tracking: a running group whose share of traffic outgrows it raises an
    /// alarm after the scale-out delay.
    pub(super) fn check_scaling(&mut self, s: &mut Scheduler<Event>) {
        for r in 0..self.model.regions.len() {
            let region = &self.model.regions[r];
            let state = &self.regions[r];
            if region.deployment != Deployment::Running || !state.alive || state.fleet.alarm_pending
            {
                continue;
            }
            if self.needed_for(r, self.routing.to[r]) > state.fleet.target {
                self.regions[r].fleet.alarm_pending = true;
                let delay = region.asg.scale_out_delay.sample(&mut self.rng);
                let event = Event::ScaleAlarm { region: r as u16 };
                self.schedule_activity(s, delay, event, &region.name, || {
                    "scale-out alarm (load above capacity)".into()
                });
            }
        }
    }

    pub(super) fn kill_one_instance(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        let fleet = &self.regions[r].fleet;
        let alive: u32 = (0..fleet.routed.len())
            .map(|az| fleet.routed[az] - fleet.dead[az])
            .sum();
        if alive == 0 {
            return;
        }
        let mut pick = (self.rng.next_u64() % u64::from(alive)) as u32;
        let az = (0..fleet.routed.len())
            .find(|&az| {
                let here = fleet.routed[az] - fleet.dead[az];
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
    /// (and the ASG replaces them), unless the region was lost or rebuilt meanwhile.
    pub(super) fn alb_removes_dead_targets(
        &mut self,
        s: &mut Scheduler<Event>,
        r: RegionId,
        az: AzId,
        count: u32,
    ) {
        let delay = alb::unhealthy_delay(&self.model.regions[r].alb, &mut self.rng);
        let epoch = self.regions[r].epoch;
        let event = Event::TargetsUnhealthy {
            region: r as u16,
            az: az as u16,
            count,
            epoch,
        };
        self.schedule_activity(s, delay, event, "load balancer", || {
            "ALB health checks fail dead targets".into()
        });
    }

    /// With deep health checks, targets that lost outbound access leave the rotation.
    pub(super) fn park_unreachable(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        if !self.model.regions[r].alb.deep_health_check || !self.model.workload.needs_outbound {
            return;
        }
        for az in 0..self.model.regions[r].azs.len() {
            if self.regions[r].az_up[az] && !self.az_serves(r, az) {
                let delay = alb::unhealthy_delay(&self.model.regions[r].alb, &mut self.rng);
                self.schedule_activity(
                    s,
                    delay,
                    Event::TargetsParked {
                        region: r as u16,
                        az: az as u16,
                    },
                    "load balancer",
                    || "deep health checks fail targets without outbound access".into(),
                );
            }
        }
    }

    pub(super) fn unpark_all(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        for az in 0..self.model.regions[r].azs.len() {
            if self.regions[r].fleet.parked[az] > 0 && self.az_serves(r, az) {
                let delay = alb::healthy_delay(&self.model.regions[r].alb, &mut self.rng);
                self.schedule_activity(
                    s,
                    delay,
                    Event::TargetsUnparked {
                        region: r as u16,
                        az: az as u16,
                    },
                    "load balancer",
                    || "targets pass health checks again".into(),
                );
            }
        }
    }

    /// The ALB took dead targets out of rotation; the ASG replaces them.
    pub(super) fn targets_unhealthy(
        &mut self,
        r: RegionId,
        az: AzId,
        count: u32,
        epoch: u32,
        s: &mut Scheduler<Event>,
    ) {
        if self.regions[r].epoch != epoch {
            return;
        }
        let fleet = &mut self.regions[r].fleet;
        let n = count.min(fleet.dead[az]);
        fleet.routed[az] -= n;
        fleet.dead[az] -= n;
        self.top_up(r, s);
    }

    /// Deep health checks failed for live targets without outbound access.
    pub(super) fn targets_parked(&mut self, r: RegionId, az: AzId) {
        if !self.az_serves(r, az) && self.regions[r].az_up[az] {
            let fleet = &mut self.regions[r].fleet;
            fleet.parked[az] += fleet.routed[az] - fleet.dead[az];
            fleet.routed[az] = fleet.dead[az];
        }
    }

    /// Parked targets pass their health checks again.
    pub(super) fn targets_unparked(&mut self, r: RegionId, az: AzId) {
        if self.az_serves(r, az) {
            let fleet = &mut self.regions[r].fleet;
            fleet.routed[az] += fleet.parked[az];
            fleet.parked[az] = 0;
        }
    }

    /// A launch finished: the instance joins the rotation, or is replaced if its AZ
    /// died meanwhile. Launches from before the region was lost or rebuilt are void.
    pub(super) fn instance_ready(
        &mut self,
        r: RegionId,
        az: AzId,
        epoch: u32,
        s: &mut Scheduler<Event>,
    ) {
        let state = &mut self.regions[r];
        if state.epoch != epoch {
            return;
        }
        state.fleet.launching[az] -= 1;
        if state.alive && state.az_up[az] {
            state.fleet.routed[az] += 1;
        } else {
            self.top_up(r, s);
        }
    }
}
