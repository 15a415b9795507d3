//! The model of one candidate architecture and the disasters thrown at it.
//!
//! A model is read from TOML in two stages (see [`load`]): a raw serde tree that mirrors
//! the file, then this validated form. Code past the loader never sees an invalid model:
//! every region or AZ reference is an index that exists, every distribution is sound.

pub mod builtin;
pub mod catalog;
pub mod correlated;
pub mod cost;
pub mod describe;
pub mod dist;
pub mod edit;
pub mod error;
pub mod hybrid;
pub mod load;
pub mod locate;
pub mod merge;
pub mod ranges;
pub mod raw;
pub mod read;
pub mod resilience_hub;
pub mod schema;
pub mod space;
pub mod template;
pub mod units;
pub mod validate;
pub mod warn;

use std::path::PathBuf;

pub use correlated::{DecisionTimes, ErrorAlarm, Rollback, Signal, VaultLock};
pub use dist::Dist;
pub use error::ModelError;
pub use units::Millis;

/// Index of a region in [`Model::regions`].
pub type RegionId = usize;
/// Index of an AZ in [`Region::azs`].
pub type AzId = usize;

/// One candidate architecture and the disasters to simulate against it.
#[derive(Clone, Debug)]
pub struct Model {
    /// Short name of the scenario (from `name`, else the file stem).
    pub name: String,
    /// One-line description for reports.
    pub description: String,
    /// The file the model was read from (after includes, the top file).
    pub source: PathBuf,
    /// Trials, seed, horizon and recovery threshold.
    pub simulation: Simulation,
    /// What the architecture must achieve.
    pub objectives: Objectives,
    /// The load the service carries and the data it keeps.
    pub workload: Workload,
    /// Sites, in file order; the first with role `primary` (or all `active`) serves first.
    pub regions: Vec<Region>,
    /// How clients reach a region.
    pub routing: Routing,
    /// The relational database.
    pub database: Database,
    /// Object storage (S3) and its replication.
    pub object_storage: ObjectStorage,
    /// Backups, if any are taken.
    pub backups: Option<Backups>,
    /// People and automation in the loop.
    pub recovery: Recovery,
    /// The disasters; each trial simulates one of them.
    pub disasters: Vec<Disaster>,
    /// Price catalog, price overrides, and what downtime and lost data cost.
    pub cost: crate::model::cost::CostSettings,
    /// Channels between an on-premises site and AWS (`[hybrid]`), if declared.
    pub hybrid: Option<hybrid::Hybrid>,
    /// The ranges written for uncertain inputs (`{ low, high }`), in the order of the
    /// merged model; each input holds its nominal value.
    pub ranges: Vec<ranges::InputRange>,
}

/// Settings of the Monte Carlo run.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    /// Number of trials (disasters simulated), at least 1.
    pub trials: u64,
    /// Seed; with the model it fixes every result.
    pub seed: u64,
    /// A trial not recovered this long after its disaster counts as never recovered.
    pub horizon: Millis,
    /// Share of nominal request success that counts as recovered (default 0.99).
    pub recovery_threshold: f64,
    /// More shares of request success to report the RTO at, side by side, ascending
    /// (`rto_thresholds`; empty by default, at most [`MAX_RTO_THRESHOLDS`]). The
    /// objective verdict stays on `recovery_threshold`.
    pub rto_thresholds: Vec<f64>,
}

/// Most shares `rto_thresholds` may list: each trial keeps one time per share in a
/// fixed array (no allocation per trial).
pub const MAX_RTO_THRESHOLDS: usize = 8;

/// The default recovery objectives, as in "RTO <= 15m for 99% of disasters"; each
/// disaster's own, after the per-disaster overrides of `[objectives.disasters]`, is its
/// [`Disaster::objective`].
#[derive(Clone, Debug, PartialEq)]
pub struct Objectives {
    /// Recovery time objective.
    pub rto: Millis,
    /// Recovery point objective.
    pub rpo: Millis,
    /// Share of disasters that must meet each objective (e.g. 0.99).
    pub confidence: f64,
    /// Where the RTO is counted from.
    pub clock: Clock,
}

impl Objectives {
    /// The default objective, for a disaster without an override.
    pub fn default_objective(&self) -> Objective {
        Objective {
            rto: self.rto,
            rpo: self.rpo,
            confidence: self.confidence,
            clock: self.clock,
        }
    }
}

/// Where an objective's RTO is counted from (`clock`). The RPO is a window of data
/// before the disaster and does not depend on it.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// The disaster's start (for corruption and ransomware: the corruption's start).
    #[default]
    Disaster,
    /// The alarm: the failure (or the bad data) is noticed.
    Detection,
    /// The failover decision: the disaster is declared (the alarm, when automated).
    Decision,
}

impl Clock {
    /// The snake_case name used in model files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Clock::Disaster => "disaster",
            Clock::Detection => "detection",
            Clock::Decision => "decision",
        }
    }

    /// What follows an RTO counted on this clock in a sentence: nothing for the default,
    /// else " from detection" or " from decision".
    pub fn after_rto(self) -> &'static str {
        match self {
            Clock::Disaster => "",
            Clock::Detection => " from detection",
            Clock::Decision => " from decision",
        }
    }

    /// Whether this is the default clock (reports leave it unsaid).
    pub fn is_disaster(&self) -> bool {
        *self == Clock::Disaster
    }
}

/// The objective one disaster is judged against: its RTO and RPO must each be met in at
/// least `confidence` of its occurrences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Objective {
    /// Recovery time objective.
    pub rto: Millis,
    /// Recovery point objective.
    pub rpo: Millis,
    /// Share of this disaster's occurrences that must meet each objective.
    pub confidence: f64,
    /// Where the RTO is counted from.
    pub clock: Clock,
}

