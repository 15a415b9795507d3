//! The database writer: where it is, whether it takes writes, and what its copies lose.

use crate::model::{AzId, Database, RegionId};

/// State of the database during a trial.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DbState {
    /// Region of the writer.
    pub region: RegionId,
    /// AZ of the writer.
    pub az: AzId,
    /// The writer is running (not failed, not failing over).
    pub up: bool,
    /// The data is corrupt or encrypted (requests on it count as failures).
    pub corrupt: bool,
}

impl DbState {
    /// The writer as deployed before any disaster.
    pub fn initial(db: &Database) -> Self {
        DbState {
            region: db.region,
            az: db.az,
            up: true,
            corrupt: false,
        }
    }
}

/// The region holding the cross-region copy, if any.
pub fn replica_region(db: &Database) -> Option<RegionId> {
    match db.cross_region {
        crate::model::CrossRegion::None => None,
        crate::model::CrossRegion::ReadReplica { region } => Some(region),
        crate::model::CrossRegion::AuroraGlobal { region } => Some(region),
        crate::model::CrossRegion::MultiWriter { region } => Some(region),
    }
}

/// The region that keeps taking writes with no promotion when the writer's region is lost.
pub fn other_writer(db: &Database) -> Option<RegionId> {
    match db.cross_region {
        crate::model::CrossRegion::MultiWriter { region } => Some(region),
        _ => None,
    }
}

/// Whether an in-region standby takes over on its own (Multi-AZ, Aurora replica).
pub fn fails_over_in_region(db: &Database) -> bool {
    !matches!(db.kind, crate::model::DbKind::Single)
}
