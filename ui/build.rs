fn main() {
    // Debug info keeps element ids and accessible labels in the compiled UI, which is what the
    // tests (and screen readers) find controls by.
    let config = slint_build::CompilerConfiguration::new().with_debug_info(true);
    if let Err(error) = slint_build::compile_with_config("slint/dashboard.slint", config) {
        panic!("ui/slint/dashboard.slint does not compile: {error}");
    }
}
