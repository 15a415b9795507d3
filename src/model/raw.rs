//! The first stage of loading: serde structs that mirror a model file field by field.
//!
//! Everything here only checks shape and spelling (`deny_unknown_fields`) and parses
//! durations; cross-references and ranges are checked in [`super::validate`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::units::parse_duration;

/// Longest duration a model may write: 100 years, in milliseconds.
pub const MAX_DURATION_MS: f64 = 100.0 * 365.0 * 86_400_000.0;

/// A fixed duration written with a unit ("30s"), in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Duration(pub f64);

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DurationVisitor)
    }
}

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a duration with a unit, e.g. \"30s\", \"5m\", \"2h\" or \"7d\"")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Duration, E> {
        let ms = parse_duration(text).map_err(E::custom)?;
        // Simulated time is integer milliseconds; absurd lengths would overflow sums.
        if ms > MAX_DURATION_MS {
            return Err(E::custom(format!(
                "`{text}` is too long: at most 100 years"
            )));
        }
        Ok(Duration(ms))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Duration, E> {
        Err(bare_number(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Duration, E> {
        Err(bare_number(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Duration, E> {
        Err(bare_number(n))
    }
}

/// A number without a unit is ambiguous (seconds? minutes?): say how to write it.
fn bare_number<E: de::Error>(n: impl fmt::Display) -> E {
    E::custom(format!(
        "`{n}` has no unit; write a duration as a string with a unit, e.g. \"{n}s\", \"{n}m\" or \"{n}h\""
    ))
}

/// A random duration: a plain duration string (fixed) or a table naming the distribution.
#[derive(Clone, Debug, PartialEq)]
pub enum RawDist {
    /// `"30s"`.
    Fixed(Duration),
    /// `{ dist = "lognormal", median = "30s", p95 = "90s" }`.
    Table(DistTable),
}

/// The table form of a random duration; which parameters apply depends on `dist`.
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct DistTable {
    pub dist: DistFamily,
    pub value: Option<Duration>,
    pub min: Option<Duration>,
    pub mode: Option<Duration>,
    pub max: Option<Duration>,
    pub mean: Option<Duration>,
    pub sd: Option<Duration>,
    pub median: Option<Duration>,
    pub p95: Option<Duration>,
}

/// Distribution families a model may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum DistFamily {
    Fixed,
    Uniform,
    Triangular,
    Exponential,
    Normal,
    Lognormal,
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawDistVisitor)
    }
}

struct RawDistVisitor;

impl<'de> Visitor<'de> for RawDistVisitor {
    type Value = RawDist;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a duration (\"30s\") or a distribution table ({ dist = \"lognormal\", median = \"30s\", p95 = \"90s\" })")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<RawDist, E> {
        DurationVisitor.visit_str(text).map(RawDist::Fixed)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<RawDist, E> {
        Err(bare_number(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<RawDist, E> {
        Err(bare_number(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<RawDist, E> {
        Err(bare_number(n))
    }

    // Delegating through the map keeps serde_path_to_error tracking the inner keys.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDist, A::Error> {
        DistTable::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawDist::Table)
    }
}

/// The JSON Schema of a duration string (see [`parse_duration`]); `format = "duration"`
/// is what [`super::schema`] checks with the loader's own parser.
const DURATION_PATTERN: &str = r"^\s*[0-9]+(\.[0-9]+)?\s*(ms|s|m|h|d|w)\s*$";

impl schemars::JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A duration with a unit: \"850ms\", \"30s\", \"5m\", \"2h\", \"7d\", \"1w\".",
            "type": "string",
            "format": "duration",
            "pattern": DURATION_PATTERN,
        })
    }
}

impl schemars::JsonSchema for RawDist {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RandomDuration".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A fixed duration (\"30s\") or a distribution table ({ dist = \"lognormal\", median = \"30s\", p95 = \"90s\" }).",
            "anyOf": [
                generator.subschema_for::<Duration>(),
                generator.subschema_for::<DistTable>(),
            ],
        })
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Ordered<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Named_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A table keyed by name.",
            "type": "object",
            "additionalProperties": generator.subschema_for::<T>(),
        })
    }
}

/// A table keyed by name whose file order matters (regions, disasters).
#[derive(Clone, Debug, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OrderedVisitor(std::marker::PhantomData))
    }
}

