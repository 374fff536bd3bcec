//! Writing a file so that a reader sees the old text or the new, never
//! half of it: a synced temporary file beside it, renamed over it, and the
//! directory synced so the rename survives a crash.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes `bytes` to `path` atomically, creating missing parent
/// directories.
///
/// # Errors
///
/// When a directory cannot be made, or the file cannot be written, synced
/// or renamed; the message names the path.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let context = || format!("cannot write {}", path.display());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(context)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(context)?;
    if let Ok(d) = File::open(&dir) {
        // Durability of the rename; a directory that cannot be synced
        // still holds the whole new file.
        let _ = d.sync_all();
    }
    Ok(())
}
