//! The `drsim` command: parse arguments, load the model, run the trials, export.

mod cli;

use std::error::Error;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use drsim::analysis::AnalysisError;
use drsim::analysis::compare::Scope;
use drsim::analysis::parts::Part;
use drsim::analysis::pipeline::Evaluation;
use drsim::analysis::sensitivity::answer;
use drsim::analysis::summary::Summary;
use drsim::analysis::uncertainty::input_uncertainty;
use drsim::model::ModelError;
use drsim::model::describe;
use drsim::model::load::{Sources, load_model_with_sources};
use drsim::model::warn::{Use, warnings};
use drsim::present::Format;
use drsim::present::report::{Exporter, JsonExporter};
use drsim::run::shard::Shard;
use drsim::run::simulate::RunSettings;
use indicatif::{ProgressBar, ProgressStyle};

use cli::args::{Cli, Command, CostArgs, MergeArgs, RunArgs, ValidateArgs};
use cli::error::{CliError, check_destination};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not failures.
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    stop_cleanly_on_interrupt();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Validate(args) => validate(args),
        Command::Cost(args) => cost(args),
        Command::Merge(args) => merge(args),
        Command::Compare(args) => cli::review::compare(args),
        Command::Trace(args) => cli::review::trace(args),
        Command::Report(args) => cli::review::report(args),
        Command::Sensitivity(args) => cli::sensitivity::run(args),
        Command::Optimize(args) => cli::optimize::run(args),
        Command::Init(args) => init(args),
        Command::Import(cli::args::ImportCommand::Terraform(args)) => cli::import::terraform(args),
        Command::Completions(args) => completions(args),
        Command::Manpage => manpage(),
        Command::Schema => schema(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            note(&format!("error: {}", chain(&error)));
            ExitCode::from(error.exit_code())
        }
    }
}

/// On SIGINT or SIGTERM: remove the temporary files being written, say so, and exit
/// with [`CliError::Interrupted`]'s code. Only SIGKILL can leave a temporary file (see
/// [`drsim::output`]).
fn stop_cleanly_on_interrupt() {
    let handler = || {
        drsim::output::remove_temporary_files();
        let error = CliError::Interrupted;
        note(&format!("error: {error}"));
        std::process::exit(i32::from(error.exit_code()));
    };
    if let Err(e) = ctrlc::set_handler(handler) {
        note(&format!(
            "warning: cannot handle interrupts ({e}); an interrupted run may leave .drsim-tmp-* files"
        ));
    }
}

