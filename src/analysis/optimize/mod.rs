//! Goal-seek (`drsim optimize`): the cheapest design in a space of knobs
//! ([`crate::model::space`]) that meets every disaster's objective with its confidence.
//!
//! The search, cheapest first:
//! 1. **Price every candidate** (no simulation: the pipeline's pricing step) and order
//!    them by the cost basis: the steady monthly bill, or for risk-adjusted cost its
//!    lower bound, bill + failover cost (the expected loss is never negative). Equal
//!    costs (to the cent) put the candidate changing fewer knobs of the model first,
//!    then the better ranked (declared monotone knobs).
//! 2. **Prune with the declared monotonicity**: a candidate no better than one that
//!    failed (equal on every free knob, no better ranked on every monotone one) fails
//!    too, and is skipped. Before a candidate runs, its *top corner* (every monotone knob
//!    at its best value, the free knobs as the candidate's) runs first: if even it fails,
//!    the whole family below it is pruned. This is where the search relies on the
//!    declarations: with common random numbers a better value must give each trial an
//!    RTO and RPO no worse, so each disaster's successes can only grow (tested on the
//!    bundled space).
//! 3. **Race** each candidate ([`race`]): `N/16` trials, then `N/4`, then all `N`,
//!    dropping it as soon as some disaster's 95% interval is below its confidence. Only
//!    all `N` trials decide that a candidate meets the objectives (the `compare` rule).
//!    A rejection on `n` trials is also sound for pruning: a no-better candidate has no
//!    more successes on those same `n` trials, so it would be rejected at the same stage.
//! 4. **Stop**: steady cost, at the first candidate that meets the objectives (all
//!    others are dearer); risk-adjusted, once the next lower bound is no lower than the
//!    best risk-adjusted cost found.
//!
//! Every candidate runs with the same seed and trial numbers (common random numbers).

pub mod front;
pub mod race;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::AnalysisError;
use crate::analysis::pipeline::Evaluation;
use crate::analysis::summary::Summary;
use crate::model::locate::{TomlPath, keys};
use crate::model::space::{Choice, Variants, show};
use crate::model::{Model, ModelError};
use crate::run::runner::Runner;
use crate::run::simulate::RunError;

use front::{Margin, margins};
use race::{Finish, race, stages};

/// What the search minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// The steady monthly bill.
    Steady,
    /// Steady + failover + expected loss per month (needs the trials).
    RiskAdjusted,
}

/// How the search runs.
#[derive(Clone, Debug)]
pub struct OptimizeSettings {
    /// Trials of a full run (`N`); `None`: the model's.
    pub trials: Option<u64>,
    /// Seed of every run; `None`: the model's.
    pub seed: Option<u64>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Most trials to spend over the whole search; `None`: no limit.
    pub budget: Option<u64>,
    /// What to minimise.
    pub cost: CostBasis,
    /// Screen with few trials before the full run (off: every candidate gets `N`).
    pub racing: bool,
    /// Prune with the declared monotone knobs (off: ignore the declarations).
    pub pruning: bool,
}

impl Default for OptimizeSettings {
    fn default() -> Self {
        OptimizeSettings {
            trials: None,
            seed: None,
            threads: 0,
            budget: None,
            cost: CostBasis::Steady,
            racing: true,
            pruning: true,
        }
    }
}

/// One knob's value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setting {
    /// The model key.
    pub key: String,
    /// The value, as TOML.
    pub value: String,
}

/// What became of a candidate that ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// All trials run; meets every objective.
    Meets,
    /// All trials run; misses some objective.
    Misses,
    /// Dropped at a screening stage.
    Rejected,
}

