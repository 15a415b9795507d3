//! The JSON Schema of a model file, generated from the loader's own types ([`super::raw`]),
//! and a check of a merged model against it that finds every problem of shape and
//! spelling in one pass (unknown keys, wrong types, unknown choices, bad durations,
//! missing keys), each with its path, before serde stops at the first.
//!
//! Editors take [`editor_schema`] (docs/drsim-model.schema.json, kept in sync by a test):
//! there no key is required, as any may come from an include or a defaults table.

use serde_json::{Map, Value as Json, json};
use toml::Value;

use super::locate::{Seg, TomlPath, unknown_message};
use super::raw::{DATABASE_DEFAULTS, OBJECT_STORAGE_DEFAULTS, RawModel};
use super::units::parse_duration;
use super::validate::Problem;

/// Most problems reported for one model; beyond this the rest are counted, not listed.
pub const MAX_PROBLEMS: usize = 20;

/// The schema of one model file for editors (Taplo, VS Code "Even Better TOML"): the
/// merged model's ([`merged_schema`]) with nothing required.
pub fn editor_schema() -> Json {
    let mut schema = merged_schema();
    strip_required(&mut schema);
    schema
}

/// The schema a merged model (includes and defaults applied) must satisfy; it lists the
/// include list and the defaults tables too (gone once merged), so a misspelt top-level
/// key is matched against every key a file may use.
pub fn merged_schema() -> Json {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<RawModel>();
    let mut schema = serde_json::to_value(schema).expect("a schema is JSON");
    let db = json!({ "$ref": "#/$defs/RawDatabase" });
    let objects = json!({ "$ref": "#/$defs/RawObjectStorage" });
    let extras = [
        (
            "include",
            json!({
                "description": "Files merged under this one, in order (paths relative to this file, or builtin:NAME).",
                "type": "array",
                "items": { "type": "string" },
            }),
        ),
        (
            "region_defaults",
            json!({ "description": "Keys every region gets unless it sets its own.", "$ref": "#/$defs/RawRegion" }),
        ),
        (
            "database_defaults",
            defaults_by_choice(
                "Keys the database gets by its kind and cross_region.",
                &DATABASE_DEFAULTS,
                &db,
            ),
        ),
        (
            "object_storage_defaults",
            defaults_by_choice(
                "Keys object storage gets by its replication.",
                &OBJECT_STORAGE_DEFAULTS,
                &objects,
            ),
        ),
        (
            "backup_defaults",
            json!({ "description": "Keys [backups] gets when the model has backups.", "$ref": "#/$defs/RawBackups" }),
        ),
    ];
    let properties = schema["properties"]
        .as_object_mut()
        .expect("a model is a table");
    for (key, sub) in extras {
        properties.insert(key.into(), sub);
    }
    schema["title"] = json!("drsim model file");
    schema["$id"] = json!("https://github.com/drsim/drsim/docs/drsim-model.schema.json");
    schema
}

