//! One CAN frame as plain data, independent of any transport.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The valid payload lengths of a CAN FD frame above 8 bytes.
const FD_LENGTHS: [usize; 7] = [12, 16, 20, 24, 32, 48, 64];

/// A CAN identifier: 11-bit standard or 29-bit extended.
///
/// The two are distinct even for the same number (`0x123` and `0x00000123` are different
/// frames on the wire), so the width is part of the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CanId {
    /// An 11-bit identifier, `0..=0x7FF`.
    Standard(u16),
    /// A 29-bit identifier, `0..=0x1FFF_FFFF`.
    Extended(u32),
}

impl CanId {
    /// A standard identifier, or `None` when `id` does not fit in 11 bits.
    pub fn standard(id: u16) -> Option<CanId> {
        (id <= 0x7FF).then_some(CanId::Standard(id))
    }

    /// An extended identifier, or `None` when `id` does not fit in 29 bits.
    pub fn extended(id: u32) -> Option<CanId> {
        (id <= 0x1FFF_FFFF).then_some(CanId::Extended(id))
    }

    /// The identifier's number, without the width.
    pub fn raw(self) -> u32 {
        match self {
            CanId::Standard(id) => u32::from(id),
            CanId::Extended(id) => id,
        }
    }

    /// Whether this is a 29-bit identifier.
    pub fn is_extended(self) -> bool {
        matches!(self, CanId::Extended(_))
    }
}

impl fmt::Display for CanId {
    /// The candump spelling: three hex digits for standard, eight for extended.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CanId::Standard(id) => write!(f, "{id:03X}"),
            CanId::Extended(id) => write!(f, "{id:08X}"),
        }
    }
}

/// What kind of frame travels: classical data, CAN FD data, a remote request or an error report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FrameKind {
    /// A classical CAN data frame, 0 to 8 bytes.
    Classic,
    /// A CAN FD data frame, 0 to 64 bytes in the FD length steps.
    Fd {
        /// Bit rate switch: the data phase ran at the faster rate.
        brs: bool,
        /// Error state indicator of the sender.
        esi: bool,
    },
    /// A classical remote frame asking for `dlc` bytes; it carries no data.
    Remote {
        /// The requested length, 0 to 8.
        dlc: u8,
    },
    /// An error frame as SocketCAN reports it: the id holds the error class and the
    /// eight data bytes the details.
    Error,
}

/// A CAN frame: identifier, kind and payload.
///
/// The payload lives inline (64 bytes, the CAN FD maximum) so that frames are `Copy` and
/// decoding a log allocates nothing per frame.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CanFrame {
    id: CanId,
    kind: FrameKind,
    len: u8,
    bytes: [u8; 64],
}

/// Why a frame could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// A classical frame carries at most 8 bytes.
    #[error("a classical CAN frame carries at most 8 bytes, got {0}")]
    ClassicTooLong(usize),
    /// A CAN FD frame's length must be one of the DLC steps.
    #[error("a CAN FD frame carries 0-8, 12, 16, 20, 24, 32, 48 or 64 bytes, got {0}")]
    BadFdLength(usize),
    /// A remote frame requests at most 8 bytes.
    #[error("a remote frame requests at most 8 bytes, got {0}")]
    RemoteTooLong(u8),
}

impl CanFrame {
    /// A classical data frame.
    pub fn classic(id: CanId, data: &[u8]) -> Result<CanFrame, FrameError> {
        if data.len() > 8 {
            return Err(FrameError::ClassicTooLong(data.len()));
        }
        Ok(CanFrame::with_payload(id, FrameKind::Classic, data))
    }

    /// A CAN FD data frame.
    pub fn fd(id: CanId, data: &[u8], brs: bool, esi: bool) -> Result<CanFrame, FrameError> {
        if !is_valid_fd_length(data.len()) {
            return Err(FrameError::BadFdLength(data.len()));
        }
        Ok(CanFrame::with_payload(id, FrameKind::Fd { brs, esi }, data))
    }

    /// A data frame of the right kind for `data`: classical up to 8 bytes, CAN FD (with bit
    /// rate switch) above.
    pub fn new(id: CanId, data: &[u8]) -> Result<CanFrame, FrameError> {
        if data.len() <= 8 {
            CanFrame::classic(id, data)
        } else {
            CanFrame::fd(id, data, true, false)
        }
    }

