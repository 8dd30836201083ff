//! Walking a collection page by page, following OData next links.
//!
//! OData services such as Microsoft Graph return large collections in
//! pages: each page holds some items and, while there are more, an
//! absolute `@odata.nextLink` URL for the next page. [`pages`] turns the
//! first request into a stream of pages that follows those links;
//! [`items`] flattens it into a stream of items and honours `$top`.
//!
//! Both take plain function pointers saying where the link and the items
//! are in the page type, so the code is shared by every collection:
//!
//! ```ignore
//! use clientsmith_runtime::paging::{self, StreamExt};
//!
//! let first = Request::new(Method::GET, "listItems", "/items".to_owned());
//! let mut items = paging::items(transport, first, |page: ItemList| {
//!     (page.value.unwrap_or_default(), page.next_link)
//! });
//! while let Some(item) = items.next().await {
//!     let item = item?;
//! }
//! ```
//!
//! Each page is fetched with [`Transport::send`], so it is retried,
//! traced and authenticated like any request, and a next link that
//! leaves the base URL's scheme, host and port is refused (the token is
//! never sent elsewhere). The next page is requested with `GET`, the
//! first request's header parameters and `Accept`, and the query of the
//! link only. A stream ends after the first error it yields.
//!
//! Every stream ends, whatever the service sends: a next link to a page the
//! stream already fetched (the same page, or an earlier one) ends it with
//! [`Error::Paging`] ([`PagingError::RepeatedLink`]) after the items of the
//! page that carried it, so no page is fetched, and no item yielded, twice;
//! and both end with [`PagingError::TooManyEmptyPages`] after more than
//! [`MAX_EMPTY_PAGES`] pages in a row without an item.
//!
//! Both return a [`Paged`] stream: `Unpin`, `Send` and `'static`, so it can
//! be polled with [`StreamExt::next`] directly, moved into spawned tasks, and
//! named in a struct field. (A named type rather than `impl Stream` in every
//! generated method: each `impl Trait` return type is one more opaque type
//! for the compiler to check, once per paged operation.)

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream;
pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::{BoxFuture, Error, PagingError, Request, Transport};

/// How many pages in a row without an item [`pages`] and [`items`] accept
/// before they end with [`PagingError::TooManyEmptyPages`]: services may return an empty
/// page with a next link now and then (Microsoft Graph does while it
/// searches a large directory), never without end.
pub const MAX_EMPTY_PAGES: usize = 100;

/// The stream of pages or items of a collection that [`pages`] and [`items`]
/// return: each element is a page (or item) or the error that ended the
/// stream.
#[must_use = "a `Paged` stream fetches nothing until it is polled"]
pub struct Paged<T> {
    stream: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> Stream for Paged<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().stream.as_mut().poll_next(context)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.stream.size_hint()
    }
}

impl<T> fmt::Debug for Paged<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged").finish_non_exhaustive()
    }
}

/// The pages of a collection: the response to `first`, then the response
/// to each next link that `split` finds in the previous page (besides the
/// number of items the page holds), until it finds none.
///
/// A page that fails (a transport or API error, a body that does not
/// decode as `P`, a next link to another origin, or a next link to a page
/// already fetched, which would never end) is yielded as the error, and the
/// stream ends after it; so is [`PagingError::TooManyEmptyPages`] after
/// more than [`MAX_EMPTY_PAGES`] pages in a row without an item.
pub fn pages<P>(
    transport: Transport,
    first: Request,
    split: fn(&P) -> (usize, Option<String>),
) -> Paged<P>
where
    P: DeserializeOwned + Send + 'static,
{
    let state = Cursor::new(transport, first);
    let stream = stream::unfold(state, move |mut state| -> BoxFuture<'static, _> {
        Box::pin(async move {
            let page = state.fetch::<P>().await?;
            match &page {
                Ok(page) => {
                    let (count, link) = split(page);
                    state.follow(count, link);
                }
                Err(_) => state.stop(),
            }
            Some((page, state))
        })
    });
    Paged {
        stream: Box::pin(stream),
    }
}

