//! [`Dashboard`]: the window, filled from the car's reported state, with touches sent through
//! the actuator. The Slint side sees only the `Car` and `Assistant` globals.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde::Serialize;
use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};
use vehicle::catalog::StandstillRule;
use vehicle::policy::PolicyError;
use vehicle::state::VehicleState;
use vehicle::{Actuator, CarDefinition, Outcome, Seat, Value};

use crate::UiError;
pub use crate::generated::Dashboard as DashboardWindow;
use crate::generated::{Assistant, Car, Chip, Reading, Theme};
use crate::readings::{
    Readings, Shown, keep_units_on_the_line, name_in_sentence, switch_text, value_text,
};
use crate::touch::{Touch, change_for};

/// How often the live dashboard takes in the car's state. Status frames arrive every 100 ms;
/// checking as often shows each one without spending a frame on nothing.
const REFRESH: Duration = Duration::from_millis(100);

/// The dashboard's screens, in the order of its navigation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Screen {
    /// Speed, gear, battery, temperatures, the time.
    #[default]
    Home,
    /// Temperatures, fan, air, A/C, defrost, seats.
    Climate,
    /// Windows, sunroof, locks, trunks.
    Body,
    /// Cabin and exterior lights, wipers.
    Lights,
    /// Playback and volume.
    Media,
}

impl Screen {
    /// Every screen.
    pub const ALL: [Screen; 5] = [
        Screen::Home,
        Screen::Climate,
        Screen::Body,
        Screen::Lights,
        Screen::Media,
    ];

    /// The screen's name, as the navigation shows it in lower case ("climate").
    pub fn name(self) -> &'static str {
        match self {
            Screen::Home => "home",
            Screen::Climate => "climate",
            Screen::Body => "body",
            Screen::Lights => "lights",
            Screen::Media => "media",
        }
    }

    fn index(self) -> i32 {
        Screen::ALL.iter().position(|s| *s == self).unwrap_or(0) as i32
    }
}

/// How a dashboard starts.
#[derive(Clone, Debug)]
pub struct Options {
    /// Whose screen it is: touches count as requests from this seat.
    pub seat: Seat,
    /// The screen shown first.
    pub screen: Screen,
    /// Dark theme (the default at night and in most cockpits) or light.
    pub dark: bool,
    /// Where the dashboard keeps what the user is looking at, for whoever runs the agent.
    pub focus: SharedFocus,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            seat: Seat::Driver,
            screen: Screen::Home,
            dark: true,
            focus: SharedFocus::default(),
        }
    }
}

/// What the user is looking at: the agent's context for "close it" with the sunroof's
/// controls just touched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Focus {
    /// The screen on show.
    pub screen: Screen,
    /// The signal (VSS path) of the control last touched on this screen, and when; none since
    /// the screen changed.
    pub touched: Option<(String, Instant)>,
}

/// The dashboard's [`Focus`], readable from any thread (the agent runs on the runtime's).
#[derive(Clone, Debug, Default)]
pub struct SharedFocus(Arc<Mutex<Focus>>);

impl SharedFocus {
    /// What the user is looking at now.
    pub fn get(&self) -> Focus {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Focus> {
        // A panic elsewhere while holding it leaves a plain value that is still whole.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn show(&self, screen: Screen) {
        let mut focus = self.lock();
        if focus.screen != screen {
            *focus = Focus {
                screen,
                touched: None,
            };
        }
    }

    fn touch(&self, path: &str) {
        self.lock().touched = Some((path.to_owned(), Instant::now()));
    }
}

/// What the assistant panel shows: plain data, filled by whoever runs the agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AssistantView {
    /// The microphone is open.
    pub listening: bool,
    /// The live input level, 0..1.
    pub level: f32,
    /// What was heard so far.
    pub transcript: String,
    /// What the agent answered.
    pub reply: String,
    /// What it did and what was refused.
    pub chips: Vec<ChipView>,
    /// Requests waiting for a set time from now.
    pub waiting: Vec<WaitingView>,
    /// The theme the assistant was asked to switch to: dark (true) or light; None leaves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dark: Option<bool>,
}

