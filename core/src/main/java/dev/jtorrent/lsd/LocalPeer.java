package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A peer an announce told of: it takes part in {@code infoHash} and listens at {@code address}, the announce's
 * source address with its {@code Port}.
 */
public record LocalPeer(InfoHash infoHash, InetSocketAddress address) {
    public LocalPeer {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(address, "address");
    }
}
