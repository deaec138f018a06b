//! Actuation: a requested change goes through the policy, becomes command frames, is sent, and
//! is confirmed only when the car's own status frames report the new value.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::catalog::Value;
use crate::context::{Gear, Seat};
use crate::mapping::{CarDefinition, E2eCounters};
use crate::policy::{self, CheckedChange, PolicyError, Situation};
use crate::state::VehicleState;
use crate::transport::{CanTransport, TimedFrame, now_us};

/// What became of one requested change.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The car reports the requested value.
    Confirmed {
        /// The path.
        path: String,
        /// The value the car reports.
        value: Value,
        /// Seconds from sending the command to the status frame that reported the value.
        seconds: f64,
    },
    /// The request was outside the range; the limit was commanded and the car reports it.
    Clamped {
        /// The path.
        path: String,
        /// What was asked.
        requested: Value,
        /// The limit, as the car reports it.
        value: Value,
        /// Seconds from sending the command to the status frame that reported the limit.
        seconds: f64,
    },
    /// The policy refused it; nothing was sent.
    Refused {
        /// The path.
        path: String,
        /// Why.
        reason: PolicyError,
    },
    /// Sent, but a later command for the same path went out before the car reported this
    /// one: someone said "stop" while it moved, or asked for something else.
    Superseded {
        /// The path.
        path: String,
        /// What was commanded.
        commanded: Value,
        /// What the car reported when the later command went out (`None` if unknown).
        reported: Option<Value>,
        /// Whether the later command held it where it was (a stop), rather than sending it
        /// somewhere else.
        stopped: bool,
    },
    /// Sent, but the car did not report the value in time.
    NotConfirmed {
        /// The path.
        path: String,
        /// What was commanded.
        commanded: Value,
        /// What the car reports now (`None` if unknown).
        reported: Option<Value>,
    },
    /// It could not be sent: the bus failed, or the car has no way to carry the request.
    Failed {
        /// The path.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl Outcome {
    /// The path the outcome is about.
    pub fn path(&self) -> &str {
        match self {
            Outcome::Confirmed { path, .. }
            | Outcome::Clamped { path, .. }
            | Outcome::Refused { path, .. }
            | Outcome::Superseded { path, .. }
            | Outcome::NotConfirmed { path, .. }
            | Outcome::Failed { path, .. } => path,
        }
    }

    /// Whether the car now reports what was asked (or its limit).
    pub fn is_done(&self) -> bool {
        matches!(self, Outcome::Confirmed { .. } | Outcome::Clamped { .. })
    }
}

/// What one [`Actuator::apply_traced`] did: the outcomes, and the frames it put on the bus
/// with when, for the session journal and the bench's latency figures.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// One per requested change, in order.
    pub outcomes: Vec<Outcome>,
    /// Every command frame sent, stamped with the wall clock (for a candump log).
    pub frames: Vec<TimedFrame>,
    /// When the first command frame went out (none when nothing was sent), by the wall
    /// clock: latency is measured in real time even when the car runs on a simulated clock.
    pub first_frame: Option<std::time::Instant>,
    /// When the last change was settled (confirmed, or given up on), by the wall clock.
    pub settled: Option<std::time::Instant>,
}

/// Sends checked changes to the car and confirms them. One per agent; share it by reference.
pub struct Actuator {
    car: Arc<CarDefinition>,
    transport: Arc<dyn CanTransport>,
    state: VehicleState,
    counters: Mutex<E2eCounters>,
    /// Commands the car has not yet reported reaching, and those replaced meanwhile.
    awaited: Mutex<Awaiting>,
    /// How many commands have gone out: a confirmation watches it to notice that a later
    /// command replaced its own.
    sent: watch::Sender<u64>,
}

/// The commands of an [`Actuator`] the car has not yet reported reaching.
#[derive(Default)]
struct Awaiting {
    /// Path → the latest command for it.
    latest: HashMap<String, Awaited>,
    /// The numbers of commands a later one replaced before the car reported them → whether
    /// the later one was a hold. Kept until the replaced command's confirmation reads it:
    /// the hold may be confirmed (and leave `latest`) before that confirmation looks again.
    replaced: HashMap<u64, bool>,
}

