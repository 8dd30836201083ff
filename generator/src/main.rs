//! `generator`: the command line over [`generator::Config`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates a typed async Rust client from an OpenAPI 3.0 document.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Rewrites the vendored modules (`generated/`) from the document; only changed files are
    /// written.
    Vendor {
        /// The OpenAPI document.
        #[arg(long, default_value = "spec/connectors.yaml")]
        spec: PathBuf,
        /// The directory of vendored modules.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Exits 0 when the vendored modules match the document; otherwise prints a diff and
    /// exits 1.
    Check {
        /// The OpenAPI document.
        #[arg(long, default_value = "spec/connectors.yaml")]
        spec: PathBuf,
        /// The directory of vendored modules.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Writes a complete standalone crate for any OpenAPI 3.0 document.
    Generate {
        /// The OpenAPI document (YAML or JSON).
        spec: PathBuf,
        /// The crate directory to write.
        #[arg(long)]
        out: PathBuf,
        /// The package name (defaults to the name of the output directory).
        #[arg(long)]
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), generator::Error> {
    match command {
        Command::Vendor { spec, out } => {
            let summary = generator::Config::new(&spec).out_dir(&out).generate()?;
            for path in &summary.written {
                println!("wrote {}", path.display());
            }
            for path in &summary.removed {
                println!("removed {}", path.display());
            }
            if !summary.changed() {
                println!("{} is up to date with {}", out.display(), spec.display());
            }
            Ok(())
        }
        Command::Check { spec, out } => {
            generator::Config::new(&spec).out_dir(&out).check().map_err(|error| {
                error.with_help(format!(
                    "run `cargo run -p generator -- vendor --spec {} --out {}` (or `cargo build`) and commit the result",
                    spec.display(),
                    out.display()
                ))
            })?;
            println!("{} is up to date with {}", out.display(), spec.display());
            Ok(())
        }
        Command::Generate { spec, out, name } => {
            let name = match name {
                Some(name) => name,
                None => out
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| String::from("generated-client")),
            };
            let summary = generator::Config::new(&spec)
                .out_dir(&out)
                .generate_crate(&name)?;
            println!(
                "crate `{name}` in {}: {} files written, {} unchanged",
                out.display(),
                summary.written.len(),
                summary.unchanged.len()
            );
            Ok(())
        }
    }
}
