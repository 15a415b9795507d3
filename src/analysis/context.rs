//! What the analysis of a run needs to know of the model besides the statistics: names,
//! frequencies, objectives, the run's settings and the money rates losses were counted at.

use crate::model::{Clock, Millis, Model, Objective};
use crate::run::stats::{Limits, ObjectiveLimits};

/// What a summary needs to know of the model besides the statistics: names, frequencies,
/// objectives and run settings.
///
/// Built from a [`Model`] by a run, or read from the part files of a sharded run, so that
/// `drsim merge` needs only the parts ([`crate::analysis::parts`]). Both give the same summary.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryContext {
    /// Scenario (model) name.
    pub scenario: String,
    /// Seed of the run.
    pub seed: u64,
    /// A trial not recovered this long after its disaster counts as never recovered.
    pub horizon: Millis,
    /// Share of nominal request success that counts as recovered.
    pub recovery_threshold: f64,
    /// Extra shares the RTO is also measured at (`rto_thresholds`), ascending.
    pub rto_thresholds: Vec<f64>,
    /// Default recovery time objective (a disaster's own is in its context).
    pub rto: Millis,
    /// Default recovery point objective.
    pub rpo: Millis,
    /// Default share of a disaster's occurrences that must meet each objective.
    pub confidence: f64,
    /// Default clock the RTO is counted from.
    pub clock: Clock,
    /// The disasters, in model order (the order of the statistics).
    pub disasters: Vec<DisasterContext>,
    /// Cost of downtime, US cents per hour (what the loss statistics were counted at).
    pub downtime_cents_per_hour: u64,
    /// Cost of lost writes, US cents per hour of data lost.
    pub data_loss_cents_per_hour: u64,
}

impl SummaryContext {
    /// The default objective (`[objectives]`).
    pub fn default_objective(&self) -> Objective {
        Objective {
            rto: self.rto,
            rpo: self.rpo,
            confidence: self.confidence,
            clock: self.clock,
        }
    }

    /// The limits the statistics of this run were recorded with.
    pub fn limits(&self) -> Limits {
        Limits {
            objectives: (self.disasters)
                .iter()
                .map(|d| ObjectiveLimits::from(&d.objective))
                .collect(),
            rto_thresholds: self.rto_thresholds.len(),
            horizon: self.horizon,
            downtime_cents_per_hour: self.downtime_cents_per_hour,
            data_loss_cents_per_hour: self.data_loss_cents_per_hour,
        }
    }
}

/// What a summary needs to know of one disaster.
#[derive(Clone, Debug, PartialEq)]
pub struct DisasterContext {
    /// Disaster name.
    pub name: String,
    /// Disaster kind, as written in model files.
    pub kind: String,
    /// Expected occurrences per year.
    pub per_year: f64,
    /// Share of all disasters that are this one (unrounded; see [`SummaryContext::of`]).
    pub weight: f64,
    /// Its own objective.
    pub objective: Objective,
}

impl SummaryContext {
    /// The context of a run of `model` with `model.simulation.seed`.
    ///
    /// Weights are by frequency ([`Model::disaster_weights`]), or equal if the frequencies
    /// cannot give any (all zero), so that a summary is always defined.
    pub fn of(model: &Model) -> Self {
        let weights = weights(model);
        let limits = Limits::for_model(model);
        SummaryContext {
            downtime_cents_per_hour: limits.downtime_cents_per_hour,
            data_loss_cents_per_hour: limits.data_loss_cents_per_hour,
            scenario: model.name.clone(),
            seed: model.simulation.seed,
            horizon: model.simulation.horizon,
            recovery_threshold: model.simulation.recovery_threshold,
            rto_thresholds: model.simulation.rto_thresholds.clone(),
            rto: model.objectives.rto,
            rpo: model.objectives.rpo,
            confidence: model.objectives.confidence,
            clock: model.objectives.clock,
            disasters: model
                .disasters
                .iter()
                .zip(weights)
                .map(|(disaster, weight)| DisasterContext {
                    name: disaster.name.clone(),
                    kind: disaster.kind.name().to_string(),
                    per_year: disaster.per_year,
                    weight,
                    objective: disaster.objective,
                })
                .collect(),
        }
    }
}

/// Weights of the disasters by frequency; equal weights if the frequencies cannot give
/// any (all zero).
fn weights(model: &Model) -> Vec<f64> {
    let k = model.disasters.len();
    let by_frequency = model.disaster_weights();
    if by_frequency.iter().all(|w| w.is_finite()) {
        by_frequency
    } else {
        vec![1.0 / k as f64; k]
    }
}
