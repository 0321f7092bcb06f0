/** IP addresses, user agents and sign-up facts: the account-level fingerprints detectors link on. */
import type { Rng } from './rng.js';

/** First octets of big cloud / hosting ranges (AWS, Azure, GCP, DigitalOcean, Linode, Hetzner, OVH, Vultr). */
export const HOSTING: Readonly<Record<string, readonly string[]>> = {
  aws: ['52.6', '52.23', '54.81', '3.120', '18.204', '44.192'],
  azure: ['20.84', '20.58', '40.112', '13.92'],
  gcp: ['34.102', '35.186', '34.141'],
  do: ['164.90', '167.99', '138.68', '159.89'],
  linode: ['45.56', '50.116', '172.105', '173.255'],
  hetzner: ['95.216', '88.198', '116.203', '49.12'],
  ovh: ['51.91', '54.36', '145.239'],
  vultr: ['108.61', '45.77', '149.28'],
};
export const HOSTING_NAMES = Object.keys(HOSTING);

const RESIDENTIAL_FIRST = [
  24, 47, 68, 70, 71, 73, 76, 81, 82, 84, 86, 89, 90, 92, 93, 98, 99, 108, 109, 112, 115, 119, 121, 124, 142, 174, 175, 177, 179, 180,
  182, 186, 187, 189, 191, 196, 200, 201, 211, 212, 217, 218, 220, 223,
];

export function residentialIp(rng: Rng): string {
  return `${rng.pick(RESIDENTIAL_FIRST)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A /24 inside a hosting provider's range, as "a.b.c". */
export function hostingSubnet(rng: Rng, provider: string): string {
  const firsts = HOSTING[provider] ?? HOSTING['aws'] ?? ['52.6'];
  return `${rng.pick(firsts)}.${rng.int(0, 255)}`;
}

export function ipIn(subnet: string, rng: Rng): string {
  return `${subnet}.${rng.int(2, 254)}`;
}

export function cloudIp(rng: Rng, provider?: string): string {
  return ipIn(hostingSubnet(rng, provider ?? rng.pick(HOSTING_NAMES)), rng);
}

const PY_SDK = ['1.54.3', '1.57.3', '1.66.1', '1.83.0', '1.109.2', '2.0.1', '2.2.0', '2.4.1', '2.6.2', '2.7.1', '2.8.0'];
const JS_SDK = ['4.59.1', '4.79.2', '5.3.0', '5.12.1', '6.2.0'];
const APPS = ['LibreChat/0.7.4', 'LibreChat/0.7.7', 'ChatBox/1.9.1', 'Chatbox/1.10.3', 'TypingMind/2.1', 'open-webui/0.5.20', 'BoltAI/1.31', 'Raycast/1.90.0', 'MindMac/1.9.2'];

export function sdkUa(rng: Rng): string {
  return rng.chance(0.7) ? `OpenAI/Python ${rng.pick(PY_SDK)}` : `OpenAI/JS ${rng.pick(JS_SDK)}`;
}

export function clientUa(rng: Rng): string {
  return rng.chance(0.55) ? rng.pick(APPS) : sdkUa(rng);
}

export function scriptUa(rng: Rng): string {
  return rng.weighted<string>([
    [`python-requests/2.${rng.int(28, 32)}.${rng.int(0, 3)}`, 2],
    [`python-httpx/0.${rng.int(25, 28)}.${rng.int(0, 2)}`, 2],
    [`Python/3.${rng.int(10, 13)} aiohttp/3.${rng.int(9, 11)}.${rng.int(0, 9)}`, 2],
    [sdkUa(rng), 3],
    [`node-fetch/1.0 (+https://github.com/bitinn/node-fetch)`, 0.5],
    [`curl/8.${rng.int(0, 9)}.0`, 0.5],
  ]);
}

export function browserUa(rng: Rng): string {
  const chrome = `${rng.int(120, 131)}.0.0.0`;
  return rng.pick([
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36`,
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36`,
    `Mozilla/5.0 (X11; Linux x86_64; rv:${rng.int(120, 133)}.0) Gecko/20100101 Firefox/${rng.int(120, 133)}.0`,
  ]);
}

/** Country with a UTC offset in hours, weighted roughly like an English-language API's users. */
export const COUNTRIES: readonly (readonly [string, number, number])[] = [
  ['US', -6, 30], ['GB', 0, 7], ['DE', 1, 6], ['FR', 1, 4], ['IN', 5.5, 8], ['CA', -5, 4], ['BR', -3, 4], ['JP', 9, 3], ['KR', 9, 2],
  ['AU', 10, 2], ['NL', 1, 2], ['PL', 1, 2], ['ES', 1, 2], ['IT', 1, 2], ['SG', 8, 2], ['MX', -6, 2], ['ID', 7, 2], ['VN', 7, 1],
  ['NG', 1, 1], ['TR', 3, 1], ['SE', 1, 1], ['UA', 2, 1], ['PH', 8, 1], ['ZA', 2, 1],
];

export function country(rng: Rng): { country: string; tz: number } {
  const c = rng.weighted(COUNTRIES.map((c) => [c, c[2]] as const));
  return { country: c[0], tz: c[1] };
}

