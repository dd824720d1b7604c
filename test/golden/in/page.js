"use strict";
const info = wx.getSystemInfoSync();
wx.showToast({ title: 'wx.hello' });
const api = { wx: 1 };
api.wx.x = 2;
const s = `wx.notThis`;
function f(wx) { return wx; }
if (typeof wx !== 'undefined') (0, wx.login)();
