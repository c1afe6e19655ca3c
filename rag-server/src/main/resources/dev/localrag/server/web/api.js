// Calls to the LocalRAG API from the page: same origin, API key from the browser when the server asks.

const KEY = 'localrag.apiKey';

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

let askForKey = async () => null;
let pendingAsk = null;

/** ask(message) resolves to a key, or null when the user gives up. */
export function onKeyNeeded(ask) {
  askForKey = ask;
}

export function storedKey() {
  return localStorage.getItem(KEY);
}

export function forgetKey() {
  localStorage.removeItem(KEY);
}

/** The URL of an API path ("v1/...") relative to the page, so the UI also works behind a path prefix. */
export function apiUrl(path) {
  return new URL(path, document.baseURI).toString();
}

function authHeaders() {
  const key = storedKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function keyAfter401(message) {
  // concurrent calls that all got 401 share one prompt
  pendingAsk ??= askForKey(message).finally(() => {
    pendingAsk = null;
  });
  const key = await pendingAsk;
  if (!key) return false;
  localStorage.setItem(KEY, key.trim());
  return true;
}

export async function errorOf(response) {
  let code = `http_${response.status}`;
  let message = `The server answered HTTP ${response.status}.`;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    }
  } catch {
    // not JSON: keep the status line
  }
  const retry = response.headers.get('Retry-After');
  return new ApiError(response.status, code, message, retry ? Number(retry) : null);
}

/**
 * fetch with the API key; on 401 asks for a key and tries again. Resolves to the Response when it
 * is OK, else rejects with an ApiError from the server's {error:{code,message}}.
 */
export async function request(path, { method = 'GET', body, json, signal } = {}) {
  for (;;) {
    const headers = { ...authHeaders() };
    let payload = body;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(json);
    }
    const response = await fetch(apiUrl(path), { method, headers, body: payload, signal });
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401 && (await keyAfter401(error.message))) continue;
    throw error;
  }
}

export async function getJson(path, options) {
  return (await request(path, options)).json();
}

/**
 * Uploads one form with progress: onProgress(fraction) while the bytes go. Returns {promise, abort};
 * the promise resolves to the JSON body (the job) or rejects with an ApiError (status 0 when the
 * connection failed, "aborted" when abort() was called).
 */
export function upload(path, form, onProgress) {
  let xhr = null;
  let aborted = false;
  const send = () =>
    new Promise((resolve, reject) => {
      xhr = new XMLHttpRequest();
      xhr.open('POST', apiUrl(path));
      for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        const body = xhr.response;
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else {
          const err = body && body.error ? body.error : {};
          reject(new ApiError(xhr.status, err.code ?? `http_${xhr.status}`, err.message ?? `HTTP ${xhr.status}`));
        }
      };
      xhr.onerror = () =>
        reject(new ApiError(0, 'network', 'The connection failed before the server answered.'));
      xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Cancelled.'));
      xhr.send(form);
    });
  const promise = (async () => {
    for (;;) {
      try {
        return await send();
      } catch (e) {
        if (!aborted && e.status === 401 && (await keyAfter401(e.message))) continue;
        throw e;
      }
    }
  })();
  return {
    promise,
    abort() {
      aborted = true;
      xhr?.abort();
    },
  };
}
