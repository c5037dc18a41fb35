// Planning a Premium registry allocates and frees millions of small values; glibc's malloc
// spent a third of a 50k plan's time in its free lists (perf), mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    scopeform::run()
}
