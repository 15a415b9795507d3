//! Reading a model or price catalog file as text, safely: only regular files (a FIFO
//! or device could block forever), of bounded size, in UTF-8 (else the place of the
//! first bad byte).

use std::fs;
use std::path::Path;

/// Largest model (or price catalog) file read, in bytes: model files are a few
/// kilobytes; anything this big is a mistake, not a model.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Why a model or catalog file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// It could not be read (missing, not a regular file, too big...).
    Io(std::io::Error),
    /// It is not UTF-8; the first bad byte is at this 1-based line and column.
    NotUtf8 {
        /// Line and column of the first byte that is not UTF-8.
        line_col: (usize, usize),
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotUtf8 { line_col: (l, c) } => {
                write!(
                    f,
                    "not UTF-8 text (first invalid byte at line {l}, column {c})"
                )
            }
        }
    }
}

/// Reads a model or catalog file: only a regular file (never a FIFO or device, which
/// could block forever), at most [`MAX_FILE_BYTES`], in UTF-8.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    use std::io::{Error, ErrorKind, Read};
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a FIFO, device or socket)"
        };
        return Err(ReadError::Io(Error::new(
            ErrorKind::InvalidInput,
            format!("it is {what}; a model file must be a regular file"),
        )));
    }
    let too_big = || {
        ReadError::Io(Error::new(
            ErrorKind::InvalidInput,
            format!("it is larger than {} MiB", MAX_FILE_BYTES >> 20),
        ))
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        ReadError::NotUtf8 {
            line_col: (line, column),
        }
    })
}
