// The step card, drawn from the datasource the skill sends screen devices with its APL
// document (datasources.stepCard, built by alexa/apl.py): nothing here knows the exercise.
// While a block plays it moves along the block's timeline: a segment starts after
// `afterBreaks` silences of the reply and lasts `beats` silences; during a breath the ring
// fills one beat per silence and the count shows the beat being said.

const BREATHING = new Set(["exhale", "inhale"]);

export class StepCard {
  constructor(root) {
    this.root = root;
    this.field = Object.fromEntries(
      [...root.querySelectorAll("[data-field]")].map((el) => [el.dataset.field, el]));
    this.data = null;
    this.segment = null;
  }

  // A response's card (the stepCard datasource), or null: the device was sent none.
  show(data) {
    this.data = data;
    this.segment = null;
    this.field.noScreen.hidden = data !== null;
    this.root.classList.toggle("no-screen", data === null);
    if (data === null) {
      this.draw({repLabel: "", phaseLabel: "", stepText: "", phase: ""});
      this.field.status.textContent = "";
      return;
    }
    this.field.title.textContent = data.title;
    this.field.status.textContent = data.status;
    this.field.reps.textContent = String(data.reps);
    this.field.breathSeconds.textContent = `${data.breathSeconds} s`;
    this.drawWeek(data.week || []);
    this.draw(data);
  }

  // The last seven days, oldest first: each day's name, marked when a session was finished.
  drawWeek(days) {
    this.field.week.replaceChildren(...days.map((day) => {
      const item = document.createElement("li");
      item.className = day.done ? "done" : "rest";
      item.title = `${day.date}: ${day.sessions} finished`;
      item.textContent = `${day.day} ${day.mark}`;
      return item;
    }));
  }

  // The reply brought no card but the screen stays on (the session ended, say): the card
  // keeps its step, stops its breath timer and follows no more speech.
  rest() {
    this.data = null;
    this.segment = null;
    this.field.timer.hidden = true;
  }

  // Called by the player for each sound, silence and the end of the reply.
  follow(event) {
    if (event.kind === "end" || this.data === null) return;
    if (event.kind === "silence") {
      const segment = this.enter(event.index);
      if (segment) this.fill(event.index + 1 - segment.afterBreaks, segment.beats, event.ms);
      return;
    }
    const segment = this.enter(event.silences);
    if (segment) {
      this.field.beat.textContent = String(
        Math.min(segment.beats, event.silences - segment.afterBreaks + 1));
    }
  }

  // The segment playing after `silences` silences, drawn if it is a new one.
  enter(silences) {
    let current = null;
    for (const segment of this.data.timeline) {
      if (segment.afterBreaks <= silences) current = segment;
    }
    if (current && current !== this.segment) {
      this.segment = current;
      this.draw(current);
      this.field.beats.textContent = String(current.beats);
      this.fill(0, current.beats, 0);
    }
    return current;
  }

  draw(step) {
    this.root.dataset.phase = step.phase;
    this.field.repLabel.textContent = step.repLabel;
    this.field.phaseLabel.textContent = step.phaseLabel;
    this.field.stepText.textContent = step.stepText;
    // The breath timer runs only while a breath is being counted out.
    this.field.timer.hidden = !(step === this.segment && BREATHING.has(step.phase));
  }

  fill(done, beats, ms) {
    const ring = this.field.ring;
    ring.style.transitionDuration = `${ms}ms`;
    ring.style.strokeDashoffset = String(100 - (100 * Math.min(done, beats)) / beats);
  }
}
