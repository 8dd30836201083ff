//! The `client` module: the `Client` type, one method per operation, and the option structs
//! that carry each operation's optional parameters.
//!
//! Methods stay thin: they build a `runtime::Request` and return a `runtime::Call`, which sends
//! it through the one non-generic `Transport::send` and decodes the response with a plain
//! function. Methods are not `async fn`: each of those would be a state machine of its own to
//! type-check and borrow-check, so code size and check time grow slowly with the number of
//! operations.
//!
//! What each method takes and documents is decided in its plan (`crate::plan`); this module
//! renders plans as Rust.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::arguments::{by_value, client_arguments, names};
use super::docs::{doc_attrs, doc_attrs_markdown, paragraphs, sanitize};
use super::format::{Part, runs};
use super::rust_type::{Scope, rust_type};
use crate::model::{
    Api, ArrayStyle, BodyKind, KeyLocation, ObjectStyle, Operation, Paging, Param, ParamEncoding,
    ParamLocation, PathPart, SchemeKind, StatusBody, Success, TypeRef,
};
use crate::plan::{Argument, OperationPlan};

/// The parts of `client.rs`: the module's attributes with the `Client` type, then the `impl
/// Client` block (its constructors, then the operations' methods), the option structs and the
/// response enums, each in [`runs`] of operations.
pub(super) fn parts<'a>(api: &'a Api, plans: &'a [OperationPlan<'a>]) -> Vec<Part<'a>> {
    let mut parts = vec![Part::items(|| client_type(api))];
    let runs = runs(plans);
    let count = runs.len();
    parts.extend(runs.iter().enumerate().map(|(index, &run)| {
        Part::impl_items(index, count, move || {
            let constructors = (index == 0).then(|| constructors(api));
            let methods = run.iter().map(|plan| methods(api, plan));
            quote! {
                impl Client {
                    #constructors
                    #(#methods)*
                }
            }
        })
    }));
    parts.extend(
        runs.iter()
            .map(|&run| Part::each(run, move |plan| options_struct(api, plan.op))),
    );
    parts.extend(
        runs.iter()
            .map(|&run| Part::each(run, move |plan| response_enum(api, plan.op))),
    );
    parts
}

/// The module's attributes, the base URL and the `Client` type.
fn client_type(api: &Api) -> TokenStream {
    let base_url = api.servers.first().cloned().unwrap_or_default();
    let title = sanitize(&format!(
        "Client for {} (version {}).",
        api.title, api.version
    ));
    let description = api.description.as_deref().map(sanitize);
    let client_doc = doc_attrs_markdown(&paragraphs([
        Some(title.as_str()),
        description.as_deref(),
        Some(
            "Every method returns a [`Call`](crate::runtime::Call): awaiting it sends one request through the shared [`Transport`](crate::runtime::Transport) and decodes the response; a non-success status becomes [`Error::Api`](crate::runtime::Error::Api). A `Call` owns what it needs (`Send + 'static`), so it may be spawned or outlive the client.",
        ),
    ]));
    let base_url_doc = doc_attrs(&if base_url.is_empty() {
        String::from(
            "Empty: the API description lists no server. Give clients a base URL with `Client::builder().base_url(...)`.",
        )
    } else {
        format!("The base URL of the first server the API description lists: `{base_url}`.")
    });
    // `type_complexity`: a response typed inline nests as the document nests it (a list of
    // maps of lenient values, say), and naming it would invent a name the document lacks.
    // `collapsible_if`: an optional body is written by the required body's statement inside
    // `if let Some(body) = body { ... }`, and for JSON, form and multipart bodies that statement
    // is itself an `if let Err(error) = ... { return ... }`.
    quote! {
        //! The client: one method per operation of the API description, returning a `Call`.
        #![allow(deprecated, clippy::collapsible_if, clippy::too_many_arguments, clippy::type_complexity, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        #base_url_doc
        pub const DEFAULT_BASE_URL: &str = #base_url;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: crate::runtime::Transport,
        }

        impl From<crate::runtime::Transport> for Client {
            fn from(transport: crate::runtime::Transport) -> Self {
                Self { transport }
            }
        }
    }
}

