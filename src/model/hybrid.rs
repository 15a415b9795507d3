//! Hybrid DR: the channels between an on-premises site and the AWS region it recovers
//! into (`[hybrid]` in a model file, docs/model-format.md).
//!
//! The channels decide numbers the rest of drsim already uses: the link's bandwidth is
//! the throughput of backup copies sent over it and of restores that pull data across
//! it; AWS DMS is the database's cross-region copy (`CrossRegion::Dms`, its lag and
//! cutover); Elastic Disaster Recovery launches the recovery region's instances
//! (conversion + boot instead of launch + bootstrap). So restores, copies, promotions and
//! launches keep one implementation each.

use super::dist::Dist;
use super::units::HOUR;

/// Index of a region in the model (as `RegionId`).
type RegionId = usize;

/// Gigabytes (10^9 bytes) a 1 Gbit/s link carries in an hour: 10^9 bit/s / 8 x 3600 s.
pub const GB_PER_HOUR_PER_GBPS: f64 = 3600.0 / 8.0;

/// The channels between the data centre and AWS.
#[derive(Clone, Debug, PartialEq)]
pub struct Hybrid {
    /// The on-premises site (a region with `site = "on_premises"`).
    pub site: RegionId,
    /// The AWS region it connects to and recovers into.
    pub region: RegionId,
    /// The network link data crosses.
    pub link: Link,
    /// Data sent from AWS to the site each month over the link, GB (billed as data
    /// transfer out: at the Direct Connect rate over DX, as internet egress over a VPN).
    pub transfer_out_gb_per_month: f64,
    /// How the site's backups reach AWS.
    pub backups_over: BackupPath,
    /// AWS DMS continuous replication of the on-site database into RDS, if used.
    pub dms: Option<Dms>,
    /// AWS Elastic Disaster Recovery of the site's servers, if used.
    pub drs: Option<Drs>,
}

/// Which network link carries the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// Site-to-Site VPN over the internet.
    Vpn,
    /// A dedicated Direct Connect port.
    DirectConnect,
    /// Direct Connect, with a Site-to-Site VPN taking over when DX is down.
    DirectConnectVpnBackup,
}

impl LinkKind {
    /// Whether a Site-to-Site VPN connection exists (billed per hour).
    pub fn has_vpn(self) -> bool {
        match self {
            LinkKind::Vpn | LinkKind::DirectConnectVpnBackup => true,
            LinkKind::DirectConnect => false,
        }
    }

    /// Whether a Direct Connect port exists (billed per port-hour).
    pub fn has_dx(self) -> bool {
        match self {
            LinkKind::DirectConnect | LinkKind::DirectConnectVpnBackup => true,
            LinkKind::Vpn => false,
        }
    }
}

/// The link and its bandwidths.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// Which link.
    pub kind: LinkKind,
    /// VPN tunnels carrying traffic together (ECMP).
    pub vpn_tunnels: u32,
    /// Throughput of one VPN tunnel, Gbit/s (AWS: up to 1.25 standard, 5 large).
    pub vpn_tunnel_gbps: f64,
    /// Direct Connect dedicated port speed, Gbit/s (1, 10 or 100).
    pub dx_port_gbps: f64,
    /// Chance that Direct Connect is down when a transfer starts (then the VPN carries it).
    pub dx_down_probability: f64,
}

impl Link {
    /// The bandwidth of the channel carrying a transfer, Gbit/s: Direct Connect while up,
    /// else the VPN (`dx_down` only happens with a VPN backup).
    pub fn gbps(&self, dx_down: bool) -> f64 {
        let vpn = f64::from(self.vpn_tunnels) * self.vpn_tunnel_gbps;
        match self.kind {
            LinkKind::Vpn => vpn,
            LinkKind::DirectConnect => self.dx_port_gbps,
            LinkKind::DirectConnectVpnBackup if dx_down => vpn,
            LinkKind::DirectConnectVpnBackup => self.dx_port_gbps,
        }
    }

