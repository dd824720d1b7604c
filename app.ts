/**
 * Demo app. `credentialsURL` points at the signing service (`npm run server`, or the one `npm start` runs).
 * On a phone, set it to your own HTTPS server and add that domain to the mini-program's request whitelist; `bgmURL`
 * likewise.
 */
export interface DemoGlobals {
  credentialsURL: string;
  /**
   * Background music for the room page's music button: the preview's generated melody. On a phone, an HTTPS URL
   * of an audio file (add its domain to the whitelist) or a local file path; '' hides the button.
   */
  bgmURL: string;
}

App<{ globalData: DemoGlobals }>({
  globalData: {
    credentialsURL: 'http://127.0.0.1:8787/api/credentials',
    bgmURL: '/_preview/bgm.wav',
  },
});
