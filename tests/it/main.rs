//! drsim's integration tests, in one binary: one link, one run, shared helpers.
//!
//! | module | what it checks |
//! |---|---|
//! | `behaviour` | simulated behaviour against results worked out by hand |
//! | `strategies` | the four bundled strategies in the whitepaper's order (RTO, RPO, cost); a running pool keeps warm standby's RTO |
//! | `hybrid` | hybrid DR channels: transfers over the link, DX down -> VPN, DMS lag and stalls, DRS launches, their bill |
//! | `failures` | recovery steps that fail and are retried: binomial shares, the mixture's quantiles, static stability |
//! | `correlated` | correlated, global and grey events: recovery region impaired, bad deploy, account compromise, error-rate alarm |
//! | `control_plane` | record edits, IaC and launches wait for an impaired control plane; health checks and a running pool do not |
//! | `data_stores` | DynamoDB global tables and point-in-time recovery, by hand from the AWS pages |
//! | `model_files` | bundled models load; every bad input is located and explained |
//! | `extremes` | property tests: extreme models fail located or give sensible figures |
//! | `cli` | the `drsim` command as a user runs it |
//! | `review` | compare, trace and report on the bundled scenarios |
//! | `golden` | snapshots of every command's output on the bundled scenarios (insta) |
//! | `import` | `drsim import terraform` on hand-written Terraform fixtures: mapped values, validation |
//! | `layers` | the source layering: no upward `use`, no cycle inside a folder |
//! | `optimize` | goal-seek: the search equals the brute force, the bundled space's monotone knobs hold, `--emit` reproduces, bad spaces fail located |
//! | `sensitivity` | the tornado's ranking and the common-random-number variance reduction |
//! | `schema` | the shipped JSON Schema is the loader's; it fits every bundled model; all problems at once |
//! | `prices` | regional catalogs, per-region overrides, located pricing errors, warnings |
//! | `outputs` | result files: devices, FIFOs, links, `-`, interrupts, unwritable paths |
//! | `shards` | shard processes merged equal a single run |
//! | `report_browser` | the HTML report in headless Chromium |
//! | `report_sections` | the report's money inputs, assumptions matrix, near-miss trace, embedded data, markdown |

mod common;

mod behaviour;
mod cli;
mod control_plane;
mod correlated;
mod data_stores;
mod extremes;
mod failures;
mod golden;
mod hybrid;
mod import;
mod layers;
mod model_files;
mod optimize;
mod outputs;
mod prices;
mod report_browser;
mod report_sections;
mod review;
mod schema;
mod sensitivity;
mod shards;
mod strategies;
