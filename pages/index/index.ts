/** Entry page: room, user, template and role; validated with the same rules as the component and server. */
import { checkRoom, checkUserID } from '../../utils/core/validate';
import { TEMPLATE_NAMES } from '../../utils/view/templates';
import { platform, toQuery } from '../demo';
import { DEMO_CATALOG, demoTexts, fmt, type DemoLang, type DemoTexts } from '../i18n';

const ROLES = ['anchor', 'audience'] as const;
/** the language picker: '' = the system language, as the component's `lang` */
const LANGS: ReadonlyArray<'' | DemoLang> = ['', 'zh-CN', 'en'];

function labels(t: DemoTexts) {
  return {
    t,
    roleLabels: ROLES.map((r) => t[r]),
    langLabels: LANGS.map((l) => (l === '' ? t.langSystem : l === 'zh-CN' ? '中文' : 'English')),
    hint: fmt(t.hint, { platform }),
  };
}

Page({
  data: {
    room: '1234',
    userID: `user_${Math.floor(Math.random() * 100000)}`,
    templates: TEMPLATE_NAMES as readonly string[],
    templateIndex: 0,
    roleIndex: 0,
    langIndex: 0,
    ...labels(DEMO_CATALOG.en),
    debug: false,
    enableIM: false,
    error: '',
    platform,
  },
  onLoad() {
    this.setData(labels(demoTexts('')));
  },
  onLangChange(e: WechatMiniprogram.PickerChange) {
    const langIndex = Number(e.detail.value);
    this.setData({ langIndex, ...labels(demoTexts(LANGS[langIndex])) });
  },
  onRoomInput(e: WechatMiniprogram.Input) {
    this.setData({ room: e.detail.value, error: '' });
  },
  onUserInput(e: WechatMiniprogram.Input) {
    this.setData({ userID: e.detail.value, error: '' });
  },
  onTemplateChange(e: WechatMiniprogram.PickerChange) {
    this.setData({ templateIndex: Number(e.detail.value) });
  },
  onRoleChange(e: WechatMiniprogram.PickerChange) {
    this.setData({ roleIndex: Number(e.detail.value) });
  },
  onDebugChange(e: WechatMiniprogram.SwitchChange) {
    this.setData({ debug: e.detail.value });
  },
  onIMChange(e: WechatMiniprogram.SwitchChange) {
    this.setData({ enableIM: e.detail.value });
  },
  enter() {
    const room = this.data.room.trim();
    const numeric = /^\d+$/.test(room);
    const r = checkRoom(numeric ? room : undefined, numeric ? undefined : room, platform);
    const u = checkUserID(this.data.userID.trim(), platform);
    const t = this.data.t;
    const bad = !r.ok
      ? fmt(t.badRoom, { message: r.error.message })
      : !u.ok
        ? fmt(t.badUser, { message: u.error.message })
        : '';
    if (bad) {
      this.setData({ error: bad });
      return;
    }
    const query = toQuery({
      [numeric ? 'roomID' : 'strRoomID']: room,
      userID: this.data.userID.trim(),
      template: this.data.templates[this.data.templateIndex],
      role: ROLES[this.data.roleIndex],
      debug: this.data.debug ? 1 : undefined,
      enableIM: this.data.enableIM ? 1 : undefined,
      lang: LANGS[this.data.langIndex] || undefined,
    });
    wx.navigateTo({ url: `/pages/room/index?${query}` });
  },
});
