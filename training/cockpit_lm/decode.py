"""Grammar-constrained greedy decoding, batched, with the KV cache: the same procedure the Rust
engine runs, used here to measure the model (PyTorch during training, ONNX Runtime on the
exported file)."""

import math

import numpy as np

from .context import plan_token, render_prompt
from .tokenizer import sanitize

MAX_UTTERANCE_CHARS = 300
MAX_PLAN_TOKENS = 20


def clip(utterance):
    """Long input is cut at a word boundary; the Rust agent does the same."""
    utterance = sanitize(utterance)
    if len(utterance) <= MAX_UTTERANCE_CHARS:
        return utterance
    cut = utterance[:MAX_UTTERANCE_CHARS]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def prompt_ids(tok, utterance, ctx):
    return tok.encode(render_prompt(clip(utterance), ctx)).ids


class PlanVocab:
    def __init__(self, tok, language):
        self.language = language
        self.word_id = {w: tok.token_to_id(plan_token(w)) for w in language.words()}
        self.id_word = {i: w for w, i in self.word_id.items()}
        self.eos = tok.token_to_id("<eos>")

    def allowed_ids(self, words):
        return [self.eos if w == "<eos>" else self.word_id[w] for w in self.language.allowed_next(words)]


def decode_batch(step, vocab, prompts, batch_size=256):
    """`step(ids, mask, positions, past) -> (last logits [B, V] numpy, past)`; `past=None` for
    the prompt. Returns [(plan, confidence)] with confidence the lowest chosen-token probability."""
    results = []
    for start in range(0, len(prompts), batch_size):
        chunk = prompts[start:start + batch_size]
        b, width = len(chunk), max(len(p) for p in chunk)
        ids = np.zeros((b, width), dtype=np.int64)
        mask = np.zeros((b, width), dtype=np.int64)
        for i, p in enumerate(chunk):  # left padding: every prompt ends at the same column
            ids[i, width - len(p):] = p
            mask[i, width - len(p):] = 1
        positions = np.clip(mask.cumsum(1) - 1, 0, None)
        logits, past = step(ids, mask, positions, None)
        words = [[] for _ in range(b)]
        conf = [1.0] * b
        done = [False] * b
        for _ in range(MAX_PLAN_TOKENS):
            chosen = np.full(b, vocab.eos, dtype=np.int64)
            for i in range(b):
                if done[i]:
                    continue
                row = logits[i].astype(np.float64)
                allowed = vocab.allowed_ids(words[i])
                best = allowed[int(np.argmax(row[allowed]))]
                p = np.exp(row - row.max())
                conf[i] = min(conf[i], float(p[best] / p.sum()))
                chosen[i] = best
                if best == vocab.eos:
                    done[i] = True
                else:
                    words[i].append(vocab.id_word[best])
            if all(done):
                break
            mask = np.concatenate([mask, np.ones((b, 1), dtype=np.int64)], axis=1)
            positions = positions[:, -1:] + 1
            logits, past = step(chosen[:, None], mask, positions, past)
        results.extend((" ".join(w), c) for w, c in zip(words, conf))
    return results


def torch_step(model, device):
    import torch

    def step(ids, mask, positions, past):
        with torch.no_grad():
            if past is None:
                past = model.empty_past(ids.shape[0], device)
            logits, presents, _ = model(torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device),
                                        torch.from_numpy(positions).to(device), past)
        return logits[:, -1].float().cpu().numpy(), presents
    return step


def onnx_step(session, layers, heads, head_dim):
    def step(ids, mask, positions, past):
        feeds = {"input_ids": ids, "attention_mask": mask, "position_ids": positions}
        for i in range(layers):
            for kind in ("key", "value"):
                feeds[f"past_key_values.{i}.{kind}"] = (past[f"present.{i}.{kind}"] if past is not None else
                                                        np.zeros((ids.shape[0], heads, 0, head_dim), np.float32))
        names = [o.name for o in session.get_outputs()]
        outputs = dict(zip(names, session.run(names, feeds)))
        return outputs["logits"][:, -1], outputs
    return step


CONFIDENCE_THRESHOLD = 0.4


def score(examples, results, threshold=0.0):
    """Exact-match accuracy, and the share of negatives that did nothing. Below `threshold` the
    agent asks back instead of acting: that counts as doing nothing, and as a miss for a command."""
    results = [(plan if c >= threshold else "none", c) for plan, c in results]
    right = sum(plan == e["plan"] for e, (plan, _) in zip(examples, results))
    neg = [(e, r) for e, r in zip(examples, results) if e["plan"] == "none"]
    neg_ok = sum(plan == "none" for _, (plan, _) in neg)
    return {"examples": len(examples), "exact": right / max(1, len(examples)),
            "negatives": len(neg), "negatives_none": neg_ok / max(1, len(neg))}


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, math.ceil(q / 100 * len(values)) - 1)]
