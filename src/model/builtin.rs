//! Files the `drsim` binary carries, so a model anywhere on disk runs without copying
//! the repository's `models/`: `include = ["builtin:aws-timings"]` takes the sourced AWS
//! timing defaults, and a model whose price catalog is not found on disk is priced with
//! `builtin:aws-us-east-1` (its `[cost] catalog` can name it too). A file on disk of the
//! same content is the same model: the bytes are the repository's.

/// The prefix that names a built-in file.
pub const PREFIX: &str = "builtin:";

/// Built-in model files: the sourced AWS timing defaults and the bundled two-region web
/// application with its disasters (to start from).
const MODELS: [(&str, &str); 3] = [
    (
        "builtin:aws-timings",
        include_str!("../../models/aws-timings.toml"),
    ),
    ("builtin:web-app", include_str!("../../models/web-app.toml")),
    (
        "builtin:web-app-disasters",
        include_str!("../../models/web-app-disasters.toml"),
    ),
];

/// Built-in price catalogs.
const CATALOGS: [(&str, &str); 1] = [(
    "builtin:aws-us-east-1",
    include_str!("../../models/prices/aws-us-east-1.toml"),
)];

/// The catalog a model is priced with when none is given and none is found on disk.
pub const DEFAULT_CATALOG: &str = "builtin:aws-us-east-1";

/// Whether `name` (an include or catalog entry) names a built-in file.
pub fn is_builtin(name: &str) -> bool {
    name.starts_with(PREFIX)
}

fn find(table: &[(&str, &'static str)], path: &std::path::Path) -> Option<&'static str> {
    let name = path.to_str()?;
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The text of the built-in model file `path` names, if it names one.
pub fn model_text(path: &std::path::Path) -> Option<&'static str> {
    find(&MODELS, path)
}

/// The text of the built-in catalog `path` names, if it names one.
pub fn catalog_text(path: &std::path::Path) -> Option<&'static str> {
    find(&CATALOGS, path)
}

/// The names of every built-in file, for error messages.
pub fn names() -> Vec<&'static str> {
    MODELS.iter().chain(&CATALOGS).map(|(n, _)| *n).collect()
}
