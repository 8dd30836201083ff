//! The `client` module: the `Client` type, one async method per operation, and the option
//! structs that carry each operation's optional parameters.
//!
//! Methods stay thin: they build a `runtime::Request` and hand it to the one non-generic
//! `Transport::send`, so code size grows slowly with the number of operations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_attrs_markdown, paragraphs, sanitize};
use super::rust_type::{Scope, argument_type, rust_type};
use crate::model::{Api, ArrayStyle, Operation, Param, ParamLocation, PathPart, Success, TypeRef};

/// The items of `client.rs`.
pub fn client(api: &Api) -> TokenStream {
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
            "Every method sends one request through the shared [`Transport`](crate::runtime::Transport) and decodes the response; a non-success status becomes [`Error::Api`](crate::runtime::Error::Api).",
        ),
    ]));
    let base_url_doc = doc_attrs(&format!(
        "The base URL of the first server the API description lists: `{base_url}`."
    ));
    let methods = api.operations.iter().map(|op| method(api, op));
    let options = api
        .operations
        .iter()
        .filter_map(|op| options_struct(api, op));
    quote! {
        //! The client: one async method per operation of the API description.
        #![allow(clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

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

        impl Client {
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

            #(#methods)*
        }

        #(#options)*
    }
}

/// Copy scalars are passed by value; everything else by reference.
fn by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Date
            | TypeRef::DateTime
    )
}

/// An expression borrowing the argument `ident` of type `ty` as `&T`.
fn borrow_argument(ident: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    if by_value(ty) {
        quote!(&#ident)
    } else {
        quote!(#ident)
    }
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.name);
    let label = &op.label;
    let method = format_ident!("{}", op.method.as_str());
    let doc = doc_attrs_markdown(&method_doc(api, op));

    let mut arguments = Vec::new();
    let mut apply = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        let ident = format_ident!("{}", param.name);
        let ty = argument_type(api, &param.ty);
        arguments.push(quote!(#ident: #ty));
        if param.location != ParamLocation::Path {
            apply.push(write_param(
                param,
                borrow_argument(&ident, &param.ty),
                false,
            ));
        }
    }
    if let Some(options) = &op.options {
        let options = format_ident!("{options}");
        arguments.push(quote!(options: &#options));
        apply.push(quote!(options.apply(&mut request);));
    }
    if let Some(body) = &op.body {
        let ty = rust_type(api, &body.ty, Scope::Crate);
        if body.required {
            arguments.push(quote!(body: &#ty));
            apply.push(quote!(request.json(body)?;));
        } else {
            arguments.push(quote!(body: Option<&#ty>));
            apply.push(quote! {
                if let Some(body) = body {
                    request.json(body)?;
                }
            });
        }
    }

    let path = path_expr(op);
    let (output, decode) = match &op.success {
        Success::Empty => (quote!(()), quote!(.empty())),
        Success::Json(ty) => (rust_type(api, ty, Scope::Crate), quote!(.json())),
        Success::Text(ty) => {
            let output = rust_type(api, ty, Scope::Crate);
            (output, quote!(.text()))
        }
        Success::Bytes => (quote!(Vec<u8>), quote!(.bytes())),
    };
    let accept = match &op.success {
        Success::Text(_) => Some(quote!(request.accept("text/plain");)),
        Success::Bytes => Some(quote!(request.accept("*/*");)),
        _ => None,
    };
    let finish = match &op.success {
        Success::Bytes => quote!(Ok(self.transport.send(request).await?.bytes())),
        _ => quote!(self.transport.send(request).await? #decode),
    };
    let mutable = if apply.is_empty() && accept.is_none() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        #doc
        pub async fn #name(&self, #(#arguments),*) -> Result<#output, crate::runtime::Error> {
            let #mutable request = crate::runtime::Request::new(crate::runtime::Method::#method, #label, #path);
            #accept
            #(#apply)*
            #finish
        }
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
    match param.location {
        ParamLocation::Query => {
            let call = match (is_array, param.style, optional) {
                (true, ArrayStyle::Csv, _) => quote!(push_csv),
                (true, ArrayStyle::Exploded, _) => quote!(push_exploded),
                (false, _, true) => quote!(push_opt),
                (false, _, false) => quote!(push),
            };
            quote!(request.query_mut().#call(#wire, #value);)
        }
        ParamLocation::Header => {
            let text = if is_array {
                quote!(#value.iter().map(|v| crate::runtime::ParamValue::to_param(v).into_owned()).collect::<Vec<_>>().join(","))
            } else {
                quote!(crate::runtime::ParamValue::to_param(#value).into_owned())
            };
            if optional && !is_array {
                quote! {
                    if let Some(value) = #value {
                        request.header(#wire, crate::runtime::ParamValue::to_param(value).into_owned());
                    }
                }
            } else if optional {
                quote! {
                    if !#value.is_empty() {
                        request.header(#wire, #text);
                    }
                }
            } else {
                quote!(request.header(#wire, #text);)
            }
        }
        ParamLocation::Path => TokenStream::new(),
    }
}

fn options_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = format_ident!("{}", op.options.as_ref()?);
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let fields = optional.iter().map(|param| {
        let ident = format_ident!("{}", param.name);
        let ty = rust_type(api, &param.ty, Scope::Crate);
        let ty = if matches!(param.ty, TypeRef::Vec(_)) {
            ty
        } else {
            quote!(Option<#ty>)
        };
        let location = match param.location {
            ParamLocation::Query => format!("Query parameter `{}`.", param.wire),
            ParamLocation::Header => format!("Header `{}`.", param.wire),
            ParamLocation::Path => format!("Path parameter `{}`.", param.wire),
        };
        let deprecated = param.deprecated.then_some("**Deprecated.**");
        let doc = doc_attrs(&paragraphs([
            param.doc.as_deref(),
            Some(location.as_str()),
            deprecated,
        ]));
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
    let doc = doc_attrs_markdown(&format!(
        "Optional parameters of [`Client::{}`]; `Default::default()` sends none.",
        op.name
    ));
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
