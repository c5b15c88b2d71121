//! Unit tests of `src/pattern.rs`.

use crate::runtime::pattern::*;

/// Values to try a pattern on: edge characters of both syntaxes, and
/// strings made of the pattern's own characters.
fn probes(pattern: &str) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "a",
        "A",
        "z9",
        "_",
        "-",
        " ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\u{2028}",
        "\u{a0}",
        "\u{feff}",
        "\u{3000}",
        "é",
        "δ",
        "٣",
        "abc-def",
        "a.b",
        "x/y",
        "[a]",
        "{1}",
        "\\",
        "$",
        "^",
        "00000000-0000-0000-0000-000000000000",
        "2024-05-01T10:00:00Z",
        "user@example.com",
        "https://example.com/a?b=c",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let own: Vec<char> = pattern.chars().filter(|c| !"\\^$".contains(*c)).collect();
    for window in 1..=4 {
        for chunk in own.chunks(window) {
            out.push(chunk.iter().collect());
        }
    }
    out.push(own.iter().collect());
    out.push(own.iter().filter(|c| c.is_alphanumeric()).collect());
    out
}

/// The two engines agree on every probe of `pattern`.
fn assert_same_matches(pattern: &str) {
    let ecma = regress::Regex::new(pattern).unwrap();
    let translated = translate(pattern).unwrap();
    let linear = regex_lite::Regex::new(&translated)
        .unwrap_or_else(|e| panic!("{pattern:?} → {translated:?}: {e}"));
    for probe in probes(pattern) {
        assert_eq!(
            linear.is_match(&probe),
            ecma.find(&probe).is_some(),
            "{pattern:?} (as {translated:?}) on {probe:?}"
        );
    }
}

#[test]
fn common_spec_patterns_take_the_linear_engine_with_the_same_matches() {
    for pattern in [
        r"^[a-z0-9_-]+$",
        r"^[a-zA-Z0-9-]{1,63}$",
        r"^[0-9a-f]{32}$",
        r"^\d{4}-\d{2}-\d{2}$",
        r"^\S+@\S+\.\S+$",
        r"^(https?):\/\/[^\s/$.?#].[^\s]*$",
        r"^[\w.-]+$",
        r"^\s*$",
        r"[^\s]",
        r".",
        r"^.{0,5}$",
        r"\bword\b",
        r"^(a|b|)+?$",
        r"^(?:[a-z]+\.)*[a-z]+$",
        r"^(?<id>[0-9]+)$",
        r"^[\x41-\x5A\u00e9]+$",
        r"^[-a]$",
        r"^[a-]$",
        r"^[\]\[\\/]+$",
        r"^\$\^\.\*\+\?\(\)\{\}\|$",
        r"^[\b]$",
        r"\0",
        r"\cJ",
        r"\t\n\v\f\r",
        r"^[\s\d]{2,}$",
        r"a{3}b{1,}c{0,2}?",
        r"^(/[\S]+)?[\D][\W]$",
        r"#&~ ",
    ] {
        assert_eq!(
            Compiled::new(pattern).map(|c| c.engine()),
            Some(Engine::Linear),
            "{pattern:?}"
        );
        assert_same_matches(pattern);
    }
}

#[test]
fn patterns_a_linear_engine_cannot_check_fall_back_to_ecma() {
    for pattern in [
        r"^[a-z]+(?=-)",
        r"(?!x)",
        r"(?<=a)b",
        r"(?<!a)b",
        r"(a)\1",
        r"(?<n>a)\k<n>",
        r"\p{L}",
        r"a{",
        r"a{,3}",
        r"[]",
        r"[^]",
        r"[^\D]",
        r"[a\D]",
        r"[\d-z]",
        r"\uD83D\uDE00",
        r"\q",
        r"]",
    ] {
        let compiled = Compiled::new(pattern);
        if let Some(c) = &compiled {
            assert_eq!(c.engine(), Engine::Backtracking, "{pattern:?}");
        }
        assert_eq!(
            compiled.is_some(),
            regress::Regex::new(pattern).is_ok(),
            "{pattern:?}"
        );
    }
    // Invalid ECMA-262 stays invalid, whatever the other syntax says.
    for pattern in [r"(?i)a", r"a**", r"(?P<n>a)", "("] {
        assert!(Compiled::new(pattern).is_none(), "{pattern:?}");
    }
}

#[test]
fn a_pathological_pattern_is_linear_and_long_values_skip_backtracking() {
    let evil = Compiled::new(r"^(a+)+$").unwrap();
    assert_eq!(evil.engine(), Engine::Linear);
    let mut value = "a".repeat(100_000);
    value.push('b');
    assert_eq!(evil.is_match(&value), Some(false));
    // A backtracking pattern is not run on values over the cap.
    let backtracking = Compiled::new(r"^a+(?=b)").unwrap();
    assert_eq!(backtracking.engine(), Engine::Backtracking);
    assert_eq!(backtracking.is_match(&value), None);
    assert_eq!(backtracking.is_match("aab"), Some(true));
    let mut longest = "a".repeat(BACKTRACKING_MAX_CHARS - 1);
    longest.push('b');
    assert_eq!(backtracking.is_match(&longest), Some(true));
    longest.insert(0, 'a');
    assert_eq!(backtracking.is_match(&longest), None);
}

/// Every pattern of the whole Cloudflare specs (when `../shared` is
/// there): how many take the linear engine, and the same matches there.
#[test]
fn the_cloudflare_specs_patterns() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/specs");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipped: {dir} is absent");
        return;
    };
    let mut patterns = std::collections::BTreeSet::new();
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
        collect_patterns(&spec, &mut patterns);
    }
    let mut linear = 0;
    for p in &patterns {
        match Compiled::new(p).map(|c| c.engine()) {
            Some(Engine::Linear) => {
                linear += 1;
                assert_same_matches(p);
            }
            Some(Engine::Backtracking) => eprintln!("backtracking: {p:?}"),
            None => {}
        }
    }
    eprintln!(
        "{linear} of {} distinct patterns take the linear engine",
        patterns.len()
    );
    assert!(
        linear * 10 >= patterns.len() * 9,
        "{linear} of {}",
        patterns.len()
    );
}

fn collect_patterns(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("pattern", serde_json::Value::String(p)) => {
                        out.insert(p.clone());
                    }
                    _ => collect_patterns(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_patterns(v, out)),
        _ => {}
    }
}
