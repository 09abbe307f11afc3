/**
 * The composition root of a running client: a {@link dev.jtorrent.session.Session} owns the listen socket, our
 * peer id, the disk pool and the torrents; each torrent is a swarm, its storage and its tracker announcer.
 * Embedders start here: {@code Session.start(config)}, {@code session.add(torrent, directory)}. A torrent's pieces
 * are files in its download directory, or, with {@link dev.jtorrent.session.AddOptions.Builder#storage}, the
 * embedder's own {@link dev.jtorrent.session.PieceStore}.
 */
package dev.jtorrent.session;
