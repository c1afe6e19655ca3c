// The LocalRAG chat page: conversations, streamed answers with citations, sources, documents.

import { ApiError, getJson, onKeyNeeded, request, storedKey, upload } from './api.js';
import { readEvents } from './sse.js';
import { decorateCitations } from './citations.js';
import { documentId, fileName, humanBytes } from './format.js';
import { toFragment } from './markdown.js';
import {
  createConversation,
  currentId,
  DEFAULT_SETTINGS,
  historyOf,
  loadConversations,
  saveConversations,
  setCurrentId,
} from './store.js';

const $ = (id) => document.getElementById(id);

const state = {
  info: null, // GET /v1/collections
  conversations: loadConversations(),
  current: null,
  streaming: null, // {controller, message}
  docs: [],
};

// ---------------------------------------------------------------- small helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function collectionInfo(name) {
  return state.info?.collections.find((c) => c.name === name) ?? null;
}

function defaultCollection() {
  const list = state.info?.collections ?? [];
  return (list.find((c) => c.default) ?? list[0])?.name ?? '';
}

function save() {
  saveConversations(state.conversations);
}

// ---------------------------------------------------------------- dialogs

function askForKey(message) {
  const dialog = $('key-dialog');
  $('key-message').textContent = storedKey()
    ? `${message} Enter another key.`
    : `${message} Enter the key the server was started with.`;
  $('key-input').value = '';
  return new Promise((resolve) => {
    const done = (key) => {
      dialog.removeEventListener('close', onClose);
      resolve(key);
    };
    const onClose = () => done(dialog.returnValue === 'save' ? $('key-input').value.trim() || null : null);
    dialog.addEventListener('close', onClose);
    dialog.returnValue = '';
    dialog.showModal();
    $('key-input').focus();
  });
}

