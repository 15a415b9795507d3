//! `drsim import terraform` on hand-written fixtures (tests/fixtures/terraform/) shaped
//! after public Terraform configurations: each emitted model is snapshotted, checked
//! value by value against what the fixture says (or the documented default it falls back
//! to, docs/import.md), and must pass `drsim validate` and the loader.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use drsim::import::{Imported, import_terraform};
use drsim::model::load::load_model;
use predicates::str::contains;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name)
}

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

/// Imports a fixture, checks the model loads and `drsim validate` accepts it, and
/// returns it with its parsed TOML.
fn import(name: &str) -> (Imported, toml::Table) {
    let imported = import_terraform(&fixture(name)).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("imported.toml");
    std::fs::write(&file, &imported.model).unwrap();
    load_model(&file).unwrap_or_else(|e| panic!("{name}: the imported model does not load: {e}"));
    drsim().arg("validate").arg(&file).assert().success();
    let parsed: toml::Table = imported.model.parse().unwrap();
    (imported, parsed)
}

/// The value at a dotted path (`regions.us-east-1.asg.min`).
fn at<'a>(t: &'a toml::Table, path: &str) -> &'a toml::Value {
    let mut keys = path.split('.');
    let first = keys.next().unwrap();
    let mut v = t.get(first).unwrap_or_else(|| panic!("no {path}"));
    for k in keys {
        v = v.get(k).unwrap_or_else(|| panic!("no {path} (at {k})"));
    }
    v
}

fn s<'a>(t: &'a toml::Table, path: &str) -> &'a str {
    at(t, path)
        .as_str()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

fn n(t: &toml::Table, path: &str) -> i64 {
    at(t, path)
        .as_integer()
        .unwrap_or_else(|| panic!("{path} is not an integer"))
}

fn has(t: &toml::Table, path: &str) -> bool {
    let mut keys = path.split('.');
    let mut v = t.get(keys.next().unwrap());
    for k in keys {
        v = v.and_then(|v| v.get(k));
    }
    v.is_some()
}

/// The line of the model that sets `key` in table `[header]`.
fn line<'a>(model: &'a str, header: &str, key: &str) -> &'a str {
    let table = model
        .split(&format!("\n[{header}]\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no [{header}]"));
    table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in [{header}]"))
}

#[test]
fn single_region_alb_asg_nat_per_az_rds_multi_az() {
    let (imported, m) = import("single-region");
    insta::assert_snapshot!("import_single_region", imported.model);
    let r = "regions.eu-west-1";
    // The region comes from var.region's default, through the default provider.
    assert_eq!(s(&m, &format!("{r}.role")), "primary");
    assert!(imported.model.contains("region = var.region"));
    assert_eq!(at(&m, &format!("{r}.azs")).as_array().unwrap().len(), 2);
    assert_eq!(s(&m, &format!("{r}.nat")), "per_az");
    assert_eq!(s(&m, &format!("{r}.alb.interval")), "15s");
    assert_eq!(n(&m, &format!("{r}.alb.healthy_threshold")), 3);
    assert_eq!(n(&m, &format!("{r}.alb.unhealthy_threshold")), 2);
    assert_eq!(
        (
            n(&m, &format!("{r}.asg.min")),
            n(&m, &format!("{r}.asg.desired")),
            n(&m, &format!("{r}.asg.max"))
        ),
        (4, 4, 8)
    );
    assert_eq!(s(&m, &format!("{r}.asg.instance_type")), "m5.large");
    assert_eq!(n(&m, &format!("{r}.asg.volume_gb")), 30);
    assert_eq!(s(&m, &format!("{r}.asg.health_check_grace")), "120s");
    assert_eq!(s(&m, &format!("{r}.asg.health_check_type")), "elb");
    assert_eq!(s(&m, &format!("{r}.asg.policy")), "target_tracking");
    assert_eq!(s(&m, "database.kind"), "multi_az");
    assert_eq!(s(&m, "database.instance_class"), "db.r6g.large");
    assert_eq!(s(&m, "database.region"), "eu-west-1");
    // Every inferred value cites its address and file:line.
    assert!(
        line(&imported.model, "regions.eu-west-1.asg", "min")
            .ends_with("# from aws_autoscaling_group.app (app.tf:45)")
    );
    // One region in Terraform: a placeholder recovery region, said so.
    assert_eq!(s(&m, "regions.eu-central-1.deployment"), "not_deployed");
    assert!(imported.warnings.iter().any(|w| w.contains("placeholder")));
    assert!(imported.ignored.iter().any(|i| i == "aws_iam_role x1"));
    // The standard disaster set strikes the primary.
    assert_eq!(s(&m, "disasters.nat-gateway-failure.region"), "eu-west-1");
}

