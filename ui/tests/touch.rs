//! The dashboard under Slint's testing backend, against the simulated car: controls are found by
//! their accessible labels and tapped with pointer events, and what reaches the car and what
//! comes back onto the screen is checked. No display needed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use i_slint_backend_testing::{ElementHandle, ElementQuery};
use slint::platform::PointerEventButton;
use slint::{ComponentHandle, PhysicalSize};
use ui::{AssistantView, ChipView, Dashboard, Options, Screen, WaitingView};
use vehicle::{
    Actuator, CarDefinition, Drive, Dynamics, Gear, Seat, SimCar, Value, VehicleState, VirtualBus,
    reference,
};

const DOME: &str = "Vehicle.Cabin.Light.IsDomeOn";
const HAZARD: &str = "Vehicle.Body.Lights.Hazard.IsSignaling";
const WINDOW: &str = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";
const TEMPERATURE: &str = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature";

/// The simulated car on a virtual bus, with the state and actuator a dashboard needs.
struct Bench {
    runtime: tokio::runtime::Runtime,
    car: Arc<CarDefinition>,
    state: VehicleState,
    actuator: Arc<Actuator>,
    sim: Option<SimCar>,
}

fn bench(speed: f64, gear: Gear) -> Bench {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let car = Arc::new(reference::car_definition());
    let bus = VirtualBus::new("virtual");
    let (state, actuator, sim) = runtime.block_on(async {
        let sim = SimCar::spawn(
            car.clone(),
            Arc::new(bus.endpoint()),
            Drive::constant(speed, gear),
            Dynamics::reference(&car),
        );
        let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
        let paths: Vec<&str> = car.reported_paths().collect();
        let missing = state.wait_for_paths(&paths, Duration::from_secs(2)).await;
        assert!(missing.is_empty(), "not reported: {missing:?}");
        let actuator = Actuator::new(car.clone(), Arc::new(bus.endpoint()), state.clone());
        (state, Arc::new(actuator), sim)
    });
    Bench {
        runtime,
        car,
        state,
        actuator,
        sim: Some(sim),
    }
}

impl Bench {
    fn dashboard(&self, seat: Seat, screen: Screen) -> Dashboard {
        thread_local!(static BACKEND: () = i_slint_backend_testing::init_no_event_loop());
        BACKEND.with(|_| ());
        let options = Options {
            seat,
            screen,
            ..Options::default()
        };
        let dashboard = Dashboard::new(
            self.car.clone(),
            self.state.clone(),
            self.actuator.clone(),
            self.runtime.handle().clone(),
            options,
        )
        .unwrap();
        let window = dashboard.window().window();
        window.set_size(PhysicalSize::new(1920, 720));
        dashboard.window().show().unwrap();
        dashboard
    }
}

fn find(dashboard: &Dashboard, label: &str) -> ElementHandle {
    ElementHandle::find_by_accessible_label(dashboard.window(), label)
        .next()
        .unwrap_or_else(|| {
            panic!(
                "no control labelled {label:?}; there are {:?}",
                labels(dashboard)
            )
        })
}

