"""Training data generated from the plan language by templates: every function with its
synonyms, zones, numbers as digits and as words, absolute and relative values, questions,
multi-action requests, follow-ups that need the previous turn or the card on screen, and
requests that are not for the car.

Every example belongs to a family (the template it came from), so that whole phrasing
families can be held out from training to measure generalisation.
"""

import random
import re

from .context import CARDS, GEARS, SCREENS, SPEEDS, Context

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n):
    if n < 20:
        return UNITS[n]
    if n == 100:
        return "a hundred"
    tens, unit = divmod(n, 10)
    return TENS[tens] if unit == 0 else f"{TENS[tens]} {UNITS[unit]}"


def say_number(n, rng):
    r = rng.random()
    if r < 0.55:
        return str(n)
    words = number_words(n)
    return words.replace(" ", "-") if r < 0.65 and " " in words else words


def say_temperature(t, rng):
    whole = int(t)
    if t != whole:
        r = rng.random()
        if r < 0.5:
            return f"{t:.1f}"
        if r < 0.75:
            return f"{number_words(whole)} and a half"
        return f"{whole} point five"
    return say_number(whole, rng)


def plan_temperature(t):
    return str(int(t)) if t == int(t) else f"{t:.1f}"


def pick(rng, options):
    return rng.choice(options)


# Zone phrases for the functions that have seats. "{}" marks where the function's noun goes.
SEAT_ZONE_PHRASES = {
    "driver": ["the driver's {}", "the driver {}", "the driver side {}", "the {} on the driver's side", "the front left {}",
               "the {} for the driver"],
    "passenger": ["the passenger {}", "the passenger's {}", "the passenger side {}", "the {} on the passenger side",
                  "the front right {}", "the {} for the passenger", "the co-driver's {}"],
    "rear_left": ["the rear left {}", "the back left {}", "the left rear {}", "the {} behind the driver",
                  "the rear driver side {}"],
    "rear_right": ["the rear right {}", "the back right {}", "the right rear {}", "the {} behind the passenger",
                   "the rear passenger side {}"],
    "front": ["both front {}s", "the front {}s", "the {}s in the front"],
    "rear": ["the rear {}s", "the back {}s", "both rear {}s", "the {}s in the back"],
    "left": ["the left {}s", "the {}s on the left"],
    "right": ["the right {}s", "the {}s on the right"],
    "all": ["all the {}s", "every {}", "all {}s", "all of the {}s"],
    "my": ["my {}", "the {}", "my {}", "this {}"],
}

# Zone phrases for the climate zones, which stand apart from the noun.
CLIMATE_ZONES = {
    "driver": ["on the driver side", "for the driver", "on the driver's side", "on the left side"],
    "passenger": ["on the passenger side", "for the passenger", "on the passenger's side", "for my passenger"],
    "rear_left": ["in the back left", "for the rear left seat", "behind the driver"],
    "rear_right": ["in the back right", "for the rear right seat", "behind the passenger"],
    "rear": ["in the back", "for the back seats", "in the rear", "for the rear passengers"],
    "front": ["on both sides", "for both front seats", "in the front", "for both of us"],
    "all": ["everywhere", "in all zones", "for everyone", "in the whole car"],
    "my": ["", "", "", "for me", "on my side"],
}

POLITE_BEFORE = ["please", "could you", "can you", "would you", "hey car", "hey cockpit", "okay", "um", "uh", "so",
                 "could you please", "can you please", "i'd like you to", "i want you to", "go ahead and", "quickly"]
POLITE_AFTER = ["please", "thanks", "thank you", "for me", "now", "right now", "if you can", "please thanks"]


def politely(utterance, rng):
    r = rng.random()
    if r < 0.25:
        return f"{pick(rng, POLITE_BEFORE)} {utterance}"
    if r < 0.4:
        return f"{utterance} {pick(rng, POLITE_AFTER)}"
    if r < 0.45:
        return f"{pick(rng, POLITE_BEFORE)} {utterance} {pick(rng, POLITE_AFTER)}"
    return utterance


