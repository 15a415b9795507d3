//! Price catalogs: one TOML file per provider and region, every price with its unit,
//! source and the date it was read.
//!
//! Parsed in two stages like a model: [`RawCatalog`] mirrors the file (serde,
//! `deny_unknown_fields`, spans kept), [`Catalog`] is the validated form. Validation
//! refuses unknown groups and items (with a suggestion), unknown units, a unit that does
//! not fit the item, negative prices, and EC2 types without `ram_gb`.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::locate::{closest as suggest, line_col, place};

/// A price catalog or cost setting that is missing or invalid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}: {message}", .file.display(), place(*.line_col, .item.as_deref()))]
pub struct CostError {
    /// File the error is in (the catalog, or the model for model items).
    pub file: PathBuf,
    /// 1-based line and column, when the place is known.
    pub line_col: Option<(usize, usize)>,
    /// Catalog item (`ec2.m5.large.price`) or model field (`regions.us-east-1.asg.instance_type`).
    pub item: Option<String>,
    /// What is wrong, and what would be valid.
    pub message: String,
}

impl CostError {
    /// An error about `item` in `file`, place unknown.
    pub fn in_file(file: &Path, item: &str, message: String) -> CostError {
        CostError {
            file: file.to_path_buf(),
            line_col: None,
            item: Some(item.to_string()),
            message,
        }
    }
}

/// The unit of a price. The list is closed: a catalog with any other unit is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Per hour a resource exists (instances, NAT, ALB, accelerator).
    UsdPerHour,
    /// Flat monthly fee (hosted zone, health check).
    UsdPerMonth,
    /// Stored data (EBS, S3, backups, database storage).
    UsdPerGbMonth,
    /// Data moved or processed.
    UsdPerGb,
    /// Per million requests (DNS queries).
    UsdPerMillionRequests,
    /// Per million I/O operations (Aurora).
    UsdPerMillionIo,
    /// Per load balancer capacity unit and hour.
    UsdPerLcuHour,
    /// Per EBS fast snapshot restore data services unit and hour.
    UsdPerDsuHour,
    /// A factor applied to another price (Multi-AZ).
    Multiplier,
}

impl Unit {
    /// Every unit with its spelling in catalog files.
    pub const ALL: [(Unit, &'static str); 9] = [
        (Unit::UsdPerHour, "USD/hour"),
        (Unit::UsdPerMonth, "USD/month"),
        (Unit::UsdPerGbMonth, "USD/GB-month"),
        (Unit::UsdPerGb, "USD/GB"),
        (Unit::UsdPerMillionRequests, "USD/million-requests"),
        (Unit::UsdPerMillionIo, "USD/million-IO"),
        (Unit::UsdPerLcuHour, "USD/LCU-hour"),
        (Unit::UsdPerDsuHour, "USD/DSU-hour"),
        (Unit::Multiplier, "multiplier"),
    ];

    /// The unit's spelling in catalog files.
    pub fn as_str(self) -> &'static str {
        Unit::ALL
            .iter()
            .find(|(u, _)| *u == self)
            .map(|(_, s)| *s)
            .unwrap_or("?")
    }

    /// Parses a unit as written in a catalog.
    pub fn parse(text: &str) -> Option<Unit> {
        Unit::ALL.iter().find(|(_, s)| *s == text).map(|(u, _)| *u)
    }

