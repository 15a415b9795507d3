//! The steady monthly bill: what the architecture costs on an ordinary month, before
//! any disaster, from the resources each region declares.
//!
//! Quantities and the assumptions behind them:
//!
//! - Month: `hours_per_month` hours from the catalog (730 in the AWS catalog); days in a
//!   month = hours / 24. Data sizes: 1 GB = 1,000,000 KB.
//! - Instances in service: `desired` of a `Running` region; none for `ScaledToZero` or
//!   `NotDeployed`. Each pays its hours and its EBS volume (`volume_gb`, gp3).
//! - Warm pool (regions `Running` or `ScaledToZero`): stopped instances pay their EBS
//!   volume only; running ones pay the instance and the volume; hibernated ones pay EBS
//!   for the volume plus the instance type's RAM (`ram_gb` in the catalog).
//! - Serving share: in failover mode the primary serves all requests; in active/active
//!   the `Running` regions share them by weight. Traffic-driven items follow the share.
//! - ALB: hours while deployed; LCUs from the request rate, the largest of three
//!   dimensions: new connections (requests / `alb_requests_per_connection`, 25 per LCU),
//!   active connections (new x `alb_connection_seconds`, 3000 per LCU) and processed
//!   bytes (responses, 1 GB/h per LCU). Rule evaluations are taken as free (10 rules
//!   per request or fewer).
//! - NAT: `PerAz` = one gateway per AZ, `Single` = one; hours while deployed. When the
//!   workload needs outbound access, each request sends `nat_share_of_response_bytes` x
//!   `response_kb` through NAT. With a single NAT, the share of that traffic from the
//!   other AZs also pays cross-AZ transfer, in each direction.
//! - Database: single instance; Multi-AZ = `db.multi_az_factor` x instance and storage;
//!   Aurora = writer + one replica (2 instances), shared storage, I/O = writes x
//!   `db_io_per_write`. Cross-region read replica: one instance and a copy of the
//!   storage in its region, changes (`change_gb_per_day`) billed as inter-region
//!   transfer. Aurora Global: one secondary instance, storage, and replicated write I/O.
//! - S3: the bucket in the primary region; with CRR a full copy in the replica region,
//!   changed data replicated (transfer, plus RTC when on).
//! - Backups: stored GB = `data_size_gb` (one full) + `change_gb_per_day` x retention
//!   days (incrementals kept for the retention). The schedule does not change this: the
//!   changes between successive backups add up to the same total (at most). A copy
//!   stores as much again in the copy region and moves each day's changes across.
//! - Route 53: hosted zone, billable queries (`dns_queries_per_second`, default 0
//!   because alias queries to ELB are free), one health check per deployed site (AWS or
//!   non-AWS endpoint price), plus the fast-interval option when the interval is 10 s or
//!   less. Global Accelerator instead: fixed hourly fee and the data-transfer premium
//!   on response bytes; its health checks are included.
//! - Internet egress for responses, when `internet_egress` is on.
//! - On-premises sites: not priced by the AWS catalog; `on_premises_monthly_usd` each.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::catalog::CostError;
use crate::model::catalog::PriceItem;
use crate::model::cost::{CostSettings, Prices};
use crate::model::hybrid::{BackupPath, Drs, Hybrid};
use crate::model::units::DAY;
use crate::model::{
    BackupCopy, BackupEngine, Backups, CapacityMode, CopySize, CrossRegion, DbKind, Deployment,
    DynamoTable, Model, NatLayout, ObjectReplication, RegionId, RoutingMode, SiteKind, WarmState,
};

/// KB in a GB (decimal units).
pub const KB_PER_GB: f64 = 1_000_000.0;
/// Route 53 fast health checks: an interval at or below this is the 10 s option.
pub const FAST_HEALTH_CHECK_MS: u64 = 10_000;

/// One line of a bill: a quantity of one priced thing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    /// Region billed; `None` for global services (hosted zone, accelerator).
    pub region: Option<String>,
    /// Component: ec2, ebs, warm-pool, nat, alb, route53, accelerator, database,
    /// db-storage, replication, s3, backup, transfer, on-premises.
    pub component: String,
    /// What is billed, with the figures it comes from.
    pub description: String,
    /// Quantity in [`LineItem::unit`] per month.
    pub quantity: f64,
    /// Unit of the quantity: hour, GB-month, GB, LCU-hour, month, million I/O, ...
    pub unit: String,
    /// Price per unit, USD.
    pub unit_price_usd: f64,
    /// quantity x unit price.
    pub monthly_usd: f64,
    /// Catalog item the price comes from (empty for model figures).
    pub price_item: String,
}

/// A monthly bill: line items, with totals by region and component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bill {
    /// Name of the catalog of global services.
    pub catalog: String,
    /// Name of the catalog that priced each AWS region, by region name.
    pub region_catalogs: BTreeMap<String, String>,
    /// Hours in the month used.
    pub hours_per_month: f64,
    /// Line items, in model order (regions, routing, database, storage, backups).
    pub items: Vec<LineItem>,
    /// Things priced at zero or left out, and why.
    pub notes: Vec<String>,
}

/// Label of the region `None` in totals.
pub const GLOBAL: &str = "global";

impl Bill {
    /// Total per month, USD.
    pub fn total(&self) -> f64 {
        self.items.iter().map(|i| i.monthly_usd).sum()
    }

    /// Monthly totals by region (global services under [`GLOBAL`]), sorted by name.
    pub fn by_region(&self) -> Vec<(String, f64)> {
        self.totals(|i| i.region.clone().unwrap_or_else(|| GLOBAL.into()))
    }

    /// Monthly totals by component, sorted by name.
    pub fn by_component(&self) -> Vec<(String, f64)> {
        self.totals(|i| i.component.clone())
    }

