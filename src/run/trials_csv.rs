//! Per-trial output: one CSV row per trial, in trial order, streamed to an atomic file.
//!
//! The runner hands over trials a wave of blocks at a time, in order ([`TrialRows`] is
//! the accumulator that holds a wave's rows), so memory is bounded by a wave whatever the
//! number of trials, and the file appears only once complete.

use std::io;
use std::path::Path;

use crate::model::units::percent_trimmed;
use crate::model::{Millis, Model};
use crate::output::{AtomicFile, OutputError};
use crate::run::runner::Accumulator;
use crate::sim::trial::TrialOutcome;

/// Outcomes of consecutive trials, in trial order; records nothing when disabled, so a
/// run without per-trial output pays nothing for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrialRows {
    enabled: bool,
    rows: Vec<(u64, TrialOutcome)>,
}

impl TrialRows {
    /// Empty rows that keep outcomes only if `enabled`.
    pub fn new(enabled: bool) -> Self {
        TrialRows {
            enabled,
            rows: Vec::new(),
        }
    }

    /// The rows: trial index and outcome.
    pub fn rows(&self) -> &[(u64, TrialOutcome)] {
        &self.rows
    }
}

impl Accumulator<TrialOutcome> for TrialRows {
    fn record(&mut self, trial: u64, outcome: &TrialOutcome) {
        if self.enabled {
            self.rows.push((trial, *outcome));
        }
    }

    fn merge(&mut self, later: Self) {
        self.rows.extend(later.rows);
    }
}

/// Writes per-trial rows to a CSV file that appears at its path on [`finish`](Self::finish).
pub struct TrialsCsv {
    disasters: Vec<String>,
    /// How many `rto_thresholds` shares each row ends with.
    rto_thresholds: usize,
    writer: ::csv::Writer<AtomicFile>,
}

/// Columns of the per-trial CSV; times in seconds, empty when `None` (`detected_s` and
/// `decided_s`: the alarm and the failover decision, empty when nobody had to notice).
/// A model with `rto_thresholds` adds one `rto_at_SHARE_s` column per share (SHARE in
/// percent, e.g. `rto_at_90_s`).
pub const TRIAL_COLUMNS: [&str; 9] = [
    "trial",
    "disaster",
    "rto_s",
    "rpo_s",
    "first_success_s",
    "full_capacity_s",
    "events",
    "detected_s",
    "decided_s",
];

impl TrialsCsv {
    /// Starts the file at `path` for trials of `model`.
    pub fn create(path: &Path, model: &Model) -> Result<Self, OutputError> {
        let file = AtomicFile::create(path)?;
        let shares = &model.simulation.rto_thresholds;
        let mut csv = TrialsCsv {
            disasters: model.disasters.iter().map(|d| d.name.clone()).collect(),
            rto_thresholds: shares.len(),
            writer: ::csv::Writer::from_writer(file),
        };
        let share_columns = (shares.iter())
            .map(|&s| format!("rto_at_{}_s", percent_trimmed(s).trim_end_matches('%')));
        let header: Vec<String> = (TRIAL_COLUMNS.iter().map(|c| c.to_string()))
            .chain(share_columns)
            .collect();
        csv.write(|w| w.write_record(&header))?;
        Ok(csv)
    }

    /// Appends `rows` (which follow the rows written so far).
    pub fn append(&mut self, rows: &TrialRows) -> Result<(), OutputError> {
        for &(trial, ref o) in rows.rows() {
            let disaster = self.disasters.get(o.disaster).map_or("", String::as_str);
            let mut record = vec![
                trial.to_string(),
                disaster.to_string(),
                seconds(o.rto),
                seconds(o.rpo),
                seconds(o.first_success),
                seconds(o.full_capacity),
                o.events.to_string(),
                seconds(o.detected),
                seconds(o.decided),
            ];
            record.extend(o.rto_at[..self.rto_thresholds].iter().map(|&t| seconds(t)));
            self.write(|w| w.write_record(&record))?;
        }
        Ok(())
    }

    /// Completes the file and moves it to its path.
    pub fn finish(self) -> Result<(), OutputError> {
        let path = self.writer.get_ref().path().to_path_buf();
        let file = self.writer.into_inner().map_err(|e| OutputError {
            path,
            source: e.into_error(),
        })?;
        file.commit()
    }

    fn write(
        &mut self,
        op: impl FnOnce(&mut ::csv::Writer<AtomicFile>) -> ::csv::Result<()>,
    ) -> Result<(), OutputError> {
        op(&mut self.writer).map_err(|e| OutputError {
            path: self.writer.get_ref().path().to_path_buf(),
            source: io::Error::other(e),
        })
    }
}

/// Milliseconds as exact seconds with three decimals ("61.250"); empty for `None`.
fn seconds(ms: Option<Millis>) -> String {
    ms.map(|ms| format!("{}.{:03}", ms / 1000, ms % 1000))
        .unwrap_or_default()
}
