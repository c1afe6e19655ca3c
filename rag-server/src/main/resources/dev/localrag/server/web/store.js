// Conversations kept in the browser (localStorage), with their sources and citations.

const KEY = 'localrag.conversations';
const CURRENT = 'localrag.current';
const KEEP = 50;

export const DEFAULT_SETTINGS = Object.freeze({ mode: 'hybrid', k: null });

function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export function loadConversations() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return []; // a damaged entry (edited by hand) is not worth failing the page for
  }
}

/**
 * Saves the conversations, newest first; when the browser's quota is full the oldest are dropped
 * until they fit. Returns how many were dropped.
 */
export function saveConversations(list) {
  const sorted = [...list].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, KEEP);
  let dropped = list.length - sorted.length;
  for (;;) {
    try {
      localStorage.setItem(KEY, JSON.stringify(sorted));
      return dropped;
    } catch (e) {
      if (sorted.length <= 1) throw e;
      sorted.pop();
      dropped++;
    }
  }
}

export function createConversation(collection, settings = DEFAULT_SETTINGS) {
  const now = Date.now();
  return { id: newId(), title: '', collection, settings: { ...settings }, messages: [], createdAt: now, updatedAt: now };
}

export function currentId() {
  return localStorage.getItem(CURRENT);
}

export function setCurrentId(id) {
  if (id) localStorage.setItem(CURRENT, id);
  else localStorage.removeItem(CURRENT);
}

/**
 * The earlier turns to send as the server's history: finished exchanges only (an answer that was
 * stopped or failed is left out with its question), the last maxTurns turns.
 */
export function historyOf(messages, maxTurns = 20) {
  const turns = [];
  for (let i = 0; i + 1 < messages.length; i++) {
    const q = messages[i];
    const a = messages[i + 1];
    if (q.role === 'user' && a.role === 'assistant' && a.status === 'done') {
      turns.push({ role: 'user', content: q.text }, { role: 'assistant', content: a.text });
      i++;
    }
  }
  return turns.slice(-maxTurns);
}
