//! The finished type graph as a whole: reference cycles no value can take (refused), fields
//! boxed where a type holds itself, and untagged variants ordered from the most specific.
//! These run once every definition is made, over all of them.

use super::MAX_DEPTH;
use crate::error::{Error, ErrorKind};
use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};

/// Type aliases that contain themselves: `A: {$ref: B}` with `B: {$ref: A}` describes no value
/// at all, and `A: {type: array, items: {$ref: A}}` would be `type A = Vec<A>;`, which Rust
/// cannot expand. Also refuses chains of aliases longer than [`MAX_DEPTH`], which later stages
/// follow recursively. A type refers to at most one other type directly, so the aliases form
/// chains: each is followed once, without recursion. Each reported alias is made an alias of
/// `serde_json::Value`, so that later stages never follow a cycle or an endless chain.
pub(super) fn alias_cycles(defs: &mut [TypeDef]) -> Vec<Error> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        /// Followed; the number of aliases in the chain from here.
        Done(usize),
    }
    /// The alias `id` expands to directly (not through a struct, enum or `oneOf`), and
    /// whether only references (and `nullable`) lead there, or also arrays and maps.
    fn next(defs: &[TypeDef], id: usize) -> Option<(usize, bool)> {
        let TypeKind::Alias(ty) = &defs[id].kind else {
            return None;
        };
        let mut ty: &TypeRef = ty;
        let mut plain = true;
        loop {
            match ty {
                TypeRef::Named(target) => {
                    return matches!(defs[target.0].kind, TypeKind::Alias(_))
                        .then_some((target.0, plain));
                }
                TypeRef::Vec(inner) | TypeRef::Map(inner) => {
                    plain = false;
                    ty = inner;
                }
                TypeRef::Option(inner) => ty = inner,
                _ => return None,
            }
        }
    }
    let mut marks = vec![Mark::New; defs.len()];
    let mut errors = Vec::new();
    let mut broken = Vec::new();
    for root in 0..defs.len() {
        if marks[root] != Mark::New || !matches!(defs[root].kind, TypeKind::Alias(_)) {
            continue;
        }
        let mut path: Vec<(usize, bool)> = Vec::new();
        let mut node = root;
        let mut length = 0;
        loop {
            match marks[node] {
                Mark::New => {
                    marks[node] = Mark::Open;
                    match next(defs, node) {
                        Some((target, plain)) => {
                            path.push((node, plain));
                            node = target;
                        }
                        None => {
                            path.push((node, true));
                            break;
                        }
                    }
                }
                Mark::Open => {
                    let start = path.iter().position(|(n, _)| *n == node).unwrap_or(0);
                    let cycle = &path[start..];
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(std::iter::once(&(node, true)))
                        .map(|(n, _)| defs[*n].name.as_str())
                        .collect();
                    let def = &defs[node];
                    let chain = names.join("` -> `");
                    errors.push(if cycle.iter().all(|(_, plain)| *plain) {
                        Error::new(
                            ErrorKind::Reference,
                            format!("a cycle of references with no base case: `{chain}` describes no value"),
                        )
                        .at_pointer(def.pointer.clone())
                        .with_help("end the chain at a schema that is not a `$ref`, or make one schema of the cycle an object")
                    } else {
                        Error::unsupported(
                            &def.pointer,
                            format!("`{chain}` contains itself through arrays or maps only, which a Rust type alias cannot express"),
                        )
                        .with_help("wrap the recursive array or map in an object schema")
                    });
                    broken.push(node);
                    // The cycle is reported; its length is not a second problem.
                    length = MAX_DEPTH + 1;
                    break;
                }
                Mark::Done(rest) => {
                    length = rest;
                    break;
                }
            }
        }
        let mut reported = false;
        for &(node, _) in path.iter().rev() {
            length += 1;
            marks[node] = Mark::Done(length);
            if length > MAX_DEPTH {
                // Later stages follow aliases recursively: no chain may stay this long.
                broken.push(node);
            }
            if length == MAX_DEPTH + 1 && !reported {
                reported = true;
                errors.push(
                    Error::new(
                        ErrorKind::Limit,
                        format!("a chain of more than {MAX_DEPTH} schemas that each only refer to the next starts here"),
                    )
                    .at_pointer(defs[node].pointer.clone())
                    .with_help("refer to the schema at the end of the chain directly"),
                );
            }
        }
        if errors.len() >= crate::error::MAX_DIAGNOSTICS {
            break;
        }
    }
    for id in broken {
        defs[id].kind = TypeKind::Alias(TypeRef::Json);
    }
    errors
}

/// The named type a field or alias holds directly (through `Option` or another alias, but not
/// through `Vec` or `Map`, which already put the value behind a pointer).
fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Option(inner) => direct_target(inner),
        _ => None,
    }
}

/// The types `def` holds directly (see [`direct_target`]): its alternatives, the type it
/// names, and with `fields` the types of its fields.
fn held_directly(def: &TypeDef, fields: bool) -> Vec<usize> {
    let held: Vec<&TypeRef> = match &def.kind {
        TypeKind::Struct(s) if fields => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::OneOf(one_of) => one_of.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Struct(_) | TypeKind::StringEnum(_) => Vec::new(),
    };
    held.into_iter()
        .filter_map(direct_target)
        .map(|t| t.0)
        .collect()
}

