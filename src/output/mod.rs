//! Writing result files safely: a reader sees the old file or the complete new one,
//! never a half-written one, and an interrupted run leaves no partial file behind.
//!
//! Where a result goes depends on what is at its path ([`Destination`]):
//!
//! - **nothing, or a regular file**: the result is written to a temporary file in the
//!   same directory (so the final rename stays on one file system and is atomic), synced,
//!   then renamed over the path;
//! - **a symbolic link**: it is resolved (link by link) and its *target* is replaced
//!   atomically as above; the link itself stays a link;
//! - **`-`**: the result is streamed to standard output;
//! - **a FIFO, a character or block device, a socket**: the result is streamed into it
//!   (opened for writing, never replaced), so `--trials-csv /dev/null` or a named pipe
//!   work and stay what they are; a write error (`/dev/full`) is an error;
//! - **a directory**: an error naming the path.
//!
//! Temporary files are named `.drsim-tmp-<name>.<random>.tmp` (the name shortened if
//! long) and are removed when a write fails, when it is dropped unfinished, and by
//! [`remove_temporary_files`], which the `drsim` binary calls on SIGINT and SIGTERM
//! before exiting. Only SIGKILL (or a power loss) can leave one behind; the next run
//! that writes into that directory removes the `.drsim-tmp-*` files not modified for
//! [`STALE_AFTER`] (a day): a younger one may be another run's (perhaps on another
//! machine sharing the directory), still being written.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A result file that could not be written: the output layer's one error.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}", .path.display())]
pub struct OutputError {
    /// The file being written.
    pub path: PathBuf,
    /// Why it failed.
    pub source: io::Error,
}

impl OutputError {
    fn new(path: &Path, source: io::Error) -> Self {
        OutputError {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The prefix of every temporary file drsim writes.
pub const TEMP_PREFIX: &str = ".drsim-tmp-";

/// The longest part of a target's name kept in its temporary file's name, in bytes, so
/// that a long (but valid) name still leaves room for the prefix and the random part.
const TEMP_NAME_BYTES: usize = 64;

/// Temporary files alive in this process, for [`remove_temporary_files`]. Creating,
/// persisting and removing a temporary file all hold this lock, so a signal handler that
/// holds it sees each file either absent, complete at its final path, or here.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every temporary file this process is writing, and keeps the lock that
/// creates them held until the process ends, so that no new one appears: call it only
/// right before exiting (the `drsim` binary does, on SIGINT and SIGTERM).
pub fn remove_temporary_files() {
    let mut live = registry();
    for path in live.drain(..) {
        let _ = fs::remove_file(path);
    }
    // Hold the lock until exit: a file created after this point would be left behind.
    std::mem::forget(live);
}

/// A temporary path registered for removal on interrupt; removed on drop unless
/// persisted.
pub struct TempPath {
    path: PathBuf,
    persisted: bool,
}

impl TempPath {
    /// A new, unique, empty temporary file beside `target` (which must be a file path),
    /// named `.drsim-tmp-<name>.<random><suffix>`.
    pub fn beside(target: &Path, suffix: &str) -> Result<(TempPath, File), OutputError> {
        let fail = |source| OutputError::new(target, source);
        let dir = parent_dir(target);
        let name = target
            .file_name()
            .map(|n| short_name(&n.to_string_lossy()).to_string())
            .ok_or_else(|| fail(invalid(format!("{} is not a file path", target.display()))))?;
        let mut live = registry();
        let prefix = format!("{TEMP_PREFIX}{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(suffix);
        // Temporary files are private (0600) by default; results are ordinary files.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let (file, path) = builder
            .tempfile_in(dir)
            .map_err(|e| fail(explain_dir(dir, e)))?
            .keep()
            .map_err(|e| fail(e.error))?;
        live.push(path.clone());
        Ok((
            TempPath {
                path,
                persisted: false,
            },
            file,
        ))
    }

    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the temporary file over `target`.
    pub fn persist(mut self, target: &Path) -> Result<(), OutputError> {
        let mut live = registry();
        fs::rename(&self.path, target).map_err(|e| OutputError::new(target, e))?;
        live.retain(|p| p != &self.path);
        self.persisted = true;
        Ok(())
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if self.persisted {
            return;
        }
        let mut live = registry();
        let _ = fs::remove_file(&self.path);
        live.retain(|p| p != &self.path);
    }
}

/// What a result path names, and so how it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A regular file, or nothing yet: replaced atomically at this path (a symbolic
    /// link's resolved target).
    Replace(PathBuf),
    /// A FIFO, device or socket: opened and written directly.
    Stream(PathBuf),
    /// `-`: standard output.
    Stdout,
}

impl Destination {
    /// Where `path` leads; an error if it is a directory or a symbolic link that cannot
    /// be resolved.
    pub fn of(path: &Path) -> Result<Destination, OutputError> {
        if path.as_os_str() == "-" {
            return Ok(Destination::Stdout);
        }
        let resolved = resolve_links(path)?;
        match fs::metadata(&resolved) {
            // Absent, or a file in the way of its directory (which creating it explains).
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(Destination::Replace(resolved))
            }
            Err(e) => Err(OutputError::new(path, e)),
            Ok(meta) if meta.is_file() => Ok(Destination::Replace(resolved)),
            Ok(meta) if meta.is_dir() => Err(OutputError::new(
                path,
                invalid(format!(
                    "{} is a directory; give a file path",
                    resolved.display()
                )),
            )),
            Ok(_) => Ok(Destination::Stream(resolved)),
        }
    }
}

/// Follows symbolic links at `path` (each relative to its own directory), at most 40.
fn resolve_links(path: &Path) -> Result<PathBuf, OutputError> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current).map_err(|e| OutputError::new(path, e))?;
                current = parent_dir(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(OutputError::new(
        path,
        invalid("too many levels of symbolic links".into()),
    ))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// The directory a file path is in (`.` for a bare name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// At most [`TEMP_NAME_BYTES`] of `name`, cut on a character boundary.
fn short_name(name: &str) -> &str {
    let mut end = name.len().min(TEMP_NAME_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// Creates `dir` and its parents; a file in the way is named.
fn create_dir(dir: &Path, target: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(dir).map_err(|e| OutputError::new(target, explain_dir(dir, e)))
}

/// An error about directory `dir` that says which directory and what is wrong.
fn explain_dir(dir: &Path, error: io::Error) -> io::Error {
    let why = match error.kind() {
        io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => {
            "a file that is not a directory is in the way".to_string()
        }
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    };
    io::Error::new(error.kind(), format!("directory {}: {why}", dir.display()))
}

enum Sink {
    Replace {
        target: PathBuf,
        temp: TempPath,
        file: BufWriter<File>,
    },
    Stream(BufWriter<File>),
    Stdout(BufWriter<io::Stdout>),
}

/// A file being written that only appears at its path on [`AtomicFile::commit`]; dropped
/// uncommitted, it vanishes. When the path is `-`, a FIFO or a device, it is written
/// directly instead (see the [module](self)).
pub struct AtomicFile {
    path: PathBuf,
    sink: Sink,
}

impl AtomicFile {
    /// Starts writing `path`, creating its directory if needed.
    pub fn create(path: &Path) -> Result<Self, OutputError> {
        let sink = match Destination::of(path)? {
            Destination::Stdout => Sink::Stdout(BufWriter::new(io::stdout())),
            Destination::Stream(device) => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&device)
                    .map_err(|e| OutputError::new(path, e))?;
                Sink::Stream(BufWriter::new(file))
            }
            Destination::Replace(target) => {
                create_dir(parent_dir(&target), path)?;
                let (temp, file) = TempPath::beside(&target, ".tmp")?;
                Sink::Replace {
                    target,
                    temp,
                    file: BufWriter::new(file),
                }
            }
        };
        Ok(AtomicFile {
            path: path.to_path_buf(),
            sink,
        })
    }

    /// The path the file will have once committed (as given, before resolving links).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file to its path (or flushes the stream).
    pub fn commit(self) -> Result<(), OutputError> {
        let path = self.path;
        let fail = |source| OutputError::new(&path, source);
        match self.sink {
            Sink::Replace { target, temp, file } => {
                let file = file.into_inner().map_err(|e| fail(e.into_error()))?;
                file.sync_all().map_err(fail)?;
                drop(file);
                temp.persist(&target).map_err(|e| fail(e.source))
            }
            Sink::Stream(mut file) => file.flush().map_err(fail),
            Sink::Stdout(mut out) => discard_broken_pipe(out.flush(), ()).map_err(fail),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Replace { file, .. } => file.write(buf),
            Sink::Stream(file) => file.write(buf),
            Sink::Stdout(out) => discard_broken_pipe(out.write(buf), buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Replace { file, .. } => file.flush(),
            Sink::Stream(file) => file.flush(),
            Sink::Stdout(out) => discard_broken_pipe(out.flush(), ()),
        }
    }
}

/// A closed standard output (`drsim run --trials-csv - | head`) is the reader's choice,
/// not a failure: what follows is discarded.
fn discard_broken_pipe<T>(result: io::Result<T>, instead: T) -> io::Result<T> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(instead),
        other => other,
    }
}

/// Writes `bytes` to `path` atomically, creating its directory if needed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .map_err(|source| OutputError::new(path, source))?;
    file.commit()
}

