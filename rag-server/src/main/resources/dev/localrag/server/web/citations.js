// Citation markers in answers: "[1]", "[2][3]" or "[1, 4]" point to the numbered sources.

const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/**
 * Splits text into plain parts and citation parts: [{text}] and [{n}] in order. A marker is a
 * citation only when every number in it names a known source (isKnown(n)); otherwise it stays text.
 */
export function citationParts(text, isKnown) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const numbers = m[1].split(',').map((s) => Number.parseInt(s.trim(), 10));
    if (!numbers.every((n) => isKnown(n))) continue;
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    for (const n of numbers) parts.push({ n });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** The distinct source numbers an answer cites, in order of first use. */
export function citedNumbers(text, isKnown) {
  const seen = [];
  for (const p of citationParts(text, isKnown)) {
    if (p.n !== undefined && !seen.includes(p.n)) seen.push(p.n);
  }
  return seen;
}

/**
 * Replaces the markers in root's text (outside code and links) with nodes from makeChip(n).
 */
export function decorateCitations(root, isKnown, makeChip) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      return node.parentElement && node.parentElement.closest('code, pre, a')
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT;
    },
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const parts = citationParts(node.nodeValue, isKnown);
    if (!parts.some((p) => p.n !== undefined)) continue;
    const fragment = root.ownerDocument.createDocumentFragment();
    for (const p of parts) {
      fragment.append(p.n !== undefined ? makeChip(p.n) : p.text);
    }
    node.replaceWith(fragment);
  }
}
