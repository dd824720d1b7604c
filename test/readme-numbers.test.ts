/** @jest-environment node */
/**
 * README numbers come from the bench: the setData figures and sizes in README.md against a fresh measurement
 * (scripts/readme-numbers.ts; `npm run readme:numbers` refreshes them). Timings are examples and say so.
 */
import * as fs from 'fs';
import { drift, measure, README, readBlocks, refresh, type Figures } from '../scripts/readme-numbers';

let text = '';
let figures: Figures;

beforeAll(async () => {
  text = fs.readFileSync(README, 'utf8');
  figures = await measure(1);
});

test('every setData figure and size in the README matches the bench (within rounding)', () => {
  expect(drift(text, figures)).toEqual([]);
});

test('the check notices a drift beyond noise, and refreshing fixes it', () => {
  const more = JSON.parse(JSON.stringify(figures)) as Figures;
  more.setdata[0].bytes = Math.round(more.setdata[0].bytes * 1.2);
  more.setdata[1].calls += 1;
  const wx = more.size.find((r) => r.platform === 'wx' && r.kind === 'chat off (total)')!;
  wx.raw = Math.round(wx.raw * 1.1);
  const problems = drift(text, more);
  expect(problems).toEqual([
    expect.stringMatching(/^setdata join .* bytes, now/),
    expect.stringMatching(/^setdata leave .* calls, now/),
    expect.stringMatching(/^size: README says/),
  ]);
  expect(drift(refresh(text, more), more)).toEqual([]);
  // rounding is not drift
  const same = JSON.parse(JSON.stringify(figures)) as Figures;
  same.setdata[0].bytes += 1;
  expect(drift(text, same)).toEqual([]);
});

test('timings are labelled as examples, and CHROMIUM_PATH is documented', () => {
  const [preview] = readBlocks(text, 'preview');
  expect(preview).toMatch(/^\s*Example timings/);
  expect(preview).toMatch(/no test checks them/);
  expect(text).toMatch(/`CHROMIUM_PATH` names the browser binary/);
});
