//! Writing result files atomically: a reader sees the old file or the complete new one,
//! never a half-written one, and an interrupted run leaves no partial file behind.
//!
//! Each file is written to a temporary file in the same directory (so the final rename
//! stays on one file system and is atomic), synced, then renamed over the target.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A result file that could not be written: the output layer's one error.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}", .path.display())]
pub struct OutputError {
    /// The file being written.
    pub path: PathBuf,
    /// Why it failed.
    pub source: io::Error,
}

/// A file being written that only appears at its path on [`AtomicFile::commit`]; dropped
/// uncommitted, it vanishes.
pub struct AtomicFile {
    path: PathBuf,
    temp: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `path`, creating its directory if needed.
    pub fn create(path: &Path) -> Result<Self, OutputError> {
        let fail = |source| OutputError {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir).map_err(fail)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Temporary files are private (0600); results are ordinary files.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let temp = builder.tempfile_in(dir).map_err(fail)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp: BufWriter::new(temp),
        })
    }

    /// The path the file will have once committed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file to its path.
    pub fn commit(self) -> Result<(), OutputError> {
        let path = self.path;
        let fail = |source| OutputError {
            path: path.clone(),
            source,
        };
        let temp = self.temp.into_inner().map_err(|e| fail(e.into_error()))?;
        temp.as_file().sync_all().map_err(fail)?;
        temp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// Writes `bytes` to `path` atomically, creating its directory if needed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes).map_err(|source| OutputError {
        path: path.to_path_buf(),
        source,
    })?;
    file.commit()
}

/// Where a run's summary goes: `out/<scenario>/summary.json`, with the scenario name
/// made a single safe path component (anything but ASCII letters, digits, `-`, `_` and
/// `.` becomes `_`), so that a name like `prod/eu` cannot escape `out`.
pub fn summary_path(out: &Path, scenario: &str) -> PathBuf {
    let name: String = scenario
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let dir = if name.trim_matches('.').is_empty() {
        "scenario".to_string()
    } else {
        name
    };
    out.join(dir).join("summary.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/summary.json");
        write_atomically(&path, b"{}").unwrap();
        write_atomically(&path, b"{\"again\": 1}").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{\"again\": 1}");
        assert_eq!(entries(&dir.path().join("a/b")), ["summary.json"]);
    }

    #[test]
    fn an_uncommitted_file_vanishes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"trial\n").unwrap();
        drop(file);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn summary_path_keeps_the_scenario_inside_the_output_directory() {
        let out = Path::new("output");
        assert_eq!(
            summary_path(out, "warm-standby_v2.1"),
            Path::new("output/warm-standby_v2.1/summary.json")
        );
        assert_eq!(
            summary_path(out, "prod/eu west"),
            Path::new("output/prod_eu_west/summary.json")
        );
        assert_eq!(
            summary_path(out, ".."),
            Path::new("output/scenario/summary.json")
        );
        assert_eq!(
            summary_path(out, ""),
            Path::new("output/scenario/summary.json")
        );
    }

    #[test]
    fn an_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, "").unwrap();
        let err = write_atomically(&blocker.join("x.json"), b"").unwrap_err();
        assert!(err.to_string().contains("file/x.json"), "{err}");
    }
}