#[test]
fn two_regions_with_provider_aliases_and_route53_failover() {
    let (imported, m) = import("two-region");
    insta::assert_snapshot!("import_two_region", imported.model);
    // aws.west's region is var.dr_region's default; resources without a provider are
    // said to fall back to the default provider.
    assert_eq!(s(&m, "regions.us-east-1.role"), "primary");
    assert_eq!(s(&m, "regions.us-west-2.role"), "standby");
    assert!(imported.model.contains(
        "provider = aws.west: provider aws.west (providers.tf:8), region = var.dr_region"
    ));
    assert!(
        imported
            .model
            .contains("no provider argument: the default provider aws (providers.tf:4)")
    );
    assert_eq!(at(&m, "regions.us-east-1.azs").as_array().unwrap().len(), 3);
    assert_eq!(s(&m, "regions.us-east-1.nat"), "per_az");
    assert_eq!(s(&m, "regions.us-west-2.nat"), "single");
    assert_eq!(s(&m, "regions.us-west-2.nat_az"), "us-west-2b");
    // Target group without thresholds: the Terraform provider's defaults (3 and 3).
    assert_eq!(n(&m, "regions.us-east-1.alb.healthy_threshold"), 3);
    assert_eq!(n(&m, "regions.us-east-1.alb.unhealthy_threshold"), 3);
    // The west launch template's type refers to the east one's literal.
    assert_eq!(s(&m, "regions.us-west-2.asg.instance_type"), "c5.large");
    // Warm pool: max prepared 6 - desired 2 = 4 (>= min_size 2), stopped.
    assert_eq!(n(&m, "regions.us-west-2.asg.warm_pool.size"), 4);
    assert_eq!(s(&m, "regions.us-west-2.asg.warm_pool.state"), "stopped");
    assert_eq!(s(&m, "routing.kind"), "route53");
    assert_eq!(s(&m, "routing.mode"), "failover");
    assert_eq!(s(&m, "routing.health_check_interval"), "10s");
    assert_eq!(n(&m, "routing.failure_threshold"), 2);
    assert!(
        !has(&m, "routing.ttl"),
        "alias records keep the target's TTL"
    );
    assert_eq!(s(&m, "database.cross_region"), "read_replica");
    assert_eq!(s(&m, "database.replica_region"), "us-west-2");
    assert_eq!(s(&m, "database.az"), "us-east-1b");
    assert_eq!(s(&m, "object_storage.replication"), "crr_rtc");
    assert_eq!(s(&m, "object_storage.replica_region"), "us-west-2");
}

#[test]
fn aurora_global_with_a_region_from_a_variable() {
    let (imported, m) = import("aurora-global");
    insta::assert_snapshot!("import_aurora_global", imported.model);
    assert_eq!(s(&m, "database.kind"), "aurora");
    assert_eq!(s(&m, "database.region"), "us-east-1");
    assert_eq!(s(&m, "database.cross_region"), "aurora_global");
    assert_eq!(s(&m, "database.replica_region"), "eu-west-1");
    assert_eq!(s(&m, "database.instance_class"), "db.r6g.large");
    assert!(
        imported.model.contains("region = var.secondary_region")
            || imported.model.contains("eu-west-1")
    );
    // No desired_capacity: AWS starts at min_size. A launch configuration's type and disk.
    assert_eq!(n(&m, "regions.us-east-1.asg.desired"), 3);
    assert_eq!(s(&m, "regions.us-east-1.asg.instance_type"), "m5.large");
    assert_eq!(n(&m, "regions.us-east-1.asg.volume_gb"), 16);
    // No NAT: not calling out, and no NAT gateway failure in the disaster set.
    assert_eq!(s(&m, "regions.us-east-1.nat"), "none");
    assert_eq!(at(&m, "workload.needs_outbound").as_bool(), Some(false));
    assert!(!has(&m, "disasters.nat-gateway-failure"));
    // DynamoDB is not modelled in this version: a TODO naming the table.
    assert!(
        imported
            .todos
            .iter()
            .any(|t| t.contains("aws_dynamodb_table.sessions"))
    );
    // The global cluster has no provider block for its default provider: said.
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("aws_rds_global_cluster.orders"))
    );
}

#[test]
fn backup_plan_with_a_cross_region_copy_and_a_vault_lock() {
    let (imported, m) = import("backup");
    insta::assert_snapshot!("import_backup", imported.model);
    // cron(0 5 ? * * *): daily at 05:00 UTC (the monthly rule is less frequent).
    assert_eq!(
        at(&m, "backups.at").as_array().unwrap()[0].as_str(),
        Some("05:00")
    );
    assert_eq!(s(&m, "backups.region"), "us-east-1");
    assert_eq!(s(&m, "backups.copy_to"), "us-west-2");
    assert_eq!(s(&m, "backups.retention"), "35d");
    assert_eq!(at(&m, "backups.vault_lock").as_bool(), Some(true));
    // The copy's region becomes a (not deployed) recovery region.
    assert_eq!(s(&m, "regions.us-west-2.deployment"), "not_deployed");
    assert_eq!(s(&m, "database.kind"), "single");
}