    /// What one priced quantity is called, for bills ("hour", "GB-month").
    pub fn quantity_name(self) -> &'static str {
        match self {
            Unit::UsdPerHour => "hour",
            Unit::UsdPerMonth => "month",
            Unit::UsdPerGbMonth => "GB-month",
            Unit::UsdPerGb => "GB",
            Unit::UsdPerMillionRequests => "million requests",
            Unit::UsdPerMillionIo => "million I/O",
            Unit::UsdPerLcuHour => "LCU-hour",
            Unit::UsdPerDsuHour => "DSU-hour",
            Unit::Multiplier => "x",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every group of items, as written in catalogs and `[cost.overrides]`.
pub const GROUPS: [&str; 15] = [
    "ec2",
    "ebs",
    "nat",
    "alb",
    "route53",
    "accelerator",
    "rds",
    "aurora",
    "db",
    "s3",
    "transfer",
    "backup",
    "hybrid",
    "dms",
    "dynamodb",
];

/// Groups whose item names are free (instance types and classes); all priced per hour.
const OPEN_GROUPS: [&str; 4] = ["ec2", "rds", "aurora", "dms"];

/// The fixed items drsim knows, with the unit each must have.
const FIXED_ITEMS: [(&str, Unit); 49] = [
    ("ebs.gp3", Unit::UsdPerGbMonth),
    ("ebs.snapshot", Unit::UsdPerGbMonth),
    ("ebs.snapshot_archive", Unit::UsdPerGbMonth),
    ("ebs.fast_snapshot_restore", Unit::UsdPerDsuHour),
    ("nat.hour", Unit::UsdPerHour),
    ("nat.data", Unit::UsdPerGb),
    ("alb.hour", Unit::UsdPerHour),
    ("alb.lcu", Unit::UsdPerLcuHour),
    ("route53.hosted_zone", Unit::UsdPerMonth),
    ("route53.queries", Unit::UsdPerMillionRequests),
    ("route53.health_check_aws", Unit::UsdPerMonth),
    ("route53.health_check_non_aws", Unit::UsdPerMonth),
    ("route53.health_check_option_aws", Unit::UsdPerMonth),
    ("route53.health_check_option_non_aws", Unit::UsdPerMonth),
    ("accelerator.fixed", Unit::UsdPerHour),
    ("accelerator.dt_premium", Unit::UsdPerGb),
    ("db.rds_storage", Unit::UsdPerGbMonth),
    ("db.aurora_storage", Unit::UsdPerGbMonth),
    ("db.aurora_io", Unit::UsdPerMillionIo),
    ("db.aurora_backup", Unit::UsdPerGbMonth),
    ("db.multi_az_factor", Unit::Multiplier),
    ("db.aurora_replicated_write_io", Unit::UsdPerMillionIo),
    ("s3.standard", Unit::UsdPerGbMonth),
    ("s3.replication_transfer", Unit::UsdPerGb),
    ("s3.rtc", Unit::UsdPerGb),
    ("transfer.inter_region", Unit::UsdPerGb),
    ("transfer.cross_az", Unit::UsdPerGb),
    ("transfer.internet_egress", Unit::UsdPerGb),
    ("backup.warm", Unit::UsdPerGbMonth),
    ("backup.cold", Unit::UsdPerGbMonth),
    ("backup.cross_region_copy", Unit::UsdPerGb),
    ("backup.restore", Unit::UsdPerGb),
    ("ebs.archive_restore", Unit::UsdPerGb),
    // Hybrid DR channels (sources.md#price-hybrid).
    ("hybrid.vpn_connection", Unit::UsdPerHour),
    ("hybrid.dx_port_1g", Unit::UsdPerHour),
    ("hybrid.dx_port_10g", Unit::UsdPerHour),
    ("hybrid.dx_port_100g", Unit::UsdPerHour),
    ("hybrid.dx_transfer_out", Unit::UsdPerGb),
    ("hybrid.drs_server", Unit::UsdPerHour),
    ("hybrid.storage_gateway_write", Unit::UsdPerGb),
    ("hybrid.storage_gateway_cap", Unit::UsdPerMonth),
    ("dynamodb.write_request", Unit::UsdPerMillionRequests),
    (
        "dynamodb.replicated_write_request",
        Unit::UsdPerMillionRequests,
    ),
    ("dynamodb.read_request", Unit::UsdPerMillionRequests),
    ("dynamodb.write_capacity", Unit::UsdPerHour),
    ("dynamodb.replicated_write_capacity", Unit::UsdPerHour),
    ("dynamodb.read_capacity", Unit::UsdPerHour),
    ("dynamodb.storage", Unit::UsdPerGbMonth),
    ("dynamodb.pitr", Unit::UsdPerGbMonth),
];

/// Keys of the fixed (non-instance) items drsim knows.
pub fn fixed_keys() -> impl Iterator<Item = &'static str> + Clone {
    FIXED_ITEMS.iter().map(|(k, _)| *k)
}

/// The unit an item must have: from the fixed items drsim knows ([`fixed_keys`]), or per hour in an open group.
pub fn expected_unit(key: &str) -> Option<Unit> {
    let group = key.split('.').next().unwrap_or("");
    if OPEN_GROUPS.contains(&group) && key.len() > group.len() + 1 {
        return Some(Unit::UsdPerHour);
    }
    FIXED_ITEMS.iter().find(|(k, _)| *k == key).map(|(_, u)| *u)
}

/// One price override: the item, its price, and the TOML path it was written at (for
/// errors found when it is applied).
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// Item key, `group.name`, e.g. `ec2.m5.large`.
    pub key: String,
    /// Price in the item's unit.
    pub price: f64,
    /// Where it is written, e.g. `cost.overrides."eu-west-1".nat.hour`.
    pub field: String,
}

