//! Every Rust name the generator emits comes from here: case conversion via
//! `heck`, keywords, leading digits, symbols, and uniqueness within a scope.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be used as identifiers as they are. Those in
/// [`NOT_RAW`] cannot even be raw identifiers and get a trailing `_`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the generated code itself uses; a spec type with one of these
/// names would shadow it, so it gets a suffix.
const RESERVED_TYPES: &[&str] = &[
    // The prelude, which generated code uses unqualified.
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Iterator",
    "IntoIterator",
    "Extend",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "FromIterator",
    "Debug",
    "Hash",
    // Names the generated modules use.
    "Self",
    "BTreeMap",
    "Value",
    "Client",
    "ClientBuilder",
    "Credentials",
    "Error",
    "Request",
    "Path",
    "Violation",
    "Validate",
    "DateTime",
    "Utc",
    // The type parameters of the hand-written serde impls
    // (`fn deserialize<D: serde::Deserializer<'de>>`), which would shadow a
    // model of that name inside them.
    "D",
    "S",
];

/// Every local an operation method or its pagers bind (emit/client.rs,
/// emit/validate.rs): parameters, which become the method's arguments, are
/// claimed after these, so none can shadow them or be shadowed by them. A
/// test in emit/client.rs collects the bindings of emitted code and checks
/// that each one is here.
pub const OPERATION_LOCALS: &[&str] = &[
    // The method's own arguments and bindings.
    "params",
    "body",
    "request",
    "path",
    "root",
    "out",
    "value",
    "joined",
    // Loops of the checks (`for (index, value) in …`).
    "index",
    "key",
    // The pagers.
    "client",
    "spec",
    "start",
    "keep_page",
    "page_number",
    "v",
];

/// Methods a `…Params` struct must not get as setters (a setter is named
/// after its parameter): `clone`, which the pagers call on an owned value
/// (a setter would be picked over `Clone::clone`), and the operator
/// methods clippy (`should_implement_trait`) takes a `fn x(self, value)`
/// for.
pub const PARAMS_METHODS: &[&str] = &[
    "clone", "add", "sub", "mul", "div", "rem", "bitand", "bitor", "bitxor", "shl", "shr",
];

/// Crates and modules generated code names by path (`serde::Serialize`,
/// `models::X`): a module of models with one of these names would make
/// those paths ambiguous.
const RESERVED_MODULES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "chrono",
    "reqwest",
    "regress",
    "regex",
    "tokio",
    "futures_util",
    "tracing",
    "models",
    "client",
    "runtime",
    "validation",
];

/// An identifier, possibly raw (`r#type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident {
    pub name: String,
    pub raw: bool,
}

impl Ident {
    pub fn to_ident(&self) -> proc_macro2::Ident {
        if self.raw {
            proc_macro2::Ident::new_raw(&self.name, proc_macro2::Span::call_site())
        } else {
            proc_macro2::Ident::new(&self.name, proc_macro2::Span::call_site())
        }
    }
}

/// Whether `name` is an identifier as every function here makes them: an
/// ASCII letter or `_` first, then ASCII letters, digits and `_`, and not
/// `_` alone.
pub fn is_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

/// Reports every name of the IR that is not an identifier
/// ([`is_identifier`]) with the pointer of what it names: naming makes
/// none, so one is a bug, and the emitted crate would not compile (the
/// emitters write `__invalid_generated_name` in its place rather than
/// panic).
pub fn report_invalid(api: &crate::ir::Api, diags: &mut crate::diagnostics::Diagnostics) {
    use crate::ir::TypeKind;
    let mut check = |name: &str, pointer: &str| {
        if !is_identifier(name) {
            diags.warn(
                "invalid-name",
                pointer,
                format!(
                    "no valid Rust name could be made (got `{name}`); the crate will not compile"
                ),
            );
        }
    };
    for def in &api.types {
        check(&def.name, &def.pointer);
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .for_each(|f| check(&f.ident.name, &f.pointer)),
            TypeKind::Enum(e) => e.variants.iter().for_each(|v| check(&v.name, &def.pointer)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| check(&v.name, &def.pointer)),
            TypeKind::Alias(_) | TypeKind::Tuple(_) => {}
        }
    }
    for op in &api.operations {
        check(&op.fn_name.name, &op.pointer);
        if !op.params_type.is_empty() {
            check(&op.params_type, &op.pointer);
        }
        op.params
            .iter()
            .for_each(|p| check(&p.ident.name, &p.pointer));
    }
}

