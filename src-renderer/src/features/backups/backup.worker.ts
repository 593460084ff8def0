/// <reference lib="webworker" />
/**
 * The backup worker: reads the database, zips the bundle and checks the bytes written, off the
 * page's thread (protocol: backupProtocol.ts). One worker per backup; the page ends it when done.
 */
import { answer, type BackupRequest } from './backupProtocol';

self.onmessage = (e: MessageEvent<BackupRequest>) => {
  void answer(e.data, (m, transfer) => (self as unknown as Worker).postMessage(m, transfer));
};