/// One price as read from a catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceItem {
    /// Item key, `group.name`, e.g. `ec2.m5.large` or `nat.hour`.
    pub key: String,
    /// Price in the catalog's currency per [`PriceItem::unit`].
    pub price: f64,
    /// What the price is per.
    pub unit: Unit,
    /// The pricing page (or "unsourced: ...").
    pub source: String,
    /// When the price was read (the item's date, else the catalog's).
    pub read_on: String,
    /// Memory of an instance type, GB (EC2 only; needed for hibernation).
    pub ram_gb: Option<f64>,
    /// vCPUs of an instance type (informative).
    pub vcpu: Option<u32>,
    /// Where the price was set: `None` for the catalog, else the override's origin.
    pub overridden_by: Option<String>,
}

/// A validated price catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalog {
    /// The file it was read from.
    pub path: PathBuf,
    /// Its name, e.g. `aws-us-east-1`.
    pub name: String,
    /// Currency of every price (only `USD` is accepted: units say USD).
    pub currency: String,
    /// Hours in a billing month; hourly prices are multiplied by this. See the catalog
    /// file: 730 (the AWS Pricing Calculator's 8760 / 12) unless a catalog says 720.
    pub hours_per_month: f64,
    /// When the catalog was read.
    pub read_on: String,
    /// Region the prices are for, when the catalog says.
    pub region: Option<String>,
    items: BTreeMap<String, PriceItem>,
}

/// `[catalog]` header as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    /// Catalog name.
    pub name: String,
    /// Currency.
    pub currency: Spanned<String>,
    /// Billing month length in hours.
    pub hours_per_month: Spanned<f64>,
    /// Provider, e.g. `aws` (informative).
    pub provider: Option<String>,
    /// Region the prices are for, e.g. `us-east-1`; regions of other names priced with
    /// this catalog get a note on the bill.
    pub region: Option<String>,
    /// Date the prices were read.
    pub read_on: toml::value::Datetime,
}

/// One price as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    /// Price per unit.
    pub price: Spanned<f64>,
    /// Unit, from the closed list.
    pub unit: Spanned<String>,
    /// Pricing page or "unsourced: ...".
    pub source: String,
    /// Date read, when it differs from the catalog's.
    pub read_on: Option<toml::value::Datetime>,
    /// vCPUs (EC2).
    pub vcpu: Option<u32>,
    /// Memory, GB (EC2; required there).
    pub ram_gb: Option<Spanned<f64>>,
}

/// Items of one group, by name, with spans.
pub type RawGroup = BTreeMap<Spanned<String>, Spanned<RawItem>>;