function confirmAction(title, message, okLabel) {
  const dialog = $('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-message').textContent = message;
  $('confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

// ---------------------------------------------------------------- collections and settings

async function loadInfo() {
  try {
    state.info = await getJson('v1/collections');
  } catch (e) {
    showBanner(`Cannot load the collections: ${e.message}`, loadInfo);
    return;
  }
  hideBanner();
  const select = $('collection');
  select.replaceChildren(
    ...state.info.collections.map((c) =>
      el('option', { value: c.name }, `${c.name} (${c.documents} document${c.documents === 1 ? '' : 's'})`),
    ),
  );
  const limits = state.info.upload;
  $('upload-limits').textContent =
    `Up to ${humanBytes(limits.maxBytes)} per file: ${limits.types.map((t) => `.${t}`).join(' ')}`;
  $('files').accept = limits.types.map((t) => `.${t}`).join(',');
  if (!state.current) {
    const stored = state.conversations.find((c) => c.id === currentId());
    selectConversation(stored ?? createConversation(defaultCollection()));
  } else {
    showSettings();
  }
}

function showBanner(text, retry) {
  hideBanner();
  const banner = el(
    'div',
    { id: 'banner', class: 'banner', role: 'alert' },
    el('span', {}, text),
    retry ? el('button', { type: 'button', onclick: () => retry() }, 'Retry') : null,
  );
  $('chat').prepend(banner);
}

function hideBanner() {
  $('banner')?.remove();
}

function showSettings() {
  const conv = state.current;
  if (!conv) return;
  const select = $('collection');
  if (![...select.options].some((o) => o.value === conv.collection) && conv.collection) {
    select.append(el('option', { value: conv.collection, disabled: true }, `${conv.collection} (not served)`));
  }
  select.value = conv.collection;
  $('mode').value = conv.settings.mode;
  $('k').value = conv.settings.k ?? '';
  $('k').placeholder = String(collectionInfo(conv.collection)?.topK ?? '');
}

// ---------------------------------------------------------------- conversations

function selectConversation(conv) {
  state.current = conv;
  setCurrentId(conv.messages.length > 0 ? conv.id : null);
  showSettings();
  renderConversations();
  renderThread();
  document.title = conv.title ? `${conv.title} — LocalRAG` : 'LocalRAG';
}

function newConversation() {
  if (state.streaming) stopAnswer();
  const collection = $('collection').value || defaultCollection();
  selectConversation(createConversation(collection, { ...DEFAULT_SETTINGS, mode: state.current?.settings.mode ?? 'hybrid' }));
  closeSidebar();
  $('question').focus();
}

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

function renderConversations() {
  const list = $('conversations');
  const items = [...state.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  list.replaceChildren(
    ...items.map((conv) =>
      el(
        'li',
        { class: conv === state.current ? 'current' : '' },
        el(
          'button',
          {
            type: 'button',
            class: 'conversation',
            'aria-current': conv === state.current ? 'true' : null,
            onclick: () => {
              if (state.streaming) stopAnswer();
              selectConversation(conv);
              closeSidebar();
            },
          },
          el('span', { class: 'title' }, conv.title || 'Untitled'),
          el('span', { class: 'meta' }, `${conv.collection} · ${WHEN.format(new Date(conv.updatedAt))}`),
        ),
        el(
          'button',
          {
            type: 'button',
            class: 'icon delete',
            'aria-label': `Delete conversation “${conv.title || 'Untitled'}”`,
            onclick: async () => {
              if (!(await confirmAction('Delete this conversation?', conv.title, 'Delete'))) return;
              state.conversations = state.conversations.filter((c) => c !== conv);
              save();
              if (conv === state.current) newConversation();
              else renderConversations();
            },
          },
          '✕',
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------- the thread

function renderThread() {
  const thread = $('thread');
  thread.replaceChildren(...state.current.messages.map((m, i) => messageElement(m, i)));
  $('empty').hidden = state.current.messages.length > 0;
  thread.scrollTop = thread.scrollHeight;
}

function messageElement(message, index) {
  const node = el('article', { class: `msg ${message.role}`, 'data-index': index });
  fillMessage(node, message);
  return node;
}

function knownSources(message) {
  const numbers = new Set((message.sources ?? []).map((s) => s.n));
  for (const c of message.citations ?? []) numbers.add(c.n);
  return (n) => numbers.has(n);
}

function fillMessage(node, message) {
  node.dataset.status = message.status ?? 'done';
  node.setAttribute('aria-busy', String(message.status === 'streaming')); // read it out once it is complete
  if (message.role === 'user') {
    node.replaceChildren(el('h3', { class: 'sr-only' }, 'You asked'), el('p', { class: 'question' }, message.text));
    return;
  }
  const parts = [el('h3', { class: 'sr-only' }, 'Answer')];
  const badge = badgeOf(message);
  if (badge) parts.push(el('p', { class: `badge ${badge.kind}` }, badge.text));
  if (message.notice && message.kind !== 'generated') {
    parts.push(el('p', { class: 'notice', role: 'note' }, message.notice));
  }
  const answer = el('div', { class: 'answer' });
  if (message.text) {
    answer.append(toFragment(message.text));
    decorateCitations(answer, knownSources(message), (n) => chip(message, n));
  } else if (message.status === 'streaming') {
    answer.append(el('p', { class: 'thinking' }, 'Searching your documents…'));
  }
  parts.push(answer);
  if (message.status === 'error' && message.error) {
    parts.push(el('p', { class: 'error', role: 'alert' }, `${message.error.message} (${message.error.code})`));
  }
  if (message.removedCitations > 0) {
    parts.push(
      el('p', { class: 'meta' }, `${message.removedCitations} citation marker(s) named no source and were removed.`),
    );
  }
  if (message.sources?.length) parts.push(sourcesList(message));
  const meta = metaLine(message);
  if (meta) parts.push(el('p', { class: 'meta' }, meta));
  node.replaceChildren(...parts);
}

function badgeOf(message) {
  if (message.status === 'stopped') return { kind: 'stopped', text: 'Stopped' };
  if (message.status === 'error') return { kind: 'failed', text: 'Failed' };
  if (message.kind === 'not-found') return { kind: 'not-found', text: 'Not found in your documents' };
  if (message.kind === 'extractive') return { kind: 'extractive', text: 'Passages only: no generated answer' };
  return null;
}

function metaLine(message) {
  const bits = [];
  if (message.model) bits.push(message.model);
  const t = message.timings;
  if (t) {
    if (t.firstTokenMs != null) bits.push(`first token ${Math.round(t.firstTokenMs)} ms`);
    if (t.totalMs != null) bits.push(`${Math.round(t.totalMs)} ms`);
  }
  return bits.join(' · ');
}

function sourceInfo(message, n) {
  const source = (message.sources ?? []).find((s) => s.n === n) ?? {};
  const citation = (message.citations ?? []).find((c) => c.n === n) ?? {};
  return { ...source, ...citation, text: source.text, snippet: citation.snippet ?? source.text };
}

function locationOf(info) {
  const bits = [];
  if (info.section) bits.push(`§ ${info.section}`);
  if (info.page) bits.push(`page ${info.page}`);
  if (info.chunk !== undefined) bits.push(`passage ${info.chunk + 1}`);
  return bits.join(' · ');
}

function chip(message, n) {
  const info = sourceInfo(message, n);
  return el(
    'button',
    {
      type: 'button',
      class: 'cite',
      'data-n': n,
      'aria-label': `Source ${n}: ${fileName(info.path)}`,
    },
    String(n),
  );
}

function sourcesList(message) {
  const items = message.sources.map((s) => {
    const info = sourceInfo(message, s.n);
    return el(
      'li',
      {},
      el(
        'button',
        { type: 'button', class: 'source-link', 'data-n': s.n },
        el('span', { class: 'cite', 'aria-hidden': 'true' }, String(s.n)),
        ` ${fileName(s.path)}`,
        el('span', { class: 'meta' }, ` ${locationOf(info)} · score ${formatScore(info.score)}`),
      ),
      el('blockquote', { class: 'passage' }, s.text ?? ''),
    );
  });
  return el(
    'details',
    { class: 'sources' },
    el('summary', {}, `${message.sources.length} source${message.sources.length === 1 ? '' : 's'}`),
    el('ol', {}, ...items),
  );
}

function formatScore(score) {
  return typeof score === 'number' ? score.toFixed(3) : '–';
}

let renderQueued = new Set();

function scheduleRender(message) {
  if (renderQueued.size === 0) {
    requestAnimationFrame(() => {
      const queued = renderQueued;
      renderQueued = new Set();
      for (const m of queued) updateMessage(m);
    });
  }
  renderQueued.add(message);
}

function updateMessage(message) {
  const index = state.current?.messages.indexOf(message) ?? -1;
  if (index < 0) return; // another conversation is shown
  const node = $('thread').querySelector(`.msg[data-index="${index}"]`);
  if (!node) return;
  const thread = $('thread');
  const atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
  fillMessage(node, message);
  if (atBottom) thread.scrollTop = thread.scrollHeight;
}

// ---------------------------------------------------------------- citation preview and source panel

function messageOf(node) {
  const article = node.closest('.msg');
  return article ? state.current.messages[Number(article.dataset.index)] : null;
}

function showTip(button) {
  const message = messageOf(button);
  if (!message) return;
  const n = Number(button.dataset.n);
  const info = sourceInfo(message, n);
  const tip = $('cite-tip');
  tip.replaceChildren(
    el('strong', {}, `[${n}] ${fileName(info.path)}`),
    info.title && info.title !== fileName(info.path) ? el('span', { class: 'meta' }, info.title) : null,
    el('span', { class: 'meta' }, [locationOf(info), `score ${formatScore(info.score)}`].filter(Boolean).join(' · ')),
    el('span', { class: 'snippet' }, info.snippet ?? ''),
  );
  tip.hidden = false;
  button.setAttribute('aria-describedby', 'cite-tip');
  const box = button.getBoundingClientRect();
  const width = Math.min(360, window.innerWidth - 16);
  tip.style.width = `${width}px`;
  tip.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - width - 8))}px`;
  const below = box.bottom + 6;
  tip.style.top = `${below + tip.offsetHeight > window.innerHeight ? Math.max(8, box.top - tip.offsetHeight - 6) : below}px`;
}

function hideTip(button) {
  $('cite-tip').hidden = true;
  button?.removeAttribute('aria-describedby');
}

function showPanel(id) {
  for (const other of ['source-panel', 'docs-panel']) {
    $(other).hidden = other !== id;
  }
  $('open-docs').setAttribute('aria-expanded', String(id === 'docs-panel'));
  document.body.classList.toggle('panel-open', Boolean(id));
}

let panelReturnFocus = null;

function closePanel(id) {
  $(id).hidden = true;
  $('open-docs').setAttribute('aria-expanded', String(!$('docs-panel').hidden));
  document.body.classList.toggle('panel-open', !$('docs-panel').hidden || !$('source-panel').hidden);
  (panelReturnFocus ?? $('question')).focus();
  panelReturnFocus = null;
}

async function openSource(message, n) {
  hideTip();
  const info = sourceInfo(message, n);
  panelReturnFocus = document.activeElement;
  showPanel('source-panel');
  $('source-title').textContent = `[${n}] ${fileName(info.path)}`;
  $('source-meta').textContent = [info.path, locationOf(info), `score ${formatScore(info.score)}`]
    .filter(Boolean)
    .join(' · ');
  const note = $('source-note');
  note.hidden = true;
  const body = $('source-body');
  body.replaceChildren(el('p', { class: 'meta' }, 'Loading the document…'));
  $('source-panel').focus();
  let chunks;
  try {
    const id = info.documentId ?? documentId(info.path);
    const collection = encodeURIComponent(message.collection ?? '');
    chunks = (await getJson(`v1/documents/${id}?collection=${collection}`)).chunks;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) {
      body.replaceChildren(el('p', { class: 'error', role: 'alert' }, `Cannot load the document: ${e.message}`));
      return;
    }
    note.hidden = false;
    note.textContent = 'This document is no longer in the collection. The passage as it was cited:';
    chunks = [{ chunk: info.chunk ?? 0, text: info.text ?? info.snippet ?? '' }];
  }
  const hit = chunks.find((c) => c.chunk === info.chunk);
  if (hit && info.text && hit.text !== info.text) {
    note.hidden = false;
    note.textContent = 'The document changed after this answer: the highlighted passage is its current text.';
  }
  body.replaceChildren(
    ...chunks.map((c) => {
      const cited = c.chunk === info.chunk;
      const text = cited ? el('mark', {}, c.text) : c.text;
      return el(
        'section',
        { class: `chunk${cited ? ' hit' : ''}`, 'data-chunk': c.chunk, 'aria-current': cited ? 'true' : null },
        el('h3', { class: 'chunk-label' }, `Passage ${c.chunk + 1}${cited ? ' (cited)' : ''}`),
        el('p', {}, text),
      );
    }),
  );
  body.querySelector('.hit')?.scrollIntoView({ block: 'center' });
}

// ---------------------------------------------------------------- asking

function setStreaming(on) {
  $('send').hidden = on;
  $('stop').hidden = !on;
  $('composer').classList.toggle('streaming', on);
}

async function ask(question) {
  const conv = state.current;
  if (!conv.collection) conv.collection = $('collection').value || defaultCollection();
  const history = historyOf(conv.messages);
  conv.messages.push({ role: 'user', text: question });
  if (!conv.title) conv.title = question.length > 80 ? `${question.slice(0, 77)}…` : question;
  const message = { role: 'assistant', text: '', status: 'streaming', sources: [], collection: conv.collection };
  conv.messages.push(message);
  conv.updatedAt = Date.now();
  if (!state.conversations.includes(conv)) state.conversations.push(conv);
  setCurrentId(conv.id);
  save();
  renderConversations();
  renderThread();
  document.title = `${conv.title} — LocalRAG`;

  const controller = new AbortController();
  state.streaming = { controller, message };
  setStreaming(true);
  const body = { question, collection: conv.collection, mode: conv.settings.mode };
  if (conv.settings.k) body.k = conv.settings.k;
  if (history.length > 0) body.history = history;
  try {
    const response = await request('v1/query/stream', { method: 'POST', json: body, signal: controller.signal });
    await readEvents(response, (event, data) => {
      if (event === 'sources') {
        message.sources = data.sources;
      } else if (event === 'token') {
        message.text += data.text;
      } else if (event === 'done') {
        Object.assign(message, {
          text: data.answer,
          citations: data.citations,
          kind: data.kind,
          notice: data.notice,
          model: data.model,
          timings: data.timings,
          query: data.query,
          removedCitations: data.removedCitations,
          status: 'done',
        });
      } else if (event === 'error') {
        message.status = 'error';
        message.error = data.error;
      }
      scheduleRender(message);
    });
    if (message.status === 'streaming') {
      message.status = 'error';
      message.error = { code: 'incomplete', message: 'The answer stream ended before the answer was complete.' };
    }
  } catch (e) {
    if (e.name === 'AbortError') {
      message.status = 'stopped';
    } else if (e instanceof ApiError) {
      message.status = 'error';
      const retry = e.retryAfter ? ` Retry in ${e.retryAfter} s.` : '';
      message.error = { code: e.code, message: e.message + retry };
    } else {
      message.status = 'error';
      message.error = { code: 'network', message: `The connection to the server failed (${e.message}).` };
    }
  } finally {
    state.streaming = null;
    setStreaming(false);
    conv.updatedAt = Date.now();
    save();
    updateMessage(message);
    renderConversations();
  }
}

function stopAnswer() {
  state.streaming?.controller.abort();
}

// ---------------------------------------------------------------- documents

async function openDocs() {
  panelReturnFocus = document.activeElement;
  showPanel('docs-panel');
  $('docs-panel').focus();
  await loadDocs();
}

async function loadDocs() {
  const collection = $('collection').value;
  $('docs-collection').textContent = collection;
  $('docs-summary').textContent = 'Loading…';
  const docs = [];
  try {
    for (let offset = 0; ; ) {
      const page = await getJson(
        `v1/documents?collection=${encodeURIComponent(collection)}&limit=500&offset=${offset}`,
      );
      docs.push(...page.documents);
      offset += page.documents.length;
      if (page.documents.length === 0 || offset >= page.total) break;
    }
  } catch (e) {
    $('docs-summary').textContent = `Cannot list the documents: ${e.message}`;
    return;
  }
  state.docs = docs;
  renderDocs();
}

function renderDocs() {
  const query = $('doc-search').value.trim().toLowerCase();
  const shown = state.docs.filter(
    (d) => !query || d.path.toLowerCase().includes(query) || (d.title ?? '').toLowerCase().includes(query),
  );
  $('docs-summary').textContent = query
    ? `${shown.length} of ${state.docs.length} documents`
    : `${state.docs.length} document${state.docs.length === 1 ? '' : 's'}`;
  $('docs').replaceChildren(
    ...shown.map((d) =>
      el(
        'tr',
        { 'data-path': d.path },
        el(
          'td',
          { class: 'doc-name' },
          el('span', { class: 'name' }, fileName(d.path)),
          d.title && d.title !== fileName(d.path) ? el('span', { class: 'meta' }, d.title) : null,
          el('span', { class: 'meta path' }, d.path),
        ),
        el('td', { class: 'num' }, humanBytes(d.size)),
        el('td', { class: 'num' }, String(d.chunkCount ?? '')),
        el(
          'td',
          {},
          el(
            'button',
            {
              type: 'button',
              class: 'delete',
              'aria-label': `Delete ${fileName(d.path)}`,
              onclick: () => deleteDocument(d),
            },
            'Delete',
          ),
        ),
      ),
    ),
  );
}

async function deleteDocument(doc) {
  const ok = await confirmAction(
    `Delete ${fileName(doc.path)}?`,
    `It is removed from the collection “${$('collection').value}” (and its uploaded copy, if it was uploaded here). Answers citing it keep their passages.`,
    'Delete',
  );
  if (!ok) return;
  try {
    await request(`v1/documents/${doc.id}?collection=${encodeURIComponent($('collection').value)}`, {
      method: 'DELETE',
    });
  } catch (e) {
    $('docs-summary').textContent = `Cannot delete ${fileName(doc.path)}: ${e.message}`;
    return;
  }
  state.docs = state.docs.filter((d) => d !== doc);
  renderDocs();
  refreshCounts();
}

let countsTimer = null;

function refreshCounts() {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(async () => {
    const selected = $('collection').value;
    await loadInfo();
    $('collection').value = selected;
  }, 300);
}

// ---------------------------------------------------------------- uploads

const UPLOADS_AT_ONCE = 2;
const uploadQueue = [];
let uploadsRunning = 0;

function addFiles(files) {
  const collection = $('collection').value;
  for (const file of files) {
    const item = { file, collection, status: 'waiting', li: null, abort: null, job: null, removeWhenDone: false };
    item.li = el('li', { class: 'upload' });
    $('uploads').prepend(item.li);
    showUpload(item, 'waiting', 'Waiting');
    uploadQueue.push(item);
  }
  pumpUploads();
}

function pumpUploads() {
  while (uploadsRunning < UPLOADS_AT_ONCE && uploadQueue.length > 0) {
    const item = uploadQueue.shift();
    if (item.status === 'cancelled') continue;
    uploadsRunning++;
    runUpload(item).finally(() => {
      uploadsRunning--;
      pumpUploads();
    });
  }
}

const FINAL = new Set(['indexed', 'unchanged', 'failed', 'cancelled', 'removed']);

/** Updates an upload's row in place (its Cancel button keeps focus and clicks while it polls). */
function showUpload(item, status, text, fraction = null) {
  item.status = status;
  if (!item.li.firstChild) {
    item.li.append(
      el('span', { class: 'name' }, item.file.name),
      el('span', { class: 'status' }),
      el('progress', { max: '1', 'aria-label': `${item.file.name} progress` }),
      el(
        'button',
        { type: 'button', class: 'icon cancel', 'aria-label': `Cancel ${item.file.name}`, onclick: () => cancelUpload(item) },
        '✕',
      ),
    );
  }
  item.li.dataset.status = status;
  item.li.querySelector('.status').textContent = text;
  const progress = item.li.querySelector('progress');
  progress.hidden = fraction === null || FINAL.has(status);
  if (fraction !== null) progress.value = fraction;
  item.li.querySelector('.cancel').hidden = FINAL.has(status) || item.removeWhenDone;
}

async function runUpload(item) {
  const { file } = item;
  const limits = state.info?.upload;
  if (limits && file.size > limits.maxBytes) {
    showUpload(
      item,
      'failed',
      `Too large: ${humanBytes(file.size)}; this server takes files up to ${humanBytes(limits.maxBytes)} (rag serve --max-upload-mb).`,
    );
    return;
  }
  const form = new FormData();
  form.append('collection', item.collection);
  form.append('file', file, file.name);
  showUpload(item, 'uploading', 'Uploading', 0);
  const sending = upload('v1/documents', form, (f) => showUpload(item, 'uploading', `Uploading ${Math.round(f * 100)}%`, f));
  item.abort = sending.abort;
  try {
    item.job = await sending.promise;
  } catch (e) {
    if (e.code === 'aborted') showUpload(item, 'cancelled', 'Cancelled');
    else if (e.status === 413) showUpload(item, 'failed', `Too large: ${e.message}`);
    else if (e.status === 415) showUpload(item, 'failed', `Unsupported type: ${e.message}`);
    else showUpload(item, 'failed', `Upload failed: ${e.message}`);
    return;
  }
  item.abort = null;
  await followJob(item);
}

async function followJob(item) {
  for (;;) {
    const job = item.job;
    if (job.status === 'queued') showUpload(item, 'queued', 'Queued for indexing', 1);
    else if (job.status === 'running')
      showUpload(item, 'running', item.removeWhenDone ? 'Indexing; removing it when done' : 'Indexing', 1);
    else return finishJob(item, job);
    await new Promise((r) => setTimeout(r, 400));
    if (item.status === 'cancelled') return;
    try {
      item.job = await getJson(`v1/jobs/${job.id}`);
    } catch (e) {
      showUpload(item, 'failed', `Lost track of the indexing job: ${e.message}`);
      return;
    }
  }
}

async function finishJob(item, job) {
  if (job.status === 'succeeded' && item.removeWhenDone && job.paths.length > 0) {
    try {
      await request(`v1/documents/${documentId(job.paths[0])}?collection=${encodeURIComponent(job.collection)}`, {
        method: 'DELETE',
      });
      showUpload(item, 'removed', 'Cancelled: indexed, then removed');
    } catch (e) {
      showUpload(item, 'failed', `Indexed, but could not remove it: ${e.message}`);
    }
  } else if (job.status === 'succeeded' && job.failures.length > 0) {
    showUpload(item, 'failed', `Could not be read: ${job.failures.map((f) => f.reason).join('; ')}`);
  } else if (job.status === 'succeeded' && job.progress.unchanged > 0 && job.progress.indexed === 0) {
    showUpload(item, 'unchanged', 'Already indexed, unchanged');
  } else if (job.status === 'succeeded') {
    const chunks = job.result?.chunks;
    showUpload(item, 'indexed', chunks === undefined ? 'Indexed' : `Indexed: ${chunks} chunk${chunks === 1 ? '' : 's'}`);
  } else if (job.status === 'cancelled') {
    showUpload(item, 'cancelled', 'Cancelled');
  } else {
    showUpload(item, 'failed', `Indexing failed: ${job.error?.error?.message ?? 'see the server log'}`);
  }
  if (!$('docs-panel').hidden && $('collection').value === item.collection) loadDocs();
  refreshCounts();
}

async function cancelUpload(item) {
  if (item.status === 'waiting') {
    showUpload(item, 'cancelled', 'Cancelled');
  } else if (item.abort) {
    item.abort();
  } else if (item.job) {
    try {
      item.job = await getJson(`v1/jobs/${item.job.id}`, { method: 'DELETE' });
      showUpload(item, 'cancelled', 'Cancelled');
    } catch (e) {
      if (e.code === 'job_running') {
        item.removeWhenDone = true; // a started ingest runs to the end: take the document out after
        showUpload(item, 'running', 'Indexing; removing it when done', 1);
      } else if (e.code !== 'job_finished') {
        showUpload(item, item.status, `Cannot cancel: ${e.message}`, 1);
      }
    }
  }
}

// ---------------------------------------------------------------- wiring

function closeSidebar() {
  $('sidebar').classList.remove('open');
  $('menu').setAttribute('aria-expanded', 'false');
}

function wire() {
  onKeyNeeded(askForKey);
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('key-dialog').close('save');
  });
  $('key-cancel').addEventListener('click', () => $('key-dialog').close('cancel'));

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const question = $('question').value.trim();
    if (!question || state.streaming) return;
    $('question').value = '';
    ask(question);
  });
  $('question').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('stop').addEventListener('click', stopAnswer);
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (state.streaming) {
      stopAnswer();
    } else if ($('sidebar').classList.contains('open')) {
      closeSidebar();
      $('menu').focus();
    } else if (!$('source-panel').hidden) {
      closePanel('source-panel');
    } else if (!$('docs-panel').hidden) {
      closePanel('docs-panel');
    } else {
      return;
    }
    e.preventDefault();
  });

  $('new-chat').addEventListener('click', newConversation);
  $('menu').addEventListener('click', () => {
    const open = $('sidebar').classList.toggle('open');
    $('menu').setAttribute('aria-expanded', String(open));
  });
  $('collection').addEventListener('change', () => {
    const name = $('collection').value;
    if (state.current.messages.length > 0) {
      selectConversation(createConversation(name, state.current.settings));
    } else {
      state.current.collection = name;
      showSettings();
    }
    if (!$('docs-panel').hidden) loadDocs();
  });
  $('mode').addEventListener('change', () => {
    state.current.settings.mode = $('mode').value;
    if (state.current.messages.length > 0) save();
  });
  $('k').addEventListener('change', () => {
    const k = Number.parseInt($('k').value, 10);
    state.current.settings.k = Number.isInteger(k) && k >= 1 && k <= 100 ? k : null;
    $('k').value = state.current.settings.k ?? '';
    if (state.current.messages.length > 0) save();
  });

  const thread = $('thread');
  thread.addEventListener('mouseover', (e) => {
    const button = e.target.closest('button.cite');
    if (button) showTip(button);
  });
  thread.addEventListener('mouseout', (e) => {
    const button = e.target.closest('button.cite');
    if (button && !button.contains(e.relatedTarget)) hideTip(button);
  });
  thread.addEventListener('focusin', (e) => {
    if (e.target.matches('button.cite')) showTip(e.target);
  });
  thread.addEventListener('focusout', (e) => {
    if (e.target.matches('button.cite')) hideTip(e.target);
  });
  thread.addEventListener('click', (e) => {
    const button = e.target.closest('button.cite, button.source-link');
    if (!button) return;
    const message = messageOf(button);
    if (message) openSource(message, Number(button.dataset.n));
  });
  thread.addEventListener('scroll', () => hideTip());

  $('open-docs').addEventListener('click', () => {
    if ($('docs-panel').hidden) openDocs();
    else closePanel('docs-panel');
  });
  for (const button of document.querySelectorAll('[data-close]')) {
    button.addEventListener('click', () => closePanel(button.dataset.close));
  }
  $('doc-search').addEventListener('input', renderDocs);
  $('files').addEventListener('change', () => {
    addFiles([...$('files').files]);
    $('files').value = '';
  });
  const drop = $('drop');
  window.addEventListener('dragover', (e) => {
    e.preventDefault(); // a file dropped anywhere is uploaded, not opened by the browser
    drop.classList.add('over');
  });
  window.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) drop.classList.remove('over');
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    if ($('docs-panel').hidden) openDocs();
    addFiles(files);
  });
}

wire();
loadInfo();
