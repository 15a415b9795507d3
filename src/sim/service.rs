//! The service meter: share of client requests succeeding over time, and from it the
//! trial's RTO, time to first success and time to full capacity.
//!
//! Between two events the state of every component is fixed; only clients keep moving
//! from the old routing answer to the new one, the TTL-honouring ones and the stale ones
//! each at their own pace (see [`crate::sim::clients`]). The share succeeding is then
//! `a + b_h * moved_h(t - switched_at) + b_s * moved_s(t - switched_at)` with both
//! `moved` non-decreasing. When `b_h` and `b_s` have the same sign (always, with two
//! regions) it is monotone between events and its crossing of the threshold is solved
//! exactly ([`crate::sim::clients::time_to_move_mixed`]) instead of sampling time.

use crate::model::{MAX_RTO_THRESHOLDS, Millis, Routing};
use crate::sim::clients;

/// One stretch of time between events: success share
/// `a + b_honouring * moved_h(t - switched_at) + b_stale * moved_s(t - switched_at)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Piece {
    /// Share succeeding for clients still where they were when the answer changed.
    pub a: f64,
    /// Extra share once every TTL-honouring client follows the new answer (may be
    /// negative), as a share of all clients.
    pub b_honouring: f64,
    /// Extra share once every client ignoring the TTL follows the new answer (may be
    /// negative), as a share of all clients.
    pub b_stale: f64,
    /// When the current answer reached the edge.
    pub switched_at: Millis,
    /// Whether the new answer's regions can carry the full load.
    pub full_capacity: bool,
}

impl Piece {
    /// Success share at `t` (not clamped).
    pub fn share_at(&self, routing: &Routing, t: Millis) -> f64 {
        if self.b_honouring == 0.0 && self.b_stale == 0.0 {
            return self.a; // flat: skip the client-cache maths (most pieces).
        }
        let tau = t.saturating_sub(self.switched_at) as f64;
        let mut share = self.a;
        if self.b_honouring != 0.0 {
            share += self.b_honouring * clients::honouring_moved(routing, tau);
        }
        if self.b_stale != 0.0 {
            share += self.b_stale * clients::stale_moved(routing, tau);
        }
        share
    }

    /// `integral from start to end of (1 - share)`, ms, exactly: each population's
    /// not-yet-moved share integrates in closed form
    /// ([`clients::honouring_unmoved_integral`], [`clients::stale_unmoved_integral`]).
    pub fn failing_integral(&self, routing: &Routing, start: Millis, end: Millis) -> f64 {
        let span = end.saturating_sub(start) as f64;
        let (b_h, b_s) = (self.b_honouring, self.b_stale);
        let mut failing = (1.0 - self.a - b_h - b_s) * span;
        let tau = |t: Millis| t.saturating_sub(self.switched_at) as f64;
        let (t0, t1) = (tau(start), tau(end));
        if b_h != 0.0 {
            failing += b_h
                * (clients::honouring_unmoved_integral(routing, t1)
                    - clients::honouring_unmoved_integral(routing, t0));
        }
        if b_s != 0.0 {
            failing += b_s
                * (clients::stale_unmoved_integral(routing, t1)
                    - clients::stale_unmoved_integral(routing, t0));
        }
        failing
    }

    /// Whether the share is monotone over the piece: both populations pull the same way.
    fn monotone(&self) -> bool {
        self.b_honouring * self.b_stale >= 0.0
    }
}

/// Tracks when service was last (re)established for good, at the recovery threshold and
/// at each share of `rto_thresholds`, in one pass over the pieces.
#[derive(Clone, Debug)]
pub struct Meter {
    /// The recovery threshold, then the extra shares; `count` of them are used.
    thresholds: [f64; 1 + MAX_RTO_THRESHOLDS],
    /// Per threshold: start of the running stretch at or above it.
    good_since: [Option<Millis>; 1 + MAX_RTO_THRESHOLDS],
    count: usize,
    piece: Piece,
    since: Millis,
    full_since: Option<Millis>,
    first_success: Option<Millis>,
    /// Integral so far of the share of requests failing, ms.
    outage: f64,
}

/// What the meter concluded at the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// RTO: start of the last stretch at or above the threshold that lasts to the horizon.
    pub rto: Option<Millis>,
    /// The RTO at each extra share, in the order given (the rest `None`).
    pub rto_at: [Option<Millis>; MAX_RTO_THRESHOLDS],
    /// First instant any request succeeded.
    pub first_success: Option<Millis>,
    /// Start of the last stretch with full capacity that lasts to the horizon.
    pub full_capacity: Option<Millis>,
    /// Integral over the trial (to the horizon) of the share of requests failing, in ms
    /// of full outage (rounded): half the requests failing for an hour is 30 min.
    pub outage: Millis,
}

