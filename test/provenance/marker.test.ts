import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { observe } from '../../src/provenance/detector.js';
import { markText, MarkStream } from '../../src/provenance/marker.js';
import { seededRandom } from '../helpers/ngram-student.js';

const secret = createHash('sha256').update('marker-test').digest();
const mark = (text: string, rate = 1) => markText(text, { secret, rate });

/** Prose dense in pair words, so a key changes many of them. */
const PROSE = [
  'Also, it is often difficult to obtain additional benefits quickly. You can also use various tips to improve helpful habits.',
  'Usually the goals are crucial; they are certainly essential and typically appropriate. Perhaps we should try to verify them.',
  'Thus the experts noticed that the drawbacks were mainly harmful. Therefore, consider the previous suggestions carefully.',
].join('\n');

function streamed(text: string, cuts: number[]): string {
  const stream = new MarkStream({ secret, rate: 1 });
  let out = '';
  let at = 0;
  for (const cut of cuts) {
    out += stream.push(text.slice(at, cut));
    at = cut;
  }
  return out + stream.push(text.slice(at)) + stream.end();
}

test('the mark changes pair words in prose, keeping case and punctuation', () => {
  // Without phrases (it is, they are), so the text stays word for word comparable.
  const prose = PROSE.replace(/it is/g, 'that seems').replace(/they are/g, 'these seem');
  const { text, counts } = mark(prose);
  assert.notEqual(text, prose);
  assert.ok(counts.changed > 0 && counts.sites >= counts.changed);
  // Word for word, every change swaps a word for its pair partner in the same casing.
  const before = prose.split(/(\s+)/);
  const after = text.split(/(\s+)/);
  assert.equal(after.length, before.length);
  const changed = before.filter((token, i) => token !== after[i]);
  assert.equal(changed.length, counts.changed);
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    assert.equal(before[i]!.replace(/[A-Za-z]+/, ''), after[i]!.replace(/[A-Za-z]+/, ''), 'punctuation kept');
    assert.equal(/^[A-Z]/.test(before[i]!), /^[A-Z]/.test(after[i]!), 'capital kept');
  }
});

/** Pair words the test key changes in plain prose (checked below), to hide in each guarded place. */
const WORDS = 'also often quickly usually perhaps helpful tips various certainly';

test('code, inline code, quotes, block quotes, URLs, e-mails, numbers and JSON are never touched', () => {
  assert.notEqual(mark(WORDS).text, WORDS, 'in prose the key changes some of these words');
  const slug = WORDS.replace(/ /g, '/');
  const guarded = [
    `\`\`\`python\n# ${WORDS}\nx = ${WORDS.replace(/ /g, ' + ')}\n\`\`\``,
    `    ${WORDS} (indented code)`,
    `\t${WORDS}`,
    `Run \`${WORDS}\` here.`,
    `He said "${WORDS}" to us.`,
    `She wrote \u201c${WORDS}\u201d there.`,
    `> ${WORDS}`,
    `See https://example.com/${slug}?q=${slug} and www.${slug}.`,
    `Mail ${WORDS.replace(/ /g, '.')}@example.com now.`,
    `It holds ${WORDS.replace(/ /g, '1 ')}1 and x86: ${WORDS.replace(/ /g, '-')}, ${WORDS.replace(/ /g, '_')}, also's.`,
    `Payload {"note": "${WORDS}", "fast": ${WORDS.split(' ')[0]}} ends.`,
    `{"answer": "${WORDS}", "also": ["often"]}`,
    `  \n[1, "${WORDS}"]`,
  ];
  for (const snippet of guarded) assert.equal(mark(snippet).text, snippet);
  const numbers = `Also, 3.14 and 1,024 and 10% of 2026-03-02 stay; ${WORDS}.`;
  assert.deepEqual(mark(numbers).text.match(/[0-9][0-9.,%-]*/g), numbers.match(/[0-9][0-9.,%-]*/g));
});

