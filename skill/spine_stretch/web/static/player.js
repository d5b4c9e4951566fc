// Plays a reply as a device would: speech through the browser's speechSynthesis, rendered
// audio files through the page's <audio>, SSML breaks as silences. Without a voice (or with
// speaking switched off) speech takes the time the skill itself estimates for it, so the step
// card still follows along. Anything new the user says stops the reply, as Alexa does.

// The skill's own speaking pace: core/speech.py WORDS_PER_SECOND (a test keeps them equal).
export const WORDS_PER_SECOND = 2.7;

const readingMs = (text) => (text.split(/\s+/).filter(Boolean).length / WORDS_PER_SECOND) * 1000;
const sentences = (text) => (text.match(/[^.!?]+[.!?]*/g) ?? []).map((s) => s.trim())
  .filter(Boolean);

// Resolves after `ms`, or at once when the reply is stopped.
function wait(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, {once: true});
  });
}

export class Player {
  constructor(audio) {
    this.audio = audio;
    this.speaking = true;
    this.abort = new AbortController();
  }

  get hasVoice() {
    return (globalThis.speechSynthesis?.getVoices().length ?? 0) > 0;
  }

  stop() {
    this.abort.abort();
    globalThis.speechSynthesis?.cancel();
    this.audio.pause();
  }

  // Plays the chunks in order; `follow` hears {kind: "speech"|"audio", silences} as each
  // sound starts (after that many silences), {kind: "silence", index, ms} as each silence
  // starts, and {kind: "end"} when the reply has played to its end. Resolves to true when it
  // did, false when it was stopped first.
  async play(chunks, follow) {
    this.stop();
    const abort = new AbortController();
    this.abort = abort;
    let silences = 0;
    for (const chunk of chunks) {
      if (abort.signal.aborted) return false;
      if (chunk.kind === "silence") {
        follow({kind: "silence", index: silences, ms: chunk.ms});
        await wait(chunk.ms, abort.signal);
        silences += 1;
        continue;
      }
      follow({kind: chunk.kind, silences});
      if (chunk.kind === "audio") {
        // A block of recorded speech carries its silences and sentences inside: they are
        // followed at the offsets the block's index gives, as Alexa's voice would be.
        const marks = blockMarks(chunk.timing, silences, follow);
        silences += chunk.timing?.pauses.length ?? 0;
        await this.playFile(chunk.src, abort.signal, marks);
      } else {
        await this.speak(chunk.text, abort.signal);
      }
    }
    if (abort.signal.aborted) return false;
    follow({kind: "end"});
    return true;
  }

  async speak(text, signal) {
    if (!this.speaking || !this.hasVoice) {
      await wait(readingMs(text), signal);
      return;
    }
    // Sentence by sentence, so stopping is immediate and long text never hits a voice's limit.
    for (const sentence of sentences(text)) {
      if (signal.aborted) return;
      await this.utter(sentence, signal);
    }
  }

  utter(sentence, signal) {
    return new Promise((resolve) => {
      const utterance = new SpeechSynthesisUtterance(sentence);
      utterance.lang = "en-US";
      const done = () => {
        clearTimeout(guard);
        signal.removeEventListener("abort", done);
        resolve();
      };
      utterance.onend = done;
      utterance.onerror = done;
      signal.addEventListener("abort", done, {once: true});
      // A voice that never reports its end must not stall the reply.
      const guard = setTimeout(done, readingMs(sentence) * 3 + 2000);
      speechSynthesis.speak(utterance);
    });
  }

  // Plays a file; each of `marks` ([seconds, callback]) is called that far into it.
  playFile(src, signal, marks = []) {
    return new Promise((resolve) => {
      const audio = this.audio;
      let timers = [];
      const schedule = () => {
        if (timers.length) return;
        timers = marks.map(([offset, call]) => setTimeout(call, offset * 1000));
      };
      const done = () => {
        timers.forEach(clearTimeout);
        audio.removeEventListener("playing", schedule);
        audio.removeEventListener("ended", done);
        audio.removeEventListener("error", done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      audio.addEventListener("playing", schedule);
      audio.addEventListener("ended", done);
      audio.addEventListener("error", done);
      signal.addEventListener("abort", done, {once: true});
      audio.muted = !this.speaking; // muted still plays, so the timing stays real
      audio.src = src;
      audio.play().catch(done);
    });
  }
}

// [seconds, callback] for each silence ([offset, ms]) and sentence ([offset, text]) of a block, the
// silences numbered on from `first`, each sentence after the silences before it.
function blockMarks(timing, first, follow) {
  if (!timing) return [];
  const marks = timing.pauses.map(([offset, ms], i) => [offset,
    () => follow({kind: "silence", index: first + i, ms})]);
  for (const [offset] of timing.sounds) {
    const before = timing.pauses.filter(([at]) => at < offset).length;
    marks.push([offset, () => follow({kind: "audio", silences: first + before})]);
  }
  return marks;
}