/// One request waiting for a set time from now, with a button that calls it off.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaitingView {
    /// Names it to whoever keeps it (see [`Dashboard::on_cancel_waiting`]).
    pub id: u64,
    /// When, and what ("At 11:42: close all the windows").
    pub text: String,
}

/// One thing the assistant did, or was refused.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChipView {
    /// What, in a few words ("Driver window closed").
    pub text: String,
    /// Why it was refused; `None` when it was done.
    pub refused: Option<String>,
    /// The change that undoes it: the signal and the value it had before.
    pub undo: Option<(String, Value)>,
}

/// The dashboard: its window and the view model behind it.
pub struct Dashboard {
    window: DashboardWindow,
    model: Rc<ViewModel>,
}

/// Called with the id of a request waiting whose Cancel was tapped.
type CancelWaiting = Box<dyn Fn(u64)>;

struct ViewModel {
    car: Arc<CarDefinition>,
    state: VehicleState,
    actuator: Arc<Actuator>,
    runtime: tokio::runtime::Handle,
    seat: Seat,
    window: slint::Weak<DashboardWindow>,
    readings: RefCell<Readings>,
    generation: Cell<i32>,
    /// Touches sent and not yet confirmed or refused.
    in_flight: Arc<AtomicUsize>,
    outcomes_tx: mpsc::Sender<Vec<Outcome>>,
    outcomes: mpsc::Receiver<Vec<Outcome>>,
    chips: RefCell<Vec<ChipView>>,
    waiting: RefCell<Vec<WaitingView>>,
    cancel_waiting: RefCell<Option<CancelWaiting>>,
    assistant_tx: mpsc::Sender<AssistantView>,
    assistant: mpsc::Receiver<AssistantView>,
    focus: SharedFocus,
}

impl Dashboard {
    /// A dashboard for the car behind `state` and `actuator`. Its async work (sending a touch,
    /// waiting for the car to confirm it) runs on `runtime`; the window itself lives on the
    /// calling thread, which must be the one that runs the event loop.
    pub fn new(
        car: Arc<CarDefinition>,
        state: VehicleState,
        actuator: Arc<Actuator>,
        runtime: tokio::runtime::Handle,
        options: Options,
    ) -> Result<Dashboard, UiError> {
        let window = DashboardWindow::new()?;
        let (outcomes_tx, outcomes) = mpsc::channel();
        let (assistant_tx, assistant) = mpsc::channel();
        let model = Rc::new(ViewModel {
            car,
            state,
            actuator,
            runtime,
            seat: options.seat,
            window: window.as_weak(),
            readings: RefCell::default(),
            generation: Cell::new(0),
            in_flight: Arc::default(),
            outcomes_tx,
            outcomes,
            chips: RefCell::default(),
            waiting: RefCell::default(),
            cancel_waiting: RefCell::default(),
            assistant_tx,
            assistant,
            focus: options.focus.clone(),
        });
        let dashboard = Dashboard { window, model };
        dashboard.connect();
        dashboard.show(options.screen);
        dashboard.set_dark(options.dark);
        dashboard
            .window
            .global::<Car>()
            .set_seat(options.seat.name().into());
        dashboard.window.show()?;
        dashboard.refresh();
        Ok(dashboard)
    }