    /// Monthly total of one region (`None`: global services).
    pub fn region_total(&self, region: Option<&str>) -> f64 {
        self.items
            .iter()
            .filter(|i| i.region.as_deref() == region)
            .map(|i| i.monthly_usd)
            .sum()
    }

    /// Monthly total of one component.
    pub fn component_total(&self, component: &str) -> f64 {
        self.items
            .iter()
            .filter(|i| i.component == component)
            .map(|i| i.monthly_usd)
            .sum()
    }

    fn totals(&self, key: impl Fn(&LineItem) -> String) -> Vec<(String, f64)> {
        let mut sums = BTreeMap::new();
        for item in &self.items {
            *sums.entry(key(item)).or_insert(0.0) += item.monthly_usd;
        }
        sums.into_iter().collect()
    }
}

/// Prices the always-on resources of `model` for one month.
pub fn monthly_bill(
    model: &Model,
    settings: &CostSettings,
    prices: &Prices,
) -> Result<Bill, CostError> {
    let mut p = Pricer::new(model, settings, prices);
    for id in 0..model.regions.len() {
        p.region(id)?;
    }
    p.routing()?;
    p.egress()?;
    p.database()?;
    p.object_storage()?;
    if let Some(backups) = &model.backups {
        p.backups(backups)?;
    }
    if let Some(hybrid) = &model.hybrid {
        p.hybrid(hybrid)?;
    }
    Ok(Bill {
        catalog: prices.global().name.clone(),
        region_catalogs: (model.regions.iter().enumerate())
            .filter(|(_, r)| r.site == SiteKind::Aws)
            .map(|(id, r)| (r.name.clone(), prices.region(id).name.clone()))
            .collect(),
        hours_per_month: prices.hours_per_month(),
        items: p.items,
        notes: p.notes,
    })
}

/// Share of requests region `id` serves before any disaster.
pub fn serving_share(model: &Model, id: RegionId) -> f64 {
    match model.routing.mode {
        RoutingMode::Failover if id == model.primary() => 1.0,
        RoutingMode::Failover => 0.0,
        RoutingMode::ActiveActive => {
            let running = |r: &crate::model::Region| r.deployment == Deployment::Running;
            let total: f64 = model
                .regions
                .iter()
                .filter(|r| running(r))
                .map(|r| r.weight)
                .sum();
            let region = &model.regions[id];
            if running(region) && total > 0.0 {
                region.weight / total
            } else {
                0.0
            }
        }
    }
}

/// Number of NAT gateways of a layout over `azs` AZs.
pub fn nat_count(layout: NatLayout, azs: usize) -> usize {
    match layout {
        NatLayout::PerAz => azs,
        NatLayout::Single(_) => 1,
        NatLayout::None => 0,
    }
}

/// ALB capacity units for `rps` requests per second, and the dimension that sets them.
pub fn alb_lcus(rps: f64, response_kb: f64, settings: &CostSettings) -> (f64, &'static str) {
    let new_connections = rps / settings.alb_requests_per_connection;
    let dims = [
        (new_connections / 25.0, "new connections"),
        (
            new_connections * settings.alb_connection_seconds / 3000.0,
            "active connections",
        ),
        (rps * response_kb * 3600.0 / KB_PER_GB, "processed bytes"),
    ];
    dims.into_iter()
        .fold((0.0, "none"), |best, d| if d.0 > best.0 { d } else { best })
}

/// Builds a bill line by line.
struct Pricer<'a> {
    model: &'a Model,
    settings: &'a CostSettings,
    prices: &'a Prices,
    hours: f64,
    items: Vec<LineItem>,
    notes: Vec<String>,
}

impl<'a> Pricer<'a> {
    fn new(model: &'a Model, settings: &'a CostSettings, prices: &'a Prices) -> Self {
        Pricer {
            model,
            settings,
            prices,
            hours: prices.hours_per_month(),
            items: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn seconds(&self) -> f64 {
        self.hours * 3600.0
    }

    fn days(&self) -> f64 {
        self.hours / 24.0
    }

    fn name(&self, id: RegionId) -> String {
        self.model.regions[id].name.clone()
    }

    fn is_aws(&self, id: RegionId) -> bool {
        self.model.regions[id].site == SiteKind::Aws
    }

    /// Item `key` from the catalog of region `at` (`None`: global services).
    fn price(
        &self,
        at: Option<RegionId>,
        key: &str,
        needed_for: &str,
    ) -> Result<&'a PriceItem, CostError> {
        match at {
            Some(id) => self.prices.region(id).price(key, needed_for),
            None => self.prices.global().price(key, needed_for),
        }
    }

    /// Adds `quantity` of catalog `item` (price scaled by `factor`), skipping zeros.
    fn add(
        &mut self,
        region: Option<String>,
        component: &str,
        description: String,
        quantity: f64,
        item: &PriceItem,
        factor: f64,
    ) {
        if quantity <= 0.0 {
            return;
        }
        let unit_price = item.price * factor;
        self.items.push(LineItem {
            region,
            component: component.into(),
            description,
            quantity,
            unit: item.unit.quantity_name().into(),
            unit_price_usd: unit_price,
            monthly_usd: quantity * unit_price,
            price_item: item.key.clone(),
        });
    }

    fn region(&mut self, id: RegionId) -> Result<(), CostError> {
        let region = &self.model.regions[id];
        if region.site == SiteKind::OnPremises {
            return self.on_premises(id);
        }
        let own = self.prices.region(id);
        if let Some(priced) = own.region.as_deref().filter(|r| *r != region.name) {
            let (name, catalog) = (&region.name, &own.name);
            self.notes.push(format!(
                "{name}: priced with catalog {catalog} ({priced} prices)"
            ));
        }
        self.ami_fast_snapshot_restore(id)?;
        match region.deployment {
            Deployment::NotDeployed => {
                self.notes.push(format!(
                    "{}: not deployed; nothing billed there but backup copies",
                    region.name
                ));
                return Ok(());
            }
            Deployment::Running => self.instances(id)?,
            Deployment::ScaledToZero => {}
        }
        self.warm_pool(id)?;
        self.alb(id)?;
        self.nat(id)
    }

    fn on_premises(&mut self, id: RegionId) -> Result<(), CostError> {
        let name = self.name(id);
        let figure = self.settings.on_premises_monthly_usd;
        self.items.push(LineItem {
            region: Some(name.clone()),
            component: "on-premises".into(),
            description: "on-premises site: not in the AWS catalog; [cost] on_premises_monthly_usd"
                .into(),
            quantity: 1.0,
            unit: "month".into(),
            unit_price_usd: figure,
            monthly_usd: figure,
            price_item: String::new(),
        });
        self.notes.push(format!(
            "{name}: on-premises, priced at the model's fixed figure {figure} USD/month"
        ));
        Ok(())
    }

    fn instance_price(&self, id: RegionId) -> Result<&'a PriceItem, CostError> {
        let region = &self.model.regions[id];
        let field = format!("regions.{}.asg.instance_type", region.name);
        self.prices.region(id).instance(
            "ec2",
            &region.asg.instance_type,
            &field,
            &self.model.source,
        )
    }

