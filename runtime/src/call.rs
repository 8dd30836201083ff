//! [`Call`], the future every generated operation method returns.
//!
//! A method builds its [`Request`] when it is called and returns a `Call`:
//! awaiting it sends the request with [`Transport::send`] (retried, traced and
//! authenticated like any request) and decodes the response. The `Call` owns
//! what it needs, so it is `Send + 'static`: it may outlive the client and be
//! spawned onto a task.
//!
//! Why a type rather than `async fn` methods: every `async fn` is a state
//! machine of its own that the compiler type-checks and borrow-checks, once per
//! operation. A `Call` shares one future, `Transport::send`, among every
//! operation and keeps only the decoding function per operation, so a
//! generated crate with thousands of operations checks in much less time.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;
use super::transport::{BoxFuture, Request, Response, Transport};

/// How a response becomes the operation's result: a plain function, so that
/// every operation shares the code of [`Call`].
pub type Decode<T> = fn(Response) -> Result<T, Error>;

/// The pending result of one operation: a future that sends the request when
/// first polled and resolves to the decoded response or the [`Error`].
///
/// Nothing is sent until the `Call` is awaited (or polled); dropping it
/// cancels the request.
#[must_use = "a `Call` sends nothing until it is awaited"]
pub struct Call<T> {
    state: State<T>,
}

enum State<T> {
    /// Not sent yet: the request, the transport that sends it when the call is first
    /// polled, and the function that decodes the response. A [`Batch`](crate::Batch) takes
    /// the request and the function instead.
    Ready(Transport, Request, Decode<T>),
    /// Sending; the response is decoded with the function.
    Sending(BoxFuture<'static, Result<Response, Error>>, Decode<T>),
    /// The request could not be built (its body did not encode): the error is
    /// the result.
    Failed(Error),
    /// The result was returned.
    Done,
}

impl Transport {
    /// A [`Call`] that sends `request` through this transport when awaited and
    /// decodes the response with `decode`: what every generated operation
    /// method returns.
    pub fn call<T>(&self, request: Request, decode: Decode<T>) -> Call<T> {
        Call {
            state: State::Ready(self.clone(), request, decode),
        }
    }
}

impl<T> Call<T> {
    /// A call whose request could not be built: awaiting it gives `error`
    /// without sending anything.
    pub fn failed(error: Error) -> Self {
        Call {
            state: State::Failed(error),
        }
    }

    /// The request and the decoding function of a call not polled yet, for a batch; the
    /// error of a call whose request could not be built.
    pub(crate) fn into_parts(self) -> Result<(Request, Decode<T>), Error> {
        match self.state {
            State::Ready(_, request, decode) => Ok((request, decode)),
            State::Failed(error) => Err(error),
            State::Sending(..) | State::Done => Err(Error::InvalidRequest {
                operation: "batch",
                message: String::from("a call that was already polled cannot join a batch"),
            }),
        }
    }
}

impl<T> Future for Call<T> {
    type Output = Result<T, Error>;

    /// # Panics
    ///
    /// When polled again after it returned its result, as most futures do.
    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        // `Call` is `Unpin`: it holds a request, a boxed future, a function pointer or an
        // error.
        let state = &mut self.get_mut().state;
        let (mut sending, decode) = match std::mem::replace(state, State::Done) {
            State::Ready(transport, request, decode) => {
                let sending: BoxFuture<'static, Result<Response, Error>> =
                    Box::pin(async move { transport.send(request).await });
                (sending, decode)
            }
            State::Sending(sending, decode) => (sending, decode),
            State::Failed(error) => return Poll::Ready(Err(error)),
            State::Done => panic!("a `Call` was polled after it returned its result"),
        };
        match sending.as_mut().poll(context) {
            Poll::Pending => {
                *state = State::Sending(sending, decode);
                Poll::Pending
            }
            Poll::Ready(response) => Poll::Ready(response.and_then(decode)),
        }
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(..) => "ready",
            State::Sending(..) => "sending",
            State::Failed(_) => "failed",
            State::Done => "done",
        };
        f.debug_struct("Call").field("state", &state).finish()
    }
}