/// Replaces characters that cannot appear in identifiers with word breaks,
/// spelling out a few symbols that would otherwise vanish entirely.
fn words(input: &str) -> String {
    let spelled = match input {
        "" => return "empty".into(),
        "*" => return "any".into(),
        "+" => return "plus".into(),
        "-" => return "minus".into(),
        "/" => return "slash".into(),
        "." => return "dot".into(),
        _ => input,
    };
    let mut out = String::with_capacity(spelled.len());
    let mut chars = spelled.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '-' && first && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            // A negative number such as "-1" names a variant "Minus1".
            out.push_str("minus ");
        } else if c == '+' && first {
            out.push_str("plus ");
        } else {
            out.push(' ');
        }
        first = false;
    }
    if out.trim().is_empty() {
        // Only symbols: spell their code points so distinct inputs stay distinct.
        let mut s = String::from("symbol");
        for c in input.chars() {
            s.push_str(&format!(" u{:x}", c as u32));
        }
        return s;
    }
    plural_acronyms(&out)
}

/// `URLs` → `Urls`: an acronym of two or more capitals with a plural `s`
/// is one word (heck would split it `UR` `Ls`: `require_signed_ur_ls`).
fn plural_acronyms(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let plural = run >= 2
            && chars.get(i + run) == Some(&'s')
            && !chars
                .get(i + run + 1)
                .is_some_and(|c| c.is_ascii_lowercase());
        if plural {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(|c| c.to_ascii_lowercase()));
        } else {
            out.extend(&chars[i..i + run.max(1)]);
        }
        i += run.max(1);
    }
    out
}

fn fix_leading_digit(s: String, prefix: &str) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{s}")
    } else {
        s
    }
}

/// `UpperCamelCase` name for a type or enum variant.
pub fn type_name(input: &str) -> String {
    let s = fix_leading_digit(words(input).to_upper_camel_case(), "T");
    if RESERVED_TYPES.contains(&s.as_str()) {
        format!("{s}Type")
    } else if s.is_empty() {
        "Unnamed".into()
    } else {
        s
    }
}

/// `UpperCamelCase` words for composing a longer name (`{Parent}{Field}`):
/// no keyword or reserved-name handling, which applies to whole names only.
pub fn camel(input: &str) -> String {
    words(input).to_upper_camel_case()
}

/// `UpperCamelCase` name for an enum variant (no reserved-type suffixing:
/// variants live in their enum's namespace).
pub fn variant_name(input: &str) -> String {
    let s = fix_leading_digit(words(input).to_upper_camel_case(), "V");
    match s.as_str() {
        "" => "Empty".into(),
        "Self" => "SelfValue".into(),
        _ => s,
    }
}

/// `snake_case` identifier for a field, parameter or function.
pub fn snake_ident(input: &str) -> Ident {
    let s = fix_leading_digit(words(input).to_snake_case(), "n");
    let s = if s.is_empty() { "field".to_string() } else { s };
    if NOT_RAW.contains(&s.as_str()) {
        Ident {
            name: format!("{s}_"),
            raw: false,
        }
    } else if KEYWORDS.contains(&s.as_str()) {
        Ident { name: s, raw: true }
    } else {
        Ident {
            name: s,
            raw: false,
        }
    }
}

/// `SCREAMING_SNAKE_CASE` name for a constant or static.
pub fn const_name(input: &str) -> String {
    let s = words(input).to_snake_case().to_uppercase();
    fix_leading_digit(s, "C")
}

/// A module (and file) name for a group of items: `snake_case`, never a
/// keyword, never `mod` / `lib` / `main`, which name files of their own,
/// and never a crate or module generated code names by path.
pub fn module_name(input: &str) -> String {
    // A group named only by blanks is the unnamed one.
    let input = if input.trim().is_empty() { "" } else { input };
    let s = fix_leading_digit(words(input).to_snake_case(), "m");
    let s = if s.is_empty() { "other".to_string() } else { s };
    if KEYWORDS.contains(&s.as_str())
        || NOT_RAW.contains(&s.as_str())
        || RESERVED_MODULES.contains(&s.as_str())
        || matches!(s.as_str(), "lib" | "main")
    {
        format!("{s}_")
    } else {
        s
    }
}

