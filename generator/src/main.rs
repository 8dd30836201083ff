//! `clientsmith`: the command line over [`clientsmith::Config`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates a typed async Rust client from an OpenAPI 3.0 document.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Make every warning an error: nothing is generated when the document has anything the
    /// generator reads irregularly or leaves out.
    #[arg(long, global = true)]
    deny_warnings: bool,
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
        #[command(flatten)]
        selection: Selection,
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
        #[command(flatten)]
        selection: Selection,
    },
    /// Writes a complete standalone crate for any Swagger 2.0, OpenAPI 3.0 or 3.1 document.
    Generate {
        /// The OpenAPI document (YAML or JSON).
        spec: PathBuf,
        /// The crate directory to write.
        #[arg(long)]
        out: PathBuf,
        /// The package name (defaults to the name of the output directory, made a valid package
        /// name).
        #[arg(long)]
        name: Option<String>,
        /// Leave out the `server` module: a client only (the `server` feature keeps only the
        /// runtime's serving helpers).
        #[arg(long)]
        no_server: bool,
        /// Depend on the runtime crate (`clientsmith-runtime`) checked out at PATH, as well as
        /// by version (without it: by version alone, from crates.io).
        #[arg(long, value_name = "PATH")]
        runtime_path: Option<PathBuf>,
        #[command(flatten)]
        selection: Selection,
    },
    /// Checks the document's own examples: generates the crate and a harness, decodes every
    /// `example`/`examples` value into its generated type and encodes it back, and prints each
    /// failure (JSON pointer, error) and the totals. Exits 1 when the generated types reject a
    /// value valid against its schema (a generator defect), 0 otherwise (document defects and
    /// skipped examples included).
    Examples {
        /// The OpenAPI document (YAML or JSON).
        spec: PathBuf,
        /// The crate directory to write and build in (kept, so a second run builds
        /// incrementally); by default a directory under the system's temporary directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Depend on the runtime crate (`clientsmith-runtime`) checked out at PATH, as well as
        /// by version (without it: by version alone, from crates.io).
        #[arg(long, value_name = "PATH")]
        runtime_path: Option<PathBuf>,
        /// Copy this `Cargo.lock` into the crate first (to build offline with the versions it
        /// pins).
        #[arg(long, value_name = "PATH")]
        lockfile: Option<PathBuf>,
        /// Print every skipped example with its reason, not only the count of each reason.
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        selection: Selection,
    },
    /// Says what generating from NEW instead of OLD changes for code that calls the generated
    /// client: each changed type, field, variant, method or argument, classified as breaking,
    /// compatible or documentation, with the JSON pointer that caused it. The selection
    /// applies to both documents.
    Diff {
        /// The document the current code was generated from.
        old: PathBuf,
        /// The document to generate from instead.
        new: PathBuf,
        /// Exit 1 when a change is breaking.
        #[arg(long)]
        deny_breaking: bool,
        #[command(flatten)]
        selection: Selection,
    },
    /// Writes the OpenAPI 3.0 document the generator reads (YAML, or JSON when the output
    /// ends in `.json`): a Swagger 2.0 or OpenAPI 3.1 document converted, to review what was
    /// read and what was approximated.
    Convert {
        /// The document (Swagger 2.0, OpenAPI 3.0 or 3.1; YAML or JSON).
        spec: PathBuf,
        /// The OpenAPI 3.0 document to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Writes the part of a document the selected operations need (valid OpenAPI 3.0, YAML,
    /// or JSON when the output ends in `.json`), to keep a small reviewed slice of a large
    /// document.
    Slice {
        /// The OpenAPI document (YAML or JSON).
        spec: PathBuf,
        /// The slice to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        selection: Selection,
    },
}

/// Which operations to keep, and so which components.
#[derive(Debug, Clone, clap::Args)]
struct Selection {
    /// Keep only operations matching PATTERN (repeatable; none: every operation):
    /// `/path/**` (`*` one segment, `**` any number), `GET,POST:/path/*`, `tag:NAME`,
    /// `operationId:NAME` (`*` in names: any characters).
    #[arg(long, value_name = "PATTERN")]
    include: Vec<String>,
    /// Leave out operations matching PATTERN (repeatable; wins over --include).
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,
    /// Leave out types only a discriminator mapping reaches (a polymorphic base's subtypes);
    /// they decode into the base's fallback variant (or the base struct when none is left).
    #[arg(long)]
    no_mapped_subtypes: bool,
}

