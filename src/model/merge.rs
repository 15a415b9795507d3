//! Deep-merging TOML tables from several files while remembering which file wrote what,
//! so an error found after merging can still point at the right line.

use std::collections::HashMap;

use toml::{Table, Value};

use super::locate::{Seg, TomlPath};

/// Where a merged value was written: a file (index into the loader's file list) and the
/// path inside that file (differs from the merged path for defaults).
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    /// Index of the file.
    pub file: usize,
    /// Path of the value in that file.
    pub path: TomlPath,
}

/// A merged table and the origin of each of its tables and values.
#[derive(Clone, Debug, Default)]
pub struct Layer {
    /// The merged content.
    pub table: Table,
    /// Origin of every table and value, by merged path (arrays are leaves).
    pub prov: HashMap<TomlPath, Origin>,
}

impl Layer {
    /// A layer holding one file's table.
    pub fn from_file(table: Table, file: usize) -> Layer {
        let mut prov = HashMap::new();
        prov.insert(
            Vec::new(),
            Origin {
                file,
                path: Vec::new(),
            },
        );
        record(&table, &mut Vec::new(), file, &mut prov);
        Layer { table, prov }
    }

    /// Merges `over` on top: tables merge key by key, other values replace. Keys keep
    /// the position they first had, so a scenario overriding a region keeps the region
    /// order of the included file.
    pub fn overlay(&mut self, over: Layer) {
        self.prov.extend(over.prov);
        overlay_tables(&mut self.table, over.table);
    }

    /// Fills the table at `target` with what `defaults` has and it lacks (the target's
    /// own values win). `defaults_path` is the merged path the defaults were read from,
    /// so that errors in a filled-in value point at the default's line.
    pub fn fill_under(&mut self, target: &[Seg], defaults: &Table, defaults_path: &[Seg]) {
        let origins = self.origins_under(defaults_path);
        self.fill_under_with(target, defaults, &origins);
    }

    /// The origins recorded below `path`, each as (path relative to it, origin): what
    /// filling defaults read from `path` copies. Worked out once when the same defaults
    /// fill many tables (every region): scanning every origin per region made loading
    /// quadratic in the number of regions.
    pub fn origins_under(&self, path: &[Seg]) -> Vec<(TomlPath, Origin)> {
        (self.prov.iter())
            .filter(|(p, _)| p.len() > path.len() && p.starts_with(path))
            .map(|(p, origin)| (p[path.len()..].to_vec(), origin.clone()))
            .collect()
    }

    /// [`Layer::fill_under`] with the defaults' origins from [`Layer::origins_under`].
    pub fn fill_under_with(
        &mut self,
        target: &[Seg],
        defaults: &Table,
        origins: &[(TomlPath, Origin)],
    ) {
        let Some(Value::Table(table)) = get_mut(&mut self.table, target) else {
            return;
        };
        let mut merged = defaults.clone();
        overlay_tables(&mut merged, std::mem::take(table));
        *table = merged;
        for (below, origin) in origins {
            let mut moved = target.to_vec();
            moved.extend_from_slice(below);
            self.prov.entry(moved).or_insert_with(|| origin.clone());
        }
    }

    /// The origin of the longest prefix of `path` that has one, and that prefix's length.
    /// With `written_only`, values filled in from defaults are skipped: a missing field
    /// is best reported where the table it belongs to was written.
    pub fn origin(&self, path: &[Seg], written_only: bool) -> Option<(&Origin, usize)> {
        (0..=path.len()).rev().find_map(|len| {
            let origin = self.prov.get(&path[..len])?;
            (!written_only || origin.path == path[..len]).then_some((origin, len))
        })
    }
}

fn record(table: &Table, path: &mut TomlPath, file: usize, prov: &mut HashMap<TomlPath, Origin>) {
    for (key, value) in table {
        path.push(Seg::Key(key.clone()));
        prov.insert(
            path.clone(),
            Origin {
                file,
                path: path.clone(),
            },
        );
        if let Value::Table(inner) = value {
            record(inner, path, file, prov);
        }
        path.pop();
    }
}

