/**
 * Component errors with their message keys: created in English (so logs read well) and rendered again in the
 * component's language when emitted. A platform's own text without a key keeps that text behind a translated
 * summary chosen by the error code.
 */
import { ErrorCode, ErrorDetail, RoomError, roomError } from './events';
import { Lang, MessageKey, msg, Msg, Params, platformText, t } from './i18n';
import type { FieldError } from './validate';

/** A component error whose message is `key` rendered with `params`. */
export function componentError(
  code: number,
  key: MessageKey,
  params: Params = {},
  rawCode = 0,
  extra: Partial<ErrorDetail> = {},
): RoomError {
  return roomError(code, t('en', key, params), rawCode, extra, msg(key, params));
}

const PLATFORM_KEYS: Record<number, MessageKey> = {
  [ErrorCode.INVALID_PARAM]: 'param.platform',
  [ErrorCode.NOT_SUPPORTED]: 'support.platform',
  [ErrorCode.CAMERA_FAILED]: 'device.platform',
  [ErrorCode.MIC_FAILED]: 'device.platform',
  [ErrorCode.PERMISSION_DENIED]: 'permission.platform',
  [ErrorCode.CREDENTIAL_REJECTED]: 'credential.platform',
  [ErrorCode.ENTER_FAILED]: 'enter.platform',
  [ErrorCode.ALREADY_IN_ROOM]: 'room.already',
  [ErrorCode.ENGINE_DESTROYED]: 'engine.destroyed',
};

/** Message key for a platform's own text, by component error code. */
export function platformMsg(code: number, text: string): Msg {
  return msg(PLATFORM_KEYS[code] ?? 'warn.platform', { text });
}

/**
 * The same error with its message in `lang` from the catalog, the platform's own text (if any) moved to
 * `detail.platformMessage`; the same object when nothing changes.
 */
export function localizeError(err: RoomError, lang: Lang): RoomError {
  const m = err.i18n ?? platformMsg(err.code, err.detail.message);
  const message = t(lang, m.key, m.params);
  const raw = platformText(m);
  if (message === err.detail.message && raw === err.detail.platformMessage) return err;
  const extra: Partial<ErrorDetail> = { ...err.detail };
  delete extra.message;
  delete extra.rawCode;
  if (raw) extra.platformMessage = raw;
  return roomError(err.code, message, err.detail.rawCode, extra, m);
}

/** Error -15: the native call `api` failed, with the client's own `text` (its errMsg) in the message. */
export function nativeFailed(api: string, text: string, rawCode = 0): RoomError {
  return componentError(ErrorCode.COMMAND_FAILED, 'native.failed', { api, text }, rawCode);
}

/** A validation failure as error -1 naming the field. */
export function invalidParam(e: FieldError): RoomError {
  return roomError(ErrorCode.INVALID_PARAM, e.message, 0, { field: e.field }, e.i18n);
}
