//! The statements of the client's methods, written as text where their layout is certain.
//!
//! Why: method bodies are most of the work of formatting `client.rs` (every statement an
//! expression for `syn` to parse and `prettyplease` to lay out), yet they come in a handful of
//! shapes whose layout never varies while lines fit the margin. The writers here give those
//! shapes at a method body's indentation and give up (the caller's tokens are formatted
//! instead) on any other shape or on a line long enough for `prettyplease` to break it.
//! `tests/formatting.rs` checks the text against `prettyplease`'s, with names, paths and
//! parameters of every length on both sides of the margin.

use super::text::{Lines, MAX_LINE, literal};
use crate::model::{
    ArrayStyle, BodyKind, Operation, Param, ParamLocation, PathPart, Success, TypeRef,
};

/// The indentation of a method's statements in an `impl` block.
const BODY: usize = 8;

/// The statements that make an operation's request and fill it in (what `client::build_tokens`
/// gives): `let mut request = ...;`, its template, `Accept`, parameters and body. `accept` is
/// the media type the method asks for, if any.
pub(super) fn build(op: &Operation, accept: Option<&str>) -> Lines {
    let mut lines = Lines::with_capacity(512);
    let method = op.method.as_str();
    let label = literal(&op.label);
    lines.line(
        BODY,
        format_args!("let mut request = crate::runtime::Request::new("),
    );
    lines.line(BODY + 4, format_args!("crate::runtime::Method::{method},"));
    lines.line(BODY + 4, format_args!("{label},"));
    lines.append(path(op));
    lines.line(BODY, format_args!(");"));
    request_call(&mut lines, BODY, "template", &[literal(&op.path)]);
    if let Some(accept) = accept {
        request_call(&mut lines, BODY, "accept", &[literal(accept)]);
    }
    for param in op.params.iter().filter(|p| p.required) {
        required_param(&mut lines, param);
    }
    if op.options.is_some() {
        lines.line(BODY, format_args!("options.apply(&mut request);"));
    }
    if let Some(body) = &op.body {
        let indent = if body.required { BODY } else { BODY + 4 };
        if !body.required {
            lines.line(BODY, format_args!("if let Some(body) = body {{"));
        }
        match &body.kind {
            BodyKind::Json => failed_if_err(&mut lines, indent, "request.json(body)"),
            BodyKind::Form => failed_if_err(
                &mut lines,
                indent,
                "crate::runtime::bodies::form(&mut request, body)",
            ),
            BodyKind::Multipart { .. } => lines.give_up(),
            BodyKind::Bytes(media) => {
                let media = literal(media);
                lines.line(
                    indent,
                    format_args!("request.body(body.to_vec(), {media});"),
                );
            }
            BodyKind::Text(media) => {
                let media = literal(media);
                lines.line(
                    indent,
                    format_args!("request.body(body.as_bytes().to_vec(), {media});"),
                );
            }
        }
        if !body.required {
            lines.line(BODY, format_args!("}}"));
        }
    }
    lines
}

/// The method's last expression, which returns its `Call`, when the response is decoded by a
/// method of `Response` or by taking its bytes (what `client::finish_tokens` gives).
pub(super) fn finish(op: &Operation) -> Lines {
    let mut lines = Lines::with_capacity(80);
    let decode = match &op.success {
        Success::Empty => "crate::runtime::Response::empty",
        Success::Json(_) => "crate::runtime::Response::json",
        Success::Text(_) => "crate::runtime::Response::text",
        Success::Bytes => "|response| Ok(response.bytes())",
        Success::Multiple { .. } => {
            lines.give_up();
            return lines;
        }
    };
    lines.line(BODY, format_args!("self.transport.call(request, {decode})"));
    lines
}

/// `let request = Self::request_fn(names);`: the request of a paged operation, made by the
/// function its method and streams share.
pub(super) fn request_from(request_fn: &str, names: &[String]) -> Lines {
    let mut lines = Lines::with_capacity(80);
    let names = names.join(", ");
    lines.line(
        BODY,
        format_args!("let request = Self::{request_fn}({names});"),
    );
    lines
}

/// What a paged stream's closure gives from a page, as `prettyplease` breaks it when the
/// closure does not fit its line.
pub(super) enum ClosureBody {
    /// A method call, put in a block.
    Expression(String),
    /// A tuple, or a call (`open` is `(` or `Some(`): not put in a block, but broken an
    /// element per line.
    List {
        open: &'static str,
        elements: Vec<String>,
    },
}