fn overlay_tables(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            // A distribution table (`{ dist = ... }`) is one value: mixing the parameters
            // of two distributions would make nonsense, so it replaces whatever was there;
            // so does a range of durations (`{ low = "1m", high = "5m" }`). Factors
            // (`{ low = 0.5, high = 2 }`) merge into the distribution they scale.
            (Some(Value::Table(inner)), Value::Table(over_inner))
                if !replaces_whole(&over_inner) =>
            {
                overlay_tables(inner, over_inner)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Whether a table written over another replaces it rather than merging into it.
pub fn replaces_whole(table: &Table) -> bool {
    let duration = |key: &str| matches!(table.get(key), Some(Value::String(_)));
    table.contains_key("dist") || duration("low") || duration("high") || duration("value")
}

/// The value at a path of keys, if every step is a table.
pub fn get_mut<'a>(table: &'a mut Table, path: &[Seg]) -> Option<&'a mut Value> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(key) = first else { return None };
    let value = table.get_mut(key)?;
    if rest.is_empty() {
        return Some(value);
    }
    match value {
        Value::Table(inner) => get_mut(inner, rest),
        _ => None,
    }
}

/// Writes `value` at a path of keys, creating the tables on the way (a step that is not
/// a table is replaced by one); a value already there is replaced whole.
pub fn set(table: &mut Table, path: &[Seg], value: Value) {
    let Some((Seg::Key(key), rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        table.insert(key.clone(), value);
        return;
    }
    let entry = table
        .entry(key.clone())
        .or_insert_with(|| Value::Table(Table::new()));
    if !entry.is_table() {
        *entry = Value::Table(Table::new());
    }
    if let Value::Table(inner) = entry {
        set(inner, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::locate::keys;

    fn layer(text: &str, file: usize) -> Layer {
        Layer::from_file(text.parse().unwrap(), file)
    }

    #[test]
    fn later_files_override_and_keep_first_order() {
        let mut base = layer("[r.a]\nx = 1\ny = 2\n[r.b]\nx = 3\n", 0);
        base.overlay(layer("[r.b]\nx = 4\n[r.a]\ny = 5\n", 1));
        let order: Vec<&String> = base.table["r"].as_table().unwrap().keys().collect();
        assert_eq!(order, ["a", "b"]);
        assert_eq!(base.table["r"]["a"]["x"].as_integer(), Some(1));
        assert_eq!(base.table["r"]["a"]["y"].as_integer(), Some(5));
        assert_eq!(
            base.origin(&keys(&["r", "a", "y"]), false).unwrap().0.file,
            1
        );
        assert_eq!(
            base.origin(&keys(&["r", "a", "x"]), false).unwrap().0.file,
            0
        );
    }

    #[test]
    fn defaults_fill_only_what_is_missing_and_keep_their_origin() {
        let mut merged = layer("[d]\nx = 1\ny = 2\n[r.a]\ny = 3\n", 0);
        let defaults = merged.table["d"].as_table().unwrap().clone();
        merged.fill_under(&keys(&["r", "a"]), &defaults, &keys(&["d"]));
        assert_eq!(merged.table["r"]["a"]["x"].as_integer(), Some(1));
        assert_eq!(merged.table["r"]["a"]["y"].as_integer(), Some(3));
        let (origin, len) = merged
            .origin(&keys(&["r", "a", "x", "deeper"]), false)
            .unwrap();
        assert_eq!((origin.path.clone(), len), (keys(&["d", "x"]), 3));
        assert_eq!(
            merged
                .origin(&keys(&["r", "a", "y"]), false)
                .unwrap()
                .0
                .path,
            keys(&["r", "a", "y"])
        );
        let (written, len) = merged.origin(&keys(&["r", "a", "x"]), true).unwrap();
        assert_eq!((written.path.clone(), len), (keys(&["r", "a"]), 2));
    }

    #[test]
    fn a_distribution_table_replaces_rather_than_merges() {
        let mut base = layer(
            "t = { dist = \"lognormal\", median = \"1m\", p95 = \"2m\" }\n",
            0,
        );
        base.overlay(layer(
            "t = { dist = \"uniform\", min = \"1m\", max = \"2m\" }\n",
            1,
        ));
        let keys: Vec<&String> = base.table["t"].as_table().unwrap().keys().collect();
        assert_eq!(keys, ["dist", "min", "max"]);
    }
}
