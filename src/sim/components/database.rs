//! The database writer: where it is, whether it takes writes, and what its copies lose.

use crate::model::{AzId, CrossRegion, Database, DbKind, GlobalFailover, RegionId};

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
        | CrossRegion::MultiWriter { region }
        | CrossRegion::Dms { region } => Some(region),
    }
}

/// The region that keeps taking writes with no promotion when the writer's region is lost.
pub fn other_writer(db: &Database) -> Option<RegionId> {
    match db.cross_region {
        CrossRegion::MultiWriter { region } => Some(region),
        CrossRegion::None
        | CrossRegion::ReadReplica { .. }
        | CrossRegion::AuroraGlobal { .. }
        | CrossRegion::Dms { .. } => None,
    }
}

/// Whether an in-region standby takes over on its own (Multi-AZ, Aurora replica).
pub fn fails_over_in_region(db: &Database) -> bool {
    match db.kind {
        DbKind::Single => false,
        // DynamoDB keeps its data in several AZs; a failed node is replaced by the
        // service (failover_time, default 0 s).
        DbKind::MultiAz | DbKind::Aurora | DbKind::Dynamodb => true,
    }
}

/// Whether a writer in `writer` must later be moved back home in a planned fail-back:
/// it was promoted or restored outside its home region. A multi-writer store needs none
/// (the home writer catches up and takes writes again).
pub fn needs_failback(db: &Database, writer: RegionId) -> bool {
    writer != db.region && other_writer(db).is_none()
}

/// What promoting the cross-region copy is called, for the timeline.
pub fn promotion_label(db: &Database) -> &'static str {
    match (&db.cross_region, db.global_failover) {
        (CrossRegion::AuroraGlobal { .. }, GlobalFailover::Managed) => {
            "Aurora Global failover (allowing data loss) to the secondary"
        }
        (CrossRegion::AuroraGlobal { .. }, GlobalFailover::DetachAndPromote) => {
            "detach the Aurora Global secondary and promote it"
        }
        (CrossRegion::ReadReplica { .. }, _) => "promote the cross-region read replica",
        (CrossRegion::Dms { .. }, _) => "stop the DMS task, cut over to the RDS target",
        (CrossRegion::None | CrossRegion::MultiWriter { .. }, _) => "promote the copy",
    }
}

/// What failing back involves, for the timeline: after a promotion (`promoted`) or a
/// restore in another region.
pub fn failback_label(db: &Database, promoted: bool) -> &'static str {
    if !promoted {
        return "restore a snapshot of the new writer at home and switch to it";
    }
    match (&db.cross_region, db.global_failover) {
        (CrossRegion::AuroraGlobal { .. }, GlobalFailover::Managed) => {
            "the old primary resynchronises as a secondary, then a switchover (no data loss)"
        }
        (CrossRegion::AuroraGlobal { .. }, GlobalFailover::DetachAndPromote) => {
            "build a new global database with a secondary at home, then a switchover"
        }
        (CrossRegion::ReadReplica { .. }, _) => {
            "create a read replica at home, promote it and point the application at it"
        }
        (CrossRegion::Dms { .. }, _) => {
            "replicate back to the site with a DMS task, then cut over to it"
        }
        (CrossRegion::None | CrossRegion::MultiWriter { .. }, _) => "move the writer home",
    }
}
