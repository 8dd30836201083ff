//! Operations: paths and methods into client methods with typed parameters, bodies and
//! responses.
//!
//! Where things are: this file names each operation and assembles it; `parameters` reads its
//! path template and parameters, `bodies` its request body and media types, `responses` its
//! responses and headers, and `paging` recognises a response that is one page of a list.

mod bodies;
mod paging;
mod parameters;
mod responses;
mod shared;

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr, SecurityRequirement};

use super::types::{SharedEnum, TypeSpace};
use super::{HttpMethod, Operation, Strictness, Success, TypeKind, TypeRef};
use crate::error::{Error, join_pointer};
use crate::names::{self, Namespace, Role};
use paging::paging;

/// Method names the generated `Client` defines itself.
const CLIENT_METHODS: &[&str] = &["new", "builder", "transport", "from_transport"];

/// Type names the client module defines itself.
const CLIENT_TYPES: &[&str] = &["Client", "ClientBuilder", "Error", "Transport"];

/// Builds every operation in document order. With [`Strictness::Lenient`], an operation the
/// generator cannot express is left out, with a warning in the second list that names it and
/// the `--exclude` pattern that leaves it out on purpose.
pub fn build_operations<'a>(
    api: &'a OpenAPI,
    space: &mut TypeSpace<'a>,
    strictness: Strictness,
) -> Result<(Vec<Operation>, Vec<Error>), Error> {
    let mut builder = OperationBuilder {
        api,
        methods: Namespace::with_reserved(CLIENT_METHODS.iter().copied()),
        client_types: Namespace::with_reserved(CLIENT_TYPES.iter().copied()),
        method_names: MethodNames::of(api),
        claimed: (None, None),
    };
    for group in shared::repeated_parameter_enums(api, &builder.method_names) {
        let (first, copies) = group.split_first().expect("a group has two copies or more");
        let shared = SharedEnum {
            pointer: first.pointer.clone(),
            schema: first.schema,
            hint: first.hint.clone(),
        };
        for copy in copies {
            space.share_enum(copy.pointer.clone(), shared.clone());
        }
    }
    let mut operations = Vec::new();
    // Each operation's problems are independent of the others': report them all at once.
    let mut errors = Vec::new();
    let mut left_out = Vec::new();
    for (path, item) in api.paths.iter() {
        if errors.len() >= crate::error::MAX_DIAGNOSTICS {
            break;
        }
        let item_pointer = join_pointer("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                let error = Error::unsupported(
                    &item_pointer,
                    "path items given by `$ref` are not supported",
                )
                .with_help("write the path item inline");
                match strictness {
                    Strictness::Strict => errors.push(error),
                    Strictness::Lenient => {
                        let message = format!("path `{path}` is left out: {}", error.message());
                        left_out.push(error.with_message(message).into_warning());
                    }
                }
                continue;
            }
        };
        for (key, operation) in item.iter() {
            let Some(method) = HttpMethod::from_key(key) else {
                continue;
            };
            let pointer = join_pointer(&item_pointer, key);
            // What was read past in an operation left out is not worth a warning of its own.
            let warned = space.warning_count();
            match builder.operation(space, path, method, &item.parameters, operation, &pointer) {
                Ok(operation) => operations.push(operation),
                Err(error) if strictness == Strictness::Lenient => {
                    space.forget_warnings_after(warned);
                    // An operation left out leaves its names to the next that wants them.
                    let (method_name, options) = std::mem::take(&mut builder.claimed);
                    if let Some(method_name) = method_name {
                        builder.methods.release(&method_name);
                    }
                    if let Some(options) = options {
                        builder.client_types.release(&options);
                    }
                    left_out.push(operation_left_out(error, method, path, operation));
                }
                Err(error) => errors.push(error),
            }
        }
    }
    Error::from_diagnostics(errors).map_or(Ok((operations, left_out)), Err)
}

/// The warning for an operation left out because of `error`: the problem, where it is, and
/// the pattern that leaves the operation out on purpose.
fn operation_left_out(
    error: Error,
    method: HttpMethod,
    path: &str,
    operation: &openapiv3::Operation,
) -> Error {
    // The method and path name this operation alone (an `operationId` may be repeated).
    let pattern = format!("{}:{path}", method.as_str());
    let label = match &operation.operation_id {
        Some(id) => format!("`{} {path}` (`{id}`)", method.as_str()),
        None => format!("`{} {path}`", method.as_str()),
    };
    let first = error.into_diagnostics().remove(0);
    let help = match first.help() {
        Some(help) if help.ends_with(['?', '.']) => {
            format!("{help} Or leave it out on purpose: --exclude '{pattern}'")
        }
        Some(help) => format!("{help}; or leave it out on purpose: --exclude '{pattern}'"),
        None => format!("leave it out on purpose: --exclude '{pattern}'"),
    };
    let message = format!("operation {label} is left out: {}", first.message());
    first.with_message(message).with_help(help).into_warning()
}

