//! One trial: one disaster simulated event by event against the model's components.

use crate::model::{Millis, Model};

/// What one trial measured. Times are from the disaster's start (for corruption and
/// ransomware: from the corruption's start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrialOutcome {
    /// Index of the disaster in [`Model::disasters`].
    pub disaster: usize,
    /// Recovery time: until the share of successful requests is back at the threshold
    /// for good. `None`: not recovered within the horizon.
    pub rto: Option<Millis>,
    /// Data-loss window. `None`: no copy of the data survived (all of it lost).
    pub rpo: Option<Millis>,
    /// Until the first successful request after the disaster (`Some(0)` if some never failed).
    pub first_success: Option<Millis>,
    /// Until full nominal capacity is back in service.
    pub full_capacity: Option<Millis>,
    /// Events the engine handled in this trial.
    pub events: u64,
}

/// Runs trials of one model; keep one per thread and reuse it (no allocation per trial).
pub struct TrialSimulator<'m> {
    model: &'m Model,
}

impl<'m> TrialSimulator<'m> {
    /// A simulator for `model`.
    pub fn new(model: &'m Model) -> Self {
        TrialSimulator { model }
    }

    /// Runs trial `trial`: disaster `trial % disasters`, randomness from (seed, trial).
    pub fn run(&mut self, trial: u64) -> TrialOutcome {
        let _ = self.model;
        todo!("trial {trial}")
    }
}
