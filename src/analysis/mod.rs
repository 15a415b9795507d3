//! What a run's numbers mean: the summary against the objectives, the monthly cost and
//! the risk, the comparison of strategies and the exact merge of a sharded run's parts.

pub mod compare;
pub mod context;
pub mod cost;
pub mod error;
pub mod optimize;
pub mod pareto;
pub mod parts;
pub mod pipeline;
pub mod sensitivity;
pub mod summary;
pub mod uncertainty;

pub use error::AnalysisError;
