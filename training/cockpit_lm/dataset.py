"""The dataset: generated and hand-written examples, each in a context, split three ways.

- test_families: whole phrasing families (about 8% of them, hand-written and generated alike)
  that training never sees; this is what measures generalisation.
- test_random: 5% of the remaining examples, drawn at random.
- train: the rest, plus noisy transcripts (noise.py) of part of it, plus hand-written lines
  as Whisper heard them from cockpit's voice (heard.py).
"""

import json
import random
import re

from . import handwritten, heard
from .context import CARDS, Context
from .generate import Generator
from .language import ROOT, Language
from .noise import corrupt

HELD_OUT_FAMILIES = 0.08
HELD_OUT_RANDOM = 0.05
NOISY_SHARE = 0.4
HAND_REPEATS = 4  # each hand-written line appears in this many contexts
HEARD_SHARE = 0.5  # of a hand-written line's training examples, the share also added as heard
# The public sample the agent is checked against (tests/data/eval) is never training data.
PUBLIC_CASES = ROOT / "tests" / "data" / "eval" / "public-cases.jsonl"


def words_of(text):
    return " ".join(re.sub(r"[^a-z0-9 ]", "", text.lower()).split())


def public_utterances():
    if not PUBLIC_CASES.exists():
        return set()
    return {words_of(json.loads(line)["utterance"]) for line in PUBLIC_CASES.read_text().splitlines() if line.strip()}


def without_public(variants, public):
    """Heard transcripts ({said: [heard, ...]}) less those that say a request of the public
    sample: it stays out of training however it is reached."""
    return {said: kept for said, heard_as in variants.items()
            if (kept := [h for h in heard_as if words_of(h) not in public])}


def context_to_dict(ctx):
    return {k: getattr(ctx, k) for k in Context.__dataclass_fields__}


def build(seed=1, scale=2, with_heard=True):
    rng = random.Random(seed)
    lang = Language()
    gen = Generator(lang, rng)
    examples = gen.generate(scale)
    hand = handwritten.load(lang)
    for family, text, plan, fixed in hand:
        for _ in range(HAND_REPEATS):
            ctx = gen.random_context(**fixed)
            examples.append({"utterance": text, "plan": plan, "context": ctx, "family": family})

    public = public_utterances()
    examples = [e for e in examples if words_of(e["utterance"]) not in public]

    # "Turn it up" means the card on screen when one is open; where such a phrase appears
    # elsewhere its context must not contradict that, so it gets no card.
    deictic = {e["utterance"].lower() for e in examples
               if e["family"].startswith(("deixis.", "hand.deixis.")) and e["context"].card != "none"}
    follow = {e["utterance"].lower() for e in examples if e["context"].prev != "none"}
    prevs = sorted({e["plan"] for e in examples if e["plan"].startswith(("set", "ask"))})
    for e in examples:
        ctx = e["context"]
        if ctx.card != "none" and not e["family"].startswith(("deixis.", "hand.deixis.")) \
                and e["utterance"].lower() in deictic:
            ctx = ctx.with_(card="none")
        # Most turns follow another: a complete request means the same whatever came before.
        if ctx.prev == "none" and e["utterance"].lower() not in follow and rng.random() < 0.3:
            ctx = ctx.with_(prev=rng.choice(prevs))
        e["context"] = ctx

    families = sorted({e["family"] for e in examples})
    held = set(rng.sample(families, round(len(families) * HELD_OUT_FAMILIES)))
    splits = {"train": [], "test_random": [], "test_families": []}
    for e in examples:
        if e["family"] in held:
            splits["test_families"].append(e)
        elif rng.random() < HELD_OUT_RANDOM:
            splits["test_random"].append(e)
        else:
            splits["train"].append(e)
    for name, items in splits.items():
        noisy = []
        for e in items:
            if rng.random() < NOISY_SHARE:
                noisy.append({**e, "utterance": corrupt(e["utterance"], rng, e["plan"] == "none"), "noisy": True})
        items.extend(noisy)
        rng.shuffle(items)
    # Heard transcripts draw from their own random numbers, after everything else, so that
    # the held-out splits are the same with or without them: a run with them compares with
    # one without on the same test.
    heard_rng = random.Random(seed + 1_000_003)
    variants = without_public(heard.load(heard.acting(hand)) if with_heard else {}, public)
    train = splits["train"]
    train.extend({**e, "utterance": heard_rng.choice(variants[e["utterance"]]), "noisy": True, "heard": True}
                 for e in list(train)
                 if not e.get("noisy") and e["family"].startswith("hand.") and e["utterance"] in variants
                 and heard_rng.random() < HEARD_SHARE)
    heard_rng.shuffle(train)
    return splits, sorted(held)


def write(splits, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, items in splits.items():
        with open(out_dir / f"{name}.jsonl", "w") as f:
            for e in items:
                f.write(json.dumps({"utterance": e["utterance"], "plan": e["plan"], "family": e["family"],
                                    "noisy": e.get("noisy", False), "context": context_to_dict(e["context"])}) + "\n")


def read(path):
    items = []
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            e["context"] = Context(**e["context"])
            items.append(e)
    return items


if __name__ == "__main__":
    import pathlib
    from collections import Counter

    splits, held = build()
    for name, items in splits.items():
        neg = sum(e["plan"] == "none" for e in items)
        print(f"{name}: {len(items)} examples, {len({e['family'] for e in items})} families, {neg} negatives")
    print("held-out families, e.g.:", held[:12])
    print(Counter(e["context"].card for e in splits["train"]).most_common(5))
    write(splits, pathlib.Path("/tmp/ds"))
