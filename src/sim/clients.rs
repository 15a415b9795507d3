//! How clients follow a new DNS answer: as their caches expire. With a large population
//! whose cache ages are spread evenly, the share of clients that moved `tau` after the
//! switch is, exactly in the limit of many clients,
//!
//! `moved(tau) = h * min(1, tau / ttl) + (1 - h) * F_stale(tau)`
//!
//! where `h` is the share honouring the TTL and `F_stale` the distribution of how long the
//! others keep a stale answer. drsim uses this closed form instead of one event per
//! client group; `tests` checks it against a client-by-client simulation. Routing
//! ([`crate::sim::components::routing`]) decides the answer; the service meter
//! ([`crate::sim::service`]) reads how far clients have followed it.

use crate::model::dist::normal_cdf;
use crate::model::{Dist, Routing};
use std::cell::RefCell;
use std::collections::HashMap;
use std::f64::consts::PI;

/// Share of TTL-honouring clients that moved to the new answer `tau` ms after it reached
/// the edge: their cache ages are uniform over one TTL.
pub fn honouring_moved(routing: &Routing, tau: f64) -> f64 {
    match &routing.dns {
        Some(dns) if dns.ttl > 0 => (tau / dns.ttl as f64).clamp(0.0, 1.0),
        _ => 1.0, // no TTL, or Global Accelerator: no client caching.
    }
}

/// Share of the clients that ignore the TTL that moved `tau` ms after the new answer
/// reached the edge: the distribution of their stale hold.
pub fn stale_moved(routing: &Routing, tau: f64) -> f64 {
    match &routing.dns {
        Some(dns) => dns.stale_hold.cdf(tau),
        None => 1.0,
    }
}

/// Share of clients that honour the TTL (1 with Global Accelerator: nobody caches).
pub fn honour_share(routing: &Routing) -> f64 {
    routing.dns.as_ref().map_or(1.0, |dns| dns.honour_share)
}

/// Share of clients that moved to the new answer `tau` ms after it reached the edge.
pub fn moved_share(routing: &Routing, tau: f64) -> f64 {
    mixed_moved(routing, honour_share(routing), tau)
}

/// Share moved `tau` ms after a switch for a mix of the two populations in which the
/// TTL-honouring clients weigh `w` and the stale ones `1 - w`.
pub fn mixed_moved(routing: &Routing, w: f64, tau: f64) -> f64 {
    if routing.dns.is_none() {
        return 1.0; // Global Accelerator: no client caching.
    }
    w * honouring_moved(routing, tau) + (1.0 - w) * stale_moved(routing, tau)
}

/// Smallest `tau` at which [`moved_share`] reaches `target` (to within a microsecond).
pub fn time_to_move(routing: &Routing, target: f64) -> f64 {
    time_to_move_mixed(routing, honour_share(routing), target)
}

/// Smallest `tau` at which [`mixed_moved`] with weight `w` reaches `target` (to within a
/// microsecond).
///
/// The bisection costs some 40 evaluations of the stale-hold distribution, and the same
/// few (routing, weight, target) come back trial after trial (a region outage always
/// needs 99% of all clients), so results are memoised per thread, keyed by the bits of
/// everything the answer depends on: the same inputs give the very same `f64`, so a
/// memoised run is byte-identical to an unmemoised one.
pub fn time_to_move_mixed(routing: &Routing, w: f64, target: f64) -> f64 {
    let Some(key) = memo_key(routing, w, target) else {
        return solve_time_to_move(routing, w, target);
    };
    MEMO.with(|memo| {
        if let Some(&tau) = memo.borrow().get(&key) {
            return tau;
        }
        let tau = solve_time_to_move(routing, w, target);
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_CAPACITY {
            memo.clear(); // bounded memory; a model has a handful of keys in practice
        }
        memo.insert(key, tau);
        tau
    })
}

/// Entries kept per thread before the memo starts afresh.
const MEMO_CAPACITY: usize = 1 << 14;

thread_local! {
    static MEMO: RefCell<HashMap<[u64; 7], f64>> = RefCell::new(HashMap::new());
}

/// The memo key: TTL, stale-hold distribution (variant and parameters), weight and
/// target, as bits. `None` without DNS caching (nothing to solve).
fn memo_key(routing: &Routing, w: f64, target: f64) -> Option<[u64; 7]> {
    let dns = routing.dns.as_ref()?;
    let (tag, p) = match dns.stale_hold {
        Dist::Fixed(v) => (0, [v, 0.0, 0.0]),
        Dist::Uniform { min, max } => (1, [min, max, 0.0]),
        Dist::Triangular { min, mode, max } => (2, [min, mode, max]),
        Dist::Exponential { mean } => (3, [mean, 0.0, 0.0]),
        Dist::Normal { mean, sd } => (4, [mean, sd, 0.0]),
        Dist::LogNormal { median, p95 } => (5, [median, p95, 0.0]),
    };
    Some([
        dns.ttl,
        tag,
        p[0].to_bits(),
        p[1].to_bits(),
        p[2].to_bits(),
        w.to_bits(),
        target.to_bits(),
    ])
}

