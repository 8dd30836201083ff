//! Suggestions: the closest paths, tags and operation ids an error names when a pattern
//! matches no operation.

use std::collections::HashSet;

use openapiv3::OpenAPI;

use super::pattern::{Pattern, PatternKind, path_matches};
use crate::error::{Error, ErrorKind};

/// How many closest paths, tags or operation ids an error suggests.
const SUGGESTIONS: usize = 5;

/// The error for a pattern that matches no operation, naming what comes closest.
pub(super) fn unmatched(api: &OpenAPI, role: &str, pattern: &Pattern) -> Error {
    let message = format!("{role} pattern `{}` matches no operation", pattern.text);
    match &pattern.kind {
        PatternKind::Path { methods, segments } => {
            // Operations whose path matches, when only the methods are wrong.
            let same_path: Vec<String> = api
                .operations()
                .filter(|(path, _, _)| path_matches(segments, path))
                .map(|(path, method, _)| format!("{} {path}", method.to_uppercase()))
                .collect();
            let error = Error::new(ErrorKind::Invalid, message).at_pointer("#/paths");
            if !methods.is_empty() && !same_path.is_empty() {
                let wanted: Vec<String> = methods.iter().map(|m| m.to_uppercase()).collect();
                return error.with_help(format!(
                    "its paths have no {} operation; they have {}",
                    wanted.join(" or "),
                    list(same_path.iter().map(String::as_str).take(SUGGESTIONS))
                ));
            }
            let paths: Vec<&str> = api.paths.paths.keys().map(String::as_str).collect();
            let closest = closest_paths(segments, &paths);
            if closest.is_empty() {
                error.with_help("the document has no paths")
            } else {
                error.with_help(format!("the closest paths are {}", list(closest)))
            }
        }
        PatternKind::Tag(tag) => {
            let mut tags: Vec<&str> = api.tags.iter().map(|t| t.name.as_str()).collect();
            for (_, _, operation) in api.operations() {
                tags.extend(operation.tags.iter().map(String::as_str));
            }
            dedup_in_order(&mut tags);
            let error = Error::new(ErrorKind::Invalid, message).at_pointer("#/tags");
            match closest_texts(tag, &tags).as_slice() {
                [] => error.with_help("no operation of the document has a tag"),
                close => error.with_help(format!(
                    "the closest tags are {}",
                    list(close.iter().copied())
                )),
            }
        }
        PatternKind::OperationId(id) => {
            let ids: Vec<&str> = api
                .operations()
                .filter_map(|(_, _, operation)| operation.operation_id.as_deref())
                .collect();
            let error = Error::new(ErrorKind::Invalid, message).at_pointer("#/paths");
            match closest_texts(id, &ids).as_slice() {
                [] => error.with_help("no operation of the document has an operationId"),
                close => error.with_help(format!(
                    "the closest operation ids are {}",
                    list(close.iter().copied())
                )),
            }
        }
    }
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn dedup_in_order(items: &mut Vec<&str>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(*item));
}

/// The paths closest to a path pattern: compared on the pattern's literal part (the segments
/// before the first wildcard) with the same number of leading segments of each path, then on
/// the whole text.
fn closest_paths<'a>(segments: &[String], paths: &[&'a str]) -> Vec<&'a str> {
    let literal: Vec<&str> = segments
        .iter()
        .take_while(|s| !s.contains('*'))
        .map(String::as_str)
        .collect();
    let prefix = format!("/{}", literal.join("/"));
    let whole = format!("/{}", segments.join("/"));
    let mut scored: Vec<(usize, usize, usize, &str)> = paths
        .iter()
        .enumerate()
        .map(|(index, path)| {
            let leading: Vec<&str> = path
                .trim_start_matches('/')
                .split('/')
                .take(literal.len().max(1))
                .collect();
            let leading = format!("/{}", leading.join("/"));
            (
                edit_distance(&prefix, &leading),
                edit_distance(&whole, path),
                index,
                *path,
            )
        })
        .collect();
    scored.sort_unstable();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, _, _, path)| path)
        .collect()
}

/// The texts closest to `wanted` (a glob; its `*` are left out of the comparison).
fn closest_texts<'a>(wanted: &str, texts: &[&'a str]) -> Vec<&'a str> {
    let wanted = wanted.replace('*', "");
    let mut scored: Vec<(usize, usize, &str)> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| (edit_distance(&wanted, text), index, *text))
        .collect();
    scored.sort_unstable();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, _, text)| text)
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slice::pattern::path_segments;

    fn segments(text: &str) -> Vec<String> {
        path_segments(text)
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("ab", ""), 2);
    }

    #[test]
    fn closest_paths_compare_the_literal_prefix() {
        let paths = [
            "/connectors",
            "/deviceManagement/ndesConnectors",
            "/deviceManagement/ndesConnectors/{id}",
            "/deviceManagement/domainJoinConnectors",
        ];
        let closest = closest_paths(&segments("/deviceManagement/ndesConector/**"), &paths);
        assert_eq!(
            &closest[..2],
            [
                "/deviceManagement/ndesConnectors",
                "/deviceManagement/ndesConnectors/{id}"
            ]
        );
    }
}
