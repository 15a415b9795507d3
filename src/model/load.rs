//! Reading a model: TOML files (with includes) -> raw serde tree -> validated [`Model`].
//!
//! Every error names the file, line, column and TOML path of the offending field.
//! The file format is described in `docs/model-format.md`.
//!
//! The steps: each file is parsed to a TOML table; `include = [...]` files (relative to
//! the including file) are merged first, in order, and the including file last, so its
//! values win. Then the `*_defaults` tables are merged under what they default
//! ([`apply_defaults`]), the result is deserialised into [`super::raw`] structs, and
//! [`super::validate`] checks it. A [`Layer`] remembers which file wrote each value, so an
//! error found late still points at the line that caused it.

use std::fs;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::Model;
use super::builtin;
use super::catalog::CostError;
use super::locate::{
    Seg, TomlPath, closest, format_path, keys, line_col, locate, place, unknown_message,
};
use super::merge::{Layer, get_mut};
use super::raw::{DATABASE_DEFAULTS, OBJECT_STORAGE_DEFAULTS, RawModel};
use super::read::{ReadError, read_text};
use super::schema;
use super::validate::{self, Problem};

/// A model file that could not be read or is not a valid model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}: {message}{}", .file.display(), place(*.line_col, .field.as_deref()), more(.also, *.unlisted))]
pub struct LoadError {
    /// File the error is in.
    pub file: PathBuf,
    /// 1-based line and column, when the place is known.
    pub line_col: Option<(usize, usize)>,
    /// TOML path of the field, e.g. `regions.us-east-1.asg.warm_pool.state`.
    pub field: Option<String>,
    /// What is wrong, and what would be valid.
    pub message: String,
    /// The other problems of shape and spelling found in the same pass, each located.
    pub also: Box<[LoadError]>,
    /// Problems found beyond those listed (see [`schema::MAX_PROBLEMS`]).
    pub unlisted: u32,
}

/// The further problems, one per line, after the first.
fn more(also: &[LoadError], unlisted: u32) -> String {
    let mut text: String = also.iter().map(|e| format!("\n{e}")).collect();
    if unlisted > 0 {
        text.push_str(&format!("\n(and {unlisted} more problems)"));
    }
    text
}

/// Reads and validates the model in `path`.
pub fn load_model(path: &Path) -> Result<Model, LoadError> {
    load_model_with_sources(path).map(|(model, _)| model)
}

/// Longest value quoted back in an error message, in characters; a longer one is cut
/// (`…`), so a pasted blob does not flood the terminal.
pub const MAX_QUOTED_CHARS: usize = 40;

/// `message` with every `backquoted` or "double-quoted" span longer than
/// [`MAX_QUOTED_CHARS`] cut short.
pub fn clip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            rest = after;
            break;
        };
        let inner = &after[..close];
        if inner.chars().count() > MAX_QUOTED_CHARS {
            out.extend(inner.chars().take(MAX_QUOTED_CHARS));
            out.push('…');
        } else {
            out.push_str(inner);
        }
        out.push(quote);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A [`LoadError`] whose quoted values are cut short ([`clip_quoted`]).
fn clipped(mut error: LoadError) -> LoadError {
    error.message = clip_quoted(&error.message);
    // A field path is made of keys the user wrote: keep it readable too.
    if let Some(field) = &error.field
        && field.chars().count() > 4 * MAX_QUOTED_CHARS
    {
        let short: String = field.chars().take(4 * MAX_QUOTED_CHARS).collect();
        error.field = Some(format!("{short}…"));
    }
    error
}

/// The path and text of every file the model in `path` is read from, in the order the
/// loader reads them: the file, then its includes depth first. Reads and parses the
/// TOML and follows includes, but does not validate the model.
pub fn model_files(path: &Path) -> Result<Vec<(PathBuf, String)>, LoadError> {
    let mut files = Files::default();
    files.load(path, &mut Vec::new(), None).map_err(clipped)?;
    Ok(files.files)
}

/// Reads and validates the model in `path`, and keeps where each value came from
/// (for the design review's "assumptions and their sources"); [`load_model`] skips the
/// bookkeeping of keeping every file's text.
pub fn load_model_with_sources(path: &Path) -> Result<(Model, Sources), LoadError> {
    load_with_sources(path).map_err(clipped)
}

