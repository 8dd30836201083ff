//! Slicing a large document: keeping the operations a client needs and only the components
//! they reach.
//!
//! This is a transformation of the `openapiv3` document that runs before [`crate::model`]:
//! the model and everything after it see an ordinary, smaller document.
//!
//! # Patterns
//!
//! A [`Selection`] holds include and exclude patterns. An operation is kept when no include is
//! given or one include matches it, and no exclude matches it (excludes win). A pattern is one of:
//!
//! | Pattern | Matches |
//! |---|---|
//! | `/deviceManagement/ndesConnectors/**` | operations whose path matches: a `*` segment is any one segment, `**` any number of segments (none included), and `*` inside a segment any run of characters (`/deviceManagement/*Connectors`) |
//! | `GET,PATCH:/connectors/*` | the same, restricted to these methods (any case) |
//! | `tag:deviceManagement.ndesConnector` | operations with this tag; `*` is any run of characters |
//! | `operationId:connectors.connector.*` | operations with this `operationId`; `*` as for tags |
//!
//! Paths are compared with the document's path templates as written, so
//! `/connectors/{connector-id}` is matched by `/connectors/*`. A pattern that matches no
//! operation of the document is an error that names the closest paths (tags, operation ids).
//!
//! # Reachability
//!
//! Kept are the selected operations (path items left without operations are dropped) and the
//! components they reach through `$ref` at any depth: schemas, parameters, responses, request
//! bodies, headers, examples and links. Inside schemas, references are followed through
//! `allOf`, `oneOf`, `anyOf`, `not`, `items`, `properties` and `additionalProperties`.
//!
//! A discriminator mapping names the types a polymorphic base type can produce. Where the base
//! is the declared type of a value (a `$ref` to it in a property, an item, a body, an
//! alternative — not where a schema only inherits from it through `allOf`), its mapped types
//! are kept too, unless [`Selection::mapped_subtypes`] is off: then they are kept only when
//! something else reaches them, and a value of a left-out type decodes into the fallback
//! variant of the base's `Any{Name}` enum (or into the base struct itself, when no mapped type
//! is left). Mapping entries whose type is not kept are removed, so the slice never holds a
//! dangling reference. Security schemes are kept when a kept operation (or the document) requires
//! them, tags when a kept operation uses them.
//!
//! # Stable names
//!
//! The model names a component schema after the last segment of its name, and uses the full
//! name when two schemas share that segment, so a narrower document could name a type
//! differently. A slice is therefore generated with the component names of the document it
//! came from ([`crate::model::build_named`]): in memory the whole list, and in a slice written
//! to a file the part of it that decides this slice's names, under
//! `x-generator-slice: {names: [...]}` (see [`naming_for`]).
//!
//! # Where things are
//!
//! - `pattern`: parsing a pattern and matching it against an operation;
//! - `operations`: which operations the patterns keep, and the patterns that match none;
//! - `suggest`: the closest paths, tags and operation ids an unmatched pattern names;
//! - `walk`: every place of a document that can hold a `$ref` or a schema;
//! - `select`: the kept operations and the components they reach, as a new document;
//! - `naming`: the component names that keep a slice's type names those of its source;
//! - `write`: the slice as a document to keep, with its `x-generator-slice` record, and its text.

mod naming;
mod operations;
mod pattern;
mod select;
mod suggest;
mod walk;
mod write;

#[cfg(feature = "internals")]
pub use naming::naming_for;
pub use naming::{naming, recorded_naming};
pub use select::select;
pub use write::{record_inline_names, slice, to_text, write_text};

/// The top-level extension a written slice carries: the patterns it was made with and, when
/// they matter, the component names that decide its type names.
pub const EXTENSION: &str = "x-generator-slice";

/// The member of [`EXTENSION`] that names the inline enums several operations of the whole
/// document repeat (JSON pointer → type name), as the whole document names them.
pub const INLINE_NAMES: &str = "inline-names";

/// Which operations of a document to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    include: Vec<String>,
    exclude: Vec<String>,
    mapped_subtypes: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            include: Vec::new(),
            exclude: Vec::new(),
            mapped_subtypes: true,
        }
    }
}

impl Selection {
    /// Everything: no include, no exclude, mapped subtypes kept.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an include pattern (see the [module documentation](self) for the syntax).
    pub fn include(mut self, pattern: impl Into<String>) -> Self {
        self.include.push(pattern.into());
        self
    }

    /// Adds an exclude pattern; excludes win over includes.
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.exclude.push(pattern.into());
        self
    }

    /// Whether the types a discriminator mapping produces are kept with their base type
    /// (`true`, the default), or only when something else reaches them.
    pub fn mapped_subtypes(mut self, keep: bool) -> Self {
        self.mapped_subtypes = keep;
        self
    }

    /// Whether the selection is everything (no pattern; mapped subtypes kept).
    pub fn is_everything(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty() && self.mapped_subtypes
    }
}
