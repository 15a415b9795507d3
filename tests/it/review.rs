//! `drsim compare`, `drsim trace` and `drsim report` on the four bundled strategies.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const STRATEGIES: [&str; 4] = [
    "backup-restore",
    "pilot-light",
    "warm-standby",
    "active-active",
];

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

fn scenario_files() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    STRATEGIES
        .iter()
        .map(|s| {
            root.join("scenarios")
                .join(format!("{s}.toml"))
                .display()
                .to_string()
        })
        .collect()
}

/// `drsim compare` of the four scenarios (3500 trials, seed 3) with `extra` flags.
fn compare(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = drsim();
    cmd.arg("compare").args(scenario_files());
    cmd.args(["--trials", "3500", "--seed", "3", "--out"])
        .arg(out);
    cmd.args(extra);
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "compare failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(out: &Path) -> Value {
    let output = compare(out, &["--format", "json", "--charts", "none"]);
    serde_json::from_slice(&output.stdout).expect("compare prints JSON")
}

#[test]
fn compare_prints_one_table_with_every_strategy_and_a_recommendation() {
    let dir = tempfile::tempdir().unwrap();
    let output = compare(dir.path(), &["--charts", "none"]);
    let table = String::from_utf8(output.stdout).unwrap();
    for name in STRATEGIES {
        assert!(table.contains(name), "{name} missing from:\n{table}");
    }
    for header in [
        "RTO p99", "RPO p99", "P(RTO)", "$/month", "risk-adj", "front",
    ] {
        assert!(table.contains(header), "{header} missing from:\n{table}");
    }
    // Every model has a region outage, so the table has its own block.
    assert!(table.contains("Disaster region-outage only"), "{table}");
    assert!(table.contains("recommended:"), "{table}");
}

#[test]
fn compare_json_has_every_strategy_with_the_same_seed_and_sensible_marks() {
    let dir = tempfile::tempdir().unwrap();
    let json = json(dir.path());
    assert_eq!(json["seed"], 3);
    assert_eq!(json["trials"], 3500);
    assert!(json["objectives"]["rto_seconds"].is_number());
    let strategies = json["strategies"].as_array().unwrap();
    let names: Vec<&str> = strategies
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, STRATEGIES);
    let recommended = json["recommended"].as_str().expect("a recommendation");
    assert!(names.contains(&recommended), "{recommended}");

    for block in std::iter::once(&json).chain(json["by_disaster"].as_array().unwrap()) {
        let rows = block["strategies"].as_array().unwrap();
        let point = |s: &Value| {
            (
                s["monthly_usd"].as_f64().unwrap(),
                s["rto_seconds"]["p99"].as_f64().unwrap_or(f64::INFINITY),
            )
        };
        let front: Vec<&Value> = rows
            .iter()
            .filter(|s| s["on_pareto_front"] == true)
            .collect();
        assert!(!front.is_empty(), "an empty front: {block}");
        for a in &front {
            let (cost, time) = point(a);
            for b in rows {
                let (c, t) = point(b);
                let dominates = c <= cost && t <= time && (c < cost || t < time);
                assert!(
                    !dominates,
                    "{} dominates {} on the front",
                    b["name"], a["name"]
                );
            }
        }
        // Off the front means dominated by someone.
        for a in rows.iter().filter(|s| s["on_pareto_front"] == false) {
            let (cost, time) = point(a);
            assert!(
                time.is_infinite()
                    || rows.iter().any(|b| {
                        let (c, t) = point(b);
                        c <= cost && t <= time && (c < cost || t < time)
                    }),
                "{} is off the front but not dominated",
                a["name"]
            );
        }
    }
    let outage = &json["by_disaster"][0];
    assert_eq!(outage["disaster"], "region-outage");
    // In a region outage only an active/active design recovers within minutes...
    let rto_p99 = |name: &str| {
        let rows = outage["strategies"].as_array().unwrap();
        let row = rows.iter().find(|s| s["name"] == name).unwrap();
        row["rto_seconds"]["p99"].as_f64().unwrap()
    };
    for other in ["backup-restore", "pilot-light", "warm-standby"] {
        assert!(rto_p99("active-active") < rto_p99(other), "{other}");
    }
    // ... but each strategy is judged against its own region-outage objective, and only
    // warm-standby meets its own (RTO 30m, RPO 5m at 95%).
    assert_eq!(outage["recommended"], "warm-standby");
    // Pilot light misses its region-outage RPO (1h at 95%; it loses hours of writes in
    // most simulated region outages), and its worst miss says so: short by the
    // confidence minus its P(RPO met) in that disaster.
    let pilot = (outage["strategies"].as_array().unwrap().iter())
        .find(|s| s["name"] == "pilot-light")
        .unwrap();
    let miss = &pilot["worst_miss"];
    assert_eq!(pilot["meets_objectives"], false);
    assert_eq!(
        (&miss["disaster"], &miss["measure"]),
        (&"region-outage".into(), &"RPO".into())
    );
    assert_eq!(miss["p_met"], pilot["p_rpo_met"]);
    let shortfall = 0.95 - miss["p_met"].as_f64().unwrap();
    assert!(
        (miss["shortfall"].as_f64().unwrap() - shortfall).abs() < 2e-6,
        "{miss}"
    );
}