/// A candidate that ran.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluated {
    /// Its number in the space (the last knob varies fastest).
    pub candidate: u64,
    /// Its knob values.
    pub settings: Vec<Setting>,
    /// Steady monthly bill, USD.
    pub monthly_usd: f64,
    /// Risk-adjusted monthly cost over the trials it ran, USD.
    pub risk_adjusted_monthly_usd: f64,
    /// Trials it ran.
    pub trials: u64,
    /// Its verdict.
    pub verdict: Verdict,
    /// Each disaster's margin over its objective, on the trials it ran.
    pub margins: Vec<Margin>,
    /// Its summary on those trials.
    #[serde(skip)]
    pub summary: Summary,
    /// Its knob value indices.
    #[serde(skip)]
    pub choice: Choice,
}

impl Evaluated {
    /// Its cost on `basis`.
    pub fn cost(&self, basis: CostBasis) -> f64 {
        match basis {
            CostBasis::Steady => self.monthly_usd,
            CostBasis::RiskAdjusted => self.risk_adjusted_monthly_usd,
        }
    }
}

/// One knob the winner sets otherwise than the model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The model key.
    pub key: String,
    /// The model's value (after its defaults); `None` if it has none.
    pub input: Option<String>,
    /// The winner's.
    pub chosen: String,
}

/// The search's answer, as `--format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Optimization {
    /// The model file.
    pub model: String,
    /// The space file.
    pub space: String,
    /// What was minimised.
    pub cost_basis: CostBasis,
    /// Seed of every run.
    pub seed: u64,
    /// Trials of a full run.
    pub trials: u64,
    /// Trials of each stage of a race (the last is the full run).
    pub stages: Vec<u64>,
    /// Candidates in the space.
    pub candidates_in_space: u64,
    /// Candidates simulated (at least one stage).
    pub candidates_evaluated: u64,
    /// Candidates skipped: no better than one that failed.
    pub candidates_pruned: u64,
    /// Candidates dropped at a screening stage.
    pub rejected_at_screening: u64,
    /// Candidates run on all trials.
    pub confirmed: u64,
    /// Trials run over the whole search.
    pub trials_spent: u64,
    /// Trials a brute force would run: every candidate, all trials.
    pub brute_force_trials: u64,
    /// The trial budget, if any.
    pub budget: Option<u64>,
    /// Whether the budget ran out before the search ended (the answer is then only the
    /// best found).
    pub budget_exhausted: bool,
    /// The model's own steady monthly bill, USD.
    pub input_monthly_usd: f64,
    /// The cheapest candidate meeting every objective, if any was found.
    pub winner: Option<Evaluated>,
    /// What the winner changes in the model.
    pub changes: Vec<Change>,
    /// The winner's steady bill minus the model's, USD per month.
    pub monthly_difference_usd: Option<f64>,
    /// The candidates run on all trials that no other beats on cost and every margin.
    pub pareto_front: Vec<Evaluated>,
    /// Every candidate that ran, in the order they ran.
    pub evaluated: Vec<Evaluated>,
    /// Where the winner's values go in the model file, to write it back (`--emit`).
    #[serde(skip)]
    pub emit: Vec<(TomlPath, toml::Value)>,
}

/// A candidate priced, before any trial.
struct Priced {
    index: u64,
    choice: Choice,
    /// Its order key: the cost basis's (lower bound of the) cost, to the cent.
    bound: f64,
    /// Bill + failover: no risk-adjusted cost can be lower.
    lower_bound: f64,
}

/// The search's state.
struct Search<'a> {
    variants: &'a Variants,
    file: &'a Path,
    settings: &'a OptimizeSettings,
    runner: Runner,
    stages: Vec<u64>,
    trials: u64,
    seed: u64,
    spent: u64,
    out_of_budget: bool,
    done: HashMap<u64, Evaluated>,
    /// Candidate numbers in the order they ran.
    ran: Vec<u64>,
    failed: Vec<Choice>,
    pruned: u64,
}

