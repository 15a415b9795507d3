//! The second stage of loading: raw serde tree -> validated [`Model`].
//!
//! Every check returns a [`Problem`] with the TOML path of the field at fault; the loader
//! turns that path into a file, line and column.

use std::path::Path;

use super::locate::{Seg, TomlPath, keys};
use super::raw::*;
use super::units::Millis;
use super::*;

/// A validation failure at a TOML path (of the merged model).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Path of the field at fault.
    pub path: TomlPath,
    /// What is wrong and what would be valid.
    pub message: String,
}

type Check<T> = Result<T, Problem>;

fn problem<T>(path: TomlPath, message: impl Into<String>) -> Check<T> {
    Err(Problem {
        path,
        message: message.into(),
    })
}

/// `base` extended with more keys.
fn at(base: &[Seg], more: &[&str]) -> TomlPath {
    let mut path = base.to_vec();
    path.extend(more.iter().map(|k| Seg::Key((*k).to_string())));
    path
}

/// Builds the validated model; `source` is the top file (its stem names the model).
/// Sections are checked in the order a model file usually lists them, so the first
/// error reported is the first one an architect reading the file would meet.
pub fn build(raw: RawModel, source: &Path) -> Check<Model> {
    let simulation = simulation(raw.simulation)?;
    let (objectives, overrides) = objectives(raw.objectives, source)?;
    let workload = workload(raw.workload)?;
    let mut regions = regions(raw.regions, raw.routing.mode)?;
    let routing = routing(raw.routing)?;
    let names = Names { regions: &regions };
    let mut database = database(raw.database, &names)?;
    let object_storage = object_storage(raw.object_storage, &names)?;
    let mut backups = (raw.backups)
        .map(|b| backups(b, &names, &workload, database.kind))
        .transpose()?;
    let recovery = recovery(raw.recovery)?;
    let mut disasters = disasters(raw.disasters, &regions, &database, &names)?;
    resolve_objectives(&objectives, overrides, &mut disasters)?;
    let hybrid = (raw.hybrid)
        .map(|h| hybrid(h, &mut regions, &mut database, backups.as_mut()))
        .transpose()?;
    let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
    let cost = super::cost::validate(raw.cost, source, &names)
        .or_else(|(path, message)| problem(path, message))?;
    let name = raw.name.unwrap_or_else(|| {
        source
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    });
    Ok(Model {
        name,
        description: raw.description.unwrap_or_default(),
        source: source.to_path_buf(),
        simulation,
        objectives,
        workload,
        regions,
        routing,
        database,
        object_storage,
        backups,
        recovery,
        cost,
        disasters,
        ranges: Vec::new(),
        hybrid,
    })
}

// ---- numbers and durations ----

/// Smallest `recovery_threshold`: below it any trickle of success counts as recovered.
pub const MIN_RECOVERY_THRESHOLD: f64 = 0.01;
/// Largest size in GB (10 PB) of data, volumes and objects, so that transfer times and
/// bills stay finite.
pub const MAX_GB: f64 = 1e7;
/// Largest `per_year` of a disaster: a million a year (about one every 30 s).
pub const MAX_PER_YEAR: f64 = 1e6;
/// Largest instance count of an Auto Scaling group (`min`, `desired`, `max`, warm pool).
pub const MAX_INSTANCES: u32 = 10_000;
/// Shortest interval between scheduled backups.
pub const MIN_BACKUP_INTERVAL: Millis = units::MINUTE;

/// A number as a person would write it: `1e308` rather than 309 digits.
fn show(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && !(1e-4..1e9).contains(&size) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

fn ms(duration: Duration) -> Millis {
    duration.0.round() as Millis
}

/// A duration that must be at least 1ms once rounded to simulated (whole) milliseconds.
fn positive(duration: Duration, path: TomlPath) -> Check<Millis> {
    if ms(duration) >= 1 {
        Ok(ms(duration))
    } else {
        problem(
            path,
            "must be longer than zero (at least \"1ms\": simulated time is in whole milliseconds)",
        )
    }
}

/// A random duration that must not be always zero: a fixed value, or the largest value
/// the family can take (its max, mean or p95), must round to at least 1ms.
fn positive_dist(dist: Dist, path: TomlPath) -> Check<Dist> {
    let top = match dist {
        Dist::Fixed(v) => v,
        Dist::Uniform { max, .. } | Dist::Triangular { max, .. } => max,
        Dist::Exponential { mean } | Dist::Normal { mean, .. } => mean,
        Dist::LogNormal { p95, .. } => p95,
    };
    if top.round() >= 1.0 {
        Ok(dist)
    } else {
        problem(
            path,
            "must be longer than zero (at least \"1ms\": simulated time is in whole milliseconds)",
        )
    }
}

/// A size in GB: zero or more, at most [`MAX_GB`].
fn gb(value: f64, path: TomlPath) -> Check<f64> {
    number(
        value,
        0.0,
        MAX_GB,
        path,
        "between 0 and 10000000 GB (10 PB)",
    )
}

/// An instance count, at most [`MAX_INSTANCES`].
fn instances(value: u32, path: TomlPath) -> Check<u32> {
    if value <= MAX_INSTANCES {
        Ok(value)
    } else {
        problem(
            path,
            format!("{value} instances is out of range: at most {MAX_INSTANCES} per group"),
        )
    }
}

/// A finite number in `[lo, hi]`; `what` says the allowed range in words.
fn number(value: f64, lo: f64, hi: f64, path: TomlPath, what: &str) -> Check<f64> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(value)
    } else {
        problem(
            path,
            format!("{} is out of range: must be {what}", show(value)),
        )
    }
}

fn non_negative(value: f64, path: TomlPath) -> Check<f64> {
    number(value, 0.0, f64::MAX, path, "zero or more")
}

fn above_zero(value: f64, path: TomlPath) -> Check<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        problem(
            path,
            format!("{} is out of range: must be above zero", show(value)),
        )
    }
}

