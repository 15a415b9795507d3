//! Regional price catalogs, per-region overrides, located pricing errors at `validate`,
//! and the warnings (`--quiet` silences them).
//!
//! Prices quoted are those of the built-in catalogs (models/prices/aws-*.toml), each
//! citing docs/sources.md#price-regions.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

/// The warm-standby scenario plus a running eu-west-1 standby of one c5.large, with
/// `extra` appended; written as `t.toml` in a temporary directory (outside the
/// repository, so the built-in catalogs price it).
fn model_with_eu_west_1(extra: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    model_with("c5.large", "", extra)
}

/// [`model_with_eu_west_1`] with instance type `ty` and `region_lines` in eu-west-1's
/// table (line 7 on).
fn model_with(
    ty: &str,
    region_lines: &str,
    extra: &str,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let path = dir.path().join("t.toml");
    std::fs::write(
        &path,
        format!(
            "include = [\"{root}/scenarios/warm-standby.toml\"]\n\
             [regions.eu-west-1]\nrole = \"standby\"\nazs = [\"eu-west-1a\"]\n\
             deployment = \"running\"\n\
             asg = {{ instance_type = \"{ty}\", min = 1, desired = 1, max = 2 }}\n{region_lines}{extra}"
        ),
    )
    .unwrap();
    (dir, path)
}

