// The dialogs that change things: add torrents, remove one (asking first, with the choice to delete its data),
// and the settings with the global limits. Each is a <dialog> shown modal: focus moves into it, Esc closes it,
// and focus goes back to where it was.

import { get, post } from './api.js';

function wireCancel(dialog) {
  for (const button of dialog.querySelectorAll('.cancel')) {
    button.addEventListener('click', () => dialog.close('cancel'));
  }
}

export class AddDialog {
  constructor(dialog, { onError }) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    this.error = dialog.querySelector('#add-error');
    this.onError = onError;
    wireCancel(dialog);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  async open() {
    this.form.reset();
    this.error.textContent = '';
    this.dialog.showModal();
    try {
      const path = await get('app/defaultSavePath');
      if (!this.dialog.querySelector('#add-savepath').value) {
        this.dialog.querySelector('#add-savepath').value = path;
      }
    } catch (error) {
      this.onError(error);
    }
  }

  async submit() {
    const files = this.dialog.querySelector('#add-files').files;
    const urls = this.dialog.querySelector('#add-urls').value.trim();
    if (files.length === 0 && urls === '') {
      this.error.textContent = 'Choose a .torrent file, or give a magnet link or URL.';
      return;
    }
    const data = new FormData();
    if (urls) {
      data.append('urls', urls);
    }
    for (const file of files) {
      data.append('torrents', file, file.name);
    }
    const savepath = this.dialog.querySelector('#add-savepath').value.trim();
    if (savepath) {
      data.append('savepath', savepath);
    }
    const paused = this.dialog.querySelector('#add-paused').checked;
    data.append('paused', String(paused));
    data.append('stopped', String(paused));
    try {
      const answer = (await post('torrents/add', data)).trim();
      if (answer !== 'Ok.') {
        this.error.textContent = 'The daemon could not add that: is it a valid torrent, magnet link or URL?';
        return;
      }
      this.dialog.close('added');
    } catch (error) {
      this.error.textContent = error.message;
    }
  }
}

export class RemoveDialog {
  constructor(dialog, { onError }) {
    this.dialog = dialog;
    this.onError = onError;
    this.hash = null;
    wireCancel(dialog);
    dialog.querySelector('form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.confirm();
    });
  }

  open(torrent) {
    this.hash = torrent.hash;
    this.dialog.querySelector('#remove-name').textContent = `Remove “${torrent.name}” from the list?`;
    this.dialog.querySelector('#remove-data').checked = false;
    this.dialog.showModal();
    this.dialog.querySelector('.cancel').focus();
  }

  async confirm() {
    const deleteFiles = this.dialog.querySelector('#remove-data').checked;
    try {
      await post('torrents/delete', { hashes: this.hash, deleteFiles: String(deleteFiles) });
      this.dialog.close('removed');
    } catch (error) {
      this.dialog.close('failed');
      this.onError(error);
    }
  }
}

const KIB = 1024;

export class SettingsDialog {
  constructor(dialog, { onError }) {
    this.dialog = dialog;
    this.onError = onError;
    this.error = dialog.querySelector('#settings-error');
    wireCancel(dialog);
    dialog.querySelector('form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
  }

  async open() {
    this.error.textContent = '';
    try {
      const [prefs, version] = await Promise.all([get('app/preferences'), get('app/version')]);
      this.dialog.querySelector('#set-dl').value = Math.round((prefs.dl_limit || 0) / KIB);
      this.dialog.querySelector('#set-up').value = Math.round((prefs.up_limit || 0) / KIB);
      this.dialog.querySelector('#set-connections').value = prefs.max_connec;
      const facts = [
        ['Default save path', prefs.save_path], ['Listening port', prefs.listen_port],
        ['DHT', prefs.dht ? 'on' : 'off'], ['Peer exchange', prefs.pex ? 'on' : 'off'],
        ['Local discovery', prefs.lsd ? 'on' : 'off'],
        ['Encryption', ['preferred', 'required', 'off'][prefs.encryption] || String(prefs.encryption)],
        ['API', `qBittorrent Web API ${version}`],
      ];
      const info = this.dialog.querySelector('#settings-info');
      info.replaceChildren(...facts.flatMap(([term, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = String(value);
        return [dt, dd];
      }));
      this.dialog.showModal();
    } catch (error) {
      this.onError(error);
    }
  }

  async save() {
    const number = (id) => Math.max(0, Math.round(Number(this.dialog.querySelector(id).value) || 0));
    const prefs = { dl_limit: number('#set-dl') * KIB, up_limit: number('#set-up') * KIB };
    const connections = number('#set-connections');
    if (connections > 0) {
      prefs.max_connec = connections;
    }
    try {
      await post('app/setPreferences', { json: JSON.stringify(prefs) });
      this.dialog.close('saved');
    } catch (error) {
      this.error.textContent = error.message;
    }
  }
}
