/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Built-in mini-program tags for j-component: most are `<slot/>` pass-throughs (as in miniprogram-simulate);
 * the interactive ones wrap a real HTML control and fire the mini-program event shape.
 */
const jComponent = require('j-component');

const PASS_THROUGH = [
  'cover-image',
  'cover-view',
  'grid-view',
  'list-view',
  'match-media',
  'movable-area',
  'movable-view',
  'page-container',
  'root-portal',
  'scroll-view',
  'share-element',
  'sticky-header',
  'sticky-section',
  'swiper',
  'swiper-item',
  'view',
  'icon',
  'progress',
  'rich-text',
  'text',
  'checkbox',
  'checkbox-group',
  'editor',
  'form',
  'keyboard-accessory',
  'label',
  'picker-view',
  'picker-view-column',
  'radio',
  'radio-group',
  'functional-page-navigator',
  'audio',
  'camera',
  'channel-live',
  'channel-video',
  'video',
  'voip-room',
  'map',
  'canvas',
  'web-view',
  'ad',
  'ad-custom',
  'official-account',
  'open-data',
  'navigation-bar',
  'page-meta',
];

export function registerBuiltins(): void {
  for (const name of PASS_THROUGH) {
    jComponent.register({
      id: name,
      tagName: `wx-${name}`,
      template: '<slot/>',
      options: { multipleSlots: true },
    });
  }

  jComponent.register({
    id: 'button',
    tagName: 'wx-button',
    template: '<slot/>',
    properties: {
      type: { type: String, value: 'default' },
      size: { type: String, value: 'default' },
      plain: { type: Boolean, value: false },
      disabled: { type: Boolean, value: false },
      loading: { type: Boolean, value: false },
      formType: { type: String, value: '' },
      openType: { type: String, value: '' },
    },
    observers: {
      'type, size, disabled, plain': function (this: any) {
        const h: HTMLElement = this._exparserNode.$$;
        h.setAttribute('type', this.data.type);
        h.setAttribute('size', this.data.size);
        h.toggleAttribute('disabled', !!this.data.disabled);
        h.toggleAttribute('plain', !!this.data.plain);
        h.setAttribute('role', 'button');
      },
    },
  });

  jComponent.register({
    id: 'image',
    tagName: 'wx-image',
    template: '<slot/>',
    properties: { src: { type: String, value: '' }, mode: { type: String, value: 'scaleToFill' } },
    observers: {
      'src, mode': function (this: any) {
        const h: HTMLElement = this._exparserNode.$$;
        h.style.backgroundImage = this.data.src ? `url("${this.data.src}")` : '';
        const m = this.data.mode;
        h.style.backgroundSize = m === 'aspectFit' ? 'contain' : m === 'aspectFill' ? 'cover' : '100% 100%';
      },
    },
  });

  const field = (id: string, tag: 'input' | 'textarea'): void =>
    jComponent.register({
      id,
      tagName: `wx-${id}`,
      template: '<slot/>',
      behaviors: ['wx://form-field'],
      properties: {
        value: { type: String, value: '' },
        type: { type: String, value: 'text' },
        password: { type: Boolean, value: false },
        placeholder: { type: String, value: '' },
        disabled: { type: Boolean, value: false },
        maxlength: { type: Number, value: 140 },
        focus: { type: Boolean, value: false },
      },
      observers: {
        'value, placeholder, disabled, type, password, maxlength': function (this: any) {
          const el: HTMLInputElement = this.__el;
          if (!el) return;
          if (el.value !== String(this.data.value ?? '')) el.value = String(this.data.value ?? '');
          el.placeholder = this.data.placeholder ?? '';
          el.disabled = !!this.data.disabled;
          if (tag === 'input')
            el.type = this.data.password
              ? 'password'
              : this.data.type === 'number' || this.data.type === 'digit'
                ? 'text'
                : 'text';
          if (this.data.maxlength > 0) el.maxLength = this.data.maxlength;
        },
      },
      lifetimes: {
        attached(this: any) {
          const el = document.createElement(tag) as HTMLInputElement;
          el.className = 'mp-field';
          el.value = String(this.data.value ?? '');
          el.placeholder = this.data.placeholder ?? '';
          const name = this._exparserNode.$$.getAttribute('name');
          if (name) el.name = name;
          el.addEventListener('input', () => {
            this.data.value = el.value;
            this.triggerEvent('input', {
              value: el.value,
              cursor: el.selectionStart ?? el.value.length,
              keyCode: 0,
            });
          });
          el.addEventListener('change', () => this.triggerEvent('change', { value: el.value }));
          el.addEventListener('blur', () => this.triggerEvent('blur', { value: el.value }));
          el.addEventListener('focus', () => this.triggerEvent('focus', { value: el.value }));
          el.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' && tag === 'input') this.triggerEvent('confirm', { value: el.value });
          });
          this.__el = el;
          this._exparserNode.$$.appendChild(el);
        },
      },
    });
  field('input', 'input');
  field('textarea', 'textarea');

  jComponent.register({
    id: 'switch',
    tagName: 'wx-switch',
    template: '<slot/>',
    properties: {
      checked: { type: Boolean, value: false },
      disabled: { type: Boolean, value: false },
      type: { type: String, value: 'switch' },
      color: { type: String, value: '' },
    },
    observers: {
      'checked, disabled': function (this: any) {
        if (!this.__el) return;
        this.__el.checked = !!this.data.checked;
        this.__el.disabled = !!this.data.disabled;
      },
    },
    lifetimes: {
      attached(this: any) {
        const el = document.createElement('input');
        el.type = 'checkbox';
        el.className = 'mp-switch';
        el.checked = !!this.data.checked;
        el.addEventListener('change', () => this.triggerEvent('change', { value: el.checked }));
        this.__el = el;
        this._exparserNode.$$.appendChild(el);
      },
    },
  });

  jComponent.register({
    id: 'slider',
    tagName: 'wx-slider',
    template: '<slot/>',
    properties: {
      min: { type: Number, value: 0 },
      max: { type: Number, value: 100 },
      step: { type: Number, value: 1 },
      value: { type: Number, value: 0 },
      disabled: { type: Boolean, value: false },
      showValue: { type: Boolean, value: false },
    },
    observers: {
      'min, max, step, value': function (this: any) {
        if (!this.__el) return;
        Object.assign(this.__el, {
          min: this.data.min,
          max: this.data.max,
          step: this.data.step,
          value: this.data.value,
        });
      },
    },
    lifetimes: {
      attached(this: any) {
        const el = document.createElement('input');
        el.type = 'range';
        Object.assign(el, {
          min: this.data.min,
          max: this.data.max,
          step: this.data.step,
          value: this.data.value,
        });
        el.addEventListener('input', () => this.triggerEvent('changing', { value: Number(el.value) }));
        el.addEventListener('change', () => this.triggerEvent('change', { value: Number(el.value) }));
        this.__el = el;
        this._exparserNode.$$.appendChild(el);
      },
    },
  });

  /** picker (mode selector only): an invisible <select> laid over the slotted content. */
  jComponent.register({
    id: 'picker',
    tagName: 'wx-picker',
    template: '<slot/>',
    properties: {
      mode: { type: String, value: 'selector' },
      range: { type: null, value: [] },
      rangeKey: { type: String, value: '' },
      value: { type: null, value: 0 },
      disabled: { type: Boolean, value: false },
    },
    observers: {
      'range, rangeKey, value': function (this: any) {
        const el: HTMLSelectElement = this.__el;
        if (!el) return;
        const range: any[] = Array.isArray(this.data.range) ? this.data.range : [];
        el.innerHTML = '';
        range.forEach((r, i) => {
          const o = document.createElement('option');
          o.value = String(i);
          o.textContent = String(
            this.data.rangeKey && r && typeof r === 'object' ? r[this.data.rangeKey] : r,
          );
          el.appendChild(o);
        });
        el.value = String(this.data.value ?? 0);
      },
    },
    lifetimes: {
      attached(this: any) {
        const host: HTMLElement = this._exparserNode.$$;
        host.style.position = host.style.position || 'relative';
        const el = document.createElement('select');
        el.className = 'mp-picker';
        el.addEventListener('change', () => this.triggerEvent('change', { value: Number(el.value) }));
        el.addEventListener('click', (e) => e.stopPropagation());
        this.__el = el;
        host.appendChild(el);
      },
    },
  });

  jComponent.register({
    id: 'navigator',
    tagName: 'wx-navigator',
    template: '<slot/>',
    properties: {
      url: { type: String, value: '' },
      openType: { type: String, value: 'navigate' },
      delta: { type: Number, value: 1 },
    },
    lifetimes: {
      attached(this: any) {
        this._exparserNode.$$.addEventListener('click', () => {
          const w = (globalThis as any).wx;
          const t = this.data.openType;
          if (t === 'navigateBack') w.navigateBack({ delta: this.data.delta });
          else if (t === 'redirect') w.redirectTo({ url: this.data.url });
          else if (t === 'reLaunch') w.reLaunch({ url: this.data.url });
          else w.navigateTo({ url: this.data.url });
        });
      },
    },
  });
}