/// Parameters each family takes, in the order they are listed in messages.
fn family_params(family: DistFamily) -> (&'static str, &'static [&'static str]) {
    match family {
        DistFamily::Fixed => ("fixed", &["value"]),
        DistFamily::Uniform => ("uniform", &["min", "max"]),
        DistFamily::Triangular => ("triangular", &["min", "mode", "max"]),
        DistFamily::Exponential => ("exponential", &["mean"]),
        DistFamily::Normal => ("normal", &["mean", "sd"]),
        DistFamily::Lognormal => ("lognormal", &["median", "p95"]),
    }
}

/// Converts a random duration, checking that the parameters fit the family.
pub fn dist(raw: &RawDist, path: &[Seg]) -> Check<Dist> {
    let table = match raw {
        RawDist::Fixed(d) => return Ok(Dist::Fixed(d.0)),
        RawDist::Table(table) => table,
    };
    let given = [
        ("value", table.value),
        ("min", table.min),
        ("mode", table.mode),
        ("max", table.max),
        ("mean", table.mean),
        ("sd", table.sd),
        ("median", table.median),
        ("p95", table.p95),
    ];
    let (name, params) = family_params(table.dist);
    for (param, value) in given {
        if value.is_some() && !params.contains(&param) {
            return problem(
                at(path, &[param]),
                format!(
                    "`{param}` is not a parameter of {name}; it takes {}",
                    params.join(", ")
                ),
            );
        }
    }
    let get = |param: &str| -> Check<f64> {
        match given
            .iter()
            .find(|(p, _)| *p == param)
            .and_then(|(_, v)| *v)
        {
            Some(d) => Ok(d.0),
            None => problem(
                path.to_vec(),
                format!("{name} needs `{param}` (it takes {})", params.join(", ")),
            ),
        }
    };
    let result = match table.dist {
        DistFamily::Fixed => Dist::Fixed(get("value")?),
        DistFamily::Uniform => Dist::Uniform {
            min: get("min")?,
            max: get("max")?,
        },
        DistFamily::Triangular => Dist::Triangular {
            min: get("min")?,
            mode: get("mode")?,
            max: get("max")?,
        },
        DistFamily::Exponential => Dist::Exponential { mean: get("mean")? },
        DistFamily::Normal => Dist::Normal {
            mean: get("mean")?,
            sd: get("sd")?,
        },
        DistFamily::Lognormal => Dist::LogNormal {
            median: get("median")?,
            p95: get("p95")?,
        },
    };
    if let Err(message) = result.check() {
        return problem(path.to_vec(), message);
    }
    if let Dist::Normal { mean, sd } = result {
        // The sampler clamps at zero; more than a sliver of mass there distorts the model.
        if mean < 3.0 * sd {
            return problem(
                path.to_vec(),
                "a normal whose mean is within 3 sd of zero would often draw negative \
                 durations; use a lognormal (median, p95) instead",
            );
        }
    }
    Ok(result)
}

fn dist_at(raw: &RawDist, path: &[&str]) -> Check<Dist> {
    dist(raw, &keys(path))
}

// ---- sections ----

fn simulation(raw: RawSimulation) -> Check<Simulation> {
    if raw.trials == 0 {
        return problem(keys(&["simulation", "trials"]), "must be at least 1");
    }
    let threshold = match raw.recovery_threshold {
        Some(t) if !(MIN_RECOVERY_THRESHOLD..=1.0).contains(&t) => {
            return problem(
                keys(&["simulation", "recovery_threshold"]),
                format!(
                    "{} is out of range: must be between 0.01 and 1 (e.g. 0.99)",
                    show(t)
                ),
            );
        }
        Some(t) => t,
        None => 0.99,
    };
    Ok(Simulation {
        trials: raw.trials,
        seed: raw.seed,
        horizon: positive(raw.horizon, keys(&["simulation", "horizon"]))?,
        recovery_threshold: threshold,
        rto_thresholds: rto_thresholds(raw.rto_thresholds.unwrap_or_default())?,
    })
}

/// `rto_thresholds`: at most [`MAX_RTO_THRESHOLDS`] shares, each in the range of
/// `recovery_threshold`, strictly ascending (so that the reports' columns read in order).
fn rto_thresholds(shares: Vec<f64>) -> Check<Vec<f64>> {
    let path = keys(&["simulation", "rto_thresholds"]);
    if shares.len() > MAX_RTO_THRESHOLDS {
        return problem(
            path,
            format!(
                "{} shares; at most {MAX_RTO_THRESHOLDS} (e.g. [0.5, 0.9, 0.99])",
                shares.len()
            ),
        );
    }
    for (i, &share) in shares.iter().enumerate() {
        if !(MIN_RECOVERY_THRESHOLD..=1.0).contains(&share) {
            return problem(
                path,
                format!(
                    "{} is out of range: each share must be between 0.01 and 1 (e.g. 0.9)",
                    show(share)
                ),
            );
        }
        if i > 0 && share <= shares[i - 1] {
            return problem(
                path,
                format!(
                    "{} follows {}: list the shares in ascending order, each once",
                    show(share),
                    show(shares[i - 1])
                ),
            );
        }
    }
    Ok(shares)
}

/// One `[objectives.disasters.KEY]` override, its confidence checked, or one kind's
/// objectives from a Resilience Hub policy (`by_kind`: never a disaster's name).
struct ObjectiveOverride {
    key: String,
    by_kind: bool,
    rto: Option<Millis>,
    rpo: Option<Millis>,
    confidence: Option<f64>,
    clock: Option<Clock>,
}

fn confidence(confidence: f64, path: TomlPath) -> Check<f64> {
    if !(confidence > 0.0 && confidence <= 1.0) {
        return problem(
            path,
            format!("{confidence} is out of range: must be above 0 and at most 1 (e.g. 0.99)"),
        );
    }
    Ok(confidence)
}

fn objectives(raw: RawObjectives, source: &Path) -> Check<(Objectives, Vec<ObjectiveOverride>)> {
    let default = Objectives {
        rto: ms(raw.rto),
        rpo: ms(raw.rpo),
        confidence: confidence(raw.confidence, keys(&["objectives", "confidence"]))?,
        clock: raw.clock.unwrap_or_default(),
    };
    // The policy's objectives come first, so the model's own overrides win over them.
    let mut overrides = match &raw.resilience_hub_policy {
        Some(file) => policy_overrides(&source.parent().unwrap_or(Path::new(".")).join(file))?,
        None => Vec::new(),
    };
    for (key, o) in raw.disasters.0 {
        let path = keys(&["objectives", "disasters", &key, "confidence"]);
        overrides.push(ObjectiveOverride {
            by_kind: false,
            rto: o.rto.map(ms),
            rpo: o.rpo.map(ms),
            confidence: o.confidence.map(|c| confidence(c, path)).transpose()?,
            clock: o.clock,
            key,
        });
    }
    Ok((default, overrides))
}

/// The objectives of a Resilience Hub policy file, as overrides of the kinds each
/// disruption type stands for (the confidence stays the model's).
fn policy_overrides(file: &Path) -> Check<Vec<ObjectiveOverride>> {
    let policy = super::resilience_hub::read_policy(file)
        .or_else(|message| problem(keys(&["objectives", "resilience_hub_policy"]), message))?;
    let kinds = DisasterKind::ALL.into_iter();
    Ok(kinds
        .filter_map(|kind| {
            let p = policy.get(&kind.disruption())?;
            Some(ObjectiveOverride {
                key: kind.name().to_string(),
                by_kind: true,
                rto: Some(p.rto),
                rpo: Some(p.rpo),
                confidence: None,
                clock: None,
            })
        })
        .collect())
}

/// Gives each disaster its objective: the default, then the override of its kind, then
/// the override of its name, field by field. A key that is a disaster's name is a name
/// (even if it is also a kind's); any other key must be a kind.
fn resolve_objectives(
    default: &Objectives,
    overrides: Vec<ObjectiveOverride>,
    disasters: &mut [Disaster],
) -> Check<()> {
    let is_name = |key: &str| disasters.iter().any(|d| d.name == key);
    for o in &overrides {
        if !o.by_kind && !is_name(&o.key) && !DisasterKind::ALL.iter().any(|k| k.name() == o.key) {
            let names: Vec<&str> = disasters.iter().map(|d| d.name.as_str()).collect();
            let kinds = DisasterKind::ALL.map(DisasterKind::name);
            let mut message = format!("`{}` is neither a disaster nor a disaster kind", o.key);
            if let Some(close) = super::locate::closest(&o.key, names.iter().copied().chain(kinds))
            {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            message.push_str(&format!(
                " (disasters: {}; kinds: {})",
                names.join(", "),
                kinds.join(", ")
            ));
            return problem(keys(&["objectives", "disasters", &o.key]), message);
        }
    }
    let (names, kinds): (Vec<&ObjectiveOverride>, Vec<&ObjectiveOverride>) = overrides
        .iter()
        .partition(|o| !o.by_kind && is_name(&o.key));
    for d in disasters.iter_mut() {
        let mut objective = default.default_objective();
        let by_kind = kinds.iter().filter(|o| o.key == d.kind.name());
        let by_name = names.iter().filter(|o| o.key == d.name);
        for o in by_kind.chain(by_name) {
            objective.rto = o.rto.unwrap_or(objective.rto);
            objective.rpo = o.rpo.unwrap_or(objective.rpo);
            objective.confidence = o.confidence.unwrap_or(objective.confidence);
            objective.clock = o.clock.unwrap_or(objective.clock);
        }
        d.objective = objective;
    }
    Ok(())
}

fn workload(raw: RawWorkload) -> Check<Workload> {
    let p = |field: &str| keys(&["workload", field]);
    Ok(Workload {
        requests_per_second: above_zero(raw.requests_per_second, p("requests_per_second"))?,
        writes_per_second: non_negative(raw.writes_per_second, p("writes_per_second"))?,
        data_size_gb: gb(raw.data_size_gb, p("data_size_gb"))?,
        change_gb_per_day: gb(raw.change_gb_per_day, p("change_gb_per_day"))?,
        instance_capacity_rps: above_zero(raw.instance_capacity_rps, p("instance_capacity_rps"))?,
        needs_outbound: raw.needs_outbound,
        response_kb: non_negative(raw.response_kb, p("response_kb"))?,
        db_client: raw.db_client.map_or(DbClient::default(), |c| DbClient {
            dns_cache: c.dns_cache.map_or(0, ms),
            connect_timeout: c.connect_timeout.map_or(0, ms),
        }),
    })
}

/// Looks up declared regions and their AZs by name.
struct Names<'a> {
    regions: &'a [Region],
}

impl Names<'_> {
    fn region(&self, name: &str, path: TomlPath) -> Check<RegionId> {
        match self.regions.iter().position(|r| r.name == name) {
            Some(id) => Ok(id),
            None => {
                let declared: Vec<&str> = self.regions.iter().map(|r| r.name.as_str()).collect();
                problem(path, not_declared("region", name, &declared))
            }
        }
    }

    fn az(&self, region: RegionId, name: &str, path: TomlPath) -> Check<AzId> {
        let azs = &self.regions[region].azs;
        match azs.iter().position(|az| az == name) {
            Some(id) => Ok(id),
            None => {
                let declared: Vec<&str> = azs.iter().map(String::as_str).collect();
                let what = format!("AZ of region {}", self.regions[region].name);
                problem(path, not_declared(&what, name, &declared))
            }
        }
    }
}

/// "region `x` is not declared; did you mean `y`? declared: a, b".
fn not_declared(what: &str, name: &str, declared: &[&str]) -> String {
    let mut message = format!("{what} `{name}` is not declared");
    if let Some(close) = super::locate::closest(name, declared.iter().copied()) {
        message.push_str(&format!("; did you mean `{close}`?"));
    }
    message.push_str(&format!(" (declared: {})", declared.join(", ")));
    message
}