class Generator:
    def __init__(self, language, rng):
        self.lang = language
        self.rng = rng
        self.examples = []

    def add(self, family, utterance, plan, ctx=None, polite=True):
        rng = self.rng
        if ctx is None:
            ctx = self.random_context()
        if polite:
            utterance = politely(utterance, rng)
        utterance = " ".join(utterance.split())
        self.lang.check(plan)
        self.examples.append({"utterance": utterance, "plan": plan, "context": ctx, "family": family})

    def random_context(self, **fixed):
        rng = self.rng
        ctx = Context(seat=pick(rng, ["driver"] * 3 + ["passenger"] * 2 + ["rear_left", "rear_right"]),
                      speed=pick(rng, SPEEDS), gear=pick(rng, GEARS), screen=pick(rng, SCREENS),
                      card="none" if rng.random() < 0.7 else pick(rng, CARDS))
        return ctx.with_(**fixed)

    # ------------------------------------------------------------------ temperature
    def temperature(self, n):
        rng = self.rng
        set_templates = ["set the temperature to {t}{deg} {zone}", "make it {t}{deg} {zone}", "{t}{deg} {zone}",
                         "temperature {t} {zone}", "change the temperature to {t}{deg} {zone}",
                         "i want it at {t}{deg} {zone}", "put the heat on {t} {zone}", "set the climate to {t} {zone}",
                         "set it to {t}{deg} {zone}", "turn the temperature to {t}{deg} {zone}",
                         "adjust the temperature to {t} {zone}", "can you make it {t}{deg} {zone}",
                         "heat it to {t}{deg} {zone}", "cool it down to {t}{deg} {zone}", "temp to {t} {zone}"]
        for _ in range(n):
            zone = pick(rng, list(CLIMATE_ZONES))
            if zone in ("rear_left", "rear_right", "left", "right") and rng.random() < 0.5:
                zone = "my"
            zone_text = pick(rng, CLIMATE_ZONES.get(zone, [""]))
            i = rng.randrange(len(set_templates))
            r = rng.random()
            if r < 0.78:
                t = rng.randrange(32, 57) / 2 if rng.random() < 0.25 else float(rng.randrange(16, 29))
                t_text, value = say_temperature(t, rng), plan_temperature(t)
                deg = pick(rng, [" degrees", " degrees", "", " degrees celsius", " °c", " degree"])
            elif r < 0.88:
                f = rng.randrange(60, 85)
                t_text, value = say_number(f, rng), f"{f}f"
                deg = pick(rng, [" degrees fahrenheit", " fahrenheit", " degrees f", " f"])
            else:
                # Beyond the range: the limit is what can be done, and the reply says so.
                t = pick(rng, [10, 12, 14, 15, 29, 30, 32, 35, 40, 45])
                t_text, value = say_number(t, rng), "max" if t > 28 else "min"
                deg = pick(rng, [" degrees", ""])
            self.add(f"temperature.set.{i}", set_templates[i].format(t=t_text, deg=deg, zone=zone_text),
                     f"set temperature {zone} {value}")

        up = ["make it warmer", "warmer", "a bit warmer", "turn up the heat", "raise the temperature",
              "increase the temperature", "turn the temperature up", "warm it up", "more heat", "a little warmer",
              "heat it up a bit", "turn the heating up", "bump up the temperature", "crank up the heat"]
        down = ["make it cooler", "cooler", "a bit cooler", "turn down the heat", "lower the temperature",
                "decrease the temperature", "turn the temperature down", "cool it down", "less heat", "a little cooler",
                "make it colder", "colder please", "drop the temperature", "turn the heating down"]
        for _ in range(n):
            zone = pick(rng, ["my", "my", "my", "driver", "passenger", "rear", "front", "all"])
            zone_text = pick(rng, CLIMATE_ZONES[zone])
            direction = rng.random() < 0.5
            words = up if direction else down
            i = rng.randrange(len(words))
            r = rng.random()
            if r < 0.7:
                value = "up" if direction else "down"
                text = f"{words[i]} {zone_text}"
            else:
                k = rng.randrange(1, 6)
                unit = "degree" if k == 1 else "degrees"
                kw = say_number(k, rng)
                text = pick(rng, [f"{kw} {unit} {'warmer' if direction else 'cooler'} {zone_text}",
                                  f"{'raise' if direction else 'lower'} the temperature by {kw} {unit} {zone_text}",
                                  f"{'up' if direction else 'down'} {kw} {unit} {zone_text}",
                                  f"turn it {'up' if direction else 'down'} by {kw} {zone_text}"])
                value = f"+{k}" if direction else f"-{k}"
                i = 100
            self.add(f"temperature.relative.{i}", text, f"set temperature {zone} {value}")

        extremes = [("as warm as it goes", "max"), ("maximum heat", "max"), ("full heat", "max"), ("hottest setting", "max"),
                    ("as cold as possible", "min"), ("coldest setting", "min"), ("max cooling", "min"),
                    ("turn the temperature all the way down", "min"), ("turn the temperature all the way up", "max")]
        for i, (text, value) in enumerate(extremes):
            for _ in range(max(1, n // 40)):
                zone = pick(rng, ["my", "my", "passenger", "all"])
                self.add(f"temperature.extreme.{i}", f"{text} {pick(rng, CLIMATE_ZONES[zone])}",
                         f"set temperature {zone} {value}")

        asks = ["set the temperature", "change the temperature", "adjust the temperature", "can you change the temperature",
                "i want to set the temperature", "set the temperature on the passenger side", "change the climate"]
        for i, text in enumerate(asks):
            for _ in range(max(1, n // 40)):
                zone = "passenger" if "passenger" in text else "my"
                self.add(f"temperature.ask.{i}", text, f"ask temperature {zone}")

    # ------------------------------------------------------------------ percent-like functions
    def fan(self, n):
        rng = self.rng
        zones = {"my": ["", "my", "the"], "driver": ["the driver's", "the driver side"],
                 "passenger": ["the passenger", "the passenger side"], "front": ["both", "all the"], "all": ["all the"]}
        nouns = ["fan", "fan speed", "blower", "ventilation fan", "air flow", "fans"]
        for _ in range(n):
            zone = pick(rng, ["my", "my", "my", "driver", "passenger", "front", "all"])
            zt = pick(rng, zones[zone])
            noun = pick(rng, nouns)
            r = rng.random()
            if r < 0.35:
                p = rng.randrange(0, 11) * 10
                i = rng.randrange(5)
                text = [f"set {zt} {noun} to {say_number(p, rng)} percent", f"{zt} {noun} {say_number(p, rng)} percent",
                        f"put {zt} {noun} at {say_number(p, rng)} percent", f"{noun} to {say_number(p, rng)}",
                        f"change {zt} {noun} to {say_number(p, rng)} percent"][i]
                value = str(p)
                family = f"fan.set.{i}"
            elif r < 0.55:
                options = [("to full", "max"), ("on full blast", "max"), ("to max", "max"), ("to the highest setting", "max"),
                           ("on low", "20"), ("to medium", "50"), ("on high", "80"), ("to the lowest setting", "min"),
                           ("all the way up", "max"), ("all the way down", "min")]
                i = rng.randrange(len(options))
                phrase, value = options[i]
                text = f"{pick(rng, ['turn', 'set', 'put', 'switch'])} {zt} {noun} {phrase}"
                family = f"fan.level.{i}"
            elif r < 0.85:
                up = rng.random() < 0.5
                options = (["turn up {z} {n}", "more air", "increase {z} {n}", "{z} {n} up", "speed up {z} {n}",
                            "more fan", "stronger {n}", "blow harder"] if up else
                           ["turn down {z} {n}", "less air", "decrease {z} {n}", "{z} {n} down", "slow down {z} {n}",
                            "less fan", "weaker {n}", "not so much air"])
                i = rng.randrange(len(options))
                text = options[i].format(z=zt, n=noun)
                value = "up" if up else "down"
                if "{z}" not in options[i]:
                    zone = "my"
                family = f"fan.relative.{'up' if up else 'down'}.{i}"
            else:
                on = rng.random() < 0.5
                i = rng.randrange(3)
                text = [f"turn {'on' if on else 'off'} {zt} {noun}", f"switch {zt} {noun} {'on' if on else 'off'}",
                        f"{zt} {noun} {'on' if on else 'off'}"][i]
                value = "on" if on else "off"
                family = f"fan.switch.{i}"
            self.add(family, text, f"set fan {zone} {value}")

    def airflow(self, n):
        rng = self.rng
        targets = {
            "DOWN": ["my feet", "the feet", "the footwell", "my legs", "the floor", "down low"],
            "MIDDLE": ["my face", "the face", "the face vents", "my upper body", "the middle vents", "my chest"],
            "UP": ["the windshield", "the windscreen", "the window", "the glass", "the front window"],
        }
        zones = {"my": ["", ""], "driver": ["on the driver side", "for the driver"],
                 "passenger": ["on the passenger side", "for the passenger"], "front": ["for both of us", "on both sides"]}
        templates = ["blow the air on {t} {z}", "air to {t} {z}", "point the air at {t} {z}", "direct the air to {t} {z}",
                     "send the air to {t} {z}", "switch the airflow to {t} {z}", "vents on {t} {z}",
                     "i want the air on {t} {z}", "put the air on {t} {z}"]
        for _ in range(n):
            value = pick(rng, list(targets))
            zone = pick(rng, ["my", "my", "driver", "passenger", "front"])
            target = pick(rng, targets[value])
            if zone == "passenger" and target.startswith("my"):
                target = target.replace("my", "the")
            i = rng.randrange(len(templates))
            self.add(f"airflow.{i}", templates[i].format(t=target, z=pick(rng, zones[zone])),
                     f"set airflow {zone} {value}")

    def switches(self, n):
        rng = self.rng
        names = {
            "ac": ["the ac", "the a c", "the air conditioning", "the air con", "a/c", "the aircon", "the cooling",
                   "the air conditioner", "the compressor"],
            "recirculation": ["recirculation", "the air recirculation", "recirculated air", "the recirculation mode",
                              "recirc", "cabin air recirculation"],
            "defrost_front": ["the front defroster", "the windshield defrost", "the windscreen heater", "the demister",
                              "front defrost", "the windscreen defroster", "the defroster"],
            "defrost_rear": ["the rear defroster", "the rear window heater", "the back window defrost", "rear defrost",
                             "the heated rear window", "the rear demister"],
            "dome_light": ["the reading light", "the dome light", "the interior light", "the cabin light", "the map light",
                           "the roof light", "the inside light", "the overhead light"],
            "ambient_light": ["the ambient lighting", "the ambient light", "the mood lighting", "the mood light",
                              "the accent lighting", "the ambient lights"],
            "low_beam": ["the headlights", "the low beams", "the dipped beams", "the lights", "my low beams",
                         "the head lights", "the low beam headlights"],
            "fog_lights": ["the fog lights", "the front fog lights", "the fogs", "the front fogs", "the fog lamps"],
            "hazards": ["the hazards", "the hazard lights", "the warning lights", "the flashers", "the emergency lights",
                        "the four way flashers", "the hazard warning lights"],
        }
        templates_on = ["turn on {x}", "switch on {x}", "{x} on", "put {x} on", "activate {x}", "enable {x}",
                        "start {x}", "i need {x} on", "can i have {x} on", "get {x} going"]
        templates_off = ["turn off {x}", "switch off {x}", "{x} off", "shut off {x}", "deactivate {x}", "disable {x}",
                         "stop {x}", "kill {x}", "i don't need {x} anymore", "no more {x}"]
        for _ in range(n):
            function = pick(rng, list(names))
            on = rng.random() < 0.6
            templates = templates_on if on else templates_off
            i = rng.randrange(len(templates))
            self.add(f"{function}.{'on' if on else 'off'}.{i}", templates[i].format(x=pick(rng, names[function])),
                     f"set {function} all {'on' if on else 'off'}")
        special = [
            ("recirculate the air", "set recirculation all on"), ("stop recirculating the air", "set recirculation all off"),
            ("fresh air please", "set recirculation all off"), ("use outside air", "set recirculation all off"),
            ("defrost the windshield", "set defrost_front all on"), ("defrost the windscreen", "set defrost_front all on"),
            ("clear the windshield", "set defrost_front all on"), ("demist the front window", "set defrost_front all on"),
            ("defrost the rear window", "set defrost_rear all on"), ("heat the back window", "set defrost_rear all on"),
            ("clear the rear window", "set defrost_rear all on"), ("cool the car down with the ac", "set ac all on"),
            ("light up the cabin", "set dome_light all on"), ("it's too dark in here", "set dome_light all on"),
            ("put the hazards on", "set hazards all on"), ("flash the hazards", "set hazards all on"),
            ("hazards", "set hazards all on"), ("headlights", "set low_beam all on"),
            ("dim the interior", "set dome_light all off"), ("lights off inside", "set dome_light all off"),
        ]
        for i, (text, plan) in enumerate(special):
            for _ in range(max(1, n // 60)):
                self.add(f"switch.special.{i}", text, plan)

    def seats(self, n):
        rng = self.rng
        heat_on = ["heat {z}", "turn on {z} heater", "warm up {z}", "turn on the seat heating for {z}",
                   "switch on {z} heating", "{z} heating on", "i want {z} heated", "heated seat on for {z}"]
        cool_on = ["cool {z}", "turn on {z} ventilation", "ventilate {z}", "turn on the seat cooling for {z}",
                   "switch on {z} cooling", "{z} ventilation on", "air out {z}", "turn on the cooled seat for {z}"]
        for _ in range(n):
            heating = rng.random() < 0.6
            function = "seat_heating" if heating else "seat_cooling"
            zone = pick(rng, ["my", "my", "my", "driver", "passenger", "rear_left", "rear_right", "front", "rear", "all"])
            noun = pick(rng, ["seat"])
            zone_text = pick(rng, SEAT_ZONE_PHRASES[zone]).format(noun)
            r = rng.random()
            if r < 0.5:
                templates = heat_on if heating else cool_on
                i = rng.randrange(len(templates))
                text = templates[i].format(z=zone_text)
                value = "on"
                family = f"{function}.on.{i}"
            elif r < 0.65:
                phrasings = ["turn off {z} {x}", "switch off {z} {x}", "{z} {x} off", "stop the {x} of {z}"]
                j = rng.randrange(len(phrasings))
                text = phrasings[j].format(z=zone_text, x="heating" if heating else "ventilation")
                value = "off"
                family = f"{function}.off.{j}"
            elif r < 0.85:
                level = rng.randrange(1, 4)
                phrasings = ["set {z} {x} to level {l}", "{z} {x} level {l}", "{x} {l} for {z}"]
                j = rng.randrange(len(phrasings))
                text = phrasings[j].format(z=zone_text, x="heating" if heating else "cooling", l=say_number(level, rng))
                value = {1: "33", 2: "66", 3: "max"}[level]
                family = f"{function}.level.{j}"
            else:
                up = rng.random() < 0.5
                j = rng.randrange(3)
                text = ["{d} {z} {x}", "{z} {x} {d2}", "make {z} {x} {d3}"][j].format(
                    z=zone_text, x="heating" if heating else "cooling", d="turn up" if up else "turn down",
                    d2="higher" if up else "lower", d3="stronger" if up else "weaker")
                value = "up" if up else "down"
                family = f"{function}.relative.{j}"
            self.add(family, text, f"set {function} {zone} {value}")

    def openings(self, n):
        rng = self.rng
        for _ in range(n):
            function = pick(rng, ["window"] * 5 + ["sunroof"] * 2 + ["shade"])
            if function == "window":
                zone = pick(rng, ["my", "my", "my", "driver", "passenger", "rear_left", "rear_right", "front", "rear",
                                  "all", "all", "left", "right"])
                noun = pick(rng, ["window", "window", "window", "glass"])
                target = pick(rng, SEAT_ZONE_PHRASES[zone]).format(noun)
            else:
                zone = "all"
                target = pick(rng, {"sunroof": ["the sunroof", "the sun roof", "the roof", "the moonroof", "the roof window",
                                                "the panoramic roof", "the glass roof"],
                                    "shade": ["the sunshade", "the sun shade", "the roof shade", "the sunroof shade",
                                              "the sunroof blind", "the roof blind", "the shade"]}[function])
            r = rng.random()
            if r < 0.22:
                verb = pick(rng, ["open", "open", "roll down", "lower", "slide open", "open up"] if function == "window"
                            else ["open", "open", "slide open", "retract", "open up"])
                text, value, family = f"{verb} {target}", "max", f"{function}.open"
                if rng.random() < 0.2:
                    text += pick(rng, [" all the way", " fully", " completely"])
                    family += ".fully"
            elif r < 0.44:
                verb = pick(rng, ["close", "close", "shut", "roll up", "raise"] if function == "window"
                            else ["close", "close", "shut", "slide shut"])
                text, value, family = f"{verb} {target}", "0", f"{function}.close"
                if rng.random() < 0.2:
                    text += pick(rng, [" all the way", " fully", " completely"])
            elif r < 0.6:
                options = [("halfway", "50"), ("half way", "50"), ("half open", "50"), ("a crack", "20"), ("a little", "20"),
                           ("a bit", "20"), ("slightly", "20"), ("a quarter", "25"), ("three quarters", "75"),
                           ("just a little", "10"), ("about a third", "33")]
                i = rng.randrange(len(options))
                phrase, value = options[i]
                text = f"open {target} {phrase}"
                family = f"{function}.partial.{i}"
            elif r < 0.78:
                p = rng.randrange(1, 20) * 5
                text = pick(rng, [f"open {target} {say_number(p, rng)} percent", f"set {target} to {say_number(p, rng)} percent",
                                  f"{target} to {say_number(p, rng)} percent", f"open {target} to {say_number(p, rng)} percent"])
                value = str(p)
                family = f"{function}.percent"
            else:
                more = rng.random() < 0.5
                text = pick(rng, [f"open {target} a bit more", f"open {target} some more", f"a bit more open on {target}"] if more
                            else [f"close {target} a bit", f"close {target} a little more", f"{target} a bit less open"])
                value = "up" if more else "down"
                family = f"{function}.relative.{'more' if more else 'less'}"
            self.add(family, text, f"set {function} {zone} {value}")

    def body(self, n):
        rng = self.rng
        options = [
            ("lock", "on", ["lock the doors", "lock the car", "lock up", "lock all the doors", "lock everything",
                            "lock it", "lock the doors please", "engage the locks", "make sure the doors are locked"]),
            ("lock", "off", ["unlock the doors", "unlock the car", "unlock everything", "unlock all doors",
                             "release the door locks", "open the locks", "unlock it", "let them in", "unlock all four doors",
                             "disengage the locks"]),
            ("trunk", "on", ["open the trunk", "open the boot", "pop the trunk", "pop the boot", "open the tailgate",
                             "open the hatch", "open the liftgate", "trunk open", "open the back", "raise the tailgate"]),
            ("trunk", "off", ["close the trunk", "close the boot", "shut the trunk", "close the tailgate", "shut the boot",
                              "close the hatch", "lower the tailgate"]),
            ("frunk", "on", ["open the frunk", "pop the frunk", "open the front trunk", "open the front boot",
                             "pop the front trunk", "open the storage up front", "open the bonnet storage"]),
            ("frunk", "off", ["close the frunk", "shut the frunk", "close the front trunk", "close the front boot"]),
        ]
        for _ in range(n):
            i = rng.randrange(len(options))
            function, value, texts = options[i]
            j = rng.randrange(len(texts))
            self.add(f"{function}.{value}.{j}", texts[j], f"set {function} all {value}")

    def lights(self, n):
        rng = self.rng
        colors = {"white": ["white", "plain white", "cool white"], "warm_white": ["warm white", "soft white"],
                  "red": ["red"], "orange": ["orange", "amber"], "yellow": ["yellow"], "green": ["green"],
                  "cyan": ["cyan", "turquoise", "teal"], "blue": ["blue", "dark blue"], "purple": ["purple", "violet"],
                  "pink": ["pink"], "magenta": ["magenta"]}
        nouns = ["the ambient light", "the ambient lighting", "the mood lighting", "the mood light", "the interior lighting",
                 "the cabin lights", "the accent lights"]
        templates = ["set {n} to {c}", "make {n} {c}", "change {n} to {c}", "{n} {c}", "turn {n} {c}",
                     "switch {n} to {c}", "i want {n} {c}", "{c} {n} please", "color {n} {c}"]
        for _ in range(n):
            color = pick(rng, list(colors))
            i = rng.randrange(len(templates))
            self.add(f"ambient_color.{i}", templates[i].format(n=pick(rng, nouns), c=pick(rng, colors[color])),
                     f"set ambient_color all {color}")
        for _ in range(n // 2):
            r = rng.random()
            noun = pick(rng, nouns)
            if r < 0.5:
                p = rng.randrange(1, 11) * 10
                text = pick(rng, [f"set {noun} brightness to {say_number(p, rng)} percent",
                                  f"{noun} at {say_number(p, rng)} percent", f"dim {noun} to {say_number(p, rng)} percent"])
                value, family = str(p), "ambient_brightness.set"
            else:
                up = rng.random() < 0.5
                text = pick(rng, [f"make {noun} brighter", f"brighter {noun}", f"turn up {noun}"] if up else
                            [f"dim {noun}", f"make {noun} dimmer", f"turn down {noun}", f"{noun} not so bright"])
                value, family = ("up" if up else "down"), f"ambient_brightness.{'up' if up else 'down'}"
            self.add(family, text, f"set ambient_brightness all {value}")

    def wipers(self, n):
        rng = self.rng
        nouns = ["the wipers", "the windshield wipers", "the windscreen wipers", "wipers", "the wiper"]
        options = [
            ("MEDIUM", ["turn on {w}", "{w} on", "start {w}", "switch on {w}", "put {w} on", "{w} to medium",
                        "medium {w}", "{w} normal speed"]),
            ("OFF", ["turn off {w}", "{w} off", "stop {w}", "switch off {w}", "no more {w}"]),
            ("FAST", ["{w} to fast", "fast {w}", "{w} on high", "{w} at full speed", "maximum {w}", "faster {w}"]),
            ("SLOW", ["{w} to slow", "slow {w}", "{w} on low", "{w} slower", "gentle {w}"]),
            ("INTERVAL", ["intermittent {w}", "{w} on interval", "{w} every few seconds", "{w} to intermittent"]),
            ("RAIN_SENSOR", ["automatic {w}", "{w} on auto", "{w} to automatic", "rain sensor {w}", "auto {w}",
                             "let the rain sensor run {w}"]),
        ]
        for _ in range(n):
            i = rng.randrange(len(options))
            value, texts = options[i]
            j = rng.randrange(len(texts))
            self.add(f"wipers.{value}.{j}", texts[j].format(w=pick(rng, nouns)), f"set wipers all {value}")

    def media(self, n):
        rng = self.rng
        options = [
            ("volume", "up", ["turn it up", "louder", "volume up", "raise the volume", "increase the volume",
                              "crank it up", "make it louder", "turn up the music", "pump up the volume", "i can't hear it",
                              "a bit louder", "turn the volume up"]),
            ("volume", "down", ["turn it down", "quieter", "volume down", "lower the volume", "decrease the volume",
                                "make it quieter", "turn down the music", "softer", "a bit quieter", "too loud",
                                "turn the volume down"]),
            ("volume", "mute", ["mute", "mute the music", "mute the sound", "mute the audio", "silence", "sound off"]),
            ("volume", "unmute", ["unmute", "unmute the music", "sound back on", "unmute the audio", "bring the sound back"]),
            ("volume", "max", ["max volume", "full volume", "volume all the way up", "as loud as it goes"]),
            ("media", "PLAY", ["play music", "resume", "resume my music", "play", "continue playing", "start the music",
                               "unpause", "keep playing", "put some music on", "play my music"]),
            ("media", "PAUSE", ["pause", "pause the music", "stop the music", "pause playback", "hold the music",
                                "stop playing", "pause the song"]),
            ("media", "SKIP_FORWARD", ["next song", "next track", "skip this song", "skip", "skip forward",
                                       "play the next song", "next one", "skip this track", "i don't like this song"]),
            ("media", "SKIP_BACKWARD", ["previous song", "previous track", "go back a song", "play the last song again",
                                        "back one track", "skip back", "play the previous one"]),
        ]
        for _ in range(n):
            i = rng.randrange(len(options))
            function, value, texts = options[i]
            j = rng.randrange(len(texts))
            self.add(f"{function}.{value}.{j}", texts[j], f"set {function} all {value}")
        for _ in range(n // 3):
            p = rng.randrange(0, 21) * 5
            text = pick(rng, [f"set the volume to {say_number(p, rng)}", f"volume {say_number(p, rng)}",
                              f"volume to {say_number(p, rng)} percent", f"turn the volume to {say_number(p, rng)}",
                              f"put the volume at {say_number(p, rng)}"])
            self.add("volume.set", text, f"set volume all {p}")

    # ------------------------------------------------------------------ questions
    def questions(self, n):
        rng = self.rng
        options = [
            ("battery", ["how much battery is left", "what's my battery level", "battery level", "how much charge do i have",
                         "what's the state of charge", "how full is the battery", "what's my charge", "battery status",
                         "how much juice is left", "what percent is the battery"]),
            ("range", ["how far can i go", "what's my range", "how many kilometers are left", "how much range do i have",
                       "will i make it fifty kilometers", "remaining range", "how far until i need to charge"]),
            ("speed", ["how fast am i going", "what's my speed", "current speed", "how fast are we driving",
                       "what speed are we doing"]),
            ("gear", ["what gear am i in", "which gear are we in", "are we in park", "what gear is selected"]),
            ("cabin_temperature", ["how warm is it in here", "what's the temperature in the car", "cabin temperature",
                                   "how hot is it inside", "what's the inside temperature", "how cold is it in here"]),
            ("outside_temperature", ["how cold is it outside", "what's the temperature outside", "outside temperature",
                                     "how warm is it out there", "is it cold outside", "how cold is it outside right now",
                                     "what's the outdoor temperature"]),
        ]
        for _ in range(n):
            i = rng.randrange(len(options))
            query, texts = options[i]
            j = rng.randrange(len(texts))
            self.add(f"answer.{query}.{j}", texts[j], f"answer {query} all", polite=False)
        settings = [
            ("temperature", True, ["what's the temperature set to", "what is {z} temperature set to",
                                   "what temperature did you set {z}", "what's {z} temperature"]),
            ("fan", False, ["what's the fan set to", "how fast is the fan"]),
            ("window", True, ["is {z} window open", "how far open is {z} window", "is {z} window closed"]),
            ("lock", False, ["are the doors locked", "is the car locked", "did you lock the doors"]),
            ("trunk", False, ["is the trunk open", "is the boot closed"]),
            ("ac", False, ["is the ac on", "is the air conditioning running"]),
            ("volume", False, ["what's the volume", "how loud is it set"]),
            ("sunroof", False, ["is the sunroof open", "how open is the sunroof"]),
            ("wipers", False, ["are the wipers on", "what are the wipers set to"]),
        ]
        for _ in range(n // 2):
            i = rng.randrange(len(settings))
            function, zoned, texts = settings[i]
            j = rng.randrange(len(texts))
            text = texts[j]
            zone = "my" if self.lang.functions[function].zones else "all"
            if zoned:
                zone = pick(rng, ["my", "driver", "passenger"])
                text = text.replace("{z}", {"my": "my", "driver": "the driver's", "passenger": "the passenger"}[zone])
            self.add(f"answer.setting.{function}.{j}", text, f"answer {function} {zone}", polite=False)

    # ------------------------------------------------------------------ several at once
    def shared_verb(self, n):
        """One verb for several things: "turn off the ac and the fan", "close the sunroof and the
        windows". The shipped model, which had seen a verb for each, turned the hazards on for
        "turn off the fog lights and the hazards" and locked the doors for "...and the windows"."""
        rng = self.rng
        # Things with a switch: what each is called, its function and zone, its off and on.
        switches = [("the ac", "ac all", "off", "on"), ("the air conditioning", "ac all", "off", "on"),
                    ("the hazards", "hazards all", "off", "on"), ("the hazard lights", "hazards all", "off", "on"),
                    ("the fog lights", "fog_lights all", "off", "on"), ("the headlights", "low_beam all", "off", "on"),
                    ("the reading light", "dome_light all", "off", "on"),
                    ("the mood lighting", "ambient_light all", "off", "on"),
                    ("recirculation", "recirculation all", "off", "on"), ("the defroster", "defrost_front all", "off", "on"),
                    ("the rear defroster", "defrost_rear all", "off", "on"),
                    ("my seat heating", "seat_heating my", "off", "on"), ("the fan", "fan my", "off", "on"),
                    ("the wipers", "wipers all", "OFF", "MEDIUM"), ("the music", "media all", "PAUSE", "PLAY")]
        things = {
            "turn off": [(noun, f"set {target} {off}") for noun, target, off, _ in switches],
            "turn on": [(noun, f"set {target} {on}") for noun, target, _, on in switches],
            "close": [("the windows", "set window all 0"), ("all the windows", "set window all 0"),
                      ("my window", "set window my 0"), ("the sunroof", "set sunroof all 0"),
                      ("the sunshade", "set shade all 0"), ("the trunk", "set trunk all off"),
                      ("the frunk", "set frunk all off")],
            "open": [("the windows", "set window all max"), ("my window", "set window my max"),
                     ("the sunroof", "set sunroof all max"), ("the sunshade", "set shade all max"),
                     ("the trunk", "set trunk all on"), ("the frunk", "set frunk all on")],
        }
        verbs = {"turn off": ["turn off", "switch off", "shut off"], "turn on": ["turn on", "switch on"],
                 "close": ["close", "shut"], "open": ["open"]}
        templates = ["{v} {a} and {b}", "{v} {a} and also {b}", "{v} both {a} and {b}", "{v} {a}, {b}",
                     "{v} {a} and {b} please", "{v} {a}, {b} and {c}"]
        for _ in range(n):
            verb = pick(rng, list(things))
            j = rng.randrange(len(templates))
            k = 3 if "{c}" in templates[j] else 2
            chosen = []
            for noun, plan in rng.sample(things[verb], len(things[verb])):
                if all(plan.split()[1] != p.split()[1] for _, p in chosen):
                    chosen.append((noun, plan))
                if len(chosen) == k:
                    break
            if len(chosen) < k:
                continue
            names = dict(zip("abc", (noun for noun, _ in chosen)))
            text = templates[j].format(v=pick(rng, verbs[verb]), **names)
            self.add(f"multi.shared.{verb.replace(' ', '_')}.{j}", text, " ; ".join(p for _, p in chosen))

    def multi(self, n):
        rng = self.rng
        pieces = [
            ("close every window", "set window all 0"), ("close all the windows", "set window all 0"),
            ("open my window", "set window my max"), ("close the sunroof", "set sunroof all 0"),
            ("open the sunroof", "set sunroof all max"), ("turn the ac on", "set ac all on"),
            ("switch on the air conditioning", "set ac all on"), ("turn off the ac", "set ac all off"),
            ("turn up the fan", "set fan my up"), ("set the fan to full", "set fan my max"),
            ("make it warmer", "set temperature my up"), ("make it cooler", "set temperature my down"),
            ("set the temperature to 21", "set temperature my 21"), ("heat my seat", "set seat_heating my on"),
            ("lock the doors", "set lock all on"), ("turn on the headlights", "set low_beam all on"),
            ("turn on the wipers", "set wipers all MEDIUM"), ("turn off the music", "set media all PAUSE"),
            ("play some music", "set media all PLAY"), ("turn the volume down", "set volume all down"),
            ("turn on the reading light", "set dome_light all on"), ("defrost the windshield", "set defrost_front all on"),
            ("turn on recirculation", "set recirculation all on"), ("close the shade", "set shade all 0"),
            ("set the ambient light to blue", "set ambient_color all blue"), ("turn on the mood lighting", "set ambient_light all on"),
            ("open the trunk", "set trunk all on"), ("turn on the hazards", "set hazards all on"),
            # The other way round too: the shipped model read "lock the doors and close the trunk"
            # as opening it, having seen the trunk only opened among several requests.
            ("close the trunk", "set trunk all off"), ("turn off the hazards", "set hazards all off"),
            ("turn on the fog lights", "set fog_lights all on"), ("turn off the fog lights", "set fog_lights all off"),
            ("turn off the headlights", "set low_beam all off"), ("open my window halfway", "set window my 50"),
            ("open the sunroof halfway", "set sunroof all 50"), ("turn off the fan", "set fan my off"),
            ("close the frunk", "set frunk all off"), ("turn off the wipers", "set wipers all OFF"),
            ("turn off my seat heating", "set seat_heating my off"), ("turn off recirculation", "set recirculation all off"),
            ("turn off the defroster", "set defrost_front all off"),
        ]
        joins = [" and ", " and ", " and also ", ", then ", " then ", ", and ", " and please "]
        for _ in range(n):
            k = 2 if rng.random() < 0.8 else 3
            chosen = rng.sample(pieces, k)
            functions = [p.split()[1] for _, p in chosen]
            if len(set(functions)) < k:
                continue
            text = chosen[0][0]
            j = rng.randrange(len(joins))
            for piece, _ in chosen[1:]:
                text += joins[j] + piece
            self.add(f"multi.{j}", text, " ; ".join(p for _, p in chosen))
        self.shared_verb(n // 2)
        for _ in range(n // 4):
            t1, t2 = rng.sample(range(16, 29), 2)
            speaker_first = rng.random() < 0.3
            first, zone = (("me", "my"), ("the driver", "driver"), ("the driver side", "driver"),
                           ("the driver's side", "driver"))[0 if speaker_first else rng.randrange(1, 4)]
            second = pick(rng, ["the passenger", "the passenger side", "the passenger's side"])
            templates = ["set {a} to {t1} and {b} to {t2}", "{a} {t1} {b} {t2}", "{t1} for {a} and {t2} for {b}",
                         "set {a} to {t1} degrees and {b} to {t2} degrees", "{a} at {t1}, {b} at {t2}"]
            j = rng.randrange(len(templates))
            text = templates[j].format(a=first, b=second, t1=say_number(t1, rng), t2=say_number(t2, rng))
            # "Me at 27, the passenger's side at 16" is the driver speaking: from the passenger's
            # seat it would set one seat twice (2026-12-07: such examples held out as labels).
            ctx = self.random_context(seat="driver") if speaker_first else None
            self.add(f"multi.two_temperatures.{j}", text, f"set temperature {zone} {t1} ; set temperature passenger {t2}",
                     ctx=ctx)
        for _ in range(n // 4):
            t = rng.randrange(16, 29)
            zone_pair = pick(rng, [("front", "both sides"), ("front", "both front seats"), ("all", "everywhere"),
                                   ("rear", "the back seats")])
            text = pick(rng, [f"set {zone_pair[1]} to {say_number(t, rng)} degrees", f"{say_number(t, rng)} degrees {zone_pair[1]}"])
            self.add("multi.zones", text, f"set temperature {zone_pair[0]} {t}")
        self.two_values(n // 4)

    def two_values(self, n):
        """Two things set to two numbers in one request, each number going with the thing said
        just before it: the 2026-11 model set the fan to 23 for "set the temperature to 22 and
        the fan to 3", and heard only the airflow in "set the fan to max and point it at my face"."""
        rng = self.rng
        targets = {"DOWN": ["my feet", "the floor"], "MIDDLE": ["my face", "me"], "UP": ["the windshield", "the glass"]}
        for _ in range(n):
            t, p, v = rng.randrange(16, 29), rng.randrange(1, 11) * 10, rng.randrange(1, 11) * 10
            temp = (f"the temperature to {say_number(t, rng)}", f"set temperature my {t}")
            fan = (f"the fan to {say_number(p, rng)} percent", f"set fan my {p}")
            volume = (f"the volume to {say_number(v, rng)}", f"set volume all {v}")
            first, second = rng.sample([temp, fan, volume], 2)
            j = rng.randrange(3)
            text = ["set {a} and {b}", "{a} and {b} please", "can you set {a} and {b}"][j]
            self.add(f"multi.two_values.{j}", text.format(a=first[0], b=second[0]), f"{first[1]} ; {second[1]}")
        for _ in range(n // 2):
            level, value = pick(rng, [("to max", "max"), ("up", "up"), ("to full", "max"), ("down", "down"),
                                      ("to fifty percent", "50"), ("to 30 percent", "30")])
            where = pick(rng, list(targets))
            j = rng.randrange(3)
            text = [f"set the fan {level} and point it at {pick(rng, targets[where])}",
                    f"turn the fan {level} and blow it on {pick(rng, targets[where])}",
                    f"fan {level}, aimed at {pick(rng, targets[where])}"][j]
            self.add(f"multi.fan_airflow.{j}", text, f"set fan my {value} ; set airflow my {where}")

    # ------------------------------------------------------------------ follow-ups and deixis
    def follow_ups(self, n):
        rng = self.rng
        relative_prev = ["set temperature my up", "set temperature my down", "set fan my up", "set fan my down",
                         "set volume all up", "set volume all down", "set window my up", "set window my down",
                         "set ambient_brightness all up", "set seat_heating my up"]
        more = ["a bit more", "more", "again", "even more", "a little more", "keep going", "more please", "do that again",
                "one more time", "still more"]
        less = ["too much", "that's too much", "back a bit", "a bit less", "go back a little", "not that much"]
        for _ in range(n):
            prev = pick(rng, relative_prev)
            words = prev.split()
            if rng.random() < 0.65:
                text, plan, family = pick(rng, more), prev, "follow.more"
            else:
                opposite = {"up": "down", "down": "up"}[words[3]]
                text, plan, family = pick(rng, less), " ".join(words[:3] + [opposite]), "follow.less"
            family += f".{(more if plan == prev else less).index(text)}"
            self.add(family, text, plan, ctx=self.random_context(prev=prev), polite=False)

        zone_names = {"driver": ["the driver", "the driver side", "the driver's side"], "my": ["my side", "me", "mine"],
                      "passenger": ["the passenger", "the passenger side", "the passenger's side", "the other side"],
                      "rear": ["the back", "the rear", "the back seats"], "rear_left": ["the rear left"],
                      "rear_right": ["the rear right"]}
        zoned_prev = ["set temperature {z} {v}", "set seat_heating {z} on", "set seat_cooling {z} on", "set window {z} max",
                      "set window {z} 0", "set window {z} 50", "set fan {z} {f}", "set temperature {z} up"]
        for _ in range(n):
            template = pick(rng, zoned_prev)
            function = template.split()[1]
            first = pick(rng, ["driver", "my", "passenger"])
            v, f = str(rng.randrange(16, 29)), str(rng.randrange(0, 11) * 10)
            prev = template.format(z=first, v=v, f=f)
            targets = ["passenger", "rear", "driver"] if function in ("temperature", "seat_heating", "seat_cooling", "window") else ["passenger", "driver"]
            if function == "fan":
                targets = ["passenger", "driver"]
            target = pick(rng, [t for t in targets + ["my"] if t != first])
            phrase = pick(rng, zone_names[target]) if target in zone_names else target
            phrasings = ["and {p} too", "{p} as well", "same for {p}", "do the same for {p}", "and for {p}",
                         "also {p}", "now {p}"]
            j = rng.randrange(len(phrasings))
            plan = template.format(z=target, v=v, f=f)
            self.add(f"follow.zone.{j}", phrasings[j].format(p=phrase), plan, ctx=self.random_context(prev=prev),
                     polite=False)

        other = {"driver": "passenger", "passenger": "driver", "rear_left": "rear_right", "rear_right": "rear_left"}
        for _ in range(n // 2):
            function = pick(rng, ["window", "seat_heating", "temperature"])
            first = pick(rng, list(other))
            value = {"window": pick(rng, ["max", "0", "50"]), "seat_heating": "on", "temperature": "up"}[function]
            prev = f"set {function} {first} {value}"
            phrasings = ["no, the other one", "not that one, the other one", "the other side", "wrong one, the other",
                         "no the other side", "i meant the other one"]
            j = rng.randrange(len(phrasings))
            text = phrasings[j]
            self.add(f"follow.other.{j}", text, f"set {function} {other[first]} {value}", ctx=self.random_context(prev=prev),
                     polite=False)

        answers = [
            ("temperature", "my", lambda: (lambda t: (pick(rng, [f"{say_number(t, rng)}", f"{say_number(t, rng)} degrees",
                                                                f"make it {say_number(t, rng)}", f"{say_number(t, rng)} please"]), str(t)))(rng.randrange(16, 29))),
            ("fan", "my", lambda: (lambda p: (pick(rng, [f"{say_number(p, rng)} percent", f"{say_number(p, rng)}"]), str(p)))(rng.randrange(0, 11) * 10)),
            ("window", "my", lambda: pick(rng, [("halfway", "50"), ("all the way", "max"), ("a crack", "20"), ("fully", "max")])),
            ("volume", "all", lambda: (lambda p: (pick(rng, [f"{say_number(p, rng)}", f"to {say_number(p, rng)}"]), str(p)))(rng.randrange(0, 21) * 5)),
            ("ambient_color", "all", lambda: pick(rng, [("blue", "blue"), ("red", "red"), ("green", "green"), ("purple", "purple")])),
        ]
        for _ in range(n):
            function, zone, make = pick(rng, answers)
            zone = pick(rng, [zone, "passenger"]) if zone == "my" else zone
            text, value = make()
            pattern = re.sub(r"\d+", "N", text)
            for w in sorted(set(UNITS + TENS) - {""}, key=len, reverse=True):
                pattern = re.sub(rf"\b{w}\b", "N", pattern)
            self.add(f"follow.answer.{pattern}", text, f"set {function} {zone} {value}",
                     ctx=self.random_context(prev=f"ask {function} {zone}"), polite=False)

        deixis = [
            ("sunroof", "all", [("close it", "0"), ("open it", "max"), ("open it halfway", "50"), ("shut that", "0"),
                                ("close that", "0"), ("open that all the way", "max")]),
            ("shade", "all", [("close it", "0"), ("open it", "max"), ("open that", "max")]),
            ("window", "my", [("close it", "0"), ("open it", "max"), ("open it a bit", "20"), ("shut it", "0")]),
            ("volume", "all", [("turn it down", "down"), ("turn it up", "up"), ("mute it", "mute"), ("louder", "up")]),
            ("temperature", "my", [("up two", "+2"), ("turn it up", "up"), ("turn it down", "down"), ("make it 22", "22"),
                                   ("lower", "down"), ("higher", "up")]),
            ("fan", "my", [("turn it off", "off"), ("turn it up", "up"), ("turn it down", "down"), ("max", "max")]),
            ("trunk", "all", [("open it", "on"), ("close it", "off")]),
            ("lock", "all", [("lock it", "on"), ("unlock it", "off")]),
            ("ambient_light", "all", [("turn it on", "on"), ("turn it off", "off"), ("switch that off", "off")]),
            ("wipers", "all", [("turn them off", "OFF"), ("turn it off", "OFF"), ("faster", "FAST")]),
            ("hazards", "all", [("turn them on", "on"), ("turn them off", "off")]),
            ("dome_light", "all", [("turn it on", "on"), ("turn it off", "off")]),
        ]
        for _ in range(n):
            card, zone, options = pick(rng, deixis)
            j = rng.randrange(len(options))
            text, value = options[j]
            self.add(f"deixis.{card}.{j}", text, f"set {card} {zone} {value}", ctx=self.random_context(card=card))
        # "It" named earlier in the same breath: "my bag is in the trunk, open it".
        antecedents = [
            ("trunk", "all", ["the trunk", "the boot", "the tailgate", "the back"], "on", "off"),
            ("frunk", "all", ["the frunk", "the front trunk"], "on", "off"),
            ("sunroof", "all", ["the sunroof", "the roof", "the moonroof"], "max", "0"),
            ("shade", "all", ["the sunshade", "the roof shade", "the blind"], "max", "0"),
            ("window", "my", ["my window", "the window"], "max", "0"),
        ]
        leads = ["i need to get something from {n}, {v} it", "{n}, can you {v} it", "{n}, {v} it please",
                 "my bag is in {n}, {v} it", "i want to put this in {n}, {v} it", "see {n}? {v} it",
                 "about {n}, {v} it", "{n} please, {v} it", "{n} is stuck, {v} it for me", "hey, {n}, {v} it"]
        for _ in range(n // 2):
            function, zone, nouns, open_value, close_value = pick(rng, antecedents)
            j = rng.randrange(len(leads))
            opening = rng.random() < 0.6
            verb = pick(rng, ["open", "pop"] if opening and function in ("trunk", "frunk") else ["open"] if opening
                        else ["close", "shut"])
            text = leads[j].format(n=pick(rng, nouns), v=verb)
            self.add(f"antecedent.{j}", text, f"set {function} {zone} {open_value if opening else close_value}",
                     ctx=self.random_context(card=pick(rng, ["none", "none", "sunroof", "shade", "window", "trunk"])))
        for _ in range(n // 4):
            text = pick(rng, ["close it", "open it", "turn it off", "turn it on", "turn it up", "shut that"])
            self.add("deixis.unclear", text, "none", ctx=self.random_context(card="none", prev="none"))

    def dialogue(self, n):
        rng = self.rng
        options = [
            ("undo", ["undo that", "undo", "put it back", "change it back", "revert that", "go back to how it was",
                      "undo the last change", "take that back", "reverse that"]),
            ("cancel", ["never mind", "cancel", "forget it", "stop", "nothing", "cancel that", "leave it", "no, forget it",
                        "scratch that", "actually never mind"]),
            ("yes", ["yes", "yeah", "yes please", "sure", "do it", "go ahead", "confirm", "yep", "correct",
                     "that's right", "yes do it"]),
            ("no", ["no", "nope", "don't", "no don't", "no thanks", "negative", "don't do that"]),
        ]
        for _ in range(n):
            plan, texts = pick(rng, options)
            prevs = ["set lock all off", "ask temperature my", "set window all max", "set temperature my 24"]
            # Yes or no with nothing asked is small talk; undo and cancel mean the same anyway.
            prev = pick(rng, prevs if plan in ("yes", "no") else prevs + ["none"])
            j = rng.randrange(len(texts))
            self.add(f"dialogue.{plan}.{j}", texts[j], plan, ctx=self.random_context(prev=prev), polite=False)

    def negatives(self, n):
        rng = self.rng
        texts = [
            "tell me a joke", "what's the weather tomorrow", "call mom", "text my wife i'm late", "set an alarm for seven",
            "what's the capital of france", "play the news", "navigate to the airport", "find a gas station",
            "book a table for two", "reserve me a table for dinner tonight", "what time is it", "who won the game last night",
            "remind me to buy milk", "how old is the universe", "order a pizza", "what's on my calendar",
            "turn on the lights in the kitchen", "lock the front door of the house", "open the garage door",
            "my window at home is broken", "the heater in my office is broken", "i left the oven on",
            "the air conditioning at work is too cold", "close the deal with them tomorrow", "open the meeting notes",
            "kids stop fighting", "honey can you pass me the water", "did you remember to feed the cat",
            "look at that view", "i love this song", "what a beautiful day", "are we there yet", "i'm so tired",
            "that was a great movie", "how was your day", "let's get coffee", "turn left at the next light",
            "watch out for that car", "did you see that", "what did she say", "i need a vacation", "happy birthday",
            "the temperature in paris is nice this time of year", "it was freezing at the game yesterday",
            "my seat at the office is uncomfortable", "open a new tab", "lower the blinds in the bedroom",
            "the volume on my phone is broken", "i had the windows cleaned at home", "the trunk of the tree is huge",
            "he opened the window in his room", "she locked herself out of the apartment", "blue is my favorite color",
            "sing me a song", "what can you do", "who made you", "you're funny", "good morning", "good night",
            "thanks for the ride", "hmm", "uh", "okay", "what", "hello", "testing testing", "blah blah blah",
        ]
        for _ in range(n):
            i = rng.randrange(len(texts))
            self.add(f"negative.{i}", texts[i], "none", polite=rng.random() < 0.2)
        # Small talk: the reactions and remarks a cabin is full of.
        interjections = ["wow", "oh", "hmm", "yeah", "nope", "right", "sure", "really", "seriously", "okay", "alright",
                         "well", "cool", "nice", "great", "awesome", "amazing", "fine", "whatever", "huh", "yay", "oops",
                         "ugh", "geez", "oh man", "oh boy", "no way", "come on", "exactly", "totally", "interesting",
                         "perfect", "good", "bad", "sorry", "yes", "no", "oh really", "i see", "got it", "uh huh"]
        adjectives = ["funny", "smart", "silly", "annoying", "the best", "weird", "crazy", "amazing", "boring", "so slow",
                      "hilarious", "cute", "kind", "rude", "lazy", "brilliant", "a genius", "too much", "late", "right"]
        feelings = ["happy", "sad", "bored", "excited", "nervous", "hungry", "thirsty", "sleepy", "lost", "confused",
                    "stressed", "late", "fine", "good", "okay", "ready", "done", "starving", "so happy", "in love"]
        frames = ["{i}", "{i} {i}", "{i}, {i}", "you're {a}", "that's {a}", "he's {a}", "she is {a}", "i'm {f}",
                  "we're {f}", "are you {f}", "i feel {f}", "that was {a}", "how {a}", "{i}, that's {a}",
                  "{i} i'm {f}", "you are {a}", "this is {a}", "they're {a}", "isn't that {a}", "so {a}"]
        for _ in range(n):
            j = rng.randrange(len(frames))
            text = frames[j].format(i=pick(rng, interjections), a=pick(rng, adjectives), f=pick(rng, feelings))
            text = text.replace("{i}", pick(rng, interjections))
            self.add(f"negative.smalltalk.{j}", text, "none", polite=False,
                     ctx=self.random_context(prev=pick(rng, ["none", "none", "set temperature my up", "set window my max"])))
        # Everyday sentences about anything but this car: what the model hears most in a cabin.
        subjects = ["i", "we", "you", "he", "she", "they", "my sister", "the kids", "my boss", "our neighbor", "mom", "dad"]
        verbs = ["need to", "want to", "have to", "forgot to", "should", "can't wait to", "never", "always", "tried to",
                 "are going to", "used to", "might"]
        actions = ["call the bank", "buy groceries", "walk the dog", "finish the report", "see the doctor", "bake a cake",
                   "paint the fence", "fix the sink", "water the plants", "watch that show", "visit grandma",
                   "pay the bills", "book the hotel", "clean the garage", "learn spanish", "go to the gym",
                   "pick up the package", "send the invoice", "read that book", "cook dinner", "mow the lawn",
                   "wash the dishes", "answer those emails", "feed the fish", "renew my passport", "plan the party",
                   "go skiing", "try that restaurant", "get a haircut", "fix the heater at home", "open the store",
                   "close the office early", "lock the shed", "turn in the homework", "turn on the tv at home"]
        tails = ["", "", "", " tomorrow", " tonight", " this weekend", " later", " next week", " today", " again",
                 " before friday", " after work"]
        for _ in range(n):
            i = rng.randrange(len(actions))
            text = f"{pick(rng, subjects)} {pick(rng, verbs)} {actions[i]}{pick(rng, tails)}"
            self.add(f"negative.everyday.{i}", text, "none", polite=False)

    def generate(self, scale=1):
        s = scale
        self.temperature(600 * s)
        self.fan(300 * s)
        self.airflow(150 * s)
        self.switches(700 * s)
        self.seats(350 * s)
        self.openings(700 * s)
        self.body(300 * s)
        self.lights(250 * s)
        self.wipers(180 * s)
        self.media(400 * s)
        self.questions(400 * s)
        self.multi(400 * s)
        self.follow_ups(300 * s)
        self.dialogue(200 * s)
        self.negatives(700 * s)
        return self.examples


if __name__ == "__main__":
    from collections import Counter

    from .language import Language

    gen = Generator(Language(), random.Random(1))
    examples = gen.generate()
    print(len(examples), "examples,", len({e["family"] for e in examples}), "families")
    print(Counter(e["plan"].split()[0] for e in examples))
    for e in random.Random(2).sample(examples, 25):
        print(f"{e['utterance']!r:70} -> {e['plan']}   [{e['context'].prev}/{e['context'].card}]")