/// `crate::runtime::paging::FUNCTION(self.transport.clone(), Self::REQUEST_FN(NAMES), CLOSURE)`,
/// the body of a `_pages` or `_items` method, where the closure is `PARAMETER BODY`: an
/// argument per line, the closure itself on one line or broken after its parameter. Gives up
/// when the parameter does not fit on the closure's first line (`prettyplease` then breaks
/// the parameter list too).
pub(super) fn paging_call(
    function: &str,
    request_fn: &str,
    names: &[String],
    parameter: &str,
    body: &ClosureBody,
) -> Lines {
    let mut lines = Lines::with_capacity(512);
    let request = format!("Self::{request_fn}({})", names.join(", "));
    let body_line = match body {
        ClosureBody::Expression(expression) => expression.clone(),
        ClosureBody::List { open, elements } => format!("{open}{})", elements.join(", ")),
    };
    let closure = format!("{parameter} {body_line}");
    let call = format!("crate::runtime::paging::{function}(");
    let one_line =
        BODY + call.len() + "self.transport.clone(), , )".len() + request.len() + closure.len();
    if one_line <= MAX_LINE {
        // The call on one line: over 120 columns with the shortest names, so not written.
        lines.give_up();
        return lines;
    }
    let indent = BODY + 4;
    lines.line(BODY, format_args!("{call}"));
    lines.line(indent, format_args!("self.transport.clone(),"));
    lines.line(indent, format_args!("{request},"));
    if indent + closure.len() <= MAX_LINE {
        lines.last_line(indent, format_args!("{closure}"));
    } else {
        match body {
            ClosureBody::Expression(expression) => {
                lines.line(indent, format_args!("{parameter} {{"));
                lines.line(indent + 4, format_args!("{expression}"));
                lines.last_line(indent, format_args!("}}"));
            }
            ClosureBody::List { open, elements } => {
                lines.line(indent, format_args!("{parameter} {open}"));
                if let Some((last, others)) = elements.split_last() {
                    for element in others {
                        lines.line(indent + 4, format_args!("{element},"));
                    }
                    lines.last_line(indent + 4, format_args!("{last}"));
                }
                lines.last_line(indent, format_args!(")"));
            }
        }
    }
    lines.line(BODY, format_args!(")"));
    lines
}

/// The last line of a function that returns the request it built.
pub(super) fn return_request() -> Lines {
    let mut lines = Lines::with_capacity(16);
    lines.line(BODY, format_args!("request"));
    lines
}

/// The request's path, the third argument of `Request::new`, with its comma.
fn path(op: &Operation) -> Lines {
    let mut lines = Lines::with_capacity(128);
    let parts: Vec<String> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => literal(text),
            PathPart::Param(index) => {
                let param = &op.params[*index];
                format!(
                    "&crate::runtime::path_segment({})",
                    argument(&param.name, &param.ty)
                )
            }
        })
        .collect();
    let indent = BODY + 4;
    match (parts.as_slice(), op.path_parts.first()) {
        ([], _) => lines.last_line(indent, format_args!("String::from(\"/\")")),
        ([only], Some(PathPart::Literal(_))) => {
            lines.last_line(indent, format_args!("String::from({only})"));
        }
        _ => {
            let array = format!("[{}]", parts.join(", "));
            if indent + array.len() + ".concat()".len() <= MAX_LINE {
                lines.last_line(indent, format_args!("{array}.concat()"));
            } else if indent + array.len() <= MAX_LINE {
                // Whether `.concat()` stays on the line depends on more than its width.
                lines.give_up();
            } else {
                // The array's elements a line each, then `.concat()`.
                lines.line(indent, format_args!("["));
                if let Some((last, others)) = parts.split_last() {
                    for part in others {
                        lines.line(indent + 4, format_args!("{part},"));
                    }
                    lines.last_line(indent + 4, format_args!("{last}"));
                }
                lines.line(indent, format_args!("]"));
                lines.last_line(indent + 4, format_args!(".concat()"));
            }
        }
    }
    lines
}

/// A required parameter other than a path parameter: a query parameter, sent as it is or as
/// a comma-separated or exploded list.
fn required_param(lines: &mut Lines, param: &Param) {
    if param.location != ParamLocation::Path {
        query_param(lines, param, &argument(&param.name, &param.ty), false);
    }
}

