"""practice-tui: run a medical massage practice from the terminal."""

__version__ = "0.1.0"
