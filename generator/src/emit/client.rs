//! The `client` module: the `Client` type, one method per operation, and the option structs
//! that carry each operation's optional parameters.
//!
//! Methods stay thin: they build a `runtime::Request` and return a `runtime::Call`, which sends
//! it through the one non-generic `Transport::send` and decodes the response with a plain
//! function. Methods are not `async fn`: each of those would be a state machine of its own to
//! type-check and borrow-check, so code size and check time grow slowly with the number of
//! operations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deferred::{self, Place};
use super::definitions;
use super::docs::{doc_attrs, doc_attrs_markdown, doc_lines, markdown_lines, paragraphs, sanitize};
use super::format::{Part, runs};
use super::rust_type::{
    Scope, argument_type, argument_type_text, by_value, rust_type, rust_type_text,
};
use super::signatures::Function;
use super::statements::{self, ClosureBody};
use super::text::{Lines, literal};
use crate::model::{
    Api, ArrayStyle, BodyKind, Operation, Paging, Param, ParamLocation, PathPart, StatusBody,
    Success, TypeRef,
};

/// The parts of `client.rs`: the module's attributes with the `Client` type, then the `impl
/// Client` block (its constructors, then the operations' methods), the option structs and the
/// response enums, each in [`runs`] of operations.
pub(super) fn parts(api: &Api) -> Vec<Part<'_>> {
    let mut parts = vec![Part::items(|| client_type(api))];
    let runs = runs(&api.operations);
    let count = runs.len();
    parts.extend(runs.iter().enumerate().map(|(index, &run)| {
        Part::impl_items(index, count, move || {
            let constructors = (index == 0).then(constructors);
            let methods = run.iter().map(|op| method(api, op));
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
            .map(|&run| Part::each(run, move |op| options_struct(api, op))),
    );
    parts.extend(
        runs.iter()
            .map(|&run| Part::each(run, move |op| response_enum(api, op))),
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
    let client_doc = paragraphs([
        Some(title.as_str()),
        description.as_deref(),
        Some(
            "Every method returns a [`Call`](crate::runtime::Call): awaiting it sends one request through the shared [`Transport`](crate::runtime::Transport) and decodes the response; a non-success status becomes [`Error::Api`](crate::runtime::Error::Api). A `Call` owns what it needs (`Send + 'static`), so it may be spawned or outlive the client.",
        ),
    ]);
    let base_url_doc = if base_url.is_empty() {
        String::from(
            "Empty: the API description lists no server. Give clients a base URL with `Client::builder().base_url(...)`.",
        )
    } else {
        format!("The base URL of the first server the API description lists: `{base_url}`.")
    };
    if let Some(written) = deferred::written(Place::Items, || {
        client_type_text(&base_url, &base_url_doc, &client_doc)
    }) {
        return written;
    }
    let client_doc = doc_attrs_markdown(&client_doc);
    let base_url_doc = doc_attrs(&base_url_doc);
    // `collapsible_if`: an optional body is written by the required body's statement inside
    // `if let Some(body) = body { ... }`, and for JSON, form and multipart bodies that statement
    // is itself an `if let Err(error) = ... { return ... }`.
    quote! {
        //! The client: one method per operation of the API description, returning a `Call`.
        #![allow(deprecated, clippy::collapsible_if, clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

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

/// [`client_type`] as text: the same for every document but for the base URL and the docs.
fn client_type_text(base_url: &str, base_url_doc: &str, client_doc: &str) -> Option<String> {
    let mut lines = Lines::with_capacity(2048);
    lines.fixed(
        0,
        &[
            "//! The client: one method per operation of the API description, returning a `Call`.",
            "#![allow(",
            "    deprecated,",
            "    clippy::collapsible_if,",
            "    clippy::too_many_arguments,",
            "    clippy::doc_lazy_continuation,",
            "    clippy::doc_overindented_list_items",
            ")]",
        ],
    );
    lines.doc(0, &doc_lines(base_url_doc));
    let base_url = literal(base_url);
    lines.line(
        0,
        format_args!("pub const DEFAULT_BASE_URL: &str = {base_url};"),
    );
    lines.doc(0, &markdown_lines(client_doc));
    lines.fixed(
        0,
        &[
            "#[derive(Debug, Clone)]",
            "pub struct Client {",
            "    transport: crate::runtime::Transport,",
            "}",
            "impl From<crate::runtime::Transport> for Client {",
            "    fn from(transport: crate::runtime::Transport) -> Self {",
            "        Self { transport }",
            "    }",
            "}",
        ],
    );
    lines.finish()
}

/// The methods every client has, first in its `impl` block.
fn constructors() -> TokenStream {
    if let Some(written) = deferred::written(Place::ImplItems, constructors_text) {
        return written;
    }
    quote! {
        /// A builder for a client of [`DEFAULT_BASE_URL`]: set the token provider,
        /// timeouts, base URL and headers, then call `build`.
        pub fn builder() -> crate::runtime::ClientBuilder<Client> {
            crate::runtime::ClientBuilder::new(DEFAULT_BASE_URL)
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

/// [`constructors`] as text.
fn constructors_text() -> Option<String> {
    let mut lines = Lines::with_capacity(1024);
    lines.fixed(
        4,
        &[
            "/// A builder for a client of [`DEFAULT_BASE_URL`]: set the token provider,",
            "/// timeouts, base URL and headers, then call `build`.",
            "pub fn builder() -> crate::runtime::ClientBuilder<Client> {",
            "    crate::runtime::ClientBuilder::new(DEFAULT_BASE_URL)",
            "}",
            "/// A client of [`DEFAULT_BASE_URL`] that sends `token` as a bearer token.",
            "pub fn new(token: impl Into<String>) -> Result<Self, crate::runtime::Error> {",
            "    Self::builder().bearer_token(token).build()",
            "}",
            "/// The transport that sends this client's requests.",
            "pub fn transport(&self) -> &crate::runtime::Transport {",
            "    &self.transport",
            "}",
        ],
    );
    lines.finish()
}

/// An expression borrowing the argument `ident` of type `ty` as `&T`.
fn borrow_argument(ident: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    if by_value(ty) {
        quote!(&#ident)
    } else {
        quote!(#ident)
    }
}

/// What the methods of an operation share: its arguments as text. Their tokens are made only
/// where a method is left to the formatter ([`argument_tokens`], [`Arguments::name_idents`]).
struct Arguments {
    /// `name: Type` for each argument, `&self` aside.
    text: Vec<String>,
    /// The same with `&self` first.
    with_self: Vec<String>,
    /// The argument names, to pass them on.
    names: Vec<String>,
}

impl Arguments {
    fn of(api: &Api, op: &Operation) -> Self {
        let text = arguments_text(api, op);
        let with_self = std::iter::once(String::from("&self"))
            .chain(text.iter().cloned())
            .collect();
        Arguments {
            text,
            with_self,
            names: arguments_names(op),
        }
    }

    /// The argument names as identifiers.
    fn name_idents(&self) -> Vec<proc_macro2::Ident> {
        self.names
            .iter()
            .map(|name| format_ident!("{name}"))
            .collect()
    }
}

/// An operation's arguments as tokens, `&self` aside: what [`arguments_text`] writes.
fn argument_tokens(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut tokens = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        let ident = format_ident!("{}", param.name);
        let ty = argument_type(api, &param.ty);
        tokens.push(quote!(#ident: #ty));
    }
    if let Some(options) = &op.options {
        let options = format_ident!("{options}");
        tokens.push(quote!(options: &#options));
    }
    if let Some(body) = &op.body {
        let ty = match body.kind {
            BodyKind::Bytes(_) => quote!([u8]),
            BodyKind::Text(_) => quote!(str),
            _ => rust_type(api, &body.ty, Scope::Crate),
        };
        if body.required {
            tokens.push(quote!(body: &#ty));
        } else {
            tokens.push(quote!(body: Option<&#ty>));
        }
    }
    tokens
}

/// An operation's methods: the one that sends it and, for a paged collection, its `_pages`
/// and `_items` streams and the function that builds the request all three share.
fn method(api: &Api, op: &Operation) -> TokenStream {
    let arguments = Arguments::of(api, op);
    let accept_media = accept(op);
    let Some(paging) = &op.paging else {
        let body = written_text(|| {
            let mut lines = statements::build(op, accept_media);
            lines.append(statements::finish(op));
            lines
        });
        return call_method(api, op, &arguments, body, || {
            let (build, finish) = (build_tokens(op, accept_media), finish_tokens(op));
            quote!(#build #finish)
        });
    };
    let body = written_text(|| {
        let mut lines = statements::request_from(&paging.request_fn, &arguments.names);
        lines.append(statements::finish(op));
        lines
    });
    let method = call_method(api, op, &arguments, body, || {
        let request_fn = format_ident!("{}", paging.request_fn);
        let (names, finish) = (arguments.name_idents(), finish_tokens(op));
        quote!(let request = Self::#request_fn(#(#names),*); #finish)
    });
    let pages = stream_method(api, op, paging, &arguments, Stream::Pages);
    let items = stream_method(api, op, paging, &arguments, Stream::Items);
    let request = request_function(api, op, paging, &arguments, accept_media);
    quote!(#method #pages #items #request)
}

/// The method that sends the operation and returns its `Call`: around `body`, its statements
/// as text, or else the statements `tokens` gives.
fn call_method(
    api: &Api,
    op: &Operation,
    arguments: &Arguments,
    body: Option<String>,
    tokens: impl FnOnce() -> TokenStream,
) -> TokenStream {
    let doc = method_doc(api, op);
    let output = format!("crate::runtime::Call<{}>", response_type_text(api, op));
    if let Some(written) = written_method(op, arguments, &op.name, &doc, &output, body.as_deref()) {
        return written;
    }
    let name = format_ident!("{}", op.name);
    let (doc, deprecated) = (doc_attrs_markdown(&doc), deprecated(op));
    let arguments = argument_tokens(api, op);
    let output = response_type(api, op);
    let body = body_tokens(body, tokens);
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#arguments),*) -> crate::runtime::Call<#output> {
            #body
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
/// on the shared request, with a closure that takes the next-page link (and the items) from a
/// page.
fn stream_method(
    api: &Api,
    op: &Operation,
    paging: &Paging,
    arguments: &Arguments,
    stream: Stream,
) -> TokenStream {
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
    let (link, items) = (&paging.next_link_field, &paging.items_field);
    let page = rust_type_text(api, &paging.page, Scope::Crate);
    let (item, parameter, closure) = match stream {
        Stream::Pages => {
            let closure = if paging.next_link_optional {
                ClosureBody::Expression(format!("page.{link}.clone()"))
            } else {
                ClosureBody::List {
                    open: "Some(",
                    elements: vec![format!("page.{link}.clone()")],
                }
            };
            (page.clone(), format!("|page: &{page}|"), closure)
        }
        Stream::Items => {
            let items = if paging.items_optional {
                format!("page.{items}.unwrap_or_default()")
            } else {
                format!("page.{items}")
            };
            let link = if paging.next_link_optional {
                format!("page.{link}")
            } else {
                format!("Some(page.{link})")
            };
            let item = rust_type_text(api, &paging.item, Scope::Crate);
            let closure = ClosureBody::List {
                open: "(",
                elements: vec![items, link],
            };
            (item, format!("|page: {page}|"), closure)
        }
    };
    let body = written_text(|| {
        statements::paging_call(
            function,
            &paging.request_fn,
            &arguments.names,
            &parameter,
            &closure,
        )
    });
    let output = format!("crate::runtime::paging::Paged<{item}>");
    if let Some(written) = written_method(op, arguments, method, &doc, &output, body.as_deref()) {
        return written;
    }
    // The same as tokens, for the formatter.
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
            (page.clone(), quote!(|page: &#page| #link))
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
    let (doc, deprecated) = (doc_attrs_markdown(&doc), deprecated(op));
    let (arguments, names) = (argument_tokens(api, op), arguments.name_idents());
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#arguments),*) -> crate::runtime::paging::Paged<#item> {
            crate::runtime::paging::#function(self.transport.clone(), Self::#request_fn(#(#names),*), #closure)
        }
    }
}

/// The private function that builds a paged collection's first request, for its method and
/// both streams.
fn request_function(
    api: &Api,
    op: &Operation,
    paging: &Paging,
    arguments: &Arguments,
    accept_media: Option<&str>,
) -> TokenStream {
    let body = written_text(|| {
        let mut lines = statements::build(op, accept_media);
        lines.append(statements::return_request());
        lines
    });
    let head = format!("fn {}", paging.request_fn);
    let function = Function {
        doc: &[],
        deprecated: false,
        head: &head,
        arguments: &arguments.text,
        output: "crate::runtime::Request",
    };
    if let Some(written) = written_function(&function, body.as_deref()) {
        return written;
    }
    let request_fn = format_ident!("{}", paging.request_fn);
    let arguments = argument_tokens(api, op);
    let body = body_tokens(body, || {
        let build = build_tokens(op, accept_media);
        quote!(#build request)
    });
    quote! {
        fn #request_fn(#(#arguments),*) -> crate::runtime::Request {
            #body
        }
    }
}

/// `#[deprecated]` on a deprecated operation's methods.
fn deprecated(op: &Operation) -> Option<TokenStream> {
    op.deprecated.then(|| quote!(#[deprecated]))
}

/// A method's arguments as text, `&self` aside: what `method` gives as tokens.
fn arguments_text(api: &Api, op: &Operation) -> Vec<String> {
    let mut arguments: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("{}: {}", p.name, argument_type_text(api, &p.ty)))
        .collect();
    if let Some(options) = &op.options {
        arguments.push(format!("options: &{options}"));
    }
    if let Some(body) = &op.body {
        let ty = match body.kind {
            BodyKind::Bytes(_) => String::from("[u8]"),
            BodyKind::Text(_) => String::from("str"),
            _ => rust_type_text(api, &body.ty, Scope::Crate),
        };
        arguments.push(if body.required {
            format!("body: &{ty}")
        } else {
            format!("body: Option<&{ty}>")
        });
    }
    arguments
}

/// The statements that make an operation's request and fill it in: `let mut request = ...;`,
/// its template, `Accept`, parameters and body.
fn build_tokens(op: &Operation, accept: Option<&str>) -> TokenStream {
    let label = &op.label;
    let method = format_ident!("{}", op.method.as_str());
    let mut apply = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        if param.location != ParamLocation::Path {
            let ident = format_ident!("{}", param.name);
            apply.push(write_param(
                param,
                borrow_argument(&ident, &param.ty),
                false,
            ));
        }
    }
    if op.options.is_some() {
        apply.push(quote!(options.apply(&mut request);));
    }
    if let Some(body) = &op.body {
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
            apply.push(write);
        } else {
            apply.push(quote! {
                if let Some(body) = body {
                    #write
                }
            });
        }
    }
    let path = path_expr(op);
    let accept = accept.map(|media| quote!(request.accept(#media);));
    let template = &op.path;
    quote! {
        let mut request = crate::runtime::Request::new(crate::runtime::Method::#method, #label, #path);
        request.template(#template);
        #accept
        #(#apply)*
    }
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

/// The code `write` gives as text (statements, as in `emit/statements.rs`, or items), while
/// code is written as text and every line of it fits.
fn written_text(write: impl FnOnce() -> Lines) -> Option<String> {
    deferred::is_deferring().then(|| write().finish()).flatten()
}

/// A whole function written as text (see `emit/signatures.rs`), when its statements are
/// (`body`) and its signature's layout is certain.
fn written_function(function: &Function<'_>, body: Option<&str>) -> Option<TokenStream> {
    let body = body?;
    deferred::written(Place::ImplItems, || function.text(body))
}

/// A public method of `op` named `name`, written whole as text (see [`written_function`]):
/// `doc` is its Markdown, `output` its return type.
fn written_method(
    op: &Operation,
    arguments: &Arguments,
    name: &str,
    doc: &str,
    output: &str,
    body: Option<&str>,
) -> Option<TokenStream> {
    let head = format!("pub fn {name}");
    let function = Function {
        doc: &markdown_lines(doc),
        deprecated: op.deprecated,
        head: &head,
        arguments: &arguments.with_self,
        output,
    };
    written_function(&function, body)
}

/// A function's body: its statements written as text (`body`), else `tokens`.
fn body_tokens(body: Option<String>, tokens: impl FnOnce() -> TokenStream) -> TokenStream {
    body.and_then(|text| deferred::written(Place::MethodStatements, || Some(text)))
        .unwrap_or_else(tokens)
}

/// The argument names of an operation's method, in order.
fn arguments_names(op: &Operation) -> Vec<String> {
    let mut names: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.clone())
        .collect();
    if op.options.is_some() {
        names.push(String::from("options"));
    }
    if op.body.is_some() {
        names.push(String::from("body"));
    }
    names
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
                quote!(&crate::runtime::path_segment(#value))
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
    let joined = |separator: &str| quote!(#value.iter().map(|v| crate::runtime::ParamValue::to_param(v).into_owned()).collect::<Vec<_>>().join(#separator));
    // Optional arrays (`Vec` in the options struct) are sent only when not empty; optional
    // scalars (`Option`) only when set.
    let guard = |statement: TokenStream| {
        if optional && is_array {
            quote! {
                if !#value.is_empty() {
                    #statement
                }
            }
        } else {
            statement
        }
    };
    match param.location {
        ParamLocation::Query => match (is_array, param.style) {
            (true, ArrayStyle::Csv) => quote!(request.query_mut().push_csv(#wire, #value);),
            (true, ArrayStyle::Exploded) => {
                quote!(request.query_mut().push_exploded(#wire, #value);)
            }
            (true, ArrayStyle::Space | ArrayStyle::Pipe) => {
                let text = joined(if param.style == ArrayStyle::Space {
                    " "
                } else {
                    "|"
                });
                guard(quote!(request.query_mut().push(#wire, &#text);))
            }
            (false, _) if optional => quote!(request.query_mut().push_opt(#wire, #value);),
            (false, _) => quote!(request.query_mut().push(#wire, #value);),
        },
        ParamLocation::Cookie => {
            let text = if is_array {
                joined(",")
            } else {
                quote!(crate::runtime::ParamValue::to_param(value))
            };
            if is_array {
                guard(quote!(request.cookie(#wire, &#text);))
            } else if optional {
                quote! {
                    if let Some(value) = #value {
                        request.cookie(#wire, &#text);
                    }
                }
            } else {
                quote! {
                    let value = #value;
                    request.cookie(#wire, &#text);
                }
            }
        }
        ParamLocation::Header => {
            let text = if is_array {
                joined(",")
            } else {
                quote!(crate::runtime::ParamValue::to_param(value).into_owned())
            };
            if is_array {
                guard(quote!(request.header(#wire, #text);))
            } else if optional {
                quote! {
                    if let Some(value) = #value {
                        request.header(#wire, #text);
                    }
                }
            } else {
                quote! {
                    let value = #value;
                    request.header(#wire, #text);
                }
            }
        }
        ParamLocation::Path => TokenStream::new(),
    }
}

fn options_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = format_ident!("{}", op.options.as_ref()?);
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let struct_doc = format!(
        "Optional parameters of [`Client::{}`]; `Default::default()` sends none.",
        op.name
    );
    let definition = written_text(|| options_text(api, &name, &struct_doc, &optional));
    let writes = written_text(|| statements::apply_options(op));
    // The whole of it as text: the struct, and `apply` around its statements (never empty).
    if let (Some(definition), Some(writes)) = (&definition, &writes) {
        let whole = (!optional.is_empty())
            .then(|| apply_text(&name, writes))
            .flatten()
            .map(|apply| format!("{definition}{apply}"));
        if let Some(written) = deferred::written(Place::Items, || whole) {
            return Some(written);
        }
    }
    let definition = definition
        .and_then(|text| deferred::written(Place::Items, || Some(text)))
        .unwrap_or_else(|| {
            let fields = optional.iter().map(|param| {
                let ident = format_ident!("{}", param.name);
                let ty = rust_type(api, &param.ty, Scope::Crate);
                let ty = if matches!(param.ty, TypeRef::Vec(_)) {
                    ty
                } else {
                    quote!(Option<#ty>)
                };
                let doc = doc_attrs(&option_doc(param));
                quote! {
                    #doc
                    pub #ident: #ty,
                }
            });
            let doc = doc_attrs_markdown(&struct_doc);
            quote! {
                #doc
                #[derive(Debug, Clone, Default, PartialEq)]
                pub struct #name {
                    #(#fields)*
                }
            }
        });
    let writes = body_tokens(writes, || {
        let writes = optional.iter().map(|param| {
            let ident = format_ident!("{}", param.name);
            let value = if matches!(param.ty, TypeRef::Vec(_)) {
                quote!(&self.#ident)
            } else {
                quote!(self.#ident.as_ref())
            };
            write_param(param, value, true)
        });
        quote!(#(#writes)*)
    });
    Some(quote! {
        #definition

        impl #name {
            /// Writes the parameters that are set into `request`.
            fn apply(&self, request: &mut crate::runtime::Request) {
                #writes
            }
        }
    })
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

/// The definition of an options struct as text: what [`options_struct`] formats.
fn options_text(api: &Api, name: &proc_macro2::Ident, doc: &str, optional: &[&Param]) -> Lines {
    let mut lines = Lines::with_capacity(256 + 192 * optional.len());
    lines.doc(0, &markdown_lines(doc));
    lines.line(
        0,
        format_args!("#[derive(Debug, Clone, Default, PartialEq)]"),
    );
    lines.line(0, format_args!("pub struct {name} {{"));
    for param in optional {
        lines.doc(4, &doc_lines(&option_doc(param)));
        let ty = rust_type_text(api, &param.ty, Scope::Crate);
        let ty = if matches!(param.ty, TypeRef::Vec(_)) {
            ty
        } else {
            format!("Option<{ty}>")
        };
        definitions::field_line(&mut lines, &param.name, &ty);
    }
    lines.line(0, format_args!("}}"));
    lines
}

/// The `impl` block of an options struct's `apply`, around its statements as text.
fn apply_text(name: &proc_macro2::Ident, statements: &str) -> Option<String> {
    let mut lines = Lines::with_capacity(256 + statements.len());
    lines.line(0, format_args!("impl {name} {{"));
    lines.fixed(
        4,
        &[
            "/// Writes the parameters that are set into `request`.",
            "fn apply(&self, request: &mut crate::runtime::Request) {",
        ],
    );
    let mut text = lines.finish()?;
    text.push_str(statements);
    text.push_str("    }\n}\n");
    Some(text)
}

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
    sections.push(sanitize(&format!("`{} {}`", op.method.as_str(), op.path)));
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
    if let Some(body) = &op.body {
        if let Some(doc) = &body.doc {
            sections.push(format!("Body: {}", sanitize(&single_line(doc))));
        }
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
            .map(|error| (&error.status, &error.ty))
            .map(|(code, ty)| match ty {
                Some(ty) => format!(
                    "{} ({})",
                    sanitize(&format!("`{code}`")),
                    type_label(api, ty)
                ),
                None => sanitize(&format!("`{code}`")),
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

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn type_label(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("[`{0}`](crate::models::{0})", api.type_def(*id).name),
        _ => String::from("JSON"),
    }
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

/// [`response_type`] as text.
fn response_type_text(api: &Api, op: &Operation) -> String {
    match &op.success {
        Success::Empty => String::from("()"),
        Success::Json(ty) | Success::Text(ty) => rust_type_text(api, ty, Scope::Crate),
        Success::Bytes => String::from("Vec<u8>"),
        Success::Multiple { name, .. } => name.clone(),
    }
}

/// The method's result type: what its `Call` gives.
fn response_type(api: &Api, op: &Operation) -> TokenStream {
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
