//! A readable summary of a validated model (what `drsim validate FILE` prints), so an
//! architect can check that includes and defaults produced what they meant.
//!
//! The phrases that describe one setting ([`asg_size`], [`warm_pool`], [`routing_kind`],
//! [`routing_mode`], [`health_check`], [`cross_region_copy`], [`backup_copy`],
//! [`log_interval`], [`restore_speed`]) are public: the design review's assumptions
//! table (`present::review`) says the same things in the same words.

use std::fmt::Write;

use super::units::format_duration as d;
use super::*;

/// Summarises the model: sites, routing, data, backups, recovery and disasters.
pub fn summary(model: &Model) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_summary(&mut out, model);
    out
}

fn write_summary(out: &mut String, m: &Model) -> std::fmt::Result {
    writeln!(out, "{}: {}", m.name, m.description)?;
    writeln!(out, "  source: {}", m.source.display())?;
    let s = &m.simulation;
    write!(
        out,
        "  simulation: {} trials, seed {}, horizon {}, recovered at {}% of requests",
        s.trials,
        s.seed,
        d(s.horizon as f64),
        s.recovery_threshold * 100.0
    )?;
    if !s.rto_thresholds.is_empty() {
        let shares: Vec<String> = (s.rto_thresholds.iter())
            .map(|&t| units::percent_trimmed(t))
            .collect();
        write!(out, "; RTO also at {}", shares.join(", "))?;
    }
    writeln!(out)?;
    let o = &m.objectives;
    writeln!(
        out,
        "  objectives (default): {} of a disaster's occurrences",
        objective_text(&o.default_objective())
    )?;
    for range in &m.ranges {
        writeln!(out, "  range: {}", range.describe())?;
    }
    let w = &m.workload;
    writeln!(
        out,
        "  workload: {} req/s ({} per instance), {} writes/s, {} GB data (+{} GB/day){}",
        w.requests_per_second,
        w.instance_capacity_rps,
        w.writes_per_second,
        w.data_size_gb,
        w.change_gb_per_day,
        if w.needs_outbound {
            ", needs outbound via NAT"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "  database client: caches the writer's address {}, connect timeout {} (delay after an in-region failover: up to {})",
        d(w.db_client.dns_cache as f64),
        d(w.db_client.connect_timeout as f64),
        d((w.db_client.dns_cache + w.db_client.connect_timeout) as f64)
    )?;
    writeln!(out, "regions:")?;
    for region in &m.regions {
        write_region(out, region, m.routing.mode)?;
    }
    write_routing(out, &m.routing)?;
    write_data(out, m)?;
    write_recovery(out, &m.recovery)?;
    if let Some(hybrid) = &m.hybrid {
        write_hybrid(out, m, hybrid)?;
    }
    writeln!(out, "disasters:")?;
    for (disaster, weight) in m.disasters.iter().zip(m.disaster_weights()) {
        write_disaster(out, m, disaster, weight)?;
    }
    Ok(())
}

fn write_region(out: &mut String, r: &Region, mode: RoutingMode) -> std::fmt::Result {
    let role = match r.role {
        Role::Primary => "primary",
        Role::Standby => "standby",
        Role::Active => "active",
    };
    let deployment = match r.deployment {
        Deployment::Running => "running",
        Deployment::ScaledToZero => "scaled to zero (pilot light)",
        Deployment::NotDeployed => "not deployed (IaC rebuild)",
    };
    let site = match r.site {
        SiteKind::Aws => "",
        SiteKind::OnPremises => ", on premises",
    };
    let weight = if mode == RoutingMode::ActiveActive {
        format!(", weight {}", r.weight)
    } else {
        String::new()
    };
    writeln!(
        out,
        "  {}: {role}, {deployment}{site}{weight}; AZs {}",
        r.name,
        r.azs.join(", ")
    )?;
    let a = &r.alb;
    writeln!(
        out,
        "    ALB checks every {}, unhealthy after {}, healthy again after {} (a new target after 1){}",
        d(a.interval as f64),
        a.unhealthy_threshold,
        a.healthy_threshold,
        if a.deep_health_check { ", deep" } else { "" }
    )?;
    let g = &r.asg;
    writeln!(
        out,
        "    ASG {}; launch {} + bootstrap {}; {}",
        asg_size(g),
        g.launch_time.describe(),
        g.bootstrap_time.describe(),
        scaling_policy(g)
    )?;
    if let Some(pool) = &g.warm_pool {
        writeln!(out, "    warm pool: {}", warm_pool(pool))?;
    }
    let nat = match r.nat {
        NatLayout::PerAz => "one per AZ".to_string(),
        NatLayout::Single(az) => format!("single, in {}", r.azs[az]),
        NatLayout::None => "none".to_string(),
    };
    writeln!(out, "    NAT: {nat}")
}

/// "4 x m5.large (min 2, max 8)": an Auto Scaling group's size.
pub fn asg_size(g: &Asg) -> String {
    format!(
        "{} x {} (min {}, max {})",
        g.desired, g.instance_type, g.min, g.max
    )
}

/// "target_tracking scaling (no cooldown)" or "simple scaling, cooldown 5m": the scaling
/// policy and whether its cooldown applies.
pub fn scaling_policy(g: &Asg) -> String {
    if g.policy.uses_cooldown() {
        format!(
            "{} scaling, cooldown {}",
            g.policy.name(),
            d(g.cooldown as f64)
        )
    } else {
        format!("{} scaling (no cooldown)", g.policy.name())
    }
}

/// "4 Stopped, to InService lognormal(...)": a warm pool.
pub fn warm_pool(pool: &WarmPool) -> String {
    format!(
        "{} {:?}, to InService {}",
        pool.size,
        pool.state,
        pool.time_to_in_service.describe()
    )
}

/// "Route 53" or "Global Accelerator".
pub fn routing_kind(r: &Routing) -> &'static str {
    if r.dns.is_some() {
        "Route 53"
    } else {
        "Global Accelerator"
    }
}

