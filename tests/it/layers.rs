//! The source layout: `src/` holds `lib.rs`, `main.rs` and folders; each library folder
//! uses only the folders below it, and the modules inside a folder form no cycle. Read
//! from the source text (every `crate::` and `super::` path outside comments), so a new
//! `use` that breaks the layering fails here, before anyone reads the code.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The library's folders from the bottom up. A folder may use those before it; `model`
/// and `output` are both leaves and may not use each other.
const LAYERS: &[(&str, u32)] = &[
    ("model", 0),
    ("output", 0),
    ("sim", 1),
    // Reads Terraform into model text; uses model (the built-in files) only.
    ("import", 1),
    ("run", 2),
    ("analysis", 3),
    ("present", 4),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/`: `sim/trial/mod.rs` -> `[sim, trial]`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without its comment lines.
fn code(file: &Path) -> String {
    fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Identifiers following `prefix` (`crate::`), including each item of a `{a, b::c}` group.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    found.push(name.to_string());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

fn rank(folder: &str) -> Option<u32> {
    LAYERS.iter().find(|(name, _)| *name == folder).map(|l| l.1)
}

#[test]
fn src_top_level_holds_only_lib_main_and_folders() {
    let mut loose = Vec::new();
    for entry in fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_file() && name != "lib.rs" && name != "main.rs" {
            loose.push(name);
        }
    }
    assert!(loose.is_empty(), "loose files in src/: {loose:?}");
}

#[test]
fn each_library_folder_uses_only_the_folders_below_it() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong = BTreeSet::new();
    for file in &files {
        let module = module_of(file);
        let Some(own) = rank(&module[0]) else {
            continue; // lib.rs, main.rs and the binary's cli/ may use anything
        };
        for used in paths_after(&code(file), "crate::") {
            let Some(other) = rank(&used) else { continue };
            if used != module[0] && other >= own {
                wrong.insert(format!("{} uses {used}", module.join("/")));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{wrong:#?}");
}

#[test]
fn modules_inside_a_folder_form_no_cycle() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    // folder -> module -> modules of the same folder it uses
    let mut graphs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        if module.len() < 2 || rank(&module[0]).is_none() {
            continue;
        }
        let (folder, own) = (module[0].clone(), module[1].clone());
        let text = code(file);
        let mut used: Vec<String> = paths_after(&text, &format!("crate::{folder}::"));
        if module.len() == 2 {
            used.extend(paths_after(&text, "super::"));
        }
        let edges = graphs
            .entry(folder)
            .or_default()
            .entry(own.clone())
            .or_default();
        edges.extend(used.into_iter().filter(|u| *u != own && u != "tests"));
    }
    for (folder, graph) in &graphs {
        if let Some(cycle) = find_cycle(graph) {
            panic!("modules of {folder}/ form a cycle: {}", cycle.join(" -> "));
        }
    }
}

/// A cycle in `graph`, as the modules along it, if there is one (depth-first search).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_readme_architecture_map_lists_every_folder() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for entry in fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                readme.contains(&format!("`src/{name}/`")),
                "README.md does not list src/{name}/"
            );
        }
    }
}

/// The checker itself: a cycle and a layering break are found in made-up graphs.
#[test]
fn the_checker_finds_a_cycle_and_reads_grouped_imports() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), ["b".into()].into());
    graph.insert("b".into(), ["c".into()].into());
    assert!(find_cycle(&graph).is_none());
    graph.insert("c".into(), ["a".into()].into());
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    let used = paths_after(
        "use crate::{sim::trial, run::stats};\nx::crate::no",
        "crate::",
    );
    assert_eq!(used, ["sim", "run"]);
}
