//! Reads a directory of `.tf` files statically: literal values, variable defaults (and
//! `terraform.tfvars` / `*.auto.tfvars` at the root), locals, references to other
//! resources' literal arguments, a literal `count` (and `for_each` over a literal map or
//! set), and modules with a local `source` (their inputs become the module's variables).
//! Anything else is kept as its expression, for a TODO.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl::edit::Span;
use hcl::edit::structure::{Block, Body, Structure};
use hcl::eval::{Context, Evaluate, FuncDef, ParamType};
use serde_json::Value;

use super::ImportError;
use super::inventory::{Inventory, Placement, Resource};

/// Modules nested deeper than this are not followed (a module that sources itself).
const MAX_DEPTH: usize = 16;

/// Arguments Terraform itself reads, not the provider: never part of a resource's body.
const META: [&str; 5] = ["count", "for_each", "provider", "depends_on", "lifecycle"];

/// Reads every `.tf` file of `root` and of the local modules it calls.
pub fn read(root: &Path) -> Result<Inventory, ImportError> {
    let mut reader = Reader {
        root: root.to_path_buf(),
        inventory: Inventory::default(),
        providers: BTreeMap::new(),
    };
    let scope = Scope {
        dir: root.to_path_buf(),
        prefix: String::new(),
        inputs: None,
        provider_map: BTreeMap::new(),
        depth: 0,
    };
    reader.module(&scope)?;
    Ok(reader.inventory)
}

/// One parsed `.tf` file.
struct File {
    /// Its path from the root directory, as comments cite it.
    name: String,
    text: String,
    body: Body,
}

impl File {
    fn parse(path: &Path, name: String) -> Result<File, ImportError> {
        let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let body = hcl::edit::parser::parse_body(&text).map_err(|e| ImportError::Syntax {
            file: path.to_path_buf(),
            line: e.location().line(),
            column: e.location().column(),
            message: e.message().to_string(),
        })?;
        Ok(File { name, text, body })
    }

    /// `file:line` of a byte offset.
    fn at(&self, span: Option<std::ops::Range<usize>>) -> String {
        let offset = span.map_or(0, |s| s.start).min(self.text.len());
        let line = self.text[..offset].matches('\n').count() + 1;
        format!("{}:{line}", self.name)
    }

    /// The source text of a span, on one line and shortened for a comment.
    fn snippet(&self, span: Option<std::ops::Range<usize>>) -> String {
        let text = span
            .and_then(|s| self.text.get(s))
            .unwrap_or("?")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if text.chars().count() > 70 {
            format!("{}...", text.chars().take(67).collect::<String>())
        } else {
            text
        }
    }
}

/// A module being read: where, under which address prefix, with which inputs and which
/// providers (its own provider names -> the root's).
struct Scope {
    dir: PathBuf,
    prefix: String,
    /// The caller's arguments (a module), or None at the root (tfvars apply instead).
    inputs: Option<hcl::Map<String, hcl::Value>>,
    provider_map: BTreeMap<String, String>,
    depth: usize,
}

/// A provider configuration of the root module.
struct Provider {
    region: Option<String>,
    /// Where it is declared and how its region was found.
    how: String,
}

struct Reader {
    root: PathBuf,
    inventory: Inventory,
    /// `aws`, `aws.west` -> its configuration.
    providers: BTreeMap<String, Provider>,
}

impl Reader {
    fn module(&mut self, scope: &Scope) -> Result<(), ImportError> {
        let files = self.files(&scope.dir)?;
        let vars = self.variables(&files, scope)?;
        let locals = locals(&files, &vars);
        let mut base = Context::new();
        declare_functions(&mut base);
        base.declare_var("var", hcl::Value::Object(vars));
        base.declare_var("local", hcl::Value::Object(locals));
        if scope.depth == 0 {
            self.read_providers(&files, &base);
        }
        self.resources(&files, &base, scope);
        self.modules(&files, &base, scope)
    }

