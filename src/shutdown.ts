/**
 * Graceful shutdown of `npm start`: on SIGTERM or SIGINT the gateway stops accepting connections,
 * lets the requests in flight finish (bounded by the drain timeout, after which their connections
 * are closed), then closes the sandbox, and the process exits 0. A second signal exits at once
 * (1), and so does a shutdown that has not finished a few seconds after the drain timeout.
 */
import type { Logger } from './observability/log.js';

/** Options of {@link shutdownOnSignal}. */
export interface ShutdownOptions {
  logger: Logger;
  /** The drain bound the server was built with (ms): the hard stop comes 5 s after it. */
  drainTimeoutMs: number;
  /** Ends the process (default `process.exit`). */
  exit?: (code: number) => void;
}

/** Calls `close` on the first SIGTERM or SIGINT and exits with its outcome. */
export function shutdownOnSignal(close: () => Promise<void>, options: ShutdownOptions): void {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      exit(1);
      return;
    }
    closing = true;
    logger.info({ signal, drainTimeoutMs: options.drainTimeoutMs }, 'shutting down: no new connections, finishing requests in flight');
    const hardStop = setTimeout(() => {
      logger.error({ signal }, 'shutdown did not finish in time');
      exit(1);
    }, options.drainTimeoutMs + 5_000);
    hardStop.unref();
    close().then(
      () => {
        clearTimeout(hardStop);
        logger.info('shut down');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(hardStop);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
