//! The runtime crate (`runtime/` in the workspace, package `clientsmith-runtime`) as generated
//! crates depend on it.
//!
//! Generated crates depend on the runtime instead of carrying it as modules: by version, so
//! that a compatible release reaches them with `cargo update` and a user can raise the
//! requirement in their manifest, or by version and path (`Config::runtime_path`), for crates
//! built beside a checkout of it.

/// The runtime's package name, as generated manifests depend on it.
pub const PACKAGE: &str = "clientsmith-runtime";

/// The version of the runtime the generated code is written for (that of
/// `runtime/Cargo.toml`, which a test keeps in step): generated manifests require it, and any
/// later compatible version.
pub const VERSION: &str = "0.1.0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_and_version_match_the_runtime_manifest() {
        let runtime = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        let Ok(manifest) = std::fs::read_to_string(runtime.join("Cargo.toml")) else {
            // The published package, without the workspace around it.
            return;
        };
        assert!(
            manifest.contains(&format!("\nname = \"{PACKAGE}\"\n")),
            "{manifest}"
        );
        assert!(
            manifest.contains(&format!("\nversion = \"{VERSION}\"\n")),
            "{manifest}"
        );
    }
}
