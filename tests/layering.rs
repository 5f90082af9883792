//! The layering of the library in `src/`: a module imports only from modules below it
//! in [`LAYERS`], the order ARCHITECTURE.md draws. The binary (`src/main.rs` and its
//! own `src/cli/`) is no layer: it reaches the library only as `studentsucces::`. Every `crate::` path (in `use` lines, grouped
//! `use crate::{..}` trees and inline) and every `super::` path that climbs out of a
//! top-level module counts; comments, strings and `#[cfg(test)]` items do not (tests
//! may build their fixtures with any part of the crate).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

/// The layers, lowest first. Keep in step with the diagram in ARCHITECTURE.md.
const LAYERS: [&str; 13] = [
    "diagnostic",
    "syntax",
    "format",
    "ruleset",
    "compile",
    "eval",
    "plan",
    "input",
    "error",
    "load",
    "report",
    "batch",
    "research",
];

/// Files that belong to no layer: the crate root and the binary.
const ROOTS: [&str; 2] = ["lib.rs", "main.rs"];

/// The binary's own modules, below `src/` next to the library's.
const BINARY_MODULES: [&str; 1] = ["cli"];

/// One import that breaks the layering.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    import: String,
    rule: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: `{}`: {}",
            self.file, self.line, self.import, self.rule
        )
    }
}

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| *layer == module)
}

/// The module path of a file under `src/`: `plan/export.rs` is `[plan, export]`.
fn module_path(relative: &str) -> Vec<String> {
    let without_extension = relative.strip_suffix(".rs").unwrap_or(relative);
    let mut path: Vec<String> = without_extension.split('/').map(str::to_owned).collect();
    if path.last().is_some_and(|last| last == "mod") {
        path.pop();
    }
    path
}

/// The source with comments, string and character literals blanked out (newlines
/// kept, so offsets keep their line numbers).
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end = if c == '/' && next == Some('/') {
            chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |n| i + n)
        } else if c == '/' && next == Some('*') {
            block_comment_end(&chars, i)
        } else if c == '"' {
            string_end(&chars, i + 1, 0)
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) == Some(&'"') {
                string_end(&chars, i + 2 + hashes, hashes)
            } else {
                i + 1
            }
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            char_end(&chars, i)
        } else {
            i + 1
        };
        if end == i + 1 && !(c == '"' || c == '\'') {
            out.push(c);
        } else {
            out.extend(chars[i..end].iter().map(|&c| blank(c)));
        }
        i = end;
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

fn block_comment_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => {
                depth += 1;
                i += 2;
            }
            ('*', '/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// The end of a string whose text starts at `from`; `hashes` for a raw string.
fn string_end(chars: &[char], from: usize, hashes: usize) -> usize {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '\\' && hashes == 0 {
            i += 2;
        } else if chars[i] == '"'
            && chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        } else {
            i += 1;
        }
    }
    chars.len()
}

fn char_end(chars: &[char], start: usize) -> usize {
    let from = if chars.get(start + 1) == Some(&'\\') {
        start + 3
    } else {
        start + 2
    };
    chars[from..]
        .iter()
        .position(|&c| c == '\'')
        .map_or(chars.len(), |n| from + n + 1)
}

