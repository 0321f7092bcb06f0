import { pino, type Logger } from 'pino';

/** Secrets are cut at the logger, whatever a caller passes it. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.apiKey', 'apiKey', '*.token', 'token', 'secret', '*.secret'],
      censor: '[Redacted]',
    },
  });
}
