//! What disasters cost: the resources a failover adds while it lasts, and the business
//! loss of downtime and lost writes, per month.
//!
//! - Disaster-time cost ([`disaster_cost`]), per occurrence, from the model alone:
//!   - region outage of a serving region: the recovery region (failover: the standby;
//!     active/active: the surviving running regions) runs enough instances for the whole
//!     load, `ceil(requests_per_second / instance_capacity_rps)`; those beyond the ones
//!     it already runs are extra, with their volumes, for the outage's mean duration. A
//!     not-deployed recovery region also pays its ALB and NAT gateways for that time.
//!     Without a cross-region database copy the database is restored there from the
//!     backup copy (`data_size_gb` at `backup.restore`, plus inter-region transfer if
//!     the copy is elsewhere) and its instance runs for the duration.
//!   - data corruption: a restore of `data_size_gb` from the local backups.
//!   - ransomware: a restore from the local backups when vault-locked, else from the
//!     copy (moved across regions when it is elsewhere); none when nothing survives.
//!   - AZ outage with a single-instance database in the struck region: a restore.
//!   - other kinds (instance, NAT, database writer failure, AZ outage otherwise):
//!     replacements take the place of the failed resources; nothing extra.
//!
//!   Monthly: sum over disasters of `per_year / 12` x cost per occurrence. Traffic-driven
//!   items (LCUs, NAT data, egress) move with the traffic and are not counted twice.
//! - Expected loss ([`expected_loss`]), from simulated trials: a trial's loss is
//!   `outage hours x downtime_usd_per_hour + RPO hours x data_loss_usd_per_hour`, where
//!   the outage is the integral over the trial of the share of requests failing (half
//!   the requests failing for an hour is half an hour of outage; requests failing after
//!   the RTO, while the last clients move, count too). Each disaster's mean loss comes
//!   from its own trials (so how the runner spread trials over disasters does not
//!   matter); monthly expected loss = sum of `per_year / 12` x mean loss. A trial never
//!   recovered is integrated up to the simulation horizon, and one with no surviving
//!   copy counts the horizon as its RPO, so such losses are lower bounds.
//! - Tail risk: the p99 of the loss of one disaster, over all disasters weighted by
//!   frequency (each trial of disaster d weighs `per_year_d / trials_d`): the loss
//!   that 99% of disasters, as they occur, stay at or below.

use serde::{Deserialize, Serialize};

use super::bill::{Bill, nat_count, serving_share};
use crate::analysis::context::SummaryContext;
use crate::model::catalog::CostError;
use crate::model::catalog::PriceItem;
use crate::model::cost::Prices;
use crate::model::units::HOUR;
use crate::model::{
    CrossRegion, DbKind, Deployment, Disaster, DisasterKind, Model, RegionId, RoutingMode,
};
use crate::run::stats::{Metric, OutcomeStats, Stratum, mixture_quantile};

/// Quantile used for the tail loss.
pub const TAIL_QUANTILE: f64 = 0.99;

/// One extra resource a failover uses while it lasts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtraItem {
    /// Region billed.
    pub region: String,
    /// What is billed.
    pub description: String,
    /// Quantity per occurrence.
    pub quantity: f64,
    /// Unit of the quantity.
    pub unit: String,
    /// Price per unit, USD.
    pub unit_price_usd: f64,
    /// Cost per occurrence, USD.
    pub usd: f64,
}

/// What one kind of disaster adds to the bill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisasterCost {
    /// Disaster name.
    pub name: String,
    /// Expected occurrences per year.
    pub per_year: f64,
    /// How long the failover lasts, hours (the outage's mean duration).
    pub hours: f64,
    /// Extra resources per occurrence.
    pub items: Vec<ExtraItem>,
    /// Cost of one occurrence, USD.
    pub per_occurrence_usd: f64,
    /// `per_year / 12` x cost per occurrence.
    pub monthly_usd: f64,
}

/// Business loss of one kind of disaster, from its trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisasterLoss {
    /// Disaster name.
    pub name: String,
    /// Expected occurrences per year.
    pub per_year: f64,
    /// Trials simulated for it (0: loss unknown, counted as 0).
    pub trials: usize,
    /// Mean RTO, hours.
    pub mean_rto_hours: f64,
    /// Mean outage, hours of full outage: the integral of the share of requests failing
    /// (what the downtime cost is charged on).
    pub mean_outage_hours: f64,
    /// Mean RPO, hours.
    pub mean_rpo_hours: f64,
    /// Mean loss of one occurrence, USD.
    pub mean_loss_usd: f64,
    /// p99 loss of one occurrence, USD.
    pub p99_loss_usd: f64,
    /// `per_year / 12` x mean loss.
    pub monthly_usd: f64,
}