fn regions(raw: Ordered<RawRegion>, mode: RawRoutingMode) -> Check<Vec<Region>> {
    if raw.0.is_empty() {
        return problem(
            keys(&["regions"]),
            "the model needs at least one region, e.g. [regions.us-east-1]",
        );
    }
    let regions = raw
        .0
        .into_iter()
        .map(|(name, region)| self::region(name, region))
        .collect::<Check<Vec<Region>>>()?;
    check_roles(&regions, mode)?;
    Ok(regions)
}

fn check_roles(regions: &[Region], mode: RawRoutingMode) -> Check<()> {
    let role_path = |r: &Region| keys(&["regions", &r.name, "role"]);
    let with = |role: Role| regions.iter().filter(move |r| r.role == role);
    match mode {
        RawRoutingMode::Failover => {
            if let Some(active) = with(Role::Active).next() {
                return problem(
                    role_path(active),
                    "role \"active\" needs routing.mode = \"active_active\"; in failover mode use \"primary\" or \"standby\"",
                );
            }
            let primaries: Vec<&Region> = with(Role::Primary).collect();
            match primaries.as_slice() {
                [] => {
                    return problem(
                        keys(&["regions"]),
                        "failover needs one region with role = \"primary\"",
                    );
                }
                [_] => {}
                [_, second, ..] => {
                    return problem(
                        role_path(second),
                        "only one region may be the primary; make this one \"standby\"",
                    );
                }
            }
            if with(Role::Standby).next().is_none() {
                return problem(
                    keys(&["regions"]),
                    "failover needs at least one region with role = \"standby\"",
                );
            }
        }
        RawRoutingMode::ActiveActive => {
            if let Some(primary) = with(Role::Primary).next() {
                return problem(
                    role_path(primary),
                    "in active_active mode use role = \"active\"",
                );
            }
            if with(Role::Active).count() < 2 {
                return problem(
                    keys(&["regions"]),
                    "active_active needs at least two regions with role = \"active\"",
                );
            }
        }
    }
    Ok(())
}

fn region(name: String, raw: RawRegion) -> Check<Region> {
    let base = keys(&["regions", &name]);
    if raw.azs.is_empty() {
        return problem(at(&base, &["azs"]), "a region needs at least one AZ");
    }
    for (i, az) in raw.azs.iter().enumerate() {
        if raw.azs[..i].contains(az) {
            let mut path = at(&base, &["azs"]);
            path.push(Seg::Index(i));
            return problem(path, format!("AZ `{az}` is listed twice"));
        }
    }
    let role = match raw.role {
        RawRole::Primary => Role::Primary,
        RawRole::Standby => Role::Standby,
        RawRole::Active => Role::Active,
    };
    let deployment = match raw.deployment {
        RawDeployment::Running => Deployment::Running,
        RawDeployment::ScaledToZero => Deployment::ScaledToZero,
        RawDeployment::NotDeployed => Deployment::NotDeployed,
    };
    let nat = nat(&raw, &base)?;
    let weight = match raw.weight {
        Some(w) => above_zero(w, at(&base, &["weight"]))?,
        None => 1.0,
    };
    let alb = alb(raw.alb, &at(&base, &["alb"]))?;
    let asg = asg(raw.asg, &at(&base, &["asg"]))?;
    check_deployment(role, deployment, &asg, &base)?;
    Ok(Region {
        name,
        site: match raw.site {
            RawSite::Aws => SiteKind::Aws,
            RawSite::OnPremises => SiteKind::OnPremises,
        },
        role,
        azs: raw.azs,
        deployment,
        alb,
        asg,
        nat,
        weight,
    })
}

fn nat(raw: &RawRegion, base: &[Seg]) -> Check<NatLayout> {
    match (raw.nat, &raw.nat_az) {
        (RawNat::Single, Some(az)) => match raw.azs.iter().position(|a| a == az) {
            Some(id) => Ok(NatLayout::Single(id)),
            None => {
                let declared: Vec<&str> = raw.azs.iter().map(String::as_str).collect();
                problem(at(base, &["nat_az"]), not_declared("AZ", az, &declared))
            }
        },
        (RawNat::Single, None) => problem(
            at(base, &["nat"]),
            format!(
                "nat = \"single\" needs nat_az = one of {}",
                raw.azs.join(", ")
            ),
        ),
        (_, Some(_)) => problem(
            at(base, &["nat_az"]),
            "nat_az is only used with nat = \"single\"",
        ),
        (RawNat::PerAz, None) => Ok(NatLayout::PerAz),
        (RawNat::None, None) => Ok(NatLayout::None),
    }
}

fn alb(raw: RawAlb, base: &[Seg]) -> Check<Alb> {
    let interval = ms(raw.interval);
    if !(5_000..=300_000).contains(&interval) {
        return problem(
            at(base, &["interval"]),
            "ALB health check interval must be 5s..300s (default 30s)",
        );
    }
    let threshold = |value: u32, field: &str| -> Check<u32> {
        if (2..=10).contains(&value) {
            Ok(value)
        } else {
            problem(
                at(base, &[field]),
                format!("{value} is out of range: ALB thresholds are 2..10"),
            )
        }
    };
    Ok(Alb {
        interval,
        healthy_threshold: threshold(raw.healthy_threshold, "healthy_threshold")?,
        unhealthy_threshold: threshold(raw.unhealthy_threshold, "unhealthy_threshold")?,
        deep_health_check: raw.deep_health_check,
    })
}

fn asg(raw: RawAsg, base: &[Seg]) -> Check<Asg> {
    let p = |field: &str| at(base, &[field]);
    instances(raw.min, p("min"))?;
    instances(raw.desired, p("desired"))?;
    instances(raw.max, p("max"))?;
    if raw.min > raw.desired {
        return problem(
            p("min"),
            format!("min ({}) is above desired ({})", raw.min, raw.desired),
        );
    }
    if raw.desired > raw.max {
        return problem(
            p("desired"),
            format!("desired ({}) is above max ({})", raw.desired, raw.max),
        );
    }
    let warm_pool = match &raw.warm_pool {
        Some(pool) => Some(warm_pool(
            pool,
            raw.warm_pool_times.as_ref(),
            raw.max,
            base,
        )?),
        None => None,
    };
    let p = |field: &str| at(base, &[field]);
    Ok(Asg {
        volume_gb: gb(raw.volume_gb, p("volume_gb"))?,
        min: raw.min,
        desired: raw.desired,
        max: raw.max,
        launch_time: dist(&raw.launch_time, &p("launch_time"))?,
        bootstrap_time: dist(&raw.bootstrap_time, &p("bootstrap_time"))?,
        lifecycle_hook: dist(&raw.lifecycle_hook, &p("lifecycle_hook"))?,
        health_check_grace: ms(raw.health_check_grace),
        health_check_type: match raw.health_check_type {
            RawAsgHealthCheck::Ec2 => AsgHealthCheck::Ec2,
            RawAsgHealthCheck::Elb => AsgHealthCheck::Elb,
        },
        policy: match raw.policy {
            RawScalingPolicy::TargetTracking => ScalingPolicy::TargetTracking,
            RawScalingPolicy::Step => ScalingPolicy::Step,
            RawScalingPolicy::Simple => ScalingPolicy::Simple,
        },
        cooldown: ms(raw.cooldown),
        scale_out_delay: dist(&raw.scale_out_delay, &p("scale_out_delay"))?,
        warm_pool,
        root_volume: root_volume(&raw, base)?,
        ami_copy_time: match &raw.ami_copy_time {
            Some(d) => Some(dist(d, &p("ami_copy_time"))?),
            None => None,
        },
        instance_type: raw.instance_type,
    })
}

/// The root volume's lazy loading: a rate is needed once boot reads are declared.
fn root_volume(raw: &RawAsg, base: &[Seg]) -> Check<RootVolume> {
    let p = |field: &str| at(base, &[field]);
    let boot_read_gb = match raw.boot_read_gb {
        Some(v) => gb(v, p("boot_read_gb"))?,
        None => 0.0,
    };
    let lazy_load_gb_per_hour = match raw.lazy_load_gb_per_hour {
        Some(v) => above_zero(v, p("lazy_load_gb_per_hour"))?,
        None if boot_read_gb > 0.0 => {
            return problem(
                p("boot_read_gb"),
                "boot_read_gb needs lazy_load_gb_per_hour (the first-read throughput of a volume made from a snapshot)",
            );
        }
        None => 0.0,
    };
    Ok(RootVolume {
        boot_read_gb,
        lazy_load_gb_per_hour,
        fast_snapshot_restore: raw.fast_snapshot_restore.unwrap_or(false),
    })
}

