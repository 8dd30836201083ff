//! Runs progenitor and this project's generator on the same documents, in one process, and
//! prints for each document: generation time (median of several runs), lines of generated code
//! and `cargo check` time of the generated crate, each with the ratio ours / progenitor.
//!
//! ```sh
//! cargo run --release --manifest-path bench/compare/Cargo.toml                # everything
//! cargo run --release --manifest-path bench/compare/Cargo.toml -- --no-check   # no cargo check
//! cargo run --release --manifest-path bench/compare/Cargo.toml -- --only corpus/oai
//! cargo run --release --manifest-path bench/compare/Cargo.toml -- --synthetic 1000,10000 --ours-only
//! ```
//!
//! Options: `--runs N` generation runs per document at least (default 5; a small document runs
//! as often as fits in a second, up to 200 times; the median is printed), `--no-check` skips
//! `cargo check`, `--check-runs N` checks each crate N times (default 3), `--only TEXT` keeps
//! the documents whose name contains `TEXT`, `--synthetic N,N` checks synthetic documents of
//! these sizes instead of the default set, `--ours-only` leaves progenitor out, `--work DIR` is
//! where the generated crates and their target directory go (default
//! `bench/compare/target/work`, kept between runs so that the dependencies are compiled once;
//! the crates are rewritten on every run).
//!
//! What is timed. Generation: from the document's text to formatted Rust files in memory,
//! nothing written. Ours is `Config::render_str` (load with located errors, model, emit,
//! prettyplease) with `Config::server(false)`: a client, as progenitor generates. Progenitor's
//! is what its build-script recipe does: `serde_yaml`/`serde_json` into `openapiv3`,
//! `Generator::generate_tokens`, then `prettyplease`. The two alternate run by run on each
//! document, so that the machine's drift weighs on both alike. `cargo check`: each
//! generated crate is written into one workspace (`--work`) that shares a target directory; the
//! dependencies of each generator's crates are checked first (a crate with the same
//! `Cargo.toml` and an empty `lib.rs`), so the timed `cargo check -p NAME` compiles only the
//! generated crate. `CARGO_INCREMENTAL=0`, so each check does the whole work once. Each crate
//! is checked `--check-runs` times (default 3), in turn with the other generator's crate of the
//! same document, its `lib.rs` touched before each run; the median is printed. The same goes
//! for the empty crates whose check is the floor of each generator's crates.
//!
//! Lines: every line of the `.rs` files the crate compiles by default. Each generator keeps its
//! runtime in a dependency (ours in `clientsmith-runtime`, the workspace's `runtime/`, which our
//! crates name by path, as `clientsmith generate --runtime-path` writes them; progenitor's in
//! `progenitor-client`), so neither count includes it, and the runtime is checked with the
//! dependencies, before the floor. Our crates are generated without `server.rs`
//! (`clientsmith generate --no-server`).
//!
//! Progenitor panics on some input: each call runs under `catch_unwind`, and a document it
//! refuses or panics on is listed as such.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The dependencies of a progenitor crate: what `cargo progenitor` writes, plus what any
/// document may need (`chrono`, `uuid`, `regress`), the same for every crate so that they are
/// compiled once.
const PROGENITOR_DEPENDENCIES: &str = r#"bytes = "1"
chrono = { version = "0.4", default-features = false, features = ["serde"] }
futures = "0.3"
progenitor-client = "0.15.1"
regress = "0.10"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1.0", features = ["derive"] }
serde_json = "1.0"
serde_urlencoded = "0.7"
uuid = { version = "1", features = ["serde", "v4"] }
"#;

struct Options {
    runs: usize,
    check: bool,
    check_runs: usize,
    only: Option<String>,
    synthetic: Option<Vec<usize>>,
    progenitor: bool,
    work: Option<PathBuf>,
}