/// The load and data of the application.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// Client requests per second at nominal load.
    pub requests_per_second: f64,
    /// Database writes per second (used for replication and write-loss figures).
    pub writes_per_second: f64,
    /// Size of the database, GB; restore time grows with it.
    pub data_size_gb: f64,
    /// Data changed per day, GB (incremental backups, replication transfer).
    pub change_gb_per_day: f64,
    /// Requests per second one instance serves at full utilisation.
    pub instance_capacity_rps: f64,
    /// Whether instances need outbound internet (through NAT) to serve a request.
    pub needs_outbound: bool,
    /// Average response size, KB (NAT and transfer cost).
    pub response_kb: f64,
    /// How the application holds its database connection.
    pub db_client: DbClient,
}

/// The application's database client: what delays it in following an in-region writer
/// failover (see `sim::components::db_client`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DbClient {
    /// How long the application caches the writer's resolved address (e.g. the JVM's
    /// `networkaddress.cache.ttl`); 0: looked up for every new connection.
    pub dns_cache: Millis,
    /// How long a connection attempt to a silent (failed-over) writer hangs before the
    /// pool gives it up; 0: it fails at once.
    pub connect_timeout: Millis,
}

/// What kind of site a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// An AWS region.
    Aws,
    /// An on-premises data centre (hybrid DR): recovered into the cloud from shipped backups.
    OnPremises,
}

/// The role a region plays before any disaster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Serves all traffic; failover target elsewhere.
    Primary,
    /// Takes over when the primary fails.
    Standby,
    /// Serves a share of traffic all the time (active/active).
    Active,
}

/// How much of a region's stack exists before a disaster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deployment {
    /// Load balancer and instances running (primary, warm standby, active/active).
    Running,
    /// Infrastructure in place but scaled to zero instances (pilot light).
    ScaledToZero,
    /// Nothing deployed: infrastructure as code must build it first (backup & restore).
    NotDeployed,
}

/// One site with its AZs, load balancer, instances and NAT.
#[derive(Clone, Debug)]
pub struct Region {
    /// Region name, e.g. `us-east-1`.
    pub name: String,
    /// AWS region or on-premises site.
    pub site: SiteKind,
    /// Role before a disaster.
    pub role: Role,
    /// Availability zone names, at least one.
    pub azs: Vec<String>,
    /// How much of the stack exists before a disaster.
    pub deployment: Deployment,
    /// Application load balancer and its target health checks.
    pub alb: Alb,
    /// Auto Scaling group of application instances.
    pub asg: Asg,
    /// NAT layout for outbound traffic.
    pub nat: NatLayout,
    /// Share of active/active traffic this region takes (normalised over regions).
    pub weight: f64,
}

/// ALB target group health checking.
#[derive(Clone, Debug, PartialEq)]
pub struct Alb {
    /// Target health check interval.
    pub interval: Millis,
    /// Consecutive successes to mark a target healthy.
    pub healthy_threshold: u32,
    /// Consecutive failures to mark a target unhealthy.
    pub unhealthy_threshold: u32,
    /// Whether the health check exercises dependencies (NAT, database), so that a
    /// target that cannot serve is taken out of rotation.
    pub deep_health_check: bool,
}

/// Auto Scaling group.
#[derive(Clone, Debug, PartialEq)]
pub struct Asg {
    /// EC2 instance type (priced by the catalog).
    pub instance_type: String,
    /// Root volume size per instance, GB.
    pub volume_gb: f64,
    /// Minimum size.
    pub min: u32,
    /// Desired capacity before a disaster.
    pub desired: u32,
    /// Maximum size.
    pub max: u32,
    /// Cold launch: API call to the OS running.
    pub launch_time: Dist,
    /// Application bootstrap after boot (packages, config, cache warm-up).
    pub bootstrap_time: Dist,
    /// Time held in the launch lifecycle hook (Pending:Wait).
    pub lifecycle_hook: Dist,
    /// Health check grace period: the ASG does not act on a failing health check of an
    /// instance until this long after it entered InService.
    pub health_check_grace: Millis,
    /// Which health checks make the group replace an instance.
    pub health_check_type: AsgHealthCheck,
    /// How the group scales out: decides whether `cooldown` applies.
    pub policy: ScalingPolicy,
    /// Wait after one scaling activity before the next, for simple scaling only.
    pub cooldown: Millis,
    /// From load above capacity to the scaling alarm firing.
    pub scale_out_delay: Dist,
    /// Pre-initialised instances, if any.
    pub warm_pool: Option<WarmPool>,
    /// The root volume a cold launch creates from the AMI's EBS snapshot.
    pub root_volume: RootVolume,
    /// `None`: the AMI is in this region. `Some`: it is not; the first cold launch here
    /// starts a copy from another region taking this long, and cold launches wait for it.
    pub ami_copy_time: Option<Dist>,
}

/// The root volume of a cold-launched instance, created from the AMI's EBS snapshot: its
/// blocks load from S3 on first read (docs/sources.md#ebs-initialize), so reading what the
/// instance needs before it serves adds to its bootstrap, unless fast snapshot restore
/// (FSR) is enabled on the snapshot in the region's AZs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RootVolume {
    /// GB read from the volume before the instance serves (0: not modelled).
    pub boot_read_gb: f64,
    /// First-read (lazy loading) throughput of a volume created from a snapshot, GB/hour.
    pub lazy_load_gb_per_hour: f64,
    /// FSR enabled on the AMI's snapshot in every AZ of the region: volumes are fully
    /// initialised at creation; billed per DSU-hour and AZ.
    pub fast_snapshot_restore: bool,
}

