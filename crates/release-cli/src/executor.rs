//! The shell executor of `release run`, and how the steps it starts end.
//!
//! - **Process groups.** Each step's command starts in a process group of
//!   its own (`CommandExt::process_group(0)`), whose id is the command's
//!   pid, so that ending a step ends everything it started in that group.
//! - **Stopping the run.** On SIGTERM or SIGINT `release run` stops
//!   starting steps, sends SIGTERM to the process group of every running
//!   step, waits the grace period (`--grace`, 5 s by default), then sends
//!   SIGKILL to each group still there. The steps it ended are recorded as
//!   `interrupted` (they run again on `--resume`, as after a crash) and the
//!   command exits 1. A second signal skips the rest of the grace period.
//! - **SIGKILL of `release` itself** cannot be handled. On Linux each step's
//!   command is started with a parent-death signal (`PR_SET_PDEATHSIG`,
//!   SIGKILL), so the kernel kills it when `release` dies. It reaches the
//!   command's own process only: what the command started in the
//!   background may go on, and so may the command itself on other
//!   platforms, which have no parent-death signal. Either way `--resume`
//!   finds out: each `started` event records the command's pid and (on
//!   Linux) its start time, and a resume refuses to start a step again
//!   while its previous process, or any process left in its group, runs.
//! - **Timeouts.** A step's `timeout` (or the process's `default_timeout`)
//!   bounds each attempt: when it is up the step's group gets SIGTERM, then
//!   SIGKILL after the grace period, and the attempt fails with "timed out
//!   after 30m".
//!
//! Tests and scripts find the run's pid in each step's environment as
//! `RELEASE_RUN_PID`, so that a step can signal (or SIGKILL) the run at a
//! chosen point, deterministically.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::io;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use release_core::duration::Span;
use release_core::pipeline::Step;
use release_core::run::{ConcurrentExecutor, Outcome, Task, TaskProcess};

use crate::file_edits::{Change, Editor};

/// How long a step has between SIGTERM and SIGKILL when the run stops or
/// its timeout is up, unless `--grace` says otherwise.
pub const DEFAULT_GRACE: Span = Span::seconds_of(5);

/// How often a waiting executor thread looks at its command, the clock and
/// the stop flag.
const POLL: Duration = Duration::from_millis(20);

/// Set when `release run` receives SIGTERM or SIGINT; every executor thread
/// and the run's clock look at it.
#[derive(Debug, Default)]
pub struct Stopper {
    /// The first signal received, if any.
    signal: Mutex<Option<i32>>,
    /// Woken when a signal arrives, so that a sleeping run clock returns.
    woken: Condvar,
    /// How many signals arrived (a second one skips the grace period).
    count: AtomicUsize,
}

/// The error with which the run's observer stops the driver once a signal
/// asked the run to stop.
#[derive(Debug)]
pub struct Stopped(pub i32);

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stopped by {}", signal_name(self.0))
    }
}

impl std::error::Error for Stopped {}

/// `SIGTERM`, `SIGINT`, or the number.
pub fn signal_name(signal: i32) -> String {
    match signal {
        SIGTERM => "SIGTERM".to_owned(),
        SIGINT => "SIGINT".to_owned(),
        n => format!("signal {n}"),
    }
}