    fn connect(&self) {
        let car = self.window.global::<Car>();
        let model = Rc::downgrade(&self.model);
        car.on_reading(move |_generation, path| {
            let shown = model
                .upgrade()
                .map(|m| m.readings.borrow().get(&path))
                .unwrap_or_default();
            reading(&shown)
        });
        let on = |make: fn(String, f64, String) -> Touch| {
            let model = Rc::downgrade(&self.model);
            move |path: SharedString, number: f64, text: SharedString| {
                if let Some(model) = model.upgrade() {
                    model.touch(make(path.into(), number, text.into()));
                }
            }
        };
        let toggle = on(|path, _, _| Touch::Toggle(path));
        car.on_toggle(move |path| toggle(path, 0.0, SharedString::new()));
        let set = on(|path, x, _| Touch::Set(path, x));
        car.on_set_value(move |path, x| set(path, f64::from(x), SharedString::new()));
        let step = on(|path, x, _| Touch::Step(path, x));
        car.on_step(move |path, x| step(path, f64::from(x), SharedString::new()));
        let choose = on(|path, _, choice| Touch::Choose(path, choice));
        car.on_choose(move |path, choice| choose(path, 0.0, choice));
        let hold = on(|path, _, _| Touch::Hold(path));
        car.on_stop(move |path| hold(path, 0.0, SharedString::new()));

        let model = Rc::downgrade(&self.model);
        self.window.global::<Assistant>().on_undo(move |index| {
            let Some(model) = model.upgrade() else { return };
            let undo = usize::try_from(index)
                .ok()
                .and_then(|i| model.chips.borrow().get(i).and_then(|c| c.undo.clone()));
            if let Some(change) = undo {
                model.send(vec![change]);
            }
        });
        let model = Rc::downgrade(&self.model);
        self.window
            .global::<Assistant>()
            .on_cancel_waiting(move |index| {
                if let Some(model) = model.upgrade() {
                    model.cancel_waiting(index);
                }
            });
    }

    /// The Slint window, for tests that find controls in it and for embedding.
    pub fn window(&self) -> &DashboardWindow {
        &self.window
    }

    /// Sizes the window in physical pixels (1920×720 and 1280×720 are the designed sizes).
    pub fn set_size(&self, width: u32, height: u32) {
        self.window
            .window()
            .set_size(slint::PhysicalSize::new(width, height));
        self.refresh();
    }

    /// Shows `screen`.
    pub fn show(&self, screen: Screen) {
        self.window.set_screen(screen.index());
        self.model.focus.show(screen);
    }

    /// What the user is looking at, shared with whoever runs the agent.
    pub fn focus(&self) -> SharedFocus {
        self.model.focus.clone()
    }

    /// The screen on show.
    pub fn screen(&self) -> Screen {
        screen_at(self.window.get_screen())
    }

    /// Dark or light theme.
    pub fn set_dark(&self, dark: bool) {
        self.window.global::<Theme>().set_dark(dark);
    }

    /// Whether the theme is the dark one (switched by [`Dashboard::set_dark`], the theme
    /// button or the assistant).
    pub fn is_dark(&self) -> bool {
        self.window.global::<Theme>().get_dark()
    }

    /// Shows what the assistant heard, said and did.
    pub fn show_assistant(&self, view: &AssistantView) {
        self.model.show_assistant(view);
    }

    /// A sender for assistant views from any thread (the agent's task): the dashboard shows
    /// the latest at its next refresh.
    pub fn assistant_sender(&self) -> mpsc::Sender<AssistantView> {
        self.model.assistant_tx.clone()
    }

    /// Calls `f` when the mic button is pressed (push-to-talk).
    pub fn on_mic(&self, f: impl Fn() + 'static) {
        self.window.global::<Assistant>().on_mic(f);
    }

    /// Calls `f` with a request typed into the assistant panel (what the user is looking at
    /// meanwhile is in [`Dashboard::focus`]).
    pub fn on_ask(&self, f: impl Fn(String) + 'static) {
        self.window
            .global::<Assistant>()
            .on_ask(move |text| f(text.to_string()));
    }

    /// Calls `f` with the id of a request waiting (see [`WaitingView`]) whose Cancel was
    /// tapped; the dashboard stops listing it at once.
    pub fn on_cancel_waiting(&self, f: impl Fn(u64) + 'static) {
        *self.model.cancel_waiting.borrow_mut() = Some(Box::new(f));
    }

    /// What the notice line says (why the last touch was refused), or empty.
    pub fn notice(&self) -> String {
        self.window.global::<Car>().get_notice().to_string()
    }

    /// Takes in the car's state and the outcomes of touches; the live dashboard does this every
    /// 100 ms by itself.
    pub fn refresh(&self) {
        self.model.refresh();
    }