    /// FSR on the AMI's snapshot in every AZ of the region, so cold launches skip lazy
    /// loading.
    fn ami_fast_snapshot_restore(&mut self, id: RegionId) -> Result<(), CostError> {
        let region = &self.model.regions[id];
        if !region.asg.root_volume.fast_snapshot_restore {
            return Ok(());
        }
        let field = format!("regions.{}.asg.fast_snapshot_restore", region.name);
        self.fsr_hours(id, region.azs.len(), "instances", &field)
    }

    fn instances(&mut self, id: RegionId) -> Result<(), CostError> {
        let asg = &self.model.regions[id].asg;
        if asg.desired == 0 {
            return Ok(());
        }
        let ec2 = self.instance_price(id)?;
        let gp3 = self.price(Some(id), "ebs.gp3", "instance volumes")?;
        let n = f64::from(asg.desired);
        let name = Some(self.name(id));
        let desc = format!(
            "{} x {} in service, {} h",
            asg.desired, asg.instance_type, self.hours
        );
        self.add(name.clone(), "ec2", desc, n * self.hours, ec2, 1.0);
        let desc = format!("{} x {} GB gp3 volumes", asg.desired, asg.volume_gb);
        self.add(name, "ebs", desc, n * asg.volume_gb, gp3, 1.0);
        Ok(())
    }

    fn warm_pool(&mut self, id: RegionId) -> Result<(), CostError> {
        let asg = &self.model.regions[id].asg;
        let Some(pool) = asg.warm_pool.as_ref().filter(|p| p.size > 0) else {
            return Ok(());
        };
        let ec2 = self.instance_price(id)?;
        let gp3 = self.price(Some(id), "ebs.gp3", "warm pool volumes")?;
        let n = f64::from(pool.size);
        let name = Some(self.name(id));
        let ty = &asg.instance_type;
        match pool.state {
            WarmState::Stopped => {
                let desc = format!(
                    "{} x {ty} stopped: {} GB EBS each",
                    pool.size, asg.volume_gb
                );
                self.add(name, "warm-pool", desc, n * asg.volume_gb, gp3, 1.0);
            }
            WarmState::Running => {
                let desc = format!("{} x {ty} running, {} h", pool.size, self.hours);
                self.add(name.clone(), "warm-pool", desc, n * self.hours, ec2, 1.0);
                let desc = format!(
                    "{} x {} GB EBS of running warm instances",
                    pool.size, asg.volume_gb
                );
                self.add(name, "warm-pool", desc, n * asg.volume_gb, gp3, 1.0);
            }
            WarmState::Hibernated => {
                let ram = ec2.ram_gb.ok_or_else(|| {
                    let field = format!(
                        "regions.{}.asg.warm_pool.state",
                        self.model.regions[id].name
                    );
                    let msg = format!(
                        "hibernated {ty} needs its RAM size: {} has no ram_gb for ec2.{ty}",
                        self.prices.region(id).path.display()
                    );
                    CostError::in_file(&self.model.source, &field, msg)
                })?;
                let gb = asg.volume_gb + ram;
                let desc = format!(
                    "{} x {ty} hibernated: {} GB volume + {ram} GB RAM image on EBS",
                    pool.size, asg.volume_gb
                );
                self.add(name, "warm-pool", desc, n * gb, gp3, 1.0);
            }
        }
        Ok(())
    }

    fn alb(&mut self, id: RegionId) -> Result<(), CostError> {
        let name = self.name(id);
        let hour = self.price(Some(id), "alb.hour", &format!("regions.{name}.alb"))?;
        let lcu = self.price(Some(id), "alb.lcu", &format!("regions.{name}.alb"))?;
        self.add(
            Some(name.clone()),
            "alb",
            format!("load balancer, {} h", self.hours),
            self.hours,
            hour,
            1.0,
        );
        let rps = self.model.workload.requests_per_second * serving_share(self.model, id);
        let (lcus, dimension) = alb_lcus(rps, self.model.workload.response_kb, self.settings);
        let desc = format!("{lcus:.2} LCU ({dimension}) at {rps} req/s");
        self.add(Some(name), "alb", desc, lcus * self.hours, lcu, 1.0);
        Ok(())
    }

    /// NAT GB per month through region `id`'s gateways.
    fn nat_gb(&self, id: RegionId) -> f64 {
        let w = &self.model.workload;
        if !w.needs_outbound {
            return 0.0;
        }
        let rps = w.requests_per_second * serving_share(self.model, id);
        rps * w.response_kb * self.settings.nat_share_of_response_bytes * self.seconds() / KB_PER_GB
    }