/// `drsim run`: the summary on stdout and in `DIR/<scenario>/summary.json`.
fn run(args: RunArgs) -> Result<(), CliError> {
    let (mut model, sources) = load_model_with_sources(&args.file)?;
    warn(&model, Some(&sources), Use::Describe, args.quiet);
    if let Some(trials) = args.sim.trials {
        model.simulation.trials = trials;
    }
    if let Some(seed) = args.sim.seed {
        model.simulation.seed = seed;
    }
    let evaluation = Evaluation::prepare(model, &args.file)?;
    let shard = shard_of(&args)?;
    // Every result path is checked before the trials run, not after.
    match &shard {
        Some((shard, _)) => check_destination(&args.out.join(shard.file_name()))?,
        None => check_destination(&drsim::output::summary_path(
            &args.out,
            &evaluation.model().name,
        ))?,
    }
    if let Some(csv) = &args.trials_csv {
        check_destination(csv)?;
    }
    let trials = evaluation.model().simulation.trials;
    let settings = RunSettings {
        threads: args.sim.threads.unwrap_or(0),
        trials_csv: args.trials_csv,
        trials: match &shard {
            Some((shard, _)) => shard.trials(trials),
            None => 0..trials,
        },
    };
    let priced = evaluation.price().map_err(|e| match e {
        AnalysisError::Model(ModelError::Cost(cost)) => {
            CliError::from(sources.locate_cost_error(cost, &args.file))
        }
        other => other.into(),
    })?;
    let bar = progress_bar(settings.trials.end - settings.trials.start, args.quiet);
    let progress = |done| bar.set_position(done);
    if let Some((shard, hash)) = shard {
        let part = priced.simulate_part(shard, hash, &settings, progress);
        bar.finish_and_clear();
        return write_part(&part?, &args.out, args.format, args.quiet);
    }
    let run = priced.simulate(&settings, progress);
    bar.finish_and_clear();
    let run = run?;
    let nominal = answer(&run, &Scope::Overall);
    let mut summary = run.summary;
    // Only a model with ranges pays for the draws (and its output says so).
    summary.input_uncertainty = input_uncertainty(
        &run.model,
        &args.file,
        &nominal,
        &settings,
        args.input_draws,
    )?;
    let path = drsim::output::summary_path(&args.out, &run.model.name);
    let json = JsonExporter.serialize(&summary)?;
    drsim::output::write_atomically(&path, &json)?;
    if !args.quiet {
        note(&format!("summary written to {}", path.display()));
    }
    let report = args
        .format
        .unwrap_or(Format::Table)
        .exporter()
        .serialize(&summary)?;
    print(&report)?;
    if args.fail_if_unmet && !summary.overall.meets_objectives {
        let missed: Vec<&str> = (summary.by_disaster.iter())
            .filter(|d| !d.figures.meets_objectives)
            .map(|d| d.disaster.as_str())
            .collect();
        return Err(CliError::ObjectivesUnmet(format!(
            "{} misses {}",
            summary.scenario,
            missed.join(", ")
        )));
    }
    Ok(())
}

/// The shard of `drsim run --shard`, and the model's hash for its part.
fn shard_of(args: &RunArgs) -> Result<Option<(Shard, String)>, CliError> {
    let Some(spec) = args.shard else {
        return Ok(None);
    };
    let shard = spec.resolve(args.shard_count, |name| std::env::var(name).ok())?;
    let hash = drsim::analysis::parts::model_hash(&args.file)?;
    Ok(Some((shard, hash)))
}

/// A shard's part file in `out`, a note, and its own summary only if `format` is given:
/// the run's summary is `drsim merge`'s.
fn write_part(
    part: &Part,
    out: &Path,
    format: Option<Format>,
    quiet: bool,
) -> Result<(), CliError> {
    let path = part.write(out)?;
    if !quiet {
        let trials = &part.trials;
        note(&format!(
            "shard {}: trials {}..{} of {} written to {}",
            part.shard,
            trials.start,
            trials.end,
            part.total_trials,
            path.display()
        ));
    }
    let Some(format) = format else {
        return Ok(());
    };
    let summary = Summary::with_context(&part.context, &part.stats);
    print(&format.exporter().serialize(&summary)?)
}

/// `drsim merge`: the summary of a sharded run from its part files, on stdout and with
/// `--out DIR` in `DIR/summary.json`.
fn merge(args: MergeArgs) -> Result<(), CliError> {
    if let Some(out) = &args.out {
        check_destination(&out.join("summary.json"))?;
    }
    let merged = drsim::analysis::parts::merge_inputs(&args.parts)?;
    let summary = merged.summary();
    if let Some(out) = &args.out {
        let path = out.join("summary.json");
        let json = JsonExporter.serialize(&summary)?;
        drsim::output::write_atomically(&path, &json)?;
        if !args.quiet {
            note(&format!(
                "{} parts merged; summary written to {}",
                merged.parts,
                path.display()
            ));
        }
    }
    let report = args.format.exporter().serialize(&summary)?;
    print(&report)
}

/// `drsim validate`: a description of the model, or what is wrong with it.
fn validate(args: ValidateArgs) -> Result<(), CliError> {
    let (model, sources) = load_model_with_sources(&args.file)?;
    warn(&model, Some(&sources), Use::Describe, args.quiet);
    // A model that validates can be priced: `run` and `cost` would refuse it otherwise.
    drsim::analysis::cost::report(&model, None)
        .map_err(|e| sources.locate_cost_error(e, &args.file))?;
    print(describe::summary(&model).as_bytes())
}