/// "failover" or "active/active".
pub fn routing_mode(mode: RoutingMode) -> &'static str {
    match mode {
        RoutingMode::Failover => "failover",
        RoutingMode::ActiveActive => "active/active",
    }
}

/// "every 10s x 3": the routing health check's interval and failure threshold.
pub fn health_check(r: &Routing) -> String {
    format!(
        "every {} x {}",
        d(r.health_check.interval as f64),
        r.health_check.failure_threshold
    )
}

fn write_routing(out: &mut String, r: &Routing) -> std::fmt::Result {
    let dns = match &r.dns {
        Some(dns) => format!(
            "; TTL {}, {}% of clients honour it, others hold {}",
            d(dns.ttl as f64),
            dns.honour_share * 100.0,
            dns.stale_hold.describe()
        ),
        None => String::new(),
    };
    writeln!(
        out,
        "routing: {} {}, checks {}{dns}; propagation {}{}",
        routing_kind(r),
        routing_mode(r.mode),
        health_check(r),
        r.propagation.describe(),
        match r.failover_by {
            FailoverBy::HealthCheck => "",
            FailoverBy::RecordChange => "; failover by editing records (control plane)",
        }
    )
}

/// What holds the database's cross-region copy ("read replica", "Aurora Global
/// secondary", "second writer") and in which region; `None` without one.
pub fn cross_region_copy(c: &CrossRegion) -> Option<(&'static str, RegionId)> {
    match *c {
        CrossRegion::None => None,
        CrossRegion::ReadReplica { region } => Some(("read replica", region)),
        CrossRegion::AuroraGlobal { region } => Some(("Aurora Global secondary", region)),
        CrossRegion::MultiWriter { region } => Some(("second writer", region)),
        CrossRegion::Dms { region } => Some(("RDS target of AWS DMS", region)),
    }
}

