"""Pre-rendered audio: plan (pure) -> synthesize (engines) -> post (pydub) -> manifest."""