/// Expected and tail loss over all disasters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LossSummary {
    /// Per disaster, in model order.
    pub by_disaster: Vec<DisasterLoss>,
    /// Sum of the disasters' monthly expected losses, USD.
    pub expected_loss_monthly_usd: f64,
    /// p99 loss of one disaster, frequency-weighted over disasters, USD.
    pub tail_loss_p99_usd: f64,
}

/// Steady, disaster-time and expected-loss costs together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskCost {
    /// Steady monthly bill, USD.
    pub monthly_usd: f64,
    /// Failover resources, weighted by frequency, per month.
    pub disaster_monthly_usd: f64,
    /// Expected business loss per month.
    pub expected_loss_monthly_usd: f64,
    /// Steady + disaster-time + expected loss.
    pub risk_adjusted_monthly_usd: f64,
    /// p99 loss of one disaster.
    pub tail_loss_p99_usd: f64,
    /// Per disaster.
    pub by_disaster: Vec<DisasterRisk>,
}

/// Everything about one disaster's cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisasterRisk {
    /// Failover resources.
    pub failover: DisasterCost,
    /// Business loss.
    pub loss: DisasterLoss,
}

/// Adds up the steady bill, the disasters' failover costs and the expected loss.
/// `disasters` and `losses.by_disaster` are in model order.
pub fn risk_cost(bill: &Bill, disasters: &[DisasterCost], losses: &LossSummary) -> RiskCost {
    let monthly_usd = bill.total();
    let disaster_monthly_usd: f64 = disasters.iter().map(|d| d.monthly_usd).sum();
    let expected = losses.expected_loss_monthly_usd;
    RiskCost {
        monthly_usd,
        disaster_monthly_usd,
        expected_loss_monthly_usd: expected,
        risk_adjusted_monthly_usd: monthly_usd + disaster_monthly_usd + expected,
        tail_loss_p99_usd: losses.tail_loss_p99_usd,
        by_disaster: disasters
            .iter()
            .zip(&losses.by_disaster)
            .map(|(f, l)| DisasterRisk {
                failover: f.clone(),
                loss: l.clone(),
            })
            .collect(),
    }
}

/// Prices what each disaster's failover adds while it lasts.
pub fn disaster_cost(model: &Model, prices: &Prices) -> Result<Vec<DisasterCost>, CostError> {
    model
        .disasters
        .iter()
        .map(|d| one_disaster_cost(model, prices, d))
        .collect()
}

fn one_disaster_cost(
    model: &Model,
    prices: &Prices,
    d: &Disaster,
) -> Result<DisasterCost, CostError> {
    let hours = d.duration.mean() / HOUR as f64;
    let mut extra = Extra {
        model,
        prices,
        hours,
        items: Vec::new(),
    };
    match d.kind {
        DisasterKind::RegionOutage if serving_share(model, d.region) > 0.0 => {
            extra.region_failover(d.region)?
        }
        DisasterKind::AzOutage
            if model.database.region == d.region && model.database.kind == DbKind::Single =>
        {
            extra.restore(d.region, local_backups(model))?
        }
        DisasterKind::LatencyInjection if serving_share(model, d.region) > 0.0 => {
            extra.region_failover(d.region)?
        }
        // Nothing extra runs: traffic stays, or the region struck serves no one.
        DisasterKind::RegionOutage | DisasterKind::AzOutage | DisasterKind::LatencyInjection => {}
        DisasterKind::DataCorruption => {
            extra.restore(model.database.region, local_backups(model))?
        }
        DisasterKind::Ransomware => {
            extra.restore(model.database.region, ransomware_source(model))?
        }
        // Rolled back on the capacity already running.
        DisasterKind::BadDeploy => {}
        DisasterKind::AccountCompromise => {
            let surviving = model
                .backups
                .as_ref()
                .and_then(crate::sim::components::backup::after_account_compromise);
            if let Some(surviving) = surviving {
                extra.restore(surviving.region, Some(surviving.region))?
            }
        }
        // Replaced or failed over within the running capacity: no extra resources.
        DisasterKind::InstanceFailure
        | DisasterKind::NatGatewayFailure
        | DisasterKind::DbPrimaryFailure => {}
    }
    let per_occurrence_usd: f64 = extra.items.iter().map(|i| i.usd).sum();
    Ok(DisasterCost {
        name: d.name.clone(),
        per_year: d.per_year,
        hours,
        items: extra.items,
        per_occurrence_usd,
        monthly_usd: d.per_year / 12.0 * per_occurrence_usd,
    })
}

