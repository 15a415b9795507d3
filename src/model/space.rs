//! The design space of `drsim optimize`: a TOML file of knobs, each a model key (a dotted
//! path, e.g. `regions.us-west-2.asg.warm_pool.size`) and the values it may take, and
//! the [`Variants`] of a model they span. Described in docs/model-format.md, "Optimize".
//!
//! ```toml
//! [[knob]]
//! key = "regions.us-west-2.asg.warm_pool.size"
//! min = 0
//! max = 8
//! step = 2
//! better = "higher"   # declared monotone: more never slows recovery
//! ```

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::Model;
use super::load::{LoadError, Unvalidated};
use super::locate::{
    Seg, TomlPath, format_path, keys, line_col, locate, parse_path, unknown_message,
};
use super::read::read_text;
use super::units::parse_duration;

/// Most candidates a space may hold (each is validated and priced before any trial).
pub const MAX_CANDIDATES: u64 = 100_000;
/// Most values one knob may take.
pub const MAX_VALUES: usize = 1_000;

/// Keys of a space file's top level.
const TOP_KEYS: [&str; 2] = ["description", "knob"];
/// Keys of one `[[knob]]`.
const KNOB_KEYS: [&str; 6] = ["key", "values", "min", "max", "step", "better"];
/// Values of `better`.
const BETTER: [&str; 4] = ["higher", "lower", "later", "earlier"];

/// A declared monotone direction: moving a knob this way never lowers any disaster's
/// probability of meeting its RTO or its RPO objective (trial by trial, with common
/// random numbers). The search prunes with it; a wrong declaration gives wrong answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// A higher number or longer duration is never worse.
    Higher,
    /// A lower number or shorter duration is never worse.
    Lower,
    /// A value later in `values` is never worse than one before it.
    Later,
    /// A value earlier in `values` is never worse than one after it.
    Earlier,
}

/// One knob: a model key and its candidate values.
#[derive(Clone, Debug, PartialEq)]
pub struct Knob {
    /// The model key as written (`regions.us-west-2.asg.warm_pool.size`).
    pub key: String,
    /// The key as a path.
    pub path: TomlPath,
    /// The candidate values, in order (a range ascending).
    pub values: Vec<Value>,
    /// The declared monotone direction, if any.
    pub better: Option<Better>,
    /// `rank[i]`: how good value `i` is in the declared direction (0 the worst; equal
    /// values share a rank); empty without a direction.
    pub rank: Vec<usize>,
    /// Where the knob is written in the space file (`knob[i]`).
    place: TomlPath,
}

/// A design space read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Space {
    /// The space file.
    pub file: PathBuf,
    /// Its knobs, in file order.
    pub knobs: Vec<Knob>,
    text: String,
}

/// A candidate: for each knob, the index of its value.
pub type Choice = Vec<usize>;

/// A TOML value as written in a file: `4`, `"stopped"`, `{ dist = "fixed", ... }`.
pub fn show(value: &Value) -> String {
    match value {
        Value::Table(table) => {
            let inner: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{k} = {}", show(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", inner.join(", "))
        }
        other => other.to_string(),
    }
}

impl Space {
    /// Reads and checks the space in `path`: every key known, every knob with values.
    pub fn load(path: &Path) -> Result<Space, LoadError> {
        let at_file = |message: String| LoadError {
            file: path.to_path_buf(),
            line_col: None,
            field: None,
            message,
            also: Box::default(),
            unlisted: 0,
        };
        let text = read_text(path).map_err(|e| at_file(format!("cannot read this file: {e}")))?;
        let table: Table = toml::from_str(&text).map_err(|e| LoadError {
            line_col: e.span().map(|span| line_col(&text, span.start)),
            ..at_file(format!("TOML syntax error: {}", e.message().trim()))
        })?;
        let mut space = Space {
            file: path.to_path_buf(),
            knobs: Vec::new(),
            text,
        };
        space.knobs = space.read_knobs(&table)?;
        space.candidates()?;
        Ok(space)
    }

    /// An error at `path` of the space file.
    pub fn error(&self, path: &[Seg], message: String) -> LoadError {
        LoadError {
            file: self.file.clone(),
            line_col: locate(&self.text, path),
            field: (!path.is_empty()).then(|| format_path(path)),
            message,
            also: Box::default(),
            unlisted: 0,
        }
    }

    /// An error at knob `knob`'s `key`.
    pub fn knob_error(&self, knob: usize, message: String) -> LoadError {
        let mut path = self.knobs[knob].place.clone();
        path.push(Seg::Key("key".into()));
        self.error(&path, message)
    }

