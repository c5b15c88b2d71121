//! Spec descriptions are CommonMark; rustdoc and clippy read doc comments
//! as Markdown too, but more strictly. This module parses a description
//! with `pulldown-cmark` (the parser rustdoc uses, with rustdoc's options)
//! and edits the source text only where rustdoc or clippy would object,
//! so links, lists, emphasis, tables and code spans stay as written:
//!
//! - bare URLs become autolinks (`<https://…>`), as rustdoc's `bare_urls`
//!   asks;
//! - brackets that are not links (`[code]`) are escaped, so rustdoc does
//!   not take them for broken intra-doc links;
//! - fenced code blocks are `text` blocks and indented code blocks become
//!   fenced `text` blocks: a spec's example is never a doctest;
//! - raw HTML is shown as text (rustdoc warns on unclosed tags), except
//!   line breaks and comments;
//! - a paragraph line of a list item or block quote gets the item's
//!   indentation or the quote's `>` (clippy's `doc_lazy_continuation` and
//!   `doc_overindented_list_items`).
//!
//! The output depends on the text alone.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// rustdoc's Markdown extensions (`rustdoc::html::markdown`), less smart
/// punctuation, which changes text but not structure.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A container a paragraph line may have to be re-indented for.
#[derive(Clone, Copy)]
enum Container {
    /// A list item whose content starts at this column.
    Item(usize),
    Quote,
}

/// Edits to the source: replace `range` by `text`, applied in order.
#[derive(Default)]
struct Edits(Vec<(Range<usize>, String)>);

impl Edits {
    fn replace(&mut self, range: Range<usize>, text: impl Into<String>) {
        self.0.push((range, text.into()));
    }

    fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.replace(at..at, text);
    }

    fn apply(mut self, src: &str) -> String {
        // Stable: insertions at one place keep their order.
        self.0.sort_by_key(|(r, _)| (r.start, r.end));
        let mut out = String::with_capacity(src.len() + 16 * self.0.len());
        let mut at = 0;
        for (range, text) in self.0 {
            if range.start < at {
                continue; // overlaps an earlier edit: keep the first
            }
            out.push_str(&src[at..range.start]);
            out.push_str(&text);
            at = range.end;
        }
        out.push_str(&src[at..]);
        out
    }
}

/// The description `src` as Markdown rustdoc and clippy accept without a
/// warning, meaning what it meant. `src` has no control characters other
/// than `\n` (and no tabs: they are a clippy warning in doc comments).
pub fn to_rustdoc(src: &str) -> String {
    let mut edits = Edits::default();
    let mut containers: Vec<Container> = Vec::new();
    let mut links = 0usize;
    let mut in_code = false;
    // The source range of the text run being read (for bare URLs, which
    // the parser may split into several text events).
    let mut run: Option<Range<usize>> = None;
    let mut unclosed_fence: Option<String> = None;
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        let in_text = matches!(event, Event::Text(_)) && links == 0 && !in_code;
        if !in_text {
            if let Some(r) = run.take() {
                link_bare_urls(src, r, &mut edits);
            }
        }
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => links += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => links = links.saturating_sub(1),
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                unclosed_fence = code_block(src, range, &kind, &containers, &mut edits);
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Item) => {
                containers.push(Container::Item(content_column(src, range.start)))
            }
            Event::Start(Tag::BlockQuote(_)) => containers.push(Container::Quote),
            Event::End(TagEnd::Item | TagEnd::BlockQuote(_)) => {
                containers.pop();
            }
            Event::Text(_) if in_text => {
                escape_brackets(src, range.clone(), &mut edits);
                run = Some(match run {
                    Some(r) if r.end == range.start => r.start..range.end,
                    Some(r) => {
                        link_bare_urls(src, r, &mut edits);
                        range
                    }
                    None => range,
                });
            }
            Event::Html(_) | Event::InlineHtml(_) => escape_html(src, range, &mut edits),
            Event::SoftBreak if !in_code => continuation(src, range.end, &containers, &mut edits),
            _ => {}
        }
    }
    if let Some(r) = run.take() {
        link_bare_urls(src, r, &mut edits);
    }
    let mut out = edits.apply(src);
    if let Some(fence) = unclosed_fence {
        // A description's code block must end inside its own text: other
        // doc lines may follow it.
        out.push('\n');
        out.push_str(&fence);
    }
    out
}

/// Where the line holding `at` starts.
fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The column where the content of the list item whose marker is at `at`
/// starts (CommonMark: after the marker and one to four spaces).
fn content_column(src: &str, at: usize) -> usize {
    let column = at - line_start(src, at);
    let rest = &src[at..];
    let marker = match rest.bytes().next() {
        Some(b'-' | b'*' | b'+') => 1,
        _ => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            digits + 1
        }
    };
    let after = &rest[marker.min(rest.len())..];
    let line = after.split('\n').next().unwrap_or("");
    let spaces = line.bytes().take_while(|b| *b == b' ').count();
    let spaces = if spaces == 0 || spaces > 4 || spaces == line.len() {
        1
    } else {
        spaces
    };
    column + marker + spaces
}

