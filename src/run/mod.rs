//! Many trials: the parallel runner (which knows nothing of components), the exactly
//! mergeable statistics, the split of a run into shards and per-trial CSV rows.

pub mod error;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod runner;
pub mod shard;
pub mod simulate;
pub mod stats;
pub mod trials_csv;

pub use error::RunError;
