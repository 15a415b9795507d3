//! Comparing strategies: several models of the same application run with the same seed
//! and trial count, reduced to one row each, with the Pareto front and a recommendation.
//!
//! Rules (also printed under the table):
//! - **Pareto front**: steady monthly cost against RTO p99, lower is better for both
//!   ([`pareto_front`]). Steady cost, not risk-adjusted: the risk-adjusted cost already
//!   contains the downtime loss, which grows with the RTO, so plotting it against the RTO
//!   would count the RTO twice. The front answers "what does each step of speed cost to
//!   run?". A strategy with a "never" RTO p99 is never on the front.
//! - **Recommendation**: among the strategies meeting every objective in the compared
//!   scope (each disaster its own: P(RTO met) and P(RPO met) reach its confidence), the
//!   lowest risk-adjusted monthly cost (steady + failover + expected loss). If none
//!   meets them, it says so plainly and names the nearest miss: the strategy whose
//!   largest shortfall (confidence minus the lower of its two probabilities, over its
//!   disasters) is smallest, then the lower risk-adjusted cost, with what it misses by.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::AnalysisError;
use crate::analysis::pareto::{StrategyPoint, pareto_front};
use crate::analysis::pipeline::Evaluation;
pub use crate::analysis::pipeline::StrategyRun;
use crate::analysis::summary::{
    Figures, ObjectivesSummary, Quantiles, RtoByFailedRecovery, StepShares, ThresholdRto,
};
use crate::model::load::load_model;
use crate::model::units::{percent_1dp, points, usd_whole};
use crate::model::{DisasterKind, Model};
use crate::run::simulate::RunSettings;

/// Overrides applied to every model of a comparison.
#[derive(Clone, Debug, Default)]
pub struct CompareSettings {
    /// Trials per model; `None`: the first model's `simulation.trials`.
    pub trials: Option<u64>,
    /// Seed of every model; `None`: the first model's `simulation.seed`.
    pub seed: Option<u64>,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// Loads every model and applies the common seed and trial count (the first model's
/// unless overridden), checking each model can give every disaster a trial.
pub fn load_models(
    files: &[PathBuf],
    settings: &CompareSettings,
) -> Result<Vec<Evaluation>, AnalysisError> {
    let mut models = Vec::with_capacity(files.len());
    for file in files {
        models.push(load_model(file)?);
    }
    let Some(first) = models.first() else {
        return Err(AnalysisError::NoModels);
    };
    for (i, model) in models.iter().enumerate() {
        if let Some(j) = (0..i).find(|&j| models[j].name == model.name) {
            return Err(AnalysisError::DuplicateName {
                name: model.name.clone(),
                first: files[j].clone(),
                second: files[i].clone(),
            });
        }
    }
    let trials = settings.trials.unwrap_or(first.simulation.trials);
    let seed = settings.seed.unwrap_or(first.simulation.seed);
    let mut evaluations = Vec::with_capacity(models.len());
    for (mut model, file) in models.into_iter().zip(files) {
        model.simulation.trials = trials;
        model.simulation.seed = seed;
        evaluations.push(Evaluation::prepare(model, file)?);
    }
    Ok(evaluations)
}

/// Runs every model (all priced before any is simulated, so a bad catalog fails fast).
/// `progress` gets the trials done over all models together.
pub fn run_strategies(
    evaluations: Vec<Evaluation>,
    threads: usize,
    progress: impl Fn(u64) + Sync + Send,
) -> Result<Vec<StrategyRun>, AnalysisError> {
    let priced = (evaluations.into_iter())
        .map(Evaluation::price)
        .collect::<Result<Vec<_>, _>>()?;
    let mut runs = Vec::with_capacity(priced.len());
    let mut done_before = 0;
    for priced in priced {
        let settings = RunSettings {
            threads,
            ..RunSettings::for_model(priced.model())
        };
        let trials = priced.model().simulation.trials;
        runs.push(priced.simulate(&settings, |done| progress(done_before + done))?);
        done_before += trials;
    }
    Ok(runs)
}

/// What the rows describe: every disaster weighted by frequency, or one disaster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// All disasters, weighted by how often each happens.
    Overall,
    /// One disaster, by name.
    Disaster(String),
}

impl Scope {
    /// The disaster name, if one.
    pub fn disaster(&self) -> Option<&str> {
        match self {
            Scope::Overall => None,
            Scope::Disaster(name) => Some(name),
        }
    }

    /// Index of the scope's disaster in `model`, `None` for the overall scope.
    pub fn index_in(&self, model: &Model) -> Option<usize> {
        let name = self.disaster()?;
        model.disasters.iter().position(|d| d.name == name)
    }

