//! The rule language on arbitrary text: parse, compile (every diagnostic rendered) and,
//! when it compiles, run its rule tests and advise an empty programme.
#![no_main]

use studentsucces::compile::compile;
use studentsucces::diagnostic::SourceFile;
use studentsucces::eval::Answers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match compile(vec![SourceFile::new("fuzz.rules", text.to_owned())], &[]) {
        Ok(compiled) => {
            let ruleset = compiled.ruleset;
            let _ = ruleset.run_tests();
            let answers = Answers::unanswered(&ruleset);
            let evaluation = ruleset.evaluate(&answers);
            let _ = ruleset.build_advice("P", &answers, &evaluation);
        }
        Err(diagnostics) => {
            let _ = diagnostics.render_plain();
        }
    }
});
