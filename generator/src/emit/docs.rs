//! Spec text into doc attributes that rustdoc renders as written and never misreads.
//!
//! Descriptions are CommonMark written for other tools. Left as they are, `[foo]` becomes a
//! broken intra-doc link, `<br>` an unclosed HTML tag, a bare URL a lint, and an indented or
//! unlabelled fenced block a doctest that fails to compile. Text is only ever emitted through
//! `#[doc = "..."]` string literals, so it cannot become code.

use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes for spec text `text` (nothing when `text` is blank).
pub fn doc_attrs(text: &str) -> TokenStream {
    doc_attrs_markdown(&sanitize(text))
}

/// Doc attributes for Markdown the generator wrote itself (spec text in it already sanitized).
///
/// Whatever the text, each attribute holds one line with no line break, carriage return or
/// bidirectional control in it, so the formatter writes it as a `///` comment that ends where
/// the line ends and reads as it is. While `deferred::deferring` runs, the lines are kept
/// aside and one placeholder attribute stands for them.
pub fn doc_attrs_markdown(cleaned: &str) -> TokenStream {
    let lines = markdown_lines(cleaned);
    if lines.is_empty() {
        return TokenStream::new();
    }
    let lines = match super::deferred::doc_comment(lines) {
        Ok(placeholder) => return placeholder,
        Err(lines) => lines,
    };
    let lines = lines.iter().map(|line| quote!(#[doc = #line]));
    quote!(#(#lines)*)
}

/// The values of the doc attributes [`doc_attrs_markdown`] makes of `cleaned`: none when it
/// is blank. Tabs, which clippy refuses in doc comments (`tabs_in_doc_comments`), are four
/// spaces, inside code blocks too.
fn markdown_lines(cleaned: &str) -> Vec<String> {
    let cleaned = plain_lines(cleaned);
    if cleaned.trim().is_empty() {
        return Vec::new();
    }
    cleaned
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {}", line.replace('\t', "    "))
            }
        })
        .collect()
}

/// Joins non-empty paragraphs with blank lines.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Line breaks of every kind (CRLF, CR, NEL, the Unicode line and paragraph separators)
/// become `\n`; hidden controls are dropped.
fn plain_lines(text: &str) -> String {
    // Most text is printable ASCII, lines and tabs, which this leaves as it is.
    if text
        .bytes()
        .all(|b| matches!(b, b' '..=b'~' | b'\n' | b'\t'))
    {
        return text.to_owned();
    }
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        })
        .filter(|c| !is_hidden_control(*c))
        .collect()
}

/// Makes `text` safe to render with rustdoc (see the module docs).
pub fn sanitize(text: &str) -> String {
    let text = plain_lines(text);
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        let fence_marker = ["```", "~~~"].into_iter().find(|m| line.starts_with(m));
        match (&fence, fence_marker) {
            (None, Some(marker)) => {
                let info = line
                    .trim_start_matches(marker.chars().next().unwrap_or('`'))
                    .trim();
                // Unlabelled and Rust blocks would be compiled as doctests.
                let info = if info.is_empty() || info.starts_with("rust") {
                    "text"
                } else {
                    info
                };
                out.push(format!("{marker}{}", sanitize_info(info)));
                fence = Some(marker.to_owned());
            }
            (Some(open), Some(marker))
                if open == marker && line.trim_start_matches(['`', '~']).is_empty() =>
            {
                out.push(marker.to_owned());
                fence = None;
            }
            (Some(_), _) => out.push(raw.trim_end().to_owned()),
            (None, None) => out.push(escape_line(line)),
        }
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    // Drop leading and trailing blank lines.
    let start = out.iter().position(|l| !l.is_empty()).unwrap_or(out.len());
    let end = out
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |i| i + 1);
    out[start..end].join("\n")
}

/// Keeps a fence's info string to one plain word.
fn sanitize_info(info: &str) -> String {
    let word: String = info
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if word.is_empty() {
        String::from("text")
    } else {
        word
    }
}