/// Finds the cheapest candidate of `variants` (read from `file`) that meets every
/// objective (see the module documentation for how).
pub fn optimize(
    variants: &Variants,
    file: &Path,
    settings: &OptimizeSettings,
) -> Result<Optimization, AnalysisError> {
    let base = input_model(variants)?;
    let mut search = Search::new(variants, file, settings, &base)?;
    let order = search.price_all()?;
    let mut best: Option<u64> = None;
    for candidate in &order {
        if search.out_of_budget {
            break;
        }
        // Risk-adjusted: nothing further can be cheaper than the best found.
        let best_cost = best.map(|b| search.done[&b].risk_adjusted_monthly_usd);
        if best_cost.is_some_and(|c| candidate.lower_bound >= c) {
            break;
        }
        let Some(evaluated) = search.consider(candidate)? else {
            continue;
        };
        if evaluated.verdict == Verdict::Meets
            && best_cost.is_none_or(|c| evaluated.risk_adjusted_monthly_usd < c)
        {
            best = Some(candidate.index);
            if settings.cost == CostBasis::Steady {
                // Every later candidate costs as much or more.
                break;
            }
        }
    }
    search.finish(best, &base)
}

/// The model as written (no knob set), for its own cost and values.
fn input_model(variants: &Variants) -> Result<Model, AnalysisError> {
    Ok(variants.base_model().map_err(ModelError::from)?)
}

impl<'a> Search<'a> {
    fn new(
        variants: &'a Variants,
        file: &'a Path,
        settings: &'a OptimizeSettings,
        base: &Model,
    ) -> Result<Self, AnalysisError> {
        let trials = settings.trials.unwrap_or(base.simulation.trials);
        let seed = settings.seed.unwrap_or(base.simulation.seed);
        let disasters = base.disasters.len() as u64;
        Ok(Search {
            variants,
            file,
            settings,
            runner: Runner::new(settings.threads).map_err(RunError::Threads)?,
            stages: stages(trials, disasters.max(1), settings.racing),
            trials,
            seed,
            spent: 0,
            out_of_budget: false,
            done: HashMap::new(),
            ran: Vec::new(),
            failed: Vec::new(),
            pruned: 0,
        })
    }

    /// The candidate's model, with the search's seed and trials, ready to run.
    fn evaluation(&self, choice: &[usize]) -> Result<Evaluation, AnalysisError> {
        let mut model = self.variants.model(choice).map_err(ModelError::from)?;
        model.simulation.trials = self.trials;
        model.simulation.seed = self.seed;
        Evaluation::prepare(model, self.file)
    }

    /// Every candidate priced, cheapest first; equal costs (to the cent): fewer changes
    /// to the model first, then better ranked first (its top corner may prune the rest).
    fn price_all(&self) -> Result<Vec<Priced>, AnalysisError> {
        let space = &self.variants.space;
        let count = space.candidates().map_err(ModelError::from)?;
        // Priced on the run's threads; the first error in candidate order is reported,
        // whatever the thread count.
        let priced: Vec<Result<Priced, AnalysisError>> = self.runner.install(|| {
            (0..count)
                .into_par_iter()
                .map(|index| self.price_one(index))
                .collect()
        });
        let mut all = priced.into_iter().collect::<Result<Vec<_>, _>>()?;
        let inputs = self.variants.input_values();
        let changes = |c: &Priced| -> usize {
            (space.knobs.iter().zip(&c.choice).zip(&inputs))
                .filter(|((k, i), input)| input.as_ref() != Some(&k.values[**i]))
                .count()
        };
        let goodness = |c: &Priced| -> usize {
            (space.knobs.iter().zip(&c.choice))
                .filter(|(k, _)| !k.rank.is_empty())
                .map(|(k, &i)| k.rank[i])
                .sum()
        };
        all.sort_by(|a, b| {
            (a.bound.total_cmp(&b.bound))
                .then(changes(a).cmp(&changes(b)))
                .then(goodness(b).cmp(&goodness(a)))
                .then(a.index.cmp(&b.index))
        });
        Ok(all)
    }

