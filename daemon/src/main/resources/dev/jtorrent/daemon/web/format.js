// Numbers as people read them.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n) {
  if (!Number.isFinite(n) || n < 0) {
    return '–';
  }
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

export function rate(n) {
  return n > 0 ? `${bytes(n)}/s` : '–';
}

/** qBittorrent's ETA: seconds, 8640000 (100 days) meaning none. */
export function eta(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds >= 8640000) {
    return '∞';
  }
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d > 0) {
    return `${d}d ${h}h`;
  }
  if (h > 0) {
    return `${h}h ${m}m`;
  }
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}

export function percent(fraction) {
  const p = Math.max(0, Math.min(1, fraction || 0)) * 100;
  return `${p === 100 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export function ratio(r) {
  return r < 0 || !Number.isFinite(r) ? '–' : r.toFixed(2);
}

const STATES = {
  downloading: 'Downloading', forcedDL: 'Downloading (forced)', metaDL: 'Fetching metadata',
  forcedMetaDL: 'Fetching metadata', stalledDL: 'Stalled', uploading: 'Seeding', forcedUP: 'Seeding (forced)',
  stalledUP: 'Seeding', pausedDL: 'Paused', pausedUP: 'Paused (complete)', stoppedDL: 'Paused',
  stoppedUP: 'Paused (complete)', queuedDL: 'Queued', queuedUP: 'Queued to seed', checkingDL: 'Checking',
  checkingUP: 'Checking', checkingResumeData: 'Checking', moving: 'Moving', missingFiles: 'Files missing',
  error: 'Error', allocating: 'Allocating',
};

export function state(name) {
  return STATES[name] || name || 'Unknown';
}

export function isPaused(name) {
  return typeof name === 'string' && (name.startsWith('paused') || name.startsWith('stopped'));
}
