//! Generates a typed async Rust client from an OpenAPI 3.0 document.
//!
//! The pipeline runs one way: `load` reads YAML or JSON into an `openapiv3` document, `model`
//! resolves it into named types and operations, `plan` decides once what each operation's and
//! struct's code is, `emit` renders it as Rust with `quote!` and formats it with
//! `prettyplease`. [`Config`] drives it, from a build script or the CLI, and is, with
//! [`Error`] and what they return, the library's whole API:
//!
//! ```no_run
//! clientsmith::Config::new("spec/connectors.yaml")
//!     .out_dir("generated")
//!     .generate()?;
//! # Ok::<(), clientsmith::Error>(())
//! ```
//!
//! Output is deterministic: the same document gives the same bytes on every machine.

mod changes;
mod emit;
mod error;
#[cfg(feature = "examples")]
mod examples;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals;
mod load;
mod model;
mod names;
mod output;
mod plan;
mod slice;
mod span;
#[cfg(feature = "internals")]
mod synthetic;
mod threads;
mod warnings;

use std::path::{Path, PathBuf};
use threads::with_stack;

pub use changes::{ApiChanges, Change, Class};
pub use emit::Files;
pub use error::{Error, ErrorKind, Level, LineColumn, MAX_DIAGNOSTICS};
#[cfg(feature = "examples")]
pub use examples::{Examples, Failure, Report};
pub use output::WriteSummary;
pub use warnings::Warnings;

/// What to generate from which document, and where.
#[derive(Debug, Clone)]
pub struct Config {
    spec: PathBuf,
    out_dir: PathBuf,
    max_input_bytes: u64,
    selection: slice::Selection,
    modules: emit::Modules,
    runtime_path: Option<PathBuf>,
    deny_warnings: bool,
}

