"""The interaction model: its source in content, the models generated per locale, and the
local matcher that `chat` and the simulator page use in place of Alexa's NLU."""
