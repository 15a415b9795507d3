//! The bill and its risk as one report: the data behind `drsim cost` and the cost part
//! of a run (`present::cost` renders it as a table, JSON or CSV).
//!
//! [`CostReport`]'s JSON keys are stable
//! (`monthly_usd`, `disaster_monthly_usd`, `expected_loss_monthly_usd`,
//! `risk_adjusted_monthly_usd`, `tail_loss_p99_usd`, `hours_per_month`, `catalog`,
//! `catalog_file`, `region_catalogs`,
//! `breakdown`, `by_region`, `by_component`, `by_disaster`, `notes`); figures that were
//! not computed (no simulation behind `drsim cost`) are `null`. CSV has one row per
//! line item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bill::{Bill, LineItem};
use super::risk::{DisasterCost, DisasterLoss, ExtraItem, LossSummary};
use crate::model::catalog::Catalog;

/// One disaster's cost in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisasterEntry {
    /// Disaster name.
    pub name: String,
    /// Expected occurrences per year.
    pub per_year: f64,
    /// How long the failover lasts, hours.
    pub failover_hours: f64,
    /// Failover resources of one occurrence, USD.
    pub failover_per_occurrence_usd: f64,
    /// Failover resources per month, frequency-weighted.
    pub disaster_monthly_usd: f64,
    /// The failover resources.
    pub failover_items: Vec<ExtraItem>,
    /// Business loss from the simulation, when there was one.
    pub loss: Option<DisasterLoss>,
}

/// Everything a cost report shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// Catalog name.
    pub catalog: String,
    /// Catalog file.
    pub catalog_file: String,
    /// Name of the catalog that priced each AWS region, by region name.
    #[serde(default)]
    pub region_catalogs: BTreeMap<String, String>,
    /// Hours in the billing month.
    pub hours_per_month: f64,
    /// Steady monthly bill, USD.
    pub monthly_usd: f64,
    /// Failover resources per month, frequency-weighted.
    pub disaster_monthly_usd: Option<f64>,
    /// Expected business loss per month (needs a simulation).
    pub expected_loss_monthly_usd: Option<f64>,
    /// Steady + disaster-time + expected loss (needs a simulation).
    pub risk_adjusted_monthly_usd: Option<f64>,
    /// p99 loss of one disaster (needs a simulation).
    pub tail_loss_p99_usd: Option<f64>,
    /// Line items.
    pub breakdown: Vec<LineItem>,
    /// Monthly totals by region (`global` for global services).
    pub by_region: BTreeMap<String, f64>,
    /// Monthly totals by component.
    pub by_component: BTreeMap<String, f64>,
    /// Per disaster.
    pub by_disaster: Vec<DisasterEntry>,
    /// Things priced at zero or left out, and why.
    pub notes: Vec<String>,
}

impl CostReport {
    /// Builds a report from a bill and, when known, the disasters' failover costs and
    /// the simulated losses (both in model order).
    pub fn new(
        bill: &Bill,
        catalog: &Catalog,
        disasters: Option<&[DisasterCost]>,
        losses: Option<&LossSummary>,
    ) -> CostReport {
        let report = CostReport::without_losses(bill, catalog, disasters);
        match losses {
            Some(losses) => report.with_losses(losses),
            None => report,
        }
    }

    /// The report before any simulation: bill and failover costs, no loss figures.
    pub fn without_losses(
        bill: &Bill,
        catalog: &Catalog,
        disasters: Option<&[DisasterCost]>,
    ) -> CostReport {
        let monthly = bill.total();
        let disaster_monthly = disasters.map(|ds| ds.iter().map(|d| d.monthly_usd).sum::<f64>());
        let by_disaster = disasters
            .unwrap_or_default()
            .iter()
            .map(|d| entry(d, None))
            .collect();
        CostReport {
            catalog: catalog.name.clone(),
            catalog_file: catalog.path.display().to_string(),
            region_catalogs: bill.region_catalogs.clone(),
            hours_per_month: bill.hours_per_month,
            monthly_usd: monthly,
            disaster_monthly_usd: disaster_monthly,
            expected_loss_monthly_usd: None,
            risk_adjusted_monthly_usd: None,
            tail_loss_p99_usd: None,
            breakdown: bill.items.clone(),
            by_region: bill.by_region().into_iter().collect(),
            by_component: bill.by_component().into_iter().collect(),
            by_disaster,
            notes: bill.notes.clone(),
        }
    }

    /// Adds the simulated losses (in model order). A sharded run prices without them and
    /// adds them after the merge, through this same step, so both give the same bytes.
    pub fn with_losses(mut self, losses: &LossSummary) -> CostReport {
        let expected = losses.expected_loss_monthly_usd;
        self.expected_loss_monthly_usd = Some(expected);
        self.risk_adjusted_monthly_usd =
            Some(self.monthly_usd + self.disaster_monthly_usd.unwrap_or(0.0) + expected);
        self.tail_loss_p99_usd = Some(losses.tail_loss_p99_usd);
        for (entry, loss) in self.by_disaster.iter_mut().zip(&losses.by_disaster) {
            entry.loss = Some(loss.clone());
        }
        self
    }
}

fn entry(d: &DisasterCost, loss: Option<&DisasterLoss>) -> DisasterEntry {
    DisasterEntry {
        name: d.name.clone(),
        per_year: d.per_year,
        failover_hours: d.hours,
        failover_per_occurrence_usd: d.per_occurrence_usd,
        disaster_monthly_usd: d.monthly_usd,
        failover_items: d.items.clone(),
        loss: loss.cloned(),
    }
}
