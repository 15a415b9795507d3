//! Correlated, global and grey events (issue #11): the recovery region impaired with
//! the region it takes over from, a bad deploy rolled back, an account-wide compromise
//! against Vault Lock's modes and cross-account copies, and a grey failure noticed by a
//! CloudWatch alarm or by customers.

use super::{Dist, Millis};

/// How a bad deploy is rolled back (`[recovery.rollback]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Rollback {
    /// Blue/green behind weighted target groups: the previous version still runs and
    /// rolling back is a listener change shifting traffic back to it. Otherwise the
    /// previous version is redeployed through infrastructure as code
    /// (`iac_redeploy_time`, failing as `iac_failure` says).
    pub blue_green: bool,
    /// With blue/green: from the decision to the traffic back on the previous version.
    pub shift_time: Dist,
}

impl Rollback {
    /// No blue/green: a redeploy (the default).
    pub const REDEPLOY: Rollback = Rollback {
        blue_green: false,
        shift_time: Dist::Fixed(0.0),
    };
}

/// A CloudWatch alarm on the load balancer's error rate (`[recovery.error_alarm]`), and
/// what notices a grey failure it misses. The alarm fires once `datapoints_to_alarm` of
/// the last `evaluation_periods` periods breach `threshold`; from a failure starting at
/// a period's start that breaches every period, that is `datapoints_to_alarm x period`.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorAlarm {
    /// The metric's period.
    pub period: Millis,
    /// Periods evaluated (N).
    pub evaluation_periods: u32,
    /// Breaching periods among them that fire the alarm (M, at most N).
    pub datapoints_to_alarm: u32,
    /// Share of requests failing (errors or past their timeout) that breaches, in (0, 1].
    pub threshold: f64,
    /// From the failure's start to customers reporting it, when the alarm never fires.
    pub customer_report: Dist,
}

impl ErrorAlarm {
    /// When the alarm fires for a failure failing `share` of the requests, from its
    /// start; `None` if the share stays under the threshold (the alarm never fires).
    pub fn fires_after(&self, share: f64) -> Option<Millis> {
        (share >= self.threshold).then(|| Millis::from(self.datapoints_to_alarm) * self.period)
    }
}

/// What noticed a failure: decides which decision time applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Signal {
    /// An alarm (the infrastructure alarm, or the error-rate alarm).
    #[default]
    Alarm,
    /// Customers reporting errors that no alarm caught.
    CustomerReport,
}

/// AWS Backup Vault Lock (`vault_lock`): which recovery points nobody can delete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VaultLock {
    /// No lock (`false`, the default).
    #[default]
    Off,
    /// Governance mode (`true` or `"governance"`): users with sufficient IAM permissions
    /// can remove the lock, so an attacker holding the account can.
    Governance,
    /// Compliance mode (`"compliance"`): nobody can remove it once its grace time ends.
    Compliance,
}

impl VaultLock {
    /// Whether recovery points survive ransomware (an attacker in the workload, not an
    /// administrator of the account): either mode.
    pub fn stops_ransomware(self) -> bool {
        match self {
            VaultLock::Off => false,
            VaultLock::Governance | VaultLock::Compliance => true,
        }
    }

    /// Whether recovery points survive an attacker holding the whole account: only
    /// compliance mode (governance can be removed by a privileged user).
    pub fn stops_account_compromise(self) -> bool {
        match self {
            VaultLock::Off | VaultLock::Governance => false,
            VaultLock::Compliance => true,
        }
    }

    /// The name used in model files.
    pub fn name(self) -> &'static str {
        match self {
            VaultLock::Off => "off",
            VaultLock::Governance => "governance",
            VaultLock::Compliance => "compliance",
        }
    }
}

/// A disaster's decision time per signal (`decision_after_alarm`,
/// `decision_after_report`); `None` takes `recovery.decision_time`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionTimes {
    /// After the alarm fired (skipped when `recovery.automated`).
    pub after_alarm: Option<Dist>,
    /// After customers reported it (people decide even when automated: no alarm
    /// triggered the automation).
    pub after_report: Option<Dist>,
}
