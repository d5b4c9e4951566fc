// The page's side of a conversation. The server resolves what was said (the same matcher as
// `spine-stretch chat`) and builds every request envelope (alexa/envelopes.Conversation);
// the page keeps only what Alexa keeps between turns, the session id and attributes, and
// posts each envelope to /alexa like any other client. Its AudioPlayer's reports go the same way.

async function postJson(url, body) {
  const reply = await fetch(url, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  let data = null;
  try {
    data = await reply.json();
  } catch {
    // Not JSON: reported below with the status.
  }
  if (!reply.ok || data === null) throw new Error(data?.error ?? `${url} answered ${reply.status}`);
  return data;
}

export class Session {
  constructor() {
    this.current = null; // {id, attributes} while a session is open
  }

  get open() {
    return this.current !== null;
  }

  // {launch, intent, slots, resolved, opened}: what Alexa would send for the text.
  // Inside a session, "start spine stretch" starts the exercise rather than reopening the skill.
  resolve(text) {
    return postJson("/simulator/resolve", {text, in_session: this.open});
  }

  // One turn: `turn` is {launch: true} or {intent, slots, resolved}; `fresh` starts a new session
  // (the user opened the skill again); `player` is the AudioPlayer's context (null: it never
  // played). Returns the envelope sent and the skill's response.
  async send(turn, {screen, player, fresh = false}) {
    if (fresh) this.current = null;
    const {envelope} = await postJson("/simulator/envelope",
      {...turn, screen, player, session: this.current});
    const response = await postJson("/alexa", envelope);
    this.absorb(envelope, response);
    return {envelope, response};
  }

  // An AudioPlayer event ("AudioPlayer.PlaybackStopped" ...) about `player`: outside any
  // session, as a device sends it. Returns the envelope sent and the skill's response.
  async report(kind, {screen, player, error}) {
    const {envelope} = await postJson("/simulator/envelope",
      {event: kind, screen, player, error});
    const response = await postJson("/alexa", envelope);
    return {envelope, response};
  }

  // As Conversation.absorb: carry the session attributes forward, or close the session.
  absorb(envelope, response) {
    if (response.response?.shouldEndSession !== false) {
      this.current = null;
    } else {
      this.current = {id: envelope.session.sessionId,
                      attributes: response.sessionAttributes ?? {}};
    }
  }
}
