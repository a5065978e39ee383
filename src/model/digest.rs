//! SHA-256 as lowercase hex: the fingerprints of updates and measurements (what identifies a
//! piece of the record), the content hash of a source file and of a closed period.

/// The SHA-256 of some bytes, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha256(bytes))
}

/// The SHA-256 of some bytes: how the history stores a fingerprint.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// A fingerprint's 64 lowercase hex digits, written into `out` (no allocation: the content hash
/// reads one per update).
pub fn hex_into<'o>(bytes: &[u8; 32], out: &'o mut [u8; 64]) -> &'o str {
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xf)];
    }
    // Only ASCII digits were written.
    std::str::from_utf8(out).unwrap_or_default()
}

/// The bytes of 64 lowercase hex digits (what [`hex`] writes of 32 bytes); `None` for any other
/// text, uppercase included, which no fingerprint ever was.
pub fn unhex_fingerprint(text: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let text = text.as_bytes();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (b, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *b = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex digits, two per byte (by table: `format!` per byte was measurable in loads).
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_lowercase_hex_sha256() {
        // Stored fingerprints must never change: the same update loaded again is found by them.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// The bytes the history stores give back, as hex, exactly the text fingerprints always
    /// were; and only that text gives bytes.
    #[test]
    fn stored_bytes_and_hex_are_the_same_fingerprint() {
        let bytes = sha256(b"abc");
        let text = sha256_hex(b"abc");
        assert_eq!(hex(&bytes), text);
        let mut out = [0u8; 64];
        assert_eq!(hex_into(&bytes, &mut out), text);
        assert_eq!(unhex_fingerprint(&text), Some(bytes));
        assert_eq!(unhex_fingerprint(&text.to_uppercase()), None);
        assert_eq!(unhex_fingerprint(&text[1..]), None);
        assert_eq!(unhex_fingerprint("forged"), None);
        let mut odd = text.clone();
        odd.replace_range(0..1, "g");
        assert_eq!(unhex_fingerprint(&odd), None);
    }
}
