// Details of one torrent, in a dialog: its general facts (live from the store), its own speed limits, its pieces,
// files (priorities editable), trackers and peers. While it is open, the files, pieces, trackers and peers of this
// one torrent are fetched again every few seconds: the only polling the page does, and of one torrent only.

import { get, post } from './api.js';
import * as format from './format.js';

const REFRESH_MS = 3000;
const PRIORITIES = [['0', 'Skip'], ['1', 'Normal'], ['6', 'High'], ['7', 'Maximum']];
const TRACKER_STATUS = ['Disabled', 'Not contacted', 'Working', 'Updating', 'Not working'];

function cell(tr, text, label) {
  const td = document.createElement('td');
  td.textContent = text;
  if (label) {
    td.dataset.label = label;
  }
  tr.append(td);
  return td;
}

export class Details {
  constructor(dialog, store, { onError }) {
    this.dialog = dialog;
    this.store = store;
    this.onError = onError;
    this.hash = null;
    this.timer = null;
    this.general = dialog.querySelector('#details-general');
    this.title = dialog.querySelector('#details-title');
    this.limits = dialog.querySelector('#limits-form');
    this.canvas = dialog.querySelector('#pieces');
    this.piecesText = dialog.querySelector('#pieces-text');
    dialog.querySelector('.cancel').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => this.closed());
    this.limits.addEventListener('submit', (event) => {
      event.preventDefault();
      this.setLimits();
    });
    dialog.querySelector('#files tbody').addEventListener('change', (event) => this.priorityChanged(event));
    store.subscribe(() => this.showGeneral());
  }

  async open(hash) {
    this.hash = hash;
    const torrent = this.store.get(hash);
    this.title.textContent = torrent ? torrent.name : 'Details';
    this.showGeneral();
    const dl = this.dialog.querySelector('#limit-dl');
    const up = this.dialog.querySelector('#limit-up');
    dl.value = torrent && torrent.dl_limit > 0 ? Math.round(torrent.dl_limit / 1024) : 0;
    up.value = torrent && torrent.up_limit > 0 ? Math.round(torrent.up_limit / 1024) : 0;
    this.dialog.querySelector('#limits-status').textContent = '';
    this.dialog.showModal();
    await this.refresh();
  }

  closed() {
    clearTimeout(this.timer);
    this.hash = null;
  }

  async refresh() {
    clearTimeout(this.timer);
    const hash = this.hash;
    if (!hash) {
      return;
    }
    try {
      const [files, trackers, pieces, peers] = await Promise.all([
        get('torrents/files', { hash }), get('torrents/trackers', { hash }),
        get('torrents/pieceStates', { hash }), get('sync/torrentPeers', { hash, rid: 0 }),
      ]);
      if (hash !== this.hash) {
        return;
      }
      this.showFiles(files);
      this.showTrackers(trackers);
      this.showPieces(pieces);
      this.showPeers(peers.peers || {});
    } catch (error) {
      if (hash === this.hash) {
        this.onError(error);
      }
    }
    if (hash === this.hash) {
      this.timer = setTimeout(() => this.refresh(), REFRESH_MS);
    }
  }

  showGeneral() {
    const torrent = this.hash && this.store.get(this.hash);
    if (!torrent) {
      if (this.hash && this.dialog.open) {
        this.dialog.close();
      }
      return;
    }
    const facts = [
      ['State', format.state(torrent.state)], ['Progress', format.percent(torrent.progress)],
      ['Size', format.bytes(torrent.size)], ['Downloaded', format.bytes(torrent.downloaded)],
      ['Uploaded', format.bytes(torrent.uploaded)], ['Ratio', format.ratio(torrent.ratio)],
      ['Down', format.rate(torrent.dlspeed)], ['Up', format.rate(torrent.upspeed)],
      ['ETA', torrent.progress >= 1 ? '–' : format.eta(torrent.eta)], ['Save path', torrent.save_path],
      ['Info hash', torrent.hash],
    ];
    const nodes = [];
    for (const [term, value] of facts) {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value ?? '';
      nodes.push(dt, dd);
    }
    this.general.replaceChildren(...nodes);
  }

  showFiles(files) {
    const tbody = this.dialog.querySelector('#files tbody');
    const focused = document.activeElement && document.activeElement.closest('#files') ? document.activeElement.id : null;
    const rows = files.map((file) => {
      const tr = document.createElement('tr');
      cell(tr, file.name, 'File');
      cell(tr, format.bytes(file.size), 'Size');
      cell(tr, format.percent(file.progress), 'Done');
      const td = cell(tr, '', 'Priority');
      const select = document.createElement('select');
      select.id = `file-priority-${file.index}`;
      select.dataset.index = file.index;
      select.setAttribute('aria-label', `Priority of ${file.name}`);
      for (const [value, label] of PRIORITIES) {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = label;
        select.append(option);
      }
      select.value = String(file.priority);
      td.append(select);
      return tr;
    });
    tbody.replaceChildren(...rows);
    if (focused) {
      const again = document.getElementById(focused);
      if (again) {
        again.focus();
      }
    }
  }

  async priorityChanged(event) {
    const select = event.target.closest('select');
    if (!select || !this.hash) {
      return;
    }
    try {
      await post('torrents/filePrio', { hash: this.hash, id: select.dataset.index, priority: select.value });
    } catch (error) {
      this.onError(error);
    }
  }

  showTrackers(trackers) {
    const tbody = this.dialog.querySelector('#trackers tbody');
    tbody.replaceChildren(...trackers.map((tracker) => {
      const tr = document.createElement('tr');
      cell(tr, tracker.url, 'URL');
      cell(tr, TRACKER_STATUS[tracker.status] || String(tracker.status), 'Status');
      cell(tr, tracker.num_peers >= 0 ? String(tracker.num_peers) : '–', 'Peers');
      cell(tr, tracker.msg, 'Message');
      return tr;
    }));
  }

  showPeers(peers) {
    const tbody = this.dialog.querySelector('#peers tbody');
    const entries = Object.entries(peers);
    if (entries.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(tr, 'No peers connected');
      td.colSpan = 6;
      tbody.replaceChildren(tr);
      return;
    }
    tbody.replaceChildren(...entries.map(([address, peer]) => {
      const tr = document.createElement('tr');
      cell(tr, address, 'Address');
      cell(tr, peer.client, 'Client');
      cell(tr, peer.flags, 'Flags').title = peer.flags_desc;
      cell(tr, format.percent(peer.progress), 'Progress');
      cell(tr, format.rate(peer.dl_speed), 'Down');
      cell(tr, format.rate(peer.up_speed), 'Up');
      return tr;
    }));
  }

  /** The piece bar: one column per piece (or per run of pieces on a narrow bar), green when downloaded. */
  showPieces(states) {
    const canvas = this.canvas;
    const width = canvas.width;
    const context = canvas.getContext('2d');
    context.fillStyle = '#d9dee7';
    context.fillRect(0, 0, width, canvas.height);
    const done = states.filter((s) => s === 2).length;
    if (states.length > 0) {
      for (let x = 0; x < width; x++) {
        const from = Math.floor((x * states.length) / width);
        const to = Math.max(from + 1, Math.floor(((x + 1) * states.length) / width));
        let have = 0;
        let fetching = 0;
        for (let i = from; i < to; i++) {
          have += states[i] === 2 ? 1 : 0;
          fetching += states[i] === 1 ? 1 : 0;
        }
        if (have > 0 || fetching > 0) {
          context.fillStyle = have === to - from ? '#2f9e44' : fetching > 0 ? '#f59f00' : '#8ccf9b';
          context.fillRect(x, 0, 1, canvas.height);
        }
      }
    }
    this.piecesText.textContent = states.length === 0 ? 'No pieces known yet (waiting for metadata).'
      : `${done} of ${states.length} pieces downloaded`;
  }

  async setLimits() {
    const hash = this.hash;
    const dl = Math.max(0, Math.round(Number(this.dialog.querySelector('#limit-dl').value) || 0)) * 1024;
    const up = Math.max(0, Math.round(Number(this.dialog.querySelector('#limit-up').value) || 0)) * 1024;
    const status = this.dialog.querySelector('#limits-status');
    try {
      await post('torrents/setDownloadLimit', { hashes: hash, limit: dl });
      await post('torrents/setUploadLimit', { hashes: hash, limit: up });
      status.textContent = 'Limits set.';
    } catch (error) {
      this.onError(error);
    }
  }
}