/// The bisection behind [`time_to_move_mixed`].
fn solve_time_to_move(routing: &Routing, w: f64, target: f64) -> f64 {
    let moved = |tau: f64| mixed_moved(routing, w, tau);
    if target <= 0.0 || moved(0.0) >= target {
        return 0.0;
    }
    let mut hi = routing.dns.as_ref().map_or(1.0, |d| d.ttl.max(1) as f64);
    for _ in 0..64 {
        if moved(hi) >= target {
            break;
        }
        hi *= 2.0;
    }
    let mut lo = 0.0;
    while hi - lo > 1e-3 {
        let mid = 0.5 * (lo + hi);
        if moved(mid) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// `integral from 0 to tau of (1 - honouring_moved)`: how long, summed over the first
/// `tau` ms, the TTL-honouring clients were still on the old answer (ms).
pub fn honouring_unmoved_integral(routing: &Routing, tau: f64) -> f64 {
    match &routing.dns {
        Some(dns) if dns.ttl > 0 => {
            let ttl = dns.ttl as f64;
            let t = tau.clamp(0.0, ttl);
            t - t * t / (2.0 * ttl)
        }
        _ => 0.0,
    }
}

/// `integral from 0 to tau of (1 - stale_moved)`: the same for the clients ignoring the
/// TTL, i.e. `E[min(hold, tau)]` of their stale hold (ms).
pub fn stale_unmoved_integral(routing: &Routing, tau: f64) -> f64 {
    match &routing.dns {
        Some(dns) => limited_mean(&dns.stale_hold, tau.max(0.0)),
        None => 0.0,
    }
}

/// `E[min(X, tau)] = integral from 0 to tau of (1 - F(x))`, in closed form for every
/// distribution (a normal is clamped at zero, as its samples are).
pub fn limited_mean(dist: &Dist, tau: f64) -> f64 {
    match *dist {
        Dist::Fixed(value) => value.max(0.0).min(tau),
        // 1 - F is linear or quadratic between the breakpoints: Simpson's rule is exact.
        Dist::Uniform { min, max } => piecewise_simpson(dist, tau, &[min, max]),
        Dist::Triangular { min, mode, max } => piecewise_simpson(dist, tau, &[min, mode, max]),
        Dist::Exponential { mean } => mean * (1.0 - (-tau / mean).exp()),
        Dist::Normal { mean, sd } => {
            // integral of Phi(z) dz = z Phi(z) + phi(z).
            let g = |z: f64| z * normal_cdf(z) + (-0.5 * z * z).exp() / (2.0 * PI).sqrt();
            tau - sd * (g((tau - mean) / sd) - g(-mean / sd))
        }
        Dist::LogNormal { median, p95 } => {
            if tau <= 0.0 {
                return 0.0;
            }
            let sigma = (p95 / median).ln() / 1.644_853_626_951_472_2;
            let mu = median.ln();
            let z = (tau.ln() - mu) / sigma;
            (mu + sigma * sigma / 2.0).exp() * normal_cdf(z - sigma) + tau * (1.0 - normal_cdf(z))
        }
    }
}

/// `integral from 0 to tau of (1 - F)` for a distribution whose `1 - F` is a polynomial of
/// degree at most 2 between consecutive `breaks` (and 1 below the first).
fn piecewise_simpson(dist: &Dist, tau: f64, breaks: &[f64]) -> f64 {
    let survival = |x: f64| 1.0 - dist.cdf(x);
    let first = breaks[0].max(0.0);
    let mut total = tau.min(first);
    for pair in breaks.windows(2) {
        let (lo, hi) = (pair[0].max(0.0), pair[1].min(tau));
        if hi > lo {
            let mid = 0.5 * (lo + hi);
            total += (hi - lo) / 6.0 * (survival(lo) + 4.0 * survival(mid) + survival(hi));
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dist, DnsCaching, HealthCheck, RoutingMode};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn route53(ttl_s: u64, honour: f64) -> Routing {
        Routing {
            mode: RoutingMode::Failover,
            health_check: HealthCheck {
                interval: 30_000,
                failure_threshold: 3,
            },
            dns: Some(DnsCaching {
                ttl: ttl_s * 1000,
                honour_share: honour,
                stale_hold: Dist::LogNormal {
                    median: 300_000.0,
                    p95: 1_800_000.0,
                },
            }),
            propagation: Dist::Fixed(0.0),
            failover_by: crate::model::FailoverBy::HealthCheck,
        }
    }

    #[test]
    fn honouring_clients_move_linearly_over_one_ttl() {
        let r = route53(60, 1.0);
        assert_eq!(moved_share(&r, 0.0), 0.0);
        assert!((moved_share(&r, 30_000.0) - 0.5).abs() < 1e-12);
        assert_eq!(moved_share(&r, 60_000.0), 1.0);
        assert!((time_to_move(&r, 0.99) - 59_400.0).abs() <= 1.0);
    }

    #[test]
    fn stale_clients_set_the_tail() {
        // 95% honour a 60 s TTL; reaching 99% needs 80% of the stale ones, i.e. the
        // 80th percentile of their hold time (lognormal median 5 m, p95 30 m).
        let r = route53(60, 0.95);
        let tau = time_to_move(&r, 0.99);
        let hold = Dist::LogNormal {
            median: 300_000.0,
            p95: 1_800_000.0,
        };
        assert!(
            (hold.cdf(tau) - 0.8).abs() < 1e-4,
            "cdf at {tau} = {}",
            hold.cdf(tau)
        );
    }

    #[test]
    fn accelerator_moves_everyone_at_once() {
        let mut r = route53(60, 1.0);
        r.dns = None;
        assert_eq!(moved_share(&r, 0.0), 1.0);
        assert_eq!(time_to_move(&r, 0.99), 0.0);
    }

    /// The closed form agrees with a client-by-client simulation: 20 000 clients, each
    /// with a cache age uniform over the TTL or a stale hold drawn from its distribution.
    #[test]
    fn closed_form_matches_client_by_client_simulation() {
        let r = route53(60, 0.9);
        let dns = r.dns.as_ref().unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 20_000;
        let moves: Vec<f64> = (0..n)
            .map(|_| {
                if (rng.next_u64() as f64 / u64::MAX as f64) < dns.honour_share {
                    (rng.next_u64() % dns.ttl) as f64
                } else {
                    dns.stale_hold.sample_f64(&mut rng)
                }
            })
            .collect();
        for tau in [10_000.0, 45_000.0, 120_000.0, 600_000.0] {
            let empirical = moves.iter().filter(|&&m| m <= tau).count() as f64 / n as f64;
            let p = moved_share(&r, tau);
            let tolerance = 4.0 * (p * (1.0 - p) / n as f64).sqrt() + 1e-3;
            assert!(
                (empirical - p).abs() < tolerance,
                "tau {tau}: {empirical} vs {p}"
            );
        }
    }

    /// `E[min(X, tau)]` in closed form agrees with a fine numerical integral of `1 - F`.
    #[test]
    fn limited_mean_is_the_integral_of_the_survival() {
        let dists = [
            Dist::Fixed(40_000.0),
            Dist::Uniform {
                min: 10_000.0,
                max: 70_000.0,
            },
            Dist::Triangular {
                min: 5_000.0,
                mode: 20_000.0,
                max: 90_000.0,
            },
            Dist::Exponential { mean: 30_000.0 },
            Dist::Normal {
                mean: 50_000.0,
                sd: 10_000.0,
            },
            Dist::LogNormal {
                median: 300_000.0,
                p95: 1_800_000.0,
            },
        ];
        for dist in &dists {
            for tau in [0.0, 15_000.0, 45_000.0, 600_000.0, 10_000_000.0] {
                let steps = 200_000;
                let h = tau / steps as f64;
                let numeric: f64 = (0..steps)
                    .map(|i| h * (1.0 - dist.cdf((i as f64 + 0.5) * h)))
                    .sum();
                let exact = limited_mean(dist, tau);
                assert!(
                    (exact - numeric).abs() < 1e-4 * tau.max(1.0),
                    "{dist:?} tau {tau}: {exact} vs {numeric}"
                );
            }
        }
    }

    /// The memo gives exactly what the bisection gives, for every key it was asked.
    #[test]
    fn memoised_time_to_move_is_the_bisection() {
        let r = route53(60, 0.95);
        for i in 0..200 {
            let target = 0.5 + 0.5 * f64::from(i) / 200.0;
            for w in [0.95, 0.9, 1.0, 0.3] {
                let first = time_to_move_mixed(&r, w, target);
                let again = time_to_move_mixed(&r, w, target);
                let direct = solve_time_to_move(&r, w, target);
                assert_eq!(first.to_bits(), direct.to_bits());
                assert_eq!(again.to_bits(), direct.to_bits());
            }
        }
    }
}
