//! Reading tags and commit messages from a local git repository by running
//! the `git` program.
//!
//! `git` runs with argument lists (never a shell), `-C DIR`, and formats
//! that separate records with NUL bytes, so tag names and multi-line
//! commit messages arrive intact. Why not `gix`: see the note on
//! dependencies in this crate's `Cargo.toml`. Every error names the
//! repository's directory, the git command and git's own stderr.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// A local git repository (a work tree or a bare repository) at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    dir: PathBuf,
}

impl Repo {
    /// The repository at `dir`, checked: `git` runs there and `dir` is
    /// inside a repository.
    ///
    /// # Errors
    ///
    /// When `git` cannot be run, or `dir` is not a directory of a git
    /// repository (git's reason included).
    pub fn open(dir: &Path) -> Result<Repo> {
        if !dir.is_dir() {
            bail!(
                "{}: not a directory (expected a git repository's clone)",
                dir.display()
            );
        }
        let repo = Repo {
            dir: dir.to_path_buf(),
        };
        repo.git(&["rev-parse", "--git-dir"])?;
        Ok(repo)
    }

    /// The repository in `dir` when `dir` is the top of one (it holds
    /// `.git`, a directory or a worktree's file); `None` otherwise, without
    /// running git. Subdirectories of a work tree do not count, so that a
    /// command run anywhere inside a big checkout does not read its
    /// history unasked.
    pub fn here(dir: &Path) -> Option<Repo> {
        dir.join(".git").exists().then(|| Repo {
            dir: dir.to_path_buf(),
        })
    }

    /// Every tag's short name (`v1.2.0`, `backend-2023.05.1`), in git's
    /// order (by refname); the core orders them by version.
    ///
    /// # Errors
    ///
    /// When git fails or prints what is not UTF-8.
    pub fn tags(&self) -> Result<Vec<String>> {
        let text = self.git(&[
            "for-each-ref",
            "--format=%(refname:strip=2)%00",
            "refs/tags",
        ])?;
        Ok(records(&text))
    }

    /// The full messages of the commits reachable from the tip (`HEAD`,
    /// or the component's declared `branch`) and not from `since` (a
    /// tag), newest first; every commit of the tip without `since`, none
    /// in a repository without commits.
    ///
    /// # Errors
    ///
    /// When git fails (an unknown `since`) or prints what is not UTF-8; a
    /// `branch` the clone has neither as a local branch nor as `origin`'s.
    pub fn commits_since(&self, since: Option<&str>, branch: Option<&str>) -> Result<Vec<String>> {
        let tip = match branch {
            Some(branch) => self.branch_ref(branch)?,
            None => {
                if self
                    .git(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
                    .is_err()
                {
                    return Ok(Vec::new());
                }
                "HEAD".to_owned()
            }
        };
        let range = match since {
            // `^TAG^{commit}` rather than `TAG..HEAD`: a tag named like an
            // option or a path cannot be misread.
            Some(tag) => vec![format!("^refs/tags/{tag}^{{commit}}"), tip],
            None => vec![tip],
        };
        let mut args = vec!["log", "-z", "--format=%B"];
        args.extend(range.iter().map(String::as_str));
        args.push("--");
        let text = self.git(&args)?;
        Ok(records(&text))
    }

    /// The full ref of `branch`: the local branch, else `origin`'s
    /// (a fresh clone has only its default branch locally).
    fn branch_ref(&self, branch: &str) -> Result<String> {
        for candidate in [
            format!("refs/heads/{branch}"),
            format!("refs/remotes/origin/{branch}"),
        ] {
            let commit = format!("{candidate}^{{commit}}");
            if self
                .git(&["rev-parse", "--verify", "--quiet", &commit])
                .is_ok()
            {
                return Ok(candidate);
            }
        }
        bail!(
            "{}: the component's branch {branch:?} is not in this clone (neither refs/heads/{branch} nor refs/remotes/origin/{branch}); fetch it, or correct `branch`",
            self.dir.display()
        )
    }

    /// Runs `git -C DIR ARGS...` and returns its stdout.
    fn git(&self, args: &[&str]) -> Result<String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(args)
            // git's messages in English whatever the user's locale, and
            // no pager or prompt for a program reading its output.
            .env("LC_ALL", "C")
            .env("GIT_PAGER", "cat")
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .with_context(|| {
                format!(
                    "{}: cannot run git (is it installed and on PATH?)",
                    self.dir.display()
                )
            })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            bail!(
                "{}: `git {}` failed ({}): {}",
                self.dir.display(),
                args.join(" "),
                output.status,
                stderr.trim()
            );
        }
        String::from_utf8(output.stdout).with_context(|| {
            format!(
                "{}: `git {}` printed text that is not UTF-8",
                self.dir.display(),
                args.join(" ")
            )
        })
    }
}

/// The NUL-separated records of git's output, trimmed, blank ones left
/// out.
fn records(text: &str) -> Vec<String> {
    text.split('\0')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}
