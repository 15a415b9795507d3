//! The service meter: share of client requests succeeding over time, and from it the
//! trial's RTO, time to first success and time to full capacity.
//!
//! Between two events the state of every component is fixed; only clients keep moving
//! from the old routing answer to the new one. The share succeeding is then
//! `a + b * moved(t - switched_at)` with `moved` non-decreasing, so it is monotone
//! between events and its crossing of the threshold can be solved exactly
//! ([`crate::sim::clients::time_to_move`]) instead of sampling time.

use crate::model::{Millis, Routing};
use crate::sim::clients;

/// One stretch of time between events: success share `a + b * moved(t - switched_at)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Piece {
    /// Share succeeding for clients still on the old answer.
    pub a: f64,
    /// Extra share once every client follows the new answer (may be negative).
    pub b: f64,
    /// When the current answer reached the edge.
    pub switched_at: Millis,
    /// Whether the new answer's regions can carry the full load.
    pub full_capacity: bool,
}

/// Tracks when service was last (re)established for good.
#[derive(Clone, Debug)]
pub struct Meter {
    threshold: f64,
    piece: Piece,
    since: Millis,
    good_since: Option<Millis>,
    full_since: Option<Millis>,
    first_success: Option<Millis>,
}

/// What the meter concluded at the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// RTO: start of the last stretch at or above the threshold that lasts to the horizon.
    pub rto: Option<Millis>,
    /// First instant any request succeeded.
    pub first_success: Option<Millis>,
    /// Start of the last stretch with full capacity that lasts to the horizon.
    pub full_capacity: Option<Millis>,
}

/// Tolerance for "the share is at the threshold": shares are sums of a few ratios.
const EPS: f64 = 1e-9;

impl Meter {
    /// A meter that counts a share at or above `threshold` as recovered, starting at
    /// time 0 in the state `piece` (the state right after the disaster struck).
    pub fn new(threshold: f64, piece: Piece) -> Self {
        let mut meter = Meter {
            threshold,
            piece,
            since: 0,
            good_since: None,
            full_since: None,
            first_success: None,
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
        Verdict {
            rto: self.good_since,
            first_success: self.first_success,
            full_capacity: self.full_since,
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
        let Piece {
            a, b, switched_at, ..
        } = self.piece;
        // With b = 0 the share is flat: skip the client-cache maths (most pieces).
        let share_at = |t: Millis| {
            if b == 0.0 {
                a
            } else {
                a + b * clients::moved_share(routing, t.saturating_sub(switched_at) as f64)
            }
        };
        let (start_share, end_share) = (share_at(self.since), share_at(end));
        if self.first_success.is_none() && (start_share > EPS || end_share > EPS) {
            let first = if start_share > EPS {
                self.since
            } else {
                self.since.max(switched_at) + 1
            };
            self.first_success = Some(first.min(end));
        }
        if end_share + EPS < self.threshold {
            self.good_since = None;
        } else if start_share + EPS >= self.threshold {
            self.good_since.get_or_insert(self.since);
        } else if self.good_since.is_none() {
            // Rising through the threshold inside this piece: solve for the crossing.
            let needed = (self.threshold - a) / b;
            let tau = clients::time_to_move(routing, needed - EPS).round() as Millis;
            self.good_since = Some((switched_at + tau).clamp(self.since, end));
        }
    }
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
        let share = |t: Millis| {
            piece.a
                + piece.b
                    * clients::moved_share(routing, t.saturating_sub(piece.switched_at) as f64)
        };
        let steps = if piece.b == 0.0 { 1 } else { STEPS };
        for k in 0..=steps {
            let t = start + (stop - start) * k / steps;
            curve.push((t, share(t).clamp(0.0, 1.0)));
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
        }
    }

    fn piece(a: f64, b: f64, switched_at: Millis) -> Piece {
        Piece {
            a,
            b,
            switched_at,
            full_capacity: a + b >= 1.0,
        }
    }

    #[test]
    fn outage_then_instant_repair_gives_the_repair_time() {
        let r = route53(60_000);
        let mut m = Meter::new(0.99, piece(0.0, 0.0, 0));
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
        let mut m = Meter::new(0.99, piece(0.0, 0.0, 0));
        m.advance(&r, 10_000, piece(0.0, 1.0, 10_000));
        let v = m.finish(&r, 1_000_000);
        assert_eq!(v.rto, Some(10_000 + 59_400));
        assert_eq!(v.first_success, Some(10_001));
    }

    #[test]
    fn a_relapse_restarts_the_clock() {
        let r = route53(0);
        let mut m = Meter::new(0.99, piece(0.0, 0.0, 0));
        m.advance(&r, 1_000, piece(1.0, 0.0, 0));
        m.advance(&r, 2_000, piece(0.5, 0.0, 0));
        m.advance(&r, 9_000, piece(1.0, 0.0, 0));
        assert_eq!(m.finish(&r, 50_000).rto, Some(9_000));
    }

    #[test]
    fn never_back_at_the_threshold_is_never_recovered() {
        let r = route53(0);
        let m = Meter::new(0.99, piece(0.9, 0.0, 0));
        let v = m.finish(&r, 50_000);
        assert_eq!(v.rto, None);
        assert_eq!(v.first_success, Some(0));
    }

    #[test]
    fn an_unaffected_service_recovers_at_zero() {
        let r = route53(0);
        let m = Meter::new(0.99, piece(1.0, 0.0, 0));
        assert_eq!(m.finish(&r, 50_000).rto, Some(0));
    }
}
