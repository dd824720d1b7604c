/**
 * Preloaded (`node -r`) into the long-running children of `npm start` (`gulp watchSources`): the child ends as
 * soon as its parent does, however the parent ended (Ctrl-C, a crash, SIGKILL), because the IPC channel the
 * parent opened closes with it. Without this an orphaned watcher kept rebuilding dist/ and broke the next
 * `npm run watch` / `npm start`.
 */
'use strict';
if (process.channel) {
  process.channel.unref();
  process.on('disconnect', () => process.exit(0));
}
