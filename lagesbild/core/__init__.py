"""Pure analytics: DataFrames in, DataFrames out (no I/O, no Dash)."""
