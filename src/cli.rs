//! Command-line arguments (clap derive). Parsing only: `main` turns them into a run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use drsim::report::Format;

/// Offline disaster-recovery simulator: throws thousands of simulated disasters at a
/// model of an AWS architecture and reports its RTO and RPO distributions.
#[derive(Debug, Parser)]
#[command(name = "drsim", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo trials of a model and print the RTO/RPO summary.
    Run(RunArgs),
    /// Check a model file and describe it, without running it.
    Validate(ValidateArgs),
    /// Price a model: the steady monthly bill by region and component, and what each
    /// disaster's failover adds (no simulation; `run` adds the expected loss).
    Cost(CostArgs),
}

/// Arguments of `drsim cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Arguments of `drsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// Number of trials (disasters simulated); overrides `simulation.trials`.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub trials: Option<u64>,

    /// Seed; overrides `simulation.seed`. With the model it fixes every result.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,

    /// Worker threads [default: one per logical core]. Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = at_least_one_thread)]
    pub threads: Option<usize>,

    /// Directory for results: the summary is written to DIR/<scenario>/summary.json.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Format of the summary printed on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Also write one CSV row per trial, in trial order, to PATH.
    #[arg(long, value_name = "PATH")]
    pub trials_csv: Option<PathBuf>,

    /// No progress bar or notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `drsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Model file (TOML).
    pub file: PathBuf,
}

fn at_least_one(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("not a whole number: {e}")),
    }
}

fn at_least_one_thread(text: &str) -> Result<usize, String> {
    at_least_one(text).and_then(|n| usize::try_from(n).map_err(|e| e.to_string()))
}
