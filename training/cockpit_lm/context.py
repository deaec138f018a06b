"""The context an utterance comes with, and how it is written into the model's prompt.

The context enters the model as prefix tokens before the words: the seat that spoke, the
speed band and gear, the dashboard screen and the card last touched, and the previous plan
(for follow-ups). Each is one special token, so the prompt stays short.
"""

from dataclasses import dataclass, replace

SPEEDS = ["stopped", "slow", "fast"]
GEARS = ["P", "R", "N", "D"]
SCREENS = ["home", "climate", "body", "lights", "media"]
# Cards a user can have open or have touched last: what "it" refers to.
CARDS = ["none", "temperature", "fan", "airflow", "seat_heating", "window", "sunroof", "shade", "lock", "trunk",
         "frunk", "ambient_light", "wipers", "volume", "media", "dome_light", "hazards"]


@dataclass(frozen=True)
class Context:
    seat: str = "driver"
    speed: str = "stopped"
    gear: str = "P"
    screen: str = "home"
    card: str = "none"
    prev: str = "none"

    def with_(self, **changes):
        return replace(self, **changes)


def context_tokens():
    """The special tokens that carry context, in a fixed order."""
    tokens = ["<pad>", "<bos>", "<eos>", "<user>", "<plan>", "<prev>", "</prev>"]
    tokens += [f"<seat={s}>" for s in ["driver", "passenger", "rear_left", "rear_right"]]
    tokens += [f"<speed={s}>" for s in SPEEDS]
    tokens += [f"<gear={g}>" for g in GEARS]
    tokens += [f"<screen={s}>" for s in SCREENS]
    tokens += [f"<card={c}>" for c in CARDS]
    return tokens


def plan_token(word):
    return f"<{word}>"


def render_plan(plan):
    """A plan as the model writes it: one token per word."""
    return " ".join(plan_token(w) for w in plan.split())


def render_prompt(utterance, ctx):
    """The prompt: context tokens, the previous plan, the words, then <plan>."""
    return (f"<bos> <seat={ctx.seat}> <speed={ctx.speed}> <gear={ctx.gear}> <screen={ctx.screen}> "
            f"<card={ctx.card}> <prev> {render_plan(ctx.prev)} </prev> <user> {utterance} <plan>")