/// How the cross-region copy takes over and how long the planned fail-back takes
/// ("managed failover X, fail-back Y"); `None` for no copy or one that needs no promotion.
pub fn promotion(db: &Database) -> Option<String> {
    let how = match (&db.cross_region, db.global_failover) {
        (CrossRegion::None | CrossRegion::MultiWriter { .. }, _) => return None,
        (CrossRegion::ReadReplica { .. }, _) => "promotion",
        (CrossRegion::Dms { .. }, _) => "DMS cutover",
        (CrossRegion::AuroraGlobal { .. }, GlobalFailover::Managed) => "managed failover",
        (CrossRegion::AuroraGlobal { .. }, GlobalFailover::DetachAndPromote) => {
            "detach and promote"
        }
    };
    Some(format!(
        "{how} {}, fail-back {}",
        db.promotion_time.describe(),
        db.failback_time.describe()
    ))
}

fn write_data(out: &mut String, m: &Model) -> std::fmt::Result {
    let name = |id: RegionId| m.regions[id].name.as_str();
    let db = &m.database;
    let kind = match db.kind {
        DbKind::Single => format!("single instance, repair {}", db.repair_time.describe()),
        DbKind::MultiAz => format!("Multi-AZ, failover {}", db.failover_time.describe()),
        DbKind::Aurora => format!("Aurora, failover {}", db.failover_time.describe()),
        DbKind::Dynamodb => format!("DynamoDB table, failover {}", db.failover_time.describe()),
    };
    writeln!(
        out,
        "database: {} in {}/{}, {kind}",
        db.instance_class,
        name(db.region),
        m.regions[db.region].azs[db.az]
    )?;
    if let Some((what, region)) = cross_region_copy(&db.cross_region) {
        write!(
            out,
            "  {what} in {}: lag {}",
            name(region),
            db.replication_lag.describe()
        )?;
        if let Some(promotion) = promotion(db) {
            write!(out, ", {promotion}")?;
        }
        writeln!(out)?;
    }
    let s3 = &m.object_storage;
    match (&s3.replication, s3.replica_region) {
        (ObjectReplication::Crr { lag, max_lag, rtc }, Some(region)) => writeln!(
            out,
            "object storage: {} GB, replicated to {}{}, lag {} (at most {})",
            s3.size_gb,
            name(region),
            if *rtc { " with RTC" } else { "" },
            lag.describe(),
            d(*max_lag as f64)
        )?,
        (ObjectReplication::Crr { .. }, None) | (ObjectReplication::None, _) => {
            writeln!(out, "object storage: {} GB, not replicated", s3.size_gb)?
        }
    }
    match &m.backups {
        Some(b) => write_backups(out, m, b),
        None => writeln!(out, "backups: none"),
    }
}

/// "every 1h" or "daily at 03:00, 15:00 UTC": when backups are taken.
pub fn schedule(schedule: &Schedule) -> String {
    match schedule {
        Schedule::Every(every) => format!("every {}", d(*every as f64)),
        Schedule::DailyAt(times) => {
            let times: Vec<String> = times
                .iter()
                .map(|t| {
                    format!(
                        "{:02}:{:02}",
                        t / units::HOUR,
                        t % units::HOUR / units::MINUTE
                    )
                })
                .collect();
            format!("daily at {} UTC", times.join(", "))
        }
    }
}

fn write_backups(out: &mut String, m: &Model, b: &Backups) -> std::fmt::Result {
    let schedule = schedule(&b.schedule);
    let window = match b.start_window {
        0 => String::new(),
        w => format!(", starting within {}", d(w as f64)),
    };
    writeln!(
        out,
        "backups: {} {schedule}{window} in {}, taking {}, kept {}{}",
        b.engine.name(),
        m.regions[b.region].name,
        b.duration.describe(),
        d(b.retention as f64),
        match b.vault_lock {
            VaultLock::Off => "",
            VaultLock::Governance => ", vault-locked",
            VaultLock::Compliance => ", vault-locked (compliance mode)",
        }
    )?;
    if let Some(copy) = &b.copy {
        writeln!(out, "  copied {}", backup_copy(m, copy))?;
    }
    if let Some(pitr) = b.point_in_time {
        writeln!(out, "  point-in-time restore, {}", log_interval(pitr))?;
    }
    writeln!(out, "  restore: {}", restore_speed(b))
}

