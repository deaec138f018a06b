"""The project's tokenizer: BPE over the words people say to the car, with the context and
plan vocabulary as whole special tokens. Saved as one tokenizer.json that Rust's `tokenizers`
crate loads unchanged, normalisation included, so both sides see the same ids."""

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from tokenizers import AddedToken

from .context import context_tokens, plan_token

VOCAB_SIZE = 2000


def normalizer():
    # Whisper prints capitals, punctuation and sometimes accents or symbols; the model reads
    # lowercase words, digits, and the few signs that carry meaning (21.5, 50%, 72°, +2, it's).
    return normalizers.Sequence([
        normalizers.NFKD(),
        normalizers.StripAccents(),
        normalizers.Lowercase(),
        normalizers.Replace(Regex(r"[^a-z0-9'%°.+\- ]"), " "),
        normalizers.Replace(Regex(r"-(?![0-9])"), " "),
        normalizers.Replace(Regex(r"\.(?![0-9])"), " "),
    ])


def special_tokens(language):
    return ["<unk>"] + context_tokens() + [plan_token(w) for w in language.words()]


def train(texts, language):
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.normalizer = normalizer()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.Punctuation()])
    tok.decoder = decoders.BPEDecoder()
    specials = special_tokens(language)
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE + len(specials), min_frequency=2, show_progress=False,
                                  special_tokens=[AddedToken(t, special=True, normalized=False) for t in specials],
                                  initial_alphabet=list("abcdefghijklmnopqrstuvwxyz0123456789'%°.+-"))
    tok.train_from_iterator(texts, trainer)
    return tok


def sanitize(utterance):
    """User text never contains the special tokens' brackets (so speech cannot inject context)."""
    return utterance.replace("<", " ").replace(">", " ")
