//! Writing a model back with some values changed (`drsim optimize --emit`): the top
//! file's text with each value set where it is written (or added to it), comments and
//! layout kept; includes re-pointed when the new file lives in another directory.

use std::path::{Component, Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, Value};

use super::builtin;
use super::load::LoadError;
use super::locate::{Seg, TomlPath, line_col};
use super::merge::replaces_whole;
use super::read::read_text;

/// The text of `model_file` with each `(path, value)` of `changes` written in it, as a
/// file to be saved at `out`. A value set in the top file wins over its includes and is
/// applied before the defaults, as `optimize` applied it, so the new file loads to the
/// same model. Relative `include` entries are rewritten relative to `out`'s directory.
pub fn edited(
    model_file: &Path,
    out: &Path,
    changes: &[(TomlPath, toml::Value)],
) -> Result<String, LoadError> {
    let fail = |line_col: Option<(usize, usize)>, message: String| LoadError {
        file: model_file.to_path_buf(),
        line_col,
        field: None,
        message,
        also: Box::default(),
        unlisted: 0,
    };
    let text =
        read_text(model_file).map_err(|e| fail(None, format!("cannot read this file: {e}")))?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        fail(
            e.span().map(|s| line_col(&text, s.start)),
            format!("TOML syntax error: {}", e.message().trim()),
        )
    })?;
    for (path, value) in changes {
        write(doc.as_table_mut(), path.clone(), value);
    }
    repoint_includes(&mut doc, model_file, out);
    Ok(doc.to_string())
}

/// Writes `value` at `path`: a table key by key (as the loader merges it), anything
/// else (a distribution too) whole.
fn write(doc: &mut Table, path: TomlPath, value: &toml::Value) {
    match value {
        toml::Value::Table(table) if !replaces_whole(table) => {
            for (key, inner) in table {
                let mut deeper = path.clone();
                deeper.push(Seg::Key(key.clone()));
                write(doc, deeper, inner);
            }
        }
        _ => set(doc, &path, edit_value(value)),
    }
}

/// A `toml` value as a `toml_edit` one (tables inline).
fn edit_value(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        // Models refuse dates; a knob holding one is refused when its candidate loads.
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(edit_value).collect()),
        toml::Value::Table(table) => {
            let mut inline = toml_edit::InlineTable::new();
            for (k, v) in table {
                inline.insert(k, edit_value(v));
            }
            Value::InlineTable(inline)
        }
    }
}

/// Sets `value` at `path` under `table`, through headers, dotted keys and inline tables,
/// creating what is missing; a replaced value keeps its comments.
fn set(table: &mut Table, path: &[Seg], value: Value) {
    let Some((Seg::Key(key), rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        replace(table.entry(key).or_insert(Item::None), value);
        return;
    }
    let item = table.entry(key).or_insert_with(|| {
        let mut new = Table::new();
        new.set_implicit(true);
        Item::Table(new)
    });
    set_in_item(item, rest, value);
}

fn set_in_item(item: &mut Item, path: &[Seg], value: Value) {
    match item {
        Item::Table(table) => set(table, path, value),
        Item::Value(Value::InlineTable(inline)) => set_inline(inline, path, value),
        other => {
            let mut new = Table::new();
            new.set_implicit(true);
            set(&mut new, path, value);
            *other = Item::Table(new);
        }
    }
}

fn set_inline(table: &mut toml_edit::InlineTable, path: &[Seg], value: Value) {
    let Some((Seg::Key(key), rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match table.get_mut(key) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = value;
                *old.decor_mut() = decor;
            }
            None => {
                table.insert(key, value);
            }
        }
        return;
    }
    let entry = table
        .entry(key)
        .or_insert_with(|| Value::InlineTable(toml_edit::InlineTable::new()));
    if !entry.is_inline_table() {
        *entry = Value::InlineTable(toml_edit::InlineTable::new());
    }
    if let Value::InlineTable(inner) = entry {
        set_inline(inner, rest, value);
    }
}

/// Replaces the value of `item`, keeping the old value's comments and spacing.
fn replace(item: &mut Item, mut value: Value) {
    if let Item::Value(old) = item {
        *value.decor_mut() = old.decor().clone();
    }
    *item = Item::Value(value);
}

/// Rewrites relative include paths of a file moving from `from`'s directory to `to`'s.
fn repoint_includes(doc: &mut DocumentMut, from: &Path, to: &Path) {
    let (Some(from_dir), Some(to_dir)) = (absolute_dir(from), absolute_dir(to)) else {
        return;
    };
    if from_dir == to_dir {
        return;
    }
    let Some(Item::Value(Value::Array(includes))) = doc.get_mut("include") else {
        return;
    };
    for entry in includes.iter_mut() {
        let Some(path) = entry.as_str() else { continue };
        if builtin::is_builtin(path) || Path::new(path).is_absolute() {
            continue;
        }
        let target = from_dir.join(path);
        let target = target.canonicalize().unwrap_or(target);
        let rewritten = relative(&target, &to_dir).display().to_string();
        let decor = entry.decor().clone();
        *entry = Value::from(rewritten);
        *entry.decor_mut() = decor;
    }
}

/// The absolute, canonical directory of `file` (which need not exist yet).
fn absolute_dir(file: &Path) -> Option<PathBuf> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.canonicalize().ok()
}

/// `target` relative to the directory `base` (both absolute).
fn relative(target: &Path, base: &Path) -> PathBuf {
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for part in &t[common..] {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::locate::keys;

    fn apply(text: &str, path: &[&str], value: toml::Value) -> String {
        let mut doc: DocumentMut = text.parse().unwrap();
        set(doc.as_table_mut(), &keys(path), edit_value(&value));
        doc.to_string()
    }

    #[test]
    fn sets_inside_inline_tables_keeping_comments() {
        let text = "[a]\nw = { size = 4, state = \"stopped\" }   # why\n";
        let out = apply(text, &["a", "w", "size"], toml::Value::Integer(2));
        assert_eq!(out, "[a]\nw = { size = 2, state = \"stopped\" }   # why\n");
    }

    #[test]
    fn replaces_a_value_keeping_its_comment_and_adds_missing_tables() {
        let text = "# top\n[r]\nttl = \"60s\"   # sourced\n";
        let out = apply(text, &["r", "ttl"], toml::Value::String("30s".into()));
        assert_eq!(out, "# top\n[r]\nttl = \"30s\"   # sourced\n");
        let out = apply(text, &["b", "every"], toml::Value::String("1h".into()));
        let back: toml::Table = out.parse().unwrap();
        assert_eq!(back["b"]["every"].as_str(), Some("1h"));
        assert!(
            out.starts_with("# top\n[r]\nttl = \"60s\"   # sourced\n"),
            "{out}"
        );
    }

    #[test]
    fn relative_paths_climb_to_the_common_directory() {
        let path = relative(Path::new("/w/models/a.toml"), Path::new("/w/out/x"));
        assert_eq!(path, PathBuf::from("../../models/a.toml"));
    }
}
