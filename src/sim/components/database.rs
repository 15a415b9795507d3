//! The database writer: where it is, whether it takes writes, and what its copies lose.

use crate::model::{AzId, CrossRegion, Database, DbKind, RegionId};

/// The database's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbEvent {
    /// In-region failover or repair finished.
    Recovered,
    /// The cross-region copy was promoted to writer.
    Promoted {
        /// Region of the promoted copy.
        region: u16,
    },
    /// A restore from backup finished.
    Restored {
        /// Region restored into.
        region: u16,
    },
}

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

impl DbState {
    /// The writer moves to `region`, into `az`, and takes writes.
    pub fn move_writer(&mut self, region: RegionId, az: AzId) {
        self.region = region;
        self.az = az;
        self.up = true;
    }

    /// In-region failover or repair finished: the writer is back, in a live AZ of its
    /// region (`az_up`). Returns false if it was already up.
    pub fn recover(&mut self, az_up: &[bool]) -> bool {
        if self.up {
            return false;
        }
        self.up = true;
        if !az_up[self.az] {
            self.az = az_up.iter().position(|&up| up).unwrap_or(self.az);
        }
        true
    }
}

/// The region holding the cross-region copy, if any.
pub fn replica_region(db: &Database) -> Option<RegionId> {
    match db.cross_region {
        CrossRegion::None => None,
        CrossRegion::ReadReplica { region }
        | CrossRegion::AuroraGlobal { region }
        | CrossRegion::MultiWriter { region } => Some(region),
    }
}

/// The region that keeps taking writes with no promotion when the writer's region is lost.
pub fn other_writer(db: &Database) -> Option<RegionId> {
    match db.cross_region {
        CrossRegion::MultiWriter { region } => Some(region),
        CrossRegion::None | CrossRegion::ReadReplica { .. } | CrossRegion::AuroraGlobal { .. } => {
            None
        }
    }
}

/// Whether an in-region standby takes over on its own (Multi-AZ, Aurora replica).
pub fn fails_over_in_region(db: &Database) -> bool {
    match db.kind {
        DbKind::Single => false,
        DbKind::MultiAz | DbKind::Aurora => true,
    }
}