    /// A short title, e.g. "all disasters" or "disaster region-outage".
    pub fn title(&self) -> String {
        match self {
            Scope::Overall => "all disasters, weighted by frequency".into(),
            Scope::Disaster(name) => format!("disaster {name}"),
        }
    }
}

/// Checks that every model has the disaster `name`, or says which names the first
/// lacking it has (before any trial runs).
pub fn check_disaster(evaluations: &[Evaluation], name: &str) -> Result<(), AnalysisError> {
    for evaluation in evaluations {
        disaster_index(evaluation.model(), evaluation.file(), name)?;
    }
    Ok(())
}

/// The index of the disaster `name` in `model` (read from `file`), or an error listing the
/// model's disasters.
pub fn disaster_index(model: &Model, file: &Path, name: &str) -> Result<usize, AnalysisError> {
    (model.disasters.iter())
        .position(|d| d.name == name)
        .ok_or_else(|| AnalysisError::NoSuchDisaster {
            file: file.to_path_buf(),
            name: name.to_string(),
            names: model.disasters.iter().map(|d| d.name.clone()).collect(),
        })
}

/// The name of the region-outage disaster when every run has one (the first of its kind
/// in the first model, found by name in the others).
pub fn common_region_outage(runs: &[StrategyRun]) -> Option<String> {
    let first = runs.first()?;
    let name = (first.model.disasters.iter())
        .find(|d| d.kind == DisasterKind::RegionOutage)?
        .name
        .clone();
    let everywhere = runs.iter().all(|run| {
        run.model
            .disasters
            .iter()
            .any(|d| d.name == name && d.kind == DisasterKind::RegionOutage)
    });
    everywhere.then_some(name)
}

/// One strategy's row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrategyResult {
    /// Strategy (model) name.
    pub name: String,
    /// Model file as given on the command line.
    pub file: String,
    /// Recovery time, seconds.
    pub rto_seconds: Quantiles,
    /// Recovery time at each share of the model's `rto_thresholds`; left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rto_by_threshold_seconds: Vec<ThresholdRto>,
    /// Data-loss window, seconds.
    pub rpo_seconds: Quantiles,
    /// Probability of meeting the RTO objective.
    pub p_rto_met: f64,
    /// Probability of meeting the RPO objective.
    pub p_rpo_met: f64,
    /// Steady monthly bill, USD.
    pub monthly_usd: f64,
    /// Steady + failover + expected loss, USD per month (over all disasters).
    pub risk_adjusted_monthly_usd: f64,
    /// On the steady-cost / RTO p99 Pareto front.
    pub on_pareto_front: bool,
    /// Meets every disaster's objective in this scope.
    pub meets_objectives: bool,
    /// The disaster furthest from its objective in this scope; `None` when all are met.
    pub worst_miss: Option<Miss>,
    /// Probability that some recovery step fails or stalls.
    pub failed_recovery_share: f64,
    /// The same per step.
    pub failed_recovery_share_by_step: StepShares,
    /// The RTO of the trials with a failed or stalled step, and of the others.
    pub rto_by_failed_recovery_seconds: RtoByFailedRecovery,
}

impl StrategyResult {
    /// Its RTO at `share` of requests succeeding, if its model times that share.
    pub fn rto_at(&self, share: f64) -> Option<&Quantiles> {
        (self.rto_by_threshold_seconds.iter())
            .find(|t| t.threshold == share)
            .map(|t| &t.seconds)
    }
}

/// Every share at which some of `strategies` time the RTO, ascending: the columns a
/// comparison shows side by side.
pub fn rto_thresholds(strategies: &[StrategyResult]) -> Vec<f64> {
    let mut shares: Vec<f64> = (strategies.iter())
        .flat_map(|s| s.rto_by_threshold_seconds.iter().map(|t| t.threshold))
        .collect();
    shares.sort_by(f64::total_cmp);
    shares.dedup();
    shares
}

/// How far one disaster falls short of its objective.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Miss {
    /// Disaster name.
    pub disaster: String,
    /// "RTO" or "RPO": the objective of the lower probability.
    pub measure: String,
    /// Probability that measure meets its objective.
    pub p_met: f64,
    /// The confidence it should reach.
    pub confidence: f64,
    /// `confidence - p_met`, a share.
    pub shortfall: f64,
}