    /// The `.tf` files of `dir`, in name order.
    fn files(&self, dir: &Path) -> Result<Vec<File>, ImportError> {
        let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "tf"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| File::parse(p, self.display(p)))
            .collect()
    }

    fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned()
    }

    /// Variable values: the caller's inputs (a module) or tfvars (the root) over defaults.
    fn variables(
        &self,
        files: &[File],
        scope: &Scope,
    ) -> Result<hcl::Map<String, hcl::Value>, ImportError> {
        let empty = Context::new();
        let mut vars = hcl::Map::new();
        for block in blocks(files, "variable") {
            let (Some(name), Some(default)) =
                (label(block.1, 0), block.1.body.get_attribute("default"))
            else {
                continue;
            };
            if let Ok(v) = hcl::Expression::from(default.value.clone()).evaluate(&empty) {
                vars.insert(name.to_string(), v);
            }
        }
        match &scope.inputs {
            Some(inputs) => vars.extend(inputs.clone()),
            None => vars.extend(self.tfvars(&scope.dir)?),
        }
        Ok(vars)
    }

    /// `terraform.tfvars` then `*.auto.tfvars` (name order), as Terraform loads them.
    fn tfvars(&self, dir: &Path) -> Result<hcl::Map<String, hcl::Value>, ImportError> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|source| ImportError::Io {
                path: dir.to_path_buf(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".auto.tfvars"))
            })
            .collect();
        paths.sort();
        let main = dir.join("terraform.tfvars");
        if main.is_file() {
            paths.insert(0, main);
        }
        let empty = Context::new();
        let mut vars = hcl::Map::new();
        for path in paths {
            let file = File::parse(&path, self.display(&path))?;
            for attr in file.body.attributes() {
                if let Ok(v) = hcl::Expression::from(attr.value.clone()).evaluate(&empty) {
                    vars.insert(attr.key.to_string(), v);
                }
            }
        }
        Ok(vars)
    }

    fn read_providers(&mut self, files: &[File], ctx: &Context) {
        for (file, block) in blocks(files, "provider") {
            if label(block, 0) != Some("aws") {
                continue;
            }
            let alias = block
                .body
                .get_attribute("alias")
                .and_then(|a| hcl::Expression::from(a.value.clone()).evaluate(ctx).ok())
                .and_then(|v| v.as_str().map(str::to_string));
            let key = alias.map_or_else(|| "aws".to_string(), |a| format!("aws.{a}"));
            let at = file.at(block.span());
            let (region, how) = match block.body.get_attribute("region") {
                None => (
                    None,
                    format!(
                        "provider {key} ({at}) sets no region: it comes from the environment (AWS_REGION) at apply time"
                    ),
                ),
                Some(attr) => {
                    let text = file.snippet(attr.value.span());
                    match hcl::Expression::from(attr.value.clone()).evaluate(ctx) {
                        Ok(hcl::Value::String(r)) if text.trim_matches('"') == r => {
                            (Some(r), format!("provider {key} ({at})"))
                        }
                        Ok(hcl::Value::String(r)) => {
                            (Some(r), format!("provider {key} ({at}), region = {text}"))
                        }
                        _ => (
                            None,
                            format!(
                                "provider {key} ({at}): region = {text} cannot be resolved statically"
                            ),
                        ),
                    }
                }
            };
            self.providers.insert(key, Provider { region, how });
        }
    }

    /// Every resource instance of the module, its references to others resolved as far as
    /// their literal arguments go (three passes: a reference to a reference resolves).
    fn resources(&mut self, files: &[File], base: &Context, scope: &Scope) {
        let mut known: BTreeMap<String, hcl::Map<String, hcl::Value>> = BTreeMap::new();
        let mut read = Vec::new();
        for _pass in 0..3 {
            let mut ctx = base.clone();
            for (kind, by_name) in &known {
                ctx.declare_var(kind.as_str(), hcl::Value::Object(by_name.clone()));
            }
            read.clear();
            let mut next: BTreeMap<String, hcl::Map<String, hcl::Value>> = BTreeMap::new();
            for (file, block) in blocks(files, "resource") {
                let (Some(kind), Some(name)) = (label(block, 0), label(block, 1)) else {
                    continue;
                };
                let unit = Unit {
                    file,
                    block,
                    kind,
                    address: format!("{}{kind}.{name}", scope.prefix),
                    at: file.at(block.span()),
                };
                let value = self.instances(&unit, &ctx, scope, &mut read);
                next.entry(kind.to_string())
                    .or_default()
                    .insert(name.to_string(), value);
            }
            known = next;
        }
        for item in read {
            match item {
                Ok(resource) => self.inventory.resources.push(resource),
                Err(note) => self.inventory.notes.push(note),
            }
        }
    }

    /// The instances of one resource block (count / for_each expanded), pushed to `out`;
    /// returns their values as other resources see them (a list for count, a map for
    /// for_each).
    fn instances(
        &self,
        unit: &Unit,
        ctx: &Context,
        scope: &Scope,
        out: &mut Vec<Result<Resource, String>>,
    ) -> hcl::Value {
        let eval = |key: &str| {
            unit.block
                .body
                .get_attribute(key)
                .map(|a| hcl::Expression::from(a.value.clone()).evaluate(ctx))
        };
        match (eval("count"), eval("for_each")) {
            (Some(Ok(hcl::Value::Number(n))), _) => {
                let n = n.as_u64().unwrap_or(0);
                let list = (0..n)
                    .map(|i| {
                        let mut inner = ctx.clone();
                        inner.declare_var("count", object([("index", hcl::Value::from(i))]));
                        self.emit(unit, &inner, scope, format!("{}[{i}]", unit.address), out)
                    })
                    .collect();
                hcl::Value::Array(list)
            }
            (None, Some(Ok(each))) if each_items(&each).is_some() => {
                let mut map = hcl::Map::new();
                for (key, value) in each_items(&each).unwrap_or_default() {
                    let mut inner = ctx.clone();
                    inner.declare_var(
                        "each",
                        object([("key", hcl::Value::from(key.clone())), ("value", value)]),
                    );
                    let v = self.emit(
                        unit,
                        &inner,
                        scope,
                        format!("{}[{key:?}]", unit.address),
                        out,
                    );
                    map.insert(key, v);
                }
                hcl::Value::Object(map)
            }
            (count, each) => {
                let meta = if count.is_some() { "count" } else { "for_each" };
                if count.is_some() || each.is_some() {
                    out.push(Err(format!(
                        "{} ({}): {meta} = {} cannot be resolved statically; read as one instance",
                        unit.address,
                        unit.at,
                        unit.snippet(meta)
                    )));
                }
                let v = self.emit(unit, ctx, scope, unit.address.clone(), out);
                if count.is_some() {
                    hcl::Value::Array(vec![v])
                } else {
                    v
                }
            }
        }
    }

    /// One instance: read, pushed to `out`, and its value for references.
    fn emit(
        &self,
        unit: &Unit,
        ctx: &Context,
        scope: &Scope,
        address: String,
        out: &mut Vec<Result<Resource, String>>,
    ) -> hcl::Value {
        let r = self.instance(unit, ctx, scope, address);
        let v = hcl::Value::Object(json_to_hcl(&r.body));
        out.push(Ok(r));
        v
    }

    fn instance(&self, unit: &Unit, ctx: &Context, scope: &Scope, address: String) -> Resource {
        let mut resource = Resource {
            kind: unit.kind.to_string(),
            address,
            at: unit.at.clone(),
            region: Placement {
                region: None,
                how: String::new(),
            },
            body: serde_json::Map::new(),
            unknown: BTreeMap::new(),
            refs: BTreeMap::new(),
        };
        let index = resource
            .address
            .strip_suffix(']')
            .and_then(|a| a.rsplit('[').next())
            .and_then(|i| i.parse().ok());
        let mut read = BodyReader {
            file: unit.file,
            ctx,
            prefix: &scope.prefix,
            index,
            resource: &mut resource,
        };
        let body = read.body(&unit.block.body, "", true);
        resource.body = body;
        resource.region = self.placement(unit, scope, &resource);
        resource
    }

    /// The region of a resource: its own `region` argument (AWS provider 6), else its
    /// `provider`, else the default provider, each said.
    fn placement(&self, unit: &Unit, scope: &Scope, resource: &Resource) -> Placement {
        if let Some(region) = resource.str("/region") {
            return Placement {
                region: Some(region),
                how: "its own region argument".into(),
            };
        }
        let written = unit
            .block
            .body
            .get_attribute("provider")
            .map(|a| unit.file.snippet(a.value.span()));
        let local = written.clone().unwrap_or_else(|| "aws".into());
        let key = scope.provider_map.get(&local).cloned().unwrap_or(local);
        let Some(provider) = self.providers.get(&key) else {
            return Placement {
                region: None,
                how: format!(
                    "provider {key} is not declared: the region comes from the environment (AWS_REGION) at apply time"
                ),
            };
        };
        let how = match written {
            Some(w) => format!("provider = {w}: {}", provider.how),
            None => format!("no provider argument: the default {}", provider.how),
        };
        Placement {
            region: provider.region.clone(),
            how,
        }
    }

    /// Modules with a local source are read with their arguments as variables; others
    /// are noted.
    fn modules(&mut self, files: &[File], ctx: &Context, scope: &Scope) -> Result<(), ImportError> {
        for (file, block) in blocks(files, "module") {
            let Some(name) = label(block, 0) else {
                continue;
            };
            let address = format!("{}module.{name}", scope.prefix);
            let at = file.at(block.span());
            let source = block
                .body
                .get_attribute("source")
                .and_then(|a| hcl::Expression::from(a.value.clone()).evaluate(ctx).ok())
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            if !(source.starts_with("./") || source.starts_with("../")) {
                self.inventory.notes.push(format!(
                    "{address} ({at}): source {source:?} is not a local path: not read (run `terraform show -json` on a plan to import it)"
                ));
                continue;
            }
            if scope.depth >= MAX_DEPTH {
                self.inventory.notes.push(format!(
                    "{address} ({at}): modules nested too deep; not read"
                ));
                continue;
            }
            if block.body.has_attribute("count") || block.body.has_attribute("for_each") {
                self.inventory.notes.push(format!(
                    "{address} ({at}): count / for_each on a module is not expanded; read once"
                ));
            }
            let mut inputs = hcl::Map::new();
            for attr in block.body.attributes() {
                let key = attr.key.as_str();
                if [
                    "source",
                    "version",
                    "providers",
                    "count",
                    "for_each",
                    "depends_on",
                ]
                .contains(&key)
                {
                    continue;
                }
                if let Ok(v) = hcl::Expression::from(attr.value.clone()).evaluate(ctx) {
                    inputs.insert(key.to_string(), v);
                }
            }
            let mut provider_map = BTreeMap::new();
            provider_map.insert(
                "aws".to_string(),
                scope
                    .provider_map
                    .get("aws")
                    .cloned()
                    .unwrap_or("aws".into()),
            );
            if let Some(attr) = block.body.get_attribute("providers") {
                for (inner, outer) in provider_pairs(&file.snippet(attr.value.span())) {
                    let root = scope.provider_map.get(&outer).cloned().unwrap_or(outer);
                    provider_map.insert(inner, root);
                }
            }
            let child = Scope {
                dir: scope.dir.join(&source),
                prefix: format!("{address}."),
                inputs: Some(inputs),
                provider_map,
                depth: scope.depth + 1,
            };
            self.module(&child)?;
        }
        Ok(())
    }
}

