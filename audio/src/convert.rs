//! Whisper models from CTranslate2 (faster-whisper) format, the only form the package
//! registries offer, to the ggml format whisper.cpp loads.
//!
//! A CTranslate2 `model.bin` is: a version (`u32`), the spec name, a revision, then each
//! variable as name, shape, data type and raw bytes, then aliases. Whisper's attention comes
//! fused (self-attention as one QKV matrix, cross-attention as a query and a fused
//! key|value), and whisper.cpp wants OpenAI's separate tensors by OpenAI's names, plus an f32
//! mel filter bank and the BPE tokens as raw bytes, which this module computes and decodes.
//!
//! Written here rather than taken from a crate because none converts between these formats;
//! the reference for the target layout is whisper.cpp's own loader (`whisper_model_load`).

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use half::f16;

/// ggml's file magic, "ggml".
const GGML_MAGIC: u32 = 0x6767_6d6c;
/// ggml tensor types as whisper.cpp numbers them.
const GGML_TYPE_F32: i32 = 0;
const GGML_TYPE_F16: i32 = 1;
const GGML_TYPE_Q8_0: i32 = 8;
/// The file-level `ftype`: mostly f16, or mostly q8_0 tagged with ggml's quantization
/// version (2) times its factor (1000), as whisper.cpp's own quantizer writes it.
const FTYPE_F16: i32 = 1;
const FTYPE_Q8_0: i32 = 7 + 2 * 1000;
/// q8_0 packs 32 values per block: an f16 scale and 32 signed bytes.
const Q8_0_BLOCK: usize = 32;
/// Whisper's audio front end: 16 kHz, 400-sample FFT.
const SAMPLE_RATE: f64 = 16_000.0;
const N_FFT: usize = 400;

/// How the weight matrices are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantization {
    /// Half precision, as the source: no loss.
    F16,
    /// whisper.cpp's q8_0 blocks: 8 bits per weight plus a scale per 32, about half the size.
    Q8_0,
}

/// What a conversion produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertReport {
    /// Tensors written.
    pub tensors: usize,
    /// Vocabulary size.
    pub n_vocab: usize,
    /// Encoder and decoder layers.
    pub layers: (usize, usize),
    /// Width of the model.
    pub n_state: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Why a model could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The source is not a CTranslate2 Whisper model, or it is damaged.
    #[error(
        "{path} is not a usable CTranslate2 Whisper model: {reason}; fetch it again with scripts/setup.sh"
    )]
    BadModel {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ct2Type {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2Type {
    fn from_id(id: u8) -> Option<Ct2Type> {
        Some(match id {
            0 => Ct2Type::F32,
            1 => Ct2Type::I8,
            2 => Ct2Type::I16,
            3 => Ct2Type::I32,
            4 => Ct2Type::F16,
            5 => Ct2Type::Bf16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Ct2Type::I8 => 1,
            Ct2Type::I16 | Ct2Type::F16 | Ct2Type::Bf16 => 2,
            Ct2Type::F32 | Ct2Type::I32 => 4,
        }
    }
}

struct Variable {
    shape: Vec<usize>,
    dtype: Ct2Type,
    /// Byte range in the file.
    start: usize,
    len: usize,
}

struct Ct2Model {
    path: PathBuf,
    bytes: Vec<u8>,
    variables: BTreeMap<String, Variable>,
}

/// A cursor over the model bytes that turns every out-of-bounds read into an error.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!(
                "truncated at byte {} of {}",
                self.at,
                self.bytes.len()
            ));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self) -> Result<String, String> {
        let n = usize::from(self.u16()?);
        let bytes = self.take(n)?;
        // CTranslate2 writes a trailing NUL.
        let text = bytes.strip_suffix(&[0]).unwrap_or(bytes);
        String::from_utf8(text.to_vec()).map_err(|_| "a name is not UTF-8".to_owned())
    }
}

