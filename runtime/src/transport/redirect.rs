//! Which redirects the HTTP client follows.

/// Which redirects (`301`, `302`, `303`, `307`, `308`) a client follows.
///
/// By default ([`RedirectPolicy::same_origin`] with
/// [`DEFAULT_MAX_REDIRECTS`](Self::DEFAULT_MAX_REDIRECTS)) a redirect is
/// followed only when it stays on the base URL's origin (scheme, host and
/// port), at most 10 times in a row. A redirect to another origin is not
/// followed: following it would send the request's default headers (API
/// keys, `Prefer`, …) and, for `307` and `308`, its body to a host the caller
/// never named. It is returned as [`Error::Redirect`](crate::Error::Redirect), which carries the
/// `Location`, so a caller that trusts it can send the request there itself.
/// A redirect beyond the limit is returned the same way.
///
/// ```ignore
/// let client = Client::builder()
///     .redirect_policy(RedirectPolicy::none())   // every redirect is an error
///     .build()?;
/// ```
///
/// The policy applies to the HTTP client the builder makes; a client given
/// with [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) follows its own policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectPolicy {
    max_redirects: usize,
    cross_origin: bool,
}

impl RedirectPolicy {
    /// The default limit of redirects in a row: 10, as browsers and `reqwest`.
    pub const DEFAULT_MAX_REDIRECTS: usize = 10;

    /// Follows no redirect: each is returned as [`Error::Redirect`](crate::Error::Redirect).
    pub const fn none() -> Self {
        RedirectPolicy {
            max_redirects: 0,
            cross_origin: false,
        }
    }

    /// Follows up to `max_redirects` redirects in a row that stay on the
    /// base URL's origin (the default, with 10).
    pub const fn same_origin(max_redirects: usize) -> Self {
        RedirectPolicy {
            max_redirects,
            cross_origin: false,
        }
    }

    /// Follows up to `max_redirects` redirects in a row to any `http` or
    /// `https` origin, for services that redirect to a storage or download
    /// host.
    ///
    /// When a redirect leaves the origin, the HTTP client drops the
    /// `Authorization` and `Cookie` headers, but the client's default headers
    /// and the headers of the operation are sent to the new host, and a
    /// `307` or `308` sends the body again: use it only with services whose
    /// redirects you trust.
    pub const fn any_origin(max_redirects: usize) -> Self {
        RedirectPolicy {
            max_redirects,
            cross_origin: true,
        }
    }

    /// The most redirects followed in a row.
    pub fn max_redirects(&self) -> usize {
        self.max_redirects
    }

    /// Whether redirects to another origin are followed.
    pub fn follows_other_origins(&self) -> bool {
        self.cross_origin
    }

    /// The policy as the HTTP client applies it: a redirect not to follow
    /// is stopped, so that its `3xx` response reaches the transport, which
    /// turns it into [`Error::Redirect`](crate::Error::Redirect).
    pub(super) fn to_reqwest(self) -> reqwest::redirect::Policy {
        reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > self.max_redirects {
                return attempt.stop();
            }
            let same_origin = attempt
                .previous()
                .first()
                .is_some_and(|first| first.origin() == attempt.url().origin());
            let web = matches!(attempt.url().scheme(), "http" | "https");
            if web && (same_origin || self.cross_origin) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        })
    }
}

impl Default for RedirectPolicy {
    /// [`same_origin`](Self::same_origin) with
    /// [`DEFAULT_MAX_REDIRECTS`](Self::DEFAULT_MAX_REDIRECTS).
    fn default() -> Self {
        Self::same_origin(Self::DEFAULT_MAX_REDIRECTS)
    }
}
