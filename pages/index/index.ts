/** Entry page: room, user, template and role; validated with the same rules as the component and server. */
import { checkRoom, checkUserID } from '../../utils/core/validate';
import { TEMPLATE_NAMES } from '../../utils/view/templates';
import { platform, toQuery } from '../demo';

const ROLES = ['anchor', 'audience'];

Page({
  data: {
    room: '1234',
    userID: `user_${Math.floor(Math.random() * 100000)}`,
    templates: TEMPLATE_NAMES as readonly string[],
    templateIndex: 0,
    roles: ROLES,
    roleIndex: 0,
    debug: false,
    enableIM: false,
    error: '',
    platform,
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
    const bad = !r.ok ? r.error : !u.ok ? u.error : null;
    if (bad) {
      this.setData({ error: bad.message });
      return;
    }
    const query = toQuery({
      [numeric ? 'roomID' : 'strRoomID']: room,
      userID: this.data.userID.trim(),
      template: this.data.templates[this.data.templateIndex],
      role: ROLES[this.data.roleIndex],
      debug: this.data.debug ? 1 : undefined,
      enableIM: this.data.enableIM ? 1 : undefined,
    });
    wx.navigateTo({ url: `/pages/room/index?${query}` });
  },
});