    /// Candidate `index` priced, with its order keys.
    fn price_one(&self, index: u64) -> Result<Priced, AnalysisError> {
        let choice = self.variants.space.choice(index);
        let priced = self.evaluation(&choice)?.price()?;
        let cost = priced.cost();
        let lower_bound = cost.monthly_usd + cost.disaster_monthly_usd.unwrap_or(0.0);
        let bound = match self.settings.cost {
            CostBasis::Steady => cost.monthly_usd,
            CostBasis::RiskAdjusted => lower_bound,
        };
        Ok(Priced {
            index,
            choice,
            bound: (bound * 100.0).round() / 100.0,
            lower_bound,
        })
    }

    /// Whether `choice` is no better than a candidate that failed.
    fn prunable(&self, choice: &[usize]) -> bool {
        self.settings.pruning
            && (self.failed.iter()).any(|f| self.variants.space.no_better(choice, f))
    }

    /// `choice` with every monotone knob at its best value.
    fn top_corner(&self, choice: &[usize]) -> Choice {
        (self.variants.space.knobs.iter().zip(choice))
            .map(
                |(knob, &i)| match knob.rank.iter().enumerate().max_by_key(|(_, r)| **r) {
                    Some((best, _)) if self.settings.pruning => best,
                    _ => i,
                },
            )
            .collect()
    }

    /// Runs `candidate` unless pruned (its top corner first); `None` when pruned or out
    /// of budget.
    fn consider(&mut self, candidate: &Priced) -> Result<Option<Evaluated>, AnalysisError> {
        if self.prunable(&candidate.choice) {
            self.pruned += 1;
            return Ok(None);
        }
        let top = self.top_corner(&candidate.choice);
        if top != candidate.choice {
            self.evaluate(self.variants.space.index(&top), &top)?;
            if self.prunable(&candidate.choice) {
                self.pruned += 1;
                return Ok(None);
            }
        }
        self.evaluate(candidate.index, &candidate.choice)
    }

    /// Races candidate `index` (once: later calls give the first result).
    fn evaluate(
        &mut self,
        index: u64,
        choice: &[usize],
    ) -> Result<Option<Evaluated>, AnalysisError> {
        if let Some(done) = self.done.get(&index) {
            return Ok(Some(done.clone()));
        }
        let priced = self.evaluation(choice)?.price()?;
        let finish = race(
            &self.runner,
            priced.model(),
            priced.cost(),
            &self.stages,
            &mut self.spent,
            self.settings.budget,
        )?;
        let (summary, trials, verdict) = match finish {
            Finish::OutOfBudget => {
                self.out_of_budget = true;
                return Ok(None);
            }
            Finish::Rejected { trials, summary } => (summary, trials, Verdict::Rejected),
            Finish::Full(summary) => {
                let verdict = if summary.overall.meets_objectives {
                    Verdict::Meets
                } else {
                    Verdict::Misses
                };
                (summary, self.trials, verdict)
            }
        };
        if verdict != Verdict::Meets {
            self.failed.push(choice.to_vec());
        }
        let cost = summary.cost.as_ref().expect("race prices every summary");
        let evaluated = Evaluated {
            candidate: index,
            settings: self.settings_of(choice),
            monthly_usd: cost.monthly_usd,
            risk_adjusted_monthly_usd: cost.risk_adjusted_monthly_usd.unwrap_or(cost.monthly_usd),
            trials,
            verdict,
            margins: margins(&summary),
            summary: *summary,
            choice: choice.to_vec(),
        };
        self.done.insert(index, evaluated.clone());
        self.ran.push(index);
        Ok(Some(evaluated))
    }

    fn settings_of(&self, choice: &[usize]) -> Vec<Setting> {
        (self.variants.space.describe(choice).into_iter())
            .map(|(key, value)| Setting { key, value })
            .collect()
    }

