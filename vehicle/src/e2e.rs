//! End-to-end protection of messages in the style of AUTOSAR E2E profile 1: a 4-bit rolling
//! counter and a CRC-8 over a 16-bit data id and the payload.
//!
//! The CRC is CRC-8/SAE-J1850's polynomial (0x1D) with start value and final XOR 0x00, which is
//! what profile 1 computes once the CRC library's own inversions cancel out. It runs over the
//! data id (low byte, then high byte; the id is never sent) and every payload byte except the
//! CRC's own. A receiver thereby detects a corrupted frame (CRC), a repeated one (same counter),
//! lost ones (counter jumped) and a frame of another message with the same layout (data id).

use crc::{Algorithm, CRC_8_SAE_J1850, Crc};

use crate::dbc::{Message, RawKind};

const E2E_P01_CRC: Algorithm<u8> = Algorithm {
    init: 0x00,
    xorout: 0x00,
    check: 0x37,
    residue: 0x00,
    ..CRC_8_SAE_J1850
};
const CRC: Crc<u8> = Crc::<u8>::new(&E2E_P01_CRC);

/// Profile 1 counts 0 to 14; 15 is reserved.
const COUNTER_MODULO: u8 = 15;

/// How one message is protected: its data id and where CRC and counter sit.
#[derive(Debug, Clone)]
pub struct Protection {
    data_id: u16,
    crc_byte: usize,
    counter_signal: usize,
    message: Message,
}

/// What a receiver concluded about one protected frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum E2eStatus {
    /// The next frame in sequence (or the first one seen).
    Ok,
    /// Valid, but `lost` frames went missing before it.
    Lost {
        /// How many counter values were skipped.
        lost: u8,
    },
    /// The same counter as the frame before: a repetition, to be ignored.
    Repeated,
    /// The counter jumped further than allowed; the receiver resynchronises on it.
    WrongSequence,
    /// The CRC does not match: corrupted, or protected with another data id.
    BadCrc,
}

impl E2eStatus {
    /// Whether the frame's data may be used.
    pub fn is_usable(self) -> bool {
        matches!(self, E2eStatus::Ok | E2eStatus::Lost { .. })
    }
}

/// Receiver state for one protected message: the last counter seen.
#[derive(Debug, Clone, Default)]
pub struct E2eReceiver {
    last_counter: Option<u8>,
}

impl Protection {
    /// Protection for `message` with the named CRC signal (8 bits, byte-aligned) and counter
    /// signal (4 bits).
    pub fn new(
        message: &Message,
        data_id: u16,
        crc_signal: &str,
        counter_signal: &str,
    ) -> Result<Protection, String> {
        let crc_index = message
            .signal_index(crc_signal)
            .ok_or_else(|| format!("message {} has no CRC signal {crc_signal}", message.name()))?;
        let counter_index = message.signal_index(counter_signal).ok_or_else(|| {
            format!(
                "message {} has no counter signal {counter_signal}",
                message.name()
            )
        })?;
        let crc = &message.signals()[crc_index];
        let crc_byte = crc
            .byte_aligned_index()
            .filter(|_| crc.kind() == RawKind::Unsigned)
            .ok_or_else(|| {
                format!("{crc_signal} must be an unsigned 8-bit signal on a byte boundary")
            })?;
        let counter = &message.signals()[counter_index];
        if counter.bit_size() != 4 || counter.kind() != RawKind::Unsigned {
            return Err(format!("{counter_signal} must be an unsigned 4-bit signal"));
        }
        Ok(Protection {
            data_id,
            crc_byte,
            counter_signal: counter_index,
            message: message.clone(),
        })
    }

    fn crc(&self, data: &[u8]) -> u8 {
        let mut digest = CRC.digest();
        digest.update(&self.data_id.to_le_bytes());
        digest.update(&data[..self.crc_byte]);
        digest.update(&data[self.crc_byte + 1..]);
        digest.finalize()
    }

    /// Writes `counter` (taken modulo 15) and the CRC into a payload of the message's length.
    pub fn protect(&self, data: &mut [u8], counter: u8) {
        self.message.signals()[self.counter_signal]
            .write_raw(data, u64::from(counter % COUNTER_MODULO));
        data[self.crc_byte] = self.crc(data);
    }