impl RootVolume {
    /// What lazy loading adds to a cold launch: the boot reads at the lazy-loading rate,
    /// nothing with FSR. Warm-pool instances read their volume while they were
    /// initialised, before the disaster.
    pub fn hydration_delay(&self) -> Millis {
        if self.fast_snapshot_restore || self.boot_read_gb <= 0.0 {
            return 0;
        }
        (self.boot_read_gb / self.lazy_load_gb_per_hour * units::HOUR as f64).round() as Millis
    }
}

/// The health checks an Auto Scaling group acts on ("About the health checks for your Auto
/// Scaling group", sources.md#asg-health-check-type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsgHealthCheck {
    /// EC2 status checks only (the default): an instance the load balancer finds
    /// unhealthy but that is running is kept.
    Ec2,
    /// Also the load balancer's health checks: an instance failing them is terminated
    /// and replaced once its grace period has passed.
    Elb,
}

/// The dynamic scaling policy of an Auto Scaling group (EC2 Auto Scaling, "Scaling
/// cooldowns for Amazon EC2 Auto Scaling": the cooldown applies to simple scaling only;
/// target tracking and step scaling scale out at once and use instance warm-up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalingPolicy {
    /// Target tracking (the default, AWS's recommendation): no cooldown.
    TargetTracking,
    /// Step scaling: no cooldown.
    Step,
    /// Simple scaling: waits `cooldown` after each scaling activity.
    Simple,
}

impl ScalingPolicy {
    /// The snake_case name used in model files.
    pub fn name(self) -> &'static str {
        match self {
            ScalingPolicy::TargetTracking => "target_tracking",
            ScalingPolicy::Step => "step",
            ScalingPolicy::Simple => "simple",
        }
    }

    /// Whether a scaling activity waits for the cooldown of the previous one.
    pub fn uses_cooldown(self) -> bool {
        match self {
            ScalingPolicy::Simple => true,
            ScalingPolicy::TargetTracking | ScalingPolicy::Step => false,
        }
    }
}

/// State of instances waiting in a warm pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarmState {
    /// Stopped: pays only EBS; must boot.
    Stopped,
    /// Running: pays the instance; joins fastest.
    Running,
    /// Hibernated: pays EBS including the RAM image; resumes memory.
    Hibernated,
}

impl WarmState {
    /// The name used in model files (`warm_pool_times.NAME`).
    pub fn name(self) -> &'static str {
        match self {
            WarmState::Stopped => "stopped",
            WarmState::Running => "running",
            WarmState::Hibernated => "hibernated",
        }
    }
}

/// Warm pool of an ASG.
#[derive(Clone, Debug, PartialEq)]
pub struct WarmPool {
    /// Instances kept warm.
    pub size: u32,
    /// Their state.
    pub state: WarmState,
    /// Time from leaving the pool to InService, for that state.
    pub time_to_in_service: Dist,
}

/// NAT gateways of a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NatLayout {
    /// One NAT gateway per AZ; each AZ's instances use their own.
    PerAz,
    /// One NAT gateway in the given AZ for all instances: a shared fate.
    Single(AzId),
    /// No NAT gateways.
    None,
}

/// Health checks that decide where traffic goes (Route 53 or Global Accelerator).
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    /// Check interval (Route 53: 10 s or 30 s).
    pub interval: Millis,
    /// Consecutive failures (and successes) to change status.
    pub failure_threshold: u32,
}

/// How clients cache DNS answers.
#[derive(Clone, Debug, PartialEq)]
pub struct DnsCaching {
    /// Record TTL.
    pub ttl: Millis,
    /// Share of clients that honour the TTL.
    pub honour_share: f64,
    /// How long the other clients keep a stale answer past its TTL.
    pub stale_hold: Dist,
}

/// Traffic routing between regions.
#[derive(Clone, Debug, PartialEq)]
pub struct Routing {
    /// Failover or active/active.
    pub mode: RoutingMode,
    /// Endpoint health checks.
    pub health_check: HealthCheck,
    /// DNS caching by clients; `None` with Global Accelerator (anycast, no caching).
    pub dns: Option<DnsCaching>,
    /// From the routing decision to the edge applying it.
    pub propagation: Dist,
    /// What moves traffic off a failed region: health checks (data plane) or record
    /// edits at the failover decision (control plane).
    pub failover_by: FailoverBy,
}

/// What moves traffic off a failed region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailoverBy {
    /// Route 53 failover records or accelerator endpoint health: the health check
    /// status flipping moves traffic (data plane).
    HealthCheck,
    /// People or automation edit DNS records (or weights) through the API after the
    /// failover decision (control plane): traffic moves only once the edit is made.
    RecordChange,
}

/// How traffic is spread across regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingMode {
    /// All traffic to the primary while healthy, else to the standby.
    Failover,
    /// Traffic spread over healthy regions by weight.
    ActiveActive,
}

/// In-region database deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    /// One instance; a host failure is repaired in place, an AZ loss needs a restore.
    Single,
    /// RDS Multi-AZ with a synchronous standby that fails over.
    MultiAz,
    /// Aurora cluster with a replica in another AZ (shared storage).
    Aurora,
    /// A DynamoDB table: serverless, replicated across AZs by the service (no writer
    /// instance to fail over); across regions only as a global table (`multi_writer`).
    /// Priced by requests and storage ([`DynamoTable`]), not by instance hours.
    Dynamodb,
}

