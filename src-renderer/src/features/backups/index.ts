/** The backups feature: the screen, the automatic scheduler, and the service both use. */
export { BackupsView } from './BackupsView';
export { useBackupScheduler, BACKUP_INTERVAL_MS } from './useBackupScheduler';
export { useBackupActivity } from './backupActivity';
export { makeBackup, restoreBackup, undoRestore, listBackups, lastRestore } from './backupService';
