//! ALB target group health checks: how long until a target's change of state is seen,
//! and the events that change which targets are in rotation (the counts themselves are
//! the [`Fleet`](super::asg::Fleet)'s).
//!
//! A newly registered target needs one passing check ([`registered_delay`]); the healthy
//! threshold applies only to a target coming back from unhealthy ([`healthy_delay`]).
//! When every registered target of a group is unhealthy the ALB fails open and routes
//! to all of them ([`Fleet::fails_open`](super::asg::Fleet::fails_open)). Both from ELB,
//! "Health checks for Application Load Balancer target groups" (docs/sources.md
//! #alb-target-group-health).

use rand::Rng;

use crate::model::{Alb, Millis};

/// The load balancer's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlbEvent {
    /// Health checks take `count` dead targets of an AZ out of rotation (the ASG then
    /// replaces them).
    TargetsUnhealthy {
        /// Region of the load balancer.
        region: u16,
        /// AZ of the targets.
        az: u16,
        /// How many died.
        count: u32,
    },
    /// Deep health checks take live targets without outbound access out of rotation.
    TargetsParked {
        /// Region of the load balancer.
        region: u16,
        /// AZ of the targets.
        az: u16,
    },
    /// Parked targets pass their health checks again.
    TargetsUnparked {
        /// Region of the load balancer.
        region: u16,
        /// AZ of the targets.
        az: u16,
    },
}

fn delay<R: Rng + ?Sized>(alb: &Alb, threshold: u32, rng: &mut R) -> Millis {
    let phase = rng.next_u64() % alb.interval.max(1);
    u64::from(threshold.saturating_sub(1)) * alb.interval + phase
}

/// From a target breaking to the ALB taking it out of rotation:
/// `(unhealthy_threshold - 1) * interval` plus the check phase.
pub fn unhealthy_delay<R: Rng + ?Sized>(alb: &Alb, rng: &mut R) -> Millis {
    delay(alb, alb.unhealthy_threshold, rng)
}

/// From a newly registered target (InService) to receiving traffic: "After your target
/// is registered, it must pass one health check to be considered healthy", i.e. the
/// check phase alone, uniform on `[0, interval)`.
pub fn registered_delay<R: Rng + ?Sized>(alb: &Alb, rng: &mut R) -> Millis {
    delay(alb, 1, rng)
}

/// From an unhealthy target (taken out of rotation while alive) passing its checks again
/// to receiving traffic: `(healthy_threshold - 1) * interval` plus the check phase.
pub fn healthy_delay<R: Rng + ?Sized>(alb: &Alb, rng: &mut R) -> Millis {
    delay(alb, alb.healthy_threshold, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Defaults (30 s, healthy 5, unhealthy 2): out of rotation in [30 s, 60 s), back
    /// into rotation in [120 s, 150 s), a new target in [0 s, 30 s).
    #[test]
    fn default_checks_take_the_documented_time() {
        let alb = Alb {
            interval: 30_000,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            deep_health_check: true,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for _ in 0..1000 {
            assert!((30_000..60_000).contains(&unhealthy_delay(&alb, &mut rng)));
            assert!((120_000..150_000).contains(&healthy_delay(&alb, &mut rng)));
            assert!((0..30_000).contains(&registered_delay(&alb, &mut rng)));
        }
    }
}
