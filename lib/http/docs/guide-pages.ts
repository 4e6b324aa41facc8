import { Marked, type Tokens } from 'marked';
import type { Guide } from './guides.js';

/** What the service fills into the merchant guide when it serves it: its address, the retry window, the snippets. */
export interface GuideFill {
  base: string;
  retryFor: string;
  answerWithin: string;
  snippets: Readonly<Record<string, string>>;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** GitHub's heading anchors, so a link into docs/merchant-guide.md works on GitHub and at /docs alike. */
export const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');

/** The `## ` sections of a Markdown file by title, ignoring lines inside code fences. */
export function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  let title: string | undefined;
  let lines: string[] = [];
  let fence = false;
  const close = () => title !== undefined && sections.set(title, lines.join('\n'));
  for (const line of markdown.split('\n')) {
    if (/^(```|~~~)/.test(line)) fence = !fence;
    if (!fence && line.startsWith('## ')) {
      close();
      title = line.slice(3).trim();
      lines = [line];
    } else lines.push(line);
  }
  close();
  return sections;
}

const headingsOf = (section: string) => [...section.matchAll(/^#{2,6} (.+)$/gm)].map((m) => anchorOf(m[1]!.replace(/`/g, '')));

/**
 * Renders each guide of /docs from its sections of docs/merchant-guide.md, once at start: the guide is
 * written once, and the page keeps the layout's rules (no inline script or raw HTML; code blocks
 * reachable by keyboard; table headers scoped for screen readers).
 */
export function renderGuides(markdown: string, guides: readonly Guide[], fill: GuideFill): Map<string, string> {
  const filled = markdown
    .replace(/^<!-- snippet ([\w.-]+) -->$/gm, (_, name: string) => {
      const code = fill.snippets[name];
      if (code === undefined) throw new Error(`docs/merchant-guide.md names a snippet the service does not serve: ${name}`);
      return `~~~~\n${code.replace(/\n$/, '')}\n~~~~`;
    })
    .replace(/\{\{(base|retryFor|answerWithin)\}\}/g, (_, key: 'base' | 'retryFor' | 'answerWithin') => fill[key]);
  const sections = sectionsOf(filled);
  const owner = new Map<string, string>();
  const parts = guides.map((guide) => {
    const texts = guide.sections.map((title) => {
      const text = sections.get(title);
      if (text === undefined) throw new Error(`docs/merchant-guide.md has no section "## ${title}" for the guide ${guide.slug}`);
      for (const anchor of headingsOf(text)) if (!owner.has(anchor)) owner.set(anchor, guide.slug);
      return text;
    });
    return [guide.slug, texts.join('\n\n')] as const;
  });
  return new Map(parts.map(([slug, text]) => [slug, markedFor(slug, owner).parse(text, { async: false })]));
}

/** Links that work only beside the Markdown file (other docs, anchors of sections no guide serves) become plain text. */
function markedFor(slug: string, owner: ReadonlyMap<string, string>) {
  return new Marked({
    gfm: true,
    renderer: {
      code({ text }: Tokens.Code) {
        return `<pre tabindex="0"><code>${escapeHtml(text)}</code></pre>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      heading({ tokens, depth, text }: Tokens.Heading) {
        return `<h${depth} id="${anchorOf(text.replace(/`/g, ''))}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      tablecell({ tokens, header }: Tokens.TableCell) {
        const inner = this.parser.parseInline(tokens);
        return header ? `<th scope="col">${inner}</th>` : `<td>${inner}</td>`;
      },
      link({ href, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const at = (target: string) => `<a href="${escapeHtml(target)}">${inner}</a>`;
        if (/^(https?:\/\/|\/)/.test(href)) return at(href);
        const guide = href.startsWith('#') ? owner.get(href.slice(1)) : undefined;
        if (guide === undefined) return inner;
        return at(guide === slug ? href : `/docs/guides/${guide}${href}`);
      },
      image({ text }: Tokens.Image) {
        return escapeHtml(text);
      },
    },
  });
}
