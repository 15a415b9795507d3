//! Auto Scaling group of one region behind its ALB: instances per AZ, launches, warm
//! pool, scale-out alarms.
//!
//! Scaling follows the group's [`ScalingPolicy`]: it scales on the load per instance
//! that receives requests and is alive (instances parked by a failed deep health check
//! carry no load, so the others' utilisation rises and the group scales out). Simple
//! scaling waits `cooldown` after each activity; target tracking and step scaling do
//! not, and use instance warm-up instead: an instance launching or warming up counts
//! towards the capacity the policy has already added, so it is never added twice
//! (drsim sets the desired capacity from the load, so warm-up changes no scale-out
//! time; its other effect, on scale-in, is not modelled). A warm-pool instance that is
//! used is replaced by a new pool instance after a launch and bootstrap, while the
//! group's desired capacity plus the pool stays within its maximum (the default maximum
//! prepared capacity).
//!
//! With ELB health checks an instance the load balancer finds unhealthy (a deep health
//! check failing for want of an outbound path) is terminated and replaced once its
//! health check grace period since InService has passed; instances that were serving
//! before being parked are taken as past their grace. A replacement launched where the
//! path is still broken fails its first check and is replaced in turn.
//!
//! Instances are counted, not tracked one by one: per AZ, how many the ALB routes to,
//! how many of those are dead but not yet detected, how many were taken out of rotation
//! while alive (deep health check failing), and how many are launching.

use rand::Rng;

use super::retry::{self, Attempts};
use super::{Ctx, alb};
use crate::model::{AsgHealthCheck, AzId, Millis, Region, RegionId, ScalingPolicy, WarmState};
use crate::sim::engine::{EventKey, Scheduler};
use crate::sim::trace::Phase;

/// What launches that need EC2 capacity meet in a region during a disaster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LaunchConditions {
    /// A region outage elsewhere: launches may be refused (`recovery.launch_failure`).
    pub strained: bool,
    /// Until when (ms from the disaster's start) an impaired control plane holds them
    /// back (`recovery.control_plane`); 0 when it is not impaired.
    pub control_plane_until: Millis,
    /// Until when (ms from the disaster's start) the recovery region is impaired too and
    /// refuses every launch needing capacity (`recovery.recovery_region`); 0: not impaired.
    pub impaired_until: Millis,
}

/// What happened to the launches of one top-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LaunchReport {
    /// Launch attempts refused.
    pub refused: u32,
    /// Whether some launch waited for the control plane.
    pub stalled: bool,
}

/// The Auto Scaling component's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsgEvent {
    /// A launched instance is InService and healthy in the ALB.
    InstanceReady {
        /// The group's region.
        region: u16,
        /// The AZ it was launched in.
        az: u16,
    },
    /// A scale-out alarm fires.
    ScaleAlarm {
        /// The group's region.
        region: u16,
    },
    /// A new instance launched to replace one taken from the warm pool is in the pool.
    PoolRefilled {
        /// The group's region.
        region: u16,
    },
    /// With ELB health checks, the group acts on instances of `az` failing them (their
    /// grace period over): it terminates up to `count` still failing and launches others.
    ReplaceUnhealthy {
        /// The group's region.
        region: u16,
        /// The AZ of the failing instances.
        az: u16,
        /// How many instances failed.
        count: u32,
    },
}

/// Instance counts of one region.
#[derive(Clone, Debug, Default)]
pub struct Fleet {
    /// Per AZ: instances in the ALB's rotation (healthy as far as the ALB knows).
    pub routed: Vec<u32>,
    /// Per AZ: routed instances that died and the ALB has not yet noticed.
    pub dead: Vec<u32>,
    /// Per AZ: live instances out of rotation (failing a deep health check).
    pub parked: Vec<u32>,
    /// Per AZ: launches in flight.
    pub launching: Vec<u32>,
    /// Desired capacity.
    pub target: u32,
    /// Warm pool instances left.
    pub warm_left: u32,
    /// End of the current scaling cooldown.
    pub cooldown_until: Millis,
    /// A scale-out alarm is on its way.
    pub alarm_pending: bool,
    /// Events about instances that die with the region (launches, dead targets being
    /// removed): called off when the region is lost or its stack rebuilt.
    in_flight: Vec<EventKey>,
    /// When the AMI copy into a region that lacks it completes (`asg.ami_copy_time`),
    /// once the first cold launch has started it.
    ami_ready_at: Option<Millis>,
}

