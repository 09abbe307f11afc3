// The list of torrents: one table row per torrent, kept by hash and updated in place (a row that did not change
// is not touched, so focus and selection survive updates). Below 640 px wide the stylesheet lays rows out as cards.

import * as format from './format.js';

const COLUMNS = [
  ['size', 'Size', (t) => format.bytes(t.size)],
  ['progress', 'Progress', null],
  ['state', 'State', (t) => format.state(t.state)],
  ['dlspeed', 'Down', (t) => format.rate(t.dlspeed)],
  ['upspeed', 'Up', (t) => format.rate(t.upspeed)],
  ['eta', 'ETA', (t) => (t.progress >= 1 ? '–' : format.eta(t.eta))],
  ['ratio', 'Ratio', (t) => format.ratio(t.ratio)],
  ['peers', 'Peers', (t) => String((t.num_leechs || 0) + (t.num_seeds || 0))],
];

export class TorrentList {
  constructor(tbody, { onDetails, onToggle, onRemove, onSelect }) {
    this.tbody = tbody;
    this.rows = new Map();
    this.filter = '';
    this.selected = null;
    this.handlers = { onDetails, onToggle, onRemove, onSelect };
    tbody.addEventListener('click', (event) => this.clicked(event));
    tbody.addEventListener('focusin', (event) => {
      const row = event.target.closest('tr');
      if (row) {
        this.select(row.dataset.hash);
      }
    });
  }

  clicked(event) {
    const button = event.target.closest('button');
    const row = event.target.closest('tr');
    if (!row) {
      return;
    }
    this.select(row.dataset.hash);
    if (!button) {
      return;
    }
    const hash = row.dataset.hash;
    if (button.dataset.act === 'details') {
      this.handlers.onDetails(hash);
    } else if (button.dataset.act === 'toggle') {
      this.handlers.onToggle(hash);
    } else if (button.dataset.act === 'remove') {
      this.handlers.onRemove(hash);
    }
  }

  select(hash) {
    if (this.selected === hash) {
      return;
    }
    this.selected = hash;
    for (const [key, row] of this.rows) {
      row.tr.setAttribute('aria-selected', String(key === hash));
    }
    this.handlers.onSelect(hash);
  }

  /** The visible rows' hashes, in order. */
  visible() {
    return [...this.tbody.children].filter((tr) => !tr.hidden).map((tr) => tr.dataset.hash);
  }

  /** Moves the selection by {@code step} rows and focuses the row's name. */
  move(step) {
    const hashes = this.visible();
    if (hashes.length === 0) {
      return;
    }
    const at = hashes.indexOf(this.selected);
    const next = hashes[Math.max(0, Math.min(hashes.length - 1, at < 0 ? 0 : at + step))];
    this.rows.get(next).name.focus();
  }

  render(torrents) {
    const seen = new Set();
    let previous = null;
    for (const torrent of torrents) {
      seen.add(torrent.hash);
      let row = this.rows.get(torrent.hash);
      if (!row) {
        row = this.create(torrent.hash);
        this.rows.set(torrent.hash, row);
      }
      this.update(row, torrent);
      const expected = previous ? previous.nextSibling : this.tbody.firstChild;
      if (expected !== row.tr) {
        this.tbody.insertBefore(row.tr, expected);
      }
      previous = row.tr;
    }
    for (const [hash, row] of this.rows) {
      if (!seen.has(hash)) {
        row.tr.remove();
        this.rows.delete(hash);
        if (this.selected === hash) {
          this.selected = null;
        }
      }
    }
    return this.applyFilter();
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    return this.applyFilter();
  }

  applyFilter() {
    let shown = 0;
    for (const row of this.rows.values()) {
      row.tr.hidden = this.filter !== '' && !row.lowerName.includes(this.filter);
      shown += row.tr.hidden ? 0 : 1;
    }
    return shown;
  }

  create(hash) {
    const tr = document.createElement('tr');
    tr.dataset.hash = hash;
    tr.setAttribute('aria-selected', 'false');
    const nameCell = document.createElement('td');
    nameCell.className = 'name';
    nameCell.dataset.label = 'Name';
    const name = document.createElement('button');
    name.type = 'button';
    name.className = 'link';
    name.dataset.act = 'details';
    nameCell.append(name);
    tr.append(nameCell);
    const cells = {};
    let bar = null;
    let barText = null;
    for (const [key, label] of COLUMNS) {
      const td = document.createElement('td');
      td.className = key;
      td.dataset.label = label;
      if (key === 'progress') {
        bar = document.createElement('progress');
        bar.max = 1;
        barText = document.createElement('span');
        barText.className = 'progress-text';
        td.append(bar, barText);
      }
      cells[key] = td;
      tr.append(td);
    }
    const actions = document.createElement('td');
    actions.className = 'row-actions';
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.dataset.act = 'toggle';
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.dataset.act = 'remove';
    remove.textContent = 'Remove';
    actions.append(toggle, remove);
    tr.append(actions);
    return { tr, name, cells, bar, barText, toggle, remove, lowerName: '', text: {} };
  }

  update(row, torrent) {
    const name = torrent.name || torrent.hash;
    if (row.name.textContent !== name) {
      row.name.textContent = name;
      row.name.setAttribute('aria-label', `Details of ${name}`);
      row.remove.setAttribute('aria-label', `Remove ${name}`);
      row.lowerName = name.toLowerCase();
    }
    for (const [key, , show] of COLUMNS) {
      if (show) {
        const text = show(torrent);
        if (row.text[key] !== text) {
          row.cells[key].textContent = text;
          row.text[key] = text;
        }
      }
    }
    // Without metadata the size is unknown, and so is the progress, whatever the fraction says.
    const fraction = torrent.total_size > 0 ? torrent.progress : 0;
    const progress = format.percent(fraction);
    if (row.text.progress !== progress) {
      row.bar.value = Math.max(0, Math.min(1, fraction || 0));
      row.bar.setAttribute('aria-label', `${name}: ${progress} done`);
      row.barText.textContent = progress;
      row.text.progress = progress;
    }
    const paused = format.isPaused(torrent.state);
    const toggle = paused ? 'Resume' : 'Pause';
    if (row.text.toggle !== toggle || row.text.toggleName !== name) {
      row.toggle.textContent = toggle;
      row.toggle.setAttribute('aria-label', `${toggle} ${name}`);
      row.toggle.setAttribute('aria-keyshortcuts', 'p');
      row.text.toggle = toggle;
      row.text.toggleName = name;
    }
    row.tr.dataset.state = torrent.state || '';
  }
}
