"use strict";
const info = tt.getSystemInfoSync();
tt.showToast({ title: 'wx.hello' });
const api = { wx: 1 };
api.wx.x = 2;
const s = `wx.notThis`;
function f(wx) { return wx; }
if (typeof wx !== 'undefined') (0, tt.login)();