impl Fleet {
    /// Sets the fleet to its state before the disaster, reusing its buffers.
    pub fn reset(&mut self, region: &Region, running: bool) {
        let azs = region.azs.len();
        for counts in [
            &mut self.routed,
            &mut self.dead,
            &mut self.parked,
            &mut self.launching,
        ] {
            counts.clear();
            counts.resize(azs, 0);
        }
        self.target = if running { region.asg.desired } else { 0 };
        for i in 0..self.target as usize {
            self.routed[i % azs] += 1;
        }
        self.warm_left = region.asg.warm_pool.as_ref().map_or(0, |w| w.size);
        self.cooldown_until = 0;
        self.alarm_pending = false;
        self.in_flight.clear();
        self.ami_ready_at = None;
    }

    /// How long a cold launch starting now waits for the AMI: nothing when the region
    /// has it; else the first one starts the copy (CopyImage) and every one waits for it.
    fn ami_wait<E>(&mut self, region: &Region, cx: &mut Ctx<E>) -> Millis {
        let Some(copy) = &region.asg.ami_copy_time else {
            return 0;
        };
        let now = cx.now();
        let ready = *self
            .ami_ready_at
            .get_or_insert_with(|| now + copy.sample(cx.rng));
        ready.saturating_sub(now)
    }

    /// With ELB health checks (`asg.health_check_type = "elb"`), schedules the
    /// replacement of `count` instances of `az` that fail the load balancer's checks,
    /// `after` from now: what is left of their grace period. With EC2 checks only, the
    /// group keeps them ("About the health checks for your Auto Scaling group",
    /// sources.md#asg-health-check-type).
    pub fn replace_when_unhealthy<E: From<AsgEvent>>(
        &mut self,
        r: RegionId,
        az: AzId,
        count: u32,
        after: Millis,
        cx: &mut Ctx<E>,
    ) {
        let region = &cx.model.regions[r];
        match region.asg.health_check_type {
            AsgHealthCheck::Ec2 => return,
            AsgHealthCheck::Elb => {}
        }
        let event = AsgEvent::ReplaceUnhealthy {
            region: r as u16,
            az: az as u16,
            count,
        };
        let key = cx.activity(
            after,
            event,
            Phase::Capacity,
            || region.name.clone(),
            || "grace period, then the ASG replaces instances failing ELB checks".into(),
        );
        self.in_flight.push(key);
    }

    /// Terminates up to `count` instances of `az` still failing the load balancer's
    /// checks (instances are counted, not tracked: any failing one of the AZ goes).
    /// Returns how many went; the caller tops the group up.
    pub fn terminate_unhealthy(&mut self, az: AzId, count: u32) -> u32 {
        let n = count.min(self.parked[az]);
        self.parked[az] -= n;
        n
    }

