//! The `server` module (cargo feature `server`): a trait with one async method per operation,
//! a response enum per operation, and `router`, which serves any implementation with axum.
//!
//! It is built from the same model as the client, so both sides agree with the document by
//! construction: the client's option structs carry the optional parameters on both sides, the
//! models carry the bodies.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::arguments::{names, server_types};
use super::docs::{doc_attrs, doc_attrs_markdown, paragraphs, sanitize};
use super::format::{Part, runs};
use super::rust_type::{Scope, rust_type};
use crate::model::{
    Api, ArrayStyle, BodyKind, ObjectStyle, Operation, Param, ParamEncoding, ParamLocation,
    ResponseHeader, StatusBody, Success, TypeRef,
};
use crate::plan::{Argument, OperationPlan};

/// The parts of `server.rs`: the module's attributes, the `Api` trait (its methods
/// in [`runs`] of operations), the router, then the handlers and the response enums.
pub(super) fn parts<'a>(api: &'a Api, plans: &'a [OperationPlan<'a>]) -> Vec<Part<'a>> {
    let mut parts = vec![Part::items(|| {
        quote! {
            //! The serving side of the API description: implement [`Api`], serve it with [`router`].
            #![allow(deprecated, clippy::too_many_arguments, clippy::type_complexity, clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        }
    })];
    let runs = runs(plans);
    let count = runs.len();
    parts.extend(runs.iter().enumerate().map(|(index, &run)| {
        Part::impl_items(index, count, move || {
            let trait_doc = (index == 0).then(|| trait_doc(api));
            let methods = run.iter().map(|plan| trait_method(api, plan));
            quote! {
                #trait_doc
                pub trait Api: Send + Sync + 'static {
                    #(#methods)*
                }
            }
        })
    }));
    parts.push(Part::items(|| {
        let routes = routes(plans);
        quote! {
            /// An axum router serving `api` at the document's paths and methods. Requests that do
            /// not match the document are answered with `400` and an OData error body naming the
            /// parameter or property at fault; unknown paths with `404`.
            pub fn router<A: Api>(api: A) -> ::axum::Router {
                ::axum::Router::new()
                    #(#routes)*
                    .fallback(crate::runtime::server::not_found)
                    .with_state(::std::sync::Arc::new(api))
            }
        }
    }));
    parts.extend(
        runs.iter()
            .map(|&run| Part::each(run, move |plan| Some(handler(api, plan)))),
    );
    parts.extend(
        runs.iter()
            .map(|&run| Part::each(run, move |plan| Some(response_enum(api, plan)))),
    );
    parts
}

/// The documentation of the `Api` trait.
fn trait_doc(api: &Api) -> TokenStream {
    doc_attrs_markdown(&paragraphs([
        Some(
            sanitize(&format!(
                "The operations of {} (version {}), as a server implements them.",
                api.title, api.version
            ))
            .as_str(),
        ),
        Some(
            "Each method receives the decoded path and required parameters, the optional parameters in the client's option struct, and the body; it returns the operation's response enum, which says the status and carries the body. Serve an implementation with [`router`].",
        ),
    ]))
}

/// Whether a status is matched by a range or `default` (the variant then carries the status).
fn open_status(status: &str) -> bool {
    status.parse::<u16>().is_err()
}

fn trait_method(api: &Api, plan: &OperationPlan<'_>) -> TokenStream {
    let name = format_ident!("{}", plan.op.name);
    let response = format_ident!("{}", plan.server.response);
    let types = server_types(api, &plan.arguments);
    let names = names(&plan.arguments);
    let doc = doc_attrs_markdown(&plan.trait_doc);
    let deprecated = plan.op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        fn #name(&self, #(#names: #types),*) -> impl ::std::future::Future<Output = #response> + Send;
    }
}

fn body_type(api: &Api, body: &Success) -> Option<TokenStream> {
    match body {
        Success::Empty | Success::Multiple { .. } => None,
        Success::Json(ty) | Success::Text(ty) => Some(rust_type(api, ty, Scope::Crate)),
        Success::Bytes => Some(quote!(Vec<u8>)),
    }
}

