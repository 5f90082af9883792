//! File names for the pages of programmes: made from the programme id, safe on every
//! file system (Windows and macOS included), and unique within a folder, where names
//! that differ only in case count as the same. A clash is resolved in the order the
//! names are asked for (the input order), so the names are the same on every run.

use std::collections::HashSet;

/// The longest stem a page gets, in bytes (well below every file system's limit, with
/// room for a clash suffix and the extension).
const MAX_STEM: usize = 80;

/// The stem given to a programme whose id leaves nothing usable.
const FALLBACK_STEM: &str = "programma";

/// Names Windows reserves for devices, in any case and with any extension.
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A programme id made safe as a file name stem: ASCII letters, digits, `-`, `_` and
/// `.` are kept, every other character (a space, a slash, an accented letter) becomes
/// `_`; leading dots and trailing dots are dropped, the stem is cut at 80
/// bytes, and a name Windows reserves gets a `_`.
pub fn safe_file_stem(programme: &str) -> String {
    let mapped: String = programme
        .chars()
        .map(|character| match character {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => character,
            _ => '_',
        })
        .take(MAX_STEM)
        .collect();
    let stem = mapped.trim_matches('.');
    if stem.is_empty() || stem.chars().all(|character| character == '_') {
        return FALLBACK_STEM.to_owned();
    }
    let base = stem.split('.').next().unwrap_or(stem).to_ascii_lowercase();
    if RESERVED.contains(&base.as_str()) {
        return format!("{stem}_");
    }
    stem.to_owned()
}

/// Unique file names in one folder, handed out in order.
#[derive(Debug, Clone)]
pub struct FileNames {
    extension: &'static str,
    /// Every name handed out or reserved, lowercased.
    taken: HashSet<String>,
}

impl FileNames {
    /// Names ending in `.extension`; `reserved` stems (e.g. `index`) are never given.
    pub fn new(extension: &'static str, reserved: &[&str]) -> FileNames {
        let mut names = FileNames {
            extension,
            taken: HashSet::new(),
        };
        for stem in reserved {
            let name = names.name(stem);
            names.taken.insert(name.to_ascii_lowercase());
        }
        names
    }

    /// The next programme's file name: its safe stem, or on a clash with a name already
    /// given the stem with `-2`, `-3` and so on.
    pub fn assign(&mut self, programme: &str) -> String {
        let stem = safe_file_stem(programme);
        let mut name = self.name(&stem);
        let mut number = 1u64;
        while self.taken.contains(&name.to_ascii_lowercase()) {
            number += 1;
            name = self.name(&format!("{stem}-{number}"));
        }
        self.taken.insert(name.to_ascii_lowercase());
        name
    }

    fn name(&self, stem: &str) -> String {
        format!("{stem}.{}", self.extension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_safe_stems() {
        assert_eq!(safe_file_stem("B-HBO-ICT"), "B-HBO-ICT");
        assert_eq!(safe_file_stem("M Social Work/2025"), "M_Social_Work_2025");
        assert_eq!(safe_file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_stem("..."), "programma");
        assert_eq!(safe_file_stem(""), "programma");
        assert_eq!(safe_file_stem("€€"), "programma");
        assert_eq!(safe_file_stem("Opleiding één"), "Opleiding___n");
        assert_eq!(safe_file_stem("CON"), "CON_");
        assert_eq!(safe_file_stem("lpt1.x"), "lpt1.x_");
        assert_eq!(safe_file_stem(&"a".repeat(500)).len(), MAX_STEM);
    }

    #[test]
    fn clashes_are_numbered_in_order_ignoring_case() {
        let mut names = FileNames::new("html", &["index"]);
        assert_eq!(names.assign("P1"), "P1.html");
        assert_eq!(names.assign("p1"), "p1-2.html");
        assert_eq!(names.assign("P 1"), "P_1.html");
        assert_eq!(names.assign("P/1"), "P_1-2.html");
        assert_eq!(names.assign("index"), "index-2.html");
        assert_eq!(names.assign("INDEX"), "INDEX-3.html");
        assert_eq!(names.assign("p1-2"), "p1-2-2.html");
    }
}
