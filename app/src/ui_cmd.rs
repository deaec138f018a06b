//! `cockpit ui`: the dashboard against the simulated car (or a real bus), with the assistant
//! answering typed requests through the language model, the same agent `cockpit say` runs.
//!
//! Slint's event loop owns the main thread; the car, the actuator and the agent run on a tokio
//! runtime beside it, and the agent's answers come back to the window through a channel.

use std::sync::Arc;

use anyhow::{Context, Result};
use cockpit_agent::agent::{Agent, Brake, ModelSource, Schedule};
use cockpit_agent::lm::{Engine, Language, model_dir};
use cockpit_agent::view::{assistant_view, waiting_view};
use ui::{AssistantView, Dashboard, Headless, Options, Screen, readings};
use vehicle::{Actuator, CarDefinition, VehicleState};

use crate::car::{CarOnBus, load_car};
use crate::cli::UiArgs;

pub fn run(args: &UiArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let _inside = runtime.enter();
    let car = Arc::new(load_car(&args.car)?);
    let CarOnBus {
        endpoints,
        state,
        missing,
        sim: _sim,
    } = runtime.block_on(CarOnBus::start(&car, &args.can, &args.drive))?;
    if !missing.is_empty() {
        tracing::warn!("not reported yet, shown as unknown: {}", missing.join(", "));
    }
    let actuator = Arc::new(Actuator::new(
        car.clone(),
        endpoints.endpoint()?,
        state.clone(),
    ));
    let options = Options {
        seat: args.seat,
        screen: Screen::Home,
        dark: !args.light,
        ..Options::default()
    };

    // The headless display, for screenshots, must be the process's backend before the
    // dashboard's window is made.
    let display = args
        .screenshots
        .as_ref()
        .map(|_| Headless::install())
        .transpose()?;
    let dashboard = Dashboard::new(
        car.clone(),
        state.clone(),
        actuator.clone(),
        runtime.handle().clone(),
        options,
    )?;
    if let (Some(dir), Some(display)) = (&args.screenshots, &display) {
        if !args.ask.is_empty() {
            let (agent, _, schedule) =
                load_agent(args, car.clone(), state, actuator).map_err(anyhow::Error::msg)?;
            for text in &args.ask {
                let turn = runtime
                    .block_on(async { agent.lock().await.turn(text, args.seat, "home", "").await })
                    .with_context(|| format!("the assistant could not answer {text:?}"))?;
                outln!("{text:?}: {}", turn.reply);
                let mut view = assistant_view(&car, &turn);
                view.waiting = waiting_view(&schedule);
                dashboard.show_assistant(&view);
            }
            // The car confirmed where things went: a window seen there now and again after
            // this long no longer shows as moving.
            dashboard.refresh();
            std::thread::sleep(readings::MOVING_FOR);
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let (width, height) = args.size;
        display.set_size(width, height);
        for dark in [true, false] {
            for screen in Screen::ALL {
                dashboard.set_dark(dark);
                dashboard.show(screen);
                dashboard.refresh();
                let theme = if dark { "dark" } else { "light" };
                let path = dir.join(format!("{}-{width}x{height}-{theme}.png", screen.name()));
                display.render().save_png(&path)?;
                outln!("{}", path.display());
            }
        }
        return Ok(());
    }

    let (width, height) = args.size;
    dashboard.set_size(width, height);
    let agent = load_agent(args, car.clone(), state, actuator);
    let show = dashboard.assistant_sender();
    if let Ok((agent, _, schedule)) = &agent {
        let cancelling = schedule.clone();
        dashboard.on_cancel_waiting(move |id| {
            cancelling.cancel(id);
        });
        runtime.spawn(run_when_due(
            agent.clone(),
            schedule.clone(),
            car.clone(),
            show.clone(),
        ));
    }
    let seat = args.seat;
    let focus = dashboard.focus();
    dashboard.on_ask(move |text| {
        let looking = focus.get();
        let show = show.clone();
        let car = car.clone();
        let (agent, brake, schedule) = match agent.clone() {
            Ok(agent) => agent,
            Err(reason) => {
                let _ = show.send(AssistantView {
                    transcript: text,
                    reply: format!("I can only take touches: {reason}"),
                    ..AssistantView::default()
                });
                return;
            }
        };
        let _ = show.send(AssistantView {
            transcript: text.clone(),
            waiting: waiting_view(&schedule),
            ..AssistantView::default()
        });
        tokio::spawn(async move {
            // "Stop" while a window moves acts at once, beside a turn still waiting for the
            // car, whose reply then says where things stopped.
            let busy = agent.try_lock().is_err();
            if let Some(turn) = brake.stop(&text, seat, busy).await {
                if !busy {
                    let _ = show.send(AssistantView {
                        waiting: waiting_view(&schedule),
                        ..assistant_view(&car, &turn)
                    });
                }
                return;
            }
            let turn = agent
                .lock()
                .await
                .turn_on_screen(&text, seat, &looking)
                .await;
            let view = match turn {
                Ok(turn) => AssistantView {
                    waiting: waiting_view(&schedule),
                    ..assistant_view(&car, &turn)
                },
                Err(error) => AssistantView {
                    transcript: text,
                    reply: format!("Something went wrong: {error}"),
                    ..AssistantView::default()
                },
            };
            let _ = show.send(view);
        });
    });
    dashboard.on_mic(|| {
        tracing::warn!("push-to-talk needs the live pipeline; type the request instead");
    });
    outln!(
        "dashboard on the {} bus, the {} seat's screen; close the window to stop",
        endpoints.name(),
        args.seat
    );
    dashboard.run()?;
    Ok(())
}

/// Does what was asked for later ("close the windows in ten minutes") when its time comes,
/// and shows the turn as a typed one is shown.
async fn run_when_due(
    agent: Arc<tokio::sync::Mutex<Agent>>,
    schedule: Schedule,
    car: Arc<CarDefinition>,
    show: std::sync::mpsc::Sender<AssistantView>,
) {
    // A request kept while this sleeps may be due sooner than the one slept for: look again
    // every second.
    const LOOK_AGAIN: std::time::Duration = std::time::Duration::from_secs(1);
    loop {
        let soon = tokio::time::Instant::now() + LOOK_AGAIN;
        let due = schedule.next_due().map_or(soon, |due| due.min(soon));
        tokio::time::sleep_until(due).await;
        let mut agent = agent.lock().await;
        let Some((_, turn)) = agent.run_due().await else {
            continue;
        };
        let view = match turn {
            Ok(turn) => AssistantView {
                waiting: waiting_view(&schedule),
                ..assistant_view(&car, &turn)
            },
            Err(error) => AssistantView {
                reply: format!("Something went wrong with a request for later: {error}"),
                waiting: waiting_view(&schedule),
                ..AssistantView::default()
            },
        };
        if show.send(view).is_err() {
            return;
        }
    }
}

/// The agent for typed requests, what stops a moving window at once, and its requests for
/// later.
type Assistant = (Arc<tokio::sync::Mutex<Agent>>, Brake, Schedule);

fn load_agent(
    args: &UiArgs,
    car: Arc<CarDefinition>,
    state: VehicleState,
    actuator: Arc<Actuator>,
) -> Result<Assistant, String> {
    let dir = args.model.clone().unwrap_or_else(model_dir);
    let language = match Language::reference(car.catalog()) {
        Ok(language) => language,
        Err(error) => {
            tracing::warn!("no plan language ({error}): the dashboard takes touches only");
            return Err(error.to_string());
        }
    };
    let mut agent = match Engine::load(&dir, language.clone(), 1) {
        Ok(engine) => Agent::new(engine, car, state, actuator),
        // Touches still work; a typed request is answered with the reason, and tries the
        // file again, until the model loads.
        Err(error) => {
            tracing::warn!("{error}: typed requests are not understood until the model loads");
            let source = ModelSource { dir, threads: 1 };
            Agent::without_model(&error, source, language, car, state, actuator)
        }
    };
    agent.set_dashboard_shown(true);
    let brake = agent.brake();
    let schedule = agent.schedule();
    Ok((Arc::new(tokio::sync::Mutex::new(agent)), brake, schedule))
}
