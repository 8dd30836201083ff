//! The runtime crate (`runtime/` in the workspace, package `generator-runtime`) as the files
//! of a vendored copy.
//!
//! Generated crates depend on the runtime instead of carrying it as modules. So that a crate
//! from `generator generate` builds offline, the generator embeds the runtime's manifest and
//! sources and writes them beside the crate, at [`VENDOR_DIR`]; regenerating with a newer
//! generator rewrites that copy, which is how a user upgrades it.

use super::Files;

/// The runtime's package name, as generated manifests depend on it.
pub const PACKAGE: &str = "generator-runtime";

/// The runtime's version (that of `runtime/Cargo.toml`, which a test keeps in step), written
/// beside the path in generated manifests so that the dependency also resolves from a
/// registry once the crate is published.
pub const VERSION: &str = "0.1.0";

/// Where a generated crate's vendored copy of the runtime goes, relative to the crate: outside
/// its `src/`, and a plain path dependency (no workspace of its own).
pub const VENDOR_DIR: &str = "vendor/generator-runtime";

/// The runtime's manifest, written verbatim (it inherits nothing from a workspace).
const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// File name (inside the runtime's `src/`) and contents.
const SOURCES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../../../runtime/src/lib.rs")),
    ("bodies.rs", include_str!("../../../runtime/src/bodies.rs")),
    ("call.rs", include_str!("../../../runtime/src/call.rs")),
    ("enums.rs", include_str!("../../../runtime/src/enums.rs")),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    (
        "lenient.rs",
        include_str!("../../../runtime/src/lenient.rs"),
    ),
    ("paging.rs", include_str!("../../../runtime/src/paging.rs")),
    (
        "objects.rs",
        include_str!("../../../runtime/src/objects.rs"),
    ),
    ("params.rs", include_str!("../../../runtime/src/params.rs")),
    ("patch.rs", include_str!("../../../runtime/src/patch.rs")),
    (
        "query_objects.rs",
        include_str!("../../../runtime/src/query_objects.rs"),
    ),
    ("server.rs", include_str!("../../../runtime/src/server.rs")),
    (
        "transport.rs",
        include_str!("../../../runtime/src/transport.rs"),
    ),
    (
        "transport/auth.rs",
        include_str!("../../../runtime/src/transport/auth.rs"),
    ),
    (
        "transport/builder.rs",
        include_str!("../../../runtime/src/transport/builder.rs"),
    ),
    (
        "transport/redirect.rs",
        include_str!("../../../runtime/src/transport/redirect.rs"),
    ),
    (
        "transport/request.rs",
        include_str!("../../../runtime/src/transport/request.rs"),
    ),
    (
        "transport/response.rs",
        include_str!("../../../runtime/src/transport/response.rs"),
    ),
    (
        "transport/retry.rs",
        include_str!("../../../runtime/src/transport/retry.rs"),
    ),
    (
        "transport/security.rs",
        include_str!("../../../runtime/src/transport/security.rs"),
    ),
    (
        "variants.rs",
        include_str!("../../../runtime/src/variants.rs"),
    ),
];

/// The vendored copy's files, under [`VENDOR_DIR`]. Sources carry `header`, so that a file a
/// newer runtime no longer has is removed as stale when the crate is regenerated.
pub fn vendored_files(header: &str) -> Files {
    let mut files = Files::new();
    files.insert(
        format!("{VENDOR_DIR}/Cargo.toml"),
        format!(
            "# A copy of the runtime written by the `generator` crate; regenerate the crate to upgrade it.\n\n{MANIFEST}"
        ),
    );
    for (name, text) in SOURCES {
        files.insert(
            format!("{VENDOR_DIR}/src/{name}"),
            super::headed(header, text),
        );
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime")
    }

    #[test]
    fn every_runtime_source_is_embedded() {
        // Every `.rs` file under `runtime/src`, one folder deep, as a path relative to it.
        let src = runtime_dir().join("src");
        let mut on_disk = Vec::new();
        for entry in std::fs::read_dir(&src).expect("runtime/src") {
            let path = entry.expect("an entry of runtime/src").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                for inner in std::fs::read_dir(&path).expect("a folder of runtime/src") {
                    let inner = inner.expect("an entry").file_name();
                    on_disk.push(format!("{name}/{}", inner.to_string_lossy()));
                }
            } else {
                on_disk.push(name);
            }
        }
        on_disk.retain(|name| name.ends_with(".rs"));
        on_disk.sort();
        let mut embedded: Vec<String> =
            SOURCES.iter().map(|(name, _)| (*name).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn name_and_version_match_the_runtime_manifest() {
        let manifest = std::fs::read_to_string(runtime_dir().join("Cargo.toml")).expect("manifest");
        assert!(
            manifest.contains(&format!("\nname = \"{PACKAGE}\"\n")),
            "{manifest}"
        );
        assert!(
            manifest.contains(&format!("\nversion = \"{VERSION}\"\n")),
            "{manifest}"
        );
        assert!(
            !manifest.contains("workspace = true"),
            "the vendored copy has no workspace to inherit from"
        );
    }
}
