import diagnostics from 'node:diagnostics_channel';

/** One step of a request: does its part, then calls `next` for the rest (or throws to refuse). */
export type Step<C> = (ctx: C, next: () => Promise<void>) => Promise<void>;

export interface NamedStep<C> {
  name: string;
  run: Step<C>;
}

/** Published once per step per request: how long the step took before it called the next one (or returned). */
export interface StepTiming {
  step: string;
  /** Milliseconds spent in this step itself, the steps after it excluded. */
  ms: number;
  requestId: string;
}

/** `moat:pipeline:step` carries a StepTiming per step run; /metrics subscribes to it. */
export const stepChannel = diagnostics.channel('moat:pipeline:step');

/**
 * Composes steps once, at start-up, into one function: each step gets a `next` that runs the
 * ones after it, as undici's `compose()` and Hono's `compose` do. A step config turns off is
 * simply not in the list, so the request path has no checks for absent features.
 */
export function compose<C extends { requestId: string }>(steps: readonly NamedStep<C>[]): (ctx: C) => Promise<void> {
  const run = (ctx: C, index: number): Promise<void> => {
    const step = steps[index];
    if (!step) return Promise.resolve();
    if (!stepChannel.hasSubscribers) return step.run(ctx, () => run(ctx, index + 1));
    // A step's own time: from its start until it hands on, plus from the rest's end until it returns.
    let started = performance.now();
    let own = 0;
    const next = async () => {
      own += performance.now() - started;
      try {
        await run(ctx, index + 1);
      } finally {
        started = performance.now();
      }
    };
    const publish = () => stepChannel.publish({ step: step.name, ms: own + performance.now() - started, requestId: ctx.requestId } satisfies StepTiming);
    return step.run(ctx, next).finally(publish);
  };
  return (ctx) => run(ctx, 0);
}
