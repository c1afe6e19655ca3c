// Server-Sent Events over fetch (EventSource cannot POST or send an Authorization header).

/**
 * Incremental parser of an event stream, as the HTML spec reads one: fed text in any pieces, it
 * returns the complete events seen so far as {event, data}. Comments (": ...") and fields other
 * than event/data are ignored; several data lines are joined with "\n"; an event without a name
 * is "message".
 */
export class SseParser {
  #buffer = '';
  #event = '';
  #data = [];

  /** @returns {{event: string, data: string}[]} */
  push(text) {
    this.#buffer += text;
    const events = [];
    let newline;
    while ((newline = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      // a lone \r at the end may be the first half of \r\n: wait for the next piece
      if (this.#buffer[newline] === '\r' && newline === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(0, newline);
      const width = this.#buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.#buffer = this.#buffer.slice(newline + width);
      if (line === '') {
        if (this.#data.length > 0) {
          events.push({ event: this.#event || 'message', data: this.#data.join('\n') });
        }
        this.#event = '';
        this.#data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.#event = value;
      else if (field === 'data') this.#data.push(value);
    }
    return events;
  }
}

/**
 * Reads a fetch Response's event stream, calling onEvent(name, parsedJson) for each event. Resolves
 * when the stream ends; rejects with an AbortError when the fetch is aborted.
 */
export async function readEvents(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    for (const e of parser.push(value)) {
      onEvent(e.event, JSON.parse(e.data));
    }
  }
}