impl Ct2Model {
    fn load(path: &Path) -> Result<Ct2Model, ConvertError> {
        let bytes = std::fs::read(path).map_err(|source| ConvertError::Io {
            path: path.to_owned(),
            source,
        })?;
        let bad = |reason: String| ConvertError::BadModel {
            path: path.to_owned(),
            reason,
        };
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        let version = r.u32().map_err(bad)?;
        if !(5..=6).contains(&version) {
            return Err(bad(format!("binary version {version}, expected 5 or 6")));
        }
        let spec = r.string().map_err(bad)?;
        if spec != "WhisperSpec" {
            return Err(bad(format!("it holds a {spec}, not a WhisperSpec")));
        }
        let _revision = r.u32().map_err(bad)?;
        let count = r.u32().map_err(bad)? as usize;
        let mut variables = BTreeMap::new();
        for _ in 0..count {
            let name = r.string().map_err(bad)?;
            let rank = usize::from(r.u8().map_err(bad)?);
            let mut shape = Vec::with_capacity(rank);
            for _ in 0..rank {
                shape.push(r.u32().map_err(bad)? as usize);
            }
            let type_id = r.u8().map_err(bad)?;
            let dtype = Ct2Type::from_id(type_id)
                .ok_or_else(|| bad(format!("{name}: unknown data type {type_id}")))?;
            let len = r.u32().map_err(bad)? as usize;
            let elements: usize = shape.iter().product();
            if elements * dtype.size() != len {
                return Err(bad(format!(
                    "{name}: {len} bytes do not fit shape {shape:?}"
                )));
            }
            let start = r.at;
            r.take(len).map_err(bad)?;
            variables.insert(
                name,
                Variable {
                    shape,
                    dtype,
                    start,
                    len,
                },
            );
        }
        Ok(Ct2Model {
            path: path.to_owned(),
            bytes,
            variables,
        })
    }

    fn bad(&self, reason: String) -> ConvertError {
        ConvertError::BadModel {
            path: self.path.clone(),
            reason,
        }
    }

    fn variable(&self, name: &str) -> Result<&Variable, ConvertError> {
        self.variables
            .get(name)
            .ok_or_else(|| self.bad(format!("no variable {name}")))
    }

    /// A variable's values as f32, whatever its stored type.
    fn floats(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>), ConvertError> {
        let v = self.variable(name)?;
        let data = &self.bytes[v.start..v.start + v.len];
        let values =
            match v.dtype {
                Ct2Type::F32 => data
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect(),
                Ct2Type::F16 => data
                    .chunks_exact(2)
                    .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                    .collect(),
                Ct2Type::Bf16 => data
                    .chunks_exact(2)
                    .map(|b| f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16))
                    .collect(),
                other => return Err(self.bad(format!(
                    "{name} is {other:?}, expected floating point (int8 models are not supported)"
                ))),
            };
        Ok((v.shape.clone(), values))
    }

    fn integer(&self, name: &str) -> Result<usize, ConvertError> {
        let v = self.variable(name)?;
        let data = &self.bytes[v.start..v.start + v.len];
        let value = match v.dtype {
            Ct2Type::I8 => i64::from(data[0] as i8),
            Ct2Type::I16 => i64::from(i16::from_le_bytes([data[0], data[1]])),
            Ct2Type::I32 => i64::from(i32::from_le_bytes([data[0], data[1], data[2], data[3]])),
            other => return Err(self.bad(format!("{name} is {other:?}, expected an integer"))),
        };
        usize::try_from(value).map_err(|_| self.bad(format!("{name} is {value}")))
    }

    fn count_layers(&self, prefix: &str) -> usize {
        (0..)
            .take_while(|i| {
                self.variables
                    .contains_key(&format!("{prefix}/layer_{i}/ffn/linear_0/weight"))
            })
            .count()
    }
}

