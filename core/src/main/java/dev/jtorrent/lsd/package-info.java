/**
 * Local Service Discovery (BEP 14): finding peers on the LAN by multicast, with no tracker and no DHT.
 *
 * <p>{@link dev.jtorrent.lsd.LsdMessage} is the announce and its strict, bounded codec; {@code LocalDiscoveryLogic}
 * decides what to announce when and which announces to believe, with the time as an argument; {@link
 * dev.jtorrent.lsd.LocalDiscovery} runs it on threads of its own over {@code GroupSockets}, on the {@link
 * dev.jtorrent.lsd.LsdEndpoint}s a session's listen address gives. Every datagram heard is hostile input: rate
 * limited per source and in all before it is parsed, at most {@link dev.jtorrent.lsd.LsdMessage#MAX_DATAGRAM_BYTES}
 * long, and refused with an {@link dev.jtorrent.lsd.LsdException} unless well formed. Private torrents (BEP 27) take
 * no part.
 */
package dev.jtorrent.lsd;
