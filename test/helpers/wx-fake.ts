/** A faithful-enough `wx` for component tests: contexts record calls, settings and authorize are scriptable. */
export interface FakePusher {
  start: jest.Mock;
  stop: jest.Mock;
  pause: jest.Mock;
  resume: jest.Mock;
  switchCamera: jest.Mock;
  startPreview: jest.Mock;
  stopPreview: jest.Mock;
}

export interface WxFake {
  pusher: FakePusher;
  players: Map<string, { pause: jest.Mock; resume: jest.Mock; stop: jest.Mock; play: jest.Mock }>;
  createLivePusherContext: jest.Mock;
  createLivePlayerContext: jest.Mock;
  authSetting: Record<string, boolean>;
  /** scopes the user refuses in wx.authorize */
  deny: Set<string>;
  system: { platform: string; version: string; SDKVersion: string };
}

function cb(
  opts: { success?: (r: unknown) => void; complete?: (r: unknown) => void } | undefined,
  res: unknown,
) {
  opts?.success?.(res);
  opts?.complete?.(res);
}

export function installWx(): WxFake {
  const w = (globalThis as any).wx as Record<string, unknown>;
  const pusher: FakePusher = {
    start: jest.fn((o) => cb(o, { errMsg: 'start:ok' })),
    stop: jest.fn((o) => cb(o, { errMsg: 'stop:ok' })),
    pause: jest.fn((o) => cb(o, { errMsg: 'pause:ok' })),
    resume: jest.fn((o) => cb(o, { errMsg: 'resume:ok' })),
    switchCamera: jest.fn((o) => cb(o, { errMsg: 'switchCamera:ok' })),
    startPreview: jest.fn((o) => cb(o, { errMsg: 'startPreview:ok' })),
    stopPreview: jest.fn((o) => cb(o, { errMsg: 'stopPreview:ok' })),
  };
  const fake: WxFake = {
    pusher,
    players: new Map(),
    createLivePusherContext: jest.fn(() => pusher),
    createLivePlayerContext: jest.fn((id: string) => {
      let p = fake.players.get(id);
      if (!p) {
        p = { pause: jest.fn(), resume: jest.fn(), stop: jest.fn(), play: jest.fn() };
        fake.players.set(id, p);
      }
      return p;
    }),
    authSetting: { 'scope.camera': true, 'scope.record': true },
    deny: new Set(),
    system: { platform: 'android', version: '8.0.50', SDKVersion: '3.5.0' },
  };
  w.createLivePusherContext = fake.createLivePusherContext;
  w.createLivePlayerContext = fake.createLivePlayerContext;
  w.getSystemInfoSync = () => ({ ...fake.system });
  w.getAppBaseInfo = undefined;
  w.getDeviceInfo = undefined;
  // a test's own canIUse never outlives it
  delete w.canIUse;
  w.getSetting = (o: { success?: (r: unknown) => void }) => cb(o, { authSetting: { ...fake.authSetting } });
  w.authorize = (o: { scope: string; success?: (r: unknown) => void; fail?: (r: unknown) => void }) => {
    if (fake.deny.has(o.scope)) o.fail?.({ errMsg: 'authorize:fail auth deny' });
    else {
      fake.authSetting[o.scope] = true;
      o.success?.({ errMsg: 'authorize:ok' });
    }
  };
  return fake;
}

export const userlist = (items: Array<Record<string, unknown>>) => JSON.stringify({ userlist: items });
