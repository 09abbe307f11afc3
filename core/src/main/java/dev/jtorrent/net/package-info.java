/**
 * Network helpers shared by the tracker client, the peer connections and the DHT: buffers, deadlines, the compact
 * form of a peer's address, and {@link dev.jtorrent.net.UdpPort}, the UDP side of a session's listen port that uTP,
 * the DHT and UDP tracker replies share.
 */
package dev.jtorrent.net;
