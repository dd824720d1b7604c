/**
 * Demo chat panel for the room page: message list, input + send, a like button, system notices.
 * The page forwards <webrtc-room>'s IMEvents to `onIMEvent` and turns `send` / `like` into the room's
 * send methods, passing the results back with `addSent` / `addError`.
 */
import type { IMEvent, IMMessage } from '../../../utils/chat/events';
import { errorItem, fromIMEvent, fromSent, PanelItem, PanelUpdate } from './model';
import { DEMO_CATALOG, demoTexts, type DemoTexts } from '../../i18n';
import { ringPatch } from '../../ring';

const MAX_ITEMS = 100;

Component({
  properties: {
    /** this user, to mark own messages */
    userID: { type: String, value: '' },
    /** the room's `lang` ('zh-CN', 'en', '' = system language) */
    lang: { type: String, value: '' },
  },
  observers: {
    lang(lang: string) {
      this.setData({ t: demoTexts(lang) });
    },
  },
  lifetimes: {
    attached() {
      this.setData({ t: demoTexts(this.data.lang) });
    },
  },
  data: {
    items: [] as PanelItem[],
    /** the oldest item's slot once the list is full (0 until then) */
    head: 0,
    draft: '',
    likes: 0,
    scrollTo: '',
    t: DEMO_CATALOG.en as DemoTexts,
  },
  methods: {
    onIMEvent(ev: IMEvent) {
      this.apply(fromIMEvent(ev, this.data.userID, this.data.t));
    },
    addSent(m: IMMessage) {
      this.apply(fromSent(m, this.data.userID, this.data.t));
    },
    addError(e: unknown) {
      this.apply({ items: [errorItem(e, this.data.t)], likes: 0 });
    },
    /**
     * One setData of paths (the guide's hot path), never the list: a new item is `items[k]`; the list of at most
     * MAX_ITEMS is a ring, so once full a new item takes the oldest one's slot (`head`, where the template starts
     * listing) and nothing else moves. What changed only: `head`, `likes`, `scrollTo`.
     */
    apply(u: PanelUpdate) {
      if (!u.items.length && !u.likes) return;
      const { items, head } = this.data;
      const patch = ringPatch('items', 'head', { length: items.length, head, max: MAX_ITEMS }, u.items);
      if (u.likes) patch.likes = this.data.likes + u.likes;
      if (u.items.length) patch.scrollTo = u.items[u.items.length - 1].key;
      this.setData(patch);
    },
    onInput(e: WechatMiniprogram.Input) {
      this.setData({ draft: e.detail.value });
    },
    onSend() {
      const text = this.data.draft;
      if (text.trim() === '') return;
      this.setData({ draft: '' });
      this.triggerEvent('send', { text });
    },
    onLike() {
      this.triggerEvent('like', {});
    },
  },
});