    fn nat(&mut self, id: RegionId) -> Result<(), CostError> {
        let region = &self.model.regions[id];
        let count = nat_count(region.nat, region.azs.len());
        if count == 0 {
            return Ok(());
        }
        let name = region.name.clone();
        let needed = format!("regions.{name}.nat");
        let hour = self.price(Some(id), "nat.hour", &needed)?;
        let data = self.price(Some(id), "nat.data", &needed)?;
        let layout = match region.nat {
            NatLayout::PerAz => "one per AZ".to_string(),
            NatLayout::Single(az) => format!("one shared, in {}", region.azs[az]),
            NatLayout::None => "none".to_string(),
        };
        let plural = if count == 1 { "" } else { "s" };
        let desc = format!("{count} NAT gateway{plural} ({layout}), {} h", self.hours);
        self.add(
            Some(name.clone()),
            "nat",
            desc,
            count as f64 * self.hours,
            hour,
            1.0,
        );
        let gb = self.nat_gb(id);
        let share = self.settings.nat_share_of_response_bytes;
        self.add(
            Some(name.clone()),
            "nat",
            format!("data processed: {share} x response bytes"),
            gb,
            data,
            1.0,
        );
        if matches!(region.nat, NatLayout::Single(_)) && region.azs.len() > 1 {
            let cross = self.price(Some(id), "transfer.cross_az", &needed)?;
            let other = (region.azs.len() - 1) as f64 / region.azs.len() as f64;
            let desc = format!(
                "cross-AZ traffic to the single NAT ({other:.2} of NAT bytes, both directions)"
            );
            self.add(Some(name), "transfer", desc, gb * other, cross, 2.0);
        }
        Ok(())
    }

    /// Response GB per month leaving region `id` (all regions: `None`).
    fn response_gb(&self, id: Option<RegionId>) -> f64 {
        let w = &self.model.workload;
        let share = id.map_or(1.0, |id| serving_share(self.model, id));
        w.requests_per_second * share * w.response_kb * self.seconds() / KB_PER_GB
    }

    fn routing(&mut self) -> Result<(), CostError> {
        if self.model.routing.dns.is_none() {
            return self.accelerator();
        }
        let zone = self.price(None, "route53.hosted_zone", "routing")?;
        self.add(None, "route53", "hosted zone".into(), 1.0, zone, 1.0);
        let queries = self.price(None, "route53.queries", "routing")?;
        let millions = self.settings.dns_queries_per_second * self.seconds() / 1e6;
        self.add(
            None,
            "route53",
            "billable queries ([cost] dns_queries_per_second)".into(),
            millions,
            queries,
            1.0,
        );
        for id in 0..self.model.regions.len() {
            self.health_check(id)?;
        }
        Ok(())
    }

    fn health_check(&mut self, id: RegionId) -> Result<(), CostError> {
        let region = &self.model.regions[id];
        if region.deployment == Deployment::NotDeployed {
            return Ok(());
        }
        let (base, option, kind) = match region.site {
            SiteKind::Aws => (
                "route53.health_check_aws",
                "route53.health_check_option_aws",
                "AWS",
            ),
            SiteKind::OnPremises => (
                "route53.health_check_non_aws",
                "route53.health_check_option_non_aws",
                "non-AWS",
            ),
        };
        let name = region.name.clone();
        let base = self.price(None, base, "routing.health_check")?;
        self.add(
            Some(name.clone()),
            "route53",
            format!("health check of an {kind} endpoint"),
            1.0,
            base,
            1.0,
        );
        if self.model.routing.health_check.interval <= FAST_HEALTH_CHECK_MS {
            let option = self.price(None, option, "routing.health_check.interval")?;
            self.add(
                Some(name),
                "route53",
                "fast interval (10 s) option".into(),
                1.0,
                option,
                1.0,
            );
        }
        Ok(())
    }

    fn accelerator(&mut self) -> Result<(), CostError> {
        let fixed = self.price(None, "accelerator.fixed", "routing (Global Accelerator)")?;
        let premium = self.price(
            None,
            "accelerator.dt_premium",
            "routing (Global Accelerator)",
        )?;
        self.add(
            None,
            "accelerator",
            format!("accelerator, {} h", self.hours),
            self.hours,
            fixed,
            1.0,
        );
        let gb = self.response_gb(None);
        self.add(
            None,
            "accelerator",
            "data-transfer premium on responses".into(),
            gb,
            premium,
            1.0,
        );
        self.notes
            .push("Global Accelerator endpoint health checks are included in its fee".into());
        Ok(())
    }

    fn egress(&mut self) -> Result<(), CostError> {
        if !self.settings.internet_egress {
            return Ok(());
        }
        for id in 0..self.model.regions.len() {
            let gb = self.response_gb(Some(id));
            if gb > 0.0 && self.is_aws(id) {
                let price =
                    self.price(Some(id), "transfer.internet_egress", "workload.response_kb")?;
                let desc = "responses to the internet (first-tier rate)".into();
                self.add(Some(self.name(id)), "transfer", desc, gb, price, 1.0);
            }
        }
        Ok(())
    }