/// A soft break ends a paragraph line; the next line starts at `next`.
/// Gives it the indentation of the list item it continues, or the `>` of
/// the quote, when it has other (lazy or over-indented) indentation.
fn continuation(src: &str, next: usize, containers: &[Container], edits: &mut Edits) {
    let start = match src[..next].rfind('\n') {
        Some(i) => i + 1,
        None => return,
    };
    let line = &src[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let spaces = line.bytes().take_while(|b| *b == b' ').count();
    let content = &line[spaces..];
    if containers.iter().any(|c| matches!(c, Container::Quote)) {
        let depth = containers.len();
        let all_quotes = containers.iter().all(|c| matches!(c, Container::Quote));
        if all_quotes && !content.starts_with('>') {
            edits.replace(start..start + spaces, "> ".repeat(depth));
        }
        return;
    }
    let Some(Container::Item(column)) = containers.last() else {
        return;
    };
    // Moving a line left could make it start a block (a list, a heading,
    // a setext underline) where it did not: only plain text moves left.
    let plain = content
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() && !c.is_ascii_digit() || "([\"'`".contains(c));
    if spaces < *column || (spaces > *column && plain) {
        edits.replace(start..start + spaces, " ".repeat(*column));
    }
}

/// A code block never becomes a doctest: a fence's info string becomes
/// `text`; an indented block becomes a fenced `text` block. Returns the
/// closing fence when a fenced block runs to the end of the text.
fn code_block(
    src: &str,
    range: Range<usize>,
    kind: &CodeBlockKind<'_>,
    containers: &[Container],
    edits: &mut Edits,
) -> Option<String> {
    let block = &src[range.clone()];
    match kind {
        CodeBlockKind::Fenced(_) => {
            let indent = block.bytes().take_while(|b| *b == b' ').count();
            let fence_char = block[indent..].chars().next()?;
            let fence_len = block[indent..]
                .chars()
                .take_while(|c| *c == fence_char)
                .count();
            let info_start = range.start + indent + fence_len;
            let info_end = src[info_start..]
                .find('\n')
                .map_or(src.len(), |i| info_start + i);
            edits.replace(info_start..info_end, "text");
            let fence = fence_char.to_string().repeat(fence_len);
            let last = block.trim_end().rsplit('\n').next().unwrap_or("").trim();
            let closed = block.trim_end().contains('\n')
                && last.len() >= fence_len
                && last.chars().all(|c| c == fence_char);
            (!closed && src[range.end..].trim().is_empty() && containers.is_empty())
                .then_some(fence)
        }
        CodeBlockKind::Indented => {
            indented_code(src, range, containers, edits);
            None
        }
    }
}

/// An indented code block (rustdoc compiles those as Rust) as a fenced
/// `text` block at its container's indentation, its lines four columns
/// less indented.
fn indented_code(src: &str, range: Range<usize>, containers: &[Container], edits: &mut Edits) {
    let first = line_start(src, range.start);
    let prefix = &src[first..range.start];
    let indent = match containers.last() {
        Some(Container::Item(column)) => *column,
        Some(Container::Quote) => {
            // Rare: keep the block's own lines, fenced at the quote's level.
            let quote: String = prefix.chars().filter(|c| *c == '>').map(|_| "> ").collect();
            edits.insert(first, format!("{quote}```text\n"));
            edits.insert(range.end, format!("{quote}```\n"));
            return;
        }
        None => 0,
    };
    let pad = " ".repeat(indent);
    edits.insert(first, format!("{pad}```text\n"));
    let mut at = first;
    while at < range.end {
        let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
        let line = &src[at..end];
        let spaces = line.bytes().take_while(|b| *b == b' ').count();
        let drop = spaces.min(indent + 4);
        let keep = drop.min(indent);
        edits.replace(at..at + drop, " ".repeat(keep));
        at = end + 1;
    }
    let close = if src[..range.end].ends_with('\n') || range.end == src.len() && src.ends_with('\n')
    {
        format!("{pad}```\n")
    } else {
        format!("\n{pad}```")
    };
    edits.insert(range.end, close);
}

/// Escapes the brackets of a text event: text is never a link, so a
/// bracket there is one rustdoc would try to resolve as an intra-doc link.
fn escape_brackets(src: &str, range: Range<usize>, edits: &mut Edits) {
    for (i, c) in src[range.clone()].char_indices() {
        let at = range.start + i;
        if matches!(c, '[' | ']') && !escaped(src, at) {
            edits.insert(at, "\\");
        }
    }
}

/// Whether the character at `at` follows an odd number of backslashes
/// (it is escaped already).
fn escaped(src: &str, at: usize) -> bool {
    src[..at].bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1
}

