/**
 * Golden-file tests for the WeChat → Douyin source conversion (build/platforms.ts), which the gulp build runs
 * on every file of dist/tt. Inputs are in test/golden/in, expected outputs in test/golden/tt.
 * After an intended change: UPDATE_GOLDEN=1 npx jest test/build.test.ts, then review the diff.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  jsToTt,
  outputPath,
  parseOverride,
  selectSources,
  transformForPlatform,
  wxmlToTtml,
} from '../build/platforms';

const GOLDEN = path.join(__dirname, 'golden');
const CASES: Array<[input: string, output: string]> = [
  ['page.wxml', 'page.ttml'],
  ['style.wxss', 'style.ttss'],
  ['layout.wxs', 'layout.sjs'],
  ['page.js', 'page.js'],
];

describe('golden: wx source → tt output', () => {
  test.each(CASES)('%s → %s', (input, output) => {
    const src = fs.readFileSync(path.join(GOLDEN, 'in', input), 'utf8');
    expect(outputPath(input, 'tt')).toBe(output);
    const got = transformForPlatform(output, src, 'tt');
    const file = path.join(GOLDEN, 'tt', output);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, got);
    expect(got).toBe(fs.readFileSync(file, 'utf8'));
  });

  test.each(CASES)('%s is unchanged for wx', (input) => {
    const src = fs.readFileSync(path.join(GOLDEN, 'in', input), 'utf8');
    expect(outputPath(input, 'wx')).toBe(input);
    expect(transformForPlatform(input, src, 'wx')).toBe(src);
  });

  test('the shared room markup and the Douyin media partial convert to tt: directives, sjs, rtc-room', () => {
    const read = (f: string) => wxmlToTtml(fs.readFileSync(path.join(__dirname, '..', f), 'utf8'));
    const ttml = read('components/webrtc-room/index.wxml');
    const media = read('templates/media.tt.wxml');
    for (const src of [ttml, media]) {
      expect(src).not.toMatch(/\swx:/);
      expect(src).not.toMatch(/<wxs|\.wxs["']/);
      expect(src).not.toMatch(/live-pusher|live-player/);
    }
    expect(ttml).toMatch(/<sjs src="..\/..\/templates\/registry.sjs" module="layout"/);
    expect(ttml).toMatch(/<import src="..\/..\/templates\/media.ttml"/);
    expect(media).toMatch(/<rtc-room[^>]*mode="camera"/);
    // the WeChat partial is the only place live-pusher/live-player are written
    expect(read('templates/media.wxml')).toMatch(/<live-pusher[\s\S]*<live-player/);
  });

  test('JS: only free `wx.` member access becomes `tt.`', () => {
    expect(jsToTt('wx.a();x.wx.b;"wx.c";_wx.d;$wx.e;(wx.f)')).toBe('tt.a();x.wx.b;"wx.c";_wx.d;$wx.e;(tt.f)');
  });
});

describe('overrides: name.tt.X replaces name.X in dist/tt only', () => {
  test('parseOverride / outputPath', () => {
    expect(parseOverride('components/webrtc-room/platform.tt.ts')).toEqual({
      stem: 'components/webrtc-room/platform',
      platform: 'tt',
      ext: '.ts',
    });
    expect(outputPath('components/webrtc-room/index.tt.wxml', 'tt')).toBe(
      'components/webrtc-room/index.ttml',
    );
    expect(outputPath('components/webrtc-room/index.tt.wxml', 'wx')).toBeNull();
    expect(outputPath('templates/registry.wxs', 'tt')).toBe('templates/registry.sjs');
    expect(outputPath('a.wx.js', 'tt')).toBeNull();
  });

  test('selectSources: the override wins whatever the listing order; the other platform drops it', () => {
    const files = [
      'components/webrtc-room/platform.tt.js',
      'components/webrtc-room/platform.js',
      'components/webrtc-room/index.wxml',
      'components/webrtc-room/index.tt.wxml',
      'utils/room.js',
    ];
    for (const list of [files, [...files].reverse()]) {
      const tt = selectSources(list, 'tt');
      expect(Object.fromEntries(tt)).toEqual({
        'components/webrtc-room/platform.js': 'components/webrtc-room/platform.tt.js',
        'components/webrtc-room/index.ttml': 'components/webrtc-room/index.tt.wxml',
        'utils/room.js': 'utils/room.js',
      });
      const wx = selectSources(list, 'wx');
      expect(Object.fromEntries(wx)).toEqual({
        'components/webrtc-room/platform.js': 'components/webrtc-room/platform.js',
        'components/webrtc-room/index.wxml': 'components/webrtc-room/index.wxml',
        'utils/room.js': 'utils/room.js',
      });
    }
  });
});