fn labels(dashboard: &Dashboard) -> Vec<String> {
    ElementQuery::from_root(dashboard.window())
        .match_descendants()
        .find_all()
        .iter()
        .filter_map(|e| e.accessible_label())
        .map(|l| l.to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A finger on the control: pressed and released at its centre.
fn tap(dashboard: &Dashboard, label: &str) {
    find(dashboard, label).mock_single_click(PointerEventButton::Left);
}

fn shown(dashboard: &Dashboard, label: &str) -> String {
    find(dashboard, label)
        .accessible_value()
        .unwrap_or_default()
        .to_string()
}

/// A key pressed and released on the dashboard's keyboard.
fn key(dashboard: &Dashboard, text: slint::SharedString) {
    use slint::platform::WindowEvent;
    let window = dashboard.window().window();
    window.dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
    window.dispatch_event(WindowEvent::KeyReleased { text });
}

/// Refreshes the screen until `label` shows what `done` wants, or five seconds pass.
fn wait_for(dashboard: &Dashboard, label: &str, done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        dashboard.refresh();
        let now = shown(dashboard, label);
        if done(&now) || start.elapsed() > Duration::from_secs(5) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_tap_on_the_dome_light_reaches_the_car_and_its_report_comes_back_on_screen() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Lights);
    assert_eq!(shown(&dashboard, "Dome light"), "Off");
    assert_eq!(
        find(&dashboard, "Dome light").accessible_checked(),
        Some(false)
    );

    tap(&dashboard, "Dome light");
    dashboard.settle(Duration::from_secs(3));
    assert_eq!(bench.state.value(DOME), Some(Value::Bool(true)), "the car");
    assert_eq!(shown(&dashboard, "Dome light"), "On", "the screen");
    assert_eq!(
        find(&dashboard, "Dome light").accessible_checked(),
        Some(true)
    );
    assert_eq!(dashboard.notice(), "");
}

#[test]
fn a_passenger_screen_tap_on_the_hazard_lights_is_refused_like_a_passengers_voice() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Passenger, Screen::Lights);
    tap(&dashboard, "Hazard lights");
    dashboard.settle(Duration::from_secs(3));
    assert_eq!(
        dashboard.notice(),
        "Only the driver can change the hazard lights."
    );
    assert_eq!(bench.state.value(HAZARD), Some(Value::Bool(false)));
    assert_eq!(shown(&dashboard, "Hazard lights"), "Off");

    // The same tap on the driver's screen goes through.
    let driver = bench.dashboard(Seat::Driver, Screen::Lights);
    tap(&driver, "Hazard lights");
    driver.settle(Duration::from_secs(3));
    assert_eq!(bench.state.value(HAZARD), Some(Value::Bool(true)));
    assert_eq!(driver.notice(), "");
}

#[test]
fn the_trunk_stays_shut_at_speed_and_the_screen_says_why() {
    let bench = bench(80.0, Gear::Drive);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Body);
    tap(&dashboard, "Trunk");
    dashboard.settle(Duration::from_secs(3));
    assert_eq!(
        dashboard.notice(),
        "The trunk can only change while the car stands still."
    );
    assert_eq!(shown(&dashboard, "Trunk"), "Closed");

    // Locking is allowed at speed; only unlocking waits, and the notice says which.
    tap(&dashboard, "Front left lock");
    dashboard.settle(Duration::from_secs(3));
    assert_eq!(
        dashboard.notice(),
        "The front left lock can be unlocked only while the car stands still."
    );
    assert_eq!(shown(&dashboard, "Front left lock"), "Locked");
}

#[test]
fn a_step_past_the_range_stops_at_the_limit_and_the_screen_says_so() {
    let bench = bench(0.0, Gear::Park);
    let outcomes = bench.runtime.block_on(
        bench
            .actuator
            .apply(Seat::Driver, &[(TEMPERATURE.into(), Value::Float(28.0))]),
    );
    assert!(outcomes.iter().all(|o| o.is_done()), "{outcomes:?}");
    let dashboard = bench.dashboard(Seat::Driver, Screen::Climate);
    tap(&dashboard, "Driver temperature: up");
    dashboard.settle(Duration::from_secs(3));
    assert_eq!(
        dashboard.notice(),
        "Driver temperature is at its limit, 28.0\u{202f}°C.",
        "with a narrow no-break space, so that the number and its unit wrap together"
    );
    assert_eq!(shown(&dashboard, "Driver temperature"), "28.0 °C");
}

#[test]
fn a_window_shows_as_moving_while_it_travels_and_then_where_the_car_says_it_stopped() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Body);
    assert_eq!(shown(&dashboard, "Front left window"), "Closed");
    tap(&dashboard, "Front left window: open");
    let moving = wait_for(&dashboard, "Front left window", |s| s.starts_with("Moving"));
    assert!(moving.starts_with("Moving · "), "{moving}");
    let open = wait_for(&dashboard, "Front left window", |s| s == "Open");
    assert_eq!(open, "Open");
    assert_eq!(bench.state.value(WINDOW), Some(Value::Int(100)));
}

