/**
 * A merchant's SVG logo re-written from an allow-list (docs/security.md#brand-logos): only drawing elements and their
 * attributes survive; scripts, event attributes, foreignObject, styles and every reference outside the file are dropped.
 * The output is built from the parsed tokens, never copied, so what was not understood is not passed on.
 */

const ELEMENTS = new Set([
  'svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'defs', 'title', 'desc',
  'lineargradient', 'radialgradient', 'stop', 'clippath', 'mask', 'symbol', 'use',
]);
// an element not listed goes with everything inside it
const ATTRIBUTE = /^[a-zA-Z_][a-zA-Z0-9_.:-]*$/;
const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']);
const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/\s*([a-zA-Z][\w:.-]*)\s*>|<([a-zA-Z][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|[^<]+|</g;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

const escapeText = (s: string) => s.replace(/&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** A value that reaches outside the file: any url(…) or href but a fragment of this one. */
function external(value: string): boolean {
  const decoded = value.replace(/&#x?[0-9a-f]+;?/gi, '?').replace(/\\/g, '?');
  const urls = [...decoded.matchAll(/url\s*\(\s*['"]?([^'")]*)/gi)].map((m) => m[1]!.trim());
  return urls.some((u) => !u.startsWith('#')) || /@import|expression\s*\(|javascript:/i.test(decoded);
}

function cleanAttributes(raw: string): string {
  let out = '';
  for (const m of raw.matchAll(ATTR)) {
    const name = m[1]!;
    const value = m[2] ?? m[3] ?? '';
    const lower = name.toLowerCase();
    if (!ATTRIBUTE.test(name) || lower.startsWith('on') || lower === 'style') continue;
    if (lower === 'xmlns' || lower.startsWith('xmlns:')) {
      if (NAMESPACES.has(value)) out += ` ${name}="${escapeAttr(value)}"`;
      continue;
    }
    if ((lower === 'href' || lower.endsWith(':href')) && !/^#[\w.-]+$/.test(value.trim())) continue;
    if (lower.endsWith(':base') || external(value)) continue;
    out += ` ${name}="${escapeAttr(value)}"`;
  }
  return out;
}

/** The sanitized SVG, or null when the text is not a well-formed SVG document (a DOCTYPE, with its entities, is refused). */
export function sanitizeSvg(text: string): string | null {
  const open: { name: string; kept: boolean }[] = [];
  let out = '';
  let sawRoot = false;
  for (const m of text.matchAll(TOKEN)) {
    const [token, closing, opening, attrs, selfClosing] = m;
    if (token.startsWith('<!--') || token.startsWith('<?')) continue;
    if (token.startsWith('<!')) {
      if (token.startsWith('<![CDATA[')) continue;
      return null;
    }
    const dropping = open.some((o) => !o.kept);
    if (closing !== undefined) {
      const top = open.pop();
      if (!top || top.name !== closing) return null;
      if (top.kept && !open.some((o) => !o.kept)) out += `</${closing}>`;
      continue;
    }
    if (opening !== undefined) {
      const local = opening.toLowerCase().replace(/^svg:/, '');
      if ((!sawRoot && local !== 'svg') || (sawRoot && !open.length)) return null;
      sawRoot = true;
      const kept = !dropping && ELEMENTS.has(local) && !opening.includes(':');
      if (kept) out += `<${opening}${cleanAttributes(attrs ?? '')}${selfClosing ? '/' : ''}>`;
      if (!selfClosing) open.push({ name: opening, kept: kept || false });
      continue;
    }
    if (token === '<') return null;
    if (!dropping && open.length) out += escapeText(token);
    else if (token.trim() && !open.length) return null;
  }
  return sawRoot && open.length === 0 ? out : null;
}