/// A table of defaults keyed by the choice they apply to.
fn defaults_by_choice(description: &str, choices: &[&str], each: &Json) -> Json {
    let properties: Map<String, Json> = choices
        .iter()
        .map(|c| (c.to_string(), each.clone()))
        .collect();
    json!({
        "description": description,
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

fn strip_required(schema: &mut Json) {
    match schema {
        Json::Object(map) => {
            map.remove("required");
            map.values_mut().for_each(strip_required);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_required),
        _ => {}
    }
}

/// Every problem of shape and spelling in the merged model `table` (at most
/// [`MAX_PROBLEMS`] listed), with the number found in all.
pub fn problems(table: &toml::Table, schema: &Json) -> (Vec<Problem>, usize) {
    let mut walk = Walk {
        root: schema,
        found: Vec::new(),
        count: 0,
    };
    walk.table(table, schema, &mut Vec::new());
    (walk.found, walk.count)
}

struct Walk<'s> {
    root: &'s Json,
    found: Vec<Problem>,
    count: usize,
}

impl<'s> Walk<'s> {
    fn report(&mut self, path: &TomlPath, message: String) {
        self.count += 1;
        if self.found.len() < MAX_PROBLEMS {
            self.found.push(Problem {
                path: path.clone(),
                message,
            });
        }
    }

    fn resolve(&self, schema: &'s Json) -> &'s Json {
        match schema.get("$ref").and_then(Json::as_str) {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                self.resolve(&self.root["$defs"][name])
            }
            None => schema,
        }
    }

    fn value(&mut self, value: &Value, schema: &'s Json, path: &mut TomlPath) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            return self.any_of(value, branches, path);
        }
        if schema["format"] == "duration" && matches!(value, Value::Integer(_) | Value::Float(_)) {
            return self.report(path, duration(value).unwrap_err());
        }
        if !type_fits(value, schema.get("type")) {
            let expected = describe_type(schema);
            return self.report(path, format!("expected {expected}, found {}", kind(value)));
        }
        if let Some(constant) = schema.get("const")
            && Some(constant) != toml_to_json(value).as_ref()
        {
            self.report(path, format!("expected {constant}"));
        }
        if let (Some(choices), Value::String(text)) = (schema.get("enum"), value) {
            let valid: Vec<&str> = choices
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .collect();
            if !valid.contains(&text.as_str()) {
                self.report(path, unknown_message("value", text, &valid));
            }
        }
        if schema["format"] == "duration"
            && let Err(message) = duration(value)
        {
            self.report(path, message);
        }
        if let (Some(min), Value::Integer(n)) = (schema["minimum"].as_f64(), value)
            && (*n as f64) < min
        {
            self.report(path, format!("`{n}` must be at least {min}"));
        }
        match value {
            Value::Table(table) => self.table(table, schema, path),
            Value::Array(items) => {
                if let Some(item) = schema.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        path.push(Seg::Index(i));
                        self.value(v, item, path);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// Fits if one branch fits. Otherwise the problems of the one branch of the value's
    /// type (a mistyped key inside a distribution table), or what would be valid.
    fn any_of(&mut self, value: &Value, branches: &'s Json, path: &mut TomlPath) {
        let branches: Vec<&Json> = branches
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| self.resolve(b)["type"] != "null")
            .collect();
        if let [only] = branches.as_slice() {
            return self.value(value, only, path);
        }
        let mut typed = Vec::new();
        for branch in &branches {
            let mut trial = Walk {
                root: self.root,
                found: Vec::new(),
                count: 0,
            };
            trial.value(value, branch, &mut path.clone());
            if trial.count == 0 {
                return;
            }
            if type_fits(value, self.resolve(branch).get("type")) {
                typed.push(trial);
            }
        }
        let constants: Vec<&str> = branches
            .iter()
            .filter_map(|b| self.resolve(b).get("const").and_then(Json::as_str))
            .collect();
        if let (Value::String(text), true) = (value, constants.len() == branches.len()) {
            return self.report(path, unknown_message("value", text, &constants));
        }
        if let [only] = typed.as_slice() {
            for problem in &only.found {
                self.report(&problem.path, problem.message.clone());
            }
            return;
        }
        let expected: Vec<String> = branches
            .iter()
            .map(|b| describe_type(self.resolve(b)))
            .collect();
        self.report(
            path,
            format!("expected {}, found {}", expected.join(" or "), kind(value)),
        );
    }

    fn table(&mut self, table: &toml::Table, schema: &'s Json, path: &mut TomlPath) {
        static EMPTY: std::sync::LazyLock<Map<String, Json>> = std::sync::LazyLock::new(Map::new);
        let properties = schema["properties"].as_object().unwrap_or(&EMPTY);
        let extra = schema.get("additionalProperties");
        for (key, value) in table {
            path.push(Seg::Key(key.clone()));
            match (properties.get(key), extra) {
                (Some(sub), _) => self.value(value, sub, path),
                (None, Some(sub)) if sub.is_object() => self.value(value, sub, path),
                (None, Some(Json::Bool(false))) => {
                    let valid: Vec<&str> = properties.keys().map(String::as_str).collect();
                    self.report(path, unknown_message("field", key, &valid));
                }
                (None, _) => {}
            }
            path.pop();
        }
        for key in schema["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap_or_default();
            if !table.contains_key(key) {
                self.report(path, format!("missing field `{key}`"));
            }
        }
    }
}

/// A duration as the loader reads it (see [`super::raw::Duration`]): a string with a
/// unit; a bare number is refused with how to write it.
fn duration(value: &Value) -> Result<f64, String> {
    match value {
        Value::String(text) => parse_duration(text),
        Value::Integer(n) => Err(bare_number(n)),
        Value::Float(x) => Err(bare_number(x)),
        _ => Ok(0.0),
    }
}

fn bare_number(n: impl std::fmt::Display) -> String {
    format!(
        "`{n}` has no unit; write a duration as a string with a unit, e.g. \"{n}s\", \"{n}m\" or \"{n}h\""
    )
}

/// A scalar as JSON, to compare with a schema's `const`.
fn toml_to_json(value: &Value) -> Option<Json> {
    match value {
        Value::String(s) => Some(json!(s)),
        Value::Integer(n) => Some(json!(n)),
        Value::Float(x) => Some(json!(x)),
        Value::Boolean(b) => Some(json!(b)),
        Value::Datetime(_) | Value::Array(_) | Value::Table(_) => None,
    }
}

/// Whether `value` has one of the JSON types `types` allows (an integer is a number).
fn type_fits(value: &Value, types: Option<&Json>) -> bool {
    let Some(types) = types else {
        return true;
    };
    let allowed: Vec<&str> = match types {
        Json::String(t) => vec![t.as_str()],
        Json::Array(ts) => ts.iter().filter_map(Json::as_str).collect(),
        _ => return true,
    };
    let actual = kind(value);
    allowed
        .iter()
        .any(|&t| t == json_type(value) || (t == "number" && actual == "an integer"))
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) | Value::Datetime(_) => "string",
        Value::Integer(_) => "integer",
        Value::Float(_) => "number",
        Value::Boolean(_) => "boolean",
        Value::Array(_) => "array",
        Value::Table(_) => "object",
    }
}

/// The value's TOML kind, as an error names it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Datetime(_) => "a date",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// What a schema accepts, in words: "a duration (e.g. \"30s\")", "one of a, b", "a table".
fn describe_type(schema: &Json) -> String {
    if schema["format"] == "duration" {
        return "a duration with a unit (e.g. \"30s\")".into();
    }
    if let Some(choices) = schema["enum"].as_array() {
        let names: Vec<&str> = choices.iter().filter_map(Json::as_str).collect();
        return format!("one of {}", names.join(", "));
    }
    let types: Vec<&str> = match &schema["type"] {
        Json::String(t) => vec![t.as_str()],
        Json::Array(ts) => ts
            .iter()
            .filter_map(Json::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => vec![],
    };
    let words: Vec<&str> = types
        .iter()
        .map(|t| match *t {
            "string" => "a string",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "a boolean (true or false)",
            "array" => "an array",
            "object" => "a table",
            _ => "a value",
        })
        .collect();
    if words.is_empty() {
        "a value".into()
    } else {
        words.join(" or ")
    }
}
