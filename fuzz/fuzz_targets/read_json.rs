//! The json reader on arbitrary bytes, then advice for every programme it reads.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::read_and_advise(data, "json");
});
