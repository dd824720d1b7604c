/** Douyin: no in-stream messages and no snapshots: documented errors, never a crash. */
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

test('sendMessage is -2 pointing to the chat channel; snapshot is -2; bad payloads are still -1', async () => {
  d = new TtDriver();
  d.mount({ lang: 'en' });
  const started = d.start();
  await settle();
  await started;
  d.clearEvents();
  await expect(d.m.inst.sendMessage('hi')).rejects.toMatchObject({
    code: -2,
    detail: { message: expect.stringContaining('sendCustomMessage') },
  });
  await expect(d.m.inst.sendMessage('')).rejects.toMatchObject({ code: -1, detail: { field: 'payload' } });
  await expect(d.m.inst.snapshot()).rejects.toMatchObject({ code: -2 });
  await expect(d.m.inst.playBGM('https://example.com/a.mp3')).rejects.toMatchObject({
    code: -2,
    detail: { message: expect.stringContaining('background music') },
  });
  expect(d.events().map((e) => [e.tag, e.code])).toEqual([
    ['error', -2],
    ['error', -1],
    ['error', -2],
    ['error', -2],
  ]);
  expect(d.inRoom()).toBe(true);
  // nothing but the entry reached the context
  expect(d.fake.ctx.calls.map(([m]) => m)).toEqual([
    'changeVideoCapture',
    'changeAudioCapture',
    'joinRtcRoom',
  ]);
});
