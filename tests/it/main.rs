//! drsim's integration tests, in one binary: one link, one run, shared helpers.
//!
//! | module | what it checks |
//! |---|---|
//! | `behaviour` | simulated behaviour against results worked out by hand |
//! | `strategies` | the four bundled strategies in the whitepaper's order (RTO, RPO, cost) |
//! | `failures` | recovery steps that fail and are retried: binomial shares, static stability |
//! | `control_plane` | record-edit failover waits for an impaired control plane; health checks do not |
//! | `data_stores` | DynamoDB global tables and point-in-time recovery, by hand from the AWS pages |
//! | `model_files` | bundled models load; every bad input is located and explained |
//! | `extremes` | property tests: extreme models fail located or give sensible figures |
//! | `cli` | the `drsim` command as a user runs it |
//! | `review` | compare, trace and report on the bundled scenarios |
//! | `golden` | snapshots of every command's output on the bundled scenarios (insta) |
//! | `layers` | the source layering: no upward `use`, no cycle inside a folder |
//! | `sensitivity` | the tornado's ranking and the common-random-number variance reduction |
//! | `schema` | the shipped JSON Schema is the loader's; it fits every bundled model; all problems at once |
//! | `prices` | regional catalogs, per-region overrides, located pricing errors, warnings |
//! | `outputs` | result files: devices, FIFOs, links, `-`, interrupts, unwritable paths |
//! | `shards` | shard processes merged equal a single run |
//! | `report_browser` | the HTML report in headless Chromium |

mod common;

mod behaviour;
mod cli;
mod control_plane;
mod data_stores;
mod extremes;
mod failures;
mod golden;
mod layers;
mod model_files;
mod outputs;
mod prices;
mod report_browser;
mod review;
mod schema;
mod sensitivity;
mod shards;
mod strategies;
