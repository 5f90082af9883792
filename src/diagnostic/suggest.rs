//! "Did you mean" hints for names that are almost right: rules, profiles and the
//! columns and keys of assessments.

/// Names (columns, keys, sheets) longer than this get no "did you mean": the edit
/// distance takes time in the product of the lengths.
pub const MAX_SUGGESTED_NAME_BYTES: usize = 64;

/// "; did you mean `x`?" when a candidate is close to `name`, else "". Names and
/// candidates longer than [`MAX_SUGGESTED_NAME_BYTES`] get no suggestion: the
/// edit distance takes time in the product of the lengths, and no typo is that long.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    if name.len() > MAX_SUGGESTED_NAME_BYTES {
        return String::new();
    }
    let short = candidates.filter(|candidate| candidate.len() <= MAX_SUGGESTED_NAME_BYTES);
    super::closest(name, short).map_or_else(String::new, |candidate| {
        format!("; did you mean `{candidate}`?")
    })
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;
    use super::MAX_SUGGESTED_NAME_BYTES;

    #[test]
    fn a_name_at_the_suggestion_limit_still_gets_one() {
        let candidate = "a".repeat(MAX_SUGGESTED_NAME_BYTES);
        let name = format!("{}b", "a".repeat(MAX_SUGGESTED_NAME_BYTES - 1));
        let suggestion = did_you_mean(&name, std::iter::once(candidate.as_str()));
        assert!(suggestion.contains(&candidate), "{suggestion}");
    }

    #[test]
    fn a_name_past_the_suggestion_limit_gets_none() {
        let candidate = "a".repeat(MAX_SUGGESTED_NAME_BYTES + 1);
        let name = format!("{}b", "a".repeat(MAX_SUGGESTED_NAME_BYTES));
        assert_eq!(did_you_mean(&name, std::iter::once(candidate.as_str())), "");
        assert_eq!(
            did_you_mean("aaaa", std::iter::once(candidate.as_str())),
            ""
        );
    }
}
