/**
 * Frame validation for the room emulator: every client frame is checked here before any handler sees it.
 * A frame is a JSON object of a known shape: every field its type, every string within its length, no
 * prototype keys (`__proto__`, `constructor`, `prototype`) anywhere, nesting and key counts bounded.
 * The result is a fresh object built from the checked fields only, so handlers never see anything else.
 */
import {
  MAX_SEI_BYTES,
  TRTC_SCENES,
  type ChatRequest,
  type ChatWireMessage,
  type ClientMessage,
} from './protocol';

export type Checked = { ok: true; msg: ClientMessage } | { ok: false; field: string; why: string };

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;
const MAX_KEYS = 256;

/** Strings the clouds accept as IDs: printable, no control characters. */
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;
/** Multi-line text (SDP): printable plus tab, CR and LF. */
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
/** Douyin roomId / userId (douyin-rtc.md §2.3). */
const VOLC_ID = /^[a-zA-Z0-9@._-]{1,128}$/;

class Bad extends Error {
  constructor(
    readonly field: string,
    readonly why: string,
  ) {
    super(`${field}: ${why}`);
  }
}

/** Throws on a prototype key, too deep a nesting or too many keys (counted over the whole value). */
function scan(v: unknown, path: string, depth: number, budget: { keys: number }): void {
  if (v === null || typeof v !== 'object') return;
  if (depth > MAX_DEPTH) throw new Bad(path, 'nested too deeply');
  const keys = Object.keys(v);
  budget.keys += keys.length;
  if (budget.keys > MAX_KEYS) throw new Bad(path, 'too many keys');
  for (const k of keys) {
    if (FORBIDDEN.has(k)) throw new Bad(path ? `${path}.${k}` : k, 'prototype key');
    scan((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1, budget);
  }
}

type Obj = Record<string, unknown>;

function str(o: Obj, k: string, max: number, opts: { optional?: boolean; min?: number; re?: RegExp } = {}) {
  const v = o[k];
  if (v === undefined && opts.optional) return undefined;
  if (typeof v !== 'string') throw new Bad(k, 'must be a string');
  if (v.length < (opts.min ?? 1)) throw new Bad(k, 'is empty');
  if (v.length > max) throw new Bad(k, `is longer than ${max}`);
  if (!(opts.re ?? PRINTABLE).test(v)) throw new Bad(k, 'has characters that are not allowed');
  return v;
}

function int(o: Obj, k: string, min: number, max: number, optional = false): number | undefined {
  const v = o[k];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new Bad(k, `must be an integer in ${min}..${max}`);
  }
  return v;
}

function bool(o: Obj, k: string, optional = false): boolean | undefined {
  const v = o[k];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'boolean') throw new Bad(k, 'must be a boolean');
  return v;
}

function obj(v: unknown, k: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Bad(k, 'must be an object');
  return v as Obj;
}

function oneOf<T extends string>(o: Obj, k: string, values: readonly T[]): T {
  const v = o[k];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new Bad(k, `must be one of ${values.join(', ')}`);
  }
  return v as T;
}

function defined<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

const SIGNAL_KINDS = ['subscribe', 'offer', 'answer', 'ice', 'bye', 'video'] as const;

/** WebRTC signalling between two browsers: relayed, but only in the shape the stand-ins speak. */
function signalData(v: unknown): Obj {
  const d = obj(v, 'data');
  const out: Obj = {
    kind: oneOf(d, 'kind', SIGNAL_KINDS),
    sid: str(d, 'sid', 128),
    dir: oneOf(d, 'dir', ['toPub', 'toSub'] as const),
  };
  if (d.sdp !== undefined) {
    const sdp = obj(d.sdp, 'data.sdp');
    out.sdp = {
      type: oneOf(sdp, 'type', ['offer', 'answer'] as const),
      sdp: str(sdp, 'sdp', 32768, { re: TEXT }),
    };
  }
  if (d.candidate !== undefined && d.candidate !== null) {
    const c = obj(d.candidate, 'data.candidate');
    out.candidate = defined({
      candidate: str(c, 'candidate', 1024, { min: 0 }),
      sdpMid: c.sdpMid === null ? null : str(c, 'sdpMid', 64, { optional: true, min: 0 }),
      sdpMLineIndex: c.sdpMLineIndex === null ? null : int(c, 'sdpMLineIndex', 0, 64, true),
      usernameFragment:
        c.usernameFragment === null ? null : str(c, 'usernameFragment', 256, { optional: true, min: 0 }),
    });
  } else if (d.candidate === null) out.candidate = null;
  if (d.kinds !== undefined) {
    if (
      !Array.isArray(d.kinds) ||
      d.kinds.length > 2 ||
      d.kinds.some((k) => k !== 'audio' && k !== 'video')
    ) {
      throw new Bad('data.kinds', 'must list audio and/or video');
    }
    out.kinds = [...(d.kinds as string[])];
  }
  if (d.stream !== undefined) out.stream = oneOf(d, 'stream', ['main', 'small'] as const);
  if (d.active !== undefined) out.active = bool(d, 'active');
  return out;
}

