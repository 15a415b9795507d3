//! The timeline of one trial, for `drsim trace`: what happened when, which activities
//! ran, and the share of requests succeeding over time.

use super::TrialOutcome;
use crate::model::units::format_duration;
use crate::model::{Millis, Model};
use crate::sim::components::routing;
use crate::sim::service::Piece;

/// An activity with a start and an end, drawn as a bar on its row.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceSpan {
    /// Row of the chart (e.g. "people", "database", "instances us-west-2").
    pub row: String,
    /// What the activity is.
    pub label: String,
    /// Start, ms after the disaster.
    pub start: Millis,
    /// End, ms after the disaster.
    pub end: Millis,
}

/// What one trial did, in time order once finished.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Instants: (time, what happened).
    pub log: Vec<(Millis, String)>,
    /// Activities.
    pub spans: Vec<TraceSpan>,
    /// The success share between events: each piece holds from its time to the next.
    pub pieces: Vec<(Millis, Piece)>,
    /// Where the timeline ends: a fifth past recovery (at least a minute), or the horizon.
    pub end: Millis,
}

impl Trace {
    /// Adds the verdict to the log, sorts it, and picks where the timeline ends.
    pub(super) fn finish(&mut self, model: &Model, outcome: &TrialOutcome) {
        let threshold = model.simulation.recovery_threshold * 100.0;
        match outcome.rto {
            Some(rto) => self.log.push((
                rto,
                format!(
                    "recovered: {threshold:.1}% of requests succeed from here on (RTO {})",
                    format_duration(rto as f64)
                ),
            )),
            None => self.log.push((
                model.simulation.horizon,
                "not recovered within the horizon".into(),
            )),
        }
        if let Some(full) = outcome.full_capacity {
            self.log.push((full, "full capacity in service".into()));
        }
        self.log.sort_by_key(|(at, _)| *at);
        self.spans.sort_by_key(|span| (span.start, span.end));
        // Show the way to recovery, not a fail-back days later.
        let recovered = outcome
            .rto
            .unwrap_or(model.simulation.horizon)
            .max(outcome.full_capacity.unwrap_or(0));
        self.end = (recovered + recovered / 5).clamp(60_000, model.simulation.horizon);
    }

    /// The success share sampled over the timeline: each piece's start and end, and
    /// points in between while clients move.
    pub fn success_curve(&self, model: &Model) -> Vec<(Millis, f64)> {
        const STEPS: u64 = 40;
        let mut curve = Vec::new();
        for (i, (start, piece)) in self.pieces.iter().enumerate() {
            let end = self
                .pieces
                .get(i + 1)
                .map_or(self.end, |(t, _)| *t)
                .max(*start);
            let share = |t: Millis| {
                piece.a
                    + piece.b
                        * routing::moved_share(
                            &model.routing,
                            t.saturating_sub(piece.switched_at) as f64,
                        )
            };
            let steps = if piece.b == 0.0 { 1 } else { STEPS };
            for k in 0..=steps {
                let t = start + (end - start) * k / steps;
                curve.push((t, share(t).clamp(0.0, 1.0)));
            }
        }
        curve
    }

    /// The log as text, one line per instant and per activity start.
    pub fn text(&self) -> String {
        let mut lines: Vec<(Millis, String)> = self.log.clone();
        for span in &self.spans {
            let took = format_duration((span.end - span.start) as f64);
            lines.push((
                span.start,
                format!("[{}] {} (takes {took})", span.row, span.label),
            ));
        }
        lines.sort_by_key(|(at, _)| *at);
        lines
            .iter()
            .map(|(at, text)| format!("{:>9}  {text}\n", format_duration(*at as f64)))
            .collect()
    }
}