/// One tensor for the ggml file: name, shape in PyTorch order, values.
struct Tensor {
    name: String,
    shape: Vec<usize>,
    values: Vec<f32>,
    kind: Storage,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Storage {
    /// Always f32: biases, norms, positional embeddings.
    F32,
    /// Convolution kernels: f16 in both quantizations.
    Conv,
    /// Weight matrices: f16 or q8_0.
    Matrix,
}

fn rows(values: &[f32], width: usize, from: usize, to: usize) -> Vec<f32> {
    values[from * width..to * width].to_vec()
}

/// Splits a fused weight `[k*n, n]` and bias `[k*n]` into `k` parts.
fn split(shape: &[usize], weight: &[f32], bias: &[f32], parts: usize) -> Vec<(Vec<f32>, Vec<f32>)> {
    let n = shape[0] / parts;
    let width = shape[1];
    (0..parts)
        .map(|p| {
            (
                rows(weight, width, p * n, (p + 1) * n),
                bias[p * n..(p + 1) * n].to_vec(),
            )
        })
        .collect()
}

fn push_linear(
    out: &mut Vec<Tensor>,
    name: &str,
    n_out: usize,
    n_in: usize,
    weight: Vec<f32>,
    bias: Option<Vec<f32>>,
) {
    out.push(Tensor {
        name: format!("{name}.weight"),
        shape: vec![n_out, n_in],
        values: weight,
        kind: Storage::Matrix,
    });
    if let Some(bias) = bias {
        out.push(Tensor {
            name: format!("{name}.bias"),
            shape: vec![n_out],
            values: bias,
            kind: Storage::F32,
        });
    }
}

/// A linear layer: shape `[out, in]`, weights, biases.
type Linear = (Vec<usize>, Vec<f32>, Vec<f32>);

fn tensors(model: &Ct2Model) -> Result<(Hparams, Vec<Tensor>), ConvertError> {
    let (te_shape, token_embedding) = model.floats("decoder/embeddings/weight")?;
    let (conv1_shape, conv1) = model.floats("encoder/conv1/weight")?;
    let (epe_shape, encoder_pe) = model.floats("encoder/position_encodings/encodings")?;
    let (dpe_shape, decoder_pe) = model.floats("decoder/position_encodings/encodings")?;
    let hparams = Hparams {
        n_vocab: te_shape[0],
        n_audio_ctx: epe_shape[0],
        n_audio_state: conv1_shape[0],
        n_audio_head: model.integer("encoder/num_heads")?,
        n_audio_layer: model.count_layers("encoder"),
        n_text_ctx: dpe_shape[0],
        n_text_state: te_shape[1],
        n_text_head: model.integer("decoder/num_heads")?,
        n_text_layer: model.count_layers("decoder"),
        n_mels: conv1_shape[1],
    };
    if hparams.n_audio_layer == 0
        || hparams.n_text_layer == 0
        || hparams.n_audio_state != hparams.n_text_state
    {
        return Err(model.bad(format!("unexpected layout {hparams:?}")));
    }
    let n = hparams.n_text_state;
    let mut out = Vec::new();
    let linear = |scope: &str| -> Result<Linear, ConvertError> {
        let (shape, weight) = model.floats(&format!("{scope}/weight"))?;
        let (_, bias) = model.floats(&format!("{scope}/bias"))?;
        Ok((shape, weight, bias))
    };
    let norm = |out: &mut Vec<Tensor>, scope: &str, name: &str| -> Result<(), ConvertError> {
        for (from, to) in [("gamma", "weight"), ("beta", "bias")] {
            let (shape, values) = model.floats(&format!("{scope}/{from}"))?;
            out.push(Tensor {
                name: format!("{name}.{to}"),
                shape,
                values,
                kind: Storage::F32,
            });
        }
        Ok(())
    };
    // A block's self-attention with its layer norm, from the layer's scope to the block's
    // name. Fused query|key|value becomes OpenAI's separate projections; the key has no bias
    // (the fused one is zero there).
    let self_attention =
        |out: &mut Vec<Tensor>, layer: &str, block: &str| -> Result<(), ConvertError> {
            norm(
                out,
                &format!("{layer}/self_attention/layer_norm"),
                &format!("{block}.attn_ln"),
            )?;
            let scope = format!("{layer}/self_attention");
            let name = format!("{block}.attn");
            let (shape, weight, bias) = linear(&format!("{scope}/linear_0"))?;
            let mut parts = split(&shape, &weight, &bias, 3).into_iter();
            let (Some((qw, qb)), Some((kw, _)), Some((vw, vb))) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(model.bad(format!("{scope}: fused attention is not three parts")));
            };
            push_linear(out, &format!("{name}.query"), n, n, qw, Some(qb));
            push_linear(out, &format!("{name}.key"), n, n, kw, None);
            push_linear(out, &format!("{name}.value"), n, n, vw, Some(vb));
            let (_, ow, ob) = linear(&format!("{scope}/linear_1"))?;
            push_linear(out, &format!("{name}.out"), n, n, ow, Some(ob));
            Ok(())
        };
    let ffn = |out: &mut Vec<Tensor>, scope: &str, name: &str| -> Result<(), ConvertError> {
        norm(
            out,
            &format!("{scope}/layer_norm"),
            &format!("{name}.mlp_ln"),
        )?;
        let (s0, w0, b0) = linear(&format!("{scope}/linear_0"))?;
        push_linear(out, &format!("{name}.mlp.0"), s0[0], s0[1], w0, Some(b0));
        let (s2, w2, b2) = linear(&format!("{scope}/linear_1"))?;
        push_linear(out, &format!("{name}.mlp.2"), s2[0], s2[1], w2, Some(b2));
        Ok(())
    };

