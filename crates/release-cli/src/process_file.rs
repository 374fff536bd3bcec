//! Reading a process file (release.toml) and the state a command is asked
//! about: facts, a run's journal, existing tags.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use release_core::gate::{Fact, Facts};
use release_core::process::Process;
use release_core::run::{Event, journal};
use release_core::version::Change;

use crate::args::StateArgs;
use crate::git::Repo;

/// Reads and validates a process file; errors keep release-core's kind
/// (for the exit code) and place (file, line and column).
///
/// # Errors
///
/// An unreadable file, or the core's error for its content.
pub fn load(path: &Path) -> Result<Process> {
    let text = crate::input::read_text(path)?;
    let process = Process::from_toml(&crate::input::name(path), &text)?;
    crate::warnings::report(process.warnings().iter().cloned());
    Ok(process)
}

/// The text of a file read as bytes; invalid UTF-8 is refused with the
/// line and column (in characters) of its first bad byte.
///
/// # Errors
///
/// The first byte that is not UTF-8, placed.
pub fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).or_else(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Everything before `valid` is UTF-8, as the error says.
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        bail!(
            "{}:{line}:{column}: the file is not UTF-8 text: byte 0x{:02X} (at byte {valid}) does not start or continue a UTF-8 character",
            crate::input::name(path),
            bytes[valid]
        )
    })
}

/// What is known at the time of the question, from `--facts`, `--journal`
/// and `--tag`/`--tags`.
pub struct State {
    /// Facts from `--facts` (a JSON array of facts, or one per line).
    pub facts: Facts,
    /// The events of `--journal`.
    pub journal: Vec<Event>,
    /// Existing tags by component.
    pub tags: BTreeMap<String, Vec<String>>,
    /// The changes since each component's latest tag, for the components
    /// read from git ([`State::read_git`]); none for the others.
    pub changes: BTreeMap<String, Vec<Change>>,
}

impl State {
    /// Reads the files the arguments name.
    ///
    /// # Errors
    ///
    /// Unreadable files, undecodable facts or journal lines (with their
    /// line number), a `--tag` without `COMPONENT=`.
    pub fn read(args: &StateArgs) -> Result<State> {
        let mut facts = Facts::new();
        if let Some(path) = &args.facts {
            let text = crate::input::read_text(path)?;
            let list: Vec<Fact> = if text.trim_start().starts_with('[') {
                serde_json::from_str(&text)
                    .with_context(|| format!("invalid facts file {}", crate::input::name(path)))?
            } else {
                text.lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                    .map(|(n, l)| {
                        serde_json::from_str(l).with_context(|| {
                            format!(
                                "invalid facts file {}: line {}",
                                crate::input::name(path),
                                n + 1
                            )
                        })
                    })
                    .collect::<Result<_>>()?
            };
            for fact in list {
                facts.record(fact);
            }
        }
        let journal = match &args.journal {
            Some(path) => {
                // Bytes: a torn tail cut inside a multi-byte character is
                // a torn line like any other.
                let bytes = crate::input::read(path)
                    .with_context(|| format!("cannot read {}", crate::input::name(path)))?;
                journal::decode_bytes(&bytes)
                    .with_context(|| format!("invalid journal {}", crate::input::name(path)))?
                    .events
            }
            None => Vec::new(),
        };
        let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(path) = &args.tags {
            let text = crate::input::read_text(path)?;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let Some((component, tag)) = line.split_once(char::is_whitespace) else {
                    bail!(
                        "{}:{}: expected `COMPONENT TAG`, found {line:?}",
                        crate::input::name(path),
                        n + 1
                    );
                };
                tags.entry(component.to_owned())
                    .or_default()
                    .push(tag.trim().to_owned());
            }
        }
        for given in &args.tag {
            let Some((component, tag)) = given.split_once('=') else {
                bail!("--tag {given:?}: expected COMPONENT=TAG");
            };
            tags.entry(component.to_owned())
                .or_default()
                .push(tag.to_owned());
        }
        Ok(State {
            facts,
            journal,
            tags,
            changes: BTreeMap::new(),
        })
    }

    /// Adds the tags, and the changes since the latest tag, of every
    /// component that has a git repository and no tags given (see
    /// [`repositories`]).
    ///
    /// # Errors
    ///
    /// A bad `--repo`, a repository that cannot be read (git's reason).
    pub fn read_git(&mut self, process: &Process, file: &Path, args: &StateArgs) -> Result<()> {
        for (name, repo) in repositories(process, file, args, &self.tags)? {
            let tags = repo.tags()?;
            let component = process.def().components.iter().find(|c| c.name == name);
            let latest = component
                .and_then(|c| c.tags.as_ref())
                .and_then(|scheme| scheme.latest(&tags, false))
                .map(|(i, _)| tags[i].clone());
            let branch = component.and_then(|c| c.branch.as_deref());
            let messages = repo.commits_since(latest.as_deref(), branch)?;
            self.changes.insert(
                name.clone(),
                messages.iter().map(|m| Change::parse(m)).collect(),
            );
            self.tags.insert(name, tags);
        }
        Ok(())
    }
}

/// The git repository of each component that is read from git: its
/// `--repo COMPONENT=PATH` (relative to the current directory), else its
/// `path` in the process file (relative to the file's directory) when it
/// has no tags `given`; and, when nothing else names a repository or gives
/// a tag, the process file's directory for a process of one component, if
/// it is the top of a git work tree (`release next release.toml` at the
/// top of a repository).
///
/// # Errors
///
/// A `--repo` without `COMPONENT=`, of an unknown component, given twice
/// or beside `--tag`/`--tags` for the same component; a path that is not
/// a git repository.
pub fn repositories(
    process: &Process,
    file: &Path,
    args: &StateArgs,
    given: &BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<String, Repo>> {
    let components = &process.def().components;
    let names = || {
        components
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut repos = BTreeMap::new();
    for arg in &args.repo {
        let Some((name, path)) = arg
            .split_once('=')
            .filter(|(n, p)| !n.is_empty() && !p.is_empty())
        else {
            bail!("--repo {arg:?}: expected COMPONENT=PATH");
        };
        if !components.iter().any(|c| c.name == name) {
            bail!(
                "--repo {arg}: no component named {name:?} (components: {})",
                names()
            );
        }
        if given.contains_key(name) {
            bail!("--repo {arg}: tags of {name} are given with --tag/--tags too; give one source");
        }
        let repo = Repo::open(Path::new(path)).with_context(|| format!("--repo {name}"))?;
        if repos.insert(name.to_owned(), repo).is_some() {
            bail!("--repo {name}=... is given twice; give each component once");
        }
    }
    let base = file.parent().unwrap_or(Path::new(""));
    for component in components {
        let Some(path) = &component.path else {
            continue;
        };
        if repos.contains_key(&component.name) || given.contains_key(&component.name) {
            continue;
        }
        let dir = base.join(path);
        let repo = Repo::open(&dir).with_context(|| {
            format!(
                "{}: the path {path:?} of component {:?}",
                file.display(),
                component.name
            )
        })?;
        repos.insert(component.name.clone(), repo);
    }
    // The directory of the file, not the current one: a process file kept
    // at the top of its repository (the usual place) reads it from
    // anywhere, and the examples inside another project's checkout do not
    // read that project's history.
    let here = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    if let ([only], true) = (components.as_slice(), repos.is_empty() && given.is_empty())
        && let Some(repo) = Repo::here(here)
    {
        repos.insert(only.name.clone(), repo);
    }
    Ok(repos)
}