test('contractions swap only where both forms say the same: never at a clause end, never the has of it\'s been', () => {
  const text = "It is what it is. I don't think it's been easy, but it's a good idea. They know more than I am able to say, and more than I am. Do not touch; I'm sure you're fine. That is, we cannot.";
  const outputs = new Set(Array.from({ length: 40 }, (_, k) => markText(text, { secret: createHash('sha256').update(`contraction-${k}`).digest(), rate: 1 }).text));
  assert.ok(outputs.size > 4, 'keys choose differently');
  for (const output of outputs) {
    assert.match(output, /what it is\./);
    assert.match(output, /it's been easy/);
    assert.match(output, /than I am able/);
    assert.match(output, /than I am\./);
    assert.match(output, /That is,/);
    assert.match(output, /^(It is|It's) what/);
    assert.match(output, /(Do not|Don't) touch; (I'm|I am) sure (you're|you are) fine/);
    assert.match(output, /we (cannot|can't)\./);
  }
});

test('a fenced block stays untouched while the prose around it is marked', () => {
  const code = '```js\nconst also = often(quickly); // also often quickly\n```';
  const text = `${PROSE}\n\n${code}\n\n${PROSE}`;
  const marked = mark(text).text;
  assert.ok(marked.includes(code));
  assert.notEqual(marked, text);
});

test('streamed and plain output are identical under many random chunkings', () => {
  const blob = 'QmFzZTY0IGlzIG5vdCBhIHdvcmQgYXQgYWxsIGFuZCBpdCBnb2VzIG9u'.replace(/[0-9]/g, 'x').repeat(4);
  const text = `${PROSE}\n\n\`\`\`\nalso often\n\`\`\`\nIt is "also" often ${blob} also often ${blob}'s do ${blob} `.repeat(3) + 'also';
  const plain = mark(text).text;
  const random = seededRandom(42);
  for (let run = 0; run < 300; run++) {
    const cuts = [...new Set(Array.from({ length: 1 + Math.floor(random() * 40) }, () => Math.floor(random() * text.length)))].sort((a, b) => a - b);
    assert.equal(streamed(text, cuts), plain, `cuts ${cuts.join(',')}`);
  }
  // One character at a time, the worst case for look-ahead.
  assert.equal(streamed(text, Array.from({ length: text.length }, (_, i) => i)), plain);
});

test('a letter run longer than any word is passed on at once, not held', () => {
  const stream = new MarkStream({ secret, rate: 1 });
  const blob = 'abcdefghij'.repeat(10);
  assert.equal(stream.push(`Also ${blob.slice(0, 60)}`), `${mark('Also ').text}${blob.slice(0, 60)}`);
  assert.equal(stream.push(blob.slice(60)), blob.slice(60));
});

test('the stream holds back at most the word in progress', () => {
  const stream = new MarkStream({ secret, rate: 1 });
  let out = stream.push('Also, it is often difficult ');
  assert.ok(out.endsWith('difficult ') || out.endsWith('challenging '), out);
  out += stream.push('to obtain additi');
  assert.ok(out.endsWith('obtain ') || out.endsWith('acquire '), out);
  out += stream.push('onal tips');
  assert.ok(out.endsWith(' '), 'the last word waits for what follows it');
  out += stream.end();
  assert.equal(out, mark('Also, it is often difficult to obtain additional tips').text);
});

test('rate scales the substitutions, 0 changes nothing, and the detector sees the marked words', () => {
  const text = PROSE.repeat(20);
  assert.equal(mark(text, 0).text, text);
  const full = mark(text, 1).counts.changed;
  const half = mark(text, 0.5).counts.changed;
  assert.ok(half < full && half > 0, `${half} < ${full}`);
  assert.equal(observe(mark(text).text).length, observe(text).length, 'a marked text has as many sites as its source');
});

test("a suspect's text is read everywhere, and a line's first site has the line start as its context", () => {
  const text = 'We use {braces, "quotes and `code\nalso often\n- It is fine, and also useful.';
  const marked = observe(text).map((site) => `${site.previous}:${site.pair.members[0]}`);
  const everywhere = observe(text, true).map((site) => `${site.previous}:${site.pair.members[0]}`);
  assert.deepEqual(marked, [], 'the mark leaves all of it alone: inside braces until the blank line that never comes');
  assert.deepEqual(everywhere, [':also', 'also:often', ':it is', 'and:also', 'also:helpful']);
});
