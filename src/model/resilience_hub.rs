//! Objectives read from an AWS Resilience Hub resiliency policy (`[objectives]
//! resilience_hub_policy = "policy.json"`), so a design is scored against the policy a
//! team already has.
//!
//! A policy gives an RTO and an RPO in seconds per disruption type (`Software`,
//! `Hardware`, `AZ`, `Region`; docs/sources.md#resilience-hub-policy); each type stands
//! for the disaster kinds of
//! [`DisasterKind::disruption`](super::DisasterKind::disruption). It has no confidence: the
//! model's default `confidence` applies.
//!
//! Accepted JSON: the map itself (`{"AZ": {"rtoInSecs": 3600, "rpoInSecs": 300}, ...}`),
//! a `ResiliencyPolicy` or `CreateResiliencyPolicy` request holding it under `policy`,
//! or the output of `aws resiliencehub describe-resiliency-policy` (the policy under a
//! top-level `policy`).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::Millis;
use super::raw::MAX_DURATION_MS;

/// A Resilience Hub disruption type: what a policy gives objectives for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum Disruption {
    /// Application software: a bad deployment, a bug, corrupted or encrypted data.
    Software,
    /// Infrastructure hardware: an instance, a host, a managed node.
    Hardware,
    /// A whole Availability Zone.
    #[serde(rename = "AZ")]
    Az,
    /// A whole AWS Region.
    Region,
}

impl Disruption {
    /// Every disruption type, in the order AWS lists them.
    pub const ALL: [Disruption; 4] = [
        Disruption::Software,
        Disruption::Hardware,
        Disruption::Az,
        Disruption::Region,
    ];

    /// The policy's key for it.
    pub fn name(self) -> &'static str {
        match self {
            Disruption::Software => "Software",
            Disruption::Hardware => "Hardware",
            Disruption::Az => "AZ",
            Disruption::Region => "Region",
        }
    }
}

/// The objectives a policy sets for one disruption type, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailurePolicy {
    /// Recovery time objective.
    pub rto: Millis,
    /// Recovery point objective.
    pub rpo: Millis,
}

/// `{"rtoInSecs": N, "rpoInSecs": N}` as AWS writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFailurePolicy {
    #[serde(rename = "rtoInSecs")]
    rto: Seconds,
    #[serde(rename = "rpoInSecs")]
    rpo: Seconds,
}

/// Whole seconds, zero or more, at most 100 years; in milliseconds.
struct Seconds(Millis);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecondsVisitor)
    }
}

struct SecondsVisitor;

impl Visitor<'_> for SecondsVisitor {
    type Value = Seconds;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number of seconds, zero or more")
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Seconds, E> {
        let ms = n.saturating_mul(1000);
        if ms as f64 > MAX_DURATION_MS {
            return Err(E::custom(format!(
                "{n} seconds is too long: at most 100 years"
            )));
        }
        Ok(Seconds(ms))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Seconds, E> {
        match u64::try_from(n) {
            Ok(n) => self.visit_u64(n),
            Err(_) => Err(E::custom(format!(
                "{n} seconds is negative: an objective is zero or more seconds"
            ))),
        }
    }
}

/// The value under the key `policy` of an object, other keys ignored (so the positions
/// of errors inside it are kept, unlike through an intermediate value).
struct Under<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Under<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(UnderVisitor(PhantomData))
    }
}

struct UnderVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for UnderVisitor<T> {
    type Value = Under<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a `policy`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Under<T>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "policy" {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        found
            .map(Under)
            .ok_or_else(|| de::Error::missing_field("policy"))
    }
}

type RawMap = BTreeMap<Disruption, RawFailurePolicy>;

/// How many `policy` keys wrap the map: 0 (the map), 1 (a `ResiliencyPolicy`), 2 (the
/// output of `describe-resiliency-policy`).
fn depth(json: &serde_json::Value) -> usize {
    let mut value = json;
    let mut depth = 0;
    while let Some(inner) = value.get("policy").filter(|_| depth < 2) {
        value = inner;
        depth += 1;
    }
    depth
}

/// Reads the policy in `path`: the objectives of each disruption type it names. The
/// error says what is wrong, with the line and column in the JSON file.
pub fn read_policy(path: &Path) -> Result<BTreeMap<Disruption, FailurePolicy>, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the Resilience Hub policy {shown}: {e}"))?;
    let bad = |e: serde_json::Error| format!("Resilience Hub policy {shown}: {e}");
    let json: serde_json::Value = serde_json::from_str(&text).map_err(bad)?;
    let raw: RawMap = match depth(&json) {
        0 => serde_json::from_str(&text),
        1 => serde_json::from_str::<Under<RawMap>>(&text).map(|u| u.0),
        _ => serde_json::from_str::<Under<Under<RawMap>>>(&text).map(|u| u.0.0),
    }
    .map_err(bad)?;
    if raw.is_empty() {
        return Err(format!(
            "Resilience Hub policy {shown} gives no objectives (expected keys: {})",
            Disruption::ALL.map(Disruption::name).join(", ")
        ));
    }
    Ok((raw.into_iter())
        .map(|(d, p)| {
            let policy = FailurePolicy {
                rto: p.rto.0,
                rpo: p.rpo.0,
            };
            (d, policy)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<BTreeMap<Disruption, FailurePolicy>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(&path, json).unwrap();
        read_policy(&path)
    }

    #[test]
    fn the_map_alone_a_policy_and_describe_output_read_alike() {
        let map = r#"{"AZ": {"rtoInSecs": 3600, "rpoInSecs": 300}}"#;
        let policy = format!(r#"{{"policyName": "p", "tier": "Critical", "policy": {map}}}"#);
        let described = format!(r#"{{"policy": {policy}}}"#);
        for json in [map.to_string(), policy, described] {
            let read = read(&json).unwrap();
            assert_eq!(
                read[&Disruption::Az],
                FailurePolicy {
                    rto: 3_600_000,
                    rpo: 300_000
                },
                "{json}"
            );
        }
    }

    #[test]
    fn bad_policies_say_what_and_where() {
        let unknown =
            read("{\n  \"Network\": {\"rtoInSecs\": 1, \"rpoInSecs\": 1}\n}").unwrap_err();
        assert!(unknown.contains("unknown variant `Network`"), "{unknown}");
        assert!(unknown.contains("line 2"), "{unknown}");
        let negative = read(r#"{"AZ": {"rtoInSecs": -5, "rpoInSecs": 1}}"#).unwrap_err();
        assert!(negative.contains("-5 seconds is negative"), "{negative}");
        let missing = read(r#"{"AZ": {"rtoInSecs": 5}}"#).unwrap_err();
        assert!(missing.contains("missing field `rpoInSecs`"), "{missing}");
        let syntax = read(r#"{"AZ": "#).unwrap_err();
        assert!(syntax.contains("line 1"), "{syntax}");
        assert!(read("{}").unwrap_err().contains("gives no objectives"));
    }
}
