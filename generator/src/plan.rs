//! Plans: what the generated code of each operation and struct is, decided once from the
//! model and shared by the emitters that need it.
//!
//! An operation's method name, documentation, arguments (which, in what order), the media type
//! it asks for and the names of its server-side items are decided here, so that the client's
//! method, its paged streams, its request function and the server's trait method and handler
//! cannot disagree. The emitters only render a plan as Rust: how an argument is typed on each
//! side is in `emit/arguments.rs`, the statements that build a request in `emit/client.rs`.

use crate::emit::docs::{paragraphs, sanitize};
use crate::model::{Api, Body, Field, Operation, Param, Struct, Success, TypeRef};
use crate::names;

/// What is generated for one operation.
#[derive(Debug)]
pub(crate) struct OperationPlan<'a> {
    /// The operation in the model.
    pub op: &'a Operation,
    /// The Markdown of the client method's doc comment.
    pub method_doc: String,
    /// The Markdown of the server trait method's doc comment.
    pub trait_doc: String,
    /// The arguments of the client method and of the server trait method, in order (`&self`
    /// aside).
    pub arguments: Vec<Argument<'a>>,
    /// The `Accept` media type the client asks for when the response is not JSON.
    pub accept: Option<&'static str>,
    /// The names of the items the server module makes for the operation.
    pub server: ServerNames,
}

/// An argument of an operation's methods.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Argument<'a> {
    /// A required parameter (path, query, header or cookie).
    Required(&'a Param),
    /// The options struct (named) that carries the optional parameters.
    Options(&'a str),
    /// The request body.
    Body(&'a Body),
}

impl Argument<'_> {
    /// The argument's name in both methods.
    pub fn name(&self) -> &str {
        match self {
            Argument::Required(param) => &param.name,
            Argument::Options(_) => "options",
            Argument::Body(_) => "body",
        }
    }
}

/// The names of an operation's items in the server module.
#[derive(Debug)]
pub(crate) struct ServerNames {
    /// The response enum.
    pub response: String,
    /// The axum handler.
    pub handler: String,
    /// The function that decodes the request into the trait method's arguments.
    pub decoder: String,
    /// For each of the operation's declared responses, in order: the struct of its headers,
    /// when it declares any.
    pub headers: Vec<Option<String>>,
}

/// The plans of every operation, in the model's order.
pub(crate) fn operations(api: &Api) -> Vec<OperationPlan<'_>> {
    operations_where(api, |_| true)
}

/// The plans of the operations the generated server serves (see `Operation::served`), when
/// it does not serve them all.
pub(crate) fn served_operations(api: &Api) -> Option<Vec<OperationPlan<'_>>> {
    (!api.operations.iter().all(|op| op.served)).then(|| operations_where(api, |op| op.served))
}

fn operations_where(api: &Api, keep: impl Fn(&Operation) -> bool) -> Vec<OperationPlan<'_>> {
    api.operations
        .iter()
        .filter(|op| keep(op))
        .map(|op| OperationPlan {
            op,
            method_doc: method_doc(api, op),
            trait_doc: trait_doc(op),
            arguments: arguments(op),
            accept: accept(op),
            server: ServerNames {
                response: names::server_response(&op.name),
                handler: names::server_handler(&op.name),
                decoder: names::server_decoder(&op.name),
                headers: op
                    .responses
                    .iter()
                    .map(|response| {
                        (!response.headers.is_empty())
                            .then(|| names::server_headers(&op.name, &response.variant))
                    })
                    .collect(),
            },
        })
        .collect()
}

/// Required parameters in the model's order (path parameters first, in path order), then the
/// options struct, then the body.
fn arguments(op: &Operation) -> Vec<Argument<'_>> {
    let required = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(Argument::Required);
    let options = op.options.as_deref().map(Argument::Options);
    let body = op.body.as_ref().map(Argument::Body);
    required.chain(options).chain(body).collect()
}

/// The `Accept` media type a method asks for, when the response is not JSON (or nothing).
fn accept(op: &Operation) -> Option<&'static str> {
    match &op.success {
        Success::Text(_) => Some("text/plain"),
        Success::Bytes => Some("*/*"),
        Success::Multiple { statuses, .. }
            if statuses
                .iter()
                .any(|s| !matches!(s.body, Success::Json(_) | Success::Empty)) =>
        {
            Some("*/*")
        }
        _ => None,
    }
}