/// The struct of the headers of one response, when it declares any.
fn headers_struct(
    api: &Api,
    op: &Operation,
    response: &StatusBody,
    name: Option<&String>,
) -> Option<TokenStream> {
    let name = format_ident!("{}", name?);
    let doc = doc_attrs(&format!(
        "The headers of the `{}` response of `{}`.",
        response.status, op.label
    ));
    let fields = response.headers.iter().map(|header| {
        let field = format_ident!("{}", header.name);
        let ty = rust_type(api, &header.ty, Scope::Crate);
        let ty = if header.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let doc = doc_attrs(&paragraphs([
            header.doc.as_deref(),
            Some(&format!("Header `{}`.", header.wire)),
        ]));
        quote!(#doc pub #field: #ty,)
    });
    let derive_default = response
        .headers
        .iter()
        .all(|h| !h.required)
        .then(|| quote!(Default,));
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// Statements that set each declared header of `headers` (a binding of the headers struct)
/// on `response`.
fn set_headers(headers: &[ResponseHeader]) -> TokenStream {
    let sets = headers.iter().map(|header| {
        let field = format_ident!("{}", header.name);
        let wire = &header.wire;
        if header.required {
            quote!(crate::runtime::server::set_header(&mut response, #wire, Some(&headers.#field));)
        } else {
            quote!(crate::runtime::server::set_header(&mut response, #wire, headers.#field.as_ref());)
        }
    });
    quote!(#(#sets)*)
}

fn response_enum(api: &Api, plan: &OperationPlan<'_>) -> TokenStream {
    let op = plan.op;
    let name = format_ident!("{}", plan.server.response);
    let header_structs: Vec<TokenStream> = op
        .responses
        .iter()
        .zip(&plan.server.headers)
        .filter_map(|(response, name)| headers_struct(api, op, response, name.as_ref()))
        .collect();
    let variants = op.responses.iter().zip(&plan.server.headers).map(
        |(
            StatusBody {
                status,
                variant,
                body,
                ..
            },
            headers,
        )| {
            let variant = format_ident!("{variant}");
            let doc = doc_attrs(&if open_status(status) {
                format!("Status `{status}`: the `u16` is the status to answer with.")
            } else {
                format!("Status `{status}`.")
            });
            let mut fields = Vec::new();
            if open_status(status) {
                fields.push(quote!(u16));
            }
            fields.extend(body_type(api, body));
            if let Some(headers) = headers {
                let headers = format_ident!("{headers}");
                fields.push(quote!(#headers));
            }
            if fields.is_empty() {
                quote!(#doc #variant,)
            } else {
                quote!(#doc #variant(#(#fields),*),)
            }
        },
    );
    let arms = op.responses.iter().map(
        |StatusBody {
             status,
             variant,
             body,
             headers,
         }| {
            let variant = format_ident!("{variant}");
            let (pattern_status, code) = if open_status(status) {
                (Some(quote!(status)), quote!(status))
            } else {
                let code: u16 = status.parse().unwrap_or(500);
                (None, quote!(#code))
            };
            let has_body = body_type(api, body).is_some();
            let mut bindings: Vec<TokenStream> = pattern_status.into_iter().collect();
            if has_body {
                bindings.push(quote!(body));
            }
            if !headers.is_empty() {
                bindings.push(quote!(headers));
            }
            let pattern = if bindings.is_empty() {
                quote!(Self::#variant)
            } else {
                quote!(Self::#variant(#(#bindings),*))
            };
            let encode = match body {
                Success::Json(_) => quote!(crate::runtime::server::json(#code, &body)),
                Success::Text(_) => quote!(crate::runtime::server::text(#code, &body)),
                Success::Bytes => {
                    quote!(crate::runtime::server::bytes(#code, "application/octet-stream", body))
                }
                Success::Empty | Success::Multiple { .. } => {
                    quote!(crate::runtime::server::empty(#code))
                }
            };
            if headers.is_empty() {
                quote!(#pattern => #encode,)
            } else {
                let set = set_headers(headers);
                quote!(#pattern => {
                    let mut response = #encode;
                    #set
                    response
                })
            }
        },
    );
    let doc = doc_attrs_markdown(&format!(
        "The responses of [`Api::{}`], one variant per status the document declares.",
        op.name
    ));
    let body = if op.responses.is_empty() {
        quote! {
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                /// Status `204`: the document declares no response.
                NoContent,
            }
            impl ::axum::response::IntoResponse for #name {
                fn into_response(self) -> ::axum::response::Response {
                    crate::runtime::server::empty(204)
                }
            }
        }
    } else {
        quote! {
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
            impl ::axum::response::IntoResponse for #name {
                fn into_response(self) -> ::axum::response::Response {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    };
    quote!(#doc #body #(#header_structs)*)
}

/// How a handler reads one parameter from the request.
fn read_param(param: &Param, op: &Operation) -> TokenStream {
    let wire = &param.wire;
    let is_array = matches!(param.ty, TypeRef::Vec(_));
    match param.encoding {
        ParamEncoding::Text => read_text(param, &op.path, quote!()),
        ParamEncoding::Object(style) => {
            // The members of an exploded `form` object are pairs of their own: every pair
            // but the other parameters' belongs to it.
            let others = op
                .params
                .iter()
                .filter(|p| p.location == ParamLocation::Query && p.wire != param.wire)
                .map(|p| p.wire.as_str());
            let runtime_style = match style {
                ObjectStyle::DeepObject => quote!(crate::runtime::ObjectStyle::DeepObject),
                ObjectStyle::Form { explode } => {
                    quote!(crate::runtime::ObjectStyle::Form { explode: #explode })
                }
            };
            let arguments = quote!(#wire, #runtime_style, &[#(#others),*]);
            if param.required {
                quote!(incoming.query_object_required(#arguments)?)
            } else if is_array {
                quote!(incoming.query_object(#arguments)?.unwrap_or_default())
            } else {
                quote!(incoming.query_object(#arguments)?)
            }
        }
        ParamEncoding::Json => {
            let read = read_text(
                param,
                &op.path,
                quote!(::<crate::runtime::server::JsonParam<_>>),
            );
            let items = is_array && param.style == ArrayStyle::Exploded;
            match (items, param.required) {
                (true, _) => {
                    quote!(#read.into_iter().map(crate::runtime::server::JsonParam::into_inner).collect())
                }
                (false, true) => quote!(#read.into_inner()),
                (false, false) if is_array => {
                    quote!(#read.map(crate::runtime::server::JsonParam::into_inner).unwrap_or_default())
                }
                (false, false) => quote!(#read.map(crate::runtime::server::JsonParam::into_inner)),
            }
        }
    }
}

/// How a handler reads one parameter written as text; `turbofish` names the type each text
/// is parsed as, when it is not the parameter's own.
fn read_text(param: &Param, path: &str, turbofish: TokenStream) -> TokenStream {
    let wire = &param.wire;
    let list_style = match param.style {
        ArrayStyle::Exploded => quote!(crate::runtime::server::ListStyle::Exploded),
        ArrayStyle::Csv => quote!(crate::runtime::server::ListStyle::Delimited(',')),
        ArrayStyle::Space => quote!(crate::runtime::server::ListStyle::Delimited(' ')),
        ArrayStyle::Pipe => quote!(crate::runtime::server::ListStyle::Delimited('|')),
    };
    // A JSON-encoded array is one text, unless its items are pairs of their own.
    let is_array = matches!(param.ty, TypeRef::Vec(_))
        && (param.encoding == ParamEncoding::Text || param.style == ArrayStyle::Exploded);
    match (param.location, is_array, param.required) {
        (ParamLocation::Path, _, _) => match path_capture(path, wire) {
            Some(Capture {
                position,
                literals,
                piece,
            }) if literals.iter().any(|l| !l.is_empty()) || literals.len() > 2 => {
                quote!(incoming.path_piece #turbofish(#position, &[#(#literals),*], #piece, #wire)?)
            }
            Some(Capture { position, .. }) => {
                quote!(incoming.path_at #turbofish(#position, #wire)?)
            }
            None => quote!(incoming.path_at #turbofish(0, #wire)?),
        },
        (ParamLocation::Query, true, true) => {
            quote!(incoming.query_list_required #turbofish(#wire, #list_style)?)
        }
        (ParamLocation::Query, true, false) => {
            quote!(incoming.query_list #turbofish(#wire, #list_style)?)
        }
        (ParamLocation::Query, false, true) => quote!(incoming.query_required #turbofish(#wire)?),
        (ParamLocation::Query, false, false) => quote!(incoming.query #turbofish(#wire)?),
        (ParamLocation::Header, true, _) => quote!(incoming.header_list #turbofish(#wire)?),
        (ParamLocation::Header, false, true) => quote!(incoming.header_required #turbofish(#wire)?),
        (ParamLocation::Header, false, false) => quote!(incoming.header #turbofish(#wire)?),
        (ParamLocation::Cookie, true, _) => quote!(incoming.cookie_list #turbofish(#wire)?),
        (ParamLocation::Cookie, false, true) => quote!(incoming.cookie_required #turbofish(#wire)?),
        (ParamLocation::Cookie, false, false) => quote!(incoming.cookie #turbofish(#wire)?),
    }
}

fn handler(api: &Api, plan: &OperationPlan<'_>) -> TokenStream {
    let op = plan.op;
    let name = format_ident!("{}", op.name);
    let handler = format_ident!("{}", plan.server.handler);
    let decoder = format_ident!("{}", plan.server.decoder);
    let types = server_types(api, &plan.arguments);
    let names = names(&plan.arguments);

    // How the handler reads each argument of the trait method, in the plan's order.
    let values: Vec<TokenStream> = plan
        .arguments
        .iter()
        .map(|argument| match argument {
            Argument::Required(param) => read_param(param, op),
            Argument::Options(options) => {
                let options = format_ident!("{options}");
                let fields = op.params.iter().filter(|p| !p.required).map(|p| {
                    let field = format_ident!("{}", p.name);
                    let value = read_param(p, op);
                    quote!(#field: #value,)
                });
                quote!(crate::client::#options { #(#fields)* })
            }
            Argument::Body(body) => {
                let read = match &body.kind {
                    BodyKind::Json => quote!(incoming.json()?),
                    BodyKind::Form => quote!(incoming.form()?),
                    BodyKind::Multipart { files } => quote!(incoming.multipart(&[#(#files),*])?),
                    BodyKind::Bytes(_) => quote!(incoming.bytes()),
                    BodyKind::Text(_) => quote!(incoming.text()?),
                };
                if body.required {
                    read
                } else {
                    quote!(if incoming.has_body() { Some(#read) } else { None })
                }
            }
        })
        .collect();
    // An operation without parameters or body reads nothing from the request.
    let incoming = if values.is_empty() {
        format_ident!("_incoming")
    } else {
        format_ident!("incoming")
    };
    quote! {
        fn #decoder(#incoming: &crate::runtime::server::Incoming) -> Result<(#(#types,)*), crate::runtime::server::Rejection> {
            Ok((#(#values,)*))
        }

        async fn #handler<A: Api>(
            ::axum::extract::State(api): ::axum::extract::State<::std::sync::Arc<A>>,
            incoming: crate::runtime::server::Incoming,
        ) -> ::axum::response::Response {
            match #decoder(&incoming) {
                Ok((#(#names,)*)) => ::axum::response::IntoResponse::into_response(api.#name(#(#names),*).await),
                Err(rejection) => ::axum::response::IntoResponse::into_response(rejection),
            }
        }
    }
}

/// `.route(path, method_router)` per distinct path. Paths that differ only in parameter names
/// share one route (the first spelling); handlers read path parameters by position.
fn routes(plans: &[OperationPlan<'_>]) -> Vec<TokenStream> {
    // Routes in order of first appearance; the map finds a route by shape in constant time, so
    // grouping is linear in the number of operations.
    let mut by_shape: Vec<(String, Vec<&OperationPlan<'_>>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for plan in plans {
        let shape = route_path(&plan.op.path);
        match index.get(&shape) {
            Some(&at) => {
                let same_path = &mut by_shape[at].1;
                if !same_path.iter().any(|o| o.op.method == plan.op.method) {
                    same_path.push(plan);
                }
            }
            None => {
                index.insert(shape.clone(), by_shape.len());
                by_shape.push((shape, vec![plan]));
            }
        }
    }
    by_shape
        .into_iter()
        .map(|(path, same_path)| {
            let mut same_path = same_path.into_iter().map(|plan| {
                let method = format_ident!("{}", plan.op.method.as_str().to_ascii_lowercase());
                let handler = format_ident!("{}", plan.server.handler);
                (method, handler)
            });
            let first = same_path
                .next()
                .map(|(method, handler)| quote!(::axum::routing::#method(#handler::<A>)));
            let rest = same_path.map(|(method, handler)| quote!(.#method(#handler::<A>)));
            quote!(.route(#path, #first #(#rest)*))
        })
        .collect()
}

/// Where a path parameter is in the route: the capture at `position` (one per segment that
/// holds parameters), split at `literals` (text before, between and after the segment's
/// parameters), piece `piece`.
struct Capture {
    position: usize,
    literals: Vec<String>,
    piece: usize,
}

/// A segment of a path template.
enum Segment {
    /// Text only.
    Literal(String),
    /// A segment with parameters: the text before, between and after them, and their names.
    Params(Vec<String>, Vec<String>),
}

/// The segments of a path template; a fixed query in it (Azure's `x-ms-paths`) is no part of
/// the route.
fn segments(path: &str) -> Vec<Segment> {
    let route = path.split_once('?').map_or(path, |(route, _)| route);
    route
        .trim_start_matches('/')
        .split('/')
        .map(|segment| {
            if !segment.contains('{') {
                return Segment::Literal(segment.to_owned());
            }
            let mut literals = vec![String::new()];
            let mut names = Vec::new();
            let mut in_param = false;
            for c in segment.chars() {
                match (c, in_param) {
                    ('{', false) => {
                        in_param = true;
                        names.push(String::new());
                    }
                    ('}', true) => {
                        in_param = false;
                        literals.push(String::new());
                    }
                    (c, true) => names.last_mut().into_iter().for_each(|n| n.push(c)),
                    (c, false) => literals.last_mut().into_iter().for_each(|l| l.push(c)),
                }
            }
            Segment::Params(literals, names)
        })
        .collect()
}

fn path_capture(path: &str, name: &str) -> Option<Capture> {
    segments(path)
        .into_iter()
        .filter_map(|segment| match segment {
            Segment::Params(literals, names) => Some((literals, names)),
            Segment::Literal(_) => None,
        })
        .enumerate()
        .find_map(|(position, (literals, names))| {
            names.iter().position(|n| n == name).map(|piece| Capture {
                position,
                literals,
                piece,
            })
        })
}

/// The route as axum writes it: one capture `{pN}` per segment that holds parameters
/// (parameter names from documents may hold characters a router does not accept, and a
/// segment may mix parameters with text, which the router does not allow); literal segments as
/// they are. Paths with the same route are served together.
fn route_path(path: &str) -> String {
    let mut route = String::new();
    let mut position = 0;
    for segment in segments(path) {
        route.push('/');
        match segment {
            Segment::Literal(literal) => route.push_str(&literal),
            Segment::Params(..) => {
                route.push_str(&format!("{{p{position}}}"));
                position += 1;
            }
        }
    }
    route
}
