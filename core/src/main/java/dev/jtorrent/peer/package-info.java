/**
 * Connections to peers: the BitTorrent handshake both ways ({@link dev.jtorrent.peer.Handshaker}, with its bounds on
 * connections that never finish it), and a running connection ({@link dev.jtorrent.peer.PeerConnection}, over a
 * socket a {@link dev.jtorrent.peer.SocketConnection} with a reader and a writer thread) that hands what it reads to
 * its swarm as {@link dev.jtorrent.peer.PeerEvent}s and ends with a {@link dev.jtorrent.peer.CloseReason}. It knows
 * nothing of swarms: a torrent is a {@link dev.jtorrent.peer.ConnectionTarget}, and piece data goes into the
 * {@link dev.jtorrent.peer.BlockMemory} the swarm lends. Depends on {@code wire}, {@code metainfo} and {@code net}.
 */
package dev.jtorrent.peer;