function chatMessage(v: unknown): ChatWireMessage {
  const m = obj(v, 'message');
  return defined({
    ID: str(m, 'ID', 16384, { optional: true, min: 0 }) ?? '',
    type: str(m, 'type', 32),
    conversationType: str(m, 'conversationType', 16),
    to: str(m, 'to', 128),
    // stamped by the emulator
    from: '',
    time: 0,
    payload: m.payload === undefined ? null : obj(m.payload, 'message.payload'),
    nick: str(m, 'nick', 256, { optional: true, min: 0 }),
    avatar: str(m, 'avatar', 1024, { optional: true, min: 0 }),
    cloudCustomData: str(m, 'cloudCustomData', 12288, { optional: true, min: 0, re: TEXT }),
  }) as ChatWireMessage;
}

function chatRequest(o: Obj): ChatRequest {
  const rid = int(o, 'rid', 0, 0x7fffffff) as number;
  const op = oneOf(o, 'op', ['login', 'logout', 'join', 'create', 'quit', 'send'] as const);
  switch (op) {
    case 'login':
      return {
        t: 'im',
        rid,
        op,
        sdkAppID: int(o, 'sdkAppID', 1, 0xffffffff) as number,
        userID: str(o, 'userID', 128) as string,
        userSig: str(o, 'userSig', 4096) as string,
      };
    case 'logout':
      return { t: 'im', rid, op };
    case 'join':
      return defined({
        t: 'im' as const,
        rid,
        op,
        groupID: str(o, 'groupID', 128) as string,
        type: str(o, 'type', 32, { optional: true }),
      });
    case 'create':
      return {
        t: 'im',
        rid,
        op,
        groupID: str(o, 'groupID', 128) as string,
        type: str(o, 'type', 32) as string,
        name: str(o, 'name', 128) as string,
      };
    case 'quit':
      return { t: 'im', rid, op, groupID: str(o, 'groupID', 128) as string };
    case 'send':
      return { t: 'im', rid, op, message: chatMessage(o.message) };
  }
}

function build(o: Obj): ClientMessage {
  const t = oneOf(o, 't', ['join', 'update', 'leave', 'signal', 'ping', 'token', 'sei', 'im'] as const);
  switch (t) {
    case 'join': {
      const model = oneOf(o, 'model', ['trtc', 'volc'] as const);
      if (model === 'trtc') {
        const roomID = int(o, 'roomID', 1, 4294967294, true);
        const strRoomID = str(o, 'strRoomID', 64, { optional: true });
        if (roomID === undefined && strRoomID === undefined)
          throw new Bad('roomID', 'roomID or strRoomID is required');
        return defined({
          t,
          model,
          sdkAppID: int(o, 'sdkAppID', 1, 0xffffffff) as number,
          roomID,
          strRoomID,
          userID: str(o, 'userID', 128) as string,
          userSig: str(o, 'userSig', 4096) as string,
          privateMapKey: str(o, 'privateMapKey', 4096, { optional: true, min: 0 }),
          audio: bool(o, 'audio', true) ?? false,
          video: bool(o, 'video', true) ?? false,
          platform: o.platform === undefined ? undefined : oneOf(o, 'platform', ['ios', 'android'] as const),
          appscene: o.appscene === undefined ? undefined : oneOf(o, 'appscene', TRTC_SCENES),
          anchor: bool(o, 'anchor', true),
        });
      }
      return defined({
        t,
        model,
        appID: str(o, 'appID', 64) as string,
        roomId: str(o, 'roomId', 128, { re: VOLC_ID }) as string,
        userId: str(o, 'userId', 128, { re: VOLC_ID }) as string,
        token: str(o, 'token', 4096) as string,
        audio: bool(o, 'audio', true) ?? false,
        video: bool(o, 'video', true) ?? false,
        visible: bool(o, 'visible', true),
      });
    }
    case 'update':
      return defined({
        t,
        audio: bool(o, 'audio', true),
        video: bool(o, 'video', true),
        screen: bool(o, 'screen', true),
        visible: bool(o, 'visible', true),
        anchor: bool(o, 'anchor', true),
      });
    case 'leave':
      return { t };
    case 'signal':
      return { t, to: str(o, 'to', 128) as string, data: signalData(o.data) };
    case 'ping': {
      const id = o.id;
      if (id !== undefined && (typeof id !== 'number' || !Number.isFinite(id)))
        throw new Bad('id', 'must be a number');
      return id === undefined ? { t } : { t, id };
    }
    case 'token':
      return { t, token: str(o, 'token', 4096) as string };
    case 'sei': {
      // an in-stream (SEI) message: UTF-8, at most MAX_SEI_BYTES bytes, as LivePusherContext.sendMessage allows
      const payload = str(o, 'payload', MAX_SEI_BYTES, { min: 0, re: /^[\s\S]*$/ }) as string;
      if (payload.includes(String.fromCharCode(0))) throw new Bad('payload', 'has a NUL character');
      if (Buffer.byteLength(payload) > MAX_SEI_BYTES) throw new Bad('payload', `over ${MAX_SEI_BYTES} bytes`);
      return { t, payload };
    }
    case 'im':
      return chatRequest(o);
  }
}

/** Parses and checks one text frame. */
export function checkFrame(text: string): Checked {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, field: '', why: 'not JSON' };
  }
  try {
    const o = obj(v, 'frame');
    scan(o, '', 0, { keys: 0 });
    return { ok: true, msg: build(o) };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, field: e.field, why: e.why };
    throw e;
  }
}