/// The items of every page of a collection, in order: like [`pages`],
/// with `split` taking each page apart into its items and its next link.
///
/// When the query of `first` has the OData option `$top=N` (recognised by
/// name, in any case), the stream ends after `N` items without fetching
/// further pages: services such as Microsoft Graph treat `$top` as a page
/// size and keep offering next links beyond it.
///
/// An error (see [`pages`]) is yielded in place of the items of the page
/// that failed, and the stream ends after it.
pub fn items<P, T>(
    transport: Transport,
    first: Request,
    split: fn(P) -> (Vec<T>, Option<String>),
) -> Paged<T>
where
    P: DeserializeOwned + Send + 'static,
    T: Send + 'static,
{
    let remaining = first
        .query_option("$top")
        .and_then(|top| top.trim().parse::<usize>().ok());
    let state = ItemsState {
        cursor: Cursor::new(transport, first),
        buffer: Vec::new().into_iter(),
        remaining,
    };
    let stream = stream::unfold(state, move |mut state| -> BoxFuture<'static, _> {
        Box::pin(async move {
            loop {
                if state.remaining == Some(0) {
                    return None;
                }
                if let Some(item) = state.buffer.next() {
                    state.remaining = state.remaining.map(|left| left.saturating_sub(1));
                    return Some((Ok(item), state));
                }
                match state.cursor.fetch::<P>().await? {
                    Ok(page) => {
                        let (items, link) = split(page);
                        state.cursor.follow(items.len(), link);
                        state.buffer = items.into_iter();
                    }
                    Err(error) => {
                        state.cursor.stop();
                        return Some((Err(error), state));
                    }
                }
            }
        })
    });
    Paged {
        stream: Box::pin(stream),
    }
}

/// Where a walk through the pages stands.
struct Cursor {
    transport: Transport,
    /// The operation, for errors.
    operation: &'static str,
    /// The request for the next page; `None` once the walk is over.
    next: Option<Request>,
    /// The URLs of the pages fetched so far, to catch a link back to one.
    seen: HashSet<String>,
    /// How many pages in a row held no item.
    empty_pages: usize,
    /// An error found after the last page was yielded, to yield next.
    pending: Option<Error>,
}

impl Cursor {
    fn new(transport: Transport, first: Request) -> Self {
        Cursor {
            transport,
            operation: first.operation(),
            next: Some(first),
            seen: HashSet::new(),
            empty_pages: 0,
            pending: None,
        }
    }

    /// Fetches and decodes the next page, or yields the error that
    /// [`follow`](Self::follow) found; `None` when there is nothing more.
    /// Until `follow` is called, there is no further page.
    async fn fetch<P: DeserializeOwned>(&mut self) -> Option<Result<P, Error>> {
        if let Some(error) = self.pending.take() {
            return Some(Err(error));
        }
        let request = self.next.take()?;
        if let Ok(url) = self.transport.url(&request) {
            self.seen.insert(url.into());
        }
        // Kept to build the request for the next link from.
        let seed = request.next_page(String::new());
        let page = self
            .transport
            .send(request)
            .await
            .and_then(|response| response.json::<P>());
        if page.is_ok() {
            self.next = Some(seed);
        }
        Some(page)
    }

    /// Sets up the request for the next link of the page just fetched,
    /// which held `items` items, or ends the walk when there is none. A link
    /// to a page already fetched would repeat forever, and so might pages
    /// without items: either becomes the error the next
    /// [`fetch`](Self::fetch) yields, after the items of this page. Links
    /// are compared as parsed URLs (so `HTTP://Host:80/a` is `http://host/a`).
    fn follow(&mut self, items: usize, link: Option<String>) {
        let Some(seed) = self.next.take() else {
            return;
        };
        let Some(link) = link else {
            return;
        };
        self.empty_pages = if items == 0 { self.empty_pages + 1 } else { 0 };
        if self.empty_pages > MAX_EMPTY_PAGES {
            self.pending = Some(Error::Paging {
                operation: self.operation,
                reason: PagingError::TooManyEmptyPages {
                    limit: MAX_EMPTY_PAGES,
                },
            });
            return;
        }
        let next = seed.next_page(link);
        let seen = self
            .transport
            .url(&next)
            .is_ok_and(|url| self.seen.contains(url.as_str()));
        if seen {
            self.pending = Some(Error::Paging {
                operation: self.operation,
                reason: PagingError::RepeatedLink {
                    page: self.seen.len(),
                },
            });
            return;
        }
        self.next = Some(next);
    }

    /// Ends the walk.
    fn stop(&mut self) {
        self.next = None;
    }
}

/// The state of [`items`].
struct ItemsState<T> {
    cursor: Cursor,
    /// Items of the current page not yielded yet.
    buffer: std::vec::IntoIter<T>,
    /// How many more items `$top` allows, when it was given.
    remaining: Option<usize>,
}
