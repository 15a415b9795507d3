//! The present layer's error: a chart that could not be drawn or written.

use std::io;
use std::path::PathBuf;

/// Why a chart or a figure could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum PresentError {
    /// The plotting backend failed (its message).
    #[error("drawing failed: {0}")]
    Draw(String),
    /// A chart's path has no file name.
    #[error("`{}` is not a file path", .0.display())]
    NotAFilePath(PathBuf),
    /// A chart file could not be written.
    #[error("cannot write `{}`: {source}", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The directory for the charts could not be created.
    #[error("cannot create `{}`: {source}", .path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A figure's SVG could run code when inlined in the report.
    #[error("figure is not a plain SVG chart")]
    UnsafeSvg,
    /// A pre-rendered SVG figure was asked for in another format.
    #[error("a pre-rendered SVG cannot be re-rendered")]
    PreRendered,
}
