//! The run layer's error: a shard that cannot be chosen, or a run that cannot complete.

use crate::output::OutputError;

/// Why a run, or the choice of its shard, failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// `--shard` / `--shard-count` or the batch engine's environment give no valid shard
    /// (what is wrong, and what would be valid).
    #[error("{0}")]
    Shard(String),
    /// The thread pool could not be started.
    #[error("cannot start the worker threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    /// The per-trial CSV could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A trial panicked: a bug in the simulator, reported with its message.
    #[error("a trial failed (this is a bug in drsim): {0}")]
    TrialPanicked(String),
}
