//! What the app's tests share: the reference car simulated on the in-process bus, its state
//! read from the bus and an actuator for it, ready once every signal it reports has come in.

// Each test file builds this module on its own and uses only part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use vehicle::{
    Actuator, CarDefinition, Drive, Dynamics, Gear, SimCar, VehicleState, VirtualBus, reference,
};

pub struct SimulatedCar {
    pub car: Arc<CarDefinition>,
    pub bus: VirtualBus,
    pub state: VehicleState,
    pub actuator: Arc<Actuator>,
    pub sim: SimCar,
}

impl SimulatedCar {
    /// The reference car at a constant `speed` in km/h: in D when moving, parked in P at 0.
    pub async fn start(speed: f64) -> SimulatedCar {
        let gear = if speed > 0.0 { Gear::Drive } else { Gear::Park };
        SimulatedCar::driving(Drive::constant(speed, gear)).await
    }

    /// The reference car on `drive`.
    pub async fn driving(drive: Drive) -> SimulatedCar {
        let car = Arc::new(reference::car_definition());
        let bus = VirtualBus::new("virtual");
        let sim = SimCar::spawn(
            car.clone(),
            Arc::new(bus.endpoint()),
            drive,
            Dynamics::reference(&car),
        );
        let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
        let paths: Vec<&str> = car.reported_paths().collect();
        state.wait_for_paths(&paths, Duration::from_secs(2)).await;
        let actuator = Arc::new(Actuator::new(
            car.clone(),
            Arc::new(bus.endpoint()),
            state.clone(),
        ));
        SimulatedCar {
            car,
            bus,
            state,
            actuator,
            sim,
        }
    }
}