/// A catalog file as written: the header and the groups of items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalog {
    /// `[catalog]` header.
    pub catalog: RawHeader,
    /// EC2 instance types.
    #[serde(default)]
    pub ec2: RawGroup,
    /// EBS storage and snapshots.
    #[serde(default)]
    pub ebs: RawGroup,
    /// NAT gateways.
    #[serde(default)]
    pub nat: RawGroup,
    /// Application load balancers.
    #[serde(default)]
    pub alb: RawGroup,
    /// Route 53.
    #[serde(default)]
    pub route53: RawGroup,
    /// Global Accelerator.
    #[serde(default)]
    pub accelerator: RawGroup,
    /// RDS instance classes (single-AZ).
    #[serde(default)]
    pub rds: RawGroup,
    /// Aurora instance classes.
    #[serde(default)]
    pub aurora: RawGroup,
    /// Database storage, I/O, Multi-AZ factor, Aurora Global.
    #[serde(default)]
    pub db: RawGroup,
    /// S3.
    #[serde(default)]
    pub s3: RawGroup,
    /// Data transfer.
    #[serde(default)]
    pub transfer: RawGroup,
    /// AWS Backup.
    #[serde(default)]
    pub backup: RawGroup,
    /// Hybrid DR channels: VPN, Direct Connect, Elastic Disaster Recovery, Storage Gateway.
    #[serde(default)]
    pub hybrid: RawGroup,
    /// AWS DMS replication instance classes.
    #[serde(default)]
    pub dms: RawGroup,
    /// DynamoDB requests, capacity, storage and point-in-time recovery.
    #[serde(default)]
    pub dynamodb: RawGroup,
}

impl RawCatalog {
    fn groups(&self) -> [(&'static str, &RawGroup); 15] {
        [
            ("ec2", &self.ec2),
            ("ebs", &self.ebs),
            ("nat", &self.nat),
            ("alb", &self.alb),
            ("route53", &self.route53),
            ("accelerator", &self.accelerator),
            ("rds", &self.rds),
            ("aurora", &self.aurora),
            ("db", &self.db),
            ("s3", &self.s3),
            ("transfer", &self.transfer),
            ("backup", &self.backup),
            ("hybrid", &self.hybrid),
            ("dms", &self.dms),
            ("dynamodb", &self.dynamodb),
        ]
    }
}

/// Context for validating one catalog file: its path and text, for error places.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn error(&self, span: Range<usize>, item: &str, message: String) -> CostError {
        CostError {
            file: self.path.to_path_buf(),
            line_col: Some(line_col(self.text, span.start)),
            item: Some(item.to_string()),
            message,
        }
    }
}

impl Catalog {
    /// Reads and validates the catalog in `path`.
    pub fn load(path: &Path) -> Result<Catalog, CostError> {
        if let Some(text) = super::builtin::catalog_text(path) {
            return Catalog::parse(path, text);
        }
        let text = super::read::read_text(path).map_err(|e| CostError {
            file: path.to_path_buf(),
            line_col: match e {
                super::read::ReadError::NotUtf8 { line_col } => Some(line_col),
                super::read::ReadError::Io(_) => None,
            },
            item: None,
            message: format!("cannot read price catalog: {e}"),
        })?;
        Catalog::parse(path, &text)
    }

    /// Validates catalog `text`, read from `path` (used in error messages).
    pub fn parse(path: &Path, text: &str) -> Result<Catalog, CostError> {
        let raw: RawCatalog = toml::from_str(text).map_err(|e| CostError {
            file: path.to_path_buf(),
            line_col: e.span().map(|s| line_col(text, s.start)),
            item: None,
            message: e.message().trim().to_string(),
        })?;
        Catalog::try_from_raw(raw, &Source { path, text })
    }

    fn try_from_raw(raw: RawCatalog, src: &Source) -> Result<Catalog, CostError> {
        let header = &raw.catalog;
        if header.currency.get_ref() != "USD" {
            let msg = format!(
                "currency `{}` is not supported; units are in USD",
                header.currency.get_ref()
            );
            return Err(src.error(header.currency.span(), "catalog.currency", msg));
        }
        let hours = *header.hours_per_month.get_ref();
        if !(hours.is_finite() && (672.0..=744.0).contains(&hours)) {
            let msg = format!(
                "{hours} is not a month length in hours; use 730 (8760 / 12) or 720 (30 days)"
            );
            return Err(src.error(
                header.hours_per_month.span(),
                "catalog.hours_per_month",
                msg,
            ));
        }
        let read_on = header.read_on.to_string();
        let mut items = BTreeMap::new();
        for (group, entries) in raw.groups() {
            for (name, item) in entries {
                let key = format!("{group}.{}", name.get_ref());
                let priced = validate_item(&key, name.span(), item, &read_on, src)?;
                items.insert(key, priced);
            }
        }
        Ok(Catalog {
            path: src.path.to_path_buf(),
            name: header.name.clone(),
            currency: header.currency.get_ref().clone(),
            hours_per_month: hours,
            read_on,
            region: header.region.clone(),
            items,
        })
    }

