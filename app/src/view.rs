//! The agent's turn, and the live pipeline's events, as the dashboard's assistant panel
//! shows them.

use std::sync::Arc;

use ui::{AssistantView, ChipView, WaitingView, readings};
use vehicle::catalog::StandstillRule;
use vehicle::policy::PolicyError;
use vehicle::{CarDefinition, Outcome, Value};

use crate::agent::{Schedule, Turn};
use crate::pipeline::Event;

/// The assistant panel as the pipeline's events build it up: listening and the level while
/// someone speaks, then what was heard, then the turn.
pub struct Panel {
    car: Arc<CarDefinition>,
    view: AssistantView,
    schedule: Option<Schedule>,
}

impl Panel {
    /// An empty panel for `car`.
    pub fn new(car: Arc<CarDefinition>) -> Panel {
        Panel {
            car,
            view: AssistantView::default(),
            schedule: None,
        }
    }

    /// The panel also lists what waits in `schedule` (the agent's), after every turn.
    pub fn listing(self, schedule: Schedule) -> Panel {
        Panel {
            schedule: Some(schedule),
            ..self
        }
    }

    /// Takes in one event; the panel to show when it changed.
    pub fn apply(&mut self, event: &Event) -> Option<&AssistantView> {
        // A theme is switched once, by the turn that asked for it: the views after it (a
        // level, the next words) leave the theme to the user's own taps.
        self.view.dark = None;
        match event {
            Event::Level(level) => self.view.level = *level,
            Event::SpeechStarted { .. } => {
                self.view.listening = true;
                self.view.transcript.clear();
            }
            // The words so far, while the speaker is still talking.
            Event::Hearing(text) if self.view.listening => self.view.transcript = text.clone(),
            Event::Hearing(_) => return None,
            Event::Heard { text, .. } => {
                self.view.listening = false;
                self.view.transcript = text.clone();
            }
            Event::Answered { turn, .. } => {
                let level = self.view.level;
                self.view = assistant_view(&self.car, turn);
                self.view.level = level;
                if let Some(schedule) = &self.schedule {
                    self.view.waiting = waiting_view(schedule);
                }
            }
            Event::Problem(problem) => self.view.reply = problem.clone(),
            Event::Notice(_) | Event::Finished(_) => return None,
        }
        Some(&self.view)
    }
}

/// What the assistant panel shows for one turn: a chip per change the car confirmed (with the
/// value it had before, for undo) and per change the rules refused (with why).
pub fn assistant_view(car: &CarDefinition, turn: &Turn) -> AssistantView {
    // Chips call a signal what the dashboard's controls call it, and write its value as they do
    // ("Driver seat: Heat 2", "Front right window: Open").
    let name = |path: &str| {
        car.catalog()
            .get(path)
            .map_or_else(|| path.to_owned(), |m| m.name().to_owned())
    };
    let shown = |path: &str, value: &Value| readings::value_text(car.catalog(), path, value);
    let chips = turn
        .outcomes
        .iter()
        .map(|outcome| match outcome {
            Outcome::Confirmed { path, value, .. } | Outcome::Clamped { path, value, .. } => {
                ChipView {
                    text: format!("{}: {}", name(path), shown(path, value)),
                    refused: None,
                    undo: turn.before.get(path).map(|old| (path.clone(), old.clone())),
                }
            }
            // Stopped (or sent elsewhere) on its way: it did change, so it can be undone.
            Outcome::Superseded {
                path,
                reported: Some(value),
                stopped,
                ..
            } => ChipView {
                text: format!(
                    "{}: {}, {}",
                    name(path),
                    shown(path, value),
                    if *stopped { "stopped" } else { "then changed" }
                ),
                refused: None,
                undo: turn.before.get(path).map(|old| (path.clone(), old.clone())),
            },
            Outcome::Superseded { path, .. } => ChipView {
                text: name(path),
                refused: Some("Replaced by a later request".into()),
                undo: None,
            },
            Outcome::Refused { path, reason } => ChipView {
                text: name(path),
                refused: Some(refusal(car, path, reason)),
                undo: None,
            },
            Outcome::NotConfirmed { path, .. } => ChipView {
                text: name(path),
                refused: Some("The car did not confirm it".into()),
                undo: None,
            },
            Outcome::Failed { path, message } => ChipView {
                text: name(path),
                refused: Some(format!("Not sent: {message}")),
                undo: None,
            },
        })
        .collect();
    AssistantView {
        listening: false,
        level: 0.0,
        transcript: turn.transcript.clone(),
        reply: turn.reply.clone(),
        chips,
        waiting: Vec::new(),
        dark: turn.dark,
    }
}

