//! The one text-table renderer and the one CSV writer behind every table and CSV that
//! drsim prints (summary, cost, comparison).

use std::fmt::Write as _;
use std::io;

/// How a column's cells are padded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// Rows (the header first) as aligned text: every column as wide as its widest cell
/// (in characters), columns two spaces apart, each line after `indent` and without
/// trailing spaces. `align` gives each column's alignment; columns beyond it align
/// right.
pub fn text_table(rows: &[Vec<String>], indent: &str, align: &[Align]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            (rows.iter())
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(indent);
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let w = widths[c];
            match align.get(c).copied().unwrap_or(Align::Right) {
                Align::Left => {
                    let _ = write!(line, "{cell:<w$}");
                }
                Align::Right => {
                    let _ = write!(line, "{cell:>w$}");
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Records (the header first) as CSV bytes: fields quoted only when they must be,
/// lines ending in `\n`.
pub fn csv_bytes<R, F>(records: R) -> io::Result<Vec<u8>>
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(record)?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}

/// [`csv_bytes`] as text; writing to memory cannot fail and the fields are UTF-8.
pub fn csv_text<R, F>(records: R) -> String
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let bytes = csv_bytes(records).expect("writing CSV to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(row: &[&str]) -> Vec<String> {
        row.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn columns_pad_to_the_widest_cell() {
        let rows = [cells(&["name", "n", "x"]), cells(&["a", "1000", ""])];
        let text = text_table(&rows, "  ", &[Align::Left]);
        assert_eq!(text, "  name     n  x\n  a     1000\n");
        let text = text_table(&rows, "", &[Align::Left, Align::Left, Align::Left]);
        assert_eq!(text, "name  n     x\na     1000\n");
    }

    #[test]
    fn widths_count_characters() {
        let rows = [cells(&["é", "b"]), cells(&["ab", "c"])];
        assert_eq!(text_table(&rows, "", &[Align::Left]), "é   b\nab  c\n");
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        let text = csv_text([["a", "b,c"], ["say \"hi\"", ""]]);
        assert_eq!(text, "a,\"b,c\"\n\"say \"\"hi\"\"\",\n");
    }
}
