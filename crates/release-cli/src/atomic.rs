//! Replacing a file atomically: the new bytes go to a temporary file in the
//! same directory, which is synced, renamed over the file, and the
//! directory synced, so a crash leaves the old file or the new one, never
//! a torn one. For the release state and planned file edits.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes `bytes` to `path` atomically, keeping an existing file's
/// permissions.
///
/// # Errors
///
/// When the temporary file cannot be created, written, synced or renamed
/// (it is removed then), naming `path`.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::input::writable(path, "the file to write")?;
    let context = || format!("cannot write {}", path.display());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = temporary(path, dir);
    let written = (|| -> std::io::Result<()> {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        // Best effort: the temporary file is ours and of no use now.
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(context);
    }
    // The rename is durable once the directory is synced; some file
    // systems cannot sync a directory, and the file itself is synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// `DIR/.NAME.PID.tmp`: hidden, beside the file (a rename does not cross
/// file systems), and unique to this process.
fn temporary(path: &Path, dir: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}
