"""Spiders: `news`, the one generic spider driven by seeds/."""