    /// A remote frame requesting `dlc` bytes.
    pub fn remote(id: CanId, dlc: u8) -> Result<CanFrame, FrameError> {
        if dlc > 8 {
            return Err(FrameError::RemoteTooLong(dlc));
        }
        Ok(CanFrame::with_payload(id, FrameKind::Remote { dlc }, &[]))
    }

    /// An error frame: `class` is the error class bits, `data` the 8 detail bytes.
    pub fn error(class: u32, data: [u8; 8]) -> CanFrame {
        CanFrame::with_payload(
            CanId::Extended(class & 0x1FFF_FFFF),
            FrameKind::Error,
            &data,
        )
    }

    fn with_payload(id: CanId, kind: FrameKind, data: &[u8]) -> CanFrame {
        let mut bytes = [0u8; 64];
        bytes[..data.len()].copy_from_slice(data);
        CanFrame {
            id,
            kind,
            // Cannot truncate: every constructor checks `data.len() <= 64` first.
            len: data.len() as u8,
            bytes,
        }
    }

    /// The identifier.
    #[inline]
    pub fn id(&self) -> CanId {
        self.id
    }

    /// The kind of frame.
    #[inline]
    pub fn kind(&self) -> FrameKind {
        self.kind
    }

    /// The payload (empty for remote frames).
    #[inline]
    pub fn data(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The first eight payload bytes, zero where the payload is shorter: what most signals
    /// are read from, without a branch on the length.
    #[inline]
    pub fn head(&self) -> [u8; 8] {
        // Bytes past `len` are zero: `with_payload` is the only constructor.
        let mut head = [0u8; 8];
        head.copy_from_slice(&self.bytes[..8]);
        head
    }

    /// Whether this frame carries signal data (classical or FD), as opposed to a remote
    /// request or an error report.
    #[inline]
    pub fn is_data(&self) -> bool {
        matches!(self.kind, FrameKind::Classic | FrameKind::Fd { .. })
    }
}

impl fmt::Debug for CanFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CanFrame({self})")
    }
}

impl fmt::Display for CanFrame {
    /// The candump spelling of the frame (`123#DEADBEEF`, `123##1AABB`, `123#R`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.id)?;
        match self.kind {
            FrameKind::Classic | FrameKind::Error => f.write_str("#")?,
            FrameKind::Fd { brs, esi } => {
                let flags = u8::from(brs) | (u8::from(esi) << 1);
                write!(f, "##{flags:X}")?;
            }
            FrameKind::Remote { dlc } => {
                f.write_str("#R")?;
                if dlc > 0 {
                    write!(f, "{dlc:X}")?;
                }
            }
        }
        for byte in self.data() {
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

/// Whether `len` is a payload length a CAN FD frame can carry.
pub fn is_valid_fd_length(len: usize) -> bool {
    len <= 8 || FD_LENGTHS.contains(&len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(frame: CanFrame, candump: &str) {
        assert_eq!(frame.to_string(), candump);
    }

    #[test]
    fn frames_print_as_candump_writes_them() {
        let std = CanId::standard(0x123).unwrap();
        check(CanFrame::classic(std, &[0xDE, 0xAD]).unwrap(), "123#DEAD");
        check(CanFrame::classic(std, &[]).unwrap(), "123#");
        check(CanFrame::remote(std, 0).unwrap(), "123#R");
        check(CanFrame::remote(std, 4).unwrap(), "123#R4");
        let ext = CanId::extended(0x123).unwrap();
        check(
            CanFrame::fd(ext, &[0x11; 12], true, false).unwrap(),
            "00000123##1111111111111111111111111",
        );
    }

    #[test]
    fn lengths_are_checked() {
        let id = CanId::Standard(1);
        assert_eq!(
            CanFrame::classic(id, &[0; 9]),
            Err(FrameError::ClassicTooLong(9))
        );
        assert_eq!(
            CanFrame::fd(id, &[0; 9], false, false),
            Err(FrameError::BadFdLength(9))
        );
        assert_eq!(CanFrame::remote(id, 9), Err(FrameError::RemoteTooLong(9)));
        assert!(CanFrame::fd(id, &[0; 64], false, false).is_ok());
        assert_eq!(CanId::standard(0x800), None);
        assert_eq!(CanId::extended(0x2000_0000), None);
    }
}
