//! The part file parser on arbitrary bytes: any input is a part or an error saying what
//! is wrong, never a panic; a part that parses writes back to bytes that parse to it.
#![no_main]

use drsim::analysis::parts::Part;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(part) = Part::from_json(data) {
        let again = Part::from_json(&part.to_json()).expect("a written part reads back");
        assert_eq!(again, part);
    }
});
