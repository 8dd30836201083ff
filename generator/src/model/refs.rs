//! Following local `$ref`s (`#/components/<kind>/<name>`), with errors that name the closest
//! existing component when a reference dangles.

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use crate::error::{Error, ErrorKind, join_pointer};

/// How many references in a row may point at further references before we call it a loop.
const MAX_REFERENCE_CHAIN: usize = 64;

/// Splits `#/components/<kind>/<name>` and returns the unescaped name.
pub fn component_name(reference: &str, kind: &str, at: &str) -> Result<String, Error> {
    let prefix = format!("#/components/{kind}/");
    match reference.strip_prefix(&prefix) {
        Some(name) if !name.contains('/') => Ok(name.replace("~1", "/").replace("~0", "~")),
        _ if !reference.starts_with('#') => Err(Error::new(
            ErrorKind::Reference,
            format!("external reference `{reference}` is not supported"),
        )
        .at_pointer(at)
        .with_help(
            "bundle the referenced document into this one (for example with `redocly bundle`)",
        )),
        Some(name) => Err(Error::new(
            ErrorKind::Reference,
            format!(
                "`{reference}` has a `/` in the component name, which separates pointer segments"
            ),
        )
        .at_pointer(at)
        .with_help(format!(
            "write `/` inside a name as `~1` (and `~` as `~0`): `{prefix}{}`",
            name.replace('/', "~1")
        ))),
        _ => Err(Error::new(
            ErrorKind::Reference,
            format!("`{reference}` does not point at a component of kind `{kind}`"),
        )
        .at_pointer(at)
        .with_help(format!("a reference here must look like `{prefix}<name>`"))),
    }
}

/// Looks `reference` up in `map` (a components section), following chains of references.
pub fn resolve<'a, T>(
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    kind: &str,
    reference: &str,
    at: &str,
) -> Result<(&'a T, String), Error> {
    let mut reference = reference.to_owned();
    for _ in 0..MAX_REFERENCE_CHAIN {
        let name = component_name(&reference, kind, at)?;
        let found = map.and_then(|m| m.get(&name));
        match found {
            Some(ReferenceOr::Item(item)) => {
                return Ok((item, join_pointer(&format!("#/components/{kind}"), &name)));
            }
            Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
            None => {
                let names = map.map(|m| m.keys().map(String::as_str).collect::<Vec<_>>());
                return Err(dangling(
                    &reference,
                    &name,
                    kind,
                    names.unwrap_or_default(),
                    at,
                ));
            }
        }
    }
    Err(Error::new(
        ErrorKind::Reference,
        format!("`{reference}` is part of a reference loop"),
    )
    .at_pointer(at))
}

/// The error for a reference to a component that does not exist.
pub fn dangling(reference: &str, name: &str, kind: &str, names: Vec<&str>, at: &str) -> Error {
    let mut close: Vec<(usize, &str)> = names
        .into_iter()
        .filter_map(|candidate| {
            let limit = (candidate.len().max(name.len()) / 3).max(2);
            let distance = bounded_edit_distance(name, candidate, limit)?;
            Some((distance, candidate))
        })
        .collect();
    close.sort();
    let error = Error::new(
        ErrorKind::Reference,
        format!("`{reference}` points at no {kind} component"),
    )
    .at_pointer(at);
    match close.as_slice() {
        [] => error,
        some => error.with_help(format!(
            "did you mean {}?",
            some.iter()
                .take(3)
                .map(|(_, n)| format!("`#/components/{kind}/{n}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )),
    }
}

/// The edit distance between `a` and `b` when it is at most `limit`. Stops as soon as it
/// cannot be, so that suggesting names among many long ones stays cheap.
fn bounded_edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.chars().count().abs_diff(b.chars().count()) > limit || a.len().min(b.len()) > 1024 {
        return None;
    }
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        previous = current;
    }
    Some(previous[b.len()]).filter(|&d| d <= limit)
}

/// Levenshtein distance over characters.
#[cfg(test)]
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unescaped() {
        assert_eq!(
            component_name("#/components/schemas/a~1b~0c", "schemas", "#").unwrap(),
            "a/b~c"
        );
    }

    #[test]
    fn external_and_foreign_references_are_refused() {
        let external =
            component_name("other.yaml#/components/schemas/A", "schemas", "#/x").unwrap_err();
        assert_eq!(external.kind(), ErrorKind::Reference);
        assert!(external.message().contains("external"));
        let wrong_kind = component_name("#/components/parameters/A", "schemas", "#/x").unwrap_err();
        assert_eq!(wrong_kind.pointer(), Some("#/x"));
    }

    #[test]
    fn dangling_reference_suggests_close_names() {
        let error = dangling(
            "#/components/schemas/Pett",
            "Pett",
            "schemas",
            vec!["Pet", "Order"],
            "#/y",
        );
        assert_eq!(
            error.help(),
            Some("did you mean `#/components/schemas/Pet`?")
        );
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
