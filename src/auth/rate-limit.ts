/** The limit of one class of requests: at most `limit` in any `windowMs`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** What a limiter answered: allowed, or refused with the seconds after which to retry. */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Counter {
  /** The start of the current fixed window. */
  windowStart: number;
  current: number;
  previous: number;
}

/**
 * An in-memory sliding-window limiter (the weighted sum of the current and the previous fixed
 * window), one counter per key (a token, a user or an address). It belongs to one process: with
 * several API processes each keeps its own counts.
 */
export class SlidingWindowLimiter {
  readonly #rule: RateLimit;
  readonly #now: () => number;
  readonly #counters = new Map<string, Counter>();
  #lastSweep: number;

  constructor(rule: RateLimit, now: () => number = Date.now) {
    if (!(rule.limit > 0) || !(rule.windowMs > 0)) throw new RangeError('a rate limit needs a positive limit and window');
    this.#rule = rule;
    this.#now = now;
    this.#lastSweep = now();
  }

  /** How many keys are being counted (for tests and metrics). */
  get size(): number {
    return this.#counters.size;
  }

  #counter(key: string, now: number): Counter {
    const { windowMs } = this.#rule;
    const windowStart = now - (now % windowMs);
    let counter = this.#counters.get(key);
    if (counter === undefined) {
      counter = { windowStart, current: 0, previous: 0 };
      this.#counters.set(key, counter);
    } else if (counter.windowStart !== windowStart) {
      counter.previous = windowStart - counter.windowStart === windowMs ? counter.current : 0;
      counter.current = 0;
      counter.windowStart = windowStart;
    }
    return counter;
  }

  #estimate(counter: Counter, now: number): number {
    const elapsed = (now - counter.windowStart) / this.#rule.windowMs;
    return counter.previous * (1 - elapsed) + counter.current;
  }

  /** Counts one request of `key` if it is within the limit. */
  hit(key: string): RateDecision {
    const now = this.#now();
    this.#sweep(now);
    const counter = this.#counter(key, now);
    if (this.#estimate(counter, now) + 1 > this.#rule.limit) return { allowed: false, retryAfterSeconds: this.#retryAfter(counter, now) };
    counter.current += 1;
    return { allowed: true, remaining: Math.max(0, Math.floor(this.#rule.limit - this.#estimate(counter, now))) };
  }

  /** Whether `key` is over its limit now, without counting a request. */
  check(key: string): RateDecision {
    const now = this.#now();
    const counter = this.#counters.get(key);
    if (counter === undefined) return { allowed: true, remaining: this.#rule.limit };
    const current = this.#counter(key, now);
    if (this.#estimate(current, now) + 1 > this.#rule.limit) return { allowed: false, retryAfterSeconds: this.#retryAfter(current, now) };
    return { allowed: true, remaining: Math.max(0, Math.floor(this.#rule.limit - this.#estimate(current, now))) };
  }

  /** Counts one request of `key` whatever the limit (e.g. a failed sign-in after it was checked). */
  record(key: string): void {
    this.#counter(key, this.#now()).current += 1;
  }

  /** Forgets a key (e.g. after a successful sign-in). */
  reset(key: string): void {
    this.#counters.delete(key);
  }

  /**
   * Seconds until one more request fits: the previous window's weight shrinks as time passes; when
   * the current window alone is full, the wait runs into the next window.
   */
  #retryAfter(counter: Counter, now: number): number {
    const { limit, windowMs } = this.#rule;
    const intoWindow = now - counter.windowStart;
    let waitMs: number;
    if (counter.current + 1 <= limit && counter.previous > 0) {
      // previous * (1 - t/w) + current + 1 <= limit  ⇔  t >= w * (1 - (limit - current - 1) / previous)
      const t = windowMs * (1 - (limit - counter.current - 1) / counter.previous);
      waitMs = t - intoWindow;
    } else {
      const t = counter.current === 0 ? 0 : windowMs * (1 - (limit - 1) / counter.current);
      waitMs = windowMs - intoWindow + Math.max(0, t);
    }
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  /** Drops counters idle for two windows, at most once a window. */
  #sweep(now: number): void {
    const { windowMs } = this.#rule;
    if (now - this.#lastSweep < windowMs) return;
    this.#lastSweep = now;
    for (const [key, counter] of this.#counters) {
      if (now - counter.windowStart >= 2 * windowMs) this.#counters.delete(key);
    }
  }
}
