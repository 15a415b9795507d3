//! The JSON Schema editors use (docs/drsim-model.schema.json) is generated from the
//! loader's own types; an independent validator finds every bundled model valid and a
//! misspelt one invalid; the loader reports every problem of a model in one run.

use std::fs;
use std::path::{Path, PathBuf};

use drsim::model::load::load_model;
use drsim::model::schema::editor_schema;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn toml_as_json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn bundled_models() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["scenarios", "models"] {
        for entry in fs::read_dir(repo(dir)).unwrap() {
            let path = entry.unwrap().path();
            // `*-space.toml` files are optimize spaces, not models.
            let space = path.to_string_lossy().ends_with("-space.toml");
            if path.extension().is_some_and(|e| e == "toml") && !space {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_shipped_schema_is_the_one_the_loader_generates() {
    let shipped: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(repo("docs/drsim-model.schema.json")).unwrap())
            .unwrap();
    assert!(
        shipped == editor_schema(),
        "docs/drsim-model.schema.json is out of date: run \
         `cargo run --release -- schema > docs/drsim-model.schema.json`"
    );
}

#[test]
fn every_bundled_model_fits_the_schema_and_a_misspelt_one_does_not() {
    let validator = jsonschema::validator_for(&editor_schema()).expect("a valid JSON Schema");
    let files = bundled_models();
    assert!(files.len() >= 8, "{files:?}");
    for path in &files {
        let errors: Vec<String> = validator
            .iter_errors(&toml_as_json(path))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    let misspelt = serde_json::json!({
        "routing": { "health_check_intervall": "10s" },
        "database": { "kind": "auroraa" },
        "simulation": { "horizon": 5 },
    });
    assert_eq!(validator.iter_errors(&misspelt).count(), 3);
}

/// Three mistakes in three tables of one file: one run names all three, each with its
/// line and column, instead of one per run.
#[test]
fn the_loader_reports_every_problem_of_a_model_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    let includes = ["aws-timings.toml", "web-app.toml", "web-app-disasters.toml"]
        .map(|m| format!("'{}'", repo("models").join(m).display()));
    fs::write(
        &path,
        format!(
            "include = [{}]\n\
             [routing]\nhealth_check_intervall = \"10s\"\n\
             [database]\nkind = \"auroraa\"\n\
             [simulation]\nhorizon = 5\n",
            includes.join(", ")
        ),
    )
    .unwrap();
    let error = load_model(&path).unwrap_err();
    let text = error.to_string();
    assert_eq!(error.also.len(), 2, "{text}");
    for (line, says) in [
        (3, "did you mean `health_check_interval`?"),
        (5, "did you mean `aurora`?"),
        (7, "has no unit"),
    ] {
        let place = format!("model.toml:{line}:");
        assert!(
            text.lines().any(|l| l.contains(&place) && l.contains(says)),
            "no line {line} saying {says:?} in:\n{text}"
        );
    }
}
