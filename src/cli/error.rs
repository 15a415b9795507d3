//! Everything a command can fail with, and the one place that picks the exit code.

use std::io;

use drsim::analysis::AnalysisError;
use drsim::model::ModelError;
use drsim::model::catalog::CostError;
use drsim::model::load::LoadError;
use drsim::output::OutputError;
use drsim::present::PresentError;
use drsim::run::RunError;

/// Checks, before any work, that a result can be written at `path` (see
/// [`drsim::output::check_writable`]).
pub fn check_destination(path: &std::path::Path) -> Result<(), CliError> {
    drsim::output::check_writable(path).map_err(CliError::Destination)
}

/// Why a command failed: each library layer's error, and the command's own.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A model file or its price catalog cannot be used.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A run, or the choice of its shard, failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// An evaluation, comparison or merge failed.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// A chart could not be drawn or written.
    #[error(transparent)]
    Present(#[from] PresentError),
    /// A result file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A result path from the command line cannot be written, found before any work.
    #[error(transparent)]
    Destination(OutputError),
    /// A Terraform configuration could not be imported.
    #[error(transparent)]
    Import(#[from] drsim::import::ImportError),
    /// The flags do not fit the model (what is wrong).
    #[error("{0}")]
    Usage(String),
    /// Standard output, or a directory for results, could not be written.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A result could not be serialised.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// `--fail-if-unmet`: the run, or every compared strategy, misses an objective (which).
    #[error("objectives not met: {0}")]
    ObjectivesUnmet(String),
    /// SIGINT or SIGTERM stopped the command.
    #[error("interrupted; no partial result file was left")]
    Interrupted,
}

impl From<LoadError> for CliError {
    fn from(error: LoadError) -> Self {
        CliError::Model(error.into())
    }
}

impl From<CostError> for CliError {
    fn from(error: CostError) -> Self {
        CliError::Model(error.into())
    }
}

/// A bad model, file or flag.
const USAGE: u8 = 2;
/// The run or its output failed.
const RUNTIME: u8 = 1;
/// `--fail-if-unmet` and an objective is not met; the results were still printed and
/// written.
const OBJECTIVES_UNMET: u8 = 3;
/// Stopped by SIGINT or SIGTERM: 128 + SIGINT, as shells report Ctrl-C.
const INTERRUPTED: u8 = 130;

impl CliError {
    /// The exit code: 2 for a bad model, file, flag or result path, 1 when the run or its output
    /// failed, 3 when `--fail-if-unmet` finds an objective not met, 130 when interrupted.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Interrupted => INTERRUPTED,
            CliError::ObjectivesUnmet(_) => OBJECTIVES_UNMET,
            CliError::Model(_)
            | CliError::Usage(_)
            | CliError::Destination(_)
            | CliError::Import(_) => USAGE,
            CliError::Run(e) => run_code(e),
            CliError::Analysis(e) => match e {
                AnalysisError::Run(e) => run_code(e),
                AnalysisError::Output(_) => RUNTIME,
                AnalysisError::Model(_)
                | AnalysisError::NoDisasters { .. }
                | AnalysisError::TooFewTrials { .. }
                | AnalysisError::NoSuchDisaster { .. }
                | AnalysisError::NoSuchInput { .. }
                | AnalysisError::NoModels
                | AnalysisError::DuplicateName { .. }
                | AnalysisError::InvalidPart(_)
                | AnalysisError::BadPart { .. }
                | AnalysisError::UnreadablePart { .. }
                | AnalysisError::Merge { .. } => USAGE,
            },
            CliError::Present(_) | CliError::Output(_) | CliError::Io(_) | CliError::Json(_) => {
                RUNTIME
            }
        }
    }
}

fn run_code(error: &RunError) -> u8 {
    match error {
        RunError::Shard(_) => USAGE,
        RunError::Threads(_) | RunError::Output(_) | RunError::TrialPanicked(_) => RUNTIME,
    }
}
