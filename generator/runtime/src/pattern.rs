//! ECMA-262 patterns checked in time linear in the value, wherever the
//! pattern allows it.
//!
//! A spec's `pattern` is an ECMA-262 regular expression, and the values it
//! is checked against come from a server. A backtracking engine can take
//! exponential time on a crafted value (`^(a+)+$` against `aaa…ab`), so a
//! pattern is first translated into the syntax of `regex-lite`, whose
//! search time is linear in the value (`O(pattern × value)`). The
//! translation accepts only constructs whose meaning it states exactly in
//! the other syntax (`.` excludes ECMA's four line terminators, `\s` is
//! ECMA's whitespace set, `\d`, `\w` and `\b` are ASCII in both) and refuses
//! the rest. Only a pattern that needs what a linear engine cannot do
//! (lookaround, backreferences) or that the translation does not know goes
//! to the ECMA-262 backtracking engine (`regress`), and then only for values
//! of at most [`BACKTRACKING_MAX_CHARS`] characters.

/// The longest value (in characters) checked against a pattern that needs
/// the backtracking engine; a longer one is reported as not matching.
pub const BACKTRACKING_MAX_CHARS: usize = 4096;

/// Which engine checks a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Linear in the value's length, for any value.
    Linear,
    /// ECMA-262 backtracking, for values of at most
    /// [`BACKTRACKING_MAX_CHARS`] characters.
    Backtracking,
}

/// A compiled pattern.
pub enum Compiled {
    Linear(regex_lite::Regex),
    Backtracking(regress::Regex),
}

impl Compiled {
    /// Compiles an ECMA-262 pattern with the linear engine when its
    /// translation is exact, else with the backtracking one. `None` if it is
    /// not a valid ECMA-262 pattern.
    pub fn new(source: &str) -> Option<Compiled> {
        if let Some(linear) = translate(source).and_then(|t| regex_lite::Regex::new(&t).ok()) {
            // A pattern the ECMA engine refuses stays refused.
            return regress::Regex::new(source)
                .ok()
                .map(|_| Compiled::Linear(linear));
        }
        regress::Regex::new(source).ok().map(Compiled::Backtracking)
    }

    pub fn engine(&self) -> Engine {
        match self {
            Compiled::Linear(_) => Engine::Linear,
            Compiled::Backtracking(_) => Engine::Backtracking,
        }
    }

    /// Whether the pattern matches somewhere in `value` (patterns are not
    /// anchored). `None` when the value is too long for the backtracking
    /// engine.
    pub fn is_match(&self, value: &str) -> Option<bool> {
        match self {
            Compiled::Linear(re) => Some(re.is_match(value)),
            Compiled::Backtracking(re) => {
                if value.chars().nth(BACKTRACKING_MAX_CHARS).is_some() {
                    None
                } else {
                    Some(re.find(value).is_some())
                }
            }
        }
    }
}

/// ECMA-262 `\s`: WhiteSpace and LineTerminator.
const ECMA_SPACE: &str = r"\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";

/// The ECMA-262 pattern (no flags) in `regex-lite` syntax with the same
/// matches, or `None` when it uses something this translation does not
/// state exactly.
pub fn translate(source: &str) -> Option<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() * 2);
    let mut i = 0;
    // Whether the last item can take a quantifier (an atom, not an
    // assertion, `(`, `|` or the start).
    let mut quantifiable = false;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '^' | '$' => {
                out.push(c);
                quantifiable = false;
            }
            '|' => {
                out.push('|');
                quantifiable = false;
            }
            '.' => {
                out.push_str(r"[^\x{A}\x{D}\x{2028}\x{2029}]");
                quantifiable = true;
            }
            '(' => {
                i = group_open(&chars, i)?;
                out.push_str("(?:");
                quantifiable = false;
            }
            ')' => {
                out.push(')');
                quantifiable = true;
            }
            '*' | '+' | '?' => {
                if !quantifiable {
                    return None;
                }
                out.push(c);
                i = lazy_suffix(&chars, i, &mut out);
                quantifiable = false;
            }
            '{' => {
                if !quantifiable {
                    return None;
                }
                let (text, next) = counted(&chars, i)?;
                out.push_str(&text);
                i = lazy_suffix(&chars, next, &mut out);
                quantifiable = false;
            }
            '[' => {
                let (class, next) = class(&chars, i)?;
                out.push_str(&class);
                i = next;
                quantifiable = true;
            }
            '\\' => {
                let (atom, next, is_atom) = escape(&chars, i)?;
                out.push_str(&atom);
                i = next;
                quantifiable = is_atom;
            }
            ']' | '}' => return None,
            c => {
                out.push_str(&literal(c));
                quantifiable = true;
            }
        }
    }
    Some(out)
}