/// "to us-west-2 in lognormal(...) + changes at 100 GB/h, one at a time": where backups
/// are copied and how long it takes (and the logs' lag, when they are copied too:
/// point-in-time restore there).
pub fn backup_copy(m: &Model, copy: &BackupCopy) -> String {
    let size = match (copy.gb_per_hour, copy.size) {
        (None, _) => String::new(),
        (Some(rate), CopySize::Full(gb)) => format!(" + full {gb} GB at {rate} GB/h"),
        (Some(rate), CopySize::Changes(_)) => format!(" + changes at {rate} GB/h"),
    };
    let logs = match &copy.log_lag {
        Some(lag) => format!(", logs in {} (point-in-time restore there)", lag.describe()),
        None => String::new(),
    };
    format!(
        "to {} in {}{size}, one at a time{logs}",
        m.regions[copy.region].name,
        copy.duration.describe()
    )
}

/// "logs every 5m": how often point-in-time recovery ships logs.
pub fn log_interval(every: Millis) -> String {
    format!("logs every {}", d(every as f64))
}

/// "30m + size at 100 GB/h": how long a restore takes.
pub fn restore_speed(b: &Backups) -> String {
    if b.fast_snapshot_restore {
        return format!(
            "{} (fast snapshot restore: full performance at once)",
            b.restore_fixed.describe()
        );
    }
    let what = if b.engine.loads_lazily() {
        "hydrated"
    } else {
        "downloaded"
    };
    format!(
        "{} + size {what} at {} GB/h",
        b.restore_fixed.describe(),
        b.restore_gb_per_hour
    )
}

fn write_recovery(out: &mut String, r: &Recovery) -> std::fmt::Result {
    let decision = if r.automated {
        "automated failover".to_string()
    } else {
        format!("human decision {}", r.decision_time.describe())
    };
    writeln!(
        out,
        "recovery: detection {}, {decision}; IaC network {}, then stack {}; NAT replacement {}",
        r.detection.describe(),
        r.iac_network_time.describe(),
        r.iac_redeploy_time.describe(),
        r.nat_replacement_time.describe()
    )?;
    for (what, f) in [
        ("launches during a region outage", &r.launch_failure),
        ("infrastructure as code", &r.iac_failure),
        ("database promotion or restore", &r.database_failure),
    ] {
        if f.probability > 0.0 {
            let give_up = f
                .max_attempts
                .map_or(String::new(), |n| format!(", given up after {n} attempts"));
            writeln!(
                out,
                "  fails: {what} {:.1}% of attempts, retried after {}{give_up}",
                f.probability * 100.0,
                f.retry_after.describe()
            )?;
        }
    }
    let cp = &r.control_plane;
    if cp.probability > 0.0 {
        writeln!(
            out,
            "  control plane impaired in {:.1}% of region outages for {} (record edits wait)",
            cp.probability * 100.0,
            cp.impaired_for.describe()
        )?;
    }
    write_correlated(out, r)
}

/// Correlated and grey events, only when on (models without them read as before).
fn write_correlated(out: &mut String, r: &Recovery) -> std::fmt::Result {
    let rr = &r.recovery_region;
    if rr.probability > 0.0 {
        writeln!(
            out,
            "  recovery region impaired in {:.1}% of region outages for {} (launches needing capacity refused)",
            rr.probability * 100.0,
            rr.impaired_for.describe()
        )?;
    }
    if r.rollback.blue_green {
        writeln!(
            out,
            "  bad deploys rolled back by a blue/green traffic shift in {}",
            r.rollback.shift_time.describe()
        )?;
    }
    if let Some(a) = &r.error_alarm {
        writeln!(
            out,
            "  error-rate alarm: {} of {} periods of {} at {} failing; else customers report after {}",
            a.datapoints_to_alarm,
            a.evaluation_periods,
            d(a.period as f64),
            units::percent_1dp(a.threshold),
            a.customer_report.describe()
        )?;
    }
    Ok(())
}

