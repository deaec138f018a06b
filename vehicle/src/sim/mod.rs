//! The simulated car: the ECUs of a car definition on a bus, obeying command frames with
//! believable dynamics and broadcasting their status messages at the DBC's cycle times.
//!
//! It is generic over the mapping: whatever command signal a path is mapped to moves that
//! path, and whatever status message reports it carries the value. What is particular to the
//! reference car (how fast windows travel, how the cabin warms) comes from `sim.toml`, and
//! speed and gear from a [`Drive`]. It starts from the catalog's start state.
//!
//! It checks the E2E protection of commands as a real ECU would: corrupted and repeated frames
//! are ignored and counted in [`SimStats`].

mod drive;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

pub use drive::{Drive, DriveError};

use crate::catalog::{DataType, Value, ValueError};
use crate::e2e::E2eStatus;
use crate::mapping::{CarDefinition, E2eCounters, StatusReceivers};
use crate::transport::{CanTransport, FrameStream};

/// The simulation step. Finer than the fastest status cycle (20 ms) so that messages go out
/// on time, coarse enough to cost nothing.
const TICK: Duration = Duration::from_millis(10);

/// Status messages without a cycle time in the DBC are sent this often.
const FALLBACK_CYCLE: Duration = Duration::from_millis(100);

const SPEED_PATH: &str = "Vehicle.Speed";
const GEAR_PATH: &str = "Vehicle.Powertrain.Transmission.SelectedGear";
const CABIN_TEMPERATURE_PATH: &str = "Vehicle.Cabin.HVAC.AmbientAirTemperature";
const EXTERIOR_TEMPERATURE_PATH: &str = "Vehicle.Exterior.AirTemperature";
const SOC_PATH: &str = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed";
const RANGE_PATH: &str = "Vehicle.Powertrain.Range";
const SET_POINT_PATHS: [&str; 2] = [
    "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature",
    "Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature",
];
const FAN_PATHS: [&str; 2] = [
    "Vehicle.Cabin.HVAC.Station.Row1.Driver.FanSpeed",
    "Vehicle.Cabin.HVAC.Station.Row1.Passenger.FanSpeed",
];
const AC_PATH: &str = "Vehicle.Cabin.HVAC.IsAirConditioningActive";
const OPENING_PATHS: [&str; 5] = [
    "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position",
    "Vehicle.Cabin.Door.Row1.PassengerSide.Window.Position",
    "Vehicle.Cabin.Door.Row2.DriverSide.Window.Position",
    "Vehicle.Cabin.Door.Row2.PassengerSide.Window.Position",
    "Vehicle.Cabin.Sunroof.Position",
];

/// How the simulated car's parts move: `sim.toml`.
#[derive(Clone, Debug)]
pub struct Dynamics {
    motions: HashMap<String, Motion>,
    cabin: CabinFile,
    battery: BatteryFile,
}

#[derive(Clone, Debug)]
struct Motion {
    kind: MotionKind,
    /// Status message and signal that read 1 while it moves.
    moving: Option<(String, String)>,
}