fn options() -> Options {
    let mut options = Options {
        runs: 5,
        check: true,
        check_runs: 3,
        only: None,
        synthetic: None,
        progenitor: true,
        work: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("`{arg}` needs a value")))
        };
        match arg.as_str() {
            "--runs" => {
                options.runs = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--runs takes a number"))
            }
            "--no-check" => options.check = false,
            "--check-runs" => {
                options.check_runs = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--check-runs takes a number"))
            }
            "--only" => options.only = Some(value()),
            "--synthetic" => {
                options.synthetic = Some(
                    value()
                        .split(',')
                        .map(|n| {
                            n.replace('_', "")
                                .parse()
                                .unwrap_or_else(|_| usage("--synthetic takes numbers"))
                        })
                        .collect(),
                )
            }
            "--ours-only" => options.progenitor = false,
            "--work" => options.work = Some(PathBuf::from(value())),
            _ => usage(&format!("unknown argument `{arg}`")),
        }
    }
    options.runs = options.runs.max(1);
    options.check_runs = options.check_runs.max(1);
    options
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "{problem}\nusage: compare [--runs N] [--no-check] [--check-runs N] [--only TEXT] [--synthetic N,N] [--ours-only] [--work DIR]"
    );
    std::process::exit(2)
}

/// A document to compare on.
struct Input {
    name: String,
    path: PathBuf,
    text: String,
}

fn inputs(options: &Options) -> Vec<Input> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs = Vec::new();
    let synthetic = |operations: usize| Input {
        name: format!("synthetic-{operations}"),
        path: PathBuf::from(format!("synthetic-{operations}.yaml")),
        text: clientsmith::internals::synthetic::document(operations),
    };
    if let Some(sizes) = &options.synthetic {
        inputs.extend(sizes.iter().map(|&n| synthetic(n)));
    } else {
        let mut paths = vec![
            (
                String::from("connectors"),
                root.join("spec/connectors.yaml"),
            ),
            (
                String::from("graph-slice"),
                root.join("../shared/specs/graph-beta-connectors.yaml"),
            ),
        ];
        let corpus = root.join("../shared/specs/corpus");
        match std::fs::read_dir(&corpus) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        matches!(
                            p.extension().and_then(|e| e.to_str()),
                            Some("yaml" | "yml" | "json")
                        )
                    })
                    .collect();
                files.sort();
                for file in files {
                    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
                    paths.push((format!("corpus/{stem}"), file));
                }
            }
            Err(error) => eprintln!(
                "note: no corpus at {} ({error}); skipping it",
                corpus.display()
            ),
        }
        for (name, path) in paths {
            match std::fs::read_to_string(&path) {
                Ok(text) => inputs.push(Input { name, path, text }),
                Err(error) => {
                    eprintln!(
                        "note: skipping `{name}`: cannot read {} ({error})",
                        path.display()
                    )
                }
            }
        }
        inputs.push(synthetic(1_000));
    }
    if let Some(only) = &options.only {
        inputs.retain(|input| input.name.contains(only.as_str()));
    }
    inputs
}

/// What one generator made of one document.
enum Outcome {
    /// Files (path relative to the crate -> text) and the median generation time.
    Generated {
        files: Vec<(String, String)>,
        time: Duration,
    },
    /// It refused the document (an error) or panicked on it.
    Failed(String),
}

impl Outcome {
    fn lines(&self) -> Option<usize> {
        match self {
            Outcome::Generated { files, .. } => Some(
                files
                    .iter()
                    .filter(|(path, _)| path.ends_with(".rs"))
                    .map(|(_, text)| text.lines().count())
                    .sum(),
            ),
            Outcome::Failed(_) => None,
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The most generation runs of one document.
const MAX_RUNS: usize = 200;

/// Files a generator made: path relative to the crate -> text.
type Generated = Vec<(String, String)>;

/// One generator's runs on one document: its last output and its median time, or why it
/// failed.
type Timing = Result<(Generated, Duration), String>;

/// Runs one generation under `catch_unwind`: its output and duration, or why it failed.
fn run_once(
    generate: &mut dyn FnMut() -> Result<Generated, String>,
) -> Result<(Generated, Duration), String> {
    let started = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(generate));
    let elapsed = started.elapsed();
    match result {
        Ok(Ok(files)) => Ok((files, elapsed)),
        Ok(Err(error)) => Err(error),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| String::from("(no message)"));
            Err(format!("panicked: {}", first_line(&message)))
        }
    }
}

