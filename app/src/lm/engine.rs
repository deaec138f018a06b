//! The language model engine: a decoder in ONNX with a KV cache, its `tokenizer.json`, and
//! greedy decoding constrained by the plan grammar, so the output always parses.
//!
//! Two kinds of model run through the same code. The project's own model writes one special
//! token per plan word (`<set>`, `<temperature>`…). A Hugging Face decoder brought by the user
//! writes plan text with its ordinary tokens; there the constraint works on characters, so
//! every step only allows tokens that keep the text a prefix of some valid plan.
//! Both take Hugging Face's inputs: `input_ids`, `attention_mask`, `position_ids` and
//! `past_key_values.N.key/value`, giving `logits` and `present.N.key/value`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ort::session::{Session, SessionInputValue};
use ort::value::{DynValue, Tensor, ValueType};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokenizers::Tokenizer;

use super::language::{Language, Plan};
use super::spelling::Speller;

/// Cut long input at this many characters (at a word): the model was trained on commands,
/// and a page of text is not one. Same as `training/cockpit_lm/decode.py`.
pub const MAX_UTTERANCE_CHARS: usize = 300;

/// Why the model cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A file is missing, damaged or not what the model card says.
    #[error(
        "{path}: {problem}; rebuild it with `python -m training.cockpit_lm.train` (see assets/model/MODEL_CARD.md) or restore it with `git checkout assets/model`"
    )]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// ONNX Runtime failed.
    #[error("language model {path}: {message}")]
    Onnx {
        /// The model.
        path: PathBuf,
        /// What ONNX Runtime said.
        message: String,
    },
}

/// `model.toml`: what a model folder holds and how to prompt it.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ModelSpec {
    /// A name for logs and the card.
    pub name: String,
    /// How the model writes plans: `plan-tokens` (one special token per word) or `text`.
    pub output: OutputKind,
    /// The ONNX file, relative to the folder.
    pub model: String,
    /// The tokenizer, relative to the folder.
    pub tokenizer: String,
    /// The prompt, with `{seat} {speed} {gear} {screen} {card} {prev} {utterance}`.
    pub template: String,
    /// The token that ends a plan.
    pub eos: String,
    /// Below this confidence (the lowest probability of a chosen token) the agent asks back.
    pub confidence_threshold: f32,
    /// The most tokens a plan may take.
    #[serde(default = "default_max_tokens")]
    pub max_plan_tokens: usize,
    /// SHA-256 of the files, as the model card gives them; checked at load.
    #[serde(default)]
    pub sha256: BTreeMap<String, String>,
}

fn default_max_tokens() -> usize {
    24
}

/// How a model writes plans.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum OutputKind {
    /// One special token `<word>` per plan word.
    PlanTokens,
    /// Plain text in the tokenizer's ordinary tokens.
    Text,
}

/// The context the model reads with the words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Context {
    /// The seat that spoke: driver, passenger, rear_left, rear_right.
    pub seat: String,
    /// stopped, slow or fast.
    pub speed: String,
    /// P, R, N or D.
    pub gear: String,
    /// The dashboard screen on show.
    pub screen: String,
    /// The card open or last touched, or "none".
    pub card: String,
    /// The previous turn's plan, or "none".
    pub prev: String,
}

impl Default for Context {
    fn default() -> Context {
        Context {
            seat: "driver".into(),
            speed: "stopped".into(),
            gear: "P".into(),
            screen: "home".into(),
            card: "none".into(),
            prev: "none".into(),
        }
    }
}

impl Context {
    /// The speed band the model knows, from km/h.
    pub fn speed_band(kmh: f64) -> &'static str {
        if kmh < 3.0 {
            "stopped"
        } else if kmh < 50.0 {
            "slow"
        } else {
            "fast"
        }
    }
}

/// What the model made of one utterance.
#[derive(Clone, Debug, Serialize)]
pub struct Decoded {
    /// The plan, always valid.
    pub plan: Plan,
    /// The lowest probability among the chosen tokens.
    pub confidence: f32,
    /// The plan's words as written, each with the lowest probability of the tokens that
    /// wrote it, so a caller that decides a word by other means can set its doubt aside.
    pub words: Vec<(String, f32)>,
    /// The probability of the end token (or 0 where the plan never ended).
    pub end_confidence: f32,
    /// Prompt tokens.
    pub prompt_tokens: usize,
    /// Tokens written.
    pub plan_tokens: usize,
    /// Milliseconds from text to plan.
    pub ms: f64,
}

