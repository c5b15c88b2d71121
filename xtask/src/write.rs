//! Writing the generated crate without ever leaving a half-written folder.
//!
//! The new tree is built in a sibling staging directory (`<out>.staging-<pid>`):
//! unchanged and hand-written files are hard-linked from the current tree (so
//! they keep their inode and mtime and cargo does not rebuild), changed and new
//! files are written fresh and fsynced. Then two renames swap it in:
//! `<out>` → `<out>.old-<pid>`, staging → `<out>`, and the old tree is removed.
//! A run that died between the renames is repaired by the next one.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tree::{self, Kind};

#[cfg(test)]
mod tests;

/// Where to stop on purpose, to test that interruptions are harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailPoint {
    /// Fail after the staging tree is complete, before any rename: an
    /// ordinary error, so the staging tree is cleaned up.
    AfterStaging,
    /// Stop dead after `<out>` was renamed away, without any cleanup, as if
    /// the process had been killed between the two renames.
    BetweenRenames,
}

/// Options for [`write_tree`].
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Test hook: fail on purpose at this point.
    pub fail_point: Option<FailPoint>,
}

/// What [`write_tree`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files written because they are new or their content changed.
    pub written: Vec<String>,
    /// Files left exactly as they were.
    pub unchanged: usize,
    /// Stale generated files removed.
    pub removed: Vec<String>,
    /// Files without the `@generated` marker that a generated file replaced.
    pub replaced_unowned: Vec<String>,
    /// What the start-up recovery did (leftovers of an interrupted run).
    pub recovery: Vec<String>,
}

impl WriteSummary {
    /// `N files written, M unchanged, K removed`.
    pub fn line(&self) -> String {
        format!(
            "{} files written, {} unchanged, {} removed",
            self.written.len(),
            self.unchanged,
            self.removed.len()
        )
    }
}

/// Makes `out` hold exactly `files` (plus any file it does not own), see the
/// module documentation. On error, `out` is left as it was.
pub fn write_tree(
    out: &Path,
    files: &BTreeMap<String, String>,
    options: &WriteOptions,
) -> Result<WriteSummary, String> {
    for key in files.keys() {
        tree::validate_key(key)?;
    }
    let (parent, name) = split_out(out)?;
    let mut summary = WriteSummary {
        recovery: recover(out)?,
        ..WriteSummary::default()
    };

    // Plan: compare the wanted files with what is on disk.
    let existing = tree::scan(out)?;
    let by_key: BTreeMap<&str, &tree::Entry> =
        existing.iter().map(|e| (e.key.as_str(), e)).collect();
    let mut keep = BTreeSet::new();
    for (key, content) in files {
        let path = tree::path_of(out, key);
        match by_key.get(key.as_str()) {
            Some(e) if e.kind == Kind::File => {
                let disk = fs::read(&path)
                    .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
                if tree::same_content(&disk, content) {
                    keep.insert(key.clone());
                    summary.unchanged += 1;
                    continue;
                }
                if !tree::is_owned(out, e)? {
                    summary.replaced_unowned.push(key.clone());
                }
            }
            Some(_) => {
                return Err(format!(
                    "{} is in the way of a generated file",
                    path.display()
                ))
            }
            None => {}
        }
        summary.written.push(key.clone());
    }
    let mut carry = Vec::new();
    for entry in &existing {
        if files.contains_key(&entry.key) {
            continue;
        }
        match entry.kind {
            Kind::Dir if !entry.empty => {}
            Kind::File if tree::is_owned(out, entry)? => summary.removed.push(entry.key.clone()),
            _ => carry.push(entry),
        }
    }
    if summary.written.is_empty() && summary.removed.is_empty() {
        return Ok(summary);
    }

    // Build the complete new tree next to the old one.
    let staging = parent.join(format!("{name}.staging-{}", std::process::id()));
    remove_if_exists(&staging)?;
    fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    fs::create_dir(&staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let guard = RemoveOnDrop(Some(staging.clone()));
    let mut dirs = BTreeSet::new();
    for entry in carry {
        let to = staging.join(&entry.rel);
        if entry.kind == Kind::Dir {
            create_dirs(&to, &mut dirs)?;
        } else {
            link_or_copy(&out.join(&entry.rel), &to, &mut dirs)?;
        }
    }
    for (key, content) in files {
        let to = tree::path_of(&staging, key);
        if keep.contains(key) {
            link_or_copy(&tree::path_of(out, key), &to, &mut dirs)?;
        } else {
            write_synced(&to, content, &mut dirs)?;
        }
    }
    dirs.insert(staging.clone());
    for dir in &dirs {
        sync_dir(dir);
    }
    if options.fail_point == Some(FailPoint::AfterStaging) {
        return Err("injected failure after staging".into());
    }

    // Swap it in.
    if fs::symlink_metadata(out).is_ok() {
        let old = parent.join(format!("{name}.old-{}", std::process::id()));
        remove_if_exists(&old)?;
        fs::rename(out, &old)
            .map_err(|e| format!("cannot move {} to {}: {e}", out.display(), old.display()))?;
        if options.fail_point == Some(FailPoint::BetweenRenames) {
            std::mem::forget(guard);
            return Err("injected crash between renames".into());
        }
        if let Err(e) = fs::rename(&staging, out) {
            let undo = fs::rename(&old, out);
            return Err(match undo {
                Ok(()) => format!(
                    "cannot move {} to {}: {e}",
                    staging.display(),
                    out.display()
                ),
                Err(u) => format!(
                    "cannot move {} to {}: {e}; and cannot move {} back: {u} (the next run will)",
                    staging.display(),
                    out.display(),
                    old.display()
                ),
            });
        }
        guard.disarm();
        sync_dir(&parent);
        // The new tree is in place; a failure here only leaves a leftover
        // that the next run removes.
        if let Err(e) = fs::remove_dir_all(&old) {
            eprintln!(
                "warning: cannot remove {}: {e} (the next run will)",
                old.display()
            );
        }
    } else {
        fs::rename(&staging, out).map_err(|e| {
            format!(
                "cannot move {} to {}: {e}",
                staging.display(),
                out.display()
            )
        })?;
        guard.disarm();
        sync_dir(&parent);
    }
    Ok(summary)
}

/// Repairs what an interrupted run left behind next to `out`: when `out` is
/// missing and exactly one `<out>.old-<pid>` exists, it is moved back; other
/// `<out>.old-*` and all `<out>.staging-*` directories are removed — except
/// those of a process that is still running. Returns what was done.
pub fn recover(out: &Path) -> Result<Vec<String>, String> {
    let (parent, name) = split_out(out)?;
    let (stagings, olds) = leftovers(&parent, &name)?;
    let mut notes = Vec::new();
    let mut olds: Vec<PathBuf> = olds
        .into_iter()
        .filter(|(_, pid)| !other_live_process(*pid))
        .map(|(p, _)| p)
        .collect();
    if fs::symlink_metadata(out).is_err() && olds.len() == 1 {
        let old = olds.remove(0);
        fs::rename(&old, out)
            .map_err(|e| format!("cannot restore {} to {}: {e}", old.display(), out.display()))?;
        notes.push(format!(
            "restored {} from an interrupted run",
            out.display()
        ));
    }
    if fs::symlink_metadata(out).is_ok() {
        for old in olds {
            remove_if_exists(&old)?;
            notes.push(format!("removed leftover {}", old.display()));
        }
    } else if !olds.is_empty() {
        return Err(format!(
            "{} is missing and several backups exist next to it: restore one by hand",
            out.display()
        ));
    }
    for (staging, pid) in stagings {
        if !other_live_process(pid) {
            remove_if_exists(&staging)?;
            notes.push(format!("removed leftover {}", staging.display()));
        }
    }
    Ok(notes)
}

/// `<name>.staging-<pid>` and `<name>.old-<pid>` directories in `parent`.
type Leftovers = (Vec<(PathBuf, u32)>, Vec<(PathBuf, u32)>);

fn leftovers(parent: &Path, name: &str) -> Result<Leftovers, String> {
    let (mut stagings, mut olds) = (Vec::new(), Vec::new());
    let read = match fs::read_dir(parent) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((stagings, olds)),
        Err(e) => return Err(format!("cannot list {}: {e}", parent.display())),
    };
    for entry in read {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", parent.display()))?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = file_name.strip_prefix(name) else {
            continue;
        };
        let pid = |suffix: &str| {
            rest.strip_prefix(suffix)
                .and_then(|p| p.parse::<u32>().ok())
        };
        if let Some(pid) = pid(".staging-") {
            stagings.push((entry.path(), pid));
        } else if let Some(pid) = pid(".old-") {
            olds.push((entry.path(), pid));
        }
    }
    stagings.sort();
    olds.sort();
    Ok((stagings, olds))
}