/// Checks, before a long run, that a result can be written at `path`: its directory can
/// be created and written, the path is not a directory, and its name is not too long.
/// Nothing is left behind but the directory.
pub fn check_writable(path: &Path) -> Result<(), OutputError> {
    let target = match Destination::of(path)? {
        Destination::Replace(target) => target,
        Destination::Stream(_) | Destination::Stdout => return Ok(()),
    };
    let dir = parent_dir(&target);
    create_dir(dir, path)?;
    remove_stale_temporary_files(dir);
    // A probe temporary file: the directory is writable.
    drop(TempPath::beside(&target, ".tmp")?);
    // The name itself fits the file system (the probe used a shortened one).
    if let Some(name) = target.file_name() {
        let max = NAME_MAX;
        if name.len() > max {
            return Err(OutputError::new(
                path,
                invalid(format!(
                    "file name {} is {} bytes long; the file system allows {max}",
                    name.to_string_lossy(),
                    name.len()
                )),
            ));
        }
    }
    Ok(())
}

/// How long a temporary file must have been left untouched before a run removes it:
/// no drsim run leaves a file it is writing unmodified for a day.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Removes the `.drsim-tmp-*` files in `dir` not modified for [`STALE_AFTER`]: what a
/// killed run left. Best effort: a file that cannot be read or removed stays.
pub fn remove_stale_temporary_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            && (entry.metadata().ok())
                .filter(fs::Metadata::is_file)
                .and_then(|m| m.modified().ok())
                .and_then(|at| at.elapsed().ok())
                .is_some_and(|age| age > STALE_AFTER);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The longest file name common file systems allow, in bytes.
const NAME_MAX: usize = 255;

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
mod tests;
