"""Downloader middlewares: address guard (no private targets) and a loop-aware redirect middleware."""