/// Times both generators on one document, alternating run by run (and which one goes first),
/// so that the machine's drift over the seconds of the measurement weighs on both alike. Each
/// runs at least `runs` times, and more for a small document (up to a second, at most
/// [`MAX_RUNS`]): a median of five runs of a millisecond is mostly noise. A generator that
/// fails stops; the other goes on.
fn timed_pair(
    runs: usize,
    ours: &mut dyn FnMut() -> Result<Generated, String>,
    theirs: Option<&mut dyn FnMut() -> Result<Generated, String>>,
) -> (Timing, Option<Timing>) {
    #[derive(Default)]
    struct Side {
        times: Vec<Duration>,
        last: Option<Generated>,
        failed: Option<String>,
    }
    impl Side {
        fn record(&mut self, result: Result<(Generated, Duration), String>) {
            match result {
                Ok((files, time)) => {
                    self.times.push(time);
                    self.last = Some(files);
                }
                Err(error) => self.failed = Some(error),
            }
        }
        fn timing(self) -> Timing {
            match self.failed {
                Some(error) => Err(error),
                None => Ok((self.last.unwrap_or_default(), median(self.times))),
            }
        }
    }
    let mut our_side = Side::default();
    let mut theirs = theirs.map(|generate| (Side::default(), generate));
    let began = Instant::now();
    for round in 0.. {
        let wanted = |side: &Side| {
            side.failed.is_none()
                && (side.times.len() < runs
                    || (side.times.len() < MAX_RUNS && began.elapsed() < Duration::from_secs(1)))
        };
        let ours_due = wanted(&our_side);
        let theirs_due = theirs.as_ref().is_some_and(|(side, _)| wanted(side));
        if !ours_due && !theirs_due {
            break;
        }
        let mut run_theirs = || {
            if let Some((side, generate)) = theirs.as_mut() {
                side.record(run_once(*generate));
            }
        };
        if round % 2 == 1 && theirs_due {
            run_theirs();
        }
        if ours_due {
            our_side.record(run_once(ours));
        }
        if round % 2 == 0 && theirs_due {
            run_theirs();
        }
    }
    (our_side.timing(), theirs.map(|(side, _)| side.timing()))
}

/// Our generation of `input`, as timed: a client-only crate in memory.
fn ours_generate(input: &Input) -> impl FnMut() -> Result<Generated, String> + '_ {
    let config = clientsmith::Config::new(&input.path).server(false);
    move || {
        config
            .render_str(&input.text)
            .map(|files| files.into_iter().collect())
            .map_err(|e| first_line(&e.to_string()))
    }
}

/// Our outcome on `input`, from its timing.
fn ours(input: &Input, timing: Timing) -> Outcome {
    let time = match timing {
        Ok((_, time)) => time,
        Err(error) => return Outcome::Failed(error),
    };
    // The crate as `clientsmith generate` writes it, from the same pipeline (untimed).
    let files = (|| {
        let document = clientsmith::internals::load::parse(&input.path, &input.text)?;
        let api = clientsmith::internals::model::build(&document)?;
        let origin = clientsmith::internals::emit::Origin {
            spec: input.path.to_string_lossy().into_owned(),
            moves: document.moves.clone(),
        };
        let modules = clientsmith::internals::emit::module_files(
            &api,
            &origin,
            clientsmith::internals::emit::Modules { server: false },
        )?;
        let name = crate_name("ours", &input.name);
        let runtime = runtime_dir();
        Ok::<_, clientsmith::Error>(clientsmith::internals::emit::crate_files(
            &api,
            &origin,
            &name,
            clientsmith::internals::emit::INITIAL_VERSION,
            modules,
            clientsmith::internals::emit::RuntimeSource::Path(&runtime),
        ))
    })();
    match files {
        Ok(files) => Outcome::Generated {
            files: files.into_iter().collect(),
            time,
        },
        Err(error) => Outcome::Failed(first_line(&error.to_string())),
    }
}