/// Where a group's contents start, after the `(` at `i - 1`: plain,
/// non-capturing and named groups all match as `(?:…)`; lookaround and
/// anything else are refused.
fn group_open(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i) != Some(&'?') {
        return Some(i);
    }
    match (chars.get(i + 1), chars.get(i + 2)) {
        (Some(':'), _) => Some(i + 2),
        (Some('<'), Some(n)) if n.is_ascii_alphabetic() || *n == '_' => {
            // A name matters only to backreferences (refused).
            let close = chars[i..].iter().position(|&c| c == '>')?;
            let name = &chars[i + 2..i + close];
            if !name.iter().all(|c| c.is_ascii_alphanumeric() || *c == '_') {
                return None;
            }
            Some(i + close + 1)
        }
        _ => None,
    }
}

/// A `?` after a quantifier makes it lazy: the same matches for a yes/no
/// search.
fn lazy_suffix(chars: &[char], i: usize, out: &mut String) -> usize {
    if chars.get(i) == Some(&'?') {
        out.push('?');
        i + 1
    } else {
        i
    }
}

/// `{n}`, `{n,}` or `{n,m}` after the `{` at `i - 1`. Anything else (ECMA
/// reads a lone `{` as a literal) is refused.
fn counted(chars: &[char], i: usize) -> Option<(String, usize)> {
    let close = i + chars[i..].iter().position(|&c| c == '}')?;
    let body: String = chars[i..close].iter().collect();
    let (low, high) = match body.split_once(',') {
        Some((low, high)) => (low, Some(high)),
        None => (body.as_str(), None),
    };
    let number = |s: &str| !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit());
    if !number(low) || high.is_some_and(|h| !h.is_empty() && !number(h)) {
        return None;
    }
    Some((format!("{{{body}}}"), close + 1))
}

/// A character as a `regex-lite` literal: letters, digits and non-ASCII
/// characters as themselves, everything else as a hex escape.
fn literal(c: char) -> String {
    if c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_control()) {
        c.to_string()
    } else {
        format!(r"\x{{{:X}}}", c as u32)
    }
}

/// An escape after the `\` at `i - 1`: its translation, where it ends, and
/// whether it is an atom (something a quantifier may follow).
fn escape(chars: &[char], i: usize) -> Option<(String, usize, bool)> {
    let c = *chars.get(i)?;
    let next = i + 1;
    let atom = |s: String| Some((s, next, true));
    match c {
        'b' | 'B' => Some((format!(r"\{c}"), next, false)),
        'd' => atom(format!("[{DIGIT}]")),
        'D' => atom(format!("[^{DIGIT}]")),
        'w' => atom(format!("[{WORD}]")),
        'W' => atom(format!("[^{WORD}]")),
        's' => atom(format!("[{ECMA_SPACE}]")),
        'S' => atom(format!("[^{ECMA_SPACE}]")),
        _ => {
            let (ch, end) = escaped_char(chars, i)?;
            Some((literal(ch), end, true))
        }
    }
}