fn warm_pool(
    pool: &RawWarmPool,
    times: Option<&RawWarmPoolTimes>,
    max: u32,
    base: &[Seg],
) -> Check<WarmPool> {
    if pool.size > max {
        return problem(
            at(base, &["warm_pool", "size"]),
            format!(
                "warm pool size ({}) is above the group's max ({max})",
                pool.size
            ),
        );
    }
    // Every state's time is checked, used or not: a mistake waits for no state switch.
    if let Some(times) = times {
        for (name, time) in [
            ("stopped", &times.stopped),
            ("running", &times.running),
            ("hibernated", &times.hibernated),
        ] {
            if let Some(time) = time {
                dist(time, &at(base, &["warm_pool_times", name]))?;
            }
        }
    }
    let (state, name, time) = match pool.state {
        RawWarmState::Stopped => (
            WarmState::Stopped,
            "stopped",
            times.and_then(|t| t.stopped.as_ref()),
        ),
        RawWarmState::Running => (
            WarmState::Running,
            "running",
            times.and_then(|t| t.running.as_ref()),
        ),
        RawWarmState::Hibernated => (
            WarmState::Hibernated,
            "hibernated",
            times.and_then(|t| t.hibernated.as_ref()),
        ),
    };
    let Some(time) = time else {
        return problem(
            at(base, &["warm_pool", "state"]),
            format!(
                "no time to InService for state {name}: set asg.warm_pool_times.{name} (models/aws-timings.toml sets it under [region_defaults])"
            ),
        );
    };
    Ok(WarmPool {
        size: pool.size,
        state,
        time_to_in_service: dist(time, &at(base, &["warm_pool_times", name]))?,
    })
}

fn check_deployment(role: Role, deployment: Deployment, asg: &Asg, base: &[Seg]) -> Check<()> {
    if role != Role::Standby {
        if deployment != Deployment::Running {
            return problem(
                at(base, &["deployment"]),
                "a region serving before the disaster (primary or active) must be \"running\"",
            );
        }
        if asg.desired == 0 {
            return problem(
                at(base, &["asg", "desired"]),
                "a running primary or active region needs desired > 0 instances",
            );
        }
    }
    if deployment == Deployment::NotDeployed && asg.warm_pool.is_some() {
        return problem(
            at(base, &["asg", "warm_pool"]),
            "a not_deployed region has no Auto Scaling group to keep a warm pool in",
        );
    }
    if deployment == Deployment::ScaledToZero && asg.desired > 0 {
        return problem(
            at(base, &["asg", "desired"]),
            "a scaled_to_zero (pilot light) region runs no instances: set desired = 0, or use deployment = \"running\" for a warm standby",
        );
    }
    Ok(())
}

fn routing(raw: RawRouting) -> Check<Routing> {
    let p = |field: &str| keys(&["routing", field]);
    let interval = ms(raw.health_check_interval);
    if interval != 10_000 && interval != 30_000 {
        return problem(
            p("health_check_interval"),
            "health checks run every \"10s\" or \"30s\" (Route 53 and Global Accelerator allow no other interval)",
        );
    }
    if !(1..=10).contains(&raw.failure_threshold) {
        return problem(
            p("failure_threshold"),
            format!("{} is out of range: must be 1..10", raw.failure_threshold),
        );
    }
    let dns = match raw.kind {
        RawRoutingKind::GlobalAccelerator => {
            // Ignored (anycast has no DNS caching), but a wrong value is still wrong.
            dns_values(&raw)?;
            None
        }
        RawRoutingKind::Route53 => Some(dns(&raw)?),
    };
    Ok(Routing {
        mode: match raw.mode {
            RawRoutingMode::Failover => RoutingMode::Failover,
            RawRoutingMode::ActiveActive => RoutingMode::ActiveActive,
        },
        health_check: HealthCheck {
            interval,
            failure_threshold: raw.failure_threshold,
        },
        dns,
        propagation: dist(&raw.propagation, &p("propagation"))?,
        failover_by: match raw.failover_by {
            RawFailoverBy::HealthCheck => FailoverBy::HealthCheck,
            RawFailoverBy::RecordChange => FailoverBy::RecordChange,
        },
    })
}

/// Checks the DNS keys that are given (for Global Accelerator, which ignores them).
fn dns_values(raw: &RawRouting) -> Check<()> {
    let p = |field: &str| keys(&["routing", field]);
    if let Some(share) = raw.clients_honouring_ttl {
        number(
            share,
            0.0,
            1.0,
            p("clients_honouring_ttl"),
            "a share between 0 and 1",
        )?;
    }
    if let Some(stale_hold) = &raw.stale_hold {
        dist(stale_hold, &p("stale_hold"))?;
    }
    Ok(())
}

fn dns(raw: &RawRouting) -> Check<DnsCaching> {
    let p = |field: &str| keys(&["routing", field]);
    let missing = |field: &str| {
        problem(
            keys(&["routing"]),
            format!("route53 needs `{field}` (DNS caching by clients)"),
        )
    };
    let Some(ttl) = raw.ttl else {
        return missing("ttl");
    };
    let Some(share) = raw.clients_honouring_ttl else {
        return missing("clients_honouring_ttl");
    };
    let Some(stale_hold) = &raw.stale_hold else {
        return missing("stale_hold");
    };
    Ok(DnsCaching {
        ttl: ms(ttl),
        honour_share: number(
            share,
            0.0,
            1.0,
            p("clients_honouring_ttl"),
            "a share between 0 and 1",
        )?,
        stale_hold: dist(stale_hold, &p("stale_hold"))?,
    })
}

/// A distribution that must be given for this configuration, else fixed zero (unused).
fn needed(raw: &Option<RawDist>, needed: bool, path: TomlPath, why: &str) -> Check<Dist> {
    match raw {
        Some(raw) => dist(raw, &path),
        None if needed => {
            let field = match path.last() {
                Some(Seg::Key(k)) => k.clone(),
                _ => String::new(),
            };
            problem(
                path[..path.len() - 1].to_vec(),
                format!("missing field `{field}` ({why})"),
            )
        }
        None => Ok(Dist::Fixed(0.0)),
    }
}

fn database(raw: RawDatabase, names: &Names) -> Check<Database> {
    let p = |field: &str| keys(&["database", field]);
    let region = names.region(&raw.region, p("region"))?;
    let az = names.az(region, &raw.az, p("az"))?;
    let cross_region = match (raw.cross_region, &raw.replica_region) {
        (RawCrossRegion::None, None) => CrossRegion::None,
        (RawCrossRegion::None, Some(_)) => {
            return problem(
                p("replica_region"),
                "replica_region is only used with a cross_region copy (read_replica, aurora_global or multi_writer)",
            );
        }
        (_, None) => {
            return problem(
                p("cross_region"),
                "a cross-region copy needs replica_region",
            );
        }
        (kind, Some(name)) => {
            let replica = names.region(name, p("replica_region"))?;
            if replica == region {
                return problem(
                    p("replica_region"),
                    format!(
                        "the replica must be in another region than the writer ({})",
                        raw.region
                    ),
                );
            }
            if kind != RawCrossRegion::MultiWriter && raw.kind == RawDbKind::Dynamodb {
                return problem(
                    p("cross_region"),
                    "a DynamoDB table replicates to other regions only as a global table: use cross_region = \"multi_writer\"",
                );
            }
            if kind == RawCrossRegion::AuroraGlobal && raw.kind != RawDbKind::Aurora {
                return problem(
                    p("cross_region"),
                    "aurora_global requires kind = \"aurora\"; use \"read_replica\" for RDS",
                );
            }
            match kind {
                RawCrossRegion::ReadReplica => CrossRegion::ReadReplica { region: replica },
                RawCrossRegion::MultiWriter => CrossRegion::MultiWriter { region: replica },
                RawCrossRegion::AuroraGlobal => CrossRegion::AuroraGlobal { region: replica },
                RawCrossRegion::None => unreachable!("matched above: no copy, no replica"),
            }
        }
    };
    let has_copy = cross_region != CrossRegion::None;
    // A multi-writer copy already takes writes: nothing to promote.
    let promoted = has_copy && !matches!(cross_region, CrossRegion::MultiWriter { .. });
    let has_standby = raw.kind != RawDbKind::Single;
    let global_failover = global_failover(raw.global_failover, &cross_region)?;
    let dynamodb = dynamo_table(&raw)?;
    let promotion_time = needed(
        &raw.promotion_time,
        promoted,
        p("promotion_time"),
        "the cross-region copy is promoted to a writer",
    )?;
    // Without its own figure, a fail-back is at least the switch back.
    let failback_time = match &raw.failback_time {
        Some(raw) => dist(raw, &p("failback_time"))?,
        None => promotion_time.clone(),
    };
    Ok(Database {
        kind: match raw.kind {
            RawDbKind::Single => DbKind::Single,
            RawDbKind::MultiAz => DbKind::MultiAz,
            RawDbKind::Aurora => DbKind::Aurora,
            RawDbKind::Dynamodb => DbKind::Dynamodb,
        },
        dynamodb,
        region,
        az,
        failover_time: needed(
            &raw.failover_time,
            has_standby,
            p("failover_time"),
            "in-region failover",
        )?,
        repair_time: needed(
            &raw.repair_time,
            !has_standby,
            p("repair_time"),
            "a single instance is repaired in place",
        )?,
        replication_lag: needed(
            &raw.replication_lag,
            has_copy,
            p("replication_lag"),
            "cross-region copy",
        )?,
        promotion_time,
        failback_time,
        global_failover,
        cross_region,
        instance_class: raw.instance_class,
    })
}

