//! Patterns: parsing `--include`/`--exclude` text and matching it against an operation.

use crate::error::{Error, ErrorKind};

/// HTTP methods in the order a path item lists them.
pub(super) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A parsed include or exclude pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub(super) text: String,
    pub(super) kind: PatternKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PatternKind {
    /// Path segments (`**` is a segment of its own), and the methods (lowercase; empty: any).
    Path {
        methods: Vec<&'static str>,
        segments: Vec<String>,
    },
    Tag(String),
    OperationId(String),
}

/// What a pattern is matched against.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate<'a> {
    pub(super) path: &'a str,
    /// Lowercase method key; empty for a path item given by `$ref`, which has no visible
    /// operations.
    pub(super) method: &'static str,
    pub(super) tags: &'a [String],
    pub(super) operation_id: Option<&'a str>,
}

impl Pattern {
    /// Parses `text`; the error says what the syntax is.
    pub fn parse(text: &str) -> Result<Pattern, Error> {
        let syntax = "write `/path/**`, `GET,POST:/path/*`, `tag:NAME` or `operationId:NAME` (`*` is one path segment, `**` any number of them)";
        let invalid = |message: String| {
            Error::new(ErrorKind::Invalid, message)
                .at_pointer("#/paths")
                .with_help(syntax)
        };
        let kind = if let Some(tag) = text.strip_prefix("tag:") {
            if tag.is_empty() {
                return Err(invalid(format!("pattern `{text}` names no tag")));
            }
            PatternKind::Tag(tag.to_owned())
        } else if let Some(id) = text.strip_prefix("operationId:") {
            if id.is_empty() {
                return Err(invalid(format!("pattern `{text}` names no operationId")));
            }
            PatternKind::OperationId(id.to_owned())
        } else if text.starts_with('/') {
            PatternKind::Path {
                methods: Vec::new(),
                segments: path_segments(text),
            }
        } else if let Some((methods, path)) = text.split_once(':') {
            if !path.starts_with('/') {
                return Err(invalid(format!(
                    "pattern `{text}`: after the methods comes a path starting with `/`"
                )));
            }
            let mut parsed = Vec::new();
            for method in methods.split(',').map(str::trim) {
                let lower = method.to_ascii_lowercase();
                match METHODS.iter().find(|m| **m == lower) {
                    Some(known) if !parsed.contains(known) => parsed.push(*known),
                    Some(_) => {}
                    None => {
                        return Err(Error::new(
                            ErrorKind::Invalid,
                            format!("pattern `{text}`: `{method}` is not an HTTP method"),
                        )
                        .at_pointer("#/paths")
                        .with_help(
                            "use GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH or TRACE, separated by commas",
                        ));
                    }
                }
            }
            PatternKind::Path {
                methods: parsed,
                segments: path_segments(path),
            }
        } else {
            return Err(invalid(format!("`{text}` is not a pattern")));
        };
        Ok(Pattern {
            text: text.to_owned(),
            kind,
        })
    }

    #[cfg(test)]
    /// Whether the pattern matches the operation `method` (lowercase, as a path item key) at
    /// `path` with `tags` and `operation_id`.
    pub fn matches(
        &self,
        path: &str,
        method: &str,
        tags: &[String],
        operation_id: Option<&str>,
    ) -> bool {
        let method = METHODS
            .iter()
            .find(|m| m.eq_ignore_ascii_case(method))
            .copied()
            .unwrap_or("");
        self.matches_candidate(&Candidate {
            path,
            method,
            tags,
            operation_id,
        })
    }

    pub(super) fn matches_candidate(&self, candidate: &Candidate<'_>) -> bool {
        match &self.kind {
            PatternKind::Path { methods, segments } => {
                (methods.is_empty() || methods.contains(&candidate.method))
                    && path_matches(segments, candidate.path)
            }
            PatternKind::Tag(glob) => candidate.tags.iter().any(|tag| glob_matches(glob, tag)),
            PatternKind::OperationId(glob) => candidate
                .operation_id
                .is_some_and(|id| glob_matches(glob, id)),
        }
    }

    /// A path item given by `$ref` shows no operations; only a path pattern without methods
    /// selects (or excludes) it as a whole.
    pub(super) fn matches_whole_path(&self, path: &str) -> bool {
        matches!(&self.kind, PatternKind::Path { methods, segments } if methods.is_empty() && path_matches(segments, path))
    }
}

pub(super) fn path_segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

/// Matches path segments: `**` is any number of segments, other segments are globs.
pub(super) fn path_matches(pattern: &[String], path: &str) -> bool {
    let path: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // reachable[j]: the pattern so far can consume exactly the first j path segments.
    let mut reachable = vec![false; path.len() + 1];
    reachable[0] = true;
    for segment in pattern {
        let mut next = vec![false; path.len() + 1];
        if segment == "**" {
            let mut any = false;
            for j in 0..=path.len() {
                any |= reachable[j];
                next[j] = any;
            }
        } else {
            for j in 0..path.len() {
                if reachable[j] && glob_matches(segment, path[j]) {
                    next[j + 1] = true;
                }
            }
        }
        reachable = next;
    }
    reachable[path.len()]
}

