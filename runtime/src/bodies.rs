//! Request bodies other than JSON (form, multipart, raw bytes and text) and the answer to a
//! success status an operation does not declare.

use serde::Serialize;
use serde_json::Value;

use crate::{DecodeError, Error, Request, Response};

/// Sets `body` as an `application/x-www-form-urlencoded` body.
pub fn form<T: Serialize + ?Sized>(request: &mut Request, body: &T) -> Result<(), Error> {
    let operation = request.operation();
    let encoded = serde_urlencoded::to_string(body).map_err(|e| Error::InvalidRequest {
        operation,
        message: format!("the form body cannot be encoded: {e}"),
    })?;
    request.body(encoded.into_bytes(), "application/x-www-form-urlencoded");
    Ok(())
}

/// Sets `body` as a `multipart/form-data` body: one part per property that is set; the
/// properties named in `files` (schema `format: binary`) are sent as file parts with their
/// raw bytes, everything else as text (strings as they are, other values as JSON).
pub fn multipart<T: Serialize + ?Sized>(
    request: &mut Request,
    body: &T,
    files: &[&str],
) -> Result<(), Error> {
    let operation = request.operation();
    let invalid = |message: String| Error::InvalidRequest { operation, message };
    let value = serde_json::to_value(body).map_err(|source| Error::Encode { operation, source })?;
    let Value::Object(fields) = value else {
        return Err(invalid(String::from("a multipart body must be an object")));
    };
    let boundary = format!("----boundary-{}", uuid::Uuid::new_v4().simple());
    let mut out = Vec::new();
    for (name, value) in fields {
        if value.is_null() {
            continue;
        }
        let values = match value {
            Value::Array(items) if !files.contains(&name.as_str()) => items,
            other => vec![other],
        };
        for value in values {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let quoted = name.replace('"', "%22").replace(['\r', '\n'], " ");
            if files.contains(&name.as_str()) {
                let bytes = bytes_of(&value).ok_or_else(|| {
                    invalid(format!("the file part `{name}` is not a byte array"))
                })?;
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{quoted}\"; filename=\"{quoted}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .as_bytes(),
                );
                out.extend_from_slice(&bytes);
            } else {
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{quoted}\"\r\n\r\n").as_bytes(),
                );
                match value {
                    Value::String(text) => out.extend_from_slice(text.as_bytes()),
                    other => out.extend_from_slice(other.to_string().as_bytes()),
                }
            }
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    // The boundary differs per request, so the media type with it is set as a request header,
    // which takes precedence over the body's static one.
    request.body(out, "multipart/form-data");
    request.header(
        "Content-Type",
        format!("multipart/form-data; boundary={boundary}"),
    );
    Ok(())
}

/// The bytes of a `Vec<u8>` serialized as a JSON array of numbers.
fn bytes_of(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect(),
        Value::String(text) => Some(text.as_bytes().to_vec()),
        _ => None,
    }
}

/// The error for a success status the operation does not declare a body for.
pub fn unexpected_status(operation: &'static str, response: Response) -> Error {
    let status = response.status();
    Error::Decode {
        operation,
        status,
        path: String::from("."),
        source: DecodeError::Text(format!(
            "the API description declares no response for status {status}"
        )),
    }
}