/// Bidirectional overrides and other invisible format characters could make the rendered text
/// (or the generated source) read differently from what it is; they are dropped.
fn is_hidden_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{FEFF}')
        || (c.is_control() && c != '\n' && c != '\t')
}

/// Escapes one line outside fenced blocks; text inside backtick code spans is left alone.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, segment) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 {
            out.push_str(segment);
        } else {
            out.push_str(&link_urls(&escape_markup(segment)));
        }
    }
    out.replace('\t', "    ")
}

fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

/// Where the first `http://` or `https://` in `text` starts. One forward scan: searching for
/// each scheme in the whole rest after every URL would be quadratic in a line of many URLs.
fn next_url(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let at = from + found;
        let tail = &text[at..];
        if tail.starts_with("https://") || tail.starts_with("http://") {
            return Some(at);
        }
        from = at + "http".len();
    }
    None
}

/// Wraps bare `http(s)://` URLs in `<...>` so rustdoc renders them as links.
fn link_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(start) = next_url(rest) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | '&' | '\\' | '*')
            })
            .unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?']) {
            end -= 1;
        }
        let url = &tail[..end];
        if url.len() > "https://".len() {
            out.push('<');
            out.push_str(url);
            out.push('>');
        } else {
            out.push_str(url);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_and_html_are_escaped() {
        assert_eq!(
            sanitize("See [entity] and <br> tags"),
            "See \\[entity\\] and &lt;br&gt; tags"
        );
    }

    #[test]
    fn code_spans_are_left_alone() {
        assert_eq!(
            sanitize("Use `a[0] <b>` here [x]"),
            "Use `a[0] <b>` here \\[x\\]"
        );
    }

    #[test]
    fn urls_become_links() {
        assert_eq!(
            sanitize("Located at https://graph.microsoft.com/beta."),
            "Located at <https://graph.microsoft.com/beta>."
        );
        assert_eq!(
            link_urls("http or https: see http://a.example, then https://b.example/x."),
            "http or https: see <http://a.example>, then <https://b.example/x>."
        );
        assert_eq!(link_urls("httphttp https://"), "httphttp https://");
    }

    #[test]
    fn a_line_of_many_urls_is_linked_in_linear_time() {
        // 100,000 URLs on one line: a scan of the rest per URL would take minutes.
        let line = "https://a.example ".repeat(100_000);
        let started = std::time::Instant::now();
        let linked = link_urls(&line);
        assert_eq!(linked.matches("<https://a.example>").count(), 100_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn indented_and_unlabelled_code_cannot_become_doctests() {
        assert_eq!(sanitize("text\n\n    let x = 1;"), "text\n\nlet x = 1;");
        assert_eq!(
            sanitize("```\nfn main() {}\n```"),
            "```text\nfn main() {}\n```"
        );
        assert_eq!(sanitize("```rust\nx\n"), "```text\nx\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
    }

    #[test]
    fn tabs_are_spaces_in_text_and_in_code_blocks() {
        let tokens =
            doc_attrs("Upload:\n\n```js\n\tform.submit();\n```\n\tindented\ttext").to_string();
        // A tab would be written `\t` in the literal.
        assert!(!tokens.contains("\\t"), "{tokens}");
        assert!(tokens.contains("\"     form.submit();\""), "{tokens}");
    }

    #[test]
    fn bidi_controls_are_dropped() {
        assert_eq!(sanitize("a\u{202E}b\u{2066}c"), "abc");
    }

    #[test]
    fn every_line_break_ends_a_doc_line() {
        assert_eq!(sanitize("a\rb\u{2028}c\u{85}d\u{2029}e"), "a\nb\nc\nd\ne");
        let tokens = doc_attrs_markdown("x\ry\u{202E}z").to_string();
        assert_eq!(tokens, "# [doc = \" x\"] # [doc = \" yz\"]");
    }

    #[test]
    fn doc_attrs_are_string_literals() {
        let tokens = doc_attrs("\"); std::process::exit(1); //").to_string();
        assert!(tokens.starts_with("# [doc = \""), "{tokens}");
        assert!(doc_attrs("  \n ").is_empty());
    }
}
