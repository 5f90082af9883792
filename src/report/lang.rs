//! The language of the labels around the Roadmap's texts in reports for people. The
//! Roadmap's own texts (tips, sections, questions, reasons) stay Dutch in every
//! language; only headings, column names and captions change.

use serde::{Deserialize, Serialize};

/// A language for report labels: Dutch by default, English on request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch, the language of the Roadmap and of its readers.
    #[default]
    Nl,
    /// English, for international staff and boards.
    En,
}

impl Lang {
    /// Every language, in the order a help text lists them.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The label in this language, given in both: `lang.pick("Deze cyclus", "This cycle")`.
    /// Keeping both texts at the place of use keeps each label next to its meaning.
    pub fn pick(self, dutch: &'static str, english: &'static str) -> &'static str {
        match self {
            Lang::Nl => dutch,
            Lang::En => english,
        }
    }

    /// The ISO 639-1 code, for `<html lang="...">` and `--lang`.
    pub fn code(self) -> &'static str {
        self.pick("nl", "en")
    }

    /// The language of an ISO 639-1 code (`nl`, `en`), case-insensitive.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_dutch_is_the_default() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::default().pick("ja", "yes"), "ja");
    }
}
