//! The model's `[cost]` section and its price catalog: what the bill is priced from.
//!
//! These are inputs, validated with the rest of the model; the pricing itself lives in
//! `analysis::cost`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use super::catalog::Override;
use super::catalog::{self, Catalog, CostError};
use super::locate::{Seg, TomlPath, closest, format_path, keys};

/// The default catalog, relative to the repository root.
pub const DEFAULT_CATALOG: &str = "models/prices/aws-us-east-1.toml";

/// The region whose catalog prices global services (Route 53, Global Accelerator) and
/// models with no AWS region.
pub const GLOBAL_REGION: &str = "us-east-1";

/// The model's `[cost]` section, validated: which catalogs, which prices to override,
/// what downtime and data loss cost, and the assumptions that turn a workload into
/// billable quantities.
#[derive(Clone, Debug, PartialEq)]
pub struct CostSettings {
    /// Catalog of global services (Route 53, Global Accelerator); with
    /// [`CostSettings::catalog_for_every_region`], of every region too (already resolved
    /// against the model file's directory).
    pub catalog: PathBuf,
    /// Whether `catalog` prices every AWS region not named in `region_catalogs`
    /// (`[cost] catalog` was written, as before regional catalogs). Otherwise each region
    /// is priced with the catalog of its own name ([`find_catalog`]).
    pub catalog_for_every_region: bool,
    /// `[cost.catalogs]`: the catalog of a region, by region name (resolved).
    pub region_catalogs: BTreeMap<String, PathBuf>,
    /// Single prices replacing every catalog's.
    pub overrides: Vec<Override>,
    /// Single prices replacing one region's catalog's, by region name; they win over
    /// [`CostSettings::overrides`].
    pub region_overrides: BTreeMap<String, Vec<Override>>,
    /// Where the model was read from: regional catalogs are looked for from here.
    pub model_file: PathBuf,
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
    /// Defaults for a model read from `model_path`: each region priced with the
    /// catalog of its name ([`find_catalog`]), global services with the us-east-1 one.
    pub fn default_for(model_path: &Path) -> CostSettings {
        let global = find_catalog(model_path, GLOBAL_REGION)
            .unwrap_or_else(|| PathBuf::from(super::builtin::DEFAULT_CATALOG));
        CostSettings {
            catalog_for_every_region: false,
            model_file: model_path.to_path_buf(),
            ..CostSettings::with_catalog(global)
        }
    }