/// A DynamoDB table's pricing settings: only `kind = "dynamodb"` takes them.
fn dynamo_table(raw: &RawDatabase) -> Check<Option<DynamoTable>> {
    let p = |field: &str| keys(&["database", field]);
    if raw.kind != RawDbKind::Dynamodb {
        let given = [
            ("capacity_mode", raw.capacity_mode.is_some()),
            ("reads_per_second", raw.reads_per_second.is_some()),
        ];
        return match given.iter().find(|(_, set)| *set) {
            Some((field, _)) => problem(
                p(field),
                format!("{field} is only used with kind = \"dynamodb\""),
            ),
            None => Ok(None),
        };
    }
    let reads_per_second = match raw.reads_per_second {
        Some(r) => non_negative(r, p("reads_per_second"))?,
        None => 0.0,
    };
    let capacity = match raw.capacity_mode {
        None | Some(RawCapacityMode::OnDemand) => CapacityMode::OnDemand,
        Some(RawCapacityMode::Provisioned) => CapacityMode::Provisioned,
    };
    Ok(Some(DynamoTable {
        capacity,
        reads_per_second,
    }))
}

/// The Aurora Global takeover mode; only an Aurora Global copy has one.
fn global_failover(raw: Option<RawGlobalFailover>, copy: &CrossRegion) -> Check<GlobalFailover> {
    let path = keys(&["database", "global_failover"]);
    let global = matches!(copy, CrossRegion::AuroraGlobal { .. });
    match raw {
        None => Ok(GlobalFailover::Managed),
        Some(_) if !global => problem(
            path,
            "global_failover is only used with cross_region = \"aurora_global\"",
        ),
        Some(RawGlobalFailover::Managed) => Ok(GlobalFailover::Managed),
        Some(RawGlobalFailover::DetachAndPromote) => Ok(GlobalFailover::DetachAndPromote),
        Some(RawGlobalFailover::Switchover) => problem(
            path,
            "a switchover is planned: it needs the primary Region healthy, so it cannot take over from a lost one; \
             drsim uses it to fail back (failback_time). Choose \"managed\" (global database failover, may lose the replication lag) or \"detach_and_promote\"",
        ),
    }
}

fn object_storage(raw: RawObjectStorage, names: &Names) -> Check<ObjectStorage> {
    let p = |field: &str| keys(&["object_storage", field]);
    let size_gb = gb(raw.size_gb, p("size_gb"))?;
    let protection = object_protection(&raw)?;
    let rtc = match raw.replication {
        RawObjectReplication::None => {
            if raw.replica_region.is_some() {
                return problem(
                    p("replica_region"),
                    "replica_region is only used with replication = \"crr\" or \"crr_rtc\"",
                );
            }
            return Ok(ObjectStorage {
                size_gb,
                replication: ObjectReplication::None,
                replica_region: None,
                objects_per_second: 0.0,
                protection,
            });
        }
        RawObjectReplication::Crr => false,
        RawObjectReplication::CrrRtc => true,
    };
    let Some(name) = &raw.replica_region else {
        return problem(p("replication"), "replication needs replica_region");
    };
    let replica_region = names.region(name, p("replica_region"))?;
    let lag = needed(&raw.lag, true, p("lag"), "replication lag")?;
    let Some(max_lag) = raw.max_lag else {
        return problem(
            p("max_lag"),
            "replication needs max_lag (the longest one object's replication takes)",
        );
    };
    let max_lag = positive(max_lag, p("max_lag"))?;
    let Some(rate) = raw.objects_per_second else {
        return problem(
            p("objects_per_second"),
            "replication needs objects_per_second (the object write rate)",
        );
    };
    let objects_per_second = above_zero(rate, p("objects_per_second"))?;
    Ok(ObjectStorage {
        size_gb,
        replication: ObjectReplication::Crr { lag, max_lag, rtc },
        replica_region: Some(replica_region),
        objects_per_second,
        protection,
    })
}

/// Versioning and Object Lock of the bucket. Object Lock needs versioning (S3 refuses
/// it otherwise); versions are kept at least as long as they are locked.
fn object_protection(raw: &RawObjectStorage) -> Check<ObjectProtection> {
    let p = |field: &str| keys(&["object_storage", field]);
    let lock = match &raw.object_lock {
        None => None,
        Some(_) if raw.versioning != Some(true) => {
            return problem(
                p("object_lock"),
                "S3 Object Lock works only with versioning: set versioning = true",
            );
        }
        Some(lock) => Some(ObjectLock {
            mode: match lock.mode {
                RawLockMode::Governance => LockMode::Governance,
                RawLockMode::Compliance => LockMode::Compliance,
            },
            retention: positive(
                lock.retention,
                keys(&["object_storage", "object_lock", "retention"]),
            )?,
        }),
    };
    let expiration = match raw.noncurrent_expiration {
        Some(_) if raw.versioning != Some(true) => {
            return problem(
                p("noncurrent_expiration"),
                "noncurrent_expiration is only used with versioning = true",
            );
        }
        Some(d) => Some(positive(d, p("noncurrent_expiration"))?),
        None => None,
    };
    Ok(match raw.versioning {
        None => ObjectProtection::Unmodelled,
        Some(false) => ObjectProtection::Unversioned,
        Some(true) => {
            let retention = lock.map(|l| l.retention);
            let Some(kept) = expiration.max(retention) else {
                return problem(
                    p("versioning"),
                    "versioning = true needs noncurrent_expiration (how long a lifecycle rule keeps noncurrent versions) or an object_lock",
                );
            };
            ObjectProtection::Versioned {
                noncurrent_kept: kept,
                lock,
            }
        }
    })
}

fn backups(raw: RawBackups, names: &Names, workload: &Workload, db: DbKind) -> Check<Backups> {
    let p = |field: &str| keys(&["backups", field]);
    let schedule = match (raw.every, &raw.at) {
        (Some(every), None) => match positive(every, p("every"))? {
            every if every < MIN_BACKUP_INTERVAL => {
                return problem(
                    p("every"),
                    "backups run at most once a minute: every must be at least \"1m\"",
                );
            }
            every => Schedule::Every(every),
        },
        (None, Some(times)) => Schedule::DailyAt(times_of_day(times)?),
        (Some(_), Some(_)) => return problem(p("at"), "give either `every` or `at`, not both"),
        (None, None) => {
            return problem(
                keys(&["backups"]),
                "backups need `every = \"1h\"` or `at = [\"02:00\"]`",
            );
        }
    };
    let engine = raw.engine.unwrap_or(BackupEngine::of(db));
    let region = names.region(&raw.region, p("region"))?;
    let copy = match &raw.copy_to {
        Some(name) => Some(backup_copy(&raw, name, names, region, workload, engine)?),
        None if raw.copy_to_account.is_some() => {
            return problem(
                p("copy_to_account"),
                "copy_to_account says where the copies go: set copy_to too",
            );
        }
        None if raw.log_copy_lag.is_some() => {
            return problem(
                p("log_copy_lag"),
                "log_copy_lag is the lag of logs copied to another region: set copy_to too",
            );
        }
        None => None,
    };
    let point_in_time = match raw.point_in_time {
        Some(d) => Some(positive(d, p("point_in_time"))?),
        None => None,
    };
    if raw.fast_snapshot_restore && !engine.has_fast_snapshot_restore() {
        return problem(
            p("fast_snapshot_restore"),
            format!(
                "fast snapshot restore is an EBS feature: set engine = \"ebs\" or remove it (engine is \"{}\")",
                engine.name()
            ),
        );
    }
    let backups = Backups {
        schedule,
        engine,
        start_window: start_window(raw.start_window)?,
        region,
        duration: dist(&raw.duration, &p("duration"))?,
        copy,
        retention: positive(raw.retention, p("retention"))?,
        vault_lock: vault_lock(&raw.vault_lock)?,
        point_in_time,
        restore_gb_per_hour: restore_rate(raw.restore_gb_per_hour, workload.data_size_gb)?,
        restore_fixed: dist(&raw.restore_fixed, &p("restore_fixed"))?,
        fast_snapshot_restore: raw.fast_snapshot_restore,
    };
    copies_keep_up(&backups, raw.every.is_some())?;
    Ok(backups)
}

/// AWS Backup refuses a start window under 60 minutes (docs/sources.md#backup-start-window);
/// 0 (or no window) means the job starts at its scheduled time.
fn start_window(raw: Option<Duration>) -> Check<Millis> {
    let window = raw.map_or(0, ms);
    if window != 0 && window < units::HOUR {
        return problem(
            keys(&["backups", "start_window"]),
            "AWS Backup's start window is at least 60 minutes: use \"0s\" (the job starts on time) or at least \"1h\"",
        );
    }
    Ok(window)
}