struct OrderedVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
    type Value = Ordered<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table keyed by name")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, T>()? {
            entries.push(entry);
        }
        Ok(Ordered(entries))
    }
}

/// The tables of `[database_defaults]`: a database kind, a cross-region copy, or an
/// Aurora Global failover mode, each merged under `[database]` when it applies.
pub const DATABASE_DEFAULTS: [&str; 8] = [
    "single",
    "multi_az",
    "aurora",
    "dynamodb",
    "read_replica",
    "aurora_global",
    "multi_writer",
    "detach_and_promote",
];

/// The tables of `[object_storage_defaults]`, by replication.
pub const OBJECT_STORAGE_DEFAULTS: [&str; 2] = ["crr", "crr_rtc"];

/// The whole file, after includes and defaults are merged in.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawModel {
    pub name: Option<String>,
    pub description: Option<String>,
    pub simulation: RawSimulation,
    pub objectives: RawObjectives,
    pub workload: RawWorkload,
    pub regions: Ordered<RawRegion>,
    pub routing: RawRouting,
    pub database: RawDatabase,
    pub object_storage: RawObjectStorage,
    pub backups: Option<RawBackups>,
    pub recovery: RawRecovery,
    #[serde(default)]
    pub disasters: Ordered<RawDisaster>,
    pub cost: Option<crate::model::cost::RawCostSection>,
    pub hybrid: Option<RawHybrid>,
}

/// `[simulation]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawSimulation {
    pub trials: u64,
    pub seed: u64,
    pub horizon: Duration,
    pub recovery_threshold: Option<f64>,
    pub rto_thresholds: Option<Vec<f64>>,
}

/// `[objectives]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawObjectives {
    pub rto: Duration,
    pub rpo: Duration,
    pub confidence: f64,
    pub clock: Option<crate::model::Clock>,
    /// An AWS Resilience Hub policy file (JSON), relative to the model file.
    pub resilience_hub_policy: Option<String>,
    /// Overrides keyed by a disaster's name or kind.
    #[serde(default)]
    pub disasters: Ordered<RawObjectiveOverride>,
}

/// `[objectives.disasters.NAME_OR_KIND]`: each field falls back to `[objectives]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawObjectiveOverride {
    pub rto: Option<Duration>,
    pub rpo: Option<Duration>,
    pub confidence: Option<f64>,
    pub clock: Option<crate::model::Clock>,
}

/// `[workload.db_client]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDbClient {
    pub dns_cache: Option<Duration>,
    pub connect_timeout: Option<Duration>,
}

/// `[workload]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawWorkload {
    #[serde(default)]
    pub db_client: Option<RawDbClient>,
    pub requests_per_second: f64,
    pub writes_per_second: f64,
    pub data_size_gb: f64,
    pub change_gb_per_day: f64,
    pub instance_capacity_rps: f64,
    pub needs_outbound: bool,
    pub response_kb: f64,
}

/// `site` of a region.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawSite {
    #[default]
    Aws,
    OnPremises,
}

/// `role` of a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawRole {
    Primary,
    Standby,
    Active,
}

/// `deployment` of a region.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawDeployment {
    #[default]
    Running,
    ScaledToZero,
    NotDeployed,
}

/// `nat` layout of a region.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawNat {
    #[default]
    PerAz,
    Single,
    None,
}

/// `[regions.NAME]`, with `[region_defaults]` merged under it.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawRegion {
    #[serde(default)]
    pub site: RawSite,
    pub role: RawRole,
    pub azs: Vec<String>,
    #[serde(default)]
    pub deployment: RawDeployment,
    #[serde(default)]
    pub nat: RawNat,
    pub nat_az: Option<String>,
    pub weight: Option<f64>,
    pub alb: RawAlb,
    pub asg: RawAsg,
}

/// `alb` of a region.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawAlb {
    pub interval: Duration,
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    #[serde(default)]
    pub deep_health_check: bool,
}

/// `asg` of a region.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawAsg {
    pub instance_type: String,
    pub volume_gb: f64,
    pub min: u32,
    pub desired: u32,
    pub max: u32,
    pub launch_time: RawDist,
    pub bootstrap_time: RawDist,
    pub lifecycle_hook: RawDist,
    pub health_check_grace: Duration,
    #[serde(default)]
    pub health_check_type: RawAsgHealthCheck,
    #[serde(default)]
    pub policy: RawScalingPolicy,
    pub cooldown: Duration,
    pub scale_out_delay: RawDist,
    pub warm_pool: Option<RawWarmPool>,
    pub warm_pool_times: Option<RawWarmPoolTimes>,
    pub boot_read_gb: Option<f64>,
    pub ami_copy_time: Option<RawDist>,
    pub lazy_load_gb_per_hour: Option<f64>,
    pub fast_snapshot_restore: Option<bool>,
}

