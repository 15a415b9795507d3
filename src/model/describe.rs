//! A readable description of a validated model (placeholder: the full description is
//! written on another branch and replaces this one at merge).

use super::Model;

/// A short description of `model`: its name and how many regions and disasters it has.
pub fn summary(model: &Model) -> String {
    format!(
        "{}: {} regions, {} disasters, {} trials\n",
        model.name,
        model.regions.len(),
        model.disasters.len(),
        model.simulation.trials
    )
}