/** Base CSS for built-ins (the WXSS of the project comes after and wins). */
export const BUILTIN_CSS = `
wx-view,wx-scroll-view,wx-swiper,wx-swiper-item,wx-cover-view,wx-form,wx-navigator,wx-movable-area,wx-picker,wx-live-pusher,wx-live-player,wx-rtc-room,wx-image,wx-cover-image,wx-progress,wx-radio-group,wx-checkbox-group,wx-label{display:block}
wx-text,wx-icon{display:inline}
wx-scroll-view{overflow:auto}
wx-image{display:inline-block;width:320px;height:240px;background-repeat:no-repeat;background-position:center}
wx-cover-view,wx-cover-image{overflow:hidden}
wx-button{display:block;position:relative;box-sizing:border-box;margin:0 auto;padding:0 14px;font-size:18px;line-height:2.55;text-align:center;border-radius:5px;background:#f8f8f8;color:#000;cursor:pointer;user-select:none;border:1px solid rgba(0,0,0,.2)}
wx-button[type=primary]{background:#07c160;color:#fff}
wx-button[type=warn]{background:#fa5151;color:#fff}
wx-button[size=mini]{display:inline-block;font-size:13px;line-height:2.3;padding:0 1.34em}
wx-button[disabled]{opacity:.5;pointer-events:none}
wx-input,wx-textarea{display:block}
.mp-field{width:100%;box-sizing:border-box;border:0;background:transparent;font:inherit;color:inherit;outline:none;min-height:1.4em}
.mp-picker{position:absolute;inset:0;opacity:0;width:100%;cursor:pointer}
wx-live-pusher,wx-live-player,wx-rtc-room{position:relative;overflow:hidden;background:#000;width:300px;height:225px}
.mp-native-video{position:absolute;left:0;top:0;width:100%;height:100%;object-fit:cover;pointer-events:none;z-index:0}
wx-live-pusher>:not(video),wx-live-player>:not(video),wx-rtc-room>:not(video){position:relative;z-index:1}
`;
