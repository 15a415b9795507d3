//! The one run pipeline, shared by `drsim run`, `compare`, `report` and `merge`:
//!
//! ```text
//! Evaluation::prepare(model, file)?   the run preconditions: disasters, a trial each
//!     .price()?                       the price catalog, read before any trial runs
//!     .simulate(&settings, progress)? the trials, then a Summary with its cost
//!  (or .simulate_part(...)?           a shard's part file, for `drsim merge`)
//! ```
//!
//! A summary gets its cost in one place, [`Summary::priced`], which a merge of parts also
//! goes through.

use std::path::{Path, PathBuf};

use crate::analysis::AnalysisError;
use crate::analysis::context::SummaryContext;
use crate::analysis::cost::CostReport;
use crate::analysis::cost::{load_prices, report_with_prices};
use crate::analysis::parts::Part;
use crate::analysis::summary::Summary;
use crate::model::Model;
use crate::model::cost::Prices;
use crate::run::runner::Runner;
use crate::run::shard::Shard;
use crate::run::simulate::{RunError, RunSettings, simulate, simulate_on};
use crate::run::stats::OutcomeStats;

/// A model that can run: it has disasters and every disaster gets a trial.
#[derive(Clone, Debug)]
pub struct Evaluation {
    file: PathBuf,
    model: Model,
}

impl Evaluation {
    /// Checks the run preconditions of `model`, read from `file` (after `--trials` and
    /// `--seed`): it has disasters, and at least as many trials as disasters (trial `i`
    /// simulates disaster `i % K`).
    pub fn prepare(model: Model, file: &Path) -> Result<Evaluation, AnalysisError> {
        let disasters = model.disasters.len() as u64;
        if disasters == 0 {
            return Err(AnalysisError::NoDisasters {
                file: file.to_path_buf(),
            });
        }
        if model.simulation.trials < disasters {
            return Err(AnalysisError::TooFewTrials {
                file: file.to_path_buf(),
                disasters,
                trials: model.simulation.trials,
            });
        }
        Ok(Evaluation {
            file: file.to_path_buf(),
            model,
        })
    }

    /// The model file as given.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The model, as it will run.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Reads the model's price catalog (with its overrides) and prices the bill and each
    /// disaster's failover: before any trial runs, so a bad catalog or an unpriced
    /// resource does not cost a whole simulation.
    pub fn price(self) -> Result<Priced, AnalysisError> {
        let prices = load_prices(&self.model)?;
        self.price_with(&prices)
    }

    /// [`price`](Self::price) with the prices already read (catalogs with the model's
    /// overrides): variants of one model, whose regions and resources are the same,
    /// share them.
    pub fn price_with(self, prices: &Prices) -> Result<Priced, AnalysisError> {
        let cost = report_with_prices(&self.model, prices, None)?;
        Ok(Priced {
            evaluation: self,
            cost,
        })
    }
}

/// An [`Evaluation`] with its price catalog, ready to simulate.
#[derive(Clone, Debug)]
pub struct Priced {
    evaluation: Evaluation,
    /// The bill and failover costs, without the losses (those need the trials).
    cost: CostReport,
}

impl Priced {
    /// The model, as it will run.
    pub fn model(&self) -> &Model {
        &self.evaluation.model
    }

    /// The bill and failover costs, priced before any trial (no losses yet).
    pub fn cost(&self) -> &CostReport {
        &self.cost
    }

    /// Runs `settings.trials` (`progress` gets the trials done) and summarises them,
    /// cost included.
    pub fn simulate(
        self,
        settings: &RunSettings,
        progress: impl Fn(u64) + Sync + Send,
    ) -> Result<StrategyRun, AnalysisError> {
        let runner = Runner::new(settings.threads).map_err(RunError::Threads)?;
        self.simulate_on(&runner, settings, progress)
    }

    /// [`simulate`](Self::simulate) on the threads of `runner`.
    pub fn simulate_on(
        self,
        runner: &Runner,
        settings: &RunSettings,
        progress: impl Fn(u64) + Sync + Send,
    ) -> Result<StrategyRun, AnalysisError> {
        let Evaluation { file, model } = self.evaluation;
        let stats = simulate_on(runner, &model, settings, progress)?;
        let summary = Summary::priced(&SummaryContext::of(&model), &stats, self.cost);
        Ok(StrategyRun {
            file,
            model,
            stats,
            summary,
        })
    }

    /// Runs the trials of `shard` (`settings.trials` must be its trials) into the part
    /// file of a sharded run; `model_hash` is [`model_hash`](crate::analysis::parts::model_hash)
    /// of the model file. Priced without the losses: those need every trial.
    pub fn simulate_part(
        self,
        shard: Shard,
        model_hash: String,
        settings: &RunSettings,
        progress: impl Fn(u64) + Sync + Send,
    ) -> Result<Part, AnalysisError> {
        let model = &self.evaluation.model;
        let stats = simulate(model, settings, progress)?;
        Ok(Part::new(model, model_hash, shard, stats, self.cost))
    }
}

/// One model run: the model, its statistics and its priced summary.
#[derive(Clone, Debug)]
pub struct StrategyRun {
    /// The model file as given.
    pub file: PathBuf,
    /// The model, with the run's seed and trials.
    pub model: Model,
    /// Accumulated trial outcomes.
    pub stats: OutcomeStats,
    /// The summary; its `cost` is always set ([`Priced::simulate`] sets it).
    pub summary: Summary,
}

impl StrategyRun {
    /// The priced cost report.
    pub fn cost(&self) -> &CostReport {
        self.summary
            .cost
            .as_ref()
            .expect("Priced::simulate prices every run")
    }
}