/// The type name each repeated inline enum of a parameter takes (see `shared`), by the JSON
/// pointer of every copy: what a slice records, so that it names them as its document does.
pub fn shared_enum_names(api: &OpenAPI) -> BTreeMap<String, String> {
    let method_names = MethodNames::of(api);
    shared::repeated_parameter_enums(api, &method_names)
        .into_iter()
        .flat_map(|group| {
            let hint = group[0].hint.clone();
            group
                .into_iter()
                .map(move |copy| (copy.pointer, hint.clone()))
        })
        .collect()
}

struct OperationBuilder<'a> {
    api: &'a OpenAPI,
    methods: Namespace,
    client_types: Namespace,
    method_names: MethodNames,
    /// The method and options type names the operation being made has claimed, given back if
    /// it is left out.
    claimed: (Option<String>, Option<String>),
}

/// The method names operations' ids give before they are made unique.
pub(super) struct MethodNames {
    /// How many operations each shortened method name ([`names::operation_method`]) would
    /// have, and the full names: an operation keeps its full name where its short one would
    /// be shared, or would take another operation's full name.
    short_names: HashMap<String, usize>,
    full_names: HashSet<String>,
}

impl MethodNames {
    fn of(api: &OpenAPI) -> Self {
        let mut short_names: HashMap<String, usize> = HashMap::new();
        let mut full_names = HashSet::new();
        for (_, item) in api.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (_, operation) in item.iter() {
                if let Some(id) = &operation.operation_id {
                    *short_names.entry(names::operation_method(id)).or_default() += 1;
                    full_names.insert(names::value_name(id));
                }
            }
        }
        MethodNames {
            short_names,
            full_names,
        }
    }

    /// The method name of `operation` before it is made unique: from its `operationId`
    /// (shortened where that is safe), or from its method and path.
    pub(super) fn base_name(
        &self,
        operation: &openapiv3::Operation,
        method: HttpMethod,
        path: &str,
    ) -> String {
        match &operation.operation_id {
            Some(id) => {
                let full = names::value_name(id);
                let short = names::operation_method(id);
                let alone = self.short_names.get(&short) == Some(&1);
                if short != full && alone && !self.full_names.contains(&short) {
                    short
                } else {
                    full
                }
            }
            None => names::operation_fallback(method.as_str(), path),
        }
    }
}

impl<'a> OperationBuilder<'a> {
    fn operation(
        &mut self,
        space: &mut TypeSpace<'a>,
        path: &str,
        method: HttpMethod,
        shared_parameters: &'a [ReferenceOr<Parameter>],
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let label = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {path}", method.as_str()));
        let name = self
            .methods
            .claim(&self.method_names.base_name(operation, method, path));
        self.claimed = (Some(name.clone()), None);
        let type_prefix = names::type_name(&name);

        let (params, path_parts) = self.parameters(
            space,
            path,
            shared_parameters,
            operation,
            pointer,
            &type_prefix,
        )?;
        let options = params.iter().any(|p| !p.required).then(|| {
            self.client_types
                .claim(&names::derived(&type_prefix, Role::Options))
        });
        self.claimed.1.clone_from(&options);
        let body = self.body(space, method, operation, pointer, &type_prefix)?;
        let (success, errors, responses) =
            self.responses(space, operation, pointer, &type_prefix)?;
        let paging = match (&body, &success) {
            (None, Success::Json(page)) => paging(space, operation, page).map(|mut paging| {
                let [pages, items, request] = names::paging_methods(&name);
                paging.pages_method = self.methods.claim(&pages);
                paging.items_method = self.methods.claim(&items);
                paging.request_fn = self.methods.claim(&request);
                paging
            }),
            _ => None,
        };
        let declared = operation.security.as_ref().or(self.api.security.as_ref());
        let security = declared
            .map(|requirements| describe_security(requirements))
            .unwrap_or_default();
        let requirements = declared.map(|requirements| {
            requirements
                .iter()
                .map(|requirement| requirement.keys().cloned().collect())
                .collect()
        });
        Ok(Operation {
            name,
            label,
            method,
            path: path.to_owned(),
            path_parts,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            docs_url: operation.external_docs.as_ref().map(|d| d.url.clone()),
            deprecated: operation.deprecated,
            security,
            requirements,
            params,
            options,
            body,
            success,
            errors,
            responses,
            paging,
            served: true,
        })
    }
}

/// The fields of a struct type (following aliases).
fn struct_fields<'s>(space: &'s TypeSpace<'_>, ty: &TypeRef) -> Option<&'s [super::Field]> {
    match ty {
        TypeRef::Named(id) => match &space.def(*id).kind {
            TypeKind::Struct(s) => Some(&s.fields),
            TypeKind::Alias(inner) => struct_fields(space, inner),
            _ => None,
        },
        _ => None,
    }
}

fn describe_security(requirements: &[SecurityRequirement]) -> Vec<String> {
    requirements
        .iter()
        .map(|requirement| {
            requirement
                .iter()
                .map(|(scheme, scopes)| {
                    if scopes.is_empty() {
                        scheme.clone()
                    } else {
                        format!("{scheme}: {}", scopes.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .filter(|s| !s.is_empty())
        .collect()
}
