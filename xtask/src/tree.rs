//! Reading an output directory: walking it, telling owned (generated) files
//! from hand-written ones, and comparing contents.

use std::borrow::Cow;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use generator::GENERATED_MARKER;

/// What kind of thing a directory entry is (symlinks are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// Symlinks and anything else that is neither a plain file nor a directory.
    Other,
}

/// One entry below the output directory.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path relative to the root, as the OS spells it.
    pub rel: PathBuf,
    /// The same path as a `/`-separated string (lossy for non-UTF-8 names),
    /// comparable with the keys of the generator's file map.
    pub key: String,
    pub kind: Kind,
    /// For directories: whether it has no entries at all.
    pub empty: bool,
}

/// Lists every entry below `root` in pre-order (a directory before its
/// contents), sorted by name at each level. A missing root yields nothing.
pub fn scan(root: &Path) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    match fs::symlink_metadata(root) {
        Ok(meta) if meta.is_dir() => {
            walk(root, Path::new(""), &mut out)?;
        }
        Ok(_) => return Err(format!("{} exists but is not a directory", root.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {}: {e}", root.display())),
    }
    Ok(out)
}

fn walk(root: &Path, rel: &Path, out: &mut Vec<Entry>) -> Result<bool, String> {
    let dir = root.join(rel);
    let read = fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        names.push(entry.file_name());
    }
    names.sort();
    let any = !names.is_empty();
    for name in names {
        let child_rel = rel.join(&name);
        let path = root.join(&child_rel);
        let meta = fs::symlink_metadata(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let kind = if meta.is_dir() {
            Kind::Dir
        } else if meta.is_file() {
            Kind::File
        } else {
            Kind::Other
        };
        let index = out.len();
        out.push(Entry {
            key: key_of(&child_rel),
            rel: child_rel.clone(),
            kind,
            empty: false,
        });
        if kind == Kind::Dir {
            let has_children = walk(root, &child_rel, out)?;
            out[index].empty = !has_children;
        }
    }
    Ok(any)
}

fn key_of(rel: &Path) -> String {
    let parts: Vec<Cow<str>> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// Whether a path may hold a file this tool owns at all. Never: anything
/// under a top-level `target/` (build output can carry `@generated` headers
/// of its own) or under a hidden (`.`-prefixed) directory or name.
pub fn ownable(key: &str) -> bool {
    let mut parts = key.split('/');
    if parts.clone().next() == Some("target") {
        return false;
    }
    !parts.any(|p| p.starts_with('.'))
}

/// Whether the file at `path` is one we own: an ownable plain file whose
/// first line contains [`GENERATED_MARKER`].
pub fn is_owned(root: &Path, entry: &Entry) -> Result<bool, String> {
    if entry.kind != Kind::File || !ownable(&entry.key) {
        return Ok(false);
    }
    let path = root.join(&entry.rel);
    let file = fs::File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Only the first line matters; never read more than a few KiB of it.
    let mut first = Vec::new();
    BufReader::new(file.take(4096))
        .read_until(b'\n', &mut first)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(String::from_utf8_lossy(&first).contains(GENERATED_MARKER))
}

/// Line endings normalised: `\r\n` becomes `\n`.
pub fn normalize(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether the bytes on disk amount to `new` (ignoring `\r\n` versus `\n`).
pub fn same_content(disk: &[u8], new: &str) -> bool {
    if disk == new.as_bytes() {
        return true;
    }
    match std::str::from_utf8(disk) {
        Ok(text) => normalize(text) == normalize(new),
        Err(_) => false,
    }
}

/// Checks that a generated file's path is a plain relative `/`-separated
/// path that stays inside the output directory.
pub fn validate_key(key: &str) -> Result<(), String> {
    let bad = key.is_empty()
        || key.starts_with('/')
        || key.contains('\\')
        || key.contains(':')
        || key
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..");
    if bad {
        Err(format!("generator produced an invalid file path: {key:?}"))
    } else {
        Ok(())
    }
}

/// The OS path of a validated `/`-separated key below `root`.
pub fn path_of(root: &Path, key: &str) -> PathBuf {
    key.split('/')
        .fold(root.to_path_buf(), |p, part| p.join(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ownable_excludes_target_and_hidden() {
        assert!(ownable("src/lib.rs"));
        assert!(ownable("Cargo.toml"));
        assert!(!ownable("target/debug/build/x/out/gen.rs"));
        assert!(ownable("src/target/x.rs"));
        assert!(!ownable(".git/config"));
        assert!(!ownable("src/.hidden.rs"));
    }

    #[test]
    fn content_comparison_ignores_crlf() {
        assert!(same_content(b"a\r\nb\r\n", "a\nb\n"));
        assert!(same_content(b"a\nb\n", "a\r\nb\r\n"));
        assert!(!same_content(b"a\nb", "a\nb\n"));
        assert!(!same_content(&[0xff, 0xfe], "x"));
    }

    #[test]
    fn keys_are_validated() {
        for bad in ["", "/abs", "a//b", "../x", "a/./b", "a\\b", "C:x", "a/"] {
            assert!(validate_key(bad).is_err(), "{bad:?} should be rejected");
        }
        for good in ["Cargo.toml", "src/lib.rs", "src/a/b.rs", ".gitattributes"] {
            assert!(validate_key(good).is_ok(), "{good:?} should be accepted");
        }
    }
}
