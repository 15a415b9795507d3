//! The model layer's error: a model file or a price catalog that cannot be used.

use super::catalog::CostError;
use super::load::LoadError;

/// A model that cannot be used: its files do not load, or it cannot be priced. Both
/// kinds name the file, and the line, column and field when known; their located
/// details ([`LoadError`], [`CostError`]) are what the loader and the pricing return.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// A model file could not be read or is not a valid model.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The price catalog or a cost setting is missing or invalid.
    #[error(transparent)]
    Cost(#[from] CostError),
}