#[test]
fn compare_on_one_disaster_and_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = compare(
        dir.path(),
        &[
            "--disaster",
            "region-outage",
            "--format",
            "csv",
            "--charts",
            "none",
        ],
    );
    let csv = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "header and four rows:\n{csv}");
    assert!(
        lines[1..].iter().all(|l| l.starts_with("region-outage,")),
        "{csv}"
    );

    let mut cmd = drsim();
    cmd.arg("compare").args(scenario_files());
    cmd.args([
        "--trials",
        "100",
        "--disaster",
        "meteor",
        "--charts",
        "none",
    ]);
    cmd.assert()
        .code(2)
        .stderr(predicate::str::contains("meteor").and(predicate::str::contains("region-outage")));
}

fn svg_series(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    // One curve per strategy in its palette colour (plus a two-point legend sample).
    drsim::present::charts::PALETTE[..STRATEGIES.len()]
        .iter()
        .filter(|colour| {
            let colour = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
            doc.descendants().any(|n| {
                n.has_tag_name("polyline")
                    && n.attribute("stroke")
                        .is_some_and(|s| s.eq_ignore_ascii_case(&colour))
                    && n.attribute("points")
                        .is_some_and(|p| p.split_whitespace().count() > 2)
            })
        })
        .count()
}

#[test]
fn compare_writes_svg_charts_with_one_curve_per_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let output = compare(dir.path(), &[]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    let charts = dir.path().join("compare");
    for stem in [
        "rto-cdf",
        "rpo-cdf",
        "rto-cdf-region-outage",
        "rpo-cdf-region-outage",
        "cost-vs-rto-p99-region-outage",
        "cost-vs-rpo-p99-region-outage",
        "cost-breakdown",
        "dr-increment",
        "rto-exceedance-region-outage",
        "rpo-exceedance-region-outage",
    ] {
        let path = charts.join(format!("{stem}.svg"));
        assert!(path.exists(), "{path:?} missing; stderr:\n{stderr}");
        assert!(stderr.contains(&format!("{stem}.svg")), "{stderr}");
        let text = std::fs::read_to_string(&path).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    }
    for cdf in ["rto-cdf.svg", "rto-cdf-region-outage.svg", "rpo-cdf.svg"] {
        assert_eq!(svg_series(&charts.join(cdf)), 4, "{cdf}");
    }
}