/// `health_check_type` of an ASG.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawAsgHealthCheck {
    #[default]
    Ec2,
    Elb,
}

/// `policy` of an ASG.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawScalingPolicy {
    #[default]
    TargetTracking,
    Step,
    Simple,
}

/// `warm_pool` of an ASG.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawWarmPool {
    pub size: u32,
    pub state: RawWarmState,
}

/// Warm pool instance state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawWarmState {
    Stopped,
    Running,
    Hibernated,
}

/// Time to InService for each warm pool state.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawWarmPoolTimes {
    pub stopped: Option<RawDist>,
    pub running: Option<RawDist>,
    pub hibernated: Option<RawDist>,
}

/// `kind` of routing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawRoutingKind {
    Route53,
    GlobalAccelerator,
}

/// `mode` of routing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawRoutingMode {
    Failover,
    ActiveActive,
}

/// `[routing]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawRouting {
    pub kind: RawRoutingKind,
    pub mode: RawRoutingMode,
    pub health_check_interval: Duration,
    pub failure_threshold: u32,
    pub ttl: Option<Duration>,
    pub clients_honouring_ttl: Option<f64>,
    pub stale_hold: Option<RawDist>,
    pub propagation: RawDist,
    #[serde(default)]
    pub failover_by: RawFailoverBy,
}

/// `failover_by` of routing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawFailoverBy {
    #[default]
    HealthCheck,
    RecordChange,
}

/// `kind` of database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawDbKind {
    Single,
    MultiAz,
    Aurora,
    Dynamodb,
}

/// `capacity_mode` of a DynamoDB table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawCapacityMode {
    OnDemand,
    Provisioned,
}

/// `cross_region` of the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawCrossRegion {
    #[default]
    None,
    ReadReplica,
    AuroraGlobal,
    MultiWriter,
}

/// `global_failover` of an Aurora Global database (`switchover` is parsed to be
/// refused with the reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawGlobalFailover {
    Managed,
    Switchover,
    DetachAndPromote,
}

/// `[database]`, with `[database_defaults.KIND]` and `[database_defaults.CROSS_REGION]`
/// merged under it.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDatabase {
    pub kind: RawDbKind,
    pub instance_class: String,
    pub region: String,
    pub az: String,
    #[serde(default)]
    pub cross_region: RawCrossRegion,
    pub replica_region: Option<String>,
    pub failover_time: Option<RawDist>,
    pub repair_time: Option<RawDist>,
    pub replication_lag: Option<RawDist>,
    pub promotion_time: Option<RawDist>,
    pub global_failover: Option<RawGlobalFailover>,
    pub failback_time: Option<RawDist>,
    // DynamoDB tables only (kind = "dynamodb"):
    pub capacity_mode: Option<RawCapacityMode>,
    pub reads_per_second: Option<f64>,
}

/// `replication` of object storage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawObjectReplication {
    #[default]
    None,
    Crr,
    CrrRtc,
}

/// `[object_storage]`, with `[object_storage_defaults.REPLICATION]` merged under it.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawObjectStorage {
    pub size_gb: f64,
    #[serde(default)]
    pub replication: RawObjectReplication,
    pub replica_region: Option<String>,
    pub lag: Option<RawDist>,
    pub max_lag: Option<Duration>,
    pub objects_per_second: Option<f64>,
    pub versioning: Option<bool>,
    pub noncurrent_expiration: Option<Duration>,
    pub object_lock: Option<RawObjectLock>,
}

/// `[object_storage.object_lock]`: S3 Object Lock default retention.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawObjectLock {
    pub mode: RawLockMode,
    pub retention: Duration,
}

/// `mode` of S3 Object Lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawLockMode {
    Governance,
    Compliance,
}

