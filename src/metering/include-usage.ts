const OPTION = Buffer.from('"stream_options":{"include_usage":true}');
const COMMA = Buffer.from(',');

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * The client's body with `stream_options.include_usage` added, without parsing and
 * re-serialising it: the option is spliced in as the object's first member. Only for a body
 * that has no `stream_options` of its own (JSON keeps the last of duplicate keys, and the
 * client's would win); the caller re-serialises in that rare case.
 */
export function withIncludeUsage(raw: Buffer): Buffer {
  const open = raw.indexOf(0x7b);
  let after = open + 1;
  while (isSpace(raw[after])) after++;
  const empty = raw[after] === 0x7d;
  return Buffer.concat(empty ? [raw.subarray(0, open + 1), OPTION, raw.subarray(open + 1)] : [raw.subarray(0, open + 1), OPTION, COMMA, raw.subarray(open + 1)]);
}