/// Tolerance for "the share is at the threshold": shares are sums of a few ratios.
const EPS: f64 = 1e-9;

/// Grid on which a non-monotone stretch (populations pulling opposite ways, only with
/// three regions or more, or active/active) is scanned for its last dip, ms.
const SCAN_STEP: Millis = 1_000;

impl Meter {
    /// A meter that counts a share at or above `threshold` as recovered, and also
    /// times the shares `extra` (at most [`MAX_RTO_THRESHOLDS`]), starting at time 0 in
    /// the state `piece` (the state right after the disaster struck).
    pub fn new(threshold: f64, extra: &[f64], piece: Piece) -> Self {
        let mut thresholds = [threshold; 1 + MAX_RTO_THRESHOLDS];
        thresholds[1..=extra.len()].copy_from_slice(extra);
        let mut meter = Meter {
            thresholds,
            good_since: [None; 1 + MAX_RTO_THRESHOLDS],
            count: 1 + extra.len(),
            piece,
            since: 0,
            full_since: None,
            first_success: None,
            outage: 0.0,
        };
        meter.start_piece(0, piece);
        meter
    }

    /// The state changed at `now`: close the running piece and start `piece`.
    pub fn advance(&mut self, routing: &Routing, now: Millis, piece: Piece) {
        self.close_piece(routing, now);
        self.start_piece(now, piece);
    }

    /// Closes the last piece at the horizon and gives the verdict.
    pub fn finish(mut self, routing: &Routing, horizon: Millis) -> Verdict {
        self.close_piece(routing, horizon);
        let mut rto_at = [None; MAX_RTO_THRESHOLDS];
        rto_at.copy_from_slice(&self.good_since[1..]);
        Verdict {
            rto: self.good_since[0],
            rto_at,
            first_success: self.first_success,
            full_capacity: self.full_since,
            outage: self.outage.max(0.0).round() as Millis,
        }
    }

    fn start_piece(&mut self, now: Millis, piece: Piece) {
        self.piece = piece;
        self.since = now;
        if piece.full_capacity {
            self.full_since.get_or_insert(now);
        } else {
            self.full_since = None;
        }
    }

    /// Folds the running piece, which lasted from `self.since` to `end`, into the record.
    fn close_piece(&mut self, routing: &Routing, end: Millis) {
        let piece = self.piece;
        self.outage += piece.failing_integral(routing, self.since, end);
        let share_at = |t: Millis| piece.share_at(routing, t);
        let shares = (share_at(self.since), share_at(end));
        let (start_share, end_share) = shares;
        if self.first_success.is_none() && (start_share > EPS || end_share > EPS) {
            let first = if start_share > EPS {
                self.since
            } else {
                self.since.max(piece.switched_at) + 1
            };
            self.first_success = Some(first.min(end));
        }
        let span = (self.since, end);
        for i in 0..self.count {
            self.good_since[i] = good_since_after(
                &piece,
                routing,
                span,
                self.thresholds[i],
                self.good_since[i],
                shares,
            );
        }
    }
}

/// Start of the running stretch at or above `threshold` once `piece` has lasted over
/// `span` (`(since, end)`), given the start before it (`good_since`) and the share at
/// both ends (`shares`); `None` if the piece ends below the threshold.
fn good_since_after(
    piece: &Piece,
    routing: &Routing,
    (since, end): (Millis, Millis),
    threshold: f64,
    good_since: Option<Millis>,
    (start_share, end_share): (f64, f64),
) -> Option<Millis> {
    let good = |share: f64| share + EPS >= threshold;
    if !good(end_share) {
        None
    } else if !piece.monotone() {
        mixed_crossing(piece, routing, (since, end), threshold)
            .or(good_since)
            .or(Some(since))
    } else if good(start_share) {
        good_since.or(Some(since))
    } else if good_since.is_none() {
        // Rising through the threshold inside this piece: solve for the crossing.
        let b = piece.b_honouring + piece.b_stale;
        let needed = (threshold - piece.a) / b;
        let w = piece.b_honouring / b;
        let tau = clients::time_to_move_mixed(routing, w, needed - EPS).round() as Millis;
        Some((piece.switched_at + tau).clamp(since, end))
    } else {
        good_since
    }
}