/// Progenitor's generation of `input`, as its build-script recipe does it.
fn progenitor_generate(input: &Input) -> impl FnMut() -> Result<Generated, String> + '_ {
    let json = input.text.trim_start().starts_with('{');
    move || {
        let spec: openapiv3::OpenAPI = if json {
            serde_json::from_str(&input.text).map_err(|e| e.to_string())?
        } else {
            serde_yaml::from_str(&input.text).map_err(|e| e.to_string())?
        };
        let mut generator = progenitor::Generator::default();
        let tokens = generator
            .generate_tokens(&spec)
            .map_err(|e| first_line(&e.to_string()))?;
        let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
        Ok(vec![(
            String::from("src/lib.rs"),
            prettyplease::unparse(&file),
        )])
    }
}

/// Progenitor's outcome on `input`, from its timing.
fn progenitor(input: &Input, result: Timing) -> Outcome {
    match result {
        Ok((mut files, time)) => {
            files.push((
                String::from("Cargo.toml"),
                format!(
                    "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{PROGENITOR_DEPENDENCIES}",
                    crate_name("progenitor", &input.name)
                ),
            ));
            Outcome::Generated { files, time }
        }
        Err(error) => Outcome::Failed(error),
    }
}

/// The workspace's runtime crate, which every crate of ours depends on: compiled once, with
/// the dependencies.
fn runtime_dir() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runtime");
    std::fs::canonicalize(&dir)
        .unwrap_or(dir)
        .to_string_lossy()
        .into_owned()
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(100).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}

fn crate_name(generator: &str, document: &str) -> String {
    let name: String = document
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{generator}_{name}").to_ascii_lowercase()
}

/// The temporary workspace the crates are checked in.
struct Workspace {
    root: PathBuf,
    members: Vec<String>,
}

impl Workspace {
    fn new(root: PathBuf) -> Workspace {
        let _ = std::fs::remove_dir_all(root.join("crates"));
        std::fs::create_dir_all(root.join("crates")).expect("create the work directory");
        Workspace {
            root,
            members: Vec::new(),
        }
    }

    fn add(&mut self, name: &str, files: &[(String, String)]) {
        let dir = self.root.join("crates").join(name);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("a file in a directory"))
                .expect("create a crate directory");
            std::fs::write(&path, text).expect("write a generated file");
        }
        self.members.push(name.to_owned());
        self.write_manifest();
    }

    fn write_manifest(&self) {
        let mut manifest = String::from("[workspace]\nresolver = \"3\"\nmembers = [\n");
        for member in &self.members {
            let _ = writeln!(manifest, "    \"crates/{member}\",");
        }
        manifest.push_str("]\n");
        std::fs::write(self.root.join("Cargo.toml"), manifest).expect("write the workspace");
    }

    /// `cargo check` of each crate of `names`, `runs` times in turn (the first crate, the
    /// second, then the first again...), so that the machine's drift weighs on all alike:
    /// the median duration of each, or its first error (a crate that fails is not run again).
    fn check_alternating(&self, names: &[&str], runs: usize) -> Vec<Result<Duration, String>> {
        let mut times: Vec<Result<Vec<Duration>, String>> = vec![Ok(Vec::new()); names.len()];
        for _ in 0..runs {
            for (name, times) in names.iter().zip(&mut times) {
                if let Ok(list) = times {
                    self.touch(name);
                    match self.check(name) {
                        Ok(time) => list.push(time),
                        Err(error) => *times = Err(error),
                    }
                }
            }
        }
        times.into_iter().map(|times| times.map(median)).collect()
    }

    /// Marks the crate's `src/lib.rs` as changed now, so that cargo checks the crate again.
    fn touch(&self, name: &str) {
        let lib = self.root.join("crates").join(name).join("src/lib.rs");
        std::fs::File::options()
            .append(true)
            .open(&lib)
            .and_then(|file| file.set_modified(std::time::SystemTime::now()))
            .expect("touch a crate's lib.rs");
    }

    /// `cargo check -p name`: its duration, or the first error line.
    fn check(&self, name: &str) -> Result<Duration, String> {
        let started = Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["check", "--quiet", "--message-format=short", "-p", name])
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo");
        let elapsed = started.elapsed();
        if output.status.success() {
            Ok(elapsed)
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let line = stderr
                .lines()
                .find(|l| l.contains("error"))
                .unwrap_or("cargo check failed");
            Err(first_line(line))
        }
    }
}

