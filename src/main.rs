fn main() -> std::process::ExitCode {
    scopeform::run()
}
