//! Regenerates `generated/` from `spec/connectors.yaml` when the `regenerate` feature is on.
//!
//! The generator writes a file only when its bytes change, so an unchanged document costs
//! nothing, downstream code is not recompiled, and a read-only checkout (a git or registry
//! dependency) builds from the vendored files as they are.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    #[cfg(feature = "regenerate")]
    regenerate();
}

#[cfg(feature = "regenerate")]
fn regenerate() {
    const SPEC: &str = "spec/connectors.yaml";
    println!("cargo::rerun-if-changed={SPEC}");
    match clientsmith::Config::new(SPEC)
        .out_dir("generated")
        .generate()
    {
        Ok(summary) => {
            // What the generator read irregularly or left out, each cause once; cargo shows
            // each line as a warning of the build.
            if !summary.warnings.is_empty() {
                for line in summary.warnings.to_string().lines() {
                    println!("cargo::warning={line}");
                }
            }
            for path in &summary.written {
                println!("cargo::warning=regenerated {}", path.display());
            }
            // What the edit changes for code that calls the client, a line per change.
            if let Some(changes) = &summary.changes {
                for line in changes.to_string().lines() {
                    println!("cargo::warning={line}");
                }
            }
        }
        Err(error) => {
            // Each line separately, so cargo shows the whole diagnostic.
            for line in error.to_string().lines() {
                println!("cargo::error={line}");
            }
            std::process::exit(1);
        }
    }
}