    /// Waits up to `timeout` for every touch sent so far to be confirmed or refused, then
    /// refreshes. For tests and screenshots: it blocks the window's thread.
    pub fn settle(&self, timeout: Duration) {
        let start = Instant::now();
        while self.model.in_flight.load(Ordering::Acquire) > 0 && start.elapsed() < timeout {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.refresh();
    }

    /// Shows the window and runs the event loop until it is closed.
    pub fn run(&self) -> Result<(), UiError> {
        let timer = Timer::default();
        let model = Rc::downgrade(&self.model);
        timer.start(TimerMode::Repeated, REFRESH, move || {
            if let Some(model) = model.upgrade() {
                model.refresh();
            }
        });
        self.window.run()?;
        Ok(())
    }
}

impl ViewModel {
    fn show_assistant(&self, view: &AssistantView) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        if let Some(dark) = view.dark {
            window.global::<Theme>().set_dark(dark);
        }
        let assistant = window.global::<Assistant>();
        assistant.set_listening(view.listening);
        assistant.set_level(view.level);
        assistant.set_transcript(view.transcript.as_str().into());
        assistant.set_reply(keep_units_on_the_line(&view.reply).into());
        let chips: Vec<Chip> = view
            .chips
            .iter()
            .map(|chip| Chip {
                text: keep_units_on_the_line(&chip.text).into(),
                done: chip.refused.is_none(),
                reason: keep_units_on_the_line(chip.refused.as_deref().unwrap_or_default()).into(),
                can_undo: chip.undo.is_some(),
            })
            .collect();
        assistant.set_chips(ModelRc::new(VecModel::from(chips)));
        *self.chips.borrow_mut() = view.chips.clone();
        self.show_waiting(view.waiting.clone());
    }

