/**
 * The BitTorrent peer wire protocol: the handshake and the length-prefixed messages peers exchange.
 *
 * <p>Implements BEP 3 (the peer protocol), BEP 6 (the fast extension: have-all, have-none, suggest, reject,
 * allowed-fast and the canonical allowed-fast set), BEP 10 (the extension protocol and its handshake), BEP 9's
 * {@code ut_metadata} messages ({@link dev.jtorrent.wire.MetadataMessage}, {@link dev.jtorrent.wire.MetadataCodec})
 * and the {@code port} message of BEP 5. {@link dev.jtorrent.wire.Message} is a sealed interface with one record per
 * message; {@link dev.jtorrent.wire.WireCodec} turns them into bytes and back for in-memory peers, tests and fuzzing;
 * {@link dev.jtorrent.wire.WireReader} and {@link dev.jtorrent.wire.WireWriter} do the same over blocking streams or
 * channels for real connections, reading piece data straight into the caller's buffer.
 *
 * <p>Every input is hostile: message lengths are checked against {@link dev.jtorrent.wire.WireLimits} before a byte
 * of the message is buffered, malformed messages raise a {@link dev.jtorrent.wire.ProtocolException}, and checks
 * that need the torrent (piece indices, bitfield size, request bounds) live in
 * {@link dev.jtorrent.wire.PeerMessageValidator}. The package starts no threads and depends only on
 * {@code bencode}, {@code metainfo} and the {@link dev.jtorrent.net.BufferPool} a writer may take its batch from.
 */
package dev.jtorrent.wire;
