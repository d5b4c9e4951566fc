"""The Alexa edge: request envelopes in, engine events through, response envelopes out."""
