use std::process::ExitCode;

fn main() -> ExitCode {
    match actionplan::cli::parse() {
        Ok(cli) => actionplan::cli::main(cli),
        Err(code) => code,
    }
}
