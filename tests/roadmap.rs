//! The embedded Roadmap: it compiles cleanly, its rule tests pass, and its catalogue
//! holds every tip of the source document, in the right section.
//!
//! `tests/data/roadmap_source.txt` is a verbatim copy of the source text extraction of
//! "Bijlage 1 Roadmap to studentsucces".

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use studentsucces::ruleset::{RuleSet, SectionKind, TipIndex};

const SOURCE: &str = include_str!("data/roadmap_source.txt");

/// Tips per section in the document: principles 1–3, then factors 1–14.
const EXPECTED_TIPS: [usize; 17] = [4, 14, 13, 5, 6, 9, 9, 9, 18, 5, 15, 6, 6, 5, 4, 7, 8];

fn roadmap() -> RuleSet {
    RuleSet::roadmap()
        .unwrap_or_else(|error| panic!("{error:?}"))
        .into_ruleset()
}

/// Text without any whitespace, lower case: repairs the PDF's split words for comparison.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn the_embedded_roadmap_compiles_without_errors_or_warnings() {
    let compiled = RuleSet::roadmap().unwrap();
    assert!(
        compiled.warnings.0.is_empty(),
        "{}",
        compiled.warnings.render_plain()
    );
}

#[test]
fn every_rule_test_of_the_roadmap_passes() {
    let ruleset = roadmap();
    let outcomes = ruleset.run_tests();
    let tested: std::collections::BTreeSet<TipIndex> = ruleset
        .tests()
        .iter()
        .flat_map(|test| test.expectations.iter().map(|expectation| expectation.tip))
        .collect();
    // The template's behaviour is tested once; every rule written out and every tip
    // with an `applies` condition is tested through at least one of its tips.
    for rule in ruleset
        .rules()
        .iter()
        .filter(|rule| rule.template.is_none())
    {
        assert!(
            rule.recommend.iter().any(|tip| tested.contains(tip)),
            "no test expects a tip of rule `{}`",
            rule.id
        );
    }
    for tip in ruleset.tips() {
        let index = ruleset.tip_index(&tip.id).unwrap();
        let section_wide = ruleset
            .section_of(tip)
            .is_some_and(|section| section.tips.iter().any(|other| tested.contains(other)));
        assert!(
            tip.applies.is_empty() || tested.contains(&index) || section_wide,
            "no test covers the applicability of `{}`",
            tip.id
        );
    }
    let failures: Vec<_> = outcomes
        .iter()
        .filter(|outcome| !outcome.passed())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_catalogue_has_three_principles_and_fourteen_factors_in_order() {
    let ruleset = roadmap();
    let numbered: Vec<(SectionKind, u32)> = ruleset
        .sections()
        .iter()
        .map(|s| (s.kind, s.number))
        .collect();
    let expected: Vec<(SectionKind, u32)> = (1..=3)
        .map(|n| (SectionKind::Principle, n))
        .chain((1..=14).map(|n| (SectionKind::Factor, n)))
        .collect();
    assert_eq!(numbered, expected);
}

/// Where each section's tips stand in the squeezed source: from its first tip to the
/// next section's first tip (tips of factors 3, 8 and 12 start above their titles).
fn regions(ruleset: &RuleSet, source: &str) -> Vec<std::ops::Range<usize>> {
    let starts: Vec<usize> = ruleset
        .sections()
        .iter()
        .map(|section| {
            let first = ruleset.tip(section.tips[0]).unwrap();
            source
                .find(&squeeze(&first.text))
                .unwrap_or_else(|| panic!("{} not in the source", first.id))
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| start..starts.get(i + 1).copied().unwrap_or(source.len()))
        .collect()
}

#[test]
fn every_tip_of_the_source_is_in_the_catalogue_in_its_section() {
    let ruleset = roadmap();
    let source = squeeze(SOURCE);
    let regions = regions(&ruleset, &source);
    for (section, region) in ruleset.sections().iter().zip(&regions) {
        for &tip in &section.tips {
            let tip = ruleset.tip(tip).unwrap();
            let found = source
                .get(region.clone())
                .unwrap()
                .contains(&squeeze(&tip.text));
            assert!(
                found,
                "tip {} is not verbatim in the source section of {}",
                tip.id, section.id
            );
        }
    }
    let counts: Vec<usize> = ruleset
        .sections()
        .iter()
        .map(|section| section.tips.len())
        .collect();
    assert_eq!(counts, EXPECTED_TIPS);
}

/// Stakeholder bullets of the source, squeezed: every other bullet is a tip.
const STAKEHOLDER_PREFIXES: [&str; 9] = [
    "directiesvan",
    "decanenen",
    "expertsbuiten",
    "hradviseurs",
    "hr-adviseurs",
    "ictdeskundigen",
    "functioneelbeheer",
    "beleidsadviseursict",
    "werkveldadviescommissi",
];

/// A stakeholder bullet is a declared role's name, or the start of one the PDF broke.
fn is_stakeholder(ruleset: &RuleSet, bullet: &str) -> bool {
    let bullet = squeeze(bullet);
    ruleset
        .stakeholders()
        .iter()
        .any(|s| squeeze(&s.name) == bullet)
        || STAKEHOLDER_PREFIXES
            .iter()
            .any(|prefix| bullet.starts_with(prefix))
}

#[test]
fn counting_the_source_bullets_gives_the_documented_tip_counts() {
    let ruleset = roadmap();
    let squeezed = squeeze(SOURCE);
    let regions = regions(&ruleset, &squeezed);
    let mut counts = [0usize; 17];
    let mut offset = 0;
    for line in SOURCE.lines() {
        let trimmed = line.trim();
        offset += squeeze(line).len();
        // The line's last character: inside the tip's own text, so inside its region.
        let position = offset.saturating_sub(1);
        let bullet = trimmed.strip_prefix('-').map(str::trim);
        // Factor 14 ends with one tip the PDF lost its dash for.
        let undashed = trimmed.starts_with("Er zijn studentdecanen en studentpsychologen");
        let is_tip = match bullet {
            Some(text) => !text.is_empty() && !is_stakeholder(&ruleset, text),
            None => undashed,
        };
        if is_tip {
            let section = regions
                .iter()
                .position(|r| r.contains(&position))
                .unwrap_or_else(|| panic!("bullet outside every section: {line}"));
            counts[section] += 1;
        }
    }
    // The first principle's region starts at its first tip, so no bullet falls before it.
    assert_eq!(counts, EXPECTED_TIPS);
}
