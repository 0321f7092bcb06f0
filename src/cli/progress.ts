import type { Writable } from 'node:stream';

export interface Progress {
  update(done: number): void;
  finish(done: number): void;
}

const WIDTH = 30;
const number = (n: number): string => n.toLocaleString('en-US');

/**
 * A bar redrawn in place on a terminal; elsewhere (a log file, CI) a plain line every tenth,
 * so the output stays readable where carriage returns are not.
 */
export function progressBar(out: Writable & { isTTY?: boolean }, total: number, label: string): Progress {
  const tty = out.isTTY === true;
  let lastTenth = -1;
  const line = (done: number) => {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(share * WIDTH);
    return `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${number(done)} / ${number(total)} ${label}`;
  };
  return {
    update(done) {
      if (tty) {
        out.write(`\r${line(done)}`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((10 * done) / total);
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        out.write(`  ${number(done)} / ${number(total)} ${label}\n`);
      }
    },
    finish(done) {
      out.write(tty ? `\r${line(done)}\n` : `  ${number(done)} / ${number(total)} ${label}\n`);
    },
  };
}
