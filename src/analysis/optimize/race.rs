//! Racing one candidate: its trials run in stages (a few, then more, then all), each
//! stage the next trial numbers of the same `(seed, trial)` streams (common random
//! numbers: the first `n` trials of every candidate are the same disasters), merged
//! exactly. After a screening stage the candidate is dropped when some disaster's 95%
//! Wilson interval (the summary's `p_rto_met_ci95` / `p_rpo_met_ci95`) lies wholly below
//! its confidence; only the last stage, all trials, decides that it meets them.

use crate::analysis::AnalysisError;
use crate::analysis::context::SummaryContext;
use crate::analysis::cost::CostReport;
use crate::analysis::summary::Summary;
use crate::model::Model;
use crate::run::runner::Runner;
use crate::run::simulate::{RunSettings, simulate_on};
use crate::run::stats::OutcomeStats;

/// Screening stages per full run, each a quarter of the next.
const STAGE_RATIO: u64 = 4;
/// Screening stages before the full run.
const SCREENS: u32 = 2;

/// The trial counts of the stages for `trials` trials and `disasters` disasters: `N/16`,
/// `N/4`, `N` (each at least one trial per disaster, increasing, the last `N`); only `N`
/// when `racing` is off.
pub fn stages(trials: u64, disasters: u64, racing: bool) -> Vec<u64> {
    let mut stages = Vec::new();
    if racing {
        for k in (1..=SCREENS).rev() {
            let n = (trials / STAGE_RATIO.pow(k)).max(disasters);
            if n < trials && stages.last().is_none_or(|&last| n > last) {
                stages.push(n);
            }
        }
    }
    stages.push(trials);
    stages
}

/// How a race ended.
#[derive(Clone, Debug)]
pub enum Finish {
    /// Ran every trial: the summary decides.
    Full(Box<Summary>),
    /// Dropped after this many trials: some disaster's interval is below its confidence.
    Rejected {
        /// Trials run.
        trials: u64,
        /// Its summary at that point.
        summary: Box<Summary>,
    },
    /// The trial budget ran out before the race ended.
    OutOfBudget,
}

/// Whether a screening summary already rules the candidate out: for some disaster the
/// upper end of the 95% interval of P(RTO met) or P(RPO met) is below its confidence.
pub fn ruled_out(summary: &Summary) -> bool {
    summary.by_disaster.iter().any(|d| {
        let upper = d.figures.p_rto_met_ci95[1].min(d.figures.p_rpo_met_ci95[1]);
        upper < d.objective.confidence
    })
}

/// Races `model` (priced as `cost`) through `stages` on `runner`; `spent` counts the
/// trials run and must stay within `budget`.
pub fn race(
    runner: &Runner,
    model: &Model,
    cost: &CostReport,
    stages: &[u64],
    spent: &mut u64,
    budget: Option<u64>,
) -> Result<Finish, AnalysisError> {
    let context = SummaryContext::of(model);
    let mut stats: Option<OutcomeStats> = None;
    let mut done = 0;
    for (i, &upto) in stages.iter().enumerate() {
        if budget.is_some_and(|b| *spent + (upto - done) > b) {
            return Ok(Finish::OutOfBudget);
        }
        let settings = RunSettings {
            trials: done..upto,
            threads: 0,
            trials_csv: None,
        };
        let part = simulate_on(runner, model, &settings, |_| {})?;
        *spent += upto - done;
        done = upto;
        let all = match stats.as_mut() {
            Some(all) => {
                all.merge_from(&part);
                all
            }
            None => stats.insert(part),
        };
        let summary = Summary::priced(&context, all, cost.clone());
        if i + 1 == stages.len() {
            return Ok(Finish::Full(Box::new(summary)));
        }
        if ruled_out(&summary) {
            return Ok(Finish::Rejected {
                trials: done,
                summary: Box::new(summary),
            });
        }
    }
    unreachable!("stages end with the full run")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_quarter_up_to_the_full_run() {
        assert_eq!(stages(16_000, 8, true), [1_000, 4_000, 16_000]);
        assert_eq!(stages(16_000, 8, false), [16_000]);
        // Each stage gives every disaster a trial, and stages only grow.
        assert_eq!(stages(40, 8, true), [8, 10, 40]);
        assert_eq!(stages(8, 8, true), [8]);
    }
}
