/**
 * Expected failures are values, not exceptions: they cross IPC intact (an Error loses everything
 * but its message) and force the caller to handle them. Throw only for bugs.
 */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

/** A failure a person can act on. `message` is Chinese (简体中文) and says what to do. */
export interface AppError {
  /** Stable machine-readable code, e.g. `corpus.damaged`, `bundle.hash_mismatch`. */
  code: string;
  /** 中文提示，说明原因和下一步。 */
  message: string;
  /** Technical detail for logs; never shown as the main message. */
  detail?: string;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = (code: string, message: string, detail?: string): Result<never> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
});
