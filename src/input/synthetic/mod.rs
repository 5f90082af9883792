//! A synthetic cohort of programmes with realistic, correlated answers, for benchmarks
//! and for researchers trying rules. Each programme has an overall strength; each
//! principle or factor an offset from it, so a programme is strong or weak across the
//! questions of one factor together; each answer adds a little noise. Some programmes
//! answer only a factor's quick-scan question, and every programme leaves some answers
//! open ("weet niet", "n.v.t." or empty). Context questions get plausible values that
//! follow the programme's sector, level and strength (see `context`). The same seed
//! gives the same cohort, on every platform (ChaCha8).

mod context;

use rand::{RngExt as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};

use self::context::{choose, Context, ContextValue, Profile, Sector};
use crate::ruleset::{Question, QuestionKind, RuleSet};

/// Fictional institutions, faculties and programme names for the metadata columns.
const INSTITUTIONS: [&str; 6] = [
    "Hogeschool Noorderlicht",
    "Hogeschool Rijndelta",
    "Hogeschool De Kempen",
    "Universiteit Lage Landen",
    "Hogeschool Zuidwaarts",
    "Hogeschool IJsselstreek",
];
const FACULTIES: [&str; 6] = [
    "Gezondheid",
    "Techniek",
    "Economie en Management",
    "Onderwijs",
    "Sociale Studies",
    "Kunst en Media",
];
const PROGRAMME_NAMES: [&str; 16] = [
    "Verpleegkunde",
    "HBO-ICT",
    "Bedrijfskunde",
    "Social Work",
    "Werktuigbouwkunde",
    "Leraar Basisonderwijs",
    "Accountancy",
    "Communicatie",
    "Fysiotherapie",
    "Built Environment",
    "Chemie",
    "Rechten",
    "Logistiek",
    "Pedagogiek",
    "Facility Management",
    "Toegepaste Psychologie",
];

/// How an open answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenAnswer {
    /// An empty cell.
    Empty,
    /// "weet niet".
    DoNotKnow,
    /// "n.v.t.".
    NotApplicable,
}

/// One generated answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SyntheticAnswer {
    /// No answer, written as shown.
    Open(OpenAnswer),
    /// A level of a scale; `labelled` writes it as the questionnaire does
    /// ("3 - Ingevoerd") rather than as a digit.
    Level {
        /// The level.
        level: i64,
        /// Written with its label.
        labelled: bool,
    },
    /// A number or percentage, to one decimal.
    Number(f64),
    /// A yes/no answer.
    YesNo(bool),
    /// The index of a choice option.
    Choice(usize),
}

/// One generated programme.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticProgramme {
    /// Its id.
    pub programme: String,
    /// Metadata: name, institution, faculty, contact.
    pub meta: [(&'static str, String); 4],
    /// One answer per question of the rule set, in question order.
    pub answers: Vec<SyntheticAnswer>,
}

/// Where a question's answers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A question of a principle or factor (index into the sections); `quick_scan`
    /// for its quick-scan question.
    Section { section: usize, quick_scan: bool },
    /// A context question known to the Roadmap.
    Context(Context),
    /// Any other question: a plausible value of its type.
    Other,
}

/// The generator: an iterator of [`SyntheticProgramme`]s.
#[derive(Debug, Clone)]
pub struct Cohort<'r> {
    ruleset: &'r RuleSet,
    rng: ChaCha8Rng,
    sources: Vec<Source>,
    generated: u64,
    programmes: u64,
    /// Per section, this programme's offset from its strength (reused buffer).
    offsets: Vec<f64>,
    /// Per section, whether this programme answers only its quick-scan question.
    quick_scan_only: Vec<bool>,
}