/// One resource block being read.
struct Unit<'a> {
    file: &'a File,
    block: &'a Block,
    kind: &'a str,
    address: String,
    at: String,
}

impl Unit<'_> {
    fn snippet(&self, key: &str) -> String {
        self.block
            .body
            .get_attribute(key)
            .map_or_else(String::new, |a| self.file.snippet(a.value.span()))
    }
}

/// Turns a block body into known values, unresolved expressions and references.
struct BodyReader<'a> {
    file: &'a File,
    ctx: &'a Context<'a>,
    prefix: &'a str,
    /// The instance's `count.index`, if counted.
    index: Option<u64>,
    resource: &'a mut Resource,
}

impl BodyReader<'_> {
    fn body(&mut self, body: &Body, at: &str, top: bool) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let key = attr.key.as_str();
                    if top && META.contains(&key) {
                        continue;
                    }
                    let pointer = format!("{at}/{key}");
                    let text = self.file.snippet(attr.value.span());
                    let refs = match self.index {
                        Some(i) => references(
                            &text.replace("[count.index]", &format!("[{i}]")),
                            self.prefix,
                        ),
                        None => references(&text, self.prefix),
                    };
                    if !refs.is_empty() {
                        self.resource.refs.insert(pointer.clone(), refs);
                    }
                    match hcl::Expression::from(attr.value.clone()).evaluate(self.ctx) {
                        Ok(v) => {
                            map.insert(
                                key.to_string(),
                                serde_json::to_value(v).unwrap_or(Value::Null),
                            );
                        }
                        Err(_) => {
                            self.resource.unknown.insert(pointer, text);
                        }
                    }
                }
                Structure::Block(block) => {
                    let ident = block.ident.as_str();
                    if top && META.contains(&ident) {
                        continue;
                    }
                    if ident == "dynamic" {
                        let name = label(block, 0).unwrap_or("?");
                        self.resource
                            .unknown
                            .insert(format!("{at}/{name}"), "a dynamic block".into());
                        continue;
                    }
                    let list = map
                        .entry(ident.to_string())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    let index = list.as_array().map_or(0, Vec::len);
                    let inner = self.body(&block.body, &format!("{at}/{ident}/{index}"), false);
                    if let Some(Value::Array(list)) = map.get_mut(ident) {
                        list.push(Value::Object(inner));
                    }
                }
            }
        }
        map
    }
}

