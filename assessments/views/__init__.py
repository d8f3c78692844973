"""Assessment pages, one module per part of the year; each module lists its own URLs."""
