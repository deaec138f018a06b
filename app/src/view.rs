//! The agent's turn, and the live pipeline's events, as the dashboard's assistant panel
//! shows them.

use std::sync::Arc;

use ui::{AssistantView, ChipView, readings};
use vehicle::policy::PolicyError;
use vehicle::{CarDefinition, Outcome, Value};

use crate::agent::Turn;
use crate::pipeline::Event;

/// The assistant panel as the pipeline's events build it up: listening and the level while
/// someone speaks, then what was heard, then the turn.
pub struct Panel {
    car: Arc<CarDefinition>,
    view: AssistantView,
}

impl Panel {
    /// An empty panel for `car`.
    pub fn new(car: Arc<CarDefinition>) -> Panel {
        Panel {
            car,
            view: AssistantView::default(),
        }
    }

    /// Takes in one event; the panel to show when it changed.
    pub fn apply(&mut self, event: &Event) -> Option<&AssistantView> {
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
    let shown = |path: &str, value: &Value| match car.catalog().get(path) {
        Some(meta) => readings::show(meta, Some(value), false).text,
        None => value.to_string(),
    };
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
                refused: Some(refusal(reason)),
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
    }
}

fn refusal(reason: &PolicyError) -> String {
    match reason {
        PolicyError::DriverOnly { .. } => "Only the driver may change this".into(),
        PolicyError::CarMoving { .. } | PolicyError::SpeedUnknown { .. } => {
            "Only while the car stands still".into()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
