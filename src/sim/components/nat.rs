//! NAT gateways: whether an AZ's instances reach the internet.

use crate::model::{AzId, NatLayout};

/// Whether instances in `az` have a working outbound path, given which AZs are up and
/// which NAT gateways failed. A single NAT is a shared fate: its AZ takes every AZ's
/// outbound traffic down with it.
pub fn outbound_ok(layout: NatLayout, az: AzId, az_up: &[bool], nat_failed: &[bool]) -> bool {
    let gateway_ok = |at: AzId| az_up[at] && !nat_failed[at];
    match layout {
        NatLayout::PerAz => gateway_ok(az),
        NatLayout::Single(at) => gateway_ok(at),
        NatLayout::None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_az_nat_fails_only_its_own_az() {
        let up = [false, true];
        let failed = [false, false];
        assert!(!outbound_ok(NatLayout::PerAz, 0, &up, &failed));
        assert!(outbound_ok(NatLayout::PerAz, 1, &up, &failed));
    }

    #[test]
    fn single_nat_is_a_shared_fate() {
        let up = [false, true];
        let failed = [false, false];
        assert!(!outbound_ok(NatLayout::Single(0), 1, &up, &failed));
        assert!(outbound_ok(NatLayout::Single(1), 0, &[true, true], &failed));
    }
}
