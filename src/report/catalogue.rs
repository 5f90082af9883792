//! The catalogue: the static part of a rule set that every advice refers to by id —
//! roles, principles and factors, tips, questions and rules with their texts, leads
//! (after the institution profile) and conditions. Documented in `docs/catalogue.md`.

use schemars::JsonSchema;
use serde::Serialize;

use super::advice::SCHEMA_VERSION;
use crate::ruleset::{
    horizon_text, CompiledRule, Question, QuestionIndex, QuestionKind, RuleKind, RuleSet,
    RuleSetInfo, Scale, Section, SectionKind, Stakeholder, Tip, TipIndex,
};

/// Everything an advice refers to by id, as one JSON document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Catalogue<'r> {
    /// The advice schema version whose ids this catalogue resolves.
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The rules: name, version and hash, as every advice names them.
    pub ruleset: &'r RuleSetInfo,
    /// The institution profile applied to leads and roles, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'r str>,
    /// The maturity level from which a tip counts as in place.
    pub in_place: Option<f64>,
    /// The roles (after the profile), in the order lanes list them.
    pub roles: &'r [Stakeholder],
    /// The scales with their labels.
    pub scales: Vec<CatalogueScale<'r>>,
    /// Principles then factors, by number.
    pub sections: Vec<CatalogueSection<'r>>,
    /// Every tip, in section order then document order.
    pub tips: Vec<CatalogueTip<'r>>,
    /// The questionnaire, in order.
    pub questions: Vec<CatalogueQuestion<'r>>,
    /// The rules, in rule order.
    pub rules: Vec<CatalogueRule<'r>>,
}

/// A scale and the labels of its levels.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CatalogueScale<'r> {
    /// Its id.
    pub id: &'r str,
    /// Lowest level.
    pub low: i64,
    /// Highest level.
    pub high: i64,
    /// `[level, label]`, ascending.
    pub labels: &'r [(i64, String)],
}

/// A principle or factor.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CatalogueSection<'r> {
    /// Its id.
    pub id: &'r str,
    /// Principle or factor.
    pub kind: SectionKind,
    /// The document's number.
    pub number: u32,
    /// The document's title.
    pub title: &'r str,
    /// The document's horizon, e.g. `kort-midden`; `null` where it gives none.
    pub horizon: Option<String>,
    /// A note the document adds, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'r str>,
    /// The questions its score counts (an advice's `mean` is of the answered ones).
    pub questions: u32,
    /// Its tip questions (an advice's `answered` counts the answered ones).
    pub tip_questions: u32,
    /// Its quick-scan question, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_scan: Option<&'r str>,
}

/// A tip.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CatalogueTip<'r> {
    /// Its id.
    pub id: &'r str,
    /// Its principle or factor.
    pub section: &'r str,
    /// The document's sub-heading it stands under, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'r str>,
    /// The document's text.
    pub text: &'r str,
    /// The role that leads it (after the profile); `null` when none.
    pub lead: Option<&'r str>,
    /// The other roles of its section, in the document's order.
    pub stakeholders: Vec<&'r str>,
    /// Its prerequisites.
    pub after: Vec<&'r str>,
    /// How many tips build on it.
    pub fundament: u32,
    /// The question that says how far it is in place, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<&'r str>,
    /// Why it does not apply, per `applies` condition (an advice's `not_applicable`
    /// names the index of the false one).
    pub applies: Vec<&'r str>,
}

/// A question.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CatalogueQuestion<'r> {
    /// Its id.
    pub id: &'r str,
    /// Its answer type: `type` (`scale` with `scale`, the index into `scales`, `yes_no`,
    /// `percent`, `number` with its `range`, `choice` with its `options`).
    #[serde(flatten)]
    pub kind: &'r QuestionKind,
    /// The text shown to the programme team.
    pub text: &'r str,
}

