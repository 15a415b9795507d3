//! Reads the JSON of `terraform show -json`: a plan (`planned_values`) or a state
//! (`values`), with their child modules. Values there are resolved by Terraform, so they
//! win over a static read; the plan's `configuration` adds the references between
//! resources and each resource's provider.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::ImportError;
use super::inventory::{Inventory, Placement, Resource, region_of_arn, region_of_az};

/// Reads one `terraform show -json` file.
pub fn read(path: &Path) -> Result<Inventory, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| ImportError::Syntax {
        file: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let root = doc
        .pointer("/planned_values/root_module")
        .or_else(|| doc.pointer("/values/root_module"))
        .ok_or_else(|| ImportError::Syntax {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "neither planned_values.root_module (a plan) nor values.root_module (a state): not the output of `terraform show -json`".into(),
        })?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let config = Configuration::of(&doc);
    let mut inventory = Inventory::default();
    module(root, &name, &config, &mut inventory);
    Ok(inventory)
}

fn module(module: &Value, file: &str, config: &Configuration, out: &mut Inventory) {
    for r in module["resources"].as_array().into_iter().flatten() {
        if r["mode"] != "managed" {
            continue;
        }
        let address = r["address"].as_str().unwrap_or("?").to_string();
        let body = r["values"].as_object().cloned().unwrap_or_default();
        let base = base_address(&address).to_string();
        let mut resource = Resource {
            kind: r["type"].as_str().unwrap_or("?").to_string(),
            at: file.to_string(),
            region: Placement {
                region: None,
                how: String::new(),
            },
            body,
            unknown: BTreeMap::new(),
            refs: config.refs.get(&base).cloned().unwrap_or_default(),
            address,
        };
        resource.region = config.placement(&resource, &base);
        out.resources.push(resource);
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        self::module(child, file, config, out);
    }
}

fn base_address(address: &str) -> &str {
    address
        .strip_suffix(']')
        .and_then(|a| a.rfind('[').map(|i| &address[..i]))
        .unwrap_or(address)
}

/// What the plan's `configuration` says: references and providers per resource.
#[derive(Default)]
struct Configuration {
    /// Resource address (no index) -> JSON pointer -> referenced resources.
    refs: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Resource address -> provider configuration key.
    provider_of: BTreeMap<String, String>,
    /// Provider configuration key -> region and how it was found.
    regions: BTreeMap<String, (Option<String>, String)>,
}

impl Configuration {
    fn of(doc: &Value) -> Configuration {
        let mut config = Configuration::default();
        if let Some(root) = doc.pointer("/configuration/root_module") {
            config.module(root, "");
        }
        let providers = doc
            .pointer("/configuration/provider_config")
            .and_then(Value::as_object);
        for (key, p) in providers.into_iter().flatten() {
            let region = &p["expressions"]["region"];
            let found = match (&region["constant_value"], region["references"].get(0)) {
                (Value::String(r), _) => (Some(r.clone()), format!("provider {key} in the plan")),
                (_, Some(Value::String(var))) => {
                    let value = var
                        .strip_prefix("var.")
                        .and_then(|v| doc["variables"][v]["value"].as_str());
                    (
                        value.map(str::to_string),
                        format!("provider {key} in the plan, region = {var}"),
                    )
                }
                _ => (None, format!("provider {key} in the plan sets no region")),
            };
            config.regions.insert(key.clone(), found);
        }
        config
    }

    fn module(&mut self, module: &Value, prefix: &str) {
        for r in module["resources"].as_array().into_iter().flatten() {
            let address = format!("{prefix}{}", r["address"].as_str().unwrap_or("?"));
            if let Some(key) = r["provider_config_key"].as_str() {
                self.provider_of.insert(address.clone(), key.to_string());
            }
            let mut refs = BTreeMap::new();
            expression_refs(&r["expressions"], "", prefix, &mut refs);
            self.refs.insert(address, refs);
        }
        for (name, call) in module["module_calls"].as_object().into_iter().flatten() {
            self.module(&call["module"], &format!("{prefix}module.{name}."));
        }
    }

    /// A resource's region: its own `region` (AWS provider 6), its ARN, its AZ, else its
    /// provider's; each said.
    fn placement(&self, r: &Resource, base: &str) -> Placement {
        let from = |region: Option<String>, how: &str| {
            region.map(|region| Placement {
                region: Some(region),
                how: how.to_string(),
            })
        };
        from(r.str("/region"), "its region attribute")
            .or_else(|| from(r.str("/arn").and_then(|a| region_of_arn(&a)), "its ARN"))
            .or_else(|| {
                from(
                    r.str("/availability_zone").and_then(|a| region_of_az(&a)),
                    "its availability_zone",
                )
            })
            .unwrap_or_else(|| {
                let key = self.provider_of.get(base).map_or("aws", String::as_str);
                let short = key.rsplit(':').next().unwrap_or(key);
                match self.regions.get(key).or_else(|| self.regions.get(short)) {
                    Some((region, how)) => Placement {
                        region: region.clone(),
                        how: how.clone(),
                    },
                    None => Placement {
                        region: None,
                        how: format!("the plan gives no region for provider {key}"),
                    },
                }
            })
    }
}

/// Collects `references` of a configuration's expressions, by JSON pointer of the value.
fn expression_refs(
    expressions: &Value,
    at: &str,
    prefix: &str,
    out: &mut BTreeMap<String, Vec<String>>,
) {
    match expressions {
        Value::Object(map) => {
            if let Some(Value::Array(refs)) = map.get("references") {
                let addresses: Vec<String> = refs
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|r| r.starts_with("aws_") && r.split('.').count() == 2)
                    .map(|r| format!("{prefix}{}", base_address(r)))
                    .collect();
                if !addresses.is_empty() {
                    out.insert(at.to_string(), addresses);
                }
                return;
            }
            for (key, inner) in map {
                expression_refs(inner, &format!("{at}/{key}"), prefix, out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                expression_refs(inner, &format!("{at}/{i}"), prefix, out);
            }
        }
        _ => {}
    }
}