#[derive(Clone, Copy, Debug)]
enum MotionKind {
    Rate(f64),
    Delay(Duration),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DynamicsFile {
    #[serde(default)]
    motion: Vec<MotionFile>,
    cabin: CabinFile,
    battery: BatteryFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MotionFile {
    path: String,
    rate: Option<f64>,
    delay_ms: Option<u64>,
    moving: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CabinFile {
    full_fan_time_constant_s: f64,
    leak_time_constant_s: f64,
    open_leak_factor: f64,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatteryFile {
    capacity_kwh: f64,
    full_range_km: f64,
}

/// A dynamics file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("simulation settings {path}: {message}")]
pub struct DynamicsError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl Dynamics {
    /// The reference car's dynamics, built in.
    pub fn reference(car: &CarDefinition) -> Dynamics {
        // Cannot fail for the reference car: checked by this module's tests.
        Dynamics::parse(
            crate::reference::SIM_TOML,
            Path::new("assets/vehicle/sim.toml"),
            car,
        )
        .expect("the embedded simulation settings fit the reference car")
    }

    /// Parses `sim.toml` text, checked against the car it will drive.
    pub fn parse(
        text: &str,
        source: &Path,
        car: &CarDefinition,
    ) -> Result<Dynamics, DynamicsError> {
        let error = |message: String| DynamicsError {
            path: source.to_owned(),
            message,
        };
        let file: DynamicsFile = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        let mut motions = HashMap::new();
        for m in file.motion {
            if !car.is_controllable(&m.path) {
                return Err(error(format!(
                    "{}: not an actuator this car can set",
                    m.path
                )));
            }
            let kind = match (m.rate, m.delay_ms) {
                (Some(rate), None) if rate > 0.0 => MotionKind::Rate(rate),
                (None, Some(ms)) => MotionKind::Delay(Duration::from_millis(ms)),
                _ => {
                    return Err(error(format!(
                        "{}: give either a positive `rate` or `delay_ms`",
                        m.path
                    )));
                }
            };
            let moving = match m.moving {
                Some(name) => {
                    let (message, signal) = name.split_once('.').ok_or_else(|| {
                        error(format!(
                            "{}: moving {name:?} must be MESSAGE.SIGNAL",
                            m.path
                        ))
                    })?;
                    let known = car
                        .database()
                        .message_by_name(message)
                        .is_some_and(|msg| msg.signal_index(signal).is_some());
                    if !known {
                        return Err(error(format!("{}: the DBC has no signal {name}", m.path)));
                    }
                    Some((message.to_owned(), signal.to_owned()))
                }
                None => None,
            };
            motions.insert(m.path, Motion { kind, moving });
        }
        if file.cabin.full_fan_time_constant_s <= 0.0 || file.cabin.leak_time_constant_s <= 0.0 {
            return Err(error("cabin time constants must be positive".into()));
        }
        if file.battery.capacity_kwh <= 0.0 || file.battery.full_range_km <= 0.0 {
            return Err(error("battery capacity and range must be positive".into()));
        }
        Ok(Dynamics {
            motions,
            cabin: file.cabin,
            battery: file.battery,
        })
    }
}

/// What the simulated car did, for tests and the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Command frames accepted.
    pub commands: u64,
    /// Command frames dropped because their CRC did not match.
    pub bad_crc: u64,
    /// Command frames dropped as repetitions.
    pub repeated: u64,
    /// Command frames dropped because their counter jumped too far.
    pub out_of_sequence: u64,
    /// Command frames accepted although earlier ones were lost.
    pub lost: u64,
    /// Status frames sent.
    pub status_frames: u64,
}

/// A running simulated car. Dropping it stops the simulation.
pub struct SimCar {
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    stats: Arc<Mutex<SimStats>>,
}

impl SimCar {
    /// Starts the car's ECUs on `transport`.
    pub fn spawn(
        car: Arc<CarDefinition>,
        transport: Arc<dyn CanTransport>,
        drive: Drive,
        dynamics: Dynamics,
    ) -> SimCar {
        let (shutdown, shutdown_rx) = watch::channel(false);
        let stats = Arc::new(Mutex::new(SimStats::default()));
        let task = tokio::spawn(run(
            car,
            transport,
            drive,
            dynamics,
            shutdown_rx,
            stats.clone(),
        ));
        SimCar {
            shutdown,
            task: Some(task),
            stats,
        }
    }

    /// What it has done so far.
    pub fn stats(&self) -> SimStats {
        // A poisoned lock means the simulation panicked; its last numbers are still right.
        *self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stops the simulation and waits for it to end.
    pub async fn stop(mut self) -> SimStats {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            // A join error means the task panicked; the panic was already printed.
            let _ = task.await;
        }
        self.stats()
    }
}

impl Drop for SimCar {
    fn drop(&mut self) {
        // Fails only when the task has already ended.
        let _ = self.shutdown.send(true);
    }
}

struct Model {
    car: Arc<CarDefinition>,
    dynamics: Dynamics,
    drive: Drive,
    values: HashMap<String, Value>,
    positions: HashMap<String, f64>,
    targets: HashMap<String, f64>,
    pending: HashMap<String, (Value, Instant)>,
    cabin_temperature: f64,
    state_of_charge: f64,
}

impl Model {
    fn new(car: Arc<CarDefinition>, drive: Drive, dynamics: Dynamics) -> Model {
        let values: HashMap<String, Value> = car
            .catalog()
            .entries()
            .map(|m| (m.path().to_owned(), m.default().clone()))
            .collect();
        let number = |path: &str, fallback: f64| {
            values.get(path).and_then(Value::as_f64).unwrap_or(fallback)
        };
        let cabin_temperature = number(CABIN_TEMPERATURE_PATH, 22.0);
        let state_of_charge = number(SOC_PATH, 80.0);
        let mut model = Model {
            car,
            dynamics,
            drive,
            values,
            positions: HashMap::new(),
            targets: HashMap::new(),
            pending: HashMap::new(),
            cabin_temperature,
            state_of_charge,
        };
        model.values.insert(
            EXTERIOR_TEMPERATURE_PATH.into(),
            Value::Float(model.drive.exterior_temperature()),
        );
        model
    }

    fn number(&self, path: &str) -> f64 {
        self.values.get(path).and_then(Value::as_f64).unwrap_or(0.0)
    }

    fn apply(&mut self, path: &str, requested: Value, now: Instant) {
        let Some(metadata) = self.car.catalog().get(path) else {
            return;
        };
        // ECUs protect themselves: an out-of-range request moves to the limit.
        let value = match metadata.check(&requested) {
            Ok(v) => v,
            Err(ValueError::OutOfRange { limit, .. }) => limit,
            Err(e) => {
                tracing::warn!("simulated ECU ignores a request: {e}");
                return;
            }
        };
        match self.dynamics.motions.get(path).map(|m| m.kind) {
            Some(MotionKind::Rate(_)) => {
                let current = self.number(path);
                self.positions.entry(path.to_owned()).or_insert(current);
                self.targets
                    .insert(path.to_owned(), value.as_f64().unwrap_or(current));
            }
            Some(MotionKind::Delay(delay)) => {
                if self.values.get(path) == Some(&value) {
                    self.pending.remove(path);
                } else {
                    self.pending.insert(path.to_owned(), (value, now + delay));
                }
            }
            None => {
                self.values.insert(path.to_owned(), value);
            }
        }
    }

    fn tick(&mut self, dt: f64, now: Instant, elapsed: Duration) {
        // Positions travel toward their targets.
        let mut arrived = Vec::new();
        for (path, target) in &self.targets {
            let Some(Motion {
                kind: MotionKind::Rate(rate),
                ..
            }) = self.dynamics.motions.get(path)
            else {
                continue;
            };
            let position = self.positions.entry(path.clone()).or_insert(*target);
            let step = rate * dt;
            if (*target - *position).abs() <= step {
                *position = *target;
                arrived.push(path.clone());
            } else {
                *position += step.copysign(*target - *position);
            }
            let data_type = self.car.catalog().get(path).map(|m| m.data_type());
            let value = if data_type == Some(DataType::Float) {
                Value::Float(*position)
            } else {
                Value::Int(position.round() as i64)
            };
            self.values.insert(path.clone(), value);
        }
        for path in arrived {
            self.targets.remove(&path);
        }
        // Discrete changes land when their delay is up.
        let due: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, (_, at))| *at <= now)
            .map(|(p, _)| p.clone())
            .collect();
        for path in due {
            if let Some((value, _)) = self.pending.remove(&path) {
                self.values.insert(path, value);
            }
        }

        let (speed, gear) = self.drive.at(elapsed);
        self.values.insert(SPEED_PATH.into(), Value::Float(speed));
        self.values.insert(GEAR_PATH.into(), Value::Int(gear.vss()));
        self.tick_cabin(dt);
        self.tick_battery(dt, speed);
    }

    fn tick_cabin(&mut self, dt: f64) {
        let cabin = self.dynamics.cabin;
        let outside = self.drive.exterior_temperature();
        let set_point = SET_POINT_PATHS.iter().map(|p| self.number(p)).sum::<f64>()
            / SET_POINT_PATHS.len() as f64;
        let fan =
            FAN_PATHS.iter().map(|p| self.number(p)).sum::<f64>() / FAN_PATHS.len() as f64 / 100.0;
        let ac = self.values.get(AC_PATH) == Some(&Value::Bool(true));
        // Without A/C the system can only blow outside air, so it cannot cool below it.
        let reachable = if !ac && set_point < self.cabin_temperature {
            set_point.max(outside)
        } else {
            set_point
        };
        let open = OPENING_PATHS.iter().map(|p| self.number(p)).sum::<f64>()
            / (OPENING_PATHS.len() as f64 * 100.0);
        let hvac_rate = fan / cabin.full_fan_time_constant_s;
        // With the fan running, climate control makes up for a closed cabin's slow leak (so it
        // settles at the set point); open windows overwhelm it, and an idle system does not try.
        let closed_leak = if fan > 0.0 { 0.0 } else { 1.0 };
        let leak_rate = (closed_leak + cabin.open_leak_factor * open) / cabin.leak_time_constant_s;
        self.cabin_temperature += dt
            * (hvac_rate * (reachable - self.cabin_temperature)
                + leak_rate * (outside - self.cabin_temperature));
        self.values.insert(
            CABIN_TEMPERATURE_PATH.into(),
            Value::Float(self.cabin_temperature),
        );
    }

    fn tick_battery(&mut self, dt: f64, speed_kmh: f64) {
        let battery = self.dynamics.battery;
        let km = speed_kmh * dt / 3600.0;
        self.state_of_charge = (self.state_of_charge - km / battery.full_range_km * 100.0).max(0.0);
        self.values
            .insert(SOC_PATH.into(), Value::Float(self.state_of_charge));
        let range_m = (self.state_of_charge / 100.0 * battery.full_range_km * 1000.0).round();
        self.values
            .insert(RANGE_PATH.into(), Value::Int(range_m as i64));
    }

    /// The status signals that read 1 while their part moves, for `message`.
    fn moving_flags(&self, message: &str) -> Vec<(&str, f64)> {
        self.dynamics
            .motions
            .iter()
            .filter_map(|(path, motion)| {
                let (m, signal) = motion.moving.as_ref()?;
                if m != message {
                    return None;
                }
                let moving = self.targets.contains_key(path) || self.pending.contains_key(path);
                Some((signal.as_str(), if moving { 1.0 } else { 0.0 }))
            })
            .collect()
    }
}

async fn run(
    car: Arc<CarDefinition>,
    transport: Arc<dyn CanTransport>,
    drive: Drive,
    dynamics: Dynamics,
    mut shutdown: watch::Receiver<bool>,
    stats: Arc<Mutex<SimStats>>,
) {
    let mut frames = FrameStream::spawn(transport.clone());
    let start = Instant::now();
    let mut model = Model::new(car.clone(), drive, dynamics);
    let mut receivers = StatusReceivers::default();
    let mut counters = E2eCounters::default();
    let mut schedule: Vec<(usize, Duration, Instant)> = car
        .status_messages()
        .iter()
        .enumerate()
        .map(|(i, (index, message))| {
            let cycle = message.cycle_time().unwrap_or(FALLBACK_CYCLE);
            // Spread the first transmissions so that not every message goes out in one tick.
            let phase = Duration::from_millis((i as u64 * 7) % cycle.as_millis().max(1) as u64);
            (*index, cycle, start + phase)
        })
        .collect();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_tick = start;

    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            Some(received) = frames.recv() => {
                let frame = match received {
                    Ok(timed) => timed.frame,
                    Err(e) => {
                        tracing::warn!("simulated car: {e}");
                        continue;
                    }
                };
                let now = Instant::now();
                let mut requests = Vec::new();
                let verdict = car.decode_command(&frame, &mut receivers, |path, value| requests.push((path.to_owned(), value)));
                let Some(verdict) = verdict else { continue };
                {
                    let mut stats = stats.lock().unwrap_or_else(|e| e.into_inner());
                    match verdict {
                        E2eStatus::BadCrc => stats.bad_crc += 1,
                        E2eStatus::Repeated => stats.repeated += 1,
                        E2eStatus::WrongSequence => stats.out_of_sequence += 1,
                        E2eStatus::Lost { .. } => { stats.lost += 1; stats.commands += 1 }
                        E2eStatus::Ok => stats.commands += 1,
                    }
                }
                if !verdict.is_usable() {
                    tracing::debug!(?verdict, %frame, "simulated ECU drops a command frame");
                    continue;
                }
                for (path, value) in requests {
                    model.apply(&path, value, now);
                }
            }
            _ = ticker.tick() => {
                let now = Instant::now();
                model.tick((now - last_tick).as_secs_f64(), now, now - start);
                last_tick = now;
                for (index, cycle, due) in &mut schedule {
                    if *due > now {
                        continue;
                    }
                    *due += *cycle;
                    if *due < now {
                        *due = now + *cycle;
                    }
                    let message = &car.database().messages()[*index];
                    let extra = model.moving_flags(message.name());
                    match car.encode_status(message, &model.values, &extra, &mut counters) {
                        Ok(frame) => {
                            if let Err(e) = transport.send(frame).await {
                                tracing::warn!("simulated car cannot send {}: {e}", message.name());
                            } else {
                                stats.lock().unwrap_or_else(|e| e.into_inner()).status_frames += 1;
                            }
                        }
                        Err(e) => tracing::warn!("simulated car cannot encode {}: {e}", message.name()),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::CanFrame;
    use crate::policy::CheckedChange;
    use crate::reference;
    use crate::state::VehicleState;
    use crate::transport::VirtualBus;

    struct Bench {
        _sim: SimCar,
        state: VehicleState,
        head_unit: Arc<dyn CanTransport>,
        car: Arc<CarDefinition>,
        counters: E2eCounters,
    }

    fn bench(drive: Drive) -> Bench {
        let car = Arc::new(reference::car_definition());
        let bus = VirtualBus::new("virtual");
        let dynamics = Dynamics::parse(reference::SIM_TOML, Path::new("sim.toml"), &car).unwrap();
        let sim = SimCar::spawn(car.clone(), Arc::new(bus.endpoint()), drive, dynamics);
        let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
        Bench {
            _sim: sim,
            state,
            head_unit: Arc::new(bus.endpoint()),
            car,
            counters: E2eCounters::default(),
        }
    }

    impl Bench {
        async fn command(&mut self, path: &str, value: Value) {
            let change = CheckedChange::unchecked(path, value);
            let frames = self
                .car
                .encode_commands(&[change], &mut self.counters)
                .unwrap();
            for frame in frames {
                self.head_unit.send(frame).await.unwrap();
            }
        }

        fn value(&self, path: &str) -> Option<Value> {
            self.state.get(path).and_then(|d| d.value)
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_car_starts_in_the_catalog_start_state() {
        let b = bench(Drive::constant(0.0, crate::context::Gear::Park));
        tokio::time::sleep(Duration::from_secs(1)).await;
        for metadata in b.car.catalog().entries() {
            assert_eq!(
                b.value(metadata.path()).as_ref(),
                Some(metadata.default()),
                "{}",
                metadata.path()
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_window_takes_about_three_seconds_to_open() {
        let mut b = bench(Drive::constant(0.0, crate::context::Gear::Park));
        tokio::time::sleep(Duration::from_millis(500)).await;
        let window = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";
        b.command(window, Value::Int(100)).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let halfway = b.value(window).and_then(|v| v.as_f64()).unwrap();
        assert!(
            (40.0..=60.0).contains(&halfway),
            "after 1.5 s the window is at {halfway}"
        );
        tokio::time::sleep(Duration::from_millis(1700)).await;
        assert_eq!(b.value(window), Some(Value::Int(100)));
    }

    #[tokio::test(start_paused = true)]
    async fn the_cabin_drifts_toward_the_set_point() {
        let mut b = bench(Drive::constant(0.0, crate::context::Gear::Park));
        b.command(
            "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature",
            Value::Float(26.0),
        )
        .await;
        b.command(
            "Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature",
            Value::Float(26.0),
        )
        .await;
        b.command(
            "Vehicle.Cabin.HVAC.Station.Row1.Driver.FanSpeed",
            Value::Int(100),
        )
        .await;
        tokio::time::sleep(Duration::from_secs(120)).await;
        let cabin = b
            .value(CABIN_TEMPERATURE_PATH)
            .and_then(|v| v.as_f64())
            .unwrap();
        assert!(
            cabin > 24.5 && cabin < 26.0,
            "cabin at {cabin} °C after two minutes"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_drive_sets_speed_and_gear() {
        let b =
            bench(Drive::parse(reference::drive("city").unwrap(), Path::new("city.toml")).unwrap());
        tokio::time::sleep(Duration::from_secs(12)).await;
        let speed = b.value(SPEED_PATH).and_then(|v| v.as_f64()).unwrap();
        assert!((40.0..=46.0).contains(&speed), "speed {speed}");
        assert_eq!(b.value(GEAR_PATH), Some(Value::Int(127)));
    }

    #[tokio::test(start_paused = true)]
    async fn corrupted_and_repeated_commands_are_ignored() {
        let b = bench(Drive::constant(0.0, crate::context::Gear::Park));
        let dome = "Vehicle.Cabin.Light.IsDomeOn";
        let mut counters = E2eCounters::default();
        let frame = b
            .car
            .encode_commands(
                &[CheckedChange::unchecked(dome, Value::Bool(true))],
                &mut counters,
            )
            .unwrap()[0];
        let mut corrupted = frame.data().to_vec();
        corrupted[2] ^= 0x80;
        b.head_unit
            .send(CanFrame::classic(frame.id(), &corrupted).unwrap())
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(b.value(dome), Some(Value::Bool(false)));
        b.head_unit.send(frame).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(b.value(dome), Some(Value::Bool(true)));
        let off = b
            .car
            .encode_commands(
                &[CheckedChange::unchecked(dome, Value::Bool(false))],
                &mut counters,
            )
            .unwrap()[0];
        b.head_unit.send(off).await.unwrap();
        b.head_unit.send(frame).await.unwrap(); // replayed "on" with an old counter
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            b.value(dome),
            Some(Value::Bool(false)),
            "an old frame replayed does not switch it back on"
        );
        let stats = b._sim.stats();
        assert_eq!(stats.bad_crc, 1);
        assert!(stats.status_frames > 0);
    }
}
