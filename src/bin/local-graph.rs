//! Serves the local Graph (`graph_connectors::local_graph`) until Ctrl-C.
//!
//! ```text
//! cargo run --features server --bin local-graph -- [--addr 127.0.0.1:8080] [--page-size 100]
//! ```
//!
//! Point a client at the printed base URL with any bearer token:
//! `Client::builder().base_url("http://127.0.0.1:8080").bearer_token("local").build()?`.

use std::process::ExitCode;

use graph_connectors::local_graph::{DEFAULT_PAGE_SIZE, LocalGraph, MAX_PAGE_SIZE};

const USAGE: &str = "\
usage: local-graph [--addr ADDRESS:PORT] [--page-size N]

Serves an in-memory Microsoft Graph for /deviceManagement/ndesConnectors,
/deviceManagement/domainJoinConnectors and /connectors until Ctrl-C.

options:
  --addr ADDRESS:PORT  where to listen (default 127.0.0.1:8080)
  --page-size N        items per page of a collection, 1 to 999 (default 100)
  -h, --help           print this help";

struct Options {
    addr: String,
    page_size: usize,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        addr: "127.0.0.1:8080".to_owned(),
        page_size: DEFAULT_PAGE_SIZE,
    };
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--addr" => options.addr = value()?,
            "--page-size" => {
                let text = value()?;
                options.page_size = text
                    .parse()
                    .ok()
                    .filter(|size| (1..=MAX_PAGE_SIZE).contains(size))
                    .ok_or_else(|| {
                        format!("--page-size `{text}` is not a number from 1 to {MAX_PAGE_SIZE}")
                    })?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the Tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let started = LocalGraph::builder()
            .page_size(options.page_size)
            .bind(options.addr.as_str())
            .await;
        let (graph, base_url) = match started {
            Ok(started) => started,
            Err(error) => {
                eprintln!("error: could not listen on {}: {error}", options.addr);
                return ExitCode::FAILURE;
            }
        };
        println!(
            "local Graph listening on {base_url} (page size {})",
            options.page_size
        );
        println!("  {base_url}/deviceManagement/ndesConnectors");
        println!("  {base_url}/deviceManagement/domainJoinConnectors");
        println!("  {base_url}/connectors");
        println!("any bearer token is accepted; press Ctrl-C to stop");
        if let Err(error) = tokio::signal::ctrl_c().await {
            eprintln!("error: could not wait for Ctrl-C: {error}");
        }
        graph.shutdown().await;
        println!("stopped after {} requests", graph.requests().len());
        ExitCode::SUCCESS
    })
}
