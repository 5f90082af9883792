//! `RuleSet::advise` on arbitrary JSON assessments against the embedded Roadmap, and the
//! text rendering of every advice.
#![no_main]

mod common;

use studentsucces::input::Assessment;
use studentsucces::report::{render_text, TextDetail};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(assessment) = serde_json::from_slice::<Assessment>(data) else {
        return;
    };
    let ruleset = common::roadmap();
    if let Ok(advice) = ruleset.advise(&assessment) {
        let _ = render_text(ruleset, &advice, TextDetail::Full);
    }
});
