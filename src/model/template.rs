//! `drsim init`: a commented starter model for one of the four DR strategies of the AWS
//! whitepaper, for the user's own primary and recovery regions. The text is a complete
//! model (only the timing defaults are included, from the binary), so it runs where it is
//! written and every value is there to edit.

use std::fmt::Write;

/// The four strategies of the AWS DR whitepaper, cheapest and slowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Backups copied to the recovery region, which IaC builds on failover.
    BackupRestore,
    /// Network, ALB and an empty ASG in the recovery region; a database read replica.
    PilotLight,
    /// A scaled-down working copy with a warm pool; Aurora Global Database.
    WarmStandby,
    /// Both regions serve behind Global Accelerator; a multi-Region writer database.
    ActiveActive,
}

impl Strategy {
    /// Every strategy, in the whitepaper's order.
    pub const ALL: [Strategy; 4] = [
        Strategy::BackupRestore,
        Strategy::PilotLight,
        Strategy::WarmStandby,
        Strategy::ActiveActive,
    ];

    /// The strategy's name, as the bundled scenario's file is named.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "backup-restore",
            Strategy::PilotLight => "pilot-light",
            Strategy::WarmStandby => "warm-standby",
            Strategy::ActiveActive => "active-active",
        }
    }

    fn shape(self) -> Shape {
        match self {
            Strategy::BackupRestore => Shape {
                summary: "Backup & restore: hourly vault-locked backups copied to the recovery \
                          region, which infrastructure as code builds on failover. AWS expects \
                          RTO/RPO in hours (sources.md#dr-whitepaper).",
                region_outage: ("24h", "24h"),
                recovery_region: "deployment = \"not_deployed\"     # no VPC, ALB or instances until IaC builds them\nasg = { min = 0, desired = 0, max = 12 }\n",
                routing: "kind = \"route53\"\nmode = \"failover\"\n",
                database: "kind = \"multi_az\"               # survives an AZ; a region loss needs a restore\ncross_region = \"none\"\n",
                objects: "crr",
                point_in_time: false,
                automated: false,
            },
            Strategy::PilotLight => Shape {
                summary: "Pilot light: the recovery region has its network, ALB and an empty Auto \
                          Scaling group; the data is live there as an RDS cross-region read \
                          replica. AWS expects RTO/RPO in tens of minutes (sources.md#dr-whitepaper).",
                region_outage: ("4h", "1h"),
                recovery_region: "deployment = \"scaled_to_zero\"   # infrastructure in place, zero instances\nasg = { min = 0, desired = 0, max = 12 }\n",
                routing: "kind = \"route53\"\nmode = \"failover\"\n",
                database: "kind = \"multi_az\"\ncross_region = \"read_replica\"   # promotion takes minutes (sources.md#rds-read-replica-promote)\n",
                objects: "crr",
                point_in_time: false,
                automated: false,
            },
            Strategy::WarmStandby => Shape {
                summary: "Warm standby: a scaled-down working copy runs in the recovery region with \
                          a warm pool, and Aurora Global Database keeps the data seconds behind. \
                          AWS expects RTO/RPO in minutes (sources.md#dr-whitepaper).",
                region_outage: ("30m", "5m"),
                recovery_region: "deployment = \"running\"\nasg = { min = 2, desired = 2, max = 12, warm_pool = { size = 4, state = \"running\" } }\n",
                routing: "kind = \"route53\"\nmode = \"failover\"\nhealth_check_interval = \"10s\"   # fast checks (sources.md#r53-health-checks)\n",
                database: "kind = \"aurora\"\ncross_region = \"aurora_global\"  # lag typically under 1s (sources.md#aurora-global-database)\n",
                objects: "crr_rtc",
                point_in_time: true,
                automated: true,
            },
            Strategy::ActiveActive => Shape {
                summary: "Multi-site active/active: both regions serve half the traffic behind \
                          Global Accelerator and either can scale to all of it; the database \
                          takes writes in both. AWS expects RTO/RPO near zero \
                          (sources.md#dr-whitepaper), at the highest cost.",
                region_outage: ("5m", "1m"),
                recovery_region: "deployment = \"running\"\nasg = { min = 6, desired = 6, max = 12 }   # either region alone scales to the full load\n",
                routing: "kind = \"global_accelerator\"     # anycast: no DNS TTL or stale clients\nmode = \"active_active\"\nhealth_check_interval = \"10s\"\n",
                database: "kind = \"aurora\"\ncross_region = \"multi_writer\"    # e.g. Aurora DSQL multi-Region: no promotion\nreplication_lag = \"0s\"          # synchronous commit across Regions\n",
                objects: "crr_rtc",
                point_in_time: true,
                automated: true,
            },
        }
    }
}

/// What sets one strategy's template apart.
struct Shape {
    summary: &'static str,
    /// The region-outage objective (RTO, RPO): the strategy's purpose.
    region_outage: (&'static str, &'static str),
    /// Keys of the recovery region's table.
    recovery_region: &'static str,
    /// The `[routing]` table's keys.
    routing: &'static str,
    /// The `[database]` table's keys before its region.
    database: &'static str,
    /// `object_storage.replication`.
    objects: &'static str,
    point_in_time: bool,
    automated: bool,
}

