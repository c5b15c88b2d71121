//! Keeping a secret out of server text: a server or proxy that echoes the
//! request's credentials must not get them into errors, logs or traces.
//!
//! Every non-empty secret is scrubbed, however short: a leaked secret costs
//! more than a mangled message. The price is false positives: a secret of a
//! few bytes also replaces the same bytes where they are not the secret
//! (a 3-byte secret `abc` turns `abcdef` into `[redacted]def`). Real tokens
//! and keys are 32 bytes and more, so in practice only test secrets hit it.
//!
//! Besides the secret as sent, the forms a server is likely to echo it in
//! are scrubbed too: JSON-escaped (inside a JSON string), and
//! percent-encoded (in a URL or a form body), with upper- and lower-case hex.

/// What replaces a secret.
pub const REDACTED: &[u8] = b"[redacted]";

/// The forms of `secret` a server may echo: as sent, JSON-escaped, and
/// percent-encoded (upper- and lower-case hex); each once, longest first,
/// none empty.
pub fn forms(secret: &[u8]) -> Vec<Vec<u8>> {
    if secret.is_empty() {
        return Vec::new();
    }
    let mut out = vec![secret.to_vec()];
    if let Ok(text) = std::str::from_utf8(secret) {
        if let Ok(quoted) = serde_json::to_string(text) {
            out.push(quoted.as_bytes()[1..quoted.len() - 1].to_vec());
        }
    }
    let percent: String =
        percent_encoding::percent_encode(secret, percent_encoding::NON_ALPHANUMERIC).to_string();
    out.push(percent.clone().into_bytes());
    out.push(lower_hex(&percent).into_bytes());
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out.dedup();
    out
}

/// `%2F` → `%2f`: the hex digits of every escape in lower case.
fn lower_hex(percent: &str) -> String {
    let mut out = String::with_capacity(percent.len());
    let mut hex_left = 0;
    for c in percent.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The length of the longest form of `secret` ([`forms`]): how many bytes
/// past a cut must be read so that a secret crossing it is seen whole.
pub fn longest_form(secret: &[u8]) -> usize {
    forms(secret).first().map_or(0, Vec::len)
}

/// `text` with every form of `secret` replaced by [`REDACTED`]. When the
/// text was `cut` (it is the start of something longer), a tail that is the
/// start of a form is replaced too: the rest of the secret was cut off.
pub fn scrub(text: &[u8], secret: &[u8], cut: bool) -> Vec<u8> {
    let forms = forms(secret);
    if forms.is_empty() {
        return text.to_vec();
    }
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        match forms.iter().find(|f| rest.starts_with(f)) {
            Some(form) => {
                out.extend_from_slice(REDACTED);
                i += form.len();
            }
            None if cut && forms.iter().any(|f| f.starts_with(rest)) => {
                out.extend_from_slice(REDACTED);
                i = text.len();
            }
            None => {
                out.push(text[i]);
                i += 1;
            }
        }
    }
    out
}

/// Server text made safe to print on a terminal: control characters
/// (escape sequences, carriage returns, line breaks) and Unicode's
/// bidirectional overrides and isolates are shown escaped (`\u{1b}`,
/// `\u{202e}`) instead of acting.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