    fn db_group(&self) -> &'static str {
        if self.model.database.kind == DbKind::Aurora {
            "aurora"
        } else {
            "rds"
        }
    }

    fn db_instance(&self, region: RegionId) -> Result<&'a PriceItem, CostError> {
        let db = &self.model.database;
        self.prices.region(region).instance(
            self.db_group(),
            &db.instance_class,
            "database.instance_class",
            &self.model.source,
        )
    }

    fn storage_price(&self, region: RegionId) -> Result<&'a PriceItem, CostError> {
        let key = if self.model.database.kind == DbKind::Aurora {
            "db.aurora_storage"
        } else {
            "db.rds_storage"
        };
        self.price(Some(region), key, "workload.data_size_gb")
    }

    fn database(&mut self) -> Result<(), CostError> {
        let db = &self.model.database;
        if let Some(table) = db.dynamodb {
            return self.dynamodb(table);
        }
        if !self.is_aws(db.region) {
            self.notes
                .push("database: on-premises writer, not priced by the AWS catalog".into());
        } else {
            self.db_writer(db.region)?;
        }
        match db.cross_region {
            CrossRegion::None => Ok(()),
            CrossRegion::ReadReplica { region } => self.read_replica(region),
            CrossRegion::AuroraGlobal { region } => self.aurora_global(region),
            CrossRegion::MultiWriter { region } => self.multi_writer(region),
            CrossRegion::Dms { region } => self.replica_instance(region, "RDS target of AWS DMS"),
        }
    }

    /// A second writer: the same in-region deployment again in `region`, plus the
    /// replicated writes. Approximation for a relational multi-Region store (Aurora
    /// DSQL), whose request-based prices the catalog does not carry; a DynamoDB global
    /// table is priced as DynamoDB by `dynamodb`.
    fn multi_writer(&mut self, region: RegionId) -> Result<(), CostError> {
        self.db_writer(region)?;
        let io = self.price(
            Some(region),
            "db.aurora_replicated_write_io",
            "database.cross_region = multi_writer",
        )?;
        let millions = self.write_ios_millions();
        let name = Some(self.name(region));
        self.add(
            name,
            "replication",
            "multi-writer replicated write I/O".into(),
            millions,
            io,
            1.0,
        );
        self.notes.push(
            "multi_writer database priced as a second provisioned cluster plus replicated writes"
                .into(),
        );
        Ok(())
    }

    fn db_writer(&mut self, region: RegionId) -> Result<(), CostError> {
        let db = &self.model.database;
        let name = Some(self.name(region));
        let instance = self.db_instance(region)?;
        let storage = self.storage_price(region)?;
        let gb = self.model.workload.data_size_gb;
        let class = &db.instance_class;
        match db.kind {
            // Priced per request and GB by `dynamodb`, never as instances.
            DbKind::Dynamodb => {}
            DbKind::Single => {
                self.add(
                    name.clone(),
                    "database",
                    format!("{class} single-AZ"),
                    self.hours,
                    instance,
                    1.0,
                );
                self.add(
                    name,
                    "db-storage",
                    format!("{gb} GB storage"),
                    gb,
                    storage,
                    1.0,
                );
            }
            DbKind::MultiAz => {
                let factor = self
                    .price(
                        Some(region),
                        "db.multi_az_factor",
                        "database.kind = multi_az",
                    )?
                    .price;
                self.add(
                    name.clone(),
                    "database",
                    format!("{class} Multi-AZ ({factor}x single-AZ)"),
                    self.hours,
                    instance,
                    factor,
                );
                self.add(
                    name,
                    "db-storage",
                    format!("{gb} GB Multi-AZ storage ({factor}x)"),
                    gb,
                    storage,
                    factor,
                );
            }
            DbKind::Aurora => {
                self.add(
                    name.clone(),
                    "database",
                    format!("{class} Aurora writer + 1 replica"),
                    2.0 * self.hours,
                    instance,
                    1.0,
                );
                self.add(
                    name.clone(),
                    "db-storage",
                    format!("{gb} GB Aurora storage"),
                    gb,
                    storage,
                    1.0,
                );
                let io = self.price(Some(region), "db.aurora_io", "database.kind = aurora")?;
                let millions = self.write_ios_millions();
                self.add(
                    name,
                    "db-storage",
                    "write I/O (writes x db_io_per_write)".into(),
                    millions,
                    io,
                    1.0,
                );
            }
        }
        Ok(())
    }

    fn write_ios_millions(&self) -> f64 {
        self.model.workload.writes_per_second * self.settings.db_io_per_write * self.seconds() / 1e6
    }

    fn read_replica(&mut self, region: RegionId) -> Result<(), CostError> {
        self.replica_instance(region, "cross-region read replica")?;
        let transfer = self.price(
            Some(self.model.database.region),
            "transfer.inter_region",
            "database.cross_region",
        )?;
        let moved = self.model.workload.change_gb_per_day * self.days();
        let source = Some(self.name(self.model.database.region));
        self.add(
            source,
            "replication",
            "database changes to the replica region".into(),
            moved,
            transfer,
            1.0,
        );
        Ok(())
    }

    /// One instance of the database's class and a copy of its storage in `region`.
    fn replica_instance(&mut self, region: RegionId, what: &str) -> Result<(), CostError> {
        let name = Some(self.name(region));
        let instance = self.db_instance(region)?;
        let storage = self.storage_price(region)?;
        let class = &self.model.database.instance_class;
        let gb = self.model.workload.data_size_gb;
        self.add(
            name.clone(),
            "database",
            format!("{class} {what}"),
            self.hours,
            instance,
            1.0,
        );
        self.add(
            name,
            "db-storage",
            format!("{gb} GB replica storage"),
            gb,
            storage,
            1.0,
        );
        Ok(())
    }

    fn aurora_global(&mut self, region: RegionId) -> Result<(), CostError> {
        let name = Some(self.name(region));
        let class = &self.model.database.instance_class;
        let instance = self.prices.region(region).instance(
            "aurora",
            class,
            "database.instance_class",
            &self.model.source,
        )?;
        let storage = self.price(
            Some(region),
            "db.aurora_storage",
            "database.cross_region = aurora_global",
        )?;
        let io = self.price(
            Some(region),
            "db.aurora_replicated_write_io",
            "database.cross_region = aurora_global",
        )?;
        let gb = self.model.workload.data_size_gb;
        self.add(
            name.clone(),
            "database",
            format!("{class} Aurora Global secondary"),
            self.hours,
            instance,
            1.0,
        );
        self.add(
            name.clone(),
            "db-storage",
            format!("{gb} GB secondary storage"),
            gb,
            storage,
            1.0,
        );
        let millions = self.write_ios_millions();
        self.add(
            name,
            "replication",
            "Aurora Global replicated write I/O".into(),
            millions,
            io,
            1.0,
        );
        Ok(())
    }

    fn object_storage(&mut self) -> Result<(), CostError> {
        let s3 = &self.model.object_storage;
        let primary = self.model.primary();
        let standard = self.price(Some(primary), "s3.standard", "object_storage.size_gb")?;
        let gb = s3.size_gb;
        self.add(
            Some(self.name(primary)),
            "s3",
            format!("{gb} GB S3 Standard"),
            gb,
            standard,
            1.0,
        );
        self.object_versions(primary)?;
        let ObjectReplication::Crr { rtc, .. } = s3.replication else {
            return Ok(());
        };
        let Some(target) = s3.replica_region.or_else(|| self.model.standby()) else {
            return Ok(());
        };
        let replica = self.price(Some(target), "s3.standard", "object_storage.replica_region")?;
        self.add(
            Some(self.name(target)),
            "s3",
            format!("{gb} GB S3 replica"),
            gb,
            replica,
            1.0,
        );
        let moved = self.object_change_gb_per_day() * self.days();
        let transfer = self.price(
            Some(primary),
            "s3.replication_transfer",
            "object_storage.replication",
        )?;
        self.add(
            Some(self.name(primary)),
            "replication",
            "S3 changes replicated".into(),
            moved,
            transfer,
            1.0,
        );
        if rtc {
            let rtc = self.price(Some(primary), "s3.rtc", "object_storage.replication.rtc")?;
            self.add(
                Some(self.name(primary)),
                "replication",
                "S3 Replication Time Control".into(),
                moved,
                rtc,
                1.0,
            );
        }
        Ok(())
    }

    /// GB of objects overwritten or deleted a day.
    fn object_change_gb_per_day(&self) -> f64 {
        (self.settings.object_change_gb_per_day).unwrap_or(self.model.workload.change_gb_per_day)
    }

    /// Versioning keeps every overwritten or deleted object as a noncurrent version,
    /// billed as S3 Standard storage until it expires (docs/sources.md#s3-versioning):
    /// the daily change times the days kept.
    fn object_versions(&mut self, region: RegionId) -> Result<(), CostError> {
        let days = self.model.object_storage.protection.noncurrent_kept() as f64 / DAY as f64;
        if days <= 0.0 {
            return Ok(());
        }
        let change = self.object_change_gb_per_day();
        let standard = self.price(Some(region), "s3.standard", "object_storage.versioning")?;
        self.add(
            Some(self.name(region)),
            "s3",
            format!("noncurrent versions: {change} GB/day x {days:.1} days kept"),
            change * days,
            standard,
            1.0,
        );
        Ok(())
    }

    fn backups(&mut self, backups: &Backups) -> Result<(), CostError> {
        let w = &self.model.workload;
        let days = backups.retention as f64 / DAY as f64;
        let stored = backup_stored_gb(w.data_size_gb, w.change_gb_per_day, days);
        let warm = self.price(Some(backups.region), "backup.warm", "backups")?;
        let formula = format!(
            "{} GB full + {} GB/day x {days:.1} days retention",
            w.data_size_gb, w.change_gb_per_day
        );
        if self.is_aws(backups.region) {
            self.add(
                Some(self.name(backups.region)),
                "backup",
                formula.clone(),
                stored,
                warm,
                1.0,
            );
        } else {
            self.notes
                .push("backups: taken on premises, not priced by the AWS catalog".into());
        }
        self.fast_snapshot_restore(backups)?;
        self.dynamodb_pitr(backups)?;
        let Some(copy) = &backups.copy else {
            return Ok(());
        };
        if self.is_aws(copy.region) {
            let warm = self.price(Some(copy.region), "backup.warm", "backups.copy_to")?;
            self.add(
                Some(self.name(copy.region)),
                "backup",
                format!("copy: {formula}"),
                stored,
                warm,
                1.0,
            );
        }
        if self.is_aws(backups.region) {
            let transfer = self.price(
                Some(backups.region),
                "backup.cross_region_copy",
                "backups.copy",
            )?;
            // Aurora copies the whole data each time (sources.md#aurora-copy-snapshot); RDS
            // and EBS copies after the first carry the changes.
            let (moved, what) = self.copied_per_month(backups, copy);
            self.add(
                Some(self.name(backups.region)),
                "backup",
                what,
                moved,
                transfer,
                1.0,
            );
        } else {
            self.notes
                .push("backups: shipping into AWS is free (data transfer in)".into());
        }
        Ok(())
    }
}

