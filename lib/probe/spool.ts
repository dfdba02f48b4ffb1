import fs from "node:fs";
import path from "node:path";
import type { ProbeEvent } from "./events";
import type { Progress } from "./progress";

export const DEFAULT_SPOOL_CAPACITY = 10_000;

/**
 * A bounded on-disk queue of events not yet accepted by the server, one JSON event per line.
 * Every event is written here before it is sent, so a crash or restart loses nothing; events
 * leave only when the server answered 200 for their batch. When full, the oldest are dropped
 * (with a warning): recent evidence is worth more than old.
 */
export class EventSpool {
  constructor(
    readonly file: string,
    private readonly progress: Progress,
    readonly capacity = DEFAULT_SPOOL_CAPACITY,
  ) {}

  append(events: readonly ProbeEvent[]): void {
    if (events.length === 0) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, events.map((event) => `${JSON.stringify(event)}\n`).join(""));
    const all = this.read();
    if (all.length > this.capacity) {
      const dropped = all.length - this.capacity;
      this.progress.warn(`spool ${this.file} is full (${this.capacity} events): dropped the ${dropped} oldest`);
      this.rewrite(all.slice(dropped));
    }
  }

  /** Spooled events, oldest first. Lines that do not parse (a torn write) are skipped. */
  read(): ProbeEvent[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const events: ProbeEvent[] = [];
    for (const line of text.split("\n")) {
      if (line.trim().length === 0) continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (isSpooledEvent(parsed)) events.push(parsed);
      } catch {
        this.progress.warn(`spool ${this.file}: skipped a damaged line`);
      }
    }
    return events;
  }

  remove(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return;
    this.rewrite(this.read().filter((event) => !ids.has(event.id)));
  }

  /** Replaces the file atomically (write aside, then rename), so a crash leaves old or new, never half. */
  private rewrite(events: readonly ProbeEvent[]): void {
    if (events.length === 0) {
      fs.rmSync(this.file, { force: true });
      return;
    }
    const aside = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(aside, events.map((event) => `${JSON.stringify(event)}\n`).join(""));
    fs.renameSync(aside, this.file);
  }
}

function isSpooledEvent(value: unknown): value is ProbeEvent {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === "string" && typeof record.type === "string" && typeof record.device === "string";
}
