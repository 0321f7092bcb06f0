import diagnostics from 'node:diagnostics_channel';

/** One step of a request: does its part, then calls `next` for the rest (or throws to refuse). */
export type Step<C> = (ctx: C, next: () => Promise<void>) => Promise<void>;

export interface NamedStep<C> {
  name: string;
  run: Step<C>;
}

/** Published once per step per request, innermost first, once the request's steps have all returned. */
export interface StepTiming {
  step: string;
  /**
   * Milliseconds from the step's start until it handed on to the next one; for the last step
   * a request ran (the one that answered or refused it), until the pipeline settled. Work a step
   * does after the steps after it returned counts in that last one's time: timing each step's
   * own promise cost more than all the steps themselves (our steps do nothing after `next`).
   */
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
  /** `began`, when timing: when each step began (a step's time ends where the next one's begins). */
  const run = (ctx: C, index: number, began: number[] | undefined): Promise<void> => {
    const step = steps[index];
    if (!step) return Promise.resolve();
    return step.run(ctx, () => {
      if (began && index + 1 < steps.length) began.push(performance.now());
      return run(ctx, index + 1, began);
    });
  };
  const timed = (ctx: C): Promise<void> => {
    const began = [performance.now()];
    const publish = () => {
      let end = performance.now();
      for (let index = began.length - 1; index >= 0; index--) {
        stepChannel.publish({ step: steps[index]!.name, ms: end - began[index]!, requestId: ctx.requestId } satisfies StepTiming);
        end = began[index]!;
      }
    };
    return run(ctx, 0, began).finally(publish);
  };
  return (ctx) => (stepChannel.hasSubscribers ? timed(ctx) : run(ctx, 0, undefined));
}
