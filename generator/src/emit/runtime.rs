//! The hand-written runtime that every generated crate carries in `runtime/`.
//!
//! It lives in `generator/runtime/` as ordinary Rust, compiled and tested through the root
//! crate, and is copied verbatim so that a vendored crate stands alone.

/// File name (inside `runtime/`) and contents.
pub const FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("bodies.rs", include_str!("../../runtime/bodies.rs")),
    ("call.rs", include_str!("../../runtime/call.rs")),
    ("enums.rs", include_str!("../../runtime/enums.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("paging.rs", include_str!("../../runtime/paging.rs")),
    ("objects.rs", include_str!("../../runtime/objects.rs")),
    ("params.rs", include_str!("../../runtime/params.rs")),
    ("patch.rs", include_str!("../../runtime/patch.rs")),
    ("server.rs", include_str!("../../runtime/server.rs")),
    ("transport.rs", include_str!("../../runtime/transport.rs")),
    ("variants.rs", include_str!("../../runtime/variants.rs")),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("runtime directory")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(name, _)| (*name).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
