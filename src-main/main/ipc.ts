/**
 * Binds the handler map to Electron's ipcMain. Every call passes one sender check: calls from a
 * frame that is not the app's own renderer are refused. Unknown channels have no handler.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Channel, type Handlers } from '../shared/ipc-contract';
import { fail } from '../shared/result';

export function senderUrl(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | undefined {
  return event.senderFrame?.url;
}

/** Told about a handler that threw (a bug, not an expected failure): the channel and the error only, never the arguments. */
export type IpcErrorReporter = (channel: Channel, error: unknown) => void;

/** Wraps one handler with the sender check; exported so tests can call it without electron. */
export function guard<C extends Channel>(
  channel: C,
  handler: Handlers[C],
  isTrusted: (url: string | undefined) => boolean,
  onError?: IpcErrorReporter,
) {
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, ...args: unknown[]) => {
    if (!isTrusted(senderUrl(event))) {
      return fail('ipc.forbidden_sender', '请求来源不受信任，已拒绝。', `${channel} from ${senderUrl(event) ?? '?'}`);
    }
    try {
      return await (handler as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (e) {
      try {
        onError?.(channel, e);
      } catch {
        // a failing reporter must not change the answer
      }
      return fail('internal', '程序内部错误，操作未完成。请重试；如仍失败，请导出日志并联系维护人员。', String(e));
    }
  };
}

/** The only place that calls `ipcMain.handle`. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: Handlers,
  isTrusted: (url: string | undefined) => boolean,
  onError?: IpcErrorReporter,
): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, guard(channel, handlers[channel] as Handlers[typeof channel], isTrusted, onError));
  }
}
