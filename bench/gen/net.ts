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
  return rng.chance(0.8) ? rng.pick(WEBMAIL) : `${rng.pick(['acme', 'north', 'blue', 'quant', 'pixel', 'data', 'river', 'bright', 'lumen', 'kite'])}${rng.pick(['labs', 'soft', 'works', 'ai', 'io', 'tech', 'hq'])}.${rng.pick(['com', 'io', 'dev', 'co', 'de', 'ai'])}`;
}
