//! `drsim compare`, `drsim trace` and `drsim report`: flags to library calls
//! ([`drsim::analysis::compare`], [`drsim::present::review`]) and files.

use std::path::{Path, PathBuf};

use drsim::analysis::compare::{
    CompareSettings, Scope, StrategyRun, check_disaster, disaster_index, load_models,
    run_strategies,
};
use drsim::model::DisasterKind;
use drsim::model::load::{Sources, load_model, load_model_with_sources};
use drsim::model::warn::Use;
use drsim::present::charts::ChartFormat;
use drsim::present::charts::html_report::design_review_html;
use drsim::present::review::{self, ReportContext};
use drsim::sim::trial::TrialSimulator;

use crate::cli::args::{Charts, CompareArgs, ReportArgs, TraceArgs};
use crate::cli::error::{CliError, check_destination};
use crate::{note, print, progress_bar};

/// Loads and runs every model with one progress bar across them; `disaster`, if given,
/// must be in every model.
fn run_all(
    files: &[PathBuf],
    settings: &CompareSettings,
    disaster: Option<&str>,
    quiet: bool,
) -> Result<Vec<StrategyRun>, CliError> {
    let evaluations = load_models(files, settings)?;
    for evaluation in &evaluations {
        crate::warn(evaluation.model(), None, Use::RankByRiskAdjustedCost, quiet);
    }
    if let Some(name) = disaster {
        check_disaster(&evaluations, name)?;
    }
    let total = evaluations
        .iter()
        .map(|e| e.model().simulation.trials)
        .sum();
    let bar = progress_bar(total, quiet);
    let runs = run_strategies(evaluations, settings.threads, |done| bar.set_position(done))?;
    bar.finish_and_clear();
    Ok(runs)
}

/// `drsim compare`: the comparison table (or JSON/CSV) and charts under DIR/compare/.
pub fn compare(args: CompareArgs) -> Result<(), CliError> {
    let settings = CompareSettings {
        trials: args.sim.trials,
        seed: args.sim.seed,
        threads: args.sim.threads.unwrap_or(0),
    };
    let charts = chart_format(args.charts).map(|format| (format, args.out.join("compare")));
    if let Some((format, dir)) = &charts {
        check_destination(&dir.join(format!("pareto.{}", format.extension())))?;
    }
    let runs = run_all(&args.files, &settings, args.disaster.as_deref(), args.quiet)?;
    let scope = match &args.disaster {
        Some(name) => Scope::Disaster(name.clone()),
        None => Scope::Overall,
    };
    let comparison = drsim::analysis::compare::compare(&runs, &scope);
    if let Some((format, dir)) = charts {
        let figures = review::comparison_figures(&runs, &comparison);
        let written = review::write_figures(&figures, format, &dir)?;
        if !args.quiet {
            note("charts written:");
            for path in written {
                note(&format!("  {}", path.display()));
            }
        }
    }
    print(drsim::present::compare::render(&comparison, &runs, args.format)?.as_bytes())?;
    let main = &comparison.main;
    if args.fail_if_unmet && !main.strategies.iter().any(|s| s.meets_objectives) {
        return Err(CliError::ObjectivesUnmet(main.recommendation.clone()));
    }
    Ok(())
}

fn chart_format(charts: Charts) -> Option<ChartFormat> {
    match charts {
        Charts::Svg => Some(ChartFormat::Svg),
        Charts::Png => Some(ChartFormat::Png),
        Charts::None => None,
    }
}

/// `drsim trace`: one trial's log on stdout, its timeline in DIR/<scenario>/.
pub fn trace(args: TraceArgs) -> Result<(), CliError> {
    let mut model = load_model(&args.file)?;
    if let Some(seed) = args.seed {
        model.simulation.seed = seed;
    }
    let disaster = match &args.disaster {
        Some(name) => disaster_index(&model, &args.file, name)?,
        None => (model.disasters.iter())
            .position(|d| d.kind == DisasterKind::RegionOutage)
            .unwrap_or(0),
    };
    if model.disasters.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no disasters to trace",
            args.file.display()
        )));
    }
    let index = review::trial_index(&model, disaster, args.trial);
    let (outcome, trace) = TrialSimulator::new(&model).trace(index);
    let name = &model.disasters[disaster].name;
    let title = format!(
        "{}: {name}, occurrence {} (trial {index}, seed {})",
        model.name, args.trial, model.simulation.seed
    );
    if let Some(format) = chart_format(args.charts) {
        let chart = review::timeline(&model, &trace, title.clone());
        let dir = scenario_dir(&args.out, &model.name);
        let path = dir.join(format!(
            "trace-{}-{}.{}",
            review::file_part(name),
            args.trial,
            format.extension()
        ));
        check_destination(&path)?;
        drsim::present::charts::render(&chart, format, &path)?;
        if !args.quiet {
            note(&format!("timeline written to {}", path.display()));
        }
    }
    let rto = drsim::present::format::ms_or_never(outcome.rto.map(|ms| ms as f64));
    let text = format!("{title}\nRTO {rto}\n\n{}", trace.text());
    print(text.as_bytes())
}

/// DIR/<scenario>, the directory `run` writes its summary in.
fn scenario_dir(out: &Path, scenario: &str) -> PathBuf {
    let summary = drsim::output::summary_path(out, scenario);
    summary
        .parent()
        .map_or(out.to_path_buf(), Path::to_path_buf)
}

/// `drsim report`: the design review as one HTML file, DIR/report.html.
pub fn report(args: ReportArgs) -> Result<(), CliError> {
    let path = args.out.join("report.html");
    check_destination(&path)?;
    // Sources first: the same files, read once more for where each value came from.
    let mut sources: Vec<Sources> = Vec::with_capacity(args.files.len());
    for file in &args.files {
        let (_, s) = load_model_with_sources(file)?;
        sources.push(s);
    }
    let settings = CompareSettings {
        trials: args.sim.trials,
        seed: args.sim.seed,
        threads: args.sim.threads.unwrap_or(0),
    };
    let runs = run_all(&args.files, &settings, None, args.quiet)?;
    let comparison = drsim::analysis::compare::compare(&runs, &Scope::Overall);
    let context = ReportContext {
        command_line: command_line(),
        generated_on: review::today_utc(),
        sources: &sources,
    };
    let html = design_review_html(&review::design_review(&runs, &comparison, &context));
    drsim::output::write_atomically(&path, html.as_bytes())?;
    if !args.quiet {
        note(&format!("report written to {}", path.display()));
    }
    print(drsim::present::compare::render(&comparison, &runs, args.format)?.as_bytes())
}

/// The command line as typed (program name shortened to `drsim`), quoted for a shell.
fn command_line() -> String {
    let mut words = vec!["drsim".to_string()];
    words.extend(std::env::args().skip(1).map(|arg| shell_quote(&arg)));
    words.join(" ")
}

fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}