/// The disaster of `run` in `scope` furthest from its objective (the first of equals);
/// `None` when every one meets its objective.
pub fn worst_miss(run: &StrategyRun, scope: &Scope) -> Option<Miss> {
    (run.summary.by_disaster.iter())
        .filter(|d| scope.disaster().is_none_or(|name| d.disaster == name))
        .filter(|d| !d.figures.meets_objectives)
        .map(|d| {
            let f = &d.figures;
            let (measure, p_met) = if f.p_rto_met <= f.p_rpo_met {
                ("RTO", f.p_rto_met)
            } else {
                ("RPO", f.p_rpo_met)
            };
            Miss {
                disaster: d.disaster.clone(),
                measure: measure.into(),
                p_met,
                confidence: d.objective.confidence,
                shortfall: d.shortfall,
            }
        })
        .reduce(|worst, m| {
            if m.shortfall > worst.shortfall {
                m
            } else {
                worst
            }
        })
}

/// A comparison of strategies in one scope.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    /// `null` for all disasters, else the disaster's name.
    pub disaster: Option<String>,
    /// One row per strategy, in command-line order.
    pub strategies: Vec<StrategyResult>,
    /// Name of the recommended strategy.
    pub recommended: Option<String>,
    /// Why, in one sentence.
    pub recommendation: String,
}

/// The whole comparison, as `--format json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Seed of every run.
    pub seed: u64,
    /// Trials per strategy.
    pub trials: u64,
    /// The objectives (of the first model; each row is judged on its own model's).
    pub objectives: ObjectivesSummary,
    /// The main block, flattened: `disaster`, `strategies`, `recommended`, `recommendation`.
    #[serde(flatten)]
    pub main: Block,
    /// Further blocks: the region outage when every model has one and the main block is
    /// over all disasters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_disaster: Vec<Block>,
}

/// The figures of `run` in `scope`.
pub fn figures<'a>(run: &'a StrategyRun, scope: &Scope) -> &'a Figures {
    match scope.disaster() {
        None => &run.summary.overall,
        Some(name) => {
            &(run.summary.by_disaster.iter())
                .find(|d| d.disaster == name)
                .expect("check_disaster ran first")
                .figures
        }
    }
}

/// The rows, Pareto marks and recommendation of `runs` in `scope`.
pub fn block(runs: &[StrategyRun], scope: &Scope) -> Block {
    let mut strategies: Vec<StrategyResult> = runs
        .iter()
        .map(|run| {
            let f = figures(run, scope);
            let cost = run.cost();
            StrategyResult {
                name: run.model.name.clone(),
                file: run.file.display().to_string(),
                rto_seconds: f.rto_seconds,
                rto_by_threshold_seconds: f.rto_by_threshold_seconds.clone(),
                rpo_seconds: f.rpo_seconds,
                p_rto_met: f.p_rto_met,
                p_rpo_met: f.p_rpo_met,
                monthly_usd: cost.monthly_usd,
                risk_adjusted_monthly_usd: cost
                    .risk_adjusted_monthly_usd
                    .unwrap_or(cost.monthly_usd),
                on_pareto_front: false,
                meets_objectives: f.meets_objectives,
                worst_miss: worst_miss(run, scope),
                failed_recovery_share: f.failed_recovery_share,
                failed_recovery_share_by_step: f.failed_recovery_share_by_step,
                rto_by_failed_recovery_seconds: f.rto_by_failed_recovery_seconds,
            }
        })
        .collect();
    for i in pareto_front(&pareto_points(&strategies, |s| s.rto_seconds.p99)) {
        strategies[i].on_pareto_front = true;
    }
    let (recommended, recommendation) = recommend(&strategies);
    Block {
        disaster: scope.disaster().map(str::to_string),
        strategies,
        recommended,
        recommendation,
    }
}

/// Steady cost against a time (seconds, converted to ms) for the Pareto charts and marks.
pub fn pareto_points(
    rows: &[StrategyResult],
    time: impl Fn(&StrategyResult) -> Option<f64>,
) -> Vec<StrategyPoint> {
    rows.iter()
        .map(|row| StrategyPoint {
            label: row.name.clone(),
            time_ms: time(row).map(|s| s * 1000.0),
            monthly_usd: row.monthly_usd,
            meets_objectives: row.meets_objectives,
        })
        .collect()
}