#[test]
fn while_a_window_moves_its_middle_button_stops_it_where_it_is() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Body);
    assert!(labels(&dashboard).contains(&"Front left window: vent".to_owned()));
    tap(&dashboard, "Front left window: open");
    wait_for(&dashboard, "Front left window", |s| s.starts_with("Moving"));
    std::thread::sleep(Duration::from_millis(500));
    dashboard.refresh();
    tap(&dashboard, "Front left window: stop");
    let stopped = wait_for(&dashboard, "Front left window", |s| {
        !s.starts_with("Moving")
    });
    let at = bench.state.value(WINDOW).and_then(|v| v.as_f64());
    assert!(
        at.is_some_and(|at| at > 5.0 && at < 95.0),
        "stopped on its way, at {at:?}: {stopped}"
    );
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        bench.state.value(WINDOW).and_then(|v| v.as_f64()),
        at,
        "and stays there"
    );
    dashboard.refresh();
    assert!(labels(&dashboard).contains(&"Front left window: vent".to_owned()));
}

#[test]
fn steps_start_from_the_reported_value() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Climate);
    assert_eq!(shown(&dashboard, "Driver temperature"), "21.0 °C");
    tap(&dashboard, "Driver temperature: up");
    dashboard.settle(Duration::from_secs(3));
    tap(&dashboard, "Driver temperature: up");
    dashboard.settle(Duration::from_secs(3));
    assert_eq!(bench.state.value(TEMPERATURE), Some(Value::Float(22.0)));
    assert_eq!(shown(&dashboard, "Driver temperature"), "22.0 °C");
}

#[test]
fn a_car_that_falls_silent_shows_unknown_not_its_last_values() {
    let mut bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Home);
    assert_eq!(shown(&dashboard, "Speed"), "0 km/h");
    bench.sim = None;
    let speed = wait_for(&dashboard, "Speed", |s| s == "—");
    assert_eq!(speed, "—");
    assert_eq!(find(&dashboard, "Gear P").accessible_checked(), Some(false));
}

#[test]
fn the_assistant_panel_shows_what_was_heard_said_done_and_refused_and_undo_reaches_the_car() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Home);
    // As if the driver had said "dome light on and hazards too" from the passenger seat: the
    // dome light was switched on, the hazard lights refused.
    let outcome =
        bench
            .runtime
            .block_on(bench.actuator.set(Seat::Passenger, DOME, Value::Bool(true)));
    assert!(outcome.is_done());
    dashboard.show_assistant(&AssistantView {
        listening: false,
        level: 0.0,
        transcript: "dome light on and the hazards too".into(),
        reply: "The dome light is on. Only the driver can switch on the hazard lights.".into(),
        chips: vec![
            ChipView {
                text: "Dome light on".into(),
                refused: None,
                undo: Some((DOME.into(), Value::Bool(false))),
            },
            ChipView {
                text: "Hazard lights".into(),
                refused: Some("Only the driver can switch them on".into()),
                undo: None,
            },
        ],
        waiting: Vec::new(),
        dark: None,
    });
    assert_eq!(
        shown(&dashboard, "Heard"),
        "dome light on and the hazards too"
    );
    assert!(shown(&dashboard, "Reply").starts_with("The dome light is on."));
    find(&dashboard, "Done: Dome light on");
    let refused = find(&dashboard, "Refused: Hazard lights");
    assert_eq!(
        refused.accessible_description().unwrap(),
        "Only the driver can switch them on"
    );
    assert!(
        ElementHandle::find_by_accessible_label(dashboard.window(), "Undo: Hazard lights")
            .next()
            .is_none(),
        "a refusal has nothing to undo"
    );

    tap(&dashboard, "Undo: Dome light on");
    dashboard.settle(Duration::from_secs(3));
    assert_eq!(bench.state.value(DOME), Some(Value::Bool(false)));
}

#[test]
fn a_request_waiting_for_its_time_is_listed_and_cancel_names_it_to_whoever_keeps_it() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Climate);
    let cancelled = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let c = cancelled.clone();
    dashboard.on_cancel_waiting(move |id| c.borrow_mut().push(id));
    let waiting = |id: u64, text: &str| WaitingView {
        id,
        text: text.into(),
    };
    dashboard.show_assistant(&AssistantView {
        transcript: "close the windows in 5 minutes".into(),
        reply: "Okay, in 5 minutes I'll close all the windows.".into(),
        waiting: vec![
            waiting(7, "At 11:42: close all the windows"),
            waiting(9, "At 12:05: turn off seat heating"),
        ],
        ..AssistantView::default()
    });
    find(&dashboard, "Waiting: At 11:42: close all the windows");
    tap(&dashboard, "Cancel: At 12:05: turn off seat heating");
    assert_eq!(*cancelled.borrow(), [9]);
    // Gone at once, the other still listed.
    assert!(
        ElementHandle::find_by_accessible_label(
            dashboard.window(),
            "Waiting: At 12:05: turn off seat heating"
        )
        .next()
        .is_none()
    );
    tap(&dashboard, "Cancel: At 11:42: close all the windows");
    assert_eq!(*cancelled.borrow(), [9, 7]);
}

