//! Report formats: one module per format behind one trait, as in hyperfine's `export/`.
//!
//! Every format prints the same [`Summary`]; per-trial rows have their own writer in
//! [`trials`].

mod csv;
mod json;
mod table;
pub mod trials;

use std::io;

use crate::summary::Summary;

pub use self::csv::CsvExporter;
pub use self::json::JsonExporter;
pub use self::table::TableExporter;

/// Turns a summary into the bytes of one format.
pub trait Exporter {
    /// The summary in this format.
    fn serialize(&self, summary: &Summary) -> io::Result<Vec<u8>>;
}

/// The formats a summary can be printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable text table.
    Table,
    /// One JSON object (the shape `summary.json` has).
    Json,
    /// One CSV row per disaster, after the overall row.
    Csv,
}

impl Format {
    /// The exporter of this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Table => Box::new(TableExporter),
            Format::Json => Box::new(JsonExporter),
            Format::Csv => Box::new(CsvExporter),
        }
    }
}
