// The torrents as the page knows them: filled whole by a fetch of torrents/info, then kept up to date by the
// event stream's updates, which have sync/maindata's partial form (only what changed, by hash).

export class Store {
  constructor() {
    this.torrents = new Map();
    this.server = {};
    this.listeners = new Set();
  }

  /** Replaces everything with the rows of torrents/info. */
  replace(rows) {
    this.torrents = new Map(rows.map((row) => [row.hash, row]));
    this.changed();
  }

  /** Merges one sync/maindata partial update. */
  merge(update) {
    for (const [hash, fields] of Object.entries(update.torrents || {})) {
      const known = this.torrents.get(hash);
      this.torrents.set(hash, known ? Object.assign(known, fields) : { hash, ...fields });
    }
    for (const hash of update.torrents_removed || []) {
      this.torrents.delete(hash);
    }
    if (update.server_state) {
      Object.assign(this.server, update.server_state);
    }
    this.changed();
  }

  setServer(state) {
    Object.assign(this.server, state);
    this.changed();
  }

  get(hash) {
    return this.torrents.get(hash);
  }

  /** The torrents in the order they were added, then by name. */
  list() {
    return [...this.torrents.values()].sort((a, b) => (a.added_on - b.added_on) || a.name.localeCompare(b.name));
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  changed() {
    for (const listener of this.listeners) {
      listener();
    }
  }
}
