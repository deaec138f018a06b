//! The in-process bus: every frame one endpoint sends reaches every other endpoint.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use tokio::sync::{Mutex, broadcast};

use super::{CanTransport, TimedFrame, TransportError, now_us};
use crate::frame::CanFrame;

/// How many frames a slow endpoint may fall behind before it overruns. The simulated car
/// sends a few hundred frames a second, so this is seconds of slack; an endpoint that lags
/// further is stuck, and losing old frames (as a CAN controller does) beats unbounded memory.
const CAPACITY: usize = 8192;

/// An in-process CAN bus. Cloning gives another handle to the same bus.
#[derive(Clone)]
pub struct VirtualBus {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    sender: broadcast::Sender<(u64, TimedFrame)>,
    next_endpoint: AtomicU64,
}

/// One node's connection to a [`VirtualBus`]. Like a CAN controller, it does not receive the
/// frames it sent itself.
pub struct VirtualEndpoint {
    id: u64,
    name: String,
    sender: broadcast::Sender<(u64, TimedFrame)>,
    receiver: Mutex<broadcast::Receiver<(u64, TimedFrame)>>,
}

impl VirtualBus {
    /// A new, empty bus called `name` in messages.
    pub fn new(name: &str) -> VirtualBus {
        let (sender, _) = broadcast::channel(CAPACITY);
        VirtualBus {
            inner: Arc::new(Inner {
                name: name.to_owned(),
                sender,
                next_endpoint: AtomicU64::new(0),
            }),
        }
    }

    /// Connects a new node. It receives frames sent from now on.
    pub fn endpoint(&self) -> VirtualEndpoint {
        VirtualEndpoint {
            id: self.inner.next_endpoint.fetch_add(1, Ordering::Relaxed),
            name: self.inner.name.clone(),
            sender: self.inner.sender.clone(),
            receiver: Mutex::new(self.inner.sender.subscribe()),
        }
    }
}

#[async_trait]
impl CanTransport for VirtualEndpoint {
    fn name(&self) -> &str {
        &self.name
    }

    async fn send(&self, frame: CanFrame) -> Result<(), TransportError> {
        let timed = TimedFrame {
            timestamp_us: now_us(),
            frame,
        };
        // An error only means no other endpoint is connected: on a real bus the frame would
        // go unacknowledged, and nobody would see it either.
        let _ = self.sender.send((self.id, timed));
        Ok(())
    }

    async fn recv(&self) -> Result<TimedFrame, TransportError> {
        let mut receiver = self.receiver.lock().await;
        loop {
            match receiver.recv().await {
                Ok((sender, _)) if sender == self.id => continue,
                Ok((_, frame)) => return Ok(frame),
                Err(broadcast::error::RecvError::Lagged(lost)) => {
                    return Err(TransportError::Overrun {
                        bus: self.name.clone(),
                        lost,
                    });
                }
                // Cannot happen while `self.sender` lives, but a closed bus is the honest answer.
                Err(broadcast::error::RecvError::Closed) => {
                    return Err(TransportError::Closed(self.name.clone()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::CanId;

    #[tokio::test]
    async fn frames_reach_every_other_endpoint_but_not_the_sender() {
        let bus = VirtualBus::new("virtual");
        let a = bus.endpoint();
        let b = bus.endpoint();
        let c = bus.endpoint();
        let frame = CanFrame::classic(CanId::Standard(0x123), &[1, 2]).unwrap();
        a.send(frame).await.unwrap();
        b.send(CanFrame::classic(CanId::Standard(0x456), &[]).unwrap())
            .await
            .unwrap();
        assert_eq!(b.recv().await.unwrap().frame, frame);
        assert_eq!(c.recv().await.unwrap().frame, frame);
        assert_eq!(c.recv().await.unwrap().frame.id(), CanId::Standard(0x456));
        // `a` skips nothing of its own and sees only b's frame.
        assert_eq!(a.recv().await.unwrap().frame.id(), CanId::Standard(0x456));
    }

    #[tokio::test]
    async fn a_slow_endpoint_overruns_and_then_carries_on() {
        let bus = VirtualBus::new("virtual");
        let sender = bus.endpoint();
        let slow = bus.endpoint();
        for i in 0..(CAPACITY + 10) {
            let frame = CanFrame::classic(CanId::Standard(1), &(i as u32).to_le_bytes()).unwrap();
            sender.send(frame).await.unwrap();
        }
        assert!(matches!(
            slow.recv().await,
            Err(TransportError::Overrun { lost: 10, .. })
        ));
        let next = slow.recv().await.unwrap();
        assert_eq!(next.frame.data(), &10u32.to_le_bytes());
    }
}