/// What an inline type is in its parent, which names it after its place.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// A property or parameter, by its wire name: `{Parent}{Name}`.
    Member(&'a str),
    /// An array's items: `{Parent}Item`.
    Item,
    /// A map's values: `{Parent}Value`.
    Value,
    /// The n-th member of a union: `{Parent}Variant{n}`.
    Variant(usize),
    /// An operation's request body: `{Operation}Body`.
    Body,
    /// An operation's success response: `{Operation}Response`.
    Response,
    /// An operation's optional parameters: `{Operation}Params`.
    Params,
    /// An operation's form body (multipart or urlencoded): `{Operation}Form`.
    Form,
    /// A field of a form body, by its wire name: `{Operation}Form{Name}`.
    FormField(&'a str),
    /// The n-th position of a tuple: `{Parent}Item{n}`.
    Position(usize),
}

/// The hint an inline type is named from (a [`Scope`] makes it unique).
pub fn hint(parent: &str, place: Place<'_>) -> String {
    match place {
        Place::Member(name) => format!("{parent}{}", camel(name)),
        Place::Item => format!("{parent}Item"),
        Place::Value => format!("{parent}Value"),
        Place::Variant(n) => format!("{parent}Variant{n}"),
        Place::Body => format!("{parent}Body"),
        Place::Response => format!("{parent}Response"),
        Place::Params => format!("{parent}Params"),
        Place::Form => format!("{parent}Form"),
        Place::FormField(name) => format!("{parent}Form{}", camel(name)),
        Place::Position(n) => format!("{parent}Item{n}"),
    }
}

/// The method that streams an operation's body as chunks instead of
/// reading it whole, and a pager's method of items: `{fn}_stream`.
pub fn stream_fn(fn_name: &str) -> Ident {
    snake_ident(&format!("{fn_name}_stream"))
}

/// A pager's methods, after the operation's method: `{fn}_pages` (pages)
/// and `{fn}_stream` (items).
pub fn pager_fns(fn_name: &str) -> (Ident, Ident) {
    (snake_ident(&format!("{fn_name}_pages")), stream_fn(fn_name))
}

/// The n-th member crate of a workspace of one kind (`shared`, `models`):
/// `{kind}_{n}`, counted from 1.
pub fn member_crate(kind: &str, n: usize) -> String {
    format!("{kind}_{n}")
}

/// The `static` holding the n-th compiled pattern of a check.
pub fn pattern_static(n: usize) -> proc_macro2::Ident {
    proc_macro2::Ident::new(&format!("PATTERN_{n}"), proc_macro2::Span::call_site())
}

/// Cargo features a generated crate has besides its groups: `default`,
/// the runtime's optional parts (a test in `emit::runtime` keeps this equal
/// to the runtime's `[features]`) and the switches of `emit::features`
/// (spelled with a `-`, which module names never have).
pub const RESERVED_FEATURES: &[&str] = &["default", "tracing", "blocking"];

/// The cargo feature of a group of operations: its module name, with a `_`
/// after one of [`RESERVED_FEATURES`] (a tag `Default` is `default_`).
pub fn feature_name(tag: &str) -> String {
    let s = module_name(tag);
    if RESERVED_FEATURES.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// The first word of an `UpperCamelCase` name (`AigConfigGateway` → `Aig`).
pub fn first_word(name: &str) -> &str {
    let end = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(name.len(), |(i, _)| i);
    &name[..end]
}

/// The prefix of a generated client's environment variables, from the
/// API's title: the part before a dash, colon or parenthesis, without
/// trailing words that say it is an API (`Cloudflare API — AI Gateway` →
/// `CLOUDFLARE`; `Swagger Petstore` → `SWAGGER_PETSTORE`); `API` when
/// nothing is left.
pub fn env_prefix(title: &str) -> String {
    let head = title
        .split(['—', '–', ':', '(', '|'])
        .next()
        .unwrap_or_default();
    let head = head.split(" - ").next().unwrap_or_default();
    let mut words: Vec<&str> = head.split_whitespace().collect();
    while words.len() > 1
        && words.last().is_some_and(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "api" | "apis" | "rest" | "http" | "openapi" | "service" | "spec"
            )
        })
    {
        words.pop();
    }
    if words.is_empty() {
        return "API".to_string();
    }
    const_name(&words.join(" "))
}

/// The part of a security scheme's environment variable after the prefix:
/// its key in `SCREAMING_SNAKE_CASE`, without a leading `API` word unless
/// only a bare `KEY`, `TOKEN` or `SECRET` would be left (`api_email` →
/// `EMAIL`, `api_key` → `API_KEY`, `api_token` → `API_TOKEN`).
pub fn env_var_stem(key: &str) -> String {
    let s = const_name(key);
    match s.strip_prefix("API_") {
        Some(rest) if !matches!(rest, "KEY" | "TOKEN" | "SECRET") && !rest.is_empty() => {
            rest.to_string()
        }
        _ if s.is_empty() => "CREDENTIAL".to_string(),
        _ => s,
    }
}

