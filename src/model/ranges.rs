//! Uncertain inputs written as ranges: `detection = { low = "2m", high = "10m" }`,
//! `clients_honouring_ttl = { value = 0.95, low = 0.9, high = 1.0 }`, or a distribution
//! table with factors of every time, `{ dist = "lognormal", median = "30s", p95 = "90s",
//! low = 0.8, high = 1.5 }`.
//!
//! Ranges are taken out of the merged TOML tree before it is deserialised (each value
//! is replaced by its nominal value, so the rest of the loader sees a plain model) and
//! kept in [`Model::ranges`](super::Model::ranges), keyed by their TOML path. Only the
//! inputs `drsim sensitivity` varies take a range (docs/model-format.md, "Ranges").

use toml::{Table, Value};

use super::locate::{Seg, TomlPath};
use super::raw::MAX_DURATION_MS;
use super::units::parse_duration;
use super::validate::Problem;

/// Largest factor of a distribution's times.
const MAX_FACTOR: f64 = 100.0;

/// One end of a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// A factor of every time of the written distribution.
    Factor(f64),
    /// The value itself: milliseconds for a duration, else the number.
    Value(f64),
}

impl Bound {
    /// The point a share `t` (0: `low`, 1: `high`) of the way from `low` to `high`.
    pub fn between(low: Bound, high: Bound, t: f64) -> Bound {
        let lerp = |a: f64, b: f64| a + t * (b - a);
        match (low, high) {
            (Bound::Factor(a), Bound::Factor(b)) => Bound::Factor(lerp(a, b)),
            (Bound::Value(a), Bound::Value(b)) => Bound::Value(lerp(a, b)),
            // Both ends of one range are read the same way.
            (Bound::Factor(a), Bound::Value(_)) | (Bound::Value(a), Bound::Factor(_)) => {
                Bound::Value(a)
            }
        }
    }
}

/// The range a model gives one uncertain input.
#[derive(Clone, Debug, PartialEq)]
pub struct InputRange {
    /// Its TOML path, e.g. `recovery.detection` or `regions.us-west-2.asg.launch_time`.
    pub key: String,
    /// The low end.
    pub low: Bound,
    /// The high end.
    pub high: Bound,
}

impl InputRange {
    /// "key low to high", in the input's unit (`x0.5` for a factor).
    pub fn describe(&self) -> String {
        let keys: Vec<&str> = self.key.split('.').collect();
        let kind = kind_of(&keys).unwrap_or(Kind::Positive);
        let end = |b: Bound| match b {
            Bound::Factor(f) => format!("x{f}"),
            Bound::Value(v) => show(kind, v),
        };
        format!("{} {} to {}", self.key, end(self.low), end(self.high))
    }
}

/// What kind of value an input is, which decides how its range is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A random duration: a fixed duration's range is in durations, a table's in factors.
    Dist,
    /// A fixed duration (`routing.ttl`).
    Duration,
    /// A share in [0, 1].
    Share,
    /// A whole number, at least 1 (`routing.failure_threshold`).
    Count,
    /// A number above zero (a rate, a size, a frequency).
    Positive,
}

/// The inputs that take a range, for error messages.
const ACCEPTED: &str = "the timing distributions of `drsim sensitivity` (recovery.*, \
    routing.propagation, routing.stale_hold, regions.NAME.asg.{launch_time, bootstrap_time, \
    scale_out_delay, warm_pool_times.STATE}, database.*_time and replication_lag, \
    object_storage.lag, backups.{duration, copy_duration, restore_fixed}, \
    disasters.NAME.{duration, detection_delay, decision_after_alarm, decision_after_report}, \
    recovery.error_alarm.customer_report, recovery.rollback.shift_time, \
    recovery.recovery_region.impaired_for), routing.ttl, \
    routing.clients_honouring_ttl, routing.failure_threshold, \
    backups.{restore_gb_per_hour, copy_gb_per_hour}, \
    workload.data_size_gb, disasters.NAME.per_year";

/// Whether the input at the TOML path `key` (`recovery.detection`) takes a range.
pub fn takes_range(key: &str) -> bool {
    kind_of(&key.split('.').collect::<Vec<_>>()).is_some()
}

