//! Measures slicing at scale: the synthetic Graph-like document with N operations (10,000 by
//! default) is written to a temporary file, loaded once, sliced down to one collection, and the
//! slice is modelled and emitted. Prints wall time and heap figures for each phase, beside the
//! time `serde_yaml` alone takes to read the document into `openapiv3` types.
//!
//! ```sh
//! cargo run --release -p clientsmith --example slice_scale            # 10,000 operations
//! cargo run --release -p clientsmith --example slice_scale -- 1000 --full
//! ```
//!
//! `--full` also models and emits the whole document, for comparison. Heap figures come from a
//! counting global allocator: "peak" is the highest heap in use during the phase, "+peak" how
//! far above the heap at the start of the phase it went.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use clientsmith::internals::{emit, load, model, slice, synthetic};

/// Counts the bytes in use and the highest count since the last reset.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(pointer, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = CURRENT.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// CPU time of this process (user + system) in milliseconds, from `/proc/self/stat` (Linux,
/// in clock ticks of 10 ms); `None` elsewhere.
fn cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some((user + system) * 10)
}

/// Runs `f`, printing its wall and CPU time, the heap peak during it and how far above the
/// start the peak went.
fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start_heap = CURRENT.load(Ordering::Relaxed);
    PEAK.store(start_heap, Ordering::Relaxed);
    let start_cpu = cpu_ms();
    let start = Instant::now();
    let value = f();
    let elapsed = start.elapsed();
    let cpu = match (start_cpu, cpu_ms()) {
        (Some(before), Some(after)) => format!("{:>6} ms cpu", after.saturating_sub(before)),
        _ => String::from("     - ms cpu"),
    };
    let peak = PEAK.load(Ordering::Relaxed);
    println!(
        "{name:<34} {:>9.1} ms  {cpu}   peak {:>8.1} MiB   +peak {:>8.1} MiB   after {:>8.1} MiB",
        elapsed.as_secs_f64() * 1000.0,
        mib(peak),
        mib(peak - start_heap),
        mib(CURRENT.load(Ordering::Relaxed)),
    );
    value
}

fn main() -> Result<(), clientsmith::Error> {
    let mut operations = 10_000;
    let mut full = false;
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--full" => full = true,
            number => {
                operations = number.parse().map_err(|_| {
                    clientsmith::Error::new(
                        clientsmith::ErrorKind::Invalid,
                        format!("`{number}` is not a number of operations"),
                    )
                })?
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("slice-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| clientsmith::Error::io(&dir, &e))?;
    let path = dir.join("synthetic.yaml");

    let text = phase("synthesize", || synthetic::document(operations));
    println!(
        "document: {operations} operations, {:.1} MiB of YAML",
        mib(text.len())
    );
    std::fs::write(&path, &text).map_err(|e| clientsmith::Error::io(&path, &e))?;
    // The YAML parser's own time, for comparison with `load`, which adds the checks that
    // locate errors and bound resources (nesting, aliases, duplicate keys, empty enums).
    let baseline = phase("baseline: serde_yaml into openapiv3", || {
        serde_yaml::from_str::<openapiv3::OpenAPI>(&text)
    });
    match baseline {
        Ok(api) => drop(api),
        Err(error) => println!("the baseline parse failed: {error}"),
    }
    drop(text);

    let document = phase("load (read + parse)", || {
        load::load_with_limit(&path, u64::MAX)
    })?;
    let schemas = document
        .api
        .components
        .as_ref()
        .map_or(0, |c| c.schemas.len());
    println!(
        "loaded: {} paths, {schemas} component schemas",
        document.api.paths.paths.len()
    );
    let collection = document
        .api
        .paths
        .paths
        .keys()
        .next()
        .cloned()
        .unwrap_or_else(|| String::from("/"));
    let pattern = format!("{collection}/**");
    println!("slice: --include '{pattern}'");

    let origin = emit::Origin {
        spec: String::from("synthetic.yaml"),
        ..emit::Origin::default()
    };
    let selection = slice::Selection::new().include(pattern);
    let naming = phase("names of the whole document", || {
        slice::naming(&document.api)
    })?;
    let sliced = phase("select (prune)", || {
        slice::select(&document.api, &selection)
    })?;
    println!(
        "kept: {} paths, {} component schemas",
        sliced.paths.paths.len(),
        sliced.components.as_ref().map_or(0, |c| c.schemas.len())
    );
    let api = phase("model of the slice", || {
        model::build_named(&sliced, Some(&naming))
    })?;
    let files = phase("emit of the slice", || {
        emit::module_files(&api, &origin, emit::Modules::default())
    })?;
    println!(
        "emitted: {} types, {} operations, {:.1} KiB of Rust",
        api.types.len(),
        api.operations.len(),
        files.values().map(String::len).sum::<usize>() as f64 / 1024.0
    );
    let names = phase("names recorded for a written slice", || {
        slice::naming_for(&naming, &sliced)
    })?;
    println!("recorded names: {}", names.map_or(0, |names| names.len()));
    let written = phase("slice to YAML", || {
        slice::to_text(&sliced, std::path::Path::new("slice.yaml"))
    })?;
    println!("slice: {:.1} KiB of YAML", written.len() as f64 / 1024.0);

    if full {
        let api = phase("model of the whole document", || {
            model::build_named(&document.api, None)
        })?;
        let files = phase("emit of the whole document", || {
            emit::module_files(&api, &origin, emit::Modules::default())
        })?;
        println!(
            "whole: {} types, {} operations, {:.1} MiB of Rust",
            api.types.len(),
            api.operations.len(),
            mib(files.values().map(String::len).sum::<usize>())
        );
    }
    phase("free the whole document", || drop(document));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
