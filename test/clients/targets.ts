import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { ENDPOINTS, type EndpointKind } from '../../src/metering/endpoint.js';
import { MODELS, startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { RecordingUpstream, type Received } from '../helpers/recording-upstream.js';

/** A library call made against an OpenAI-compatible base URL with an API key. */
export type Work<T> = (baseURL: string, apiKey: string) => Promise<T>;

export interface Target {
  /** Runs the call through Moat (and, behind a test upstream, checks what reached it); Moat's result. */
  call<T>(work: Work<T>): Promise<T>;
  /** The endpoints the upstream served for the last call through Moat, in order (`chat`, `responses`, ...). */
  served(): EndpointKind[];
  /** The bodies the test upstream received through Moat for the last call; undefined in front of the stand-in. */
  received(): Record<string, unknown>[] | undefined;
}

/**
 * Runs a suite twice: Moat in front of its stand-in, and Moat in front of a test upstream
 * that compares every request body it got through Moat with the one the same call sends
 * it directly, so tools, response_format, n and the rest are seen to pass through unchanged.
 */
export function throughMoat(name: string, suite: (target: () => Target) => void): void {
  describe(`${name} through Moat, in front of the stand-in`, () => {
    let fixture: Fixture;
    before(async () => {
      fixture = await startFixture();
    });
    after(() => fixture.close());
    let served: EndpointKind[] = [];
    suite(() => ({
      async call(work) {
        const before = fixture.standIn.served.length;
        const result = await work(`${fixture.gateway.url}/v1`, fixture.secret);
        served = fixture.standIn.served.slice(before).map((entry) => entry.endpoint as EndpointKind);
        return result;
      },
      served: () => served,
      received: () => undefined,
    }));
  });

  describe(`${name} through Moat, in front of a test upstream`, () => {
    let fixture: Fixture;
    let upstream: RecordingUpstream;
    let upstreamUrl: string;
    before(async () => {
      upstream = new RecordingUpstream(MODELS);
      upstreamUrl = await upstream.listen();
      fixture = await startFixture({ config: { upstreams: [{ name: 'test-upstream', baseUrl: upstreamUrl, models: MODELS }] } });
    });
    after(async () => {
      await fixture.close();
      await upstream.close();
    });
    let served: EndpointKind[] = [];
    let bodies: Record<string, unknown>[] = [];
    suite(() => ({
      served: () => served,
      received: () => bodies,
      async call(work) {
        let result: Awaited<ReturnType<typeof work>> | undefined;
        const viaMoat = await upstream.during(async () => {
          result = await work(`${fixture.gateway.url}/v1`, fixture.secret);
        });
        const direct = await upstream.during(() => work(upstreamUrl, 'direct-key'));
        assert.ok(direct.length > 0, 'the call reached the test upstream');
        assert.deepEqual(viaMoat, direct.map(asMoatSendsIt), 'the upstream received through Moat exactly what the client sends it directly');
        served = viaMoat.map((received) => ENDPOINTS[received.path]!);
        bodies = viaMoat.map((received) => received.body as Record<string, unknown>);
        return result!;
      },
    }));
  });
}

/**
 * The one change Moat makes on the way: a stream whose client did not ask for usage asks
 * for it anyway (Moat meters from it, and keeps the usage chunk from that client).
 */
function asMoatSendsIt(received: Received): Received {
  const body = received.body as Record<string, unknown> | undefined;
  if (!body || body.stream !== true || received.path === '/v1/responses') return received;
  const options = (body.stream_options ?? {}) as Record<string, unknown>;
  if (options.include_usage === true) return received;
  return { ...received, body: { ...body, stream_options: { ...options, include_usage: true } } };
}
