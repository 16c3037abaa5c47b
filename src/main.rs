//! The `policygraph` command line. Each subcommand lives in `src/cmd/`.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turn Chinese government policy bulletins into a knowledge graph of policy
/// events: who launched which policy, where, when, with how much money, and
/// which province copied which.
#[derive(Debug, Parser)]
#[command(name = "policygraph", version, propagate_version = true)]
#[command(
    after_help = "Run `policygraph build` with no arguments to build the bundled sample corpus into output/.\n\
Exit codes: 0 all inputs read; 1 some inputs skipped (named on stderr); 2 nothing usable, or a usage, dictionary or output error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(cmd::build::Args),
    Diffusion(cmd::diffusion::Args),
    Eval(cmd::eval::Args),
    Synth(cmd::synth::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                cmd::EXIT_FAILURE as u8
            } else {
                0
            });
        }
    };
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Diffusion(args) => cmd::diffusion::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Synth(args) => cmd::synth::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("policygraph: error: {}", message(&e));
            ExitCode::from(cmd::EXIT_FAILURE as u8)
        }
    }
}

/// The error and its causes joined with ": " (as `{:#}` does), each said
/// once: an error that shows its source in its own message (the
/// `thiserror` types here do) would otherwise repeat it.
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}
