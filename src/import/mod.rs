//! `drsim import terraform`: a commented drsim model from a Terraform configuration (a
//! directory of `.tf` files, read statically) or from `terraform show -json` (a plan or a
//! state, whose values Terraform has resolved). Every value the model takes from
//! Terraform cites the resource's address and `file:line`; what Terraform does not say is
//! a named default or a TODO. The import only reads: it uses `model` (the built-in files)
//! and nothing above it.

mod draft;
pub mod inventory;
mod map;
mod plan;
mod tf;

use std::path::{Path, PathBuf};

/// An imported model and what the import did, for the summary on standard error.
#[derive(Debug)]
pub struct Imported {
    /// The model file's text.
    pub model: String,
    /// Resources read into the model (`address (file:line)`).
    pub mapped: Vec<String>,
    /// Model keys left at a default (`regions.x.asg.volume_gb: why`).
    pub defaulted: Vec<String>,
    /// Keys and notes that need the user.
    pub todos: Vec<String>,
    /// Resource types the import does not read, with their count.
    pub ignored: Vec<String>,
    /// Regions not known or guessed, things not followed (modules, for_each...).
    pub warnings: Vec<String>,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// HCL or JSON that does not parse, located.
    #[error("{}:{line}:{column}: {message}", file.display())]
    Syntax {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The path is neither a directory of `.tf` files nor a JSON file.
    #[error("{}: {why}", path.display())]
    NotTerraform {
        /// The path.
        path: PathBuf,
        /// What was expected.
        why: String,
    },
}

/// Imports the Terraform configuration at `path`: a directory of `.tf` files, or a
/// `.json` file written by `terraform show -json`.
pub fn import_terraform(path: &Path) -> Result<Imported, ImportError> {
    let (inventory, source) = if path.is_dir() {
        let has_tf = std::fs::read_dir(path)
            .map_err(|source| ImportError::Io {
                path: path.to_path_buf(),
                source,
            })?
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "tf"));
        if !has_tf {
            return Err(ImportError::NotTerraform {
                path: path.to_path_buf(),
                why: "no .tf file in this directory".into(),
            });
        }
        (tf::read(path)?, "HCL, read statically")
    } else if path.extension().is_some_and(|x| x == "json") {
        (plan::read(path)?, "terraform show -json")
    } else if path.exists() {
        return Err(ImportError::NotTerraform {
            path: path.to_path_buf(),
            why: "give a directory of .tf files or the .json output of `terraform show -json`"
                .into(),
        });
    } else {
        return Err(ImportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not found"),
        });
    };
    let name = path
        .file_stem()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && *n != ".")
        .unwrap_or("imported")
        .to_string();
    let shown = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let draft = map::map(&inventory, &name, &format!("{shown}, {source}"));
    Ok(Imported {
        model: draft.to_toml(),
        defaulted: draft.defaulted(),
        todos: draft.todos(),
        mapped: draft.mapped,
        ignored: draft.ignored,
        warnings: draft.warnings,
    })
}