fn load_with_sources(path: &Path) -> Result<(Model, Sources), LoadError> {
    let mut files = Files::default();
    let mut layer = files.load(path, &mut Vec::new(), None)?;
    forget_inherited_name(&mut layer);
    build_layer(path, files, layer)
}

/// Defaults, shape checks and validation of a merged `layer` read from `files`.
fn build_layer(path: &Path, files: Files, mut layer: Layer) -> Result<(Model, Sources), LoadError> {
    apply_defaults(&mut layer).map_err(|p| files.error(&layer, p))?;
    no_datetimes(&layer.table, &mut Vec::new()).map_err(|p| files.error(&layer, p))?;
    let mut table = layer.table.clone();
    let ranges = super::ranges::extract(&mut table).map_err(|p| files.error(&layer, p))?;
    shape_problems(&files, &layer, &table)?;
    let raw = deserialize(table).map_err(|p| files.error(&layer, p))?;
    let mut model = validate::build(raw, path).map_err(|p| files.error(&layer, p))?;
    model.ranges = ranges;
    Ok((
        model,
        Sources {
            files: files.files,
            layer,
        },
    ))
}

/// A model read and merged (includes followed) but not yet validated, so that variants
/// of it (`drsim optimize`) can set values as if the top file wrote them, before the
/// defaults and validation: every model key can be varied without per-key code.
#[derive(Clone)]
pub struct Unvalidated {
    path: PathBuf,
    files: Vec<(PathBuf, String)>,
    layer: Layer,
}

impl Unvalidated {
    /// Reads the model in `path` and its includes.
    pub fn read(path: &Path) -> Result<Unvalidated, LoadError> {
        let mut files = Files::default();
        let mut layer = files.load(path, &mut Vec::new(), None).map_err(clipped)?;
        forget_inherited_name(&mut layer);
        Ok(Unvalidated {
            path: path.to_path_buf(),
            files: files.files,
            layer,
        })
    }

    /// The merged model with its defaults applied (what validation sees); `None` if
    /// the defaults tables are malformed (validation then says why).
    pub fn with_defaults(&self) -> Option<Table> {
        let mut layer = self.layer.clone();
        apply_defaults(&mut layer).ok()?;
        Some(layer.table)
    }

    /// The model with each `(path, value)` of `set` written over it (as if the top file
    /// wrote them, after its own values and before defaults apply: a table merges key by
    /// key, a distribution replaces), validated.
    pub fn build(&self, set: &[(TomlPath, Value)]) -> Result<Model, LoadError> {
        let mut layer = self.layer.clone();
        for (path, value) in set {
            // Merged as the top file's own values are: a table merges key by key (one
            // knob at a time, so a knob of tables keeps what a deeper knob set).
            let mut over = Table::new();
            super::merge::set(&mut over, path, value.clone());
            layer.overlay(Layer::from_file(over, 0));
        }
        let files = Files {
            files: self.files.clone(),
        };
        build_layer(&self.path, files, layer)
            .map(|(model, _)| model)
            .map_err(clipped)
    }
}

/// Every problem of shape and spelling at once (unknown keys, types, choices, durations,
/// missing keys), each located, before serde would stop at the first.
/// `table` is the merged model without its `{ low, high }` ranges.
fn shape_problems(files: &Files, layer: &Layer, table: &toml::Table) -> Result<(), LoadError> {
    let (problems, count) = schema::problems(table, &schema::merged_schema());
    let mut errors = problems.into_iter().map(|p| files.error(layer, p));
    let Some(mut first) = errors.next() else {
        return Ok(());
    };
    first.also = errors.collect();
    first.unlisted = u32::try_from(count - 1 - first.also.len()).unwrap_or(u32::MAX);
    Err(first)
}

/// A `name` written in an included file is not the including model's: without its own,
/// the model is named after its file (two models including one base would otherwise
/// share a name, and their results a folder).
fn forget_inherited_name(layer: &mut Layer) {
    let path = keys(&["name"]);
    if layer.prov.get(&path).is_some_and(|origin| origin.file != 0) {
        layer.table.remove("name");
        layer.prov.remove(&path);
    }
}