/// Raw HTML as text (`&lt;`), except line breaks and comments, which
/// rustdoc accepts.
fn escape_html(src: &str, range: Range<usize>, edits: &mut Edits) {
    let html = &src[range.clone()];
    for (i, _) in html.match_indices('<') {
        let tag = &html[i + 1..];
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let keep = tag.starts_with("!--") || matches!(name.as_str(), "br" | "hr" | "wbr");
        if !keep {
            edits.replace(range.start + i..range.start + i + 1, "&lt;");
        }
    }
}

/// Bare `http(s)://` URLs in a run of text become autolinks. A URL ends
/// at a space or a character an autolink cannot hold; trailing
/// punctuation and an unbalanced `)` are the sentence's, not the URL's.
fn link_bare_urls(src: &str, run: Range<usize>, edits: &mut Edits) {
    let text = &src[run.clone()];
    let mut from = 0;
    while let Some(found) = find_url_start(&text[from..]) {
        let start = from + found;
        let rest = &text[start..];
        let mut len = rest
            .find(|c: char| c.is_whitespace() || "<>\"`[]{}|\\^".contains(c))
            .unwrap_or(rest.len());
        loop {
            let url = &rest[..len];
            let Some(last) = url.chars().last() else {
                break;
            };
            let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
            if ".,;:!?*_~'".contains(last) || unbalanced {
                len -= last.len_utf8();
            } else {
                break;
            }
        }
        let url = &rest[..len];
        let host = url.split_once("://").map_or("", |(_, h)| h);
        if host.contains('.') && !escaped(src, run.start + start) {
            edits.insert(run.start + start, "<");
            edits.insert(run.start + start + len, ">");
        }
        from = start + len.max(1);
    }
}

fn find_url_start(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::to_rustdoc as md;

    #[test]
    fn keeps_markdown_that_is_fine_as_it_is() {
        let text = "Some *emphasis*, `code [x]`, a [link](https://example.com) and\n\n- a list\n- of two\n\n| a | b |\n|---|---|\n| 1 | 2 |";
        assert_eq!(md(text), text);
        assert_eq!(
            md("[ref] to it\n\n[ref]: https://example.com"),
            "[ref] to it\n\n[ref]: https://example.com"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            md("See https://developers.cloudflare.com/api/zone_settings."),
            "See <https://developers.cloudflare.com/api/zone_settings>."
        );
        assert_eq!(md("(at http://a.io/x(1))"), "(at <http://a.io/x(1)>)");
        assert_eq!(md("already <https://a.io>"), "already <https://a.io>");
        assert_eq!(
            md("[https://a.io](https://a.io)"),
            "[https://a.io](https://a.io)"
        );
        assert_eq!(md("`https://a.io`"), "`https://a.io`");
        assert_eq!(md("not a host: https://x"), "not a host: https://x");
    }

    #[test]
    fn brackets_that_are_not_links_are_escaped() {
        assert_eq!(
            md("use [code] or [JSONata]"),
            "use \\[code\\] or \\[JSONata\\]"
        );
        assert_eq!(md("already \\[x\\]"), "already \\[x\\]");
        assert_eq!(md("a[0][1]"), "a\\[0\\]\\[1\\]");
        assert_eq!(md("note[^1]"), "note\\[^1\\]");
    }

    #[test]
    fn code_blocks_are_text() {
        assert_eq!(md("```json\n{}\n```"), "```text\n{}\n```");
        assert_eq!(md("```\nfn x() {}\n```"), "```text\nfn x() {}\n```");
        assert_eq!(md("~~~no_run\nx\n~~~"), "~~~text\nx\n~~~");
        assert_eq!(md("```json\n{}"), "```text\n{}\n```");
        assert_eq!(
            md("a:\n\n    let x = 1;\n    y\n\nb"),
            "a:\n\n```text\nlet x = 1;\ny\n```\n\nb"
        );
        assert_eq!(md("    code"), "```text\ncode\n```");
        assert_eq!(
            md("- item:\n\n      code\n- next"),
            "- item:\n\n  ```text\n  code\n  ```\n- next"
        );
    }

    #[test]
    fn html_is_text() {
        assert_eq!(
            md("a <b>bold</b> line<br/>"),
            "a &lt;b>bold&lt;/b> line<br/>"
        );
        assert_eq!(md("<script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(
            md("id <uuid> here"),
            "id <uuid> here".replace("<uuid>", "&lt;uuid>")
        );
    }

    #[test]
    fn list_and_quote_continuations_are_indented() {
        assert_eq!(md("- one\ntwo\n- three"), "- one\n  two\n- three");
        assert_eq!(md("1. one\n      two"), "1. one\n   two");
        assert_eq!(md("* a\n  * b\n  c"), "* a\n  * b\n    c");
        assert_eq!(md("> quoted\nlazy"), "> quoted\n> lazy");
        assert_eq!(md("- a\n     - b"), "- a\n     - b");
    }
}
