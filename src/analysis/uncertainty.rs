//! The answer over the ranges a model gives its uncertain inputs (`{ low, high }`), told
//! apart from the spread that sampling alone gives.
//!
//! The design (docs/model-format.md, "Ranges"): `K` outer draws of every ranged input
//! together, by a centred Latin hypercube: each input takes each of the points
//! `(j + 0.5) / K` of its range (j = 0..K) exactly once, in an order drawn from the
//! model's seed, so every input covers its whole range evenly whatever the others do.
//! Each draw runs `N / K` trials (`N` the run's trials) numbered `0..N/K`: common random
//! numbers, so draws differ by their inputs, not by fresh noise. The spread of a figure
//! over the draws is the *input uncertainty*.
//!
//! The *random spread* is the same figure over `K` blocks of `N / K` trials of the model
//! as written (trials `j N/K ..(j+1) N/K`): what sampling alone moves a figure by at that
//! many trials. An input-uncertainty range much wider than the random spread is the
//! inputs' doing.

use std::path::Path;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::analysis::AnalysisError;
use crate::analysis::compare::Scope;
use crate::analysis::sensitivity::{Answer, answers, inputs};
pub use crate::analysis::summary::{FigureSpread, InputUncertainty, RangedInput, Spread};
use crate::model::Model;
use crate::run::simulate::RunSettings;

/// Default number of outer draws of `drsim run` on a model with ranges.
pub const DEFAULT_DRAWS: usize = 20;

/// Stream of the Latin hypercube's orders, apart from every trial's `(seed, trial)`.
const DESIGN_STREAM: u64 = 0x6c68_735f_6472_6177; // "lhs_draw"

/// The answer of `model` (read from `file`) over its input ranges with `draws` outer
/// draws, `nominal` being its answer over all `settings.trials`; `None` if no input in
/// use has a range in the model.
pub fn input_uncertainty(
    model: &Model,
    file: &Path,
    nominal: &Answer,
    settings: &RunSettings,
    draws: usize,
) -> Result<Option<InputUncertainty>, AnalysisError> {
    let ranged: Vec<_> = (inputs(model, None).into_iter())
        .filter(|i| i.range.is_some())
        .collect();
    let trials = settings.trials.end - settings.trials.start;
    if ranged.is_empty() || draws == 0 {
        return Ok(None);
    }
    // Every disaster needs a trial in each draw (trial i simulates disaster i % count).
    let per_draw = (trials / draws as u64).max(model.disasters.len() as u64);
    let orders = latin_orders(model.simulation.seed, ranged.len(), draws);
    // Draws run trials 0..per_draw (common random numbers); block j of the written
    // model runs trials j * per_draw.., so the blocks are independent samples.
    let base = settings.trials.start;
    let block = |j: usize| base + j as u64 * per_draw..base + (j as u64 + 1) * per_draw;
    let mut runs = Vec::with_capacity(2 * draws);
    for draw in 0..draws {
        let mut variant = model.clone();
        for (input, order) in ranged.iter().zip(&orders) {
            let t = (order[draw] as f64 + 0.5) / draws as f64;
            input.set_between(&mut variant, t);
        }
        runs.push((variant, block(0)));
    }
    runs.extend((0..draws).map(|j| (model.clone(), block(j))));
    let described: Vec<RangedInput> = (ranged.iter())
        .map(|input| {
            let end = |t: f64| input.set_between(&mut model.clone(), t).unwrap_or_default();
            RangedInput {
                name: input.name.clone(),
                value: input.value.clone(),
                low: end(0.0),
                high: end(1.0),
            }
        })
        .collect();
    let all = answers(runs, file, &Scope::Overall, settings, |_, _| {})?;
    let (draw_answers, block_answers) = all.split_at(draws);
    Ok(Some(InputUncertainty {
        draws,
        trials_per_draw: per_draw,
        inputs: described,
        figures: figure_spreads(nominal, draw_answers, block_answers),
    }))
}

/// For each input, the order in which it visits the `draws` strata of its range.
fn latin_orders(seed: u64, inputs: usize, draws: usize) -> Vec<Vec<usize>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(DESIGN_STREAM);
    (0..inputs)
        .map(|_| {
            let mut order: Vec<usize> = (0..draws).collect();
            order.shuffle(&mut rng);
            order
        })
        .collect()
}

fn figure_spreads(nominal: &Answer, draws: &[Answer], blocks: &[Answer]) -> Vec<FigureSpread> {
    type Of = fn(&Answer) -> Option<f64>;
    let figures: [(&'static str, Of); 4] = [
        ("rto_p99_seconds", |a| a.rto_p99_seconds),
        ("p_rto_met", |a| Some(a.p_rto_met)),
        ("rpo_p99_seconds", |a| a.rpo_p99_seconds),
        ("risk_adjusted_monthly_usd", |a| {
            Some(a.risk_adjusted_monthly_usd)
        }),
    ];
    figures
        .into_iter()
        .map(|(figure, of)| FigureSpread {
            figure,
            nominal: of(nominal),
            input_uncertainty: spread(draws.iter().map(of).collect()),
            random_spread: spread(blocks.iter().map(of).collect()),
        })
        .collect()
}

/// Lowest, median and highest of `values`, "never" (`None`) above every value.
fn spread(mut values: Vec<Option<f64>>) -> Spread {
    values.sort_by(|a, b| match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(b),
        (a, b) => a.is_none().cmp(&b.is_none()),
    });
    let at = |i: usize| values.get(i).copied().flatten();
    Spread {
        min: at(0),
        median: at(values.len().saturating_sub(1) / 2),
        max: at(values.len().saturating_sub(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_input_visits_every_stratum_once() {
        let orders = latin_orders(7, 3, 20);
        for order in &orders {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..20).collect::<Vec<_>>());
        }
        assert_ne!(orders[0], orders[1], "inputs are paired at random");
        assert_eq!(orders, latin_orders(7, 3, 20), "the seed fixes the design");
    }

    #[test]
    fn never_ranks_above_every_value() {
        let s = spread(vec![None, Some(3.0), Some(1.0), Some(2.0)]);
        assert_eq!((s.min, s.median, s.max), (Some(1.0), Some(2.0), None));
    }
}
