//! Speech and touch are one: a request to the real agent (the shipped language model) on the
//! simulated car shows on the dashboard as the car reports it, the panel shows what was done
//! and refused, and the chip's undo goes back through the same actuator. Slint's testing
//! backend, no display.

mod common;

use common::SimulatedCar;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cockpit_agent::agent::Agent;
use cockpit_agent::lm::{Engine, Language};
use cockpit_agent::view::assistant_view;
use i_slint_backend_testing::ElementHandle;
use slint::platform::PointerEventButton;
use ui::{Dashboard, Options, Screen};
use vehicle::{CarDefinition, Seat, SimCar, Value, VehicleState};

const WINDOW: &str = "Vehicle.Cabin.Door.Row1.PassengerSide.Window.Position";
const HAZARD: &str = "Vehicle.Body.Lights.Hazard.IsSignaling";
const SUNROOF: &str = "Vehicle.Cabin.Sunroof.Position";
const DRIVER_WINDOW: &str = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";

/// Refreshes the dashboard until `label` shows `want` or ten seconds pass; returns what it shows.
fn wait_for(dashboard: &Dashboard, label: &str, want: &str) -> Option<String> {
    let start = Instant::now();
    loop {
        dashboard.refresh();
        let now = shown(dashboard, label);
        if now.as_deref() == Some(want) || start.elapsed() > Duration::from_secs(10) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn shown(dashboard: &Dashboard, label: &str) -> Option<String> {
    ElementHandle::find_by_accessible_label(dashboard.window(), label)
        .next()
        .map(|e| e.accessible_value().unwrap_or_default().to_string())
}

/// The shipped agent and the dashboard of `seat`'s screen (on the Body screen, 1920×720) on
/// the simulated car, standing still.
struct Cockpit {
    runtime: tokio::runtime::Runtime,
    car: Arc<CarDefinition>,
    state: VehicleState,
    agent: Agent,
    dashboard: Dashboard,
    _sim: SimCar,
}

impl Cockpit {
    fn start(seat: Seat) -> Cockpit {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let SimulatedCar {
            car,
            state,
            actuator,
            sim,
            ..
        } = runtime.block_on(SimulatedCar::start(0.0));
        let agent = runtime.block_on(async {
            let language = Language::reference(car.catalog()).unwrap();
            let engine = Engine::load(&repo.join("assets/model"), language, 1).unwrap();
            Agent::new(engine, car.clone(), state.clone(), actuator.clone())
        });
        i_slint_backend_testing::init_no_event_loop();
        let options = Options {
            seat,
            screen: Screen::Body,
            ..Options::default()
        };
        let dashboard = Dashboard::new(
            car.clone(),
            state.clone(),
            actuator,
            runtime.handle().clone(),
            options,
        )
        .unwrap();
        dashboard.set_size(1920, 720);
        Cockpit {
            runtime,
            car,
            state,
            agent,
            dashboard,
            _sim: sim,
        }
    }
}

#[test]
fn a_spoken_request_shows_on_the_dashboard_as_the_car_reports_it_and_its_chip_undoes_it() {
    let Cockpit {
        runtime,
        car,
        state,
        mut agent,
        dashboard,
        _sim,
    } = Cockpit::start(Seat::Passenger);
    assert_eq!(
        shown(&dashboard, "Front right window").as_deref(),
        Some("Closed")
    );

    let turn = runtime
        .block_on(agent.turn(
            "open my window and turn on the hazard lights",
            Seat::Passenger,
            "body",
            "",
        ))
        .unwrap();
    assert_eq!(state.value(WINDOW), Some(Value::Int(100)), "{turn:?}");
    dashboard.show_assistant(&assistant_view(&car, &turn));
    assert_eq!(
        wait_for(&dashboard, "Front right window", "Open").as_deref(),
        Some("Open"),
        "the screen shows what the car reports"
    );
    assert_eq!(
        shown(&dashboard, "Heard").as_deref(),
        Some("open my window and turn on the hazard lights")
    );
    assert_eq!(
        shown(&dashboard, "Reply").as_deref(),
        Some(turn.reply.as_str())
    );
    let refused =
        ElementHandle::find_by_accessible_label(dashboard.window(), "Refused: Hazard lights")
            .next()
            .expect("a refused chip for the hazard lights");
    assert_eq!(
        refused.accessible_description().unwrap(),
        "Only the driver may change this"
    );
    assert_eq!(state.value(HAZARD), Some(Value::Bool(false)));

    let undo = ElementHandle::find_by_accessible_label(
        dashboard.window(),
        "Undo: Front right window: Open",
    )
    .next()
    .expect("an undo button on the window's chip");
    undo.mock_single_click(PointerEventButton::Left);
    assert_eq!(
        wait_for(&dashboard, "Front right window", "Closed").as_deref(),
        Some("Closed")
    );
    assert_eq!(state.value(WINDOW), Some(Value::Int(0)));
}

#[test]
fn it_is_the_control_just_touched_or_else_what_was_just_said() {
    let Cockpit {
        runtime,
        state,
        mut agent,
        dashboard,
        _sim,
        ..
    } = Cockpit::start(Seat::Driver);
    let focus = dashboard.focus();
    let mut say = |text: &str| {
        runtime
            .block_on(agent.turn_on_screen(text, Seat::Driver, &focus.get()))
            .unwrap()
    };

    ElementHandle::find_by_accessible_label(dashboard.window(), "Sunroof: open")
        .next()
        .expect("the sunroof's open button")
        .mock_single_click(PointerEventButton::Left);
    assert_eq!(
        wait_for(&dashboard, "Sunroof", "Open").as_deref(),
        Some("Open")
    );
    let turn = say("close it");
    assert_eq!(state.value(SUNROOF), Some(Value::Int(0)), "{turn:?}");

    // Said after the touch, "my window" is what "it" means next, not the sunroof.
    say("open my window");
    assert_eq!(state.value(DRIVER_WINDOW), Some(Value::Int(100)));
    let turn = say("close it");
    assert_eq!(state.value(DRIVER_WINDOW), Some(Value::Int(0)), "{turn:?}");
}