/// The blocks named `ident` of every file, with their file.
fn blocks<'a>(files: &'a [File], ident: &'a str) -> impl Iterator<Item = (&'a File, &'a Block)> {
    files
        .iter()
        .flat_map(move |f| f.body.get_blocks(ident).map(move |b| (f, b)))
}

fn label(block: &Block, i: usize) -> Option<&str> {
    block.labels.get(i).map(|l| l.as_str())
}

/// The locals of a module, resolved in as many passes as they chain.
fn locals(files: &[File], vars: &hcl::Map<String, hcl::Value>) -> hcl::Map<String, hcl::Value> {
    let exprs: Vec<(String, hcl::Expression)> = blocks(files, "locals")
        .flat_map(|(_, b)| b.body.attributes())
        .map(|a| (a.key.to_string(), hcl::Expression::from(a.value.clone())))
        .collect();
    let mut resolved = hcl::Map::new();
    for _ in 0..=exprs.len() {
        let mut ctx = Context::new();
        declare_functions(&mut ctx);
        ctx.declare_var("var", hcl::Value::Object(vars.clone()));
        ctx.declare_var("local", hcl::Value::Object(resolved.clone()));
        let before = resolved.len();
        for (name, expr) in &exprs {
            if !resolved.contains_key(name)
                && let Ok(v) = expr.evaluate(&ctx)
            {
                resolved.insert(name.clone(), v);
            }
        }
        if resolved.len() == before {
            break;
        }
    }
    resolved
}