/// The four bundled bills differ by a few hundred dollars on top of ~$4,730 of internet
/// egress that each pays alike: the increment chart leaves egress out and each bar's
/// label is that strategy's steady cost minus the cheapest's, from the JSON.
#[test]
fn dr_increment_bars_drop_shared_egress_and_add_up_to_the_bill_difference() {
    let dir = tempfile::tempdir().unwrap();
    compare(dir.path(), &["--quiet"]);
    let svg = std::fs::read_to_string(dir.path().join("compare").join("dr-increment.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = (doc.descendants())
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(!texts.contains(&"transfer"), "egress drawn: {texts:?}");
    assert!(
        texts.contains(&"$0"),
        "the cheapest adds nothing: {texts:?}"
    );
    let value = json(dir.path());
    let costs: Vec<f64> = (value["strategies"].as_array().unwrap().iter())
        .map(|s| s["monthly_usd"].as_f64().unwrap())
        .collect();
    let cheapest = costs.iter().copied().fold(f64::INFINITY, f64::min);
    for cost in costs.iter().filter(|c| **c > cheapest) {
        let label = drsim::present::format::usd_short(cost - cheapest);
        assert!(
            texts.contains(&format!("+{label}").as_str()),
            "+{label} missing: {texts:?}"
        );
    }
}

#[test]
fn compare_writes_png_charts_on_request() {
    let dir = tempfile::tempdir().unwrap();
    compare(dir.path(), &["--charts", "png", "--quiet"]);
    let path = dir.path().join("compare").join("rto-cdf.png");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(!dir.path().join("compare").join("rto-cdf.svg").exists());
}

#[test]
fn trace_prints_the_log_and_writes_a_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let files = scenario_files();
    drsim()
        .args([
            "trace",
            &files[2],
            "--disaster",
            "region-outage",
            "--trial",
            "2",
        ])
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("recovered").and(predicate::str::contains("trial 18")));
    let path = dir
        .path()
        .join("warm-standby")
        .join("trace-region-outage-2.svg");
    let text = std::fs::read_to_string(&path).expect("timeline written");
    roxmltree::Document::parse(&text).unwrap();

    drsim()
        .args(["trace", &files[2], "--disaster", "volcano"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("volcano").and(predicate::str::contains("az-outage")));
}

/// Writes the real report of the four scenarios into `out` and returns its path.
pub fn real_report(out: &Path) -> PathBuf {
    let mut cmd = drsim();
    cmd.arg("report").args(scenario_files());
    cmd.args(["--trials", "3500", "--seed", "3", "--quiet", "--out"])
        .arg(out);
    cmd.assert().success();
    out.join("report.html")
}

/// The report shows the recommended strategy's tornado (what moves its P(RTO met)),
/// each input at both ends of its range, at 2,000 trials a variant; every chart is
/// named and described for screen readers.
#[test]
fn report_has_the_recommended_strategys_tornado_and_accessible_charts() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(real_report(dir.path())).expect("report written");
    let recommended = html
        .split("Recommended: ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .map(|name| {
            name.trim_start_matches("<strong>")
                .trim_end_matches("</strong>")
        })
        .unwrap_or_else(|| panic!("no recommendation in the summary"));
    assert!(
        html.contains(&format!("What moves {recommended}&#39;s P(RTO met)")),
        "no tornado of {recommended}"
    );
    assert!(
        html.contains("runs of 2,000 trials each"),
        "tornado cost not stated"
    );
    let svgs = html.matches("<svg").count();
    assert_eq!(
        html.matches("<svg role=\"img\" aria-labelledby=\"chart-")
            .count(),
        svgs
    );
    assert_eq!(html.matches("<title id=\"chart-").count(), svgs);
    assert_eq!(html.matches("<desc id=\"chart-").count(), svgs);
    deciding_input_is_the_tornados_top(&html, recommended);
}

/// Screen one names the input that most moves the answer: the top row of `drsim
/// sensitivity` on the same strategy, disaster, trials and seed (the report's 3).
fn deciding_input_is_the_tornados_top(html: &str, recommended: &str) {
    let model = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{recommended}.toml"));
    let output = drsim()
        .arg("sensitivity")
        .arg(&model)
        .args([
            "--disaster",
            "region-outage",
            "--trials",
            "2000",
            "--seed",
            "3",
        ])
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let top = json["inputs"][0]["name"].as_str().expect("a top input");
    let summary = html.split("id=\"summary\"").nth(1).unwrap();
    let summary = summary.split("</section>").next().unwrap();
    assert!(
        summary.contains(&format!("The input that most moves this answer: {top} (")),
        "screen one does not name {top}"
    );
}