    fn show_waiting(&self, waiting: Vec<WaitingView>) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let texts: Vec<SharedString> = waiting
            .iter()
            .map(|w| keep_units_on_the_line(&w.text).into())
            .collect();
        window
            .global::<Assistant>()
            .set_waiting(ModelRc::new(VecModel::from(texts)));
        *self.waiting.borrow_mut() = waiting;
    }

    fn cancel_waiting(&self, index: i32) {
        let mut waiting = self.waiting.borrow().clone();
        let Some(at) = usize::try_from(index).ok().filter(|&i| i < waiting.len()) else {
            return;
        };
        let cancelled = waiting.remove(at);
        self.show_waiting(waiting);
        if let Some(f) = self.cancel_waiting.borrow().as_ref() {
            f(cancelled.id);
        }
    }

    fn touch(&self, touch: Touch) {
        if let Some(window) = self.window.upgrade() {
            self.focus.show(screen_at(window.get_screen()));
        }
        self.focus.touch(touch.path());
        let reported = self.state.value(touch.path());
        match change_for(&touch, self.car.catalog(), reported.as_ref()) {
            Ok(change) => self.send(vec![change]),
            Err(error) => self.set_notice(&sentence(&error.to_string())),
        }
    }

    /// Sends changes as this screen's seat, through the actuator and so the safety policy.
    fn send(&self, changes: Vec<(String, Value)>) {
        tracing::info!(seat = %self.seat, ?changes, "touch");
        let actuator = self.actuator.clone();
        let seat = self.seat;
        let tx = self.outcomes_tx.clone();
        let in_flight = self.in_flight.clone();
        in_flight.fetch_add(1, Ordering::AcqRel);
        self.runtime.spawn(async move {
            let outcomes = actuator.apply(seat, &changes).await;
            // The window may be gone; then nobody needs to know.
            let _ = tx.send(outcomes);
            in_flight.fetch_sub(1, Ordering::AcqRel);
        });
    }

    fn refresh(&self) {
        // Only the latest view is shown, but a theme switched by an earlier one still counts.
        let latest = self
            .assistant
            .try_iter()
            .reduce(|earlier, view| AssistantView {
                dark: view.dark.or(earlier.dark),
                ..view
            });
        if let Some(view) = latest {
            self.show_assistant(&view);
        }
        while let Ok(outcomes) = self.outcomes.try_recv() {
            for outcome in outcomes {
                self.set_notice(&self.notice_for(&outcome));
            }
        }
        let changed = self.readings.borrow_mut().update(
            self.car.catalog(),
            &self.state.snapshot(),
            Instant::now(),
        );
        let Some(window) = self.window.upgrade() else {
            return;
        };
        // The navigation changes the screen inside the window, without telling us.
        self.focus.show(screen_at(window.get_screen()));
        // Below this width the dashboard uses its compact sizes (a 1280 px display).
        let size = window.window().size();
        let compact = (size.width as f32 / window.window().scale_factor()) < 1600.0;
        let theme = window.global::<Theme>();
        if theme.get_compact() != compact {
            theme.set_compact(compact);
        }
        let car = window.global::<Car>();
        if changed {
            self.generation.set(self.generation.get().wrapping_add(1));
            car.set_generation(self.generation.get());
        }
        let clock = chrono::Local::now().format("%H:%M").to_string();
        if car.get_clock() != clock.as_str() {
            car.set_clock(clock.into());
        }
    }

    fn set_notice(&self, text: &str) {
        if let Some(window) = self.window.upgrade() {
            window
                .global::<Car>()
                .set_notice(keep_units_on_the_line(text).into());
        }
    }

    /// What the notice line says about a touch's outcome: nothing when it worked.
    fn notice_for(&self, outcome: &Outcome) -> String {
        let name = |path: &str| {
            self.car
                .catalog()
                .get(path)
                .map(name_in_sentence)
                .unwrap_or_else(|| path.to_owned())
        };
        match outcome {
            // A stop (or another touch) replaced it: the screen shows where it is.
            Outcome::Confirmed { .. } | Outcome::Superseded { .. } => String::new(),
            Outcome::Clamped { path, value, .. } => {
                let shown = value_text(self.car.catalog(), path, value);
                sentence(&format!("{} is at its limit, {shown}", name(path)))
            }
            Outcome::Refused { path, reason } => match reason {
                PolicyError::DriverOnly { .. } => {
                    format!("Only the driver can change the {}.", name(path))
                }
                PolicyError::CarMoving { .. } | PolicyError::SpeedUnknown { .. } => {
                    let rule = self.car.catalog().get(path).map(|m| m.rules().standstill);
                    match rule {
                        // Locking is allowed at any speed; only unlocking waits.
                        Some(Some(StandstillRule::ToFalse)) => format!(
                            "The {} can be {} only while the car stands still.",
                            name(path),
                            switch_text(path, false).to_lowercase()
                        ),
                        _ => format!(
                            "The {} can only change while the car stands still.",
                            name(path)
                        ),
                    }
                }
                other => sentence(&other.to_string()),
            },
            Outcome::NotConfirmed { path, .. } => {
                sentence(&format!("the car did not confirm the {}", name(path)))
            }
            Outcome::Failed { message, .. } => sentence(&format!("not sent: {message}")),
        }
    }
}

fn screen_at(index: i32) -> Screen {
    let index = usize::try_from(index).unwrap_or(0);
    Screen::ALL.get(index).copied().unwrap_or(Screen::Home)
}

/// Capitalised, with a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

fn reading(shown: &Shown) -> Reading {
    let [r, g, b] = shown.rgb.unwrap_or([0, 0, 0]);
    Reading {
        known: shown.known,
        on: shown.on,
        value: shown.value as f32,
        text: shown.text.as_str().into(),
        raw: shown.raw.as_str().into(),
        color: slint::Color::from_rgb_u8(r, g, b),
        moving: shown.moving,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_touch_stays_in_focus_until_the_screen_changes() {
        let focus = SharedFocus::default();
        focus.show(Screen::Body);
        focus.touch("Vehicle.Cabin.Sunroof.Position");
        focus.show(Screen::Body);
        let touched = focus.get().touched.map(|(path, _)| path);
        assert_eq!(touched.as_deref(), Some("Vehicle.Cabin.Sunroof.Position"));
        focus.show(Screen::Climate);
        assert_eq!(
            focus.get(),
            Focus {
                screen: Screen::Climate,
                touched: None
            }
        );
    }
}