    /// Launches instances in live AZs (`az_up`) of region `r` until the group's count
    /// reaches its desired capacity: warm pool first, then cold launches. A launch that
    /// needs EC2 capacity (cold, or starting a stopped or hibernated pool instance)
    /// waits for an impaired control plane, and when capacity is strained (a region
    /// outage elsewhere) is refused until the recovery region's own impairment ends
    /// (`recovery.recovery_region`), then may be refused and retried
    /// (`recovery.launch_failure`); a warm-pool instance kept running needs none of
    /// this (static stability).
    pub fn top_up<E: From<AsgEvent>>(
        &mut self,
        r: RegionId,
        az_up: &[bool],
        conditions: LaunchConditions,
        cx: &mut Ctx<E>,
    ) -> LaunchReport {
        let region = &cx.model.regions[r];
        let mut report = LaunchReport::default();
        let now = cx.now();
        while self.counted() < self.target {
            let Some(az) = self.pick_az(az_up) else {
                break;
            };
            self.launching[az] += 1;
            let pool = region.asg.warm_pool.as_ref().filter(|_| self.warm_left > 0);
            let warm = pool.is_some();
            let needs_capacity = pool.is_none_or(|p| p.state != WarmState::Running);
            let how = if warm {
                "warm pool instance"
            } else {
                "cold launch"
            };
            let held = match needs_capacity {
                true => conditions.control_plane_until.saturating_sub(now),
                false => 0,
            };
            report.stalled |= held > 0;
            let refused = match needs_capacity && conditions.strained {
                true => self.refused_launches(r, how, held, conditions.impaired_until, cx),
                false => Attempts {
                    took: Some(0),
                    last_start: 0,
                    failed: 0,
                },
            };
            report.refused += refused.failed;
            let Some(mut wait) = refused.took.map(|took| held + took) else {
                self.launching[az] -= 1;
                break;
            };
            if !warm {
                wait = wait.max(self.ami_wait(region, cx));
            }
            let delay = wait + launch_delay(self, region, cx.rng);
            if warm {
                self.refill_pool(r, cx);
            }
            let event = AsgEvent::InstanceReady {
                region: r as u16,
                az: az as u16,
            };
            let az_name = &region.azs[az];
            let key = cx.activity_after(
                wait,
                delay,
                event,
                Phase::Capacity,
                || region.name.clone(),
                || format!("{how} in {az_name} until healthy in the ALB"),
            );
            self.in_flight.push(key);
        }
        report
    }

    /// The launch requests of region `r`, the first `after` from now, that EC2 refuses
    /// (insufficient capacity, throttling) before one is accepted: all of them until
    /// `impaired_until` (the recovery region impaired too), then each refused at once,
    /// retried after the model's delay. Times are from the first request.
    fn refused_launches<E>(
        &self,
        r: RegionId,
        how: &str,
        after: Millis,
        impaired_until: Millis,
        cx: &mut Ctx<E>,
    ) -> Attempts {
        let model = cx.model;
        let (now, row) = (cx.now() + after, &model.regions[r].name);
        let impaired = impaired_until.saturating_sub(now);
        let trace = &mut *cx.trace;
        if impaired > 0 {
            trace.span(
                Phase::Capacity,
                || row.clone(),
                now,
                impaired_until,
                || format!("{how} refused: the recovery region is impaired too"),
            );
        }
        let tries = retry::attempt(
            &model.recovery.launch_failure,
            cx.rng,
            |_| 0,
            |failed| {
                let what = || format!("{how} refused (insufficient capacity or throttling)");
                retry::record(trace, now + impaired, Phase::Capacity, row, what, failed);
            },
        );
        Attempts {
            took: tries.took.map(|t| t + impaired),
            last_start: tries.last_start + impaired,
            failed: tries.failed + u32::from(impaired > 0),
        }
    }

    /// A warm-pool instance was used: the group launches a new one into the pool, ready
    /// after a cold launch and bootstrap (it is stopped, hibernated or kept running
    /// once initialised).
    fn refill_pool<E: From<AsgEvent>>(&mut self, r: RegionId, cx: &mut Ctx<E>) {
        let region = &cx.model.regions[r];
        let asg = &region.asg;
        let delay = asg.launch_time.sample(cx.rng)
            + asg.bootstrap_time.sample(cx.rng)
            + asg.lifecycle_hook.sample(cx.rng)
            + asg.root_volume.hydration_delay();
        let event = AsgEvent::PoolRefilled { region: r as u16 };
        let key = cx.activity(
            delay,
            event,
            Phase::Capacity,
            || region.name.clone(),
            || "new warm pool instance (launch + bootstrap)".into(),
        );
        self.in_flight.push(key);
    }

