//! The model's `[cost]` section and its price catalog: what the bill is priced from.
//!
//! These are inputs, validated with the rest of the model; the pricing itself lives in
//! `analysis::cost`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::catalog::{self, Catalog, CostError};

/// The default catalog, relative to the repository root.
pub const DEFAULT_CATALOG: &str = "models/prices/aws-us-east-1.toml";

/// The model's `[cost]` section, validated: which catalog, which prices to override,
/// what downtime and data loss cost, and the assumptions that turn a workload into
/// billable quantities.
#[derive(Clone, Debug, PartialEq)]
pub struct CostSettings {
    /// Price catalog file (already resolved against the model file's directory).
    pub catalog: PathBuf,
    /// Single prices replacing the catalog's: (`group.name`, price in the item's unit).
    pub overrides: Vec<(String, f64)>,
    /// Business cost of one hour of downtime (applied to RTO), USD. Default 0.
    pub downtime_usd_per_hour: f64,
    /// Business cost of losing one hour of writes (applied to RPO), USD. Default 0.
    pub data_loss_usd_per_hour: f64,
    /// Fixed monthly cost of each on-premises site (the AWS catalog cannot price it).
    /// Default 0.
    pub on_premises_monthly_usd: f64,
    /// Bytes through NAT per request, as a share of the response size, when the
    /// workload needs outbound access (calls to outside APIs, package mirrors). An
    /// assumption, not a measurement. Default 0.5.
    pub nat_share_of_response_bytes: f64,
    /// Requests each client connection carries (keep-alive); sets ALB new connections
    /// per second. Default 10.
    pub alb_requests_per_connection: f64,
    /// How long a client connection stays open, seconds; sets ALB active connections.
    /// Default 60.
    pub alb_connection_seconds: f64,
    /// Billable Route 53 queries per second. Default 0: failover records alias the
    /// ALBs, and alias queries to ELB are free.
    pub dns_queries_per_second: f64,
    /// Aurora I/O operations per database write (and replicated write I/O per write for
    /// Aurora Global). Default 1.
    pub db_io_per_write: f64,
    /// New or changed S3 data per day, GB (replication transfer). `None`: the
    /// workload's `change_gb_per_day`.
    pub object_change_gb_per_day: Option<f64>,
    /// Whether to bill responses leaving AWS to the internet (same for every
    /// strategy with the same load). Default true.
    pub internet_egress: bool,
}

impl CostSettings {
    /// Defaults for a model read from `model_path`: the catalog `aws-us-east-1.toml`
    /// found in `prices/` beside the model, or in `models/prices/` of the model's
    /// directory or an ancestor of it, else [`DEFAULT_CATALOG`] as given.
    pub fn default_for(model_path: &Path) -> CostSettings {
        CostSettings::with_catalog(find_default_catalog(model_path))
    }

    /// Default settings with the given catalog.
    pub fn with_catalog(catalog: PathBuf) -> CostSettings {
        CostSettings {
            catalog,
            overrides: Vec::new(),
            downtime_usd_per_hour: 0.0,
            data_loss_usd_per_hour: 0.0,
            on_premises_monthly_usd: 0.0,
            nat_share_of_response_bytes: 0.5,
            alb_requests_per_connection: 10.0,
            alb_connection_seconds: 60.0,
            dns_queries_per_second: 0.0,
            db_io_per_write: 1.0,
            object_change_gb_per_day: None,
            internet_egress: true,
        }
    }

    /// Loads the catalog and applies the overrides; `model_file` names the overrides'
    /// origin in errors.
    pub fn load_catalog(&self, model_file: &Path) -> Result<Catalog, CostError> {
        let mut catalog = Catalog::load(&self.catalog)?;
        catalog.apply_overrides(&self.overrides, model_file)?;
        Ok(catalog)
    }
}

fn find_default_catalog(model_path: &Path) -> PathBuf {
    let dir = model_path.parent().unwrap_or(Path::new("."));
    let beside = dir.join("prices/aws-us-east-1.toml");
    if beside.is_file() {
        return beside;
    }
    dir.ancestors()
        .map(|a| a.join(DEFAULT_CATALOG))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(super::builtin::DEFAULT_CATALOG))
}

/// A price override as written: `"ec2.m5.large" = 0.09`, or a dotted key
/// `nat.hour = 0.05` which TOML turns into a nested table.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RawOverride {
    /// A price.
    Price(f64),
    /// One level of nesting (`nat.hour`, `ec2."m5.large"`).
    Group(BTreeMap<String, f64>),
}

