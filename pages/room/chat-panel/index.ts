/**
 * Demo chat panel for the room page: message list, input + send, a like button, system notices.
 * The page forwards <webrtc-room>'s IMEvents to `onIMEvent` and turns `send` / `like` into the room's
 * send methods, passing the results back with `addSent` / `addError`.
 */
import type { IMEvent, IMMessage } from '../../../utils/chat/events';
import { errorItem, fromIMEvent, fromSent, PanelItem, PanelUpdate } from './model';

const MAX_ITEMS = 100;

Component({
  properties: {
    /** this user, to mark own messages */
    userID: { type: String, value: '' },
  },
  data: {
    items: [] as PanelItem[],
    draft: '',
    likes: 0,
    scrollTo: '',
  },
  methods: {
    onIMEvent(ev: IMEvent) {
      this.apply(fromIMEvent(ev, this.data.userID));
    },
    addSent(m: IMMessage) {
      this.apply(fromSent(m, this.data.userID));
    },
    addError(e: unknown) {
      this.apply({ items: [errorItem(e)], likes: 0 });
    },
    apply(u: PanelUpdate) {
      if (!u.items.length && !u.likes) return;
      const items = this.data.items.concat(u.items).slice(-MAX_ITEMS);
      this.setData({
        items,
        likes: this.data.likes + u.likes,
        scrollTo: items.length ? items[items.length - 1].key : '',
      });
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
