import type { Writable } from 'node:stream';

export interface Progress {
  update(done: number): void;
  finish(done: number): void;
}

const WIDTH = 30;
const number = (n: number): string => n.toLocaleString('en-US');

/**
 * A bar redrawn in place on a terminal; elsewhere (a log file, CI) a plain line every tenth,
 * so the output stays readable where carriage returns are not. With no total known (a log read
 * as it streams) it counts instead, and elsewhere says only the last count. The last line gives
 * the rate, which is what a replay's user reads it for.
 */
export function progressBar(out: Writable & { isTTY?: boolean }, total: number | undefined, label: string): Progress {
  const tty = out.isTTY === true;
  const started = performance.now();
  let lastTenth = -1;
  const counted = (done: number) => (total === undefined ? `${number(done)} ${label}` : `${number(done)} / ${number(total)} ${label}`);
  const line = (done: number) => {
    if (total === undefined) return counted(done);
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(share * WIDTH);
    return `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${counted(done)}`;
  };
  return {
    update(done) {
      if (tty) {
        out.write(`\r${line(done)}`);
        return;
      }
      if (total === undefined) return;
      const tenth = total === 0 ? 10 : Math.floor((10 * done) / total);
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        out.write(`  ${counted(done)}\n`);
      }
    },
    finish(done) {
      const rate = `${number(Math.round(done / Math.max(0.001, (performance.now() - started) / 1000)))}/s`;
      out.write(tty ? `\r${line(done)}, ${rate}\n` : `  ${counted(done)}, ${rate}\n`);
    },
  };
}
