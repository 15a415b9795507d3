//! The imported model before it is text: TOML tables of keys, each value with why it is
//! there (a Terraform address, a default, a TODO), and the tallies for the summary.

use std::fmt::Write;

/// Why a value is in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Read from Terraform: the address and `file:line` (and how, if not plain).
    From(String),
    /// Not in Terraform: a drsim (or Terraform / AWS) default, and which.
    Default(String),
    /// Needs the user: what to check or add.
    Todo(String),
}

/// One line of a table.
#[derive(Debug, Clone)]
pub enum Line {
    /// `# text`
    Comment(String),
    /// `key = value  # why`; `value` is TOML text.
    Key(String, String, Why),
}

/// A TOML table (`header` None: the top level).
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// `regions.us-east-1.asg`
    pub header: Option<String>,
    /// Its lines, in order.
    pub lines: Vec<Line>,
}

impl Table {
    /// A table named `header`.
    pub fn new(header: &str) -> Table {
        Table {
            header: Some(header.to_string()),
            lines: Vec::new(),
        }
    }

    /// Adds `key = value` with why.
    pub fn key(&mut self, key: &str, value: impl Into<String>, why: Why) {
        self.lines
            .push(Line::Key(key.to_string(), value.into(), why));
    }

    /// Adds a comment line.
    pub fn note(&mut self, text: impl Into<String>) {
        self.lines.push(Line::Comment(text.into()));
    }
}

/// The model being written and what the summary will list.
#[derive(Debug, Default)]
pub struct Draft {
    /// The tables, in file order.
    pub tables: Vec<Table>,
    /// Text appended after the tables (the standard disaster set).
    pub tail: String,
    /// Resources read into the model: `address -> what`.
    pub mapped: Vec<String>,
    /// Resource types drsim does not read, with how many instances.
    pub ignored: Vec<String>,
    /// Warnings for standard error (regions guessed, things not followed).
    pub warnings: Vec<String>,
}

impl Draft {
    /// Keys whose value is a default.
    pub fn defaulted(&self) -> Vec<String> {
        self.keys_where(|w| matches!(w, Why::Default(_)))
    }

    /// Keys and comments that need the user.
    pub fn todos(&self) -> Vec<String> {
        let mut todos = self.keys_where(|w| matches!(w, Why::Todo(_)));
        for table in &self.tables {
            for line in &table.lines {
                if let Line::Comment(text) = line
                    && let Some(todo) = text.strip_prefix("TODO: ")
                {
                    todos.push(format!(
                        "{}: {todo}",
                        table.header.as_deref().unwrap_or("top level")
                    ));
                }
            }
        }
        todos
    }

    fn keys_where(&self, pick: impl Fn(&Why) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        for table in &self.tables {
            for line in &table.lines {
                if let Line::Key(key, _, why) = line
                    && pick(why)
                {
                    let path = match &table.header {
                        Some(h) => format!("{h}.{key}"),
                        None => key.clone(),
                    };
                    let text = match why {
                        Why::Default(t) | Why::Todo(t) | Why::From(t) => t,
                    };
                    out.push(format!("{path}: {text}"));
                }
            }
        }
        out
    }

    /// The model as commented TOML.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for table in &self.tables {
            if let Some(header) = &table.header {
                let _ = writeln!(out, "\n[{header}]");
            }
            for line in &table.lines {
                match line {
                    Line::Comment(text) => {
                        let _ = writeln!(out, "# {text}");
                    }
                    Line::Key(key, value, why) => {
                        let why = match why {
                            Why::From(c) => format!("from {c}"),
                            Why::Default(t) => format!("default: {t}"),
                            Why::Todo(t) => format!("TODO: {t}"),
                        };
                        let _ = writeln!(out, "{key} = {value}   # {why}");
                    }
                }
            }
        }
        if !self.tail.is_empty() {
            let _ = write!(out, "\n{}", self.tail);
        }
        out
    }
}

/// A TOML string literal.
pub fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A TOML array of strings.
pub fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}