export const WEBMAIL = ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'proton.me', 'icloud.com', 'qq.com', 'mail.ru'];

export function personalDomain(rng: Rng): string {
  return rng.chance(0.8) ? rng.pick(WEBMAIL) : smallCompanyDomain(rng);
}

export function smallCompanyDomain(rng: Rng): string {
  return `${rng.pick(['acme', 'north', 'blue', 'quant', 'pixel', 'data', 'river', 'bright', 'lumen', 'kite'])}${rng.pick(['labs', 'soft', 'works', 'ai', 'io', 'tech', 'hq'])}.${rng.pick(['com', 'io', 'dev', 'co', 'de', 'ai'])}`;
}

const PY_SDK_NEW = ['1.43.1', '1.54.0', '1.56.0', '1.60.3', '1.72.1', '1.83.3', '1.94.3', '1.104.3', '2.1.1', '2.3.1', '2.5.2', '2.7.2'];
const JS_SDK_NEW = ['4.72.0', '4.78.0', '5.1.2', '5.15.0', '5.23.1', '6.3.0'];

/**
 * The client mix of dev-v2's users: SDKs, HTTP libraries, mobile and desktop apps, plug-ins and
 * gateways (weights from its casual accounts). A thunk per entry so only the chosen one draws.
 */
const MODERN: readonly (readonly [(r: Rng) => string, number])[] = [
  [(r) => `OpenAI/Python ${r.pick(PY_SDK_NEW)}`, 21],
  [(r) => `OpenAI/JS ${r.pick(JS_SDK_NEW)}`, 11],
  [(r) => `curl/8.${r.int(2, 11)}.${r.int(0, 1)}`, 7],
  [(r) => `langchain-openai/0.2.${r.int(10, 30)} OpenAI/Python ${r.pick(PY_SDK_NEW)}`, 5],
  [(r) => `python-httpx/0.${r.int(25, 28)}.${r.int(0, 2)}`, 5],
  [(r) => `python-requests/2.${r.int(28, 32)}.${r.int(0, 3)}`, 4],
  [(r) => `TypingMind/2.${r.int(0, 4)}`, 4],
  [(r) => `Python/3.${r.int(9, 12)} aiohttp/3.${r.int(8, 10)}.${r.int(0, 5)}`, 4],
  [(r) => `Dart/3.${r.int(2, 6)} (dart:io)`, 4],
  [(r) => `axios/1.${r.int(6, 7)}.${r.int(0, 9)}`, 3],
  [(r) => `MyAssistant/${r.int(2, 4)}.${r.int(0, 9)} (iPhone; iOS 18.${r.int(0, 5)})`, 3],
  [(r) => `Open-WebUI/0.5.${r.int(1, 20)}`, 3],
  [(r) => `obsidian-ai-plugin/1.${r.int(0, 9)}.${r.int(0, 5)}`, 3],
  [(r) => `PostmanRuntime/7.${r.int(39, 43)}.${r.int(0, 3)}`, 2.5],
  [(r) => `Raycast/1.${r.int(85, 92)}.${r.int(0, 3)}`, 2.5],
  [(r) => `litellm/1.${r.int(50, 63)}.${r.int(0, 9)}`, 2],
  [() => 'Go-http-client/1.1', 2],
  [(r) => `Java-http-client/${r.pick(['17.0.9', '21.0.5', '21.0.2'])}`, 2],
  [() => 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 1.7],
  [(r) => `LibreChat/0.7.${r.int(4, 8)}`, 1.5],
  [(r) => `okhttp/4.${r.int(9, 12)}.0`, 1.2],
  [(r) => `ChatBox/1.${r.int(9, 11)}.${r.int(0, 3)} (Macintosh; Intel Mac OS X 10_15_7)`, 1],
];

export function modernUa(rng: Rng): string {
  return rng.weighted(MODERN)(rng);
}

/**
 * A residential proxy pool as a campaign rents it: each exit address lives for a few days and
 * whichever accounts connect while it lives share it, so one address serves a few accounts.
 */
export class ProxyPool {
  private readonly byDay: string[][];

  constructor(rng: Rng, size: number, days: number, life: readonly [number, number]) {
    this.byDay = Array.from({ length: days }, () => []);
    for (let i = 0; i < size; i++) {
      const ip = residentialIp(rng);
      const span = rng.int(life[0], life[1]);
      const from = rng.int(1 - span, days - 1);
      for (let d = Math.max(0, from); d < Math.min(days, from + span); d++) this.byDay[d]?.push(ip);
    }
    // A day no address covers borrows the nearest day's, so every day has exits.
    for (let d = 0; d < days; d++) if (this.byDay[d]?.length === 0) this.byDay[d] = this.byDay[d - 1]?.slice() ?? [residentialIp(rng)];
  }

  pick(rng: Rng, day: number): string {
    const alive = this.byDay[Math.max(0, Math.min(this.byDay.length - 1, day))] ?? [];
    return rng.pick(alive);
  }
}

/** UTC offset of a country in COUNTRIES (1 for one not listed). */
export function tzOf(code: string | null): number {
  return COUNTRIES.find((c) => c[0] === code)?.[1] ?? 1;
}
