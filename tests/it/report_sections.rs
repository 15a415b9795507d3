//! The design review's page-level sections on the bundled scenarios: the inputs that
//! drive the money, the assumptions matrix, the near-miss trace, the embedded data and
//! `report --format markdown`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

fn scenario(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.join("scenarios")
        .join(format!("{name}.toml"))
        .display()
        .to_string()
}

const SEED_TRIALS: [&str; 4] = ["--trials", "2100", "--seed", "5"];

/// `drsim COMMAND FILES... --trials 2100 --seed 5 --quiet --out OUT EXTRA...`'s stdout.
fn run(command: &str, files: &[String], out: &Path, extra: &[&str]) -> String {
    let output = drsim()
        .arg(command)
        .args(files)
        .args(SEED_TRIALS)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{command}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn four() -> Vec<String> {
    [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "active-active",
    ]
    .map(scenario)
    .into()
}

/// The report's HTML after `drsim report FILES`, and compare's JSON of the same run.
fn report_and_compare(files: &[String], dir: &Path) -> (String, Value) {
    run("report", files, dir, &[]);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let json = run(
        "compare",
        files,
        dir,
        &["--format", "json", "--charts", "none"],
    );
    (html, serde_json::from_str(&json).unwrap())
}

/// The text of `<section id=ID>`, tags dropped, entities of the report decoded, paths
/// relative to the repository.
fn section(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let body = &html[start..];
    let body = &body[..body.find("</section>").unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let root = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    text.replace(&root, "")
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The decoded text behind the report's `download` link named `name`.
fn download(html: &str, name: &str) -> String {
    let link = html
        .split(&format!("<a download=\"{name}\" href=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no download {name}"));
    let href = &link[..link.find('"').unwrap()];
    let encoded = &href[href.find(',').unwrap() + 1..];
    let mut bytes = Vec::new();
    let mut it = encoded.bytes();
    while let Some(b) = it.next() {
        match b {
            b'%' => {
                let hex = [it.next().unwrap(), it.next().unwrap()];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
            }
            b => bytes.push(b),
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// Each strategy's summary is embedded as JSON and CSV, byte for byte what `drsim run`
/// prints with the same seed and trials, and the JSON parses.
#[test]
fn embedded_summaries_equal_what_run_prints() {
    let dir = tempfile::tempdir().unwrap();
    let files = [scenario("pilot-light"), scenario("warm-standby")];
    run("report", &files, dir.path(), &[]);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for name in ["pilot-light", "warm-standby"] {
        let file = [scenario(name)];
        let out = dir.path().join(name);
        let json = run("run", &file, &out, &["--format", "json"]);
        let embedded = download(&html, &format!("{name}.summary.json"));
        let parsed: Value = serde_json::from_str(&embedded).expect("embedded JSON parses");
        assert_eq!(parsed["scenario"], name);
        assert_eq!(parsed["trials"], 2100);
        assert_eq!(embedded, json, "{name}: JSON differs from drsim run's");
        let csv = run("run", &file, &out, &["--format", "csv"]);
        assert_eq!(download(&html, &format!("{name}.summary.csv")), csv);
    }
}

/// `drsim report --format markdown` prints exactly compare's pull-request summary.
#[test]
fn report_markdown_is_compares_summary() {
    let dir = tempfile::tempdir().unwrap();
    let files = [scenario("backup-restore"), scenario("warm-standby")];
    let report = run("report", &files, dir.path(), &["--format", "markdown"]);
    let compare = run(
        "compare",
        &files,
        dir.path(),
        &["--format", "markdown", "--charts", "none"],
    );
    assert_eq!(report, compare);
    assert!(
        report.starts_with("### DR review: **warm-standby** recommended"),
        "{report}"
    );
    assert!(dir.path().join("report.html").is_file());
}

/// The money inputs are the models' own lines (web-app-disasters.toml and web-app.toml),
/// the catalogs are dated; assumptions are looked up under the keys the model file
/// uses (clients_honouring_ttl was reported as a built-in default), schedules are in
/// words; one-disaster tables do not repeat the overall risk-adjusted cost.
#[test]
fn money_inputs_and_assumptions_cite_the_lines_that_set_them() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = report_and_compare(&four(), dir.path());
    let money = section(&html, "money");
    for needle in [
        "region-outage frequency 0.05 a year models/web-app-disasters.toml:32: assumption: one \
         regional event every 20 years",
        "ransomware frequency 0.02 a year models/web-app-disasters.toml:44",
        "downtime cost $10,000 per hour of full outage (times the RTO) models/web-app.toml:64",
        "data-loss cost $25,000 per hour of writes lost (times the RPO) models/web-app.toml:65",
        "aws-us-east-1 (us-east-1, read 2026-11-23)",
        "models/prices/aws-us-east-1.toml",
    ] {
        assert!(money.contains(needle), "no {needle:?} in {money}");
    }
    let assumptions = section(&html, "assumptions");
    let ttl = assumptions
        .split("clients honouring the TTL")
        .nth(1)
        .expect("TTL row");
    assert!(
        ttl.starts_with(
            " \u{2260} 95% (others hold lognormal(median 5m, p95 30m)) models/aws-timings.toml:8"
        ),
        "{ttl}"
    );
    assert!(!html.contains("daily, "), "schedule as a count");
    assert!(assumptions.contains("every 1h in us-east-1 scenarios/backup-restore.toml:33"));
    let comparison = section(&html, "comparison");
    assert_eq!(comparison.matches("risk-adjusted cost / month").count(), 1);
}

/// With the bundled objectives warm-standby meets and is recommended; of the cheaper
/// strategies, the near miss is the one compare finds missing by least, traced at its
/// objective's quantile of the measure it misses, with the RPO in the heading.
#[test]
fn near_miss_is_the_cheaper_strategy_missing_by_least() {
    let dir = tempfile::tempdir().unwrap();
    let (html, json) = report_and_compare(&four(), dir.path());
    let strategies = json["strategies"].as_array().unwrap();
    let chosen = strategies
        .iter()
        .find(|s| s["name"] == json["recommended"])
        .unwrap();
    let price = |s: &Value| s["monthly_usd"].as_f64().unwrap();
    let near = strategies
        .iter()
        .filter(|s| price(s) < price(chosen) && !s["worst_miss"].is_null())
        .min_by(|a, b| {
            let f = |s: &Value| s["worst_miss"]["shortfall"].as_f64().unwrap();
            f(a).total_cmp(&f(b))
        })
        .expect("a cheaper strategy misses");
    let miss = &near["worst_miss"];
    let text = section(&html, "near-miss");
    let name = near["name"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "Near miss: where it falls short {name} is the cheaper strategy that comes closest"
        )),
        "{text}"
    );
    let measure = miss["measure"].as_str().unwrap();
    let p = miss["p_met"].as_f64().unwrap() * 100.0;
    assert!(
        text.contains(&format!(
            "It misses {}: P({measure} met) {p:.1}% against 95%",
            miss["disaster"].as_str().unwrap()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{name}: {} at the 95th percentile of {measure}, trial ",
            miss["disaster"].as_str().unwrap()
        )),
        "{text}"
    );
    assert!(text.contains(": RPO "), "RPO in the heading: {text}");
    let section_html = html.split("<section id=\"near-miss\">").nth(1).unwrap();
    let section_html = &section_html[..section_html.find("</section>").unwrap()];
    assert_eq!(section_html.matches("<svg").count(), 1);
}

/// Objectives nobody meets (region outage RTO 1m in 99.9%): the near miss is compare's
/// nearest miss, traced on the RTO it misses with the objective line drawn, and the
/// markdown summary says that nothing meets.
#[test]
fn when_nothing_meets_the_nearest_miss_is_traced_against_its_objective() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = ["pilot-light", "warm-standby"]
        .iter()
        .map(|name| {
            let path: PathBuf = dir.path().join(format!("{name}.toml"));
            let text = format!(
                "include = [{:?}]\n\n[objectives.disasters.region_outage]\n\
                 rto = \"1m\"\nrpo = \"1h\"\nconfidence = 0.999\n",
                scenario(name)
            );
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        })
        .collect();
    let (html, json) = report_and_compare(&files, dir.path());
    let nearest = json["recommended"].as_str().expect("a nearest miss");
    let text = section(&html, "near-miss");
    assert!(
        text.contains(&format!(
            "{nearest} is the nearest miss. It misses region-outage: P(RTO met)"
        )),
        "{text}"
    );
    assert!(text.contains("against 99.9%"), "{text}");
    assert!(text.contains("at the 99.9th percentile of RTO"), "{text}");
    assert!(
        html.contains("\nRTO objective (1m)\n</text>"),
        "objective line label"
    );
    let md = run("report", &files, dir.path(), &["--format", "markdown"]);
    assert!(
        md.starts_with("### DR review: no strategy meets every objective"),
        "{md}"
    );
}
