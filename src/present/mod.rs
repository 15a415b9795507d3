//! How results are shown: the summary, the cost report and the comparison as a table,
//! JSON or CSV, charts, and the HTML design-review report.
//!
//! Every number a person reads goes through [`mod@format`]; every text table and CSV
//! through [`table`].

pub mod charts;
pub mod compare;
pub mod cost;
pub mod error;
pub mod format;
pub mod optimize;
pub mod report;
pub mod review;
pub mod sensitivity;
pub mod table;

pub use error::PresentError;

/// The formats a summary, a cost report or a comparison can be printed in (`--format`
/// of `run`, `merge`, `cost` and `compare`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable text table.
    Table,
    /// One JSON object (the shape `summary.json` has).
    Json,
    /// One CSV row per disaster, after the overall row.
    Csv,
}
