//! GET requests: single resources and paged lists, with the provisioning state of any operation
//! under way laid over the committed state.

use serde_json::{Value, json};

use crate::arm_error::ArmError;
use crate::ids::{ChildKind, REGISTRY_TYPE, RegistryRef};
use crate::operations::Operations;
use crate::resources::{
    connected_registry, registry, registry_or_404, scope_map, token, with_provisioning_state,
};
use crate::state::{Registry, State};
use crate::writes::ResourceKey;

/// Where a list lives and which page is asked for.
pub struct Page<'a> {
    /// `http://host:port`.
    pub base_url: &'a str,
    /// The request path, for `nextLink`.
    pub path: &'a str,
    pub skip: usize,
    pub size: usize,
}

impl Page<'_> {
    /// `{"value": [...], "nextLink": "…&$skipToken=N"}`; the last page has no `nextLink`.
    fn body(&self, total: usize, values: &[Value]) -> Value {
        let mut body = json!({ "value": values });
        let next = self.skip.saturating_add(self.size);
        if next < total {
            body["nextLink"] = json!(format!(
                "{}{}?api-version={}&$skipToken={next}",
                self.base_url,
                self.path,
                crate::API_VERSION
            ));
        }
        body
    }
}

fn child_len(registry: &Registry, kind: ChildKind) -> usize {
    match kind {
        ChildKind::ScopeMaps => registry.scope_maps.len(),
        ChildKind::Tokens => registry.tokens.len(),
        ChildKind::ConnectedRegistries => registry.connected_registries.len(),
    }
}

fn child_keys(registry: &Registry, kind: ChildKind) -> Box<dyn Iterator<Item = &String> + '_> {
    match kind {
        ChildKind::ScopeMaps => Box::new(registry.scope_maps.keys()),
        ChildKind::Tokens => Box::new(registry.tokens.keys()),
        ChildKind::ConnectedRegistries => Box::new(registry.connected_registries.keys()),
    }
}

/// A committed child rendered with `provisioning_state`.
fn render_child(
    registry: &Registry,
    kind: ChildKind,
    key: &str,
    provisioning_state: &str,
) -> Option<Value> {
    // A failed last operation shows until an operation is under way again.
    let shown = |failed: bool| {
        if failed && provisioning_state == "Succeeded" {
            "Failed"
        } else {
            provisioning_state
        }
    };
    match kind {
        ChildKind::ScopeMaps => registry
            .scope_maps
            .get(key)
            .map(|m| scope_map::render(registry, m, shown(m.failed))),
        ChildKind::Tokens => registry
            .tokens
            .get(key)
            .map(|t| token::render(registry, t, shown(t.failed))),
        ChildKind::ConnectedRegistries => registry
            .connected_registries
            .get(key)
            .map(|c| connected_registry::render(registry, c, shown(c.failed))),
    }
}

fn child_key(registry: &RegistryRef, kind: ChildKind, name: &str) -> ResourceKey {
    ResourceKey {
        registry: registry.key(),
        kind: Some(kind),
        name: name.to_ascii_lowercase(),
    }
}

fn state_of<'p>(ops: &'p Operations, key: &ResourceKey) -> &'p str {
    ops.pending(key)
        .map_or("Succeeded", |p| p.provisioning_state)
}

/// GET of a child resource.
pub fn get_child(
    state: &State,
    ops: &Operations,
    reference: &RegistryRef,
    kind: ChildKind,
    name: &str,
) -> Result<Value, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let key = child_key(reference, kind, name);
    if let Some(body) = render_child(registry, kind, &key.name, state_of(ops, &key)) {
        return Ok(body);
    }
    if let Some(body) = ops.pending(&key).and_then(|p| p.create_body.clone()) {
        return Ok(with_provisioning_state(body, "Creating"));
    }
    Err(ArmError::not_found(
        kind.resource_type(),
        &format!("{}/{name}", reference.name),
        &reference.resource_group,
    ))
}

/// GET of a child collection, one page.
pub fn list_children(
    state: &State,
    ops: &Operations,
    reference: &RegistryRef,
    kind: ChildKind,
    page: &Page<'_>,
) -> Result<Value, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let registry_key = reference.key();
    let creating = ops.pending_creates(Some(kind), |k| k.registry == registry_key);
    let render = |key: &str| {
        let resource = ResourceKey {
            registry: registry_key.clone(),
            kind: Some(kind),
            name: key.to_owned(),
        };
        render_child(registry, kind, key, state_of(ops, &resource))
    };
    if creating.is_empty() {
        // The common case: page straight off the sorted map.
        let values = child_keys(registry, kind)
            .skip(page.skip)
            .take(page.size)
            .filter_map(|key| render(key))
            .collect::<Vec<_>>();
        return Ok(page.body(child_len(registry, kind), &values));
    }
    let mut entries: Vec<(String, Option<Value>)> = child_keys(registry, kind)
        .map(|key| (key.clone(), None))
        .collect();
    for (key, body) in creating {
        if render_child(registry, kind, &key, "Succeeded").is_none() {
            entries.push((key, Some(with_provisioning_state(body, "Creating"))));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let total = entries.len();
    let values = entries
        .into_iter()
        .skip(page.skip)
        .take(page.size)
        .filter_map(|(key, body)| body.or_else(|| render(&key)))
        .collect::<Vec<_>>();
    Ok(page.body(total, &values))
}

fn registry_resource(registry: &RegistryRef) -> ResourceKey {
    ResourceKey {
        registry: registry.key(),
        kind: None,
        name: String::new(),
    }
}

/// GET of a registry.
pub fn get_registry(
    state: &State,
    ops: &Operations,
    reference: &RegistryRef,
) -> Result<Value, ArmError> {
    let key = registry_resource(reference);
    if let Some(r) = state.registry(reference) {
        return Ok(registry::render(&r.props, state_of(ops, &key)));
    }
    if let Some(body) = ops.pending(&key).and_then(|p| p.create_body.clone()) {
        return Ok(with_provisioning_state(body, "Creating"));
    }
    Err(ArmError::not_found(
        REGISTRY_TYPE,
        &reference.name,
        &reference.resource_group,
    ))
}

/// GET of the registries of a subscription or resource group, one page.
pub fn list_registries(
    state: &State,
    ops: &Operations,
    subscription: &str,
    resource_group: Option<&str>,
    page: &Page<'_>,
) -> Value {
    let in_scope = |sub: &str, rg: &str| {
        sub.eq_ignore_ascii_case(subscription)
            && resource_group.is_none_or(|wanted| wanted.eq_ignore_ascii_case(rg))
    };
    let mut entries: Vec<(String, Value)> = state
        .registries
        .iter()
        .filter(|(_, r)| in_scope(&r.props.subscription, &r.props.resource_group))
        .map(|(key, r)| {
            let resource = registry_resource(&r.props.reference());
            (
                key.clone(),
                registry::render(&r.props, state_of(ops, &resource)),
            )
        })
        .collect();
    let creating = ops.pending_creates(None, |_| true);
    for (key, body) in creating {
        // Registry keys are `sub/rg/name`, lower case.
        let mut parts = key.split('/');
        let (sub, rg) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        if in_scope(sub, rg) && !state.registries.contains_key(&key) {
            entries.push((key, with_provisioning_state(body, "Creating")));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let total = entries.len();
    let values = entries
        .into_iter()
        .skip(page.skip)
        .take(page.size)
        .map(|(_, body)| body)
        .collect::<Vec<_>>();
    page.body(total, &values)
}
