package dev.jtorrent.testkit;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.wire.Handshake;

import java.net.InetSocketAddress;

/** A host on the {@link SimNetwork}: a jtorrent peer ({@link SimPeer}) or a scripted one ({@link ScriptedPeer}). */
interface SimHost {
    /** Where it listens. */
    InetSocketAddress address();

    /** Its handshake: the torrent's info hash, its peer id and the extensions it speaks. */
    Handshake handshake();

    /** The torrent it is in; a connection's messages are checked against it. */
    InfoDictionary info();

    /** Its link to the network. */
    LinkProfile link();

    /** A connection another host opened to it has completed both handshakes. */
    void incoming(SimConnection connection);
}