fn ratio(ours: Option<f64>, theirs: Option<f64>) -> String {
    match (ours, theirs) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => String::from("-"),
    }
}

fn milliseconds(time: Option<Duration>) -> String {
    time.map_or_else(
        || String::from("-"),
        |t| format!("{:.2}", t.as_secs_f64() * 1000.0),
    )
}

fn seconds(time: Option<Duration>) -> String {
    time.map_or_else(|| String::from("-"), |t| format!("{:.3}", t.as_secs_f64()))
}

fn main() {
    let options = options();
    // Panics are caught and reported in the table; the default hook would print each one.
    std::panic::set_hook(Box::new(|_| {}));
    let inputs = inputs(&options);
    let work = options
        .work
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/work"));
    let mut workspace = Workspace::new(work.clone());

    // Generation, for every document first: no cargo runs meanwhile.
    struct Row {
        name: String,
        ours: Outcome,
        theirs: Option<Outcome>,
    }
    let mut rows = Vec::new();
    for input in &inputs {
        let runs = if input.text.len() > 1_000_000 {
            options.runs.min(3)
        } else {
            options.runs
        };
        eprintln!("generating {} ({} runs each)", input.name, runs);
        let mut our_generate = ours_generate(input);
        let mut their_generate = progenitor_generate(input);
        let (our_timing, their_timing) = timed_pair(
            runs,
            &mut our_generate,
            options
                .progenitor
                .then_some(&mut their_generate as &mut dyn FnMut() -> _),
        );
        let ours = ours(input, our_timing);
        let theirs = their_timing.map(|timing| progenitor(input, timing));
        rows.push(Row {
            name: input.name.clone(),
            ours,
            theirs,
        });
    }

    // `cargo check`: dependencies first, then each generated crate.
    // Each generator's `cargo check` of each document: its time or its first error.
    type Check = Option<Result<Duration, String>>;
    let mut checks: Vec<(Check, Check)> = Vec::new();
    // `cargo check` of each empty crate once its dependencies are built: what any generated
    // crate with those dependencies pays before its first line.
    let mut floors: Vec<(&str, Result<Duration, String>)> = Vec::new();
    if options.check {
        eprintln!(
            "checking the dependencies of the generated crates in {}",
            work.display()
        );
        // A crate with the `Cargo.toml` of our crates (the same for every document) and no code:
        // checking it checks the runtime crate too.
        let manifest = rows.iter().find_map(|row| match &row.ours {
            Outcome::Generated { files, .. } => files
                .iter()
                .find(|(path, _)| path == "Cargo.toml")
                .map(|(_, text)| text.clone()),
            Outcome::Failed(_) => None,
        });
        let manifest = manifest.unwrap_or_default();
        let manifest = manifest
            .lines()
            .map(|line| {
                if line.starts_with("name = ") {
                    String::from("name = \"ours_dependencies\"")
                } else {
                    line.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let empty_ours = vec![
            (String::from("Cargo.toml"), manifest),
            (String::from("src/lib.rs"), String::new()),
        ];
        workspace.add("ours_dependencies", &empty_ours);
        if let Err(error) = workspace.check("ours_dependencies") {
            eprintln!("error: the dependencies of our crates do not build: {error}");
            std::process::exit(1);
        }
        if options.progenitor {
            let empty = vec![
                (String::from("src/lib.rs"), String::new()),
                (
                    String::from("Cargo.toml"),
                    format!(
                        "[package]\nname = \"progenitor_dependencies\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{PROGENITOR_DEPENDENCIES}"
                    ),
                ),
            ];
            workspace.add("progenitor_dependencies", &empty);
            if let Err(error) = workspace.check("progenitor_dependencies") {
                eprintln!("error: the dependencies of progenitor's crates do not build: {error}");
                std::process::exit(1);
            }
        }
        let empty: &[&str] = if options.progenitor {
            &["ours_dependencies", "progenitor_dependencies"]
        } else {
            &["ours_dependencies"]
        };
        eprintln!(
            "cargo check of the empty crates, {} runs each",
            options.check_runs
        );
        floors = empty
            .iter()
            .copied()
            .zip(workspace.check_alternating(empty, options.check_runs))
            .collect();
        for row in &rows {
            // Each generator's crate, when it generated one: checked in turn, run after run.
            let mut names = Vec::new();
            for (generator, outcome) in [
                ("ours", Some(&row.ours)),
                ("progenitor", row.theirs.as_ref()),
            ] {
                if let Some(Outcome::Generated { files, .. }) = outcome {
                    let name = crate_name(generator, &row.name);
                    workspace.add(&name, files);
                    names.push((generator, name));
                }
            }
            let list: Vec<&str> = names.iter().map(|(_, name)| name.as_str()).collect();
            eprintln!(
                "cargo check -p {}, {} runs each",
                list.join(" -p "),
                options.check_runs
            );
            let mut times = workspace
                .check_alternating(&list, options.check_runs)
                .into_iter();
            let mut check = (None, None);
            for (generator, _) in &names {
                let time = times.next();
                if *generator == "ours" {
                    check.0 = time;
                } else {
                    check.1 = time;
                }
            }
            checks.push(check);
        }
    } else {
        checks.resize_with(rows.len(), || (None, None));
    }

    // The table.
    println!(
        "{:<44} {:>11} {:>11} {:>6} | {:>8} {:>8} {:>6} | {:>8} {:>8} {:>6}",
        "document",
        "gen ours ms",
        "gen prog ms",
        "ratio",
        "lines",
        "prog",
        "ratio",
        "chk ours",
        "chk prog",
        "ratio"
    );
    let mut failures = Vec::new();
    for (row, (check_ours, check_theirs)) in rows.iter().zip(checks) {
        let ours_time = match &row.ours {
            Outcome::Generated { time, .. } => Some(*time),
            Outcome::Failed(error) => {
                failures.push(format!("{}: ours refused it: {error}", row.name));
                None
            }
        };
        let theirs_time = match &row.theirs {
            Some(Outcome::Generated { time, .. }) => Some(*time),
            Some(Outcome::Failed(error)) => {
                failures.push(format!(
                    "{}: progenitor cannot handle it: {error}",
                    row.name
                ));
                None
            }
            None => None,
        };
        let ours_lines = row.ours.lines();
        let theirs_lines = row.theirs.as_ref().and_then(Outcome::lines);
        let mut check_time = |check: Option<Result<Duration, String>>, who: &str| match check {
            Some(Ok(time)) => Some(time),
            Some(Err(error)) => {
                failures.push(format!(
                    "{}: {who}'s crate does not compile: {error}",
                    row.name
                ));
                None
            }
            None => None,
        };
        let check_ours = check_time(check_ours, "our");
        let check_theirs = check_time(check_theirs, "progenitor");
        let float = |n: Option<usize>| n.map(|n| n as f64);
        println!(
            "{:<44} {:>11} {:>11} {:>6} | {:>8} {:>8} {:>6} | {:>8} {:>8} {:>6}",
            row.name,
            milliseconds(ours_time),
            milliseconds(theirs_time),
            ratio(
                ours_time.map(|t| t.as_secs_f64()),
                theirs_time.map(|t| t.as_secs_f64())
            ),
            ours_lines.map_or_else(|| String::from("-"), |n| n.to_string()),
            theirs_lines.map_or_else(|| String::from("-"), |n| n.to_string()),
            ratio(float(ours_lines), float(theirs_lines)),
            seconds(check_ours),
            seconds(check_theirs),
            ratio(
                check_ours.map(|t| t.as_secs_f64()),
                check_theirs.map(|t| t.as_secs_f64())
            ),
        );
    }
    if !floors.is_empty() {
        println!();
        for (name, floor) in &floors {
            match floor {
                Ok(time) => println!(
                    "{name}: cargo check of an empty crate with these dependencies: {:.3} s",
                    time.as_secs_f64()
                ),
                Err(error) => println!("{name}: {error}"),
            }
        }
    }
    if !failures.is_empty() {
        println!();
        for failure in failures {
            println!("{failure}");
        }
    }
}
