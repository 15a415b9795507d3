//! From the resources read to a drsim model: which region each thing lives in, and what
//! each AWS resource type means for drsim. Every value cites the resource it came from;
//! a value Terraform does not give is a default, said as such; what needs the user is a
//! TODO.

use std::collections::{BTreeMap, BTreeSet};

use super::draft::{Draft, Table, Why, quote, quote_list};
use super::inventory::{Field, Inventory, Resource, region_of_arn};

/// Resource types the import reads (into the model, or to place other resources).
const READ: [&str; 27] = [
    "aws_subnet",
    "aws_nat_gateway",
    "aws_lb",
    "aws_alb",
    "aws_lb_target_group",
    "aws_alb_target_group",
    "aws_autoscaling_group",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_autoscaling_policy",
    "aws_autoscaling_lifecycle_hook",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_rds_global_cluster",
    "aws_dynamodb_table",
    "aws_s3_bucket",
    "aws_s3_bucket_replication_configuration",
    "aws_backup_plan",
    "aws_backup_vault",
    "aws_backup_vault_lock_configuration",
    "aws_backup_selection",
    "aws_route53_health_check",
    "aws_route53_record",
    "aws_globalaccelerator_accelerator",
    "aws_globalaccelerator_listener",
    "aws_globalaccelerator_endpoint_group",
];

/// The region used when Terraform names none anywhere (said in a TODO and on stderr).
const FALLBACK_REGION: &str = "us-east-1";

/// Builds the model of `inventory`, named `name`, read from `source`.
pub fn map(inventory: &Inventory, name: &str, source: &str) -> Draft {
    let mut m = Mapper::new(inventory);
    m.header(name, source);
    m.settings();
    m.regions();
    m.routing();
    m.database();
    m.object_storage();
    m.backups();
    m.dynamodb();
    m.disasters();
    m.tally();
    m.draft
}

struct Mapper<'a> {
    inv: &'a Inventory,
    draft: Draft,
    /// Regions of the model, in order: the primary first.
    regions: Vec<String>,
    primary: String,
    /// Why the primary is the primary.
    primary_why: String,
    active_active: bool,
    /// Whether the primary region has a NAT gateway.
    primary_nat: bool,
    /// Primary desired capacity (0: instance failures strike nothing).
    primary_runs: bool,
    db_region: String,
    /// The recovery region added when Terraform names only one.
    placeholder: Option<String>,
    /// Resources read into the model.
    used: BTreeSet<String>,
}

impl<'a> Mapper<'a> {
    fn new(inv: &'a Inventory) -> Mapper<'a> {
        let mut m = Mapper {
            inv,
            draft: Draft::default(),
            regions: Vec::new(),
            primary: String::new(),
            primary_why: String::new(),
            active_active: false,
            primary_nat: false,
            primary_runs: true,
            db_region: String::new(),
            placeholder: None,
            used: BTreeSet::new(),
        };
        m.draft.warnings.extend(inv.notes.iter().cloned());
        m.choose_regions();
        m
    }

    /// The region of `r`, falling back (said) to the primary when Terraform gives none.
    fn region(&self, r: &Resource) -> String {
        r.region
            .region
            .clone()
            .unwrap_or_else(|| self.primary.clone())
    }

    fn in_region(&self, kind: &str, region: &str) -> Vec<&'a Resource> {
        let inv: &'a Inventory = self.inv;
        inv.resources
            .iter()
            .filter(|r| r.kind == kind && self.region(r) == region)
            .collect()
    }

