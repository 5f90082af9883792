//! Embeds every file of `rules/roadmap/` in the binary, in path order, so the default
//! Roadmap rule set needs no files at run time.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = env::var("CARGO_MANIFEST_DIR")?;
    let dir = Path::new(&manifest).join("rules").join("roadmap");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rules"))
        .collect();
    names.sort();
    let mut code =
        String::from("/// The Roadmap rule files: (name relative to `rules/roadmap/`, text).\n");
    code.push_str("pub(crate) const ROADMAP_FILES: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
    }
    code.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR")?).join("roadmap_files.rs"),
        code,
    )?;
    Ok(())
}
