//! The labels of the pages in one language. The Roadmap's own texts (tips, sections,
//! reasons, why now) are not labels: they stay Dutch in every language.

use serde::Serialize;

use crate::report::Lang;

/// Every heading, caption and column name of a programme's page and of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(missing_docs)] // Each field is the label its name says.
pub struct Labels {
    pub title: &'static str,
    pub index_title: &'static str,
    pub back_to_index: &'static str,
    pub programme: &'static str,
    pub name: &'static str,
    pub faculty: &'static str,
    pub institution: &'static str,
    pub contact: &'static str,
    pub rules: &'static str,
    pub version: &'static str,
    pub hash: &'static str,
    pub profile: &'static str,
    pub contents: &'static str,
    pub scores: &'static str,
    pub scores_intro: &'static str,
    pub chart_title: &'static str,
    pub chart_description: &'static str,
    pub scores_table: &'static str,
    pub section: &'static str,
    pub kind: &'static str,
    pub score: &'static str,
    pub answered: &'static str,
    pub asked: &'static str,
    pub coverage: &'static str,
    pub quick_scan_only: &'static str,
    pub principle: &'static str,
    pub factor: &'static str,
    pub no_answer: &'static str,
    pub this_cycle: &'static str,
    pub this_cycle_none: &'static str,
    pub next_cycle: &'static str,
    pub later: &'static str,
    pub tip: &'static str,
    pub under: &'static str,
    pub lead: &'static str,
    pub horizon: &'static str,
    pub priority: &'static str,
    pub phase: &'static str,
    pub why_now: &'static str,
    pub evidence: &'static str,
    pub team_comment: &'static str,
    pub context_assumed: &'static str,
    pub section_note: &'static str,
    pub after: &'static str,
    pub plan: &'static str,
    pub plan_intro: &'static str,
    pub stakeholder: &'static str,
    pub leads_count: &'static str,
    pub involved_count: &'static str,
    pub cycle: &'static str,
    pub to_establish: &'static str,
    pub scan_first: &'static str,
    pub open_tips: &'static str,
    pub questions_to_answer: &'static str,
    pub reason: &'static str,
    pub not_applicable: &'static str,
    pub comments: &'static str,
    pub question: &'static str,
    pub comment: &'static str,
    pub warnings: &'static str,
    pub appendix: &'static str,
    pub appendix_intro: &'static str,
    pub status: &'static str,
    pub none: &'static str,
    pub advised: &'static str,
    pub failed: &'static str,
    pub error: &'static str,
    pub row: &'static str,
    pub report: &'static str,
}

