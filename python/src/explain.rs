//! A minimal explanation of one tip for one programme, read off its advice: the tip's
//! plan entry with the texts of the rules behind it, or why it is to be established or
//! does not apply, or that it is not advised. Kept apart so that an `explain` of the
//! library can replace it.

use serde_json::{json, Map, Value};
use studentsucces::report::{Advice, AdvisedTip};
use studentsucces::ruleset::{RuleSet, TipIndex};

/// What the advice says about one tip, as a JSON object.
pub fn explain(ruleset: &RuleSet, advice: &Advice<'_>, tip: TipIndex) -> Value {
    let mut entry = Map::new();
    let Some(found) = ruleset.tip(tip) else {
        return Value::Object(entry);
    };
    entry.insert("tip".to_owned(), json!(found.id));
    let section = ruleset.section_of(found).map(|section| section.id.as_str());
    entry.insert("section".to_owned(), json!(section));
    entry.insert("text".to_owned(), json!(found.text));
    if let Some(advised) = advice.tips.iter().find(|advised| advised.index == tip) {
        planned(ruleset, advised, &mut entry);
        entry.insert(
            "in_focus".to_owned(),
            json!(advice.focus.contains(&advised.id)),
        );
    } else if let Some(open) = advice.to_establish.iter().find(|open| open.index == tip) {
        entry.insert("status".to_owned(), json!("to establish"));
        entry.insert("unknown".to_owned(), json!(open.unknown));
        entry.insert(
            "reason".to_owned(),
            json!(ruleset.establish_text(advice, open)),
        );
    } else if let Some(ruled_out) = advice.not_applicable.iter().find(|out| out.index == tip) {
        entry.insert("status".to_owned(), json!("not applicable"));
        entry.insert("condition".to_owned(), json!(ruled_out.condition));
        entry.insert(
            "reason".to_owned(),
            json!(ruleset.not_applicable_text(ruled_out)),
        );
    } else {
        entry.insert("status".to_owned(), json!("not advised"));
    }
    if let Some(evidence) = ruleset.tip_evidence(advice, tip) {
        entry.insert("evidence".to_owned(), json!(evidence));
    }
    if let Some(scan) = advice
        .scan_first
        .iter()
        .find(|scan| Some(scan.section) == section)
    {
        entry.insert("scan_first".to_owned(), json!(scan.reason));
    }
    Value::Object(entry)
}

/// A plan tip: advised when rules recommended it, else a prerequisite pulled in.
fn planned(ruleset: &RuleSet, tip: &AdvisedTip<'_>, entry: &mut Map<String, Value>) {
    let status = if tip.because.is_empty() {
        "prerequisite"
    } else {
        "advised"
    };
    let because: Vec<Value> = tip
        .because
        .iter()
        .map(|reason| {
            json!({
                "rule": reason.rule,
                "priority": reason.priority,
                "text": ruleset.reason_text(reason),
            })
        })
        .collect();
    entry.insert("status".to_owned(), json!(status));
    entry.insert("cycle".to_owned(), json!(tip.cycle));
    entry.insert("phase".to_owned(), json!(tip.phase));
    entry.insert("priority".to_owned(), json!(tip.priority));
    entry.insert("confidence".to_owned(), json!(tip.confidence));
    entry.insert("why_now".to_owned(), json!(tip.why_now));
    entry.insert("context_assumed".to_owned(), json!(tip.context_assumed));
    entry.insert("after".to_owned(), json!(tip.after));
    entry.insert("pulled_in_by".to_owned(), json!(tip.pulled_in_by));
    entry.insert("because".to_owned(), Value::Array(because));
}