/// Matches `text` against `glob`, where `*` is any run of characters.
fn glob_matches(glob: &str, text: &str) -> bool {
    let glob: Vec<char> = glob.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut g, mut t) = (0, 0);
    // Where the last `*` was, and the text position it resumes from.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if g < glob.len() && glob[g] == '*' {
            star = Some((g, t));
            g += 1;
        } else if g < glob.len() && glob[g] == text[t] {
            g += 1;
            t += 1;
        } else if let Some((star_g, star_t)) = star {
            g = star_g + 1;
            t = star_t + 1;
            star = Some((star_g, star_t + 1));
        } else {
            return false;
        }
    }
    glob[g..].iter().all(|c| *c == '*')
}

pub(super) fn parse_all(patterns: &[String]) -> Result<Vec<Pattern>, Error> {
    let mut parsed = Vec::with_capacity(patterns.len());
    let mut errors = Vec::new();
    for text in patterns {
        match Pattern::parse(text) {
            Ok(pattern) => parsed.push(pattern),
            Err(error) => errors.push(error),
        }
    }
    match Error::from_diagnostics(errors) {
        Some(error) => Err(error),
        None => Ok(parsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str) -> Vec<String> {
        path_segments(text)
    }

    #[test]
    fn single_and_double_stars() {
        let pattern = segments("/deviceManagement/ndesConnectors/**");
        assert!(path_matches(&pattern, "/deviceManagement/ndesConnectors"));
        assert!(path_matches(
            &pattern,
            "/deviceManagement/ndesConnectors/{ndesConnector-id}"
        ));
        assert!(path_matches(
            &pattern,
            "/deviceManagement/ndesConnectors/$count"
        ));
        assert!(!path_matches(&pattern, "/deviceManagement/ndesConnectorsX"));
        assert!(!path_matches(&pattern, "/deviceManagement"));

        let one = segments("/connectors/*");
        assert!(path_matches(&one, "/connectors/{connector-id}"));
        assert!(!path_matches(&one, "/connectors"));
        assert!(!path_matches(&one, "/connectors/a/b"));

        let inner = segments("/deviceManagement/*Connectors");
        assert!(path_matches(&inner, "/deviceManagement/ndesConnectors"));
        assert!(path_matches(
            &inner,
            "/deviceManagement/domainJoinConnectors"
        ));
        assert!(!path_matches(&inner, "/deviceManagement/ndesConnectors/x"));

        let middle = segments("/**/$count");
        assert!(path_matches(&middle, "/connectors/$count"));
        assert!(path_matches(&middle, "/$count"));
        assert!(!path_matches(&middle, "/connectors"));

        assert!(path_matches(&segments("/"), "/"));
        assert!(path_matches(&segments("/**"), "/anything/at/all"));
    }

    #[test]
    fn globs() {
        assert!(glob_matches(
            "deviceManagement.*",
            "deviceManagement.ndesConnector"
        ));
        assert!(glob_matches(
            "*Connector*",
            "connectors.connector.ListConnector"
        ));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("a*b", "aXbY"));
        assert!(glob_matches("exact", "exact"));
        assert!(!glob_matches("exact", "exactly"));
        assert!(glob_matches("*", ""));
    }

    #[test]
    fn patterns_parse() {
        let pattern = Pattern::parse("GET,post:/a/**").unwrap();
        assert!(pattern.matches("/a/b", "get", &[], None));
        assert!(pattern.matches("/a", "POST", &[], None));
        assert!(!pattern.matches("/a", "delete", &[], None));
        let tag = Pattern::parse("tag:x.*").unwrap();
        assert!(tag.matches("/z", "get", &[String::from("x.y")], None));
        assert!(!tag.matches("/z", "get", &[String::from("y.x")], None));
        let id = Pattern::parse("operationId:list*").unwrap();
        assert!(id.matches("/z", "get", &[], Some("listThings")));
        assert!(!id.matches("/z", "get", &[], None));
    }

    #[test]
    fn malformed_patterns_say_why() {
        for (text, says) in [
            ("connectors", "is not a pattern"),
            ("FETCH:/a", "`FETCH` is not an HTTP method"),
            ("GET:a", "a path starting with `/`"),
            ("tag:", "names no tag"),
            ("operationId:", "names no operationId"),
        ] {
            let error = Pattern::parse(text).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Invalid);
            assert!(error.message().contains(says), "{text}: {error}");
            assert!(error.help().is_some(), "{text}: {error}");
        }
    }
}
