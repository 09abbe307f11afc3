// jtorrent's web UI: wires the list, the dialogs and the live feed together, and the keyboard shortcuts.

import { get, login, post, LoggedOut } from './api.js';
import { AddDialog, RemoveDialog, SettingsDialog } from './dialogs.js';
import { Details } from './details.js';
import { LiveFeed } from './events.js';
import * as format from './format.js';
import { TorrentList } from './list.js';
import { Store } from './store.js';

const $ = (selector) => document.querySelector(selector);

const store = new Store();
const live = new LiveFeed(store, {
  onLoggedOut: () => showLogin(),
  onStatus: (text) => { $('#live').textContent = text; },
});

function reportError(error) {
  if (error instanceof LoggedOut) {
    live.stop();
    showLogin();
    return;
  }
  $('#live').textContent = `Error: ${error.message}`;
}

const details = new Details($('#details-dialog'), store, { onError: reportError });
const addDialog = new AddDialog($('#add-dialog'), { onError: reportError });
const removeDialog = new RemoveDialog($('#remove-dialog'), { onError: reportError });
const settingsDialog = new SettingsDialog($('#settings-dialog'), { onError: reportError });

async function toggle(hash) {
  const torrent = store.get(hash);
  if (!torrent) {
    return;
  }
  try {
    await post(format.isPaused(torrent.state) ? 'torrents/resume' : 'torrents/pause', { hashes: hash });
  } catch (error) {
    reportError(error);
  }
}

function remove(hash) {
  const torrent = store.get(hash);
  if (torrent) {
    removeDialog.open(torrent);
  }
}

const list = new TorrentList($('#torrent-rows'), {
  onDetails: (hash) => details.open(hash),
  onToggle: toggle,
  onRemove: remove,
  onSelect: () => {},
});

let scheduled = false;
store.subscribe(() => {
  if (scheduled) {
    return;
  }
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
});

function render() {
  const torrents = store.list();
  const shown = list.render(torrents);
  $('#empty').hidden = torrents.length > 0;
  $('#count').textContent = shown === torrents.length ? `${torrents.length} torrents`
    : `${shown} of ${torrents.length} torrents`;
  const server = store.server;
  $('#totals').textContent = `↓ ${format.rate(server.dl_info_speed || 0)}  ↑ ${format.rate(server.up_info_speed || 0)}`;
}

$('#filter').addEventListener('input', (event) => {
  const shown = list.setFilter(event.target.value);
  $('#count').textContent = `${shown} of ${store.torrents.size} torrents`;
});
$('#add-button').addEventListener('click', () => addDialog.open());
$('#settings-button').addEventListener('click', () => settingsDialog.open());
$('#logout-button').addEventListener('click', async () => {
  live.stop();
  try {
    await post('auth/logout');
  } catch (error) {
    // logged out already
  }
  showLogin();
});

/** Whether a key press is typing into a field, where shortcuts must not fire. */
function typing(event) {
  const target = event.target;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

document.addEventListener('keydown', (event) => {
  if ($('#app-view').hidden || event.ctrlKey || event.metaKey || event.altKey || document.querySelector('dialog[open]')) {
    return;
  }
  if (event.key === 'Escape' && event.target.id === 'filter') {
    event.target.blur();
    return;
  }
  if (typing(event)) {
    return;
  }
  const selected = list.selected;
  switch (event.key) {
    case '/':
      event.preventDefault();
      $('#filter').focus();
      break;
    case 'a':
      event.preventDefault();
      addDialog.open();
      break;
    case 's':
      event.preventDefault();
      settingsDialog.open();
      break;
    case 'ArrowDown':
    case 'j':
      event.preventDefault();
      list.move(1);
      break;
    case 'ArrowUp':
    case 'k':
      event.preventDefault();
      list.move(-1);
      break;
    case 'p':
      if (selected) {
        event.preventDefault();
        toggle(selected);
      }
      break;
    case 'Delete':
      if (selected) {
        event.preventDefault();
        remove(selected);
      }
      break;
    default:
  }
});

function showLogin() {
  for (const dialog of document.querySelectorAll('dialog[open]')) {
    dialog.close();
  }
  $('#app-view').hidden = true;
  $('#login-view').hidden = false;
  $('#login-password').value = '';
  $('#login-user').focus();
}

function showApp() {
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('#login-error').textContent = '';
  live.start();
  $('#filter').blur();
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('#login-error');
  error.textContent = '';
  try {
    if (await login($('#login-user').value, $('#login-password').value)) {
      showApp();
    } else {
      error.textContent = 'Wrong user name or password.';
      $('#login-password').select();
    }
  } catch (failure) {
    error.textContent = failure.message;
  }
});

async function boot() {
  try {
    await get('app/webapiVersion');
    showApp();
  } catch (error) {
    if (error instanceof LoggedOut) {
      showLogin();
    } else {
      $('#login-view').hidden = false;
      $('#login-error').textContent = `The daemon does not answer: ${error.message}`;
    }
  }
}

boot();
