/**
 * The package's run-time entry, `require('webrtc-room')` / `import { ErrorCode } from 'webrtc-room'`: the
 * error-code tables and the method list (its types are `dist/types/index.d.ts`). The component itself is
 * `webrtc-room/components/webrtc-room/index` in `usingComponents`; the chat glue is
 * `webrtc-room/components/webrtc-room/chat`. Built into dist/wx/index.js and dist/tt/index.js, the file a
 * mini-program's `require('webrtc-room')` finds in miniprogram_npm/webrtc-room/.
 */
export * from './types/index';
