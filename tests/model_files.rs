//! The bundled model files load, and bad model files fail with errors that name the place.

use std::path::{Path, PathBuf};

use drsim::model::load::{LoadError, load_model};
use drsim::model::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn scenario(name: &str) -> Model {
    let path = repo(&format!("scenarios/{name}.toml"));
    load_model(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bundled_scenarios_load() {
    for name in [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "active-active",
        "hybrid-onprem",
    ] {
        let model = scenario(name);
        assert_eq!(model.name, name);
        println!("{}", drsim::model::describe::summary(&model));
    }
}
