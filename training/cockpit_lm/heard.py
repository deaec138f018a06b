"""The hand-written requests as Whisper heard them: real recognition errors for training.

noise.py imitates what Whisper does to a command; it cannot invent "pass in your side" for
"passenger side" or "Switch to Research" for "switch to recirculation". `training/hear.sh`
has cockpit's own voice speak every hand-written line and Whisper hear it, the way the agent
would in the car, and writes what was heard to training/data/heard/*.jsonl (one object per
line: `said`, and `utterance` as heard). dataset.py adds those transcripts to the training
split only, beside the typed line, under the same plan.

A transcript is used only where the plan still follows from it. Whisper sometimes changes the
very word the plan hinges on ("turn it on" heard as "turn it off"); such a line would teach the
model to do what was not said, so it is left out:
- the words that decide an action or a value (on/off, up/down, open/close, numbers, negation)
  must all be heard, and none added;
- a seat or side may be lost in the hearing ("pass in your side") but never replaced by another;
- a request to act keeps at least half its words (a word heard as several, "pass in your"
  for "passenger", loses one); speech that is not for the car may come out as anything, it
  still asks for nothing.

    python -m training.cockpit_lm.heard export FILE   # the distinct hand-written lines, for cockpit spoken
    python -m training.cockpit_lm.heard stats         # how many transcripts are used, and why not the rest
"""

import json
import re
from collections import Counter

from .handwritten import DATA
from .noise import words_to_digits

HEARD = DATA / "heard"

DECISIVE = {
    "on", "off", "up", "down", "open", "opened", "close", "closed", "shut", "lock", "locked",
    "unlock", "unlocked", "more", "less", "max", "maximum", "min", "minimum", "full", "half",
    "warmer", "cooler", "colder", "hotter", "warm", "cool", "cold", "hot", "higher", "lower",
    "louder", "quieter", "softer", "faster", "slower", "high", "low", "medium", "auto",
    "play", "pause", "stop", "next", "previous", "skip", "back", "mute", "unmute", "resume",
    "not", "dont", "no", "never", "cancel", "undo", "yes",
}
PLACES = {"driver", "passenger", "left", "right", "front", "rear", "all", "everyone", "everybody",
          "both"}
# "the passenger's side" is heard as "the passenger side" as often as not: the same seat.
POSSESSIVES = {"drivers": "driver", "passengers": "passenger"}
MAX_LOST_SHARE = 0.5


def words(text):
    text = words_to_digits(text.lower().replace("°", " degrees ").replace("%", " percent "))
    return [POSSESSIVES.get(w, w) for w in re.sub(r"[^a-z0-9 ]", "", text).split()]


def kept_in_order(a, b):
    """How many words of `a` `b` still says, in order (their longest common subsequence)."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def judge(said, heard, acts):
    """None where `heard` may be trained on under the plan of `said`, else why not; `acts`:
    whether that plan does anything."""
    s, h = words(said), words(heard)
    if not h:
        return "nothing heard"
    if s == h:
        return "heard as said"

    def decisive(ws):
        return Counter(w for w in ws if w in DECISIVE or w.isdigit())

    if decisive(s) != decisive(h):
        return "a deciding word changed"
    if Counter(w for w in h if w in PLACES) - Counter(w for w in s if w in PLACES):
        return "a seat or side changed"
    if acts and len(s) - kept_in_order(s, h) > MAX_LOST_SHARE * len(s):
        return "too much lost"
    return None


def acting(items):
    """{line: whether a plan of it does anything} for handwritten.load's items; a line written
    under several plans counts as a request to act if any of them is one."""
    acts = {}
    for _, text, plan, _ in items:
        acts[text] = acts.get(text, False) or plan != "none"
    return acts


def judged(acts, heard_dir=HEARD):
    """(file name, said, heard, why not or None) for every transcript in `heard_dir`, judged
    against the hand-written lines of `acts` (see `acting`)."""
    for path in sorted(heard_dir.glob("*.jsonl")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                said, heard = entry["said"], entry["utterance"]
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path}:{number}: not a heard request ({e}); rerun training/hear.sh") from e
            why_not = "not a hand-written line now" if said not in acts else judge(said, heard, acts[said])
            yield path.name, said, heard, why_not


def load(acts, heard_dir=HEARD):
    """{said: [heard, ...]} for the hand-written lines of `acts` (see `acting`) whose
    transcripts may be trained on, each transcript once."""
    variants = {}
    for _, said, heard, why_not in judged(acts, heard_dir):
        if why_not is None:
            kept = variants.setdefault(said, [])
            if all(words(heard) != words(k) for k in kept):
                kept.append(heard)
    return variants


def main():
    import argparse

    from . import handwritten
    from .language import Language

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export", help="the distinct hand-written lines as requests for cockpit spoken")
    export.add_argument("file")
    sub.add_parser("stats", help="how many transcripts are used, and why not the rest")
    args = parser.parse_args()

    items = handwritten.load(Language())
    if args.command == "export":
        seen = set()
        with open(args.file, "w") as f:
            for _, text, _, _ in items:
                if text not in seen:
                    seen.add(text)
                    f.write(json.dumps({"utterance": text}) + "\n")
        print(f"{len(seen)} distinct hand-written lines -> {args.file}")
        return
    acts = acting(items)
    reasons = {}
    for name, _, _, why_not in judged(acts):
        reasons.setdefault(name, Counter())[why_not or "used"] += 1
    for name, counts in reasons.items():
        print(name, dict(counts.most_common()))
    variants = load(acts)
    print(f"{sum(map(len, variants.values()))} transcripts of {len(variants)} lines used")


if __name__ == "__main__":
    main()
