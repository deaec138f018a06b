//! Where a signal's bits sit in a payload, and moving raw values in and out.
//!
//! Written here rather than taken from a crate: `can-dbc` only parses, and the crates that pack
//! bits (`dbc-codegen` and kin) generate code for one DBC at build time, whereas cockpit loads
//! the user's DBC at run time. The layout is resolved once when the DBC loads, so the per-frame
//! work is a few shifts on a `u128`.

/// The byte order of a signal, as DBC spells it (`@1` Intel, `@0` Motorola).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrder {
    /// Little endian: the start bit is the least significant bit.
    Intel,
    /// Big endian: the start bit is the most significant bit, in DBC's "sawtooth" numbering
    /// (bit 7 of byte 0 is bit 7, the next less significant bit is bit 6, ... then bit 15).
    Motorola,
}

/// A signal's place in the payload, resolved to the bytes it spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BitLayout {
    /// For signals within the first 8 bytes: the right shift that extracts the signal from
    /// the payload read as one 64-bit word in the signal's byte order. Nearly every signal of
    /// a classical CAN frame has one, and it makes decoding a shift and a mask.
    word_shift: Option<u32>,
    /// First byte the signal touches.
    first_byte: usize,
    /// Number of bytes it touches (1 to 9).
    n_bytes: usize,
    /// Right shift that brings the signal's least significant bit to bit 0, once the bytes are
    /// assembled into an integer in the signal's byte order.
    shift: u32,
    size: u32,
    order: ByteOrder,
}

/// Why a layout is impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// Signals are 1 to 64 bits wide.
    #[error("size {0} bits is outside 1..=64")]
    BadSize(u64),
    /// The signal reaches outside the message.
    #[error("bits {start}..{end} reach past the message's {bytes} bytes")]
    OutsideMessage {
        /// First bit, in linear numbering.
        start: u64,
        /// One past the last bit, in linear numbering.
        end: u64,
        /// The message length.
        bytes: usize,
    },
}

impl BitLayout {
    /// Resolves a DBC start bit and size for a message of `message_len` bytes.
    pub fn new(
        start_bit: u64,
        size: u64,
        order: ByteOrder,
        message_len: usize,
    ) -> Result<BitLayout, LayoutError> {
        if size == 0 || size > 64 {
            return Err(LayoutError::BadSize(size));
        }
        let total_bits = message_len as u64 * 8;
        match order {
            ByteOrder::Intel => {
                let end = start_bit + size;
                if end > total_bits {
                    return Err(LayoutError::OutsideMessage {
                        start: start_bit,
                        end,
                        bytes: message_len,
                    });
                }
                let first_byte = (start_bit / 8) as usize;
                let last_byte = ((end - 1) / 8) as usize;
                Ok(BitLayout {
                    word_shift: (end <= 64).then_some(start_bit as u32),
                    first_byte,
                    n_bytes: last_byte - first_byte + 1,
                    shift: (start_bit % 8) as u32,
                    size: size as u32,
                    order,
                })
            }
            ByteOrder::Motorola => {
                // In "MSB-first linear" numbering bit 0 is the most significant bit of byte 0,
                // so a big-endian signal is a contiguous run starting at its MSB.
                let msb = (start_bit / 8) * 8 + (7 - start_bit % 8);
                let end = msb + size;
                if end > total_bits {
                    return Err(LayoutError::OutsideMessage {
                        start: msb,
                        end,
                        bytes: message_len,
                    });
                }
                let first_byte = (msb / 8) as usize;
                let last_byte = ((end - 1) / 8) as usize;
                let n_bytes = last_byte - first_byte + 1;
                Ok(BitLayout {
                    word_shift: (end <= 64).then(|| (64 - end) as u32),
                    first_byte,
                    n_bytes,
                    shift: (n_bytes as u64 * 8 - (msb % 8) - size) as u32,
                    size: size as u32,
                    order,
                })
            }
        }
    }

    /// Width in bits.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// The byte order.
    pub fn order(&self) -> ByteOrder {
        self.order
    }

    /// The shift that extracts the signal from the first eight bytes read as one word in
    /// its byte order, when it lies within them.
    pub fn word_shift(&self) -> Option<u32> {
        self.word_shift
    }

    /// One past the last byte the signal touches: the payload must be at least this long.
    pub fn end_byte(&self) -> usize {
        self.first_byte + self.n_bytes
    }