/// Which file and line wrote each value of a loaded model, and the comment there.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<(PathBuf, String)>,
    layer: Layer,
}

/// Where one model value was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The file, as the loader reached it (includes are relative to their includer).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// The comment on that line, or else the comment block just above it, without `#`.
    pub comment: Option<String>,
}

impl Sources {
    /// Where the value at the TOML path `keys` (e.g. `["regions", "us-west-2", "asg",
    /// "warm_pool"]`) was written; `None` if no file wrote it or a table above it.
    pub fn source(&self, keys: &[&str]) -> Option<Source> {
        let path: TomlPath = keys.iter().map(|k| Seg::Key((*k).to_string())).collect();
        // Only an exact match counts: a parent table's line says nothing of this value.
        let (origin, matched) = self.layer.origin(&path, false)?;
        if matched != path.len() {
            return None;
        }
        let (file, text) = self.files.get(origin.file)?;
        let (line, _) = locate(text, &origin.path)?;
        Some(Source {
            file: file.clone(),
            line,
            comment: comment_at(text, line),
        })
    }

    /// `error` with the file, line and column where its model field was written, when
    /// it is a pricing error about a field of the model read from `model_file` (an
    /// unpriced instance type...) that only knew the top file: the value may come from
    /// an include.
    pub fn locate_cost_error(&self, mut error: CostError, model_file: &Path) -> CostError {
        let Some(item) = error.item.clone() else {
            return error;
        };
        if error.line_col.is_some() || error.file != model_file {
            return error;
        }
        let path = super::locate::parse_path(&item);
        let Some((origin, matched)) = self.layer.origin(&path, false) else {
            return error;
        };
        if matched != path.len() {
            return error;
        }
        if let Some((file, text)) = self.files.get(origin.file)
            && let Some(at) = locate(text, &origin.path)
        {
            error.file = file.clone();
            error.line_col = Some(at);
        }
        error
    }

    /// "file:line: comment" for the value at `keys`, if any file wrote it.
    pub fn describe(&self, keys: &[&str]) -> Option<String> {
        let source = self.source(keys)?;
        let place = format!("{}:{}", tidy(&source.file).display(), source.line);
        Some(match source.comment {
            Some(comment) => format!("{place}: {comment}"),
            None => place,
        })
    }
}

/// `a/../b` shortened to `b`, so sources read `models/aws-timings.toml`.
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The trailing comment of line `line` (1-based), or the run of comment lines right
/// above it (a value's citation is usually written on the lines before it).
fn comment_at(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(line.checked_sub(1)?)?;
    if let Some(comment) = trailing_comment(here) {
        return Some(comment);
    }
    let mut block = Vec::new();
    for above in lines[..line - 1].iter().rev() {
        match above.trim_start().strip_prefix('#') {
            Some(comment) => block.push(comment.trim()),
            None => break,
        }
    }
    block.reverse();
    let joined = block.join(" ");
    (!joined.trim().is_empty()).then(|| joined.trim().to_string())
}

/// The `# ...` part of a TOML line, outside strings.
fn trailing_comment(line: &str) -> Option<String> {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => {
                let comment = line[i + 1..].trim();
                return (!comment.is_empty()).then(|| comment.to_string());
            }
            _ => {}
        }
    }
    None
}

/// The files read so far, with their text (kept to locate errors).
#[derive(Default)]
struct Files {
    files: Vec<(PathBuf, String)>,
}

/// Where an include was asked for: file index and path of the `include` entry.
type IncludedFrom = (usize, TomlPath);