/// The methods every client has, first in its `impl` block.
fn constructors(api: &Api) -> TokenStream {
    let schemes = api.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let kind = match &scheme.kind {
            SchemeKind::Bearer => quote!(crate::runtime::Scheme::Bearer),
            SchemeKind::Basic => quote!(crate::runtime::Scheme::Basic),
            SchemeKind::ApiKey(KeyLocation::Header, key) => {
                quote!(crate::runtime::Scheme::HeaderKey(#key))
            }
            SchemeKind::ApiKey(KeyLocation::Query, key) => {
                quote!(crate::runtime::Scheme::QueryKey(#key))
            }
            SchemeKind::ApiKey(KeyLocation::Cookie, key) => {
                quote!(crate::runtime::Scheme::CookieKey(#key))
            }
        };
        quote!((#name, #kind))
    });
    let declare =
        (!api.security_schemes.is_empty()).then(|| quote!(.security_schemes(&[#(#schemes),*])));
    let builder_doc = doc_attrs_markdown(&builder_doc(api));
    quote! {
        #builder_doc
        pub fn builder() -> crate::runtime::ClientBuilder<Client> {
            crate::runtime::ClientBuilder::new(DEFAULT_BASE_URL)
                .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                #declare
        }

        /// A client of [`DEFAULT_BASE_URL`] that sends `token` as a bearer token.
        pub fn new(token: impl Into<String>) -> Result<Self, crate::runtime::Error> {
            Self::builder().bearer_token(token).build()
        }

        /// The transport that sends this client's requests.
        pub fn transport(&self) -> &crate::runtime::Transport {
            &self.transport
        }
    }
}

/// The documentation of `Client::builder`, with the credentials each security scheme of the
/// document takes.
fn builder_doc(api: &Api) -> String {
    let mut doc = String::from(
        "A builder for a client of [`DEFAULT_BASE_URL`]: set the credentials, timeouts, base URL and headers, then call `build`. The `User-Agent` is this crate's name and version.",
    );
    if api.security_schemes.is_empty() {
        return doc;
    }
    doc.push_str(
        "\n\nThe API's security schemes, and the builder call each takes (an operation sends the credentials of the first combination of schemes it accepts that the client has):",
    );
    for scheme in &api.security_schemes {
        let name = sanitize(&scheme.name);
        let how = match &scheme.kind {
            SchemeKind::Bearer => {
                String::from("a bearer token: `bearer_token(token)` or `token_provider(provider)`")
            }
            SchemeKind::Basic => String::from("HTTP basic: `basic_auth(user, password)`"),
            SchemeKind::ApiKey(location, key) => {
                let place = match location {
                    KeyLocation::Header => "header",
                    KeyLocation::Query => "query parameter",
                    KeyLocation::Cookie => "cookie",
                };
                format!(
                    "an API key in the {place} `{}`: `api_key({:?}, key)`",
                    sanitize(key),
                    scheme.name
                )
            }
        };
        doc.push_str(&format!("\n- `{name}`: {how}"));
    }
    doc
}

/// An operation's methods: the one that sends it and, for a paged collection, its `_pages`
/// and `_items` streams and the function that builds the request all three share.
fn methods(api: &Api, plan: &OperationPlan<'_>) -> TokenStream {
    let op = plan.op;
    let arguments = client_arguments(api, &plan.arguments);
    let doc = doc_attrs_markdown(&plan.method_doc);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let name = format_ident!("{}", op.name);
    let output = response_type(api, op);
    let finish = finish_tokens(op);
    let Some(paging) = &op.paging else {
        let build = build_tokens(plan);
        return quote! {
            #doc
            #deprecated
            pub fn #name(&self, #(#arguments),*) -> crate::runtime::Call<#output> {
                #build
                #finish
            }
        };
    };
    let request_fn = format_ident!("{}", paging.request_fn);
    let names = names(&plan.arguments);
    let pages = stream_method(api, plan, paging, Stream::Pages, &arguments, &names);
    let items = stream_method(api, plan, paging, Stream::Items, &arguments, &names);
    let build = build_tokens(plan);
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#arguments),*) -> crate::runtime::Call<#output> {
            let request = Self::#request_fn(#(#names),*);
            #finish
        }
        #pages
        #items
        fn #request_fn(#(#arguments),*) -> crate::runtime::Request {
            #build
            request
        }
    }
}

/// The streams of a paged collection.
#[derive(Debug, Clone, Copy)]
enum Stream {
    /// `_pages`: every page, following the next-page link.
    Pages,
    /// `_items`: the items of every page.
    Items,
}

/// The `_pages` or `_items` method of a paged collection: `runtime::paging::pages` or `items`
/// on the shared request, with a closure that takes the next-page link and the items (their
/// number, for `pages`) from a page. `arguments` and `names` are the method's arguments with
/// their types, and their names.
fn stream_method(
    api: &Api,
    plan: &OperationPlan<'_>,
    paging: &Paging,
    stream: Stream,
    arguments: &[TokenStream],
    names: &[proc_macro2::Ident],
) -> TokenStream {
    let op = plan.op;
    let (function, method, doc) = match stream {
        Stream::Pages => (
            "pages",
            &paging.pages_method,
            format!(
                "Every page of [`Client::{}`], following the next-page link until the last page.",
                op.name
            ),
        ),
        Stream::Items => (
            "items",
            &paging.items_method,
            format!(
                "Every item of [`Client::{}`], page after page; stops after `$top` items when the query sets it.",
                op.name
            ),
        ),
    };
    let (method, function) = (format_ident!("{method}"), format_ident!("{function}"));
    let request_fn = format_ident!("{}", paging.request_fn);
    let page = rust_type(api, &paging.page, Scope::Crate);
    let (link, items) = (
        format_ident!("{}", paging.next_link_field),
        format_ident!("{}", paging.items_field),
    );
    let (item, closure) = match stream {
        Stream::Pages => {
            let link = if paging.next_link_optional {
                quote!(page.#link.clone())
            } else {
                quote!(Some(page.#link.clone()))
            };
            let count = if paging.items_optional {
                quote!(page.#items.as_ref().map_or(0, Vec::len))
            } else {
                quote!(page.#items.len())
            };
            (page.clone(), quote!(|page: &#page| (#count, #link)))
        }
        Stream::Items => {
            let link = if paging.next_link_optional {
                quote!(page.#link)
            } else {
                quote!(Some(page.#link))
            };
            let items = if paging.items_optional {
                quote!(page.#items.unwrap_or_default())
            } else {
                quote!(page.#items)
            };
            let item = rust_type(api, &paging.item, Scope::Crate);
            (item, quote!(|page: #page| (#items, #link)))
        }
    };
    let doc = doc_attrs_markdown(&doc);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#arguments),*) -> crate::runtime::paging::Paged<#item> {
            crate::runtime::paging::#function(self.transport.clone(), Self::#request_fn(#(#names),*), #closure)
        }
    }
}

/// An expression borrowing the argument `ident` of type `ty` as `&T`.
fn borrow_argument(ident: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    if by_value(ty) {
        quote!(&#ident)
    } else {
        quote!(#ident)
    }
}

/// The statements that make an operation's request and fill it in: `let mut request = ...;`,
/// its template, `Accept`, parameters and body.
fn build_tokens(plan: &OperationPlan<'_>) -> TokenStream {
    let op = plan.op;
    let label = &op.label;
    let method = format_ident!("{}", op.method.as_str());
    // What each argument writes into the request, in the plan's order; path parameters are
    // in the path already.
    let apply = plan.arguments.iter().map(|argument| match argument {
        Argument::Required(param) if param.location == ParamLocation::Path => TokenStream::new(),
        Argument::Required(param) => {
            let ident = format_ident!("{}", param.name);
            write_param(param, borrow_argument(&ident, &param.ty), false)
        }
        Argument::Options(_) => quote!(options.apply(&mut request);),
        Argument::Body(body) => {
            let write = match &body.kind {
                BodyKind::Json => failed_if_err(quote!(request.json(body))),
                BodyKind::Form => {
                    failed_if_err(quote!(crate::runtime::bodies::form(&mut request, body)))
                }
                BodyKind::Multipart { files } => failed_if_err(
                    quote!(crate::runtime::bodies::multipart(&mut request, body, &[#(#files),*])),
                ),
                BodyKind::Bytes(media) => quote!(request.body(body.to_vec(), #media);),
                BodyKind::Text(media) => quote!(request.body(body.as_bytes().to_vec(), #media);),
            };
            if body.required {
                write
            } else {
                quote! {
                    if let Some(body) = body {
                        #write
                    }
                }
            }
        }
    });
    let path = path_expr(op);
    let accept = plan.accept.map(|media| quote!(request.accept(#media);));
    let template = &op.path;
    let security = op.requirements.as_ref().map(|requirements| {
        let sets = requirements.iter().map(|set| quote!(&[#(#set),*]));
        quote!(request.security(&[#(#sets),*]);)
    });
    quote! {
        let mut request = crate::runtime::Request::new(crate::runtime::Method::#method, #label, #path);
        request.template(#template);
        #security
        #accept
        #(#apply)*
    }
}

/// The request path: literal text and percent-encoded path parameters.
fn path_expr(op: &Operation) -> TokenStream {
    let parts: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#text),
            PathPart::Param(index) => {
                let param = &op.params[*index];
                let ident = format_ident!("{}", param.name);
                let value = borrow_argument(&ident, &param.ty);
                if param.encoding == ParamEncoding::Json {
                    quote!(&crate::runtime::path_segment(&crate::runtime::JsonText(#value)))
                } else {
                    quote!(&crate::runtime::path_segment(#value))
                }
            }
        })
        .collect();
    match parts.as_slice() {
        [] => quote!(String::from("/")),
        [only] if matches!(op.path_parts[0], PathPart::Literal(_)) => quote!(String::from(#only)),
        _ => quote!([#(#parts),*].concat()),
    }
}

/// A statement writing one parameter; `value` is an expression of type `&T` (or, for optional
/// parameters read from the options struct, `Option<&T>` or `&Vec<T>`).
fn write_param(param: &Param, value: TokenStream, optional: bool) -> TokenStream {
    let wire = &param.wire;
    let is_array = matches!(param.ty, TypeRef::Vec(_));
    let plain_query_scalar = param.location == ParamLocation::Query
        && param.encoding == ParamEncoding::Text
        && !is_array
        && !param.allow_reserved;
    if plain_query_scalar && optional {
        return quote!(request.query_mut().push_opt(#wire, #value););
    }
    // These write nothing for an empty list themselves.
    let empty_is_nothing = param.location == ParamLocation::Query
        && is_array
        && match param.encoding {
            ParamEncoding::Text => {
                param.style != ArrayStyle::Space
                    && param.style != ArrayStyle::Pipe
                    && !param.allow_reserved
            }
            ParamEncoding::Json => param.style == ArrayStyle::Exploded,
            ParamEncoding::Object(_) => true,
        };
    if !optional || empty_is_nothing {
        return write_present(param, &value);
    }
    let statement = write_present(param, &quote!(value));
    // Optional arrays (`Vec` in the options struct) are sent only when not empty; optional
    // values (`Option`) only when set.
    if is_array {
        quote! {
            let value = #value;
            if !value.is_empty() {
                #statement
            }
        }
    } else {
        quote! {
            if let Some(value) = #value {
                #statement
            }
        }
    }
}

/// A statement writing a parameter that is present; `value` has type `&T`.
fn write_present(param: &Param, value: &TokenStream) -> TokenStream {
    let wire = &param.wire;
    let is_array = matches!(param.ty, TypeRef::Vec(_));
    let joined = |separator: &str| quote!(#value.iter().map(|v| crate::runtime::ParamValue::to_param(v).into_owned()).collect::<Vec<_>>().join(#separator));
    // The value's text for a header or cookie: a `String` for arrays, a `Cow<str>` otherwise.
    let text = match (param.encoding, is_array) {
        (ParamEncoding::Json, _) => {
            quote!(crate::runtime::ParamValue::to_param(&crate::runtime::JsonText(#value)))
        }
        (_, true) => joined(","),
        (_, false) => quote!(crate::runtime::ParamValue::to_param(#value)),
    };
    let owned_text = if is_array && param.encoding != ParamEncoding::Json {
        text.clone()
    } else {
        quote!(#text.into_owned())
    };
    match param.location {
        ParamLocation::Query => {
            let push = if param.allow_reserved {
                quote!(push_reserved)
            } else {
                quote!(push)
            };
            match (param.encoding, is_array, param.style) {
                (ParamEncoding::Object(style), _, _) => {
                    let style = object_style(style);
                    quote!(request.query_mut().push_object(#wire, #value, #style);)
                }
                (ParamEncoding::Json, true, ArrayStyle::Exploded) => {
                    quote!(request.query_mut().push_json_items(#wire, #value);)
                }
                (ParamEncoding::Json, _, _) => {
                    quote!(request.query_mut().push(#wire, &crate::runtime::JsonText(#value));)
                }
                (ParamEncoding::Text, false, _) => {
                    quote!(request.query_mut().#push(#wire, #value);)
                }
                (ParamEncoding::Text, true, ArrayStyle::Exploded) if param.allow_reserved => {
                    quote! {
                        for item in #value {
                            request.query_mut().push_reserved(#wire, item);
                        }
                    }
                }
                (ParamEncoding::Text, true, ArrayStyle::Exploded) => {
                    quote!(request.query_mut().push_exploded(#wire, #value);)
                }
                (ParamEncoding::Text, true, ArrayStyle::Csv) if !param.allow_reserved => {
                    quote!(request.query_mut().push_csv(#wire, #value);)
                }
                (ParamEncoding::Text, true, style) => {
                    let text = joined(match style {
                        ArrayStyle::Space => " ",
                        ArrayStyle::Pipe => "|",
                        ArrayStyle::Csv | ArrayStyle::Exploded => ",",
                    });
                    quote!(request.query_mut().#push(#wire, &#text);)
                }
            }
        }
        ParamLocation::Cookie => quote!(request.cookie(#wire, &#text);),
        ParamLocation::Header => quote!(request.header(#wire, #owned_text);),
        ParamLocation::Path => TokenStream::new(),
    }
}

/// The runtime's `ObjectStyle` for `style`.
fn object_style(style: ObjectStyle) -> TokenStream {
    match style {
        ObjectStyle::DeepObject => quote!(crate::runtime::ObjectStyle::DeepObject),
        ObjectStyle::Form { explode } => {
            quote!(crate::runtime::ObjectStyle::Form { explode: #explode })
        }
    }
}

/// An operation's options struct, with the `apply` that writes the parameters that are set.
fn options_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = format_ident!("{}", op.options.as_ref()?);
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let doc = doc_attrs_markdown(&format!(
        "Optional parameters of [`Client::{}`]; `Default::default()` sends none.",
        op.name
    ));
    let fields = optional.iter().map(|param| {
        let ident = format_ident!("{}", param.name);
        let ty = option_type(api, param);
        let doc = doc_attrs(&option_doc(param));
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    let writes = optional.iter().map(|param| {
        let ident = format_ident!("{}", param.name);
        let value = if matches!(param.ty, TypeRef::Vec(_)) {
            quote!(&self.#ident)
        } else {
            quote!(self.#ident.as_ref())
        };
        write_param(param, value, true)
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// Writes the parameters that are set into `request`.
            fn apply(&self, request: &mut crate::runtime::Request) {
                #(#writes)*
            }
        }
    })
}

/// The type of an optional parameter's field in the options struct: an array is empty when
/// unset, anything else an `Option`.
pub(super) fn option_type(api: &Api, param: &Param) -> TokenStream {
    let ty = rust_type(api, &param.ty, Scope::Crate);
    if matches!(param.ty, TypeRef::Vec(_)) {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// The doc comment of an optional parameter's field: its description, where it goes, and
/// whether it is deprecated.
fn option_doc(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Query => format!("Query parameter `{}`.", param.wire),
        ParamLocation::Header => format!("Header `{}`.", param.wire),
        ParamLocation::Cookie => format!("Cookie `{}`.", param.wire),
        ParamLocation::Path => format!("Path parameter `{}`.", param.wire),
    };
    let deprecated = param.deprecated.then_some("**Deprecated.**");
    paragraphs([param.doc.as_deref(), Some(location.as_str()), deprecated])
}

/// `encode`, an expression of type `Result<(), Error>` that writes the body, as a statement that
/// returns a failed `runtime::Call` when it fails.
fn failed_if_err(encode: TokenStream) -> TokenStream {
    quote! {
        if let Err(error) = #encode {
            return crate::runtime::Call::failed(error);
        }
    }
}

/// The method's result type: what its `Call` gives.
pub(super) fn response_type(api: &Api, op: &Operation) -> TokenStream {
    match &op.success {
        Success::Empty => quote!(()),
        Success::Json(ty) | Success::Text(ty) => rust_type(api, ty, Scope::Crate),
        Success::Bytes => quote!(Vec<u8>),
        Success::Multiple { name, .. } => {
            let name = format_ident!("{name}");
            quote!(#name)
        }
    }
}

/// The expression that returns the method's `Call`: the request sent by the transport, the
/// response decoded by a plain function (a method of `Response`, or a closure that captures
/// nothing).
fn finish_tokens(op: &Operation) -> TokenStream {
    let label = &op.label;
    let call = |decode: TokenStream| quote!(self.transport.call(request, #decode));
    match &op.success {
        Success::Empty => call(quote!(crate::runtime::Response::empty)),
        Success::Json(_) => call(quote!(crate::runtime::Response::json)),
        Success::Text(_) => call(quote!(crate::runtime::Response::text)),
        Success::Bytes => call(quote!(|response| Ok(response.bytes()))),
        Success::Multiple { name, statuses } => {
            let name = format_ident!("{name}");
            let mut has_catch_all = false;
            let arms: Vec<TokenStream> = statuses
                .iter()
                .map(|status| {
                    let pattern = match status.status.as_str() {
                        "default" => {
                            has_catch_all = true;
                            quote!(_)
                        }
                        code => match code.parse::<u16>() {
                            Ok(code) => quote!(#code),
                            Err(_) => {
                                let first = code[..1].parse::<u16>().unwrap_or(2) * 100;
                                let last = first + 99;
                                quote!(#first..=#last)
                            }
                        },
                    };
                    let variant = format_ident!("{}", status.variant);
                    let decode = match &status.body {
                        Success::Empty => quote!(response.empty().map(|()| #name::#variant)),
                        Success::Json(_) => quote!(response.json().map(#name::#variant)),
                        Success::Text(_) => quote!(response.text().map(#name::#variant)),
                        _ => quote!(Ok(#name::#variant(response.bytes()))),
                    };
                    quote!(#pattern => #decode,)
                })
                .collect();
            let fallback = (!has_catch_all).then(
                || quote!(_ => Err(crate::runtime::bodies::unexpected_status(#label, response)),),
            );
            call(quote! {
                |response| match response.status() {
                    #(#arms)*
                    #fallback
                }
            })
        }
    }
}

/// The enum of an operation that answers different bodies for different statuses.
fn response_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let Success::Multiple { name, statuses } = &op.success else {
        return None;
    };
    let ident = format_ident!("{name}");
    let variants = statuses.iter().map(
        |StatusBody {
             status,
             variant,
             body,
             ..
         }| {
            let variant = format_ident!("{variant}");
            let doc = doc_attrs(&format!("Status `{status}`."));
            match body {
                Success::Empty => quote!(#doc #variant,),
                Success::Json(ty) | Success::Text(ty) => {
                    let ty = rust_type(api, ty, Scope::Crate);
                    quote!(#doc #variant(#ty),)
                }
                _ => quote!(#doc #variant(Vec<u8>),),
            }
        },
    );
    let doc = doc_attrs_markdown(&format!(
        "The success responses of [`Client::{}`], by status.",
        op.name
    ));
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }
    })
}

#[cfg(test)]
mod tests {
    /// The client module of the document `servers` (YAML) makes.
    fn client_of(servers: &str) -> String {
        let text =
            format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{servers}paths: {{}}\n");
        let files = crate::Config::new("t.yaml").render_str(&text).unwrap();
        files.get("client.rs").unwrap().clone()
    }

    #[test]
    fn the_default_base_url_says_where_it_comes_from() {
        let listed = client_of("servers:\n  - url: https://api.example.com/v1\n");
        assert!(listed.contains(
            "/// The base URL of the first server the API description lists: `https://api.example.com/v1`.\npub const DEFAULT_BASE_URL: &str = \"https://api.example.com/v1\";"
        ), "{listed}");
        let none = client_of("");
        assert!(none.contains(
            "/// Empty: the API description lists no server. Give clients a base URL with `Client::builder().base_url(...)`.\npub const DEFAULT_BASE_URL: &str = \"\";"
        ), "{none}");
    }
}
