//! A successful response and the decoding of its body.

use super::*;

/// A successful (`2xx`) response with its whole body, to be decoded by the
/// operation.
pub struct Response {
    pub(super) operation: &'static str,
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    pub(super) attempts: u32,
}

impl fmt::Debug for Response {
    /// Shows the body as (lossy) text rather than a list of byte values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl Response {
    /// The HTTP status code (within `200..=299`).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// How many times the request was sent before this response arrived (1
    /// unless the transport retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, borrowed.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, for operations whose response is not JSON.
    pub fn bytes(self) -> Vec<u8> {
        self.body
    }

    /// Decodes a JSON body.
    ///
    /// A body that does not match `T` fails with [`Error::Decode`], which names
    /// the operation and the JSON path of the offending value (such as
    /// `value[1].state`). Trailing data after the JSON value is an error too.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        // Tracking the path costs on every value, and only a failure needs it: decode once
        // plainly, and again with the path only when that fails.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let value: T =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Error::Decode {
                operation: self.operation,
                status: self.status,
                path: error.path().to_string(),
                source: DecodeError::Json(error.into_inner()),
            })?;
        deserializer.end().map_err(|source| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: ".".to_owned(),
            source: DecodeError::Json(source),
        })?;
        Ok(value)
    }

    /// Parses a plain-text body, such as an OData `$count` answered as
    /// `text/plain`: as sent, or else without surrounding whitespace (a number
    /// followed by a newline parses; a string keeps its spaces). A body that is not UTF-8
    /// or does not parse fails with [`Error::Decode`].
    pub fn text<T>(self) -> Result<T, Error>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let decode_error = |message: String| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: ".".to_owned(),
            source: DecodeError::Text(message),
        };
        let text = std::str::from_utf8(&self.body)
            .map_err(|error| decode_error(format!("the body is not UTF-8: {error}")))?;
        // The text as sent (a string keeps its spaces); a number or boolean may come with a
        // trailing newline, so parsing is tried again without surrounding whitespace.
        if let Ok(value) = text.parse() {
            return Ok(value);
        }
        let text = text.trim();
        text.parse().map_err(|error: T::Err| {
            decode_error(format!(
                "could not parse `{}` as {}: {error}",
                body_snippet(text.as_bytes(), TEXT_SNIPPET_LEN),
                std::any::type_name::<T>()
            ))
        })
    }

    /// Accepts and ignores the body, for operations that declare none (such as
    /// `204 No Content`).
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }
}