    /// How many candidates the space holds (the product of the knobs' value counts);
    /// an error above [`MAX_CANDIDATES`].
    pub fn candidates(&self) -> Result<u64, LoadError> {
        let mut count: u64 = 1;
        for knob in &self.knobs {
            count = count.saturating_mul(knob.values.len() as u64);
        }
        if count > MAX_CANDIDATES {
            return Err(self.error(
                &keys(&["knob"]),
                format!(
                    "the space holds {count} candidates, more than {MAX_CANDIDATES}: use fewer knobs or values"
                ),
            ));
        }
        Ok(count)
    }

    /// Candidate number `n` (`0..candidates()`), the last knob varying fastest.
    pub fn choice(&self, mut n: u64) -> Choice {
        let mut choice = vec![0; self.knobs.len()];
        for (slot, knob) in choice.iter_mut().zip(&self.knobs).rev() {
            let len = knob.values.len() as u64;
            *slot = (n % len) as usize;
            n /= len;
        }
        choice
    }

    /// The number of candidate `choice` (the inverse of [`choice`](Self::choice)).
    pub fn index(&self, choice: &[usize]) -> u64 {
        (self.knobs.iter().zip(choice)).fold(0, |n, (k, &i)| n * k.values.len() as u64 + i as u64)
    }

    /// Whether `worse` can be no better than `than` in any objective: equal on every knob
    /// without a direction, and no better ranked on every knob with one. If `than` fails
    /// its objectives, so does `worse` (the declared monotonicity).
    pub fn no_better(&self, worse: &[usize], than: &[usize]) -> bool {
        (self.knobs.iter().zip(worse.iter().zip(than))).all(|(knob, (&w, &t))| {
            if knob.rank.is_empty() {
                w == t
            } else {
                knob.rank[w] <= knob.rank[t]
            }
        })
    }

    /// `key = value` of each knob of `choice`.
    pub fn describe(&self, choice: &[usize]) -> Vec<(String, String)> {
        (self.knobs.iter().zip(choice))
            .map(|(knob, &i)| (knob.key.clone(), show(&knob.values[i])))
            .collect()
    }