    /// A new pool instance is ready: the pool grows back by one, up to its size and
    /// while desired capacity plus pool stays within the group's maximum.
    pub fn pool_refilled(&mut self, region: &Region) {
        let Some(pool) = &region.asg.warm_pool else {
            return;
        };
        if self.warm_left < pool.size && self.target + self.warm_left < region.asg.max {
            self.warm_left += 1;
        }
    }

    /// Remembers an event that dies with the region (see [`Fleet::void_in_flight`]).
    pub fn track(&mut self, key: EventKey) {
        self.in_flight.push(key);
    }

    /// The region was lost or rebuilt: launches and target removals under way are void.
    pub fn void_in_flight<E>(&mut self, scheduler: &mut Scheduler<E>) {
        for key in self.in_flight.drain(..) {
            scheduler.cancel(key);
        }
    }

    /// A launch in `az` finished. Returns whether the instance is alive; if not (its AZ
    /// or region died meanwhile) it must be replaced. A live instance that fails its
    /// first (deep) health check (`fails_check`) is registered but unhealthy: parked.
    pub fn instance_ready(&mut self, az: AzId, alive: bool, fails_check: bool) -> bool {
        self.launching[az] -= 1;
        if alive && fails_check {
            self.parked[az] += 1;
        } else if alive {
            self.routed[az] += 1;
        }
        alive
    }

    /// Raises the desired capacity to `n`, within the group's maximum `max`.
    pub fn raise_target(&mut self, n: u32, max: u32) {
        self.target = self.target.max(n.min(max));
    }

    /// Target tracking: the group of region `r` needs more instances than it has; its
    /// alarm fires after the scale-out delay.
    pub fn arm_scale_alarm<E: From<AsgEvent>>(&mut self, r: RegionId, cx: &mut Ctx<E>) {
        let region = &cx.model.regions[r];
        self.alarm_pending = true;
        let delay = region.asg.scale_out_delay.sample(cx.rng);
        let event = AsgEvent::ScaleAlarm { region: r as u16 };
        cx.activity(
            delay,
            event,
            Phase::Capacity,
            || region.name.clone(),
            || "scale-out alarm (load above capacity)".into(),
        );
    }

    /// Whether the load calls for more instances than carry it: `needed` instances
    /// against those that receive requests and are alive plus those launching (the
    /// capacity already added and warming up), while the group is below its maximum.
    pub fn wants_more(&self, needed: u32, max: u32) -> bool {
        needed > self.scaling_capacity() && self.target < max
    }

    /// The scale-out alarm of region `r` fired while `needed` instances are needed: the
    /// new desired capacity (the current one plus what the load-carrying instances lack),
    /// or `None` if none is needed or, for simple scaling, the cooldown defers it (the
    /// alarm then fires again when the cooldown ends).
    pub fn scale_alarm<E: From<AsgEvent>>(
        &mut self,
        r: RegionId,
        needed: u32,
        cx: &mut Ctx<E>,
    ) -> Option<u32> {
        self.alarm_pending = false;
        let asg = &cx.model.regions[r].asg;
        if !self.wants_more(needed, asg.max) {
            return None;
        }
        let now = cx.now();
        match asg.policy {
            ScalingPolicy::Simple => {
                if now < self.cooldown_until {
                    self.alarm_pending = true;
                    let event = AsgEvent::ScaleAlarm { region: r as u16 };
                    cx.scheduler.schedule_at(self.cooldown_until, event);
                    return None;
                }
                self.cooldown_until = now + asg.cooldown;
            }
            ScalingPolicy::TargetTracking | ScalingPolicy::Step => {}
        }
        Some(self.target + (needed - self.scaling_capacity()))
    }

    /// Instances that carry load or soon will: alive and receiving requests, or launching.
    pub fn scaling_capacity(&self) -> u32 {
        let serving: u32 = (0..self.routed.len()).map(|az| self.serving_in(az)).sum();
        serving + self.launching.iter().sum::<u32>()
    }

