/**
 * Types for the official `tls-sig-api-v2` package (1.0.2 ships none). Only what the package really exports.
 * The package reads the clock with `Date.now()`; it has no way to pass a fixed time.
 */
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkappid: number, key: string);
    /** UserSig with an optional userbuf (PrivateMapKey payload). `expire` is relative seconds. */
    genSig(userid: string, expire: number, userBuf?: Buffer | null): string;
    genUserSig(userid: string, expire: number): string;
    genPrivateMapKey(userid: string, expire: number, roomid: number, privilegeMap: number): string;
    genPrivateMapKeyWithStringRoomID(
      userid: string,
      expire: number,
      roomstr: string,
      privilegeMap: number,
    ): string;
  }
}

/** The file itself: Jest's resolver reads the package's first (wrong) "main", so tests import this path. */
declare module 'tls-sig-api-v2/TLSSigAPIv2' {
  export { Api } from 'tls-sig-api-v2';
}
