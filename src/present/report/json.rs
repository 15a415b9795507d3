//! JSON: one pretty object whose keys follow the [`Summary`] struct's field order.

use std::io;

use super::Exporter;
use crate::analysis::summary::Summary;

/// Exports the summary as one JSON object (what `summary.json` holds).
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn serialize(&self, summary: &Summary) -> io::Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(summary)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
