"""Network safety: forbidden addresses, the guarded DNS resolver, and failure reason codes."""