/// `oneOf`/`anyOf` schemas that are alternatives of themselves, directly or through other
/// such schemas and plain references, with no object, array or map in between (those end a
/// recursion; see [`mark_boxed_fields`]). No value has such a type: decoding one means trying
/// the schema itself as an alternative first, and the Rust enum would contain itself. One
/// error per cycle, at the first of its schemas in document order. The schemas of a reported
/// cycle become aliases of any JSON value, so that later stages never follow it.
pub(super) fn one_of_cycles(defs: &mut [TypeDef]) -> Vec<Error> {
    let edges: Vec<Vec<usize>> = defs.iter().map(|def| held_directly(def, false)).collect();
    let component = strongly_connected_components(&edges);
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (index, &c) in component.iter().enumerate() {
        members.entry(c).or_default().push(index);
    }
    let mut errors = Vec::new();
    let mut reported = std::collections::HashSet::new();
    let mut broken = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        let cycle = &members[&component[index]];
        let cyclic = cycle.len() > 1 || edges[index].contains(&index);
        let has_one_of = cycle
            .iter()
            .any(|&m| matches!(defs[m].kind, TypeKind::OneOf(_)));
        if !cyclic || !has_one_of || !reported.insert(component[index]) {
            continue;
        }
        broken.extend(cycle.iter().copied());
        let names: Vec<&str> = cycle.iter().map(|&m| defs[m].name.as_str()).collect();
        let message = match names.as_slice() {
            [one] => format!("`{one}` is one of its own alternatives, with no base case"),
            _ => format!(
                "`{}` are alternatives of one another, with no base case",
                names.join("`, `")
            ),
        };
        errors.push(
            Error::new(ErrorKind::Reference, message)
                .at_pointer(def.pointer.clone())
                .with_help(
                    "remove the alternative that refers back, or wrap it in an object schema",
                ),
        );
    }
    for id in broken {
        defs[id].kind = TypeKind::Alias(TypeRef::Json);
    }
    errors.truncate(crate::error::MAX_DIAGNOSTICS);
    errors
}

/// Marks the fields that close a containment cycle (a type that holds itself, directly or
/// through other types) as boxed. Two types are on a cycle when they are in the same strongly
/// connected component of the "holds directly" graph.
pub(super) fn mark_boxed_fields(defs: &mut [TypeDef]) {
    let edges: Vec<Vec<usize>> = defs.iter().map(|def| held_directly(def, true)).collect();
    let component = strongly_connected_components(&edges);
    for (index, def) in defs.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                if let Some(target) = direct_target(&field.ty) {
                    field.boxed = component[target.0] == component[index];
                }
            }
        }
    }
}

/// Orders the variants of untagged enums from the most to the least specific type, so that
/// among equally good matches the more specific one wins (see `runtime::variants`).
pub(super) fn order_untagged_variants(defs: &mut [TypeDef]) {
    let ranks: Vec<Vec<(u8, i64, i64)>> = defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::OneOf(one_of) if one_of.tag.is_none() => one_of
                .variants
                .iter()
                .map(|v| specificity(defs, &v.ty, 0))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, ranks) in defs.iter_mut().zip(ranks) {
        if let TypeKind::OneOf(one_of) = &mut def.kind {
            if one_of.tag.is_none() {
                let mut ranked: Vec<_> = std::mem::take(&mut one_of.variants)
                    .into_iter()
                    .zip(ranks)
                    .collect();
                ranked.sort_by_key(|(_, rank)| *rank);
                one_of.variants = ranked.into_iter().map(|(v, _)| v).collect();
            }
        }
    }
}

/// Lower is more specific: objects with more required and declared properties first, then
/// maps, arrays, numbers, booleans, formatted strings, strings, and any JSON last.
fn specificity(defs: &[TypeDef], ty: &TypeRef, depth: usize) -> (u8, i64, i64) {
    let count = |n: usize| -i64::try_from(n).unwrap_or(i64::MAX);
    match ty {
        TypeRef::Named(id) if depth < 16 => match &defs[id.0].kind {
            TypeKind::Struct(s) => (
                0,
                count(s.fields.iter().filter(|f| f.required).count()),
                count(s.fields.len()),
            ),
            TypeKind::OneOf(_) => (1, 0, 0),
            TypeKind::StringEnum(_) => (6, 0, 0),
            TypeKind::Alias(inner) => specificity(defs, inner, depth + 1),
        },
        TypeRef::Option(inner) => specificity(defs, inner, depth + 1),
        TypeRef::Map(_) | TypeRef::JsonObject => (2, 0, 0),
        TypeRef::Vec(_) => (3, 0, 0),
        TypeRef::I32 | TypeRef::I64 => (4, 0, 0),
        TypeRef::F32 | TypeRef::F64 => (5, 0, 0),
        TypeRef::Bool => (7, 0, 0),
        TypeRef::DateTime | TypeRef::Date | TypeRef::Uuid => (8, 0, 0),
        TypeRef::String | TypeRef::Bytes => (9, 0, 0),
        TypeRef::Json | TypeRef::Named(_) => (10, 0, 0),
    }
}

/// Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack. Returns the
/// component number of every node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // Each frame: node and position in its edge list.
        let mut frames = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = frames.last_mut() {
            if let Some(&next) = edges[node].get(*position) {
                *position += 1;
                if index[next] == UNVISITED {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_a_cycle_and_a_chain() {
        // 0 -> 1 -> 0 is a cycle; 2 -> 0 is not part of it; 3 -> 3 holds itself.
        let components = strongly_connected_components(&[vec![1], vec![0], vec![0], vec![3]]);
        assert_eq!(components[0], components[1]);
        assert_ne!(components[2], components[0]);
        assert_ne!(components[3], components[0]);
    }
}