/// Region of the backups themselves.
fn local_backups(model: &Model) -> Option<RegionId> {
    model.backups.as_ref().map(|b| b.region)
}

/// Where ransomware leaves usable backups: the local ones when vault-locked, else the
/// copy, if any.
fn ransomware_source(model: &Model) -> Option<RegionId> {
    let backups = model.backups.as_ref()?;
    if backups.vault_lock.stops_ransomware() {
        Some(backups.region)
    } else {
        backups.copy.as_ref().map(|c| c.region)
    }
}

/// Collects the extra resources of one occurrence.
struct Extra<'a> {
    model: &'a Model,
    prices: &'a Prices,
    hours: f64,
    items: Vec<ExtraItem>,
}

impl Extra<'_> {
    fn add(&mut self, region: RegionId, description: String, quantity: f64, item: &PriceItem) {
        if quantity <= 0.0 {
            return;
        }
        self.items.push(ExtraItem {
            region: self.model.regions[region].name.clone(),
            description,
            quantity,
            unit: item.unit.quantity_name().into(),
            unit_price_usd: item.price,
            usd: quantity * item.price,
        });
    }

    /// Regions that take the load of `struck`.
    fn survivors(&self, struck: RegionId) -> Vec<RegionId> {
        match self.model.routing.mode {
            RoutingMode::Failover => self
                .model
                .standby()
                .filter(|&s| s != struck)
                .into_iter()
                .collect(),
            RoutingMode::ActiveActive => (0..self.model.regions.len())
                .filter(|&r| r != struck && self.model.regions[r].deployment == Deployment::Running)
                .collect(),
        }
    }

    fn region_failover(&mut self, struck: RegionId) -> Result<(), CostError> {
        let survivors = self.survivors(struck);
        let Some(&target) = survivors.first() else {
            return Ok(());
        };
        let w = &self.model.workload;
        let needed = (w.requests_per_second / w.instance_capacity_rps).ceil();
        let running: u32 = survivors
            .iter()
            .map(|&r| &self.model.regions[r])
            .filter(|r| r.deployment == Deployment::Running)
            .map(|r| r.asg.desired)
            .sum();
        let extra = (needed - f64::from(running)).max(0.0);
        self.scale_out(target, extra)?;
        if self.model.regions[target].deployment == Deployment::NotDeployed {
            self.build_region(target)?;
        }
        if self.model.database.cross_region == CrossRegion::None
            && self.model.database.region == struck
        {
            // The struck region's backups are out of reach: only a copy can be restored.
            let copy = self.model.backups.as_ref().and_then(|b| b.copy.as_ref());
            if let Some(copy) = copy {
                self.restore(target, Some(copy.region))?;
                self.restored_db(target)?;
            }
        }
        Ok(())
    }

    fn scale_out(&mut self, target: RegionId, extra: f64) -> Result<(), CostError> {
        let region = &self.model.regions[target];
        if extra <= 0.0 {
            return Ok(());
        }
        let field = format!("regions.{}.asg.instance_type", region.name);
        let catalog = self.prices.region(target);
        let ec2 = catalog.instance("ec2", &region.asg.instance_type, &field, &self.model.source)?;
        let gp3 = catalog.price("ebs.gp3", "scale-out volumes")?;
        let desc = format!(
            "{extra} extra {} for {:.2} h",
            region.asg.instance_type, self.hours
        );
        self.add(target, desc, extra * self.hours, ec2);
        let gb_months = extra * region.asg.volume_gb * self.hours / self.prices.hours_per_month();
        self.add(target, "their volumes".into(), gb_months, gp3);
        Ok(())
    }

    fn build_region(&mut self, target: RegionId) -> Result<(), CostError> {
        let region = &self.model.regions[target];
        let alb = self
            .prices
            .region(target)
            .price("alb.hour", "failover into a not-deployed region")?;
        self.add(
            target,
            "load balancer built for the failover".into(),
            self.hours,
            alb,
        );
        let nats = nat_count(region.nat, region.azs.len()) as f64;
        let nat = self
            .prices
            .region(target)
            .price("nat.hour", "failover into a not-deployed region")?;
        self.add(
            target,
            format!(
                "{nats} NAT gateway{} built for the failover",
                if nats == 1.0 { "" } else { "s" }
            ),
            nats * self.hours,
            nat,
        );
        Ok(())
    }

    fn restored_db(&mut self, target: RegionId) -> Result<(), CostError> {
        let db = &self.model.database;
        let group = match db.kind {
            DbKind::Aurora => "aurora",
            DbKind::Single | DbKind::MultiAz => "rds",
            // A restored table is billed per request, taking the lost table's requests:
            // nothing extra while the failover lasts.
            DbKind::Dynamodb => return Ok(()),
        };
        let instance = self.prices.region(target).instance(
            group,
            &db.instance_class,
            "database.instance_class",
            &self.model.source,
        )?;
        self.add(
            target,
            format!("restored {} for {:.2} h", db.instance_class, self.hours),
            self.hours,
            instance,
        );
        Ok(())
    }

    /// Restore of the database into `region` from backups kept in `from` (`None`:
    /// no usable backup, nothing to restore); a backup in another region is moved
    /// across first.
    fn restore(&mut self, region: RegionId, from: Option<RegionId>) -> Result<(), CostError> {
        let Some(from) = from else { return Ok(()) };
        let gb = self.model.workload.data_size_gb;
        let restore = self
            .prices
            .region(region)
            .price("backup.restore", "restores")?;
        self.add(region, format!("restore of {gb} GB"), gb, restore);
        if from != region {
            // Data moved out of a region is billed at that region's rate.
            let transfer = self
                .prices
                .region(from)
                .price("transfer.inter_region", "cross-region restores")?;
            let desc = format!(
                "{gb} GB of backup moved from {}",
                self.model.regions[from].name
            );
            self.add(region, desc, gb, transfer);
        }
        Ok(())
    }
}

