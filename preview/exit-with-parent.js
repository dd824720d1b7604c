/**
 * Preloaded (`node -r`) into the long-running children of `npm start` (`gulp watchSources`): the child ends as
 * soon as its parent does, however the parent ended (Ctrl-C, a crash, SIGKILL), because the IPC channel the
 * parent opened closes with it. Without this an orphaned watcher kept rebuilding dist/ and broke the next
 * `npm run watch` / `npm start`. It ends its whole process group, grandchildren included.
 */
'use strict';
/** The child leads its own process group (spawned detached): end the whole group, so what it started (a
 * rebuild's tsc) ends too. */
function endGroup() {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(0);
  }
}
if (process.channel) {
  process.channel.unref();
  process.on('disconnect', endGroup);
  process.on('SIGTERM', endGroup);
}