    /// Default settings with one catalog for every region.
    pub fn with_catalog(catalog: PathBuf) -> CostSettings {
        CostSettings {
            catalog,
            catalog_for_every_region: true,
            region_catalogs: BTreeMap::new(),
            overrides: Vec::new(),
            region_overrides: BTreeMap::new(),
            model_file: PathBuf::new(),
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

    /// Loads the global catalog and applies the global overrides; `model_file` names
    /// the overrides' origin in errors.
    pub fn load_catalog(&self, model_file: &Path) -> Result<Catalog, CostError> {
        let mut catalog = Catalog::load(&self.catalog)?;
        catalog.apply_overrides(&self.overrides, model_file, &BTreeSet::new())?;
        Ok(catalog)
    }

    /// The catalog file that prices AWS region `name`: its `[cost.catalogs]` entry, else
    /// `[cost] catalog` when written, else the one [`find_catalog`] finds.
    pub fn catalog_for(&self, name: &str) -> Option<PathBuf> {
        if let Some(path) = self.region_catalogs.get(name) {
            return Some(path.clone());
        }
        if self.catalog_for_every_region {
            return Some(self.catalog.clone());
        }
        find_catalog(&self.model_file, name)
    }

    /// Loads the catalog of every AWS region in `regions` (name, is an AWS site) with its
    /// overrides, each file once. `used` are the instance items the model prices
    /// (`ec2.m5.large`): an override may add one of those to a catalog lacking it.
    pub fn load_prices(
        &self,
        regions: &[(&str, bool)],
        used: &BTreeSet<String>,
    ) -> Result<Prices, CostError> {
        let origin = self.model_file.as_path();
        let mut global = Catalog::load(&self.catalog)?;
        global.apply_overrides(&self.overrides, origin, used)?;
        let mut prices = Prices {
            catalogs: vec![global],
            regions: Vec::with_capacity(regions.len()),
        };
        let mut loaded: BTreeMap<(PathBuf, Option<&str>), usize> = BTreeMap::new();
        loaded.insert((self.catalog.clone(), None), 0);
        for &(name, aws) in regions {
            if !aws {
                prices.regions.push(None);
                continue;
            }
            let path = self
                .catalog_for(name)
                .ok_or_else(|| self.no_catalog(name))?;
            let own = self.region_overrides.get_key_value(name);
            let key = (path.clone(), own.map(|(n, _)| n.as_str()));
            let index = match loaded.get(&key) {
                Some(&index) => index,
                None => {
                    let mut catalog = Catalog::load(&path)?;
                    catalog.apply_overrides(&self.overrides, origin, used)?;
                    if let Some((_, own)) = own {
                        catalog.apply_overrides(own, origin, used)?;
                    }
                    same_month(&prices.catalogs[0], &catalog)?;
                    prices.catalogs.push(catalog);
                    loaded.insert(key, prices.catalogs.len() - 1);
                    prices.catalogs.len() - 1
                }
            };
            prices.regions.push(Some(index));
        }
        Ok(prices)
    }

    fn no_catalog(&self, region: &str) -> CostError {
        let known = super::builtin::catalog_regions();
        let mut message = format!("no price catalog for region `{region}`");
        if let Some(close) = closest(region, known.iter().copied()) {
            message.push_str(&format!("; did you mean `{close}`?"));
        }
        message.push_str(&format!(
            " (built-in catalogs: {}); name one with [cost.catalogs] \"{region}\" = \"builtin:aws-...\" or a file",
            known.join(", ")
        ));
        CostError {
            file: self.model_file.clone(),
            line_col: None,
            item: Some(format_path(&keys(&["regions", region]))),
            message,
        }
    }
}

/// Every catalog of one bill must share the month length.
fn same_month(global: &Catalog, other: &Catalog) -> Result<(), CostError> {
    if global.hours_per_month == other.hours_per_month {
        return Ok(());
    }
    Err(CostError::in_file(
        &other.path,
        "catalog.hours_per_month",
        format!(
            "{} h differs from {} h in {}: the catalogs of one model must share the month length",
            other.hours_per_month,
            global.hours_per_month,
            global.path.display()
        ),
    ))
}

/// The catalogs a model is priced with: one for global services and one per AWS region.
#[derive(Clone, Debug, PartialEq)]
pub struct Prices {
    /// The global catalog first, then each distinct regional one.
    catalogs: Vec<Catalog>,
    /// Index into `catalogs` of each region's (by region index); `None`: on premises.
    regions: Vec<Option<usize>>,
}

impl From<Catalog> for Prices {
    /// One catalog for global services and every region.
    fn from(catalog: Catalog) -> Prices {
        Prices {
            catalogs: vec![catalog],
            regions: Vec::new(),
        }
    }
}

impl Prices {
    /// The catalog of global services (Route 53, Global Accelerator).
    pub fn global(&self) -> &Catalog {
        &self.catalogs[0]
    }

    /// The catalog of region `id` (the global one for a site with none).
    pub fn region(&self, id: usize) -> &Catalog {
        let index = self.regions.get(id).copied().flatten().unwrap_or(0);
        &self.catalogs[index]
    }

    /// Hours in the billing month, shared by every catalog.
    pub fn hours_per_month(&self) -> f64 {
        self.global().hours_per_month
    }
}

/// The catalog for AWS region `region` of a model read from `model_path`:
/// `prices/aws-REGION.toml` beside the model, else `models/prices/aws-REGION.toml` in the
/// model's directory or an ancestor, else the built-in `builtin:aws-REGION`, if any.
pub fn find_catalog(model_path: &Path, region: &str) -> Option<PathBuf> {
    let file = format!("aws-{region}.toml");
    let dir = model_path.parent().unwrap_or(Path::new("."));
    let beside = dir.join("prices").join(&file);
    if beside.is_file() {
        return Some(beside);
    }
    dir.ancestors()
        .map(|a| a.join("models/prices").join(&file))
        .find(|p| p.is_file())
        .or_else(|| super::builtin::catalog_for_region(region).map(PathBuf::from))
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
/// [cost.catalogs]                         # a region's own catalog (optional)
/// primary = "builtin:aws-eu-west-1"
///
/// [cost.overrides]                        # every region's catalog
/// "ec2.m5.large" = 0.09
/// nat.hour = 0.05
///
/// [cost.overrides."eu-west-1"]            # one region's catalog
/// "ec2.m5.large" = 0.1
/// ```
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCostSection {
    /// Catalog file, relative to the model file: prices every region not in `catalogs`.
    pub catalog: Option<PathBuf>,
    /// A region's catalog file, by region name.
    #[serde(default)]
    pub catalogs: BTreeMap<String, PathBuf>,
    /// Single-price overrides: `group.name = price`, or a region's name = a table of them.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub overrides: toml::Table,
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

/// A problem in `[cost]`: the TOML path of the field and what is wrong with it.
pub type CostProblem = (TomlPath, String);

/// Validates a `[cost]` section read from `model_file` (`None` section: all defaults),
/// whose regions are named `regions`. Errors give the field's path; the loader adds
/// file, line and column.
pub fn validate(
    raw: Option<RawCostSection>,
    model_file: &Path,
    regions: &[&str],
) -> Result<CostSettings, CostProblem> {
    let mut settings = CostSettings::default_for(model_file);
    let Some(mut raw) = raw else {
        return Ok(settings);
    };
    let model_dir = model_file.parent().unwrap_or(Path::new("."));
    let resolve = |catalog: PathBuf| {
        if catalog.to_str().is_some_and(super::builtin::is_builtin) {
            catalog
        } else {
            model_dir.join(catalog)
        }
    };
    if let Some(catalog) = raw.catalog.take() {
        settings.catalog = resolve(catalog);
        settings.catalog_for_every_region = true;
    }
    for (region, catalog) in std::mem::take(&mut raw.catalogs) {
        check_region(&region, regions, &["cost", "catalogs"])?;
        settings.region_catalogs.insert(region, resolve(catalog));
    }
    let (overrides, by_region) = flatten_overrides(std::mem::take(&mut raw.overrides), regions)?;
    settings.overrides = overrides;
    settings.region_overrides = by_region;
    let at = |field: &str| keys(&["cost", field]);
    validate_numbers(&mut settings, &raw).map_err(|(field, message)| (at(&field), message))?;
    Ok(settings)
}

fn check_region(name: &str, regions: &[&str], under: &[&str]) -> Result<(), CostProblem> {
    if regions.contains(&name) {
        return Ok(());
    }
    let mut path = keys(under);
    path.push(Seg::Key(name.to_string()));
    let mut message = format!("`{name}` is not a region of this model");
    if let Some(close) = closest(name, regions.iter().copied()) {
        message.push_str(&format!("; did you mean `{close}`?"));
    }
    message.push_str(&format!(" (regions: {})", regions.join(", ")));
    Err((path, message))
}

fn validate_numbers(
    settings: &mut CostSettings,
    raw: &RawCostSection,
) -> Result<(), (String, String)> {
    let s = settings;
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
    Ok(())
}

fn set(slot: &mut f64, value: Option<f64>, field: &str, min: f64) -> Result<(), (String, String)> {
    if let Some(value) = value {
        check(field, value, min)?;
        *slot = value;
    }
    Ok(())
}

fn check(field: &str, value: f64, min: f64) -> Result<(), (String, String)> {
    if value.is_finite() && value >= min {
        Ok(())
    } else {
        Err((
            field.to_string(),
            format!("{value} must be a number of at least {min}"),
        ))
    }
}

/// Global overrides and each region's, from `[cost.overrides]` as written: a key is an
/// item (`"ec2.m5.large" = 0.09`), a group (`nat.hour = 0.05` is the table `nat`), or a
/// region's name holding a table of items or groups.
type Flattened = (Vec<Override>, BTreeMap<String, Vec<Override>>);

fn flatten_overrides(raw: toml::Table, regions: &[&str]) -> Result<Flattened, CostProblem> {
    let mut global = Vec::new();
    let mut by_region = BTreeMap::new();
    let base = keys(&["cost", "overrides"]);
    for (key, value) in &raw {
        let is_region = regions.contains(&key.as_str()) && !catalog::GROUPS.contains(&key.as_str());
        match value {
            toml::Value::Table(table) if is_region => {
                let mut at = base.clone();
                at.push(Seg::Key(key.clone()));
                let mut own = Vec::new();
                for (k, v) in table {
                    items_of(k, v, &at, &mut own, None)?;
                }
                by_region.insert(key.clone(), own);
            }
            _ => items_of(key, value, &base, &mut global, Some(regions))?,
        }
    }
    Ok((global, by_region))
}

/// Adds the overrides written as `key = value` under `at`. `regions` (global level
/// only) are also offered as suggestions for an unknown table.
fn items_of(
    key: &str,
    value: &toml::Value,
    at: &[Seg],
    out: &mut Vec<Override>,
    regions: Option<&[&str]>,
) -> Result<(), CostProblem> {
    let mut path = at.to_vec();
    path.push(Seg::Key(key.to_string()));
    match value {
        toml::Value::Table(table) if catalog::GROUPS.contains(&key) => {
            for (name, price) in table {
                let mut item = path.clone();
                item.push(Seg::Key(name.clone()));
                out.push(one_override(&format!("{key}.{name}"), price, item)?);
            }
            Ok(())
        }
        toml::Value::Table(_) => {
            let mut known: Vec<&str> = catalog::GROUPS.to_vec();
            known.extend(regions.unwrap_or_default());
            let mut message =
                format!("`{key}` is neither a price group nor a region of this model");
            if let Some(close) = closest(key, known.iter().copied()) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            message.push_str(&format!(" (groups: {})", catalog::GROUPS.join(", ")));
            Err((path, message))
        }
        price => {
            out.push(one_override(key, price, path)?);
            Ok(())
        }
    }
}

/// One override: a known item (with a suggestion when not) and a price of zero or more.
fn one_override(key: &str, value: &toml::Value, path: TomlPath) -> Result<Override, CostProblem> {
    if catalog::expected_unit(key).is_none() {
        let text = catalog::unknown_item_text(key, catalog::fixed_keys());
        return Err((
            path,
            format!("{text} (write `group.name`, e.g. \"ec2.m5.large\")"),
        ));
    }
    let price = match value {
        toml::Value::Float(f) => *f,
        toml::Value::Integer(i) => *i as f64,
        _ => return Err((path, "a price must be a number".into())),
    };
    if !(price.is_finite() && price >= 0.0) {
        return Err((path, format!("{price} must be a number of at least 0")));
    }
    Ok(Override {
        key: key.to_string(),
        price,
        field: format_path(&path),
    })
}