impl DbKind {
    /// Whether a copy of this kind in another region can be a read replica or an Aurora
    /// Global secondary: a DynamoDB table replicates only as a global table, whose
    /// replicas all take writes (`multi_writer`).
    pub fn has_promotable_copies(self) -> bool {
        match self {
            DbKind::Single | DbKind::MultiAz | DbKind::Aurora => true,
            DbKind::Dynamodb => false,
        }
    }

    /// Whether the store runs on a provisioned instance class (priced per hour): not a
    /// DynamoDB table, priced by requests.
    pub fn has_instances(self) -> bool {
        match self {
            DbKind::Single | DbKind::MultiAz | DbKind::Aurora => true,
            DbKind::Dynamodb => false,
        }
    }
}

/// How a DynamoDB table pays for throughput (sources.md#price-dynamodb).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CapacityMode {
    /// Per request: write and read request units (and, for a global table, replicated
    /// write request units in every replica).
    #[default]
    OnDemand,
    /// Per hour of provisioned write and read capacity units, sized to the workload's
    /// rates (one unit per write, or strongly consistent read, per second).
    Provisioned,
}

/// The pricing settings of a DynamoDB table (`[database]` with `kind = "dynamodb"`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DynamoTable {
    /// On-demand or provisioned throughput.
    pub capacity: CapacityMode,
    /// Strongly consistent reads of up to 4 KB per second (each one read unit); 0: reads
    /// are not priced.
    pub reads_per_second: f64,
}

/// Copy of the database in another region.
#[derive(Clone, Debug, PartialEq)]
pub enum CrossRegion {
    /// No cross-region copy; only backups.
    None,
    /// Asynchronous read replica, promoted on failover.
    ReadReplica {
        /// Region of the replica.
        region: RegionId,
    },
    /// Aurora Global Database secondary cluster.
    AuroraGlobal {
        /// Region of the secondary.
        region: RegionId,
    },
    /// A copy that takes writes too (e.g. DynamoDB global tables): when the writer's
    /// region is lost the other keeps writing at once, losing only the replication lag.
    MultiWriter {
        /// Region of the other writer.
        region: RegionId,
    },
    /// An RDS instance kept current by AWS DMS from an on-premises database
    /// (`[hybrid.dms]`); on failover people stop the task and cut over to it.
    Dms {
        /// Region of the RDS target.
        region: RegionId,
    },
}

/// How an Aurora Global Database secondary takes over when the primary Region is lost.
/// (A switchover, which needs the primary healthy, is how drsim fails back.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GlobalFailover {
    /// Global database failover (`FailoverGlobalCluster` with `AllowDataLoss`): Aurora
    /// promotes the secondary and keeps the global topology; loses the replication lag.
    #[default]
    Managed,
    /// Detach the secondary (`RemoveFromGlobalCluster`) and promote it to a standalone
    /// cluster; the application is pointed at the new cluster's endpoint.
    DetachAndPromote,
}

/// The relational database.
#[derive(Clone, Debug, PartialEq)]
pub struct Database {
    /// In-region deployment.
    pub kind: DbKind,
    /// Instance class (priced by the catalog), e.g. `db.r6g.large`.
    pub instance_class: String,
    /// Region of the writer.
    pub region: RegionId,
    /// AZ of the writer.
    pub az: AzId,
    /// In-region failover time (Multi-AZ or Aurora replica).
    pub failover_time: Dist,
    /// Repair of a failed single instance in place (host replacement).
    pub repair_time: Dist,
    /// Cross-region copy.
    pub cross_region: CrossRegion,
    /// Asynchronous replication lag to the cross-region copy.
    pub replication_lag: Dist,
    /// Promotion of the cross-region copy to a writer.
    pub promotion_time: Dist,
    /// How an Aurora Global secondary takes over (unused with other copies).
    pub global_failover: GlobalFailover,
    /// Planned fail-back to the home region once the writer was promoted elsewhere and
    /// the home region is back (not counted in the RTO).
    pub failback_time: Dist,
    /// A DynamoDB table's pricing settings; `Some` exactly when `kind` is `Dynamodb`.
    pub dynamodb: Option<DynamoTable>,
}

/// Object storage replication.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectReplication {
    /// No replication.
    None,
    /// Cross-region replication; the lag distribution says how fresh the copy is.
    Crr {
        /// Replication lag of one object.
        lag: Dist,
        /// The longest one object's replication takes: lag draws beyond it are cut to it.
        max_lag: Millis,
        /// Replication Time Control (15-minute SLA, extra charge).
        rtc: bool,
    },
}

/// Object storage (S3).
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectStorage {
    /// Stored data, GB.
    pub size_gb: f64,
    /// Replication to the recovery region.
    pub replication: ObjectReplication,
    /// Region the replicas land in, when replicated.
    pub replica_region: Option<RegionId>,
    /// Objects written per second (a Poisson process). The replica lacks every object
    /// whose replication lag exceeds its age, so the loss window is the age of the oldest
    /// such object, which grows with this rate. Only used when replicated.
    pub objects_per_second: f64,
    /// Versioning and Object Lock: whether ransomware can destroy the objects.
    pub protection: ObjectProtection,
}

/// What keeps objects recoverable when ransomware overwrites or deletes them
/// (`versioning`, `[object_storage.object_lock]`; docs/sources.md#s3-versioning,
/// #s3-object-lock). drsim's ransomware holds credentials that delete whatever can be
/// deleted (as it deletes backups without Vault Lock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectProtection {
    /// `versioning` not declared: objects are left out of ransomware (models written
    /// before versioning was modelled keep their results).
    Unmodelled,
    /// `versioning = false`: an overwritten or deleted object is gone.
    Unversioned,
    /// `versioning = true`: overwritten and deleted objects stay as noncurrent versions.
    Versioned {
        /// How long noncurrent versions are kept (lifecycle expiration, at least the
        /// lock's retention): what the versions cost.
        noncurrent_kept: Millis,
        /// Object Lock on the versions, if any.
        lock: Option<ObjectLock>,
    },
}

