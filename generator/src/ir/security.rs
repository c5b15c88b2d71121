//! Security schemes and requirements → the ways the client authenticates.

use super::{Alternative, Auth, KeyLocation, SchemeKind, SecurityScheme};
use crate::diagnostics::Diagnostics;
use crate::naming::{self, Scope};
use crate::Settings;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement};
use std::collections::BTreeSet;

/// Methods `Credentials` has of its own (constructor names avoid them).
const CREDENTIALS_METHODS: &[&str] = &[
    "new",
    "from_env",
    "from_lookup",
    "parts",
    "scrub",
    "scrub_str",
    "is_auth_header",
    "alternative",
    "clone",
    "fmt",
    "eq",
];

/// Whether an operation is sent with credentials: it (or, when it says
/// nothing, the document) lists a requirement naming at least one scheme.
/// `security: []` and `security: [{}]` mean none.
pub fn authenticated(api: &OpenAPI, op: &openapiv3::Operation) -> bool {
    op.security
        .as_ref()
        .or(api.security.as_ref())
        .is_some_and(|reqs| reqs.iter().any(|r| !r.is_empty()))
}

/// The requirements of the document, then of each operation in path
/// order, with the pointer of each.
fn requirements(api: &OpenAPI) -> Vec<(&SecurityRequirement, String)> {
    let mut out = Vec::new();
    for (i, r) in api.security.iter().flatten().enumerate() {
        out.push((r, format!("#/security/{i}")));
    }
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let path_ptr = format!("#/paths/{}", path.replace('~', "~0").replace('/', "~1"));
        for (method, op) in item.iter() {
            for (i, r) in op.security.iter().flatten().enumerate() {
                out.push((r, format!("{path_ptr}/{method}/security/{i}")));
            }
        }
    }
    out
}

pub fn lower(api: &OpenAPI, settings: &Settings, diags: &mut Diagnostics) -> Auth {
    let prefix = match &settings.env_prefix {
        Some(p) => naming::const_name(p),
        None => naming::env_prefix(&api.info.title),
    };
    let mut env = Scope::new();
    let env_base_url = env.claim(&naming::env_base_url(&prefix));
    let mut seen: Vec<Vec<&str>> = Vec::new();
    let mut unknown = BTreeSet::new();
    let mut alternatives: Vec<(u8, Vec<SecurityScheme>)> = Vec::new();
    let mut lowered: std::collections::HashMap<&str, Option<SecurityScheme>> = Default::default();
    for (req, ptr) in requirements(api) {
        let mut keys: Vec<&str> = req.keys().map(String::as_str).collect();
        keys.sort_unstable();
        if keys.is_empty() || seen.contains(&keys) {
            continue;
        }
        seen.push(keys.clone());
        let mut schemes = Vec::new();
        for key in req.keys() {
            let scheme = lowered
                .entry(key)
                .or_insert_with(|| scheme(api, key, &prefix, &mut env, diags));
            match scheme {
                Some(s) => schemes.push(s.clone()),
                None => {
                    if unknown.insert(key.as_str()) {
                        diags.warn(
                            "security-scheme",
                            &ptr,
                            format!("security scheme `{key}` is not declared or not supported; requirements naming it are left out"),
                        );
                    }
                }
            }
        }
        if schemes.len() == req.len() {
            let rank = schemes.iter().map(|s| rank(&s.kind)).min().unwrap_or(2);
            alternatives.push((rank, schemes));
        }
    }
    // Stable: ties keep the order the spec lists them in.
    alternatives.sort_by_key(|(rank, _)| *rank);
    let mut ctors = Scope::new();
    for reserved in CREDENTIALS_METHODS {
        ctors.reserve(reserved);
    }
    let alternatives = alternatives
        .into_iter()
        .map(|(_, schemes)| {
            let keys: Vec<&str> = schemes.iter().map(|s| s.key.as_str()).collect();
            let ctor = ctors.claim_ident(naming::credentials_ctor(&keys));
            Alternative { ctor, schemes }
        })
        .collect();
    Auth {
        alternatives,
        env_base_url,
    }
}

/// Bearer tokens first, then basic, then API keys.
fn rank(kind: &SchemeKind) -> u8 {
    match kind {
        SchemeKind::Bearer => 0,
        SchemeKind::Basic => 1,
        SchemeKind::ApiKey { .. } => 2,
    }
}

/// The declared scheme `key`, or `None` (with a warning for a kind the
/// client cannot send) when there is none to send.
fn scheme(
    api: &OpenAPI,
    key: &str,
    prefix: &str,
    env: &mut Scope,
    diags: &mut Diagnostics,
) -> Option<SecurityScheme> {
    use openapiv3::SecurityScheme as S;
    let pointer = crate::diagnostics::pointer(&["components", "securitySchemes", key]);
    let declared = api.components.as_ref()?.security_schemes.get(key)?;
    let declared = match declared {
        ReferenceOr::Item(s) => s,
        ReferenceOr::Reference { reference } => {
            let (kind, target) = crate::diagnostics::component_of(reference)?;
            if kind != "securitySchemes" {
                return None;
            }
            match api.components.as_ref()?.security_schemes.get(&target)? {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    let (kind, doc) = match declared {
        S::HTTP {
            scheme,
            description,
            ..
        } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => (SchemeKind::Bearer, description),
            "basic" => (SchemeKind::Basic, description),
            other => {
                diags.warn(
                    "security-scheme",
                    &pointer,
                    format!("HTTP authentication scheme `{other}` is not supported"),
                );
                return None;
            }
        },
        S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
            (SchemeKind::Bearer, description)
        }
        S::APIKey {
            location,
            name,
            description,
            ..
        } => {
            let location = match location {
                APIKeyLocation::Header => KeyLocation::Header,
                APIKeyLocation::Query => KeyLocation::Query,
                APIKeyLocation::Cookie => KeyLocation::Cookie,
            };
            if location != KeyLocation::Query && !crate::load::is_http_token(name) {
                diags.warn(
                    "security-scheme",
                    crate::diagnostics::child(&pointer, "name"),
                    format!("API key name {name:?} is not a valid header or cookie name (an HTTP token); the scheme is left out"),
                );
                return None;
            }
            let name = name.clone();
            (SchemeKind::ApiKey { location, name }, description)
        }
    };
    let (env, args) = variables(key, &kind, prefix, env);
    Some(SecurityScheme {
        key: key.to_string(),
        kind,
        doc: doc.clone().filter(|d| !d.trim().is_empty()),
        env,
        args,
    })
}

/// A scheme's environment variables and constructor arguments: user and
/// password for basic, one of each otherwise.
fn variables(
    key: &str,
    kind: &SchemeKind,
    prefix: &str,
    env: &mut Scope,
) -> (Vec<String>, Vec<naming::Ident>) {
    let stem = naming::env_var_stem(key);
    let arg = naming::snake_ident(key);
    let var = naming::env_var(prefix, &stem);
    if *kind != SchemeKind::Basic {
        return (vec![env.claim(&var)], vec![arg]);
    }
    let (vars, args) = naming::basic_parts(&var, &arg.name);
    (vars.iter().map(|v| env.claim(v)).collect(), args.into())
}