    /// Every item, by key.
    pub fn items(&self) -> impl Iterator<Item = &PriceItem> {
        self.items.values()
    }

    /// The item `key` (`group.name`), if the catalog has it.
    pub fn get(&self, key: &str) -> Option<&PriceItem> {
        self.items.get(key)
    }

    /// The price of fixed item `key`, needed for `needed_for` (a model item, for the
    /// message). The unit is checked against the one drsim computes with.
    pub fn price(&self, key: &str, needed_for: &str) -> Result<&PriceItem, CostError> {
        let item = self
            .items
            .get(key)
            .ok_or_else(|| self.missing(key, needed_for))?;
        let expected = expected_unit(key);
        if expected.is_some_and(|u| u != item.unit) {
            return Err(CostError::in_file(
                &self.path,
                key,
                format!("unit {} cannot be used here", item.unit),
            ));
        }
        Ok(item)
    }

    /// The hourly price of instance type `name` in open group `group` (`ec2`, `rds`,
    /// `aurora`). `model_item` is the model field that names it, e.g.
    /// `regions.us-east-1.asg.instance_type`; `model_file` is the model's file.
    pub fn instance(
        &self,
        group: &str,
        name: &str,
        model_item: &str,
        model_file: &Path,
    ) -> Result<&PriceItem, CostError> {
        let key = format!("{group}.{name}");
        self.items.get(&key).ok_or_else(|| {
            let known = self.names_in(group);
            let mut message = format!("{name}: not in {}", self.path.display());
            if let Some(region) = &self.region {
                message.push_str(&format!(" (the {region} prices)"));
            }
            if let Some(close) = suggest(name, known.iter().map(String::as_str)) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            message.push_str(&format!("; known: {}", known.join(", ")));
            message.push_str(&format!(
                "; add [{group}.\"{name}\"] to the catalog or set \"{key}\" in [cost.overrides]"
            ));
            CostError {
                file: model_file.to_path_buf(),
                line_col: None,
                item: Some(model_item.into()),
                message,
            }
        })
    }

    /// Names of the items of `group`, sorted.
    pub fn names_in(&self, group: &str) -> Vec<String> {
        let prefix = format!("{group}.");
        self.items
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(String::from)
            .collect()
    }

    fn missing(&self, key: &str, needed_for: &str) -> CostError {
        CostError::in_file(
            &self.path,
            key,
            format!("missing from the catalog; needed to price {needed_for}"),
        )
    }

    /// Sets single prices from the model's `[cost.overrides]`; `origin` names the model
    /// file. An override of an instance type the catalog lacks adds it (without
    /// `ram_gb`, so it cannot be hibernated), but only if the model uses it (`used`, e.g.
    /// `ec2.m5.large`): any other is a misspelling, refused with the closest name.
    pub fn apply_overrides(
        &mut self,
        overrides: &[Override],
        origin: &Path,
        used: &std::collections::BTreeSet<String>,
    ) -> Result<(), CostError> {
        for o in overrides {
            self.apply_override(o, origin, used)?;
        }
        Ok(())
    }

    fn apply_override(
        &mut self,
        o: &Override,
        origin: &Path,
        used: &std::collections::BTreeSet<String>,
    ) -> Result<(), CostError> {
        let key = o.key.as_str();
        let fail = |message: String| CostError::in_file(origin, &o.field, message);
        if !o.price.is_finite() || o.price < 0.0 {
            return Err(fail(format!("price {} must be zero or more", o.price)));
        }
        let unit = expected_unit(key).ok_or_else(|| fail(self.unknown_item_message(key)))?;
        if !self.items.contains_key(key) && !used.contains(key) {
            let mut message = format!(
                "`{key}` prices nothing: it is not in {} and the model uses no such type",
                self.name
            );
            let known = self
                .items
                .keys()
                .map(String::as_str)
                .chain(used.iter().map(String::as_str));
            if let Some(close) = suggest(key, known) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            return Err(fail(message));
        }
        let read_on = self.read_on.clone();
        let item = self
            .items
            .entry(key.to_string())
            .or_insert_with(|| PriceItem {
                key: key.to_string(),
                price: o.price,
                unit,
                source: "model override".into(),
                read_on,
                ram_gb: None,
                vcpu: None,
                overridden_by: None,
            });
        item.price = o.price;
        item.overridden_by = Some(origin.display().to_string());
        Ok(())
    }