/// S3 Object Lock default retention on every object version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectLock {
    /// Governance or compliance.
    pub mode: LockMode,
    /// How long each version is locked.
    pub retention: Millis,
}

/// S3 Object Lock retention mode (docs/sources.md#s3-object-lock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockMode {
    /// Users with `s3:BypassGovernanceRetention` may delete locked versions.
    Governance,
    /// Nobody, the root user included, deletes a locked version before its retention ends.
    Compliance,
}

impl LockMode {
    /// Whether locked versions survive an attacker holding administrator credentials:
    /// only compliance mode; governance mode yields to the bypass permission.
    pub fn withstands_administrators(self) -> bool {
        match self {
            LockMode::Compliance => true,
            LockMode::Governance => false,
        }
    }
}

impl ObjectProtection {
    /// Whether the objects as they were when ransomware struck can be brought back by
    /// people acting `acted_after` the attack: only versions under a compliance lock
    /// whose retention has not run out (the attacker deletes every version it can;
    /// drsim takes every current version to be under retention when struck).
    pub fn survives_ransomware(self, acted_after: Millis) -> bool {
        match self {
            ObjectProtection::Unmodelled => true,
            ObjectProtection::Unversioned => false,
            ObjectProtection::Versioned { lock, .. } => lock.is_some_and(|lock| {
                lock.mode.withstands_administrators() && acted_after < lock.retention
            }),
        }
    }

    /// How long overwritten or deleted data is kept as noncurrent versions (0: none).
    pub fn noncurrent_kept(self) -> Millis {
        match self {
            ObjectProtection::Unmodelled | ObjectProtection::Unversioned => 0,
            ObjectProtection::Versioned {
                noncurrent_kept, ..
            } => noncurrent_kept,
        }
    }
}

/// When backups start.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    /// Every so often.
    Every(Millis),
    /// At these times of day (milliseconds after midnight, sorted).
    DailyAt(Vec<Millis>),
}

/// What the backups are snapshots of. Its facts decide how a cross-region copy and a
/// restore scale with the data (docs/sources.md#rds-copy-snapshot,
/// #aurora-copy-snapshot, #ebs-copy-snapshot, #aurora-restore, #ebs-initialize).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BackupEngine {
    /// RDS DB instance snapshots (Single-AZ or Multi-AZ instance).
    Rds,
    /// Aurora DB cluster snapshots.
    Aurora,
    /// EBS volume snapshots (a database self-managed on EC2).
    Ebs,
    /// DynamoDB table backups (on-demand backups; with `point_in_time`, PITR).
    Dynamodb,
}

impl BackupEngine {
    /// The name used in model files.
    pub fn name(self) -> &'static str {
        match self {
            BackupEngine::Rds => "rds",
            BackupEngine::Aurora => "aurora",
            BackupEngine::Ebs => "ebs",
            BackupEngine::Dynamodb => "dynamodb",
        }
    }

    /// The engine of the database's snapshots, when a model does not say.
    pub fn of(db: DbKind) -> Self {
        match db {
            DbKind::Aurora => BackupEngine::Aurora,
            DbKind::Single | DbKind::MultiAz => BackupEngine::Rds,
            DbKind::Dynamodb => BackupEngine::Dynamodb,
        }
    }

    /// Whether a cross-region copy after the first carries only what changed since the
    /// previous copy. RDS and EBS: the first copy to a region is full, later ones are
    /// incremental; Aurora: "DB cluster snapshot copies are always full copies".
    /// DynamoDB: a copied backup is taken as a full copy (unsourced, the conservative
    /// reading: sources.md#dynamodb-restore).
    pub fn copies_incrementally(self) -> bool {
        match self {
            BackupEngine::Rds | BackupEngine::Ebs => true,
            BackupEngine::Aurora | BackupEngine::Dynamodb => false,
        }
    }

    /// Whether the restored data loads lazily: the volume is usable at once but slow
    /// until every block was read from S3 (RDS instances and EBS volumes). An Aurora
    /// cluster downloads its data before it becomes available: no slow phase after; nor
    /// a DynamoDB table, restored into a new table that is usable once the restore ends.
    pub fn loads_lazily(self) -> bool {
        match self {
            BackupEngine::Rds | BackupEngine::Ebs => true,
            BackupEngine::Aurora | BackupEngine::Dynamodb => false,
        }
    }

    /// Whether EBS fast snapshot restore can be enabled on its snapshots.
    pub fn has_fast_snapshot_restore(self) -> bool {
        match self {
            BackupEngine::Ebs => true,
            BackupEngine::Rds | BackupEngine::Aurora | BackupEngine::Dynamodb => false,
        }
    }
}

impl Schedule {
    /// The time between a backup and the one before it (a daily slot's gap to the
    /// previous slot; a whole day for one backup a day).
    pub fn gap_before(&self, slot: usize) -> Millis {
        match self {
            Schedule::Every(interval) => (*interval).max(1),
            Schedule::DailyAt(times) => {
                let before = (slot + times.len() - 1) % times.len();
                match (times[slot] + units::DAY - times[before]) % units::DAY {
                    0 => units::DAY,
                    gap => gap,
                }
            }
        }
    }

    /// Backups a day.
    pub fn per_day(&self) -> f64 {
        match self {
            Schedule::Every(interval) => units::DAY as f64 / (*interval).max(1) as f64,
            Schedule::DailyAt(times) => times.len() as f64,
        }
    }