    // Encoder.
    out.push(Tensor {
        name: "encoder.positional_embedding".into(),
        shape: epe_shape,
        values: encoder_pe,
        kind: Storage::F32,
    });
    out.push(Tensor {
        name: "encoder.conv1.weight".into(),
        shape: conv1_shape.clone(),
        values: conv1,
        kind: Storage::Conv,
    });
    let (conv2_shape, conv2) = model.floats("encoder/conv2/weight")?;
    out.push(Tensor {
        name: "encoder.conv2.weight".into(),
        shape: conv2_shape,
        values: conv2,
        kind: Storage::Conv,
    });
    for conv in ["conv1", "conv2"] {
        let (shape, values) = model.floats(&format!("encoder/{conv}/bias"))?;
        // whisper.cpp keeps conv biases as [n, 1] so they broadcast over time.
        out.push(Tensor {
            name: format!("encoder.{conv}.bias"),
            shape: vec![shape[0], 1],
            values,
            kind: Storage::F32,
        });
    }
    for i in 0..hparams.n_audio_layer {
        let scope = format!("encoder/layer_{i}");
        let name = format!("encoder.blocks.{i}");
        self_attention(&mut out, &scope, &name)?;
        ffn(&mut out, &format!("{scope}/ffn"), &name)?;
    }
    norm(&mut out, "encoder/layer_norm", "encoder.ln_post")?;

    // Decoder.
    out.push(Tensor {
        name: "decoder.positional_embedding".into(),
        shape: dpe_shape,
        values: decoder_pe,
        kind: Storage::F32,
    });
    out.push(Tensor {
        name: "decoder.token_embedding.weight".into(),
        shape: te_shape,
        values: token_embedding,
        kind: Storage::Matrix,
    });
    for i in 0..hparams.n_text_layer {
        let scope = format!("decoder/layer_{i}");
        let name = format!("decoder.blocks.{i}");
        self_attention(&mut out, &scope, &name)?;
        norm(
            &mut out,
            &format!("{scope}/attention/layer_norm"),
            &format!("{name}.cross_attn_ln"),
        )?;
        let (_, qw, qb) = linear(&format!("{scope}/attention/linear_0"))?;
        push_linear(
            &mut out,
            &format!("{name}.cross_attn.query"),
            n,
            n,
            qw,
            Some(qb),
        );
        let (shape, kvw, kvb) = linear(&format!("{scope}/attention/linear_1"))?;
        let mut parts = split(&shape, &kvw, &kvb, 2).into_iter();
        let (Some((kw, _)), Some((vw, vb))) = (parts.next(), parts.next()) else {
            return Err(model.bad(format!("{scope}: fused key|value is not two parts")));
        };
        push_linear(&mut out, &format!("{name}.cross_attn.key"), n, n, kw, None);
        push_linear(
            &mut out,
            &format!("{name}.cross_attn.value"),
            n,
            n,
            vw,
            Some(vb),
        );
        let (_, ow, ob) = linear(&format!("{scope}/attention/linear_2"))?;
        push_linear(
            &mut out,
            &format!("{name}.cross_attn.out"),
            n,
            n,
            ow,
            Some(ob),
        );
        ffn(&mut out, &format!("{scope}/ffn"), &name)?;
    }
    norm(&mut out, "decoder/layer_norm", "decoder.ln")?;
    Ok((hparams, out))
}