/// The client method's doc: summary, description, the request line, arguments, body,
/// authorization, error responses, external docs and deprecation.
fn method_doc(api: &Api, op: &Operation) -> String {
    let mut sections: Vec<String> = Vec::new();
    if let Some(summary) = &op.summary {
        sections.push(sanitize(summary));
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            sections.push(sanitize(description));
        }
    }
    let request_line = format!("`{} {}`", op.method.as_str(), op.path);
    // The document's own name for the operation, which the method name may shorten.
    sections.push(sanitize(
        &if op.label == format!("{} {}", op.method.as_str(), op.path) {
            request_line
        } else {
            format!("{request_line} (operationId `{}`)", op.label)
        },
    ));
    let path_params: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| match &p.doc {
            Some(doc) => format!("- `{}`: {}", p.name, sanitize(&single_line(doc))),
            None => sanitize(&format!("- `{}`: `{}`", p.name, p.wire)),
        })
        .collect();
    if !path_params.is_empty() {
        sections.push(format!("Arguments:\n{}", path_params.join("\n")));
    }
    if let Some(doc) = op.body.as_ref().and_then(|body| body.doc.as_ref()) {
        sections.push(format!("Body: {}", sanitize(&single_line(doc))));
    }
    if !op.security.is_empty() {
        sections.push(format!(
            "Authorization (any one of):\n{}",
            op.security
                .iter()
                .map(|s| format!("- {}", sanitize(s)))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if !op.errors.is_empty() {
        let errors: Vec<String> = op
            .errors
            .iter()
            .map(|error| {
                let code = sanitize(&format!("`{}`", error.status));
                match &error.ty {
                    Some(ty) => format!("{code} ({})", type_label(api, ty)),
                    None => code,
                }
            })
            .collect();
        sections.push(format!(
            "Error responses: {}; they are returned as [`Error::Api`](crate::runtime::Error::Api).",
            errors.join(", ")
        ));
    }
    if let Some(url) = &op.docs_url {
        sections.push(format!("Documentation: {}", sanitize(url)));
    }
    if op.deprecated {
        sections.push(String::from("**Deprecated.**"));
    }
    sections.join("\n\n")
}

/// The server trait method's doc: the summary (or description) and the request line.
fn trait_doc(op: &Operation) -> String {
    let summary = op
        .summary
        .as_deref()
        .or(op.description.as_deref())
        .map(sanitize);
    let request = sanitize(&format!("`{} {}`", op.method.as_str(), op.path));
    paragraphs([summary.as_deref(), Some(request.as_str())])
}

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn type_label(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("[`{0}`](crate::models::{0})", api.type_def(*id).name),
        _ => String::from("JSON"),
    }
}

/// What is generated for a struct besides its fields: how it decodes, and how it defaults.
#[derive(Debug)]
pub(crate) struct StructPlan<'a> {
    /// Whether every field can default: optional fields to `None`, others to the document's
    /// default (update bodies always: every field is `Patch::Absent`).
    ///
    /// It also decides how the struct decodes: through the runtime's `objects::Fields`, onto
    /// its `Default`, when it is defaultable; through serde's derive otherwise (a required
    /// member must be present), with the catch-all map flattened. It always encodes through
    /// `objects::Members`. serde's derives expand, per struct, to a field enum with its visitor
    /// and two decoding paths (`Deserialize`) and a field count and a branch per field
    /// (`Serialize`): type-checking those expansions is most of the cost of checking a large
    /// generated crate. The runtime's traits need one statement per field to encode and one
    /// `match` to decode, through one generic function.
    pub defaultable: bool,
    /// Whether `Default` is derived (defaultable, and no field has a default of its own).
    pub derive_default: bool,
    /// The fields with a default of their own, each given by a function.
    pub defaults: Vec<&'a Field>,
}

impl<'a> StructPlan<'a> {
    /// The plan of `body`.
    pub fn of(body: &'a Struct) -> Self {
        let defaultable = body.patch || body.fields.iter().all(|f| f.optional() || f.has_default());
        let defaults: Vec<&Field> = if body.patch {
            Vec::new()
        } else {
            body.fields.iter().filter(|f| f.has_default()).collect()
        };
        StructPlan {
            defaultable,
            derive_default: defaultable && defaults.is_empty(),
            defaults,
        }
    }
}