impl Pricer<'_> {
    /// GB the backups' copies carry across in a month, and what that is.
    fn copied_per_month(&self, backups: &Backups, copy: &BackupCopy) -> (f64, String) {
        match copy.size {
            CopySize::Changes(per_day) => {
                (per_day * self.days(), "daily changes copied across".into())
            }
            CopySize::Full(gb) => {
                let copies = backups.schedule.per_day() * self.days();
                (
                    gb * copies,
                    format!("full copies of {gb} GB copied across, {copies:.1} a month"),
                )
            }
        }
    }

    /// Fast snapshot restore, enabled on the newest snapshot in the AZ a restore would
    /// use (the copy's region, else the backups' own).
    fn fast_snapshot_restore(&mut self, backups: &Backups) -> Result<(), CostError> {
        if !backups.fast_snapshot_restore {
            return Ok(());
        }
        let region = backups.copy.as_ref().map_or(backups.region, |c| c.region);
        self.fsr_hours(region, 1, "backup", "backups.fast_snapshot_restore")
    }

    /// FSR on one snapshot in `azs` AZs of `region`: one DSU-hour per hour and AZ
    /// (docs/sources.md#price-ebs: "$0.75 per Availability Zone" per DSU-hour).
    fn fsr_hours(
        &mut self,
        region: RegionId,
        azs: usize,
        component: &str,
        field: &str,
    ) -> Result<(), CostError> {
        if !self.is_aws(region) {
            return Ok(());
        }
        let dsu = self.price(Some(region), "ebs.fast_snapshot_restore", field)?;
        let desc = format!(
            "fast snapshot restore: 1 snapshot x {azs} AZ, {} h",
            self.hours
        );
        let quantity = self.hours * azs as f64;
        self.add(Some(self.name(region)), component, desc, quantity, dsu, 1.0);
        Ok(())
    }
}

