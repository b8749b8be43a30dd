//! UTF-16 text read as UTF-8, as it streams. Matomo's CSV export is
//! UTF-16LE behind a byte order mark (its CSV renderer converts the whole
//! report "so that Excel can import it"), and Excel's "Unicode Text" is
//! the same; both are decoded here and then read like any CSV. A lone
//! surrogate or a trailing odd byte becomes U+FFFD.

use std::io::Read;

/// The byte order a UTF-16 byte order mark at the start of `start` says,
/// if there is one (`true` for big-endian).
pub(super) fn byte_order(start: &[u8]) -> Option<bool> {
    match start {
        [0xff, 0xfe, ..] => Some(false),
        [0xfe, 0xff, ..] => Some(true),
        _ => None,
    }
}

/// Reads UTF-16 from `inner` (past its byte order mark) as UTF-8.
pub(super) struct Utf16<R> {
    inner: R,
    big_endian: bool,
    /// Bytes read but not yet decoded (at most one).
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    out: Vec<u8>,
    at: usize,
    done: bool,
}

impl<R: Read> Utf16<R> {
    pub(super) fn new(inner: R, big_endian: bool) -> Self {
        Utf16 {
            inner,
            big_endian,
            odd: None,
            high: None,
            out: Vec::with_capacity(16 * 1024),
            at: 0,
            done: false,
        }
    }

    fn push(&mut self, c: char) {
        let mut buf = [0; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    fn unit(&mut self, unit: u16) {
        match (self.high.take(), unit) {
            (Some(high), 0xdc00..=0xdfff) => {
                let code =
                    0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                self.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            (Some(_), _) => {
                self.push('\u{fffd}');
                self.unit(unit);
            }
            (None, 0xd800..=0xdbff) => self.high = Some(unit),
            (None, other) => self.push(char::from_u32(u32::from(other)).unwrap_or('\u{fffd}')),
        }
    }

    /// Decodes the next chunk of `inner` into `out`.
    fn fill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.at = 0;
        let mut chunk = [0u8; 8 * 1024];
        let n = self.inner.read(&mut chunk)?;
        if n == 0 {
            self.done = true;
            if self.high.take().is_some() || self.odd.take().is_some() {
                self.push('\u{fffd}');
            }
            return Ok(());
        }
        let mut bytes = chunk[..n].iter().copied();
        if let Some(first) = self.odd.take()
            && let Some(second) = bytes.next()
        {
            self.pair(first, second);
        }
        loop {
            match (bytes.next(), bytes.next()) {
                (Some(a), Some(b)) => self.pair(a, b),
                (Some(a), None) => {
                    self.odd = Some(a);
                    break;
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn pair(&mut self, a: u8, b: u8) {
        let unit = match self.big_endian {
            true => u16::from_be_bytes([a, b]),
            false => u16::from_le_bytes([a, b]),
        };
        self.unit(unit);
    }
}

impl<R: Read> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], big_endian: bool) -> String {
        let mut out = String::new();
        Utf16::new(bytes, big_endian)
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    fn le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn decodes_both_byte_orders_and_surrogate_pairs() {
        let text = "label,nb_visits\n/zoë/,3\n😀,1\n";
        assert_eq!(decode(&le(text), false), text);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, true), text);
        assert_eq!(byte_order(b"\xff\xfel\x00"), Some(false));
        assert_eq!(byte_order(b"\xfe\xff\x00l"), Some(true));
        assert_eq!(byte_order(b"\xef\xbb\xbf"), None);
    }

    #[test]
    fn broken_units_become_replacement_characters() {
        // A lone low surrogate, a high one followed by a letter, an odd byte.
        let bytes = [0x00, 0xdc, 0x3d, 0xd8, b'a', 0x00, b'b'];
        assert_eq!(decode(&bytes, false), "\u{fffd}\u{fffd}a\u{fffd}");
    }

    #[test]
    fn a_pair_split_across_reads_is_whole() {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let bytes = le("a😀b");
        let mut out = String::new();
        Utf16::new(OneByte(&bytes), false)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a😀b");
    }
}