impl Decoded {
    /// Sets the model's doubt aside: the plan, as it now stands, is what the words (or the
    /// dialogue) decide, so it is neither asked about nor read again a part at a time.
    pub fn set_aside_doubt(&mut self) {
        self.confidence = 1.0;
        self.words.clear();
    }

    /// Replaces the model's plan with one the words decide (see [`Decoded::set_aside_doubt`]).
    pub fn replace_with(&mut self, plan: Plan) {
        self.plan = plan;
        self.set_aside_doubt();
    }

    /// The confidence with the value word of each statement in `decided` (indices into the
    /// plan's statements) set aside: the words of the request decided those values.
    pub fn confidence_beside(&self, decided: &[usize]) -> f32 {
        if decided.is_empty() || self.words.is_empty() {
            return self.confidence;
        }
        // Statements are separated by ";" (a word of its own in plan tokens, perhaps stuck to
        // the value in a text model's output); a statement's value is its last word.
        let mut statement = 0usize;
        let mut lowest = self.end_confidence;
        for (i, (word, p)) in self.words.iter().enumerate() {
            let (body, ends) = match word.strip_suffix(';') {
                Some(body) => (body, true),
                None => (word.as_str(), false),
            };
            if body.is_empty() {
                statement += 1;
                lowest = lowest.min(*p);
                continue;
            }
            let last_of_statement = ends
                || self
                    .words
                    .get(i + 1)
                    .is_none_or(|(next, _)| next.starts_with(';'));
            if !(last_of_statement && decided.contains(&statement)) {
                lowest = lowest.min(*p);
            }
            if ends {
                statement += 1;
            }
        }
        lowest
    }
}

/// Adds a token's `piece` (probability `p`) to the plan's words so far, `text` being what was
/// written before it: a word made of several tokens keeps the lowest of their probabilities.
fn add_to_words(words: &mut Vec<(String, f32)>, text: &str, piece: &str, p: f32) {
    let mut in_word = text.chars().last().is_some_and(|c| !c.is_whitespace()) && !words.is_empty();
    for c in piece.chars() {
        if c.is_whitespace() {
            in_word = false;
        } else if in_word {
            if let Some((word, lowest)) = words.last_mut() {
                word.push(c);
                *lowest = lowest.min(p);
            }
        } else {
            words.push((c.to_string(), p));
            in_word = true;
        }
    }
}

/// A loaded model: one ONNX session, reused for every utterance.
pub struct Engine {
    spec: ModelSpec,
    path: PathBuf,
    session: Session,
    tokenizer: Tokenizer,
    language: Language,
    /// What each token adds to the plan text, `None` where it can never appear in a plan.
    pieces: Vec<Option<String>>,
    eos: u32,
    layers: usize,
    heads: usize,
    head_dim: usize,
    /// Milliseconds the load took.
    pub load_ms: f64,
    /// Whether decoding reuses the KV cache (always, except to measure what the cache saves).
    use_cache: bool,
    /// Near-misses of the vocabulary's words put right (the project's own models only: a
    /// Hugging Face vocabulary is not a word list).
    speller: Option<Speller>,
}

