import { UsageError } from '../../src/errors.js';

/** The UsageError `fn` throws; anything else it throws is thrown on, and no throw at all is an error. */
export function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError, none was thrown');
}
