"""The hand-written lines as Whisper heard them: which transcripts are trained on, and where.

Runs with the standard library only (no PyTorch): python3 -m unittest discover training/tests
"""

import unittest

from training.cockpit_lm import dataset
from training.cockpit_lm.heard import judge


class WhichTranscriptsAreTrainedOn(unittest.TestCase):
    def test_a_misheard_word_the_plan_does_not_hinge_on_is_kept(self):
        self.assertIsNone(judge("put my window down", "Cut my window down,", acts=True))
        self.assertIsNone(judge("switch to recirculation", "Switch to Research", acts=True))

    def test_a_seat_may_be_lost_in_the_hearing_but_not_replaced(self):
        self.assertIsNone(judge("warm up the passenger side", "Warm up the pass in your side.", acts=True))
        self.assertEqual(judge("warm up the driver side", "Warm up the passenger side.", acts=True),
                         "a seat or side changed")
        self.assertEqual(judge("make the passenger's side 24", "Make the passenger side 24.", acts=True),
                         "heard as said")

    def test_the_words_that_decide_the_action_must_all_be_heard(self):
        self.assertEqual(judge("turn the AC on", "Turn the AC off.", acts=True), "a deciding word changed")
        self.assertEqual(judge("turn the AC off", "Turn the AC.", acts=True), "a deciding word changed")
        self.assertEqual(judge("set it to 21", "Set it to 22.", acts=True), "a deciding word changed")
        self.assertEqual(judge("open the window", "Don't open the window.", acts=True), "a deciding word changed")
        # "for" heard as "four" adds a number: the plan might take it.
        self.assertEqual(judge("heat for my seat", "Heat four my seat.", acts=True), "a deciding word changed")

    def test_numbers_and_units_may_be_written_either_way(self):
        self.assertEqual(judge("set it to twenty one degrees", "Set it to 21°.", acts=True), "heard as said")

    def test_a_request_to_act_keeps_most_of_its_words_but_chit_chat_may_come_out_as_anything(self):
        self.assertEqual(judge("turn on the seat ventilation", "Turn on this feat mentalation.", acts=True),
                         "too much lost")
        self.assertIsNone(judge("my sister is getting married", "Mr. Sister is getting Mary.", acts=False))

    def test_nothing_heard_is_nothing_to_learn(self):
        self.assertEqual(judge("turn on the AC", "", acts=True), "nothing heard")


class WhereTheyGo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.with_heard, cls.held = dataset.build(with_heard=True)
        cls.without, held_without = dataset.build(with_heard=False)
        assert cls.held == held_without

    def test_the_held_out_splits_are_the_same_with_or_without_them(self):
        for name in ("test_random", "test_families"):
            self.assertEqual(self.with_heard[name], self.without[name], name)

    def test_they_are_training_examples_of_hand_written_families_that_are_not_held_out(self):
        heard = [e for e in self.with_heard["train"] if e.get("heard")]
        for name in ("test_random", "test_families"):
            self.assertFalse(any(e.get("heard") for e in self.with_heard[name]), name)
        held = set(self.held)
        for e in heard:
            self.assertTrue(e["family"].startswith("hand."), e)
            self.assertNotIn(e["family"], held, e)

    def test_the_public_sample_is_never_among_them(self):
        public = {"open the trunk", "close the sunroof"}
        heard = {"open the frunk": ["Open the trunk!", "Open the front."], "shut the sunroof": ["Close the sunroof."]}
        self.assertEqual(dataset.without_public(heard, public), {"open the frunk": ["Open the front."]})

    def test_the_typed_training_examples_are_all_still_there(self):
        typed = [e for e in self.with_heard["train"] if not e.get("heard")]
        key = lambda e: (e["utterance"], e["plan"], e["family"], repr(e["context"]))
        self.assertEqual(sorted(map(key, typed)), sorted(map(key, self.without["train"])))


if __name__ == "__main__":
    unittest.main()
