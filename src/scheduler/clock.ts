/** Where the scheduler reads the time; tests inject a manual clock instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to, for deterministic tests. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date | string) {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(date: Date | string): void {
    this.#now = new Date(date).getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