/// The environment variable `{PREFIX}_{STEM}` (`CLOUDFLARE` + `API_TOKEN`).
pub fn env_var(prefix: &str, stem: &str) -> String {
    format!("{prefix}_{stem}")
}

/// The environment variable that overrides a client's base URL.
pub fn env_base_url(prefix: &str) -> String {
    env_var(prefix, "BASE_URL")
}

/// A basic scheme's two environment variables and two constructor
/// arguments, after the scheme's own: `…_USERNAME`/`…_PASSWORD` and
/// `…_username`/`…_password`.
pub fn basic_parts(env_stem: &str, arg: &str) -> ([String; 2], [Ident; 2]) {
    (
        [
            format!("{env_stem}_USERNAME"),
            format!("{env_stem}_PASSWORD"),
        ],
        [
            snake_ident(&format!("{arg}_username")),
            snake_ident(&format!("{arg}_password")),
        ],
    )
}

/// The `Credentials` constructor for schemes sent together: their keys
/// joined, without the words they all start with (`api_token` →
/// `api_token`; `api_email` + `api_key` → `email_key`).
pub fn credentials_ctor(keys: &[&str]) -> Ident {
    let split: Vec<Vec<String>> = keys
        .iter()
        .map(|k| {
            words(k)
                .to_snake_case()
                .split('_')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect();
    let mut shared = 0;
    if split.len() > 1 {
        while split
            .iter()
            .all(|w| w.len() > shared + 1 && w.get(shared) == split[0].get(shared))
        {
            shared += 1;
        }
    }
    let joined: Vec<String> = split
        .iter()
        .map(|w| w[shared.min(w.len())..].join("_"))
        .collect();
    snake_ident(&joined.join("_"))
}

/// Hands out unique names within one scope: the first claimant of a name
/// gets it as is, later ones get `2`, `3`, ... appended. Claim names in a
/// sorted order so the result never depends on discovery order.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// Per name: the suffix to try first next time (names are never
    /// released, so every smaller one is taken). Without it, k names that
    /// collide cost k² tries: 30 000 colliding enum values took minutes.
    next: std::collections::HashMap<String, usize>,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    /// Marks `name` as used without renaming anything.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Returns `name` or the first free `name2`, `name3`, ... and claims it.
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut n = self.next.get(name).copied().unwrap_or(2);
        loop {
            let candidate = format!("{name}{sep}{n}");
            n += 1;
            if self.taken.insert(candidate.clone()) {
                self.next.insert(name.to_string(), n);
                return candidate;
            }
        }
    }

    /// Like [`Scope::claim`] for snake-case identifiers, keeping rawness.
    pub fn claim_ident(&mut self, ident: Ident) -> Ident {
        let name = self.claim(&ident.name);
        let raw = ident.raw && name == ident.name;
        Ident { name, raw }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_names_come_from_the_title_and_the_scheme() {
        assert_eq!(env_prefix("Cloudflare API — AI Gateway"), "CLOUDFLARE");
        assert_eq!(env_prefix("Cloudflare API"), "CLOUDFLARE");
        assert_eq!(
            env_prefix("Swagger Petstore - OpenAPI 3.0"),
            "SWAGGER_PETSTORE"
        );
        assert_eq!(env_prefix("Acme Widgets REST API"), "ACME_WIDGETS");
        assert_eq!(env_prefix("API"), "API");
        assert_eq!(env_prefix("  "), "API");
        assert_eq!(env_prefix("3D Prints: the API"), "C3D_PRINTS");
        assert_eq!(env_var_stem("api_token"), "API_TOKEN");
        assert_eq!(env_var_stem("api_key"), "API_KEY");
        assert_eq!(env_var_stem("api_email"), "EMAIL");
        assert_eq!(env_var_stem("user_service_key"), "USER_SERVICE_KEY");
        assert_eq!(env_var_stem("petstore_auth"), "PETSTORE_AUTH");
        assert_eq!(env_var_stem("api"), "API");
        assert_eq!(credentials_ctor(&["api_token"]).name, "api_token");
        assert_eq!(
            credentials_ctor(&["api_email", "api_key"]).name,
            "email_key"
        );
        assert_eq!(
            credentials_ctor(&["api_email", "api_key", "api_token"]).name,
            "email_key_token"
        );
        assert_eq!(credentials_ctor(&["api", "api_key"]).name, "api_api_key");
        assert_eq!(credentials_ctor(&["type"]).to_ident().to_string(), "r#type");
    }

    #[test]
    fn type_names_are_camel_case() {
        assert_eq!(type_name("aig-config_gateway"), "AigConfigGateway");
        assert_eq!(type_name("ResultInfo"), "ResultInfo");
        assert_eq!(type_name("2fa_setting"), "T2faSetting");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("d"), "DType");
    }

    #[test]
    fn variant_names_handle_symbols_and_digits() {
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("*"), "Any");
        assert_eq!(variant_name("STOP_INSERTING"), "StopInserting");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("application/json"), "ApplicationJson");
        assert_eq!(variant_name("Self"), "SelfValue");
        assert_ne!(variant_name("<"), variant_name(">"));
    }

    #[test]
    fn plural_acronyms_stay_one_word() {
        assert_eq!(snake_ident("requireSignedURLs").name, "require_signed_urls");
        assert_eq!(snake_ident("IDs").name, "ids");
        assert_eq!(snake_ident("listAPIsFor").name, "list_apis_for");
        assert_eq!(type_name("signed URLs"), "SignedUrls");
        // Not a plural: the capitals are left to heck.
        assert_eq!(snake_ident("HTTPServer").name, "http_server");
        assert_eq!(snake_ident("URLsearch").name, "ur_lsearch");
        assert_eq!(snake_ident("CPU").name, "cpu");
    }

    #[test]
    fn snake_idents_escape_keywords() {
        assert_eq!(
            snake_ident("type"),
            Ident {
                name: "type".into(),
                raw: true
            }
        );
        assert_eq!(
            snake_ident("self"),
            Ident {
                name: "self_".into(),
                raw: false
            }
        );
        assert_eq!(
            snake_ident("crate"),
            Ident {
                name: "crate_".into(),
                raw: false
            }
        );
        assert_eq!(
            snake_ident("perPage"),
            Ident {
                name: "per_page".into(),
                raw: false
            }
        );
        assert_eq!(
            snake_ident("2fa"),
            Ident {
                name: "n2fa".into(),
                raw: false
            }
        );
        assert_eq!(snake_ident("").name, "empty");
        assert_eq!(snake_ident("@type").name, "type");
        assert_eq!(snake_ident("X-Auth-Email").name, "x_auth_email");
    }

    #[test]
    fn module_names_avoid_keywords_and_special_files() {
        assert_eq!(module_name("Aig"), "aig");
        assert_eq!(module_name("Mod"), "mod_");
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(module_name("Lib"), "lib_");
        assert_eq!(module_name("Serde"), "serde_");
        assert_eq!(module_name("Models"), "models_");
        assert_eq!(first_word("AigConfigGateway"), "Aig");
        assert_eq!(first_word("T2fa"), "T2fa");
        assert_eq!(first_word("ABC"), "A");
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut s = Scope::new();
        assert_eq!(s.claim("Gateway"), "Gateway");
        assert_eq!(s.claim("Gateway"), "Gateway2");
        assert_eq!(s.claim("Gateway"), "Gateway3");
        assert_eq!(s.claim("V1"), "V1");
        assert_eq!(s.claim("V1"), "V1_2");
        let raw = s.claim_ident(snake_ident("type"));
        assert!(raw.raw);
        let again = s.claim_ident(snake_ident("type"));
        assert_eq!(
            again,
            Ident {
                name: "type2".into(),
                raw: false
            }
        );
    }

    #[test]
    fn invalid_names_are_reported_with_their_pointer() {
        let mut api = crate::ir::Api::default();
        api.types.push(crate::ir::TypeDef {
            name: "Not valid".into(),
            doc: None,
            pointer: "#/components/schemas/X".into(),
            kind: crate::ir::TypeKind::Alias(crate::ir::Shape::new(crate::ir::Kind::String)),
        });
        let mut diags = crate::diagnostics::Diagnostics::default();
        report_invalid(&api, &mut diags);
        let found: Vec<_> = diags.iter().map(|d| (d.kind, d.pointer.as_str())).collect();
        assert_eq!(found, [("invalid-name", "#/components/schemas/X")]);
        assert!(is_identifier("r2_d2") && is_identifier("_x"));
        assert!(!is_identifier("") && !is_identifier("_") && !is_identifier("9a"));
    }

    #[test]
    fn idents_are_valid_rust() {
        for input in ["type", "self", "a b", "9", "", "ü", "__", "_"] {
            let id = snake_ident(input);
            assert!(is_identifier(&id.name) && is_identifier(&type_name(input)));
            let _ = id.to_ident();
            let _ = proc_macro2::Ident::new(&type_name(input), proc_macro2::Span::call_site());
        }
    }
}