#[derive(Clone, Copy, Debug)]
struct Hparams {
    n_vocab: usize,
    n_audio_ctx: usize,
    n_audio_state: usize,
    n_audio_head: usize,
    n_audio_layer: usize,
    n_text_ctx: usize,
    n_text_state: usize,
    n_text_head: usize,
    n_text_layer: usize,
    n_mels: usize,
}

/// GPT-2's byte-to-character table inverted: the vocabulary file spells each byte of a token
/// as a printable character, and whisper.cpp wants the bytes back.
fn gpt2_byte_decoder() -> BTreeMap<char, u8> {
    let mut printable: Vec<u8> = (b'!'..=b'~')
        .chain(0xA1..=0xAC)
        .chain(0xAE..=0xFF)
        .collect();
    let mut chars: Vec<u32> = printable.iter().map(|&b| u32::from(b)).collect();
    let mut extra = 0;
    for b in 0..=255u8 {
        if !printable.contains(&b) {
            printable.push(b);
            chars.push(256 + extra);
            extra += 1;
        }
    }
    printable
        .into_iter()
        .zip(chars)
        .filter_map(|(b, c)| Some((char::from_u32(c)?, b)))
        .collect()
}

/// The regular BPE tokens of `vocabulary.txt` as bytes: every line before the first special
/// token (`<|endoftext|>`); whisper.cpp makes the special ones itself.
fn vocabulary(path: &Path) -> Result<Vec<Vec<u8>>, ConvertError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConvertError::Io {
        path: path.to_owned(),
        source,
    })?;
    let decoder = gpt2_byte_decoder();
    let mut tokens = Vec::new();
    for (line, token) in text.lines().enumerate() {
        if token == "<|endoftext|>" {
            return Ok(tokens);
        }
        let bytes: Option<Vec<u8>> = token.chars().map(|c| decoder.get(&c).copied()).collect();
        let bytes = bytes.ok_or_else(|| ConvertError::BadModel {
            path: path.to_owned(),
            reason: format!("line {}: {token:?} is not GPT-2 byte-encoded", line + 1),
        })?;
        tokens.push(bytes);
    }
    Err(ConvertError::BadModel {
        path: path.to_owned(),
        reason: "no <|endoftext|> token".into(),
    })
}

