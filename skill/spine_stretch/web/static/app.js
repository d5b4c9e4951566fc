// Wires the simulator page: what you type, say or press becomes one turn with the skill; the
// reply is logged, played, and drawn on the step card; its AudioPlayer directives play the
// cool-down track.
import {StepCard} from "./card.js";
import {Player} from "./player.js";
import {Session} from "./session.js";
import {chunks} from "./ssml.js";
import {TrackPlayer} from "./track.js";

const RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument";
const $ = (id) => document.getElementById(id);

const session = new Session();
const card = new StepCard($("card"));
const player = new Player($("prompt-audio"));
const log = $("log");
const input = $("say");
let turns = Promise.resolve(); // one turn at a time, in the order they were asked

// Runs `task` after every turn and report asked for before it.
function queue(task) {
  turns = turns.then(task).catch((error) => note(`Error: ${error.message}`, "error"));
  return turns;
}

const track = new TrackPlayer($("cooldown"), {
  queue,
  async report(kind, context, error) {
    await session.report(kind, {screen: $("screen").checked, player: context, error});
    note(`${kind} at ${(context.offsetInMilliseconds / 1000).toFixed(1)} s`, "device");
  },
});

// What each recorded file says (GET /simulator/clips), so a recorded reply reads as words.
// Blocks of speech are assembled on first use, so a file not yet listed asks again.
// Blocks also say where their silences fall, so the step card keeps time with them.
let clipWords = null;
let blockTiming = new Map();
async function wordsOfClips(parts = []) {
  const fetchWords = () => fetch("/simulator/clips").then((reply) => reply.json())
    .then((data) => {
      blockTiming = new Map(Object.entries(data.blocks ?? {}));
      return new Map(Object.entries(data.clips));
    }, () => new Map());
  clipWords ??= fetchWords();
  const known = await clipWords;
  const unknown = parts.some((part) => part.kind === "audio" && !part.text
    && !known.has(fileName(part.src)));
  if (unknown) clipWords = fetchWords();
  const words = await clipWords;
  for (const part of parts) {
    if (part.kind === "audio") part.timing = blockTiming.get(fileName(part.src));
  }
  return words;
}
const fileName = (src) => decodeURIComponent(new URL(src, location.href).pathname.split("/")
  .pop());

function entry(kind, who, ...content) {
  const item = document.createElement("li");
  item.className = kind;
  if (who) {
    const name = document.createElement("span");
    name.className = "who";
    name.textContent = who;
    item.append(name);
  }
  item.append(...content);
  log.append(item);
  log.scrollTop = log.scrollHeight;
  return item;
}

const note = (text, kind = "system") => entry(kind, "", text);

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function heardAs(turn) {
  if (turn.launch) return "LaunchRequest";
  const slots = Object.entries(turn.slots ?? {}).filter(([, value]) => value !== null)
    .map(([name, value]) => `${name}=${value}`);
  return slots.length ? `${turn.intent} (${slots.join(", ")})` : turn.intent;
}

// The reply as text: speech as written, silences as [n s], audio files by their words (or
// their name, for a file the audio folder does not list).
function replyText(parts, words) {
  const text = document.createElement("p");
  for (const part of parts) {
    if (part.kind === "speech") text.append(`${part.text} `);
    else if (part.kind === "silence") text.append(span("pause", `[${part.ms / 1000} s]`), " ");
    else {
      const file = fileName(part.src);
      const said = part.text || words.get(file);
      const clip = span("audio", said || `♪ ${file}`);
      clip.title = `Recorded: ${file}`;
      text.append(clip, " ");
    }
  }
  return text;
}

async function exchange(turn, fresh = false) {
  const screen = $("screen").checked;
  const {envelope, response} = await session.send(turn, {screen, fresh, player: track.context});
  $("last-request").textContent = JSON.stringify(envelope, null, 2);
  $("last-response").textContent = JSON.stringify(response, null, 2);
  const body = response.response ?? {};
  const directives = body.directives ?? [];
  const parts = chunks(body.outputSpeech?.ssml ?? "");
  if (parts.length) entry("coach", "Coach", replyText(parts, await wordsOfClips(parts)));
  const directive = directives.find((d) => d.type === RENDER_DOCUMENT);
  if (directive) card.show(directive.datasources.stepCard);
  else if (!screen) card.show(null);
  else card.rest();
  const playerDirectives = directives.filter((d) => d.type.startsWith("AudioPlayer."));
  if (!session.open && !playerDirectives.length) {
    note("The session ended. Say “start spine stretch” to begin again.");
  }
  // A conversation takes the device's sound over, as on an Echo: a playing track stops.
  if (session.open) await track.stop();
  const played = player.play(parts, (event) => card.follow(event));
  // As on a device, the player acts once the speech is over; something said first cancels it.
  if (playerDirectives.length && await played) await track.execute(playerDirectives);
}

// Queues a turn; anything said stops the reply that is playing, as it would on a device.
function take(turn) {
  player.stop();
  return queue(turn);
}

function youSaid(text, heard) {
  const quote = document.createElement("q");
  quote.textContent = text;
  const item = entry("you", "You", quote);
  if (heard) item.append(" ", span("heard", `→ ${heard}`));
  return item;
}

function sayText(text) {
  const said = youSaid(text, "");
  return take(async () => {
    const resolution = await session.resolve(text);
    const turn = resolution.launch ? {launch: true}
      : {intent: resolution.intent, slots: resolution.slots, resolved: resolution.resolved};
    said.append(" ", span("heard", `→ ${heardAs(turn)}`));
    await exchange(turn, resolution.opened);
  });
}

$("say-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  sayText(text);
});

for (const button of document.querySelectorAll("[data-intent]")) {
  button.addEventListener("click", () => {
    // A button's slot value is already the canonical one entity resolution would report.
    const slots = button.dataset.slotPace ? {pace: button.dataset.slotPace} : {};
    const turn = {intent: button.dataset.intent, slots, resolved: slots};
    youSaid(button.textContent, heardAs(turn));
    take(() => exchange(turn));
  });
}

$("speak").addEventListener("change", (event) => {
  player.speaking = event.target.checked;
  if (!player.speaking) globalThis.speechSynthesis?.cancel();
});

$("screen").addEventListener("change", (event) => {
  if (!event.target.checked) card.show(null);
});

function showVoiceNote() {
  $("voice-note").hidden = player.hasVoice;
}
showVoiceNote();
globalThis.speechSynthesis?.addEventListener("voiceschanged", showVoiceNote);

// Speaking to the page, where the browser offers speech recognition.
const Recognition = globalThis.SpeechRecognition ?? globalThis.webkitSpeechRecognition;
if (Recognition) {
  const mic = $("mic");
  mic.hidden = false;
  mic.addEventListener("click", () => {
    player.stop();
    const recognition = new Recognition();
    recognition.lang = "en-US";
    recognition.interimResults = false;
    recognition.onresult = (event) => sayText(event.results[0][0].transcript);
    recognition.onerror = (event) => note(`Speech recognition: ${event.error}`, "error");
    recognition.onend = () => mic.setAttribute("aria-pressed", "false");
    mic.setAttribute("aria-pressed", "true");
    recognition.start();
  });
}