    fn read_knobs(&self, table: &Table) -> Result<Vec<Knob>, LoadError> {
        for key in table.keys() {
            if !TOP_KEYS.contains(&key.as_str()) {
                return Err(self.error(&keys(&[key]), unknown_message("key", key, &TOP_KEYS)));
            }
        }
        let Some(Value::Array(items)) = table.get("knob") else {
            return Err(self.error(
                &keys(&["knob"]),
                "a space needs at least one [[knob]] (key = \"a.model.key\", values = [...])"
                    .into(),
            ));
        };
        if items.is_empty() {
            return Err(self.error(
                &keys(&["knob"]),
                "a space needs at least one [[knob]]".into(),
            ));
        }
        let mut knobs: Vec<Knob> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let place = vec![Seg::Key("knob".into()), Seg::Index(i)];
            let knob = self.read_knob(item, place)?;
            if let Some(other) = knobs.iter().find(|k| k.path == knob.path) {
                return Err(self.error(
                    &field(&knob.place, "key"),
                    format!("knob `{}` is given twice", other.key),
                ));
            }
            knobs.push(knob);
        }
        Ok(knobs)
    }

    fn read_knob(&self, item: &Value, place: TomlPath) -> Result<Knob, LoadError> {
        let at = |name: &str, message: String| self.error(&field(&place, name), message);
        let Value::Table(table) = item else {
            return Err(self.error(&place, "a knob must be a table ([[knob]])".into()));
        };
        for key in table.keys() {
            if !KNOB_KEYS.contains(&key.as_str()) {
                return Err(at(key, unknown_message("key", key, &KNOB_KEYS)));
            }
        }
        let key = match table.get("key") {
            Some(Value::String(key)) if !key.trim().is_empty() => key.clone(),
            Some(_) => {
                return Err(at(
                    "key",
                    "must be a model key, e.g. \"routing.ttl\"".into(),
                ));
            }
            None => {
                return Err(self.error(
                    &place,
                    "missing field `key` (the model key this knob sets, e.g. \"routing.ttl\")"
                        .into(),
                ));
            }
        };
        let path = parse_path(&key);
        if path
            .iter()
            .any(|s| matches!(s, Seg::Key(k) if k.is_empty()))
        {
            return Err(at("key", format!("`{key}` is not a dotted model key")));
        }
        let values = match (table.get("values"), has_range(table)) {
            (Some(_), true) => {
                return Err(at(
                    "values",
                    "give either `values` or `min`/`max`/`step`, not both".into(),
                ));
            }
            (Some(Value::Array(values)), false) if !values.is_empty() => values.clone(),
            (Some(_), false) => {
                return Err(at("values", "must be a non-empty list of values".into()));
            }
            (None, true) => self.range(table, &place)?,
            (None, false) => {
                return Err(self.error(
                    &place,
                    "missing field `values` (or `min`, `max` and `step`)".into(),
                ));
            }
        };
        if values.len() > MAX_VALUES {
            return Err(at("values", format!("more than {MAX_VALUES} values")));
        }
        if let Some((i, _)) = (values.iter().enumerate()).find(|(i, v)| values[..*i].contains(v)) {
            let mut at_value = field(&place, "values");
            at_value.push(Seg::Index(i));
            return Err(self.error(&at_value, format!("{} is listed twice", show(&values[i]))));
        }
        let better = match table.get("better") {
            None => None,
            Some(Value::String(s)) => Some(match s.as_str() {
                "higher" => Better::Higher,
                "lower" => Better::Lower,
                "later" => Better::Later,
                "earlier" => Better::Earlier,
                other => return Err(at("better", unknown_message("value", other, &BETTER))),
            }),
            Some(_) => {
                return Err(at(
                    "better",
                    format!("must be one of {}", BETTER.join(", ")),
                ));
            }
        };
        let rank = match better {
            None => Vec::new(),
            Some(direction) => {
                ranks(&values, direction).map_err(|message| at("better", message))?
            }
        };
        Ok(Knob {
            key,
            path,
            values,
            better,
            rank,
            place,
        })
    }

    /// The values of `min`, `max`, `step`: numbers, or durations ("10s").
    fn range(&self, table: &Table, place: &TomlPath) -> Result<Vec<Value>, LoadError> {
        let at = |name: &str, message: String| self.error(&field(place, name), message);
        let get = |name: &str| {
            table
                .get(name)
                .ok_or_else(|| self.error(place, format!("missing field `{name}` of the range")))
        };
        let (min, max, step) = (get("min")?, get("max")?, get("step")?);
        let number = |name: &str, v: &Value| -> Result<(f64, Kind), LoadError> {
            match v {
                Value::Integer(i) => Ok((*i as f64, Kind::Integer)),
                Value::Float(f) if f.is_finite() => Ok((*f, Kind::Float)),
                Value::String(s) => parse_duration(s)
                    .map(|ms| (ms, Kind::Duration))
                    .map_err(|e| at(name, e)),
                _ => Err(at(name, "must be a number or a duration (\"30s\")".into())),
            }
        };
        let (lo, k1) = number("min", min)?;
        let (hi, k2) = number("max", max)?;
        let (st, k3) = number("step", step)?;
        let kind = match (k1, k2, k3) {
            (Kind::Integer, Kind::Integer, Kind::Integer) => Kind::Integer,
            (Kind::Duration, Kind::Duration, Kind::Duration) => Kind::Duration,
            (Kind::Duration, _, _) | (_, Kind::Duration, _) | (_, _, Kind::Duration) => {
                return Err(at(
                    "step",
                    "min, max and step must all be durations or all numbers".into(),
                ));
            }
            _ => Kind::Float,
        };
        if st.is_nan() || st <= 0.0 {
            return Err(at("step", "must be above zero".into()));
        }
        if hi < lo {
            return Err(at("max", "must be at least `min`".into()));
        }
        let count = ((hi - lo) / st + 1e-9).floor() as usize + 1;
        if count > MAX_VALUES {
            return Err(at(
                "step",
                format!("the range has {count} values, more than {MAX_VALUES}"),
            ));
        }
        Ok((0..count)
            .map(|i| {
                let x = lo + st * i as f64;
                match kind {
                    Kind::Integer => Value::Integer(x.round() as i64),
                    Kind::Float => Value::Float(x),
                    Kind::Duration => Value::String(duration_text(x)),
                }
            })
            .collect())
    }
}

/// What a range is made of.
#[derive(Clone, Copy)]
enum Kind {
    Integer,
    Float,
    Duration,
}

