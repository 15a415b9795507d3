//! Command-line arguments (clap derive). Parsing only: `main` turns them into a run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use drsim::present::Format;
use drsim::present::compare::CompareFormat;
use drsim::run::shard::ShardSpec;

/// Offline disaster-recovery simulator: throws thousands of simulated disasters at a
/// model of an AWS architecture and reports its RTO and RPO distributions.
#[derive(Debug, Parser)]
#[command(name = "drsim", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo trials of a model and print the RTO/RPO summary.
    ///
    /// Example: drsim run scenarios/warm-standby.toml --trials 100000 --fail-if-unmet
    Run(RunArgs),
    /// Check a model file and describe it, without running it.
    ///
    /// Example: drsim validate scenarios/pilot-light.toml
    Validate(ValidateArgs),
    /// Price a model: the steady monthly bill by region and component, and what each
    /// disaster's failover adds (no simulation; `run` adds the expected loss).
    ///
    /// Example: drsim cost scenarios/warm-standby.toml --format csv
    Cost(CostArgs),
    /// Merge the part files of a sharded run (`run --shard`) into the run's summary.
    ///
    /// Example: drsim merge parts/ --out merged
    Merge(MergeArgs),
    /// Run several strategies (models) with the same seed and trials and compare them:
    /// one table, the Pareto front, a recommendation, and charts.
    ///
    /// Example: drsim compare scenarios/pilot-light.toml scenarios/warm-standby.toml --disaster region-outage
    Compare(CompareArgs),
    /// Simulate one disaster trial and print its log; write its timeline chart.
    ///
    /// Example: drsim trace scenarios/warm-standby.toml --disaster region-outage --trial 2
    Trace(TraceArgs),
    /// Run several strategies and write the self-contained HTML design review.
    ///
    /// Example: drsim report scenarios/pilot-light.toml scenarios/warm-standby.toml --out review
    Report(ReportArgs),
    /// Rank the model's uncertain inputs by how much they move the answer (tornado).
    ///
    /// Example: drsim sensitivity scenarios/warm-standby.toml --disaster region-outage
    Sensitivity(SensitivityArgs),
    /// Find the cheapest design in a space of knobs (model keys and their values) that
    /// meets every objective: priced cheapest first, pruned by declared monotone knobs,
    /// raced on few trials before all, common random numbers throughout.
    ///
    /// Example: drsim optimize scenarios/warm-standby.toml --space scenarios/warm-standby-space.toml --emit best.toml
    Optimize(OptimizeArgs),
    /// Write a commented starter model for a DR strategy in your regions.
    ///
    /// Example: drsim init shop.toml --strategy pilot-light --primary eu-west-1 --recovery eu-central-1
    Init(InitArgs),
    /// Write a commented model from an existing description of the architecture.
    ///
    /// Example: drsim import terraform infra/ -o shop.toml
    #[command(subcommand)]
    Import(ImportCommand),
    /// Print the JSON Schema of model files (for editors: Taplo, VS Code "Even Better
    /// TOML"); the repository ships it as docs/drsim-model.schema.json.
    ///
    /// Example: drsim schema > drsim-model.schema.json
    Schema,
    /// Print a shell completion script.
    ///
    /// Example: drsim completions bash > ~/.local/share/bash-completion/completions/drsim
    Completions(CompletionsArgs),
    /// Print the manual page (roff).
    ///
    /// Example: drsim manpage > drsim.1 && man ./drsim.1
    Manpage,
}

/// Arguments of `drsim init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The model file to write (refused if it exists, unless --force).
    #[arg(default_value = "drsim-model.toml")]
    pub file: PathBuf,

    /// The DR strategy (AWS whitepaper), cheapest and slowest first.
    #[arg(long, value_enum, default_value_t = StrategyArg::WarmStandby)]
    pub strategy: StrategyArg,

    /// The region that serves (its AZs are named REGIONa and REGIONb).
    #[arg(long, default_value = "us-east-1")]
    pub primary: String,

    /// The recovery region.
    #[arg(long, default_value = "us-west-2")]
    pub recovery: String,

    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,

    /// No note on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--strategy` of `drsim init`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum StrategyArg {
    /// Backups copied to the recovery region; IaC builds it on failover (hours).
    BackupRestore,
    /// Network and an empty ASG in the recovery region, a read replica (tens of minutes).
    PilotLight,
    /// A scaled-down copy with a warm pool, Aurora Global Database (minutes).
    WarmStandby,
    /// Both regions serve behind Global Accelerator (near zero).
    ActiveActive,
}

