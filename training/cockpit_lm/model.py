"""The cabin language model: a small decoder-only transformer whose feed-forward layers are a
Mixture of Experts with top-k routing.

Written so that one forward pass serves training and the exported ONNX graph alike: the
inputs are Hugging Face's (input_ids, attention_mask, position_ids, past key/values), so the
Rust engine runs this model and a Hugging Face export through the same code.
"""

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class Config:
    vocab: int
    d_model: int = 256
    layers: int = 4
    heads: int = 4
    experts: int = 4
    top_k: int = 2
    expert_hidden: int = 384
    rope_theta: float = 10000.0
    dropout: float = 0.1
    # With a pretrained word encoder: ids below this are its words, read by it; the rest are
    # the context and plan tokens, the decoder's own. 0: one embedding table for all.
    word_vocab: int = 0

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate(x, cos, sin):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.head_dim = c.heads, c.d_model // c.heads
        self.qkv = nn.Linear(c.d_model, 3 * c.d_model, bias=False)
        self.out = nn.Linear(c.d_model, c.d_model, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(~mask, -1e4)
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(y), k, v


class MoE(nn.Module):
    """Experts as SwiGLU blocks. All experts' weights sit in two matrices so that the graph is
    two matrix products whatever the routing; the gates are zero outside each token's top k,
    so each token's output depends on its top-k experts only."""

    def __init__(self, c):
        super().__init__()
        self.experts, self.top_k, self.hidden = c.experts, c.top_k, c.expert_hidden
        self.router = nn.Linear(c.d_model, c.experts, bias=False)
        self.up = nn.Linear(c.d_model, 2 * c.experts * c.expert_hidden, bias=False)
        self.down = nn.Linear(c.experts * c.expert_hidden, c.d_model, bias=False)

    def forward(self, x):
        probs = self.router(x).softmax(-1)
        kth = probs.topk(self.top_k, dim=-1).values[..., -1:]
        gates = probs * (probs >= kth)
        gates = gates / gates.sum(-1, keepdim=True)
        a, b = self.up(x).view(*x.shape[:-1], self.experts, 2, self.hidden).unbind(-2)
        h = F.silu(a) * b * gates.unsqueeze(-1)
        y = self.down(h.reshape(*x.shape[:-1], self.experts * self.hidden))
        # Switch-style load balancing: fraction routed to each expert times its mean probability.
        routed = (gates > 0).float().flatten(0, -2).mean(0) / self.top_k
        balance = self.experts * (routed * probs.flatten(0, -2).mean(0)).sum()
        return y, balance


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm1, self.norm2 = RMSNorm(c.d_model), RMSNorm(c.d_model)
        self.attn, self.moe = Attention(c), MoE(c)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        a, k, v = self.attn(self.norm1(x), cos, sin, mask, past_k, past_v)
        x = x + self.drop(a)
        m, balance = self.moe(self.norm2(x))
        return x + self.drop(m), k, v, balance


class CabinLM(nn.Module):
    def __init__(self, c, words=None):
        """`words`: a pretrained encoder for the ids below `c.word_vocab` (pretrained.WordEncoder)."""
        super().__init__()
        self.config = c
        self.words = words
        self.embed = nn.Embedding(c.vocab - c.word_vocab, c.d_model)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.layers))
        self.norm = RMSNorm(c.d_model)
        self.drop = nn.Dropout(c.dropout)
        head_dim = c.d_model // c.heads
        self.register_buffer("inv_freq", 1.0 / (c.rope_theta ** (torch.arange(0, head_dim, 2).float() / head_dim)),
                             persistent=False)
        nn.init.normal_(self.embed.weight, std=0.02)

    def empty_past(self, batch, device=None):
        c = self.config
        shape = (batch, c.heads, 0, c.d_model // c.heads)
        return [(torch.zeros(shape, device=device), torch.zeros(shape, device=device)) for _ in range(c.layers)]

    def embed_chunk(self, input_ids, chunk_mask, word_features=None):
        w = self.config.word_vocab
        if self.words is None:
            return self.embed(input_ids)
        is_word = input_ids < w
        own = self.embed((input_ids - w).clamp(min=0))
        if word_features is None:
            word_features = self.words.read(input_ids, is_word & chunk_mask.bool())
        elif self.words.cached_layers < self.words.bert.config.num_hidden_layers:
            # The lower layers' reading, with a dropped word's zeroed (train.batches): the top
            # layers read the words that are left, and a dropped word reads as nothing.
            heard = is_word & chunk_mask.bool() & word_features.ne(0).any(-1)
            upper = self.words.read_upper(word_features, heard, self.words.cached_layers)
            word_features = upper * heard.unsqueeze(-1)
        return torch.where(is_word.unsqueeze(-1), self.words.proj(word_features), own)

    def forward(self, input_ids, attention_mask, position_ids, past, full_vocab=True, word_features=None):
        """-> logits [B, T, V], presents [(k, v)] per layer, load-balancing loss. Without
        `full_vocab`, logits cover only the decoder's own tokens (ids from `word_vocab` on).
        `word_features`: the encoder's output for these ids, computed beforehand (a frozen
        encoder reads each utterance once, not once per epoch)."""
        t = input_ids.shape[1]
        s = attention_mask.shape[1]
        freqs = position_ids.unsqueeze(-1).float() * self.inv_freq
        cos, sin = freqs.cos().unsqueeze(1), freqs.sin().unsqueeze(1)
        q_pos = torch.arange(t, device=input_ids.device) + (s - t)
        k_pos = torch.arange(s, device=input_ids.device)
        causal = k_pos.unsqueeze(0) <= q_pos.unsqueeze(1)
        mask = causal.unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(1)
        x = self.drop(self.embed_chunk(input_ids, attention_mask[:, s - t:], word_features))
        presents, balance = [], 0.0
        for block, (pk, pv) in zip(self.blocks, past):
            x, k, v, bl = block(x, cos, sin, mask, pk, pv)
            presents.append((k, v))
            balance = balance + bl
        logits = self.norm(x) @ self.embed.weight.t()
        if full_vocab and self.config.word_vocab:
            # The decoder never writes a word: the words' logits are a constant far below.
            words = logits.new_full((*logits.shape[:-1], self.config.word_vocab), -1e4)
            logits = torch.cat([words, logits], dim=-1)
        return logits, presents, balance / len(self.blocks)


def count_parameters(model):
    c = model.config
    total = sum(p.numel() for p in model.parameters())
    # Only the decoder's experts are sparse; every parameter of the word encoder is active.
    per_expert = 3 * c.d_model * c.expert_hidden
    inactive = c.layers * (c.experts - c.top_k) * per_expert
    return total, total - inactive
