//! The vehicle layer end to end on the virtual bus: the state follows the car's status
//! frames only, goes stale when they stop, and the policy acts on what the state knows.

use std::io::BufRead;
use std::sync::Arc;
use std::time::Duration;

use vehicle::transport::{LogReader, LogRecord, LogTransport, LogWriter, Pacing};
use vehicle::{
    Actuator, Drive, Dynamics, Gear, Outcome, PolicyError, Seat, SimCar, Value, VehicleState,
    VirtualBus, reference,
};

#[tokio::test(start_paused = true)]
async fn signals_go_stale_when_their_ecu_falls_silent_and_the_policy_refuses_blind() {
    let car = Arc::new(reference::car_definition());
    let bus = VirtualBus::new("virtual");
    let sim = SimCar::spawn(
        car.clone(),
        Arc::new(bus.endpoint()),
        Drive::constant(0.0, Gear::Park),
        Dynamics::reference(&car),
    );
    let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
    assert!(
        state
            .wait_for_paths(&["Vehicle.Speed"], Duration::from_secs(1))
            .await
            .is_empty()
    );
    let actuator = Actuator::new(car.clone(), Arc::new(bus.endpoint()), state.clone());
    assert!(
        actuator
            .set(
                Seat::Driver,
                "Vehicle.Body.Trunk.Front.IsOpen",
                Value::Bool(true)
            )
            .await
            .is_done()
    );

    sim.stop().await;
    tokio::time::sleep(Duration::from_millis(40)).await;
    // VCU_DriveStatus is sent every 20 ms: after three missed cycles speed is unknown.
    tokio::time::sleep(Duration::from_millis(60)).await;
    let speed = state.get("Vehicle.Speed").unwrap();
    assert!(speed.stale && speed.value.is_none(), "{speed:?}");
    // The BMS sends every 100 ms, so the battery is still known for a while, then not.
    assert!(
        state
            .value("Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed")
            .is_some()
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        state
            .value("Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed")
            .is_none()
    );

    let outcome = actuator
        .set(
            Seat::Driver,
            "Vehicle.Body.Trunk.Front.IsOpen",
            Value::Bool(false),
        )
        .await;
    assert_eq!(
        outcome,
        Outcome::Refused {
            path: "Vehicle.Body.Trunk.Front.IsOpen".into(),
            reason: PolicyError::SpeedUnknown {
                path: "Vehicle.Body.Trunk.Front.IsOpen".into()
            }
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_recorded_drive_replayed_from_its_log_plays_the_car() {
    // Record the simulated car on the city drive for 15 s.
    let car = Arc::new(reference::car_definition());
    let bus = VirtualBus::new("virtual");
    let drive = Drive::parse(
        reference::drive("city").unwrap(),
        std::path::Path::new("city"),
    )
    .unwrap();
    let sim = SimCar::spawn(
        car.clone(),
        Arc::new(bus.endpoint()),
        drive,
        Dynamics::reference(&car),
    );
    let recorder = bus.endpoint();
    let mut log = LogWriter::new(Vec::new());
    let started = tokio::time::Instant::now();
    while started.elapsed() < Duration::from_secs(15) {
        let frame = vehicle::CanTransport::recv(&recorder).await.unwrap();
        log.write(&LogRecord {
            // The virtual bus stamps frames with the wall clock, which stands still on the
            // test's paused clock; stamp them with the simulated time instead.
            timestamp_us: started.elapsed().as_micros() as u64,
            interface: "can0".into(),
            frame: frame.frame,
        })
        .unwrap();
    }
    sim.stop().await;
    let bytes = log.into_inner();

    // Play the log as the car: the state follows it, with its timing.
    let reader: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(bytes));
    let replay = Arc::new(LogTransport::new(
        LogReader::new(reader, "city.log"),
        Pacing::Factor(1.0),
        None,
    ));
    let state = VehicleState::spawn(car.clone(), replay);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        state.value("Vehicle.Powertrain.Transmission.SelectedGear"),
        Some(Value::Int(126))
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    let speed = state
        .value("Vehicle.Speed")
        .and_then(|v| v.as_f64())
        .unwrap();
    assert!(
        (40.0..=46.0).contains(&speed),
        "12 s into the city drive the log says {speed} km/h"
    );
    assert_eq!(
        state.stats().rejected,
        0,
        "every protected frame of the log passes its E2E check"
    );
}