#[test]
fn a_single_shared_nat_gateway() {
    let (imported, m) = import("single-nat");
    insta::assert_snapshot!("import_single_nat", imported.model);
    assert_eq!(s(&m, "regions.us-west-2.nat"), "single");
    // The gateway is in aws_subnet.public[1], in us-west-2c (element(list, count.index)).
    assert_eq!(s(&m, "regions.us-west-2.nat_az"), "us-west-2c");
    assert_eq!(s(&m, "regions.us-west-2.asg.policy"), "simple");
    assert_eq!(s(&m, "regions.us-west-2.asg.cooldown"), "120s");
    // No database in Terraform: a placeholder, flagged.
    assert!(line(&imported.model, "database", "kind").contains("TODO: placeholder"));
}

#[test]
fn modules_and_count() {
    let (imported, m) = import("module-count");
    insta::assert_snapshot!("import_module_count", imported.model);
    let r = "regions.ap-southeast-1";
    // The region from terraform.tfvars over the variable's default.
    assert_eq!(s(&m, &format!("{r}.role")), "primary");
    // count = length(var.azs) in the network module, fed by the root's var.azs.
    assert_eq!(at(&m, &format!("{r}.azs")).as_array().unwrap().len(), 3);
    assert_eq!(s(&m, &format!("{r}.nat")), "per_az");
    assert!(
        line(&imported.model, r, "nat")
            .contains("module.network.aws_nat_gateway.this[2] (modules/network/main.tf:29)")
    );
    // Module inputs: instance type and sizes.
    assert_eq!(s(&m, &format!("{r}.asg.instance_type")), "c5.large");
    assert_eq!(n(&m, &format!("{r}.asg.max")), 9);
    assert_eq!(s(&m, &format!("{r}.asg.health_check_grace")), "90s");
    assert_eq!(s(&m, &format!("{r}.asg.policy")), "step");
    // Warm pool without max prepared capacity: max 9 - desired 3 = 6, hibernated.
    assert_eq!(n(&m, &format!("{r}.asg.warm_pool.size")), 6);
    assert_eq!(s(&m, &format!("{r}.asg.warm_pool.state")), "hibernated");
    assert_eq!(n(&m, &format!("{r}.alb.unhealthy_threshold")), 4);
    // The registry module and the unresolvable count are reported, not guessed.
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("module.endpoints") && w.contains("not a local path"))
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("count = var.replicas"))
    );
}

#[test]
fn terraform_show_json_plan() {
    let (imported, m) = import("plan/plan.json");
    insta::assert_snapshot!("import_plan_json", imported.model);
    assert_eq!(s(&m, "regions.us-east-1.role"), "primary");
    assert_eq!(s(&m, "regions.us-east-1.nat"), "per_az");
    assert_eq!(n(&m, "regions.us-east-1.asg.volume_gb"), 40);
    assert_eq!(n(&m, "regions.us-east-1.alb.healthy_threshold"), 2);
    // aws.west's region is var.dr_region, whose value the plan holds.
    assert_eq!(s(&m, "regions.us-west-2.deployment"), "scaled_to_zero");
    assert_eq!(s(&m, "routing.kind"), "global_accelerator");
    assert_eq!(s(&m, "routing.mode"), "failover");
    assert_eq!(n(&m, "routing.failure_threshold"), 2);
    assert_eq!(s(&m, "database.replica_region"), "us-west-2");
    assert!(line(&imported.model, "database", "kind").contains("aws_db_instance.main (plan.json)"));
}

#[test]
fn no_region_anywhere_is_said_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {}\nresource \"aws_autoscaling_group\" \"a\" {\n  min_size = 1\n  max_size = 2\n}\n",
    )
    .unwrap();
    let out = dir.path().join("model.toml");
    drsim()
        .args(["import", "terraform"])
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("no region is known anywhere"));
    let model = std::fs::read_to_string(&out).unwrap();
    assert!(
        line(&model, "regions.us-east-1", "role").contains("TODO: no region is known anywhere")
    );
    assert!(model.contains("sets no region: it comes from the environment (AWS_REGION)"));
}

#[test]
fn bad_hcl_is_located_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_lb\" \"x\" {\n  name = \n}\n",
    )
    .unwrap();
    drsim()
        .args(["import", "terraform"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("main.tf:2:"));
}

#[test]
fn bad_json_is_located_and_not_a_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("plan.json");
    std::fs::write(&bad, "{\n  \"planned_values\": [1,\n}\n").unwrap();
    drsim()
        .args(["import", "terraform"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(contains("plan.json:3:"));
    std::fs::write(&bad, "{\"format_version\": \"1.0\"}").unwrap();
    drsim()
        .args(["import", "terraform"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(contains("not the output of `terraform show -json`"));
    drsim()
        .args(["import", "terraform"])
        .arg(dir.path().join("missing"))
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn the_model_replaces_only_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.toml");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = |out: &Path| {
        drsim()
            .args(["import", "terraform"])
            .arg(fixture("single-nat"))
            .arg("-o")
            .arg(out)
            .arg("-q")
            .assert()
    };
    run(&link).code(2).stderr(contains("symbolic link"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    run(&fifo).code(2).stderr(contains("not a regular file"));
    run(&target).success();
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("[regions.us-west-2]")
    );
}
