//! The model loader on arbitrary bytes: it may refuse them, with a located error, but
//! never panic or hang. The bytes are the top model file; its includes are resolved
//! relative to a fresh temporary directory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("model.toml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Err(error) = drsim::model::load::load_model(&path) {
        // Every refusal names the file.
        assert!(!error.file.as_os_str().is_empty(), "{error}");
    }
});