fn backup_copy(
    raw: &RawBackups,
    to: &str,
    names: &Names,
    from: RegionId,
    workload: &Workload,
    engine: BackupEngine,
) -> Check<BackupCopy> {
    let p = |field: &str| keys(&["backups", field]);
    let region = names.region(to, p("copy_to"))?;
    if region == from {
        return problem(
            p("copy_to"),
            "copy_to must be another region than the backups' region",
        );
    }
    let duration = needed(
        &raw.copy_duration,
        true,
        p("copy_duration"),
        "copy_to is set",
    )?;
    let gb_per_hour = match raw.copy_gb_per_hour {
        Some(rate) => Some(above_zero(rate, p("copy_gb_per_hour"))?),
        None => None,
    };
    let size = if engine.copies_incrementally() {
        CopySize::Changes(workload.change_gb_per_day)
    } else {
        CopySize::Full(workload.data_size_gb)
    };
    // A snapshot copy waits for the one before (sources.md#rds-copy-snapshot); a
    // shipment from an on-premises site (e.g. a Snowball device) travels on its own.
    let one_at_a_time = names.regions[from].site == SiteKind::Aws;
    let log_lag = match &raw.log_copy_lag {
        Some(_) if raw.point_in_time.is_none() => {
            return problem(
                p("log_copy_lag"),
                "log_copy_lag copies the point-in-time logs: set point_in_time too",
            );
        }
        Some(lag) => Some(dist(lag, &p("log_copy_lag"))?),
        None => None,
    };
    Ok(BackupCopy {
        region,
        duration,
        log_lag,
        gb_per_hour,
        size,
        one_at_a_time,
        fallback: None,
        other_account: raw.copy_to_account == Some(RawCopyAccount::Separate),
    })
}

/// Copies run one at a time (docs/sources.md#rds-copy-snapshot): when one takes longer
/// on average than the time between backups, the queue of copies grows without end.
fn copies_keep_up(backups: &Backups, every: bool) -> Check<()> {
    let Some(copy) = backups.copy.as_ref().filter(|c| c.one_at_a_time) else {
        return Ok(());
    };
    let gap = backups.schedule.shortest_gap();
    let mean = copy.duration.mean() + copy.transfer_time(gap);
    if mean < gap as f64 {
        return Ok(());
    }
    let what = match copy.size {
        CopySize::Full(gb) => format!("full copies of {} GB", show(gb)),
        CopySize::Changes(_) => "copies".into(),
    };
    problem(
        keys(&["backups", if every { "every" } else { "at" }]),
        format!(
            "{what} take {} on average ({} engine), not less than the {} between backups: copies queue one behind the other and would fall ever further behind. Back up less often, or raise copy_gb_per_hour",
            units::format_duration(mean),
            backups.engine.name(),
            units::format_duration(gap as f64),
        ),
    )
}

/// The restore rate: above zero, and fast enough that restoring the workload's data
/// takes at most the longest duration a model may have (100 years).
fn restore_rate(rate: f64, data_size_gb: f64) -> Check<f64> {
    let path = keys(&["backups", "restore_gb_per_hour"]);
    let rate = above_zero(rate, path.clone())?;
    if data_size_gb / rate * units::HOUR as f64 > MAX_DURATION_MS {
        return problem(
            path,
            format!(
                "{} GB/h is too slow: restoring data_size_gb ({} GB) would take over 100 years",
                show(rate),
                show(data_size_gb)
            ),
        );
    }
    Ok(rate)
}