impl Engine {
    /// Loads the model in `dir` (its `model.toml`), running on `threads` threads.
    pub fn load(dir: &Path, language: Language, threads: usize) -> Result<Engine, EngineError> {
        let started = Instant::now();
        let spec_path = dir.join("model.toml");
        let spec_text = std::fs::read_to_string(&spec_path).map_err(|e| EngineError::File {
            path: spec_path.clone(),
            problem: format!("cannot read it ({e})"),
        })?;
        let spec: ModelSpec = toml::from_str(&spec_text).map_err(|e| EngineError::File {
            path: spec_path.clone(),
            problem: format!("not a model description ({e})"),
        })?;
        for (file, expected) in &spec.sha256 {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).map_err(|e| EngineError::File {
                path: path.clone(),
                problem: format!("cannot read it ({e})"),
            })?;
            let actual: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if &actual != expected {
                return Err(EngineError::File {
                    path,
                    problem: format!(
                        "damaged or replaced: its SHA-256 is {actual}, the model card says {expected}"
                    ),
                });
            }
        }
        let tokenizer_path = dir.join(&spec.tokenizer);
        let tokenizer = Tokenizer::from_file(&tokenizer_path).map_err(|e| EngineError::File {
            path: tokenizer_path.clone(),
            problem: format!("not a tokenizer.json ({e})"),
        })?;
        let path = dir.join(&spec.model);
        let session = audio::onnx::session(&path, threads).map_err(|e| EngineError::File {
            path: path.clone(),
            problem: e.to_string(),
        })?;
        let (layers, heads, head_dim) = kv_shape(&session).ok_or_else(|| EngineError::File {
            path: path.clone(),
            problem: "not a decoder with a KV cache: it needs inputs input_ids, attention_mask, \
                      position_ids and past_key_values.N.key/value of shape [batch, heads, past, head_dim]"
                .into(),
        })?;
        let eos = tokenizer
            .token_to_id(&spec.eos)
            .ok_or_else(|| EngineError::File {
                path: tokenizer_path.clone(),
                problem: format!("has no end token {:?}", spec.eos),
            })?;
        let pieces = token_pieces(&tokenizer, &language, spec.output);
        let speller =
            (spec.output == OutputKind::PlanTokens).then(|| Speller::from_tokenizer(&tokenizer));
        Ok(Engine {
            spec,
            path,
            session,
            tokenizer,
            language,
            pieces,
            eos,
            layers,
            heads,
            head_dim,
            load_ms: started.elapsed().as_secs_f64() * 1000.0,
            use_cache: true,
            speller,
        })
    }

    /// Decodes without the KV cache, rereading the whole sequence at every step: the baseline
    /// the benchmark measures the cache against. Same plans, more work.
    pub fn without_cache(mut self) -> Engine {
        self.use_cache = false;
        self
    }

    /// The model's description.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// The plan language.
    pub fn language(&self) -> &Language {
        &self.language
    }

    /// Whether the model was taught what `card` (a dashboard card) on show means: the
    /// project's model reads each card as one token of its own, and another card name would
    /// reach it as pieces of words it never saw there. A model that reads plain text reads any.
    pub fn knows_card(&self, card: &str) -> bool {
        match self.spec.output {
            OutputKind::PlanTokens => self
                .tokenizer
                .token_to_id(&format!("<card={card}>"))
                .is_some(),
            OutputKind::Text => true,
        }
    }

    /// The prompt the model reads for `utterance` in `context`.
    pub fn prompt(&self, utterance: &str, context: &Context) -> String {
        let prev = match self.spec.output {
            OutputKind::PlanTokens => context
                .prev
                .split_whitespace()
                .map(|w| format!("<{w}>"))
                .collect::<Vec<_>>()
                .join(" "),
            OutputKind::Text => context.prev.clone(),
        };
        self.spec
            .template
            .replace("{seat}", &context.seat)
            .replace("{speed}", &context.speed)
            .replace("{gear}", &context.gear)
            .replace("{screen}", &context.screen)
            .replace("{card}", &context.card)
            .replace("{prev}", &prev)
            .replace("{utterance}", &clip(&self.spelled(utterance)))
    }

    /// `utterance` with Whisper's near-misses of the vocabulary's words put right.
    pub fn spelled(&self, utterance: &str) -> String {
        match &self.speller {
            Some(speller) => speller.correct(utterance),
            None => utterance.to_owned(),
        }
    }

    /// Understands one utterance.
    pub fn plan(&mut self, utterance: &str, context: &Context) -> Result<Decoded, EngineError> {
        let started = Instant::now();
        // No words, nothing to understand: a model that reads words through a pretrained
        // encoder sees an empty utterance as the context alone, and once read that as a
        // request to skip the song.
        if !utterance.chars().any(char::is_alphanumeric) {
            return Ok(Decoded {
                plan: Plan::nothing(),
                confidence: 0.0,
                words: Vec::new(),
                end_confidence: 0.0,
                prompt_tokens: 0,
                plan_tokens: 0,
                ms: started.elapsed().as_secs_f64() * 1000.0,
            });
        }
        let prompt = self.prompt(utterance, context);
        let encoding = self
            .tokenizer
            .encode(prompt.as_str(), false)
            .map_err(|e| self.onnx_error(format!("tokenizer: {e}")))?;
        let mut input: Vec<i64> = encoding.get_ids().iter().map(|&i| i64::from(i)).collect();
        let prompt_tokens = input.len();
        let mut past = self.empty_cache()?;
        let mut sequence: Vec<i64> = Vec::new();
        let mut seen = 0usize;
        let mut text = String::new();
        let mut confidence = 1.0f32;
        let mut words: Vec<(String, f32)> = Vec::new();
        let mut end_confidence = 0.0f32;
        let mut written = 0usize;
        let mut finished = false;
        while written < self.spec.max_plan_tokens {
            let logits = if self.use_cache {
                self.step(&input, seen, &mut past)?
            } else {
                sequence.extend_from_slice(&input);
                let mut fresh = self.empty_cache()?;
                self.step(&sequence, 0, &mut fresh)?
            };
            seen += input.len();
            let (token, p) = self.choose(&logits, &text);
            confidence = confidence.min(p);
            written += 1;
            match token {
                Some(id) if id == self.eos => {
                    finished = true;
                    end_confidence = p;
                    break;
                }
                Some(id) => {
                    if let Some(piece) = &self.pieces[id as usize] {
                        add_to_words(&mut words, &text, piece, p);
                        text.push_str(piece);
                    }
                    input = vec![i64::from(id)];
                }
                None => break,
            }
        }
        let plan = match (finished, self.language.parse_plan(&text)) {
            (true, Ok(plan)) => plan,
            _ => {
                confidence = 0.0;
                words.clear();
                Plan::nothing()
            }
        };
        Ok(Decoded {
            plan,
            confidence,
            words,
            end_confidence,
            prompt_tokens,
            plan_tokens: written,
            ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// An empty KV cache: one `[1, heads, 0, head_dim]` tensor per layer for keys and values.
    fn empty_cache(&self) -> Result<Vec<DynValue>, EngineError> {
        (0..2 * self.layers)
            .map(|_| {
                Tensor::from_array(([1usize, self.heads, 0, self.head_dim], Vec::<f32>::new()))
                    .map(|t| t.into_dyn())
                    .map_err(|e| self.onnx_error(e.to_string()))
            })
            .collect()
    }

    /// Runs the model on `input` after `seen` cached tokens; returns the last position's
    /// logits and replaces `past` with the grown cache.
    fn step(
        &mut self,
        input: &[i64],
        seen: usize,
        past: &mut Vec<DynValue>,
    ) -> Result<Vec<f32>, EngineError> {
        let layers = self.layers;
        let result = run_step(&mut self.session, layers, input, seen, past);
        result.map_err(|m| self.onnx_error(m))
    }

    /// The most likely token that keeps the plan valid, with its probability under the
    /// model's full distribution; `None` when no token can continue.
    fn choose(&self, logits: &[f32], text: &str) -> (Option<u32>, f32) {
        let (best, max) =
            logits
                .iter()
                .copied()
                .enumerate()
                .fold(
                    (0, f32::NEG_INFINITY),
                    |(i, m), (j, l)| if l > m { (j, l) } else { (i, m) },
                );
        let total: f32 = logits.iter().map(|l| (l - max).exp()).sum();
        let allowed = |id: u32| {
            if id == self.eos {
                self.language.parse_plan(text).is_ok()
            } else {
                match self.pieces.get(id as usize).and_then(Option::as_ref) {
                    Some(piece) => self.language.accepts_prefix(&format!("{text}{piece}")),
                    None => false,
                }
            }
        };
        // Tokens from the most likely down, until one keeps the plan valid. That is nearly
        // always the likeliest, and otherwise among the first few, so only the likeliest
        // `HEAD` are put in order next: sorting the whole vocabulary (30,803 tokens) at every
        // step made text to plan 10-20 % slower at p95.
        if !logits.is_empty() && allowed(best as u32) {
            return (Some(best as u32), 1.0 / total);
        }
        const HEAD: usize = 32;
        let likelier = |a: &u32, b: &u32| logits[*b as usize].total_cmp(&logits[*a as usize]);
        let mut order: Vec<u32> = (0..logits.len() as u32).collect();
        let head = HEAD.min(order.len());
        if head == 0 {
            return (None, 0.0);
        }
        if head < order.len() {
            order.select_nth_unstable_by(head - 1, likelier);
        }
        let (first, rest) = order.split_at_mut(head);
        first.sort_unstable_by(likelier);
        let mut candidates = first.iter().copied().chain(std::iter::from_fn({
            let mut sorted = false;
            let mut next = 0;
            move || {
                if !sorted {
                    rest.sort_unstable_by(likelier);
                    sorted = true;
                }
                let id = rest.get(next).copied();
                next += 1;
                id
            }
        }));
        match candidates.find(|id| allowed(*id)) {
            Some(id) => (Some(id), (logits[id as usize] - max).exp() / total),
            None => (None, 0.0),
        }
    }

    fn onnx_error(&self, message: String) -> EngineError {
        EngineError::Onnx {
            path: self.path.clone(),
            message,
        }
    }
}

/// One run of the model: `input` after `seen` cached tokens; returns the last position's
/// logits and replaces `past` with the grown cache.
fn run_step(
    session: &mut Session,
    layers: usize,
    input: &[i64],
    seen: usize,
    past: &mut Vec<DynValue>,
) -> Result<Vec<f32>, String> {
    let n = input.len();
    let error = |e: ort::Error| e.to_string();

    let mut feeds: Vec<(String, SessionInputValue<'_>)> = vec![
        (
            "input_ids".into(),
            Tensor::from_array(([1usize, n], input.to_vec()))
                .map_err(error)?
                .into_dyn()
                .into(),
        ),
        (
            "attention_mask".into(),
            Tensor::from_array(([1usize, seen + n], vec![1i64; seen + n]))
                .map_err(error)?
                .into_dyn()
                .into(),
        ),
        (
            "position_ids".into(),
            Tensor::from_array((
                [1usize, n],
                (seen as i64..(seen + n) as i64).collect::<Vec<_>>(),
            ))
            .map_err(error)?
            .into_dyn()
            .into(),
        ),
    ];
    for (i, value) in std::mem::take(past).into_iter().enumerate() {
        let kind = if i % 2 == 0 { "key" } else { "value" };
        feeds.push((format!("past_key_values.{}.{kind}", i / 2), value.into()));
    }
    let mut outputs = session.run(feeds).map_err(error)?;
    let logits = {
        let (shape, data) = outputs["logits"]
            .try_extract_tensor::<f32>()
            .map_err(error)?;
        let vocab = *shape.last().ok_or("logits without a shape")? as usize;
        data[data.len() - vocab..].to_vec()
    };
    let mut presents = Vec::with_capacity(2 * layers);
    for i in 0..layers {
        for kind in ["key", "value"] {
            let name = format!("present.{i}.{kind}");
            presents.push(
                outputs
                    .remove(&name)
                    .ok_or(format!("the model gives no {name}"))?,
            );
        }
    }
    *past = presents;
    Ok(logits)
}

/// Layers, heads and head size from the past key inputs.
fn kv_shape(session: &Session) -> Option<(usize, usize, usize)> {
    let names: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
    for required in ["input_ids", "attention_mask", "position_ids"] {
        if !names.contains(&required) {
            return None;
        }
    }
    let layers = (0..)
        .take_while(|i| names.contains(&format!("past_key_values.{i}.key").as_str()))
        .count();
    let first = session
        .inputs()
        .iter()
        .find(|i| i.name() == "past_key_values.0.key")?;
    let ValueType::Tensor { shape, .. } = first.dtype() else {
        return None;
    };
    let (heads, head_dim) = (*shape.get(1)?, *shape.get(3)?);
    (layers > 0 && heads > 0 && head_dim > 0).then_some((layers, heads as usize, head_dim as usize))
}

/// What each token id adds to the plan text.
fn token_pieces(
    tokenizer: &Tokenizer,
    language: &Language,
    kind: OutputKind,
) -> Vec<Option<String>> {
    let size = tokenizer.get_vocab_size(true);
    let words: std::collections::HashSet<String> = language.words().into_iter().collect();
    (0..size as u32)
        .map(|id| match kind {
            OutputKind::PlanTokens => tokenizer
                .id_to_token(id)
                .and_then(|t| t.strip_prefix('<')?.strip_suffix('>').map(String::from))
                .filter(|w| words.contains(w))
                .map(|w| format!(" {w}")),
            OutputKind::Text => tokenizer
                .decode(&[id], false)
                .ok()
                .filter(|p| !p.is_empty() && !p.contains('\u{fffd}')),
        })
        .collect()
}

/// The utterance as the model may read it: no angle brackets (speech cannot write context
/// tokens) and at most [`MAX_UTTERANCE_CHARS`], cut at a word.
pub fn clip(utterance: &str) -> String {
    let clean: String = utterance
        .chars()
        .map(|c| if c == '<' || c == '>' { ' ' } else { c })
        .collect();
    if clean.chars().count() <= MAX_UTTERANCE_CHARS {
        return clean;
    }
    let cut: String = clean.chars().take(MAX_UTTERANCE_CHARS).collect();
    match cut.rsplit_once(' ') {
        Some((head, _)) => head.to_owned(),
        None => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_removes_brackets_and_cuts_at_a_word() {
        assert_eq!(clip("<plan> close"), " plan  close");
        let long = "word ".repeat(100);
        let clipped = clip(&long);
        assert!(clipped.len() <= MAX_UTTERANCE_CHARS);
        assert!(clipped.ends_with("word"));
    }
}
