// The page's AudioPlayer, as on an Echo: it carries out the skill's AudioPlayer.Play and
// AudioPlayer.Stop directives in the cool-down <audio> element and reports what it does
// (PlaybackStarted, PlaybackStopped, PlaybackFinished, PlaybackFailed) back to the skill,
// which keeps the user's place from those reports. Beside it, the track's chapters (one per
// rep, from GET /simulator/track): pressing one jumps there.

const minutes = (ms) => {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
};

export class TrackPlayer {
  // `report(kind, player, error)` sends an AudioPlayer event and resolves when the skill has
  // it; `queue(task)` runs a task in turn with the conversation, for the reports that no
  // directive caused (the track ended, a chapter was pressed while stopped).
  constructor(section, {report, queue}) {
    this.section = section;
    this.audio = section.querySelector("audio");
    this.list = section.querySelector("ol");
    this.status = section.querySelector("[data-field=status]");
    this.position = section.querySelector("progress");
    this.report = report;
    this.queue = queue;
    this.token = null;
    this.activity = "IDLE";
    this.chapters = [];
    this.audio.addEventListener("timeupdate", () => this.draw());
    this.audio.addEventListener("ended", () => {
      this.activity = "FINISHED";
      this.draw();
      this.queue(() => this.tell("AudioPlayer.PlaybackFinished"));
    });
  }

  get offset() {
    return Math.round(this.audio.currentTime * 1000);
  }

  // What the device puts in every request's context; null until something was played.
  get context() {
    if (this.token === null) return null;
    return {token: this.token, offsetInMilliseconds: this.offset, playerActivity: this.activity};
  }

  tell(kind, error) {
    return this.report(kind, this.context, error);
  }

  // Carries out a response's AudioPlayer directives, in order, reporting as it goes.
  async execute(directives) {
    for (const directive of directives) {
      if (directive.type === "AudioPlayer.Play") await this.play(directive.audioItem.stream);
      else if (directive.type === "AudioPlayer.Stop") await this.stop();
    }
  }

  async play(stream) {
    if (stream.token !== this.token || this.audio.src !== stream.url) {
      this.token = stream.token;
      this.audio.src = stream.url;
      await this.listChapters(stream.token);
    }
    this.section.hidden = false;
    this.audio.currentTime = stream.offsetInMilliseconds / 1000;
    await this.start();
  }

  async start() {
    try {
      await this.audio.play();
    } catch (error) {
      this.activity = "STOPPED";
      this.draw();
      await this.tell("AudioPlayer.PlaybackFailed", String(error.message).slice(0, 200));
      return;
    }
    this.activity = "PLAYING";
    this.draw();
    await this.tell("AudioPlayer.PlaybackStarted");
  }

  async stop() {
    if (this.activity !== "PLAYING") return;
    this.audio.pause();
    this.activity = "STOPPED";
    this.draw();
    await this.tell("AudioPlayer.PlaybackStopped");
  }

  // Pressing a chapter jumps there; a stopped track starts again from it, and says so.
  jump(ms) {
    this.audio.currentTime = ms / 1000;
    this.draw();
    if (this.activity !== "PLAYING") this.queue(() => this.start());
  }

  async listChapters(token) {
    this.chapters = [];
    this.list.replaceChildren();
    const reply = await fetch(`/simulator/track?token=${encodeURIComponent(token)}`);
    if (!reply.ok) return; // a track from elsewhere: it plays, without chapters
    const track = await reply.json();
    this.chapters = track.chaptersMs;
    this.position.max = track.durationMs;
    this.list.replaceChildren(...this.chapters.map((ms, index) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const at = document.createElement("span");
      at.className = "at";
      at.textContent = minutes(ms);
      button.append(`Rep ${index + 1} `, at);
      button.addEventListener("click", () => this.jump(ms));
      item.append(button);
      return item;
    }));
  }

  // The current rep is the last chapter already reached.
  draw() {
    const offset = this.offset;
    const current = this.chapters.findLastIndex((ms) => ms <= offset);
    this.list.querySelectorAll("button").forEach((button, index) => {
      if (index === current) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
    const total = this.position.max > 1 ? ` of ${minutes(this.position.max)}` : "";
    const state = {PLAYING: "Playing", STOPPED: "Paused", FINISHED: "Finished"};
    this.status.textContent = `${state[this.activity] ?? "Ready"} · ${minutes(offset)}${total}`;
    this.position.value = offset;
  }
}
