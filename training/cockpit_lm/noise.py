"""Speech-recognition noise: what Whisper does to a spoken command on its way to text.

Homophones ("to/two/too", "for/four"), numbers written as digits or as words, dropped short
words, run-together or split compounds, and the punctuation and capitals Whisper adds. Applied
to a copy of part of the data so that the model reads transcripts, not typed text.
"""

import re

from .generate import number_words

HOMOPHONES = {
    "to": ["two", "too"], "too": ["to", "two"], "for": ["four", "fore"],
    "right": ["write"], "there": ["their", "they're"], "their": ["there"], "won't": ["want"],
    "blue": ["blew"], "red": ["read"], "seat": ["sit"], "fan": ["fun"],
    "ac": ["a c", "a/c", "asy"], "a/c": ["ac"], "sunroof": ["sun roof"], "moonroof": ["moon roof"],
    "frunk": ["front", "frank"], "defrost": ["the frost", "de-frost"], "defog": ["the fog"],
    "wipers": ["wiper", "vipers"], "cooler": ["colder"], "louder": ["lauder"], "boot": ["boat"],
    "hazards": ["hazard"], "degrees": ["degree"], "please": ["pleas"], "warmer": ["warm her"],
}
# Numbers Whisper writes either way.
WORD_NUMBERS = {number_words(n): n for n in range(0, 101)}
DROPPABLE = {"the", "a", "please", "can", "you", "just", "to", "my", "it", "up", "and", "of"}
KEEP = {"my", "it", "up", "to"}  # only dropped where the meaning survives, see drop_word


def words_to_digits(text):
    for words, n in sorted(WORD_NUMBERS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"\b{words}\b", str(n), text)
    return text


def digits_to_words(text):
    return re.sub(r"\b(\d{1,2}|100)\b(?!\.\d)", lambda m: number_words(int(m.group(1))), text)


def drop_word(words, rng):
    candidates = [i for i, w in enumerate(words) if w in DROPPABLE - KEEP]
    if candidates and len(words) > 3:
        del words[rng.choice(candidates)]
    return words


def whisper_style(text, rng):
    """Capitals and punctuation the way Whisper prints a short utterance."""
    text = text[:1].upper() + text[1:]
    text = re.sub(r"\bi\b", "I", text)
    r = rng.random()
    if r < 0.5:
        text += "."
    elif r < 0.6:
        text += "?"
    elif r < 0.65:
        text += "!"
    if rng.random() < 0.15:
        text = re.sub(r" (please|thanks)\b", r", \1", text)
    return text


def corrupt(text, rng, plan_is_none=False):
    """One noisy transcript of `text`. Never turns a command into a different command: numbers
    keep their value and homophones only swap words that the plan does not hinge on."""
    r = rng.random()
    if r < 0.3:
        text = words_to_digits(text)
    elif r < 0.45:
        text = digits_to_words(text)
    words = text.split()
    for i, w in enumerate(words):
        if w in HOMOPHONES and rng.random() < 0.25:
            words[i] = rng.choice(HOMOPHONES[w])
    if rng.random() < 0.2:
        words = drop_word(words, rng)
    text = " ".join(words)
    text = text.replace(" degrees", rng.choice([" degrees", "°", " °C", " degrees"])) if rng.random() < 0.2 else text
    text = text.replace(" percent", "%") if rng.random() < 0.3 else text
    if rng.random() < 0.6:
        text = whisper_style(text, rng)
    return text
