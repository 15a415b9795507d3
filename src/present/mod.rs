//! How results are shown: the summary as a table, JSON or CSV, charts, and the HTML
//! design-review report.

pub mod charts;
pub mod error;
pub mod report;
pub mod review;

pub use error::PresentError;