impl Files {
    /// Reads `path` and its includes into one layer. `stack` holds the canonical paths
    /// of the files being included, to catch cycles.
    fn load(
        &mut self,
        path: &Path,
        stack: &mut Vec<PathBuf>,
        from: Option<&IncludedFrom>,
    ) -> Result<Layer, LoadError> {
        let (canonical, text) = match builtin::model_text(path) {
            Some(text) => (path.to_path_buf(), text.to_string()),
            None => {
                let canonical = fs::canonicalize(path)
                    .map_err(|e| self.unreadable(path, &ReadError::Io(e), from))?;
                let text = read_text(&canonical).map_err(|e| self.unreadable(path, &e, from))?;
                (canonical, text)
            }
        };
        if let Some(start) = stack.iter().position(|p| *p == canonical) {
            return Err(self.cycle(&stack[start..], &canonical, from));
        }
        let mut table: Table = toml::from_str(&text).map_err(|e| syntax_error(path, &text, &e))?;
        let index = self.files.len();
        self.files.push((path.to_path_buf(), text));
        if table.contains_key("knob") && !table.contains_key("regions") {
            // A space file in a `scenarios/*.toml` glob: say what it is, not 20 problems.
            let message = "this is a `drsim optimize` space file, not a model: \
                           run `drsim optimize MODEL --space FILE`";
            return Err(self.error_in(index, &keys(&["knob"]), message.into()));
        }
        let includes = self.includes(index, table.remove("include"))?;
        stack.push(canonical);
        let mut layer = Layer::default();
        for (i, include) in includes.iter().enumerate() {
            let from = (index, vec![Seg::Key("include".into()), Seg::Index(i)]);
            let resolved = if builtin::is_builtin(include) {
                PathBuf::from(include)
            } else {
                path.parent().unwrap_or(Path::new("")).join(include)
            };
            layer.overlay(self.load(&resolved, stack, Some(&from))?);
        }
        stack.pop();
        layer.overlay(Layer::from_file(table, index));
        Ok(layer)
    }

    /// The `include` list of file `index`: an array of strings.
    fn includes(&self, index: usize, value: Option<Value>) -> Result<Vec<String>, LoadError> {
        let Some(value) = value else {
            return Ok(Vec::new());
        };
        let fail = |path: TomlPath, message: &str| self.error_in(index, &path, message.into());
        let Value::Array(items) = value else {
            return Err(fail(
                keys(&["include"]),
                "include must be a list of file paths, e.g. include = [\"../models/web-app.toml\"]",
            ));
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s),
                _ => Err(fail(
                    vec![Seg::Key("include".into()), Seg::Index(i)],
                    "include entries must be file paths (strings)",
                )),
            })
            .collect()
    }

    fn unreadable(&self, path: &Path, error: &ReadError, from: Option<&IncludedFrom>) -> LoadError {
        let name = path.to_string_lossy();
        let mut message = if builtin::is_builtin(&name) {
            let known = builtin::names();
            let hint = closest(&name, known.iter().copied())
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            format!(
                "no such built-in file; {hint}built-ins: {}",
                known.join(", ")
            )
        } else {
            format!("cannot read this file: {error}")
        };
        if let Some((index, entry)) = from {
            let place = self.error_in(*index, entry, String::new());
            message.push_str(&format!(
                " (included from {})",
                place.to_string().trim_end_matches(": ")
            ));
        }
        LoadError {
            file: path.to_path_buf(),
            line_col: match error {
                ReadError::NotUtf8 { line_col } => Some(*line_col),
                ReadError::Io(_) => None,
            },
            field: None,
            message,
            also: Box::default(),
            unlisted: 0,
        }
    }

    fn cycle(&self, chain: &[PathBuf], back_to: &Path, from: Option<&IncludedFrom>) -> LoadError {
        let names: Vec<String> = chain
            .iter()
            .chain(std::iter::once(&back_to.to_path_buf()))
            .map(|p| p.display().to_string())
            .collect();
        let message = format!("include cycle: {}", names.join(" -> "));
        match from {
            Some((index, entry)) => self.error_in(*index, entry, message),
            None => LoadError {
                file: back_to.to_path_buf(),
                line_col: None,
                field: None,
                message,
                also: Box::default(),
                unlisted: 0,
            },
        }
    }

    /// An error at `path` as written in file `index`.
    fn error_in(&self, index: usize, path: &[Seg], message: String) -> LoadError {
        let (file, text) = &self.files[index];
        LoadError {
            file: file.clone(),
            line_col: locate(text, path),
            field: (!path.is_empty()).then(|| format_path(path)),
            message,
            also: Box::default(),
            unlisted: 0,
        }
    }

    /// Turns a problem at a merged path into an error at the file and line that wrote it.
    fn error(&self, layer: &Layer, problem: Problem) -> LoadError {
        let missing = problem.message.starts_with("missing field");
        let Some((origin, matched)) = layer.origin(&problem.path, missing) else {
            // Files are recorded in include order: the top file comes first.
            let top = self
                .files
                .first()
                .map(|(p, _)| p.clone())
                .unwrap_or_default();
            return LoadError {
                file: top,
                line_col: None,
                field: Some(format_path(&problem.path)),
                message: problem.message,
                also: Box::default(),
                unlisted: 0,
            };
        };
        let mut in_file = origin.path.clone();
        in_file.extend_from_slice(&problem.path[matched..]);
        let mut message = problem.message;
        if in_file != problem.path {
            // A default applied elsewhere: say where it ended up.
            message.push_str(&format!(
                " (default applied to {})",
                format_path(&problem.path)
            ));
        }
        self.error_in(origin.file, &in_file, message)
    }
}