/// Milliseconds as a duration the loader reads back exactly: "30s", or "250ms".
fn duration_text(ms: f64) -> String {
    let ms = ms.round() as u64;
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

fn has_range(table: &Table) -> bool {
    ["min", "max", "step"]
        .iter()
        .any(|k| table.contains_key(*k))
}

fn field(place: &TomlPath, name: &str) -> TomlPath {
    let mut path = place.clone();
    path.push(Seg::Key(name.into()));
    path
}

/// The rank of each value in `direction` (0 the worst).
fn ranks(values: &[Value], direction: Better) -> Result<Vec<usize>, String> {
    let by_position = |reverse: bool| {
        (0..values.len())
            .map(|i| if reverse { values.len() - 1 - i } else { i })
            .collect()
    };
    match direction {
        Better::Later => Ok(by_position(false)),
        Better::Earlier => Ok(by_position(true)),
        Better::Higher | Better::Lower => {
            let numbers = values
                .iter()
                .map(|v| match v {
                    Value::Integer(i) => Some(*i as f64),
                    Value::Float(f) => Some(*f),
                    Value::String(s) => parse_duration(s).ok(),
                    _ => None,
                })
                .collect::<Option<Vec<f64>>>()
                .ok_or("`higher` and `lower` need numbers or durations; for other values list them worst first and write `later`")?;
            Ok(numbers
                .iter()
                .map(|x| {
                    let below = |y: &&f64| {
                        if direction == Better::Higher {
                            **y < *x
                        } else {
                            **y > *x
                        }
                    };
                    numbers.iter().filter(below).count()
                })
                .collect())
        }
    }
}

/// A model and a space: each candidate's model, validated.
#[derive(Clone)]
pub struct Variants {
    /// The space.
    pub space: Space,
    base: Unvalidated,
    merged: Option<Table>,
}

impl Variants {
    /// Reads the model in `model_file` (not yet validated) for the knobs of `space`.
    pub fn new(model_file: &Path, space: Space) -> Result<Variants, LoadError> {
        let base = Unvalidated::read(model_file)?;
        let merged = base.with_defaults();
        Ok(Variants {
            space,
            base,
            merged,
        })
    }

    /// The model with the values of `choice`, validated. A candidate that makes the model
    /// invalid is an error at the space file's knob that the model's error is about (else
    /// the first), naming every knob's value and quoting the model's error.
    pub fn model(&self, choice: &[usize]) -> Result<Model, LoadError> {
        let set: Vec<(TomlPath, Value)> = (self.space.knobs.iter().zip(choice))
            .map(|(knob, &i)| (knob.path.clone(), knob.values[i].clone()))
            .collect();
        self.base.build(&set).map_err(|error| {
            let blamed = (self.space.knobs.iter())
                .position(|k| {
                    error
                        .field
                        .as_deref()
                        .is_some_and(|f| f.starts_with(&k.key))
                })
                .unwrap_or(0);
            let values: Vec<String> = (self.space.describe(choice).into_iter())
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            self.space.knob_error(
                blamed,
                format!(
                    "the candidate {} makes the model invalid: {error}",
                    values.join(", ")
                ),
            )
        })
    }

    /// The model as written, no knob set, validated.
    pub fn base_model(&self) -> Result<Model, LoadError> {
        self.base.build(&[])
    }

    /// The model's own value of each knob (after its defaults), if it has one; for a
    /// knob of tables that merge, only the keys its values set.
    pub fn input_values(&self) -> Vec<Option<Value>> {
        (self.space.knobs.iter())
            .map(|knob| {
                let input = value_at(self.merged.as_ref()?, &knob.path)?;
                Some(match input {
                    Value::Table(table) => Value::Table(project(table, &knob.values)),
                    other => other.clone(),
                })
            })
            .collect()
    }
}

/// The entries of `table` whose keys some of `values` (tables that merge) set.
fn project(table: &Table, values: &[Value]) -> Table {
    let set_by_some = |key: &str| {
        values.iter().any(|v| {
            matches!(v, Value::Table(t) if !super::merge::replaces_whole(t) && t.contains_key(key))
        })
    };
    if values
        .iter()
        .all(|v| matches!(v, Value::Table(t) if super::merge::replaces_whole(t)))
    {
        return table.clone();
    }
    (table.iter())
        .filter(|(k, _)| set_by_some(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn value_at<'a>(table: &'a Table, path: &[Seg]) -> Option<&'a Value> {
    let (Seg::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let value = table.get(first)?;
    if rest.is_empty() {
        return Some(value);
    }
    match value {
        Value::Table(inner) => value_at(inner, rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_ranks_numbers_and_durations_by_value() {
        let values = vec![Value::String("30s".into()), Value::String("10s".into())];
        assert_eq!(ranks(&values, Better::Higher).unwrap(), [1, 0]);
        assert_eq!(ranks(&values, Better::Lower).unwrap(), [0, 1]);
        let words = vec![Value::String("stopped".into())];
        assert!(ranks(&words, Better::Higher).is_err());
        assert_eq!(ranks(&words, Better::Later).unwrap(), [0]);
    }

    #[test]
    fn durations_read_back_exactly() {
        assert_eq!(duration_text(30_000.0), "30s");
        assert_eq!(duration_text(250.0), "250ms");
        assert_eq!(parse_duration(&duration_text(90_000.0)).unwrap(), 90_000.0);
    }
}