    /// The shortest time between two backups.
    pub fn shortest_gap(&self) -> Millis {
        match self {
            Schedule::Every(interval) => (*interval).max(1),
            Schedule::DailyAt(times) => (0..times.len())
                .map(|slot| self.gap_before(slot))
                .min()
                .unwrap_or(units::DAY),
        }
    }
}

impl BackupCopy {
    /// The size-dependent part of one copy of a backup taken `gap` after the previous.
    pub fn transfer_time(&self, gap: Millis) -> f64 {
        self.gb_per_hour
            .map_or(0.0, |rate| self.transfer_time_at(gap, rate))
    }

    /// The same at throughput `rate`, GB per hour.
    pub fn transfer_time_at(&self, gap: Millis, rate: f64) -> f64 {
        let gb = match self.size {
            CopySize::Full(gb) => gb,
            CopySize::Changes(per_day) => per_day * gap as f64 / units::DAY as f64,
        };
        gb / rate * units::HOUR as f64
    }
}

/// Backups, their copies and restores.
#[derive(Clone, Debug, PartialEq)]
pub struct Backups {
    /// When backups are scheduled.
    pub schedule: Schedule,
    /// What the snapshots are of (decides copy size and restore behaviour).
    pub engine: BackupEngine,
    /// AWS Backup start window: a job starts at a uniformly random moment within this
    /// long after its scheduled time (0: at the scheduled time).
    pub start_window: Millis,
    /// Region the backups are taken in (where the data lives).
    pub region: RegionId,
    /// From the backup's point in time until it is complete.
    pub duration: Dist,
    /// Copy to another region (or shipment to the cloud for an on-premises site).
    pub copy: Option<BackupCopy>,
    /// How long recovery points are kept.
    pub retention: Millis,
    /// Vault Lock (WORM) and its mode: which attackers cannot delete recovery points.
    pub vault_lock: VaultLock,
    /// Continuous backup: transaction logs shipped this often allow point-in-time
    /// restore in the backup region.
    pub point_in_time: Option<Millis>,
    /// Restore throughput, GB per hour: the download before an Aurora cluster is
    /// available, or the lazy loading (hydration) of an RDS or EBS volume until it
    /// serves at full performance.
    pub restore_gb_per_hour: f64,
    /// Fixed part of a restore (provisioning, checks), on top of size / throughput.
    pub restore_fixed: Dist,
    /// EBS fast snapshot restore enabled on the snapshots: a restored volume is fully
    /// initialised at once (no hydration), billed per hour and AZ.
    pub fast_snapshot_restore: bool,
}

/// Copy of each backup to another region. Snapshot copies run one at a time, in the
/// order of their backups: a copy waits for the previous one to finish.
#[derive(Clone, Debug, PartialEq)]
pub struct BackupCopy {
    /// Destination region.
    pub region: RegionId,
    /// Fixed part of one copy, on top of its size over `gb_per_hour`.
    pub duration: Dist,
    /// RDS cross-Region automated backups: the transaction logs (shipped every
    /// `point_in_time`) are copied too, each arriving this long after it was shipped, so
    /// a restore there reaches a point in time. `None`: only snapshots are copied.
    pub log_lag: Option<Dist>,
    /// Copy throughput, GB per hour; `None`: the copy time does not grow with size.
    pub gb_per_hour: Option<f64>,
    /// What one copy carries.
    pub size: CopySize,
    /// Copies wait for the one before (snapshot copies between AWS regions); shipments
    /// from an on-premises site travel independently.
    pub one_at_a_time: bool,
    /// A slower path some copies take: a hybrid link's VPN when Direct Connect is down
    /// (`[hybrid]`). `None`: every copy runs at `gb_per_hour`.
    pub fallback: Option<CopyFallback>,
    /// The copies go to another AWS account (`copy_to_account = "separate"`), out of
    /// reach of an attacker holding the backups' account.
    pub other_account: bool,
}

/// The slower path of a copy over a hybrid link: with `probability` a copy finds Direct
/// Connect down and runs at the VPN's `gb_per_hour`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CopyFallback {
    /// Chance that one copy takes the slower path.
    pub probability: f64,
    /// Its throughput, GB per hour.
    pub gb_per_hour: f64,
}

/// What one cross-region copy carries.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CopySize {
    /// The whole data every time (Aurora), GB.
    Full(f64),
    /// The changes since the previous backup, at this many GB a day (RDS, EBS).
    Changes(f64),
}

/// People and automation.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    /// From a failure to an alarm paging someone (or triggering automation).
    pub detection: Dist,
    /// Human decision to fail over, after the alarm; skipped when automated.
    pub decision_time: Dist,
    /// Whether failover runs without a human decision.
    pub automated: bool,
    /// Infrastructure as code building a region's network from nothing (VPC, subnets,
    /// route tables, NAT gateways, DB subnet group): what a restore and a stack need.
    pub iac_network_time: Dist,
    /// Infrastructure as code deploying a region's application stack on its network
    /// (load balancer, launch template, Auto Scaling group).
    pub iac_redeploy_time: Dist,
    /// Replacing a failed NAT gateway and updating route tables.
    pub nat_replacement_time: Dist,
    /// Launches (cold, or from a stopped or hibernated warm pool) in a region that
    /// takes over during a region outage: insufficient capacity or throttling.
    pub launch_failure: StepFailure,
    /// Infrastructure as code (network or stack) failing and rolling back.
    pub iac_failure: StepFailure,
    /// A database promotion or restore failing.
    pub database_failure: StepFailure,
    /// The control plane (Route 53's record API, IAM/STS) impaired during a region outage.
    pub control_plane: Impairment,
    /// Correlated and grey events (`model/correlated.rs`): the recovery region impaired
    /// with a region outage, how a bad deploy is rolled back, and the error-rate alarm
    /// that notices a grey failure (`None`: the failure is noticed after `detection`).
    pub recovery_region: Impairment,
    /// How a bad deploy is rolled back.
    pub rollback: Rollback,
    /// The CloudWatch alarm on the error rate, if any.
    pub error_alarm: Option<ErrorAlarm>,
}

