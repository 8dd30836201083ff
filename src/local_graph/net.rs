//! Sockets: a listener whose connections a fault can cut.

use super::*;

/// How a served local Graph protects itself from its clients' connections.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// The most connections open at once; more wait in the listen backlog.
    pub(super) max_connections: usize,
    /// How long a client has to send a request's head (request line and headers) once it
    /// started it, or once a kept-alive connection is idle.
    pub(super) header_read_timeout: Duration,
}

/// Accepts connections on `listener` and serves `app` on each until `stop` is notified,
/// then lets the connections in progress finish: hyper's HTTP/1.1 server (what `axum::serve`
/// uses), configured with what `axum::serve` does not expose. At most
/// `limits.max_connections` are open at once (a semaphore permit is held by each
/// connection, and the next `accept` waits for one), and a request head must arrive within
/// `limits.header_read_timeout`. A head larger than [`MAX_HEAD_SIZE`] is refused by the
/// router with `431` and an OData error body; the HTTP layer refuses one past twice that
/// (`431` without a body) before it is read whole.
///
/// HTTP/2 is not served: Graph's clients reach it over TLS, which the local Graph does not
/// speak, and hyper's HTTP/2 server has no timeout for a request's headers, so a client
/// could hold a connection open without ever sending a request.
pub(super) async fn serve_connections(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    stop: Arc<Notify>,
) {
    use hyper::server::conn::http1::Builder;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let mut builder = Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(2 * MAX_HEAD_SIZE);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = stop.notified() => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = stop.notified() => break,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            // Such as too many open files: wait for it to pass, as axum does.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let builder = builder.clone();
        let watcher = graceful.watcher();
        let header_read_timeout = limits.header_read_timeout;
        tokio::spawn(async move {
            // hyper's header read timeout starts with the first byte: a client that sends
            // nothing is closed here.
            let mut first = [0_u8; 1];
            match tokio::time::timeout(header_read_timeout, stream.peek(&mut first)).await {
                Ok(Ok(1..)) => {}
                // Silent past the timeout, closed, or failed.
                _ => return,
            }
            let cut = Arc::new(AtomicBool::new(false));
            let connection = Connection {
                remote,
                cut: Arc::clone(&cut),
            };
            let stream = CuttableStream { inner: stream, cut };
            let service = app.map_request(
                move |mut request: axum::http::Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo(connection.clone()));
                    request
                },
            );
            let service = hyper_util::service::TowerToHyperService::new(service);
            let serving = builder.serve_connection(TokioIo::new(stream), service);
            let _ = watcher.watch(serving).await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// A TCP stream that fails every read and write once it is cut, so that the HTTP server
/// closes the connection without writing the response.
pub(super) struct CuttableStream {
    pub(super) inner: TcpStream,
    pub(super) cut: Arc<AtomicBool>,
}

impl CuttableStream {
    pub(super) fn check(&self) -> io::Result<()> {
        if self.cut.load(Ordering::SeqCst) {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "connection dropped by an injected fault",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for CuttableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The connection a request came on: its peer, and the switch that cuts it.
#[derive(Clone)]
pub(super) struct Connection {
    pub(super) remote: SocketAddr,
    pub(super) cut: Arc<AtomicBool>,
}