/// The recommendation rule of the module documentation: (name, reason).
pub fn recommend(rows: &[StrategyResult]) -> (Option<String>, String) {
    let cheapest_meeting = (rows.iter()).filter(|r| r.meets_objectives).min_by(|a, b| {
        a.risk_adjusted_monthly_usd
            .total_cmp(&b.risk_adjusted_monthly_usd)
    });
    if let Some(best) = cheapest_meeting {
        let reason = format!(
            "{} meets every objective at the lowest risk-adjusted cost ({}/month)",
            best.name,
            usd_whole(best.risk_adjusted_monthly_usd)
        );
        return (Some(best.name.clone()), reason);
    }
    let shortfall = |r: &StrategyResult| r.worst_miss.as_ref().map_or(0.0, |m| m.shortfall);
    let nearest = rows.iter().min_by(|a, b| {
        (shortfall(a).total_cmp(&shortfall(b))).then(
            a.risk_adjusted_monthly_usd
                .total_cmp(&b.risk_adjusted_monthly_usd),
        )
    });
    match nearest {
        Some(nearest) => {
            let by = match &nearest.worst_miss {
                Some(m) => format!(
                    ", short by {} on {} (P({} met) {} against {})",
                    points(m.shortfall),
                    m.disaster,
                    m.measure,
                    percent_1dp(m.p_met),
                    percent_1dp(m.confidence)
                ),
                None => String::new(),
            };
            (
                Some(nearest.name.clone()),
                format!(
                    "None meets every objective; the nearest miss is {}{by}",
                    nearest.name
                ),
            )
        }
        None => (None, "no strategies".into()),
    }
}

/// Builds the comparison: the main scope, plus the common region outage when the main
/// scope is all disasters.
pub fn compare(runs: &[StrategyRun], scope: &Scope) -> Comparison {
    let first = &runs[0].summary;
    let by_disaster = match (scope, common_region_outage(runs)) {
        (Scope::Overall, Some(name)) => vec![block(runs, &Scope::Disaster(name))],
        _ => Vec::new(),
    };
    Comparison {
        seed: first.seed,
        trials: first.trials,
        objectives: first.objectives.clone(),
        main: block(runs, scope),
        by_disaster,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, usd: f64, rto_p99: Option<f64>, meets: bool, risk: f64) -> StrategyResult {
        let q = Quantiles {
            mean: None,
            p50: None,
            p90: None,
            p95: None,
            p99: rto_p99,
            max: None,
        };
        StrategyResult {
            name: name.into(),
            file: String::new(),
            rto_seconds: q,
            rto_by_threshold_seconds: Vec::new(),
            rpo_seconds: q,
            p_rto_met: if meets { 1.0 } else { 0.5 },
            p_rpo_met: 1.0,
            monthly_usd: usd,
            risk_adjusted_monthly_usd: risk,
            on_pareto_front: false,
            meets_objectives: meets,
            worst_miss: (!meets).then(|| Miss {
                disaster: "region-outage".into(),
                measure: "RTO".into(),
                p_met: 0.5,
                confidence: 0.99,
                shortfall: 0.49,
            }),
            failed_recovery_share: 0.0,
            failed_recovery_share_by_step: StepShares::default(),
            rto_by_failed_recovery_seconds: RtoByFailedRecovery {
                failed: q,
                clean: q,
            },
        }
    }

    #[test]
    fn recommends_the_cheapest_risk_adjusted_among_those_meeting() {
        let rows = [
            row("a", 100.0, None, false, 50.0),
            row("b", 500.0, Some(60.0), true, 900.0),
            row("c", 800.0, Some(10.0), true, 850.0),
        ];
        assert_eq!(recommend(&rows).0.as_deref(), Some("c"));
    }

    #[test]
    fn a_strategy_missing_one_disaster_is_not_recommended_however_cheap() {
        // "a" is the cheapest and meets every disaster but one (its row says not met).
        let rows = [
            row("a", 100.0, Some(5.0), false, 50.0),
            row("b", 500.0, Some(60.0), true, 900.0),
        ];
        let (name, reason) = recommend(&rows);
        assert_eq!(name.as_deref(), Some("b"));
        assert!(reason.starts_with("b meets every objective"), "{reason}");
    }

    #[test]
    fn says_when_none_meets_and_names_the_nearest_miss_with_its_shortfall() {
        let mut rows = [
            row("a", 100.0, None, false, 50.0),
            row("b", 500.0, Some(60.0), false, 900.0),
            row("c", 900.0, Some(30.0), false, 950.0),
        ];
        // b misses region-outage's 99% by 2.9 points (96.1%); a and c by 49 points.
        rows[1].worst_miss = Some(Miss {
            disaster: "region-outage".into(),
            measure: "RPO".into(),
            p_met: 0.961,
            confidence: 0.99,
            shortfall: 0.029,
        });
        let (name, reason) = recommend(&rows);
        assert_eq!(name.as_deref(), Some("b"));
        assert_eq!(
            reason,
            "None meets every objective; the nearest miss is b, short by 2.9 points on \
             region-outage (P(RPO met) 96.1% against 99.0%)"
        );
    }
}