    /// Instances in rotation in `az` that are alive.
    pub fn alive_in(&self, az: AzId) -> u32 {
        self.routed[az] - self.dead[az]
    }

    /// The ALB took up to `count` dead targets of `az` out of rotation.
    pub fn remove_dead(&mut self, az: AzId, count: u32) {
        let n = count.min(self.dead[az]);
        self.routed[az] -= n;
        self.dead[az] -= n;
    }

    /// Deep health checks took the live targets of `az` out of rotation.
    pub fn park(&mut self, az: AzId) {
        self.parked[az] += self.alive_in(az);
        self.routed[az] = self.dead[az];
    }

    /// Parked targets of `az` pass their health checks again.
    pub fn unpark(&mut self, az: AzId) {
        self.routed[az] += self.parked[az];
        self.parked[az] = 0;
    }

    /// Instances the ASG counts towards its desired capacity.
    pub fn counted(&self) -> u32 {
        let sum = |v: &[u32]| v.iter().sum::<u32>();
        sum(&self.routed) - sum(&self.dead) + sum(&self.parked) + sum(&self.launching)
    }

    /// Instances in rotation.
    pub fn routed_total(&self) -> u32 {
        self.routed.iter().sum()
    }

    /// The ALB fails open: no target is in rotation but some registered ones are
    /// unhealthy while alive (parked by a failed deep health check), so it routes
    /// requests to all of them regardless of their health ("If a target group contains
    /// only unhealthy registered targets, the load balancer routes requests to all those
    /// targets, regardless of their health status").
    pub fn fails_open(&self) -> bool {
        self.routed_total() == 0 && self.parked.iter().any(|&n| n > 0)
    }

    /// Targets the ALB sends requests to in `az` that are alive: those in rotation, or
    /// the parked ones when it fails open.
    pub fn serving_in(&self, az: AzId) -> u32 {
        if self.fails_open() {
            self.parked[az]
        } else {
            self.alive_in(az)
        }
    }

    /// Targets the ALB spreads requests over: those in rotation, or every parked one when
    /// it fails open.
    pub fn receiving_total(&self) -> u32 {
        if self.fails_open() {
            self.parked.iter().sum()
        } else {
            self.routed_total()
        }
    }

    /// The AZ a new instance goes to: the live AZ with the fewest instances, parked ones
    /// included (the ASG balances across zones and does not know about the ALB's deep
    /// health checks), the first such AZ on a tie; `None` if no AZ is up.
    pub fn pick_az(&self, az_up: &[bool]) -> Option<usize> {
        (0..self.routed.len())
            .filter(|&az| az_up[az])
            .min_by_key(|&az| (self.routed[az] + self.parked[az] + self.launching[az], az))
    }
}

/// How long one new instance takes from launch to receiving traffic: from the warm pool
/// if one is left (its state's time to InService), else a cold launch with bootstrap and
/// lifecycle hook; then the ALB's first health check (a new target needs one).
pub fn launch_delay<R: Rng + ?Sized>(fleet: &mut Fleet, region: &Region, rng: &mut R) -> Millis {
    let asg = &region.asg;
    let in_service = match &asg.warm_pool {
        Some(warm) if fleet.warm_left > 0 => {
            fleet.warm_left -= 1;
            warm.time_to_in_service.sample(rng)
        }
        _ => {
            asg.launch_time.sample(rng)
                + asg.bootstrap_time.sample(rng)
                + asg.lifecycle_hook.sample(rng)
                + asg.root_volume.hydration_delay()
        }
    };
    in_service + alb::registered_delay(&region.alb, rng)
}

/// Instances needed to serve `rps`, within the group's maximum.
pub fn needed(region: &Region, rps: f64, capacity_rps: f64) -> u32 {
    let n = (rps / capacity_rps - 1e-9).ceil().max(0.0) as u32;
    n.min(region.asg.max)
}
