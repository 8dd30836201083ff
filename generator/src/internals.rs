//! The pipeline's stages one by one, for the generator's own tests, benchmarks and examples,
//! which turn on the `internals` feature (through the package's dev-dependency on itself).
//!
//! Not a supported API: it changes whenever the pipeline does. What users call is
//! [`Config`](crate::Config), [`Error`](crate::Error) and the types they return.

/// Reading a document (`load`).
pub mod load {
    pub use crate::load::{Document, load, load_with_limit, parse};
}

/// The resolved model (`model`).
pub mod model {
    pub use crate::model::{Api, Strictness, Success, TypeRef, build, build_named, build_with};
}

/// Rendering and formatting (`emit`), with the token streams apart from the formatting.
pub mod emit {
    pub use crate::emit::{
        Emission, INITIAL_VERSION, ModuleTokens, Modules, Origin, RuntimeSource, crate_files,
        format_module, module_files, module_tokens,
    };
}

/// Selection and pruning (`slice`).
pub mod slice {
    pub use crate::slice::{Selection, naming, naming_for, select, to_text};
}

/// Deterministic Graph-like documents of any size.
pub mod synthetic {
    pub use crate::synthetic::document;
}