impl Selection {
    fn apply(self, mut config: clientsmith::Config) -> clientsmith::Config {
        for pattern in self.include {
            config = config.include(pattern);
        }
        for pattern in self.exclude {
            config = config.exclude(pattern);
        }
        config.mapped_subtypes(!self.no_mapped_subtypes)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command, cli.deny_warnings) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `command`; `Ok(false)` when it ran and found what fails it (a generator defect).
fn run(command: Command, deny_warnings: bool) -> Result<bool, clientsmith::Error> {
    match command {
        Command::Examples {
            spec,
            out,
            runtime_path,
            lockfile,
            verbose,
            selection,
        } => examples(
            spec,
            out,
            runtime_path,
            lockfile,
            verbose,
            selection,
            deny_warnings,
        ),
        Command::Diff {
            old,
            new,
            deny_breaking,
            selection,
        } => {
            let config = |spec: &PathBuf| {
                selection
                    .clone()
                    .apply(clientsmith::Config::new(spec))
                    .deny_warnings(deny_warnings)
            };
            let (changes, warnings) = config(&old).compare(&config(&new))?;
            report(&warnings);
            if changes.is_empty() {
                println!(
                    "{} and {} give the same public API",
                    old.display(),
                    new.display()
                );
            }
            print!("{changes}");
            Ok(!(deny_breaking && changes.is_breaking()))
        }
        command => run_other(command, deny_warnings).map(|()| true),
    }
}

fn examples(
    spec: PathBuf,
    out: Option<PathBuf>,
    runtime_path: Option<PathBuf>,
    lockfile: Option<PathBuf>,
    verbose: bool,
    selection: Selection,
    deny_warnings: bool,
) -> Result<bool, clientsmith::Error> {
    let name = clientsmith::crate_name_for("examples", &spec);
    let out = out.unwrap_or_else(|| std::env::temp_dir().join(format!("generator-{name}")));
    let mut config = selection
        .apply(clientsmith::Config::new(&spec).out_dir(&out))
        .server(false)
        .deny_warnings(deny_warnings);
    if let Some(path) = runtime_path {
        config = config.runtime_path(path);
    }
    let examples = config.examples_crate(&name)?;
    // The crate is a workspace of its own, wherever it is written.
    let manifest = out.join("Cargo.toml");
    let mut text =
        std::fs::read_to_string(&manifest).map_err(|e| clientsmith::Error::io(&manifest, &e))?;
    if !text.contains("\n[workspace]\n") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text).map_err(|e| clientsmith::Error::io(&manifest, &e))?;
    }
    if let Some(lockfile) = lockfile {
        std::fs::copy(&lockfile, out.join("Cargo.lock"))
            .map_err(|e| clientsmith::Error::io(&lockfile, &e))?;
    }
    if !examples.is_empty() {
        eprintln!(
            "building the harness for {} examples in {}",
            examples.len(),
            out.display()
        );
        let mut command = examples.command();
        command.args(clientsmith::Examples::test_args());
        let output = command.output().map_err(|e| {
            clientsmith::Error::new(clientsmith::ErrorKind::Io, format!("cannot run cargo: {e}"))
        })?;
        if !output.status.success() {
            return Err(clientsmith::Error::new(
                clientsmith::ErrorKind::Internal,
                format!(
                    "the examples harness in {} did not run ({}):\n{}{}",
                    out.display(),
                    output.status,
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ),
            ));
        }
    }
    let report = examples.judge()?;
    print!("{report}");
    if verbose {
        for (pointer, reason) in &report.skipped {
            println!("skipped: {pointer}: {reason}");
        }
    }
    Ok(!report.has_generator_defects())
}

/// Prints `warnings` to standard error, each cause once.
fn report(warnings: &clientsmith::Warnings) {
    if !warnings.is_empty() {
        eprintln!("{warnings}");
    }
}

fn run_other(command: Command, deny_warnings: bool) -> Result<(), clientsmith::Error> {
    let config = |spec: &PathBuf, out: &PathBuf, selection: Selection| {
        selection
            .apply(clientsmith::Config::new(spec).out_dir(out))
            .deny_warnings(deny_warnings)
    };
    match command {
        Command::Examples { .. } | Command::Diff { .. } => Ok(()),
        Command::Vendor {
            spec,
            out,
            selection,
        } => {
            let summary = config(&spec, &out, selection).generate()?;
            report(&summary.warnings);
            for path in &summary.written {
                println!("wrote {}", path.display());
            }
            for path in &summary.removed {
                println!("removed {}", path.display());
            }
            if !summary.changed() {
                println!("{} is up to date with {}", out.display(), spec.display());
            }
            if let Some(changes) = &summary.changes {
                print!("{changes}");
            }
            Ok(())
        }
        Command::Check {
            spec,
            out,
            selection,
        } => {
            let warnings = config(&spec, &out, selection).check().map_err(|error| {
                error.with_help(format!(
                    "run `cargo run -p clientsmith -- vendor --spec {} --out {}` (or `cargo build`) and commit the result",
                    spec.display(),
                    out.display()
                ))
            })?;
            report(&warnings);
            println!("{} is up to date with {}", out.display(), spec.display());
            Ok(())
        }
        Command::Generate {
            spec,
            out,
            name,
            no_server,
            runtime_path,
            selection,
        } => {
            let name = match name {
                Some(name) => name,
                None => {
                    let directory = out
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| String::from("generated-client"));
                    let name = clientsmith::package_name(&directory);
                    if name != directory {
                        eprintln!(
                            "note: the package is named `{name}`, after the directory \
                             `{directory}`, which is not a package name; `--name` sets another"
                        );
                    }
                    name
                }
            };
            let mut config = config(&spec, &out, selection).server(!no_server);
            if let Some(path) = runtime_path {
                config = config.runtime_path(path);
            }
            let summary = config.generate_crate(&name)?;
            report(&summary.warnings);
            println!(
                "crate `{name}` in {}: {} files written, {} unchanged",
                out.display(),
                summary.written.len(),
                summary.unchanged.len()
            );
            if let Some(changes) = &summary.changes {
                print!("{changes}");
            }
            Ok(())
        }
        Command::Convert { spec, out } => {
            let (written, warnings) = clientsmith::Config::new(&spec)
                .deny_warnings(deny_warnings)
                .write_converted(&out)?;
            if !warnings.is_empty() {
                eprintln!("{warnings}");
            }
            if written {
                println!("wrote {}", out.display());
            } else {
                println!("{} is up to date with {}", out.display(), spec.display());
            }
            Ok(())
        }
        Command::Slice {
            spec,
            out,
            selection,
        } => {
            let written = selection
                .apply(clientsmith::Config::new(&spec))
                .write_slice(&out)?;
            if written {
                println!("wrote {}", out.display());
            } else {
                println!("{} is up to date with {}", out.display(), spec.display());
            }
            Ok(())
        }
    }
}
