//! Frame times of the dashboard under the software renderer, at 1920×720: time to the first
//! frame, and a full-screen update (the theme switched, so every pixel changes) on every screen.
//! Baselines measured in the same run: a blank window's frames, and the 16.7 ms of a 60 Hz
//! display. `cargo bench -p ui --bench frames`; as a test (no `--bench`) it runs a few frames.

use std::sync::Arc;
use std::time::{Duration, Instant};

use slint::ComponentHandle;
use ui::{Blank, Dashboard, Headless, Options, Screen};
use vehicle::{Actuator, Drive, Dynamics, Gear, SimCar, VehicleState, VirtualBus, reference};

const WIDTH: u32 = 1920;
const HEIGHT: u32 = 720;
const BUDGET_MS: f64 = 1000.0 / 60.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let frames = if std::env::args().any(|a| a == "--bench") {
        60
    } else {
        3
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let car = Arc::new(reference::car_definition());
    let bus = VirtualBus::new("virtual");
    let (state, actuator, _sim) = runtime.block_on(async {
        let sim = SimCar::spawn(
            car.clone(),
            Arc::new(bus.endpoint()),
            Drive::constant(42.0, Gear::Drive),
            Dynamics::reference(&car),
        );
        let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
        let paths: Vec<&str> = car.reported_paths().collect();
        state.wait_for_paths(&paths, Duration::from_secs(2)).await;
        let actuator = Actuator::new(car.clone(), Arc::new(bus.endpoint()), state.clone());
        (state, Arc::new(actuator), sim)
    });
    let display = Headless::install()?;
    display.set_size(WIDTH, HEIGHT);

    let start = Instant::now();
    let blank = Blank::new()?;
    display.render();
    let blank_first = ms(start.elapsed());
    let blank_frame = median(
        (0..frames)
            .map(|_| {
                let t = Instant::now();
                display.render();
                ms(t.elapsed())
            })
            .collect(),
    );
    drop(blank);

    let start = Instant::now();
    let dashboard = Dashboard::new(
        car,
        state,
        actuator,
        runtime.handle().clone(),
        Options::default(),
    )?;
    dashboard.window().show()?;
    let first = display.render();
    let first_ms = ms(start.elapsed());
    assert!(first.colours() > 2, "the first frame is blank");

    println!("dashboard at {WIDTH}×{HEIGHT}, software renderer, one thread");
    println!(
        "first frame        {first_ms:7.1} ms   blank window {blank_first:6.1} ms   ×{:.1}   target 300 ms: {:.2} of it",
        first_ms / blank_first,
        first_ms / 300.0
    );
    println!(
        "{:<18} {:>7} {:>9} {:>12} {:>14}",
        "full-screen update", "median", "p95", "× blank", "× 60 Hz budget"
    );
    for screen in Screen::ALL {
        dashboard.show(screen);
        let mut times = Vec::new();
        for i in 0..frames {
            dashboard.set_dark(i % 2 == 0);
            dashboard.refresh();
            let t = Instant::now();
            display.render();
            times.push(ms(t.elapsed()));
        }
        let p95 = percentile(&times, 0.95);
        let median = median(times);
        println!(
            "{:<18} {median:6.2}ms {p95:7.2}ms {:>11.1}× {:>13.2}×",
            screen.name(),
            median / blank_frame,
            median / BUDGET_MS
        );
    }
    println!("blank window frame {blank_frame:6.2}ms");
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(times: Vec<f64>) -> f64 {
    percentile(&times, 0.5)
}

fn percentile(times: &[f64], q: f64) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}
