import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout (SPEC §6); no personal data is ever passed in. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'arets-misstag' }, timestamp: pino.stdTimeFunctions.isoTime });
}