impl Stopper {
    /// Catches SIGTERM and SIGINT from now on (a thread of its own waits
    /// for them) and returns the flag they set.
    ///
    /// # Errors
    ///
    /// When the handlers cannot be installed.
    #[cfg(unix)]
    pub fn install() -> io::Result<Arc<Stopper>> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let stopper = Arc::new(Stopper::default());
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT])?;
        let flag = Arc::clone(&stopper);
        std::thread::Builder::new()
            .name("release-signals".to_owned())
            .spawn(move || {
                for signal in signals.forever() {
                    flag.stop(signal);
                }
            })?;
        Ok(stopper)
    }

    /// Without Unix signals, a flag that is never set.
    #[cfg(not(unix))]
    pub fn install() -> io::Result<Arc<Stopper>> {
        Ok(Arc::new(Stopper::default()))
    }

    /// Records `signal` and wakes the sleepers.
    pub fn stop(&self, signal: i32) {
        let mut first = self.signal.lock().unwrap_or_else(PoisonError::into_inner);
        first.get_or_insert(signal);
        self.count.fetch_add(1, Ordering::SeqCst);
        self.woken.notify_all();
    }

    /// The signal that asked the run to stop, if one did.
    pub fn signal(&self) -> Option<i32> {
        *self.signal.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a second signal asked to skip the grace period.
    fn urgent(&self) -> bool {
        self.count.load(Ordering::SeqCst) > 1
    }

    /// Sleeps for `wait`, or until a signal arrives.
    pub fn sleep(&self, wait: Duration) {
        let deadline = Instant::now() + wait;
        let mut signal = self.signal.lock().unwrap_or_else(PoisonError::into_inner);
        while signal.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            signal = self
                .woken
                .wait_timeout(signal, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// A step's `metadata.env`: a table of strings.
pub fn step_env(step: &Step) -> Result<BTreeMap<String, String>> {
    let Some(value) = step.details.metadata.get("env") else {
        return Ok(BTreeMap::new());
    };
    let Some(table) = value.as_object() else {
        bail!("metadata.env must be a table of strings, not {value}");
    };
    table
        .iter()
        .map(|(k, v)| match v.as_str() {
            Some(s) => Ok((k.clone(), s.to_owned())),
            None => bail!("metadata.env.{k} must be a string, not {v}"),
        })
        .collect()
}

/// A command started by [`ShellExecutor::launch`], waiting for its
/// executor call.
#[derive(Debug)]
enum Launched {
    Running(Child),
    /// A step with file edits and no command: nothing runs once the edits
    /// are written.
    EditsOnly,
    /// It could not start: the failure's message.
    Failed(String),
}

/// Runs a step's `command` as an argument list: `argv[0]` looked up on
/// PATH and exec'd with its arguments as they are, so no step data is ever
/// interpolated (the gate's constant wrapper passes them as `"$@"`: see
/// [`ShellExecutor::open_gate`]). The environment is explicit: PATH and HOME from the
/// CLI's own environment, `RELEASE_TASK` (the task id),
/// `RELEASE_ATTEMPT`, `RELEASE_RUN_PID` (the pid of `release run`), the
/// task's context (`RELEASE_VERSION`, `RELEASE_TAG`,
/// `RELEASE_COMPONENT_<NAME>_TAG`, ...: `release_core::run::env_name` of
/// each value, see the README), and the step's `metadata.env` table. The
/// command's placeholders (`{tag}`) are replaced by the core, one argument
/// at a time. Standard input is closed; the command's
/// output goes to stderr, so stdout keeps the summary (or the `--json`
/// document). See the module's documentation for process groups, stopping
/// and timeouts.
#[derive(Debug)]
pub struct ShellExecutor {
    base: Vec<(String, OsString)>,
    grace: Duration,
    stopper: Arc<Stopper>,
    /// Commands started on the driver's thread, by task id.
    launched: Mutex<HashMap<String, Launched>>,
    /// Tasks whose command the stop ended: their outcome is not theirs.
    stopped: Mutex<HashSet<String>>,
    /// A directory of this run's own (mode 0700) for the steps'
    /// `RELEASE_OUTPUT` files; removed when the executor is dropped.
    outputs: Option<std::path::PathBuf>,
    /// Makes the steps' file edits (`[[steps.edits]]`), when the run has
    /// a process file.
    editor: Option<Editor>,
    /// Each launched task's file changes, computed at launch and written
    /// just before its command may run, by task id.
    pending: Mutex<HashMap<String, Vec<Change>>>,
    /// The files each task's edits wrote and left unchanged, by task id.
    edited: Mutex<HashMap<String, Edited>>,
}

/// The files a task's edits wrote, and those they left unchanged.
type Edited = (Vec<String>, Vec<String>);

impl Drop for ShellExecutor {
    fn drop(&mut self) {
        if let Some(dir) = &self.outputs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl ShellExecutor {
    /// An executor taking PATH and HOME from this process's environment.
    pub fn from_environment(grace: Span, stopper: Arc<Stopper>) -> ShellExecutor {
        let base = ["PATH", "HOME"]
            .into_iter()
            .filter_map(|k| std::env::var_os(k).map(|v| (k.to_owned(), v)))
            .collect();
        ShellExecutor {
            base,
            grace: Duration::from_secs(grace.seconds()),
            stopper,
            launched: Mutex::new(HashMap::new()),
            stopped: Mutex::new(HashSet::new()),
            outputs: outputs_dir(),
            editor: None,
            pending: Mutex::new(HashMap::new()),
            edited: Mutex::new(HashMap::new()),
        }
    }

    /// This executor, making the steps' file edits with `editor` before
    /// their commands.
    pub fn with_editor(mut self, editor: Editor) -> ShellExecutor {
        self.editor = Some(editor);
        self
    }

    /// What `task` starts as: its file changes computed (a refused edit
    /// fails the task, and nothing is written), then its command spawned,
    /// waiting at the gate.
    fn prepare(&self, task: &Task<'_>) -> Launched {
        let edits = self.editor.as_ref().filter(|_| Editor::edits(task));
        if let Some(editor) = edits {
            match editor.changes(task, &HashMap::new()) {
                Ok(changes) => {
                    lock(&self.pending).insert(task.id.to_owned(), changes);
                }
                Err(message) => return Launched::Failed(message),
            }
            if task.command().is_none() {
                return Launched::EditsOnly;
            }
        }
        match self.spawn(task) {
            Ok(child) => Launched::Running(child),
            Err(message) => {
                lock(&self.pending).remove(task.id);
                Launched::Failed(message)
            }
        }
    }

    /// `outcome` saying which files `task`'s edits wrote.
    fn with_edited(&self, task: &Task<'_>, outcome: Outcome) -> Outcome {
        let Some((written, unchanged)) = lock(&self.edited).remove(task.id) else {
            return outcome;
        };
        let mut said = Vec::new();
        if !written.is_empty() {
            said.push(format!("edited {}", written.join(", ")));
        }
        if !unchanged.is_empty() {
            said.push(format!("unchanged {}", unchanged.join(", ")));
        }
        let said = said.join("; ");
        let message = match (&outcome.message, outcome.is_success()) {
            (Some(m), true) => format!("{m}; {said}"),
            (None, true) => said,
            (Some(m), false) => format!("{m} ({said} before the command)"),
            (None, false) => format!("failed ({said} before the command)"),
        };
        outcome.message(message)
    }

    /// Where `task` writes its outputs: one file per task and attempt in
    /// the run's own directory.
    fn output_file(&self, task: &Task<'_>) -> Option<std::path::PathBuf> {
        let name: String = task
            .id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        self.outputs
            .as_ref()
            .map(|d| d.join(format!("{name}.{}.out", task.attempt)))
    }

    /// `outcome` with the outputs `task` wrote, as `output` facts; a
    /// failure naming the line when the file has a bad one (nothing of it
    /// is recorded). A failed step's outputs are dropped.
    fn with_outputs(&self, task: &Task<'_>, outcome: Outcome) -> Outcome {
        let Some(path) = self.output_file(task) else {
            return outcome;
        };
        let text = std::fs::read(&path);
        let _ = std::fs::remove_file(&path);
        let Ok(bytes) = text else { return outcome };
        if !outcome.is_success() || bytes.is_empty() {
            return outcome;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return Outcome::failure("RELEASE_OUTPUT is not UTF-8; nothing of it was recorded");
        };
        match release_core::run::parse_outputs(task.id, &text) {
            Ok(facts) => {
                let mut outcome = outcome;
                outcome.facts.extend(facts);
                outcome
            }
            Err(e) => Outcome::failure(format!("{e}; nothing of it was recorded")),
        }
    }

    /// Starts `task`'s command now, on the calling thread, and returns its
    /// process for the `started` event; [`execute`](ConcurrentExecutor::execute)
    /// then waits for it.
    ///
    /// `release run` calls this from its observer on the driver's thread,
    /// which lives as long as the run: Linux's parent-death signal fires
    /// when the *thread* that started a child ends, not the process, so a
    /// command started on a short-lived thread would be killed with it.
    /// (The executor's own scoped threads would do too, since each waits
    /// for its command; the driver's thread is simply the one that is sure
    /// to.) The command waits at a gate until
    /// [`open_gate`](ShellExecutor::open_gate), which the observer calls
    /// once the `started` event (with the pid) is synced: no command runs
    /// unrecorded.
    pub fn launch(&self, task: &Task<'_>) -> Option<TaskProcess> {
        let launched = self.prepare(task);
        let process = match &launched {
            Launched::Running(child) => Some(TaskProcess {
                pid: child.id(),
                start_ticks: start_ticks(child.id()),
            }),
            Launched::EditsOnly | Launched::Failed(_) => None,
        };
        self.launched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(task.id.to_owned(), launched);
        process
    }

    /// Whether the stop ended `task`'s command (its failure is no outcome
    /// of the step: it is recorded as interrupted).
    pub fn was_stopped(&self, task: &str) -> bool {
        self.stopped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(task)
    }

    /// Lets `task`'s launched command go on, now that its `started` is on
    /// disk. Until then it waits at the gate: a wrapper, `sh -c 'read -r _
    /// || exit 125; exec "$@" </dev/null' release-step PROGRAM ARGS...`,
    /// whose standard input is a pipe from `release`. A line on it lets the
    /// wrapper exec the command (same pid, same process group, the
    /// parent-death signal kept); the pipe closing without one (`release`
    /// died before the event was synced) makes it exit 125 without running
    /// anything. So a step's command never runs before its `started` is in
    /// the journal. The wrapper script is a constant and the command's
    /// arguments are its positional parameters: no step data is
    /// interpolated by the shell.
    ///
    /// The task's file edits are written first: after its `started` is on
    /// disk, before its command runs. A file that cannot be written fails
    /// the task, and its command never runs.
    pub fn open_gate(&self, task: &str) {
        let mut launched = self.launched.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(changes) = lock(&self.pending).remove(task) {
            let unchanged = changes
                .iter()
                .filter(|c| c.old == c.new)
                .map(|c| c.shown.clone())
                .collect();
            match crate::file_edits::write(&changes) {
                Ok(written) => {
                    lock(&self.edited).insert(task.to_owned(), (written, unchanged));
                }
                Err(e) => {
                    if let Some(Launched::Running(mut child)) = launched.remove(task) {
                        // Its gate never opens: it ends without running.
                        let _ = child.kill();
                        let _ = child.wait();
                    }
                    launched.insert(task.to_owned(), Launched::Failed(format!("{e:#}")));
                    return;
                }
            }
        }
        if let Some(Launched::Running(child)) = launched.get_mut(task) {
            open(child);
        }
    }

    fn spawn(&self, task: &Task<'_>) -> Result<Child, String> {
        // Placeholders are replaced by the core, argument by argument: a
        // value never becomes more than the one argument it stands in.
        let argv = task
            .expanded_command()
            .map_err(|e| e.message().to_owned())?
            .unwrap_or_default();
        let Some((program, args)) = argv.split_first() else {
            return Err("no command to run (give the step a `command`, or make it manual)".into());
        };
        let env = step_env(task.step).map_err(|e| format!("{e:#}"))?;
        let path = self
            .base
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.clone());
        runnable(program, path.as_deref()).map_err(|e| format!("cannot run {program:?}: {e}"))?;
        let mut command = Command::new("/bin/sh");
        command
            .args(["-c", GATE, "release-step"])
            .arg(program)
            .args(args)
            .env_clear()
            .envs(self.base.iter().map(|(k, v)| (k, v)))
            .env("RELEASE_TASK", task.id)
            .env("RELEASE_ATTEMPT", task.attempt.to_string())
            .env("RELEASE_RUN_PID", std::process::id().to_string())
            .envs(self.output_file(task).and_then(|p| {
                // An empty file, so that `>>` and `>` both work.
                std::fs::write(&p, b"").ok().map(|()| ("RELEASE_OUTPUT", p))
            }))
            .envs(
                task.values()
                    .into_iter()
                    .map(|(k, v)| (release_core::run::env_name(&k), v)),
            )
            .envs(&env)
            .stdin(Stdio::piped())
            .stdout(Stdio::from(io::stderr()))
            .stderr(Stdio::inherit());
        own_group(&mut command);
        command
            .spawn()
            .map_err(|e| format!("cannot run {program:?}: {e}"))
    }

    /// Waits for `child` (a blocking wait, so that its outcome is recorded
    /// the moment it ends), while a watchdog thread ends its group when the
    /// run stops or the timeout is up; the outcome.
    fn supervise(&self, task: &Task<'_>, mut child: Child) -> Outcome {
        let program = task
            .command()
            .and_then(<[String]>::first)
            .cloned()
            .unwrap_or_default();
        let deadline = task
            .timeout()
            .map(|t| Instant::now() + Duration::from_secs(t.seconds()));
        let pgid = child.id();
        let finished = AtomicBool::new(false);
        let (status, ending) = std::thread::scope(|scope| {
            let watchdog = scope.spawn(|| self.watch(pgid, deadline, &finished));
            let status = child.wait();
            finished.store(true, Ordering::SeqCst);
            (status, watchdog.join().unwrap_or(None))
        });
        let status = match status {
            Ok(status) => status,
            Err(e) => {
                let _ = signal_group(pgid, SIGKILL);
                return Outcome::failure(format!("cannot wait for {program:?}: {e}"));
            }
        };
        match ending {
            None => exit_outcome(&program, status),
            Some(Ending::Stopped) => {
                self.stopped
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(task.id.to_owned());
                Outcome::failure("ended because the run was stopped")
            }
            Some(Ending::TimedOut) => {
                let timeout = task.timeout().unwrap_or_default();
                let how = if killed_by_sigkill(status) {
                    format!(
                        "killed with SIGKILL after a grace period of {}",
                        Span::seconds_of(self.grace.as_secs())
                    )
                } else {
                    format!("{program} ended after SIGTERM ({})", describe(status))
                };
                Outcome::failure(format!("timed out after {timeout}; {how}"))
            }
        }
    }

    /// The watchdog of the command leading group `pgid`: once the run is
    /// stopped or `deadline` passed (and the command has not `finished`),
    /// SIGTERM to the group, then, after the grace period (or a second
    /// signal), SIGKILL to whatever is left of it. Returns why it ended the
    /// command, if it did.
    fn watch(&self, pgid: u32, deadline: Option<Instant>, finished: &AtomicBool) -> Option<Ending> {
        let why = loop {
            if finished.load(Ordering::SeqCst) {
                return None;
            }
            if self.stopper.signal().is_some() {
                break Ending::Stopped;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break Ending::TimedOut;
            }
            std::thread::sleep(POLL);
        };
        let _ = signal_group(pgid, SIGTERM);
        let kill_at = Instant::now() + self.grace;
        // The command and what it started may end by themselves within
        // the grace period. (A group's id is not given to another process
        // while any member lives; once none does, the signal finds no one.)
        while Instant::now() < kill_at && !self.stopper.urgent() {
            if finished.load(Ordering::SeqCst) && !group_alive(pgid) {
                break;
            }
            std::thread::sleep(POLL);
        }
        let _ = signal_group(pgid, SIGKILL);
        Some(why)
    }
}

/// Why an executor ends a command.
#[derive(Debug, Clone, Copy)]
enum Ending {
    /// `release run` received SIGTERM or SIGINT.
    Stopped,
    /// The step's timeout is up.
    TimedOut,
}

impl ConcurrentExecutor for ShellExecutor {
    fn execute(&self, task: &Task<'_>) -> Outcome {
        let launched = self
            .launched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(task.id);
        // Not launched by the observer (another caller): start it here, on
        // this scoped thread, which lives until the command is reaped.
        let launched = launched.unwrap_or_else(|| {
            let launched = self.prepare(task);
            lock(&self.launched).insert(task.id.to_owned(), launched);
            self.open_gate(task.id);
            lock(&self.launched)
                .remove(task.id)
                .unwrap_or(Launched::EditsOnly)
        });
        match launched {
            Launched::Running(mut child) => {
                // Launched here, or by an observer that opened the gate
                // already (opening twice is nothing).
                open(&mut child);
                let outcome = self.supervise(task, child);
                let outcome = self.with_outputs(task, outcome);
                self.with_edited(task, outcome)
            }
            Launched::EditsOnly => self.with_edited(task, Outcome::success()),
            Launched::Failed(message) => Outcome::failure(message),
        }
    }
}

/// The value behind `mutex`, even when a thread panicked holding it (the
/// maps stay consistent: each change is one insert or remove).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A fresh directory only this user can enter, for the steps' output
/// files (a shared temporary directory would let others plant them).
fn outputs_dir() -> Option<std::path::PathBuf> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    // `create` fails on an existing path (a leftover of a process with the
    // same pid, or someone else's): the next name is tried.
    (0..100).find_map(|n| {
        let dir = std::env::temp_dir().join(format!("release-outputs-{}-{n}", std::process::id()));
        builder.create(&dir).ok().map(|()| dir)
    })
}

/// The gate's wrapper script: see [`ShellExecutor::open_gate`].
const GATE: &str = r#"read -r _ || exit 125; exec "$@" </dev/null"#;

/// Opens a launched command's gate (once).
fn open(child: &mut Child) {
    use std::io::Write;
    if let Some(mut gate) = child.stdin.take() {
        // A wrapper that is gone already (killed) has nothing to open.
        let _ = gate.write_all(b"go\n");
    }
}

/// Whether `program` can be started: found (on PATH when it names no
/// directory) and executable; otherwise the error exec would give.
fn runnable(program: &str, path: Option<&std::ffi::OsStr>) -> io::Result<()> {
    let candidates: Vec<std::path::PathBuf> = if program.contains('/') {
        vec![program.into()]
    } else {
        path.map(|p| std::env::split_paths(p).map(|d| d.join(program)).collect())
            .unwrap_or_default()
    };
    let mut denied = false;
    for candidate in candidates {
        match std::fs::metadata(&candidate) {
            Ok(meta) if meta.is_file() && executable(&meta) => return Ok(()),
            Ok(_) => denied = true,
            Err(_) => {}
        }
    }
    Err(not_runnable(denied))
}

/// exec's error: permission denied, or no such file.
#[cfg(unix)]
fn not_runnable(denied: bool) -> io::Error {
    io::Error::from_raw_os_error(if denied { libc::EACCES } else { libc::ENOENT })
}

#[cfg(not(unix))]
fn not_runnable(denied: bool) -> io::Error {
    io::Error::from(if denied {
        io::ErrorKind::PermissionDenied
    } else {
        io::ErrorKind::NotFound
    })
}

#[cfg(unix)]
fn executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable(_: &std::fs::Metadata) -> bool {
    true
}

fn exit_outcome(program: &str, status: ExitStatus) -> Outcome {
    if status.success() {
        Outcome::success()
    } else {
        Outcome::failure(format!("{program} {}", describe(status)))
    }
}

/// `exited with code 2`, `ended by signal: 9 (SIGKILL)`.
fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exited with code {code}"),
        None => format!("ended by {status}"),
    }
}

/// Puts the command in a process group of its own and, on Linux, gives it
/// the parent-death signal SIGKILL.
#[cfg(unix)]
fn own_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id();
        // SAFETY: the closure runs in the child between fork and exec,
        // where only async-signal-safe calls are allowed: prctl and getppid
        // are system calls, and the closure allocates nothing and takes no
        // lock. PR_SET_PDEATHSIG makes the kernel send SIGKILL to the child
        // when the thread that forked it ends (see `ShellExecutor::launch`
        // for why that thread lives as long as the run); exec keeps it. If
        // the parent died before prctl took effect, the child's parent is
        // no longer `parent`, and it refuses to run instead of becoming an
        // orphan. Other platforms have no parent-death signal: an orphaned
        // command may outlive the run there, and `--resume` refuses to
        // start its step again while it runs.
        unsafe {
            command.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                if u32::try_from(libc::getppid()).ok() != Some(parent) {
                    return Err(io::Error::other(
                        "release run ended before the step started",
                    ));
                }
                Ok(())
            });
        }
    }
}