/// Whether `pid` belongs to another process that is still running (known
/// on Linux only; elsewhere every leftover is assumed dead).
fn other_live_process(pid: u32) -> bool {
    pid != std::process::id()
        && cfg!(target_os = "linux")
        && Path::new("/proc").join(pid.to_string()).exists()
}

/// The parent directory and file name of `out`.
fn split_out(out: &Path) -> Result<(PathBuf, String), String> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{} is not usable as an output directory", out.display()))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name.to_string()))
}

fn remove_if_exists(path: &Path) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(_) => return Ok(()),
    }
    .map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

fn create_dirs(dir: &Path, made: &mut BTreeSet<PathBuf>) -> Result<(), String> {
    if made.contains(dir) {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    made.insert(dir.to_path_buf());
    Ok(())
}

fn create_parent(path: &Path, made: &mut BTreeSet<PathBuf>) -> Result<(), String> {
    match path.parent() {
        Some(parent) => create_dirs(parent, made),
        None => Ok(()),
    }
}

/// Hard-links `from` at `to`, or copies it (same mtime) where hard links are
/// unavailable.
fn link_or_copy(from: &Path, to: &Path, made: &mut BTreeSet<PathBuf>) -> Result<(), String> {
    create_parent(to, made)?;
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let failed =
        |e: std::io::Error| format!("cannot copy {} to {}: {e}", from.display(), to.display());
    fs::copy(from, to).map_err(failed)?;
    // Keep the mtime, so that cargo does not see a change, and make it durable.
    let copy = fs::File::options().write(true).open(to).map_err(failed)?;
    if let Ok(modified) = fs::metadata(from).and_then(|m| m.modified()) {
        copy.set_modified(modified).map_err(failed)?;
    }
    copy.sync_all().map_err(failed)
}

fn write_synced(path: &Path, content: &str, made: &mut BTreeSet<PathBuf>) -> Result<(), String> {
    create_parent(path, made)?;
    let mut file =
        fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(content.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Best-effort fsync of a directory's entries (not possible on Windows).
fn sync_dir(dir: &Path) {
    if cfg!(unix) {
        if let Ok(handle) = fs::File::open(dir) {
            let _ = handle.sync_all();
        }
    }
}

/// Removes a directory when dropped, unless disarmed: the staging tree never
/// outlives an error.
struct RemoveOnDrop(Option<PathBuf>);

impl RemoveOnDrop {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = fs::remove_dir_all(path);
        }
    }
}