/// A piece whose populations pull opposite ways and that ends at or above `threshold`:
/// the last crossing into it, or `None` if the share stays at or above it throughout.
/// Once a TTL has passed the honouring clients have all moved, and the share is monotone
/// again: the crossing there is found by bisection. Before, the share is scanned every
/// [`SCAN_STEP`] for its last dip below the threshold (an approximation: a dip narrower
/// than the step between two grid points is missed).
fn mixed_crossing(
    piece: &Piece,
    routing: &Routing,
    (since, end): (Millis, Millis),
    threshold: f64,
) -> Option<Millis> {
    let good = |t: Millis| piece.share_at(routing, t) + EPS >= threshold;
    let ttl = routing.dns.as_ref().map_or(0, |d| d.ttl);
    let settled = (piece.switched_at + ttl).clamp(since, end);
    if !good(settled) {
        return Some(first_good(good, settled, end));
    }
    let mut t = settled;
    while t > since {
        let earlier = t.saturating_sub(SCAN_STEP).max(since);
        if !good(earlier) {
            return Some(first_good(good, earlier, t));
        }
        t = earlier;
    }
    None
}

/// Smallest `t` in `(lo, hi]` that is `good`, given `lo` is not, `hi` is and `good` is
/// monotone in between: a bisection on whole milliseconds.
fn first_good(good: impl Fn(Millis) -> bool, mut lo: Millis, mut hi: Millis) -> Millis {
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if good(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// The success share sampled over a timeline of `pieces` that ends at `end`: each piece's
/// start and end, and points in between while clients move.
pub fn success_curve(
    pieces: &[(Millis, Piece)],
    end: Millis,
    routing: &Routing,
) -> Vec<(Millis, f64)> {
    const STEPS: u64 = 40;
    let mut curve = Vec::new();
    for (i, (start, piece)) in pieces.iter().enumerate() {
        let stop = pieces.get(i + 1).map_or(end, |(t, _)| *t).max(*start);
        let flat = piece.b_honouring == 0.0 && piece.b_stale == 0.0;
        let steps = if flat { 1 } else { STEPS };
        for k in 0..=steps {
            let t = start + (stop - start) * k / steps;
            curve.push((t, piece.share_at(routing, t).clamp(0.0, 1.0)));
        }
    }
    curve
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dist, DnsCaching, HealthCheck, RoutingMode};

    fn route53(ttl: Millis) -> Routing {
        Routing {
            mode: RoutingMode::Failover,
            health_check: HealthCheck {
                interval: 30_000,
                failure_threshold: 3,
            },
            dns: Some(DnsCaching {
                ttl,
                honour_share: 1.0,
                stale_hold: Dist::Fixed(0.0),
            }),
            propagation: Dist::Fixed(0.0),
            failover_by: crate::model::FailoverBy::HealthCheck,
        }
    }

    fn piece(a: f64, b: f64, switched_at: Millis) -> Piece {
        Piece {
            a,
            b_honouring: b,
            b_stale: 0.0,
            switched_at,
            full_capacity: a + b >= 1.0,
        }
    }

    #[test]
    fn outage_then_instant_repair_gives_the_repair_time() {
        let r = route53(60_000);
        let mut m = Meter::new(0.99, &[], piece(0.0, 0.0, 0));
        m.advance(&r, 5_000, piece(1.0, 0.0, 0));
        let v = m.finish(&r, 100_000);
        assert_eq!(
            (v.rto, v.first_success, v.full_capacity),
            (Some(5_000), Some(5_000), Some(5_000))
        );
    }

    /// Failover at 10 s to a healthy region with a 60 s TTL: 99% of clients moved after
    /// 0.99 * 60 s.
    #[test]
    fn recovery_through_dns_is_reached_when_enough_clients_moved() {
        let r = route53(60_000);
        let mut m = Meter::new(0.99, &[], piece(0.0, 0.0, 0));
        m.advance(&r, 10_000, piece(0.0, 1.0, 10_000));
        let v = m.finish(&r, 1_000_000);
        assert_eq!(v.rto, Some(10_000 + 59_400));
        assert_eq!(v.first_success, Some(10_001));
    }

    #[test]
    fn a_relapse_restarts_the_clock() {
        let r = route53(0);
        let mut m = Meter::new(0.99, &[], piece(0.0, 0.0, 0));
        m.advance(&r, 1_000, piece(1.0, 0.0, 0));
        m.advance(&r, 2_000, piece(0.5, 0.0, 0));
        m.advance(&r, 9_000, piece(1.0, 0.0, 0));
        assert_eq!(m.finish(&r, 50_000).rto, Some(9_000));
    }

    #[test]
    fn never_back_at_the_threshold_is_never_recovered() {
        let r = route53(0);
        let m = Meter::new(0.99, &[], piece(0.9, 0.0, 0));
        let v = m.finish(&r, 50_000);
        assert_eq!(v.rto, None);
        assert_eq!(v.first_success, Some(0));
    }

    #[test]
    fn an_unaffected_service_recovers_at_zero() {
        let r = route53(0);
        let m = Meter::new(0.99, &[], piece(1.0, 0.0, 0));
        assert_eq!(m.finish(&r, 50_000).rto, Some(0));
    }

    /// Half the requests fail for an hour, then all succeed: 30 min of full outage.
    #[test]
    fn half_failing_for_an_hour_is_half_an_hour_of_outage() {
        let r = route53(60_000);
        let mut m = Meter::new(0.99, &[], piece(0.5, 0.0, 0));
        m.advance(&r, 3_600_000, piece(1.0, 0.0, 0));
        assert_eq!(m.finish(&r, 10 * 3_600_000).outage, 1_800_000);
    }

    /// Everyone down until 10 s, then clients move to a healthy region over a 60 s TTL:
    /// 10 s + the half TTL during which on average half of them still fail = 40 s.
    #[test]
    fn clients_moving_over_a_ttl_fail_half_of_it() {
        let r = route53(60_000);
        let mut m = Meter::new(0.99, &[], piece(0.0, 0.0, 0));
        m.advance(&r, 10_000, piece(0.0, 1.0, 10_000));
        assert_eq!(m.finish(&r, 1_000_000).outage, 40_000);
    }

    /// A success curve in steps: nothing until 10 s, 60% of capacity back at 20 s, all
    /// of it at 50 s. By hand: 50% of requests succeed from 20 s on, 90% from 50 s
    /// (60% < 90%), and the recovery threshold (99%) also from 50 s.
    #[test]
    fn each_share_is_timed_where_the_curve_steps_over_it() {
        let r = route53(0);
        let mut m = Meter::new(0.99, &[0.5, 0.9], piece(0.0, 0.0, 0));
        m.advance(&r, 20_000, piece(0.6, 0.0, 0));
        m.advance(&r, 50_000, piece(1.0, 0.0, 0));
        let v = m.finish(&r, 100_000);
        assert_eq!(v.rto, Some(50_000));
        assert_eq!(v.rto_at[..3], [Some(20_000), Some(50_000), None]);
    }

    /// Clients moving over a 60 s TTL from a switch at 10 s: the share is tau / 60 s, so
    /// half of them succeed 30 s after the switch and 90% after 54 s; a dip back to 70%
    /// at 200 s (relapse) restarts the 90% clock, not the 50% one.
    #[test]
    fn a_share_is_crossed_while_clients_move_and_restarts_on_its_own_relapse() {
        let r = route53(60_000);
        let mut m = Meter::new(0.99, &[0.5, 0.9], piece(0.0, 0.0, 0));
        m.advance(&r, 10_000, piece(0.0, 1.0, 10_000));
        m.advance(&r, 200_000, piece(0.7, 0.0, 0));
        m.advance(&r, 300_000, piece(1.0, 0.0, 0));
        let v = m.finish(&r, 1_000_000);
        assert_eq!(v.rto_at[..2], [Some(10_000 + 30_000), Some(300_000)]);
        assert_eq!(v.rto, Some(300_000));
    }

    /// Populations pulling opposite ways (only with three regions or active/active):
    /// the honouring clients bring success up over the TTL while the stale ones, as they
    /// move, take some away. The crossing of 99% found by the scan and bisection is the
    /// one a millisecond-by-millisecond walk finds. By hand (F lognormal, median 30 s,
    /// p95 2 min, sigma = ln 4 / 1.645 = 0.843): 0.5 + 0.6 tau / 60 s - 0.1 F(tau) = 0.99
    /// at tau = 56.75 s (F = Phi(ln(56.75 / 30) / 0.843) = Phi(0.756) = 0.775), i.e. at
    /// 10 s + 56.75 s.
    #[test]
    fn opposite_populations_cross_where_a_fine_walk_does() {
        let mut r = route53(60_000);
        if let Some(dns) = &mut r.dns {
            dns.honour_share = 0.9;
            dns.stale_hold = Dist::LogNormal {
                median: 30_000.0,
                p95: 120_000.0,
            };
        }
        let mixed = Piece {
            a: 0.5,
            b_honouring: 0.6,
            b_stale: -0.1,
            switched_at: 10_000,
            full_capacity: true,
        };
        let mut m = Meter::new(0.99, &[], piece(0.0, 0.0, 0));
        m.advance(&r, 10_000, mixed);
        let rto = m.finish(&r, 1_000_000).rto.unwrap();
        let walk = (10_000..1_000_000)
            .rev()
            .find(|&t| mixed.share_at(&r, t) + EPS < 0.99)
            .unwrap()
            + 1;
        assert_eq!(rto, walk);
        assert!((66_500..67_000).contains(&rto), "{rto}");
    }
}