/// What waits in `schedule`, as the panel lists it: "At 11:42: close all the windows", on the
/// clock the dashboard shows.
pub fn waiting_view(schedule: &Schedule) -> Vec<WaitingView> {
    let now = chrono::Local::now();
    schedule
        .waiting()
        .into_iter()
        .map(|w| {
            let at = now + chrono::TimeDelta::from_std(w.due_in).unwrap_or_default();
            let when = if w.on_stop {
                "When we stop".to_owned()
            } else {
                format!("At {}", at.format("%H:%M"))
            };
            WaitingView {
                id: w.id,
                text: format!("{when}: {}", w.what),
            }
        })
        .collect()
}

fn refusal(car: &CarDefinition, path: &str, reason: &PolicyError) -> String {
    match reason {
        PolicyError::DriverOnly { .. } => "Only the driver may change this".into(),
        PolicyError::CarMoving { .. } | PolicyError::SpeedUnknown { .. } => {
            let rule = car.catalog().get(path).and_then(|m| m.rules().standstill);
            match rule {
                // Locking is allowed at any speed: say which change waits.
                Some(StandstillRule::ToFalse) => format!(
                    "{} only while the car stands still",
                    readings::switch_text(path, false)
                ),
                _ => "Only while the car stands still".into(),
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn chips_name_signals_as_the_screen_does_and_say_why_a_change_waits() {
        let car = vehicle::reference::car_definition();
        let seat = "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling";
        let lock = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked";
        let trunk = "Vehicle.Body.Trunk.Rear.IsOpen";
        let moving = |path: &str| Outcome::Refused {
            path: path.into(),
            reason: PolicyError::CarMoving {
                path: path.into(),
                speed_kmh: 50.0,
                limit_kmh: 3.0,
            },
        };
        let turn = Turn {
            changes: BTreeMap::from([(seat.into(), Value::Int(66))]),
            before: BTreeMap::from([(seat.into(), Value::Int(0))]),
            refused: true,
            outcomes: vec![
                Outcome::Confirmed {
                    path: seat.into(),
                    value: Value::Int(66),
                    seconds: 0.1,
                },
                moving(lock),
                moving(trunk),
            ],
            ..turn_heard("heat my seat, unlock the doors and open the boot")
        };
        let chips: Vec<(String, Option<String>)> = assistant_view(&car, &turn)
            .chips
            .into_iter()
            .map(|c| (c.text, c.refused))
            .collect();
        assert_eq!(
            chips,
            [
                ("Driver seat: Heat 2".to_owned(), None),
                (
                    "Front left lock".to_owned(),
                    Some("Unlocked only while the car stands still".to_owned())
                ),
                (
                    "Trunk".to_owned(),
                    Some("Only while the car stands still".to_owned())
                ),
            ]
        );
    }

    /// A turn that understood `transcript` and did nothing.
    fn turn_heard(transcript: &str) -> Turn {
        Turn {
            transcript: transcript.into(),
            reply: String::new(),
            changes: BTreeMap::new(),
            before: BTreeMap::new(),
            refused: false,
            understood: true,
            plan: String::new(),
            confidence: 1.0,
            outcomes: Vec::new(),
            plan_ms: 0.0,
            first_frame_ms: None,
            settled_ms: None,
            frames: Vec::new(),
            dark: None,
        }
    }

    #[test]
    fn a_theme_asked_for_is_in_the_view_of_that_turn_alone() {
        let mut panel = Panel::new(Arc::new(vehicle::reference::car_definition()));
        let answered = Event::Answered {
            id: 1,
            seat: vehicle::Seat::Driver,
            turn: Box::new(Turn {
                dark: Some(false),
                ..turn_heard("light mode")
            }),
        };
        assert_eq!(panel.apply(&answered).and_then(|v| v.dark), Some(false));
        // A view after it (the next level) would switch the theme back over the user's tap.
        let view = panel.apply(&Event::Level(0.1)).expect("a view");
        assert_eq!(view.dark, None);
        assert_eq!(view.transcript, "light mode");
    }

    #[test]
    fn the_words_so_far_show_while_listening_and_the_final_ones_replace_them() {
        let mut panel = Panel::new(Arc::new(vehicle::reference::car_definition()));
        panel.apply(&Event::SpeechStarted { at_s: 0.0 });
        let view = panel.apply(&Event::Hearing("Set the temperature".into()));
        assert_eq!(
            view.map(|v| (v.listening, v.transcript.as_str())),
            Some((true, "Set the temperature"))
        );
        panel.apply(&Event::Heard {
            id: 1,
            seat: vehicle::Seat::Driver,
            text: "Set the temperature to 21 degrees".into(),
        });
        // Late words of an utterance already heard change nothing.
        assert!(panel.apply(&Event::Hearing("Set the".into())).is_none());
        let view = panel.apply(&Event::Level(0.0)).expect("a view");
        assert_eq!(view.transcript, "Set the temperature to 21 degrees");
        assert!(!view.listening);
    }
}
