/**
 * Network helpers shared by the tracker client, the peer connections and the DHT: buffers, deadlines, and the
 * compact form of a peer's address.
 */
package dev.jtorrent.net;