/// A command the car has not yet reported reaching.
struct Awaited {
    /// Its number (see `Actuator::sent`).
    number: u64,
    commanded: Value,
    /// What the car reported when it went out.
    at_send: Option<Value>,
}

impl Actuator {
    /// An actuator sending on `transport` and confirming through `state`.
    pub fn new(
        car: Arc<CarDefinition>,
        transport: Arc<dyn CanTransport>,
        state: VehicleState,
    ) -> Actuator {
        Actuator {
            car,
            transport,
            state,
            counters: Mutex::new(E2eCounters::default()),
            awaited: Mutex::new(Awaiting::default()),
            sent: watch::Sender::new(0),
        }
    }

    /// The positions that commands from this actuator are moving now: those the car reports
    /// on their way (moved from where they were when the command went out, or unknown then,
    /// and not yet where they were sent). A switch or a set point jumps to its value and never
    /// shows here.
    pub fn moving(&self) -> Vec<String> {
        let awaited = self.awaited.lock().unwrap_or_else(|e| e.into_inner());
        let mut moving: Vec<String> = awaited
            .latest
            .iter()
            .filter(|(path, a)| {
                let numeric = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_));
                let Some(now) = self.state.value(path) else {
                    return false;
                };
                numeric(&a.commanded)
                    && a.at_send.as_ref().is_none_or(|v| !same_value(v, &now))
                    && !same_value(&now, &a.commanded)
            })
            .map(|(path, _)| path.clone())
            .collect();
        moving.sort();
        moving
    }

    /// Holds each of `paths` where the car reports it now ("stop!"), through the policy like
    /// any request; a command still moving one of them ends as [`Outcome::Superseded`]. The
    /// cars this speaks to take positions, not a stop, so the stop is the position reached;
    /// paths the car does not report are left alone.
    pub async fn hold(&self, seat: Seat, paths: &[String]) -> Applied {
        let holds: Vec<(String, Value)> = paths
            .iter()
            .filter_map(|path| Some((path.clone(), self.state.value(path)?)))
            .collect();
        self.apply_as(seat, &holds, true).await
    }

    /// The car's situation as the policy sees it now.
    pub fn situation(&self) -> Situation {
        Situation {
            speed_kmh: self.state.value("Vehicle.Speed").and_then(|v| v.as_f64()),
            gear: self
                .state
                .value("Vehicle.Powertrain.Transmission.SelectedGear")
                .and_then(|v| v.as_f64())
                .and_then(|g| Gear::from_vss(g as i64)),
        }
    }

    /// Sets one path; see [`apply`](Self::apply).
    pub async fn set(&self, seat: Seat, path: &str, value: Value) -> Outcome {
        let mut outcomes = self.apply(seat, &[(path.to_owned(), value)]).await;
        // Cannot be empty: `apply` returns one outcome per change.
        outcomes.remove(0)
    }

    /// Applies changes asked from `seat`: each passes the policy or is refused; those that
    /// pass go out together (one frame per command message) and are confirmed from the
    /// status frames, each within its settle time. One outcome per change, in order.
    pub async fn apply(&self, seat: Seat, changes: &[(String, Value)]) -> Vec<Outcome> {
        self.apply_traced(seat, changes).await.outcomes
    }

    /// [`apply`](Self::apply), also telling which frames went out and when.
    pub async fn apply_traced(&self, seat: Seat, changes: &[(String, Value)]) -> Applied {
        self.apply_as(seat, changes, false).await
    }

    /// [`apply_traced`](Self::apply_traced); `holding`: the changes hold positions where
    /// they are ([`hold`](Self::hold)).
    async fn apply_as(&self, seat: Seat, changes: &[(String, Value)], holding: bool) -> Applied {
        let mut applied = Applied::default();
        let situation = self.situation();
        let mut outcomes: Vec<Option<Outcome>> = vec![None; changes.len()];
        let mut checked: Vec<(usize, CheckedChange)> = Vec::new();
        for (i, (path, value)) in changes.iter().enumerate() {
            match policy::check(&self.car, seat, &situation, path, value) {
                Ok(change) => checked.push((i, change)),
                Err(reason) => {
                    tracing::info!(%path, %reason, "refused");
                    outcomes[i] = Some(Outcome::Refused {
                        path: path.clone(),
                        reason,
                    });
                }
            }
        }
        if !checked.is_empty() {
            let changes: Vec<CheckedChange> = checked.iter().map(|(_, c)| c.clone()).collect();
            match self.send(&changes, &mut applied).await {
                Err(message) => {
                    for (i, change) in &checked {
                        outcomes[*i] = Some(Outcome::Failed {
                            path: change.path().to_owned(),
                            message: message.clone(),
                        });
                    }
                }
                Ok(sent_at) => {
                    let numbers = self.await_reports(&changes, holding);
                    for ((i, _), outcome) in checked
                        .iter()
                        .zip(self.confirm(&changes, &numbers, sent_at).await)
                    {
                        outcomes[*i] = Some(outcome);
                    }
                }
            }
        }
        if !checked.is_empty() {
            applied.settled = Some(std::time::Instant::now());
        }
        // Cannot be None: every index was filled above, refused or checked.
        applied.outcomes = outcomes.into_iter().flatten().collect();
        applied
    }

    /// Sends the frames for `changes`, noting each in `applied`; returns when the last one
    /// went out.
    async fn send(
        &self,
        changes: &[CheckedChange],
        applied: &mut Applied,
    ) -> Result<Instant, String> {
        let frames = {
            let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
            self.car
                .encode_commands(changes, &mut counters)
                .map_err(|e| e.to_string())?
        };
        for frame in frames {
            tracing::debug!(%frame, "command");
            self.transport
                .send(frame)
                .await
                .map_err(|e| format!("cannot send on {}: {e}", self.transport.name()))?;
            applied
                .first_frame
                .get_or_insert_with(std::time::Instant::now);
            applied.frames.push(TimedFrame {
                timestamp_us: now_us(),
                frame,
            });
        }
        Ok(Instant::now())
    }

    /// Notes `changes` as sent and awaiting the car's report, replacing any earlier command
    /// for the same paths; returns their numbers.
    fn await_reports(&self, changes: &[CheckedChange], holding: bool) -> Vec<u64> {
        let mut awaiting = self.awaited.lock().unwrap_or_else(|e| e.into_inner());
        let Awaiting { latest, replaced } = &mut *awaiting;
        changes
            .iter()
            .map(|change| {
                let mut number = 0;
                self.sent.send_modify(|sent| {
                    *sent += 1;
                    number = *sent;
                });
                let earlier = latest.insert(
                    change.path().to_owned(),
                    Awaited {
                        number,
                        commanded: change.value().clone(),
                        at_send: self.state.value(change.path()),
                    },
                );
                if let Some(earlier) = earlier {
                    replaced.insert(earlier.number, holding);
                }
                number
            })
            .collect()
    }

    /// Waits for the car to report each change, all at once, each until its own settle time
    /// or until a later command replaces it; each outcome carries the time its confirmation
    /// took.
    async fn confirm(
        &self,
        changes: &[CheckedChange],
        numbers: &[u64],
        sent_at: Instant,
    ) -> Vec<Outcome> {
        let mut outcomes: Vec<Option<Outcome>> = vec![None; changes.len()];
        let deadlines: Vec<Instant> = changes
            .iter()
            .map(|c| sent_at + self.car.settle_time(c.path()))
            .collect();
        let mut notifications = self.state.subscribe();
        let mut commands = self.sent.subscribe();
        loop {
            let now = Instant::now();
            let seconds = (now - sent_at).as_secs_f64();
            for (i, change) in changes.iter().enumerate() {
                if outcomes[i].is_some() {
                    continue;
                }
                let reported = self.state.value(change.path());
                let confirmed = reported
                    .as_ref()
                    .is_some_and(|v| same_value(v, change.value()));
                let mut awaiting = self.awaited.lock().unwrap_or_else(|e| e.into_inner());
                let replaced = awaiting.replaced.remove(&numbers[i]);
                outcomes[i] = match (confirmed, reported, replaced) {
                    (false, reported, Some(stopped)) => Some(Outcome::Superseded {
                        path: change.path().to_owned(),
                        commanded: change.value().clone(),
                        reported,
                        stopped,
                    }),
                    (true, Some(value), _) if change.is_clamped() => Some(Outcome::Clamped {
                        path: change.path().to_owned(),
                        requested: change.requested().clone(),
                        value,
                        seconds,
                    }),
                    (true, Some(value), _) => Some(Outcome::Confirmed {
                        path: change.path().to_owned(),
                        value,
                        seconds,
                    }),
                    (_, reported, _) if now >= deadlines[i] => Some(Outcome::NotConfirmed {
                        path: change.path().to_owned(),
                        commanded: change.value().clone(),
                        reported,
                    }),
                    _ => None,
                };
                if outcomes[i].is_some()
                    && awaiting
                        .latest
                        .get(change.path())
                        .is_some_and(|a| a.number == numbers[i])
                {
                    awaiting.latest.remove(change.path());
                }
            }
            let next_deadline = outcomes
                .iter()
                .zip(&deadlines)
                .filter(|(o, _)| o.is_none())
                .map(|(_, d)| *d)
                .min();
            let Some(next_deadline) = next_deadline else {
                // Cannot be None: the loop ends only when every change has its outcome.
                return outcomes.into_iter().flatten().collect();
            };
            // A timeout means a deadline passed: the next round turns it into an outcome.
            let _ = tokio::time::timeout_at(next_deadline, async {
                tokio::select! {
                    _ = notifications.changed() => {}
                    _ = commands.changed() => {}
                }
            })
            .await;
        }
    }
}