/// A character escape after the `\` at `i - 1` (outside or inside a class):
/// the character and where the escape ends. Backreferences, `\k`, `\p` and
/// identity escapes of letters are refused.
fn escaped_char(chars: &[char], i: usize) -> Option<(char, usize)> {
    let c = *chars.get(i)?;
    let hex = |from: usize, len: usize| -> Option<(char, usize)> {
        let digits: String = chars.get(from..from + len)?.iter().collect();
        let code = u32::from_str_radix(&digits, 16).ok()?;
        Some((char::from_u32(code)?, from + len))
    };
    match c {
        't' => Some(('\t', i + 1)),
        'n' => Some(('\n', i + 1)),
        'v' => Some(('\u{B}', i + 1)),
        'f' => Some(('\u{C}', i + 1)),
        'r' => Some(('\r', i + 1)),
        '0' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => Some(('\0', i + 1)),
        'c' => {
            let letter = chars.get(i + 1).filter(|l| l.is_ascii_alphabetic())?;
            Some((char::from_u32(*letter as u32 % 32)?, i + 2))
        }
        'x' => hex(i + 1, 2),
        // Surrogate halves (`\uD83D\uDE00`) are not characters: refused.
        'u' => hex(i + 1, 4),
        c if c.is_ascii_punctuation() => Some((c, i + 1)),
        _ => None,
    }
}

/// A class `[…]` after the `[` at `i - 1`.
fn class(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    // `[\S]` alone is `\S` (a negated set has no flat form inside a class).
    if let (Some('\\'), Some('D' | 'W' | 'S'), Some(']')) =
        (chars.get(i), chars.get(i + 1), chars.get(i + 2))
    {
        let (set, ..) = escape(chars, i + 1)?;
        return Some((set, i + 3));
    }
    let mut out = String::from("[");
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut items = 0;
    loop {
        let c = *chars.get(i)?;
        if c == ']' {
            // `[]` matches nothing and `[^]` anything: no exact translation.
            if items == 0 {
                return None;
            }
            out.push(']');
            return Some((out, i + 1));
        }
        let (first, next) = class_atom(chars, i)?;
        i = next;
        items += 1;
        match first {
            ClassAtom::Set(set) => {
                // `[\d-z]` is a literal `-` in ECMA (Annex B): refused.
                if chars.get(i) == Some(&'-') && chars.get(i + 1) != Some(&']') {
                    return None;
                }
                out.push_str(set);
            }
            ClassAtom::Char(low) => {
                let is_range =
                    chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&c| c != ']');
                if is_range {
                    let (high, next) = class_atom(chars, i + 1)?;
                    let ClassAtom::Char(high) = high else {
                        return None;
                    };
                    if high < low {
                        return None;
                    }
                    out.push_str(&format!("{}-{}", literal(low), literal(high)));
                    i = next;
                } else {
                    out.push_str(&literal(low));
                }
            }
        }
    }
}

enum ClassAtom {
    Char(char),
    /// A class escape, as the ranges it stands for.
    Set(&'static str),
}

fn class_atom(chars: &[char], i: usize) -> Option<(ClassAtom, usize)> {
    let c = *chars.get(i)?;
    if c != '\\' {
        return Some((ClassAtom::Char(c), i + 1));
    }
    let e = *chars.get(i + 1)?;
    match e {
        'd' => Some((ClassAtom::Set(DIGIT), i + 2)),
        'w' => Some((ClassAtom::Set(WORD), i + 2)),
        's' => Some((ClassAtom::Set(ECMA_SPACE), i + 2)),
        // `[\b]` is a backspace.
        'b' => Some((ClassAtom::Char('\u{8}'), i + 2)),
        // Negated sets inside a class (`[\D]`) have no flat translation.
        'D' | 'W' | 'S' | 'B' => None,
        _ => {
            let (ch, end) = escaped_char(chars, i + 1)?;
            Some((ClassAtom::Char(ch), end))
        }
    }
}
