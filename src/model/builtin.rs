//! Files the `drsim` binary carries, so a model anywhere on disk runs without copying
//! the repository's `models/`: `include = ["builtin:aws-timings"]` takes the sourced AWS
//! timing defaults, and a model whose price catalog is not found on disk is priced with
//! the built-in catalog of its AWS region, `builtin:aws-REGION` (`[cost] catalog` can name one too). A file on disk of the
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

/// Built-in price catalogs, one per AWS region (`builtin:aws-REGION`).
const CATALOGS: [(&str, &str); 7] = [
    (
        "builtin:aws-us-east-1",
        include_str!("../../models/prices/aws-us-east-1.toml"),
    ),
    (
        "builtin:aws-us-east-2",
        include_str!("../../models/prices/aws-us-east-2.toml"),
    ),
    (
        "builtin:aws-us-west-2",
        include_str!("../../models/prices/aws-us-west-2.toml"),
    ),
    (
        "builtin:aws-eu-west-1",
        include_str!("../../models/prices/aws-eu-west-1.toml"),
    ),
    (
        "builtin:aws-eu-central-1",
        include_str!("../../models/prices/aws-eu-central-1.toml"),
    ),
    (
        "builtin:aws-ap-southeast-1",
        include_str!("../../models/prices/aws-ap-southeast-1.toml"),
    ),
    (
        "builtin:aws-ap-northeast-1",
        include_str!("../../models/prices/aws-ap-northeast-1.toml"),
    ),
];

/// The name of the built-in catalog of AWS region `region`, if there is one.
pub fn catalog_for_region(region: &str) -> Option<&'static str> {
    CATALOGS
        .iter()
        .map(|(n, _)| *n)
        .find(|n| n.strip_prefix("builtin:aws-") == Some(region))
}

/// The AWS regions with a built-in catalog.
pub fn catalog_regions() -> Vec<&'static str> {
    CATALOGS
        .iter()
        .filter_map(|(n, _)| n.strip_prefix("builtin:aws-"))
        .collect()
}

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
