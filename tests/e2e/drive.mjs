// Drive a running skill with virtual-alexa, as a device would: each step of a script is
// resolved against the committed en-US interaction model and POSTed as a real request
// envelope to <url>/alexa. One virtual-alexa instance, so one user (and one session until the
// skill ends it) across all steps: what the skill stores carries over, as on a real device.
//
//   node tests/e2e/drive.mjs <script.json> <skill base url>
//
// The script is {"steps": [{"say": "launch" | "<utterance>", ...}, ...]}; keys other than
// "say" are expectations for the caller (tests/test_e2e_virtual_alexa.py) and are ignored here.
// Prints one JSON line per step: what was said, the request sent (type, intent, slots with
// their entity-resolved value) and the reply's SSML and shouldEndSession. A step whose request
// fails (no HTTP 200 with JSON) is printed with its error, and the driver exits 1.
//
// Two places where this differs from calling alexa.utter(text), each to behave more like Alexa:
// - utter() turns any phrase containing "ask", "open", "launch", "tell" or "talk to" (even
//   inside a word: "task", "basket") into a LaunchRequest; here only the step "launch" does,
//   and every other phrase goes through the same matcher utter() uses (virtual-core's Utterance).
// - virtual-alexa sends an AMAZON.NUMBER slot as spoken ("eight"); Alexa sends digits ("8").
//   Number words virtual-alexa knows (one to twenty) are sent as digits, as Alexa would.
// A phrase that matches no sample is sent as AMAZON.FallbackIntent, as Alexa does when the
// model has one (utter() throws instead).

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// aws-sdk v2 (a dependency of virtual-alexa's DynamoDB mock, unused here) prints a
// maintenance-mode notice when loaded; it is noise on our stderr.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
const { default: virtualAlexa } = await import("virtual-alexa");
const { default: virtualCore } = await import("virtual-core");
const builtinSlotTypes = await import("virtual-alexa/lib/src/model/BuiltinSlotTypes.js");
const { NumberSlotType } = builtinSlotTypes.default;

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MODEL = join(REPO, "interaction_model", "interactionModels", "custom", "en-US.json");
const FALLBACK = "AMAZON.FallbackIntent";

function die(message) {
  process.stderr.write(`drive.mjs: ${message}\n`);
  process.exit(2);
}

// virtual-alexa's own table of the number words it accepts for AMAZON.NUMBER, inverted.
const DIGITS = new Map(
  Object.entries(NumberSlotType.LONG_FORM_VALUES).flatMap(([digits, words]) =>
    words.map((word) => [word, digits])),
);

function slotTypes(model) {
  const types = new Map();
  for (const intent of model.interactionModel.languageModel.intents) {
    for (const slot of intent.slots ?? []) {
      types.set(`${intent.name}.${slot.name}`, slot.type);
    }
  }
  return types;
}

function asAlexaSends(intent, slots, types) {
  const sent = {};
  for (const [name, value] of Object.entries(slots)) {
    const isNumber = types.get(`${intent}.${name}`) === "AMAZON.NUMBER";
    const word = value.toLowerCase();
    sent[name] = isNumber && DIGITS.has(word) ? DIGITS.get(word) : value;
  }
  return sent;
}

function describe(request) {
  const slots = {};
  for (const [name, slot] of Object.entries(request.intent?.slots ?? {})) {
    const authority = slot.resolutions?.resolutionsPerAuthority?.[0];
    slots[name] = {
      value: slot.value ?? null,
      resolved: authority?.values?.[0]?.value?.name ?? null,
      status: authority?.status?.code ?? null,
    };
  }
  return { type: request.type, intent: request.intent?.name ?? null, slots };
}

async function main() {
  const [scriptPath, baseUrl] = process.argv.slice(2);
  if (!scriptPath || !baseUrl) {
    die("usage: node drive.mjs <script.json> <skill base url, e.g. http://127.0.0.1:8080>");
  }
  let steps;
  try {
    steps = JSON.parse(readFileSync(scriptPath, "utf8")).steps;
  } catch (error) {
    die(`cannot read the script ${scriptPath}: ${error.message}`);
  }
  if (!Array.isArray(steps) || !steps.every((step) => typeof step?.say === "string")) {
    die(`${scriptPath}: expected {"steps": [{"say": "..."}, ...]}`);
  }
  const types = slotTypes(JSON.parse(readFileSync(MODEL, "utf8")));

  const alexa = virtualAlexa.VirtualAlexa.Builder()
    .interactionModelFile(MODEL)
    .skillURL(`${baseUrl.replace(/\/$/, "")}/alexa`)
    .locale("en-US")
    .create();
  let sent = null;
  alexa.filter((envelope) => { sent = envelope.request; });
  const model = alexa.context().interactionModel();

  for (const [index, { say }] of steps.entries()) {
    const line = { step: index + 1, say, matched: true };
    sent = null;
    let reply;
    try {
      if (say === "launch") {
        reply = await alexa.launch();
      } else {
        const utterance = new virtualCore.Utterance(model, say);
        line.matched = utterance.matched();
        if (!line.matched && !model.hasIntent(FALLBACK)) {
          throw new Error(`no sample matches "${say}" and the model has no ${FALLBACK}`);
        }
        const intent = line.matched ? utterance.intent() : FALLBACK;
        const slots = line.matched ? asAlexaSends(intent, utterance.toJSON(), types) : {};
        reply = await alexa.intend(intent, slots);
      }
    } catch (error) {
      // virtual-alexa rejects with a bare string on a non-200 reply.
      line.request = sent && describe(sent);
      line.error = String(error?.message ?? error);
      console.log(JSON.stringify(line));
      process.exit(1);
    }
    const response = reply.response ?? {};
    line.request = describe(sent);
    line.ssml = response.outputSpeech?.ssml ?? null;
    line.shouldEndSession = response.shouldEndSession ?? null;
    console.log(JSON.stringify(line));
  }
}

await main();
