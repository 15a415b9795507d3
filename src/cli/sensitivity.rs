//! `drsim sensitivity`: flags to [`drsim::analysis::sensitivity`] and its table.

use std::io::IsTerminal;
use std::time::Instant;

use drsim::analysis::compare::{Scope, disaster_index};
use drsim::analysis::sensitivity::sensitivity;
use drsim::model::load::load_model_with_sources;
use drsim::run::simulate::RunSettings;

use super::args::SensitivityArgs;
use super::error::CliError;
use crate::{note, print};

/// Runs the base model and both ends of each uncertain input with the same seed and
/// trials, and prints the inputs by swing, largest first.
pub fn run(args: SensitivityArgs) -> Result<(), CliError> {
    let (mut model, sources) = load_model_with_sources(&args.file)?;
    if let Some(trials) = args.sim.trials {
        model.simulation.trials = trials;
    }
    if let Some(seed) = args.sim.seed {
        model.simulation.seed = seed;
    }
    let scope = match &args.disaster {
        Some(name) => {
            disaster_index(&model, &args.file, name)?;
            Scope::Disaster(name.clone())
        }
        None => Scope::Overall,
    };
    let settings = RunSettings {
        trials: 0..model.simulation.trials,
        threads: args.sim.threads.unwrap_or(0),
        trials_csv: None,
    };
    let started = Instant::now();
    let quiet = args.quiet;
    let watched = !quiet && std::io::stderr().is_terminal();
    let result = sensitivity(
        &model,
        &args.file,
        Some(&sources),
        &scope,
        &args.inputs,
        &settings,
        |done, runs| {
            if watched {
                note(&format!("sensitivity: {done} of {runs} runs"));
            }
        },
    )?;
    if !quiet {
        note(&format!(
            "{} runs of {} trials in {:.1} s",
            result.runs,
            result.trials,
            started.elapsed().as_secs_f64()
        ));
    }
    print(drsim::present::sensitivity::render(&result, args.format)?.as_bytes())
}
