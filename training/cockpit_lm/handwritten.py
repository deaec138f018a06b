"""Reads the hand-written utterances in training/data/*.txt (format: training/data/README.md)."""

import pathlib

from .context import Context

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def load(language, data_dir=DATA):
    """Returns [(family, utterance, plan, fixed_context_dict)], every plan checked."""
    items = []
    for path in sorted(data_dir.glob("*.txt")):
        family = plan = None
        fixed = {}
        for number, raw in enumerate(path.read_text().splitlines(), 1):
            line = raw.strip()
            if line.startswith("## "):
                parts = [p.strip() for p in line[3:].split("|")]
                if len(parts) < 2:
                    raise ValueError(f"{path}:{number}: a family needs '## name | plan'")
                family, plan = f"hand.{parts[0]}", parts[1]
                language.check(plan)
                fixed = {}
                if len(parts) > 2 and parts[2]:
                    for pair in parts[2].split(","):
                        key, _, value = pair.partition("=")
                        key = key.strip()
                        if key not in Context.__dataclass_fields__:
                            raise ValueError(f"{path}:{number}: unknown context key {key!r}")
                        fixed[key] = value.strip()
                continue
            if not line or line.startswith("#"):
                continue
            if family is None:
                raise ValueError(f"{path}:{number}: utterance before the first '## family'")
            items.append((family, line, plan, dict(fixed)))
    return items


if __name__ == "__main__":
    from collections import Counter

    from .language import Language

    items = load(Language())
    negatives = sum(1 for i in items if i[2] == "none")
    print(len(items), "hand-written utterances,", len({i[0] for i in items}), "families,",
          f"{negatives} negatives ({100 * negatives / len(items):.1f}%)")
    print(Counter(i[2].split()[0] for i in items))