    /// The resource `r`'s argument at `at` refers to, if any (of one of `kinds`).
    fn target(&self, r: &Resource, at: &str, kinds: &[&str]) -> Option<&'a Resource> {
        r.refs
            .iter()
            .filter(|(p, _)| p.as_str() == at || p.starts_with(&format!("{at}/")))
            .flat_map(|(_, a)| a.iter())
            .filter_map(|a| self.inv.find(a))
            .find(|t| kinds.contains(&t.kind.as_str()))
    }

    /// The resources of `kind` whose argument `at` refers to `to`.
    fn referring(
        &self,
        kind: &'a str,
        at: &'a str,
        to: &'a Resource,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        let base = to.base_address().to_string();
        self.inv
            .of(kind)
            .filter(move |r| r.refs_of(at).iter().any(|a| *a == base || *a == to.address))
    }

    fn cite(&mut self, r: &Resource) -> Why {
        self.used.insert(r.address.clone());
        Why::From(r.cite())
    }

    fn choose_regions(&mut self) {
        let known: Vec<String> = self
            .inv
            .resources
            .iter()
            .filter_map(|r| r.region.region.clone())
            .collect();
        let failover_primary = self
            .inv
            .of("aws_route53_record")
            .find(|r| r.str("/failover_routing_policy/0/type").as_deref() == Some("PRIMARY"))
            .and_then(|r| self.record_region(r).map(|g| (g, r.cite())));
        let writer = self
            .writer()
            .and_then(|w| w.region.region.clone().map(|g| (g, w.cite())));
        let fleet = self
            .inv
            .of("aws_autoscaling_group")
            .find_map(|r| r.region.region.clone().map(|g| (g, r.cite())));
        let (primary, why) = match (failover_primary, writer, fleet, known.first()) {
            (Some((g, c)), ..) => (g, format!("{c}: the PRIMARY failover record points here")),
            (None, Some((g, c)), ..) => (g, format!("{c}: the database writer is here")),
            (None, None, Some((g, c)), _) => (g, format!("{c}: the Auto Scaling group is here")),
            (None, None, None, Some(g)) => (g.clone(), "the first region Terraform names".into()),
            (None, None, None, None) => {
                self.draft.warnings.push(format!(
                    "no region is known anywhere (no provider region, no ARN, no AZ): assumed {FALLBACK_REGION}; set the real one"
                ));
                (
                    FALLBACK_REGION.to_string(),
                    format!(
                        "TODO: no region is known anywhere in Terraform; {FALLBACK_REGION} is an assumption"
                    ),
                )
            }
        };
        self.primary = primary;
        self.primary_why = why;
        let unplaced: Vec<String> = self
            .inv
            .resources
            .iter()
            .filter(|r| r.region.region.is_none() && READ.contains(&r.kind.as_str()))
            .map(|r| format!("{} ({})", r.address, r.region.how))
            .collect();
        if !unplaced.is_empty() && !known.is_empty() {
            self.draft.warnings.push(format!(
                "no region known for {}: placed in the primary region {}",
                unplaced.join(", "),
                self.primary
            ));
        }
        let mut regions = vec![self.primary.clone()];
        for g in self.relevant_regions() {
            if !regions.contains(&g) {
                regions.push(g);
            }
        }
        if regions.len() == 1 {
            let recovery = recovery_placeholder(&self.primary);
            self.draft.warnings.push(format!(
                "Terraform names one region; drsim needs a recovery region: {recovery} is a placeholder (not deployed)"
            ));
            self.placeholder = Some(recovery.clone());
            regions.push(recovery);
        }
        self.regions = regions;
    }

    /// Regions that hold something drsim models, in the order Terraform names them.
    fn relevant_regions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |g: Option<String>| {
            if let Some(g) = g
                && !out.contains(&g)
            {
                out.push(g);
            }
        };
        for r in &self.inv.resources {
            match r.kind.as_str() {
                "aws_autoscaling_group"
                | "aws_lb"
                | "aws_alb"
                | "aws_db_instance"
                | "aws_rds_cluster"
                | "aws_subnet"
                | "aws_nat_gateway" => add(r.region.region.clone()),
                "aws_globalaccelerator_endpoint_group" => add(r.str("/endpoint_group_region")),
                "aws_backup_plan" => add(self.copy_region(r)),
                "aws_s3_bucket_replication_configuration" => add(self.s3_destination(r).0),
                _ => {}
            }
        }
        out
    }

    fn header(&mut self, name: &str, source: &str) {
        let mut top = Table::default();
        top.note(format!(
            "Imported from Terraform ({source}) by `drsim import terraform`."
        ));
        top.note("Each value says where it came from: `from ADDRESS (file:line)` is read from Terraform,");
        top.note("`default:` is not in Terraform (drsim's, Terraform's or AWS's default, named),");
        top.note("`TODO:` needs you. docs/import.md lists what is mapped and what is not.");
        top.key(
            "name",
            quote(name),
            Why::Default("the directory or file name".into()),
        );
        top.key(
            "description",
            quote(&format!("Imported from Terraform: {source}")),
            Why::Default("written by the import".into()),
        );
        top.note(
            "Sourced AWS timing defaults (launch, health checks, failovers...), built into drsim.",
        );
        top.key(
            "include",
            "[\"builtin:aws-timings\"]",
            Why::Default("timings are not in Terraform".into()),
        );
        self.draft.tables.push(top);
    }

    /// Settings Terraform cannot hold: the run, the objectives and the load.
    fn settings(&mut self) {
        let mut sim = Table::new("simulation");
        let usual = || Why::Default("drsim's usual run (models/web-app.toml)".into());
        sim.key("trials", "20000", usual());
        sim.key("seed", "1", usual());
        sim.key("horizon", quote("14d"), usual());
        self.draft.tables.push(sim);
        let mut obj = Table::new("objectives");
        obj.note(
            "TODO: your targets; these are the bundled example's (illustrative, not AWS figures).",
        );
        let example = || Why::Default("the bundled web app's example target".into());
        obj.key("rto", quote("15m"), example());
        obj.key("rpo", quote("15m"), example());
        obj.key("confidence", "0.99", example());
        self.draft.tables.push(obj);
        let mut load = Table::new("workload");
        load.note("TODO: your load and data (Terraform does not describe them); the bundled web app's figures.");
        let web = || Why::Default("the bundled web app's figure".into());
        load.key("requests_per_second", "1000", web());
        load.key("writes_per_second", "100", web());
        load.key("data_size_gb", "200", web());
        load.key("change_gb_per_day", "5", web());
        load.key("instance_capacity_rps", "250", web());
        self.primary_nat = self
            .in_region("aws_nat_gateway", &self.primary.clone())
            .into_iter()
            .any(is_public_nat);
        let outbound = if self.primary_nat {
            Why::Default(format!(
                "{} has a NAT gateway: instances are taken to call out through it",
                self.primary
            ))
        } else {
            Why::Todo(format!(
                "no aws_nat_gateway in {}: taken as not calling out; set true if instances reach the internet another way",
                self.primary
            ))
        };
        load.key("needs_outbound", self.primary_nat.to_string(), outbound);
        load.key("response_kb", "20", web());
        self.draft.tables.push(load);
    }

    fn regions(&mut self) {
        let primary_max = self
            .fleet(&self.primary.clone())
            .and_then(|a| a.num("/max_size"))
            .unwrap_or(4.0);
        for (i, region) in self.regions.clone().iter().enumerate() {
            self.region_tables(region, i == 0, primary_max as u64);
        }
    }

    /// The biggest Auto Scaling group of a region.
    fn fleet(&self, region: &str) -> Option<&'a Resource> {
        self.in_region("aws_autoscaling_group", region)
            .into_iter()
            .max_by(|a, b| {
                a.num("/max_size")
                    .unwrap_or(0.0)
                    .total_cmp(&b.num("/max_size").unwrap_or(0.0))
            })
    }

    fn region_tables(&mut self, region: &str, primary: bool, primary_max: u64) {
        let mut t = Table::new(&format!("regions.{region}"));
        let mut how: Vec<String> = self
            .inv
            .resources
            .iter()
            .filter(|r| self.region(r) == region && READ.contains(&r.kind.as_str()))
            .map(|r| r.region.how.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        how.truncate(4);
        for h in &how {
            t.note(format!("in {region}: {h}"));
        }
        if self.placeholder.as_deref() == Some(region) {
            t.note(format!(
                "TODO: Terraform names only {}; drsim needs a recovery region. {region} is a placeholder, not deployed (infrastructure as code would build it): set the region you would recover in",
                self.primary
            ));
        }
        let role = match (self.active_active, primary) {
            (true, _) => "active",
            (false, true) => "primary",
            (false, false) => "standby",
        };
        let role_why = if primary {
            if self.primary_why.starts_with("TODO") {
                Why::Todo(self.primary_why.trim_start_matches("TODO: ").to_string())
            } else {
                Why::From(self.primary_why.clone())
            }
        } else {
            Why::Default("not the primary".into())
        };
        t.key("role", quote(role), role_why);
        let azs = self.azs(region, &mut t);
        let fleet = self.fleet(region);
        let lbs: Vec<&Resource> = self
            .in_region("aws_lb", region)
            .into_iter()
            .chain(self.in_region("aws_alb", region))
            .collect();
        let has_lb = !lbs.is_empty();
        for lb in lbs {
            self.used.insert(lb.address.clone());
        }
        let desired = fleet.map(desired);
        let deployment = match (desired, has_lb) {
            (Some(d), _) if d > 0 => "running",
            (Some(_), _) | (None, true) => "scaled_to_zero",
            (None, false) => "not_deployed",
        };
        let dep_why = match (fleet, deployment) {
            (Some(a), "running") => self.cite(a),
            (Some(a), _) => {
                self.used.insert(a.address.clone());
                Why::From(format!("{} with desired capacity 0", a.cite()))
            }
            (None, "scaled_to_zero") => Why::Default(format!(
                "an aws_lb but no aws_autoscaling_group in {region}"
            )),
            _ => Why::Default(format!(
                "no aws_autoscaling_group or aws_lb in {region}: infrastructure as code builds it"
            )),
        };
        if primary {
            self.primary_runs = deployment == "running";
        }
        if crate::model::builtin::catalog_for_region(region).is_none() {
            t.note(format!("TODO: drsim has no built-in price catalog for {region}: add [cost.catalogs] {region} = \"builtin:aws-NEAREST\" or a catalog file"));
            self.draft.warnings.push(format!("region {region} has no built-in price catalog: validate needs a [cost.catalogs] entry"));
        }
        if primary && deployment != "running" {
            t.note(
                "TODO: the primary region must run instances; Terraform shows none running here.",
            );
        }
        t.key("deployment", quote(deployment), dep_why);
        self.nat(region, &azs, deployment, &mut t);
        self.draft.tables.push(t);
        self.alb(region, fleet);
        self.asg(region, fleet, deployment, primary_max, primary);
    }

    /// The AZs of a region's subnets.
    fn azs(&mut self, region: &str, t: &mut Table) -> Vec<String> {
        let subnets = self.in_region("aws_subnet", region);
        let mut azs: Vec<String> = Vec::new();
        let mut unknown = Vec::new();
        for s in &subnets {
            match s.get("/availability_zone") {
                Field::Known(serde_json::Value::String(az)) if !azs.contains(&az) => {
                    azs.push(az);
                }
                Field::Unknown(e) => unknown.push(format!("{} = {e}", s.address)),
                _ => {}
            }
            self.used.insert(s.address.clone());
        }
        if !azs.is_empty() {
            let cites: Vec<String> = subnets.iter().take(3).map(|s| s.cite()).collect();
            let more = if subnets.len() > 3 { ", ..." } else { "" };
            if !unknown.is_empty() {
                t.note(format!("TODO: AZ not resolved for {}", unknown.join("; ")));
            }
            t.key(
                "azs",
                quote_list(&azs),
                Why::From(format!("{}{more}", cites.join(", "))),
            );
            return azs;
        }
        let assumed = vec![format!("{region}a"), format!("{region}b")];
        let why = if unknown.is_empty() {
            Why::Todo(format!("no aws_subnet in {region}: two AZs assumed"))
        } else {
            Why::Todo(format!(
                "subnet AZs not resolvable statically ({}): two AZs assumed",
                unknown.join("; ")
            ))
        };
        t.key("azs", quote_list(&assumed), why);
        assumed
    }

    fn nat(&mut self, region: &str, azs: &[String], deployment: &str, t: &mut Table) {
        let nats: Vec<&Resource> = self
            .in_region("aws_nat_gateway", region)
            .into_iter()
            .filter(|n| is_public_nat(n))
            .collect();
        match nats.as_slice() {
            [] if deployment == "not_deployed" => t.key(
                "nat",
                quote("per_az"),
                Why::Default("nothing deployed: infrastructure as code would build NAT per AZ (drsim's default)".into()),
            ),
            [] => t.key("nat", quote("none"), Why::Default(format!("no aws_nat_gateway in {region}"))),
            [one] => {
                let why = self.cite(one);
                t.key("nat", quote("single"), why);
                let subnet = self.target(one, "/subnet_id", &["aws_subnet"]);
                match subnet.and_then(|s| s.str("/availability_zone")).filter(|az| azs.contains(az)) {
                    Some(az) => {
                        let why = Why::From(format!("{} in {}", one.cite(), subnet.map_or_else(String::new, |s| s.cite())));
                        t.key("nat_az", quote(&az), why);
                    }
                    None => t.key(
                        "nat_az",
                        quote(&azs[0]),
                        Why::Todo(format!("the AZ of {}'s subnet is not known: the first AZ assumed", one.address)),
                    ),
                }
            }
            many => {
                let cites: Vec<String> = many.iter().map(|n| n.cite()).collect();
                for n in many {
                    self.used.insert(n.address.clone());
                }
                if many.len() < azs.len() {
                    t.note(format!(
                        "TODO: {} NAT gateways for {} AZs: drsim models one per AZ or a single one",
                        many.len(),
                        azs.len()
                    ));
                }
                t.key("nat", quote("per_az"), Why::From(format!("{} gateways: {}", many.len(), cites.join(", "))));
            }
        }
    }

    fn alb(&mut self, region: &str, fleet: Option<&'a Resource>) {
        let mut t = Table::new(&format!("regions.{region}.alb"));
        let groups = ["aws_lb_target_group", "aws_alb_target_group"];
        let group = fleet
            .and_then(|a| self.target(a, "/target_group_arns", &groups))
            .or_else(|| {
                self.in_region(groups[0], region)
                    .into_iter()
                    .chain(self.in_region(groups[1], region))
                    .next()
            });
        match group {
            Some(g) => {
                let defaults = "the Terraform AWS provider's default (sources.md#tf-target-group-defaults)";
                for (key, arg, default) in [
                    ("interval", "interval", 30.0),
                    ("healthy_threshold", "healthy_threshold", 3.0),
                    ("unhealthy_threshold", "unhealthy_threshold", 3.0),
                ] {
                    let at = format!("/health_check/0/{arg}");
                    let (value, why) = match (g.num(&at), g.get(&at)) {
                        (Some(v), _) => (v, self.cite(g)),
                        (None, Field::Unknown(e)) => (default, Why::Todo(format!("{} {arg} = {e} not resolvable; {defaults}", g.address))),
                        (None, _) => {
                            self.used.insert(g.address.clone());
                            (default, Why::Default(format!("{} sets no {arg}: {defaults}", g.address)))
                        }
                    };
                    let text = if key == "interval" { quote(&format!("{}s", value as u64)) } else { (value as u64).to_string() };
                    t.key(key, text, why);
                }
            }
            None => t.note(format!(
                "no target group in {region}: drsim's ALB health-check defaults (aws-timings: 30s, 5 healthy, 2 unhealthy)"
            )),
        }
        t.key(
            "deep_health_check",
            "false",
            Why::Todo("set true if the health check path exercises the database and outbound calls (not visible in Terraform)".into()),
        );
        self.draft.tables.push(t);
    }

    fn asg(
        &mut self,
        region: &str,
        fleet: Option<&'a Resource>,
        deployment: &str,
        primary_max: u64,
        primary: bool,
    ) {
        let mut t = Table::new(&format!("regions.{region}.asg"));
        let Some(a) = fleet else {
            let (min, desired, max) = if primary {
                (2, 2, primary_max.max(2))
            } else {
                (0, 0, primary_max)
            };
            let why = if primary {
                Why::Todo(format!(
                    "no aws_autoscaling_group in {region}: the serving fleet is assumed"
                ))
            } else {
                Why::Default(format!(
                    "nothing runs in {region}; it may grow to the primary's maximum"
                ))
            };
            t.key("min", min.to_string(), why.clone());
            t.key("desired", desired.to_string(), why.clone());
            t.key("max", max.to_string(), why);
            match self
                .primary_key("asg", "instance_type")
                .zip(self.primary_key("asg", "volume_gb"))
                .filter(|_| !primary)
            {
                Some((itype, gb)) => {
                    let same = || {
                        Why::Default(format!(
                            "the primary's ({} builds the same stack)",
                            self.primary
                        ))
                    };
                    t.key("instance_type", itype, same());
                    t.key("volume_gb", gb, same());
                }
                None => {
                    t.key(
                        "instance_type",
                        quote("m5.large"),
                        Why::Todo("no launch template: the bundled web app's type".into()),
                    );
                    t.key(
                        "volume_gb",
                        "20",
                        Why::Default("the bundled web app's root volume".into()),
                    );
                }
            }
            self.draft.tables.push(t);
            return;
        };
        let others: Vec<String> = self
            .in_region("aws_autoscaling_group", region)
            .into_iter()
            .filter(|o| o.address != a.address)
            .map(|o| o.address.clone())
            .collect();
        if !others.is_empty() {
            t.note(format!(
                "TODO: drsim models one group per region; also here: {}",
                others.join(", ")
            ));
        }
        for (key, arg) in [("min", "/min_size"), ("max", "/max_size")] {
            let why = match a.get(arg) {
                Field::Unknown(e) => {
                    Why::Todo(format!("{} {} = {e} not resolvable", a.address, &arg[1..]))
                }
                _ => self.cite(a),
            };
            t.key(key, (a.num(arg).unwrap_or(0.0) as u64).to_string(), why);
        }
        let d = desired(a);
        let why = if a.num("/desired_capacity").is_some() {
            self.cite(a)
        } else {
            Why::Default(format!(
                "{} sets no desired_capacity: AWS starts at min_size (sources.md#tf-asg-defaults)",
                a.cite()
            ))
        };
        t.key("desired", d.to_string(), why);
        let _ = deployment;
        self.instance_type(a, &mut t);
        self.warm_pool(a, d, &mut t);
        let grace = a.num("/health_check_grace_period");
        let why = match grace {
            Some(_) => self.cite(a),
            None => Why::Default("unsourced: the Terraform AWS provider's documented 300 s (AWS API: 0 s; sources.md#tf-asg-defaults)".into()),
        };
        t.key(
            "health_check_grace",
            quote(&format!("{}s", grace.unwrap_or(300.0) as u64)),
            why,
        );
        let kind = a.str("/health_check_type");
        let why = match &kind {
            Some(_) => self.cite(a),
            None => Why::Default("Terraform's and AWS's EC2 (sources.md#tf-asg-defaults)".into()),
        };
        let kind = kind.unwrap_or_else(|| "EC2".into()).to_ascii_lowercase();
        t.key("health_check_type", quote(&kind), why);
        self.lifecycle_hooks(a, &mut t);
        self.scaling_policy(a, &mut t);
        self.draft.tables.push(t);
    }

    fn instance_type(&mut self, a: &'a Resource, t: &mut Table) {
        let template = self
            .target(a, "/launch_template", &["aws_launch_template"])
            .or_else(|| self.target(a, "/mixed_instances_policy", &["aws_launch_template"]));
        let config = self.target(a, "/launch_configuration", &["aws_launch_configuration"]);
        let (source, disk) = match (template, config) {
            (Some(lt), _) => (Some(lt), "/block_device_mappings/0/ebs/0/volume_size"),
            (None, Some(lc)) => (Some(lc), "/root_block_device/0/volume_size"),
            (None, None) => (None, ""),
        };
        if a.count("/mixed_instances_policy") > 0 {
            t.note("TODO: a mixed instances policy: drsim models one instance type (the launch template's)");
        }
        match source.and_then(|s| s.str("/instance_type").map(|i| (s, i))) {
            Some((s, itype)) => {
                let region = self.region(a);
                if !priced(&region, &itype) {
                    t.note(format!("TODO: {itype} is not in drsim's built-in price catalog of {region}: add it under [cost.overrides] or validate refuses it"));
                    self.draft.warnings.push(format!(
                        "{}: instance type {itype} has no built-in price in {region}",
                        a.address
                    ));
                }
                let why = Why::From(format!("{} via {}", s.cite(), a.address));
                self.used.insert(s.address.clone());
                t.key("instance_type", quote(&itype), why);
            }
            None => {
                let what = source.map_or_else(
                    || {
                        format!(
                            "{} names no launch template or configuration drsim could read",
                            a.address
                        )
                    },
                    |s| format!("{}'s instance_type is not resolvable", s.address),
                );
                t.key(
                    "instance_type",
                    quote("m5.large"),
                    Why::Todo(format!("{what}: the bundled web app's type")),
                );
            }
        }
        match source.and_then(|s| s.num(disk).map(|v| (s, v))) {
            Some((s, gb)) => t.key("volume_gb", (gb as u64).to_string(), Why::From(s.cite())),
            None => t.key(
                "volume_gb",
                "20",
                Why::Default(
                    "no volume size in Terraform (the AMI decides): the bundled web app's 20 GB"
                        .into(),
                ),
            ),
        }
    }

    /// `warm_pool`: pool size = max(min_size, max prepared capacity - desired), the
    /// prepared capacity defaulting to the group's maximum (sources.md#tf-warm-pool-size).
    fn warm_pool(&mut self, a: &'a Resource, desired: u64, t: &mut Table) {
        if a.count("/warm_pool") == 0 {
            return;
        }
        let max = a.num("/max_size").unwrap_or(0.0) as u64;
        let prepared = a
            .num("/warm_pool/0/max_group_prepared_capacity")
            .map_or(max, |v| v as u64);
        let min = a.num("/warm_pool/0/min_size").unwrap_or(0.0) as u64;
        let size = prepared.saturating_sub(desired).max(min).min(max);
        let state = a
            .str("/warm_pool/0/pool_state")
            .unwrap_or_else(|| "Stopped".into())
            .to_ascii_lowercase();
        let why = Why::From(format!(
            "{}: warm_pool max prepared {prepared} - desired {desired}, at least min_size {min} (sources.md#tf-warm-pool-size)",
            a.cite()
        ));
        self.used.insert(a.address.clone());
        t.key(
            "warm_pool",
            format!("{{ size = {size}, state = {} }}", quote(&state)),
            why,
        );
    }

    fn lifecycle_hooks(&mut self, a: &'a Resource, t: &mut Table) {
        let mut hooks: Vec<(String, Option<f64>)> = Vec::new();
        for i in 0..a.count("/initial_lifecycle_hook") {
            let at = format!("/initial_lifecycle_hook/{i}");
            if a.str(&format!("{at}/lifecycle_transition"))
                .is_some_and(|s| s.ends_with("LAUNCHING"))
            {
                hooks.push((
                    format!("{} initial_lifecycle_hook", a.cite()),
                    a.num(&format!("{at}/heartbeat_timeout")),
                ));
            }
        }
        let outside: Vec<&Resource> = self
            .referring(
                "aws_autoscaling_lifecycle_hook",
                "/autoscaling_group_name",
                a,
            )
            .collect();
        for h in outside {
            if h.str("/lifecycle_transition")
                .is_some_and(|s| s.ends_with("LAUNCHING"))
            {
                self.used.insert(h.address.clone());
                hooks.push((h.cite(), h.num("/heartbeat_timeout")));
            }
        }
        if hooks.is_empty() {
            return;
        }
        let list: Vec<String> = hooks
            .iter()
            .map(|(c, hb)| format!("{c} (heartbeat_timeout {}s)", hb.unwrap_or(3600.0) as u64))
            .collect();
        t.note(format!("launch lifecycle hooks: {}", list.join("; ")));
        t.key(
            "lifecycle_hook",
            quote("0s"),
            Why::Todo("how long your hook really holds a launch (at most its heartbeat_timeout) is not in Terraform; set it".into()),
        );
    }

    fn scaling_policy(&mut self, a: &'a Resource, t: &mut Table) {
        let policies: Vec<&Resource> = self
            .referring("aws_autoscaling_policy", "/autoscaling_group_name", a)
            .collect();
        let Some(p) = policies.first() else {
            t.key(
                "policy",
                quote("target_tracking"),
                Why::Todo(format!("no aws_autoscaling_policy for {}: it would not scale on load; drsim assumes target tracking", a.address)),
            );
            return;
        };
        if policies.len() > 1 {
            t.note(format!(
                "TODO: {} scaling policies; drsim models the first",
                policies.len()
            ));
        }
        let kind = p
            .str("/policy_type")
            .unwrap_or_else(|| "SimpleScaling".into());
        let policy = match kind.as_str() {
            "TargetTrackingScaling" => "target_tracking",
            "StepScaling" => "step",
            "SimpleScaling" => "simple",
            _ => {
                t.key(
                    "policy",
                    quote("target_tracking"),
                    Why::Todo(format!(
                        "{} is {kind}, which drsim does not model",
                        p.cite()
                    )),
                );
                return;
            }
        };
        let why = self.cite(p);
        t.key("policy", quote(policy), why);
        if policy == "simple" {
            let (cooldown, why) = match (p.num("/cooldown"), a.num("/default_cooldown")) {
                (Some(c), _) => (c, Why::From(p.cite())),
                (None, Some(c)) => (c, Why::From(format!("{} default_cooldown", a.cite()))),
                (None, None) => (
                    300.0,
                    Why::Default(
                        "AWS's default cooldown, 300 s (sources.md#tf-asg-defaults)".into(),
                    ),
                ),
            };
            t.key("cooldown", quote(&format!("{}s", cooldown as u64)), why);
        }
    }

    /// The region a Route 53 record sends traffic to: its alias target's, else its health
    /// check's target's.
    fn record_region(&self, r: &Resource) -> Option<String> {
        let lbs = ["aws_lb", "aws_alb", "aws_globalaccelerator_accelerator"];
        self.target(r, "/alias", &lbs)
            .or_else(|| {
                self.target(r, "/health_check_id", &["aws_route53_health_check"])
                    .and_then(|h| self.target(h, "/fqdn", &lbs))
            })
            .and_then(|t| t.region.region.clone())
    }

    fn routing(&mut self) {
        let mut t = Table::new("routing");
        let groups: Vec<&Resource> = self
            .inv
            .of("aws_globalaccelerator_endpoint_group")
            .collect();
        if !groups.is_empty() {
            self.accelerator(&groups, &mut t);
        } else {
            self.route53(&mut t);
        }
        // The role keys were written before routing was known: fix them for active/active.
        if self.active_active {
            for table in &mut self.draft.tables {
                for line in &mut table.lines {
                    if let super::draft::Line::Key(k, v, _) = line
                        && k == "role"
                    {
                        *v = quote("active");
                    }
                }
            }
        }
        self.draft.tables.push(t);
    }

    fn accelerator(&mut self, groups: &[&'a Resource], t: &mut Table) {
        t.key(
            "kind",
            quote("global_accelerator"),
            Why::From(groups[0].cite()),
        );
        let serving = groups
            .iter()
            .filter(|g| g.num("/traffic_dial_percentage").unwrap_or(100.0) > 0.0)
            .count();
        self.active_active = serving >= 2;
        let mode = if self.active_active {
            "active_active"
        } else {
            "failover"
        };
        let cites: Vec<String> = groups.iter().map(|g| g.cite()).collect();
        for g in groups {
            self.used.insert(g.address.clone());
        }
        t.key(
            "mode",
            quote(mode),
            Why::From(format!(
                "{serving} endpoint group(s) with traffic of {}",
                cites.join(", ")
            )),
        );
        let g = groups[0];
        let interval = g.num("/health_check_interval_seconds");
        let why = interval.map_or(
            Why::Default("unsourced: Global Accelerator's 30 s (10 s or 30 s)".into()),
            |_| Why::From(g.cite()),
        );
        t.key(
            "health_check_interval",
            quote(&format!("{}s", interval.unwrap_or(30.0) as u64)),
            why,
        );
        let threshold = g.num("/threshold_count");
        let why = threshold.map_or(
            Why::Default("unsourced: Global Accelerator's 3 (1..10)".into()),
            |_| Why::From(g.cite()),
        );
        t.key(
            "failure_threshold",
            (threshold.unwrap_or(3.0) as u64).to_string(),
            why,
        );
        for a in self
            .inv
            .of("aws_globalaccelerator_accelerator")
            .chain(self.inv.of("aws_globalaccelerator_listener"))
        {
            self.used.insert(a.address.clone());
        }
        if self.active_active {
            self.weights(
                groups
                    .iter()
                    .map(|g| {
                        (
                            g.str("/endpoint_group_region"),
                            g.num("/traffic_dial_percentage").unwrap_or(100.0),
                            g.cite(),
                        )
                    })
                    .collect(),
            );
        }
    }

    fn route53(&mut self, t: &mut Table) {
        let records: Vec<&Resource> = self.inv.of("aws_route53_record").collect();
        let failover: Vec<&Resource> = records
            .iter()
            .copied()
            .filter(|r| r.count("/failover_routing_policy") > 0)
            .collect();
        let weighted: Vec<&Resource> = records
            .iter()
            .copied()
            .filter(|r| {
                r.count("/weighted_routing_policy") > 0 || r.count("/latency_routing_policy") > 0
            })
            .collect();
        let weighted_regions: BTreeSet<String> = weighted
            .iter()
            .filter_map(|r| self.record_region(r))
            .collect();
        t.key(
            "kind",
            quote("route53"),
            match records.first() {
                Some(r) => Why::From(r.cite()),
                None => Why::Default(
                    "no DNS or accelerator in Terraform: Route 53 failover assumed".into(),
                ),
            },
        );
        let (mode, why, chosen) = if !failover.is_empty() {
            (
                "failover",
                Why::From(
                    failover
                        .iter()
                        .map(|r| r.cite())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                failover.clone(),
            )
        } else if weighted_regions.len() >= 2 {
            self.active_active = true;
            (
                "active_active",
                Why::From(
                    weighted
                        .iter()
                        .map(|r| r.cite())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                weighted.clone(),
            )
        } else {
            ("failover", Why::Todo("no failover, weighted or latency records across regions in Terraform: failover assumed".into()), Vec::new())
        };
        for r in &chosen {
            self.used.insert(r.address.clone());
        }
        t.key("mode", quote(mode), why);
        if self.active_active {
            self.weights(
                weighted
                    .iter()
                    .map(|r| {
                        (
                            self.record_region(r),
                            r.num("/weighted_routing_policy/0/weight").unwrap_or(1.0),
                            r.cite(),
                        )
                    })
                    .collect(),
            );
        }
        let check = chosen
            .iter()
            .find_map(|r| self.target(r, "/health_check_id", &["aws_route53_health_check"]))
            .or_else(|| self.inv.of("aws_route53_health_check").next());
        match check {
            Some(h) => {
                let interval = h.num("/request_interval");
                let why = interval.map_or(Why::Default(format!("{} sets no request_interval: Route 53's 30 s (sources.md#r53-healthcheckconfig)", h.address)), |_| self.cite(h));
                t.key("health_check_interval", quote(&format!("{}s", interval.unwrap_or(30.0) as u64)), why);
                let threshold = h.num("/failure_threshold");
                let why = threshold.map_or(Why::Default(format!("{} sets no failure_threshold: Route 53's 3 (sources.md#r53-healthcheckconfig)", h.address)), |_| self.cite(h));
                t.key("failure_threshold", (threshold.unwrap_or(3.0) as u64).to_string(), why);
                for other in self.inv.of("aws_route53_health_check") {
                    self.used.insert(other.address.clone());
                }
            }
            None if !chosen.is_empty() => t.note(format!(
                "TODO: the records name no aws_route53_health_check drsim could read: health check settings are aws-timings' defaults ({})",
                chosen.iter().map(|r| r.address.clone()).collect::<Vec<_>>().join(", ")
            )),
            None => {}
        }
        let plain = chosen.iter().find(|r| r.num("/ttl").is_some());
        match (plain, chosen.iter().find(|r| r.count("/alias") > 0)) {
            (Some(r), _) => {
                let ttl = r.num("/ttl").unwrap_or(60.0);
                t.key("ttl", quote(&format!("{}s", ttl as u64)), Why::From(r.cite()));
            }
            (None, Some(r)) => t.note(format!(
                "{} is an alias record: clients see the target's TTL (an ALB's 60 s: aws-timings' ttl)",
                r.cite()
            )),
            (None, None) => {}
        }
        if chosen
            .iter()
            .any(|r| r.bool("/alias/0/evaluate_target_health") == Some(true))
        {
            t.note("alias records evaluate target health: Route 53 follows the ALB's target health as well");
        }
    }

    /// Active/active weights, per region.
    fn weights(&mut self, by_region: Vec<(Option<String>, f64, String)>) {
        let total: f64 = by_region.iter().map(|w| w.1).sum();
        for (region, weight, cite) in by_region {
            let Some(region) = region else { continue };
            if total <= 0.0 || weight <= 0.0 {
                continue;
            }
            let header = format!("regions.{region}");
            if let Some(table) = self
                .draft
                .tables
                .iter_mut()
                .find(|t| t.header.as_deref() == Some(&header))
            {
                let share = (weight / total * 1000.0).round() / 1000.0;
                table.key("weight", share.to_string(), Why::From(cite));
            }
        }
    }

    /// The database writer: an Aurora cluster that is not a secondary, else an RDS instance
    /// that replicates nothing.
    fn writer(&self) -> Option<&'a Resource> {
        let clusters: Vec<&Resource> = self.inv.of("aws_rds_cluster").collect();
        clusters
            .iter()
            .copied()
            .find(|c| {
                c.body.contains_key("master_username")
                    || c.body.contains_key("manage_master_user_password")
                    || c.unknown.contains_key("/master_username")
            })
            .or_else(|| clusters.first().copied())
            .or_else(|| {
                self.inv
                    .of("aws_db_instance")
                    .find(|d| d.get("/replicate_source_db") == Field::Absent)
            })
    }

    fn database(&mut self) {
        let mut t = Table::new("database");
        let Some(w) = self.writer() else {
            t.note("TODO: no aws_db_instance or aws_rds_cluster in Terraform; drsim needs a database: a placeholder.");
            let why = || Why::Todo("placeholder: no database in Terraform".into());
            t.key("kind", quote("multi_az"), why());
            t.key("instance_class", quote("db.r6g.large"), why());
            t.key("region", quote(&self.primary), why());
            let az = self.first_az(&self.primary.clone());
            t.key("az", quote(&az), why());
            self.db_region = self.primary.clone();
            self.draft.tables.push(t);
            return;
        };
        let region = self.region(w);
        self.db_region = region.clone();
        if w.kind == "aws_rds_cluster" {
            self.aurora(w, &region, &mut t);
        } else {
            self.rds(w, &region, &mut t);
        }
        self.draft.tables.push(t);
    }

    /// The value already written for `key` in the primary region's `table`.
    fn primary_key(&self, table: &str, key: &str) -> Option<String> {
        let header = format!("regions.{}.{table}", self.primary);
        self.draft
            .tables
            .iter()
            .find(|t| t.header.as_deref() == Some(&header))?
            .lines
            .iter()
            .find_map(|l| match l {
                super::draft::Line::Key(k, v, _) if k == key => Some(v.clone()),
                _ => None,
            })
    }

    fn first_az(&self, region: &str) -> String {
        self.draft
            .tables
            .iter()
            .find(|t| t.header.as_deref() == Some(&format!("regions.{region}")))
            .and_then(|t| {
                t.lines.iter().find_map(|l| match l {
                    super::draft::Line::Key(k, v, _) if k == "azs" => v
                        .trim_start_matches('[')
                        .split(',')
                        .next()
                        .map(|s| s.trim().trim_matches(['"', ']']).to_string()),
                    _ => None,
                })
            })
            .unwrap_or_else(|| format!("{region}a"))
    }

    fn rds(&mut self, w: &'a Resource, region: &str, t: &mut Table) {
        let multi = w.bool("/multi_az").unwrap_or(false);
        let why = match w.get("/multi_az") {
            Field::Absent => Why::Default(format!(
                "{} sets no multi_az: a single instance (Terraform's default)",
                w.cite()
            )),
            Field::Unknown(e) => Why::Todo(format!(
                "{} multi_az = {e} not resolvable: single assumed",
                w.address
            )),
            Field::Known(_) => self.cite(w),
        };
        t.key(
            "kind",
            quote(if multi { "multi_az" } else { "single" }),
            why,
        );
        if let Some(engine) = w.str("/engine") {
            t.note(format!(
                "engine {engine} ({}): drsim times every RDS engine alike",
                w.address
            ));
        }
        self.class(w, w.str("/instance_class"), t);
        t.key(
            "region",
            quote(region),
            Why::From(format!("{}: {}", w.cite(), w.region.how)),
        );
        let az = w.str("/availability_zone");
        match az {
            Some(az) => t.key("az", quote(&az), Why::From(w.cite())),
            None => {
                let first = self.first_az(region);
                t.key(
                    "az",
                    quote(&first),
                    Why::Default(format!(
                        "{} names no availability_zone (RDS picks one): the region's first",
                        w.address
                    )),
                );
            }
        }
        let replicas: Vec<&Resource> = self
            .inv
            .of("aws_db_instance")
            .filter(|r| {
                r.refs_of("/replicate_source_db")
                    .iter()
                    .any(|a| a == w.base_address())
                    || r.str("/replicate_source_db")
                        .is_some_and(|s| region_of_arn(&s).is_some())
            })
            .collect();
        let cross = replicas.iter().find(|r| self.region(r) != region);
        for r in &replicas {
            if cross.is_none_or(|c| c.address != r.address) {
                t.note(format!(
                    "{} is a read replica in the same region: drsim does not model it",
                    r.cite()
                ));
            }
        }
        if let Some(r) = cross {
            let why = Why::From(format!(
                "{} replicate_source_db, in {}",
                r.cite(),
                r.region.how
            ));
            self.used.insert(r.address.clone());
            t.key("cross_region", quote("read_replica"), why.clone());
            t.key("replica_region", quote(&self.region(r)), why);
        }
    }

    fn aurora(&mut self, w: &'a Resource, region: &str, t: &mut Table) {
        t.key("kind", quote("aurora"), self.cite(w));
        let instances: Vec<&Resource> = self
            .referring("aws_rds_cluster_instance", "/cluster_identifier", w)
            .collect();
        let class = instances
            .iter()
            .find_map(|i| i.str("/instance_class").map(|c| (i, c)));
        match class {
            Some((i, c)) => {
                t.note(format!("{} instance(s) in {}", instances.len(), w.address));
                self.used.insert(i.address.clone());
                let why = Why::From(i.cite());
                if self.priced_class(&c) {
                    t.key("instance_class", quote(&c), why);
                } else {
                    self.class(i, Some(c), t);
                }
            }
            None => self.class(w, w.str("/db_cluster_instance_class"), t),
        }
        t.key(
            "region",
            quote(region),
            Why::From(format!("{}: {}", w.cite(), w.region.how)),
        );
        let az = w
            .str("/availability_zones/0")
            .unwrap_or_else(|| self.first_az(region));
        t.key(
            "az",
            quote(&az),
            Why::Default(
                "Aurora spreads instances over AZs: the writer's AZ is the region's first".into(),
            ),
        );
        let global = self.target(w, "/global_cluster_identifier", &["aws_rds_global_cluster"]);
        let secondary = self.inv.of("aws_rds_cluster").find(|c| {
            c.address != w.address
                && self.region(c) != region
                && (global.is_none()
                    || self
                        .target(c, "/global_cluster_identifier", &["aws_rds_global_cluster"])
                        .is_some())
        });
        match (global, secondary) {
            (Some(g), Some(s)) => {
                self.used.insert(g.address.clone());
                let why = Why::From(format!(
                    "{} with {} in {}",
                    g.cite(),
                    s.cite(),
                    self.region(s)
                ));
                self.used.insert(s.address.clone());
                t.key("cross_region", quote("aurora_global"), why.clone());
                t.key("replica_region", quote(&self.region(s)), why);
            }
            (None, Some(s)) => {
                let why = Why::From(format!("{} replicates from another region", s.cite()));
                self.used.insert(s.address.clone());
                t.key("cross_region", quote("read_replica"), why.clone());
                t.key("replica_region", quote(&self.region(s)), why);
            }
            (Some(g), None) => t.note(format!(
                "TODO: {} has no secondary cluster in another region drsim could read",
                g.cite()
            )),
            (None, None) => {}
        }
    }

    fn class(&mut self, r: &'a Resource, class: Option<String>, t: &mut Table) {
        match class {
            Some(c) => {
                if !self.priced_class(&c) {
                    t.note(format!("TODO: {c} is not in drsim's built-in price catalogs: add it under [cost.overrides] or validate refuses it"));
                    self.draft.warnings.push(format!("{}: instance class {c} has no built-in price; add a [cost.overrides] price", r.address));
                }
                let why = self.cite(r);
                t.key("instance_class", quote(&c), why);
            }
            None => t.key(
                "instance_class",
                quote("db.r6g.large"),
                Why::Todo(format!(
                    "{}'s instance class is not resolvable: the bundled one",
                    r.address
                )),
            ),
        }
    }

    /// Whether the built-in catalog of the database's region prices `class`.
    fn priced_class(&self, class: &str) -> bool {
        priced(&self.db_region, class)
    }

    /// The region an S3 replication configuration copies to, and the destination.
    fn s3_destination(&self, r: &'a Resource) -> (Option<String>, Option<&'a Resource>) {
        let bucket = self
            .target(r, "/rule", &["aws_s3_bucket"])
            .filter(|b| r.refs_of("/bucket").iter().all(|a| a != b.base_address()));
        let region = bucket.and_then(|b| b.region.region.clone()).or_else(|| {
            r.str("/rule/0/destination/0/bucket")
                .and_then(|a| region_of_arn(&a))
        });
        (region, bucket)
    }

    fn object_storage(&mut self) {
        let mut t = Table::new("object_storage");
        t.key(
            "size_gb",
            "500",
            Why::Todo(
                "how much you store is not in Terraform: the bundled web app's 500 GB".into(),
            ),
        );
        let buckets: Vec<&Resource> = self.inv.of("aws_s3_bucket").collect();
        if buckets.is_empty() {
            t.note("no aws_s3_bucket in Terraform: drsim needs [object_storage]; not replicated");
        }
        let Some(config) = self
            .inv
            .of("aws_s3_bucket_replication_configuration")
            .next()
        else {
            if let Some(b) = buckets.first() {
                let why = self.cite(b);
                t.key("replication", quote("none"), why);
            }
            self.draft.tables.push(t);
            return;
        };
        let (region, _dest) = self.s3_destination(config);
        let source_region = self
            .target(config, "/bucket", &["aws_s3_bucket"])
            .map_or_else(|| self.region(config), |b| self.region(b));
        match region {
            Some(g) if g != source_region && self.regions.contains(&g) => {
                let rtc = config
                    .str("/rule/0/destination/0/replication_time/0/status")
                    .as_deref()
                    == Some("Enabled");
                let why = self.cite(config);
                t.key(
                    "replication",
                    quote(if rtc { "crr_rtc" } else { "crr" }),
                    why.clone(),
                );
                t.key("replica_region", quote(&g), why);
            }
            Some(g) if g == source_region => {
                let why = Why::From(format!("{}: same-region replication", config.cite()));
                t.key("replication", quote("none"), why);
            }
            _ => t.key(
                "replication",
                quote("none"),
                Why::Todo(format!(
                    "{}: the destination bucket's region is not known",
                    config.address
                )),
            ),
        }
        self.draft.tables.push(t);
    }

    /// The region a backup plan's copy goes to (the destination vault's).
    fn copy_region(&self, plan: &Resource) -> Option<String> {
        (0..plan.count("/rule")).find_map(|i| {
            let at = format!("/rule/{i}/copy_action/0/destination_vault_arn");
            self.target(plan, &at, &["aws_backup_vault"])
                .and_then(|v| v.region.region.clone())
                .or_else(|| plan.str(&at).and_then(|a| region_of_arn(&a)))
        })
    }

    fn backups(&mut self) {
        let Some(plan) = self.inv.of("aws_backup_plan").next() else {
            return;
        };
        let mut t = Table::new("backups");
        let rules: Vec<(usize, Schedule)> = (0..plan.count("/rule"))
            .map(|i| {
                (
                    i,
                    schedule(plan.str(&format!("/rule/{i}/schedule")).as_deref()),
                )
            })
            .collect();
        let Some((i, sched)) = rules.iter().min_by_key(|(_, s)| s.gap_hours()).cloned() else {
            return;
        };
        if rules.len() > 1 {
            t.note(format!(
                "{} has {} rules: drsim models the most frequent, rule {i}",
                plan.address,
                rules.len()
            ));
        }
        let rule = format!("/rule/{i}");
        let cite = plan.cite();
        self.used.insert(plan.address.clone());
        match &sched {
            Schedule::At(times, cron) => t.key(
                "at",
                quote_list(times),
                Why::From(format!("{cite} schedule {cron} (UTC)")),
            ),
            Schedule::Every(h, cron) => t.key(
                "every",
                quote(&format!("{h}h")),
                Why::From(format!("{cite} schedule {cron}")),
            ),
            Schedule::Approx(h, cron) => t.key(
                "every",
                quote(&format!("{h}h")),
                Why::Todo(format!(
                    "{cite} schedule {cron}: drsim takes it as every {h}h"
                )),
            ),
            Schedule::Unknown(cron) => t.key(
                "every",
                quote("24h"),
                Why::Todo(format!(
                    "{cite} schedule {cron:?} not understood: daily assumed"
                )),
            ),
        }
        let vault = self.target(
            plan,
            &format!("{rule}/target_vault_name"),
            &["aws_backup_vault"],
        );
        let region = vault.map_or_else(|| self.region(plan), |v| self.region(v));
        t.key(
            "region",
            quote(&region),
            Why::From(format!("{cite}: {}", plan.region.how)),
        );
        match self.copy_region(plan) {
            Some(g) if g != region => {
                let why = Why::From(format!("{cite} copy_action"));
                t.key("copy_to", quote(&g), why);
            }
            _ => {}
        }
        match plan.num(&format!("{rule}/lifecycle/0/delete_after")) {
            Some(days) => t.key(
                "retention",
                quote(&format!("{}d", days as u64)),
                Why::From(format!("{cite} lifecycle delete_after")),
            ),
            None => t.key(
                "retention",
                quote("36500d"),
                Why::Todo(format!(
                    "{cite} keeps recovery points forever: drsim needs a retention, 100 years used"
                )),
            ),
        }
        let locked = vault.and_then(|v| {
            self.referring(
                "aws_backup_vault_lock_configuration",
                "/backup_vault_name",
                v,
            )
            .next()
        });
        match locked {
            Some(lock) => {
                let why = self.cite(lock);
                t.key("vault_lock", "true", why);
            }
            None => {
                let elsewhere: Vec<String> = self
                    .inv
                    .of("aws_backup_vault_lock_configuration")
                    .map(|l| l.cite())
                    .collect();
                if !elsewhere.is_empty() {
                    t.note(format!("TODO: a vault lock not on the plan's own vault ({}): drsim has one vault_lock flag", elsewhere.join(", ")));
                }
                t.key(
                    "vault_lock",
                    "false",
                    Why::Default(
                        "no aws_backup_vault_lock_configuration on the plan's vault".into(),
                    ),
                );
            }
        }
        if plan.bool(&format!("{rule}/enable_continuous_backup")) == Some(true) {
            t.key(
                "point_in_time",
                quote("5m"),
                Why::Todo(format!("{cite} enable_continuous_backup: point-in-time restore; the log interval is unsourced (the bundled scenarios' 5m; range 1m..15m)")),
            );
        }
        for v in self
            .inv
            .of("aws_backup_vault")
            .chain(self.inv.of("aws_backup_selection"))
        {
            self.used.insert(v.address.clone());
        }
        self.draft.tables.push(t);
    }

    fn dynamodb(&mut self) {
        let tables: Vec<&Resource> = self.inv.of("aws_dynamodb_table").collect();
        if tables.is_empty() {
            return;
        }
        let Some(last) = self.draft.tables.last_mut() else {
            return;
        };
        for d in tables {
            let replicas: Vec<String> = (0..d.count("/replica"))
                .filter_map(|i| d.str(&format!("/replica/{i}/region_name")))
                .collect();
            last.note(format!(
                "TODO: {} (DynamoDB{}): drsim has no DynamoDB in this version; not modelled",
                d.cite(),
                if replicas.is_empty() {
                    String::new()
                } else {
                    format!(", global table replicas in {}", replicas.join(", "))
                }
            ));
        }
    }

    /// The standard disaster set (the built-in web-app-disasters, as `drsim init` writes
    /// it), striking the primary, without the disasters that would strike nothing here.
    fn disasters(&mut self) {
        let text =
            crate::model::builtin::model_text(std::path::Path::new("builtin:web-app-disasters"))
                .unwrap_or_default();
        let Ok(mut doc) = text.parse::<toml_edit::DocumentMut>() else {
            return;
        };
        let mut dropped = Vec::new();
        if let Some(disasters) = doc.get_mut("disasters").and_then(|d| d.as_table_mut()) {
            let names: Vec<String> = disasters.iter().map(|(k, _)| k.to_string()).collect();
            for name in names {
                let kind = disasters[&name]
                    .get("kind")
                    .and_then(|k| k.as_str())
                    .unwrap_or("")
                    .to_string();
                let strikes = match kind.as_str() {
                    "nat_gateway_failure" => self.primary_nat,
                    "instance_failure" | "latency_injection" => self.primary_runs,
                    _ => true,
                };
                if !strikes {
                    disasters.remove(&name);
                    dropped.push(format!("{name} (nothing to strike in {})", self.primary));
                    continue;
                }
                let region = if ["db_primary_failure", "data_corruption", "ransomware"]
                    .contains(&kind.as_str())
                {
                    self.db_region.clone()
                } else {
                    self.primary.clone()
                };
                disasters[&name]["region"] = toml_edit::value(region);
            }
        }
        let mut tail = String::from(
            "# The standard disaster set (drsim's built-in web-app-disasters, the same as `drsim init`),\n\
             # striking this model's primary region and database. Frequencies are illustrative:\n\
             # TODO: set your own.\n",
        );
        if !dropped.is_empty() {
            tail.push_str(&format!("# Left out: {}.\n", dropped.join(", ")));
        }
        tail.push_str(&doc.to_string());
        if !tail.ends_with('\n') {
            tail.push('\n');
        }
        self.draft.tail = tail;
    }

    /// What was read, and which resource types were not.
    fn tally(&mut self) {
        let mut ignored: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &self.inv.resources {
            if self.used.contains(&r.address) {
                self.draft.mapped.push(format!("{} ({})", r.address, r.at));
            } else if !READ.contains(&r.kind.as_str()) {
                *ignored.entry(&r.kind).or_default() += 1;
            }
        }
        self.draft.ignored = ignored
            .into_iter()
            .map(|(k, n)| format!("{k} x{n}"))
            .collect();
    }
}

/// Whether the built-in catalog of `region` (us-east-1's if it has none) prices the
/// instance type or class `name`.
fn priced(region: &str, name: &str) -> bool {
    use crate::model::builtin;
    let catalog = builtin::catalog_for_region(region).unwrap_or(builtin::DEFAULT_CATALOG);
    builtin::catalog_text(std::path::Path::new(catalog))
        .is_some_and(|text| text.contains(&format!(".\"{name}\"]")))
}

/// A region to recover in when Terraform names only `primary`: a nearby one with a
/// built-in price catalog (an assumption, said in a TODO).
fn recovery_placeholder(primary: &str) -> String {
    match primary {
        "us-west-2" => "us-east-1",
        "eu-west-1" => "eu-central-1",
        "eu-central-1" => "eu-west-1",
        "ap-southeast-1" => "ap-northeast-1",
        "ap-northeast-1" => "ap-southeast-1",
        _ => "us-west-2",
    }
    .to_string()
}

/// A NAT gateway with internet access (a private one gives no way out).
fn is_public_nat(n: &Resource) -> bool {
    n.str("/connectivity_type").as_deref() != Some("private")
}

/// Desired capacity: `desired_capacity`, else `min_size` (what AWS starts with).
fn desired(a: &Resource) -> u64 {
    a.num("/desired_capacity")
        .or_else(|| a.num("/min_size"))
        .unwrap_or(0.0) as u64
}

/// An AWS Backup schedule as drsim reads it.
#[derive(Debug, Clone, PartialEq)]
enum Schedule {
    /// Fixed times of day (UTC): `at`.
    At(Vec<String>, String),
    /// Every N hours: `every`.
    Every(u64, String),
    /// Weekly or monthly: approximately every N hours (said as a TODO).
    Approx(u64, String),
    /// Not understood.
    Unknown(String),
}

impl Schedule {
    fn gap_hours(&self) -> u64 {
        match self {
            Schedule::At(times, _) => 24 / times.len().max(1) as u64,
            Schedule::Every(h, _) | Schedule::Approx(h, _) => *h,
            Schedule::Unknown(_) => 24,
        }
    }
}

/// Reads `cron(MIN HOUR DOM MONTH DOW YEAR)` (AWS Backup's cron, UTC).
fn schedule(expr: Option<&str>) -> Schedule {
    let Some(expr) = expr else {
        return Schedule::Unknown("(none)".into());
    };
    let inner = expr
        .trim()
        .strip_prefix("cron(")
        .and_then(|s| s.strip_suffix(')'));
    let fields: Vec<&str> = inner
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_default();
    let [minute, hour, dom, month, dow, ..] = fields.as_slice() else {
        return Schedule::Unknown(expr.into());
    };
    let any = |f: &str| f == "*" || f == "?";
    let Ok(minute) = minute.parse::<u32>() else {
        return Schedule::Unknown(expr.into());
    };
    if !any(month) {
        return Schedule::Unknown(expr.into());
    }
    let daily = any(dom) && any(dow);
    if let Some(step) = hour.strip_prefix("*/").or_else(|| hour.strip_prefix("0/")) {
        return match step.parse::<u64>() {
            Ok(h) if daily && h > 0 && 24 % h == 0 => Schedule::Every(h, expr.into()),
            _ => Schedule::Unknown(expr.into()),
        };
    }
    if *hour == "*" && daily {
        return Schedule::Every(1, expr.into());
    }
    let hours: Option<Vec<u32>> = hour
        .split(',')
        .map(|h| h.parse().ok().filter(|h| *h < 24))
        .collect();
    let Some(hours) = hours.filter(|h| !h.is_empty()) else {
        return Schedule::Unknown(expr.into());
    };
    if daily {
        let times = hours
            .iter()
            .map(|h| format!("{h:02}:{minute:02}"))
            .collect();
        return Schedule::At(times, expr.into());
    }
    if any(dom) && !any(dow) && hours.len() == 1 {
        return Schedule::Approx(24 * 7, expr.into());
    }
    if !any(dom) && any(dow) && hours.len() == 1 {
        return Schedule::Approx(24 * 30, expr.into());
    }
    Schedule::Unknown(expr.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS Backup cron expressions (fields: minutes, hours, day of month, month, day of
    /// week, year; UTC), as the AWS Backup developer guide writes them.
    #[test]
    fn backup_crons_become_drsim_schedules() {
        assert_eq!(
            schedule(Some("cron(0 5 ? * * *)")),
            Schedule::At(vec!["05:00".into()], "cron(0 5 ? * * *)".into())
        );
        assert_eq!(
            schedule(Some("cron(30 2,14 * * ? *)")),
            Schedule::At(
                vec!["02:30".into(), "14:30".into()],
                "cron(30 2,14 * * ? *)".into()
            )
        );
        assert_eq!(schedule(Some("cron(0 */4 * * ? *)")).gap_hours(), 4);
        assert_eq!(schedule(Some("cron(0 * * * ? *)")).gap_hours(), 1);
        assert_eq!(schedule(Some("cron(0 3 ? * SUN *)")).gap_hours(), 168);
        assert!(matches!(
            schedule(Some("rate(1 hour)")),
            Schedule::Unknown(_)
        ));
    }
}