/// DynamoDB tables (`kind = "dynamodb"`), priced as DynamoDB: requests (or provisioned
/// capacity), storage in every replica, and point-in-time recovery
/// (docs/sources.md#price-dynamodb), never as database instances.
impl Pricer<'_> {
    /// The table in its home region and, for a global table, its replica: a global
    /// table pays one replicated write unit per write in every replica (the AWS
    /// global-tables billing page) and the inter-region transfer of each 1 KB write.
    fn dynamodb(&mut self, table: DynamoTable) -> Result<(), CostError> {
        let db = &self.model.database;
        let replica = match db.cross_region {
            CrossRegion::MultiWriter { region } => Some(region),
            CrossRegion::None
            | CrossRegion::ReadReplica { .. }
            | CrossRegion::AuroraGlobal { .. }
            | CrossRegion::Dms { .. } => None,
        };
        let global = replica.is_some();
        for region in std::iter::once(db.region).chain(replica) {
            if !self.is_aws(region) {
                self.notes
                    .push("database: on-premises table, not priced by the AWS catalog".into());
                continue;
            }
            self.dynamodb_writes(region, table.capacity, global)?;
            let storage =
                self.price(Some(region), "dynamodb.storage", "database.kind = dynamodb")?;
            let gb = self.model.workload.data_size_gb;
            let name = Some(self.name(region));
            self.add(
                name,
                "db-storage",
                format!("{gb} GB DynamoDB table"),
                gb,
                storage,
                1.0,
            );
        }
        if self.is_aws(db.region) {
            self.dynamodb_reads(db.region, table)?;
        }
        if let Some(replica) = replica.filter(|_| self.is_aws(db.region)) {
            // Each write carries one item of at most 1 KB (one write unit) to the replica.
            let gb = self.model.workload.writes_per_second * self.seconds() / 1e6;
            let transfer = self.price(
                Some(db.region),
                "transfer.inter_region",
                "database.cross_region = multi_writer",
            )?;
            let desc = format!("global table writes (1 KB each) to {}", self.name(replica));
            self.add(
                Some(self.name(db.region)),
                "replication",
                desc,
                gb,
                transfer,
                1.0,
            );
        }
        self.notes.push(
            "DynamoDB priced per 1 KB write and 4 KB strongly consistent read, without the free tier".into(),
        );
        Ok(())
    }

    /// The writes of one replica: write units, or replicated write units in a global
    /// table (one unit per write per second).
    fn dynamodb_writes(
        &mut self,
        region: RegionId,
        capacity: CapacityMode,
        global: bool,
    ) -> Result<(), CostError> {
        let writes = self.model.workload.writes_per_second;
        let unit = if global { "replicated_write" } else { "write" };
        self.dynamodb_units(region, capacity, unit, writes, "workload.writes_per_second")
    }

    /// The reads, served in the home region (`reads_per_second`, 0: not priced).
    fn dynamodb_reads(&mut self, region: RegionId, table: DynamoTable) -> Result<(), CostError> {
        let reads = table.reads_per_second;
        self.dynamodb_units(
            region,
            table.capacity,
            "read",
            reads,
            "database.reads_per_second",
        )
    }

    /// `per_second` requests of a `unit` kind (`write`, `replicated_write`, `read`):
    /// per request on demand (`dynamodb.UNIT_request`), per unit-hour when provisioned
    /// (`dynamodb.UNIT_capacity`); `field` is the model key the rate comes from.
    fn dynamodb_units(
        &mut self,
        region: RegionId,
        capacity: CapacityMode,
        unit: &str,
        per_second: f64,
        field: &str,
    ) -> Result<(), CostError> {
        let words = unit.replace('_', " ");
        let (key, quantity, what) = match capacity {
            CapacityMode::OnDemand => (
                format!("dynamodb.{unit}_request"),
                per_second * self.seconds() / 1e6,
                format!("{words} request units"),
            ),
            CapacityMode::Provisioned => (
                format!("dynamodb.{unit}_capacity"),
                per_second.ceil() * self.hours,
                format!("{words} capacity unit-hours"),
            ),
        };
        let item = self.price(Some(region), &key, field)?;
        let desc = format!("DynamoDB {what} ({per_second}/s)");
        self.add(
            Some(self.name(region)),
            "database",
            desc,
            quantity,
            item,
            1.0,
        );
        Ok(())
    }

    /// Point-in-time recovery of a DynamoDB table (`backups.point_in_time` with engine
    /// `dynamodb`): billed on the table's size, whatever the recovery period.
    fn dynamodb_pitr(&mut self, backups: &Backups) -> Result<(), CostError> {
        let pitr = match backups.engine {
            BackupEngine::Dynamodb => backups.point_in_time.is_some(),
            BackupEngine::Rds | BackupEngine::Aurora | BackupEngine::Ebs => false,
        };
        if !pitr || !self.is_aws(backups.region) {
            return Ok(());
        }
        let item = self.price(
            Some(backups.region),
            "dynamodb.pitr",
            "backups.point_in_time",
        )?;
        let gb = self.model.workload.data_size_gb;
        let desc = format!("DynamoDB point-in-time recovery of {gb} GB");
        self.add(
            Some(self.name(backups.region)),
            "backup",
            desc,
            gb,
            item,
            1.0,
        );
        Ok(())
    }
}

