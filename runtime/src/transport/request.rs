//! The request an operation fills in: method, path, query, headers and body.

use super::*;

/// One HTTP request of an operation, filled in by generated code and sent with
/// [`Transport::send`].
///
/// Cloning copies the body; the transport itself re-sends a request without
/// cloning it.
#[derive(Clone)]
pub struct Request {
    pub(super) method: Method,
    pub(super) operation: &'static str,
    /// The path template of the operation, for tracing.
    pub(super) template: Option<&'static str>,
    /// An encoded path relative to the base URL, or (`absolute`) a whole URL.
    pub(super) path: String,
    pub(super) absolute: bool,
    pub(super) query: Query,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) accept: &'static str,
    pub(super) body: Option<Body>,
    /// The security requirements of the operation, when its description states them.
    pub(super) security: Option<Requirements>,
}

impl Request {
    /// A request without query, headers or body that accepts
    /// `application/json`.
    ///
    /// `operation` names the operation in errors (the spec's `operationId`).
    /// `path` is already encoded (see
    /// [`path_segment`](crate::path_segment)), starts with `/` and is
    /// appended to the base URL.
    pub fn new(method: Method, operation: &'static str, path: String) -> Self {
        Request {
            method,
            operation,
            template: None,
            path,
            absolute: false,
            query: Query::default(),
            headers: Vec::new(),
            accept: DEFAULT_ACCEPT,
            body: None,
            security: None,
        }
    }

    /// A request to an absolute URL, such as an OData `@odata.nextLink`, that
    /// accepts `application/json`.
    ///
    /// The URL is sent as the service wrote it (already encoded); parameters
    /// pushed with [`query_mut`](Self::query_mut) are appended to its query.
    /// Because the bearer token goes with the request, [`Transport::send`]
    /// refuses, with [`Error::InvalidRequest`] and before asking for a token,
    /// a URL whose scheme, host or port differ from the base URL's; it also
    /// refuses a URL that does not parse.
    pub fn from_url(method: Method, operation: &'static str, url: String) -> Self {
        Request {
            absolute: true,
            ..Request::new(method, operation, url)
        }
    }

    /// Records the operation's path template, such as
    /// `/deviceManagement/ndesConnectors/{ndesConnector-id}`, as the `path` of
    /// the request's tracing span. Unlike the actual path, a template holds no
    /// identifiers, so traces of the same operation group together and carry
    /// no data; without one the span shows the operation name.
    pub fn template(&mut self, template: &'static str) {
        self.template = Some(template);
    }

    /// Records the security requirements the API description states for the operation
    /// (see [`Requirements`]): the request sends the credentials of the first combination
    /// the client was configured for. Without this, a request sends the bearer token when
    /// the client has one.
    pub fn security(&mut self, requirements: Requirements) {
        self.security = Some(requirements);
    }

    /// The request for the next page of a collection: a `GET` of `url` by the
    /// same operation, with the same template, header parameters and `Accept`
    /// but no query parameters or body, as OData prescribes for next links.
    pub(crate) fn next_page(&self, url: String) -> Request {
        Request {
            method: Method::GET,
            operation: self.operation,
            template: self.template,
            path: url,
            absolute: true,
            query: Query::default(),
            headers: self.headers.clone(),
            accept: self.accept,
            body: None,
            security: self.security,
        }
    }

    /// The last value of the OData system query option `name` (such as
    /// `$top`), compared without regard to case, in the query parameters and,
    /// for [`Request::from_url`], in the URL's query; percent-decoded.
    pub(crate) fn query_option(&self, name: &str) -> Option<String> {
        let in_url = if self.absolute {
            self.path
                .split_once('?')
                .map(|(_, query)| query.split('#').next().unwrap_or(query))
        } else {
            None
        };
        in_url
            .into_iter()
            .chain([self.query.as_str()])
            .flat_map(|query| query.split('&'))
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                let key = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
                key.eq_ignore_ascii_case(name).then(|| {
                    percent_encoding::percent_decode_str(value)
                        .decode_utf8_lossy()
                        .into_owned()
                })
            })
            .next_back()
    }

    /// The query string, to push parameters onto.
    pub fn query_mut(&mut self) -> &mut Query {
        &mut self.query
    }

    /// Adds a header (a header parameter of the operation). The value is checked
    /// when the request is sent; a value that is not a valid header value fails
    /// with [`Error::InvalidRequest`]. Adding the same name twice sends both
    /// values.
    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// Adds a cookie (an OpenAPI `in: cookie` parameter). All cookies go in one `Cookie`
    /// header, as RFC 6265 requires; the value is percent-encoded so that it can neither
    /// end the cookie nor add another (`;`, `,`, `=`, spaces, quotes and controls).
    pub fn cookie(&mut self, name: &str, value: &str) {
        const COOKIE_VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b',')
            .add(b';')
            .add(b'=')
            .add(b'\\')
            .add(b'%');
        let pair = format!(
            "{}={}",
            percent_encoding::utf8_percent_encode(name, COOKIE_VALUE),
            percent_encoding::utf8_percent_encode(value, COOKIE_VALUE)
        );
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        {
            Some((_, existing)) => {
                existing.push_str("; ");
                existing.push_str(&pair);
            }
            None => self.headers.push(("Cookie", pair)),
        }
    }

    /// Serializes `body` as the JSON request body and sets `Content-Type:
    /// application/json`.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|source| Error::Encode {
            operation: self.operation,
            source,
        })?;
        self.body(bytes, "application/json");
        Ok(())
    }

    /// Sets a request body that is already encoded, with its media type (for
    /// example `application/octet-stream` uploads).
    pub fn body(&mut self, bytes: Vec<u8>, content_type: &'static str) {
        self.body = Some(Body {
            bytes,
            content_type,
        });
    }

    /// Sets the `Accept` media type; `application/json` by default.
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The operation name used in errors.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The encoded path, or the whole URL of a request made with
    /// [`Request::from_url`].
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path template recorded with [`Request::template`].
    pub fn path_template(&self) -> Option<&'static str> {
        self.template
    }

    /// The query string.
    pub fn query(&self) -> &Query {
        &self.query
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("operation", &self.operation)
            .field("template", &self.template)
            .field("path", &self.path)
            .field("query", &self.query.as_str())
            .field("headers", &self.headers)
            .field("accept", &self.accept)
            .field(
                "body",
                &self
                    .body
                    .as_ref()
                    .map(|body| (body.content_type, body.bytes.len())),
            )
            .finish()
    }
}
