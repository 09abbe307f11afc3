// The push channel: server-sent events from the daemon. A "resync" (the first event, and again whenever this
// page fell too far behind for the daemon to keep its updates) makes the page fetch torrents/info once; "update"
// events carry what changed since. Updates that come while that fetch is under way are applied after it.

import { EVENTS_URL, get, LoggedOut } from './api.js';

export class LiveFeed {
  constructor(store, { onLoggedOut, onStatus }) {
    this.store = store;
    this.onLoggedOut = onLoggedOut;
    this.onStatus = onStatus;
    this.source = null;
    this.pending = null;
    this.retry = null;
  }

  start() {
    this.stop();
    const source = new EventSource(EVENTS_URL);
    this.source = source;
    source.addEventListener('open', () => this.onStatus('Live'));
    source.addEventListener('resync', () => this.resync());
    source.addEventListener('update', (event) => {
      const update = JSON.parse(event.data);
      if (this.pending) {
        this.pending.push(update);
      } else {
        this.store.merge(update);
      }
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        this.onStatus('Disconnected');
        this.recover();
      } else {
        this.onStatus('Reconnecting…');
      }
    });
  }

  /** The stream was refused: logged out, or the daemon went away; find out which. */
  async recover() {
    try {
      await get('app/version');
      this.retry = setTimeout(() => this.start(), 3000);
    } catch (error) {
      if (error instanceof LoggedOut) {
        this.stop();
        this.onLoggedOut();
      } else {
        this.retry = setTimeout(() => this.recover(), 3000);
      }
    }
  }

  async resync() {
    this.pending = [];
    try {
      const [rows, transfer] = await Promise.all([get('torrents/info'), get('transfer/info')]);
      this.store.replace(rows);
      this.store.setServer(transfer);
      for (const update of this.pending) {
        this.store.merge(update);
      }
    } catch (error) {
      if (error instanceof LoggedOut) {
        this.stop();
        this.onLoggedOut();
      }
    } finally {
      this.pending = null;
    }
  }

  stop() {
    clearTimeout(this.retry);
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }
}