/// Whether a reported value is the commanded one: numbers within a hundredth (the reference
/// car's finest resolution is 0.01), strings without regard to case.
fn same_value(reported: &Value, commanded: &Value) -> bool {
    match (reported, commanded) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (a, b) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) if !matches!(a, Value::Bool(_)) && !matches!(b, Value::Bool(_)) => {
                (x - y).abs() < 0.01
            }
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use super::*;
    use crate::reference;
    use crate::sim::{Drive, Dynamics, SimCar};
    use crate::transport::VirtualBus;

    async fn actuator(speed: f64, gear: Gear) -> (Actuator, SimCar) {
        let car = Arc::new(reference::car_definition());
        let bus = VirtualBus::new("virtual");
        let dynamics = Dynamics::parse(reference::SIM_TOML, Path::new("sim.toml"), &car).unwrap();
        let sim = SimCar::spawn(
            car.clone(),
            Arc::new(bus.endpoint()),
            Drive::constant(speed, gear),
            dynamics,
        );
        let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
        let missing = state
            .wait_for_paths(&["Vehicle.Speed"], Duration::from_secs(1))
            .await;
        assert!(missing.is_empty());
        (Actuator::new(car, Arc::new(bus.endpoint()), state), sim)
    }

    #[tokio::test(start_paused = true)]
    async fn a_confirmed_change_is_reported_by_the_car() {
        let (actuator, _sim) = actuator(0.0, Gear::Park).await;
        let outcome = actuator
            .set(
                Seat::Driver,
                "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position",
                Value::Int(50),
            )
            .await;
        let Outcome::Confirmed {
            path,
            value,
            seconds,
        } = outcome
        else {
            panic!("not confirmed: {outcome:?}");
        };
        assert_eq!(path, "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position");
        assert_eq!(value, Value::Int(50));
        assert!(
            (1.4..1.8).contains(&seconds),
            "half a window's travel took {seconds} s"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_beyond_the_range_is_confirmed_at_the_limit() {
        let (actuator, _sim) = actuator(0.0, Gear::Park).await;
        let outcome = actuator
            .set(
                Seat::Driver,
                "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature",
                Value::Int(35),
            )
            .await;
        let Outcome::Clamped {
            requested, value, ..
        } = outcome
        else {
            panic!("not clamped: {outcome:?}");
        };
        assert_eq!((requested, value), (Value::Int(35), Value::Float(28.0)));
    }

    #[tokio::test(start_paused = true)]
    async fn each_change_of_a_request_is_confirmed_in_its_own_time() {
        let (actuator, _sim) = actuator(0.0, Gear::Park).await;
        let outcomes = actuator
            .apply(
                Seat::Driver,
                &[
                    ("Vehicle.Body.Trunk.Rear.IsOpen".into(), Value::Bool(true)),
                    ("Vehicle.Cabin.Light.IsDomeOn".into(), Value::Bool(true)),
                ],
            )
            .await;
        let seconds: Vec<f64> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Confirmed { seconds, .. } => *seconds,
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(seconds[0] > 2.0, "the boot takes its time: {seconds:?}");
        assert!(
            seconds[1] < 0.3,
            "the dome light does not wait for the boot: {seconds:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn refused_changes_send_nothing() {
        let (actuator, sim) = actuator(80.0, Gear::Drive).await;
        let before = sim.stats().commands;
        let outcomes = actuator
            .apply(
                Seat::Passenger,
                &[
                    ("Vehicle.Body.Trunk.Rear.IsOpen".into(), Value::Bool(true)),
                    (
                        "Vehicle.Body.Lights.Hazard.IsSignaling".into(),
                        Value::Bool(true),
                    ),
                ],
            )
            .await;
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o, Outcome::Refused { .. })),
            "{outcomes:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(sim.stats().commands, before);
    }

    #[tokio::test(start_paused = true)]
    async fn a_car_that_does_not_answer_leaves_the_change_unconfirmed() {
        let (actuator, sim) = actuator(0.0, Gear::Park).await;
        sim.stop().await;
        let outcome = actuator
            .set(
                Seat::Driver,
                "Vehicle.Cabin.Light.IsDomeOn",
                Value::Bool(true),
            )
            .await;
        assert_eq!(
            outcome,
            Outcome::NotConfirmed {
                path: "Vehicle.Cabin.Light.IsDomeOn".into(),
                commanded: Value::Bool(true),
                reported: None
            }
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_window_on_its_way_stops_where_it_is_when_held() {
        const WINDOW: &str = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";
        let (actuator, _sim) = actuator(0.0, Gear::Park).await;
        let actuator = Arc::new(actuator);
        let opening = tokio::spawn({
            let actuator = actuator.clone();
            async move { actuator.set(Seat::Driver, WINDOW, Value::Int(100)).await }
        });
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(actuator.moving(), vec![WINDOW.to_owned()]);
        let held = actuator.hold(Seat::Passenger, &actuator.moving()).await;
        let [Outcome::Confirmed { value, .. }] = held.outcomes.as_slice() else {
            panic!("the hold is confirmed: {:?}", held.outcomes);
        };
        let at = value.as_f64().unwrap_or_default();
        assert!((30.0..70.0).contains(&at), "held halfway, at {at}");
        let Ok(Outcome::Superseded {
            reported,
            stopped: true,
            ..
        }) = opening.await
        else {
            panic!("the opening ends as stopped");
        };
        assert_eq!(reported.and_then(|v| v.as_f64()), Some(at));
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(
            actuator.state.value(WINDOW).and_then(|v| v.as_f64()),
            Some(at),
            "it stays where it stopped"
        );
        assert!(actuator.moving().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_window_sent_elsewhere_on_its_way_was_not_stopped() {
        const WINDOW: &str = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";
        let (actuator, _sim) = actuator(0.0, Gear::Park).await;
        let actuator = Arc::new(actuator);
        let opening = tokio::spawn({
            let actuator = actuator.clone();
            async move { actuator.set(Seat::Driver, WINDOW, Value::Int(100)).await }
        });
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let closing = actuator.set(Seat::Driver, WINDOW, Value::Int(0)).await;
        assert!(matches!(closing, Outcome::Confirmed { .. }), "{closing:?}");
        let opened = opening.await;
        assert!(
            matches!(
                opened,
                Ok(Outcome::Superseded {
                    stopped: false,
                    reported: Some(_),
                    ..
                })
            ),
            "{opened:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn what_jumps_to_its_value_is_never_moving() {
        let (actuator, _sim) = actuator(0.0, Gear::Park).await;
        let actuator = Arc::new(actuator);
        let setting = tokio::spawn({
            let actuator = actuator.clone();
            async move {
                actuator
                    .set(
                        Seat::Driver,
                        "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature",
                        Value::Int(25),
                    )
                    .await
            }
        });
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(10)).await;
            assert!(actuator.moving().is_empty());
        }
        assert!(matches!(setting.await, Ok(Outcome::Confirmed { .. })));
    }

    #[test]
    fn values_compare_as_the_car_reports_them() {
        assert!(same_value(&Value::Float(21.5), &Value::Float(21.5)));
        assert!(same_value(&Value::Int(50), &Value::Float(50.0)));
        assert!(same_value(
            &Value::String("fast".into()),
            &Value::String("FAST".into())
        ));
        assert!(!same_value(&Value::Bool(true), &Value::Int(1)));
    }
}