impl Config {
    /// A configuration for the document at `spec`; output goes to `generated/` unless
    /// [`Config::out_dir`] says otherwise.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Config {
            spec: spec.into(),
            out_dir: PathBuf::from("generated"),
            max_input_bytes: load::DEFAULT_MAX_INPUT_BYTES,
            selection: slice::Selection::new(),
            modules: emit::Modules::default(),
            runtime_path: None,
            deny_warnings: false,
        }
    }

    /// With `true`, every warning is an error and nothing is generated when there is one:
    /// for teams that want a strict gate. Off by default: a schema the generator cannot
    /// express becomes any JSON value (`serde_json::Value`), an operation it cannot express
    /// is left out, each with a located warning, and everything else is generated.
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// Generates only the operations `pattern` matches (repeatable; without any include,
    /// every operation), and only the components they reach. The syntax:
    ///
    /// - `/deviceManagement/ndesConnectors/**`: paths; `*` is one segment, `**` any number
    ///   of segments, `*` inside a segment any characters;
    /// - `GET,PATCH:/connectors/*`: the same, for these methods only;
    /// - `tag:deviceManagement.ndesConnector`, `operationId:connectors.*`: by tag or
    ///   `operationId` (`*` is any characters).
    ///
    /// A pattern that matches no operation is an [`ErrorKind::Invalid`] error naming the
    /// closest paths. Type names are those the whole document gives, whatever the selection.
    pub fn include(mut self, pattern: impl Into<String>) -> Self {
        self.selection = self.selection.include(pattern);
        self
    }

    /// Leaves out the operations `pattern` matches (repeatable), whatever includes them;
    /// the syntax is that of [`Config::include`].
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.selection = self.selection.exclude(pattern);
        self
    }

    /// With `false`, a slice leaves out the types that only a discriminator mapping reaches
    /// (a polymorphic base's subtypes); values of those types decode into the fallback
    /// variant of the base's `Any{Name}` enum, or into the base struct itself when no
    /// subtype is left. On by default.
    pub fn mapped_subtypes(mut self, keep: bool) -> Self {
        self.selection = self.selection.mapped_subtypes(keep);
        self
    }

    /// The document reduced to the selected operations and the components they reach, with
    /// an `x-generator-slice` extension recording the patterns (and, when they matter, the
    /// component names that keep type names stable): what `clientsmith slice` writes.
    /// Slicing the result again with the same patterns gives the same document.
    pub fn slice(&self) -> Result<openapiv3::OpenAPI, Error> {
        let document = load::load_with_limit(&self.spec, self.max_input_bytes)?;
        slice::slice(&document.api, &self.selection).map_err(|e| document.locate(e, &self.spec))
    }

    /// Writes the OpenAPI 3.0 document the generator reads for the configured one to `path`
    /// (YAML, or JSON when `path` ends in `.json`): a Swagger 2.0 or OpenAPI 3.1 document as
    /// converted at the door, a 3.0 document as read. What the conversion approximated is in
    /// the warnings. Writes only when the bytes change; returns whether it wrote.
    pub fn write_converted(&self, path: impl AsRef<Path>) -> Result<(bool, Warnings), Error> {
        let path = path.as_ref();
        let document = load::load_with_limit(&self.spec, self.max_input_bytes)?;
        let warnings = Warnings::new(document.warnings.clone());
        if self.deny_warnings
            && let Some(error) = warnings.clone().into_error()
        {
            return Err(error);
        }
        let text = slice::to_text(&document.api, path)?;
        Ok((slice::write_text(path, &text)?, warnings))
    }

    /// Writes [`Config::slice`] to `path`: YAML, or JSON when `path` ends in `.json`. Writes
    /// only when the bytes change; returns whether it wrote.
    pub fn write_slice(&self, path: impl AsRef<Path>) -> Result<bool, Error> {
        let path = path.as_ref();
        let text = slice::to_text(&self.slice()?, path)?;
        slice::write_text(path, &text)
    }

    /// The largest document accepted, in bytes (128 MiB by default,
    /// unless set): a larger file is refused with an [`ErrorKind::Limit`] error before it is
    /// read.
    pub fn max_input_bytes(mut self, bytes: u64) -> Self {
        self.max_input_bytes = bytes;
        self
    }

    /// With `false`, leaves out `server.rs` (the serving side behind the generated crate's
    /// `server` feature) for a crate that is only a client: less to generate and to review.
    /// On by default.
    pub fn server(mut self, server: bool) -> Self {
        self.modules.server = server;
        self
    }

    /// Makes [`Config::generate_crate`] depend on the runtime crate (`clientsmith-runtime`)
    /// checked out at `path`, as well as by version: for crates built beside a checkout of
    /// the runtime (before it is published, or to try a change to it). A relative path is
    /// taken from the current directory and written into `Cargo.toml` as an absolute one.
    pub fn runtime_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.runtime_path = Some(path.into());
        self
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
    /// `server.rs`) without writing anything. Warnings are dropped: see
    /// [`Config::render_with_warnings`].
    pub fn render(&self) -> Result<Files, Error> {
        self.render_with_warnings().map(|(files, _)| files)
    }

    /// [`Config::render`], with the warnings about what the generator read irregularly or
    /// left out.
    pub fn render_with_warnings(&self) -> Result<(Files, Warnings), Error> {
        with_stack(|| {
            let (api, origin, warnings) = self.model()?;
            Ok((emit::module_files(&api, &origin, self.modules)?, warnings))
        })
    }

    /// Writes the module files to the output directory, touching only files whose bytes
    /// change, and removes generated files the document no longer produces. The summary says
    /// what the new code changes for callers, compared with the code it replaces (see
    /// [`WriteSummary::changes`]).
    pub fn generate(&self) -> Result<WriteSummary, Error> {
        let (files, warnings) = self.render_with_warnings()?;
        let changes = output::api_changes(&self.out_dir, emit::surface::FILE, &files);
        let mut summary = output::write_files(&self.out_dir, &files)?;
        summary.warnings = warnings;
        summary.changes = changes;
        Ok(summary)
    }

    /// Compares the output directory with what the document produces. Returns the warnings
    /// when they match and an [`ErrorKind::Stale`] error otherwise, which says what
    /// regenerating changes for callers (see [`ApiChanges`]) and carries the diff.
    pub fn check(&self) -> Result<Warnings, Error> {
        let (files, warnings) = self.render_with_warnings()?;
        let diffs = output::diff_files(&self.out_dir, &files)?;
        if diffs.is_empty() {
            return Ok(warnings);
        }
        let changes = output::api_changes(&self.out_dir, emit::surface::FILE, &files)
            .map(|report| match report.class() {
                Some(_) => format!("{report}\n"),
                None => {
                    String::from("The public API is the same; only the code behind it changes.\n\n")
                }
            })
            .unwrap_or_default();
        Err(Error::new(
            ErrorKind::Stale,
            format!(
                "`{}` is out of date with `{}`.\n{changes}\n{}",
                self.out_dir.display(),
                self.spec.display(),
                diffs.join("\n")
            ),
        ))
    }

    /// What generating from `newer`'s document instead of this one's changes for code that
    /// calls the generated client: both documents are read with their own settings (selection
    /// included), and the public APIs of the code each gives are compared.
    pub fn compare(&self, newer: &Config) -> Result<(ApiChanges, Warnings), Error> {
        let surface = |config: &Config| {
            with_stack(|| {
                let (api, origin, warnings) = config.model()?;
                Ok::<_, Error>((emit::api_surface(&api, &origin), warnings))
            })
        };
        let (old, mut warnings) = surface(self)?;
        let (new, new_warnings) = surface(newer)?;
        warnings.extend(new_warnings);
        Ok((changes::compare(&old, &new), warnings))
    }

    /// Writes a complete crate named `name` (`Cargo.toml`, `README.md`, `src/lib.rs` and the
    /// modules) to the output directory. The crate depends on the runtime crate by version
    /// (`cargo update` takes its compatible releases), and also by path when
    /// [`Config::runtime_path`] is set.
    ///
    /// Regenerating a crate versions it as Cargo's SemVer rules say for what changed for its
    /// callers (see [`ApiChanges`]): a breaking change bumps the major version (the minor
    /// one before 1.0), a compatible change the minor version (the patch one before 1.0),
    /// anything else that changes the crate's files the patch version; an unchanged crate
    /// keeps its version. A new crate starts at 0.1.0.
    pub fn generate_crate(&self, name: &str) -> Result<WriteSummary, Error> {
        check_crate_name(name)?;
        let document = load::load_with_limit(&self.spec, self.max_input_bytes)?;
        let manifest = self.out_dir.join("Cargo.toml");
        let previous = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|text| changes::package_version(&text));
        let version = previous.as_deref().unwrap_or(emit::INITIAL_VERSION);
        let (_, mut files, warnings) = with_stack(|| self.crate_files_of(name, version, document))?;
        let changes = output::api_changes(
            &self.out_dir,
            &format!("src/{}", emit::surface::FILE),
            &files,
        );
        if let Some(previous) = &previous {
            let rest_changed = files.iter().any(|(path, text)| {
                path != "Cargo.toml"
                    && std::fs::read(self.out_dir.join(path)).ok().as_deref()
                        != Some(text.as_bytes())
            });
            let next = changes::next_version(
                previous,
                changes.as_ref().and_then(ApiChanges::class),
                rest_changed,
            );
            if let (Some(next), Some(text)) = (next, files.get_mut("Cargo.toml")) {
                *text = changes::set_package_version(text, &next);
            }
        }
        let mut summary = output::write_files(&self.out_dir, &files)?;
        summary.warnings = warnings;
        summary.changes = changes;
        Ok(summary)
    }

    /// The model of `document` and the files of the crate named `name`, at `version`,
    /// generated from it.
    fn crate_files_of(
        &self,
        name: &str,
        version: &str,
        document: load::Document,
    ) -> Result<(model::Api, Files, Warnings), Error> {
        let runtime_path = match &self.runtime_path {
            Some(path) => Some(
                std::path::absolute(path)
                    .map_err(|e| Error::io(path, &e))?
                    .to_string_lossy()
                    .into_owned(),
            ),
            None => None,
        };
        let runtime = match &runtime_path {
            Some(path) => emit::RuntimeSource::Path(path),
            None => emit::RuntimeSource::Registry,
        };
        let (api, origin, warnings) = self.model_of(document)?;
        let modules = emit::module_files(&api, &origin, self.modules)?;
        let files = emit::crate_files(&api, &origin, name, version, modules, runtime);
        Ok((api, files, warnings))
    }

    /// Runs the pipeline on `text` as if it were the document at [`Config::spec`], reading and
    /// writing nothing: the same checks, limits and diagnostics as [`Config::render`].
    pub fn render_str(&self, text: &str) -> Result<Files, Error> {
        let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
        if size > self.max_input_bytes {
            return Err(load::too_large(size, self.max_input_bytes).in_file(&self.spec));
        }
        with_stack(|| {
            let (api, origin, _) = self.model_of(load::parse(&self.spec, text)?)?;
            emit::module_files(&api, &origin, self.modules)
        })
    }

    fn model(&self) -> Result<(model::Api, emit::Origin, Warnings), Error> {
        self.model_of(load::load_with_limit(&self.spec, self.max_input_bytes)?)
    }

    fn model_of(
        &self,
        document: load::Document,
    ) -> Result<(model::Api, emit::Origin, Warnings), Error> {
        // Model errors know their JSON pointer; the text tells their line and column.
        let locate = |e: Error| document.locate(e, &self.spec);
        // What reading the document read past comes first, as it was found first.
        if self.deny_warnings
            && let Some(error) = Warnings::new(document.warnings.clone()).into_error()
        {
            return Err(error);
        }
        let (api, warnings) = self.build_model(&document).map_err(locate)?;
        let mut warnings: Vec<Error> = document
            .warnings
            .iter()
            .cloned()
            .chain(warnings.into_iter().map(locate))
            .collect();
        // In the order of the document, as a reader goes through it.
        warnings.sort_by_key(|w| w.location().map(|at| (at.line, at.column)));
        let warnings = Warnings::new(warnings);
        if self.deny_warnings
            && let Some(error) = warnings.clone().into_error()
        {
            return Err(error);
        }
        let origin = emit::Origin {
            spec: self.spec.to_string_lossy().replace('\\', "/"),
            moves: document.moves.clone(),
        };
        Ok((api, origin, warnings))
    }

    /// The model of the document, sliced when a selection is set, with the type names of the
    /// whole document (or those a written slice recorded), and its warnings.
    fn build_model(&self, document: &load::Document) -> Result<(model::Api, Vec<Error>), Error> {
        let recorded = slice::recorded_naming(&document.api)?;
        let strictness = if self.deny_warnings {
            model::Strictness::Strict
        } else {
            model::Strictness::Lenient
        };
        if self.selection.is_everything() {
            return model::build_with(&document.api, recorded.as_deref(), strictness);
        }
        let naming = slice::naming(&document.api)?;
        let mut sliced = slice::select(&document.api, &self.selection)?;
        slice::record_inline_names(&document.api, &mut sliced);
        model::build_with(&sliced, Some(&naming), strictness)
    }
}

/// A package name for a crate generated from `document`: `prefix-` and the document's file
/// stem, made a package name by [`package_name`] (`examples-nytimes-timeswire`). Crates built
/// in one target directory must not share a name, or their test binaries overwrite one another.
pub fn crate_name_for(prefix: &str, document: &Path) -> String {
    let stem = document
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    package_name(&format!("{prefix}-{stem}"))
}

/// `text` made a valid package name: ASCII letters and digits kept, in lowercase, every other
/// character `-`, `api-` in front when it would not start with a letter (`1password-events`
/// is `api-1password-events`), at most 64 characters.
pub fn package_name(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "api-");
    }
    name.truncate(64);
    name
}

/// An [`ErrorKind::Invalid`] error unless `name` is usable as a package name.
fn check_crate_name(name: &str) -> Result<(), Error> {
    if emit::valid_crate_name(name) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Invalid,
        format!("`{name}` is not a valid crate name"),
    )
    .with_help("use ASCII letters, digits, `-` and `_`, starting with a letter"))
}
