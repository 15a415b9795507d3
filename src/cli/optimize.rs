//! `drsim optimize`: flags to [`drsim::analysis::optimize`], its report, and `--emit`.

use std::time::Instant;

use drsim::analysis::optimize::{CostBasis, OptimizeSettings, optimize};
use drsim::model::ModelError;
use drsim::model::edit::edited;
use drsim::model::space::{Space, Variants};
use drsim::present::format::thousands;

use super::args::{CostArg, OptimizeArgs};
use super::error::{CliError, check_destination};
use crate::{note, print};

/// Searches the space, prints the result, and writes the winning model if asked.
pub fn run(args: OptimizeArgs) -> Result<(), CliError> {
    if let Some(path) = &args.emit {
        check_destination(path)?;
    }
    let space = Space::load(&args.space)?;
    let variants = Variants::new(&args.file, space)?;
    let settings = OptimizeSettings {
        trials: args.sim.trials,
        seed: args.sim.seed,
        threads: args.sim.threads.unwrap_or(0),
        budget: args.budget,
        cost: match args.cost {
            CostArg::Steady => CostBasis::Steady,
            CostArg::RiskAdjusted => CostBasis::RiskAdjusted,
        },
        ..OptimizeSettings::default()
    };
    let started = Instant::now();
    let result = optimize(&variants, &args.file, &settings)?;
    if !args.quiet {
        // Wall time goes to standard error: the printed result stays reproducible.
        note(&format!(
            "optimize: {} of {} candidates evaluated, {} trials in {:.1} s",
            thousands(result.candidates_evaluated),
            thousands(result.candidates_in_space),
            thousands(result.trials_spent),
            started.elapsed().as_secs_f64()
        ));
    }
    print(drsim::present::optimize::render(&result, args.format)?.as_bytes())?;
    if let (Some(path), Some(_)) = (&args.emit, &result.winner) {
        let text = edited(&args.file, path, &result.emit).map_err(ModelError::from)?;
        drsim::output::write_atomically(path, text.as_bytes())?;
        if !args.quiet {
            note(&format!("wrote the winning model to {}", path.display()));
        }
    } else if args.emit.is_some() && !args.quiet {
        note("no candidate meets the objectives: nothing written");
    }
    Ok(())
}