#[cfg(not(unix))]
fn own_group(_: &mut Command) {}

#[cfg(unix)]
use libc::{SIGINT, SIGKILL, SIGTERM};
#[cfg(not(unix))]
const SIGINT: i32 = 2;
#[cfg(not(unix))]
const SIGTERM: i32 = 15;
#[cfg(not(unix))]
const SIGKILL: i32 = 9;

/// Whether SIGKILL ended the command.
#[cfg(unix)]
fn killed_by_sigkill(status: ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(SIGKILL)
}

#[cfg(not(unix))]
fn killed_by_sigkill(_: ExitStatus) -> bool {
    false
}

/// `killpg(pgid, signal)`.
#[cfg(unix)]
fn signal_group(pgid: u32, signal: i32) -> io::Result<()> {
    let pgid = libc::pid_t::try_from(pgid).map_err(io::Error::other)?;
    if pgid <= 1 {
        return Err(io::Error::other("not a process group of a step"));
    }
    // SAFETY: killpg takes plain integers and touches no memory of ours;
    // the guard above keeps it from signalling every process (0, 1).
    if unsafe { libc::killpg(pgid, signal) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Without process groups or signals, nothing: a stop or a timeout cannot
/// end a command on such a platform (the CLI is built for Unix).
#[cfg(not(unix))]
fn signal_group(_: u32, _: i32) -> io::Result<()> {
    Err(io::Error::other("no process groups on this platform"))
}

/// Whether any process is left in group `pgid`.
#[cfg(unix)]
fn group_alive(pgid: u32) -> bool {
    signal_group(pgid, 0).is_ok()
}

#[cfg(not(unix))]
fn group_alive(_: u32) -> bool {
    false
}

/// What `/proc/PID/stat` says of a process: state, process group, start
/// time (fields 3, 5 and 22).
#[cfg(target_os = "linux")]
fn proc_stat(pid: u32) -> Option<(char, u32, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let pgrp = fields.get(2)?.parse().ok()?;
    let start = fields.get(19)?.parse().ok()?;
    Some((state, pgrp, start))
}

/// The start time of process `pid` (Linux: clock ticks since boot).
pub fn start_ticks(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        proc_stat(pid).map(|(_, _, start)| start)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// A process of a previous attempt's that still runs: the recorded process
/// itself (same pid and start time) or, once it is gone, any process left
/// in its group. `None` when nothing of it is left.
///
/// On Linux the start time tells a reused pid apart; a group's id cannot be
/// reused while any member lives. Elsewhere only the group is asked, so a
/// group id reused by chance reads as still running (the message says
/// which pid to look at).
pub fn still_running(process: &TaskProcess) -> Option<u32> {
    #[cfg(target_os = "linux")]
    {
        let alive = |state: char| !matches!(state, 'Z' | 'X' | 'x');
        if let Some((state, _, start)) = proc_stat(process.pid) {
            let same = process.start_ticks.is_none_or(|recorded| recorded == start);
            if !same {
                // The pid is another process's now, so the group is gone.
                return None;
            }
            if alive(state) {
                return Some(process.pid);
            }
        }
        let entries = std::fs::read_dir("/proc").ok()?;
        entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .find(|&pid| {
                proc_stat(pid).is_some_and(|(state, pgrp, _)| pgrp == process.pid && alive(state))
            })
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        group_alive(process.pid).then_some(process.pid)
    }
    #[cfg(not(unix))]
    {
        let _ = process;
        None
    }
}

/// [`still_running`], asked again for up to `wait` while the answer is
/// yes: a process killed a moment ago (by the parent-death signal, as its
/// `release` died) is still there until the kernel has ended it.
pub fn still_running_after(process: &TaskProcess, wait: Duration) -> Option<u32> {
    let until = Instant::now() + wait;
    loop {
        let pid = still_running(process)?;
        if Instant::now() >= until {
            return Some(pid);
        }
        std::thread::sleep(POLL);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_live_process_with_its_start_time_is_still_running_and_not_once_reaped() {
        let mut child = Command::new("sleep").arg("30").spawn().expect("sleep runs");
        let pid = child.id();
        let start = start_ticks(pid);
        assert!(start.is_some());
        let recorded = TaskProcess {
            pid,
            start_ticks: start,
        };
        assert_eq!(still_running(&recorded), Some(pid));
        // Another start time: the pid was reused, not the step's process.
        let reused = TaskProcess {
            pid,
            start_ticks: start.map(|s| s + 1),
        };
        assert_eq!(still_running(&reused), None);
        child.kill().expect("the child is killed");
        child.wait().expect("the child is reaped");
        assert_eq!(still_running(&recorded), None);
    }
}
