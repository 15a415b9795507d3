//! The Pareto front of candidates: monthly cost (lower is better) against each
//! disaster's margin over its objective (higher is better).

use serde::Serialize;

use crate::analysis::summary::Summary;

/// How far one disaster is above (or below, negative) its objective.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Margin {
    /// Disaster name.
    pub disaster: String,
    /// P(RTO met).
    pub p_rto_met: f64,
    /// P(RPO met).
    pub p_rpo_met: f64,
    /// The confidence both must reach.
    pub confidence: f64,
    /// The lower of the two probabilities minus the confidence (a share; >= 0 when met).
    pub margin: f64,
}

/// Each disaster's margin in `summary`.
pub fn margins(summary: &Summary) -> Vec<Margin> {
    (summary.by_disaster.iter())
        .map(|d| {
            let f = &d.figures;
            let confidence = d.objective.confidence;
            Margin {
                disaster: d.disaster.clone(),
                p_rto_met: f.p_rto_met,
                p_rpo_met: f.p_rpo_met,
                confidence,
                margin: f.p_rto_met.min(f.p_rpo_met) - confidence,
            }
        })
        .collect()
}

/// Indices of the points `(cost, margins)` no other point dominates (as cheap or
/// cheaper and every margin as high or higher, one strictly), by increasing cost.
pub fn front(points: &[(f64, Vec<f64>)]) -> Vec<usize> {
    let dominates = |a: &(f64, Vec<f64>), b: &(f64, Vec<f64>)| {
        let no_worse = a.0 <= b.0 && a.1.iter().zip(&b.1).all(|(x, y)| x >= y);
        let better = a.0 < b.0 || a.1.iter().zip(&b.1).any(|(x, y)| x > y);
        no_worse && better
    };
    let mut on: Vec<usize> = (0..points.len())
        .filter(|&i| !points.iter().any(|p| dominates(p, &points[i])))
        .collect();
    on.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0).then(a.cmp(&b)));
    on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dearer_point_stays_only_if_some_margin_is_higher() {
        let points = vec![
            (10.0, vec![-0.1, 0.0]),
            (20.0, vec![0.05, 0.0]),
            (30.0, vec![0.05, 0.0]), // dominated by the 20
            (5.0, vec![-0.2, -0.1]),
        ];
        assert_eq!(front(&points), [3, 0, 1]);
    }
}
