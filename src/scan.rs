//! Finding the first byte of a kind most text does not hold (a character to escape, a
//! control character), fast: a report looks through every message, help and path it
//! writes for one.

/// How many bytes are tested together: one vector register's worth.
const CHUNK: usize = 16;

/// The index of the first byte of `bytes` for which `special` holds.
///
/// Each chunk is first tested whole, without an early exit, which the compiler turns
/// into a few vector instructions; only a chunk that holds such a byte is looked through
/// a byte at a time. The last bytes are tested as the chunk that ends the text, which
/// overlaps the one before. `special` must be cheap and without side effects.
#[inline]
pub fn first_where(bytes: &[u8], special: impl Fn(u8) -> bool) -> Option<usize> {
    // Or-ing bytes rather than booleans keeps the test in vector registers.
    let holds = |chunk: &[u8]| {
        chunk
            .iter()
            .fold(0u8, |any, &byte| any | u8::from(special(byte)))
            != 0
    };
    let first_in = |chunk: &[u8], offset: usize| {
        chunk
            .iter()
            .position(|&byte| special(byte))
            .map(|at| offset + at)
    };
    if bytes.len() < CHUNK {
        return first_in(bytes, 0);
    }
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut offset = 0;
    for chunk in &mut chunks {
        if holds(chunk) {
            return first_in(chunk, offset);
        }
        offset += CHUNK;
    }
    let last = bytes.len() - CHUNK;
    if chunks.remainder().is_empty() || !holds(&bytes[last..]) {
        return None;
    }
    first_in(&bytes[last..], last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_the_first_in_any_chunk_or_the_remainder() {
        let is_quote = |byte: u8| byte == b'"';
        assert_eq!(first_where(b"", is_quote), None);
        assert_eq!(
            first_where(b"no quote here, not one at all", is_quote),
            None
        );
        assert_eq!(first_where(b"\"", is_quote), Some(0));
        let mut text = vec![b'a'; 72];
        for at in [0, 15, 16, 31, 32, 63, 64, 71] {
            text[at] = b'"';
            assert_eq!(first_where(&text, is_quote), Some(at), "at {at}");
            text[at] = b'a';
        }
        text[33] = b'"';
        text[65] = b'"';
        assert_eq!(first_where(&text, is_quote), Some(33));
    }

    proptest! {
        /// The same answer as a plain search, for any text.
        #[test]
        fn agrees_with_position(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let special = |byte: u8| byte < 0x20 || byte == b'\\';
            prop_assert_eq!(
                first_where(&bytes, special),
                bytes.iter().position(|&byte| special(byte))
            );
        }
    }
}
