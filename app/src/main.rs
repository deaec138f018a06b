//! The `cockpit` binary: thin glue from the command line to the crates.
//!
//! # Layout
//! - `cli`: the command line as typed.
//! - `car`: flags to car definition, drive and buses.
//! - `demo`: `cockpit demo --requests`, scripted requests on the vehicle layer alone.
//! - `voice_demo`: `cockpit demo`, the bundled voice session through the whole pipeline.
//! - `can_cmd`: `cockpit can decode | replay | record`.
//! - `sim_cmd`: `cockpit sim`.
//! - `set_cmd`: `cockpit set`.
//! - `signals_cmd`: `cockpit signals`.
//! - `speech_cmd`: `cockpit transcribe | speak | hear | devices`, `cockpit models convert`.
//! - `run_cmd`: `cockpit run`, live, with `settings` (its TOML file and flags).
//! - `say_cmd`: `cockpit say`, text through the agent and the simulated car.
//! - `eval_cmd`: `cockpit eval`, the language model on a labelled set.
//! - `replay_cmd`: `cockpit replay`, a recorded session on the bench, with its report.
//! - `recorder`: the bus log of a recorded session.
//! - `listen_cmd`: `cockpit listen`, a recording through the whole pipeline.
//! - `ui_cmd`: `cockpit ui`, the dashboard.
//! - `output`: stdout that ends quietly at a closed pipe.

#[macro_use]
mod output;

mod can_cmd;
mod can_csv;
mod car;
mod cli;
mod demo;
mod eval_cmd;
mod interrupt;
mod listen_cmd;
mod recorder;
mod replay_cmd;
mod run_cmd;
mod say_cmd;
mod set_cmd;
mod settings;
mod signals_cmd;
mod sim_cmd;
mod speech_cmd;
mod spoken_cmd;
mod ui_cmd;
mod voice_demo;

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::cli::{CanCommand, Cli, Command, ModelsCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// Builds the runtime each command needs and runs it. `--fast` commands run on a simulated
/// clock that jumps ahead whenever every task waits, so a 45-second drive takes a moment.
fn run(cli: Cli) -> Result<ExitCode> {
    // The dashboard's event loop owns the main thread; these build their own runtime beside it.
    if let Command::Ui(args) = &cli.command {
        return ui_cmd::run(args).map(|()| ExitCode::SUCCESS);
    }
    if let Command::Run(args) = &cli.command {
        return run_cmd::run(args).map(|()| ExitCode::SUCCESS);
    }
    if let Command::Record(args) = &cli.command {
        let run = args.to_run().map_err(anyhow::Error::msg)?;
        return run_cmd::run(&run).map(|()| ExitCode::SUCCESS);
    }
    // A batch of replays gives each session a runtime (and simulated clock) of its own.
    if let Command::Replay(args) = &cli.command
        && !args.sessions.is_empty()
    {
        return replay_cmd::batch(args).map(|()| ExitCode::SUCCESS);
    }
    let fast = match &cli.command {
        Command::Demo(args) => args.fast,
        Command::Sim(args) => args.fast,
        // The simulated car answers on a simulated clock: a window that takes four seconds
        // to close is confirmed at once.
        Command::Say(_) => true,
        // `--speed max` replays on a simulated clock, keeping the audio and the log in step.
        Command::Replay(args) => args.speed == crate::cli::Speed::Max,
        _ => false,
    };
    let runtime = if fast {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
    };
    runtime.block_on(async {
        match cli.command {
            Command::Demo(args) if args.requests => {
                demo::run(&args).await.map(|()| ExitCode::SUCCESS)
            }
            Command::Demo(args) => voice_demo::run(&args).await.map(|()| ExitCode::SUCCESS),
            Command::Can(CanCommand::Decode(args)) => {
                can_cmd::decode(&args).map(|()| ExitCode::SUCCESS)
            }
            Command::Can(CanCommand::Replay(args)) => {
                can_cmd::replay(&args).await.map(|()| ExitCode::SUCCESS)
            }
            Command::Can(CanCommand::Record(args)) => {
                can_cmd::record(&args).await.map(|()| ExitCode::SUCCESS)
            }
            Command::Sim(args) => sim_cmd::run(&args).await.map(|()| ExitCode::SUCCESS),
            Command::Set(args) => set_cmd::run(&args).await,
            Command::Signals(args) => signals_cmd::run(&args).map(|()| ExitCode::SUCCESS),
            Command::Transcribe(args) => speech_cmd::transcribe(&args).map(|()| ExitCode::SUCCESS),
            Command::Models(ModelsCommand::Convert(args)) => {
                speech_cmd::convert(&args).map(|()| ExitCode::SUCCESS)
            }
            Command::Speak(args) => speech_cmd::speak(&args).map(|()| ExitCode::SUCCESS),
            Command::Hear(args) => speech_cmd::hear(&args).map(|()| ExitCode::SUCCESS),
            Command::Devices => speech_cmd::devices().map(|()| ExitCode::SUCCESS),
            Command::Say(args) => say_cmd::run(&args).await.map(|()| ExitCode::SUCCESS),
            Command::Eval(args) => eval_cmd::run(&args).map(|()| ExitCode::SUCCESS),
            Command::Spoken(args) => spoken_cmd::run(&args).map(|()| ExitCode::SUCCESS),
            Command::Listen(args) => listen_cmd::run(&args).await.map(|()| ExitCode::SUCCESS),
            Command::Replay(args) => replay_cmd::run(&args).await.map(|()| ExitCode::SUCCESS),
            // Run above, before this runtime starts.
            Command::Ui(_) | Command::Run(_) | Command::Record(_) => Ok(ExitCode::SUCCESS),
        }
    })
}
