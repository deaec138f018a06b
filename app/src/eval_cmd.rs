//! `cockpit eval`: the language model on a labelled set, by category, with latency.

use std::collections::BTreeMap;
use std::io::BufRead;

use anyhow::{Context as _, Result, bail};
use cockpit_agent::agent::foreign::is_foreign;
use cockpit_agent::agent::{Settled, WordRules, read_planned};
use cockpit_agent::lm::{Context, Engine, Language, model_dir};
use serde::Deserialize;
use serde_json::json;
use vehicle::Seat;

use crate::cli::EvalArgs;

#[derive(Deserialize)]
struct Example {
    utterance: String,
    plan: String,
    #[serde(default)]
    context: Option<ExampleContext>,
    #[serde(default)]
    category: Option<String>,
}

#[derive(Deserialize, Default)]
struct ExampleContext {
    seat: Option<String>,
    speed: Option<String>,
    gear: Option<String>,
    screen: Option<String>,
    card: Option<String>,
    prev: Option<String>,
}

#[derive(Default)]
struct Tally {
    total: usize,
    right: usize,
}

pub fn run(args: &EvalArgs) -> Result<()> {
    let catalog = vehicle::reference::catalog();
    let language = Language::reference(&catalog)?;
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let mut examples = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("{}: cannot read line {}", args.file.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let example: Example = serde_json::from_str(&line).with_context(|| {
            format!(
                "{}:{}: not a labelled example (needs utterance and plan)",
                args.file.display(),
                n + 1
            )
        })?;
        if let Err(e) = language.parse_plan(&example.plan) {
            bail!("{}:{}: {e}", args.file.display(), n + 1);
        }
        examples.push(example);
    }
    if examples.is_empty() {
        bail!("{} holds no examples", args.file.display());
    }
    let dir = args.model.clone().unwrap_or_else(model_dir);
    let rss_before = memory_kib("VmRSS");
    let mut engine = Engine::load(&dir, language.clone(), args.threads)?;
    let rss_loaded = memory_kib("VmRSS");
    let threshold = engine.spec().confidence_threshold;

    let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
    let mut negatives = Tally::default();
    let mut overall = Tally::default();
    let mut latencies = Vec::with_capacity(examples.len());
    let mut contexts = Vec::with_capacity(examples.len());
    let mut plans = Vec::with_capacity(examples.len());
    // The model's plans with only its confidence threshold, beside the agent's.
    let mut model_alone = Tally::default();
    let mut model_alone_negatives = Tally::default();
    // Requests the agent refuses as not English before the model sees them.
    let mut foreign = 0usize;
    let rules = WordRules {
        language: &language,
        catalog: &catalog,
        threshold,
    };
    for example in &examples {
        let c = example.context.as_ref();
        let default = Context::default();
        let pick = |v: Option<&Option<String>>, d: &str| {
            v.and_then(|x| x.clone()).unwrap_or_else(|| d.to_owned())
        };
        let context = Context {
            seat: pick(c.map(|c| &c.seat), &default.seat),
            speed: pick(c.map(|c| &c.speed), &default.speed),
            gear: pick(c.map(|c| &c.gear), &default.gear),
            screen: pick(c.map(|c| &c.screen), &default.screen),
            card: pick(c.map(|c| &c.card), &default.card),
            prev: pick(c.map(|c| &c.prev), &default.prev),
        };
        let decoded = engine.plan(&example.utterance, &context)?;
        plans.push(decoded.plan.clone());
        let model_plan = if decoded.confidence < threshold {
            "none".to_owned()
        } else {
            decoded.plan.to_string()
        };
        model_alone.total += 1;
        model_alone.right += usize::from(model_plan == example.plan);
        if example.plan == "none" {
            model_alone_negatives.total += 1;
            model_alone_negatives.right += usize::from(model_plan == "none");
        }
        // The plan the agent would act on: nothing for a request in another language, nor
        // for a plan it would ask about; otherwise the plan as the words settle it. The car's
        // current values are not known here, so "close the window halfway" counts as closing
        // only where the words say so.
        let seat: Seat = context.seat.parse().unwrap_or(Seat::Driver);
        // The latency is the agent's, from text to the plan it acts on or asks about.
        let plan = if is_foreign(&example.utterance) {
            foreign += 1;
            "none".to_owned()
        } else {
            // The model's plan above serves where the agent gives it the same words.
            let for_the_model = WordRules::for_the_model(&example.utterance);
            let planned = if for_the_model == example.utterance.as_str() {
                decoded.clone()
            } else {
                engine.plan(&for_the_model, &context)?
            };
            let (read, settled) = read_planned(
                &mut engine,
                &rules,
                planned,
                &example.utterance,
                seat,
                &context,
                |_| None,
            )?;
            latencies.push(read.ms);
            match settled {
                Settled::Act => read.plan.to_string(),
                Settled::Ask => "none".to_owned(),
            }
        };
        let right = plan == example.plan;
        let category = example
            .category
            .clone()
            .unwrap_or_else(|| category_of(&example.plan));
        for tally in [by_category.entry(category).or_default(), &mut overall] {
            tally.total += 1;
            tally.right += usize::from(right);
        }
        if example.plan == "none" {
            negatives.total += 1;
            negatives.right += usize::from(plan == "none");
        }
        if args.errors && !right {
            outln!(
                "  miss: {:?} [prev {}, card {}] want {:?} got {:?} (model: {:?}, {:.2})",
                example.utterance,
                context.prev,
                context.card,
                example.plan,
                plan,
                decoded.plan.to_string(),
                decoded.confidence
            );
        }
        contexts.push(context);
    }
    // The baseline: the same model and examples, decoding without the KV cache.
    let baseline = if args.baseline {
        let mut uncached =
            Engine::load(&dir, Language::reference(&catalog)?, args.threads)?.without_cache();
        let mut times = Vec::with_capacity(examples.len());
        let mut same = 0usize;
        for ((example, context), plan) in examples.iter().zip(&contexts).zip(&plans) {
            let decoded = uncached.plan(&example.utterance, context)?;
            // int8 activations are quantized per call, so a whole sequence and one token at a
            // time can round differently; count how often that changes the plan.
            same += usize::from(&decoded.plan == plan);
            times.push(decoded.ms);
        }
        times.sort_by(f64::total_cmp);
        Some((times, same))
    } else {
        None
    };
    latencies.sort_by(f64::total_cmp);
    // No latency where every request was refused as not English.
    let pct = |q: f64| {
        let rank = (q / 100.0 * latencies.len() as f64).ceil() as usize;
        latencies.get(rank.max(1) - 1).copied().unwrap_or(f64::NAN)
    };
    let share = |t: &Tally| 100.0 * t.right as f64 / t.total.max(1) as f64;
    let peak = memory_kib("VmHWM");
    if args.json {
        outln!(
            "{}",
            json!({
                "examples": overall.total,
                "exact": share(&overall),
                "negatives_do_nothing": share(&negatives),
                "not_english": foreign,
                "model_alone": { "exact": share(&model_alone), "negatives_do_nothing": share(&model_alone_negatives) },
                "categories": by_category.iter().map(|(k, t)| (k.clone(), json!({"examples": t.total, "exact": share(t)}))).collect::<BTreeMap<_, _>>(),
                "latency_ms": { "p50": pct(50.0), "p95": pct(95.0), "p99": pct(99.0), "max": pct(100.0) },
                "load_ms": engine.load_ms,
                "memory_kib": { "model": rss_loaded.zip(rss_before).map(|(a, b)| a.saturating_sub(b)), "peak": peak },
                "threads": args.threads,
            })
        );
        return Ok(());
    }
    outln!(
        "{} on {} ({} examples, {} thread(s))",
        engine.spec().name,
        args.file.display(),
        overall.total,
        args.threads
    );
    for (category, t) in &by_category {
        outln!("  {category:24} {:6.2} %  of {}", share(t), t.total);
    }
    outln!(
        "exact plan match       {:6.2} %  of {}",
        share(&overall),
        overall.total
    );
    outln!(
        "negatives do nothing   {:6.2} %  of {}",
        share(&negatives),
        negatives.total
    );
    outln!(
        "the model alone        {:6.2} %, negatives {:.2} %  (its confidence threshold only: no word rules, no language check)",
        share(&model_alone),
        share(&model_alone_negatives)
    );
    outln!("not English            {foreign} refused before the model");
    outln!(
        "latency text → plan    p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(50.0),
        pct(95.0),
        pct(99.0),
        pct(100.0)
    );
    if let Some((times, same)) = &baseline {
        let at = |q: f64| {
            times[((q / 100.0 * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1]
        };
        outln!(
            "without KV cache       p50 {:.2} ms, p95 {:.2} ms: the cache is {:.1}x faster at p50, {:.1}x at p95 ({same} of {} plans identical)",
            at(50.0),
            at(95.0),
            at(50.0) / pct(50.0),
            at(95.0) / pct(95.0),
            times.len()
        );
    }
    outln!(
        "load {:.0} ms; memory: model {} MiB, peak {} MiB",
        engine.load_ms,
        rss_loaded
            .zip(rss_before)
            .map_or("?".into(), |(a, b)| format!(
                "{:.1}",
                a.saturating_sub(b) as f64 / 1024.0
            )),
        peak.map_or("?".into(), |p| format!("{:.1}", p as f64 / 1024.0))
    );
    Ok(())
}

/// A plan's category: its first function, or its one word.
fn category_of(plan: &str) -> String {
    let words: Vec<&str> = plan.split_whitespace().collect();
    match words.as_slice() {
        [head, function, ..] if plan.contains(" ; ") => {
            format!("multi ({head} {function}…)").replace(&format!(" {function}…"), "")
        }
        [head, function, ..] => format!("{head} {function}"),
        [word] => (*word).to_owned(),
        _ => "?".into(),
    }
}

/// A line of /proc/self/status in KiB (Linux only).
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
