// Resolve utterances against an interaction model with virtual-alexa's own matcher (the
// virtual-core Utterance that alexa.utter() uses), without a skill: what intent and slots each
// phrase would reach the skill as. `make bench` and tests/interaction/test_utterances.py use it
// to measure the committed en-US model on the held-out phrasings (tests/data/utterances.yaml).
//
//   node tests/e2e/resolve.mjs <model.json> < utterances.json
//
// stdin: a JSON array of strings. stdout: a JSON array, one entry per utterance:
// {"intent": name or "AMAZON.FallbackIntent", "slots": {name: {"value", "resolved"}}}, where
// "value" is what was heard (an AMAZON.NUMBER spoken as a word becomes digits, as Alexa sends it)
// and "resolved" the canonical value of a custom slot type's value or synonym (else null).

import { readFileSync } from "node:fs";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
const { default: virtualAlexa } = await import("virtual-alexa");
const { default: virtualCore } = await import("virtual-core");
const builtinSlotTypes = await import("virtual-alexa/lib/src/model/BuiltinSlotTypes.js");
const { NumberSlotType } = builtinSlotTypes.default;

const FALLBACK = "AMAZON.FallbackIntent";
const DIGITS = new Map(
  Object.entries(NumberSlotType.LONG_FORM_VALUES).flatMap(([digits, words]) =>
    words.map((word) => [word, digits])),
);

const [modelPath] = process.argv.slice(2);
if (!modelPath) {
  process.stderr.write("usage: node resolve.mjs <model.json> < utterances.json\n");
  process.exit(2);
}
const raw = JSON.parse(readFileSync(modelPath, "utf8"));
const language = raw.interactionModel.languageModel;
const slotTypes = new Map(language.intents.flatMap((intent) =>
  (intent.slots ?? []).map((slot) => [`${intent.name}.${slot.name}`, slot.type])));
const canonical = new Map((language.types ?? []).map((type) => [type.name, new Map(
  type.values.flatMap((value) => [value.name.value, ...(value.name.synonyms ?? [])]
    .map((said) => [said.toLowerCase(), value.name.value])))]));

// The model as virtual-alexa loads it (the skill URL is never called here).
const alexa = virtualAlexa.VirtualAlexa.Builder()
  .interactionModelFile(modelPath)
  .skillURL("http://127.0.0.1:9/alexa")
  .locale("en-US")
  .create();
const model = alexa.context().interactionModel();

const utterances = JSON.parse(readFileSync(0, "utf8"));
const results = utterances.map((said) => {
  const utterance = new virtualCore.Utterance(model, said);
  if (!utterance.matched()) {
    return { intent: FALLBACK, slots: {} };
  }
  const intent = utterance.intent();
  const slots = {};
  for (const [name, value] of Object.entries(utterance.toJSON())) {
    const type = slotTypes.get(`${intent}.${name}`);
    const word = String(value).toLowerCase();
    const heard = type === "AMAZON.NUMBER" && DIGITS.has(word) ? DIGITS.get(word) : value;
    slots[name] = { value: heard, resolved: canonical.get(type)?.get(word) ?? null };
  }
  return { intent, slots };
});
console.log(JSON.stringify(results));