/// The few Terraform functions a `count` or AZ list commonly uses.
fn declare_functions(ctx: &mut Context) {
    fn length(args: hcl::eval::FuncArgs) -> Result<hcl::Value, String> {
        match &args[0] {
            hcl::Value::Array(a) => Ok(hcl::Value::from(a.len() as u64)),
            hcl::Value::Object(o) => Ok(hcl::Value::from(o.len() as u64)),
            hcl::Value::String(s) => Ok(hcl::Value::from(s.chars().count() as u64)),
            _ => Err("length of a value without one".into()),
        }
    }
    fn element(args: hcl::eval::FuncArgs) -> Result<hcl::Value, String> {
        match (&args[0], args[1].as_u64()) {
            (hcl::Value::Array(a), Some(i)) if !a.is_empty() => Ok(a[i as usize % a.len()].clone()),
            _ => Err("element of an empty list".into()),
        }
    }
    fn tostring(args: hcl::eval::FuncArgs) -> Result<hcl::Value, String> {
        match &args[0] {
            hcl::Value::String(s) => Ok(hcl::Value::from(s.clone())),
            hcl::Value::Number(n) => Ok(hcl::Value::from(n.to_string())),
            hcl::Value::Bool(b) => Ok(hcl::Value::from(b.to_string())),
            _ => Err("not a primitive".into()),
        }
    }
    ctx.declare_func(
        "length",
        FuncDef::builder().param(ParamType::Any).build(length),
    );
    ctx.declare_func(
        "element",
        FuncDef::builder()
            .param(ParamType::Array(Box::new(ParamType::Any)))
            .param(ParamType::Number)
            .build(element),
    );
    ctx.declare_func(
        "tostring",
        FuncDef::builder().param(ParamType::Any).build(tostring),
    );
}

