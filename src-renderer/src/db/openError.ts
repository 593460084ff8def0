/**
 * Why the database could not be opened, in words a person can act on. The app shows this on a
 * stop screen and does not continue: continuing on an empty or foreign database would look like
 * data loss.
 */
import type { AppError } from '../../../src-main/shared/result';

export function describeOpenError(e: unknown): AppError {
  const err = e as { name?: string; message?: string; inner?: { name?: string } } | null;
  const name = err?.name ?? '';
  const detail = `${name}: ${err?.message ?? String(e)}`;
  if (name === 'VersionError' || err?.inner?.name === 'VersionError') {
    return {
      code: 'db.newer_version',
      message: '本机数据由更新版本的试点任务批注工作台创建，当前版本无法安全读写。请升级本软件后再打开；数据未被改动。',
      detail,
    };
  }
  if (name === 'QuotaExceededError' || err?.inner?.name === 'QuotaExceededError') {
    return { code: 'db.quota', message: '磁盘空间不足，无法打开本地数据库。请清理磁盘空间后重启本软件。', detail };
  }
  if (name === 'InvalidStateError' || name === 'MissingAPIError') {
    return { code: 'db.unavailable', message: '无法使用本地数据库（浏览器存储被禁用或处于隐私模式）。', detail };
  }
  return { code: 'db.open_failed', message: '无法打开本地数据库。请重启本软件；如仍失败，请联系维护人员并提供技术信息。', detail };
}
