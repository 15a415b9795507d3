//! Auto Scaling group of one region: instances per AZ, launches, warm pool.
//!
//! Instances are counted, not tracked one by one: per AZ, how many the ALB routes to,
//! how many of those are dead but not yet detected, how many were taken out of rotation
//! while alive (deep health check failing), and how many are launching.

use rand::Rng;

use super::alb;
use crate::model::{Millis, Region};

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

    /// The AZ a new instance goes to: the live AZ with the fewest instances (the ASG
    /// balances across zones), or `None` if no AZ is up.
    pub fn pick_az(&self, az_up: &[bool]) -> Option<usize> {
        (0..self.routed.len())
            .filter(|&az| az_up[az])
            .min_by_key(|&az| (self.routed[az] + self.launching[az], az))
    }
}

/// How long one new instance takes from launch to receiving traffic: from the warm pool
/// if one is left (its state's time to InService), else a cold launch with bootstrap and
/// lifecycle hook; then the ALB's healthy threshold.
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
        }
    };
    in_service + alb::healthy_delay(&region.alb, rng)
}

/// Instances needed to serve `rps`, within the group's maximum.
pub fn needed(region: &Region, rps: f64, capacity_rps: f64) -> u32 {
    let n = (rps / capacity_rps - 1e-9).ceil().max(0.0) as u32;
    n.min(region.asg.max)
}
