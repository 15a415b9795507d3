//! What a Terraform configuration (or plan / state) holds, read the same way from HCL and
//! from `terraform show -json`: resource instances with their known values, what could
//! not be resolved, which other resources each argument refers to, and the region each
//! lives in with how that region was found.

use std::collections::BTreeMap;

use serde_json::Value;

/// Every AWS resource instance read, in the order read.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The resource instances (`count` expanded).
    pub resources: Vec<Resource>,
    /// What the reader could not follow (a module from a registry, a `for_each` it did
    /// not expand...), each naming its Terraform address.
    pub notes: Vec<String>,
}

impl Inventory {
    /// The instances of resource type `kind`.
    pub fn of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.kind == kind)
    }

    /// The instance at `address` (`aws_lb.app`, `aws_subnet.private[0]`), or the first
    /// instance of a counted resource named without its index.
    pub fn find(&self, address: &str) -> Option<&Resource> {
        self.resources
            .iter()
            .find(|r| r.address == address)
            .or_else(|| self.resources.iter().find(|r| r.base_address() == address))
    }
}

/// One resource instance.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The resource type (`aws_autoscaling_group`).
    pub kind: String,
    /// The Terraform address (`module.net.aws_nat_gateway.this[0]`).
    pub address: String,
    /// Where it is written: `main.tf:41`, or the JSON file's name.
    pub at: String,
    /// Its region, and how that was found.
    pub region: Placement,
    /// The known values: arguments, and nested blocks as arrays of objects (the shape of
    /// `terraform show -json`).
    pub body: serde_json::Map<String, Value>,
    /// Arguments whose value could not be resolved: JSON pointer -> the expression.
    pub unknown: BTreeMap<String, String>,
    /// Resources each argument refers to: JSON pointer -> addresses (`aws_lb.app`).
    pub refs: BTreeMap<String, Vec<String>>,
}

impl Resource {
    /// `file:line` and address, as every comment cites it.
    pub fn cite(&self) -> String {
        format!("{} ({})", self.address, self.at)
    }

    /// The address without an instance index (`aws_subnet.a[0]` -> `aws_subnet.a`).
    pub fn base_address(&self) -> &str {
        self.address
            .strip_suffix(']')
            .and_then(|a| a.rfind('[').map(|i| &self.address[..i]))
            .unwrap_or(&self.address)
    }

    /// The value at JSON pointer `at` (`/warm_pool/0/pool_state`).
    pub fn get(&self, at: &str) -> Field {
        let rest = at.strip_prefix('/').unwrap_or(at);
        let (first, inner) = rest.split_once('/').unwrap_or((rest, ""));
        let found = self.body.get(first).and_then(|v| {
            if inner.is_empty() {
                Some(v)
            } else {
                v.pointer(&format!("/{inner}"))
            }
        });
        match found {
            Some(Value::Null) | None => match self.unknown.get(at) {
                Some(expr) => Field::Unknown(expr.clone()),
                None => Field::Absent,
            },
            Some(v) => Field::Known(v.clone()),
        }
    }

    /// A string argument, if known.
    pub fn str(&self, at: &str) -> Option<String> {
        match self.get(at) {
            Field::Known(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// A number argument (also written as a string, as the JSON plan sometimes does).
    pub fn num(&self, at: &str) -> Option<f64> {
        match self.get(at) {
            Field::Known(Value::Number(n)) => n.as_f64(),
            Field::Known(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }

    /// A boolean argument, if known.
    pub fn bool(&self, at: &str) -> Option<bool> {
        match self.get(at) {
            Field::Known(Value::Bool(b)) => Some(b),
            Field::Known(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }

    /// How many nested blocks (or list elements) are at `at`.
    pub fn count(&self, at: &str) -> usize {
        match self.get(at) {
            Field::Known(Value::Array(a)) => a.len(),
            Field::Known(Value::Object(_)) => 1,
            _ => 0,
        }
    }

    /// The resources argument `at` refers to.
    pub fn refs_of(&self, at: &str) -> &[String] {
        self.refs.get(at).map_or(&[], Vec::as_slice)
    }
}

/// An argument's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// Known (a literal, a variable's default, a resolved reference, a planned value).
    Known(Value),
    /// Written, but not resolvable statically: the expression.
    Unknown(String),
    /// Not written: Terraform's (or AWS's) default applies.
    Absent,
}

/// The region a resource lives in and how it was found: never a silent guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The AWS region, if known.
    pub region: Option<String>,
    /// How: `provider aws.west (providers.tf:7)`, `no provider argument: the default
    /// provider aws (providers.tf:1)`, `no provider block gives aws a region`...
    pub how: String,
}

/// The region in an ARN (`arn:aws:backup:us-west-2:123:backup-vault:x`), if it names one.
pub fn region_of_arn(arn: &str) -> Option<String> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn"))
        .then(|| parts.nth(2))
        .flatten()
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

/// The region of an Availability Zone name (`eu-west-1b` -> `eu-west-1`).
pub fn region_of_az(az: &str) -> Option<String> {
    let trimmed = az.trim_end_matches(|c: char| c.is_ascii_lowercase());
    (trimmed.len() < az.len() && trimmed.ends_with(|c: char| c.is_ascii_digit()))
        .then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_arns_and_azs() {
        assert_eq!(
            region_of_arn("arn:aws:backup:us-west-2:123456789012:backup-vault:dr").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region_of_arn("arn:aws:s3:::bucket"), None);
        assert_eq!(region_of_az("eu-west-1b").as_deref(), Some("eu-west-1"));
        assert_eq!(region_of_az("use1-az1"), None);
    }
}