/// `[backups]`, with `[backup_defaults]` merged under it.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawBackups {
    pub every: Option<Duration>,
    pub at: Option<Vec<String>>,
    pub engine: Option<super::BackupEngine>,
    pub start_window: Option<Duration>,
    pub region: String,
    pub duration: RawDist,
    pub copy_to: Option<String>,
    pub copy_duration: Option<RawDist>,
    pub copy_gb_per_hour: Option<f64>,
    pub retention: Duration,
    #[serde(default)]
    pub vault_lock: RawVaultLock,
    pub copy_to_account: Option<RawCopyAccount>,
    pub point_in_time: Option<Duration>,
    pub log_copy_lag: Option<RawDist>,
    pub restore_gb_per_hour: f64,
    pub restore_fixed: RawDist,
    #[serde(default)]
    pub fast_snapshot_restore: bool,
}

/// `[recovery]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawRecovery {
    pub detection: RawDist,
    pub decision_time: RawDist,
    #[serde(default)]
    pub automated: bool,
    pub iac_network_time: Option<RawDist>,
    pub iac_redeploy_time: RawDist,
    pub nat_replacement_time: RawDist,
    pub launch_failure: Option<RawStepFailure>,
    pub iac_failure: Option<RawStepFailure>,
    pub database_failure: Option<RawStepFailure>,
    pub control_plane: Option<RawImpairment>,
    pub recovery_region: Option<RawImpairment>,
    pub rollback: Option<RawRollback>,
    pub error_alarm: Option<RawErrorAlarm>,
}

// ----- correlated, global and grey events (model/correlated.rs) -----

/// `vault_lock` of backups: `true` / `false` (old models; `true` is governance mode),
/// or the mode, `"governance"` or `"compliance"` (checked in validate.rs).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(untagged, expecting = "true, false, \"governance\" or \"compliance\"")]
#[allow(missing_docs)]
pub enum RawVaultLock {
    Bool(bool),
    Mode(String),
}

impl Default for RawVaultLock {
    fn default() -> Self {
        RawVaultLock::Bool(false)
    }
}

/// `copy_to_account` of backups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawCopyAccount {
    Same,
    Separate,
}

/// `[recovery.rollback]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawRollback {
    pub blue_green: bool,
    pub shift_time: Option<RawDist>,
}

/// `[recovery.error_alarm]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawErrorAlarm {
    pub period: Duration,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: Option<u32>,
    pub threshold: f64,
    pub customer_report: RawDist,
}

/// `[recovery.control_plane]` and `[recovery.recovery_region]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawImpairment {
    pub probability: f64,
    pub impaired_for: RawDist,
}

/// `[recovery.launch_failure]`, `[recovery.iac_failure]`, `[recovery.database_failure]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawStepFailure {
    pub probability: f64,
    pub retry_after: RawDist,
    pub max_attempts: Option<u32>,
}

/// `[disasters.NAME]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDisaster {
    pub kind: super::DisasterKind,
    pub per_year: f64,
    pub duration: Option<RawDist>,
    pub region: Option<String>,
    pub az: Option<String>,
    pub detection_delay: Option<RawDist>,
    pub share: Option<f64>,
    #[serde(default)]
    pub fails_health_checks: bool,
    pub decision_after_alarm: Option<RawDist>,
    pub decision_after_report: Option<RawDist>,
}

// ---- hybrid DR: `[hybrid]` (docs/model-format.md) ----

/// `[hybrid]`: the channels between an on-premises site and an AWS region.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawHybrid {
    pub site: String,
    pub region: String,
    #[serde(default)]
    pub link: RawLink,
    pub vpn_tunnels: Option<u32>,
    pub vpn_tunnel_gbps: Option<f64>,
    pub dx_port_gbps: Option<f64>,
    pub dx_down_probability: Option<f64>,
    #[serde(default)]
    pub transfer_out_gb_per_month: f64,
    #[serde(default)]
    pub backups_over: RawBackupPath,
    pub dms: Option<RawDms>,
    pub drs: Option<RawDrs>,
}

/// `hybrid.link`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawLink {
    #[default]
    Vpn,
    DirectConnect,
    DirectConnectVpnBackup,
}

/// `hybrid.backups_over`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RawBackupPath {
    #[default]
    Shipment,
    Link,
    StorageGateway,
}

/// `[hybrid.dms]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDms {
    pub instance_class: Option<String>,
    pub lag: RawDist,
    pub cutover_time: RawDist,
    pub stall_probability: Option<f64>,
    pub stall_behind: Option<RawDist>,
}

/// `[hybrid.drs]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDrs {
    pub servers: Option<u32>,
    pub conversion_time: RawDist,
    pub boot_time: RawDist,
}
