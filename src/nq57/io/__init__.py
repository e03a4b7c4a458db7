"""Files in and out: bytes, decoding, YAML with positions, the parse cache, lock, atomic writes."""