/// Slaney-style mel filter bank (librosa's default, which Whisper was trained with):
/// `n_mels` triangular filters over the 201 bins of a 400-point FFT at 16 kHz, normalised to
/// constant energy per band.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let hz_to_mel = |hz: f64| -> f64 {
        let f_sp = 200.0 / 3.0;
        let min_log_hz = 1000.0;
        let min_log_mel = min_log_hz / f_sp;
        let logstep = 6.4f64.ln() / 27.0;
        if hz >= min_log_hz {
            min_log_mel + (hz / min_log_hz).ln() / logstep
        } else {
            hz / f_sp
        }
    };
    let mel_to_hz = |mel: f64| -> f64 {
        let f_sp = 200.0 / 3.0;
        let min_log_hz = 1000.0;
        let min_log_mel = min_log_hz / f_sp;
        let logstep = 6.4f64.ln() / 27.0;
        if mel >= min_log_mel {
            min_log_hz * (logstep * (mel - min_log_mel)).exp()
        } else {
            f_sp * mel
        }
    };
    let n_bins = N_FFT / 2 + 1;
    let fft_freqs: Vec<f64> = (0..n_bins)
        .map(|i| i as f64 * SAMPLE_RATE / N_FFT as f64)
        .collect();
    let max_mel = hz_to_mel(SAMPLE_RATE / 2.0);
    let mel_points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(max_mel * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut filters = vec![0f32; n_mels * n_bins];
    for m in 0..n_mels {
        let (lower, center, upper) = (mel_points[m], mel_points[m + 1], mel_points[m + 2]);
        let norm = 2.0 / (upper - lower);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let rising = (f - lower) / (center - lower);
            let falling = (upper - f) / (upper - center);
            filters[m * n_bins + k] = (rising.min(falling).max(0.0) * norm) as f32;
        }
    }
    filters
}