/// GB stored by backups kept `retention_days`: one full copy plus every change made
/// during the retention (incrementals).
pub fn backup_stored_gb(data_size_gb: f64, change_gb_per_day: f64, retention_days: f64) -> f64 {
    data_size_gb + change_gb_per_day * retention_days
}

// ---- hybrid DR: the channels between the site and AWS (`[hybrid]`) ----

impl Pricer<'_> {
    /// The channels, priced in the AWS region's catalog (sources.md#price-hybrid): the
    /// link's hours and the data sent back over it, DMS, Elastic Disaster Recovery and
    /// the Storage Gateway.
    fn hybrid(&mut self, hybrid: &Hybrid) -> Result<(), CostError> {
        self.hybrid_link(hybrid)?;
        if let Some(dms) = &hybrid.dms {
            let item = self.prices.region(hybrid.region).instance(
                "dms",
                &dms.instance_class,
                "hybrid.dms.instance_class",
                &self.model.source,
            )?;
            let what = format!("DMS replication instance {}", dms.instance_class);
            self.add(
                Some(self.name(hybrid.region)),
                "hybrid",
                what,
                self.hours,
                item,
                1.0,
            );
        }
        if let Some(drs) = &hybrid.drs {
            self.hybrid_drs(hybrid, drs)?;
        }
        if hybrid.backups_over == BackupPath::StorageGateway {
            self.storage_gateway(hybrid)?;
        }
        Ok(())
    }

    /// VPN connection hours (two tunnels each), the Direct Connect port hours, and data
    /// sent from AWS to the site: at the DX rate over DX, as internet egress over a VPN.
    fn hybrid_link(&mut self, hybrid: &Hybrid) -> Result<(), CostError> {
        let (at, link) = (Some(hybrid.region), &hybrid.link);
        let name = Some(self.name(hybrid.region));
        if link.kind.has_vpn() {
            let item = self.price(at, "hybrid.vpn_connection", "hybrid.link")?;
            let connections = f64::from(link.vpn_tunnels.div_ceil(2));
            let what = format!("Site-to-Site VPN, {connections} connection(s)");
            self.add(
                name.clone(),
                "hybrid",
                what,
                connections * self.hours,
                item,
                1.0,
            );
        }
        if link.kind.has_dx() {
            let key = match link.dx_port_gbps {
                g if g <= 1.0 => "hybrid.dx_port_1g",
                g if g <= 10.0 => "hybrid.dx_port_10g",
                _ => "hybrid.dx_port_100g",
            };
            let item = self.price(at, key, "hybrid.dx_port_gbps")?;
            let what = format!("Direct Connect {} Gbit/s dedicated port", link.dx_port_gbps);
            self.add(name.clone(), "hybrid", what, self.hours, item, 1.0);
        }
        let out = if link.kind.has_dx() {
            self.price(
                at,
                "hybrid.dx_transfer_out",
                "hybrid.transfer_out_gb_per_month",
            )?
        } else {
            self.price(
                at,
                "transfer.internet_egress",
                "hybrid.transfer_out_gb_per_month",
            )?
        };
        let gb = hybrid.transfer_out_gb_per_month;
        self.add(
            name,
            "hybrid",
            "data sent from AWS to the site".into(),
            gb,
            out,
            1.0,
        );
        Ok(())
    }

    /// Per replicated server and hour, plus the staging area's volumes (one gp3 volume
    /// the size of each server's, an assumption: DRS sizes them by the source disks).
    fn hybrid_drs(&mut self, hybrid: &Hybrid, drs: &Drs) -> Result<(), CostError> {
        let at = Some(hybrid.region);
        let name = Some(self.name(hybrid.region));
        let servers = f64::from(drs.servers);
        let item = self.price(at, "hybrid.drs_server", "hybrid.drs")?;
        let what = format!("Elastic Disaster Recovery, {servers} source servers");
        self.add(
            name.clone(),
            "hybrid",
            what,
            servers * self.hours,
            item,
            1.0,
        );
        let gp3 = self.price(at, "ebs.gp3", "hybrid.drs staging volumes")?;
        let gb = servers * self.model.regions[hybrid.site].asg.volume_gb;
        self.add(name, "hybrid", "DRS staging volumes".into(), gb, gp3, 1.0);
        Ok(())
    }

    /// Data written through the gateway (the backups' copies), up to the monthly cap.
    fn storage_gateway(&mut self, hybrid: &Hybrid) -> Result<(), CostError> {
        let model = self.model;
        let Some((backups, copy)) =
            (model.backups.as_ref()).and_then(|b| Some((b, b.copy.as_ref()?)))
        else {
            return Ok(());
        };
        let at = Some(hybrid.region);
        let write = self.price(at, "hybrid.storage_gateway_write", "hybrid.backups_over")?;
        let cap = self.price(at, "hybrid.storage_gateway_cap", "hybrid.backups_over")?;
        let (gb, what) = self.copied_per_month(backups, copy);
        let capped = gb.min(cap.price / write.price.max(f64::MIN_POSITIVE));
        let what = format!("Storage Gateway: {what}");
        self.add(
            Some(self.name(hybrid.region)),
            "hybrid",
            what,
            capped,
            write,
            1.0,
        );
        Ok(())
    }
}
