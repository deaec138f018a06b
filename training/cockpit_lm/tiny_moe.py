"""The bring-your-own-model fixture: a tiny, random-weight decoder of a real Mixture-of-Experts
architecture (transformers' Qwen2-MoE), exported to ONNX with Hugging Face's inputs and a
byte-level BPE tokenizer, so that the Rust engine's interface to such models is tested
against the real thing. Its weights are random, so its plans mean nothing; the test checks
that it loads, decodes incrementally and that the grammar keeps every output valid.

    python -m training.cockpit_lm.tiny_moe [--out app/tests/data/tiny-qwen2-moe]
"""

import argparse
import pathlib

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from .language import Language

ROOT = pathlib.Path(__file__).resolve().parents[2]


def tokenizer(language):
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    texts = [" ".join(language.words())] * 4 + ["close the windows and turn on the ac", "i'm cold", "what's my range"]
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>"], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(texts, trainer)
    return tok


def dense_experts(self, hidden_states, top_k_index, top_k_weights):
    """Qwen2-MoE's expert mixture, computed for every expert and weighted by the routing
    (zero outside each token's top k): the same numbers as transformers' sparse loop, in a
    form the ONNX exporter can trace without fixing which experts the example input hit."""
    weights = (torch.nn.functional.one_hot(top_k_index, self.num_experts).to(hidden_states.dtype)
               * top_k_weights.unsqueeze(-1)).sum(1)
    out = torch.zeros_like(hidden_states)
    for e in range(self.num_experts):
        gate, up = torch.nn.functional.linear(hidden_states, self.gate_up_proj[e]).chunk(2, dim=-1)
        y = torch.nn.functional.linear(self.act_fn(gate) * up, self.down_proj[e])
        out = out + y * weights[:, e:e + 1]
    return out


class Wrapper(torch.nn.Module):
    def __init__(self, model, layers):
        super().__init__()
        self.model, self.layers = model, layers

    def forward(self, input_ids, attention_mask, position_ids, *past):
        from transformers import DynamicCache
        cache = DynamicCache()
        for i in range(self.layers):
            cache.update(past[2 * i], past[2 * i + 1], i)
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                         past_key_values=cache, use_cache=True)
        kv = []
        for i in range(self.layers):
            layer = out.past_key_values.layers[i]
            kv += [layer.keys, layer.values]
        return (out.logits, *kv)


def verify(model, path, layers, kv_heads, head_dim):
    """The exported graph, run incrementally with its cache from an empty one, gives the
    logits transformers gives for the whole sequence at once."""
    import numpy as np
    import onnxruntime as ort
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = [3, 17, 42, 7, 99, 5, 11, 8, 64]
    with torch.no_grad():
        want = model(input_ids=torch.tensor([ids]), use_cache=False).logits[0].numpy()
    past = {f"past_key_values.{i}.{k}": np.zeros((1, kv_heads, 0, head_dim), np.float32)
            for i in range(layers) for k in ("key", "value")}
    seen, chunks = 0, [ids[:6], ids[6:7], ids[7:8], ids[8:9]]
    for chunk in chunks:
        feeds = {"input_ids": np.array([chunk], np.int64), "attention_mask": np.ones((1, seen + len(chunk)), np.int64),
                 "position_ids": np.arange(seen, seen + len(chunk), dtype=np.int64)[None], **past}
        names = [o.name for o in sess.get_outputs()]
        out = dict(zip(names, sess.run(names, feeds)))
        seen += len(chunk)
        got = out["logits"][0, -1]
        assert np.allclose(got, want[seen - 1], atol=1e-4), f"logits differ after {seen} tokens"
        past = {f"past_key_values.{i}.{k}": out[f"present.{i}.{k}"] for i in range(layers) for k in ("key", "value")}
    print("ONNX with cache matches transformers over", seen, "tokens")


def main():
    from transformers import Qwen2MoeConfig, Qwen2MoeForCausalLM
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "app" / "tests" / "data" / "tiny-qwen2-moe")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    tok = tokenizer(Language())
    tok.save(str(args.out / "tokenizer.json"))
    layers, heads, kv_heads, head_dim = 2, 4, 2, 8
    config = Qwen2MoeConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, intermediate_size=32, num_hidden_layers=layers,
                            num_attention_heads=heads, num_key_value_heads=kv_heads, num_experts=4, num_experts_per_tok=2,
                            moe_intermediate_size=16, shared_expert_intermediate_size=16, max_position_embeddings=512,
                            tie_word_embeddings=True, attn_implementation="eager")
    model = Qwen2MoeForCausalLM(config).eval()
    import types
    checks = torch.randn(5, 32), torch.tensor([[0, 1], [2, 3], [1, 3], [0, 2], [3, 1]]), torch.rand(5, 2)
    for module in model.modules():
        if type(module).__name__ == "Qwen2MoeExperts":
            sparse = module.forward(*checks)
            module.forward = types.MethodType(dense_experts, module)
            assert torch.allclose(sparse, module.forward(*checks), atol=1e-5), "dense experts differ from transformers'"
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total"},
            "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for i in range(layers):
        for kind in ("key", "value"):
            names_in.append(f"past_key_values.{i}.{kind}")
            names_out.append(f"present.{i}.{kind}")
            axes[f"past_key_values.{i}.{kind}"] = {0: "batch", 2: "past"}
            axes[f"present.{i}.{kind}"] = {0: "batch", 2: "total"}
    past = [torch.zeros((1, kv_heads, 2, head_dim)) for _ in range(2 * layers)]
    example = (torch.tensor([[5, 6, 7]]), torch.ones((1, 5), dtype=torch.long), torch.tensor([[2, 3, 4]]), *past)
    torch.onnx.export(Wrapper(model, layers), example, str(args.out / "model.onnx"), input_names=names_in,
                      output_names=names_out, dynamic_axes=axes, opset_version=17, dynamo=False)
    verify(model, args.out / "model.onnx", layers, kv_heads, head_dim)
    (args.out / "model.toml").write_text(
        'name = "tiny-qwen2-moe (random weights, a test fixture)"\noutput = "text"\nmodel = "model.onnx"\n'
        'tokenizer = "tokenizer.json"\n'
        'template = "seat: {seat}, speed: {speed}, gear: {gear}, screen: {screen}, card: {card}\\n'
        'previous: {prev}\\nuser: {utterance}\\nplan:"\neos = "<|endoftext|>"\nconfidence_threshold = 0.0\n'
        'max_plan_tokens = 24\n')
    print("wrote", args.out, sum((args.out / f).stat().st_size for f in ("model.onnx", "tokenizer.json")), "bytes")


if __name__ == "__main__":
    main()