    /// The byte this layout covers when it is exactly one whole byte.
    pub fn whole_byte(&self) -> Option<usize> {
        (self.size == 8 && self.shift == 0 && self.n_bytes == 1).then_some(self.first_byte)
    }

    fn mask(&self) -> u128 {
        (1u128 << self.size) - 1
    }

    fn window(&self, data: &[u8]) -> u128 {
        let bytes = &data[self.first_byte..self.first_byte + self.n_bytes];
        match self.order {
            ByteOrder::Intel => bytes
                .iter()
                .rev()
                .fold(0u128, |acc, &b| (acc << 8) | u128::from(b)),
            ByteOrder::Motorola => bytes
                .iter()
                .fold(0u128, |acc, &b| (acc << 8) | u128::from(b)),
        }
    }

    /// The raw bits of the signal, zero-extended, or `None` when `data` is too short.
    pub fn extract(&self, data: &[u8]) -> Option<u64> {
        if data.len() < self.end_byte() {
            return None;
        }
        // The mask keeps at most 64 bits, so the cast cannot truncate.
        Some(((self.window(data) >> self.shift) & self.mask()) as u64)
    }

    /// The payload bits the signal occupies, in DBC numbering (bit `b` is bit `b % 8` of byte
    /// `b / 8`).
    pub fn occupied_bits(&self) -> Vec<u16> {
        let size = self.size as usize;
        match self.order {
            ByteOrder::Intel => {
                let start = self.first_byte * 8 + self.shift as usize;
                (start..start + size).map(|b| b as u16).collect()
            }
            ByteOrder::Motorola => {
                let msb = self.first_byte * 8 + (self.n_bytes * 8 - self.shift as usize - size);
                (msb..msb + size)
                    .map(|linear| ((linear / 8) * 8 + 7 - linear % 8) as u16)
                    .collect()
            }
        }
    }

    /// The raw bits from the first eight bytes of a payload read as one little-endian word
    /// (`intel`) and one big-endian word (`motorola`); `None` when the signal lies beyond
    /// them or beyond `len`, the payload's real length.
    #[inline]
    pub fn extract_from_words(&self, intel: u64, motorola: u64, len: usize) -> Option<u64> {
        let shift = self.word_shift?;
        if len < self.end_byte() {
            return None;
        }
        let word = match self.order {
            ByteOrder::Intel => intel,
            ByteOrder::Motorola => motorola,
        };
        let mask = if self.size == 64 {
            u64::MAX
        } else {
            (1u64 << self.size) - 1
        };
        Some((word >> shift) & mask)
    }

    /// Writes the low `size` bits of `raw` into `data`, leaving the other bits as they are.
    ///
    /// `data` must be at least [`end_byte`](Self::end_byte) long; the codec checks lengths when
    /// a message is built.
    pub fn insert(&self, data: &mut [u8], raw: u64) {
        let mask = self.mask() << self.shift;
        let window = (self.window(data) & !mask) | ((u128::from(raw) << self.shift) & mask);
        let bytes = &mut data[self.first_byte..self.first_byte + self.n_bytes];
        match self.order {
            ByteOrder::Intel => {
                for (i, byte) in bytes.iter_mut().enumerate() {
                    *byte = (window >> (8 * i)) as u8;
                }
            }
            ByteOrder::Motorola => {
                let n = bytes.len();
                for (i, byte) in bytes.iter_mut().enumerate() {
                    *byte = (window >> (8 * (n - 1 - i))) as u8;
                }
            }
        }
    }
}

