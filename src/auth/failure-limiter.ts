/** Where a secret is presented: API keys, the admin token, console passwords. */
export type AuthSurface = 'api_key' | 'admin' | 'console';

export interface AuthBurst {
  ip: string;
  surface: AuthSurface;
  failures: number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Failed authentications per source address and surface, in fixed windows. Past the limit an
 * address is refused before any secret is checked, so guessing costs a window per `limit`
 * tries. Kept in this process only: each replica limits on its own, which multiplies the
 * allowance by the replica count but needs no shared store on the auth path.
 */
export class AuthFailureLimiter {
  private windows = new Map<string, Window>();
  private readonly listeners: ((burst: AuthBurst) => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    // An address spraying fresh addresses' worth of keys cannot grow this without bound.
    private readonly maxTracked = 100_000,
  ) {}

  /** Called once per address, surface and window when the limit is reached: a burst of failures is itself a signal. */
  onBurst(listener: (burst: AuthBurst) => void): void {
    this.listeners.push(listener);
  }

  /** Milliseconds until the address may try again, or 0 when it may now. */
  retryAfterMs(ip: string, surface: AuthSurface): number {
    const window = this.current(`${surface} ${ip}`);
    return window && window.failures >= this.limit ? window.startedAt + this.windowMs - this.now() : 0;
  }

  fail(ip: string, surface: AuthSurface): void {
    const key = `${surface} ${ip}`;
    let window = this.current(key);
    if (!window) {
      if (this.windows.size >= this.maxTracked) this.prune();
      window = { startedAt: this.now(), failures: 0 };
      this.windows.set(key, window);
    }
    window.failures++;
    if (window.failures === this.limit) for (const listener of this.listeners) listener({ ip, surface, failures: window.failures });
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && this.now() - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    // Still full of live windows: the oldest go first (a Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxTracked) break;
      this.windows.delete(key);
    }
  }
}
