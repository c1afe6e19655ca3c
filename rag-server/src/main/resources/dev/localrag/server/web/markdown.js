// Markdown to safe DOM: marked renders, raw HTML in the text is shown as text, DOMPurify sanitises.

import { Marked } from './vendor/marked.esm.js';
import DOMPurify from './vendor/purify.es.mjs';

export function escapeHtml(text) {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // HTML written in a document or an answer is text to read, never markup to run
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'img', 'svg', 'math'],
  FORBID_ATTR: ['style', 'id', 'name'],
  RETURN_DOM_FRAGMENT: true,
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** Sanitised HTML for a Markdown text, as a string (what toFragment holds). */
export function renderMarkdown(text) {
  const div = document.createElement('div');
  div.append(toFragment(text));
  return div.innerHTML;
}

/** A DocumentFragment of the Markdown text, sanitised: no script, handler or foreign content. */
export function toFragment(text) {
  return DOMPurify.sanitize(marked.parse(text ?? ''), PURIFY);
}
