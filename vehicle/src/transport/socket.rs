//! Linux SocketCAN through the `socketcan` crate: real interfaces and vcan.
//!
//! Deliberately thin: it converts frames and errors and nothing else, so that the code
//! which cannot run on a kernel without CAN support is as small as possible.

use async_trait::async_trait;
use socketcan::{
    CanAnyFrame, CanDataFrame, CanFdFrame, CanRemoteFrame, EmbeddedFrame, ExtendedId, Frame, Id,
    Socket, StandardId, id::FdFlags,
};

use super::{CanTransport, TimedFrame, TransportError, now_us};
use crate::frame::{CanFrame, CanId, FrameKind};

/// `EAFNOSUPPORT`: the kernel lacks the PF_CAN socket family.
const EAFNOSUPPORT: i32 = 97;

/// A SocketCAN interface opened in CAN FD mode (which also carries classical frames).
pub struct SocketCan {
    interface: String,
    socket: socketcan::tokio::CanFdSocket,
}

impl SocketCan {
    /// Opens `interface` (`can0`, `vcan0`).
    pub fn open(interface: &str) -> Result<SocketCan, TransportError> {
        let socket = socketcan::tokio::CanFdSocket::open(interface).map_err(|source| {
            // The interface name is looked up before the socket is made, so a kernel without
            // CAN answers "no such device"; say what is really missing.
            if SocketCan::kernel_supports_can() {
                io_error(interface, source)
            } else {
                TransportError::NoKernelSupport {
                    interface: interface.to_owned(),
                }
            }
        })?;
        Ok(SocketCan {
            interface: interface.to_owned(),
            socket,
        })
    }

    /// Whether this kernel can open CAN sockets at all. Tests that need SocketCAN ask this
    /// and say they were skipped when it answers no.
    pub fn kernel_supports_can() -> bool {
        // Interface index 0 binds to every interface, so no name lookup can fail first: only
        // the socket call itself, which fails without PF_CAN.
        match socketcan::CanSocket::open_iface(0) {
            Ok(_) => true,
            Err(e) => e.raw_os_error() != Some(EAFNOSUPPORT),
        }
    }
}

fn io_error(interface: &str, source: std::io::Error) -> TransportError {
    if source.raw_os_error() == Some(EAFNOSUPPORT) {
        TransportError::NoKernelSupport {
            interface: interface.to_owned(),
        }
    } else {
        TransportError::Io {
            interface: interface.to_owned(),
            source,
        }
    }
}

fn to_socketcan(frame: &CanFrame) -> Option<CanAnyFrame> {
    let id: Id = match frame.id() {
        CanId::Standard(id) => StandardId::new(id)?.into(),
        CanId::Extended(id) => ExtendedId::new(id)?.into(),
    };
    match frame.kind() {
        FrameKind::Classic => CanDataFrame::new(id, frame.data()).map(CanAnyFrame::Normal),
        FrameKind::Fd { brs, esi } => {
            let mut flags = FdFlags::empty();
            flags.set(FdFlags::BRS, brs);
            flags.set(FdFlags::ESI, esi);
            CanFdFrame::with_flags(id, frame.data(), flags).map(CanAnyFrame::Fd)
        }
        FrameKind::Remote { dlc } => {
            CanRemoteFrame::new_remote(id, usize::from(dlc)).map(CanAnyFrame::Remote)
        }
        // Error frames are reported by the controller, never sent.
        FrameKind::Error => None,
    }
}

fn from_socketcan(frame: &CanAnyFrame) -> Option<CanFrame> {
    let id = |raw: u32, extended: bool| {
        if extended {
            CanId::extended(raw)
        } else {
            CanId::standard(raw as u16)
        }
    };
    match frame {
        CanAnyFrame::Normal(f) => {
            CanFrame::classic(id(f.raw_id(), f.is_extended())?, f.data()).ok()
        }
        CanAnyFrame::Fd(f) => CanFrame::fd(
            id(f.raw_id(), f.is_extended())?,
            f.data(),
            f.is_brs(),
            f.is_esi(),
        )
        .ok(),
        CanAnyFrame::Remote(f) => {
            CanFrame::remote(id(f.raw_id(), f.is_extended())?, f.dlc() as u8).ok()
        }
        CanAnyFrame::Error(f) => {
            let mut data = [0u8; 8];
            let n = f.data().len().min(8);
            data[..n].copy_from_slice(&f.data()[..n]);
            Some(CanFrame::error(f.error_bits(), data))
        }
    }
}

#[async_trait]
impl CanTransport for SocketCan {
    fn name(&self) -> &str {
        &self.interface
    }

    async fn send(&self, frame: CanFrame) -> Result<(), TransportError> {
        let any = to_socketcan(&frame).ok_or_else(|| TransportError::Unsupported {
            bus: self.interface.clone(),
            frame: frame.to_string(),
            reason: "error frames are not sent".into(),
        })?;
        self.socket
            .write_frame(&any)
            .await
            .map_err(|source| io_error(&self.interface, source))
    }

    async fn recv(&self) -> Result<TimedFrame, TransportError> {
        loop {
            let any = self
                .socket
                .read_frame()
                .await
                .map_err(|source| io_error(&self.interface, source))?;
            if let Some(frame) = from_socketcan(&any) {
                return Ok(TimedFrame {
                    timestamp_us: now_us(),
                    frame,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_convert_both_ways() {
        let frames = [
            CanFrame::classic(CanId::Standard(0x123), &[1, 2, 3]).unwrap(),
            CanFrame::fd(CanId::Extended(0x1234_5678), &[7; 16], true, false).unwrap(),
            CanFrame::remote(CanId::Standard(0x7FF), 2).unwrap(),
        ];
        for frame in frames {
            let any = to_socketcan(&frame).unwrap();
            assert_eq!(from_socketcan(&any), Some(frame));
        }
    }

    #[tokio::test]
    async fn opening_an_interface_says_why_it_failed() {
        if SocketCan::kernel_supports_can() {
            // A CAN-capable kernel: a missing interface is an I/O error naming it.
            let err = SocketCan::open("cockpit-no-such-if").err().unwrap();
            assert!(err.to_string().starts_with("cockpit-no-such-if"), "{err}");
        } else {
            eprintln!(
                "SocketCAN skipped: this kernel has no PF_CAN support; checking the error it gives instead"
            );
            let err = SocketCan::open("can0").err().unwrap();
            assert!(
                matches!(err, TransportError::NoKernelSupport { .. }),
                "{err}"
            );
        }
    }
}