/// The `(key, value)` pairs a `for_each` iterates: a map, or a set of strings.
fn each_items(value: &hcl::Value) -> Option<Vec<(String, hcl::Value)>> {
    match value {
        hcl::Value::Object(map) => Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        hcl::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(|s| (s.to_string(), v.clone())))
            .collect(),
        _ => None,
    }
}

fn object<const N: usize>(pairs: [(&str, hcl::Value); N]) -> hcl::Value {
    hcl::Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn json_to_hcl(map: &serde_json::Map<String, Value>) -> hcl::Map<String, hcl::Value> {
    match hcl::to_value(map) {
        Ok(hcl::Value::Object(m)) => m,
        _ => hcl::Map::new(),
    }
}

/// Resource addresses an expression names (`aws_lb.app.dns_name` -> `aws_lb.app`),
/// within the module (`prefix`). Data sources and other modules' outputs are not resources.
fn references(text: &str, prefix: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("aws_") {
        let before = at.checked_sub(1).map(|i| bytes[i] as char);
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '"') {
            continue;
        }
        let word = |from: usize| -> usize {
            text[from..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .map_or(text.len(), |n| from + n)
        };
        let kind_end = word(at);
        if text[kind_end..].starts_with('.') {
            let mut name_end = word(kind_end + 1);
            if name_end > kind_end + 1 {
                // A literal instance index stays: `aws_subnet.public[1]`.
                if let Some(close) = text[name_end..].strip_prefix('[').and_then(|r| r.find(']')) {
                    let inner = &text[name_end + 1..name_end + 1 + close];
                    if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
                        name_end += close + 2;
                    }
                }
                let address = format!("{prefix}{}", &text[at..name_end]);
                if !found.contains(&address) {
                    found.push(address);
                }
            }
        }
    }
    found
}

/// `{ aws = aws.west, aws.dr = aws.east }` -> `[(aws, aws.west), (aws.dr, aws.east)]`.
fn provider_pairs(text: &str) -> Vec<(String, String)> {
    text.trim_matches(|c| c == '{' || c == '}' || c == ' ')
        .split([',', '\n'])
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_resources_not_data_sources() {
        assert_eq!(
            references("aws_lb.app.dns_name", ""),
            vec!["aws_lb.app".to_string()]
        );
        assert!(references("data.aws_availability_zones.all.names[0]", "").is_empty());
        assert_eq!(
            references("[aws_subnet.a[0].id, aws_subnet.b.id]", "module.net."),
            vec!["module.net.aws_subnet.a[0]", "module.net.aws_subnet.b"]
        );
    }

    #[test]
    fn provider_maps_pair_inner_and_outer_names() {
        assert_eq!(
            provider_pairs("{ aws = aws.west }"),
            vec![("aws".to_string(), "aws.west".to_string())]
        );
    }
}