/// Arguments of `drsim completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `drsim sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// Trials (per variant), seed and threads.
    #[command(flatten)]
    pub sim: SimOptions,

    /// Figures of this disaster only (by name) instead of all disasters by frequency.
    #[arg(long, value_name = "NAME")]
    pub disaster: Option<String>,

    /// Vary only these inputs (model keys as the table names them, comma-separated),
    /// e.g. `--inputs recovery.detection,routing.ttl` [default: every uncertain input].
    #[arg(long, value_name = "KEY,...", value_delimiter = ',')]
    pub inputs: Vec<String>,

    /// Format of the result printed on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// No progress bar or notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Chart file format, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Charts {
    /// SVG files.
    Svg,
    /// PNG files.
    Png,
    /// No chart files.
    None,
}

/// How a simulation runs; shared by `run`, `compare` and `report`.
#[derive(Debug, Args)]
pub struct SimOptions {
    /// Number of trials (disasters simulated); overrides `simulation.trials` (with
    /// several models: of the first).
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub trials: Option<u64>,

    /// Seed; overrides `simulation.seed`. With the model it fixes every result.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,

    /// Worker threads [default: one per logical core]. Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = at_least_one_thread)]
    pub threads: Option<usize>,
}

/// Arguments of `drsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Model files (TOML), one per strategy.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// Trials, seed and threads.
    #[command(flatten)]
    pub sim: SimOptions,

    /// Compare on this disaster only (by name) instead of all disasters by frequency.
    #[arg(long, value_name = "NAME")]
    pub disaster: Option<String>,

    /// Format of the comparison printed on standard output (markdown: a compact summary
    /// for a pull-request comment).
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,

    /// Directory for results: charts go to DIR/compare/.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Chart files to write.
    #[arg(long, value_enum, default_value_t = Charts::Svg)]
    pub charts: Charts,

    /// No progress bar or notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,

    /// Exit with code 3 (after printing the comparison) when no strategy meets every
    /// objective in the compared scope.
    #[arg(long)]
    pub fail_if_unmet: bool,
}

/// Arguments of `drsim trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// Disaster to trace, by name [default: the model's region outage, else its first].
    #[arg(long, value_name = "NAME")]
    pub disaster: Option<String>,

    /// Which occurrence of that disaster: the K-th trial simulating it, from 0 (trial
    /// index = disaster index + K x number of disasters).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub trial: u64,

    /// Seed; overrides `simulation.seed`.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,

    /// Directory for results: the chart goes to DIR/<scenario>/trace-<disaster>-<K>.svg.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Chart file to write (as in `compare`); `none` prints the log only.
    #[arg(long, value_enum, default_value_t = Charts::Svg)]
    pub charts: Charts,

    /// No notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `drsim report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Model files (TOML), one per strategy.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// Trials, seed and threads.
    #[command(flatten)]
    pub sim: SimOptions,

    /// Directory for results: the report is DIR/report.html.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Format of the comparison printed on standard output beside the HTML report
    /// (markdown: a compact summary for a pull-request comment, as `compare` prints).
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,

    /// No progress bar or notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `drsim cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// Output format: the bill and failover costs as a table, JSON or CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// No notes on standard error (cost prints none; accepted for every command).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `drsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// Trials, seed and threads.
    #[command(flatten)]
    pub sim: SimOptions,

    /// Directory for results: the summary is written to DIR/<scenario>/summary.json.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Format of the summary printed on standard output [default: table; with --shard,
    /// nothing unless given].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Also write one CSV row per trial, in trial order, to PATH (`-` for standard
    /// output; a FIFO or device is written into, a regular file replaced atomically).
    #[arg(long, value_name = "PATH")]
    pub trials_csv: Option<PathBuf>,

    /// Outer draws of the inputs the model gives a range (`{ low, high }`), each of
    /// trials / K trials, to report the answer over those ranges; 0: none. Not with
    /// --shard.
    #[arg(long, value_name = "K", default_value_t = drsim::analysis::uncertainty::DEFAULT_DRAWS)]
    pub input_draws: usize,

    /// No progress bar or notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,

    /// Exit with code 3 (after printing and writing the summary) when a disaster misses
    /// its objective. Not with --shard: a part is judged once merged.
    #[arg(long, conflicts_with = "shard")]
    pub fail_if_unmet: bool,

    /// Run only shard K of N (K from 0): the trials i with i * N / trials == K, with the
    /// seeds they have in the whole run. Writes DIR/part-K-of-N.json for `drsim merge`
    /// instead of the summary. `auto` reads K (and N) from a Kubernetes Indexed Job
    /// (JOB_COMPLETION_INDEX) or an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX,
    /// AWS_BATCH_JOB_ARRAY_SIZE).
    #[arg(long, value_name = "K/N|auto", value_parser = parse_shard)]
    pub shard: Option<ShardSpec>,

    /// N for --shard auto where the engine does not give it (Kubernetes); also read from
    /// DRSIM_SHARD_COUNT.
    #[arg(long, value_name = "N", requires = "shard")]
    pub shard_count: Option<u64>,
}