/// An impairment that comes with a region outage: with `probability` it starts with the
/// disaster and lasts a draw of `impaired_for`. `recovery.control_plane`: control-plane
/// actions (record edits, IaC, launches) wait until it ends; `recovery.recovery_region`:
/// launches needing EC2 capacity in the regions taking over are refused until then
/// (running instances and a Running warm pool need none: static stability).
#[derive(Clone, Debug, PartialEq)]
pub struct Impairment {
    /// Chance that a region outage brings the impairment, in [0, 1].
    pub probability: f64,
    /// How long it lasts, from the disaster's start.
    pub impaired_for: Dist,
}

impl Impairment {
    /// Never impaired (the default).
    pub const NEVER: Impairment = Impairment {
        probability: 0.0,
        impaired_for: Dist::Fixed(0.0),
    };
}

/// How a recovery step fails: each attempt independently with `probability`; a failed
/// attempt is retried `retry_after` later, until one succeeds or `max_attempts` have
/// failed (then people give up: the step never completes).
#[derive(Clone, Debug, PartialEq)]
pub struct StepFailure {
    /// Chance that one attempt fails, in [0, 1].
    pub probability: f64,
    /// From a failed attempt to the next (rollback, back-off, people looking).
    pub retry_after: Dist,
    /// Attempts before giving up; `None`: retry until the horizon.
    pub max_attempts: Option<u32>,
}

impl StepFailure {
    /// A step that never fails (the default).
    pub const NEVER: StepFailure = StepFailure {
        probability: 0.0,
        retry_after: Dist::Fixed(0.0),
        max_attempts: None,
    };

    /// Whether one attempt fails. Draws nothing when the step cannot fail, so models
    /// without failures keep their random streams.
    pub fn fails<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> bool {
        self.probability > 0.0 && dist::unit(rng) < self.probability
    }
}

/// Kinds of disaster. What a kind does is said in four places, each an exhaustive
/// match, so a new kind does not compile until every one decides (CONTRIBUTING.md):
/// its facts below, what it strikes (`model/validate.rs`), what happens in a trial
/// (`sim/trial/disaster.rs`) and what its failover costs (`analysis/cost/risk.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisasterKind {
    /// One application instance fails.
    InstanceFailure,
    /// One AZ is lost for the duration.
    AzOutage,
    /// One NAT gateway fails.
    NatGatewayFailure,
    /// The database writer fails.
    DbPrimaryFailure,
    /// A whole region (or site) is lost for the duration.
    RegionOutage,
    /// Bad writes start; replication copies them; detected after a delay.
    DataCorruption,
    /// Data encrypted and reachable backups deleted (unless vault-locked).
    Ransomware,
    /// Chaos-style latency injection: the struck region's requests exceed their timeout
    /// for the duration while its (lightweight) health checks stay green, so routing
    /// does not move until people drain the region.
    LatencyInjection,
    /// A bad deploy or configuration change pushed to every region: each serves errors
    /// until it is rolled back (failing over to another region does not help).
    BadDeploy,
    /// An attacker holds the whole account: the data and every stack and recovery point
    /// the account can delete are gone, unless copied to another account or locked in
    /// compliance mode.
    AccountCompromise,
}

