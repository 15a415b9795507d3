//! The Pareto front of strategies: cost against time, lower is better on both.

/// One strategy's cost and time.
#[derive(Clone, Debug, Default)]
pub struct StrategyPoint {
    /// Strategy name, written next to the point.
    pub label: String,
    /// The time percentile in ms; `None` when the strategy never recovers at this
    /// percentile (drawn at the right edge with an arrow marker).
    pub time_ms: Option<f64>,
    /// Steady-state cost in USD per month.
    pub monthly_usd: f64,
    /// Whether the strategy meets every objective (filled circle) or not (open triangle).
    pub meets_objectives: bool,
}

/// Indices of the points on the Pareto front, in order of increasing time.
///
/// Lower is better for both cost and time. A point is on the front when no other point is
/// at least as good on both and strictly better on one. A strategy that never recovers
/// (`time_ms: None`) is never on the front: infinite time is not a trade-off anyone
/// would pick, however cheap. Identical points are all on the front.
pub fn pareto_front(points: &[StrategyPoint]) -> Vec<usize> {
    let key = |p: &StrategyPoint| (p.time_ms.unwrap_or(f64::INFINITY), p.monthly_usd);
    let dominates =
        |a: (f64, f64), b: (f64, f64)| a.0 <= b.0 && a.1 <= b.1 && (a.0 < b.0 || a.1 < b.1);
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].time_ms.is_some_and(f64::is_finite))
        .filter(|&i| {
            !points
                .iter()
                .any(|other| dominates(key(other), key(&points[i])))
        })
        .collect();
    front.sort_by(|&a, &b| key(&points[a]).0.total_cmp(&key(&points[b]).0));
    front
}
