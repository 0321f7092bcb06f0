/** A hand-made progress bar on stderr; silent when stderr is not a terminal (CI logs stay clean). */
export function progressBar(label: string, total: number | undefined): { update(done: number): void; finish(done: number): void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  const render = (done: number, final: boolean): void => {
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    const width = 30;
    const share = total ? Math.min(1, done / total) : 0;
    const bar = total ? '#'.repeat(Math.round(share * width)).padEnd(width, '.') : '';
    const text = `${label} ${bar} ${done.toLocaleString('en-US')} requests, ${Math.round(rate).toLocaleString('en-US')}/s`;
    if (tty) process.stderr.write(`\r${text}${final ? '\n' : ''}`);
    else if (final) process.stderr.write(`${text}\n`);
  };
  return { update: (done) => render(done, false), finish: (done) => render(done, true) };
}
