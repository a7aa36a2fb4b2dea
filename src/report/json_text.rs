//! JSON text written directly, byte for byte as serde_json writes it: the machine
//! reports (JSON, SARIF) are most of a large run's output, and serde_json escapes a
//! string a byte at a time. Each report's test holds its direct writing equal to what
//! serde_json makes of the same document.

/// `text` as a JSON string, escaped as serde_json escapes it.
pub(super) fn json_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    json_contents(out, text);
    out.push(b'"');
}

/// The inside of a JSON string: `"`, `\\` and control characters escaped with
/// serde_json's escapes (its short forms, else `\u00xx`), everything else as it is.
pub(super) fn json_contents(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let escaped = |byte: u8| (byte < 0x20) | (byte == b'"') | (byte == b'\\');
    // Most text needs no escape, and the rest few: the plain runs between are copied whole.
    let mut plain_from = 0;
    while let Some(found) = crate::scan::first_where(&bytes[plain_from..], escaped) {
        let at = plain_from + found;
        let byte = bytes[at];
        let short: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => b"",
        };
        out.extend_from_slice(&bytes[plain_from..at]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0x0f)]);
        } else {
            out.extend_from_slice(short);
        }
        plain_from = at + 1;
    }
    out.extend_from_slice(&bytes[plain_from..]);
}

/// `number` in decimal.
pub(super) fn json_number(out: &mut Vec<u8>, number: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

/// Every kind of text a finding can carry, for the tests that hold a report written
/// directly to serde_json's bytes: quotes, backslashes, each control character serde_json
/// escapes its own way, DEL, line breaks, non-ASCII, and nothing at all.
#[cfg(test)]
pub(super) const KINDS_OF_TEXT: [&str; 5] = [
    "`flask` allows more than one version: `>=2`",
    "quote \" and backslash \\ and tab \t and nul \u{0} and \u{1f} and del \u{7f}",
    "backspace \u{8}, form feed \u{c}, escape \u{1b}[31m and a \\\" pair",
    "line\nbreak\r\nand é 日本 😀 \u{2028}",
    "",
];

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(text in "\\PC*|[\\x00-\\x7f]*") {
            let mut direct = Vec::new();
            json_string(&mut direct, &text);
            proptest::prop_assert_eq!(direct, serde_json::to_vec(&text).unwrap());
        }
    }

    #[test]
    fn numbers_are_decimal() {
        let mut out = Vec::new();
        for number in [0, 7, 10, 1234, usize::MAX] {
            json_number(&mut out, number);
            out.push(b' ');
        }
        assert_eq!(out, format!("0 7 10 1234 {} ", usize::MAX).into_bytes());
    }
}