/// The model's `[cost]` section as written. Every field is optional:
///
/// ```toml
/// [cost]
/// catalog = "prices/aws-us-east-1.toml"   # relative to the model file
/// downtime_usd_per_hour = 20000
/// data_loss_usd_per_hour = 50000
/// on_premises_monthly_usd = 0
/// nat_share_of_response_bytes = 0.5
/// alb_requests_per_connection = 10
/// alb_connection_seconds = 60
/// dns_queries_per_second = 0
/// db_io_per_write = 1
/// object_change_gb_per_day = 2
/// internet_egress = true
///
/// [cost.overrides]
/// "ec2.m5.large" = 0.09
/// nat.hour = 0.05
/// ```
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCostSection {
    /// Catalog file, relative to the model file.
    pub catalog: Option<PathBuf>,
    /// Single-price overrides.
    #[serde(default)]
    pub overrides: BTreeMap<String, RawOverride>,
    /// See [`CostSettings::downtime_usd_per_hour`].
    pub downtime_usd_per_hour: Option<f64>,
    /// See [`CostSettings::data_loss_usd_per_hour`].
    pub data_loss_usd_per_hour: Option<f64>,
    /// See [`CostSettings::on_premises_monthly_usd`].
    pub on_premises_monthly_usd: Option<f64>,
    /// See [`CostSettings::nat_share_of_response_bytes`].
    pub nat_share_of_response_bytes: Option<f64>,
    /// See [`CostSettings::alb_requests_per_connection`].
    pub alb_requests_per_connection: Option<f64>,
    /// See [`CostSettings::alb_connection_seconds`].
    pub alb_connection_seconds: Option<f64>,
    /// See [`CostSettings::dns_queries_per_second`].
    pub dns_queries_per_second: Option<f64>,
    /// See [`CostSettings::db_io_per_write`].
    pub db_io_per_write: Option<f64>,
    /// See [`CostSettings::object_change_gb_per_day`].
    pub object_change_gb_per_day: Option<f64>,
    /// See [`CostSettings::internet_egress`].
    pub internet_egress: Option<bool>,
}

/// Validates a `[cost]` section read from a model in `model_dir` (`None` section: all
/// defaults). Errors name the field (`cost.downtime_usd_per_hour: ...`); the loader adds
/// file, line and column.
pub fn validate(raw: Option<RawCostSection>, model_file: &Path) -> Result<CostSettings, String> {
    let mut settings = CostSettings::default_for(model_file);
    let Some(raw) = raw else { return Ok(settings) };
    let model_dir = model_file.parent().unwrap_or(Path::new("."));
    if let Some(catalog) = raw.catalog {
        settings.catalog = if catalog.to_str().is_some_and(super::builtin::is_builtin) {
            catalog
        } else {
            model_dir.join(catalog)
        };
    }
    settings.overrides = flatten_overrides(raw.overrides)?;
    let s = &mut settings;
    set(
        &mut s.downtime_usd_per_hour,
        raw.downtime_usd_per_hour,
        "downtime_usd_per_hour",
        0.0,
    )?;
    set(
        &mut s.data_loss_usd_per_hour,
        raw.data_loss_usd_per_hour,
        "data_loss_usd_per_hour",
        0.0,
    )?;
    set(
        &mut s.on_premises_monthly_usd,
        raw.on_premises_monthly_usd,
        "on_premises_monthly_usd",
        0.0,
    )?;
    set(
        &mut s.nat_share_of_response_bytes,
        raw.nat_share_of_response_bytes,
        "nat_share_of_response_bytes",
        0.0,
    )?;
    set(
        &mut s.alb_requests_per_connection,
        raw.alb_requests_per_connection,
        "alb_requests_per_connection",
        1.0,
    )?;
    set(
        &mut s.alb_connection_seconds,
        raw.alb_connection_seconds,
        "alb_connection_seconds",
        0.0,
    )?;
    set(
        &mut s.dns_queries_per_second,
        raw.dns_queries_per_second,
        "dns_queries_per_second",
        0.0,
    )?;
    set(
        &mut s.db_io_per_write,
        raw.db_io_per_write,
        "db_io_per_write",
        0.0,
    )?;
    if let Some(gb) = raw.object_change_gb_per_day {
        check("object_change_gb_per_day", gb, 0.0)?;
        s.object_change_gb_per_day = Some(gb);
    }
    if let Some(egress) = raw.internet_egress {
        s.internet_egress = egress;
    }
    Ok(settings)
}

fn set(slot: &mut f64, value: Option<f64>, field: &str, min: f64) -> Result<(), String> {
    if let Some(value) = value {
        check(field, value, min)?;
        *slot = value;
    }
    Ok(())
}

fn check(field: &str, value: f64, min: f64) -> Result<(), String> {
    if value.is_finite() && value >= min {
        Ok(())
    } else {
        Err(format!(
            "cost.{field}: {value} must be a number of at least {min}"
        ))
    }
}

fn flatten_overrides(raw: BTreeMap<String, RawOverride>) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    for (key, value) in raw {
        match value {
            RawOverride::Price(price) => out.push((key, price)),
            RawOverride::Group(items) => out.extend(
                items
                    .into_iter()
                    .map(|(name, p)| (format!("{key}.{name}"), p)),
            ),
        }
    }
    for (key, price) in &out {
        if catalog::expected_unit(key).is_none() {
            let text = catalog::unknown_item_text(key, catalog::fixed_keys());
            return Err(format!(
                "cost.overrides.\"{key}\": {text} (write `group.name`, e.g. \"ec2.m5.large\")"
            ));
        }
        check(&format!("overrides.\"{key}\""), *price, 0.0)?;
    }
    Ok(out)
}