#[test]
fn report_is_one_self_contained_html_file() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(real_report(dir.path())).expect("report written");
    let svgs = html.matches("<svg").count();
    assert!(svgs >= 5, "{svgs} inline charts");
    assert!(!html.contains("http://") && !html.contains("https://"));
    for name in STRATEGIES {
        assert!(html.contains(name), "{name} missing");
    }
    assert!(html.contains("Vault Lock"));
    // Sources quote the comment of the line that set a value.
    assert!(html.contains("aws-timings.toml"), "no source cited");
    assert!(html.contains("drsim report "), "no command line");
    assert!(html.contains("--seed 3"), "no command line");
    assert!(html.contains("Typical (median RTO)") && html.contains("Bad (p99 RTO)"));
    // Today's date, as YYYY-MM-DD.
    let generated = html.split("Generated ").nth(1).unwrap_or("");
    let date: String = generated.chars().take(10).collect();
    assert!(
        date.len() == 10 && date.chars().filter(|c| *c == '-').count() == 2,
        "{date}"
    );
    roxmltree::Document::parse(html.trim_start_matches("<!DOCTYPE html>\n"))
        .expect("well-formed XML");
    // RPO charts state, per strategy, the mass at zero that their log axis cannot draw.
    let zero_labels = html.matches("% of disasters lose no data").count();
    assert!(
        zero_labels >= STRATEGIES.len(),
        "{zero_labels} no-loss labels"
    );
    assert!(html.contains("A log axis cannot place zero"), "RPO caption");
}

