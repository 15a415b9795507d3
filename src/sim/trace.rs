//! The timeline of one trial, for `drsim trace` and the design review: what happened
//! when, which activities ran and what kind of activity each was, and the share of
//! requests succeeding over time. Presentation reads these typed records; it never
//! parses the text.

use crate::model::units::format_duration;
use crate::model::{Millis, Model};
use crate::sim::service::Piece;

/// What kind of activity a span is: the phases of a recovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The failure itself: a region, zone or component down.
    Fault,
    /// Noticing: health checks failing, alarms evaluating.
    Detection,
    /// Deciding to fail over: automation or a human on call.
    Decision,
    /// Moving traffic: a new routing answer propagating, clients following it.
    Traffic,
    /// Getting capacity: instances launching, warm pools, stacks and NAT rebuilt.
    Capacity,
    /// Data: database failover, promotion, restore from backup.
    Data,
    /// Failing back: moving the writer home after a promotion, a planned phase of its
    /// own that is not part of the recovery (not counted in the RTO).
    FailBack,
}

/// An instant worth a marker on a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The failure was noticed.
    Alarm,
    /// Service is back at the recovery threshold for good (the RTO).
    Recovered,
    /// Service was not back by the horizon.
    NotRecovered,
    /// Full nominal capacity is back in service.
    FullCapacity,
}

/// An activity with a start and an end, drawn as a bar on its row.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceSpan {
    /// Row of the chart (e.g. "people", "database", "us-west-2").
    pub row: String,
    /// What kind of activity it is.
    pub phase: Phase,
    /// What the activity is.
    pub label: String,
    /// Start, ms after the disaster.
    pub start: Millis,
    /// End, ms after the disaster.
    pub end: Millis,
}

/// An instant of the log.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceNote {
    /// When, ms after the disaster.
    pub at: Millis,
    /// What happened.
    pub text: String,
    /// The marker it deserves, if any.
    pub mark: Option<Mark>,
}

/// What one trial did, in time order once finished.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Instants.
    pub log: Vec<TraceNote>,
    /// Activities.
    pub spans: Vec<TraceSpan>,
    /// The success share between events: each piece holds from its time to the next.
    pub pieces: Vec<(Millis, Piece)>,
    /// Where the timeline ends: a fifth past recovery (at least a minute), or the horizon.
    pub end: Millis,
}

/// Records a trial's timeline when asked to; otherwise costs a branch per call and
/// builds no text.
#[derive(Clone, Debug, Default)]
pub struct Recorder(Option<Trace>);

impl Recorder {
    /// Starts recording (a fresh trace) or stops it.
    pub fn record(&mut self, on: bool) {
        self.0 = on.then(Trace::default);
    }

    /// The recorded trace, leaving the recorder off.
    pub fn take(&mut self) -> Option<Trace> {
        self.0.take()
    }

    /// Whether a trace is being recorded.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Records an instant (the text is only built when recording).
    pub fn note(&mut self, at: Millis, mark: Option<Mark>, text: impl FnOnce() -> String) {
        if let Some(trace) = &mut self.0 {
            trace.log.push(TraceNote {
                at,
                text: text(),
                mark,
            });
        }
    }

    /// Records an activity on row `row`.
    pub fn span(
        &mut self,
        phase: Phase,
        row: impl FnOnce() -> String,
        start: Millis,
        end: Millis,
        label: impl FnOnce() -> String,
    ) {
        if let Some(trace) = &mut self.0 {
            trace.spans.push(TraceSpan {
                row: row(),
                phase,
                label: label(),
                start,
                end,
            });
        }
    }

    /// Records the success share from `at` on.
    pub fn piece(&mut self, at: Millis, piece: Piece) {
        if let Some(trace) = &mut self.0 {
            trace.pieces.push((at, piece));
        }
    }
}

impl Trace {
    /// Adds the verdict to the log, sorts it, and picks where the timeline ends.
    pub fn finish(&mut self, model: &Model, rto: Option<Millis>, full_capacity: Option<Millis>) {
        let threshold = model.simulation.recovery_threshold * 100.0;
        let (at, text, mark) = match rto {
            Some(rto) => (
                rto,
                format!(
                    "recovered: {threshold:.1}% of requests succeed from here on (RTO {})",
                    format_duration(rto as f64)
                ),
                Mark::Recovered,
            ),
            None => (
                model.simulation.horizon,
                "not recovered within the horizon".into(),
                Mark::NotRecovered,
            ),
        };
        self.log.push(TraceNote {
            at,
            text,
            mark: Some(mark),
        });
        if let Some(full) = full_capacity {
            self.log.push(TraceNote {
                at: full,
                text: "full capacity in service".into(),
                mark: Some(Mark::FullCapacity),
            });
        }
        self.log.sort_by_key(|note| note.at);
        self.spans.sort_by_key(|span| (span.start, span.end));
        // Show the way to recovery, not a fail-back days later.
        let recovered = rto
            .unwrap_or(model.simulation.horizon)
            .max(full_capacity.unwrap_or(0));
        self.end = (recovered + recovered / 5).clamp(60_000, model.simulation.horizon);
    }

    /// The log as text, one line per instant and per activity start.
    pub fn text(&self) -> String {
        let mut lines: Vec<(Millis, String)> = (self.log.iter())
            .map(|note| (note.at, note.text.clone()))
            .collect();
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
