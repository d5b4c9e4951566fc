// Splits a reply's SSML <speak> document into what the page plays, in order:
//   {kind: "speech", text}         words for the browser's voice
//   {kind: "audio", src, text}     a rendered file (<audio src>), with any text it wraps
//   {kind: "silence", ms}          a run of adjacent <break>s, as one silence
// A run of breaks is one silence because that is how the skill counts them: the step card's
// timeline (core/card.py) says after how many silences each step begins.

const TOKEN = new RegExp([
  String.raw`<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*\/>`,
  String.raw`<audio\s+src="([^"]*)"\s*(?:\/>|>([\s\S]*?)<\/audio>)`,
  String.raw`<[^>]*>`,
  String.raw`[^<]+`,
].join("|"), "g");

const ENTITIES = {amp: "&", lt: "<", gt: ">", quot: '"', apos: "'"};

export function unescapeXml(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] !== "#") return ENTITIES[name] ?? whole;
    const hex = name[1] === "x" || name[1] === "X";
    return String.fromCodePoint(parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10));
  });
}

const words = (markup) => unescapeXml(markup.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ")
  .trim();

export function chunks(ssml) {
  const out = [];
  for (const match of ssml.matchAll(TOKEN)) {
    const [whole, amount, unit, src, wrapped] = match;
    const last = out.at(-1);
    if (amount !== undefined) {
      const ms = Number(amount) * (unit === "s" ? 1000 : 1);
      if (last?.kind === "silence") last.ms += ms;
      else out.push({kind: "silence", ms});
    } else if (src !== undefined) {
      out.push({kind: "audio", src: unescapeXml(src), text: words(wrapped ?? "")});
    } else if (!whole.startsWith("<")) {
      const text = words(whole);
      if (!text) continue;
      if (last?.kind === "speech") last.text += ` ${text}`;
      else out.push({kind: "speech", text});
    }
  }
  return out;
}
