/**
 * Demo app. `credentialsURL` points at the signing service (`npm run server`, or the one `npm start` runs).
 * On a phone, set it to your own HTTPS server and add that domain to the mini-program's request whitelist.
 */
export interface DemoGlobals {
  credentialsURL: string;
}

App<{ globalData: DemoGlobals }>({
  globalData: {
    credentialsURL: 'http://127.0.0.1:8787/api/credentials',
  },
});