/// Blanks every item marked `#[cfg(test)]`: up to its `;`, or through its `{..}` block.
fn without_test_items(code: &str) -> String {
    let marker = "#[cfg(test)]";
    let mut blanked = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(marker) {
        let start = from + found;
        let end = item_end(code.as_bytes(), start + marker.len());
        blanked.push(start..end);
        from = end;
    }
    code.char_indices()
        .map(|(at, c)| {
            let hidden = c != '\n' && blanked.iter().any(|range| range.contains(&at));
            if hidden {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn item_end(code: &[u8], from: usize) -> usize {
    let mut depth = 0;
    for (offset, &byte) in code[from..].iter().enumerate() {
        match byte {
            b';' if depth == 0 => return from + offset + 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return from + offset + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// The top-level modules a path names after `crate::` (or after climbing to the crate
/// root), given the text that follows: one for `a::..`, each entry's for `{a::.., b}`.
fn named_modules(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 0;
        let mut entries = vec![String::new()];
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => entries.push(String::new()),
                _ => {}
            }
            if let Some(entry) = entries.last_mut() {
                entry.push(c);
            }
        }
        return entries
            .iter()
            .flat_map(|entry| named_modules(entry.trim_start_matches(',')))
            .collect();
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() || name == "self" {
        return Vec::new();
    }
    vec![name]
}

/// How many inline `mod name {` blocks are open at each byte offset's brace depth.
fn inline_module_depth(code: &str, at: usize) -> usize {
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0;
    let bytes = code.as_bytes();
    for (offset, &byte) in bytes[..at].iter().enumerate() {
        match byte {
            b'{' => {
                depth += 1;
                let before = code[..offset].trim_end();
                let opens_module = before
                    .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .nth(1)
                    .is_some_and(|word| word == "mod");
                if opens_module {
                    open.push(depth);
                }
            }
            b'}' => {
                if open.last() == Some(&depth) {
                    open.pop();
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    open.len()
}

/// Every import of one source file that breaks the layering. `relative` is the path
/// below `src/`, with `/` separators.
fn check_source(relative: &str, source: &str) -> Vec<Violation> {
    let path = module_path(relative);
    let Some(own) = path.first().filter(|_| !ROOTS.contains(&relative)) else {
        return Vec::new();
    };
    let file = format!("src/{relative}");
    let violation = |line: usize, rule: String| Violation {
        file: file.clone(),
        line,
        import: source.lines().nth(line - 1).unwrap_or("").trim().to_owned(),
        rule,
    };
    let Some(own_rank) = rank(own) else {
        return vec![violation(
            1,
            format!("`{own}` is not in the declared layers {LAYERS:?}"),
        )];
    };
    let code = without_test_items(&code_only(source));
    let mut violations = Vec::new();
    for (at, target) in imports(&code, path.len()) {
        let line = code[..at].matches('\n').count() + 1;
        let rule = match rank(&target) {
            Some(target_rank) if target_rank < own_rank || target == *own => continue,
            Some(_) => format!(
                "`{own}` imports `{target}`, which is not below it; a module imports only \
                 from modules below it: {}",
                LAYERS.join(" < ")
            ),
            None if ROOTS
                .iter()
                .any(|root| root.trim_end_matches(".rs") == target) =>
            {
                continue
            }
            None => format!("`{target}` is not in the declared layers {LAYERS:?}"),
        };
        violations.push(violation(line, rule));
    }
    violations
}

/// The top-level modules a file's code names, with the offset where each path starts:
/// `crate::x` paths, and `super::` chains that climb to the crate root.
fn imports(code: &str, file_depth: usize) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        found.extend(named_modules(rest).into_iter().map(|module| (at, module)));
    }
    let mut from = 0;
    while let Some(offset) = code[from..].find("super::") {
        let at = from + offset;
        let mut rest = &code[at..];
        let mut climbs = 0;
        while let Some(after) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = after.trim_start();
        }
        from = code.len() - rest.len();
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let depth = file_depth + inline_module_depth(code, at);
        if climbs >= depth {
            found.extend(named_modules(rest).into_iter().map(|module| (at, module)));
        }
    }
    found
}

/// Whether a file under `src/` belongs to the binary: `main.rs` or one of its modules.
fn is_binary(src: &Path, file: &Path) -> bool {
    let relative = file.strip_prefix(src).unwrap();
    relative == Path::new("main.rs")
        || BINARY_MODULES.iter().any(|module| {
            relative.starts_with(module) || relative == Path::new(&format!("{module}.rs"))
        })
}

/// Every path of one binary file that reaches into the library other than as
/// `studentsucces::`: a `crate::` or climbing `super::` path to a module that is not
/// the binary's own, a `mod` of a library module, or a `#[path]` attribute.
fn check_binary_source(relative: &str, source: &str) -> Vec<Violation> {
    let code = code_only(source);
    let depth = if ROOTS.contains(&relative) {
        0
    } else {
        module_path(relative).len()
    };
    let violation = |at: usize, rule: String| {
        let line = code[..at].matches('\n').count() + 1;
        Violation {
            file: format!("src/{relative}"),
            line,
            import: source.lines().nth(line - 1).unwrap_or("").trim().to_owned(),
            rule,
        }
    };
    let mut violations: Vec<Violation> = imports(&code, depth)
        .into_iter()
        .filter(|(_, module)| !BINARY_MODULES.contains(&module.as_str()))
        .map(|(at, module)| {
            violation(
                at,
                format!("the binary names `{module}` as its own; it reaches the library only as `studentsucces::`"),
            )
        })
        .collect();
    for (at, _) in code.match_indices("#[path") {
        violations.push(violation(
            at,
            "the binary includes a file by `#[path]`".to_owned(),
        ));
    }
    if relative == "main.rs" {
        for (at, _) in code.match_indices("mod ") {
            let name = named_modules(&code[at + "mod ".len()..]);
            if name
                .iter()
                .any(|name| !BINARY_MODULES.contains(&name.as_str()))
            {
                violations.push(violation(
                    at,
                    format!("the binary declares a module other than {BINARY_MODULES:?}"),
                ));
            }
        }
    }
    violations
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn every_module_imports_only_from_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let violations: Vec<String> = files
        .iter()
        .filter(|file| !is_binary(&src, file))
        .flat_map(|file| {
            let relative = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            check_source(&relative, &std::fs::read_to_string(file).unwrap())
        })
        .map(|violation| violation.to_string())
        .collect();
    assert!(
        violations.is_empty(),
        "{} import(s) break the layering:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[test]
fn the_binary_reaches_the_library_only_as_studentsucces() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let binary: Vec<&PathBuf> = files.iter().filter(|file| is_binary(&src, file)).collect();
    assert!(
        binary.len() > 5,
        "found only {} files of the binary",
        binary.len()
    );
    let violations: Vec<String> = binary
        .iter()
        .flat_map(|file| {
            let relative = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            check_binary_source(&relative, &std::fs::read_to_string(file).unwrap())
        })
        .map(|violation| violation.to_string())
        .collect();
    assert!(
        violations.is_empty(),
        "{} path(s) of the binary reach into the library:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[test]
fn a_binary_path_into_the_library_is_reported() {
    let source = "mod cli;\nmod report;\nuse crate::cli::run;\nuse crate::report::Advice;\n";
    let lines: Vec<usize> = check_binary_source("main.rs", source)
        .iter()
        .map(|violation| violation.line)
        .collect();
    assert_eq!(lines, [4, 2]);
    let climbing = check_binary_source("cli/advise.rs", "use super::super::batch::Batch;\n");
    assert_eq!(climbing.len(), 1, "{climbing:?}");
}

#[test]
fn the_architecture_diagram_draws_the_same_order() {
    let architecture =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let section = architecture
        .split("## Layers")
        .nth(1)
        .expect("a `## Layers` section");
    let diagram = section
        .split("```")
        .nth(1)
        .expect("a diagram in `## Layers`");
    let mut drawn: Vec<&str> = diagram
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    drawn.reverse();
    assert_eq!(
        drawn, LAYERS,
        "ARCHITECTURE.md draws the layers top (batch) to bottom"
    );
}

#[test]
fn a_use_line_from_a_higher_layer_is_reported() {
    let violations = check_source("plan/export.rs", "use crate::report::horizon_text;\n");
    assert_eq!(violations.len(), 1, "{violations:?}");
    let violation = &violations[0];
    assert_eq!(violation.file, "src/plan/export.rs");
    assert_eq!(violation.line, 1);
    assert_eq!(violation.import, "use crate::report::horizon_text;");
    assert!(
        violation.rule.contains("`plan` imports `report`"),
        "{}",
        violation.rule
    );
}

#[test]
fn groups_inline_paths_and_climbing_super_paths_are_reported() {
    let source = "\
use crate::{
    ruleset::{RuleSet, TipIndex},
    input::{did_you_mean, limits::MAX},
};

fn f() {
    let x = crate::batch::Cohort::new();
    let y = super::super::report::Advice::default();
    let z = super::lanes::of();
}
";
    let violations = check_source("plan/profile.rs", source);
    let lines: Vec<usize> = violations.iter().map(|violation| violation.line).collect();
    assert_eq!(lines, [1, 7, 8], "{violations:#?}");
    assert!(violations[0].rule.contains("`input`"));
}

#[test]
fn comments_strings_tests_and_lower_layers_are_not_reported() {
    let source = r#"
//! See [`crate::report::Advice`].
use crate::ruleset::RuleSet;
use super::lanes;
const TEXT: &str = "crate::batch::Batch";
/* crate::cli */
#[cfg(test)]
mod tests {
    use crate::report::Advice;
    fn f() { let _ = super::super::batch::Batch::new(); }
}
"#;
    assert_eq!(check_source("plan/export.rs", source), []);
}

#[test]
fn a_module_outside_the_declared_layers_is_reported() {
    let violations = check_source("stray.rs", "fn f() {}\n");
    assert_eq!(violations.len(), 1);
    assert!(violations[0].rule.contains("not in the declared layers"));
}