/// The starter model of `strategy` serving from `primary` with `recovery` as the other
/// region, named `name`.
pub fn starter_model(strategy: Strategy, name: &str, primary: &str, recovery: &str) -> String {
    let shape = strategy.shape();
    let active = strategy == Strategy::ActiveActive;
    let mut t = String::new();
    let w = &mut t;
    let _ = writeln!(w, "{}", comment_block(shape.summary));
    let _ = writeln!(
        w,
        "# Written by `drsim init --strategy {}`. Every value below is an assumption to \
         replace\n# with your own; docs/model-format.md describes each key.",
        strategy.name()
    );
    let _ = writeln!(w, "name = {name:?}");
    let _ = writeln!(
        w,
        "description = \"{} from {primary} to {recovery}\"",
        strategy.name()
    );
    let _ = writeln!(
        w,
        "# Sourced AWS timing defaults, carried by the drsim binary (sources.md cites each).\n\
         include = [\"builtin:aws-timings\"]\n"
    );
    let _ = write!(w, "{}", COMMON.replace("@PRIMARY@", primary));
    let _ = writeln!(
        w,
        "\n# This strategy's purpose as its region-outage objective (illustrative).\n\
         [objectives.disasters.region_outage]\nrto = \"{}\"\nrpo = \"{}\"\nconfidence = 0.95\n",
        shape.region_outage.0, shape.region_outage.1
    );
    let (primary_role, recovery_role) = if active {
        (
            "role = \"active\"\nweight = 0.5\n",
            "role = \"active\"\nweight = 0.5\n",
        )
    } else {
        ("role = \"primary\"\n", "role = \"standby\"\n")
    };
    let _ = writeln!(
        w,
        "[regions.{primary}]\n{primary_role}azs = [\"{primary}a\", \"{primary}b\"]\n\
         deployment = \"running\"\nasg = {{ min = 6, desired = 6, max = 12 }}   # 3 per AZ: one AZ alone is short, scales out\n"
    );
    let _ = writeln!(
        w,
        "[regions.{recovery}]\n{recovery_role}azs = [\"{recovery}a\", \"{recovery}b\"]\n{}",
        shape.recovery_region
    );
    let _ = writeln!(w, "[routing]\n{}", shape.routing);
    let _ = writeln!(
        w,
        "[database]\n{}instance_class = \"db.r6g.large\"\nregion = \"{primary}\"\naz = \"{primary}a\"{}\n",
        shape.database,
        if shape.database.contains("cross_region = \"none\"") {
            String::new()
        } else {
            format!("\nreplica_region = \"{recovery}\"")
        }
    );
    let _ = writeln!(
        w,
        "[object_storage]\nsize_gb = 500\nreplication = \"{}\"\nreplica_region = \"{recovery}\"\n",
        shape.objects
    );
    // Aurora snapshot copies are full copies, one at a time (sources.md#aurora-copy-snapshot):
    // hourly copies of the whole database would queue without end.
    let every = if shape.database.contains("aurora") {
        "\"24h\"                   # Aurora copies are full copies (sources.md#aurora-copy-snapshot)"
    } else {
        "\"1h\""
    };
    let _ = writeln!(
        w,
        "[backups]                       # needed for corruption and ransomware\nevery = {every}\n\
         region = \"{primary}\"\ncopy_to = \"{recovery}\"\nretention = \"35d\"\n\
         vault_lock = true               # ransomware cannot delete locked recovery points{}\n",
        if shape.point_in_time {
            "\npoint_in_time = \"5m\"            # continuous backup, 5-minute logs"
        } else {
            ""
        }
    );
    let _ = writeln!(
        w,
        "[recovery]\nautomated = {}{}\n",
        shape.automated,
        if shape.automated {
            "                # health checks trigger the failover runbook"
        } else {
            "               # a person decides to fail over"
        }
    );
    let _ = write!(w, "{}", disasters(primary));
    t
}

/// `text` as `#` comment lines of at most 90 characters.
fn comment_block(text: &str) -> String {
    let mut lines = vec![String::from("#")];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if line.len() + 1 + word.len() > 90 {
            lines.push(format!("# {word}"));
        } else {
            line.push(' ');
            line.push_str(word);
        }
    }
    lines.join("\n")
}

/// The application every strategy protects: the bundled web application's workload,
/// stack shape and money assumptions.
const COMMON: &str = r#"[simulation]
trials = 20000
seed = 1
horizon = "14d"            # a disaster not recovered within two weeks counts as never

[objectives]               # the default; [objectives.disasters.*] below refine it
rto = "15m"
rpo = "15m"
confidence = 0.99          # met by 99% of simulated disasters

[workload]
requests_per_second = 1000
writes_per_second = 100
data_size_gb = 200
change_gb_per_day = 5
instance_capacity_rps = 250   # 4 instances carry the nominal load
needs_outbound = true         # instances call third-party APIs through NAT
response_kb = 20

[region_defaults]             # the stack shape of both regions
nat = "per_az"
[region_defaults.alb]
deep_health_check = true      # the check exercises NAT and database, not just the process
[region_defaults.asg]
instance_type = "m5.large"
volume_gb = 20

[cost]
# Illustrative: what an hour of downtime and an hour of lost writes cost your business.
# They turn RTO and RPO into money (expected loss) and rank strategies by it.
downtime_usd_per_hour = 10000
data_loss_usd_per_hour = 25000
"#;

/// The bundled scenarios' disasters and per-kind objectives (the built-in
/// web-app-disasters file), striking `primary` instead of us-east-1.
fn disasters(primary: &str) -> String {
    let text = super::builtin::model_text(std::path::Path::new("builtin:web-app-disasters"))
        .expect("web-app-disasters is built in");
    text.replace("region = \"us-east-1\"", &format!("region = \"{primary}\""))
}
