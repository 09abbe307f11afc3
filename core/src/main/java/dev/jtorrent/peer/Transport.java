package dev.jtorrent.peer;

/** What carries a connection's bytes: the swarm treats every transport alike, a peer list shows which it is. */
public enum Transport {
    /** A TCP connection. */
    TCP,
    /** A uTP connection (BEP 29): a stream over UDP datagrams, with delay-based congestion control. */
    UTP
}
