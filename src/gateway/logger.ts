import { pino, type DestinationStream, type Logger } from 'pino';

/** Secrets are cut at the logger, whatever a caller passes it. `destination`: stdout by default. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.apiKey', 'apiKey', '*.token', 'token', 'secret', '*.secret'],
      censor: '[Redacted]',
    },
  }, destination);
}