/// `drsim cost`: the monthly bill and the failover cost of each disaster.
fn cost(args: CostArgs) -> Result<(), CliError> {
    let (model, sources) = load_model_with_sources(&args.file)?;
    warn(&model, Some(&sources), Use::Describe, args.quiet);
    let report = drsim::analysis::cost::report(&model, None)
        .map_err(|e| sources.locate_cost_error(e, &args.file))?;
    print(drsim::present::cost::render(&report, args.format).as_bytes())
}

/// `drsim completions SHELL`: the completion script on stdout.
fn completions(args: cli::args::CompletionsArgs) -> Result<(), CliError> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "drsim", &mut script);
    print(&script)
}

/// `drsim init`: writes a starter model for a strategy in the user's regions.
fn init(args: cli::args::InitArgs) -> Result<(), CliError> {
    use cli::args::StrategyArg;
    use drsim::model::template::{Strategy, starter_model};
    if args.primary == args.recovery {
        return Err(CliError::Usage(
            "--primary and --recovery must name two different regions".into(),
        ));
    }
    if !args.force && std::fs::symlink_metadata(&args.file).is_ok() {
        return Err(CliError::Usage(format!(
            "{} exists; choose another file or pass --force",
            args.file.display()
        )));
    }
    let strategy = match args.strategy {
        StrategyArg::BackupRestore => Strategy::BackupRestore,
        StrategyArg::PilotLight => Strategy::PilotLight,
        StrategyArg::WarmStandby => Strategy::WarmStandby,
        StrategyArg::ActiveActive => Strategy::ActiveActive,
    };
    let name = args.file.file_stem().map_or_else(
        || strategy.name().into(),
        |s| s.to_string_lossy().into_owned(),
    );
    let text = starter_model(strategy, &name, &args.primary, &args.recovery);
    drsim::output::write_atomically(&args.file, text.as_bytes())?;
    if !args.quiet {
        note(&format!(
            "wrote {} ({} from {} to {}); next: drsim run {}",
            args.file.display(),
            strategy.name(),
            args.primary,
            args.recovery,
            args.file.display()
        ));
    }
    Ok(())
}

/// `drsim schema`: the JSON Schema of model files on stdout.
fn schema() -> Result<(), CliError> {
    let schema = drsim::model::schema::editor_schema();
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    print(text.as_bytes())
}

/// `drsim manpage`: the manual page (roff) on stdout.
fn manpage() -> Result<(), CliError> {
    let command = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    print(&page)
}

/// Writes to stdout; a closed pipe (`drsim run ... | head`) is not an error.
pub(crate) fn print(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The model's warnings on stderr, each at the file and line that wrote the field when
/// `sources` knows it (else the model file), unless `quiet`.
pub(crate) fn warn(
    model: &drsim::model::Model,
    sources: Option<&Sources>,
    usage: Use,
    quiet: bool,
) {
    if quiet {
        return;
    }
    for warning in warnings(model, usage) {
        let field: Vec<&str> = warning.field.iter().map(String::as_str).collect();
        let place = sources
            .and_then(|s| s.source(&field))
            .map(|at| format!("{}:{}", at.file.display(), at.line))
            .unwrap_or_else(|| model.source.display().to_string());
        note(&format!(
            "warning: {place}: {}: {}",
            field.join("."),
            warning.message
        ));
    }
}

/// A line on stderr; if stderr is closed there is no one to tell (eprintln! would panic).
pub(crate) fn note(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}

/// A progress bar on stderr, only when someone watches it.
pub(crate) fn progress_bar(trials: u64, quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{bar:40} {human_pos}/{human_len} trials ({per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(trials).with_style(style)
}

/// "outer: cause: root cause", each message once.
fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}
