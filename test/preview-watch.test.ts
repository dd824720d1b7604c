/** @jest-environment node */
/**
 * The preview's output watcher (preview/watch.ts) over a tree that is removed and rewritten the way the build
 * does it: no error escapes, a settled change is reported once, a tree mid-write or missing is waited for.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { treeSignature, watchOutput } from '../preview/watch';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-watch-'));
  fs.mkdirSync(path.join(dir, 'wx/components'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'wx/components/index.js'), 'a');
});
afterEach(() => {
  jest.useRealTimers();
  fs.rmSync(dir, { recursive: true, force: true });
});

function emit(text: string): void {
  fs.rmSync(path.join(dir, 'wx'), { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'wx/components/deep'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'wx/components/index.js'), text);
  fs.writeFileSync(path.join(dir, 'wx/components/deep/x.js'), text);
}

test('the signature changes with content and is empty for a missing tree', () => {
  const a = treeSignature(path.join(dir, 'wx'));
  fs.writeFileSync(path.join(dir, 'wx/components/index.js'), 'ab');
  expect(treeSignature(path.join(dir, 'wx'))).not.toBe(a);
  expect(treeSignature(path.join(dir, 'nope'))).toBe('');
});

test('a rewrite is reported once it settled; removal alone is waited for; nothing throws', () => {
  jest.useFakeTimers();
  const settled = jest.fn();
  const w = watchOutput([path.join(dir, 'wx')], settled, 100);
  jest.advanceTimersByTime(300);
  expect(settled).not.toHaveBeenCalled();
  fs.rmSync(path.join(dir, 'wx'), { recursive: true, force: true });
  jest.advanceTimersByTime(500); // gone: not settled, however long
  expect(settled).not.toHaveBeenCalled();
  emit('b');
  jest.advanceTimersByTime(100); // change seen
  expect(settled).not.toHaveBeenCalled();
  jest.advanceTimersByTime(100); // unchanged for one poll: settled
  expect(settled).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(1000);
  expect(settled).toHaveBeenCalledTimes(1);
  // a burst of rewrites, one poll apart, is one report after the last
  for (const t of ['c', 'dd', 'eee']) {
    emit(t);
    jest.advanceTimersByTime(100);
  }
  expect(settled).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(100);
  expect(settled).toHaveBeenCalledTimes(2);
  w.close();
  emit('f');
  jest.advanceTimersByTime(1000);
  expect(settled).toHaveBeenCalledTimes(2);
});