/// The statements of an options struct's `apply`: each optional query parameter written when
/// set (the `writes` of `client::options_struct`).
pub(super) fn apply_options(op: &Operation) -> Lines {
    let mut lines = Lines::with_capacity(512);
    for param in op.params.iter().filter(|p| !p.required) {
        let name = &param.name;
        let value = if matches!(param.ty, TypeRef::Vec(_)) {
            format!("&self.{name}")
        } else {
            format!("self.{name}.as_ref()")
        };
        query_param(&mut lines, param, &value, true);
    }
    lines
}

/// `request.query_mut().push(wire, value);` or its variant for lists and optional values, or
/// a header or cookie; gives up on any other list style.
fn query_param(lines: &mut Lines, param: &Param, value: &str, optional: bool) {
    let wire = literal(&param.wire);
    let (push, to_param) = match (param.location, &param.ty, param.style) {
        (_, TypeRef::Vec(_), _) if param.location != ParamLocation::Query => {
            return lines.give_up();
        }
        (ParamLocation::Query, TypeRef::Vec(_), ArrayStyle::Csv) => ("push_csv", ""),
        (ParamLocation::Query, TypeRef::Vec(_), ArrayStyle::Exploded) => ("push_exploded", ""),
        (ParamLocation::Query, TypeRef::Vec(_), _) => return lines.give_up(),
        (ParamLocation::Query, _, _) if optional => ("push_opt", ""),
        (ParamLocation::Query, _, _) => ("push", ""),
        (ParamLocation::Header, _, _) => (
            "header",
            "crate::runtime::ParamValue::to_param(value).into_owned()",
        ),
        (ParamLocation::Cookie, _, _) => ("cookie", "&crate::runtime::ParamValue::to_param(value)"),
        (ParamLocation::Path, _, _) => return,
    };
    if to_param.is_empty() {
        lines.line(
            BODY,
            format_args!("request.query_mut().{push}({wire}, {value});"),
        );
    } else if optional {
        lines.line(BODY, format_args!("if let Some(value) = {value} {{"));
        request_call(lines, BODY + 4, push, &[wire, to_param.to_owned()]);
        lines.line(BODY, format_args!("}}"));
    } else {
        lines.line(BODY, format_args!("let value = {value};"));
        request_call(lines, BODY, push, &[wire, to_param.to_owned()]);
    }
}

/// `request.method(arguments);` as `prettyplease` lays it out: on one line if it fits, else
/// with the call on a line of its own, else with each argument on a line of its own (where
/// the first, a string literal, may pass the margin). Gives up on a longer argument.
fn request_call(lines: &mut Lines, indent: usize, method: &str, arguments: &[String]) {
    let joined = arguments.join(", ");
    let call = format!(".{method}({joined});");
    if indent + "request".len() + call.len() <= MAX_LINE {
        lines.line(indent, format_args!("request{call}"));
        return;
    }
    lines.line(indent, format_args!("request"));
    if indent + 4 + call.len() <= MAX_LINE {
        lines.line(indent + 4, format_args!("{call}"));
        return;
    }
    lines.line(indent + 4, format_args!(".{method}("));
    for (index, argument) in arguments.iter().enumerate() {
        if index == 0 {
            lines.unbreakable_line(indent + 8, format_args!("{argument},"));
        } else if index + 1 == arguments.len() {
            lines.last_line(indent + 8, format_args!("{argument}"));
        } else {
            lines.line(indent + 8, format_args!("{argument},"));
        }
    }
    lines.line(indent + 4, format_args!(");"));
}

/// `if let Err(error) = encode { return Call::failed(error); }`.
fn failed_if_err(lines: &mut Lines, indent: usize, encode: &str) {
    lines.line(indent, format_args!("if let Err(error) = {encode} {{"));
    lines.line(
        indent + 4,
        format_args!("return crate::runtime::Call::failed(error);"),
    );
    lines.line(indent, format_args!("}}"));
}

/// An argument `name` of type `ty` as a reference: copy scalars are passed by value.
fn argument(name: &str, ty: &TypeRef) -> String {
    if super::rust_type::by_value(ty) {
        format!("&{name}")
    } else {
        name.to_owned()
    }
}
