//! The content hash that ties every advice to the exact rules that produced it.

use std::fmt::Write as _;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::ParamOverride;
use crate::diagnostic::SourceFile;

/// SHA-256, in hex, of every file's relative name and text (sorted by name, so the order
/// the files were found in does not matter) and of the param overrides.
pub(super) fn content_hash(files: &[Arc<SourceFile>], overrides: &[ParamOverride]) -> String {
    let mut sorted: Vec<&Arc<SourceFile>> = files.iter().collect();
    sorted.sort_by(|a, b| a.hash_name.cmp(&b.hash_name));
    let mut hasher = Sha256::new();
    for file in sorted {
        hasher.update((file.hash_name.len() as u64).to_le_bytes());
        hasher.update(file.hash_name.as_bytes());
        hasher.update((file.text.len() as u64).to_le_bytes());
        hasher.update(file.text.as_bytes());
    }
    for ParamOverride { name, value } in overrides {
        hasher.update(format!("--param {name}={value}\n").as_bytes());
    }
    hex(&hasher.finalize())
}

/// The content hash of a rule set built with an institution profile: SHA-256, in hex,
/// of the hash without it and the profile's text.
pub(crate) fn profile_hash(hash: &str, profile_text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(hash.as_bytes());
    hasher.update(b"\nprofile\n");
    hasher.update((profile_text.len() as u64).to_le_bytes());
    hasher.update(profile_text.as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}
