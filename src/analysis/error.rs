//! The analysis layer's error: a model that cannot run, a run that failed, or part files
//! that cannot be read or merged.

use std::io;
use std::path::PathBuf;

use crate::model::ModelError;
use crate::model::catalog::CostError;
use crate::model::load::LoadError;
use crate::output::OutputError;
use crate::run::RunError;

/// Why an evaluation, a comparison or a merge could not give its result.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A model file or its price catalog cannot be used.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The simulation failed (or its shard could not be chosen).
    #[error(transparent)]
    Run(#[from] RunError),
    /// A result file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The model has no disasters, so there is nothing to simulate.
    #[error("{} has no disasters to simulate", .file.display())]
    NoDisasters {
        /// The model file.
        file: PathBuf,
    },
    /// Fewer trials than disasters: trial `i` simulates disaster `i % K`, so some would
    /// get none.
    #[error(
        "{} has {disasters} disasters but the run has only {trials} trials: each disaster \
         needs at least one (use --trials {disasters} or more)",
        .file.display()
    )]
    TooFewTrials {
        /// The model file.
        file: PathBuf,
        /// Its number of disasters.
        disasters: u64,
        /// The run's trials.
        trials: u64,
    },
    /// A disaster asked for by name is not in the model.
    #[error(
        "{} has no disaster named `{name}`; its disasters are: {}",
        .file.display(),
        .names.join(", ")
    )]
    NoSuchDisaster {
        /// The model file.
        file: PathBuf,
        /// The name asked for.
        name: String,
        /// The model's disasters, in order.
        names: Vec<String>,
    },
    /// A sensitivity input asked for by name is not an uncertain input of the model.
    #[error(
        "{} has no uncertain input `{name}`{}; its inputs are: {}",
        .file.display(),
        .closest.as_ref().map_or(String::new(), |c| format!(" (did you mean `{c}`?)")),
        .names.join(", ")
    )]
    NoSuchInput {
        /// The model file.
        file: PathBuf,
        /// The name asked for.
        name: String,
        /// The closest input name, if one is close.
        closest: Option<String>,
        /// The model's inputs, in order.
        names: Vec<String>,
    },
    /// A comparison of no models.
    #[error("no model files to compare")]
    NoModels,
    /// Two compared models have the same name: their charts and tables would mix.
    #[error(
        "{first} and {second} are both named {name:?}: give each compared model its own \
         `name` (or leave it out: a model is named after its file)"
    )]
    DuplicateName {
        /// The shared name.
        name: String,
        /// The first file with it.
        first: PathBuf,
        /// The second file with it.
        second: PathBuf,
    },
    /// The bytes of a part file are not a valid part (what is wrong with them).
    #[error("{0}")]
    InvalidPart(String),
    /// The part file at `path` is not a valid part.
    #[error("{}: {problem}", .path.display())]
    BadPart {
        /// The part file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The part file at `path` cannot be read.
    #[error("{}: cannot read: {source}", .path.display())]
    UnreadablePart {
        /// The part file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Parts that cannot be merged, with everything found wrong.
    #[error("cannot merge the parts:{}", bullets(.problems))]
    Merge {
        /// What is wrong, each naming the files concerned (one line each).
        problems: Vec<String>,
    },
}

impl From<LoadError> for AnalysisError {
    fn from(error: LoadError) -> Self {
        AnalysisError::Model(error.into())
    }
}

impl From<CostError> for AnalysisError {
    fn from(error: CostError) -> Self {
        AnalysisError::Model(error.into())
    }
}

/// Each problem on its own line, indented as a list item.
fn bullets(problems: &[String]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}
