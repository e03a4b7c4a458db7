"""Reading: bytes, decoding, YAML in both modes with positions, the parse cache, atomic writes."""
