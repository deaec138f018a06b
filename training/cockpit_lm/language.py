"""The plan language, read from the project's own files: the signal catalog
(assets/vehicle/signals.toml) and the functions that map the language onto it
(assets/agent/functions.toml).

A plan is one to four statements separated by ";":
    set FUNCTION ZONE VALUE | answer QUERY ZONE | ask FUNCTION ZONE
    | none | undo | cancel | yes | no
The agent in Rust reads the same files and checks the same grammar.
"""

import pathlib
import tomllib
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[2]
FUNCTIONS_TOML = ROOT / "assets" / "agent" / "functions.toml"
CATALOG_TOML = ROOT / "assets" / "vehicle" / "signals.toml"

SEATS = ["driver", "passenger", "rear_left", "rear_right"]
GROUPS = {
    "front": ["driver", "passenger"],
    "rear": ["rear_left", "rear_right"],
    "left": ["driver", "rear_left"],
    "right": ["passenger", "rear_right"],
    "all": SEATS,
}
ZONES = SEATS + list(GROUPS) + ["my"]
SIMPLE_STATEMENTS = ["none", "undo", "cancel", "yes", "no"]
MAX_STATEMENTS = 4


def celsius_values():
    values = []
    t = 16.0
    while t <= 28.0:
        values.append(str(int(t)) if t == int(t) else f"{t:.1f}")
        t += 0.5
    return values


FAHRENHEIT = [f"{f}f" for f in range(60, 85)]
PERCENT = [str(n) for n in range(0, 101)]
RELATIVE_SMALL = [f"+{n}" for n in range(1, 6)] + [f"-{n}" for n in range(1, 6)]
RELATIVE_PERCENT = [f"+{n}" for n in range(10, 60, 10)] + [f"-{n}" for n in range(10, 60, 10)]
RELATIVE_WORDS = ["up", "down", "max", "min"]


@dataclass
class Function:
    name: str
    kind: str  # "celsius", "percent", "switch" or "choice"
    choices: list = field(default_factory=list)
    relative: bool = False
    zones: list = field(default_factory=list)  # seats it has; empty = global
    mute: bool = False
    paths: dict = field(default_factory=dict)

    def values(self):
        """Every VALUE word a `set` of this function may carry."""
        if self.kind == "celsius":
            vals = celsius_values() + FAHRENHEIT
            if self.relative:
                vals += RELATIVE_WORDS + RELATIVE_SMALL
            return vals
        if self.kind == "percent":
            vals = list(PERCENT) + ["on", "off"]
            if self.relative:
                vals += RELATIVE_WORDS + RELATIVE_PERCENT
            if self.mute:
                vals += ["mute", "unmute"]
            return vals
        if self.kind == "switch":
            return ["on", "off"]
        return list(self.choices)

    def zone_words(self):
        """Zone words this function accepts."""
        if not self.zones:
            return ["all"]
        words = list(self.zones) + ["my", "all"]
        for group, seats in GROUPS.items():
            if group != "all" and any(s in self.zones for s in seats):
                words.append(group)
        return words


class Language:
    def __init__(self):
        spec = tomllib.loads(FUNCTIONS_TOML.read_text())
        catalog = tomllib.loads(CATALOG_TOML.read_text())
        known = {s["path"] for s in catalog["signal"]}
        self.functions = {}
        for f in spec["function"]:
            values = f["values"]
            kind = values if isinstance(values, str) else "choice"
            zones = f.get("zones", {})
            paths = dict(zones) if zones else {"all": f["path"]}
            for path in paths.values():
                assert path in known, f"{path} is not in the catalog"
            self.functions[f["name"]] = Function(
                name=f["name"], kind=kind, choices=[] if isinstance(values, str) else list(values),
                relative=f.get("relative", False), zones=list(zones), mute=f.get("mute", False), paths=paths)
        self.queries = [q["name"] for q in spec["query"]]
        self.colors = spec["colors"]

    def words(self):
        """Every plan word, in a fixed order: the tokenizer's plan tokens."""
        words = ["set", "answer", "ask", ";"] + SIMPLE_STATEMENTS
        words += list(self.functions) + [q for q in self.queries if q not in self.functions]
        words += ZONES
        seen = set(words)
        for f in self.functions.values():
            for v in f.values():
                if v not in seen:
                    seen.add(v)
                    words.append(v)
        return words

    def allowed_next(self, words):
        """The plan words (and "<eos>") that may follow `words` in a valid plan: the grammar
        that constrains decoding. The Rust agent implements the same rules."""
        statements = [[]]
        for w in words:
            if w == ";":
                statements.append([])
            else:
                statements[-1].append(w)
        current = statements[-1]
        if not current:
            heads = {"set", "answer", "ask"}
            return heads | set(SIMPLE_STATEMENTS) if len(statements) == 1 else heads
        head = current[0]
        if head in SIMPLE_STATEMENTS:
            return {"<eos>"}
        complete = {"<eos>"} | ({";"} if len(statements) < MAX_STATEMENTS else set())

        def zones(name):
            # A plan never says the same thing twice about one function and zone.
            f = self.functions.get(name)
            used = {s[2] for s in statements[:-1] if s[:2] == [head, name] and len(s) > 2}
            return {z for z in (f.zone_words() if f else ["all"]) if z not in used}

        if len(current) == 1:
            names = set(self.functions) | (set(self.queries) if head == "answer" else set())
            return {n for n in names if zones(n)}
        f = self.functions.get(current[1])
        if len(current) == 2:
            return zones(current[1])
        if head == "set" and len(current) == 3:
            return set(f.values())
        return complete

    def check(self, plan):
        """Raises ValueError unless `plan` (a string) is a valid plan."""
        statements = [s.split() for s in plan.split(" ; ")]
        if not 1 <= len(statements) <= MAX_STATEMENTS:
            raise ValueError(f"{plan!r}: 1 to {MAX_STATEMENTS} statements")
        for words in statements:
            if len(words) == 1 and words[0] in SIMPLE_STATEMENTS:
                if len(statements) > 1:
                    raise ValueError(f"{plan!r}: {words[0]} stands alone")
                continue
            if words[0] == "set" and len(words) == 4:
                f = self.functions.get(words[1])
                if f is None or words[2] not in f.zone_words() or words[3] not in f.values():
                    raise ValueError(f"{plan!r}: bad set {words}")
            elif words[0] == "ask" and len(words) == 3:
                f = self.functions.get(words[1])
                if f is None or words[2] not in f.zone_words():
                    raise ValueError(f"{plan!r}: bad ask {words}")
            elif words[0] == "answer" and len(words) == 3:
                if words[1] in self.functions:
                    if words[2] not in self.functions[words[1]].zone_words():
                        raise ValueError(f"{plan!r}: bad answer zone {words}")
                elif words[1] not in self.queries or words[2] != "all":
                    raise ValueError(f"{plan!r}: bad answer {words}")
            else:
                raise ValueError(f"{plan!r}: bad statement {words}")
        return plan


if __name__ == "__main__":
    lang = Language()
    print(len(lang.functions), "functions,", len(lang.words()), "plan words")
    for p in ["set temperature my up", "set window all 0 ; set ac all on", "answer battery all", "none"]:
        print(lang.check(p))
