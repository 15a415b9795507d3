//! Warnings: a model that loads and runs, but whose results would likely mislead.
//!
//! Unlike a validation error these do not stop anything; the CLI prints them on
//! standard error (not with `--quiet`). [`warnings`] is the one place that decides them.

use super::{Model, NatLayout};

/// Something in a model that is allowed but probably not meant.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// TOML path of the field, e.g. `["regions", "us-west-2", "nat"]`.
    pub field: Vec<String>,
    /// What the field leads to, and what to do about it.
    pub message: String,
}

/// What the output will be used for: a ranking by risk-adjusted cost makes an unpriced
/// downtime matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// One model, described, priced or run.
    Describe,
    /// Strategies ranked by risk-adjusted cost (`compare`, `report`).
    RankByRiskAdjustedCost,
}

/// The warnings of `model` for output used as `usage`.
pub fn warnings(model: &Model, usage: Use) -> Vec<Warning> {
    let mut out = Vec::new();
    if model.workload.needs_outbound {
        for region in &model.regions {
            if region.nat == NatLayout::None {
                out.push(Warning {
                    field: vec!["regions".into(), region.name.clone(), "nat".into()],
                    message: format!(
                        "nat = \"none\" while workload.needs_outbound = true: instances in {} can \
                         never reach the outside, so that region never serves and never recovers \
                         (give it NAT gateways, or set needs_outbound = false)",
                        region.name
                    ),
                });
            }
        }
    }
    if usage == Use::RankByRiskAdjustedCost && model.cost.downtime_usd_per_hour == 0.0 {
        out.push(Warning {
            field: vec!["cost".into(), "downtime_usd_per_hour".into()],
            message: "is 0 (unset): downtime costs nothing, so the expected loss ignores RTO and \
                      the ranking by risk-adjusted cost favours the cheapest strategy; set what \
                      an hour of downtime costs"
                .into(),
        });
    }
    out
}
