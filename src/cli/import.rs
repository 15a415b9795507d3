//! `drsim import terraform`: writes the imported model and its summary.

use std::path::Path;

use drsim::import::{Imported, import_terraform};

use super::args::ImportTerraformArgs;
use super::error::CliError;
use crate::note;

/// Imports a Terraform configuration: the model to `--output` (or standard output), the
/// summary to standard error.
pub fn terraform(args: ImportTerraformArgs) -> Result<(), CliError> {
    if let Some(out) = &args.output {
        refuse_special(out)?;
    }
    let imported = import_terraform(&args.path)?;
    match &args.output {
        Some(out) => drsim::output::write_atomically(out, imported.model.as_bytes())?,
        None => crate::print(imported.model.as_bytes())?,
    }
    if !args.quiet {
        for line in summary(&imported, &args.path, args.output.as_deref()) {
            note(&line);
        }
    }
    Ok(())
}

/// Only a regular file (or nothing) is replaced: a symbolic link, FIFO or device at the
/// output path is refused, so an import never writes through to somewhere else.
fn refuse_special(path: &Path) -> Result<(), CliError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(CliError::Usage(format!(
            "{} is a symbolic link; give the path of a regular file",
            path.display()
        ))),
        Ok(meta) if !meta.is_file() => Err(CliError::Usage(format!(
            "{} is not a regular file (a directory, FIFO or device); give a file path",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// The summary lines: what was mapped, defaulted, left to do and ignored.
fn summary(imported: &Imported, from: &Path, to: Option<&Path>) -> Vec<String> {
    let mut lines = vec![format!(
        "imported {}: {} resources mapped, {} values defaulted, {} TODOs, {} resource types ignored",
        from.display(),
        imported.mapped.len(),
        imported.defaulted.len(),
        imported.todos.len(),
        imported.ignored.len()
    )];
    let mut section = |title: &str, items: &[String]| {
        if !items.is_empty() {
            lines.push(format!("{title}:"));
            lines.extend(items.iter().map(|i| format!("  {i}")));
        }
    };
    section("warnings", &imported.warnings);
    section("mapped", &imported.mapped);
    section("defaulted", &imported.defaulted);
    section("TODO", &imported.todos);
    section(
        "ignored (resource types drsim does not read)",
        &imported.ignored,
    );
    if let Some(to) = to {
        lines.push(format!(
            "wrote {}; next: drsim validate {}",
            to.display(),
            to.display()
        ));
    }
    lines
}