    fn unknown_item_message(&self, key: &str) -> String {
        let known = FIXED_ITEMS
            .iter()
            .map(|(k, _)| *k)
            .chain(self.items.keys().map(String::as_str));
        unknown_item_text(key, known)
    }
}

/// "`key` is not a price drsim knows; did you mean ...? known in `group`: ...".
pub(crate) fn unknown_item_text<'a>(
    key: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let mut message = format!("`{key}` is not a price drsim knows");
    let group = key.split('.').next().unwrap_or("");
    if let Some(close) = suggest(key, known.clone()) {
        message.push_str(&format!("; did you mean `{close}`?"));
    } else if !GROUPS.contains(&group)
        && let Some(close) = suggest(group, GROUPS)
    {
        message.push_str(&format!("; did you mean group `{close}`?"));
    }
    let in_group: Vec<&str> = known
        .into_iter()
        .filter(|k| k.split('.').next() == Some(group))
        .collect();
    if !in_group.is_empty() {
        message.push_str(&format!(" known in `{group}`: {}", in_group.join(", ")));
    }
    message
}

fn validate_item(
    key: &str,
    key_span: Range<usize>,
    item: &Spanned<RawItem>,
    catalog_date: &str,
    src: &Source,
) -> Result<PriceItem, CostError> {
    let raw = item.get_ref();
    let expected = expected_unit(key).ok_or_else(|| {
        src.error(
            key_span.clone(),
            key,
            unknown_item_text(key, FIXED_ITEMS.iter().map(|(k, _)| *k)),
        )
    })?;
    let unit = parse_unit(key, &raw.unit, src)?;
    if unit != expected {
        let msg = format!("unit `{unit}` does not fit this item; drsim prices it in `{expected}`");
        return Err(src.error(raw.unit.span(), &format!("{key}.unit"), msg));
    }
    let price = *raw.price.get_ref();
    if !price.is_finite() || price < 0.0 {
        let msg = format!("price {price} must be zero or more");
        return Err(src.error(raw.price.span(), &format!("{key}.price"), msg));
    }
    let ram_gb = validate_ram(key, raw, item.span(), src)?;
    Ok(PriceItem {
        key: key.to_string(),
        price,
        unit,
        source: raw.source.clone(),
        read_on: raw
            .read_on
            .as_ref()
            .map_or_else(|| catalog_date.to_string(), |d| d.to_string()),
        ram_gb,
        vcpu: raw.vcpu,
        overridden_by: None,
    })
}

fn parse_unit(key: &str, unit: &Spanned<String>, src: &Source) -> Result<Unit, CostError> {
    Unit::parse(unit.get_ref()).ok_or_else(|| {
        let names = Unit::ALL.iter().map(|(_, s)| *s);
        let mut msg = format!("unknown unit `{}`", unit.get_ref());
        if let Some(close) = suggest(unit.get_ref(), names.clone()) {
            msg.push_str(&format!("; did you mean `{close}`?"));
        }
        msg.push_str(&format!(" units: {}", names.collect::<Vec<_>>().join(", ")));
        src.error(unit.span(), &format!("{key}.unit"), msg)
    })
}

fn validate_ram(
    key: &str,
    raw: &RawItem,
    span: Range<usize>,
    src: &Source,
) -> Result<Option<f64>, CostError> {
    match &raw.ram_gb {
        Some(ram) if !(ram.get_ref().is_finite() && *ram.get_ref() > 0.0) => Err(src.error(
            ram.span(),
            &format!("{key}.ram_gb"),
            "must be more than zero".into(),
        )),
        Some(ram) => Ok(Some(*ram.get_ref())),
        None if key.starts_with("ec2.") => Err(src.error(
            span,
            key,
            "EC2 types need `ram_gb` (hibernated warm pools store the RAM on EBS)".into(),
        )),
        None => Ok(None),
    }
}