/// Arguments of `drsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Part files, or directories whose part-K-of-N.json files are all merged.
    #[arg(required = true, value_name = "DIR|FILE")]
    pub parts: Vec<PathBuf>,

    /// Format of the summary printed on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Also write the merged summary to DIR/summary.json.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// No notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `drsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// No warnings on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `drsim optimize`.
#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Model file (TOML).
    pub file: PathBuf,

    /// The space file: the knobs (model keys) and their candidate values.
    #[arg(long, value_name = "SPACE.toml")]
    pub space: PathBuf,

    /// Trials of a full run (screening runs fewer), seed and threads.
    #[command(flatten)]
    pub sim: SimOptions,

    /// Most trials to spend over the whole search [default: no limit].
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub budget: Option<u64>,

    /// Write the winning model here: the model file with the chosen values changed,
    /// comments kept (replaced atomically).
    #[arg(long, value_name = "FILE")]
    pub emit: Option<PathBuf>,

    /// Format of the result printed on standard output.
    #[arg(long, value_enum, default_value_t = drsim::present::optimize::OptimizeFormat::Text)]
    pub format: drsim::present::optimize::OptimizeFormat,

    /// What to minimise: the steady monthly bill, or steady + failover + expected loss.
    #[arg(long, value_enum, default_value_t = CostArg::Steady)]
    pub cost: CostArg,

    /// No notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--cost` of `drsim optimize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CostArg {
    /// The steady monthly bill.
    Steady,
    /// Steady + failover + expected loss per month.
    RiskAdjusted,
}

fn at_least_one(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("not a whole number: {e}")),
    }
}

fn at_least_one_thread(text: &str) -> Result<usize, String> {
    at_least_one(text).and_then(|n| usize::try_from(n).map_err(|e| e.to_string()))
}

fn parse_shard(text: &str) -> Result<ShardSpec, drsim::run::RunError> {
    text.parse()
}

// --- drsim import (issue #16) ---

/// What `drsim import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Terraform configuration: a directory of .tf files (read statically, with local
    /// modules) or the JSON of `terraform show -json` (a plan or a state; preferred when
    /// you have one, its values are resolved). Each value cites its Terraform address;
    /// a summary on standard error lists what was mapped, defaulted and ignored.
    ///
    /// Example: drsim import terraform infra/ -o shop.toml
    Terraform(ImportTerraformArgs),
}

/// Arguments of `drsim import terraform`.
#[derive(Debug, Args)]
pub struct ImportTerraformArgs {
    /// A directory of .tf files, or a .json file from `terraform show -json`.
    pub path: PathBuf,

    /// The model file to write (replaced atomically if it is a regular file; a symbolic
    /// link, FIFO or device is refused). Default: standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,

    /// No summary on standard error (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}