fn syntax_error(path: &Path, text: &str, error: &toml::de::Error) -> LoadError {
    LoadError {
        file: path.to_path_buf(),
        line_col: error.span().map(|span| line_col(text, span.start)),
        field: None,
        message: format!("TOML syntax error: {}", error.message().trim()),
        also: Box::default(),
        unlisted: 0,
    }
}

/// Merges the defaults tables under what they default, then drops them:
/// - `[region_defaults]` under every `[regions.NAME]`;
/// - `[database_defaults.KIND]`, `[database_defaults.detach_and_promote]` (when
///   `global_failover` says so) and `[database_defaults.CROSS_REGION]` under `[database]`
///   (e.g. `.multi_az`, `.aurora_global`);
/// - `[object_storage_defaults.REPLICATION]` under `[object_storage]` (e.g. `.crr_rtc`);
/// - `[backup_defaults]` under `[backups]`, only when the model has backups.
pub fn apply_defaults(layer: &mut Layer) -> Result<(), Problem> {
    if let Some(defaults) = take_table(layer, "region_defaults")? {
        let names: Vec<String> = match layer.table.get("regions") {
            Some(Value::Table(regions)) => regions.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let origins = layer.origins_under(&keys(&["region_defaults"]));
        for name in names {
            layer.fill_under_with(&keys(&["regions", &name]), &defaults, &origins);
        }
    }
    if let Some(defaults) = take_table(layer, "database_defaults")? {
        check_choices(&defaults, "database_defaults", &DATABASE_DEFAULTS)?;
        fill_by_choice(
            layer,
            &defaults,
            "database_defaults",
            "database",
            "kind",
            None,
        );
        // Before `cross_region`: a detach-and-promote's own timings win over the
        // Aurora Global defaults (managed failover).
        fill_by_choice(
            layer,
            &defaults,
            "database_defaults",
            "database",
            "global_failover",
            None,
        );
        fill_by_choice(
            layer,
            &defaults,
            "database_defaults",
            "database",
            "cross_region",
            Some("none"),
        );
    }
    if let Some(defaults) = take_table(layer, "object_storage_defaults")? {
        check_choices(
            &defaults,
            "object_storage_defaults",
            &OBJECT_STORAGE_DEFAULTS,
        )?;
        fill_by_choice(
            layer,
            &defaults,
            "object_storage_defaults",
            "object_storage",
            "replication",
            Some("none"),
        );
    }
    if let Some(defaults) = take_table(layer, "backup_defaults")? {
        layer.fill_under(&keys(&["backups"]), &defaults, &keys(&["backup_defaults"]));
    }
    Ok(())
}

fn take_table(layer: &mut Layer, key: &str) -> Result<Option<Table>, Problem> {
    match layer.table.remove(key) {
        None => Ok(None),
        Some(Value::Table(table)) => Ok(Some(table)),
        Some(_) => Err(Problem {
            path: keys(&[key]),
            message: "must be a table".into(),
        }),
    }
}

/// Every key of a per-choice defaults table must name a choice (catches misspellings).
fn check_choices(defaults: &Table, name: &str, choices: &[&str]) -> Result<(), Problem> {
    for (key, value) in defaults {
        if !choices.contains(&key.as_str()) {
            return Err(Problem {
                path: keys(&[name, key]),
                message: unknown_message("key", key, choices),
            });
        }
        if !value.is_table() {
            return Err(Problem {
                path: keys(&[name, key]),
                message: "must be a table of defaults".into(),
            });
        }
    }
    Ok(())
}

/// Fills `[section]` from `defaults[section.selector]`, if both are there.
fn fill_by_choice(
    layer: &mut Layer,
    defaults: &Table,
    name: &str,
    section: &str,
    selector: &str,
    default: Option<&str>,
) {
    let choice = match get_mut(&mut layer.table, &keys(&[section, selector])) {
        Some(Value::String(choice)) => choice.clone(),
        Some(_) => return,
        None => match default {
            Some(choice) => choice.to_string(),
            None => return,
        },
    };
    if let Some(Value::Table(chosen)) = defaults.get(&choice) {
        layer.fill_under(&keys(&[section]), chosen, &keys(&[name, &choice]));
    }
}

/// A model has no date or time field, but serde would read a TOML datetime
/// (`name = 1979-05-27T07:32:00Z`) as the string it prints as: refuse any.
fn no_datetimes(table: &Table, path: &mut TomlPath) -> Result<(), Problem> {
    fn check(value: &Value, path: &mut TomlPath) -> Result<(), Problem> {
        match value {
            Value::Datetime(_) => Err(Problem {
                path: path.clone(),
                message: "a TOML date or time is not a valid value here; quote text (\"...\") and write durations with a unit (\"30s\")".into(),
            }),
            Value::Table(table) => no_datetimes(table, path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    check(item, path)?;
                    path.pop();
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    for (key, value) in table {
        path.push(Seg::Key(key.clone()));
        check(value, path)?;
        path.pop();
    }
    Ok(())
}

fn deserialize(table: Table) -> Result<RawModel, Problem> {
    serde_path_to_error::deserialize(Value::Table(table)).map_err(|error| {
        let path: TomlPath = error
            .path()
            .iter()
            .map_while(|seg| match seg {
                serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                serde_path_to_error::Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
                serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        let mut message = explain(error.inner().message());
        if path.len() == 1 && message.starts_with("unknown field") {
            // Top-level keys handled before deserialisation are valid too.
            let name = match &path[0] {
                Seg::Key(key) => key.as_str(),
                Seg::Index(_) => "",
            };
            message = unknown_message("field", name, &TOP_LEVEL);
        }
        Problem { path, message }
    })
}

/// Every key allowed at the top of a model file.
const TOP_LEVEL: [&str; 18] = [
    "name",
    "description",
    "include",
    "simulation",
    "objectives",
    "workload",
    "region_defaults",
    "regions",
    "routing",
    "database_defaults",
    "database",
    "object_storage_defaults",
    "object_storage",
    "backup_defaults",
    "backups",
    "recovery",
    "disasters",
    "cost",
];

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a suggestion.
fn explain(message: &str) -> String {
    let message = message.trim();
    for (prefix, what) in [("unknown field `", "field"), ("unknown variant `", "value")] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((name, expected)) = rest.split_once('`') else {
            continue;
        };
        let valid: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return unknown_message(what, name, &valid);
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_field() {
        let message = explain(
            "unknown field `helth_check_interval`, expected one of `kind`, `mode`, `health_check_interval`",
        );
        assert!(
            message.contains("did you mean `health_check_interval`?"),
            "{message}"
        );
        assert!(
            message.contains("valid: kind, mode, health_check_interval"),
            "{message}"
        );
    }

    #[test]
    fn suggests_the_closest_variant() {
        let message =
            explain("unknown variant `stoped`, expected one of `stopped`, `running`, `hibernated`");
        assert!(
            message.starts_with("unknown value `stoped`; did you mean `stopped`?"),
            "{message}"
        );
    }

    #[test]
    fn no_suggestion_when_nothing_is_close() {
        assert_eq!(closest("zzz", ["kind", "mode"]), None);
    }
}
