//! Prints the synthetic Graph-like document (`clientsmith::internals::synthetic::document`) with N
//! operations (1,000 by default), to try slicing or generation on a large input:
//!
//! ```sh
//! cargo run -p clientsmith --example synthetic -- 10000 > synthetic-10000.yaml
//! cargo run -p clientsmith -- slice synthetic-10000.yaml --include '/deviceManagement/deviceProfiles/**' --out slice.yaml
//! ```

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let operations = match std::env::args().nth(1).map(|n| n.parse::<usize>()) {
        None => 1_000,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("usage: synthetic [OPERATIONS]");
            return ExitCode::FAILURE;
        }
    };
    let text = clientsmith::internals::synthetic::document(operations);
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cannot write the document: {error}");
            ExitCode::FAILURE
        }
    }
}
