//! The `drsim` command's arguments and subcommands.

pub mod args;
pub mod error;
pub mod import;
pub mod optimize;
pub mod review;
pub mod sensitivity;