/// Quantizes one row to q8_0 blocks exactly as ggml's reference quantizer does (scale
/// `max|x| / 127` stored as f16, values `round(x / scale)`), so the result matches what
/// whisper.cpp's own `quantize` tool would write.
fn quantize_q8_0(row: &[f32], out: &mut Vec<u8>) {
    for block in row.chunks(Q8_0_BLOCK) {
        let amax = block.iter().fold(0f32, |m, &x| m.max(x.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        for &x in block {
            out.push((x * id).round() as i8 as u8);
        }
    }
}

/// Converts the CTranslate2 Whisper model in `model_dir` (`model.bin`, `vocabulary.txt`) to
/// a ggml file at `output`.
pub fn convert(
    model_dir: &Path,
    output: &Path,
    quantization: Quantization,
) -> Result<ConvertReport, ConvertError> {
    let model = Ct2Model::load(&model_dir.join("model.bin"))?;
    let tokens = vocabulary(&model_dir.join("vocabulary.txt"))?;
    let (hparams, tensors) = tensors(&model)?;
    if quantization == Quantization::Q8_0 {
        for t in tensors.iter().filter(|t| t.kind == Storage::Matrix) {
            if t.shape[t.shape.len() - 1] % Q8_0_BLOCK != 0 {
                return Err(model.bad(format!(
                    "{} rows are not a multiple of 32 and cannot be q8_0",
                    t.name
                )));
            }
        }
    }
    let io = |source| ConvertError::Io {
        path: output.to_owned(),
        source,
    };
    // Write to a temporary file and rename, so that an interrupted conversion never leaves a
    // truncated model where a good one is expected.
    let partial = output.with_extension("partial");
    let file = std::fs::File::create(&partial).map_err(io)?;
    let mut w = BufWriter::new(file);
    let put = |w: &mut BufWriter<std::fs::File>, value: i32| w.write_all(&value.to_le_bytes());
    put(&mut w, GGML_MAGIC as i32).map_err(io)?;
    for value in [
        hparams.n_vocab,
        hparams.n_audio_ctx,
        hparams.n_audio_state,
        hparams.n_audio_head,
        hparams.n_audio_layer,
        hparams.n_text_ctx,
        hparams.n_text_state,
        hparams.n_text_head,
        hparams.n_text_layer,
        hparams.n_mels,
    ] {
        put(&mut w, value as i32).map_err(io)?;
    }
    put(
        &mut w,
        match quantization {
            Quantization::F16 => FTYPE_F16,
            Quantization::Q8_0 => FTYPE_Q8_0,
        },
    )
    .map_err(io)?;

    let filters = mel_filters(hparams.n_mels);
    put(&mut w, hparams.n_mels as i32).map_err(io)?;
    put(&mut w, (N_FFT / 2 + 1) as i32).map_err(io)?;
    for f in &filters {
        w.write_all(&f.to_le_bytes()).map_err(io)?;
    }

    put(&mut w, tokens.len() as i32).map_err(io)?;
    for token in &tokens {
        put(&mut w, token.len() as i32).map_err(io)?;
        w.write_all(token).map_err(io)?;
    }

    let mut buffer = Vec::new();
    for t in &tensors {
        let ttype = match (t.kind, quantization) {
            (Storage::F32, _) => GGML_TYPE_F32,
            (Storage::Conv, _) | (Storage::Matrix, Quantization::F16) => GGML_TYPE_F16,
            (Storage::Matrix, Quantization::Q8_0) => GGML_TYPE_Q8_0,
        };
        put(&mut w, t.shape.len() as i32).map_err(io)?;
        put(&mut w, t.name.len() as i32).map_err(io)?;
        put(&mut w, ttype).map_err(io)?;
        // ggml lists dimensions innermost first.
        for &dim in t.shape.iter().rev() {
            put(&mut w, dim as i32).map_err(io)?;
        }
        w.write_all(t.name.as_bytes()).map_err(io)?;
        buffer.clear();
        match ttype {
            GGML_TYPE_F32 => t
                .values
                .iter()
                .for_each(|v| buffer.extend_from_slice(&v.to_le_bytes())),
            GGML_TYPE_F16 => t
                .values
                .iter()
                .for_each(|v| buffer.extend_from_slice(&f16::from_f32(*v).to_le_bytes())),
            _ => {
                let width = t.shape[t.shape.len() - 1];
                t.values
                    .chunks(width)
                    .for_each(|row| quantize_q8_0(row, &mut buffer));
            }
        }
        w.write_all(&buffer).map_err(io)?;
    }
    w.flush().map_err(io)?;
    drop(w);
    std::fs::rename(&partial, output).map_err(io)?;
    let bytes = std::fs::metadata(output).map_err(io)?.len();
    Ok(ConvertReport {
        tensors: tensors.len(),
        n_vocab: hparams.n_vocab,
        layers: (hparams.n_audio_layer, hparams.n_text_layer),
        n_state: hparams.n_text_state,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_decoder_covers_every_byte_once() {
        let decoder = gpt2_byte_decoder();
        assert_eq!(decoder.len(), 256);
        assert_eq!(decoder[&'Ġ'], b' ');
        assert_eq!(decoder[&'Ċ'], b'\n');
        assert_eq!(decoder[&'a'], b'a');
    }

    #[test]
    fn mel_filters_match_librosa() {
        // Whisper's own filters (librosa.filters.mel(sr=16000, n_fft=400, n_mels=80)) start
        // 0.0248626 at filter 0, bin 1; filter 1 peaks lower at bin 2.
        let f = mel_filters(80);
        let at = |m: usize, k: usize| f[m * 201 + k];
        assert!((at(0, 1) - 0.024_862_594).abs() < 1e-7, "{}", at(0, 1));
        assert!((at(1, 2) - 0.022_871_772).abs() < 1e-7, "{}", at(1, 2));
        assert!((at(79, 200) - 0.0).abs() < 1e-9);
        assert!(f.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn q8_0_blocks_hold_a_scale_and_32_bytes() {
        let row: Vec<f32> = (0..64).map(|i| i as f32 - 32.0).collect();
        let mut out = Vec::new();
        quantize_q8_0(&row, &mut out);
        assert_eq!(out.len(), 2 * 34);
        let d = f16::from_le_bytes([out[0], out[1]]).to_f32();
        assert!((d - 32.0 / 127.0).abs() < 1e-3);
        assert_eq!(out[2] as i8, -127);
    }

    #[test]
    fn damaged_models_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.bin"), [6, 0, 0, 0, 3, 0]).unwrap();
        std::fs::write(dir.path().join("vocabulary.txt"), "a\n<|endoftext|>\n").unwrap();
        let err = convert(dir.path(), &dir.path().join("out.bin"), Quantization::F16).unwrap_err();
        assert!(
            err.to_string().contains("truncated at byte 6 of 6"),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("fetch it again with scripts/setup.sh"),
            "{err}"
        );
        assert!(!dir.path().join("out.bin").exists());
    }
}