    /// The report: counts, the winner and its changes, the Pareto front.
    fn finish(self, best: Option<u64>, base: &Model) -> Result<Optimization, AnalysisError> {
        let space = &self.variants.space;
        let input_monthly_usd = Evaluation::prepare(base.clone(), self.file)?
            .price()?
            .cost()
            .monthly_usd;
        let mut evaluated: Vec<&Evaluated> = self.done.values().collect();
        evaluated.sort_by_key(|e| e.candidate);
        let confirmed: Vec<&Evaluated> = (evaluated.iter().copied())
            .filter(|e| e.verdict != Verdict::Rejected)
            .collect();
        let points: Vec<(f64, Vec<f64>)> = (confirmed.iter())
            .map(|e| {
                (
                    e.cost(self.settings.cost),
                    e.margins.iter().map(|m| m.margin).collect(),
                )
            })
            .collect();
        let pareto_front = (front::front(&points).into_iter())
            .map(|i| confirmed[i].clone())
            .collect();
        let winner = best.map(|b| self.done[&b].clone());
        let inputs = self.variants.input_values();
        let mut changes = Vec::new();
        let mut emit = Vec::new();
        if let Some(winner) = &winner {
            for ((knob, &i), input) in space.knobs.iter().zip(&winner.choice).zip(&inputs) {
                if input.as_ref() != Some(&knob.values[i]) {
                    changes.push(Change {
                        key: knob.key.clone(),
                        input: input.as_ref().map(show),
                        chosen: show(&knob.values[i]),
                    });
                    emit.push((knob.path.clone(), knob.values[i].clone()));
                }
            }
            for (key, run, model) in [
                ("trials", self.trials, base.simulation.trials),
                ("seed", self.seed, base.simulation.seed),
            ] {
                if run != model {
                    emit.push((keys(&["simulation", key]), toml::Value::Integer(run as i64)));
                }
            }
        }
        let count = space.candidates().map_err(ModelError::from)?;
        Ok(Optimization {
            model: self.file.display().to_string(),
            space: space.file.display().to_string(),
            cost_basis: self.settings.cost,
            seed: self.seed,
            trials: self.trials,
            stages: self.stages.clone(),
            candidates_in_space: count,
            candidates_evaluated: evaluated.len() as u64,
            candidates_pruned: self.pruned,
            rejected_at_screening: (evaluated.len() - confirmed.len()) as u64,
            confirmed: confirmed.len() as u64,
            trials_spent: self.spent,
            brute_force_trials: count * self.trials,
            budget: self.settings.budget,
            budget_exhausted: self.out_of_budget,
            input_monthly_usd,
            monthly_difference_usd: winner.as_ref().map(|w| w.monthly_usd - input_monthly_usd),
            winner,
            changes,
            pareto_front,
            evaluated: self.ran.iter().map(|i| self.done[i].clone()).collect(),
            emit,
        })
    }
}

/// Every candidate on all `N` trials, the cheapest meeting every objective first (ties:
/// the lower candidate number); what the search must agree with (tests), and the
/// results of every candidate in space order.
pub fn brute_force(
    variants: &Variants,
    file: &Path,
    settings: &OptimizeSettings,
) -> Result<(Option<u64>, Vec<Evaluated>), AnalysisError> {
    let exhaustive = OptimizeSettings {
        racing: false,
        pruning: false,
        budget: None,
        ..settings.clone()
    };
    let base = input_model(variants)?;
    let mut search = Search::new(variants, file, &exhaustive, &base)?;
    let order = search.price_all()?;
    let mut all = Vec::with_capacity(order.len());
    for candidate in &order {
        let evaluated = (search.evaluate(candidate.index, &candidate.choice)?)
            .expect("no budget, so every race ends");
        all.push(evaluated);
    }
    // The first in the search's order among the cheapest (equal costs: its tie rule).
    let best = (all.iter().enumerate())
        .filter(|(_, e)| e.verdict == Verdict::Meets)
        .min_by(|(i, a), (j, b)| match settings.cost {
            CostBasis::Steady => i.cmp(j),
            CostBasis::RiskAdjusted => (a.risk_adjusted_monthly_usd)
                .total_cmp(&b.risk_adjusted_monthly_usd)
                .then(i.cmp(j)),
        })
        .map(|(_, e)| e.candidate);
    all.sort_by_key(|e| e.candidate);
    Ok((best, all))
}
