/**
 * The demo's chat panel (`enableIM=1`) in the browser preview: the page's dynamic
 * `require('@tencentcloud/chat')` gets the preview's stand-in (preview/runtime/chat.ts), which chats through
 * the room emulator's relay. On Douyin the demo passes TRTC chat credentials as `imConfig` (the room's own
 * credential there is a Volcengine token).
 */
import { closePeer, openPeer, renewUserSig, until, type Harness, type Peer } from './helpers';

/** The chat panel's items as text (`from: text` or a notice), oldest first. */
export function chatItems(p: Peer): Promise<string[]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll('[class]')]
      .filter((e) => [...e.classList].some((c) => c.endsWith('--item')))
      .map((e) => (e.textContent ?? '').trim()),
  );
}

/** Waits until the chat panel shows an item matching `re`. */
export async function waitForChat(p: Peer, re: RegExp, timeout = 15000): Promise<string> {
  const h = await p.page.waitForFunction(
    ([src, flags]) =>
      [...document.querySelectorAll('[class]')]
        .filter((e) => [...e.classList].some((c) => c.endsWith('--item')))
        .map((e) => (e.textContent ?? '').trim())
        .find((t) => new RegExp(src, flags).test(t)),
    [re.source, re.flags] as const,
    { timeout, polling: 50 },
  );
  return (await h.jsonValue()) as string;
}

/** Types into the chat panel and taps Send. */
export async function sendChat(p: Peer, text: string): Promise<void> {
  await p.page.fill('wx-input[class*="--input"] input', text);
  await p.page.click('wx-button[data-action="chat-send"]');
}

/**
 * Presses a button of the preview's fault panel (`?faults=1`). On a phone-sized page the panel is a bar above
 * the page whose list opens from its toggle, as a developer opens it, and closes when a fault is pressed.
 */
export async function pressFault(p: Peer, label: string): Promise<void> {
  if ((await p.page.getAttribute('#mp-fault-panel .mp-fault-toggle', 'aria-expanded')) !== 'true')
    await p.page.click('#mp-fault-panel .mp-fault-toggle');
  await p.page.click(`#mp-fault-panel button:has-text("${label}")`);
}

/** The demo room page with chat on (and the debug log, so the component logs its chat steps). */
function openChatPeer(h: Harness, user: string, room: string): Promise<Peer> {
  return openPeer(h, user, `&roomID=${room}&enableIM=1`);
}

