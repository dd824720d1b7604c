/** Production signing keys for the signing-service tests (not real keys). */
import type { ServerEnv } from '../../../server/config';

export const PROD_KEYS: ServerEnv = {
  NODE_ENV: 'production',
  TRTC_SDK_APP_ID: '1400123456',
  TRTC_SECRET_KEY: 'trtc-secret-0123456789abcdef0123456789abcdef',
  VOLC_APP_ID: 'abcdefghijklmnopqrstuvwx',
  VOLC_APP_KEY: 'volc-app-key-0123456789abcdef',
  WORKERS: '1',
};