/// "HH:MM" times of day (UTC) -> sorted milliseconds after midnight.
fn times_of_day(times: &[String]) -> Check<Vec<Millis>> {
    if times.is_empty() {
        return problem(
            keys(&["backups", "at"]),
            "list at least one time of day, e.g. [\"02:00\"]",
        );
    }
    let mut out = Vec::with_capacity(times.len());
    for (i, text) in times.iter().enumerate() {
        let mut path = keys(&["backups", "at"]);
        path.push(Seg::Index(i));
        let parsed = text
            .split_once(':')
            .and_then(|(h, m)| Some((h.parse::<u64>().ok()?, m.parse::<u64>().ok()?)))
            .filter(|&(h, m)| h < 24 && m < 60 && text.len() == 5);
        match parsed {
            Some((h, m)) => out.push(h * units::HOUR + m * units::MINUTE),
            None => {
                return problem(
                    path,
                    format!("`{text}` is not a time of day; write \"HH:MM\" (UTC), e.g. \"02:00\""),
                );
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn recovery(raw: RawRecovery) -> Check<Recovery> {
    Ok(Recovery {
        detection: dist_at(&raw.detection, &["recovery", "detection"])?,
        decision_time: dist_at(&raw.decision_time, &["recovery", "decision_time"])?,
        automated: raw.automated,
        iac_network_time: match &raw.iac_network_time {
            Some(d) => dist_at(d, &["recovery", "iac_network_time"])?,
            None => Dist::Fixed(0.0),
        },
        iac_redeploy_time: dist_at(&raw.iac_redeploy_time, &["recovery", "iac_redeploy_time"])?,
        nat_replacement_time: dist_at(
            &raw.nat_replacement_time,
            &["recovery", "nat_replacement_time"],
        )?,
        launch_failure: step_failure(raw.launch_failure.as_ref(), "launch_failure")?,
        iac_failure: step_failure(raw.iac_failure.as_ref(), "iac_failure")?,
        database_failure: step_failure(raw.database_failure.as_ref(), "database_failure")?,
        control_plane: impairment(raw.control_plane.as_ref(), "control_plane")?,
        recovery_region: impairment(raw.recovery_region.as_ref(), "recovery_region")?,
        rollback: rollback(raw.rollback.as_ref())?,
        error_alarm: error_alarm(raw.error_alarm.as_ref())?,
    })
}

/// `[recovery.control_plane]` or `[recovery.recovery_region]` (`section`): absent,
/// never impaired.
fn impairment(raw: Option<&RawImpairment>, section: &str) -> Check<Impairment> {
    let Some(raw) = raw else {
        return Ok(Impairment::NEVER);
    };
    let p = |field: &str| keys(&["recovery", section, field]);
    Ok(Impairment {
        probability: number(
            raw.probability,
            0.0,
            1.0,
            p("probability"),
            "a probability between 0 and 1",
        )?,
        impaired_for: dist(&raw.impaired_for, &p("impaired_for"))?,
    })
}

/// `[recovery.NAME]`: absent, the step never fails.
fn step_failure(raw: Option<&RawStepFailure>, name: &str) -> Check<StepFailure> {
    let Some(raw) = raw else {
        return Ok(StepFailure::NEVER);
    };
    let p = |field: &str| keys(&["recovery", name, field]);
    let probability = number(
        raw.probability,
        0.0,
        1.0,
        p("probability"),
        "a probability between 0 and 1",
    )?;
    if raw.max_attempts == Some(0) {
        return problem(p("max_attempts"), "must be at least 1 (the first attempt)");
    }
    if probability >= 1.0 && raw.max_attempts.is_none() {
        return problem(
            p("probability"),
            "every attempt fails, so the step would be retried forever: \
             set `max_attempts` (people give up) or a probability below 1",
        );
    }
    Ok(StepFailure {
        probability,
        retry_after: dist(&raw.retry_after, &p("retry_after"))?,
        max_attempts: raw.max_attempts,
    })
}

fn disasters(
    raw: Ordered<RawDisaster>,
    regions: &[Region],
    db: &Database,
    names: &Names,
) -> Check<Vec<Disaster>> {
    if raw.0.is_empty() {
        return problem(
            keys(&["disasters"]),
            "no disasters to simulate: add at least one [disasters.NAME] (or include models/web-app-disasters.toml)",
        );
    }
    raw.0
        .into_iter()
        .map(|(name, d)| disaster(name, d, regions, db, names))
        .collect()
}

fn disaster(
    name: String,
    raw: RawDisaster,
    regions: &[Region],
    db: &Database,
    names: &Names,
) -> Check<Disaster> {
    let base = keys(&["disasters", &name]);
    let p = |field: &str| at(&base, &[field]);
    let kind = raw.kind;
    let per_year = above_zero(raw.per_year, p("per_year"))?;
    if per_year > MAX_PER_YEAR {
        return problem(
            p("per_year"),
            format!("{} is out of range: at most 1000000 a year", show(per_year)),
        );
    }
    // Data disasters strike where the data is; the others default to the serving region.
    let region = match &raw.region {
        Some(region) => names.region(region, p("region"))?,
        None if kind.strikes_data() => db.region,
        None => regions
            .iter()
            .position(|r| r.role != Role::Standby)
            .unwrap_or(0),
    };
    let az = match &raw.az {
        Some(az) => Some(names.az(region, az, p("az"))?),
        None => None,
    };
    // These last until over by themselves: a zero duration would make them vanish at once.
    let duration = needed(
        &raw.duration,
        kind.ends_by_itself(),
        p("duration"),
        "an outage lasts a while",
    )?;
    let disaster = Disaster {
        duration: match raw.duration {
            Some(_) if kind.ends_by_itself() => positive_dist(duration, p("duration"))?,
            _ => duration,
        },
        detection_delay: needed(
            &raw.detection_delay,
            kind.corrupts_data(),
            p("detection_delay"),
            "corruption is noticed late",
        )?,
        grey_share: grey_share(raw.share, kind, &p("share"))?,
        grey_fails_health_checks: grey_fails_health_checks(
            raw.fails_health_checks,
            kind,
            &p("fails_health_checks"),
        )?,
        decision: DecisionTimes {
            after_alarm: optional_dist(&raw.decision_after_alarm, &p("decision_after_alarm"))?,
            after_report: optional_dist(&raw.decision_after_report, &p("decision_after_report"))?,
        },
        name,
        kind,
        per_year,
        region,
        az,
        // Resolved once every disaster is known (`resolve_objectives`).
        objective: Objective {
            rto: 0,
            rpo: 0,
            confidence: 1.0,
            clock: Clock::Disaster,
        },
    };
    strikes_something(&disaster, regions, db, &base)?;
    Ok(disaster)
}

/// A disaster that hits nothing would count as an instant recovery and flatter the
/// architecture; refuse it.
fn strikes_something(d: &Disaster, regions: &[Region], db: &Database, base: &[Seg]) -> Check<()> {
    let region = &regions[d.region];
    let runs_instances = region.deployment == Deployment::Running && region.asg.desired > 0;
    let has_nat = region.deployment != Deployment::NotDeployed && region.nat != NatLayout::None;
    let holds_data = db.region == d.region || copy_region(&db.cross_region) == Some(d.region);
    let name = &region.name;
    let nothing = |why: String| {
        problem(
            at(base, &["region"]),
            format!("{} strikes nothing: {why}", d.kind.name()),
        )
    };
    match d.kind {
        DisasterKind::InstanceFailure if !runs_instances => {
            nothing(format!("region {name} runs no instances"))
        }
        DisasterKind::InstanceFailure => Ok(()),
        DisasterKind::LatencyInjection if !runs_instances => {
            nothing(format!("region {name} serves no requests"))
        }
        DisasterKind::LatencyInjection => Ok(()),
        DisasterKind::AzOutage if !runs_instances && !holds_data && !has_nat => {
            nothing(format!("region {name} runs no instances, NAT or database"))
        }
        DisasterKind::AzOutage => Ok(()),
        DisasterKind::NatGatewayFailure => match (region.nat, d.az) {
            (NatLayout::None, _) => nothing(format!("region {name} has nat = \"none\"")),
            (NatLayout::Single(nat_az), Some(az)) if nat_az != az => problem(
                at(base, &["az"]),
                format!(
                    "nat_gateway_failure strikes nothing: the only NAT gateway of {name} is in {}",
                    region.azs[nat_az]
                ),
            ),
            _ => Ok(()),
        },
        DisasterKind::DbPrimaryFailure if d.region != db.region => problem(
            at(base, &["region"]),
            format!(
                "db_primary_failure strikes the database writer, which is in {}",
                regions[db.region].name
            ),
        ),
        DisasterKind::DbPrimaryFailure => Ok(()),
        DisasterKind::RegionOutage if regions.len() < 2 => {
            nothing("it takes down the only region; declare a recovery region".to_string())
        }
        DisasterKind::RegionOutage => Ok(()),
        // Corruption strikes the data wherever it is; there always is a database.
        DisasterKind::DataCorruption | DisasterKind::Ransomware => Ok(()),
        DisasterKind::AccountCompromise if regions[db.region].site == SiteKind::OnPremises => {
            problem(
                at(base, &["kind"]),
                format!(
                    "account_compromise is an attacker holding the AWS account, but the database is in the on-premises site {}: model it as ransomware",
                    regions[db.region].name
                ),
            )
        }
        // Pushed to every region, or holding the whole account: the serving region and
        // the database are always struck.
        DisasterKind::BadDeploy | DisasterKind::AccountCompromise => Ok(()),
    }
}

// ----- correlated, global and grey events (model/correlated.rs) -----

/// `vault_lock`: `true` (old models) is governance mode, the weaker one (see
/// [`VaultLock`]).
fn vault_lock(raw: &RawVaultLock) -> Check<VaultLock> {
    match raw {
        RawVaultLock::Bool(false) => Ok(VaultLock::Off),
        RawVaultLock::Bool(true) => Ok(VaultLock::Governance),
        RawVaultLock::Mode(mode) => match mode.as_str() {
            "governance" => Ok(VaultLock::Governance),
            "compliance" => Ok(VaultLock::Compliance),
            other => problem(
                keys(&["backups", "vault_lock"]),
                format!(
                    "unknown Vault Lock mode \"{other}\": use \"governance\", \"compliance\", true (governance) or false"
                ),
            ),
        },
    }
}

/// `[recovery.rollback]`: absent, a bad deploy is redeployed through IaC.
fn rollback(raw: Option<&RawRollback>) -> Check<Rollback> {
    let Some(raw) = raw else {
        return Ok(Rollback::REDEPLOY);
    };
    let p = |field: &str| keys(&["recovery", "rollback", field]);
    let shift_time = match (&raw.shift_time, raw.blue_green) {
        (Some(d), true) => dist(d, &p("shift_time"))?,
        (None, true) => {
            return problem(
                p("shift_time"),
                "blue_green rolls back by shifting traffic: give shift_time (e.g. \"1m\")",
            );
        }
        (Some(_), false) => {
            return problem(
                p("shift_time"),
                "shift_time is the blue/green traffic shift: set blue_green = true or remove it (a redeploy takes iac_redeploy_time)",
            );
        }
        (None, false) => Dist::Fixed(0.0),
    };
    Ok(Rollback {
        blue_green: raw.blue_green,
        shift_time,
    })
}

/// `[recovery.error_alarm]`: CloudWatch fires after M of N breaching datapoints, M <= N
/// (sources.md#cloudwatch-alarm-evaluation).
fn error_alarm(raw: Option<&RawErrorAlarm>) -> Check<Option<ErrorAlarm>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let p = |field: &str| keys(&["recovery", "error_alarm", field]);
    let period = positive(raw.period, p("period"))?;
    if raw.evaluation_periods == 0 {
        return problem(p("evaluation_periods"), "must be at least 1");
    }
    let m = raw.datapoints_to_alarm.unwrap_or(raw.evaluation_periods);
    if m == 0 || m > raw.evaluation_periods {
        return problem(
            p("datapoints_to_alarm"),
            format!(
                "must be between 1 and evaluation_periods ({})",
                raw.evaluation_periods
            ),
        );
    }
    let threshold = number(
        raw.threshold,
        0.0,
        1.0,
        p("threshold"),
        "a share of requests in (0, 1]",
    )?;
    if threshold == 0.0 {
        return problem(
            p("threshold"),
            "a share of requests in (0, 1]: 0 would always breach",
        );
    }
    Ok(Some(ErrorAlarm {
        period,
        evaluation_periods: raw.evaluation_periods,
        datapoints_to_alarm: m,
        threshold,
        customer_report: dist(&raw.customer_report, &p("customer_report"))?,
    }))
}

/// `share` of a disaster: only a latency injection fails a share of the requests.
fn grey_share(raw: Option<f64>, kind: DisasterKind, path: &[Seg]) -> Check<f64> {
    match raw {
        None => Ok(1.0),
        Some(_) if kind != DisasterKind::LatencyInjection => problem(
            path.to_vec(),
            format!(
                "share is the share of requests a latency_injection fails; {} fails them all",
                kind.name()
            ),
        ),
        Some(share) => {
            let share = number(
                share,
                0.0,
                1.0,
                path.to_vec(),
                "a share of requests in (0, 1]",
            )?;
            if share == 0.0 {
                return problem(
                    path.to_vec(),
                    "a share of requests in (0, 1]: 0 fails nothing",
                );
            }
            Ok(share)
        }
    }
}

/// `fails_health_checks` of a disaster: only a latency injection's health checks can
/// stay green.
fn grey_fails_health_checks(raw: bool, kind: DisasterKind, path: &[Seg]) -> Check<bool> {
    if raw && kind != DisasterKind::LatencyInjection {
        return problem(
            path.to_vec(),
            format!(
                "fails_health_checks says whether a latency_injection's health checks stay green; it does not apply to {}",
                kind.name()
            ),
        );
    }
    Ok(raw)
}

fn optional_dist(raw: &Option<RawDist>, path: &[Seg]) -> Check<Option<Dist>> {
    raw.as_ref().map(|d| dist(d, path)).transpose()
}

/// Region of the database's cross-region copy, if any.
fn copy_region(copy: &CrossRegion) -> Option<RegionId> {
    match *copy {
        CrossRegion::None => None,
        CrossRegion::ReadReplica { region }
        | CrossRegion::AuroraGlobal { region }
        | CrossRegion::MultiWriter { region }
        | CrossRegion::Dms { region } => Some(region),
    }
}

// ---- hybrid DR: `[hybrid]` ----

/// `[hybrid]`: checks the channels between the site and AWS and applies what they
/// decide: DMS becomes the database's cross-region copy, Elastic Disaster Recovery
/// launches the recovery region's instances, and backups sent over the link are copied
/// at its bandwidth.
fn hybrid(
    raw: RawHybrid,
    regions: &mut [Region],
    db: &mut Database,
    backups: Option<&mut Backups>,
) -> Check<hybrid::Hybrid> {
    let p = |field: &str| keys(&["hybrid", field]);
    let names = Names { regions: &*regions };
    let site = names.region(&raw.site, p("site"))?;
    if regions[site].site != SiteKind::OnPremises {
        return problem(
            p("site"),
            format!(
                "`{}` is an AWS region: hybrid.site names the region with site = \"on_premises\"",
                raw.site
            ),
        );
    }
    let region = names.region(&raw.region, p("region"))?;
    if regions[region].site != SiteKind::Aws {
        return problem(
            p("region"),
            "hybrid.region names the AWS region the site recovers into",
        );
    }
    let link = hybrid_link(&raw)?;
    let backups_over = hybrid_backups(raw.backups_over, &link, site, region, backups)?;
    let dms = match &raw.dms {
        Some(d) => Some(hybrid_dms(d, site, region, db)?),
        None => None,
    };
    let drs = match &raw.drs {
        Some(d) => {
            let servers = regions[site].asg.desired;
            Some(hybrid_drs(d, &mut regions[region].asg, servers)?)
        }
        None => None,
    };
    Ok(hybrid::Hybrid {
        site,
        region,
        link,
        transfer_out_gb_per_month: gb(
            raw.transfer_out_gb_per_month,
            p("transfer_out_gb_per_month"),
        )?,
        backups_over,
        dms,
        drs,
    })
}

/// The link: a VPN's tunnels, a Direct Connect port, or both with the VPN as backup.
fn hybrid_link(raw: &RawHybrid) -> Check<hybrid::Link> {
    use hybrid::LinkKind;
    let p = |field: &str| keys(&["hybrid", field]);
    let kind = match raw.link {
        RawLink::Vpn => LinkKind::Vpn,
        RawLink::DirectConnect => LinkKind::DirectConnect,
        RawLink::DirectConnectVpnBackup => LinkKind::DirectConnectVpnBackup,
    };
    let dx_port_gbps = match (raw.dx_port_gbps, kind.has_dx()) {
        (Some(g), true) if [1.0, 10.0, 100.0].contains(&g) => g,
        (Some(g), true) => {
            return problem(
                p("dx_port_gbps"),
                format!(
                    "{} is not a dedicated Direct Connect port speed (1, 10 or 100 Gbit/s)",
                    show(g)
                ),
            );
        }
        (None, true) => {
            return problem(
                p("link"),
                "a Direct Connect link needs dx_port_gbps (1, 10 or 100)",
            );
        }
        (Some(_), false) => {
            return problem(
                p("dx_port_gbps"),
                "dx_port_gbps is the Direct Connect port: set link to \"direct_connect\" or \"direct_connect_vpn_backup\"",
            );
        }
        (None, false) => 0.0,
    };
    let vpn_tunnels = raw.vpn_tunnels.unwrap_or(1);
    if !(1..=100).contains(&vpn_tunnels) {
        return problem(p("vpn_tunnels"), "vpn_tunnels must be between 1 and 100");
    }
    let vpn_tunnel_gbps = number(
        raw.vpn_tunnel_gbps.unwrap_or(1.25),
        1e-3,
        5.0,
        p("vpn_tunnel_gbps"),
        "Gbit/s above 0, at most 5 (a large tunnel)",
    )?;
    let dx_down_probability = match raw.dx_down_probability {
        Some(_) if kind != LinkKind::DirectConnectVpnBackup => {
            return problem(
                p("dx_down_probability"),
                "only a Direct Connect link with a VPN backup survives DX going down: set link = \"direct_connect_vpn_backup\"",
            );
        }
        Some(q) => number(
            q,
            0.0,
            1.0,
            p("dx_down_probability"),
            "a probability between 0 and 1",
        )?,
        None => 0.0,
    };
    Ok(hybrid::Link {
        kind,
        vpn_tunnels,
        vpn_tunnel_gbps,
        dx_port_gbps,
        dx_down_probability,
    })
}

/// Backups sent over the link are copied from the site to the AWS region at its
/// bandwidth: Direct Connect's, or the VPN's for a copy that finds DX down.
fn hybrid_backups(
    raw: RawBackupPath,
    link: &hybrid::Link,
    site: RegionId,
    region: RegionId,
    backups: Option<&mut Backups>,
) -> Check<hybrid::BackupPath> {
    let path = match raw {
        RawBackupPath::Shipment => return Ok(hybrid::BackupPath::Shipment),
        RawBackupPath::Link => hybrid::BackupPath::Link,
        RawBackupPath::StorageGateway => hybrid::BackupPath::StorageGateway,
    };
    let copy = backups
        .filter(|b| b.region == site)
        .and_then(|b| b.copy.as_mut())
        .filter(|c| c.region == region);
    let Some(copy) = copy else {
        return problem(
            keys(&["hybrid", "backups_over"]),
            "backups sent over the link need [backups] with region = hybrid.site and copy_to = hybrid.region",
        );
    };
    copy.gb_per_hour = Some(link.gb_per_hour(false));
    copy.fallback = link.may_fail().then(|| CopyFallback {
        probability: link.dx_down_probability,
        gb_per_hour: link.gb_per_hour(true),
    });
    Ok(path)
}

/// AWS DMS keeps an RDS instance in `region` current: it becomes the database's
/// cross-region copy, with the DMS lag and cutover.
fn hybrid_dms(
    raw: &RawDms,
    site: RegionId,
    region: RegionId,
    db: &mut Database,
) -> Check<hybrid::Dms> {
    let p = |field: &str| keys(&["hybrid", "dms", field]);
    if db.region != site {
        return problem(
            keys(&["hybrid", "dms"]),
            "DMS replicates the on-site database: database.region must be hybrid.site",
        );
    }
    if db.cross_region != CrossRegion::None {
        return problem(
            keys(&["database", "cross_region"]),
            "the DMS target is the database's cross-region copy: remove cross_region (or [hybrid.dms])",
        );
    }
    let lag = dist(&raw.lag, &p("lag"))?;
    let cutover_time = dist(&raw.cutover_time, &p("cutover_time"))?;
    let stall_probability = number(
        raw.stall_probability.unwrap_or(0.0),
        0.0,
        1.0,
        p("stall_probability"),
        "a probability between 0 and 1",
    )?;
    let stall_behind = needed(
        &raw.stall_behind,
        stall_probability > 0.0,
        p("stall_behind"),
        "stall_probability is above 0",
    )?;
    db.cross_region = CrossRegion::Dms { region };
    db.replication_lag = lag.clone();
    db.promotion_time = cutover_time.clone();
    db.failback_time = cutover_time.clone();
    Ok(hybrid::Dms {
        instance_class: raw
            .instance_class
            .clone()
            .unwrap_or_else(|| "dms.t3.medium".into()),
        lag,
        cutover_time,
        stall_probability,
        stall_behind,
    })
}

/// Elastic Disaster Recovery launches the recovery region's instances: each takes the
/// conversion and the boot instead of the Auto Scaling group's launch and bootstrap.
fn hybrid_drs(raw: &RawDrs, asg: &mut Asg, site_servers: u32) -> Check<hybrid::Drs> {
    let p = |field: &str| keys(&["hybrid", "drs", field]);
    let servers = match raw.servers {
        Some(n) => instances(n, p("servers"))?,
        None => site_servers,
    };
    let conversion_time = dist(&raw.conversion_time, &p("conversion_time"))?;
    let boot_time = dist(&raw.boot_time, &p("boot_time"))?;
    asg.launch_time = conversion_time.clone();
    asg.bootstrap_time = boot_time.clone();
    Ok(hybrid::Drs {
        servers,
        conversion_time,
        boot_time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(family: DistFamily) -> DistTable {
        DistTable {
            dist: family,
            value: None,
            min: None,
            mode: None,
            max: None,
            mean: None,
            sd: None,
            median: None,
            p95: None,
        }
    }

    #[test]
    fn a_normal_three_deviations_above_zero_is_accepted() {
        let mut normal = table(DistFamily::Normal);
        normal.mean = Some(Duration(90.0));
        normal.sd = Some(Duration(30.0));
        let path = keys(&["x"]);
        assert_eq!(
            dist(&RawDist::Table(normal.clone()), &path),
            Ok(Dist::Normal {
                mean: 90.0,
                sd: 30.0
            })
        );
        normal.sd = Some(Duration(31.0));
        assert!(dist(&RawDist::Table(normal), &path).is_err());
    }

    #[test]
    fn times_of_day_are_sorted_and_checked() {
        let times =
            |list: &[&str]| times_of_day(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            times(&["14:00", "02:30"]),
            Ok(vec![2 * units::HOUR + 30 * units::MINUTE, 14 * units::HOUR])
        );
        for bad in ["24:00", "2:00", "02:60", "noon", "02:00:00"] {
            let error = times(&["01:00", bad]).unwrap_err();
            assert_eq!(error.path.last(), Some(&Seg::Index(1)), "{bad}");
        }
        assert!(times(&[]).is_err());
    }
}