fn cost_json(path: &std::path::Path) -> Value {
    let out = drsim()
        .args(["cost", path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The line of `component` billed in `region`.
fn line<'a>(report: &'a Value, region: &str, component: &str) -> &'a Value {
    report["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["region"] == region && l["component"] == component)
        .unwrap_or_else(|| panic!("no {component} line in {region}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Every region was priced with us-east-1 rates. A c5.large in eu-west-1 is 0.096 USD/h
/// (sources.md#price-regions: eu-west-1 on-demand c5.18xlarge 3.456 / 36 vCPU), so one
/// instance costs 0.096 x 730 h = 70.08 USD/month; with us-east-1's 0.085 it was 62.05.
#[test]
fn an_eu_west_1_region_is_priced_from_the_eu_west_1_catalog() {
    let (_dir, path) = model_with_eu_west_1("");
    let report = cost_json(&path);
    let ec2 = line(&report, "eu-west-1", "ec2");
    assert_eq!(ec2["price_item"], "ec2.c5.large");
    assert!(
        close(ec2["unit_price_usd"].as_f64().unwrap(), 0.096),
        "{ec2}"
    );
    assert!(close(ec2["monthly_usd"].as_f64().unwrap(), 70.08), "{ec2}");
    assert_eq!(report["region_catalogs"]["eu-west-1"], "aws-eu-west-1");
    assert_eq!(report["region_catalogs"]["us-east-1"], "aws-us-east-1");
    // us-east-1 keeps its own prices: 6 x m5.large x 0.096 x 730 = 420.48.
    let home = line(&report, "us-east-1", "ec2");
    assert!(
        close(home["monthly_usd"].as_f64().unwrap(), 420.48),
        "{home}"
    );
}

/// `[cost.overrides."eu-west-1"]` changes that region's catalog only, and wins over a
/// global override of the same item.
#[test]
fn a_region_override_applies_only_to_its_region() {
    let (_dir, path) = model_with_eu_west_1(
        "[cost.overrides]\n\"ebs.gp3\" = 0.3\n[cost.overrides.\"eu-west-1\"]\n\"ebs.gp3\" = 0.5\n",
    );
    let report = cost_json(&path);
    let eu = line(&report, "eu-west-1", "ebs");
    assert!(close(eu["unit_price_usd"].as_f64().unwrap(), 0.5), "{eu}");
    let home = line(&report, "us-east-1", "ebs");
    assert!(
        close(home["unit_price_usd"].as_f64().unwrap(), 0.3),
        "{home}"
    );
}

/// An unpriced instance type, a region with no catalog and a misspelt override are
/// refused by `validate` at the line that wrote them, with the closest name.
#[test]
fn unpriced_items_fail_validate_located_with_a_suggestion() {
    let (dir, _path) = model_with("c5.larg", "", "");
    drsim()
        .current_dir(dir.path())
        .args(["validate", "t.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "t.toml:6:9: regions.eu-west-1.asg.instance_type: c5.larg: not in builtin:aws-eu-west-1 (the eu-west-1 prices); did you mean `c5.large`?",
        ));
    let cases = [
        (
            "[regions.eu-wset-1]\nrole = \"standby\"\nazs = [\"a\"]\nasg = { min = 0, desired = 0, max = 1 }\n",
            "t.toml:7:10: regions.eu-wset-1: no price catalog for region `eu-wset-1`; did you mean `eu-west-1`?",
        ),
        (
            "[cost.overrides.\"eu-west-1\"]\n\"ec2.c5.larg\" = 0.1\n",
            "t.toml:8:1: cost.overrides.eu-west-1.\"ec2.c5.larg\": `ec2.c5.larg` prices nothing: it is not in aws-eu-west-1 and the model uses no such type; did you mean `ec2.c5.large`?",
        ),
        (
            "[cost.overrides.\"eu-wst-1\"]\n\"ec2.c5.large\" = 0.1\n",
            "t.toml:7:17: cost.overrides.eu-wst-1: `eu-wst-1` is neither a price group nor a region of this model; did you mean `eu-west-1`?",
        ),
        (
            "[cots]\ndowntime_usd_per_hour = 1\n",
            "t.toml:7:2: cots: unknown field `cots`; did you mean `cost`?",
        ),
        (
            "[cost]\ndowntime_usd_per_hr = 1\n",
            "t.toml:8:1: cost.downtime_usd_per_hr: unknown field `downtime_usd_per_hr`; did you mean `downtime_usd_per_hour`?",
        ),
    ];
    for (extra, expected) in cases {
        let (dir, _path) = model_with_eu_west_1(extra);
        drsim()
            .current_dir(dir.path())
            .args(["validate", "t.toml"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

/// `nat = "none"` with outbound calls: validate warns (the region never serves);
/// `--quiet` silences it.
#[test]
fn nat_none_with_outbound_calls_warns_unless_quiet() {
    let (dir, _path) = model_with("c5.large", "nat = \"none\"\n", "");
    drsim()
        .current_dir(dir.path())
        .args(["validate", "t.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: t.toml:7: regions.eu-west-1.nat: nat = \"none\" while workload.needs_outbound = true",
        ));
    drsim()
        .current_dir(dir.path())
        .args(["validate", "t.toml", "--quiet"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

/// Ranking by risk-adjusted cost with downtime at 0 USD/h ranks by price alone: compare
/// warns; `--quiet` silences it; a model that prices downtime gets no warning.
#[test]
fn compare_warns_when_downtime_costs_nothing_unless_quiet() {
    let (dir, _path) = model_with_eu_west_1("[cost]\ndowntime_usd_per_hour = 0\n");
    let args = [
        "compare", "t.toml", "--trials", "200", "--charts", "none", "--out", "out",
    ];
    let warning = "cost.downtime_usd_per_hour: is 0 (unset)";
    drsim()
        .current_dir(dir.path())
        .args(args)
        .assert()
        .success()
        .stderr(predicate::str::contains(warning));
    drsim()
        .current_dir(dir.path())
        .args(args)
        .arg("--quiet")
        .assert()
        .success()
        .stderr(predicate::str::contains(warning).not());
    let (priced, _path) = model_with_eu_west_1("");
    drsim()
        .current_dir(priced.path())
        .args(args)
        .assert()
        .success()
        .stderr(predicate::str::contains(warning).not());
}

/// `[cost.catalogs]` names a region's catalog (a region not named after its AWS region,
/// or priced elsewhere on purpose), and `[cost] catalog` alone keeps the behaviour of
/// models written before regional catalogs: one catalog for every region.
#[test]
fn cost_catalogs_name_a_regions_catalog_and_cost_catalog_prices_them_all() {
    // ap-northeast-1 c5.large: 3.852 / 36 = 0.107 USD/h (sources.md#price-regions);
    // 0.107 x 730 = 78.11.
    let (_dir, path) =
        model_with_eu_west_1("[cost.catalogs]\n\"eu-west-1\" = \"builtin:aws-ap-northeast-1\"\n");
    let report = cost_json(&path);
    let ec2 = line(&report, "eu-west-1", "ec2");
    assert!(close(ec2["monthly_usd"].as_f64().unwrap(), 78.11), "{ec2}");
    assert_eq!(report["region_catalogs"]["eu-west-1"], "aws-ap-northeast-1");
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("eu-west-1: priced with catalog aws-ap-northeast-1 (ap-northeast-1 prices)"),
        "{notes}"
    );
    // us-east-1 c5.large 0.085 x 730 = 62.05 once one catalog prices every region.
    let (_dir, path) = model_with_eu_west_1("[cost]\ncatalog = \"builtin:aws-us-east-1\"\n");
    let report = cost_json(&path);
    let ec2 = line(&report, "eu-west-1", "ec2");
    assert!(close(ec2["monthly_usd"].as_f64().unwrap(), 62.05), "{ec2}");
}

/// An override may price a type the catalog lacks when the model uses it (0.1 x 730 h
/// = 73.00); a type neither priced nor used is a misspelling (above).
#[test]
fn an_override_prices_a_type_the_model_uses_but_the_catalog_lacks() {
    let (_dir, path) = model_with(
        "m7i.large",
        "",
        "[cost.overrides]\n\"ec2.m7i.large\" = 0.1\n",
    );
    let report = cost_json(&path);
    let ec2 = line(&report, "eu-west-1", "ec2");
    assert!(close(ec2["monthly_usd"].as_f64().unwrap(), 73.0), "{ec2}");
}