fn kind_of(path: &[&str]) -> Option<Kind> {
    Some(match path {
        [
            "recovery",
            "detection"
            | "decision_time"
            | "iac_network_time"
            | "iac_redeploy_time"
            | "nat_replacement_time",
        ]
        | ["routing", "propagation" | "stale_hold"]
        | [
            "regions",
            _,
            "asg",
            "launch_time" | "bootstrap_time" | "scale_out_delay",
        ]
        | [
            "regions",
            _,
            "asg",
            "warm_pool_times",
            "stopped" | "running" | "hibernated",
        ]
        | [
            "database",
            "failover_time" | "repair_time" | "replication_lag" | "promotion_time",
        ]
        | ["object_storage", "lag"]
        | ["backups", "duration" | "copy_duration" | "restore_fixed"]
        | ["disasters", _, "duration" | "detection_delay"]
        | [
            "recovery",
            "launch_failure" | "iac_failure" | "database_failure",
            "retry_after",
        ]
        | ["recovery", "control_plane", "impaired_for"] => Kind::Dist,
        [
            "recovery",
            "launch_failure" | "iac_failure" | "database_failure" | "control_plane",
            "probability",
        ] => Kind::Share,
        // Correlated and grey events (model/correlated.rs).
        ["recovery", "error_alarm", "customer_report"]
        | ["recovery", "rollback", "shift_time"]
        | ["recovery", "recovery_region", "impaired_for"]
        | [
            "disasters",
            _,
            "decision_after_alarm" | "decision_after_report",
        ] => Kind::Dist,
        ["routing", "ttl"] => Kind::Duration,
        ["routing", "clients_honouring_ttl"] => Kind::Share,
        ["routing", "failure_threshold"] => Kind::Count,
        ["backups", "restore_gb_per_hour" | "copy_gb_per_hour"]
        | ["workload", "data_size_gb"]
        | ["disasters", _, "per_year"] => Kind::Positive,
        _ => return None,
    })
}

/// Takes every `{ low, high }` range out of `table` (the merged model), leaving each
/// input's nominal value in its place; the ranges in file order.
pub fn extract(table: &mut Table) -> Result<Vec<InputRange>, Problem> {
    let mut ranges = Vec::new();
    walk(table, &mut Vec::new(), &mut ranges)?;
    Ok(ranges)
}

fn walk(
    table: &mut Table,
    path: &mut Vec<String>,
    out: &mut Vec<InputRange>,
) -> Result<(), Problem> {
    for (key, value) in table.iter_mut() {
        path.push(key.clone());
        if let Value::Table(inner) = value {
            if inner.contains_key("low") || inner.contains_key("high") {
                let (range, nominal) = range(inner, path)?;
                if let Some(nominal) = nominal {
                    *value = nominal;
                }
                out.push(range);
            } else {
                walk(inner, path, out)?;
            }
        }
        path.pop();
    }
    Ok(())
}

fn at(path: &[String], key: &str) -> TomlPath {
    path.iter()
        .map(String::as_str)
        .chain((!key.is_empty()).then_some(key))
        .map(|k| Seg::Key(k.to_string()))
        .collect()
}

fn problem<T>(path: &[String], key: &str, message: impl Into<String>) -> Result<T, Problem> {
    Err(Problem {
        path: at(path, key),
        message: message.into(),
    })
}

/// The range in `table` at `path`, and the value to put in its place (`None`: the table
/// stays, without `low` and `high`).
fn range(table: &mut Table, path: &[String]) -> Result<(InputRange, Option<Value>), Problem> {
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    let Some(kind) = kind_of(&keys) else {
        let key = if table.contains_key("low") {
            "low"
        } else {
            "high"
        };
        return problem(
            path,
            key,
            format!("only an uncertain input takes a range {{ low, high }}: {ACCEPTED}"),
        );
    };
    for key in ["low", "high"] {
        if !table.contains_key(key) {
            return problem(
                path,
                "",
                format!("a range needs both `low` and `high`; `{key}` is missing"),
            );
        }
    }
    let key = path.join(".");
    if kind == Kind::Dist && table.contains_key("dist") {
        return Ok((factor_range(table, path, key)?, None));
    }
    if let Some(other) = table
        .keys()
        .find(|k| !["value", "low", "high"].contains(&k.as_str()))
    {
        return problem(
            path,
            other,
            format!(
                "unknown key `{other}` in a range: write {{ value, low, high }} (value optional){}",
                if kind == Kind::Dist {
                    ", or a distribution table with `dist` and factors low and high"
                } else {
                    ""
                }
            ),
        );
    }
    let read = |key: &str| -> Result<Option<f64>, Problem> {
        let Some(v) = table.get(key) else {
            return Ok(None);
        };
        match kind {
            Kind::Dist | Kind::Duration => duration(v, path, key).map(Some),
            Kind::Share | Kind::Positive => number(v, path, key).map(Some),
            Kind::Count => match v {
                Value::Integer(n) => Ok(Some(*n as f64)),
                _ => problem(path, key, "must be a whole number (e.g. 3)"),
            },
        }
    };
    let (low, high) = (read("low")?.unwrap_or(0.0), read("high")?.unwrap_or(0.0));
    let value = read("value")?;
    check_bounds(kind, &keys, path, (low, value, high))?;
    let nominal = match (table.remove("value"), kind) {
        (Some(written), _) => written,
        (None, Kind::Dist | Kind::Duration) => {
            Value::String(format!("{}ms", ((low + high) / 2.0).round()))
        }
        (None, Kind::Count) => Value::Integer(((low + high) / 2.0).round() as i64),
        (None, Kind::Share | Kind::Positive) => Value::Float((low + high) / 2.0),
    };
    let range = InputRange {
        key,
        low: Bound::Value(low),
        high: Bound::Value(high),
    };
    Ok((range, Some(nominal)))
}