/// The `[hybrid]` channels: the link, the backups' path, DMS and DRS.
fn write_hybrid(out: &mut String, m: &Model, h: &super::hybrid::Hybrid) -> std::fmt::Result {
    use super::hybrid::{BackupPath, LinkKind};
    let link = &h.link;
    let vpn = format!("VPN {} Gbit/s", link.gbps(true));
    let dx = format!("Direct Connect {} Gbit/s", link.dx_port_gbps);
    let how = match link.kind {
        LinkKind::Vpn => vpn,
        LinkKind::DirectConnect => dx,
        LinkKind::DirectConnectVpnBackup => format!(
            "{dx}, {vpn} when DX is down ({}% of transfers)",
            link.dx_down_probability * 100.0
        ),
    };
    let backups = match h.backups_over {
        BackupPath::Shipment => "backups shipped",
        BackupPath::Link => "backups over the link",
        BackupPath::StorageGateway => {
            "backups through a Storage Gateway (restores on site over the link)"
        }
    };
    let (site, region) = (&m.regions[h.site].name, &m.regions[h.region].name);
    writeln!(out, "hybrid: {site} to {region} over {how}; {backups}")?;
    let data = m.workload.data_size_gb;
    let seed = |dx_down| d(super::hybrid::transfer_millis(data, link.gbps(dx_down)));
    write!(
        out,
        "  initial copy of the {data} GB of data: {}",
        seed(false)
    )?;
    if link.may_fail() {
        write!(out, " ({} over the VPN)", seed(true))?;
    }
    writeln!(out)?;
    if let Some(dms) = &h.dms {
        write!(out, "  AWS DMS on {}", dms.instance_class)?;
        if dms.stall_probability > 0.0 {
            write!(
                out,
                ": stalled in {}% of site losses, then behind {}",
                dms.stall_probability * 100.0,
                dms.stall_behind.describe()
            )?;
        }
        writeln!(out)?;
    }
    if let Some(drs) = &h.drs {
        writeln!(
            out,
            "  Elastic Disaster Recovery: {} servers, recovery instances convert {} then boot {}",
            drs.servers,
            drs.conversion_time.describe(),
            drs.boot_time.describe()
        )?;
    }
    Ok(())
}

fn write_disaster(out: &mut String, m: &Model, x: &Disaster, weight: f64) -> std::fmt::Result {
    let region = &m.regions[x.region];
    let target = match x.az {
        Some(az) => format!("{}/{}", region.name, region.azs[az]),
        None => region.name.clone(),
    };
    write!(
        out,
        "  {}: {} in {target}, {}/year ({} of disasters; trials are split evenly)",
        x.name,
        x.kind.name(),
        x.per_year,
        units::percent_1dp(weight)
    )?;
    if x.kind.ends_by_itself() {
        write!(out, ", lasting {}", x.duration.describe())?;
    }
    if x.kind.corrupts_data() {
        write!(out, ", noticed after {}", x.detection_delay.describe())?;
    }
    if x.grey_share < 1.0 {
        write!(
            out,
            ", failing {} of requests",
            units::percent_1dp(x.grey_share)
        )?;
    }
    if x.grey_fails_health_checks {
        write!(out, ", seen by the health checks")?;
    }
    writeln!(out, "; objective {}", objective_text(&x.objective))
}

/// "RTO 15m from detection, RPO 5m, for 99%".
fn objective_text(o: &Objective) -> String {
    format!(
        "RTO {}{}, RPO {}, for {}%",
        d(o.rto as f64),
        o.clock.after_rto(),
        d(o.rpo as f64),
        o.confidence * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn summarises_the_warm_standby_scenario() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/warm-standby.toml");
        let model = load::load_model(&path).unwrap();
        let text = summary(&model);
        for expected in [
            "us-east-1: primary, running",
            "us-west-2: standby, running",
            "warm pool: 4 Running, to InService lognormal(median 10s, p95 30s)",
            "routing: Route 53 failover, checks every 10s x 3",
            "Aurora Global secondary in us-west-2",
            "replicated to us-west-2 with RTC",
            "backups: aurora every 1d, starting within 1h in us-east-1",
            "copied to us-west-2 in lognormal(median 20m, p95 1h) + full 200 GB at 100 GB/h, one at a time",
            "region-outage: region_outage in us-east-1, 0.05/year",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
        }
    }
}
