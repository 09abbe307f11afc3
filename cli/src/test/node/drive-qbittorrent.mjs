// Drives jtorrent's daemon through the npm @ctrl/qbittorrent library, as QbittorrentApiIT asks: each step is
// checked here and reported as one JSON line on stdout; a failed check exits 1 with the reason on stderr.
//   node drive-qbittorrent.mjs BASE_URL USER PASSWORD TORRENT_FILE SAVE_DIR SOURCE_FILE
import { File } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Node 18 has File in node:buffer only; the library uses the global one, which Node 20 added.
globalThis.File ??= File;
const { QBittorrent } = await import('@ctrl/qbittorrent');

const [baseUrl, username, password, torrentFile, saveDir, sourceFile] = process.argv.slice(2);
const client = new QBittorrent({ baseUrl, username, password, timeout: 10_000 });
const step = (name, details = {}) => console.log(JSON.stringify({ step: name, ...details }));
const check = (ok, what) => {
  if (!ok) {
    throw new Error(`check failed: ${what}`);
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sha1 = (path) => createHash('sha1').update(readFileSync(path)).digest('hex');

async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last.done) {
      return last;
    }
    await sleep(250);
  }
  throw new Error(`${what}: not within ${seconds} s; last seen ${JSON.stringify(last)}`);
}

try {
  await client.login();
  step('login', { version: await client.getAppVersion(), api: await client.getApiVersion() });

  await client.createCategory('tv', '');
  await client.addTorrent(readFileSync(torrentFile), { savepath: saveDir, category: 'tv', tags: 'a,b' });
  const [added] = await client.listTorrents();
  check(added !== undefined, 'the torrent is listed after the add');
  const hash = added.hash;
  check(added.category === 'tv' && added.tags === 'a, b', `category and tags at the add: ${added.category} / ${added.tags}`);
  check(added.save_path === saveDir, `save path ${added.save_path}`);
  step('added', { hash, state: added.state });

  const done = await until('the download from the libtorrent seeder', 120, async () => {
    const torrent = await client.getTorrent(hash);
    return { done: torrent.isCompleted, progress: torrent.progress, state: torrent.state };
  });
  const [complete] = await client.listTorrents({ hashes: hash });
  check(['uploading', 'stalledUP'].includes(complete.state), `state once complete: ${complete.state}`);
  check(sha1(join(saveDir, complete.name)) === sha1(sourceFile), 'the downloaded file is the seeder\'s');
  step('completed', { state: complete.state, progress: done.progress });

  await client.pauseTorrent(hash);
  const [paused] = await client.listTorrents({ filter: 'paused' });
  check(paused?.hash === hash && paused.state === 'pausedUP', `paused: ${paused?.state}`);
  step('stopped', { state: paused.state });
  await client.resumeTorrent(hash);
  const [resumed] = await client.listTorrents({ filter: 'resumed' });
  check(resumed?.hash === hash && resumed.state !== 'pausedUP', `resumed: ${resumed?.state}`);
  step('started', { state: resumed.state });

  await client.createCategory('films', saveDir);
  await client.setTorrentCategory(hash, 'films');
  await client.addTorrentTags(hash, 'c');
  await client.removeTorrentTags(hash, 'a');
  const labelled = await client.getTorrent(hash);
  check(labelled.label === 'films', `category ${labelled.label}`);
  check(JSON.stringify(labelled.raw.tags) === JSON.stringify('b, c'), `tags ${labelled.raw.tags}`);
  const categories = await client.getCategories();
  check(categories.films?.savePath === saveDir, `categories ${JSON.stringify(categories)}`);
  step('labelled', { category: labelled.label, tags: labelled.raw.tags, all_tags: await client.getTags() });

  await client.setTorrentDownloadLimit(hash, 65536);
  await client.setTorrentUploadLimit(hash, 32768);
  const [limited] = await client.listTorrents({ hashes: hash });
  check(limited.dl_limit === 65536 && limited.up_limit === 32768, `limits ${limited.dl_limit} ${limited.up_limit}`);
  const files = await client.torrentFiles(hash);
  check(files.length === 1 && files[0].progress === 1, `files ${JSON.stringify(files)}`);
  step('limited', { dl_limit: limited.dl_limit, up_limit: limited.up_limit });

  const all = await client.getAllData();
  check(all.torrents.length === 1 && all.torrents[0].isCompleted, 'getAllData lists the torrent complete');

  await client.removeTorrent(hash, true);
  const left = await client.listTorrents();
  check(left.length === 0, `torrents left after the removal: ${left.length}`);
  check(!existsSync(join(saveDir, complete.name)), 'the data is deleted with the torrent');
  step('removed');
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exit(1);
}