impl<'r> Cohort<'r> {
    /// A cohort of `programmes` programmes for `ruleset`, determined by `seed`.
    pub fn new(ruleset: &'r RuleSet, programmes: u64, seed: u64) -> Cohort<'r> {
        let sections = ruleset.sections().len();
        Cohort {
            ruleset,
            rng: ChaCha8Rng::seed_from_u64(seed),
            sources: ruleset
                .questions()
                .iter()
                .map(|question| source(ruleset, &question.id))
                .collect(),
            generated: 0,
            programmes,
            offsets: vec![0.0; sections],
            quick_scan_only: vec![false; sections],
        }
    }

    fn normal(&mut self) -> f64 {
        StandardNormal.sample(&mut self.rng)
    }

    fn programme(&mut self) -> SyntheticProgramme {
        self.generated += 1;
        let number = self.generated;
        let strength = self.normal();
        for section in 0..self.offsets.len() {
            let offset = 0.7 * self.normal();
            let quick_scan_only = self.rng.random_bool(0.12);
            if let (Some(slot), Some(flag)) = (
                self.offsets.get_mut(section),
                self.quick_scan_only.get_mut(section),
            ) {
                *slot = offset;
                *flag = quick_scan_only;
            }
        }
        // Most programmes leave a few answers open, some many.
        let open_rate = match self.rng.random_range(0..100) {
            0..70 => 0.03,
            70..95 => 0.10,
            _ => 0.30,
        };
        let labelled = self.rng.random_bool(0.2);
        let institution = pick(&mut self.rng, &INSTITUTIONS);
        let sector = Sector::of_institution(&institution);
        let profile = Profile::draw(&mut self.rng, sector, strength);
        let answers = (0..self.sources.len())
            .map(|index| self.answer(index, strength, open_rate, labelled, &profile))
            .collect();
        SyntheticProgramme {
            programme: format!("P{number:07}"),
            meta: self.meta(number, institution),
            answers,
        }
    }

    fn meta(&mut self, number: u64, institution: String) -> [(&'static str, String); 4] {
        let name = pick(&mut self.rng, &PROGRAMME_NAMES);
        let faculty = pick(&mut self.rng, &FACULTIES);
        [
            ("name", name),
            ("institution", institution),
            ("faculty", faculty),
            ("contact", format!("opleiding.{number}@example.nl")),
        ]
    }

    fn open(&mut self) -> SyntheticAnswer {
        SyntheticAnswer::Open(match choose(&mut self.rng, &[0.6, 0.25, 0.15]) {
            0 => OpenAnswer::Empty,
            1 => OpenAnswer::DoNotKnow,
            _ => OpenAnswer::NotApplicable,
        })
    }

    fn answer(
        &mut self,
        index: usize,
        strength: f64,
        open_rate: f64,
        labelled: bool,
        profile: &Profile,
    ) -> SyntheticAnswer {
        let ruleset = self.ruleset;
        let (Some(question), Some(&source)) =
            (ruleset.questions().get(index), self.sources.get(index))
        else {
            return SyntheticAnswer::Open(OpenAnswer::Empty);
        };
        match source {
            Source::Section {
                section,
                quick_scan,
            } => {
                let offset = self.offsets.get(section).copied().unwrap_or(0.0);
                let detail_skipped =
                    !quick_scan && self.quick_scan_only.get(section).copied().unwrap_or(false);
                if detail_skipped || self.rng.random_bool(open_rate) {
                    return self.open();
                }
                let noise = if quick_scan { 0.3 } else { 0.6 };
                let latent = 0.5 + 0.2 * strength + 0.17 * offset + noise * 0.25 * self.normal();
                self.typed(question, latent, labelled)
            }
            Source::Context(context) => {
                if self.rng.random_bool(open_rate / 3.0) {
                    return self.open();
                }
                self.context(question, profile.value(context))
            }
            Source::Other => {
                if self.rng.random_bool(open_rate) {
                    return self.open();
                }
                let latent = 0.5 + 0.2 * strength + 0.2 * self.normal();
                self.typed(question, latent, labelled)
            }
        }
    }

    /// An answer of a question's type at `latent` (0 lowest, 1 highest).
    fn typed(&mut self, question: &Question, latent: f64, labelled: bool) -> SyntheticAnswer {
        let latent = latent.clamp(0.0, 1.0);
        match &question.kind {
            QuestionKind::Scale { scale } => {
                let (low, high) = self
                    .ruleset
                    .scales()
                    .get(*scale as usize)
                    .map_or((0, 4), |scale| (scale.low, scale.high));
                let level = low as f64 + latent * (high - low) as f64;
                SyntheticAnswer::Level {
                    level: (level.round() as i64).clamp(low, high),
                    labelled,
                }
            }
            QuestionKind::YesNo => SyntheticAnswer::YesNo(self.rng.random_bool(latent)),
            QuestionKind::Percent => SyntheticAnswer::Number(one_decimal(latent * 100.0)),
            QuestionKind::Number { range } => {
                let (low, high) = range.unwrap_or((0.0, 100.0));
                SyntheticAnswer::Number(one_decimal(low + latent * (high - low)).clamp(low, high))
            }
            QuestionKind::Choice { options } => {
                SyntheticAnswer::Choice(self.rng.random_range(0..options.len().max(1)))
            }
        }
    }

    /// A context question's answer from the programme's profile, by option id for a
    /// choice question.
    fn context(&mut self, question: &Question, value: ContextValue) -> SyntheticAnswer {
        let answer = match (value, &question.kind) {
            (ContextValue::Number(number), _) => SyntheticAnswer::Number(one_decimal(number)),
            (ContextValue::Option(id), QuestionKind::Choice { options }) => {
                options.iter().position(|option| option.id == id).map_or(
                    SyntheticAnswer::Open(OpenAnswer::Empty),
                    SyntheticAnswer::Choice,
                )
            }
            (ContextValue::Option(_), _) => SyntheticAnswer::Open(OpenAnswer::Empty),
        };
        self.fits(question, answer)
    }

    /// The answer when it fits the question as the rules declare it, else a plain
    /// answer of the question's type (the rules may declare the context differently).
    fn fits(&mut self, question: &Question, answer: SyntheticAnswer) -> SyntheticAnswer {
        let fits = match (&question.kind, answer) {
            (QuestionKind::Percent, SyntheticAnswer::Number(value)) => {
                (0.0..=100.0).contains(&value)
            }
            (QuestionKind::Number { range }, SyntheticAnswer::Number(value)) => {
                range.is_none_or(|(low, high)| (low..=high).contains(&value))
            }
            (QuestionKind::Choice { options }, SyntheticAnswer::Choice(index)) => {
                index < options.len()
            }
            _ => false,
        };
        if fits {
            answer
        } else {
            let latent = self.rng.random();
            self.typed(question, latent, false)
        }
    }
}

impl Iterator for Cohort<'_> {
    type Item = SyntheticProgramme;

    fn next(&mut self) -> Option<SyntheticProgramme> {
        (self.generated < self.programmes).then(|| self.programme())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.programmes - self.generated).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

/// Where a question's answers come from: the section its id starts with (or, for
/// `quickscan.<section>`, names), a known context question, or neither.
fn source(ruleset: &RuleSet, id: &str) -> Source {
    if let Some(context) = Context::of(id) {
        return Source::Context(context);
    }
    let (head, rest) = id.split_once('.').unwrap_or((id, ""));
    let (section_id, quick_scan) = match head {
        "quickscan" => (rest, true),
        _ => (head, false),
    };
    ruleset
        .sections()
        .iter()
        .position(|section| section.id == section_id)
        .map_or(Source::Other, |section| Source::Section {
            section,
            quick_scan,
        })
}

/// One of `names`, drawn uniformly.
fn pick(rng: &mut ChaCha8Rng, names: &[&str]) -> String {
    let index = rng.random_range(0..names.len());
    names.get(index).copied().unwrap_or_default().to_owned()
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