/// Expected monthly loss and tail loss from the simulated trials' statistics.
///
/// A trial's loss (outage x downtime cost + RPO x data-loss cost, the outage being the
/// integral of the share of requests failing up to the horizon, lost data counted as
/// the horizon) is accumulated exactly, in cents, by
/// [`OutcomeStats`] at the rates of the model's `[cost]` section; this reads its means
/// and quantiles, so memory does not grow with the number of trials.
pub fn expected_loss(run: &SummaryContext, stats: &OutcomeStats) -> LossSummary {
    let usd = |cents: f64| cents / 100.0;
    let horizon = run.horizon;
    let with_horizon = |m: &Metric| {
        let total = m.total();
        if total == 0 {
            0.0
        } else {
            hours_f((m.sum as f64 + m.none as f64 * horizon as f64) / total as f64)
        }
    };
    let mut by_disaster = Vec::new();
    for (d, s) in run.disasters.iter().zip(stats.disasters()) {
        let mean_loss = usd(s.loss.mean().unwrap_or(0.0));
        let alone = [Stratum {
            weight: 1.0,
            metric: &s.loss,
        }];
        by_disaster.push(DisasterLoss {
            name: d.name.clone(),
            per_year: d.per_year,
            trials: s.trials as usize,
            mean_rto_hours: with_horizon(&s.rto),
            mean_outage_hours: with_horizon(&s.outage),
            mean_rpo_hours: with_horizon(&s.rpo),
            mean_loss_usd: mean_loss,
            p99_loss_usd: usd(mixture_quantile(&alone, TAIL_QUANTILE).unwrap_or(0) as f64),
            monthly_usd: d.per_year / 12.0 * mean_loss,
        });
    }
    let strata: Vec<Stratum<'_>> = run
        .disasters
        .iter()
        .zip(stats.disasters())
        .map(|(d, s)| Stratum {
            weight: d.per_year,
            metric: &s.loss,
        })
        .collect();
    LossSummary {
        expected_loss_monthly_usd: by_disaster.iter().map(|d| d.monthly_usd).sum(),
        tail_loss_p99_usd: usd(mixture_quantile(&strata, TAIL_QUANTILE).unwrap_or(0) as f64),
        by_disaster,
    }
}

fn hours_f(ms: f64) -> f64 {
    ms / HOUR as f64
}

/// The `q` quantile of weighted values: the smallest value whose cumulative weight
/// reaches `q` of the total (0 for no values).
pub fn weighted_quantile(mut values: Vec<(f64, f64)>, q: f64) -> f64 {
    values.retain(|(_, w)| *w > 0.0);
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = values.iter().map(|(_, w)| w).sum();
    let mut seen = 0.0;
    for (value, weight) in &values {
        seen += weight;
        // A small tolerance so that e.g. 99 of 100 equal weights reach 0.99.
        if seen >= q * total * (1.0 - 1e-12) {
            return *value;
        }
    }
    values.last().map_or(0.0, |v| v.0)
}