    /// The same in GB per hour.
    pub fn gb_per_hour(&self, dx_down: bool) -> f64 {
        self.gbps(dx_down) * GB_PER_HOUR_PER_GBPS
    }

    /// Whether a transfer can find Direct Connect down.
    pub fn may_fail(&self) -> bool {
        self.kind == LinkKind::DirectConnectVpnBackup && self.dx_down_probability > 0.0
    }
}

/// How the site's backups reach the AWS region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupPath {
    /// Shipped on devices (`backups.copy_duration` and `copy_gb_per_hour` as written).
    Shipment,
    /// Sent over the link: copies run at its bandwidth.
    Link,
    /// Written to a Storage Gateway that uploads them over the link to AWS, where they
    /// are kept: copies run at the link's bandwidth, and a restore on site reads the
    /// data back over it.
    StorageGateway,
}

/// AWS DMS continuous replication (full load, then change data capture) of the on-site
/// database into an RDS instance in the AWS region.
#[derive(Clone, Debug, PartialEq)]
pub struct Dms {
    /// Replication instance class, priced from the catalog's `dms` group.
    pub instance_class: String,
    /// How far the target is behind the source (CDC latency): adds to the RPO.
    pub lag: Dist,
    /// Stop the task and point the application at the RDS target.
    pub cutover_time: Dist,
    /// Chance that the task had stalled when the site was lost.
    pub stall_probability: f64,
    /// How long a stalled task had been stalled: the target is that much further behind.
    pub stall_behind: Dist,
}

/// AWS Elastic Disaster Recovery: block-level replication of the site's servers to a
/// staging area; on failover it launches recovery instances, converted to boot on EC2.
#[derive(Clone, Debug, PartialEq)]
pub struct Drs {
    /// Source servers replicated (priced per server-hour).
    pub servers: u32,
    /// Conversion of a server's replicated volumes to boot on EC2 (replaces the
    /// recovery region's `launch_time`).
    pub conversion_time: Dist,
    /// Boot of the recovery instance until it serves (replaces `bootstrap_time`).
    pub boot_time: Dist,
}

/// Time to move `gb` GB over `gbps` Gbit/s, in milliseconds: `gb x 8 / gbps` seconds.
pub fn transfer_millis(gb: f64, gbps: f64) -> f64 {
    gb / (gbps * GB_PER_HOUR_PER_GBPS) * HOUR as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(kind: LinkKind) -> Link {
        Link {
            kind,
            vpn_tunnels: 1,
            vpn_tunnel_gbps: 1.25,
            dx_port_gbps: 10.0,
            dx_down_probability: 0.1,
        }
    }

    /// 1 Gbit/s is 0.125 GB/s: 450 GB an hour; 200 GB over 1.25 Gbit/s take
    /// 200 x 8 / 1.25 = 1280 s (sources.md#hybrid-vpn-tunnel).
    #[test]
    fn transfer_time_is_size_times_eight_over_the_bandwidth() {
        assert_eq!(GB_PER_HOUR_PER_GBPS, 450.0);
        assert!((transfer_millis(200.0, 1.25) - 1_280_000.0).abs() < 1e-6);
    }

    #[test]
    fn dx_down_falls_back_to_the_vpn_only_with_a_vpn_backup() {
        let backup = link(LinkKind::DirectConnectVpnBackup);
        assert_eq!(backup.gbps(false), 10.0);
        assert_eq!(backup.gbps(true), 1.25);
        assert!(backup.may_fail());
        assert_eq!(link(LinkKind::DirectConnect).gbps(true), 10.0);
        assert!(!link(LinkKind::DirectConnect).may_fail());
        let mut two = link(LinkKind::Vpn);
        two.vpn_tunnels = 2;
        assert_eq!(two.gbps(false), 2.5);
    }
}