/// A rule.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CatalogueRule<'r> {
    /// Its id.
    pub id: &'r str,
    /// `recommend` or `raise`.
    pub kind: RuleKind,
    /// The template that wrote it, for a tip's base rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<&'r str>,
    /// Its explanation, in Dutch.
    pub because: &'r str,
    /// The tips it recommends or raises.
    pub tips: Vec<&'r str>,
    /// The questions its condition and priority read, in questionnaire order.
    pub reads: Vec<&'r str>,
}

impl RuleSet {
    /// The catalogue every advice of this rule set refers to.
    pub fn catalogue(&self) -> Catalogue<'_> {
        Catalogue {
            schema_version: SCHEMA_VERSION,
            ruleset: &self.info,
            profile: self.roles().profile(),
            in_place: self.in_place_level(),
            roles: self.roles().all(),
            scales: self.scales.iter().map(catalogue_scale).collect(),
            sections: self
                .sections
                .iter()
                .map(|s| self.catalogue_section(s))
                .collect(),
            tips: TipIndex::enumerate(&self.tips)
                .map(|(index, tip)| self.catalogue_tip(index, tip))
                .collect(),
            questions: self.questions.iter().map(catalogue_question).collect(),
            rules: self
                .rules
                .iter()
                .map(|rule| self.catalogue_rule(rule))
                .collect(),
        }
    }

    fn catalogue_section<'r>(&'r self, section: &'r Section) -> CatalogueSection<'r> {
        CatalogueSection {
            id: &section.id,
            kind: section.kind,
            number: section.number,
            title: &section.title,
            horizon: horizon_text(section.horizon),
            note: section.note.as_deref(),
            questions: u32::try_from(section.questions.len()).unwrap_or(u32::MAX),
            tip_questions: self.tip_question_count(section),
            quick_scan: section.quickscan.and_then(|q| self.question_id(q)),
        }
    }

    fn catalogue_tip<'r>(&'r self, index: TipIndex, tip: &'r Tip) -> CatalogueTip<'r> {
        let roles = self.roles();
        let lead = roles.lead_of(index);
        CatalogueTip {
            id: &tip.id,
            section: self
                .section_of(tip)
                .map_or("", |section| section.id.as_str()),
            group: tip.group.as_deref(),
            text: &tip.text,
            lead: lead
                .and_then(|role| roles.get(role))
                .map(|role| role.id.as_str()),
            stakeholders: roles
                .of_tip(index)
                .iter()
                .filter(|&&role| Some(role) != lead)
                .filter_map(|&role| roles.get(role))
                .map(|role| role.id.as_str())
                .collect(),
            after: tip.after.iter().filter_map(|&t| self.tip_id(t)).collect(),
            fundament: tip.fundament,
            question: tip.maturity_question.and_then(|q| self.question_id(q)),
            applies: tip.applies.iter().map(|c| c.because.as_str()).collect(),
        }
    }

    fn catalogue_rule<'r>(&'r self, rule: &'r CompiledRule) -> CatalogueRule<'r> {
        CatalogueRule {
            id: &rule.id,
            kind: rule.kind,
            template: rule.template.as_deref(),
            because: &rule.because,
            tips: rule
                .recommend
                .iter()
                .filter_map(|&t| self.tip_id(t))
                .collect(),
            reads: rule
                .reads
                .iter()
                .filter_map(|&q| self.question_id(q))
                .collect(),
        }
    }

    fn tip_id(&self, tip: TipIndex) -> Option<&str> {
        self.tip(tip).map(|tip| tip.id.as_str())
    }

    fn question_id(&self, question: QuestionIndex) -> Option<&str> {
        self.question(question).map(|question| question.id.as_str())
    }
}

fn catalogue_scale(scale: &Scale) -> CatalogueScale<'_> {
    CatalogueScale {
        id: &scale.id,
        low: scale.low,
        high: scale.high,
        labels: &scale.labels,
    }
}

fn catalogue_question(question: &Question) -> CatalogueQuestion<'_> {
    CatalogueQuestion {
        id: &question.id,
        kind: &question.kind,
        text: &question.text,
    }
}
