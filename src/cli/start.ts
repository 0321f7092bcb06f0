import { Option, type Command } from 'commander';
import { DEFAULT_DATA_DIR, dataDirOption } from './store-options.js';

interface StartOptions {
  demo: boolean;
  port: number;
  host: string;
  dataDir: string;
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port / MOAT_PORT: not a port number: ${text}`);
  return port;
}

async function start(options: StartOptions): Promise<void> {
  let demo;
  try {
    const { startDemo } = await import('./demo.js');
    demo = await startDemo({ dataDir: options.dataDir, port: options.port, host: options.host, replay: options.demo });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${options.port} is in use: choose another with --port or MOAT_PORT`);
    throw error;
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.exit((await demo.stop()) ? 0 : 1);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('try Moat (what `npm start` runs): the gateway on SQLite before the stand-in, console and admin API on, a labelled traffic slice replayed through it and a summary; then it keeps serving')
    .option('--no-demo', 'no replay: the gateway, console and admin API only')
    .addOption(new Option('--port <port>', 'listen port (0: any free one)').env('MOAT_PORT').default(8080).argParser(portOf))
    .addOption(new Option('--host <host>', 'listen address').env('MOAT_HOST').default('127.0.0.1'))
    .addOption(dataDirOption('database, ledger files and credentials.json').default(DEFAULT_DATA_DIR))
    .action(start);
}
