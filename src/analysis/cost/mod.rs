//! What an architecture costs per month, and what its disasters cost.
//!
//! A tour, from a model to a risk-adjusted figure:
//!
//! 1. [`crate::model::catalog`]: a price catalog file (`models/prices/aws-us-east-1.toml`) is read and
//!    validated into a [`Catalog`]: every price has a unit from a closed list, a source
//!    page and a date. A model picks its catalog and may override single prices
//!    ([`CostSettings`](crate::model::cost::CostSettings), the model's `[cost]` section).
//! 2. [`bill`]: [`monthly_bill`] prices the always-on resources each region declares
//!    (instances in service, warm pools by state, NAT, ALB and LCUs, databases and
//!    replicas, storage, replication transfer, backups, Route 53 or Global Accelerator)
//!    into a [`Bill`] of line items with totals by region and component.
//! 3. [`risk`]: [`disaster_cost`] prices what each failover adds while it lasts, weighted
//!    by annual frequency; [`expected_loss`] turns simulated RTO/RPO samples into the
//!    expected monthly loss and the p99 loss of one disaster; [`risk_cost`] adds them up.
//! 4. [`mod@report`]: the bill and the risk as one [`CostReport`] (shown by
//!    `present::cost`).
//!
//! Every assumption that is not a price (how many bytes go through NAT, how long ALB
//! connections last, ...) is a field of [`CostSettings`](crate::model::cost::CostSettings) with a documented default.

pub mod bill;
pub mod report;
pub mod risk;
#[cfg(test)]
mod tests;

use crate::model::catalog::CostError;
use crate::model::cost::Prices;
use crate::run::stats::OutcomeStats;

pub use bill::{Bill, LineItem, monthly_bill};
pub use report::CostReport;
pub use risk::{DisasterCost, RiskCost, disaster_cost, expected_loss, risk_cost};

/// Everything `drsim cost` and `drsim run` show about cost: loads the catalog named by
/// the model's `[cost]` settings (with its overrides), prices the steady bill and each
/// disaster's failover, and, when the statistics of simulated trials are given, the
/// expected and tail loss.
pub fn report(
    model: &crate::model::Model,
    trials: Option<&OutcomeStats>,
) -> Result<CostReport, CostError> {
    let prices = load_prices(model)?;
    report_with_prices(model, &prices, trials)
}

/// The catalogs that price `model`: the global one and each AWS region's, with the
/// model's overrides.
pub fn load_prices(model: &crate::model::Model) -> Result<Prices, CostError> {
    let regions: Vec<(&str, bool)> = (model.regions.iter())
        .map(|r| (r.name.as_str(), r.site == crate::model::SiteKind::Aws))
        .collect();
    model.cost.load_prices(&regions, &instance_items(model))
}

/// The instance items the model prices: `ec2.TYPE` of each region and the database
/// class in its group.
fn instance_items(model: &crate::model::Model) -> std::collections::BTreeSet<String> {
    let db = &model.database;
    let group = match db.kind {
        crate::model::DbKind::Aurora => Some("aurora"),
        crate::model::DbKind::Single | crate::model::DbKind::MultiAz => Some("rds"),
        // Priced by requests: its instance_class names nothing to price.
        crate::model::DbKind::Dynamodb => None,
    };
    (model.regions.iter())
        .map(|r| format!("ec2.{}", r.asg.instance_type))
        .chain(group.map(|group| format!("{group}.{}", db.instance_class)))
        .collect()
}

/// [`report()`] with the catalogs already loaded.
pub fn report_with_prices(
    model: &crate::model::Model,
    prices: &Prices,
    trials: Option<&OutcomeStats>,
) -> Result<CostReport, CostError> {
    let bill = monthly_bill(model, &model.cost, prices)?;
    let disasters = disaster_cost(model, prices)?;
    let run = crate::analysis::context::SummaryContext::of(model);
    let losses = trials.map(|stats| expected_loss(&run, stats));
    Ok(CostReport::new(
        &bill,
        prices.global(),
        Some(&disasters),
        losses.as_ref(),
    ))
}
