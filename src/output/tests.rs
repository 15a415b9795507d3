//! The output layer's own tests.

use super::*;

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn writes_the_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/summary.json");
    write_atomically(&path, b"{}").unwrap();
    write_atomically(&path, b"{\"again\": 1}").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"{\"again\": 1}");
    assert_eq!(entries(&dir.path().join("a/b")), ["summary.json"]);
}

#[test]
fn an_uncommitted_file_vanishes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trials.csv");
    let mut file = AtomicFile::create(&path).unwrap();
    file.write_all(b"trial\n").unwrap();
    drop(file);
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn summary_path_keeps_the_scenario_inside_the_output_directory() {
    let out = Path::new("output");
    assert_eq!(
        summary_path(out, "warm-standby_v2.1"),
        Path::new("output/warm-standby_v2.1/summary.json")
    );
    assert_eq!(
        summary_path(out, "prod/eu west"),
        Path::new("output/prod_eu_west/summary.json")
    );
    assert_eq!(
        summary_path(out, ".."),
        Path::new("output/scenario/summary.json")
    );
    assert_eq!(
        summary_path(out, ""),
        Path::new("output/scenario/summary.json")
    );
}

#[test]
fn an_error_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    fs::write(&blocker, "").unwrap();
    let err = write_atomically(&blocker.join("x.json"), b"").unwrap_err();
    assert!(err.to_string().contains("file/x.json"), "{err}");
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_fifo_is_streamed_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    write_atomically(&fifo, b"trial\n1\n").unwrap();
    assert_eq!(reader.join().unwrap(), b"trial\n1\n");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(entries(dir.path()), ["pipe"]);
}

#[test]
fn a_symlink_stays_a_link_and_its_target_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    let target = dir.path().join("real/summary.json");
    fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real/summary.json", &link).unwrap();
    write_atomically(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&target).unwrap(), b"new");
    assert_eq!(entries(&dir.path().join("real")), ["summary.json"]);
    // A dangling link: its target is created.
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink("real/later.json", &dangling).unwrap();
    write_atomically(&dangling, b"x").unwrap();
    assert_eq!(fs::read(dir.path().join("real/later.json")).unwrap(), b"x");
}

#[test]
fn dev_null_stays_a_character_device() {
    use std::os::unix::fs::FileTypeExt;
    write_atomically(Path::new("/dev/null"), b"nothing").unwrap();
    let mut file = AtomicFile::create(Path::new("/dev/null")).unwrap();
    file.write_all(b"rows").unwrap();
    file.commit().unwrap();
    let meta = fs::symlink_metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device());
}

#[test]
fn dev_full_is_a_write_error_not_a_replaced_device() {
    use std::os::unix::fs::FileTypeExt;
    let err = write_atomically(Path::new("/dev/full"), b"x").unwrap_err();
    assert!(err.to_string().contains("/dev/full"), "{err}");
    assert!(
        fs::symlink_metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_directory_at_the_path_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    fs::create_dir(&path).unwrap();
    let err = write_atomically(&path, b"x").unwrap_err();
    assert!(err.source.to_string().contains("is a directory"), "{err:?}");
    assert!(err.source.to_string().contains("report.html"), "{err:?}");
    assert!(check_writable(&path).is_err());
}

#[test]
fn temporary_files_are_recognisable_and_short() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(250);
    let (temp, _file) = TempPath::beside(&dir.path().join(&long), ".tmp").unwrap();
    let name = temp
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with(TEMP_PREFIX), "{name}");
    assert!(name.len() < 100, "{name}");
    drop(temp);
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn check_writable_refuses_too_long_names_and_blocked_directories() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("n".repeat(300)).join("summary.json");
    let err = check_writable(&long).unwrap_err();
    assert!(err.source.to_string().contains("too long"), "{err:?}");
    assert_eq!(err.path, long);
    let name = dir.path().join("y".repeat(300));
    assert!(check_writable(&name).is_err());
    fs::write(dir.path().join("file"), "").unwrap();
    let err = check_writable(&dir.path().join("file/summary.json")).unwrap_err();
    assert!(err.source.to_string().contains("in the way"), "{err:?}");
    check_writable(&dir.path().join("ok/summary.json")).unwrap();
    assert_eq!(entries(&dir.path().join("ok")), Vec::<String>::new());
}

/// A `.drsim-tmp-*` file a killed run left two days ago is removed by the next run into
/// that directory; one written a minute ago (perhaps another run's) stays, and so do
/// other files.
#[test]
fn a_killed_runs_temporary_file_is_removed_by_the_next_run_when_stale() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join(".drsim-tmp-summary.json.abc.tmp");
    let young = dir.path().join(".drsim-tmp-trials.csv.def.tmp");
    let other = dir.path().join("notes.txt");
    for path in [&old, &young, &other] {
        fs::write(path, "x").unwrap();
    }
    let two_days = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_days)
        .unwrap();
    fs::File::options()
        .write(true)
        .open(&other)
        .unwrap()
        .set_modified(two_days)
        .unwrap();
    check_writable(&dir.path().join("summary.json")).unwrap();
    assert!(!old.exists(), "the stale temporary file stays");
    assert!(young.exists() && other.exists());
}
