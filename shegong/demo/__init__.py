"""Demo data built from the seeds, loaded by `shegong seed-demo` (demo only, never production)."""
