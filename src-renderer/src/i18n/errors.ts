/**
 * The message of an expected failure in the UI's language: the catalogue's `errorCodes` entry for
 * its code when there is one (the Chinese catalogue holds the data core's own message), otherwise the
 * message the failure carries (Chinese, as the data core writes it).
 */
import type { TFunction } from 'i18next';

export function errorText(t: TFunction, error: { code: string; message: string }): string {
  return t(`errorCodes.${error.code.replace(/\./g, '_')}`, { defaultValue: error.message });
}