/// Sign-extends the low `size` bits of `raw`.
pub fn sign_extend(raw: u64, size: u32) -> i64 {
    if size >= 64 {
        return raw as i64;
    }
    let unused = 64 - size;
    ((raw << unused) as i64) >> unused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_extract(start: u64, size: u64, order: ByteOrder, data: &[u8], expect: u64) {
        let layout = BitLayout::new(start, size, order, data.len()).unwrap();
        assert_eq!(
            layout.extract(data),
            Some(expect),
            "{start}|{size}@{order:?}"
        );
        let mut rebuilt = vec![0u8; data.len()];
        layout.insert(&mut rebuilt, expect);
        let again = layout.extract(&rebuilt);
        assert_eq!(again, Some(expect));
    }

    #[test]
    fn intel_signals_read_least_significant_byte_first() {
        check_extract(0, 16, ByteOrder::Intel, &[0x34, 0x12], 0x1234);
        check_extract(4, 8, ByteOrder::Intel, &[0xA0, 0x0B], 0xBA);
        check_extract(15, 1, ByteOrder::Intel, &[0x00, 0x80], 1);
        check_extract(
            0,
            64,
            ByteOrder::Intel,
            &[1, 2, 3, 4, 5, 6, 7, 8],
            0x0807060504030201,
        );
        // A 64-bit signal that does not start on a byte boundary spans nine bytes.
        check_extract(
            4,
            64,
            ByteOrder::Intel,
            &[0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
            u64::MAX,
        );
    }

    #[test]
    fn motorola_signals_start_at_their_most_significant_bit() {
        // Toyota's SPEED signal: 47|16@0+ in an 8-byte message, bytes 5 and 6.
        check_extract(
            47,
            16,
            ByteOrder::Motorola,
            &[0, 0, 0, 0, 0, 0x12, 0x34, 0],
            0x1234,
        );
        // Starting mid-byte: 3|12@0 covers the low nibble of byte 0 and all of byte 1.
        check_extract(3, 12, ByteOrder::Motorola, &[0xFA, 0xBC], 0xABC);
        check_extract(7, 1, ByteOrder::Motorola, &[0x80], 1);
        check_extract(
            7,
            64,
            ByteOrder::Motorola,
            &[1, 2, 3, 4, 5, 6, 7, 8],
            0x0102030405060708,
        );
    }

    #[test]
    fn the_word_path_agrees_with_the_byte_path() {
        let data = [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0];
        let intel = u64::from_le_bytes(data);
        let motorola = u64::from_be_bytes(data);
        for order in [ByteOrder::Intel, ByteOrder::Motorola] {
            for start in 0..64 {
                for size in 1..=64 {
                    let Ok(layout) = BitLayout::new(start, size, order, 8) else {
                        continue;
                    };
                    assert_eq!(
                        layout.extract_from_words(intel, motorola, 8),
                        layout.extract(&data),
                        "{start}|{size}@{order:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn occupied_bits_follow_the_byte_order() {
        let intel = BitLayout::new(4, 8, ByteOrder::Intel, 2).unwrap();
        assert_eq!(intel.occupied_bits(), (4..12).collect::<Vec<u16>>());
        // Motorola 3|6: bits 3..0 of byte 0, then bits 7 and 6 of byte 1.
        let motorola = BitLayout::new(3, 6, ByteOrder::Motorola, 2).unwrap();
        assert_eq!(motorola.occupied_bits(), vec![3, 2, 1, 0, 15, 14]);
    }

    #[test]
    fn insert_leaves_neighbouring_bits_alone() {
        let layout = BitLayout::new(4, 8, ByteOrder::Intel, 2).unwrap();
        let mut data = [0xFF, 0xFF];
        layout.insert(&mut data, 0);
        assert_eq!(data, [0x0F, 0xF0]);
        let layout = BitLayout::new(3, 12, ByteOrder::Motorola, 2).unwrap();
        let mut data = [0xFF, 0xFF];
        layout.insert(&mut data, 0);
        assert_eq!(data, [0xF0, 0x00]);
    }

    #[test]
    fn layouts_outside_the_message_are_refused() {
        assert_eq!(
            BitLayout::new(60, 8, ByteOrder::Intel, 8),
            Err(LayoutError::OutsideMessage {
                start: 60,
                end: 68,
                bytes: 8
            })
        );
        assert_eq!(
            BitLayout::new(0, 65, ByteOrder::Intel, 9),
            Err(LayoutError::BadSize(65))
        );
        assert!(BitLayout::new(0, 2, ByteOrder::Motorola, 1).is_err());
    }

    #[test]
    fn short_payloads_yield_nothing() {
        let layout = BitLayout::new(32, 8, ByteOrder::Intel, 8).unwrap();
        assert_eq!(layout.extract(&[0; 4]), None);
        assert_eq!(layout.extract(&[0; 5]), Some(0));
    }

    #[test]
    fn sign_extension() {
        assert_eq!(sign_extend(0b111, 3), -1);
        assert_eq!(sign_extend(0b011, 3), 3);
        assert_eq!(sign_extend(u64::MAX, 64), -1);
        assert_eq!(sign_extend(0x80, 8), -128);
    }
}
