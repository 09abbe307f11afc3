/**
 * Message Stream Encryption (MSE, also PE: the Vuze/Azureus specification that libtorrent, Transmission and
 * qBittorrent speak): the Diffie-Hellman handshake that hides a BitTorrent connection from traffic shaping, and RC4
 * over the stream after it.
 *
 * <p>{@link dev.jtorrent.mse.MseHandshake} runs the handshake either way over a blocking channel, with every length
 * and search bounded as the spec bounds it; {@link dev.jtorrent.mse.MseChannel} then carries the connection;
 * {@link dev.jtorrent.mse.EncryptionPolicy} says when to use it. The package depends on the JDK (its Diffie-Hellman,
 * SHA-1) and {@code metainfo}'s info hash alone, and starts no threads.
 */
package dev.jtorrent.mse;