/// Two models timing the RTO at different shares (50% and 99%, 90% and 99%): compare's
/// table and CSV and the report's table show every share once, side by side, with "-"
/// (or an empty CSV cell) where a strategy does not time it.
#[test]
fn compare_and_report_show_each_rto_share_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let write = |name: &str, base: &str, shares: &str| {
        let path = dir.path().join(format!("{name}.toml"));
        let base = root.join("scenarios").join(format!("{base}.toml"));
        let text = format!(
            "name = \"{name}\"\ninclude = ['{}']\n[simulation]\nrto_thresholds = {shares}\n",
            base.display()
        );
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let files = [
        write("warm-shares", "warm-standby", "[0.5, 0.99]"),
        write("pilot-shares", "pilot-light", "[0.9, 0.99]"),
    ];
    let run = |args: &[&str]| {
        let mut cmd = drsim();
        cmd.args(args).args(&files);
        cmd.args(["--trials", "700", "--seed", "3", "--out"])
            .arg(dir.path().join("out"));
        let output = cmd.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let table = run(&["compare", "--charts", "none"]);
    for needle in ["RTO@50% p50", "RTO@90% p99", "RTO@99% p50"] {
        assert!(table.contains(needle), "no {needle:?} in\n{table}");
    }
    let warm = table
        .lines()
        .find(|l| l.starts_with("warm-shares"))
        .unwrap();
    assert_eq!(
        warm.split_whitespace().filter(|c| *c == "-").count(),
        2,
        "{warm}"
    );
    let csv = run(&["compare", "--charts", "none", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("rto_p99_s,rto_at_50_p50_s,rto_at_50_p99_s,rto_at_90_p50_s"),
        "{header}"
    );
    run(&["report", "--quiet"]);
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("<th>RTO@90% p50</th><th>RTO@90% p99</th>"));
}

/// Objectives tightened so that nothing meets them (region outage: RTO and RPO 1m in
/// 99%): the report's first screen agrees with `drsim compare` — no strategy is
/// recommended, and the nearest miss it names is compare's, with what it misses by.
#[test]
fn report_and_compare_agree_when_no_strategy_meets_the_objectives() {
    let dir = tempfile::tempdir().unwrap();
    let tight: Vec<PathBuf> = (STRATEGIES.iter().zip(scenario_files()))
        .map(|(name, file)| {
            let path = dir.path().join(format!("{name}.toml"));
            let text = format!(
                "include = [{file:?}]\n\n[objectives.disasters.region_outage]\n\
                 rto = \"1m\"\nrpo = \"1m\"\nconfidence = 0.99\n"
            );
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let run = |command: &str, extra: &[&str]| {
        let mut cmd = drsim();
        cmd.arg(command).args(&tight);
        cmd.args(["--trials", "3500", "--seed", "3", "--quiet", "--out"])
            .arg(dir.path())
            .args(extra);
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{command}: {output:?}");
        output
    };
    let json: Value =
        serde_json::from_slice(&run("compare", &["--format", "json", "--charts", "none"]).stdout)
            .unwrap();
    let strategies = json["strategies"].as_array().unwrap();
    assert!(strategies.iter().all(|s| s["meets_objectives"] == false));
    let nearest = json["recommended"].as_str().expect("a nearest miss");
    run("report", &[]);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let summary = html.split("<section id=\"summary\"").nth(1).unwrap();
    let summary = summary.split("</section>").next().unwrap();
    assert!(
        summary.contains(&format!(
            "<strong>No strategy meets every objective.</strong> The nearest miss is \
             <strong>{nearest}</strong>"
        )),
        "{summary}"
    );
    assert!(summary.contains("region-outage: P("), "{summary}");
    assert!(summary.contains("against 99%, short by"), "{summary}");
    assert!(
        !html.contains(">recommended<"),
        "a failing strategy badged recommended"
    );
}

/// With the bundled objectives the report recommends what `drsim compare` recommends.
#[test]
fn report_recommends_what_compare_recommends() {
    let dir = tempfile::tempdir().unwrap();
    let json = json(dir.path());
    let name = json["recommended"].as_str().unwrap();
    let strategies = json["strategies"].as_array().unwrap();
    let chosen = strategies.iter().find(|s| s["name"] == name).unwrap();
    assert_eq!(
        chosen["meets_objectives"], true,
        "compare recommends {name}"
    );
    let html = std::fs::read_to_string(real_report(dir.path())).unwrap();
    assert!(
        html.contains(&format!(
            "<p class=\"decision\">Recommended: <strong>{name}</strong>."
        )),
        "report does not recommend {name}"
    );
}

/// `drsim compare --format markdown`: a pull-request comment with compare's verdict, a
/// row per strategy (cost, premium over the cheapest, pass/fail per disaster) and the
/// same pass marks as the JSON.
#[test]
fn compare_markdown_is_a_compact_pull_request_summary() {
    let dir = tempfile::tempdir().unwrap();
    let json = json(dir.path());
    let output = compare(dir.path(), &["--format", "markdown", "--charts", "none"]);
    let md = String::from_utf8(output.stdout).unwrap();
    let name = json["recommended"].as_str().unwrap();
    assert!(
        md.starts_with(&format!("### DR review: **{name}** recommended\n")),
        "{md}"
    );
    assert!(
        md.contains(json["recommendation"].as_str().unwrap()),
        "{md}"
    );
    let strategies = json["strategies"].as_array().unwrap();
    let cheapest = (strategies.iter())
        .map(|s| s["monthly_usd"].as_f64().unwrap())
        .fold(f64::INFINITY, f64::min);
    let header = md.lines().find(|l| l.starts_with("| strategy |")).unwrap();
    // strategy, $/month, premium, risk-adjusted, 7 disasters, meets all.
    assert_eq!(header.matches('|').count(), 13, "{header}");
    for s in strategies {
        let row_name = s["name"].as_str().unwrap();
        let row = (md.lines())
            .find(|l| l.starts_with(&format!("| {row_name} |")))
            .unwrap_or_else(|| panic!("no row for {row_name}:\n{md}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let premium = s["monthly_usd"].as_f64().unwrap() - cheapest;
        let whole = |usd: f64| {
            let digits = format!("{:.0}", usd);
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            format!("${out}")
        };
        assert_eq!(cells[3], format!("+{}", whole(premium)), "{row}");
        let meets = s["meets_objectives"].as_bool().unwrap();
        assert_eq!(
            cells[cells.len() - 2],
            if meets { "\u{2705}" } else { "\u{274c}" }
        );
        let failing = cells[5..cells.len() - 2]
            .iter()
            .filter(|c| c.starts_with('\u{274c}'));
        assert_eq!(failing.count() == 0, meets, "{row}");
    }
}
