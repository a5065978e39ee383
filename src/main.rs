use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = actionplan::cli::Cli::parse();
    actionplan::cli::main(cli)
}
