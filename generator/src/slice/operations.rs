//! Operations: which ones the include and exclude patterns keep, and the error for a pattern
//! that matches none (unless the slice's record says it already did its work).

use std::collections::HashSet;

use openapiv3::{OpenAPI, ReferenceOr};

use super::EXTENSION;
use super::pattern::{Candidate, METHODS, Pattern};
use super::suggest::unmatched;
use crate::error::Error;

/// Decides, for every operation in document order (a path item given by `$ref` counting as
/// one), whether it is kept; fails when a pattern matches nothing.
pub(super) fn decide(
    api: &OpenAPI,
    includes: &[Pattern],
    excludes: &[Pattern],
    recorded: &Recorded,
) -> Result<Vec<bool>, Error> {
    let mut include_hits = vec![false; includes.len()];
    let mut exclude_hits = vec![false; excludes.len()];
    let mut keep = Vec::new();
    for (path, item) in api.paths.iter() {
        match item {
            ReferenceOr::Reference { .. } => {
                let mut included = includes.is_empty();
                for (hit, pattern) in include_hits.iter_mut().zip(includes) {
                    if pattern.matches_whole_path(path) {
                        *hit = true;
                        included = true;
                    }
                }
                let mut excluded = false;
                for (hit, pattern) in exclude_hits.iter_mut().zip(excludes) {
                    if pattern.matches_whole_path(path) {
                        *hit = true;
                        excluded = true;
                    }
                }
                keep.push(included && !excluded);
            }
            ReferenceOr::Item(item) => {
                for (method, operation) in item.iter() {
                    let method = METHODS
                        .iter()
                        .find(|m| **m == method)
                        .copied()
                        .unwrap_or("");
                    let candidate = Candidate {
                        path,
                        method,
                        tags: &operation.tags,
                        operation_id: operation.operation_id.as_deref(),
                    };
                    let mut included = includes.is_empty();
                    for (hit, pattern) in include_hits.iter_mut().zip(includes) {
                        if pattern.matches_candidate(&candidate) {
                            *hit = true;
                            included = true;
                        }
                    }
                    let mut excluded = false;
                    for (hit, pattern) in exclude_hits.iter_mut().zip(excludes) {
                        if pattern.matches_candidate(&candidate) {
                            *hit = true;
                            excluded = true;
                        }
                    }
                    keep.push(included && !excluded);
                }
            }
        }
    }
    let unmatched = includes
        .iter()
        .zip(&include_hits)
        .map(|(pattern, hit)| ("include", pattern, hit))
        .chain(
            excludes
                .iter()
                .zip(&exclude_hits)
                .map(|(pattern, hit)| ("exclude", pattern, hit)),
        )
        .filter(|(role, pattern, hit)| !**hit && !recorded.contains(role, &pattern.text))
        .map(|(role, pattern, _)| unmatched(api, role, pattern));
    match Error::from_diagnostics(unmatched) {
        Some(error) => Err(error),
        None => Ok(keep),
    }
}

/// The patterns a slice was made with, as its `x-generator-slice` extension records them. Such
/// a pattern has done its work on the document, so it may match nothing in it: slicing a slice
/// with the same patterns is allowed, and changes nothing.
#[derive(Debug, Default)]
pub(super) struct Recorded {
    include: HashSet<String>,
    exclude: HashSet<String>,
}

impl Recorded {
    fn contains(&self, role: &str, pattern: &str) -> bool {
        match role {
            "include" => self.include.contains(pattern),
            _ => self.exclude.contains(pattern),
        }
    }
}

pub(super) fn recorded_patterns(api: &OpenAPI) -> Recorded {
    let record = api.extensions.get(EXTENSION);
    let list = |key: &str| -> HashSet<String> {
        record
            .and_then(|r| r.get(key))
            .and_then(serde_json::Value::as_array)
            .map(|patterns| {
                patterns
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Recorded {
        include: list("include"),
        exclude: list("exclude"),
    }
}