    /// Checks a received payload, updating the receiver's counter. `max_delta` is how far the
    /// counter may jump (1 = no frame may be lost).
    pub fn check(&self, data: &[u8], receiver: &mut E2eReceiver, max_delta: u8) -> E2eStatus {
        if data.len() < self.message.length() || data[self.crc_byte] != self.crc(data) {
            return E2eStatus::BadCrc;
        }
        let Some(counter) = self.message.signals()[self.counter_signal].read_raw(data) else {
            return E2eStatus::BadCrc;
        };
        // Cannot truncate: the counter signal is 4 bits wide.
        let counter = counter as u8;
        if counter >= COUNTER_MODULO {
            return E2eStatus::BadCrc;
        }
        let Some(last) = receiver.last_counter.replace(counter) else {
            return E2eStatus::Ok;
        };
        let delta = (counter + COUNTER_MODULO - last) % COUNTER_MODULO;
        match delta {
            0 => E2eStatus::Repeated,
            1 => E2eStatus::Ok,
            d if d <= max_delta => E2eStatus::Lost { lost: d - 1 },
            _ => E2eStatus::WrongSequence,
        }
    }

    /// The message protected.
    pub fn message(&self) -> &Message {
        &self.message
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::dbc::Database;

    const DBC: &str = r#"
VERSION ""
NS_ :
BS_:
BU_: HU
BO_ 416 Cmd: 8 HU
 SG_ Cmd_CRC : 0|8@1+ (1,0) [0|255] "" Vector__XXX
 SG_ Cmd_Counter : 8|4@1+ (1,0) [0|14] "" Vector__XXX
 SG_ Value : 16|8@1+ (1,0) [0|255] "" Vector__XXX
"#;

    fn protection() -> Protection {
        let db = Database::parse(DBC, Path::new("e2e.dbc")).unwrap();
        Protection::new(
            db.message_by_name("Cmd").unwrap(),
            0x1A0,
            "Cmd_CRC",
            "Cmd_Counter",
        )
        .unwrap()
    }

    #[test]
    fn crc_matches_the_catalogued_check_value() {
        assert_eq!(CRC.checksum(b"123456789"), 0x37);
    }

    #[test]
    fn receiver_detects_repetition_loss_and_corruption() {
        let p = protection();
        let mut rx = E2eReceiver::default();
        let frame = |counter: u8| {
            let mut data = [0, 0, 42, 0, 0, 0, 0, 0];
            p.protect(&mut data, counter);
            data
        };
        assert_eq!(p.check(&frame(14), &mut rx, 3), E2eStatus::Ok);
        assert_eq!(
            p.check(&frame(0), &mut rx, 3),
            E2eStatus::Ok,
            "the counter wraps after 14"
        );
        assert_eq!(p.check(&frame(0), &mut rx, 3), E2eStatus::Repeated);
        assert_eq!(p.check(&frame(3), &mut rx, 3), E2eStatus::Lost { lost: 2 });
        assert_eq!(p.check(&frame(10), &mut rx, 3), E2eStatus::WrongSequence);
        assert_eq!(
            p.check(&frame(11), &mut rx, 3),
            E2eStatus::Ok,
            "resynchronised"
        );
        let mut corrupted = frame(12);
        corrupted[2] ^= 0x01;
        assert_eq!(p.check(&corrupted, &mut rx, 3), E2eStatus::BadCrc);
        assert_eq!(
            p.check(&frame(12), &mut rx, 3),
            E2eStatus::Ok,
            "a bad frame does not move the counter"
        );
    }

    #[test]
    fn the_data_id_is_part_of_the_crc() {
        let p = protection();
        let db = Database::parse(DBC, Path::new("e2e.dbc")).unwrap();
        let other = Protection::new(
            db.message_by_name("Cmd").unwrap(),
            0x1A1,
            "Cmd_CRC",
            "Cmd_Counter",
        )
        .unwrap();
        let mut data = [0u8; 8];
        p.protect(&mut data, 1);
        assert_eq!(
            other.check(&data, &mut E2eReceiver::default(), 1),
            E2eStatus::BadCrc
        );
    }
}
