import assert from 'node:assert/strict';
import { buttonColor, checkLogo, contrastRatio, dataUrlBytes, relativeLuminance, LOGO_MAX_BYTES } from '../../lib/domain/brand.js';
import { sanitizeSvg } from '../../lib/domain/svg-sanitize.js';

/** docs/merchant-guide.md#brand: the button keeps 4.5:1 with white text; logos are sniffed and SVGs re-written. */
describe('brand: button colour contrast', () => {
  it('computes WCAG luminance and contrast', () => {
    assert.equal(relativeLuminance('#ffffff'), 1);
    assert.equal(relativeLuminance('#000000'), 0);
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#ffffff', '#ffffff'), 1);
    assert.ok(Math.abs(contrastRatio('#777777', '#ffffff') - 4.48) < 0.01);
  });

  it('keeps a colour that already reads well, and darkens a light one until it does', () => {
    assert.equal(buttonColor('#0b57d0'), '#0b57d0');
    assert.equal(buttonColor('#000000'), '#000000');
    for (const light of ['#ffffff', '#ffeb3b', '#00ff00', '#77AAFF', '#777777', '#ff9800']) {
      const dark = buttonColor(light);
      assert.ok(contrastRatio(dark, '#ffffff') >= 4.5, `${light} → ${dark}`);
      assert.ok(contrastRatio(dark, '#ffffff') < 5.2, `${light} → ${dark} darkened no more than needed`);
    }
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(buttonColor('#ff9800').slice(i, i + 2), 16));
    assert.ok(r! > g! && g! > b!, 'the hue stays orange');
  });
});

describe('brand: logos', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]);

  it('takes a PNG by its signature and an SVG by parsing it; refuses anything else, empty or too large', () => {
    const p = checkLogo(png);
    assert.ok(p.ok && p.type === 'image/png' && p.bytes.equals(png) && /^[0-9a-f]{32}$/.test(p.hash));
    const s = checkLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'));
    assert.ok(s.ok && s.type === 'image/svg+xml');
    assert.equal(checkLogo(Buffer.from('GIF89a....')).ok, false);
    assert.equal(checkLogo(Buffer.from([0xff, 0xd8, 0xff, 0xe0])).ok, false);
    assert.equal(checkLogo(Buffer.alloc(0)).ok, false);
    assert.equal(checkLogo(Buffer.concat([png, Buffer.alloc(LOGO_MAX_BYTES)])).ok, false);
    assert.equal(checkLogo(Buffer.from('<svg><g></svg>')).ok, false);
  });

  it('reads data URLs, base64 or URL-encoded', () => {
    assert.deepEqual(dataUrlBytes(`data:image/png;base64,${png.toString('base64')}`), png);
    assert.equal(dataUrlBytes('data:image/svg+xml,%3Csvg%3E%3C%2Fsvg%3E')?.toString(), '<svg></svg>');
    assert.equal(dataUrlBytes('https://example.com/logo.png'), undefined);
  });
});

describe('brand: SVG sanitizer', () => {
  const NS = 'xmlns="http://www.w3.org/2000/svg"';

  it('keeps a clean SVG as it was', () => {
    const clean = `<svg ${NS} viewBox="0 0 10 10"><title>Shop</title><g fill="#0b57d0"><path d="M0 0h10v10z"/><circle cx="5" cy="5" r="2"/></g></svg>`;
    assert.equal(sanitizeSvg(clean), clean);
  });

  it('removes scripts, event attributes, foreignObject and external references', () => {
    const dirty = `<?xml version="1.0"?><svg ${NS} xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
<script>alert(2)</script><script xlink:href="https://evil.example/x.js"/>
<rect width="5" height="5" onclick="alert(3)" fill="url(https://evil.example/p#x)"/>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"></iframe></div></foreignObject>
<a href="http://evil.example"><text>link</text></a><image href="http://evil.example/i.png"/>
<use href="http://evil.example/s.svg#a"/><use xlink:href="#local"/><style>@import url(http://evil.example/c.css)</style>
<circle r="1" style="fill:url(http://evil.example/f)" fill="url(#grad)"/></svg>`;
    const out = sanitizeSvg(dirty)!;
    assert.ok(out, 'still an SVG');
    for (const bad of ['script', 'onload', 'onclick', 'alert', 'evil.example', 'foreignObject', 'iframe', '<a', '<image', 'style', '@import']) {
      assert.ok(!out.includes(bad), `${bad} removed from ${out}`);
    }
    assert.ok(out.includes('<use xlink:href="#local"/>'), 'a reference inside the file stays');
    assert.ok(out.includes('fill="url(#grad)"'));
    assert.ok(out.includes('<rect width="5" height="5"/>'));
  });

  it('refuses a DOCTYPE (entities), a non-SVG root and broken nesting', () => {
    assert.equal(sanitizeSvg(`<!DOCTYPE svg [<!ENTITY x "y">]><svg ${NS}>&x;</svg>`), null);
    assert.equal(sanitizeSvg(`<html><svg ${NS}></svg></html>`), null);
    assert.equal(sanitizeSvg(`<svg ${NS}><g></svg>`), null);
    assert.equal(sanitizeSvg(`<svg ${NS}></svg><script>alert(1)</script>`), null);
  });

  it('escapes text so no markup can be smuggled through it', () => {
    assert.equal(sanitizeSvg(`<svg ${NS}><text>a &amp; b > c</text></svg>`), `<svg ${NS}><text>a &amp; b &gt; c</text></svg>`);
  });
});

describe('brand: colour against another background', () => {
  it('darkens for the page grey as well as for white', async () => {
    const { darkenedAgainst } = await import('../../lib/domain/brand.js');
    assert.ok(contrastRatio(darkenedAgainst('#ff9800', '#f4f6f8'), '#f4f6f8') >= 4.5);
    assert.equal(darkenedAgainst('#000000', '#f4f6f8'), '#000000');
  });
});

describe('brand: alert mails', () => {
  it('show the shop logo and put its colour on the button', async () => {
    const { alertMessage } = await import('../../lib/notify/alert-message.js');
    const brand = { logoUrl: 'https://pay.example/brand/shp_x/abc.png', buttonColor: '#bb5200', supportEmail: null, supportPhone: null, termsUrl: null };
    const m = alertMessage('payment.succeeded', { id: 'pay_aaaaaaaaaaaaaaaaaaaaaaaa', amount: '1.00', currency: 'USD' }, { name: 'Shop', lang: 'en' }, 'https://pay.example/', brand);
    assert.ok(m.html.includes('<img src="https://pay.example/brand/shp_x/abc.png"'));
    assert.ok(m.html.includes('background: #bb5200'));
    assert.ok(!alertMessage('payment.succeeded', { id: 'pay_aaaaaaaaaaaaaaaaaaaaaaaa' }, { name: 'Shop', lang: 'en' }, 'https://pay.example/').html.includes('<img'));
  });
});