impl DisasterKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [DisasterKind; 10] = [
        DisasterKind::InstanceFailure,
        DisasterKind::AzOutage,
        DisasterKind::NatGatewayFailure,
        DisasterKind::DbPrimaryFailure,
        DisasterKind::RegionOutage,
        DisasterKind::DataCorruption,
        DisasterKind::Ransomware,
        DisasterKind::LatencyInjection,
        DisasterKind::BadDeploy,
        DisasterKind::AccountCompromise,
    ];

    /// The name used in model files.
    pub fn name(self) -> &'static str {
        match self {
            DisasterKind::InstanceFailure => "instance_failure",
            DisasterKind::AzOutage => "az_outage",
            DisasterKind::NatGatewayFailure => "nat_gateway_failure",
            DisasterKind::DbPrimaryFailure => "db_primary_failure",
            DisasterKind::RegionOutage => "region_outage",
            DisasterKind::DataCorruption => "data_corruption",
            DisasterKind::Ransomware => "ransomware",
            DisasterKind::LatencyInjection => "latency_injection",
            DisasterKind::BadDeploy => "bad_deploy",
            DisasterKind::AccountCompromise => "account_compromise",
        }
    }

    /// The AWS Resilience Hub disruption type whose policy objectives it takes
    /// (docs/model-format.md, "Objectives from a Resilience Hub policy", says why).
    pub fn disruption(self) -> resilience_hub::Disruption {
        use resilience_hub::Disruption;
        match self {
            DisasterKind::InstanceFailure
            | DisasterKind::NatGatewayFailure
            | DisasterKind::DbPrimaryFailure => Disruption::Hardware,
            DisasterKind::AzOutage => Disruption::Az,
            DisasterKind::RegionOutage => Disruption::Region,
            DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::LatencyInjection
            | DisasterKind::BadDeploy
            | DisasterKind::AccountCompromise => Disruption::Software,
        }
    }

    /// Whether it strikes the data, so by default where the database writer is.
    pub fn strikes_data(self) -> bool {
        match self {
            DisasterKind::DbPrimaryFailure
            | DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::AccountCompromise => true,
            DisasterKind::InstanceFailure
            | DisasterKind::AzOutage
            | DisasterKind::NatGatewayFailure
            | DisasterKind::RegionOutage
            | DisasterKind::LatencyInjection
            | DisasterKind::BadDeploy => false,
        }
    }

    /// Whether it lasts a drawn `duration` and then ends by itself (an outage), so that a
    /// restore finishing after it is abandoned (a promotion under way still completes).
    pub fn ends_by_itself(self) -> bool {
        match self {
            DisasterKind::AzOutage
            | DisasterKind::RegionOutage
            | DisasterKind::NatGatewayFailure
            | DisasterKind::LatencyInjection => true,
            DisasterKind::InstanceFailure
            | DisasterKind::DbPrimaryFailure
            | DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::BadDeploy
            | DisasterKind::AccountCompromise => false,
        }
    }

    /// Whether launches elsewhere compete for capacity while it lasts: during a region
    /// outage every customer fails over to the other regions at once, so launches there
    /// may meet insufficient capacity or throttling (`recovery.launch_failure`).
    pub fn strains_launch_capacity(self) -> bool {
        match self {
            DisasterKind::RegionOutage => true,
            DisasterKind::InstanceFailure
            | DisasterKind::AzOutage
            | DisasterKind::NatGatewayFailure
            | DisasterKind::DbPrimaryFailure
            | DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::LatencyInjection
            | DisasterKind::BadDeploy
            | DisasterKind::AccountCompromise => false,
        }
    }

    /// Whether it may impair the control plane (`recovery.control_plane`): a region outage
    /// can take down a global service's control plane hosted in one region (Route 53's
    /// record API, IAM/STS) while data planes keep working.
    pub fn impairs_control_plane(self) -> bool {
        match self {
            DisasterKind::RegionOutage => true,
            DisasterKind::InstanceFailure
            | DisasterKind::AzOutage
            | DisasterKind::NatGatewayFailure
            | DisasterKind::DbPrimaryFailure
            | DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::LatencyInjection
            | DisasterKind::BadDeploy
            | DisasterKind::AccountCompromise => false,
        }
    }

    /// Whether bad data is written and found late: noticed after the disaster's own
    /// `detection_delay` rather than an infrastructure alarm.
    pub fn corrupts_data(self) -> bool {
        match self {
            DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::AccountCompromise => true,
            DisasterKind::InstanceFailure
            | DisasterKind::AzOutage
            | DisasterKind::NatGatewayFailure
            | DisasterKind::DbPrimaryFailure
            | DisasterKind::RegionOutage
            | DisasterKind::LatencyInjection
            | DisasterKind::BadDeploy => false,
        }
    }

    /// Whether it fails requests while health checks stay green (a grey failure), so
    /// that an error-rate alarm (`recovery.error_alarm`), if any, is what notices it.
    pub fn is_grey(self) -> bool {
        match self {
            DisasterKind::LatencyInjection | DisasterKind::BadDeploy => true,
            DisasterKind::InstanceFailure
            | DisasterKind::AzOutage
            | DisasterKind::NatGatewayFailure
            | DisasterKind::DbPrimaryFailure
            | DisasterKind::RegionOutage
            | DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::AccountCompromise => false,
        }
    }
}

/// One kind of disaster, how often it happens and where it strikes.
#[derive(Clone, Debug, PartialEq)]
pub struct Disaster {
    /// Name shown in reports (unique in the model).
    pub name: String,
    /// What happens.
    pub kind: DisasterKind,
    /// Expected occurrences per year.
    pub per_year: f64,
    /// How long the failure lasts if nothing is done (outages); unused otherwise.
    pub duration: Dist,
    /// Region struck.
    pub region: RegionId,
    /// AZ struck; `None` means a random AZ of the region.
    pub az: Option<AzId>,
    /// Delay until corruption or ransomware is noticed.
    pub detection_delay: Dist,
    /// Share of the struck region's requests that fail (a grey failure): `share` of a
    /// latency injection, 1 for every other kind.
    pub grey_share: f64,
    /// The region's health checks see the grey failure and fail (a deep check that
    /// exercises the failing path): routing moves by itself. Latency injection only.
    pub grey_fails_health_checks: bool,
    /// Its decision time per signal (defaults: `recovery.decision_time`).
    pub decision: DecisionTimes,
    /// Its objective: the default of `[objectives]`, overridden by
    /// `[objectives.disasters.KIND]`, then by `[objectives.disasters.NAME]`.
    pub objective: Objective,
}

impl Model {
    /// The range the model gives the input at `key` (a TOML path), if any.
    pub fn range(&self, key: &str) -> Option<&ranges::InputRange> {
        self.ranges.iter().find(|r| r.key == key)
    }

    /// The region serving before any disaster in failover mode.
    pub fn primary(&self) -> RegionId {
        self.regions
            .iter()
            .position(|r| r.role != Role::Standby)
            .unwrap_or(0)
    }

    /// The region failover sends traffic to: the first standby, else the first region
    /// other than the primary.
    pub fn standby(&self) -> Option<RegionId> {
        let primary = self.primary();
        self.regions
            .iter()
            .position(|r| r.role == Role::Standby)
            .or_else(|| (0..self.regions.len()).find(|&i| i != primary))
    }

    /// Each disaster's share of all disasters, by annual frequency (the sum is taken
    /// once: a per-disaster sum made `validate` quadratic in the number of disasters).
    pub fn disaster_weights(&self) -> Vec<f64> {
        let total: f64 = self.disasters.iter().map(|d| d.per_year).sum();
        self.disasters.iter().map(|d| d.per_year / total).collect()
    }
}