#[test]
fn the_navigation_switches_screens_and_the_mic_button_and_typed_requests_reach_the_agent() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Home);
    for (label, screen) in [
        ("Climate", Screen::Climate),
        ("Body", Screen::Body),
        ("Lights", Screen::Lights),
        ("Media", Screen::Media),
        ("Home", Screen::Home),
    ] {
        tap(&dashboard, label);
        assert_eq!(dashboard.screen(), screen);
    }
    let pressed = std::rc::Rc::new(std::cell::Cell::new(0));
    let asked = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let p = pressed.clone();
    dashboard.on_mic(move || p.set(p.get() + 1));
    let a = asked.clone();
    dashboard.on_ask(move |text| *a.borrow_mut() = text);
    tap(&dashboard, "Push to talk");
    assert_eq!(pressed.get(), 1);

    tap(&dashboard, "Type a request");
    for c in "open the sunroof".chars() {
        key(&dashboard, c.to_string().into());
    }
    key(&dashboard, slint::platform::Key::Return.into());
    assert_eq!(*asked.borrow(), "open the sunroof");
    assert_eq!(
        shown(&dashboard, "Type a request"),
        "",
        "the field empties for the next one"
    );
}

#[test]
fn the_assistant_switches_the_theme_once_and_the_theme_button_still_rules_after() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Home);
    assert!(dashboard.is_dark(), "dark is the default");
    dashboard.show_assistant(&AssistantView {
        transcript: "light mode".into(),
        reply: "The screen is now in light mode.".into(),
        dark: Some(false),
        ..AssistantView::default()
    });
    assert!(!dashboard.is_dark());
    tap(&dashboard, "Switch theme");
    assert!(dashboard.is_dark());
    // The next view (the level while listening) leaves the user's choice alone.
    dashboard.show_assistant(&AssistantView {
        listening: true,
        ..AssistantView::default()
    });
    assert!(dashboard.is_dark());
}

#[test]
fn every_control_on_every_screen_has_a_label() {
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Home);
    use i_slint_backend_testing::AccessibleRole;
    let interactive = [
        AccessibleRole::Button,
        AccessibleRole::Checkbox,
        AccessibleRole::Spinbox,
        AccessibleRole::TextInput,
    ];
    for screen in Screen::ALL {
        dashboard.show(screen);
        let controls: Vec<ElementHandle> = ElementQuery::from_root(dashboard.window())
            .match_descendants()
            .find_all()
            .into_iter()
            .filter(|e| {
                e.accessible_role()
                    .is_some_and(|r| interactive.contains(&r))
            })
            .collect();
        assert!(
            controls.len() >= 10,
            "{screen:?}: {} controls",
            controls.len()
        );
        for control in controls {
            let label = control.accessible_label().unwrap_or_default();
            assert!(
                !label.trim().is_empty(),
                "{screen:?}: a {:?} without a label",
                control.accessible_role()
            );
        }
    }
}

#[test]
fn every_actuator_has_a_control_called_by_its_catalog_name() {
    // The assistant's chips and the notices use the catalog's names; a driver finds the
    // control by the same words.
    let bench = bench(0.0, Gear::Park);
    let dashboard = bench.dashboard(Seat::Driver, Screen::Home);
    let mut everywhere: Vec<String> = Vec::new();
    for screen in Screen::ALL {
        dashboard.show(screen);
        everywhere.extend(labels(&dashboard));
    }
    for meta in bench.car.catalog().entries() {
        if meta.entry_type() != vehicle::catalog::EntryType::Actuator {
            continue;
        }
        let name = meta.name();
        assert!(
            everywhere
                .iter()
                .any(|l| l == name || l.starts_with(&format!("{name}: "))),
            "no control is called {name:?} ({}); the screens have {everywhere:?}",
            meta.path()
        );
    }
}