/// The largest value an input may take, as its own value would be checked.
fn highest(kind: Kind, keys: &[&str]) -> f64 {
    match (kind, keys.last()) {
        (Kind::Dist | Kind::Duration, _) => MAX_DURATION_MS,
        (Kind::Share, _) => 1.0,
        (Kind::Count, _) => 10.0,
        (Kind::Positive, Some(&"per_year")) => super::validate::MAX_PER_YEAR,
        (Kind::Positive, _) => super::validate::MAX_GB,
    }
}

/// The factors of a distribution table's range, taken out of it.
fn factor_range(table: &mut Table, path: &[String], key: String) -> Result<InputRange, Problem> {
    let low = factor(table, path, "low")?;
    let high = factor(table, path, "high")?;
    if !(low <= 1.0 && 1.0 <= high) {
        return problem(
            path,
            "low",
            format!(
                "factors {low} to {high} must include 1 (the distribution as written): low <= 1 <= high"
            ),
        );
    }
    table.remove("low");
    table.remove("high");
    Ok(InputRange {
        key,
        low: Bound::Factor(low),
        high: Bound::Factor(high),
    })
}

/// Checks `low <= value <= high` and each end against the limits of the input's value.
fn check_bounds(
    kind: Kind,
    keys: &[&str],
    path: &[String],
    (low, value, high): (f64, Option<f64>, f64),
) -> Result<(), Problem> {
    let lowest = match kind {
        Kind::Dist | Kind::Duration | Kind::Share => 0.0,
        Kind::Count => 1.0,
        Kind::Positive => f64::MIN_POSITIVE,
    };
    if low < lowest {
        let least = if kind == Kind::Positive {
            "above 0".to_string()
        } else {
            format!("at least {lowest}")
        };
        return problem(
            path,
            "low",
            format!("{low} is out of range: must be {least}"),
        );
    }
    let highest = highest(kind, keys);
    if high > highest {
        return problem(
            path,
            "high",
            format!(
                "{} is out of range: at most {}",
                show(kind, high),
                show(kind, highest)
            ),
        );
    }
    if low > high {
        return problem(
            path,
            "high",
            format!(
                "high must be at least low ({} < {})",
                show(kind, high),
                show(kind, low)
            ),
        );
    }
    if let Some(v) = value
        && !(low <= v && v <= high)
    {
        return problem(
            path,
            "value",
            format!(
                "{} is outside its range: low <= value <= high ({} to {})",
                show(kind, v),
                show(kind, low),
                show(kind, high)
            ),
        );
    }
    Ok(())
}

fn show(kind: Kind, v: f64) -> String {
    match kind {
        Kind::Dist | Kind::Duration => super::units::format_duration(v),
        Kind::Share | Kind::Count | Kind::Positive => format!("{v}"),
    }
}

fn factor(table: &Table, path: &[String], key: &str) -> Result<f64, Problem> {
    match table.get(key) {
        Some(Value::Float(f)) if *f > 0.0 && *f <= MAX_FACTOR => Ok(*f),
        Some(Value::Integer(n)) if *n > 0 && *n as f64 <= MAX_FACTOR => Ok(*n as f64),
        _ => problem(
            path,
            key,
            "in a distribution table, low and high are factors of every time, above 0 and \
             at most 100 (e.g. low = 0.5, high = 2)",
        ),
    }
}

fn number(value: &Value, path: &[String], key: &str) -> Result<f64, Problem> {
    match value {
        Value::Float(f) if f.is_finite() => Ok(*f),
        Value::Integer(n) => Ok(*n as f64),
        _ => problem(path, key, "must be a number"),
    }
}

fn duration(value: &Value, path: &[String], key: &str) -> Result<f64, Problem> {
    match value {
        Value::String(text) => parse_duration(text).or_else(|m| problem(path, key, m)),
        Value::Integer(n) => problem(
            path,
            key,
            format!(
                "`{n}` has no unit; write a duration as a string with a unit, e.g. \"{n}s\" or \"{n}m\""
            ),
        ),
        _ => problem(
            path,
            key,
            "must be a duration with a unit, e.g. \"30s\" or \"5m\"",
        ),
    }
}
