//! The workbook readers on arbitrary bytes: the first byte picks .xlsx, .xls or .ods, so
//! one corpus of real workbooks serves all three.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let extension = ["xlsx", "xls", "ods"][usize::from(selector) % 3];
    common::read_and_advise(bytes, extension);
});
