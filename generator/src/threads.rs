//! The threads the pipeline runs on: one pool per process, started on first use and kept.
//!
//! Every stage runs on a thread with a [`PIPELINE_STACK`] stack, whatever the caller's own, and
//! formatting spreads a module's parts over the machine's threads. Starting those threads for
//! each document cost a small one a quarter of its generation time: the stacks mapped and
//! unmapped, and a fresh allocator arena on each new thread, paid again in page faults. Kept
//! threads pay that once.

use std::sync::OnceLock;

/// The stack the pipeline runs on, whatever the caller's own (2 MiB on spawned threads):
/// the deepest document the limits let through (128 levels of nesting for the parsers, 64
/// levels of schemas for the model) needs 4 MiB in a debug build; this leaves a wide margin
/// for sanitizers and future frames. Only touched pages cost memory.
pub(crate) const PIPELINE_STACK: usize = 64 * 1024 * 1024;

/// The pool, or `None` when no thread could be started: everything then runs on the
/// caller's thread.
fn pool() -> Option<&'static rayon_core::ThreadPool> {
    static POOL: OnceLock<Option<rayon_core::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon_core::ThreadPoolBuilder::new()
            .num_threads(machine_threads())
            .stack_size(PIPELINE_STACK)
            .thread_name(|index| format!("generator-{index}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// How many threads the machine runs at once, read once per process: on Linux the standard
/// library reads it from the process's cgroup files on every call.
fn machine_threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `f` on a pool thread and waits for it; runs it in place when this is a pool thread
/// already, or when the pool could not start.
pub(crate) fn with_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match pool() {
        Some(pool) if pool.current_thread_index().is_none() => pool.install(f),
        _ => f(),
    }
}

/// Runs `work` on up to as many threads as the machine has (the pool's, this one's place
/// included) and returns when every run has returned: each run is expected to take shares of
/// a common list until none is left, so a thread that starts late finds less or nothing.
pub(crate) fn share(work: impl Fn() + Sync) {
    let Some(pool) = pool() else {
        work();
        return;
    };
    let helpers = pool.current_num_threads().saturating_sub(1);
    pool.in_place_scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(|_| work());
        }
        work();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_pipeline_runs_on_a_deep_stack_from_a_shallow_one() {
        // Recursion that needs more than the 2 MiB of a spawned thread's default stack.
        fn depth(n: u32) -> u32 {
            let frame = std::hint::black_box([0u8; 1024]);
            if n == 0 {
                u32::from(frame[0])
            } else {
                depth(n - 1) + 1 + u32::from(frame[n as usize % 1024])
            }
        }
        let deep = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| with_stack(|| depth(8 * 1024)))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(deep, 8 * 1024);
    }

    #[test]
    fn nested_calls_run_in_place() {
        let outer = with_stack(|| {
            let here = std::thread::current().id();
            with_stack(move || std::thread::current().id() == here)
        });
        assert!(outer);
    }

    #[test]
    fn every_share_is_taken_once() {
        let next = AtomicUsize::new(0);
        let taken: Vec<AtomicUsize> = (0..1000).map(|_| AtomicUsize::new(0)).collect();
        share(|| {
            while let Some(cell) = taken.get(next.fetch_add(1, Ordering::Relaxed)) {
                cell.fetch_add(1, Ordering::Relaxed);
            }
        });
        assert!(taken.iter().all(|cell| cell.load(Ordering::Relaxed) == 1));
    }
}
