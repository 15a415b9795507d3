//! Finding where a TOML path is written in a file, so errors can say `file:line:col`.

use std::ops::Range;

use toml_edit::{Document, Item, Value};

/// One step of a TOML path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A key of a table.
    Key(String),
    /// An index into an array.
    Index(usize),
}

/// A path from the document root, e.g. `regions.us-east-1.asg.min`.
pub type TomlPath = Vec<Seg>;

/// Builds a path of keys.
pub fn keys(parts: &[&str]) -> TomlPath {
    parts.iter().map(|p| Seg::Key((*p).to_string())).collect()
}

/// Formats a path the way it would be written in TOML: `regions.us-east-1.azs[1]`.
pub fn format_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                if is_bare_key(key) {
                    out.push_str(key);
                } else {
                    out.push_str(&format!("{key:?}"));
                }
            }
            Seg::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// Reads back a path written by [`format_path`] (keys only): `cost.overrides."ec2.m5.large"`.
pub fn parse_path(text: &str) -> TomlPath {
    let mut path = Vec::new();
    let mut key = String::new();
    let mut chars = text.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') | (true, '"') => quoted = !quoted,
            (true, '\\') => key.extend(chars.next()),
            (false, '.') => path.push(Seg::Key(std::mem::take(&mut key))),
            (_, c) => key.push(c),
        }
    }
    path.push(Seg::Key(key));
    path
}

fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Where a located error is: `:line:col` when known, then `: field` when known; what
/// follows the file name in `file:line:col: field: message`.
pub fn place(line_col: Option<(usize, usize)>, field: Option<&str>) -> String {
    let mut text = String::new();
    if let Some((line, col)) = line_col {
        text.push_str(&format!(":{line}:{col}"));
    }
    if let Some(field) = field {
        text.push_str(": ");
        text.push_str(field);
    }
    text
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The candidate closest to a misspelt `word`, if one is close enough to be a likely
/// typo (Jaro-Winkler similarity of at least 0.8): the "did you mean" of every error.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Where `path` is written in `text`: the deepest step of the path that the file spells
/// out (a missing field points at its parent table). `None` if not even the first step
/// is in the file or the file does not parse.
pub fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let doc = Document::parse(text).ok()?;
    let span = deepest_span(Node::Item(doc.as_item()), path)?;
    Some(line_col(text, span.start))
}

/// A place in the parsed document: table entries are items, array elements are values,
/// elements of an array of tables (`[[knob]]` in a space file) are tables.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Value(&'a Value),
    Table(&'a toml_edit::Table),
}

fn deepest_span(mut node: Node<'_>, path: &[Seg]) -> Option<Range<usize>> {
    let mut best = None;
    for seg in path {
        let Some((span, next)) = step(node, seg) else {
            break;
        };
        best = span.or(best);
        node = next;
    }
    best
}

/// One step down; the span is the key's (for a table entry) or the element's.
fn step<'a>(node: Node<'a>, seg: &Seg) -> Option<(Option<Range<usize>>, Node<'a>)> {
    match (seg, node) {
        (Seg::Key(key), Node::Item(Item::Table(table))) | (Seg::Key(key), Node::Table(table)) => {
            let (k, item) = table.get_key_value(key)?;
            Some((k.span().or_else(|| item.span()), Node::Item(item)))
        }
        (Seg::Key(key), Node::Item(Item::Value(Value::InlineTable(table))))
        | (Seg::Key(key), Node::Value(Value::InlineTable(table))) => {
            let (k, item) = table.get_key_value(key)?;
            Some((k.span().or_else(|| item.span()), Node::Item(item)))
        }
        (Seg::Index(i), Node::Item(Item::Value(Value::Array(array))))
        | (Seg::Index(i), Node::Value(Value::Array(array))) => {
            let value = array.get(*i)?;
            Some((value.span(), Node::Value(value)))
        }
        (Seg::Index(i), Node::Item(Item::ArrayOfTables(array))) => {
            let table = array.get(*i)?;
            Some((table.span(), Node::Table(table)))
        }
        _ => None,
    }
}

/// "unknown field `x`; did you mean `y`? (valid: a, b)".
pub fn unknown_message(what: &str, name: &str, valid: &[&str]) -> String {
    let mut message = format!("unknown {what} `{name}`");
    if let Some(close) = closest(name, valid.iter().copied()) {
        message.push_str(&format!("; did you mean `{close}`?"));
    }
    if valid.is_empty() {
        message.push_str(" (nothing is allowed here)");
    } else {
        message.push_str(&format!(" (valid: {})", valid.join(", ")));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"x\"\n\n[regions.us-east-1]\nazs = [\"a\", \"b\"]\nasg = { min = 1, max = 2 }\n\n[regions.us-east-1.alb]\ninterval = \"30s\"\n";

    #[test]
    fn finds_keys_in_headers_inline_tables_and_arrays() {
        assert_eq!(locate(TEXT, &keys(&["name"])), Some((1, 1)));
        assert_eq!(
            locate(TEXT, &keys(&["regions", "us-east-1", "asg", "max"])),
            Some((5, 18))
        );
        let mut azs = keys(&["regions", "us-east-1", "azs"]);
        azs.push(Seg::Index(1));
        assert_eq!(locate(TEXT, &azs), Some((4, 13)));
        assert_eq!(
            locate(TEXT, &keys(&["regions", "us-east-1", "alb", "interval"])),
            Some((8, 1))
        );
    }

    #[test]
    fn a_missing_key_points_at_its_parent() {
        let path = keys(&["regions", "us-east-1", "alb", "nope"]);
        assert_eq!(locate(TEXT, &path), locate(TEXT, &path[..3]));
        assert!(locate(TEXT, &path[..3]).is_some());
    }

    #[test]
    fn formats_paths_like_toml() {
        let mut path = keys(&["regions", "us-east-1", "a.b"]);
        path.push(Seg::Index(2));
        assert_eq!(format_path(&path), "regions.us-east-1.\"a.b\"[2]");
    }

    #[test]
    fn parse_path_reads_back_format_path() {
        let path = keys(&["cost", "overrides", "eu-west-1", "ec2.m5.large"]);
        assert_eq!(parse_path(&format_path(&path)), path);
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("é = 1\nab", 8), (2, 2));
        assert_eq!(line_col("abc", 99), (1, 4));
    }
}
