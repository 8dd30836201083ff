//! Generates a typed async Rust client from an OpenAPI 3.0 document.
//!
//! The pipeline runs one way: [`load`] reads YAML or JSON into an `openapiv3` document,
//! [`model`] resolves it into named types and operations, [`emit`] writes Rust with `quote!`
//! and formats it with `prettyplease`. [`Config`] drives it, from a build script or the CLI:
//!
//! ```no_run
//! generator::Config::new("spec/connectors.yaml")
//!     .out_dir("generated")
//!     .generate()?;
//! # Ok::<(), generator::Error>(())
//! ```
//!
//! Output is deterministic: the same document gives the same bytes on every machine.

pub mod emit;
pub mod error;
pub mod load;
pub mod model;
pub mod names;
mod output;

use std::path::{Path, PathBuf};

pub use emit::Files;
pub use error::{Error, ErrorKind};
pub use output::WriteSummary;

/// What to generate from which document, and where.
#[derive(Debug, Clone)]
pub struct Config {
    spec: PathBuf,
    out_dir: PathBuf,
}

impl Config {
    /// A configuration for the document at `spec`; output goes to `generated/` unless
    /// [`Config::out_dir`] says otherwise.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Config {
            spec: spec.into(),
            out_dir: PathBuf::from("generated"),
        }
    }

    /// The directory the generated files go to.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = dir.into();
        self
    }

    /// The document's path.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// Runs the pipeline and returns the module files (`models.rs`, `client.rs`,
    /// `runtime/*.rs`) without writing anything.
    pub fn render(&self) -> Result<Files, Error> {
        let (api, origin) = self.model()?;
        emit::module_files(&api, &origin)
    }

    /// Writes the module files to the output directory, touching only files whose bytes
    /// change, and removes generated files the document no longer produces.
    pub fn generate(&self) -> Result<WriteSummary, Error> {
        output::write_files(&self.out_dir, &self.render()?)
    }

    /// Compares the output directory with what the document produces. Returns `Ok(())` when
    /// they match and an [`ErrorKind::Stale`] error carrying the diff otherwise.
    pub fn check(&self) -> Result<(), Error> {
        let diffs = output::diff_files(&self.out_dir, &self.render()?)?;
        if diffs.is_empty() {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Stale,
            format!(
                "`{}` is out of date with `{}`:\n\n{}",
                self.out_dir.display(),
                self.spec.display(),
                diffs.join("\n")
            ),
        ))
    }

    /// Writes a complete crate named `name` (`Cargo.toml`, `src/lib.rs` and the modules) to
    /// the output directory.
    pub fn generate_crate(&self, name: &str) -> Result<WriteSummary, Error> {
        if !emit::valid_crate_name(name) {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!("`{name}` is not a valid crate name"),
            )
            .with_help("use ASCII letters, digits, `-` and `_`, starting with a letter"));
        }
        let (api, origin) = self.model()?;
        let modules = emit::module_files(&api, &origin)?;
        output::write_files(
            &self.out_dir,
            &emit::crate_files(&api, &origin, name, modules),
        )
    }

    fn model(&self) -> Result<(model::Api, emit::Origin), Error> {
        let document = load::load(&self.spec)?;
        let api = model::build(&document).map_err(|e| e.or_in_file(&self.spec))?;
        let origin = emit::Origin {
            spec: self.spec.to_string_lossy().replace('\\', "/"),
            sha256: document.sha256,
        };
        Ok((api, origin))
    }
}
