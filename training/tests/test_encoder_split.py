"""The word encoder read in two parts, as the CPU recipe trains it: the lower layers once per
utterance, the top layers in every step. Both parts together must read exactly as the whole.

Needs PyTorch and transformers (training/.venv), not the pretrained weights: a small BERT with
random weights stands in for MiniLM, since only the way the layers are chained is under test.
Without them (CI, scripts/test.sh's system Python) the cases are skipped and say so:
    training/.venv/bin/python -m unittest discover -s training/tests -t .
"""

import tempfile
import unittest

try:
    import torch
    from transformers import BertConfig, BertModel
except ImportError:
    torch = None

SKIP = "PyTorch and transformers are not installed (training/run.sh makes training/.venv with them)"


@unittest.skipIf(torch is None, SKIP)
class TheEncoderReadInTwoParts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from training.cockpit_lm.pretrained import WordEncoder

        torch.manual_seed(0)
        config = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                            intermediate_size=64, max_position_embeddings=32)
        with tempfile.TemporaryDirectory() as folder:
            BertModel(config, add_pooling_layer=False).save_pretrained(folder)
            cls.encoder = WordEncoder(folder, d_model=16).eval()
        # Two prompts: words after a context token, and words then padding.
        cls.ids = torch.tensor([[5, 20, 21, 22, 23], [30, 31, 32, 0, 0]])
        cls.is_word = torch.tensor([[0, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.bool)

    def test_at_every_split_the_two_parts_read_as_the_whole(self):
        with torch.no_grad():
            whole = self.encoder.read(self.ids, self.is_word)
            for lower in range(4):
                split = self.encoder.read_upper(self.encoder.read_lower(self.ids, self.is_word, lower),
                                                self.is_word, lower)
                self.assertTrue(torch.allclose(split[self.is_word], whole[self.is_word], atol=1e-5), lower)

    def test_the_top_layers_read_the_words_wherever_they_sit_in_the_row(self):
        # Training scatters the lower layers' reading into the prompt's word positions.
        with torch.no_grad():
            whole = self.encoder.read(self.ids, self.is_word)
            lower = self.encoder.read_lower(self.ids, self.is_word, 2)
            moved = torch.zeros(1, 8, lower.shape[-1])
            moved[0, 4:8] = lower[0, 1:5]
            at = torch.zeros(1, 8, dtype=torch.bool)
            at[0, 4:8] = True
            upper = self.encoder.read_upper(moved, at, 2)
            self.assertTrue(torch.allclose(upper[0, 4:8], whole[0, 1:5], atol=1e-5))


if __name__ == "__main__":
    unittest.main()