impl Labels {
    /// The labels in `lang`.
    pub fn new(lang: Lang) -> Labels {
        let l = |dutch, english| lang.pick(dutch, english);
        Labels {
            title: l("Advies studentsucces", "Student success advice"),
            index_title: l("Adviezen studentsucces per opleiding", "Student success advice per programme"),
            back_to_index: l("Terug naar het overzicht", "Back to the overview"),
            programme: l("Opleiding", "Programme"),
            name: l("Naam", "Name"),
            faculty: l("Faculteit", "Faculty"),
            institution: l("Instelling", "Institution"),
            contact: l("Contact", "Contact"),
            rules: l("Regels", "Rules"),
            version: l("versie", "version"),
            hash: l("hash", "hash"),
            profile: l("Profiel", "Profile"),
            contents: l("Inhoud", "Contents"),
            scores: l("Profiel per uitgangspunt en factor", "Profile per principle and factor"),
            scores_intro: l(
                "Gemiddelde score op de schaal 0–4 (0 niet aanwezig, 4 geborgd) en hoeveel van de tipvragen zijn beantwoord.",
                "Mean score on the 0–4 scale (0 not present, 4 embedded) and how many of the tip questions were answered.",
            ),
            chart_title: l("Scores per uitgangspunt en factor", "Scores per principle and factor"),
            chart_description: l(
                "Staafdiagram: één staaf per uitgangspunt en factor, lengte is de gemiddelde score op de schaal 0–4; rechts score en beantwoord/gevraagd. De tabel hieronder bevat dezelfde gegevens.",
                "Bar chart: one bar per principle and factor, the length is the mean score on the 0–4 scale; on the right the score and answered/asked. The table below holds the same data.",
            ),
            scores_table: l("Scores en dekking", "Scores and coverage"),
            section: l("Onderdeel", "Section"),
            kind: l("Soort", "Kind"),
            score: l("Score", "Score"),
            answered: l("Beantwoord", "Answered"),
            asked: l("Gevraagd", "Asked"),
            coverage: l("Dekking", "Coverage"),
            quick_scan_only: l("alleen quick-scan", "quick scan only"),
            principle: l("Uitgangspunt", "Principle"),
            factor: l("Factor", "Factor"),
            no_answer: l("geen antwoord", "no answer"),
            this_cycle: l("Deze cyclus", "This cycle"),
            this_cycle_none: l(
                "Geen tips voor deze cyclus: begin met wat hieronder eerst uit te zoeken is, of alle tips die van toepassing zijn, zijn volgens de zelfscan ingevoerd.",
                "No tips for this cycle: start with what is to be established below, or every tip that applies is in place according to the self-assessment.",
            ),
            next_cycle: l("Volgende cyclus", "Next cycle"),
            later: l("Later", "Later"),
            tip: l("Tip", "Tip"),
            under: l("Onder", "Under"),
            lead: l("Trekker", "Lead"),
            horizon: l("Tijdspad", "Horizon"),
            priority: l("Prioriteit", "Priority"),
            phase: l("Fase", "Phase"),
            why_now: l("Waarom nu", "Why now"),
            evidence: l("Waar het op rust", "Evidence"),
            team_comment: l("Toelichting van het team", "The team's comment"),
            context_assumed: l("Aangenomen context", "Context assumed"),
            section_note: l("Noot bij de factor", "Note on the factor"),
            after: l("Na", "After"),
            plan: l("Plan per betrokkene en fase", "Plan per stakeholder and phase"),
            plan_intro: l(
                "Rijen zijn betrokkenen, kolommen fasen (een tip komt na de tips waarop hij voortbouwt). In elke cel de tips die de betrokkene trekt, met tussen haakjes de cyclus (1 deze, 2 volgende, 3 later) en het tijdspad; vet: deze cyclus.",
                "Rows are stakeholders, columns phases (a tip comes after the tips it builds on). In each cell the tips the stakeholder leads, in brackets the cycle (1 this, 2 next, 3 later) and the horizon; bold: this cycle.",
            ),
            stakeholder: l("Betrokkene", "Stakeholder"),
            leads_count: l("trekker van", "leads"),
            involved_count: l("betrokken bij", "involved in"),
            cycle: l("Cyclus", "Cycle"),
            to_establish: l("Eerst uitzoeken", "To establish first"),
            scan_first: l("Vul eerst de zelfscan aan voor", "Complete the self-assessment first for"),
            open_tips: l("Open tips, belangrijkste eerst", "Open tips, most important first"),
            questions_to_answer: l("Te beantwoorden", "Questions to answer"),
            reason: l("Reden", "Reason"),
            not_applicable: l("Niet van toepassing", "Not applicable"),
            comments: l("Toelichtingen van het team", "The team's comments"),
            question: l("Vraag", "Question"),
            comment: l("Toelichting", "Comment"),
            warnings: l("Let op", "Note"),
            appendix: l("Bijlage: alle tips", "Appendix: every tip"),
            appendix_intro: l(
                "Alle tips van de Roadmap per uitgangspunt en factor, in de volgorde van het document, met wat dit advies erover zegt.",
                "Every tip of the Roadmap per principle and factor, in the document's order, with what this advice says about it.",
            ),
            status: l("Stand", "Status"),
            none: l("Geen.", "None."),
            advised: l("geadviseerd", "advised"),
            failed: l("Geen advies", "Not advised"),
            error: l("Fout", "Error"),
            row: l("rij", "row"),
            report: l("Rapport", "Report"),
        }
    }
}

/// What the advice says about a tip, for the appendix.
pub(super) fn tip_status(lang: Lang, status: TipState) -> &'static str {
    match status {
        TipState::Cycle(1) => lang.pick("Deze cyclus", "This cycle"),
        TipState::Cycle(2) => lang.pick("Volgende cyclus", "Next cycle"),
        TipState::Cycle(_) => lang.pick("Later", "Later"),
        TipState::ToEstablish => lang.pick("Eerst uitzoeken", "To establish"),
        TipState::NotApplicable => lang.pick("Niet van toepassing", "Not applicable"),
        TipState::Clear => lang.pick("Ingevoerd of geen advies", "In place or not advised"),
    }
}

/// Where a tip stands in an advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TipState {
    /// In the plan, in this cycle.
    Cycle(u8),
    /// Its state is not known.
    ToEstablish,
    /// The context rules it out.
    NotApplicable,
    /// In place, or nothing recommends it.
    Clear,
}
