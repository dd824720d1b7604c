/**
 * Render benchmark through the real component in miniprogram-simulate (wcc-compiled WXML + WXS, j-component
 * rendering): 40 remote users, then a storm of 2,500 native events (video/audio toggles) in bursts of 5, each
 * burst followed by the 16 ms batch window (fake timers), so one setData renders it. Prints ms per event.
 * Lives in test/ for the jest types; not a test (testMatch is *.test.ts). Run by bench/index.ts (`npm run bench`) through jest: BENCH_ROOT = the mini-program tree (default dist/wx),
 * BENCH_OUT = where to write the JSON result.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mountRoom } from './helpers/mp';
import { installWx, userlist } from './helpers/wx-fake';

const ROOT = process.env.BENCH_ROOT ?? path.resolve(__dirname, '../dist/wx');
const USERS = 40;
const EVENTS = 2500;
const BURST = 5;

test(`render storm: ${EVENTS} events over ${USERS} users in bursts of ${BURST}`, async () => {
  jest.useFakeTimers({ doNotFake: ['performance'] });
  installWx();
  const template = process.env.BENCH_TEMPLATE ?? 'grid';
  const { host, room } = mountRoom(
    { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig', roomID: 7, template },
    { root: ROOT },
  );
  void room.instance.start().catch(() => undefined);
  for (let i = 0; i < 20; i++) await Promise.resolve();
  jest.advanceTimersByTime(50);
  const pusher = room.querySelector('#pusher')._exparserNode;
  const fire = (code: number, message: string) => pusher.triggerEvent('statechange', { code, message }, {});
  fire(1018, 'onEnterRoom success');
  const users = Array.from({ length: USERS }, (_, i) => `user${i}`);
  fire(1031, userlist(users.map((userid) => ({ userid }))));
  fire(
    1033,
    userlist(
      users.map((userid) => ({
        userid,
        hasvideo: true,
        playurl: `room://cloud.tencent.com/rtc?userid=${userid}&streamtype=main`,
      })),
    ),
  );
  fire(
    1034,
    userlist(
      users.map((userid) => ({
        userid,
        hasaudio: true,
        playurl: `room://cloud.tencent.com/rtc?userid=${userid}&streamtype=main`,
      })),
    ),
  );
  for (let i = 0; i < 20; i++) await Promise.resolve();
  jest.advanceTimersByTime(50);
  expect(room.querySelectorAll('.wr-tile--remote').length).toBe(USERS);

  const video = new Array<boolean>(USERS).fill(true);
  const audio = new Array<boolean>(USERS).fill(true);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let e = 0; e < EVENTS; e++) {
    const u = (e * 7) % USERS;
    const userid = users[u];
    if (e % 2 === 0) {
      video[u] = !video[u];
      fire(
        1033,
        userlist([
          {
            userid,
            hasvideo: video[u],
            playurl: `room://cloud.tencent.com/rtc?userid=${userid}&streamtype=main`,
          },
        ]),
      );
    } else {
      audio[u] = !audio[u];
      fire(
        1034,
        userlist([
          {
            userid,
            hasaudio: audio[u],
            playurl: `room://cloud.tencent.com/rtc?userid=${userid}&streamtype=main`,
          },
        ]),
      );
    }
    if ((e + 1) % BURST === 0) jest.advanceTimersByTime(16);
  }
  jest.advanceTimersByTime(16);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  expect(room.querySelectorAll('.wr-tile--remote').length).toBe(USERS);
  host.detach();
  jest.useRealTimers();
  const result = {
    root: ROOT,
    template,
    users: USERS,
    events: EVENTS,
    burst: BURST,
    ms,
    msPerEvent: ms / EVENTS,
    cpuMs,
    cpuMsPerEvent: cpuMs / EVENTS,
  };
  if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify(result));
  else process.stdout.write(JSON.stringify(result) + '\n');
}, 300000);