export function describeChat(harness: () => Harness, platform: 'wx' | 'tt'): void {
  // Douyin: the demo fetches a second, TRTC credential for chat and passes it as imConfig
  describe(`chat panel on the local chat stand-in (${platform === 'wx' ? 'WeChat' : 'Douyin'} build)`, () => {
    test('two pages chat in their room: text with the sender, likes, and a page that leaves gets nothing', async () => {
      const h = harness();
      const group = (): string[] =>
        h.server.emulator.chat().groups.find((g) => g.groupID === '7301')?.members ?? [];
      const [ann, ben] = await Promise.all([openChatPeer(h, 'ann', '7301'), openChatPeer(h, 'ben', '7301')]);
      // join_group_event 0 → "joined chat 7301"; it follows login_event 0 (a failed login shows an error instead)
      await Promise.all([waitForChat(ann, /^joined chat 7301$/), waitForChat(ben, /^joined chat 7301$/)]);
      for (const p of [ann, ben]) {
        expect((await chatItems(p)).filter((t) => /fail|error|not sent/.test(t))).toEqual([]);
        // the component logs this right before it emits login_event 0
        expect(p.console).toContain(`[webrtc-room:im] chat: logged in as ${p.user}`);
      }
      expect(group()).toEqual(['ann', 'ben']);

      await sendChat(ann, 'hello from ann');
      expect(await waitForChat(ben, /hello from ann$/)).toBe('ann: hello from ann');
      expect(await waitForChat(ann, /hello from ann$/)).toBe('me: hello from ann');

      await ann.page.click('wx-button[data-action="chat-like"]');
      await waitForChat(ben, /^ann liked ❤$/);
      await ben.page.waitForSelector('wx-button[data-action="chat-like"]:has-text("❤ 1")', {
        timeout: 15000,
      });

      await ben.page.click('wx-button[data-action="leave"]'); // stop(): quit the group, log out
      await waitForChat(ann, /^ben left$/);
      expect(group()).toEqual(['ann']);
      // stop() logs out after the quit has been answered: a request of its own, which may come after ann's notice
      await until('ben logged out of chat', () =>
        h.server.emulator.chat().users.every((u) => u.userID !== 'ben'),
      );
      await sendChat(ann, 'after ben left');
      await waitForChat(ann, /^me: after ben left$/); // acknowledged: the relay has fanned it out
      expect((await chatItems(ben)).some((t) => t.includes('after ben left'))).toBe(false);
      expect([...ann.errors, ...ben.errors]).toEqual([]);
      await Promise.all([ann, ben].map(closePeer));
    });

    test('a network loss cuts the chat too (held off during the outage, then back in the group); a dismissed group', async () => {
      const h = harness();
      const members = (): string[] =>
        h.server.emulator.chat().groups.find((g) => g.groupID === '7303')?.members ?? [];
      const [ann, ben] = await Promise.all([openChatPeer(h, 'ann', '7303'), openChatPeer(h, 'ben', '7303')]);
      await Promise.all([waitForChat(ann, /^joined chat 7303$/), waitForChat(ben, /^joined chat 7303$/)]);
      const joins = async () => (await chatItems(ben)).filter((t) => t === 'ann joined').length;
      const joinsBefore = await joins();
      const t0 = Date.now();
      expect(h.server.emulator.inject({ kind: 'drop', user: 'ann', outageMs: 1500 })).toEqual(['ann']);
      await waitForChat(ann, /disconnected/);
      await waitForChat(ben, /^ann left$/);
      expect(members()).toEqual(['ben']);
      // the stand-in retries like the SDK; the relay answers none of it until the outage is over
      while ((await joins()) === joinsBefore && Date.now() - t0 < 15000) await ben.page.waitForTimeout(50);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
      expect(members().sort()).toEqual(['ann', 'ben']);
      await sendChat(ben, 'welcome back');
      expect(await waitForChat(ann, /welcome back$/)).toBe('ben: welcome back');
      expect((await chatItems(ann)).filter((t) => /logged out|fail|error/.test(t))).toEqual([]);
      // the cloud dismisses the group: both get the system notice and chat ends there (-31); a send is refused
      expect(h.server.emulator.inject({ kind: 'chat_dismiss', room: '7303' }).sort()).toEqual(['ann', 'ben']);
      await Promise.all([ann, ben].map((p) => waitForChat(p, /^group notice \(type 5\)$/)));
      await Promise.all(
        [ann, ben].map((p) =>
          waitForChat(p, /^chat error -31: chat has ended: the group was dismissed \(group 7303\)/),
        ),
      );
      await sendChat(ann, 'into the void');
      expect(await waitForChat(ann, /^not sent/)).toMatch(
        /^not sent \(-24\): chat ended: the group was dismissed/,
      );
      await Promise.all([ann, ben].map(closePeer));
    });

    test('an admin kicks one page out of the chat group: its notice (4) and -31 kicked, its sends fail, a renewal does not bring it back; the other stays', async () => {
      const h = harness();
      const members = (): string[] =>
        h.server.emulator.chat().groups.find((g) => g.groupID === '7305')?.members ?? [];
      const [ann, ben] = await Promise.all([openChatPeer(h, 'ann', '7305'), openChatPeer(h, 'ben', '7305')]);
      await Promise.all([waitForChat(ann, /^joined chat 7305$/), waitForChat(ben, /^joined chat 7305$/)]);
      expect(h.server.emulator.inject({ kind: 'chat_group_kick', user: 'ann', room: '7305' })).toEqual([
        'ann',
      ]);
      await waitForChat(ann, /^group notice \(type 4\)$/);
      expect(await waitForChat(ann, /^chat error -31: /)).toMatch(
        /^chat error -31: chat has ended: an admin kicked this user out of the group \(group 7305\)/,
      );
      // the member left sees the tip (3), no notice of its own, and chats on
      await waitForChat(ben, /^ann was removed$/);
      expect(members()).toEqual(['ben']);
      await sendChat(ann, 'still here?');
      expect(await waitForChat(ann, /^not sent/)).toMatch(
        /^not sent \(-24\): chat ended: an admin kicked this user out of the group/,
      );
      expect((await chatItems(ben)).some((t) => t.includes('still here?'))).toBe(false);
      await sendChat(ben, 'ben chats on');
      await waitForChat(ben, /^me: ben chats on$/);
      expect((await chatItems(ann)).some((t) => t.includes('ben chats on'))).toBe(false);
      expect((await chatItems(ben)).filter((t) => /^group notice|chat error|not sent/.test(t))).toEqual([]);
      if (platform === 'wx') {
        // a renewal of the room's UserSig (the chat's too on WeChat) rejoins nothing: that would undo the kick
        const annJoins = async () => (await chatItems(ben)).filter((t) => t === 'ann joined').length;
        const joinsBefore = await annJoins();
        await ann.page.waitForTimeout(1100);
        expect(await renewUserSig(ann, 'wx', 7305)).toBe('ok');
        await ann.page.waitForTimeout(1500);
        expect((await chatItems(ann)).filter((t) => t === 'joined chat 7305')).toHaveLength(1);
        expect(members()).toEqual(['ben']);
        expect(await annJoins()).toBe(joinsBefore);
        await sendChat(ann, 'after the renewal');
        await ann.page.waitForFunction(
          () =>
            [...document.querySelectorAll('[class]')]
              .filter((e) => [...e.classList].some((c) => c.endsWith('--item')))
              .filter((e) => (e.textContent ?? '').startsWith('not sent')).length === 2,
          undefined,
          { timeout: 5000, polling: 50 },
        );
        expect((await chatItems(ben)).some((t) => t.includes('after the renewal'))).toBe(false);
      }
      expect([...ann.errors, ...ben.errors]).toEqual([]);
      await Promise.all([ann, ben].map(closePeer));
    });

    test("the preview's fault panel (?faults=1) ends a page's chat: kicked from the chat group, then the group recycled", async () => {
      const h = harness();
      const members = (): string[] =>
        h.server.emulator.chat().groups.find((g) => g.groupID === '7307')?.members ?? [];
      const ann = await openPeer(h, 'ann', '&roomID=7307&enableIM=1', 'demo', 'faults=1');
      const ben = await openPeer(h, 'ben', '&roomID=7307&enableIM=1', 'demo', 'faults=1');
      await Promise.all([waitForChat(ann, /^joined chat 7307$/), waitForChat(ben, /^joined chat 7307$/)]);
      const status = (p: Peer, text: string) =>
        p.page.waitForFunction((t) => document.querySelector('.mp-fault-status')?.textContent === t, text, {
          timeout: 5000,
          polling: 50,
        });
      // the panel injects for its own page's user, in its room (the chat group's ID)
      await pressFault(ann, 'Kicked from chat group, 60 s ban (notice 21)');
      await status(ann, 'chat_group_kick: sent');
      // the panel's kick bans (60 s): the notice is the AVChatRoom one (21), which ends chat as 4 does
      await waitForChat(ann, /^group notice \(type 21\)$/);
      await waitForChat(ann, /^chat error -31: chat has ended: an admin kicked this user out of the group/);
      await waitForChat(ben, /^ann was removed$/);
      // the panel's kick bans a while, as an SDK kick out of an AVChatRoom does
      expect(members()).toEqual(['ben']);
      expect(h.server.emulator.chat().groups.find((g) => g.groupID === '7307')?.banned).toEqual(['ann']);
      expect((await chatItems(ben)).filter((t) => /^group notice|chat error/.test(t))).toEqual([]);
      await pressFault(ben, 'Chat group recycled (notice 11)');
      await status(ben, 'chat_dismiss: sent');
      await waitForChat(ben, /^group notice \(type 11\)$/);
      await waitForChat(ben, /^chat error -31: chat has ended: the group was recycled \(group 7307\)/);
      expect(members()).toEqual([]);
      // ann was out of the group by then: nothing more for it
      expect((await chatItems(ann)).filter((t) => /type 11|recycled/.test(t))).toEqual([]);
      expect([...ann.errors, ...ben.errors]).toEqual([]);
      await Promise.all([ann, ben].map(closePeer));
    });

    test(`the fault panel's chat logins: ${platform === 'tt' ? "chat's UserSig expired (the demo renews it, chat is back), then " : ''}a REST kick logs a page's chat out`, async () => {
      const h = harness();
      const members = (): string[] =>
        h.server.emulator.chat().groups.find((g) => g.groupID === '7308')?.members ?? [];
      const ann = await openPeer(h, 'ann', '&roomID=7308&enableIM=1', 'demo', 'faults=1');
      const ben = await openPeer(h, 'ben', '&roomID=7308&enableIM=1', 'demo', 'faults=1');
      await Promise.all([waitForChat(ann, /^joined chat 7308$/), waitForChat(ben, /^joined chat 7308$/)]);
      const status = (p: Peer, text: string) =>
        p.page.waitForFunction((t) => document.querySelector('.mp-fault-status')?.textContent === t, text, {
          timeout: 5000,
          polling: 50,
        });
      const count = async (p: Peer, re: RegExp) => (await chatItems(p)).filter((t) => re.test(t)).length;
      const buttons = (p: Peer) =>
        p.page.$$eval('#mp-fault-panel button[data-fault]', (bs) =>
          bs.map((b) => (b as HTMLElement).dataset.fault),
        );
      // on WeChat chat's UserSig is the room's: "Credential expired" expires both, no button of its own
      expect((await buttons(ann)).includes('chat_credential_expired')).toBe(platform === 'tt');
      if (platform === 'tt') {
        const joinsBefore = await count(ben, /^ann joined$/);
        // a UserSig is signed to the second: the renewal's must not be the one that expired
        await ann.page.waitForTimeout(1100);
        await pressFault(ann, 'Chat UserSig expired');
        await status(ann, 'chat_credential_expired: sent');
        await waitForChat(ann, /^chat logged out: userSigExpired$/);
        // the demo asks the signing service for a new chat UserSig and sets imConfig: chat logs in and joins again
        await until(
          'ann joins the chat group again',
          async () => (await count(ann, /^joined chat 7308$/)) === 2,
        );
        await until('ben sees ann join again', async () => (await count(ben, /^ann joined$/)) > joinsBefore);
        expect(members()).toEqual(['ann', 'ben']);
        // chat is back: a real click on Send, which the (closed) panel leaves free
        await sendChat(ann, 'back after the renewal');
        expect(await waitForChat(ben, /back after the renewal$/)).toBe('ann: back after the renewal');
        // the room's token is no UserSig: the call went on
        expect(h.server.emulator.rooms().some((r) => r.members.some((m) => m.userID === 'ann'))).toBe(true);
      }
      await pressFault(ben, 'Chat logged out (REST kick)');
      await status(ben, 'chat_kick: sent');
      await waitForChat(ben, /^chat logged out: REST_API_Kick$/);
      await waitForChat(ann, /^ben left$/);
      expect(members()).toEqual(['ann']);
      // the kick is not a UserSig to renew: ben's chat stays out
      await ben.page.waitForTimeout(500);
      expect(await count(ben, /^joined chat 7308$/)).toBe(1);
      expect(h.server.emulator.chat().users.map((u) => u.userID)).toEqual(['ann']);
      expect([...ann.errors, ...ben.errors]).toEqual([]);
      await Promise.all([ann, ben].map(closePeer));
    });

    test('a ?faults=1 page keeps its controls free (phone, narrow and laptop windows): Send is clicked for real, the message arrives', async () => {
      const h = harness();
      const ben = await openChatPeer(h, 'ben', '7309');
      await waitForChat(ben, /^joined chat 7309$/);
      // a phone: the panel is a bar above the page; a narrow laptop window: a bar above the phone frame; a
      // laptop: a column beside it
      const windows = [
        { user: 'ann', viewport: { width: 360, height: 640 }, place: 'bar' },
        { user: 'amy', viewport: { width: 700, height: 800 }, place: 'bar' },
        { user: 'abe', viewport: { width: 1280, height: 800 }, place: 'side' },
      ];
      for (const { user, viewport, place } of windows) {
        const p = await openPeer(h, user, '&roomID=7309&enableIM=1', 'demo', 'faults=1', viewport);
        await waitForChat(p, /^joined chat 7309$/);
        const look = () =>
          p.page.evaluate(() => {
            const box = (e: Element) => {
              const r = e.getBoundingClientRect();
              return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
            };
            const send = document.querySelector('wx-button[data-action="chat-send"]')!;
            const s = box(send);
            const hit = document.elementFromPoint((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2);
            return {
              place: document.getElementById('mp-fault-panel')!.className,
              panel: box(document.getElementById('mp-fault-panel')!),
              screen: box(document.getElementById('mp-root')!),
              listShown: !(document.getElementById('mp-fault-list') as HTMLElement | null)?.hidden,
              sendOnTop: hit?.closest('wx-button') === send,
            };
          });
        const meet = (a: Record<string, number>, b: Record<string, number>) =>
          a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        const before = await look();
        // Send is on top, and the panel (its list too, where it is open) and the phone's screen do not meet
        expect({
          user,
          sendOnTop: before.sendOnTop,
          meet: meet(before.panel, before.screen),
          place: before.place,
          listShown: before.listShown,
        }).toEqual({
          user,
          sendOnTop: true,
          meet: false,
          place: `mp-fault-${place}`,
          listShown: place === 'side',
        });
        if (place === 'bar') {
          // the bar's list opens over the page and a fault pressed closes it again: the page is free
          await pressFault(p, 'Clear faults');
          await p.page.waitForFunction(
            () => document.querySelector('.mp-fault-status')?.textContent === 'clear: sent',
            undefined,
            { timeout: 5000, polling: 50 },
          );
          expect(await look()).toMatchObject({ listShown: false, sendOnTop: true });
        }
        await sendChat(p, `hello from ${user}`);
        expect(await waitForChat(ben, new RegExp(`hello from ${user}$`))).toBe(`${user}: hello from ${user}`);
        expect(await waitForChat(p, new RegExp(`hello from ${user}$`))).toBe(`me: hello from ${user}`);
        expect(p.errors).toEqual([]);
        await closePeer(p);
      }
      expect(ben.errors).toEqual([]);
      await closePeer(ben);
    });

    test('the cloud recycles the group (notice 11): both pages get -31 recycled, a send is refused', async () => {
      const h = harness();
      const [ann, ben] = await Promise.all([openChatPeer(h, 'ann', '7306'), openChatPeer(h, 'ben', '7306')]);
      await Promise.all([waitForChat(ann, /^joined chat 7306$/), waitForChat(ben, /^joined chat 7306$/)]);
      expect(h.server.emulator.inject({ kind: 'chat_dismiss', room: '7306', recycled: true }).sort()).toEqual(
        ['ann', 'ben'],
      );
      await Promise.all([ann, ben].map((p) => waitForChat(p, /^group notice \(type 11\)$/)));
      await Promise.all(
        [ann, ben].map((p) =>
          waitForChat(p, /^chat error -31: chat has ended: the group was recycled \(group 7306\)/),
        ),
      );
      await sendChat(ben, 'into the void');
      expect(await waitForChat(ben, /^not sent/)).toMatch(
        /^not sent \(-24\): chat ended: the group was recycled/,
      );
      expect((await chatItems(ann)).some((t) => t.includes('into the void'))).toBe(false);
      expect([...ann.errors, ...ben.errors]).toEqual([]);
      await Promise.all([ann, ben].map(closePeer));
    });

    // WeChat only: the room's UserSig is the chat's too (on Douyin updateUserSig takes a Volcengine token, and
    // a new imConfig.userSig renews chat: test/component.im.test.ts)
    if (platform === 'wx')
      test('updateUserSig renews the chat login: no second join on the page, the room sees a leave and a join, chat goes on', async () => {
        const h = harness();
        const [ann, ben] = await Promise.all([
          openChatPeer(h, 'ann', '7304'),
          openChatPeer(h, 'ben', '7304'),
        ]);
        await Promise.all([waitForChat(ann, /^joined chat 7304$/), waitForChat(ben, /^joined chat 7304$/)]);
        const count = async (p: Peer, re: RegExp) => (await chatItems(p)).filter((t) => re.test(t)).length;
        const joinsBefore = await count(ben, /^ann joined$/);
        // a UserSig is signed to the second: one signed in the page's second would be the same one
        await ann.page.waitForTimeout(1100);
        const renewed = await renewUserSig(ann, 'wx', 7304);
        expect(renewed).toBe('ok');
        // the logout and the new login's join, as the group sees them
        await waitForChat(ben, /^ann left$/);
        await until('ben sees ann join again', async () => (await count(ben, /^ann joined$/)) > joinsBefore);
        await sendChat(ann, 'after the renewal');
        expect(await waitForChat(ben, /after the renewal$/)).toBe('ann: after the renewal');
        expect(await count(ann, /^joined chat 7304$/)).toBe(1);
        expect((await chatItems(ann)).filter((t) => /logged out|fail|error|disconnected/.test(t))).toEqual(
          [],
        );
        expect(h.server.emulator.chat().groups.find((g) => g.groupID === '7304')?.members).toEqual([
          'ann',
          'ben',
        ]);
        expect([...ann.errors, ...ben.errors]).toEqual([]);
        await Promise.all([ann, ben].map(closePeer));
      });

    test('the same user chatting from a second page logs the first out (multipleAccount); a bad UserSig fails login', async () => {
      const h = harness();
      const first = await openChatPeer(h, 'cleo', '7302');
      await waitForChat(first, /^joined chat 7302$/);
      const second = await openChatPeer(h, 'cleo', '7302');
      await waitForChat(second, /^joined chat 7302$/);
      await waitForChat(first, /^chat logged out: multipleAccount$/);
      const forged = await openPeer(h, 'mallory', '&roomID=7302&enableIM=1&userSig=forged-user-sig');
      expect(await waitForChat(forged, /^chat login failed/)).toMatch(/^chat login failed \(70003\): /);
      expect(h.server.emulator.chat().groups.find((g) => g.groupID === '7302')?.members).toEqual(['cleo']);
      await Promise.all([first, second, forged].map(closePeer));
    });
  });
}
